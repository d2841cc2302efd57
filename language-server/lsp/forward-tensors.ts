// The tensor worker's side of nnLens/getTensor: builds the model with values (device cpu, seeded as
// `torch.manual_seed(0); Model()`), runs its forward to record every module's output, and keeps
// the tensors of the last few document versions so that zooming and panning only re-reduce.
//
// The analysis returns reports, not objects: this file borrows the constructed model and the module
// outputs while `inspectSource` runs, through two hooks on the analysis's own classes (the
// `train(False)` it calls before describing an instance, and the forward-trace recorder's `exit`).
// An `InspectOptions` callback would be the clean way; the hooks are restored after each run.
import fs from 'node:fs';
import { inspectSource } from '../analysis/inspect.ts';
import { siblingImporter } from '../analysis/sibling-importer.ts';
import { ForwardTraceRecorder } from '../analysis/trace.ts';
import { Module } from '../../runtime/nn/module.ts';
import { Tensor } from '../../runtime/tensor.ts';
import type { PyValue } from '../../runtime/python/index.ts';
import { tensorLeaves } from '../analysis/values.ts';
import type { ForwardJob, TensorJob, TensorJobResult } from './forward-job.ts';
import { summarize, tensorView, type FlatValues, type TensorSummary } from './forward-tensor-view.ts';

interface Held { shape: number[]; dtype: string; values: FlatValues; summary?: TensorSummary }

interface ModelTensors {
  parameters: Map<string, Held>;
  buffers: Map<string, Held>;
  /** The first output of each module path ('' is the model), in call order. */
  activations: Map<string, Held>;
}

const cache = new Map<string, Promise<ModelTensors>>();
const cacheSize = 3;

function held(t: Tensor): Held {
  const d = t.data;
  if (d === null) throw new Error(`tensor [${t.shape.join(', ')}] has no values on the host`);
  const values: FlatValues = d instanceof BigInt64Array ? Float64Array.from(d, Number) : d;
  return { shape: [...t.shape], dtype: t.dtype.name, values };
}

async function buildModelTensors(job: ForwardJob): Promise<ModelTensors> {
  const readSource = (path: string): string | null => {
    if (path in job.openTexts) return job.openTexts[path]!;
    try { return fs.readFileSync(path, 'utf8'); } catch { return null; }
  };
  const captured: { model: Module | null } = { model: null };
  const outputs = new Map<string, Tensor>();
  const train = Module.prototype.train;
  const exit = ForwardTraceRecorder.prototype.exit;
  Module.prototype.train = function (this: Module, mode = true) {
    if (!mode && this.pyTypeName === job.className) captured.model = this;
    return train.call(this, mode);
  };
  ForwardTraceRecorder.prototype.exit = function (this: ForwardTraceRecorder, token: number, output: PyValue) {
    const path = this.calls[token]?.[0];
    const first = tensorLeaves(output)[0]?.[1];
    if (path !== undefined && first && !outputs.has(path)) outputs.set(path, first);
    exit.call(this, token, output);
  };
  try {
    await inspectSource(job.text, job.fileName, {
      device: 'cpu', className: job.className, spec: job.spec, torch2Repr: job.torch2Repr, seed: job.seed ?? 0,
      importerFactory: job.siblings ? (f) => siblingImporter(f, readSource) : undefined,
    });
  } finally {
    Module.prototype.train = train;
    ForwardTraceRecorder.prototype.exit = exit;
  }
  const built = captured.model;
  if (!built) throw new Error(`${job.className} was not constructed with values`);
  const hold = (entries: [string, Tensor][]): Map<string, Held> => new Map(entries.filter(([, t]) => t.data !== null).map(([n, t]) => [n, held(t)]));
  return { parameters: hold(built.namedParameters()), buffers: hold(built.namedBuffers()), activations: hold([...outputs]) };
}

function modelTensors(key: string, job: ForwardJob): Promise<ModelTensors> {
  let entry = cache.get(key);
  if (!entry) {
    entry = buildModelTensors(job);
    entry.catch(() => cache.delete(key));
    cache.set(key, entry);
    while (cache.size > cacheSize) cache.delete(cache.keys().next().value!);
  }
  return entry;
}

export async function answerTensorJob(request: TensorJob): Promise<TensorJobResult> {
  const { id } = request;
  try {
    const tensors = await modelTensors(request.key, request.job);
    const table = request.tensor.kind === 'parameter' ? tensors.parameters : request.tensor.kind === 'buffer' ? tensors.buffers : tensors.activations;
    const hit = table.get(request.tensor.name);
    if (!hit) return { id, ok: false, kind: 'unknownTensor', available: [...table.keys()], message: `no ${request.tensor.kind} '${request.tensor.name}' with values` };
    hit.summary ??= summarize(hit.values);
    return { id, ok: true, shape: hit.shape, dtype: hit.dtype, summary: hit.summary, view: tensorView(hit.values, hit.shape, request.view) };
  } catch (e) {
    return { id, ok: false, kind: 'failed', message: e instanceof Error ? e.stack ?? e.message : String(e) };
  }
}

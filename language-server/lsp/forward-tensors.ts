// The tensor worker's side of nnLens/getTensor: builds the model with values on the requested device
// (seeded as `torch.manual_seed(0); Model()`), runs its forward to record every module call's
// output, and keeps the tensors of the last few document versions so that zooming and panning only
// re-reduce. The analysis hands the model and the call outputs over through
// InspectOptions.valueObserver; webgpu values are read back to the host before they are kept.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { inspectSource } from '../analysis/inspect.ts';
import { siblingImporter } from '../analysis/sibling-importer.ts';
import type { ValueObserver } from '../analysis/trace.ts';
import type { Module } from '../../runtime/nn/module.ts';
import { Tensor } from '../../runtime/tensor.ts';
import type { TensorRef } from '../protocol/requests.ts';
import { foldLayout, type FoldLayout } from '../protocol/tensor-fold.ts';
import type { ForwardJob, FullSummary, PendingSummary, SummaryJob, TensorJob, TensorJobResult, ValueDevice } from './forward-job.ts';
import { difference, rangePassSteps, rangeSummary, summarize, summarySteps, tensorView, tensorViewAndRange, type FlatValues, type RangePass, type TensorSummary, type TensorView } from './forward-tensor-view.ts';
import { overviewMinElements, overviewSteps, type Overview } from './tensor-overview.ts';
import { openValueDevice } from './open-value-device.ts';

/**
 * A tensor's values as kept, with what is computed once, on its first request: the summary (its
 * `id` names it for the client, which may then skip the channel ranges it already has) and, for a
 * big tensor, the overview that zoomed-out windows are reduced from (tensor-overview.ts): null
 * while it is being built or when none is (a small tensor). A first answer that deferred the
 * summary holds only the range pass (`range`, under the id the summary will have) until the rest
 * is computed, in slices between requests (`steps`, once started; see continueDeferredSummaries).
 * A big parameter or buffer may get its range pass in idle time, before any request
 * (`idleRange`, see precomputeIdle); its first answer then starts from it.
 */
interface Held {
  shape: number[]; dtype: string; values: FlatValues; summary?: TensorSummary; overview?: Overview | null;
  range?: { pass: RangePass; id: string; channelDim?: number; steps?: Iterator<void, TensorSummary, undefined> };
  idleRange?: { pass: RangePass; channelDim: number | undefined };
}

/** How long after a first answer its overview starts: the server thread has sent that answer on by then (on a two-core machine the two would compete for a core). */
const overviewDelayMs = 100;

/**
 * Builds a big tensor's overview after its first answer has gone out, in slices between the
 * worker's other work (a request arriving meanwhile is answered without it): the first paint does
 * not wait for it, the windows after it use it.
 */
function buildOverviewLater(target: Held, layout: FoldLayout): void {
  target.overview = null;
  if (target.values.length < overviewMinElements) return;
  const steps = overviewSteps(target.values, target.shape, layout);
  const step = (): void => {
    // A summary being computed in slices goes first: a client waits for it (the overview only
    // speeds up later windows).
    if (slicing) { setImmediate(step); return; }
    try {
      const next = steps.next();
      if (!next.done) { setImmediate(step); return; }
      target.overview = next.value;
    } catch (e) {
      // An overview is only a shortcut: without it every window is reduced directly, to the same
      // cells. The reason goes to the server's log (the worker's stderr).
      target.overview = null;
      console.error(`nnLens: no overview for a tensor [${target.shape.join(', ')}]: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  setTimeout(step, overviewDelayMs);
}

/** Summary ids: unique to this worker (a restarted worker's ids never match an old one's) and to each summary computed. */
const summaryPrefix = randomUUID().slice(0, 8);
let summaryCount = 0;
const nextSummaryId = (): string => `${summaryPrefix}-${++summaryCount}`;

/** The summaries computed after their first answer, by id, for SummaryJobs: the last few (a client asks right after that answer). */
const fullSummaries = new Map<string, FullSummary>();
const fullSummariesKept = 16;
/**
 * From this size on a first answer may defer the summary (TensorJob.deferSummary): below it the
 * whole summary costs a few milliseconds, less than the extra round trip and the "computing…" it
 * would show.
 */
export const deferMinElements = 1 << 20;
/** Tensors whose first answer went out with the range pass only: their summaries are computed next. */
const deferred: Held[] = [];

/** The tensor's whole summary: the one computed, else computed now (from its range pass when the first answer made one, finishing the slices already done). */
function fullSummaryOf(target: Held, channelDim: number | undefined): TensorSummary {
  if (target.summary) return target.summary;
  const range = target.range;
  let summary: TensorSummary & { id: string };
  if (range) {
    const steps = range.steps ?? summarySteps(target.values, target.shape, range.channelDim, 64, range.pass, Infinity);
    let next = steps.next();
    while (!next.done) next = steps.next();
    summary = { ...next.value, id: range.id };
  } else {
    // The range pass made in idle time is rangePass's own (rangePassSteps): summarize would make the same.
    const idle = target.idleRange && target.idleRange.channelDim === channelDim ? target.idleRange.pass : undefined;
    summary = { ...summarize(target.values, target.shape, channelDim, 64, idle), id: nextSummaryId() };
  }
  keepSummary(target, summary);
  return summary;
}

function keepSummary(target: Held, summary: TensorSummary & { id: string }): void {
  target.summary = summary;
  target.range = undefined;
  target.idleRange = undefined;
  const at = deferred.indexOf(target);
  if (at >= 0) deferred.splice(at, 1);
  fullSummaries.delete(summary.id);
  // The channel ranges are the summary's own arrays (no copy): a SummaryJob may ask for them.
  fullSummaries.set(summary.id, { stats: summary.stats, histogram: summary.histogram, ...(summary.channelRange ? { channelRange: summary.channelRange } : {}) });
  while (fullSummaries.size > fullSummariesKept) fullSummaries.delete(fullSummaries.keys().next().value!);
  for (const waiter of summaryWaiters.splice(0)) waiter();
}

/** SummaryJobs waiting for a summary computed in slices: called (all of them, each checks its own) whenever one is complete. */
const summaryWaiters: (() => void)[] = [];
let slicing = false;

/**
 * The summaries whose first answer deferred them (TensorJob.deferSummary), computed in slices
 * (summarySteps, ~4 M elements each) on the event loop: the worker starts this right after posting
 * such an answer, and a request arriving meanwhile (a pan or zoom right after the first paint) runs
 * between two slices instead of after the whole pass. A later answer that needs the summary whole
 * finishes it at once (fullSummaryOf); a SummaryJob waits for it without holding the queue.
 */
export function continueDeferredSummaries(): void {
  if (slicing || deferred.length === 0) return;
  slicing = true;
  const slice = (): void => {
    const target = deferred[0];
    if (!target) { slicing = false; return; }
    try {
      const range = target.range;
      if (!range) { deferred.shift(); } else {
        range.steps ??= summarySteps(target.values, target.shape, range.channelDim, 64, range.pass);
        const next = range.steps.next();
        if (next.done) keepSummary(target, { ...next.value, id: range.id });
      }
    } catch (e) {
      // Computed afresh on the tensor's next request; the SummaryJobs waiting for it answer that it is not kept.
      deferred.shift();
      target.range = undefined;
      for (const waiter of summaryWaiters.splice(0)) waiter();
      console.error(`nnLens: no summary for a tensor [${target.shape.join(', ')}]: ${e instanceof Error ? e.message : String(e)}`);
    }
    setImmediate(slice);
  };
  setImmediate(slice);
}

/** A SummaryJob's answer from the summaries kept: the summary of that id, or why there is none. */
function summaryAnswer(request: SummaryJob): TensorJobResult {
  const kept = fullSummaries.get(request.summaryId);
  if (kept) {
    const { channelRange, ...full } = kept;
    return { id: request.id, ok: true, summaryId: request.summaryId, full: request.withChannelRange && channelRange ? { ...full, channelRange } : full };
  }
  const mine = request.summaryId.startsWith(`${summaryPrefix}-`);
  return {
    id: request.id, ok: false, kind: 'unknownSummary',
    message: mine ? `summary ${request.summaryId} is no longer kept (the last ${fullSummariesKept} are)` : `summary ${request.summaryId} is not of this tensor worker (it was restarted since)`,
  };
}

/**
 * A SummaryJob's answer: at once when the summary is complete or unknown; a promise when it is being
 * computed in slices (continueDeferredSummaries), settled when it is complete, so that the worker's
 * queue goes on meanwhile.
 */
export function answerSummaryJob(request: SummaryJob): TensorJobResult | Promise<TensorJobResult> {
  const pending = deferred.find((t) => t.range?.id === request.summaryId);
  if (!pending) return summaryAnswer(request);
  continueDeferredSummaries();
  return new Promise((resolve) => {
    const check = (): void => {
      if (pending.range?.id === request.summaryId && deferred.includes(pending)) summaryWaiters.push(check);
      else resolve(summaryAnswer(request));
    };
    check();
  });
}

/** One module call's output: its values, or why they are not kept. */
interface CallOutput { path: string; held: Held | null; notKept?: string }

interface ModelTensors {
  parameters: Map<string, Held>;
  buffers: Map<string, Held>;
  /** Every module call's first output, indexed as the forward's calls ('' is the model); holes for calls that never returned. */
  activations: CallOutput[];
  where: ValueDevice;
}

const cache = new Map<string, Promise<ModelTensors>>();
const cacheSize = 3;
/** The last compare (`tensor − minus`), so that panning over a difference does not subtract again. */
let lastDifference: { key: string; held: Held } | null = null;

/**
 * Host memory the module outputs of one model may keep (`NNLENS_ACTIVATION_BUDGET_MB`, default 512):
 * a long forward (a deep net, a loop over layers) makes many outputs. Over it the largest are
 * dropped first (they cost most and the small ones are the many); a dropped one answers `notKept`.
 */
function activationBudgetBytes(): number {
  const mb = Number(process.env.NNLENS_ACTIVATION_BUDGET_MB);
  return (Number.isFinite(mb) && mb >= 0 ? mb : 512) * 2 ** 20;
}

const megabytes = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(bytes < 2 ** 20 ? 2 : 0)} MB`;

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
  const { where, gpu } = await openValueDevice(job.device);
  // `webgpu` only: without an adapter nothing is computed (answerTensorJob says why).
  if (job.webgpuOnly && !gpu) return { parameters: new Map(), buffers: new Map(), activations: [], where };
  let model: Module | null = null;
  const outputs: { path: string; tensor: Tensor | null }[] = [];
  const observer: ValueObserver = {
    instance: (className, m) => { if (className === job.className) model = m; },
    callOutput: (call, path, tensor) => { outputs[call] = { path, tensor: tensor && snapshot(tensor) }; },
  };
  await inspectSource(job.text, job.fileName, {
    device: where.device, className: job.className, spec: job.spec, torch2Repr: job.torch2Repr, seed: job.seed ?? 0,
    importerFactory: job.siblings ? (f) => siblingImporter(f, readSource) : undefined,
    ...(gpu ? { materialize: async (t: Tensor) => { await gpu.materialize(t); } } : {}),
    valueObserver: observer,
  });
  const built = model as Module | null;
  if (!built) throw new Error(`${job.className} was not constructed with values`);
  const parameters = built.namedParameters();
  const buffers = built.namedBuffers();
  // The analysis reads back what it summarises; anything still on the GPU is read here.
  if (gpu) {
    const offHost = [...parameters, ...buffers].map(([, t]) => t).concat(outputs.flatMap((o) => (o?.tensor ? [o.tensor] : []))).filter((t) => t.data === null && t.gpu);
    // One submission for all of them (each readback is a round trip to the GPU).
    const values = await gpu.readbackMany(offHost);
    offHost.forEach((t, i) => { t.data = values[i]!; });
  }
  const hold = (entries: [string, Tensor][]): Map<string, Held> => new Map(entries.filter(([, t]) => t.data !== null).map(([n, t]) => [n, held(t)]));
  return { parameters: hold(parameters), buffers: hold(buffers), activations: keepWithinBudget(outputs), where };
}

/**
 * What a call returned, as it was then: later in-place ops (`y += 1`, `ReLU(inplace=True)`) must
 * not show in an earlier call's output. The host values are copied; on webgpu the storage is kept
 * as it is now (in-place ops give the tensor a new storage) and read back after the forward.
 */
function snapshot(t: Tensor): Tensor {
  const copy = new Tensor(t.shape, t.dtype, t.device, t.data ? t.data.slice() : null);
  copy.gpu = t.gpu;
  return copy;
}

/** The call outputs as kept: all of them when they fit the budget, else without the largest. */
function keepWithinBudget(outputs: { path: string; tensor: Tensor | null }[]): CallOutput[] {
  const kept: CallOutput[] = [];
  for (let i = 0; i < outputs.length; i++) {
    const o = outputs[i];
    if (!o) continue;
    if (!o.tensor) kept[i] = { path: o.path, held: null, notKept: 'the call returned no tensor' };
    else if (o.tensor.data === null) kept[i] = { path: o.path, held: null, notKept: 'its values could not be read back from the device' };
    else kept[i] = { path: o.path, held: held(o.tensor) };
  }
  // Outputs that share storage (a view returned as is) count once.
  const bytesOf = new Map<ArrayBufferLike, number>();
  for (const k of kept) {
    const v = k?.held?.values as (FlatValues & { buffer?: ArrayBufferLike; byteLength?: number }) | undefined;
    if (v?.buffer) bytesOf.set(v.buffer, v.byteLength ?? 0);
  }
  const total = [...bytesOf.values()].reduce((a, b) => a + b, 0);
  const budget = activationBudgetBytes();
  if (total <= budget) return kept;
  const reason = `not kept: the forward's module outputs take ${megabytes(total)}, over the ${megabytes(budget)} kept per model (NNLENS_ACTIVATION_BUDGET_MB); the largest are dropped first`;
  let left = total;
  const bySize = [...bytesOf.entries()].sort((a, b) => b[1] - a[1]);
  const dropped = new Set<ArrayBufferLike>();
  for (const [buffer, bytes] of bySize) {
    if (left <= budget) break;
    dropped.add(buffer);
    left -= bytes;
  }
  return kept.map((k) => {
    const v = k.held?.values as { buffer?: ArrayBufferLike } | undefined;
    return v?.buffer && dropped.has(v.buffer) ? { path: k.path, held: null, notKept: reason } : k;
  });
}

function modelTensors(key: string, job: ForwardJob): Promise<ModelTensors> {
  let entry = cache.get(key);
  if (!entry) {
    entry = buildModelTensors(job);
    const built = entry;
    entry.then((tensors) => {
      try { precomputeIdle(built, tensors); } catch (e) { console.error(`nnLens: no idle precompute: ${e instanceof Error ? e.message : String(e)}`); }
    }, () => cache.delete(key));
    cache.set(key, entry);
    while (cache.size > cacheSize) cache.delete(cache.keys().next().value!);
  }
  return entry;
}

/**
 * How many first answers started from work done in idle time (precomputeIdle): the range pass, and
 * of those the window cut from the overview. For tests only (never sent to the client).
 */
export const precomputeServed = { ranges: 0, overviews: 0 };

/** Tensor jobs being answered (a model build awaits in between): idle work waits for none to be. */
let jobsRunning = 0;

interface IdleWork { target: Held; channelDim: number | undefined; layout: FoldLayout; model: Promise<ModelTensors> }
/** Big parameters and buffers of built models waiting for their range pass and overview, largest first. */
const idleQueue: IdleWork[] = [];
let idleRunning = false;
/** How often idle work looks again while a job or a deferred summary has the worker. */
const idleRetryMs = 5;

/**
 * After a model is built: its parameters and buffers of at least 2^20 elements get, in idle time,
 * the range pass (rangePassSteps, rangePass's numbers) and the overview, largest first, so that a
 * later first request for one cuts only its window (from the overview) instead of reading all of
 * its values (a 50257×768 embedding's first paint took 250–350 ms on a 2-core machine). Slices of ~4 M elements, only
 * while no job runs and no deferred summary is being computed: a queued job waits at most one
 * slice. A request arriving meanwhile is answered as without it (its own range pass; the overview
 * later), and whatever it already made is not made again. Memory: the overview's ~1 byte per element.
 */
function precomputeIdle(model: Promise<ModelTensors>, tensors: ModelTensors): void {
  const work: IdleWork[] = [];
  for (const [kind, table] of [['parameter', tensors.parameters], ['buffer', tensors.buffers]] as const) {
    for (const target of table.values()) {
      if (target.values.length < deferMinElements && target.values.length < overviewMinElements) continue;
      const ref: TensorRef = { kind, name: '' };
      work.push({ target, channelDim: channelDim(ref, target.shape), layout: foldLayout(kind, target.shape), model });
    }
  }
  if (work.length === 0) return;
  idleQueue.push(...work);
  idleQueue.sort((a, b) => b.target.values.length - a.target.values.length);
  if (idleRunning) return;
  idleRunning = true;
  let current: { work: IdleWork; steps: Generator<void, void, void> } | null = null;
  const step = (): void => {
    if (jobsRunning > 0 || slicing) { setTimeout(step, idleRetryMs); return; }
    if (!current) {
      const next = idleQueue.shift();
      if (!next) { idleRunning = false; return; }
      current = { work: next, steps: idleSteps(next) };
    }
    const { work: w } = current;
    try {
      // A model dropped from the cache (newer versions came) is not worth finishing.
      if (![...cache.values()].includes(w.model) || current.steps.next().done) current = null;
    } catch (e) {
      // Only a shortcut: the tensor's requests make what they need themselves (an overview that
      // failed here stays null, as buildOverviewLater leaves one).
      current = null;
      console.error(`nnLens: no idle precompute for a tensor [${w.target.shape.join(', ')}]: ${e instanceof Error ? e.message : String(e)}`);
    }
    setImmediate(step);
  };
  // The answer of the request that built the model goes out first (see overviewDelayMs).
  setTimeout(step, overviewDelayMs);
}

/** One tensor's idle work, one slice per step: the range pass unless a request made it, then the overview unless one is built or being built. */
function* idleSteps(w: IdleWork): Generator<void, void, void> {
  const t = w.target;
  const made = (): boolean => !!t.summary || !!t.range;
  if (!made() && !t.idleRange && t.values.length >= deferMinElements) {
    const steps = rangePassSteps(t.values, t.shape, w.channelDim);
    let next = steps.next();
    while (!next.done) {
      yield;
      if (made()) break;
      next = steps.next();
    }
    if (next.done && !made()) t.idleRange = { pass: next.value, channelDim: w.channelDim };
  }
  if (t.overview !== undefined) return;
  yield;
  if (t.overview !== undefined) return;
  // Marked as being built: a request meanwhile cuts directly and does not start another build.
  t.overview = null;
  const steps = overviewSteps(t.values, t.shape, w.layout);
  let next = steps.next();
  while (!next.done) {
    yield;
    next = steps.next();
  }
  t.overview = next.value;
}

type Miss = { kind: 'unknownTensor' | 'notKept'; available: string[]; message: string };

const refText = (ref: TensorRef): string => `${ref.kind} '${ref.name}'${ref.call !== undefined ? ` (call ${ref.call})` : ''}`;

/** The tensor a reference names in the value run, or why there is none. */
function lookup(tensors: ModelTensors, ref: TensorRef): Held | Miss {
  if (ref.kind !== 'activation') {
    const table = ref.kind === 'parameter' ? tensors.parameters : tensors.buffers;
    return table.get(ref.name) ?? { kind: 'unknownTensor', available: [...table.keys()], message: `no ${refText(ref)} with values` };
  }
  const calls = tensors.activations;
  const available = [...new Set(calls.flatMap((c) => (c ? [c.path] : [])))];
  const index = ref.call ?? calls.findIndex((c) => c?.path === ref.name);
  const hit = index >= 0 ? calls[index] : undefined;
  if (!hit) return { kind: 'unknownTensor', available, message: `no ${refText(ref)} returned in the forward` };
  if (hit.path !== ref.name) return { kind: 'unknownTensor', available, message: `call ${index} is of '${hit.path}', not '${ref.name}'` };
  return hit.held ?? { kind: 'notKept', available, message: `${refText(ref)}: ${hit.notKept ?? 'not kept'}` };
}

/** The dimension channelRange runs along: 0 for parameters and buffers, 1 for activations (dim 0 is the batch); none below rank 2. */
const channelDim = (ref: TensorRef, shape: readonly number[]): number | undefined => (shape.length < 2 ? undefined : ref.kind === 'activation' ? 1 : 0);

let warmedUp = false;
/**
 * The statistics pass and a window cut on a small tensor, a few times, once per worker before its
 * first model is built: V8 then has them optimised when the first big tensor comes, instead of
 * running its first pass half interpreted (measured on the 2-core dev box: the first 4096×4096
 * statistics pass 130–200 ms cold, 65–90 ms after this; it costs about 20 ms, next to the model's
 * construction).
 */
function warmUp(): void {
  if (warmedUp) return;
  warmedUp = true;
  const values = Float32Array.from({ length: 1 << 14 }, (_, i) => Math.sin(i));
  for (let k = 0; k < 30; k++) {
    summarize(values, [128, 128], 0);
    tensorView(values, [128, 128], { grid: { rows: 32, cols: 32 }, reduction: k % 3 === 0 ? 'mean' : k % 3 === 1 ? 'min' : 'max' });
    // The first answer's one read (both of its row loops: cells wider and narrower than two columns).
    tensorViewAndRange(values, [128, 128], { grid: k % 2 ? { rows: 32, cols: 32 } : { rows: 16, cols: 100 } }, k % 4 < 2 ? 0 : undefined);
  }
}

export async function answerTensorJob(request: TensorJob): Promise<TensorJobResult> {
  jobsRunning++;
  try {
    return await answerTensorJobNow(request);
  } finally {
    jobsRunning--;
  }
}

async function answerTensorJobNow(request: TensorJob): Promise<TensorJobResult> {
  const { id } = request;
  try {
    warmUp();
    const tensors = await modelTensors(request.key, request.job);
    if (request.job.webgpuOnly && tensors.where.device !== 'webgpu') return { id, ok: false, kind: 'webgpuUnavailable', message: tensors.where.webgpuUnavailable ?? 'no WebGPU adapter' };
    const found = lookup(tensors, request.tensor);
    if (!('values' in found)) return { id, ok: false, ...found };
    let target = found;
    if (request.minus) {
      const minus = lookup(tensors, request.minus);
      if (!('values' in minus)) return { id, ok: false, ...minus, message: `minus: ${minus.message}` };
      if (minus.shape.length !== found.shape.length || minus.shape.some((d, i) => d !== found.shape[i])) {
        return {
          id, ok: false, kind: 'shapeMismatch', available: [],
          message: `cannot subtract ${refText(request.minus)} [${minus.shape.join(', ')}] from ${refText(request.tensor)} [${found.shape.join(', ')}]: the shapes differ`,
        };
      }
      const key = `${request.key}|${JSON.stringify(request.tensor)}|${JSON.stringify(request.minus)}`;
      if (lastDifference?.key !== key) {
        lastDifference = { key, held: { shape: found.shape, dtype: found.dtype, values: difference(found.values, minus.values) } };
      }
      target = lastDifference.held;
    }
    const layout = foldLayout(request.tensor.kind, target.shape);
    const dim = channelDim(request.tensor, target.shape);
    let summary: TensorSummary | PendingSummary;
    let firstView: TensorView | undefined;
    if (request.deferSummary && !target.summary && target.values.length >= deferMinElements) {
      // The first paint needs only the colour scale: the range pass now, the rest right after this answer.
      if (!target.range) {
        let pass = target.idleRange && target.idleRange.channelDim === dim ? target.idleRange.pass : undefined;
        if (pass) {
          // Made in idle time (precomputeIdle): only the window is cut, from the overview when it is built.
          firstView = tensorView(target.values, target.shape, { ...request.view, layout }, target.overview);
          precomputeServed.ranges++;
          if (target.overview) precomputeServed.overviews++;
        } else {
          // The range pass in the same read as the first view (the whole tensor, on a first request).
          const cut = tensorViewAndRange(target.values, target.shape, { ...request.view, layout }, dim, target.overview);
          firstView = cut.view;
          pass = cut.range;
        }
        target.range = { pass, id: nextSummaryId(), channelDim: dim };
        target.idleRange = undefined;
        deferred.push(target);
      }
      const { channelRange, ...rest } = rangeSummary(target.values.length, target.range.pass);
      const known = request.knownSummary === target.range.id;
      summary = channelRange && known ? { ...rest, id: target.range.id, pending: true, channelRangeOmitted: true }
        // Not colouring per channel yet: the ranges (2 × 50,257 numbers for an embedding) come with the summary.
        : channelRange && request.deferChannelRange ? { ...rest, id: target.range.id, pending: true, channelRangePending: true }
          : { ...rest, ...(channelRange ? { channelRange } : {}), id: target.range.id, pending: true };
    } else {
      const full = fullSummaryOf(target, dim);
      // The client has this summary's channel ranges (it names the id): 2 × channels numbers not sent again.
      const { channelRange, ...rest } = full;
      summary = channelRange && request.knownSummary === full.id ? { ...rest, channelRangeOmitted: true } : full;
    }
    const view = firstView ?? tensorView(target.values, target.shape, { ...request.view, layout }, target.overview);
    if (target.overview === undefined) buildOverviewLater(target, layout);
    return { id, ok: true, shape: target.shape, dtype: target.dtype, summary, view, where: tensors.where };
  } catch (e) {
    return { id, ok: false, kind: 'failed', message: e instanceof Error ? e.stack ?? e.message : String(e) };
  }
}

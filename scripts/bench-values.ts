// The value-tier benchmark (run after the shape tier by `npm run bench`, or alone by
// `npm run bench:values`):
//
//   - forward latency of every corpus model (test/corpus/models/*.py with an inputs.json spec whose
//     PyTorch forward succeeds) on cpu and on webgpu: construction excluded, one warm-up run, then
//     the median of as many runs as a per-cell time budget allows; on webgpu a run is the forward
//     plus the readback of its outputs only. The warm-up run's outputs are checked against
//     PyTorch's (the corpus truth), so what is timed is a correct forward;
//   - matmul GFLOP/s at 256, 1024 and 4096 on webgpu (and cpu), each size capped by a time budget;
//   - the peers a user would pick instead, on the same machine and adapter, as ratios
//     peer time / NN Lens time (> 1: NN Lens is faster): PyTorch 1.13 (1 thread and default
//     threads), onnxruntime-node CPU and WebGPU execution providers (models exported by
//     torch.onnx.export at bench time), TensorFlow.js on its webgpu and cpu backends (LeNet and
//     ResNet-18 written in tfjs ops).
//
// A peer that cannot run says why in one line. `--json FILE` writes every number.
//
//   npm run bench:values [-- --only lenet,resnet18] [-- --json out.json] [-- --no-peers]
//                        [-- --adapter llvmpipe|swiftshader|gpu] [-- --budget-ms 1000]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { initParser, parsePython } from '../language-server/syntax/parse.ts';
import { Interpreter } from '../language-server/eval/interpreter.ts';
import { noSiblings } from '../language-server/eval/imports.ts';
import { PyClass } from '../language-server/eval/objects.ts';
import { formatException } from '../language-server/eval/exceptions.ts';
import { type ClassSpec, createInputs } from '../language-server/analysis/inputs.ts';
import { jsonToPython } from '../language-server/analysis/inspect.ts';
import { tensorLeaves } from '../language-server/analysis/values.ts';
import { Module } from '../runtime/nn/module.ts';
import { withRuntimeContext } from '../runtime/context.ts';
import { manualSeed, defaultGenerator } from '../runtime/torch/random.ts';
import { create } from '../runtime/ops/creation.ts';
import { matmul } from '../runtime/ops/matmul.ts';
import { float32 } from '../runtime/dtype.ts';
import type { Tensor } from '../runtime/tensor.ts';
import type { Kwargs, PyValue } from '../runtime/python/index.ts';
import {
  type WebGpuAdapterInfo, clearWebgpuFallbacks, destroyWebGpu, initWebGpu, readbackMany, waitForGpu, webgpuFallbacks,
} from '../runtime/devices/webgpu.ts';
import { currentGpu } from '../runtime/devices/webgpu-context.ts';
import '../runtime/kernels/cpu/index.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const corpusDir = path.join(root, 'test/corpus');
const peersDir = path.join(root, 'scripts/bench-peers');
const outDir = path.join(root, '.bench');
const python = '/usr/bin/python3';

// ------------------------------------------------------------------ timing policy

/** How many runs a cell gets: one warm-up, then as many as `budgetMs` allows, within [minRuns, maxRuns]. */
export interface Policy {
  budget_ms: number;
  min_runs: number;
  /** Models whose warm-up run takes longer than `big_ms` get `min_runs_big` runs (software adapters, VGG11). */
  min_runs_big: number;
  big_ms: number;
  max_runs: number;
}

const defaultPolicy: Policy = { budget_ms: 1000, min_runs: 3, min_runs_big: 2, big_ms: 4000, max_runs: 25 };

export interface Timing { median_ms: number; runs: number; first_ms: number; times_ms: number[] }
type Failure = { error: string } | { unavailable: string };
type Cell<T = Timing> = T | Failure;

const isTiming = (c: unknown): c is Timing => typeof c === 'object' && c !== null && 'median_ms' in c;

const gc = (globalThis as { gc?: () => void }).gc;
/** Collects garbage and lets finalizers run (webgpu buffers are freed by a FinalizationRegistry). */
async function collect(): Promise<void> {
  if (!gc) return;
  gc();
  await new Promise((r) => setImmediate(r));
}

/**
 * Times `run` under the policy; `afterWarmup` sees the warm-up run's result (correctness checks).
 * `warmup: false` (a matmul size too big for two runs in its budget) times the first run alone.
 */
async function timeRuns<T>(run: () => Promise<T> | T, policy: Policy, afterWarmup?: (r: T) => void, warmup = true): Promise<Timing> {
  await collect();
  let t = performance.now();
  const first = await run();
  const firstMs = performance.now() - t;
  if (!warmup) return { median_ms: firstMs, runs: 1, first_ms: firstMs, times_ms: [firstMs] };
  afterWarmup?.(first);
  const minRuns = firstMs > policy.big_ms ? policy.min_runs_big : policy.min_runs;
  const runs = Math.max(minRuns, Math.min(policy.max_runs, Math.floor(policy.budget_ms / Math.max(firstMs, 1e-3))));
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    if (firstMs > 20) await collect();
    t = performance.now();
    await run();
    times.push(performance.now() - t);
  }
  return { median_ms: median(times), runs, first_ms: firstMs, times_ms: times };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e)).split('\n')[0]!.slice(0, 200);

// ------------------------------------------------------------------ the corpus models in NN Lens

/** One corpus class with a run spec whose PyTorch forward succeeds (its truth file says `ok`). */
interface CorpusModel {
  /** `lenet.Net` */
  id: string;
  stem: string;
  className: string;
  file: string;
  spec: ClassSpec;
  params: number;
  /** PyTorch's first 16 output values per output tensor. */
  truth: { first16: number[] }[];
}

interface TruthFile {
  classes: { name: string; instance: { status: string; num_params?: number; forward?: { status: string; outputs?: { first16: number[] }[] } | null } | null }[];
}

function corpusModels(only: Set<string> | null): CorpusModel[] {
  const specs = JSON.parse(fs.readFileSync(path.join(corpusDir, 'inputs.json'), 'utf8')) as Record<string, Record<string, ClassSpec> | string>;
  const out: CorpusModel[] = [];
  for (const [stem, classes] of Object.entries(specs)) {
    if (typeof classes !== 'object' || stem.startsWith('_') || (only && !only.has(stem))) continue;
    const file = path.join(corpusDir, 'models', `${stem}.py`);
    const truthFile = path.join(corpusDir, 'models', `${stem}.truth.json`);
    if (!fs.existsSync(file) || !fs.existsSync(truthFile)) continue;
    const truth = JSON.parse(fs.readFileSync(truthFile, 'utf8')) as TruthFile;
    for (const [className, spec] of Object.entries(classes)) {
      const t = truth.classes.find((c) => c.name === className);
      if (t?.instance?.status !== 'ok' || t.instance.forward?.status !== 'ok' || !spec.inputs) continue;
      out.push({ id: `${stem}.${className}`, stem, className, file, spec, params: t.instance.num_params ?? 0, truth: t.instance.forward.outputs ?? [] });
    }
  }
  return out.sort((a, b) => a.id.localeCompare(b.id));
}

/**
 * Parses and evaluates the file, constructs the class (`torch.manual_seed(0); Cls(*args)`) and its
 * inputs (after `torch.manual_seed(1)`) on `device`, as `inspectSource` does; returns one forward.
 */
async function loadModel(m: CorpusModel, device: 'cpu' | 'webgpu'): Promise<() => Tensor[]> {
  await initParser();
  const parsed = parsePython(fs.readFileSync(m.file, 'utf8'));
  if (parsed.errors.length) throw new Error(`syntax error: ${parsed.errors[0]!.message}`);
  // The editor's step and memory budgets guard against runaway user code, not against work.
  const it = new Interpreter({ moduleName: m.stem, importer: noSiblings, budget: { maxSteps: Number.MAX_SAFE_INTEGER, maxElements: Number.MAX_SAFE_INTEGER, maxDepth: 200 } });
  const ctx = { device };
  const pyError = (e: unknown): Error => {
    const py = it.asPythonException(e);
    return new Error(py ? formatException(py) : message(e));
  };
  return withRuntimeContext(ctx, () => {
    const { firstError } = it.runModule(parsed.module.body);
    if (firstError) throw new Error(formatException(firstError));
    const cls = it.globals.vars.get(m.className);
    if (!(cls instanceof PyClass)) throw new Error(`${m.className} is not a class`);
    manualSeed(0);
    let model: PyValue;
    try {
      model = it.callValue(cls, (m.spec.args ?? []).map(jsonToPython), new Map(Object.entries(m.spec.kwargs ?? {}).map(([k, v]) => [k, jsonToPython(v)])));
    } catch (e) { throw pyError(e); }
    if (!(model instanceof Module)) throw new Error('the constructor did not return a module');
    model.train(false);
    manualSeed(1);
    const { tensors } = createInputs(m.spec.inputs ?? []);
    const kwargs: Kwargs = new Map(Object.entries(m.spec.forward_kwargs ?? {}).map(([k, v]) => [k, jsonToPython(v)]));
    return () => withRuntimeContext(ctx, () => {
      it.budget.steps = 0;
      it.budget.elements = 0;
      try {
        return tensorLeaves(it.callValue(model, tensors, kwargs)).map(([, t]) => t);
      } catch (e) { throw pyError(e); }
    });
  });
}

/** null when the first output values match PyTorch's (the warm-up run draws the oracle's random numbers). */
function checkTruth(m: CorpusModel, values: ArrayLike<number | bigint>[]): string | null {
  if (values.length !== m.truth.length) return `${values.length} output tensors, PyTorch has ${m.truth.length}`;
  for (let i = 0; i < values.length; i++) {
    const want = m.truth[i]!.first16;
    for (let k = 0; k < want.length; k++) {
      const got = Number(values[i]![k]);
      if (!(Math.abs(got - want[k]!) <= 1e-4 + 1e-3 * Math.abs(want[k]!))) return `output ${i} value ${k} is ${got}, PyTorch's is ${want[k]}`;
    }
  }
  return null;
}

interface NnlensCell extends Timing { construct_ms: number; mismatch: string | null; fallbacks: string[] }

async function benchNnlens(m: CorpusModel, device: 'cpu' | 'webgpu', policy: Policy): Promise<Cell<NnlensCell>> {
  try {
    clearWebgpuFallbacks();
    const t0 = performance.now();
    const forward = await loadModel(m, device);
    const constructMs = performance.now() - t0;
    let mismatch: string | null = null;
    const run = async (): Promise<ArrayLike<number | bigint>[]> => {
      const outs = forward();
      if (device === 'webgpu') return await readbackMany(outs) as ArrayLike<number | bigint>[];
      return outs.map((t) => t.data as ArrayLike<number | bigint>);
    };
    const timing = await timeRuns(run, policy, (values) => { mismatch = checkTruth(m, values); });
    const fallbacks = device === 'webgpu' ? [...new Set(webgpuFallbacks().map((f) => `${f.op}: ${f.reason}`))] : [];
    return { ...timing, construct_ms: constructMs, mismatch, fallbacks };
  } catch (e) {
    return { error: message(e) };
  }
}

// ------------------------------------------------------------------ matmul

interface MatmulCell { gflops: number; ms: number; runs: number }

const flops = (n: number): number => 2 * n ** 3;

/**
 * n×n matmuls: `runner(n)` prepares the operands and returns one run (a product, waited for, not
 * read back). Sizes are measured in increasing order; from the previous size's rate, a size whose
 * estimated run exceeds the size budget is skipped (with the estimate), and one whose run exceeds
 * a quarter of it gets a single run without warm-up (its kernel was compiled at the smaller sizes).
 */
async function benchMatmulSizes(
  sizes: number[], sizeBudgetMs: number, policy: Policy,
  runner: (n: number) => Promise<() => Promise<void>>,
): Promise<Record<number, Cell<MatmulCell>>> {
  const out: Record<number, Cell<MatmulCell>> = {};
  let rate = 0; // GFLOP/s of the last size that ran
  for (const n of sizes) {
    const estimateMs = rate > 0 ? flops(n) / (rate * 1e6) : 0;
    if (estimateMs > sizeBudgetMs) {
      out[n] = { unavailable: `skipped: about ${(estimateMs / 1000).toFixed(0)} s per product at ${rate.toFixed(1)} GFLOP/s, over the ${(sizeBudgetMs / 1000).toFixed(0)} s budget for one size` };
      continue;
    }
    try {
      const run = await runner(n);
      const sizePolicy: Policy = { ...policy, budget_ms: Math.min(policy.budget_ms, sizeBudgetMs / 4), min_runs: 3, min_runs_big: 1 };
      const t = await timeRuns(run, sizePolicy, undefined, estimateMs <= sizeBudgetMs / 4);
      rate = flops(n) / (t.median_ms * 1e6);
      out[n] = { gflops: rate, ms: t.median_ms, runs: t.runs };
    } catch (e) {
      out[n] = { error: message(e) };
      break;
    }
  }
  return out;
}

function nnlensMatmul(device: 'cpu' | 'webgpu') {
  return async (n: number): Promise<() => Promise<void>> => withRuntimeContext({ device }, () => {
    const generator = defaultGenerator();
    manualSeed(0);
    const make = (): Tensor => create({ shape: [n, n], dtype: float32, fill: { kind: 'random', distribution: { kind: 'normal', mean: 0, std: 1 }, generator } });
    const a = make();
    const b = make();
    return async () => {
      withRuntimeContext({ device }, () => matmul(a, b));
      if (device === 'webgpu') await waitForGpu();
    };
  });
}

// ------------------------------------------------------------------ peers

/** Runs a Python peer script with a JSON job; its stdout is JSON. */
function runPython(script: string, job: unknown, extraArgs: string[] = [], timeoutMs = 300_000): { ok: true; value: unknown } | { ok: false; reason: string } {
  if (!fs.existsSync(python)) return { ok: false, reason: `${python} not found (Debian: apt-get install python3-torch)` };
  fs.mkdirSync(outDir, { recursive: true });
  const jobFile = path.join(outDir, `${path.basename(script, '.py')}.job.json`);
  fs.writeFileSync(jobFile, JSON.stringify(job));
  const r = spawnSync(python, [path.join(peersDir, script), jobFile, ...extraArgs], { encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 * 2 ** 20 });
  if (r.error) return { ok: false, reason: message(r.error) };
  if (r.status !== 0) {
    const last = (r.stderr || '').trim().split('\n').pop() ?? '';
    return { ok: false, reason: /No module named 'torch'/.test(r.stderr) ? 'PyTorch is not installed for /usr/bin/python3 (apt-get install python3-torch)' : `exit ${r.status}: ${last}` };
  }
  try { return { ok: true, value: JSON.parse(r.stdout) }; } catch (e) { return { ok: false, reason: `unreadable output: ${message(e)}` }; }
}

const jobModels = (models: CorpusModel[]): unknown[] => models.map((m) => ({ id: m.id, file: m.file, class: m.className, spec: m.spec }));

type TorchMatmul = (Timing & { gflops: number }) | { skipped: string };
interface TorchOut {
  torch: string; default_threads: number; cpu_count: number;
  models: Record<string, { '1'?: Timing; default?: Timing; error?: string }>;
  matmul: Record<string, { '1'?: TorchMatmul; default?: TorchMatmul }>;
}

interface OnnxManifest { torch: string; opset: number; models: Record<string, { file?: string; inputs?: import('./bench-peers/ort.ts').OnnxInput[]; error?: string; cached?: boolean }> }

/** LeNet and ResNet-18: the models the tfjs peer defines and the slow (GPU-emulating) peers run. */
const peerModelIds = ['lenet.Net', 'resnet18.ResNet18'];

// ------------------------------------------------------------------ the run

export interface PeerResult { label: string; versus: string; note?: string; models: Record<string, Cell> }

export interface ValueBenchResult {
  machine: { cpus: number; cpu_model: string; loadavg_start: number[]; loadavg_end?: number[]; node: string };
  policy: Policy;
  adapter: { info: WebGpuAdapterInfo | null; software: boolean | null; reason?: string };
  models: { id: string; params: number; cpu: Cell<NnlensCell>; webgpu: Cell<NnlensCell> }[];
  /** NN Lens on SwiftShader, for the onnxruntime WebGPU EP's comparison (it cannot use llvmpipe). */
  swiftshader: { info: WebGpuAdapterInfo | null; reason?: string; models: Record<string, Cell<NnlensCell>> } | null;
  matmul: { sizes: number[]; size_budget_ms: number; rows: Record<string, Record<number, Cell<MatmulCell>>> };
  peers: Record<string, PeerResult>;
  notes: string[];
  elapsed_s: number;
}

export interface ValueBenchOptions {
  only: Set<string> | null;
  peers: boolean;
  adapter: 'auto' | 'llvmpipe' | 'swiftshader' | 'gpu';
  policy: Policy;
  matmulSizes: number[];
  matmulBudgetMs: number;
}

export function parseValueBenchArgs(argv: string[]): ValueBenchOptions & { json: string } {
  const opt = (name: string, dflt: string): string => { const i = argv.indexOf(`--${name}`); return i >= 0 ? argv[i + 1]! : dflt; };
  const adapter = opt('adapter', process.env.NNLENS_WEBGPU_ADAPTER ?? 'auto');
  return {
    only: opt('only', '') ? new Set(opt('only', '').split(',')) : null,
    peers: !argv.includes('--no-peers'),
    adapter: (['llvmpipe', 'swiftshader', 'gpu'].includes(adapter) ? adapter : 'auto') as ValueBenchOptions['adapter'],
    policy: { ...defaultPolicy, budget_ms: Number(opt('budget-ms', String(defaultPolicy.budget_ms))) },
    matmulSizes: opt('matmul', '256,1024,4096').split(',').map(Number).filter((n) => n > 0),
    matmulBudgetMs: Number(opt('matmul-budget-s', '20')) * 1000,
    json: opt('json', ''),
  };
}

const progress = (line: string): void => { process.stdout.write(`  … ${line}\n`); };

export async function runValueBench(o: ValueBenchOptions): Promise<ValueBenchResult> {
  const start = performance.now();
  const notes: string[] = [];
  const models = corpusModels(o.only);
  const result: ValueBenchResult = {
    machine: { cpus: os.cpus().length, cpu_model: os.cpus()[0]?.model ?? '?', loadavg_start: os.loadavg(), node: process.version },
    policy: o.policy,
    adapter: { info: null, software: null },
    models: [],
    swiftshader: null,
    matmul: { sizes: o.matmulSizes, size_budget_ms: o.matmulBudgetMs, rows: {} },
    peers: {},
    notes,
    elapsed_s: 0,
  };
  console.log(`\nNN Lens value tier: forward latency and matmul throughput, with peers on the same machine`);
  console.log(`machine: ${result.machine.cpus} × ${result.machine.cpu_model}, Node ${process.version}, load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')} at start`);

  // ---- the adapter
  const init = await initWebGpu({ adapter: o.adapter });
  if (init.ok) {
    const info = init.adapterInfo;
    result.adapter = { info, software: info.kind === 'cpu-emulated' };
    console.log(`webgpu adapter: ${adapterName(info)} (source ${info.source}; ${info.backend === 'opengl' ? "Dawn's OpenGL backend, compatibility feature level" : "Dawn's default backend (Vulkan on Linux)"}; ${info.kind === 'cpu-emulated' ? 'a SOFTWARE adapter: GPU work is emulated on the CPU cores' : 'a hardware GPU'}; kernels: ${info.kernelStyle})`);
  } else {
    result.adapter = { info: null, software: null, reason: init.reason };
    console.log(`webgpu: unavailable: ${init.reason}`);
  }
  const p = o.policy;
  console.log(`timing: construction excluded; 1 warm-up run, then runs until ${p.budget_ms} ms are spent (${p.min_runs}–${p.max_runs} runs; a model whose warm-up takes over ${p.big_ms / 1000} s gets ${p.min_runs_big} runs: fewer iterations for big models on software adapters); median reported`);

  // ---- NN Lens on cpu and webgpu
  let t = performance.now();
  for (const m of models) {
    const cpu = await benchNnlens(m, 'cpu', p);
    result.models.push({ id: m.id, params: m.params, cpu, webgpu: { unavailable: 'not measured' } });
  }
  progress(`NN Lens cpu: ${models.length} model(s) in ${((performance.now() - t) / 1000).toFixed(0)} s`);
  t = performance.now();
  for (const row of result.models) {
    const m = models.find((x) => x.id === row.id)!;
    row.webgpu = init.ok ? await benchNnlens(m, 'webgpu', p) : { unavailable: init.reason };
  }
  if (init.ok) progress(`NN Lens webgpu: ${models.length} model(s) in ${((performance.now() - t) / 1000).toFixed(0)} s`);

  // ---- matmul
  t = performance.now();
  result.matmul.rows['NN Lens webgpu'] = init.ok
    ? await benchMatmulSizes(o.matmulSizes, o.matmulBudgetMs, p, nnlensMatmul('webgpu'))
    : Object.fromEntries(o.matmulSizes.map((n) => [n, { unavailable: `unavailable: ${init.reason}` }]));
  result.matmul.rows['NN Lens cpu'] = await benchMatmulSizes(o.matmulSizes, o.matmulBudgetMs, p, nnlensMatmul('cpu'));
  progress(`matmul (NN Lens) in ${((performance.now() - t) / 1000).toFixed(0)} s`);

  if (o.peers) await runPeers(o, models, result, init.ok ? init.adapterInfo : null, init.ok ? null : init.reason);

  result.machine.loadavg_end = os.loadavg();
  result.elapsed_s = (performance.now() - start) / 1000;
  printReport(result, models);
  destroyWebGpu();
  return result;
}

function adapterName(info: WebGpuAdapterInfo): string {
  return [info.description, info.device].filter(Boolean).join(' / ') || info.vendor || 'unnamed adapter';
}

async function runPeers(o: ValueBenchOptions, models: CorpusModel[], result: ValueBenchResult, adapter: WebGpuAdapterInfo | null, noAdapter: string | null): Promise<void> {
  const { notes } = result;
  const peerModels = models.filter((m) => peerModelIds.includes(m.id));
  const nnlensWebgpu = adapter ? `NN Lens webgpu (${adapter.source})` : 'NN Lens webgpu';
  const peer = (key: string, label: string, versus: string): PeerResult => (result.peers[key] = { label, versus, models: {} });

  // ---- TensorFlow.js (same process, same Dawn adapter)
  let t = performance.now();
  const tfjsGpu = peer('tfjs-webgpu', '@tensorflow/tfjs-backend-webgpu', nnlensWebgpu);
  const tfjsCpu = peer('tfjs-cpu', '@tensorflow/tfjs-backend-cpu (JavaScript, 1 thread)', 'NN Lens cpu');
  let tfjs: typeof import('./bench-peers/tfjs-models.ts') | null = null;
  try {
    tfjs = await import('./bench-peers/tfjs-models.ts');
    tfjs.tf.enableProdMode(); // no "install tfjs-node" banner, no debug checks
    tfjsGpu.label += ` ${tfjs.tf.version_core}`;
    tfjsCpu.label = tfjsCpu.label.replace(' (', ` ${tfjs.tf.version_core} (`);
  } catch (e) {
    const why = `@tensorflow/tfjs-core could not be loaded (${message(e)}); npm install`;
    tfjsGpu.note = why; tfjsCpu.note = why;
  }
  if (tfjs) {
    const runModels = async (target: PeerResult): Promise<void> => {
      for (const id of peerModelIds) {
        if (!peerModels.some((m) => m.id === id)) continue;
        try {
          const model = tfjs.tfjsModels[id]!();
          const x = tfjs.tf.randomNormal(model.input);
          target.models[id] = await timeRuns(() => tfjs.runOnce(model, x), o.policy);
          model.dispose(); x.dispose();
        } catch (e) { target.models[id] = { error: message(e) }; }
      }
    };
    const ctx = currentGpu();
    if (!adapter || !ctx) {
      tfjsGpu.note = `no WebGPU adapter: ${noAdapter}`;
    } else {
      try {
        // The webgpu package's globals (GPUBufferUsage, ...), which tfjs reads.
        const { globals } = await import('webgpu') as unknown as { globals: Record<string, unknown> };
        for (const [k, v] of Object.entries(globals)) if (!(k in globalThis)) Object.assign(globalThis, { [k]: v });
        const { name, release } = await tfjs.useTfjsWebgpu({
          gpu: ctx.gpu,
          requestOptions: adapter.backend === 'opengl' ? { featureLevel: 'compatibility' } as GPURequestAdapterOptions : { powerPreference: 'high-performance' },
        });
        try {
          tfjsGpu.note = `on ${name}: a device of its own on the same Dawn adapter as NN Lens`;
          await runModels(tfjsGpu);
          result.matmul.rows['tfjs-webgpu'] = await benchMatmulSizes(o.matmulSizes, o.matmulBudgetMs, o.policy, async (n) => {
            const { a, b } = tfjs.matmulOperands(n);
            return async () => {
              const c = tfjs.tf.matMul(a, b);
              const corner = tfjs.tf.slice(c, [0, 0], [1, 1]);
              await corner.data(); // waits for the product; reads back one value
              c.dispose(); corner.dispose();
            };
          });
        } finally {
          release();
        }
      } catch (e) {
        tfjsGpu.note = `tfjs webgpu backend failed: ${message(e)}`;
      }
    }
    try {
      await tfjs.useTfjsCpu();
      await runModels(tfjsCpu);
    } catch (e) {
      tfjsCpu.note = `tfjs cpu backend failed: ${message(e)}`;
    }
    progress(`TensorFlow.js peers in ${((performance.now() - t) / 1000).toFixed(0)} s`);
  }

  // ---- PyTorch
  t = performance.now();
  const torch1 = peer('torch-1', 'torch 1 thread', 'NN Lens cpu');
  const torchN = peer('torch-default', 'torch default threads', 'NN Lens cpu');
  const tr = runPython('torch_forward.py', { models: jobModels(models), matmul: o.matmulSizes, matmul_budget_ms: o.matmulBudgetMs, policy: o.policy });
  if (!tr.ok) {
    torch1.note = torchN.note = `PyTorch could not run: ${tr.reason}`;
  } else {
    const out = tr.value as TorchOut;
    torch1.label = `PyTorch ${out.torch} (CPU), torch.set_num_threads(1)`;
    torchN.label = `PyTorch ${out.torch} (CPU), default threads: ${out.default_threads}`;
    if (out.default_threads === 1 && out.cpu_count > 1) {
      torchN.note = `torch.get_num_threads() is 1 by default here (OpenMP's limit, with ${out.cpu_count} CPUs): the same configuration as torch-1, whose numbers this column repeats`;
    }
    for (const m of models) {
      const r = out.models[m.id];
      torch1.models[m.id] = r?.['1'] ?? { error: r?.error ?? 'no result' };
      torchN.models[m.id] = r?.default ?? { error: r?.error ?? 'no result' };
    }
    for (const [label, key] of [['torch (1 thread)', '1'], [`torch (default, ${out.default_threads} thr.)`, 'default']] as const) {
      result.matmul.rows[label] = Object.fromEntries(o.matmulSizes.map((n): [number, Cell<MatmulCell>] => {
        const r = out.matmul[String(n)]?.[key];
        if (!r) return [n, { error: 'no result' }];
        return [n, 'skipped' in r ? { unavailable: `skipped: ${r.skipped}` } : { gflops: r.gflops, ms: r.median_ms, runs: r.runs }];
      }));
    }
  }
  progress(`PyTorch peer in ${((performance.now() - t) / 1000).toFixed(0)} s`);

  // ---- onnxruntime-node: export, then CPU EP (1 thread and default), then WebGPU EP
  t = performance.now();
  const ortCpu1 = peer('ort-cpu-1', 'onnxruntime-node CPU EP, intraOpNumThreads 1', 'NN Lens cpu');
  const ortCpuN = peer('ort-cpu-default', 'onnxruntime-node CPU EP, default threads', 'NN Lens cpu');
  const ortGpu = peer('ort-webgpu', 'onnxruntime-node WebGPU EP', 'NN Lens webgpu (swiftshader)');
  const ortMod = await import('./bench-peers/ort.ts');
  const loaded = await ortMod.loadOrt();
  if (!('error' in loaded)) for (const x of [ortCpu1, ortCpuN, ortGpu]) x.label = x.label.replace('onnxruntime-node', `onnxruntime-node ${loaded.version}`);
  let manifest: OnnxManifest | null = null;
  if ('error' in loaded) {
    ortCpu1.note = ortCpuN.note = ortGpu.note = loaded.error;
  } else {
    const ex = runPython('export_onnx.py', { models: jobModels(models) }, [path.join(outDir, 'onnx')]);
    if (!ex.ok) {
      ortCpu1.note = ortCpuN.note = ortGpu.note = `torch.onnx.export could not run: ${ex.reason}`;
    } else {
      manifest = ex.value as OnnxManifest;
      const failed = Object.entries(manifest.models).filter(([, r]) => r.error);
      for (const [id, r] of failed) notes.push(`ONNX export failed for ${id} (no onnxruntime numbers): ${r.error!.replace(/ Please feel free.*$/, '').slice(0, 160)}`);
      const cached = Object.values(manifest.models).filter((r) => r.cached && !r.error).length;
      const ok = Object.keys(manifest.models).length - failed.length;
      progress(`torch.onnx.export (opset ${manifest.opset}): ${ok} model(s) in .bench/onnx (${ok - cached} exported now, ${cached} reused: unchanged), ${failed.length} failed`);
      const { ort } = loaded;
      for (const [target, threads] of [[ortCpu1, 1], [ortCpuN, 0]] as const) {
        for (const m of models) {
          const r = manifest.models[m.id];
          if (!r?.file || !r.inputs) { target.models[m.id] = { unavailable: r?.error ? 'export failed' : 'not exported' }; continue; }
          try {
            const s = await ortMod.ortSession(ort, r.file, r.inputs, { provider: 'cpu', threads });
            target.models[m.id] = await timeRuns(s.run, o.policy);
            await s.release();
          } catch (e) { target.models[m.id] = { error: message(e) }; }
        }
      }
      progress(`onnxruntime cpu in ${((performance.now() - t) / 1000).toFixed(0)} s`);
    }
  }

  // ---- the WebGPU EP: its Dawn has only the Vulkan/D3D12 backends. On a Vulkan adapter it
  // shares NN Lens's kind of adapter; with NN Lens on llvmpipe (OpenGL) it can only use
  // SwiftShader, so NN Lens is measured on SwiftShader too for those rows.
  t = performance.now();
  if (!('error' in loaded) && !loaded.providers.includes('webgpu')) {
    ortGpu.note = `this onnxruntime-node build has no WebGPU execution provider (bundled: ${loaded.providers.join(', ')})`;
  } else if (!('error' in loaded) && manifest) {
    let versus: { info: WebGpuAdapterInfo | null; reason?: string; models: Record<string, Cell<NnlensCell>> } | null = null;
    if (adapter && adapter.backend !== 'opengl') {
      ortGpu.versus = nnlensWebgpu;
      versus = { info: adapter, models: Object.fromEntries(result.models.map((r) => [r.id, r.webgpu])) };
    } else {
      destroyWebGpu();
      const sw = await initWebGpu({ adapter: 'swiftshader' });
      versus = { info: sw.ok ? sw.adapterInfo : null, models: {} };
      if (!sw.ok) {
        versus.reason = sw.reason;
        ortGpu.note = `no SwiftShader adapter for the WebGPU EP (its Dawn has no OpenGL backend, so it cannot use llvmpipe): ${sw.reason}`;
      } else {
        for (const m of peerModels) versus.models[m.id] = await benchNnlens(m, 'webgpu', o.policy);
      }
      result.swiftshader = versus;
    }
    if (!ortGpu.note) {
      for (const m of peerModels) {
        const r = manifest.models[m.id];
        if (!r?.file || !r.inputs) { ortGpu.models[m.id] = { unavailable: r?.error ? 'export failed' : 'not exported' }; continue; }
        try {
          const s = await ortMod.ortSession((loaded as { ort: typeof import('onnxruntime-node') }).ort, r.file, r.inputs, { provider: 'webgpu' });
          ortGpu.models[m.id] = await timeRuns(s.run, o.policy);
          await s.release();
        } catch (e) { ortGpu.models[m.id] = { error: message(e) }; }
      }
      if (versus.info) ortGpu.note = `its own Dawn, Vulkan backend: ${adapterName(versus.info)}${adapter && adapter.backend === 'opengl' ? ' (it has no OpenGL backend, so not llvmpipe)' : ''}`;
    }
    progress(`onnxruntime webgpu${result.swiftshader ? ' and NN Lens on SwiftShader' : ''} in ${((performance.now() - t) / 1000).toFixed(0)} s`);
  }
}

// ------------------------------------------------------------------ report

const pad = (s: string | number, n: number): string => String(s).padStart(n);
const ms = (x: number): string => (x >= 1000 ? x.toFixed(0) : x >= 100 ? x.toFixed(1) : x >= 10 ? x.toFixed(2) : x.toFixed(3));

function cellText(c: Cell<Timing> | undefined): string {
  if (!c) return '-';
  if (isTiming(c)) return `${ms(c.median_ms)}${c.runs < 3 ? '*' : ''}`;
  return 'error' in c ? 'error' : 'n/a';
}

function printReport(r: ValueBenchResult, models: CorpusModel[]): void {
  const sw = r.swiftshader;
  console.log(`\nForward latency, ms (median; * = fewer than 3 timed runs). cpu: NN Lens's TypeScript kernels, 1 thread. webgpu: ${r.adapter.info ? `${r.adapter.info.source}, forward + readback of the outputs` : `unavailable: ${r.adapter.reason}`}`);
  console.log(`vs PyTorch: the warm-up run's outputs (first 16 values) match PyTorch's (corpus truth) within 1e-4 + 1e-3·|x|`);
  const idWidth = Math.max(26, ...r.models.map((x) => x.id.length + 2));
  console.log(`${'model'.padEnd(idWidth)}${pad('params', 12)}${pad('cpu', 10)}${pad('runs', 5)}${pad('webgpu', 10)}${pad('runs', 5)}${sw?.info ? pad('swiftshader', 12) : ''}  vs PyTorch`);
  const problems: string[] = [];
  for (const row of r.models) {
    const c = row.cpu, g = row.webgpu, s = sw?.models[row.id];
    const check = [c, g, s].map((x) => (x && isTiming(x) ? (x as NnlensCell).mismatch : null));
    const checked = [c, g, s].filter((x) => x && isTiming(x)).length;
    const verdict = check.some((x) => x) ? 'MISMATCH' : checked ? 'ok' : '-';
    console.log(`${row.id.padEnd(idWidth)}${pad(row.params.toLocaleString('en-US'), 12)}${pad(cellText(c), 10)}${pad(isTiming(c) ? c.runs : '', 5)}${pad(cellText(g), 10)}${pad(isTiming(g) ? g.runs : '', 5)}${sw?.info ? pad(s ? cellText(s) : '', 12) : ''}  ${verdict}`);
    for (const [dev, x] of [['cpu', c], ['webgpu', g], ['swiftshader', s]] as const) {
      if (!x) continue;
      if ('error' in x) problems.push(`${row.id} on ${dev}: ${x.error}`);
      else if ('unavailable' in x && dev === 'webgpu' && x.unavailable !== r.adapter.reason) problems.push(`${row.id} on ${dev}: ${x.unavailable}`);
      else if (isTiming(x)) {
        const n = x as NnlensCell;
        if (n.mismatch) problems.push(`${row.id} on ${dev}: output differs from PyTorch's: ${n.mismatch}`);
        if (n.fallbacks.length) problems.push(`${row.id} on ${dev}: ${n.fallbacks.length} op kind(s) ran on the CPU: ${n.fallbacks.slice(0, 3).join('; ')}`);
      }
    }
  }
  for (const line of problems) console.log(`  ! ${line}`);
  if (!r.adapter.info) console.log(`webgpu column: unavailable: ${r.adapter.reason}`);
  const cpuTotal = r.models.reduce((a, x) => a + (isTiming(x.cpu) ? x.cpu.median_ms : 0), 0);
  const gpuTotal = r.models.reduce((a, x) => a + (isTiming(x.webgpu) ? x.webgpu.median_ms : 0), 0);
  console.log(`sum of medians: cpu ${ms(cpuTotal)} ms${r.adapter.info ? `, webgpu ${ms(gpuTotal)} ms` : ''}`);

  // ---- matmul
  const rows = Object.entries(r.matmul.rows);
  if (rows.length) {
    console.log(`\nmatmul n×n float32, GFLOP/s (ms per product); a run is one product, waited for, not read back. Sizes in order; a size whose`);
    console.log(`estimated run (from the previous size) exceeds ${r.matmul.size_budget_ms / 1000} s is skipped, one over ${r.matmul.size_budget_ms / 4000} s gets a single run without warm-up`);
    console.log(`${''.padEnd(28)}${r.matmul.sizes.map((n) => pad(`n=${n}`, 24)).join('')}`);
    const ours = r.matmul.rows['NN Lens webgpu'];
    const oursCpu = r.matmul.rows['NN Lens cpu'];
    const skipped: string[] = [];
    for (const [label, cells] of rows) {
      const versus = label.startsWith('tfjs-webgpu') ? ours : label.startsWith('torch') ? oursCpu : null;
      const text = r.matmul.sizes.map((n) => {
        const c = cells[n];
        if (!c) return pad('-', 24);
        if (!('gflops' in c)) {
          const why = 'error' in c ? `error: ${c.error}` : c.unavailable;
          const line = why.startsWith('unavailable') ? `${label}: ${why}` : `${label} n=${n}: ${why}`;
          if (!skipped.includes(line)) skipped.push(line);
          return pad('error' in c ? 'error' : why.startsWith('skipped') ? 'skipped' : 'n/a', 24);
        }
        const base = versus?.[n];
        const ratio = base && 'gflops' in base ? ` ×${(base.gflops / c.gflops).toFixed(2)}` : '';
        return pad(`${c.gflops.toFixed(2)} (${ms(c.ms)})${c.runs < 3 ? `*${c.runs}` : ''}${ratio}`, 24);
      }).join('');
      console.log(`${label.padEnd(28)}${text}`);
    }
    for (const s of skipped) console.log(`  ${s}`);
    console.log('  ×: peer time / NN Lens time on the same device kind (tfjs-webgpu vs NN Lens webgpu, torch vs NN Lens cpu); *N: N runs');
  }

  // ---- peers
  const peers = Object.entries(r.peers);
  if (!peers.length) { console.log('\npeers: not run (--no-peers)'); return; }
  const nnlensCell = (versus: string, id: string): Cell<NnlensCell> | undefined => {
    const row = r.models.find((x) => x.id === id);
    if (versus === 'NN Lens cpu') return row?.cpu;
    if (versus === 'NN Lens webgpu (swiftshader)' && sw) return sw.models[id];
    return row?.webgpu;
  };
  const width = 17;
  console.log(`\nPeers: ratio = peer ms / NN Lens ms on the same device (> 1: NN Lens is faster); peer median ms in parentheses`);
  console.log(`${'model'.padEnd(idWidth)}${peers.map(([k]) => pad(k, width)).join('')}`);
  const side = (versus: string): string => versus.replace('NN Lens ', '').replace(/^webgpu \((.*)\)$/, '$1');
  console.log(`${'  vs NN Lens on:'.padEnd(idWidth)}${peers.map(([, v]) => pad(side(v.versus), width)).join('')}`);
  const logs: number[][] = peers.map(() => []);
  for (const m of models) {
    const cells = peers.map(([, v], i) => {
      const c = v.models[m.id];
      if (!c) return pad('', width);
      if (!isTiming(c)) return pad('error' in c ? 'error' : 'n/a', width);
      const base = nnlensCell(v.versus, m.id);
      if (!base || !isTiming(base)) return pad(`- (${ms(c.median_ms)})`, width);
      const ratio = c.median_ms / base.median_ms;
      logs[i]!.push(Math.log(ratio));
      return pad(`${ratio >= 10 ? ratio.toFixed(1) : ratio.toFixed(2)}${c.runs < 3 || base.runs < 3 ? '*' : ''} (${ms(c.median_ms)})`, width);
    });
    if (cells.every((c) => !c.trim())) continue;
    console.log(`${m.id.padEnd(idWidth)}${cells.join('')}`);
  }
  console.log(`${'geometric mean of ratios'.padEnd(idWidth)}${logs.map((l) => pad(l.length ? Math.exp(l.reduce((a, b) => a + b, 0) / l.length).toFixed(2) : '-', width)).join('')}`);
  console.log(`${'models compared'.padEnd(idWidth)}${logs.map((l) => pad(l.length, width)).join('')}`);
  for (const [key, v] of peers) {
    const errors = Object.entries(v.models).filter(([, c]) => 'error' in c).map(([id, c]) => `${id}: ${(c as { error: string }).error}`);
    console.log(`  ${key}: ${v.label}${v.note ? ` — ${v.note}` : ''}${errors.length ? ` — errors: ${errors.slice(0, 3).join('; ')}${errors.length > 3 ? ` (+${errors.length - 3})` : ''}` : ''}`);
  }
  const tfjsOnly = peerModelIds.join(', ');
  console.log(`  tfjs peers run ${tfjsOnly} (written in tfjs ops, NHWC, random weights); onnxruntime webgpu runs ${tfjsOnly} (software adapters make it slow); the others every corpus model`);
  if (sw?.info) console.log(`  ort-webgpu is compared with NN Lens on the same SwiftShader adapter (${adapterName(sw.info)}), the swiftshader column above`);
  for (const n of r.notes) console.log(`  ${n}`);
  console.log(`\nvalue tier bench: ${r.elapsed_s.toFixed(0)} s; load average ${r.machine.loadavg_end?.map((x) => x.toFixed(1)).join(' ')} at the end (other processes on this machine slow every column alike, but not exactly)`);
}

// ------------------------------------------------------------------ main

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const options = parseValueBenchArgs(process.argv.slice(2));
  const result = await runValueBench(options);
  if (options.json) fs.writeFileSync(options.json, JSON.stringify(result, null, 1));
}

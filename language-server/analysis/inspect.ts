// Analysis of one Python file: parse, evaluate the module (as `import` would), then construct
// every nn.Module class defined in it and trace its forward on the chosen device. Never throws
// for problems in user code: they are data (errors with lines, diagnostics with ranges).
import { type Kwargs, PyFloat, PyList, type PyValue, PyDict } from '../../runtime/python/index.ts';
import { Module, withReprMemo } from '../../runtime/nn/module.ts';
import { withCallTracer } from '../../runtime/nn/call-tracer.ts';
import { withRuntimeContext, type RuntimeContext } from '../../runtime/context.ts';
import type { DeviceKind, Tensor } from '../../runtime/tensor.ts';
import { initParser, parsePython } from '../syntax/parse.ts';
import type * as ast from '../syntax/ast.ts';
import { Interpreter, UnsupportedSignal } from '../eval/interpreter.ts';
import { BudgetExceeded, PyException, formatException } from '../eval/exceptions.ts';
import { PyClass, PyFunction } from '../eval/objects.ts';
import { className, isModuleClass, lookupInMro } from '../eval/classes.ts';
import { type Importer, noSiblings } from '../eval/imports.ts';
import { ForwardTraceRecorder, shapeStruct, type ValueObserver } from './trace.ts';
import { BindingRecorder } from './bindings.ts';
import type { ClassReport, ErrorInfo, FileReport, ForwardReport, InputInfo, InputSource, InstanceReport } from './report.ts';
import { type InputSpec, type ClassSpec, chooseInputs, createInputs } from './inputs.ts';
import { defaultEngine, manualSeed } from '../../runtime/torch/random.ts';
import { type RngState, bufferDetails, firstValues, outputValues, parameterDetails, rngState, sha256, tensorLeaves, tensorStats } from './values.ts';

export interface InspectOptions {
  device?: DeviceKind;
  /** Only this class. */
  className?: string;
  /** `--input 1,1,28,28`: one randn input for every class. */
  input?: number[];
  /** The file's entry of a corpus-style `inputs.json`: class name -> run spec. */
  spec?: Record<string, ClassSpec>;
  torch2Repr?: boolean;
  /** Resolves sibling imports; the analysis never touches the file system itself. */
  importerFactory?: (fileName: string) => Importer;
  /**
   * Value devices whose results live off the host (webgpu): makes `t.data` hold the values
   * (the device module's read-back). Called after each class for the parameters, buffers and
   * outputs it left off the host.
   */
  materialize?: (t: Tensor) => Promise<void>;
  /**
   * Value devices: `torch.manual_seed(seed)` before construction and `manual_seed(seed + 1)` before
   * the inputs. Default 0 (the corpus convention: 0, then 1).
   */
  seed?: number;
  /** Value runs: hands the constructed model and every module call's output to the caller (trace.ts). */
  valueObserver?: ValueObserver;
  /** The file already parsed (the language server parses each version once, incrementally); `timings_ms.parse` then excludes it. */
  parsed?: ast.ParseResult;
}

/**
 * Value fields waiting for tensors whose values are still on the device (see `materialize`), per
 * evaluation: once `tensors` are read back, `finish` fills the report; `fail` says why it could not.
 */
interface DeferredValues { tensors: Tensor[]; finish: () => void; fail: (message: string) => void }
const deferredValues = new WeakMap<Interpreter, DeferredValues[]>();

function defer(it: Interpreter, job: DeferredValues): void {
  deferredValues.set(it, [...(deferredValues.get(it) ?? []), job]);
}

interface TopLevelCall { module: Module; args: PyValue[]; kwargs: Kwargs; line: number }

export async function inspectSource(source: string, fileName: string, options: InspectOptions = {}): Promise<FileReport> {
  await initParser();
  // Value devices run the cpu kernels (webgpu falls back to them for ops it has no shader for).
  if (options.device !== undefined && options.device !== 'meta') await import('../../runtime/kernels/cpu/index.ts');
  const t0 = performance.now();
  const parsed = options.parsed ?? parsePython(source);
  const t1 = performance.now();
  const stem = fileName.replace(/^.*[\\/]/, '').replace(/\.py$/, '');
  const ctx: Partial<RuntimeContext> = { device: options.device ?? 'meta', torch2Repr: options.torch2Repr ?? false };
  const topLevelCalls: TopLevelCall[] = [];
  const it: Interpreter = new Interpreter({
    moduleName: stem,
    importer: options.importerFactory?.(fileName) ?? noSiblings,
    onTopLevelModuleCall: (module, args, kwargs) => topLevelCalls.push({ module, args, kwargs, line: (it.currentStmt?.range.start.line ?? 0) + 1 }),
  });

  const report: FileReport = {
    schema_version: 1, source: fileName.replace(/^.*[\\/]/, ''), import: { status: 'ok' }, classes: [], diagnostics: [], printed: [],
    timings_ms: { parse: t1 - t0, evaluate: 0, classes: 0 },
  };
  const firstSyntaxError = parsed.errors[0];
  if (firstSyntaxError) {
    report.import = { status: 'error', error: { type: firstSyntaxError.type, message: firstSyntaxError.message, line: firstSyntaxError.line, col: firstSyntaxError.col, range: firstSyntaxError.range } };
    for (const e of parsed.errors) {
      it.diagnostics.push({ code: 'syntax-error', severity: 'error', message: `${e.type}: ${e.message}`, range: e.range });
    }
  }

  withRuntimeContext(ctx, () => {
    it.runModule(parsed.module.body);
    runMainBlocks(it, parsed.module.body);
  });
  const t2 = performance.now();

  for (const node of moduleClassNodes(it, parsed.module.body)) {
    if (options.className && node.name !== options.className) continue;
    const cls = it.globals.vars.get(node.name);
    if (!(cls instanceof PyClass) || !cls.mro.some(isModuleClass)) continue;
    report.classes.push(withRuntimeContext(ctx, () => inspectClass(it, cls, node, options, topLevelCalls)));
    await materializeValues(it, options);
  }
  report.timings_ms.evaluate = t2 - t1;
  report.timings_ms.classes = performance.now() - t2;
  report.diagnostics = it.diagnostics.map((d) => ({ ...d, line: d.range.start.line + 1 }));
  report.printed = it.printed;
  return report;
}

/** Reads back the tensors a device left off the host and fills the value fields waiting for them. */
async function materializeValues(it: Interpreter, options: InspectOptions): Promise<void> {
  const pending = deferredValues.get(it) ?? [];
  deferredValues.delete(it);
  for (const job of pending) {
    try {
      for (const t of job.tensors) if (t.data === null) await options.materialize?.(t);
      if (job.tensors.some((t) => t.data === null)) throw new Error('no values on the host and no way to read them back');
      job.finish();
    } catch (e) {
      job.fail(`reading values back failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
}

/** `if __name__ == "__main__":` blocks: run after the module for their model calls (input discovery). */
function runMainBlocks(it: Interpreter, body: readonly ast.Stmt[]): void {
  for (const stmt of body) {
    if (stmt.kind !== 'If' || !isMainGuard(stmt.test)) continue;
    it.runModule(stmt.body);
  }
}

function isMainGuard(test: ast.Expr): boolean {
  if (test.kind !== 'Compare' || test.ops.length !== 1 || test.ops[0] !== '==') return false;
  const sides = [test.left, test.comparators[0]!];
  return sides.some((s) => s.kind === 'Name' && s.id === '__name__')
    && sides.some((s) => s.kind === 'Constant' && s.value.type === 'str' && s.value.value === '__main__');
}

/** Class statements at the top level of the file (also inside top-level if/try blocks), in source order. */
function moduleClassNodes(it: Interpreter, body: readonly ast.Stmt[]): ast.ClassDef[] {
  const out: ast.ClassDef[] = [];
  const visit = (stmts: readonly ast.Stmt[]): void => {
    for (const s of stmts) {
      if (s.kind === 'ClassDef') out.push(s);
      else if (s.kind === 'If' && !isMainGuard(s.test)) { visit(s.body); visit(s.orelse); }
      else if (s.kind === 'Try') { visit(s.body); s.handlers.forEach((h) => visit(h.body)); visit(s.orelse); }
    }
  };
  visit(body);
  void it;
  return out.sort((a, b) => a.nameRange.start.line - b.nameRange.start.line);
}

function inspectClass(it: Interpreter, cls: PyClass, node: ast.ClassDef, options: InspectOptions, calls: TopLevelCall[]): ClassReport {
  const required = requiredArgs(cls);
  const report: ClassReport = {
    name: cls.name,
    line: node.nameRange.start.line + 1,
    end_line: node.range.end.line + 1,
    range: node.range,
    nameRange: node.nameRange,
    bases: cls.bases.map(className),
    required_args: required,
    constructible_without_args: required.length === 0,
    instance: null,
  };
  const spec = options.spec?.[cls.name];
  const ctor = ctorArguments(it, spec);
  if (required.length && !ctor) {
    // The file may build one itself (`model = GPT(config)`, `Block(4, 8, 2)(x)`): inspect that instance.
    const existing = instanceMadeByFile(it, cls, calls);
    if (existing) report.instance = describeAndTrace(it, existing, cls, spec, options, calls);
    return report;
  }
  report.instance = instantiateAndTrace(it, cls, ctor ?? { args: [], kwargs: new Map() }, spec, options, calls);
  if (ctor && spec) {
    if (spec.args) report.instance.ctor_args = spec.args;
    if (spec.kwargs) report.instance.ctor_kwargs = spec.kwargs;
  }
  return report;
}

/** Constructor parameters without defaults, as the oracle lists them (self, *args, **kwargs excluded). */
function requiredArgs(cls: PyClass): string[] {
  const init = lookupInMro(cls.mro, '__init__');
  if (init.kind === 'user' && init.value instanceof PyFunction) {
    const sig = init.value.signature;
    return [...sig.params.slice(1), ...(sig.kwonly ?? [])].filter((p) => !('default' in p)).map((p) => p.name);
  }
  if (init.kind === 'builtin-init') return init.owner.signature.params.filter((p) => !('default' in p)).map((p) => p.name);
  return [];
}

function ctorArguments(it: Interpreter, spec: ClassSpec | undefined): { args: PyValue[]; kwargs: Kwargs; expr?: string } | null {
  if (!spec) return null;
  if (spec.args || spec.kwargs) {
    return {
      args: (spec.args ?? []).map(jsonToPython),
      kwargs: new Map(Object.entries(spec.kwargs ?? {}).map(([k, v]) => [k, jsonToPython(v)])),
    };
  }
  if (spec.ctor) return { args: [], kwargs: new Map(), expr: spec.ctor };
  void it;
  return null;
}

export function jsonToPython(v: unknown): PyValue {
  if (typeof v === 'number') return Number.isInteger(v) ? v : new PyFloat(v);
  if (Array.isArray(v)) return new PyList(v.map(jsonToPython));
  if (v && typeof v === 'object') return new PyDict(Object.entries(v).map(([k, x]) => [k, jsonToPython(x)]));
  return v as PyValue;
}

function errorInfo(e: PyException): ErrorInfo {
  const range = e.range ?? undefined;
  return { type: e.typeName, message: e.message, line: range ? range.start.line + 1 : 0, ...(range ? { range } : {}) };
}

function instantiateAndTrace(
  it: Interpreter, cls: PyClass, ctor: { args: PyValue[]; kwargs: Kwargs; expr?: string }, spec: ClassSpec | undefined,
  options: InspectOptions, calls: TopLevelCall[],
): InstanceReport {
  let model: PyValue;
  const values = options.device !== undefined && options.device !== 'meta';
  try {
    it.budget.steps = 0;
    // The oracle's `torch.manual_seed(0); m = Cls(*args, **kwargs)`: seeded init values.
    if (values) manualSeed(options.seed ?? 0);
    model = ctor.expr ? evalCtorExpression(it, ctor.expr) : it.callValue(cls, ctor.args, ctor.kwargs);
  } catch (e) {
    const failure = classify(it, e, cls.node!.range);
    if (failure instanceof PyException) return { status: 'construct_error', error: errorInfo(failure), forward: null };
    return { status: 'unsupported', error: failure, forward: null };
  }
  if (!(model instanceof Module)) return { status: 'unsupported', error: { type: 'TypeError', message: 'constructor did not return a module', line: 0 }, forward: null };
  return describeAndTrace(it, model, cls, spec, options, calls, values ? rngState(defaultEngine()) : undefined);
}

/** An instance of `cls` that the file's own code made: one it called, else one bound to a global name. */
function instanceMadeByFile(it: Interpreter, cls: PyClass, calls: TopLevelCall[]): Module | null {
  const called = calls.find((c) => it.userClassOf(c.module) === cls);
  if (called) return called.module;
  for (const v of it.globals.vars.values()) if (v instanceof Module && it.userClassOf(v) === cls) return v;
  return null;
}

/**
 * The instance's report. `rngAfterInit` is the generator state right after a construction this
 * analysis seeded (value devices); undefined on `meta` and when the file built the instance.
 */
function describeAndTrace(
  it: Interpreter, model: Module, cls: PyClass, spec: ClassSpec | undefined, options: InspectOptions, calls: TopLevelCall[],
  rngAfterInit?: RngState,
): InstanceReport {
  model.train(false);
  options.valueObserver?.instance?.(cls.name, model);
  const params = model.namedParameters();
  const buffers = model.namedBuffers();
  const values = options.device !== undefined && options.device !== 'meta';
  // The model's repr contains every submodule's: memoised, each module is formatted once. Nothing
  // between the two (parameter and buffer listings) changes a module.
  const instance: InstanceReport = withReprMemo((): InstanceReport => ({
    status: 'ok',
    repr: model.repr(),
    parameters: params.map(([n, p]) => [n, [...p.shape]]),
    num_params: params.reduce((s, [, p]) => s + p.numel(), 0),
    num_trainable_params: params.reduce((s, [, p]) => s + (p.requiresGrad ? p.numel() : 0), 0),
    buffers: buffers.map(([n, b]) => [n, [...b.shape]]),
    state_dict_keys: model.stateDictEntries().map(([k]) => k),
    submodules: model.namedModules().slice(1).map(([n, m]) => [n, m.pyTypeName, m.repr()]),
    forward: null,
  }));
  if (values) {
    instance.rng_after_init = rngAfterInit ?? null;
    const persistent = new Set(instance.state_dict_keys);
    const details = (): void => {
      instance.parameter_details = Object.fromEntries(params.map(([n, p]) => [n, parameterDetails(p)]));
      instance.buffer_details = Object.fromEntries(buffers.map(([n, b]) => [n, bufferDetails(b, persistent.has(n))]));
    };
    const offHost = [...params, ...buffers].map(([, t]) => t).filter((t) => t.data === null);
    if (offHost.length === 0) details();
    else defer(it, { tensors: offHost, finish: details, fail: (message) => { instance.values_error = message; } });
  }
  const choice = chooseInputs(it, model, cls, spec, options.input, calls);
  instance.forward = choice.inputs ? traceForward(it, model, choice.inputs, choice.source, spec, values, options.seed ?? 0, options.valueObserver) : {
    status: 'unsupported', inputs: [], input_source: choice.source, calls: [], hook_order: [], call_ranges: [],
  };
  return instance;
}

function evalCtorExpression(it: Interpreter, expr: string): PyValue {
  const parsed = parsePython(`__nnlens_ctor__ = (${expr})\n`);
  if (parsed.errors.length) throw new UnsupportedSignal('bad-spec', `spec ctor is not a Python expression: ${parsed.errors[0]!.message}`, null);
  const { firstError } = it.runModule(parsed.module.body);
  if (firstError) throw firstError;
  return it.globals.vars.get('__nnlens_ctor__');
}

/** A failure as a Python exception, or an ErrorInfo for unsupported/budget stops. */
function classify(it: Interpreter, e: unknown, fallback: ast.Range): PyException | ErrorInfo {
  const located = it.locate(e, fallback);
  if (located instanceof PyException) return located;
  if (located instanceof UnsupportedSignal || located instanceof BudgetExceeded) {
    const range = located.range ?? fallback;
    const code = located instanceof UnsupportedSignal ? located.code : `budget-${located.what}`;
    it.diagnostics.push({ code, severity: located instanceof BudgetExceeded ? 'error' : 'hint', message: located.message, range });
    return { type: located instanceof BudgetExceeded ? 'BudgetExceeded' : 'Unsupported', message: located.message, line: range.start.line + 1, range };
  }
  // A bug of ours: the class is reported as not analysed, the rest of the file goes on.
  const message = `NN Lens internal error: ${e instanceof Error ? e.message : String(e)}`;
  it.diagnostics.push({ code: 'internal-error', severity: 'error', message, range: fallback });
  return { type: 'InternalError', message, line: fallback.start.line + 1, range: fallback };
}

function traceForward(
  it: Interpreter, model: Module, specs: InputSpec[], source: InputSource, spec: ClassSpec | undefined, values = false, seed = 0, observer?: ValueObserver,
): ForwardReport {
  // Value devices: the oracle's `torch.manual_seed(1)` (seed + 1), then the inputs in argument order.
  if (values) manualSeed(seed + 1);
  const { tensors, infos, created } = createInputs(specs);
  const recorder = new ForwardTraceRecorder(model, () => it.currentStmt?.range ?? null, (v) => it.repr(v), values, observer);
  const forward: ForwardReport = { status: 'ok', inputs: infos, input_source: source, calls: recorder.calls, hook_order: recorder.hookOrder, call_ranges: recorder.callRanges };
  if (values) {
    forward.seed = seed + 1;
    created.forEach((t, i) => { if (t.data !== null) infos[i] = { ...infos[i]!, first8: firstValues(t, 8), sha256: sha256(t) }; });
    forward.rng_after_inputs = rngState(defaultEngine());
  }
  const kwargs: Kwargs = new Map(Object.entries(spec?.forward_kwargs ?? {}).map(([k, v]) => [k, jsonToPython(v)]));
  try {
    it.budget.steps = 0;
    const bindings = new BindingRecorder((v) => it.repr(v));
    forward.bindings = bindings.records;
    it.observer = bindings;
    let out: PyValue;
    try { out = withCallTracer(recorder, () => it.callValue(model, tensors, kwargs)); } finally { it.observer = null; }
    forward.output_shape = shapeStruct(out, (v) => it.repr(v));
    if (values) {
      forward.rng_after_forward = rngState(defaultEngine());
      const leaves = tensorLeaves(out);
      const missing = leaves.filter(([, t]) => t.data === null).length;
      const finish = (): void => {
        forward.outputs = leaves.map(([path, t]) => outputValues(path, t));
        forward.output_repr = it.repr(out);
        delete forward.values_error;
      };
      if (missing) {
        forward.values_error = `${missing} output tensor(s) have no values on the host`;
        defer(it, { tensors: leaves.map(([, t]) => t), finish, fail: (message) => { forward.values_error = message; } });
      } else {
        finish();
      }
    }
  } catch (e) {
    const failure = classify(it, e, model instanceof Module && it.userClassOf(model)?.node ? it.userClassOf(model)!.node!.range : { start: { line: 0, column: 0 }, end: { line: 0, column: 0 } });
    if (failure instanceof PyException) {
      forward.status = 'error';
      forward.error = errorInfo(failure);
      it.diagnostics.push({ code: 'forward-error', severity: 'error', message: formatException(failure), range: failure.range! });
    } else {
      forward.status = 'unsupported';
      forward.unsupported = { message: failure.message, line: failure.line, range: failure.range! };
    }
  }
  if (values) recordCallStats(it, recorder, forward);
  return forward;
}

/** `call_stats` from the recorder's timings and kept outputs, after reading back those off the host. */
function recordCallStats(it: Interpreter, recorder: ForwardTraceRecorder, forward: ForwardReport): void {
  const outputs = recorder.callOutputs ?? [];
  const finish = (): void => {
    forward.call_stats = outputs.map((t, i) => {
      const ms = recorder.callMs?.[i] ?? null;
      if (!t || t.data === null) return { ms, mean: null, std: null, min: null, max: null };
      return { ms, ...tensorStats(t) };
    });
  };
  const offHost = [...new Set(outputs.filter((t): t is Tensor => t !== null && t.data === null))];
  if (offHost.length === 0) finish();
  // A failed read-back leaves the statistics out; the time still counts.
  else defer(it, { tensors: offHost, finish, fail: finish });
}

export type { InputInfo };

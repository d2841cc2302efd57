// Records the forward trace: every module call in call-start order with its output shape, and
// the order forward hooks would fire (completion order). Paths are the names `named_modules()`
// gives (a module registered twice is reported under its first name, as PyTorch does).
// Value runs (`withValues`) also time each call and keep its first output tensor, whose statistics
// are taken after the forward (a webgpu tensor is read back first), never during it.
import { PyDict, PyList, PyTuple, type PyValue } from '../../runtime/python/index.ts';
import { Tensor } from '../../runtime/tensor.ts';
import type { Module } from '../../runtime/nn/module.ts';
import type { CallTracer } from '../../runtime/nn/call-tracer.ts';
import type { Range } from '../syntax/ast.ts';
import type { CallRecord, ShapeStruct } from './report.ts';

/**
 * Value runs: who keeps the values themselves (the tensor worker, lsp/forward-tensors.ts) instead of
 * the report's summaries. Off-host outputs (webgpu) get their values when `inspectSource` reads
 * its own kept outputs back (InspectOptions.materialize), before it returns.
 */
export interface ValueObserver {
  /** The instance a class's report describes, before its forward runs. */
  instance?(className: string, model: Module): void;
  /** A module call's first output tensor (null when it returned none); `call` indexes the report's calls. */
  callOutput?(call: number, path: string, output: Tensor | null): void;
}

export class ForwardTraceRecorder implements CallTracer {
  readonly calls: CallRecord[] = [];
  readonly hookOrder: number[] = [];
  readonly callRanges: (Range | null)[] = [];
  /** Value runs: each call's wall time in ms (null until it returns), parallel to `calls`. */
  readonly callMs: (number | null)[] | undefined;
  /** Value runs: each call's first output tensor (null when it returned none), parallel to `calls`. */
  readonly callOutputs: (Tensor | null)[] | undefined;
  private readonly starts: number[] = [];
  private readonly paths = new Map<Module, string>();

  constructor(
    root: Module, private readonly currentRange: () => Range | null, private readonly repr: (v: PyValue) => string, withValues = false,
    private readonly observer?: ValueObserver,
  ) {
    for (const [name, m] of root.namedModules()) this.paths.set(m, name);
    if (withValues) { this.callMs = []; this.callOutputs = []; }
  }

  enter(module: Module): number {
    const path = this.paths.get(module) ?? `<unregistered ${module.pyTypeName}>`;
    this.calls.push([path, module.pyTypeName, null]);
    this.callRanges.push(this.currentRange());
    if (this.callMs) { this.callMs.push(null); this.callOutputs!.push(null); this.starts.push(performance.now()); }
    return this.calls.length - 1;
  }

  exit(token: number, output: PyValue): void {
    this.calls[token]![2] = shapeStruct(output, this.repr);
    this.hookOrder.push(token);
    if (this.callMs) {
      this.callMs[token] = performance.now() - this.starts[token]!;
      this.callOutputs![token] = firstTensor(output);
    }
    this.observer?.callOutput?.(token, this.calls[token]![0], this.callOutputs?.[token] ?? firstTensor(output));
  }
}

/** The first tensor leaf of a value (depth first, as `tensorLeaves` orders them). */
function firstTensor(v: PyValue): Tensor | null {
  if (v instanceof Tensor) return v;
  const items = v instanceof PyTuple || v instanceof PyList ? v.items : v instanceof PyDict ? v.items().map(([, x]) => x) : [];
  for (const x of items) {
    const t = firstTensor(x);
    if (t) return t;
  }
  return null;
}

/** The corpus's ShapeStruct of a Python value. */
export function shapeStruct(v: PyValue, repr: (v: PyValue) => string): ShapeStruct {
  if (v instanceof Tensor) return [...v.shape];
  if (v === null || v === undefined) return null;
  if (v instanceof PyTuple) return { tuple: v.items.map((x) => shapeStruct(x, repr)) };
  if (v instanceof PyList) return { list: v.items.map((x) => shapeStruct(x, repr)) };
  if (v instanceof PyDict) return { dict: Object.fromEntries(v.items().map(([k, x]) => [String(k), shapeStruct(x, repr)])) };
  return { value: repr(v) };
}

// Where a class's forward input comes from, in order: the caller's spec (`--spec`), the CLI's
// `--input`, a call found in the file (`model(torch.randn(1, 1, 28, 28))`), or inference from the
// first layer (`[1, in_features]` for a Linear, token ids for an Embedding, the smallest common
// image size for which the whole forward succeeds for a Conv). The source is always reported.
import { PyTuple, type PyValue, type Kwargs } from '../../runtime/python/index.ts';
import { Module } from '../../runtime/nn/module.ts';
import { Tensor } from '../../runtime/tensor.ts';
import { float32, int64 } from '../../runtime/dtype.ts';
import { runtimeContext } from '../../runtime/context.ts';
import { create } from '../../runtime/ops/creation.ts';
import { defaultGenerator } from '../../runtime/torch/random.ts';
import type { Interpreter } from '../eval/interpreter.ts';
import { PyClass, PyFunction } from '../eval/objects.ts';
import { lookupInMro } from '../eval/classes.ts';
import type { InputInfo, InputSource } from './report.ts';

export interface InputSpec {
  kind: 'randn' | 'randint' | 'zeros' | 'none' | 'tuple' | 'value';
  shape?: number[];
  low?: number;
  high?: number;
  dtype?: string;
  items?: InputSpec[];
  value?: PyValue;
}

/** One class's entry of a corpus-style inputs.json, plus `ctor` and `globals` (see the CLI help). */
export interface ClassSpec {
  inputs?: InputSpec[];
  args?: unknown[];
  kwargs?: Record<string, unknown>;
  forward_kwargs?: Record<string, unknown>;
  ctor?: string;
}

export interface TopLevelCallRecord { module: Module; args: PyValue[]; kwargs: Kwargs; line: number }

export function chooseInputs(
  it: Interpreter, model: Module, cls: PyClass, spec: ClassSpec | undefined, cliInput: number[] | undefined, calls: TopLevelCallRecord[],
): { inputs: InputSpec[] | null; source: InputSource } {
  if (spec?.inputs) return { inputs: spec.inputs, source: { kind: 'spec' } };
  if (cliInput) return { inputs: [{ kind: 'randn', shape: cliInput }], source: { kind: 'cli' } };
  const recorded = recordedCallInputs(it, cls, calls);
  if (recorded) return recorded;
  return inferInputs(it, model, cls);
}

/** A call of an instance of `cls` made at module level or under `if __name__ == "__main__":`. */
export function recordedCallInputs(it: Interpreter, cls: PyClass, calls: TopLevelCallRecord[]): { inputs: InputSpec[]; source: InputSource } | null {
  const call = calls.find((c) => it.userClassOf(c.module) === cls);
  if (!call) return null;
  return { inputs: call.args.map(describeValue), source: { kind: 'file', line: call.line } };
}

function describeValue(v: PyValue): InputSpec {
  if (v instanceof Tensor) {
    return v.dtype.isFloatingPoint ? { kind: 'randn', shape: [...v.shape], dtype: v.dtype.name } : { kind: 'value', value: v, shape: [...v.shape], dtype: v.dtype.name };
  }
  if (v instanceof PyTuple) return { kind: 'tuple', items: v.items.map(describeValue) };
  if (v === null) return { kind: 'none' };
  return { kind: 'value', value: v };
}

/**
 * The forward inputs, in argument order. On `meta` they are shapes only; on value devices they
 * are drawn from the default generator as the oracle draws them: `torch.randn(*shape)`,
 * `torch.randint(low, high, shape)` (the caller seeds it first), zeros for `zeros`.
 */
export function createInputs(specs: InputSpec[]): { tensors: PyValue[]; infos: InputInfo[]; created: Tensor[] } {
  const device = runtimeContext().device;
  const infos: InputInfo[] = [];
  const created: Tensor[] = [];
  const generator = defaultGenerator();
  const make = (s: InputSpec): PyValue => {
    switch (s.kind) {
      case 'randn': case 'zeros': {
        const shape = s.shape ?? [];
        const t = device === 'meta' ? new Tensor(shape, float32, device) : create({
          shape, dtype: float32,
          fill: s.kind === 'zeros' ? { kind: 'value', value: { kind: 'int', value: 0 } } : { kind: 'random', distribution: { kind: 'normal', mean: 0, std: 1 }, generator },
        });
        infos.push({ kind: s.kind, shape: [...t.shape], dtype: 'float32' });
        created.push(t);
        return t;
      }
      case 'randint': {
        const shape = s.shape ?? [];
        const [low, high] = [s.low ?? 0, s.high ?? 2];
        const t = device === 'meta' ? new Tensor(shape, int64, device)
          : create({ shape, dtype: int64, fill: { kind: 'random', distribution: { kind: 'randint', low, high }, generator } });
        infos.push({ kind: 'randint', shape: [...t.shape], dtype: 'int64', low, high });
        created.push(t);
        return t;
      }
      case 'none': return null;
      case 'tuple': return new PyTuple((s.items ?? []).map(make));
      case 'value': return s.value ?? null;
    }
  };
  return { tensors: specs.map(make), infos, created };
}

/** Number of required positional parameters of the forward (besides self); null when unknown. */
function forwardArity(cls: PyClass): number | null {
  const f = lookupInMro(cls.mro, 'forward');
  if (f.kind !== 'user' || !(f.value instanceof PyFunction)) return null;
  return f.value.signature.params.slice(1).filter((p) => !('default' in p)).length;
}

const imageSizes = [28, 32, 64, 96, 128, 224, 256, 299, 384, 512];
const sequenceLengths = [16, 8, 32, 64, 128, 256, 1024];

function inferInputs(it: Interpreter, model: Module, cls: PyClass): { inputs: InputSpec[] | null; source: InputSource } {
  const arity = forwardArity(cls);
  if (arity !== null && arity !== 1) {
    return { inputs: null, source: { kind: 'none', reason: `forward takes ${arity} inputs; give an input spec to trace it` } };
  }
  const first = model.namedModules().slice(1).map(([, m]) => m).find((m) => leadingRule(m) !== null);
  if (!first) return { inputs: null, source: { kind: 'none', reason: 'no leading layer to infer the input from; give an input spec' } };
  const rule = leadingRule(first)!;
  for (const candidate of rule.candidates) {
    if (rule.candidates.length === 1 || forwardSucceeds(it, model, candidate)) {
      return { inputs: [candidate], source: { kind: 'inferred', rule: `${rule.description} ${JSON.stringify(candidate.shape)}` } };
    }
  }
  return { inputs: null, source: { kind: 'none', reason: `no common input size works for the leading ${first.pyTypeName}; give an input spec` } };
}

interface LeadingRule { description: string; candidates: InputSpec[] }

function intAttr(m: Module, name: string): number | null {
  const v = m.dict.get(name);
  return typeof v === 'number' ? v : null;
}

function leadingRule(m: Module): LeadingRule | null {
  const name = m.pyTypeName;
  const constructorName = (m.constructor as { pyName?: string }).pyName ?? name;
  switch (constructorName) {
    case 'Linear': case 'LazyLinear': {
      const n = intAttr(m, 'in_features');
      return n === null ? null : { description: `leading Linear(in_features=${n}):`, candidates: [{ kind: 'randn', shape: [1, n] }] };
    }
    case 'Embedding': {
      const n = intAttr(m, 'num_embeddings') ?? 2;
      return { description: 'leading Embedding, token ids', candidates: sequenceLengths.map((t) => ({ kind: 'randint', low: 0, high: n, shape: [1, t] })) };
    }
    case 'Conv1d': case 'Conv2d': case 'Conv3d': {
      const c = intAttr(m, 'in_channels');
      if (c === null) return null;
      const rank = Number(constructorName[4]);
      const sizes = rank === 1 ? [...imageSizes, 1000, 8000, 16000] : imageSizes;
      return { description: `leading ${constructorName}(in_channels=${c}), smallest size that runs:`, candidates: sizes.map((s) => ({ kind: 'randn', shape: [1, c, ...Array(rank).fill(s)] })) };
    }
    case 'RNN': case 'LSTM': case 'GRU': {
      const n = intAttr(m, 'input_size');
      if (n === null) return null;
      const batchFirst = m.dict.get('batch_first') === true;
      return { description: `leading ${constructorName}(input_size=${n}):`, candidates: [{ kind: 'randn', shape: batchFirst ? [1, 16, n] : [16, 1, n] }] };
    }
    case 'BatchNorm1d': {
      const n = intAttr(m, 'num_features');
      return n === null ? null : { description: `leading BatchNorm1d(${n}):`, candidates: [{ kind: 'randn', shape: [2, n] }] };
    }
  }
  return null;
}

function forwardSucceeds(it: Interpreter, model: Module, candidate: InputSpec): boolean {
  const { tensors } = createInputs([candidate]);
  const diagnostics = it.diagnostics.length;
  try {
    it.budget.steps = 0;
    it.callValue(model, tensors, new Map());
    return true;
  } catch {
    return false;
  } finally {
    it.diagnostics.length = diagnostics; // attempts that fail are not the user's problem
  }
}

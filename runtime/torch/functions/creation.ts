// torch factories: zeros/ones/empty/full, the *_like family, random tensors, arange/linspace/eye,
// torch.tensor/as_tensor, plus dtype and seed utilities. Tensors are made on the evaluation's
// device whatever `device=` says (the argument is still validated).
import {
  type DType, DType as DTypeClass, bool as boolConst, canCast, defaultFloatDType, int64, promoteTypes, resultType, setDefaultFloatDType,
} from '../../dtype.ts';
import { Tensor } from '../../tensor.ts';
import { NeedsValuesError, PyFloat, type PyValue, runtimeError, typeError } from '../../python/index.ts';
import { type CreationAttrs, arange, cast, create, eye, fromData, linspace } from '../../ops/creation.ts';
import { type Scalar } from '../../ops/scalar.ts';
import { tril, triu } from '../../ops/shape-ops.ts';
import { unary } from '../../ops/elementwise.ts';
import type { ParsedArgs } from '../arg-parser.ts';
import { defNative, defPython } from '../registry.ts';
import { inferData } from '../tensor-data.ts';
import { isGradEnabled } from '../../ops/grad-mode.ts';
import { defaultGenerator, manualSeed } from '../random.ts';

type Fill = CreationAttrs['fill'];

/** The dtype `full` and `arange` infer from Python numbers: bool, int64 or the default float. */
export function dtypeOfScalars(scalars: readonly Scalar[]): DType {
  if (scalars.some((s) => s.kind === 'float' || s.kind === 'complex')) return defaultFloatDType();
  if (scalars.every((s) => s.kind === 'bool')) return boolConst;
  return int64;
}

/** Applies `requires_grad=` of a factory. */
function finish(t: Tensor, a: ParsedArgs): Tensor {
  if (a.has('requires_grad') && a.raw('requires_grad') === true) {
    if (!t.dtype.isFloatingPoint && !t.dtype.isComplex) throw runtimeError('Only Tensors of floating point and complex dtype can require gradients');
    t.requiresGrad = true;
  }
  return t;
}

const randomFill = (a: ParsedArgs, distribution: Extract<Fill, { kind: 'random' }>['distribution']): Fill =>
  ({ kind: 'random', distribution, generator: (a.has('generator') ? a.raw('generator') : null) ?? defaultGenerator() });

const valueFill = (value: Scalar): Fill => ({ kind: 'value', value });

export function make(shape: readonly number[], dtype: DType, fill: Fill): Tensor {
  return create({ shape, dtype, fill });
}

for (const [name, fill] of [['zeros', valueFill({ kind: 'int', value: 0 })], ['ones', valueFill({ kind: 'int', value: 1 })], ['empty', { kind: 'empty' } as Fill]] as const) {
  defNative('torch', name, (a) => finish(make(a.intList('size'), a.dtype('dtype') ?? defaultFloatDType(), fill), a));
  defNative('torch', `${name}_like`, (a) => finish(make(a.tensor('input').shape, a.dtype('dtype') ?? a.tensor('input').dtype, fill), a));
  defNative('tensor', `new_${name}`, (a) => finish(make(a.intList('size'), a.dtype('dtype') ?? a.tensor('input').dtype, fill), a));
}

defNative('torch', 'full', (a) => {
  const value = a.scalar('fill_value');
  return finish(make(a.intList('size'), a.dtype('dtype') ?? dtypeOfScalars([value]), valueFill(value)), a);
});
defNative('torch', 'full_like', (a) => finish(make(a.tensor('input').shape, a.dtype('dtype') ?? a.tensor('input').dtype, valueFill(a.scalar('fill_value'))), a));
defNative('tensor', 'new_full', (a) => finish(make(a.intList('size'), a.dtype('dtype') ?? a.tensor('input').dtype, valueFill(a.scalar('fill_value'))), a));
defNative('torch', 'scalar_tensor', (a) => finish(make([], a.dtype('dtype') ?? defaultFloatDType(), valueFill(a.scalar('s'))), a));

defNative('torch', 'rand', (a) => finish(make(a.intList('size'), a.dtype('dtype') ?? defaultFloatDType(), randomFill(a, { kind: 'uniform', low: 0, high: 1 })), a));
defNative('torch', 'randn', (a) => finish(make(a.intList('size'), a.dtype('dtype') ?? defaultFloatDType(), randomFill(a, { kind: 'normal', mean: 0, std: 1 })), a));
defNative('torch', 'rand_like', (a) => finish(make(a.tensor('input').shape, a.dtype('dtype') ?? a.tensor('input').dtype, randomFill(a, { kind: 'uniform', low: 0, high: 1 })), a));
defNative('torch', 'randn_like', (a) => finish(make(a.tensor('input').shape, a.dtype('dtype') ?? a.tensor('input').dtype, randomFill(a, { kind: 'normal', mean: 0, std: 1 })), a));
defNative('torch', 'randint', (a) => {
  const low = a.has('low') ? a.int('low') : 0;
  const high = a.int('high');
  if (low >= high) throw runtimeError(`random_ expects 'from' to be less than 'to', but got from=${low} >= to=${high}`);
  return finish(make(a.intList('size'), a.dtype('dtype') ?? int64, randomFill(a, { kind: 'randint', low, high })), a);
});
defNative('torch', 'randint_like', (a) => {
  const low = a.has('low') ? a.int('low') : 0;
  const input = a.tensor('input');
  return finish(make(input.shape, a.dtype('dtype') ?? input.dtype, randomFill(a, { kind: 'randint', low, high: a.int('high') })), a);
});
defNative('torch', 'randperm', (a) => {
  const n = a.int('n');
  if (n < 0) throw runtimeError(`n must be non-negative, got${n}`);
  return finish(make([n], a.dtype('dtype') ?? int64, randomFill(a, { kind: 'randperm', n })), a);
});

defNative('torch', 'arange', (a) => {
  const start = a.has('start') ? a.scalar('start') : { kind: 'int' as const, value: 0 };
  const end = a.scalar('end');
  const step = a.has('step') ? a.scalar('step') : { kind: 'int' as const, value: 1 };
  if (start.value === null || end.value === null || step.value === null) throw new NeedsValuesError('torch.arange() with tensor bounds');
  const dtype = a.dtype('dtype') ?? dtypeOfScalars([start, end, step].map((s) => (s.kind === 'bool' ? { ...s, kind: 'int' as const } : s)));
  return finish(arange(start.value, end.value, step.value, dtype), a);
});
defNative('torch', ['linspace', 'logspace'], (a) => {
  const start = a.scalar('start');
  const end = a.scalar('end');
  if (start.value === null || end.value === null) throw new NeedsValuesError('torch.linspace() with tensor bounds');
  const kind = a.signature.name === 'logspace' ? 'logspace' : 'linspace';
  return finish(linspace(start.value, end.value, a.int('steps'), a.dtype('dtype') ?? defaultFloatDType(), kind, a.has('base') ? a.float('base') : 10), a);
});
defNative('torch', 'eye', (a) => finish(eye(a.int('n'), a.has('m') ? a.int('m') : a.int('n'), a.dtype('dtype') ?? defaultFloatDType()), a));

/** torch.tensor / Tensor.new_tensor: the data's inferred shape and dtype (or `dtype=`). */
function tensorFromData(data: PyValue, dtype: DType | null): Tensor {
  if (data instanceof Tensor) return cast(data, dtype ?? data.dtype);
  const inferred = inferData(data);
  return fromData({ shape: inferred.shape, dtype: dtype ?? inferred.dtype, values: inferred.values });
}

defNative('torch', 'tensor', (a) => finish(tensorFromData(a.raw('data'), a.dtype('dtype')), a));
defNative('tensor', 'new_tensor', (a) => finish(tensorFromData(a.raw('data'), a.dtype('dtype') ?? a.tensor('input').dtype), a));
defNative('torch', 'as_tensor', (a) => {
  const data = a.raw('data');
  const dtype = a.dtype('dtype');
  if (data instanceof Tensor) return dtype && dtype !== data.dtype ? cast(data, dtype) : data;
  return tensorFromData(data, dtype);
});

defNative('torch', 'tril', (a) => tril(a.tensor('input'), a.int('diagonal')));
defNative('torch', 'triu', (a) => triu(a.tensor('input'), a.int('diagonal')));
defNative('tensor', 'tril', (a) => tril(a.tensor('input'), a.int('diagonal')));
defNative('tensor', 'triu', (a) => triu(a.tensor('input'), a.int('diagonal')));
defNative('torch', 'numel', (a) => a.tensor('input').numel());
defNative(['torch', 'tensor'], 'is_floating_point', (a) => a.tensor('input').dtype.isFloatingPoint);
defNative(['torch', 'tensor'], 'is_complex', (a) => a.tensor('input').dtype.isComplex);
defNative('torch', 'is_nonzero', () => { throw new NeedsValuesError('torch.is_nonzero()'); });
defNative('torch', 'clone', (a) => unary.clone!(a.tensor('input')));
defNative('torch', 'detach', (a) => unary.detach!(a.tensor('input')));

defPython('torch', 'is_tensor', (a) => a.get('obj') instanceof Tensor);
defPython('torch', 'manual_seed', (a) => {
  const seed = a.get('seed');
  const value = typeof seed === 'number' ? seed : typeof seed === 'boolean' ? Number(seed) : seed instanceof PyFloat ? Math.trunc(seed.value) : NaN;
  if (Number.isNaN(value)) throw typeError(`int() argument must be a string, a bytes-like object or a real number, not '${typeof seed}'`);
  return manualSeed(value);
});
defPython('torch', 'seed', () => { throw new NeedsValuesError('torch.seed() (a non-deterministic seed)'); });
defPython('torch', 'initial_seed', () => defaultGenerator().seed);
defPython('torch', 'set_default_dtype', (a) => {
  const d = a.get('d');
  if (!(d instanceof DTypeClass) || !d.isFloatingPoint) throw typeError('only floating-point types are supported as the default type');
  setDefaultFloatDType(d);
  return null;
});
defNative('torch', 'promote_types', (a) => promoteTypes(a.dtype('type1')!, a.dtype('type2')!));
defNative('torch', 'can_cast', (a) => canCast(a.dtype('from')!, a.dtype('to')!));
defNative('torch', 'result_type', (a) => {
  const operand = (name: string): { dtype: DType; ndim: number; wrapped?: boolean } => {
    const v = a.raw(name);
    if (v instanceof Tensor) return { dtype: v.dtype, ndim: v.ndim, wrapped: v.isWrappedNumber };
    const s = v as Scalar;
    return { dtype: s.kind === 'float' ? defaultFloatDType() : s.kind === 'bool' ? boolConst : int64, ndim: 0, wrapped: true };
  };
  const first = a.has('tensor') ? 'tensor' : 'scalar1';
  const second = a.has('other') ? 'other' : 'scalar2';
  return resultType([operand(first), operand(second)]);
});
defNative('torch', 'get_default_dtype', () => defaultFloatDType());
defNative('torch', 'is_grad_enabled', () => isGradEnabled());
defPython('torch', 'from_numpy', () => { throw new NeedsValuesError('torch.from_numpy() of a NumPy array'); },
  { kind: 'python', qualname: 'from_numpy', params: [{ name: 'ndarray', positionalOnly: true }] });

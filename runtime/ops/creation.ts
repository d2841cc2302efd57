// Tensors made from nothing (zeros, full, arange, randn, ...): the shape and dtype come from the
// attributes and the device from the evaluation context. Random ops carry the generator they
// would draw from, so the value tier (issue 3) can plug in its RNG without changing callers.
import { type DType } from '../dtype.ts';
import { type Tensor } from '../tensor.ts';
import { runtimeError } from '../python/index.ts';
import { checkNonNegative } from './shape-ops.ts';
import { defineOp, runOp } from './registry.ts';
import type { Scalar } from './scalar.ts';

export type Distribution =
  | { kind: 'normal'; mean: number; std: number }
  | { kind: 'uniform'; low: number; high: number }
  | { kind: 'randint'; low: number; high: number }
  | { kind: 'randperm'; n: number }
  | { kind: 'bernoulli'; p: number };

export interface CreationAttrs {
  shape: readonly number[];
  dtype: DType;
  /** What fills the tensor: a constant, nothing (`empty`), or random draws. */
  fill: { kind: 'value'; value: Scalar } | { kind: 'empty' } | { kind: 'random'; distribution: Distribution; generator: unknown };
}

const createOp = defineOp<CreationAttrs>('create', (_inputs, a) => {
  checkNonNegative(a.shape);
  return { shape: a.shape, dtype: a.dtype };
}, { differentiable: false });

export const create = (attrs: CreationAttrs): Tensor => runOp(createOp, [], attrs);

export interface RangeAttrs { start: number; step: number; length: number; dtype: DType; kind: 'arange' | 'linspace' | 'logspace'; base?: number }

const rangeOp = defineOp<RangeAttrs>('range', (_inputs, a) => ({ shape: [a.length], dtype: a.dtype }), { differentiable: false });

/** `torch.arange`: length = ceil((end - start) / step), with ATen's checks. */
export function arange(start: number, end: number, step: number, dtype: DType): Tensor {
  if (step === 0) throw runtimeError('step must be nonzero');
  if (!Number.isFinite(start) || !Number.isFinite(end)) throw runtimeError(`unsupported range: ${start} -> ${end}`);
  if ((step > 0 && end < start) || (step < 0 && end > start)) throw runtimeError('upper bound and larger bound inconsistent with step sign');
  // ATen computes the length in double precision: ceil((end - start) / step).
  const length = Math.ceil((end - start) / step);
  return runOp(rangeOp, [], { start, step, length: Math.max(0, length), dtype, kind: 'arange' });
}

export function linspace(start: number, end: number, steps: number, dtype: DType, kind: 'linspace' | 'logspace' = 'linspace', base = 10): Tensor {
  if (steps < 0) throw runtimeError('number of steps must be non-negative');
  return runOp(rangeOp, [], { start, step: steps > 1 ? (end - start) / (steps - 1) : 0, length: steps, dtype, kind, base });
}

const eyeOp = defineOp<{ n: number; m: number; dtype: DType }>('eye', (_inputs, a) => {
  if (a.n < 0) throw runtimeError(`n must be greater or equal to 0, got ${a.n}`);
  if (a.m < 0) throw runtimeError(`m must be greater or equal to 0, got ${a.m}`);
  return { shape: [a.n, a.m], dtype: a.dtype };
}, { differentiable: false });
export const eye = (n: number, m: number, dtype: DType): Tensor => runOp(eyeOp, [], { n, m, dtype });

/** `torch.tensor(data)`: the nested Python numbers, flattened, with their shape. */
export interface DataAttrs { shape: readonly number[]; dtype: DType; values: readonly number[] }
const fromDataOp = defineOp<DataAttrs>('from_data', (_inputs, a) => ({ shape: a.shape, dtype: a.dtype }), { differentiable: false });
export const fromData = (attrs: DataAttrs): Tensor => runOp(fromDataOp, [], attrs);

/** `x.to(dtype)` and friends: same shape, new dtype (and a copy on value devices). */
const castOp = defineOp<{ dtype: DType }>('cast', ([t], { dtype }) => ({ shape: t!.shape, dtype }));
export const cast = (t: Tensor, dtype: DType): Tensor => runOp(castOp, [t], { dtype });

/** Random fills in place (`normal_`, `uniform_`, `bernoulli_`): shape and dtype are unchanged. */
export interface FillAttrs { fill: CreationAttrs['fill'] }
const fillOp = defineOp<FillAttrs>('fill_', ([t]) => ({ shape: t!.shape, dtype: t!.dtype }), { differentiable: false });
export function fillInplace(t: Tensor, fill: CreationAttrs['fill']): Tensor {
  if (t.device !== 'meta') {
    // Write into the existing storage: views such as `param.data` share it.
    const out = runOp(fillOp, [t], { fill });
    (t.data as { set(a: ArrayLike<number | bigint>): void }).set(out.data!);
  }
  return t;
}

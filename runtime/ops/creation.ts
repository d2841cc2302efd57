// Tensors made from nothing (zeros, full, arange, randn, ...): the shape and dtype come from the
// attributes and the device from the evaluation context. Random ops carry the generator they
// draw from; their cpu kernels (at the end of this file) are PyTorch's CPU random kernels,
// bit-exact (runtime/random/, ../shared/RNG.md).
import { type DType } from '../dtype.ts';
import { type Tensor } from '../tensor.ts';
import { runtimeError } from '../python/index.ts';
import { checkNonNegative } from './shape-ops.ts';
import { type Kernel, defineOp, registerKernel, runOp, runOpInplace } from './registry.ts';
import type { Scalar } from './scalar.ts';
import { engineOf } from '../random/engine.ts';
import {
  bernoulliFill, normalFill, randintFill, randomFill, randpermFill, uniformFill,
} from '../random/distributions.ts';
import { type Storage, castNumber, storeNumber } from '../random/element.ts';
import { fma32, fma64 } from '../random/fma.ts';

export type Distribution =
  | { kind: 'normal'; mean: number; std: number }
  | { kind: 'uniform'; low: number; high: number }
  | { kind: 'randint'; low: number; high: number }
  | { kind: 'randperm'; n: number }
  | { kind: 'bernoulli'; p: number }
  /** `random_()`: the dtype's whole range (`uniform_int_distribution`). */
  | { kind: 'random' };

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

export interface RangeAttrs {
  start: number; step: number; length: number; dtype: DType; kind: 'arange' | 'linspace' | 'logspace'; base?: number;
  /** linspace/logspace: the last value. */
  end?: number;
}

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
  return runOp(rangeOp, [], { start, end, step: steps > 1 ? (end - start) / (steps - 1) : 0, length: steps, dtype, kind, base });
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
  // Writes into the existing storage (views such as `param.data` share it); a device executor
  // (webgpu) assigns its own way.
  if (t.device !== 'meta') runOpInplace(fillOp, t, [t], { fill });
  return t;
}

// ------------------------------------------------------------------ cpu kernels

const dataOf = (t: Tensor): Storage => {
  if (t.data === null) throw new Error(`cpu kernel got a tensor without values ([${t.shape.join(', ')}])`);
  return t.data;
};

/** Writes a Python scalar into every element (`fill_`, `zeros`, `full`). */
function fillValue(out: Tensor, value: Scalar): void {
  const data = dataOf(out);
  const v = value.value ?? 0;
  if (data instanceof BigInt64Array) { data.fill(BigInt.asIntN(64, BigInt(Math.trunc(v)))); return; }
  if (out.dtype.isComplex) { for (let i = 0; i < data.length; i += 2) { data[i] = v; data[i + 1] = 0; } return; }
  data.fill(castNumber(out.dtype, v));
}

/** Draws `out`'s values from the fill's generator. */
export function randomKernelFill(out: Tensor, distribution: Distribution, generator: unknown): void {
  const gen = engineOf(generator);
  const data = dataOf(out);
  const n = out.numel();
  switch (distribution.kind) {
    case 'normal': normalFill(gen, data, out.dtype, distribution.mean, distribution.std, true, n); return;
    case 'uniform': uniformFill(gen, data, out.dtype, distribution.low, distribution.high, n); return;
    case 'randint': randintFill(gen, data, out.dtype, distribution.low, distribution.high, n); return;
    case 'randperm': randpermFill(gen, data, out.dtype, distribution.n); return;
    case 'bernoulli': bernoulliFill(gen, data, out.dtype, distribution.p, n); return;
    case 'random': randomFill(gen, data, out.dtype, n); return;
  }
}

function applyFill(out: Tensor, fill: CreationAttrs['fill'], previous: Storage | null): void {
  if (fill.kind === 'value') fillValue(out, fill.value);
  else if (fill.kind === 'random') randomKernelFill(out, fill.distribution, fill.generator);
  else if (previous) (dataOf(out) as { set(a: ArrayLike<number | bigint>): void }).set(previous);
}

const createKernel: Kernel<CreationAttrs> = (_inputs, a, [out]) => applyFill(out!, a.fill, null);

const fillKernel: Kernel<FillAttrs> = ([t], a, [out]) => applyFill(out!, a.fill, dataOf(t!));

/** ATen's `Vectorized<T>::size()` under AVX2: how many elements arange/linspace write per vector. */
const vecSize = (dtype: DType): number => (dtype.name === 'float64' ? 4 : dtype.name === 'float32' ? 8 : 0);

/**
 * arange/linspace as ATen's cpu_serial_kernel_vec runs them (one thread): blocks of two vectors
 * whose lanes are `base + k * step` from a per-vector base, then the remaining elements one by
 * one. For floating dtypes `value(idx)` is the scalar formula; `lane(base, k)` the vector one.
 */
function vectorRange(out: Tensor, n: number, value: (idx: number) => number, base: (idx: number) => number, lane: (b: number, k: number) => number): void {
  const data = dataOf(out);
  const v = vecSize(out.dtype);
  let i = 0;
  if (v > 0) {
    for (; i + 2 * v <= n; i += 2 * v) {
      for (const o of [i, i + v]) {
        const b = base(o);
        for (let k = 0; k < v; k++) data[o + k] = castNumber(out.dtype, lane(b, k));
      }
    }
  }
  for (; i < n; i++) storeNumber(data, out.dtype, i, value(i));
}

const rangeKernel: Kernel<RangeAttrs> = (_inputs, a, [out]) => {
  const t = out!;
  const n = a.length;
  const dt = t.dtype;
  if (a.kind === 'arange') {
    if (t.data instanceof BigInt64Array) {
      const start = BigInt(Math.trunc(a.start));
      const step = BigInt(Math.trunc(a.step));
      for (let i = 0; i < n; i++) t.data[i] = start + step * BigInt(i);
      return;
    }
    // accscalar_t is double for every cpu dtype but int64 (handled above); the vector lanes add
    // multiples of the double step to the base already cast to the dtype.
    const value = (idx: number): number => fma64(a.step, idx, a.start);
    vectorRange(t, n, value, (idx) => castNumber(dt, value(idx)), (b, k) => fma64(k, a.step, b));
    return;
  }
  if (n === 0) return;
  const end = a.end ?? a.start + a.step * (n - 1);
  if (n === 1) { storeNumber(dataOf(t), dt, 0, a.kind === 'logspace' ? Math.pow(a.base ?? 10, a.start) : a.start); return; }
  const halfway = Math.floor(n / 2);
  if (a.kind === 'logspace') {
    const base = a.base ?? 10;
    const isInt = !dt.isFloatingPoint;
    const s = isInt ? Math.trunc(a.start) : castNumber(dt, a.start);
    const e = isInt ? Math.trunc(end) : castNumber(dt, end);
    const step = isInt ? (e - s) / (n - 1) : castNumber(dt, (e - s) / (n - 1));
    for (let i = 0; i < n; i++) {
      const x = i < halfway ? s + step * i : e - step * (n - i - 1);
      storeNumber(dataOf(t), dt, i, Math.pow(base, castNumber(dt, x)));
    }
    return;
  }
  // linspace: `step_t` is double for integer dtypes, else the dtype itself. The per-vector base
  // `start + step * idx` is one FMA; the lanes `base + k * step` are not fused (measured on 1.13).
  if (!dt.isFloatingPoint) {
    const s = Math.trunc(a.start);
    const e = Math.trunc(end);
    const step = (e - s) / (n - 1);
    for (let i = 0; i < n; i++) storeNumber(dataOf(t), dt, i, i < halfway ? fma64(step, i, s) : fma64(-step, n - i - 1, e));
    return;
  }
  const single = dt.name !== 'float64';
  const fma = single ? fma32 : fma64;
  const s = castNumber(dt, a.start);
  const e = castNumber(dt, end);
  const step = castNumber(dt, castNumber(dt, e - s) / (n - 1));
  const value = (idx: number): number => (idx < halfway ? fma(step, castNumber(dt, idx), s) : fma(-step, castNumber(dt, n - idx - 1), e));
  vectorRange(t, n, value, (idx) => castNumber(dt, value(idx)), (b, k) => b + castNumber(dt, k * step));
};

const eyeKernel: Kernel<{ n: number; m: number; dtype: DType }> = (_inputs, a, [out]) => {
  const data = dataOf(out!);
  const one = data instanceof BigInt64Array ? 1n : 1;
  for (let i = 0; i < Math.min(a.n, a.m); i++) data[i * a.m + i] = one as never;
};

const fromDataKernel: Kernel<DataAttrs> = (_inputs, a, [out]) => {
  const data = dataOf(out!);
  for (let i = 0; i < a.values.length; i++) storeNumber(data, out!.dtype, i, a.values[i]!);
};

/** `x.to(dtype)`: C++ static_cast per element (floats to integers truncate; anything non-zero is True). */
const castKernel: Kernel<{ dtype: DType }> = ([x], { dtype }, [out]) => {
  const from = x!.dtype;
  const src = dataOf(x!);
  const dst = dataOf(out!);
  const n = out!.numel();
  if (dtype === from) { (dst as { set(a: ArrayLike<number | bigint>): void }).set(src); return; }
  if (dtype.isComplex || from.isComplex) {
    const srcStep = from.isComplex ? 2 : 1;
    for (let i = 0; i < n; i++) {
      const re = Number(src[i * srcStep]!);
      const im = srcStep === 2 ? Number(src[i * srcStep + 1]!) : 0;
      if (dtype.isComplex) { dst[2 * i] = re; dst[2 * i + 1] = im; } else storeNumber(dst, dtype, i, re);
    }
    return;
  }
  if (src instanceof BigInt64Array) {
    for (let i = 0; i < n; i++) {
      const v = src[i]!;
      if (dst instanceof BigInt64Array) dst[i] = v;
      else if (dtype.name === 'bool') dst[i] = v !== 0n ? 1 : 0;
      else if (dtype.isFloatingPoint) dst[i] = castNumber(dtype, Number(v));
      else dst[i] = castNumber(dtype, Number(BigInt.asIntN(32, v)));
    }
    return;
  }
  for (let i = 0; i < n; i++) storeNumber(dst, dtype, i, src[i]!);
};

registerKernel(createOp, 'cpu', createKernel);
registerKernel(fillOp, 'cpu', fillKernel);
registerKernel(rangeOp, 'cpu', rangeKernel);
registerKernel(eyeOp, 'cpu', eyeKernel);
registerKernel(fromDataOp, 'cpu', fromDataKernel);
registerKernel(castOp, 'cpu', castKernel);

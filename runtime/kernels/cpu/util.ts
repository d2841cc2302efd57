// Shared pieces of the CPU kernels: reading a tensor's values as JS numbers, storing computed
// numbers with the output dtype's rounding/wrapping, broadcasting index maps and strided copies.
//
// Numeric model: every kernel computes in JS doubles and rounds once, when it stores into the
// output (a Float32Array rounds to float32, float16/bfloat16 are rounded explicitly, integers wrap
// like C casts). For a single float32 operation (+ - * / sqrt) computing in double and rounding
// gives exactly float32's result; for longer formulas and accumulations (sums, GEMM, norms) the
// double intermediates are more accurate than PyTorch's float32 ones, so the difference from
// PyTorch is PyTorch's own rounding error — well inside the 1e-5 + 1e-4·|x| tolerance.
import { type DType } from '../../dtype.ts';
import { type Tensor, contiguousStrides, shapeNumel } from '../../tensor.ts';
import { notImplementedError, runtimeError } from '../../python/index.ts';
import { roundBFloat16, roundHalf, roundHalfEven } from '../../ops/rounding.ts';

export { roundBFloat16, roundHalf, roundHalfEven };

export type TensorData = NonNullable<Tensor['data']>;
/** Arrays indexed with numbers (everything but int64 storage). */
export type NumberArray = Float32Array | Float64Array | Int32Array | Uint8Array;

/** A value tensor's storage (kernels only run on value devices). */
export function dataOf(t: Tensor): TensorData {
  if (t.data === null) throw new Error(`cpu kernel got a tensor without values (${t.device}, [${t.shape.join(', ')}])`);
  return t.data;
}

/** The tensor's values as numbers: int64 storage is converted (exact up to 2**53), the rest is the storage itself. */
export function numbers(t: Tensor): NumberArray {
  const d = dataOf(t);
  if (d instanceof BigInt64Array) {
    const out = new Float64Array(d.length);
    for (let i = 0; i < d.length; i++) out[i] = Number(d[i]!);
    return out;
  }
  if (t.dtype.isComplex) throw notImplementedError(`complex tensors have no cpu kernels in NN Lens yet`);
  return d;
}

/** Storage values as numbers converted to `to` (a no-op view when nothing changes). */
export function convertValues(data: TensorData, from: DType, to: DType): NumberArray {
  let v: NumberArray;
  if (data instanceof BigInt64Array) {
    v = new Float64Array(data.length);
    for (let i = 0; i < data.length; i++) v[i] = Number(data[i]!);
  } else {
    if (from.isComplex) throw notImplementedError(`complex tensors have no cpu kernels in NN Lens yet`);
    v = data;
  }
  // Doubles hold every other dtype's values; float32 holds half/bfloat16/bool values exactly.
  if (from === to || to.name === 'float64') return v;
  if (to.name === 'float32' && (from.name === 'float16' || from.name === 'bfloat16' || from.name === 'bool')) return v;
  const cast = caster(to);
  const out = new Float64Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = cast(v[i]!);
  return out;
}

/** The value at flat index `i` as a number. */
export function numberAt(t: Tensor, i: number): number {
  const d = dataOf(t);
  return d instanceof BigInt64Array ? Number(d[i]!) : d[i]!;
}

// ------------------------------------------------------------------ rounding to a dtype

const INT64_MIN = -9223372036854775808n;

/** static_cast<int64_t>(double): truncation; NaN/inf/out of range give INT64_MIN as on x86. */
export function toInt64(v: number): bigint {
  if (!Number.isFinite(v) || v >= 9223372036854775808 || v < -9223372036854775808) return INT64_MIN;
  return BigInt(Math.trunc(v));
}

/** The number a dtype stores for `v` (float32 rounding, integer truncation and wrapping, bool). */
export function caster(dtype: DType): (v: number) => number {
  switch (dtype.name) {
    case 'float32': return Math.fround;
    case 'float64': return (v) => v;
    case 'float16': return roundHalf;
    case 'bfloat16': return roundBFloat16;
    case 'int64': return (v) => (Number.isFinite(v) ? Math.trunc(v) : -9223372036854775808);
    case 'int32': return (v) => (Number.isFinite(v) ? Math.trunc(v) | 0 : -2147483648);
    case 'int16': return (v) => (Number.isFinite(v) ? ((Math.trunc(v) | 0) << 16) >> 16 : 0);
    case 'int8': return (v) => (Number.isFinite(v) ? ((Math.trunc(v) | 0) << 24) >> 24 : 0);
    case 'uint8': return (v) => (Number.isFinite(v) ? (Math.trunc(v) | 0) & 255 : 0);
    case 'bool': return (v) => (v !== 0 ? 1 : 0);
    default: throw notImplementedError(`${dtype.name} tensors have no cpu kernels in NN Lens yet`);
  }
}

/**
 * Where a kernel writes its numbers: the output's own storage when it is a plain float32/float64
 * array (the common case), else a scratch Float64Array that `commit` converts.
 */
export function resultArray(out: Tensor): Float32Array | Float64Array {
  const d = dataOf(out);
  if ((out.dtype.name === 'float32' && d instanceof Float32Array) || (out.dtype.name === 'float64' && d instanceof Float64Array)) return d;
  return new Float64Array(out.numel());
}

/** Stores `values` into `out` with out's dtype rules (no-op when `values` is out's storage). */
export function commit(out: Tensor, values: ArrayLike<number>): void {
  const d = dataOf(out);
  if (values === (d as unknown)) return;
  const n = out.numel();
  if (d instanceof BigInt64Array) {
    for (let i = 0; i < n; i++) d[i] = toInt64(values[i]!);
    return;
  }
  const name = out.dtype.name;
  if (name === 'float32' || name === 'float64') {
    (d as Float32Array | Float64Array).set(values instanceof Float64Array || values instanceof Float32Array ? values.subarray(0, n) : Array.from(values));
    return;
  }
  const cast = caster(out.dtype);
  for (let i = 0; i < n; i++) (d as NumberArray)[i] = cast(values[i]!);
}

/** Copies one tensor's values into another of the same shape, converting dtypes (`cast`, in-place writes). */
export function copyConvert(src: Tensor, dst: Tensor): void {
  const s = dataOf(src);
  const d = dataOf(dst);
  if (s instanceof BigInt64Array && d instanceof BigInt64Array) { d.set(s); return; }
  if (src.dtype === dst.dtype && s.constructor === d.constructor) { (d as Float32Array).set(s as Float32Array); return; }
  commit(dst, numbers(src));
}

// ------------------------------------------------------------------ broadcasting

/**
 * For each flat index of `outShape`, the flat index of the (broadcast) input element; null when
 * the input already has the output's shape (identity).
 */
export function broadcastMap(inShape: readonly number[], outShape: readonly number[]): Int32Array | null {
  if (inShape.length === outShape.length && inShape.every((s, i) => s === outShape[i])) return null;
  // Same element count and order (only leading 1s differ): also the identity.
  if (shapeNumel(inShape) === shapeNumel(outShape) && inShape.filter((s) => s !== 1).join() === outShape.filter((s) => s !== 1).join()) return null;
  const n = shapeNumel(outShape);
  const map = new Int32Array(n);
  if (shapeNumel(inShape) === 1) return map;
  const rank = outShape.length;
  const inStrides = contiguousStrides(inShape);
  const strides = new Array<number>(rank).fill(0);
  for (let i = 0; i < inShape.length; i++) {
    const d = rank - inShape.length + i;
    strides[d] = inShape[i] === 1 ? 0 : inStrides[i]!;
  }
  stridedIndices(outShape, strides, 0, map);
  return map;
}

/** Writes, for each element of `shape` in row-major order, `offset + sum(index[d] * strides[d])` into `into`. */
export function stridedIndices(shape: readonly number[], strides: readonly number[], offset: number, into: Int32Array): Int32Array {
  const rank = shape.length;
  const n = shapeNumel(shape);
  if (n === 0) return into;
  if (rank === 0) { into[0] = offset; return into; }
  const last = rank - 1;
  const inner = shape[last]!;
  const innerStride = strides[last]!;
  const index = new Array<number>(rank).fill(0);
  let base = offset;
  let k = 0;
  for (;;) {
    for (let j = 0, p = base; j < inner; j++, p += innerStride) into[k++] = p;
    // Advance the outer dims (an odometer).
    let d = last - 1;
    for (; d >= 0; d--) {
      index[d]!++;
      base += strides[d]!;
      if (index[d]! < shape[d]!) break;
      base -= strides[d]! * shape[d]!;
      index[d] = 0;
    }
    if (d < 0) return into;
  }
}

/**
 * Copies a strided view of `src` (shape, per-dim strides in elements — negative for flips —
 * and a start offset) into the contiguous `dst`. Works for every storage kind, int64 included.
 */
export function stridedCopy(src: TensorData, offset: number, shape: readonly number[], strides: readonly number[], dst: TensorData, dstOffset = 0): void {
  const n = shapeNumel(shape);
  if (n === 0) return;
  const map = stridedIndices(shape, strides, offset, new Int32Array(n));
  // Values move between arrays of the same kind (number or bigint); the casts only satisfy TS.
  const s = src as unknown as Float64Array;
  const d = dst as unknown as Float64Array;
  for (let i = 0; i < n; i++) d[dstOffset + i] = s[map[i]!]!;
}

/** A fresh storage array of the kind `like` uses, with `n` elements. */
export function sameKind(like: TensorData, n: number): TensorData {
  return new (like.constructor as new (n: number) => TensorData)(n);
}

/** Integer division by zero (floor_divide, remainder, div with rounding) raises, as ATen's integer kernels do. */
export const zeroDivision = (): Error => runtimeError('ZeroDivisionError');

/** Permutes a contiguous tensor's storage so that the `reduced` dims come last: returns [outer, inner] sizes and the data. */
export function moveDimsLast(t: Tensor, reduced: readonly number[]): { outer: number; inner: number; data: TensorData } {
  const rank = t.ndim;
  const keep: number[] = [];
  for (let d = 0; d < rank; d++) if (!reduced.includes(d)) keep.push(d);
  const order = [...keep, ...[...reduced].sort((a, b) => a - b)];
  const inner = reduced.reduce((p, d) => p * t.shape[d]!, 1);
  const outer = keep.reduce((p, d) => p * t.shape[d]!, 1);
  const src = dataOf(t);
  const isIdentity = order.every((d, i) => d === i);
  if (isIdentity) return { outer, inner, data: src };
  const strides = contiguousStrides(t.shape);
  const data = sameKind(src, src.length);
  stridedCopy(src, 0, order.map((d) => t.shape[d]!), order.map((d) => strides[d]!), data);
  return { outer, inner, data };
}

/** Normalises a possibly negative dim for a tensor of rank `ndim` (rank 0 behaves as rank 1). */
export const wrapDim = (dim: number, ndim: number): number => (dim < 0 ? dim + Math.max(ndim, 1) : dim);

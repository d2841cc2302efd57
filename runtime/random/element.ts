// Storing numbers into a tensor's storage the way a C++ `static_cast<scalar_t>` would: float16 and
// bfloat16 live in Float32Arrays (rounded to their precision here), int8/int16 in Int32Arrays
// (wrapped here), int64 in BigInt64Arrays.
import type { DType } from '../dtype.ts';
import type { Tensor } from '../tensor.ts';

export type Storage = NonNullable<Tensor['data']>;

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** Round a double to the nearest bfloat16 (ties to even), as a number. */
export function bf16Round(x: number): number {
  f32[0] = x; // first to float32, as c10::BFloat16(float) receives a float
  if (Number.isNaN(f32[0]!)) return NaN;
  const bits = u32[0]!;
  const rounded = (bits + 0x7fff + ((bits >>> 16) & 1)) >>> 0;
  u32[0] = rounded & 0xffff0000;
  return f32[0]!;
}

/** Round a double to the nearest float16 (ties to even), as a number (via float32, like c10::Half). */
export function f16Round(xIn: number): number {
  const x = Math.fround(xIn);
  if (!Number.isFinite(x) || x === 0) return x;
  const a = Math.abs(x);
  if (a >= 65520) return x > 0 ? Infinity : -Infinity;
  let e = Math.floor(Math.log2(a));
  if (2 ** e > a) e -= 1;
  if (2 ** (e + 1) <= a) e += 1;
  const quantum = 2 ** (Math.max(e, -14) - 10);
  const q = a / quantum; // exact: a power-of-two scaling
  let r = Math.floor(q);
  const frac = q - r;
  if (frac > 0.5 || (frac === 0.5 && r % 2 === 1)) r += 1;
  return Math.sign(x) * r * quantum;
}

/** The value a floating-point number becomes in a tensor of `dtype` (integers truncate toward zero). */
export function castNumber(dtype: DType, v: number): number {
  switch (dtype.name) {
    case 'float32': case 'complex64': return Math.fround(v);
    case 'float64': case 'complex128': return v;
    case 'float16': return f16Round(v);
    case 'bfloat16': return bf16Round(v);
    case 'bool': return v !== 0 ? 1 : 0;
    case 'uint8': return wrapInt(v, 8, false);
    case 'int8': return wrapInt(v, 8, true);
    case 'int16': return wrapInt(v, 16, true);
    case 'int32': return wrapInt(v, 32, true);
    default: return Math.trunc(v);
  }
}

/** An integer conversion that wraps like the C cast on x86 (out-of-range float conversions are UB in C++). */
function wrapInt(v: number, bits: number, signed: boolean): number {
  if (!Number.isFinite(v)) return 0;
  const t = Math.trunc(v);
  if (Math.abs(t) < 2 ** 31) {
    const shift = 32 - bits;
    return signed ? (t << shift) >> shift : (t << shift) >>> shift;
  }
  return Number(signed ? BigInt.asIntN(bits, BigInt(t)) : BigInt.asUintN(bits, BigInt(t)));
}

/** Writes element `i` of `data` (of `dtype`) from a number. Non-finite values into integers give 0 here. */
export function storeNumber(data: Storage, dtype: DType, i: number, v: number): void {
  if (data instanceof BigInt64Array) {
    data[i] = Number.isFinite(v) ? BigInt.asIntN(64, BigInt(Math.trunc(v))) : -(2n ** 63n);
    return;
  }
  if (!dtype.isFloatingPoint && !dtype.isComplex && !Number.isFinite(v)) { data[i] = 0; return; }
  data[i] = castNumber(dtype, v);
}

/** Element `i` of `data` as a number (int64 through Number()). */
export function loadNumber(data: Storage, i: number): number {
  const v = data[i]!;
  return typeof v === 'bigint' ? Number(v) : v;
}

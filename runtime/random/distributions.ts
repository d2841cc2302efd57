// PyTorch's CPU random kernels (aten/src/ATen/native/cpu/DistributionTemplates.h with
// core/DistributionsHelper.h and core/TransformationHelper.h), as the AVX2 build runs them on
// x86-64 Linux: ../shared/RNG.md §3–§5. Each fill writes a whole contiguous storage in row-major
// order and draws strictly sequentially from one generator.
import type { DType } from '../dtype.ts';
import type { CpuGenerator } from './generator.ts';
import { fma32, fma64 } from './fma.ts';
import { boxMullerAvx } from './avx-mathfun.ts';
import { logCR, sincos, sincosCR } from './libm.ts';
import { type Storage, castNumber, storeNumber } from './element.ts';

const f = Math.fround;
const TWO_32 = 4294967296;

/** Mantissa digits (`std::numeric_limits<T>::digits`) of the floating dtypes. */
function digits(dtype: DType): number {
  switch (dtype.name) {
    case 'float64': return 53;
    case 'float16': return 11;
    case 'bfloat16': return 8;
    default: return 24;
  }
}

// ------------------------------------------------------------------ uniform_ (§3)

/**
 * `uniform_(from, to)`: `uniform_real_distribution<scalar_t>(from, to)`. The bounds are first
 * cast to the tensor's dtype; float32 computes `x * (to - from) + from` with one FMA, float64 too
 * (in doubles, from `random64()`), float16/bfloat16 in float32 from `random()`.
 */
export function uniformFill(gen: CpuGenerator, data: Storage, dtype: DType, from: number, to: number, n = data.length): void {
  if (dtype.name === 'float64') {
    const range = to - from;
    const out = data as Float64Array;
    for (let i = 0; i < n; i++) out[i] = fma64(gen.uniform53(), range, from);
    return;
  }
  if (dtype.name === 'float32') {
    const a = f(from);
    const range = f(f(to) - a);
    const out = data as Float32Array;
    if (exactUniformSum(a, range)) {
      // x * range + a is exact in double, so the float32 store's one rounding is the FMA's.
      gen.fillUniform24(out, 0, n, range, a);
    } else {
      gen.fillUniform24(out, 0, n);
      for (let i = 0; i < n; i++) out[i] = fma32(out[i]!, range, a);
    }
    return;
  }
  if (dtype.name === 'float16' || dtype.name === 'bfloat16') {
    // dist_acctype<Half/BFloat16> is float: the bounds as the 16-bit type, arithmetic in float.
    const d = digits(dtype);
    const mask = (1 << d) - 1;
    const divisor = 2 ** -d;
    const a = castNumber(dtype, from);
    const range = f(castNumber(dtype, to) - a);
    for (let i = 0; i < n; i++) data[i] = castNumber(dtype, fma32(f((gen.random32() & mask) * divisor), range, a));
    return;
  }
  throw new Error(`uniform_ on ${dtype.name}`);
}

const f32Bits = new Float32Array(1);
const i32Bits = new Int32Array(f32Bits.buffer);

/** The spacing of float32 numbers at |v| (v a float32): every float32 of v's binade is a multiple of it. */
function ulp32(v: number): number {
  f32Bits[0] = v;
  const biased = (i32Bits[0]! >>> 23) & 0xff;
  return 2 ** (Math.max(biased, 1) - 150);
}

/**
 * Whether `x * range + a` is exact in double for every 24-bit uniform x = k·2^-24: then rounding
 * that double once to float32 is the FMA's correctly rounded result. The product is a multiple
 * of ulp(range)·2^-24 and `a` a multiple of ulp(a), so the sum is a multiple of the smaller,
 * below |range| + |a| in magnitude: exact when that is under 2^53 of those units (2^52 here, for
 * margin). True for the usual bounds (±b: kaiming_uniform_, xavier_uniform_, the layers' biases).
 */
function exactUniformSum(a: number, range: number): boolean {
  if (range === 0 || a === 0) return true; // x·range alone has at most 48 bits
  const unit = Math.min(ulp32(range) * 5.9604644775390625e-8, ulp32(a));
  return Math.abs(range) + Math.abs(a) < unit * 2 ** 52;
}

// ------------------------------------------------------------------ normal_ (§4)

/**
 * `normal_(mean, std)`: the AVX2 vector path for float32 storages of at least 16 elements, the
 * generic `normal_fill` for other floating dtypes with at least 16, and the scalar Box–Muller
 * path (with the generator's cached second sample) below 16 or for non-contiguous targets.
 */
export function normalFill(gen: CpuGenerator, data: Storage, dtype: DType, mean: number, std: number, contiguous = true, n = data.length): void {
  if (n >= 16 && contiguous) {
    if (dtype.name === 'float32') { normalFillAvx2(gen, data as Float32Array, n, f(mean), f(std)); return; }
    if (dtype.name === 'float64') { normalFillDouble(gen, data as Float64Array, n, mean, std); return; }
  }
  normalFillScalar(gen, data, dtype, mean, std, n);
}

/** `normal_distribution<double>(mean, std)` per element: double Box–Muller with the cache (§4a). */
export function normalFillScalar(gen: CpuGenerator, data: Storage, dtype: DType, mean: number, std: number, n = data.length): void {
  for (let i = 0; i < n; i++) storeNumber(data, dtype, i, fma64(normalSample(gen), std, mean));
}

/** One standard normal sample of the scalar path (`maybe_get_next_double_normal_sample` first). */
export function normalSample(gen: CpuGenerator): number {
  if (gen.normalCache !== null) {
    const z = gen.normalCache;
    gen.normalCache = null;
    return z;
  }
  const u1 = gen.uniform53();
  const u2 = gen.uniform53();
  const r = Math.sqrt(-2.0 * logCR(1.0 - u2));
  const theta = 2.0 * Math.PI * u1;
  sincos(theta);
  gen.normalCache = r * sincosCR.sin;
  return r * sincosCR.cos;
}

/** `normal_fill_AVX2` (§4b): uniforms for all, Box–Muller per 16, the tail recomputed from 16 fresh draws. */
function normalFillAvx2(gen: CpuGenerator, data: Float32Array, n: number, mean: number, std: number): void {
  gen.fillUniform24(data, 0, n);
  const unit = mean === 0 && std === 1;
  for (let i = 0; i + 16 <= n; i += 16) {
    fill16Avx2(data, i);
    scale16(data, i, mean, std, unit);
  }
  if (n % 16 !== 0) {
    gen.fillUniform24(data, n - 16, n);
    fill16Avx2(data, n - 16);
    scale16(data, n - 16, mean, std, unit);
  }
}

/** Box–Muller on the pairs (j, j + 8) of 16 uniforms, before `* std + mean` (avx-mathfun.ts). */
function fill16Avx2(d: Float32Array, o: number): void {
  for (let j = o; j < o + 8; j++) boxMullerAvx(d, j);
}

/** `fma32(v, std, mean)` on 16 values; for (0, 1) that is v + 0 (exact; -0 becomes +0 as in the FMA). */
function scale16(d: Float32Array, o: number, mean: number, std: number, unit: boolean): void {
  if (unit) {
    for (let j = o; j < o + 16; j++) d[j] = d[j]! + 0;
  } else {
    for (let j = o; j < o + 16; j++) d[j] = fma32(d[j]!, std, mean);
  }
}

/**
 * `normal_fill<double>`: 53-bit uniforms (two draws each), libm Box–Muller per 16, FMA for
 * `* std + mean`. glibc's log/sin/cos are matched by correctly rounded ones (libm.ts): they
 * differ where glibc is not correctly rounded, about 0.1 % of values, in the last bit.
 */
function normalFillDouble(gen: CpuGenerator, data: Float64Array, n: number, mean: number, std: number): void {
  for (let i = 0; i < n; i++) data[i] = gen.uniform53();
  for (let i = 0; i + 16 <= n; i += 16) fill16Double(data, i, mean, std);
  if (n % 16 !== 0) {
    const o = n - 16;
    for (let j = 0; j < 16; j++) data[o + j] = gen.uniform53();
    fill16Double(data, o, mean, std);
  }
}

function fill16Double(d: Float64Array, o: number, mean: number, std: number): void {
  for (let j = 0; j < 8; j++) {
    const u1 = 1 - d[o + j]!;
    const u2 = d[o + j + 8]!;
    const radius = Math.sqrt(-2 * logCR(u1));
    sincos(2 * Math.PI * u2);
    d[o + j] = fma64(radius * sincosCR.cos, std, mean);
    d[o + j + 8] = fma64(radius * sincosCR.sin, std, mean);
  }
}

// ------------------------------------------------------------------ integers (§5)

const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** The first n elements of an int64 storage as (low, high) int32 word pairs, on little-endian hosts. */
function int64Words(data: BigInt64Array, n: number): Int32Array | null {
  return littleEndian ? new Int32Array(data.buffer, data.byteOffset, 2 * n) : null;
}

/** 64-bit-capable dtypes for which randint uses `random64()` when the range needs it. */
const wideRandint = new Set(['int64', 'float64', 'float32', 'bfloat16']);

/** `random_(from, to)` / `torch.randint(low, high)`: `low + draw % (high - low)`. */
export function randintFill(gen: CpuGenerator, data: Storage, dtype: DType, low: number | bigint, high: number | bigint, n = data.length): void {
  const lo = BigInt(low);
  const range = BigInt(high) - lo;
  const wide = range >= 1n << 32n && wideRandint.has(dtype.name);
  if (!wide && data instanceof BigInt64Array) {
    const words = int64Words(data, n);
    if (words && lo > -(1n << 52n) && lo < 1n << 52n) {
      // lo + draw % range is a safe integer: written as two int32 words, no BigInt per element.
      const r = Number(range);
      const l = Number(lo);
      for (let i = 0; i < n; i++) {
        const v = l + (gen.random32() % r);
        words[2 * i] = v; // ToInt32: v mod 2^32, the low word
        words[2 * i + 1] = Math.floor(v / TWO_32); // the high word (|v| < 2^53)
      }
      return;
    }
    for (let i = 0; i < n; i++) data[i] = BigInt.asIntN(64, lo + BigInt(gen.random32()) % range);
    return;
  }
  if (!wide && range < 1n << 53n && lo > -(1n << 53n) && lo < 1n << 53n) {
    const r = Number(range);
    const l = Number(lo);
    for (let i = 0; i < n; i++) storeNumber(data, dtype, i, l + (gen.random32() % r));
    return;
  }
  // The draw (mod 2^64 as uint64) % range, plus the base, wrapped to int64 like the C++ cast.
  const urange = BigInt.asUintN(64, range);
  for (let i = 0; i < n; i++) {
    const v = BigInt.asIntN(64, (wide ? gen.random64() : BigInt(gen.random32())) % urange + lo);
    if (data instanceof BigInt64Array) data[i] = v;
    else storeNumber(data, dtype, i, Number(v));
  }
}

/** `random_()` without bounds: `uniform_int_distribution<scalar_t>`. */
export function randomFill(gen: CpuGenerator, data: Storage, dtype: DType, n = data.length): void {
  switch (dtype.name) {
    case 'int64': {
      const out = data as BigInt64Array;
      const words = int64Words(out, n);
      if (words) {
        // random64() % 2^63: the first draw is the high word, its top bit cleared.
        for (let i = 0; i < n; i++) {
          words[2 * i + 1] = gen.random32() & 0x7fffffff;
          words[2 * i] = gen.random32();
        }
        return;
      }
      for (let i = 0; i < n; i++) out[i] = gen.random64() % (1n << 63n);
      return;
    }
    case 'float64':
      for (let i = 0; i < n; i++) data[i] = Number(gen.random64() % ((1n << 53n) + 1n));
      return;
    case 'bool': for (let i = 0; i < n; i++) data[i] = gen.random32() & 1; return;
    case 'uint8': for (let i = 0; i < n; i++) data[i] = gen.random32() % 256; return;
    case 'int8': for (let i = 0; i < n; i++) data[i] = gen.random32() % 128; return;
    case 'int16': for (let i = 0; i < n; i++) data[i] = gen.random32() % 32768; return;
    case 'int32': for (let i = 0; i < n; i++) data[i] = gen.random32() % 2147483648; return;
    default: {
      const m = 2 ** digits(dtype) + 1;
      for (let i = 0; i < n; i++) storeNumber(data, dtype, i, gen.random32() % m);
    }
  }
}

/** `torch.randperm(n)` on CPU (randperm_cpu): identity, then for i < n-1 swap i with i + random() % (n - i). */
export function randpermFill(gen: CpuGenerator, data: Storage, dtype: DType, n: number): void {
  const perm = new Float64Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  for (let i = 0; i < n - 1; i++) {
    const z = gen.random32() % (n - i);
    const sav = perm[i]!;
    perm[i] = perm[z + i]!;
    perm[z + i] = sav;
  }
  const words = data instanceof BigInt64Array ? int64Words(data, n) : null;
  if (words) {
    for (let i = 0; i < n; i++) { words[2 * i] = perm[i]!; words[2 * i + 1] = 0; } // 0 ≤ perm[i] < n < 2^31
    return;
  }
  for (let i = 0; i < n; i++) storeNumber(data, dtype, i, perm[i]!);
}

/** `bernoulli_(p)` with a float p, non-MKL builds: `uniform_real<double>() < p` per element. */
export function bernoulliFill(gen: CpuGenerator, data: Storage, dtype: DType, p: number, n = data.length): void {
  for (let i = 0; i < n; i++) storeNumber(data, dtype, i, gen.uniform53() < p ? 1 : 0);
}

export { TWO_32 };

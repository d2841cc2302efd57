// Elementwise kernels: unary math and activations, binary arithmetic/comparison/logic with
// broadcasting and type promotion, the n-ary ops (clamp, addcmul, addcdiv, lerp), where and
// masked_fill. Operands are first converted to the op's computation dtype (the promoted dtype:
// `x_float32 * 0.1` multiplies by float32(0.1), an int tensor + 2.5 computes in float32), the
// formula runs in double, and the store rounds to the output dtype.
import { type DType, bool, float64, isIntegral, resultType } from '../../dtype.ts';
import { type Tensor } from '../../tensor.ts';
import { notImplementedError, runtimeError } from '../../python/index.ts';
import type { BinaryAttrs, NaryAttrs, UnaryAttrs } from '../../ops/elementwise.ts';
import { type NumberArray, broadcastMap, caster, commit, convertValues, dataOf, numbers, resultArray, roundHalfEven, zeroDivision } from './util.ts';
import { digamma, erf, erfc, erfinv, i0, lgamma } from './special.ts';
import { registerCpu } from './register.ts';

/** The dtype operands are converted to before computing (promotion over all operands). */
export function computeDType(inputs: readonly Tensor[]): DType {
  return resultType(inputs.map((t) => ({ dtype: t.dtype, ndim: t.ndim, wrapped: t.isWrappedNumber })));
}

/** An operand's values converted to `dtype` (a no-op view when they already are). */
export function valuesAs(t: Tensor, dtype: DType): NumberArray {
  return convertValues(dataOf(t), t.dtype, dtype);
}

// ------------------------------------------------------------------ unary

type UnaryMath = (x: number, a: UnaryAttrs) => number;

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));
const SQRT1_2 = Math.SQRT1_2;
const GELU_TANH = Math.sqrt(2 / Math.PI);

/** Float formulas (inputs are already in the computation dtype). */
const floatUnary: Record<string, UnaryMath> = {
  exp: Math.exp, exp2: (x) => 2 ** x, expm1: Math.expm1, log: Math.log, log2: Math.log2, log10: Math.log10, log1p: Math.log1p,
  sqrt: Math.sqrt, rsqrt: (x) => 1 / Math.sqrt(x), sin: Math.sin, cos: Math.cos, tan: Math.tan, asin: Math.asin, acos: Math.acos,
  atan: Math.atan, sinh: Math.sinh, cosh: Math.cosh, tanh: Math.tanh, asinh: Math.asinh, acosh: Math.acosh, atanh: Math.atanh,
  sigmoid, erf, erfc, erfinv, reciprocal: (x) => 1 / x, lgamma, digamma, i0,
  deg2rad: (x) => x * (Math.PI / 180), rad2deg: (x) => x * (180 / Math.PI),
  logit: (x, a) => {
    const eps = a.eps ?? null;
    const z = eps === null ? x : x < eps ? eps : x > 1 - eps ? 1 - eps : x;
    return Math.log(z / (1 - z));
  },
  frac: (x) => x - Math.trunc(x),
  gelu: (x, a) => (a.approximate === 'tanh'
    ? 0.5 * x * (1 + Math.tanh(GELU_TANH * (x + 0.044715 * x * x * x)))
    : x * 0.5 * (1 + erf(x * SQRT1_2))),
  silu: (x) => x / (1 + Math.exp(-x)),
  mish: (x) => x * Math.tanh(Math.log1p(Math.exp(x))),
  elu: (x, a) => {
    const scale = a.scale ?? 1;
    return x <= 0 ? Math.expm1(x * (a.inputScale ?? 1)) * (a.alpha ?? 1) * scale : x * scale;
  },
  softplus: (x, a) => {
    const beta = a.beta ?? 1;
    return x * beta > (a.threshold ?? 20) ? x : Math.log1p(Math.exp(x * beta)) / beta;
  },
  leaky_relu: (x, a) => (x > 0 ? x : x * (a.negativeSlope ?? 0.01)),
  log_sigmoid: (x) => Math.min(x, 0) - Math.log1p(Math.exp(-Math.abs(x))),
  hardswish: (x) => (x * Math.min(Math.max(x + 3, 0), 6)) / 6,
  hardsigmoid: (x) => Math.min(Math.max(x + 3, 0), 6) / 6,
  softshrink: (x, a) => {
    const l = a.lambd ?? 0.5;
    return x > l ? x - l : x < -l ? x + l : x * 0;
  },
  hardshrink: (x, a) => {
    const l = a.lambd ?? 0.5;
    return x >= -l && x <= l ? 0 : x;
  },
};

/** Formulas that also apply to integer dtypes (the store wraps/truncates). */
const anyUnary: Record<string, UnaryMath> = {
  abs: Math.abs,
  neg: (x) => -x,
  relu: (x) => (x < 0 ? 0 : x),
  floor: Math.floor,
  ceil: Math.ceil,
  trunc: Math.trunc,
  sign: (x) => (x > 0 ? 1 : x < 0 ? -1 : x === x ? 0 : 0),
  sgn: (x) => (x > 0 ? 1 : x < 0 ? -1 : x === x ? 0 : 0),
  square: (x) => x * x,
  positive: (x) => x,
  clone: (x) => x,
  detach: (x) => x,
  hardtanh: (x, a) => {
    const lo = a.min ?? -1;
    const hi = a.max ?? 1;
    return x !== x ? x : Math.min(Math.max(x, lo), hi);
  },
  threshold: (x, a) => (x <= (a.threshold ?? 0) ? (a.value ?? 0) : x),
};

/** Ops producing bool from the input's own values. */
const predicates: Record<string, (x: number) => boolean> = {
  isnan: (x) => x !== x,
  isinf: (x) => x === Infinity || x === -Infinity,
  isfinite: Number.isFinite,
  isneginf: (x) => x === -Infinity,
  isposinf: (x) => x === Infinity,
  signbit: (x) => x < 0 || Object.is(x, -0),
  logical_not: (x) => x === 0,
};

function roundKernel(x: number, a: UnaryAttrs, dtype: DType): number {
  const decimals = a.decimals ?? 0;
  if (decimals === 0) return roundHalfEven(x);
  const f = dtype === float64 ? (v: number): number => v : Math.fround;
  if (decimals > 0) {
    const tenPow = f(10 ** decimals);
    return f(roundHalfEven(f(x * tenPow)) / tenPow);
  }
  const tenPow = f(10 ** -decimals);
  return f(roundHalfEven(f(x / tenPow)) * tenPow);
}

function nanToNum(x: number, a: UnaryAttrs, dtype: DType): number {
  const max = dtype === float64 ? Number.MAX_VALUE : dtype.name === 'float16' ? 65504 : dtype.name === 'bfloat16' ? 3.3895313892515355e38 : 3.4028234663852886e38;
  if (x !== x) return a.nan ?? 0;
  if (x === Infinity) return a.posinf ?? max;
  if (x === -Infinity) return a.neginf ?? -max;
  return x;
}

function bitwiseNot(input: Tensor, out: Tensor): void {
  const src = dataOf(input);
  const dst = dataOf(out);
  if (src instanceof BigInt64Array) {
    const d = dst as BigInt64Array;
    for (let i = 0; i < src.length; i++) d[i] = ~src[i]!;
    return;
  }
  const d = dst as Int32Array | Uint8Array;
  if (input.dtype === bool) for (let i = 0; i < src.length; i++) d[i] = src[i] ? 0 : 1;
  else for (let i = 0; i < src.length; i++) d[i] = ~src[i]!; // typed-array stores wrap to the width
  if (input.dtype.name === 'int16' || input.dtype.name === 'int8') {
    const w = input.dtype.name === 'int16' ? 16 : 24;
    for (let i = 0; i < d.length; i++) d[i] = (d[i]! << w) >> w;
  }
}

function unaryKernel(name: string) {
  return (inputs: readonly Tensor[], attrs: UnaryAttrs, [out]: Tensor[]): void => {
    const input = inputs[0]!;
    const o = out!;
    if (name === 'bitwise_not') { bitwiseNot(input, o); return; }
    if ((name === 'clone' || name === 'detach' || name === 'positive') && input.dtype === o.dtype) {
      const src = dataOf(input);
      (dataOf(o) as Float64Array).set(src as Float64Array);
      return;
    }
    if (name === 'dropout') { dropoutKernel(input, attrs, o); return; }
    const predicate = predicates[name];
    if (predicate) {
      const x = numbers(input);
      const d = dataOf(o) as Uint8Array;
      for (let i = 0; i < x.length; i++) d[i] = predicate(x[i]!) ? 1 : 0;
      return;
    }
    // Compute in the output dtype (abs of complex would differ, but complex has no kernels).
    const computeIn = o.dtype === bool ? input.dtype : o.dtype;
    const x = valuesAs(input, computeIn);
    const res = resultArray(o);
    const n = x.length;
    if (name === 'round') {
      for (let i = 0; i < n; i++) res[i] = roundKernel(x[i]!, attrs, computeIn);
    } else if (name === 'nan_to_num') {
      for (let i = 0; i < n; i++) res[i] = nanToNum(x[i]!, attrs, computeIn);
    } else {
      const f = floatUnary[name] ?? anyUnary[name];
      if (!f) throw notImplementedError(`no cpu kernel for ${name}`);
      if (f.length < 2) {
        const g = f as (x: number) => number;
        for (let i = 0; i < n; i++) res[i] = g(x[i]!);
      } else {
        for (let i = 0; i < n; i++) res[i] = f(x[i]!, attrs);
      }
    }
    commit(o, res);
  };
}

/**
 * Dropout's kernel is the identity: it runs when not training (or p == 0). Training mode draws a
 * bernoulli mask from torch's generator, which the callers compose from ops (applyDropout in
 * runtime/torch/functions/pointwise.ts), so reaching here in training mode is a programming error.
 */
function dropoutKernel(input: Tensor, attrs: UnaryAttrs, out: Tensor): void {
  if (attrs.training === true && (attrs.p ?? 0.5) > 0) {
    throw notImplementedError(`${attrs.variant ?? 'dropout'} in training mode must go through applyDropout (it draws from torch's generator)`);
  }
  const src = dataOf(input);
  (dataOf(out) as Float64Array).set(src as Float64Array);
}

export const unaryNames = [...Object.keys(floatUnary), ...Object.keys(anyUnary), ...Object.keys(predicates), 'round', 'nan_to_num', 'bitwise_not', 'dropout'];

// ------------------------------------------------------------------ binary

type BinaryMath = (a: number, b: number) => number;

/** C fmod / Python-style remainder and floor division on floats (ATen's formulas). */
function floorDivFloat(a: number, b: number): number {
  if (b === 0) return a / b;
  const mod = a % b;
  let div = (a - mod) / b;
  if (mod !== 0 && (b < 0) !== (mod < 0)) div -= 1;
  if (div !== 0) {
    let floordiv = Math.floor(div);
    if (div - floordiv > 0.5) floordiv += 1;
    return floordiv;
  }
  return (a / b) < 0 || Object.is(a / b, -0) ? -0 : 0;
}
function remainderFloat(a: number, b: number): number {
  const mod = a % b;
  return mod !== 0 && (b < 0) !== (mod < 0) ? mod + b : mod;
}
function floorDivInt(a: number, b: number): number {
  if (b === 0) throw zeroDivision();
  return Math.floor(a / b);
}
function truncDivInt(a: number, b: number): number {
  if (b === 0) throw zeroDivision();
  return Math.trunc(a / b);
}
function remainderInt(a: number, b: number): number {
  if (b === 0) throw zeroDivision();
  const r = a % b;
  return r !== 0 && (r < 0) !== (b < 0) ? r + b : r;
}
function fmodInt(a: number, b: number): number {
  if (b === 0) throw zeroDivision();
  return a % b;
}
function powInt(a: number, b: number): number {
  if (b < 0) {
    if (a === 1) return 1;
    if (a === -1) return b % 2 === 0 ? 1 : -1;
    throw runtimeError('Integers to negative integer powers are not allowed.');
  }
  return a ** b;
}
const maxPropagate = (a: number, b: number): number => (a !== a || b !== b ? NaN : Math.max(a, b));
const minPropagate = (a: number, b: number): number => (a !== a || b !== b ? NaN : Math.min(a, b));
const copysign = (a: number, b: number): number => (b < 0 || Object.is(b, -0) ? -Math.abs(a) : Math.abs(a));

const floatBinary: Record<string, BinaryMath> = {
  div: (a, b) => a / b,
  div_trunc: (a, b) => Math.trunc(a / b),
  div_floor: floorDivFloat,
  remainder: remainderFloat,
  fmod: (a, b) => a % b,
  pow: (a, b) => a ** b,
  float_power: (a, b) => a ** b,
  atan2: Math.atan2,
  hypot: Math.hypot,
  copysign,
};
const intBinary: Record<string, BinaryMath> = {
  div_trunc: truncDivInt,
  div_floor: floorDivInt,
  remainder: remainderInt,
  fmod: fmodInt,
  pow: powInt,
};
const anyBinary: Record<string, BinaryMath> = {
  mul: (a, b) => a * b,
  maximum: maxPropagate,
  minimum: minPropagate,
  fmax: (a, b) => (a !== a ? b : b !== b ? a : Math.max(a, b)),
  fmin: (a, b) => (a !== a ? b : b !== b ? a : Math.min(a, b)),
};
const comparisons: Record<string, (a: number, b: number) => boolean> = {
  eq: (a, b) => a === b, ne: (a, b) => a !== b, lt: (a, b) => a < b, le: (a, b) => a <= b, gt: (a, b) => a > b, ge: (a, b) => a >= b,
  logical_and: (a, b) => a !== 0 && b !== 0,
  logical_or: (a, b) => a !== 0 || b !== 0,
  logical_xor: (a, b) => (a !== 0) !== (b !== 0),
};

function bitwiseKernel(name: string, a: Tensor, b: Tensor, out: Tensor): void {
  const amap = broadcastMap(a.shape, out.shape);
  const bmap = broadcastMap(b.shape, out.shape);
  const n = out.numel();
  const d = dataOf(out);
  if (d instanceof BigInt64Array) {
    const big = (t: Tensor): BigInt64Array => {
      const src = dataOf(t);
      if (src instanceof BigInt64Array) return src;
      return BigInt64Array.from(Array.from(src as NumberArray, (v) => BigInt(v)));
    };
    const x = big(a);
    const y = big(b);
    const f: (p: bigint, q: bigint) => bigint = {
      bitwise_and: (p: bigint, q: bigint) => p & q, bitwise_or: (p: bigint, q: bigint) => p | q, bitwise_xor: (p: bigint, q: bigint) => p ^ q,
      bitwise_left_shift: (p: bigint, q: bigint) => (q < 0n || q >= 64n ? 0n : BigInt.asIntN(64, p << q)),
      bitwise_right_shift: (p: bigint, q: bigint) => (q < 0n || q >= 64n ? (p < 0n ? -1n : 0n) : p >> q),
    }[name]!;
    for (let i = 0; i < n; i++) d[i] = f(x[amap ? amap[i]! : i]!, y[bmap ? bmap[i]! : i]!);
    return;
  }
  const bits = out.dtype === bool ? 1 : out.dtype.name === 'uint8' || out.dtype.name === 'int8' ? 8 : out.dtype.name === 'int16' ? 16 : 32;
  const x = valuesAs(a, out.dtype);
  const y = valuesAs(b, out.dtype);
  const f: BinaryMath = {
    bitwise_and: (p: number, q: number) => p & q, bitwise_or: (p: number, q: number) => p | q, bitwise_xor: (p: number, q: number) => p ^ q,
    bitwise_left_shift: (p: number, q: number) => (q < 0 || q >= bits ? 0 : p << q),
    bitwise_right_shift: (p: number, q: number) => (q < 0 || q >= bits ? (p < 0 ? -1 : 0) : p >> q),
  }[name]!;
  const res = new Float64Array(n);
  for (let i = 0; i < n; i++) res[i] = f(x[amap ? amap[i]! : i]!, y[bmap ? bmap[i]! : i]!);
  commit(out, res);
}

function binaryKernel(name: string) {
  return ([a, b]: readonly Tensor[], attrs: BinaryAttrs, [out]: Tensor[]): void => {
    const o = out!;
    if (name.startsWith('bitwise_')) { bitwiseKernel(name, a!, b!, o); return; }
    const promoted = computeDType([a!, b!]);
    // Ops with a float result rule (div, atan2, ...) compute in the result's float dtype.
    const computeIn = o.dtype === bool ? promoted : o.dtype;
    const x = valuesAs(a!, computeIn);
    const y = valuesAs(b!, computeIn);
    const amap = broadcastMap(a!.shape, o.shape);
    const bmap = broadcastMap(b!.shape, o.shape);
    const n = o.numel();
    const cmp = comparisons[name];
    if (cmp) {
      const d = dataOf(o) as Uint8Array;
      for (let i = 0; i < n; i++) d[i] = cmp(x[amap ? amap[i]! : i]!, y[bmap ? bmap[i]! : i]!) ? 1 : 0;
      return;
    }
    const res = resultArray(o);
    const integral = isIntegral(computeIn, true);
    // The common `tensor op scalar` case reads the scalar once instead of through a map.
    const scalarB = !amap && y.length === 1 && n > 1;
    if (name === 'add' || name === 'sub') {
      let alpha = attrs.alpha ?? 1;
      if (alpha !== 1) alpha = caster(computeIn)(alpha);
      const s = name === 'sub' ? -alpha : alpha;
      if (scalarB) { const c = s * y[0]!; for (let i = 0; i < n; i++) res[i] = x[i]! + c; }
      else if (!amap && !bmap) for (let i = 0; i < n; i++) res[i] = x[i]! + s * y[i]!;
      else for (let i = 0; i < n; i++) res[i] = x[amap ? amap[i]! : i]! + s * y[bmap ? bmap[i]! : i]!;
      if (computeIn === bool) for (let i = 0; i < n; i++) res[i] = res[i]! !== 0 ? 1 : 0;
      commit(o, res);
      return;
    }
    const f = (integral ? intBinary[name] : undefined) ?? (integral ? undefined : floatBinary[name]) ?? anyBinary[name] ?? floatBinary[name];
    if (!f) throw notImplementedError(`no cpu kernel for ${name}`);
    if (scalarB) { const c = y[0]!; for (let i = 0; i < n; i++) res[i] = f(x[i]!, c); }
    else if (!amap && !bmap) for (let i = 0; i < n; i++) res[i] = f(x[i]!, y[i]!);
    else for (let i = 0; i < n; i++) res[i] = f(x[amap ? amap[i]! : i]!, y[bmap ? bmap[i]! : i]!);
    if (computeIn === bool) for (let i = 0; i < n; i++) res[i] = res[i]! !== 0 ? 1 : 0;
    commit(o, res);
  };
}

export const binaryNames = [
  'add', 'sub', ...Object.keys(floatBinary), ...Object.keys(anyBinary), ...Object.keys(comparisons),
  'bitwise_and', 'bitwise_or', 'bitwise_xor', 'bitwise_left_shift', 'bitwise_right_shift',
];

// ------------------------------------------------------------------ n-ary, where, masked_fill

function naryKernel(name: string) {
  return (inputs: readonly Tensor[], attrs: NaryAttrs, [out]: Tensor[]): void => {
    const o = out!;
    const computeIn = o.dtype;
    const vals = inputs.map((t) => valuesAs(t, computeIn));
    const maps = inputs.map((t) => broadcastMap(t.shape, o.shape));
    const at = (k: number, i: number): number => vals[k]![maps[k] ? maps[k]![i]! : i]!;
    const n = o.numel();
    const res = resultArray(o);
    const value = caster(computeIn)(attrs.value ?? 1);
    switch (name) {
      case 'clamp': {
        const hasMin = attrs.hasMin ?? inputs.length >= 2;
        const hasMax = attrs.hasMax ?? inputs.length >= 3;
        const maxIndex = hasMin ? 2 : 1;
        for (let i = 0; i < n; i++) {
          let v = at(0, i);
          if (v !== v) { res[i] = v; continue; }
          if (hasMin) { const lo = at(1, i); v = lo !== lo ? lo : Math.max(v, lo); }
          if (hasMax) { const hi = at(maxIndex, i); v = hi !== hi ? hi : Math.min(v, hi); }
          res[i] = v;
        }
        break;
      }
      case 'addcmul': for (let i = 0; i < n; i++) res[i] = at(0, i) + value * at(1, i) * at(2, i); break;
      case 'addcdiv':
        for (let i = 0; i < n; i++) {
          const q = at(2, i);
          if (isIntegral(inputs[1]!.dtype, true) && isIntegral(inputs[2]!.dtype, true) && q === 0) throw zeroDivision();
          res[i] = at(0, i) + value * (at(1, i) / q);
        }
        break;
      case 'lerp':
        for (let i = 0; i < n; i++) {
          const s = at(0, i);
          const e = at(1, i);
          const w = at(2, i);
          res[i] = Math.abs(w) < 0.5 ? s + w * (e - s) : e - (e - s) * (1 - w);
        }
        break;
      default: throw notImplementedError(`no cpu kernel for ${name}`);
    }
    commit(o, res);
  };
}

function whereKernel([cond, a, b]: readonly Tensor[], _attrs: unknown, [out]: Tensor[]): void {
  const o = out!;
  const c = numbers(cond!);
  const x = valuesAs(a!, o.dtype);
  const y = valuesAs(b!, o.dtype);
  const cm = broadcastMap(cond!.shape, o.shape);
  const am = broadcastMap(a!.shape, o.shape);
  const bm = broadcastMap(b!.shape, o.shape);
  const res = resultArray(o);
  for (let i = 0; i < o.numel(); i++) res[i] = c[cm ? cm[i]! : i] ? x[am ? am[i]! : i]! : y[bm ? bm[i]! : i]!;
  commit(o, res);
}

function maskedFillKernel([self, mask, value]: readonly Tensor[], _attrs: unknown, [out]: Tensor[]): void {
  const o = out!;
  const m = numbers(mask!);
  if (mask!.dtype !== bool) {
    // uint8 masks are accepted when they hold only 0 and 1 (a deprecated path).
    for (let i = 0; i < m.length; i++) {
      if (m[i] !== 0 && m[i] !== 1) throw runtimeError('Mask tensor can take 0 and 1 values only');
    }
  }
  const fill = caster(o.dtype)(numbers(value!)[0]!);
  const sm = broadcastMap(self!.shape, o.shape);
  const mm = broadcastMap(mask!.shape, o.shape);
  const n = o.numel();
  const src = dataOf(self!);
  const dst = dataOf(o);
  if (dst instanceof BigInt64Array) {
    const s = src as BigInt64Array;
    const f = BigInt(fill);
    for (let i = 0; i < n; i++) dst[i] = m[mm ? mm[i]! : i] ? f : s[sm ? sm[i]! : i]!;
    return;
  }
  const s = src as NumberArray;
  const d = dst as NumberArray;
  for (let i = 0; i < n; i++) d[i] = m[mm ? mm[i]! : i] ? fill : s[sm ? sm[i]! : i]!;
}

export function registerElementwiseKernels(): void {
  for (const name of unaryNames) registerCpu<UnaryAttrs>(name, unaryKernel(name));
  for (const name of binaryNames) registerCpu<BinaryAttrs>(name, binaryKernel(name));
  for (const name of ['clamp', 'addcmul', 'addcdiv', 'lerp']) registerCpu<NaryAttrs>(name, naryKernel(name));
  registerCpu('where', whereKernel);
  registerCpu('masked_fill', maskedFillKernel);
}

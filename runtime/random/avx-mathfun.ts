// The float32 log and sincos of aten/src/ATen/native/cpu/avx_mathfun.h (Cephes-style, by Julien
// Pommier), as PyTorch's AVX2 `randn` runs them: every step rounded to float32, and the steps GCC
// contracted into FMA instructions done with a single rounding (../shared/RNG.md §4b).
import { fma32 } from './fma.ts';

const f = Math.fround;
const f32 = new Float32Array(1);
const i32 = new Int32Array(f32.buffer);

const FLT_MIN = 1.1754943508222875e-38;
const SQRTHF = f(0.7071067811865476); // the source literal 0.707106781186547524, as a double
const P = [7.0376836292e-2, -1.1514610310e-1, 1.1676998740e-1, -1.2420140846e-1, 1.4249322787e-1,
  -1.6668057665e-1, 2.0000714765e-1, -2.4999993993e-1, 3.3333331174e-1].map(f) as
  [number, number, number, number, number, number, number, number, number];
const [P0, P1, P2, P3, P4, P5, P6, P7, P8] = P;
const Q1 = f(-2.12194440e-4);
const Q2 = f(0.693359375);

/** `log256_ps` for one lane, x in (0, 1]. */
export function logAvx(xIn: number): number {
  let x = Math.max(xIn, FLT_MIN);
  f32[0] = x;
  const bits = i32[0]!;
  let e = f((bits >>> 23) - 127);
  e = f(e + 1);
  i32[0] = (bits & 0x807fffff) | 0x3f000000;
  x = f32[0]!;
  if (x < SQRTHF) {
    e = f(e - 1);
    const t = x;
    x = f(x - 1);
    x = f(x + t);
  } else {
    x = f(x - 1);
  }
  const z = f(x * x);
  let y = P[0];
  y = fma32(y, x, P[1]);
  y = fma32(y, x, P[2]);
  y = fma32(y, x, P[3]);
  y = fma32(y, x, P[4]);
  y = fma32(y, x, P[5]);
  y = fma32(y, x, P[6]);
  y = fma32(y, x, P[7]);
  y = fma32(y, x, P[8]);
  y = f(y * x);
  y = fma32(y, z, f(e * Q1));
  y = f(y - f(z * 0.5));
  x = f(x + y);
  x = f(x + f(e * Q2));
  return x;
}

const FOPI = f(1.27323954473516);
const DP1 = f(-0.78515625);
const DP2 = f(-2.4187564849853515625e-4);
const DP3 = f(-3.774894977445941e-8); // the source literal -3.77489497744594108e-8, as a double
const S0 = f(-1.9515295891e-4);
const S1 = f(8.3321608736e-3);
const S2 = f(-1.6666654611e-1);
const C0 = f(2.443315711809948e-5);
const C1 = f(-1.388731625493765e-3);
const C2 = f(4.166664568298827e-2);

/** Output of `sincosAvx`: sin and cos of the last argument (reused to avoid allocation). */
export const sincosOut = { sin: 0, cos: 0 };

/** `sincos256_ps` for one lane, x in [0, 2π). Writes `sincosOut`. */
export function sincosAvx(xIn: number): void {
  let signSin = xIn < 0 || Object.is(xIn, -0);
  let x = Math.abs(xIn);
  let j = Math.trunc(f(x * FOPI)) | 0;
  j = (j + 1) & ~1;
  const y = f(j);
  const swapSin = (j & 4) !== 0;
  const poly = (j & 2) === 0;
  x = f(x + f(y * DP1));
  x = f(x + f(y * DP2));
  x = fma32(y, DP3, x);
  const signCos = (~(j - 2) & 4) !== 0;
  signSin = signSin !== swapSin;
  const z = f(x * x);
  let c = C0;
  c = fma32(c, z, C1);
  c = fma32(c, z, C2);
  c = f(c * z);
  c = fma32(c, z, -f(z * 0.5));
  c = f(c + 1);
  let t = S0;
  t = fma32(t, z, S1);
  t = fma32(t, z, S2);
  t = f(t * z);
  t = fma32(t, x, x);
  const s = poly ? t : c;
  const co = poly ? c : t;
  sincosOut.sin = signSin ? -s : s;
  sincosOut.cos = signCos ? -co : co;
}

// ------------------------------------------------------------------ the randn vector path's lanes
// fill16 of normal_fill_16_AVX2 for one lane pair, as one straight-line function (V8 keeps it all
// in registers): the same operations as logAvx/sincosAvx, specialised to the arguments it gets.
// u1 = 1 - u with u a 24-bit uniform, so u1 = m·2^-24 with m in [1, 2^24] and frexp comes from
// the integer m; theta = f32(2π·u2) ≥ +0, so no sign handling on entry. Steps that are exact in
// float32 are not rounded again, and the GCC-fused steps (fma32 in logAvx/sincosAvx) are a double
// a*b + c rounded once: that double sum is exact here, so the one rounding is the FMA's. The tests
// check both halves against logAvx/sincosAvx for all 2^24 inputs each.

const TWO_PI_F = f(2 * Math.PI);
/** [t, c] placed as [sin, cos] by index (branch-free selection; a typed array: no boxing). */
const sinCos = new Float64Array(2);

/**
 * Box–Muller on the uniforms u = d[at] and u2 = d[at + 8]: radius = f32(sqrt(f32(-2·LOG(1 - u)))),
 * theta = f32(2π·u2), then d[at] = f32(radius · cos theta) and d[at + 8] = f32(radius · sin theta)
 * (before `* std + mean`).
 */
export function boxMullerAvx(d: Float32Array, at: number): void {
  // ---- the radius
  const m = ((1 - d[at]!) * 16777216) | 0; // 1 - u = m·2^-24 exactly, m in [1, 2^24]
  const lz = Math.clz32(m);
  const mn = (m << lz) >>> 8; // m's 24-bit mantissa: LOG's x (in [0.5, 1)) is mn·2^-24
  // Branch-free (the comparison is a coin toss): x < SQRTHF ⇔ mn < SQRTHF·2^24 = 0xb504f3; then
  // e = e - 1 and x = (x - 1) + x = 2x - 1, else x = x - 1. Every step is exact.
  const lt = (mn - 0xb504f3) >>> 31;
  const e = 8 - lz - lt; // frexp's exponent (LOG's e after its + 1), minus 1 when x < SQRTHF
  let x = (mn << lt) * 5.9604644775390625e-8 - 1;
  const z = f(x * x);
  let y = f(P0 * x + P1);
  y = f(y * x + P2);
  y = f(y * x + P3);
  y = f(y * x + P4);
  y = f(y * x + P5);
  y = f(y * x + P6);
  y = f(y * x + P7);
  y = f(y * x + P8);
  y = f(y * x);
  y = f(y * z + f(e * Q1));
  y = f(y - z * 0.5); // z * 0.5 exact
  x = f(x + y);
  x = f(x + e * Q2); // e * Q2 exact (Q2 has 9 bits, |e| ≤ 24)
  const radius = f(Math.sqrt(-2 * x)); // -2x exact; sqrt in double then float32 is correctly rounded

  // ---- sin and cos of theta
  const theta = f(TWO_PI_F * d[at + 8]!); // the product is exact in double
  const j = ((f(theta * FOPI) | 0) + 1) & ~1;
  let r = f(theta + j * DP1); // j * DP1 exact (DP1 has 8 bits, j ≤ 8)
  r = f(r + j * DP2); // exact product too (DP2 has 11 bits)
  r = f(j * DP3 + r);
  const w = f(r * r);
  let c = f(C0 * w + C1);
  c = f(c * w + C2);
  c = f(c * w);
  c = f(c * w - w * 0.5);
  c = f(c + 1);
  let t = f(S0 * w + S1);
  t = f(t * w + S2);
  t = f(t * w);
  t = f(t * r + r);
  // Branch-free selection (j is random): sin is t unless j & 2 swaps the polynomials, and the
  // signs flip by multiplying with ±1 (exact, and -0 where the XOR of the sign bit gives -0).
  const swap = (j >> 1) & 1;
  sinCos[swap] = t;
  sinCos[swap ^ 1] = c;
  d[at] = f(radius * (sinCos[1]! * (1 - ((~(j - 2) >> 1) & 2))));
  d[at + 8] = f(radius * (sinCos[0]! * (1 - ((j >> 1) & 2))));
}

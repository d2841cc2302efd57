// erf (a port of fdlibm's s_erf.c, the code glibc's double erf and so CPython's math.erf use) and
// PyTorch's float `calc_erfinv` (c10/util/math.h: a rational first guess and two Newton steps),
// for trunc_normal_. The float erfinv evaluates in float32 steps with correctly rounded
// erf/exp/log, where glibc's erff/expf/logf may differ by an ulp: the result is approximate
// in the last bit.
const f = Math.fround;

const erx = 8.45062911510467529297e-01;
const efx = 1.28379167095512586316e-01;
const efx8 = 1.02703333676410069053e+00;
const pp = [1.28379167095512558561e-01, -3.25042107247001499370e-01, -2.84817495755985104766e-02, -5.77027029648944159157e-03, -2.37630166566501626084e-05];
const qq = [0, 3.97917223959155352819e-01, 6.50222499887672944485e-02, 5.08130628187576562776e-03, 1.32494738004321644526e-04, -3.96022827877536812320e-06];
const pa = [-2.36211856075265944077e-03, 4.14856118683748331666e-01, -3.72207876035701323847e-01, 3.18346619901161753674e-01, -1.10894694282396677476e-01, 3.54783043256182359371e-02, -2.16637559486879084300e-03];
const qa = [0, 1.06420880400844228286e-01, 5.40397917702171048937e-01, 7.18286544141962662868e-02, 1.26171219808761642112e-01, 1.36370839120290507362e-02, 1.19844998467991074170e-02];
const ra = [-9.86494403484714822705e-03, -6.93858572707181764372e-01, -1.05586262253232909814e+01, -6.23753324503260060396e+01, -1.62396669462573470355e+02, -1.84605092906711035994e+02, -8.12874355063065934246e+01, -9.81432934416914548592e+00];
const sa = [0, 1.96512716674392571292e+01, 1.37657754143519042600e+02, 4.34565877475229228821e+02, 6.45387271733267880336e+02, 4.29008140027567833386e+02, 1.08635005541779435134e+02, 6.57024977031928170135e+00, -6.04244152148580987438e-02];
const rb = [-9.86494292470009928597e-03, -7.99283237680523006574e-01, -1.77579549177547519889e+01, -1.60636384855821916062e+02, -6.37566443368389627722e+02, -1.02509513161107724954e+03, -4.83519191608651397019e+02];
const sb = [0, 3.03380607434824582924e+01, 3.25792512996573918826e+02, 1.53672958608443695994e+03, 3.19985821950859553908e+03, 2.55305040643316442583e+03, 4.74528541206955367215e+02, -2.24409524465858183362e+01];

const buf = new Float64Array(1);
const words = new Uint32Array(buf.buffer);
const LO = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 0 : 1;

/** 0x4006DB6E00000000: fdlibm's |x| < 1/0.35 test on the high word. */
const ERF_SPLIT = ((): number => { const b = new Float64Array(1); const w = new Uint32Array(b.buffer); w[1 - LO] = 0x4006db6e; w[LO] = 0; return b[0]!; })();

/** `erf(x)` in doubles (fdlibm). */
export function erf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x === Infinity) return 1;
  if (x === -Infinity) return -1;
  const ax = Math.abs(x);
  if (ax < 0.84375) {
    if (ax < 2 ** -28) {
      if (ax < 2.848094538889218e-306) return 0.125 * (8.0 * x + efx8 * x);
      return x + efx * x;
    }
    const z = x * x;
    const r = pp[0]! + z * (pp[1]! + z * (pp[2]! + z * (pp[3]! + z * pp[4]!)));
    const s = 1 + z * (qq[1]! + z * (qq[2]! + z * (qq[3]! + z * (qq[4]! + z * qq[5]!))));
    return x + x * (r / s);
  }
  if (ax < 1.25) {
    const s = ax - 1;
    const P = pa[0]! + s * (pa[1]! + s * (pa[2]! + s * (pa[3]! + s * (pa[4]! + s * (pa[5]! + s * pa[6]!)))));
    const Q = 1 + s * (qa[1]! + s * (qa[2]! + s * (qa[3]! + s * (qa[4]! + s * (qa[5]! + s * qa[6]!)))));
    return x >= 0 ? erx + P / Q : -erx - P / Q;
  }
  if (ax >= 6) return x >= 0 ? 1 - 1e-300 : 1e-300 - 1;
  const s = 1 / (ax * ax);
  let R: number;
  let S: number;
  if (ax < ERF_SPLIT) {
    R = ra[0]! + s * (ra[1]! + s * (ra[2]! + s * (ra[3]! + s * (ra[4]! + s * (ra[5]! + s * (ra[6]! + s * ra[7]!))))));
    S = 1 + s * (sa[1]! + s * (sa[2]! + s * (sa[3]! + s * (sa[4]! + s * (sa[5]! + s * (sa[6]! + s * (sa[7]! + s * sa[8]!)))))));
  } else {
    R = rb[0]! + s * (rb[1]! + s * (rb[2]! + s * (rb[3]! + s * (rb[4]! + s * (rb[5]! + s * rb[6]!)))));
    S = 1 + s * (sb[1]! + s * (sb[2]! + s * (sb[3]! + s * (sb[4]! + s * (sb[5]! + s * (sb[6]! + s * sb[7]!))))));
  }
  buf[0] = ax;
  words[LO] = 0; // z = ax with the low word cleared
  const z = buf[0]!;
  const r = Math.exp(-z * z - 0.5625) * Math.exp((z - ax) * (z + ax) + R / S);
  return x >= 0 ? 1 - r / ax : r / ax - 1;
}

const A = [0.886226899, -1.645349621, 0.914624893, -0.140543331].map(f) as [number, number, number, number];
const B = [-2.118377725, 1.442710462, -0.329097515, 0.012229801].map(f) as [number, number, number, number];
const C = [-1.970840454, -1.624906493, 3.429567803, 1.641345311].map(f) as [number, number, number, number];
const D = [3.5438892, 1.6370678].map(f) as [number, number];
const TWO_OVER_SQRT_PI = f(2 / f(Math.sqrt(Math.PI)));

/** `calc_erfinv(float y)`, each float operation rounded to float32. */
export function erfinvFloat(yIn: number): number {
  const y = f(yIn);
  const ya = Math.abs(y);
  if (ya > 1) return NaN;
  if (ya === 1) return y > 0 ? Infinity : -Infinity;
  let x: number;
  if (ya <= f(0.7)) {
    const z = f(y * y);
    const num = f(f(f(f(f(f(A[3] * z) + A[2]) * z) + A[1]) * z) + A[0]);
    const dem = f(f(f(f(f(f(f(f(B[3] * z) + B[2]) * z) + B[1]) * z) + B[0]) * z) + 1);
    x = f(f(y * num) / dem);
  } else {
    const z = f(Math.sqrt(f(-f(Math.log(f(f(1 - ya) / 2))))));
    const num = f(f(f(f(f(f(C[3] * z) + C[2]) * z) + C[1]) * z) + C[0]);
    const dem = f(f(f(f(D[1] * z) + D[0]) * z) + 1);
    x = f((y < 0 ? -Math.abs(num) : Math.abs(num)) / dem);
  }
  for (let k = 0; k < 2; k++) {
    const e = f(f(erf(x)) - y);
    const g = f(TWO_OVER_SQRT_PI * f(Math.exp(f(-f(x * x)))));
    x = f(x - f(e / g));
  }
  return x;
}

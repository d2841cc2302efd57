// Special functions JavaScript's Math lacks, to double precision (the kernels round to float32
// afterwards): erf/erfc (series + continued fraction), erfinv (Giles' approximation refined by
// Newton steps), lgamma (Lanczos), digamma (recurrence + asymptotic series), i0 (power series).

const SQRT_PI = Math.sqrt(Math.PI);

/** erf(x) for |x| < 3 by the positive-term series 2/sqrt(pi) e^(-x^2) sum 2^n x^(2n+1) / (2n+1)!!. */
function erfSeries(x: number): number {
  const x2 = x * x;
  let term = x;
  let sum = x;
  for (let n = 1; n < 200; n++) {
    term *= (2 * x2) / (2 * n + 1);
    sum += term;
    if (Math.abs(term) < 1e-17 * Math.abs(sum)) break;
  }
  return (2 / SQRT_PI) * Math.exp(-x2) * sum;
}

/** erfc(x) for x >= 3 by its continued fraction (modified Lentz). */
function erfcFraction(x: number): number {
  // erfc(x) = e^(-x^2)/sqrt(pi) * 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + ...)))))
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let n = 1; n < 500; n++) {
    const a = n / 2;
    d = x + a * d;
    d = d === 0 ? tiny : d;
    c = x + a / c;
    c = c === 0 ? tiny : c;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-x * x) / SQRT_PI / f;
}

export function erf(x: number): number {
  if (Number.isNaN(x)) return x;
  if (x === 0) return x;
  const a = Math.abs(x);
  if (a < 3) return erfSeries(x);
  if (a > 6) return Math.sign(x);
  return Math.sign(x) * (1 - erfcFraction(a));
}

export function erfc(x: number): number {
  if (Number.isNaN(x)) return x;
  if (x < 0) return 2 - erfc(-x);
  if (x < 3) return 1 - erfSeries(x);
  if (x > 27) return 0;
  return erfcFraction(x);
}

/** Inverse error function: Giles' single-precision approximation, then Newton steps on erf. */
export function erfinv(y: number): number {
  if (Number.isNaN(y) || y < -1 || y > 1) return NaN;
  if (y === 1) return Infinity;
  if (y === -1) return -Infinity;
  if (y === 0) return y;
  let w = -Math.log((1 - y) * (1 + y));
  let x: number;
  if (w < 5) {
    w -= 2.5;
    let p = 2.81022636e-08;
    p = 3.43273939e-07 + p * w; p = -3.5233877e-06 + p * w; p = -4.39150654e-06 + p * w; p = 0.00021858087 + p * w;
    p = -0.00125372503 + p * w; p = -0.00417768164 + p * w; p = 0.246640727 + p * w; p = 1.50140941 + p * w;
    x = p * y;
  } else {
    w = Math.sqrt(w) - 3;
    let p = -0.000200214257;
    p = 0.000100950558 + p * w; p = 0.00134934322 + p * w; p = -0.00367342844 + p * w; p = 0.00573950773 + p * w;
    p = -0.0076224613 + p * w; p = 0.00943887047 + p * w; p = 1.00167406 + p * w; p = 2.83297682 + p * w;
    x = p * y;
  }
  for (let i = 0; i < 3; i++) {
    const err = erf(x) - y;
    x -= err / ((2 / SQRT_PI) * Math.exp(-x * x));
  }
  return x;
}

const LANCZOS_G = 7;
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** log|Gamma(x)|. */
export function lgamma(x: number): number {
  if (Number.isNaN(x)) return x;
  if (!Number.isFinite(x)) return Infinity;
  if (x <= 0 && Number.isInteger(x)) return Infinity;
  if (x < 0.5) {
    // Reflection: Gamma(x) Gamma(1-x) = pi / sin(pi x).
    return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - lgamma(1 - x);
  }
  const z = x - 1;
  let a = LANCZOS[0]!;
  const t = z + LANCZOS_G + 0.5;
  for (let i = 1; i < LANCZOS.length; i++) a += LANCZOS[i]! / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** digamma (psi), with ATen's conventions: psi(0) = -inf... (-0 gives +inf), negative integers give NaN. */
export function digamma(x: number): number {
  if (Number.isNaN(x)) return x;
  if (x === 0) return Object.is(x, -0) ? Infinity : -Infinity;
  if (x === -Infinity) return NaN;
  if (x === Infinity) return Infinity;
  if (x < 0) {
    if (Number.isInteger(x)) return NaN;
    // Reflection: psi(1 - x) - psi(x) = pi cot(pi x).
    return digamma(1 - x) - Math.PI / Math.tan(Math.PI * x);
  }
  let result = 0;
  let v = x;
  while (v < 10) { result -= 1 / v; v += 1; }
  const inv = 1 / (v * v);
  // Asymptotic series: ln v - 1/(2v) - sum B_2k / (2k v^2k).
  const series = inv * (1 / 12 - inv * (1 / 120 - inv * (1 / 252 - inv * (1 / 240 - inv * (1 / 132)))));
  return result + Math.log(v) - 0.5 / v - series;
}

/** Modified Bessel function of the first kind, order 0. */
export function i0(x: number): number {
  const q = (x * x) / 4;
  let term = 1;
  let sum = 1;
  for (let k = 1; k < 500; k++) {
    term *= q / (k * k);
    sum += term;
    if (term < 1e-17 * sum) break;
  }
  return sum;
}

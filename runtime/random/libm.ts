// Correctly rounded double log, sin and cos (double-double evaluation, then one rounding). glibc's
// log/sin/cos, which PyTorch's CPU kernels call, are correctly rounded in all but rare cases;
// V8's Math.log/sin/cos (fdlibm ports) differ from them in the last bit for 3-7 % of arguments.
// Used by the double-precision Box–Muller paths (float64 `normal_`, the scalar path, its cache).

// ------------------------------------------------------------------ double-double arithmetic

const SPLIT = 134217729; // 2^27 + 1

/** Both halves of a double-double result (reused: these functions are not re-entrant). */
let rh = 0;
let rl = 0;

function twoSum(a: number, b: number): void {
  const s = a + b;
  const bb = s - a;
  rl = (a - (s - bb)) + (b - bb);
  rh = s;
}

function twoProd(a: number, b: number): void {
  const p = a * b;
  let t = SPLIT * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLIT * b;
  const bh = t - (t - b);
  const bl = b - bh;
  rl = ((ah * bh - p) + ah * bl + al * bh) + al * bl;
  rh = p;
}

function ddAdd(ah: number, al: number, bh: number, bl: number): void {
  twoSum(ah, bh);
  const sh = rh;
  const sl = rl + al + bl;
  const h = sh + sl;
  rl = sl - (h - sh);
  rh = h;
}

function ddMul(ah: number, al: number, bh: number, bl: number): void {
  twoProd(ah, bh);
  const ph = rh;
  const pl = rl + (ah * bl + al * bh);
  const h = ph + pl;
  rl = pl - (h - ph);
  rh = h;
}

/** a / b for double-doubles, to ~106 bits (long division with three quotient digits). */
function ddDivide(ah: number, al: number, bh: number, bl: number): void {
  const q1 = ah / bh;
  ddMul(q1, 0, bh, bl);
  ddAdd(ah, al, -rh, -rl);
  const r1h = rh;
  const r1l = rl;
  const q2 = r1h / bh;
  ddMul(q2, 0, bh, bl);
  ddAdd(r1h, r1l, -rh, -rl);
  const q3 = rh / bh;
  twoSum(q1, q2);
  ddAdd(rh, rl, q3, 0);
}

// ------------------------------------------------------------------ log

const LN2_H = 0.6931471805599453;
const LN2_M = 2.3190468138462996e-17;
const LN2_L = 5.707708438416212e-34;
const view = new DataView(new ArrayBuffer(8));

/** log(x), correctly rounded (to ~2^-100 before the final rounding), for positive normal or subnormal x. */
export function logCR(x: number): number {
  if (!(x > 0) || x === Infinity) return Math.log(x);
  if (x === 1) return 0;
  // x = m * 2^k with m in [sqrt(1/2), sqrt(2))
  let k = 0;
  let m = x;
  if (m < 2.2250738585072014e-308) { m *= 2 ** 54; k -= 54; }
  view.setFloat64(0, m);
  const hi = view.getUint32(0);
  k += ((hi >>> 20) & 0x7ff) - 1023;
  view.setUint32(0, (hi & 0x800fffff) | 0x3ff00000);
  m = view.getFloat64(0);
  if (m > Math.SQRT2) { m /= 2; k += 1; }
  // log(m) = 2 atanh(u), u = (m - 1) / (m + 1)
  const num = m - 1; // exact
  twoSum(m, 1);
  ddDivide(num, 0, rh, rl);
  const uh = rh;
  const ul = rl;
  ddMul(uh, ul, uh, ul);
  const zh = rh;
  const zl = rl;
  // sum_{n=0}^{N} z^n / (2n+1), Horner from the top
  let sh = 1 / 49;
  let sl = 0;
  for (let n = 23; n >= 0; n--) {
    ddMul(sh, sl, zh, zl);
    const ph = rh;
    const pl = rl;
    const d = 2 * n + 1;
    // 1/d as a double-double
    const ih = 1 / d;
    twoProd(ih, d);
    const il = -((rh - 1) + rl) / d;
    ddAdd(ph, pl, ih, il);
    sh = rh;
    sl = rl;
  }
  ddMul(sh, sl, uh, ul);
  const lh = 2 * rh;
  const ll = 2 * rl;
  // + k * ln2 (three-part constant)
  twoProd(k, LN2_H);
  const kh = rh;
  const kl = rl + k * LN2_M + k * LN2_L;
  ddAdd(kh, kl, lh, ll);
  return rh + rl;
}

// ------------------------------------------------------------------ sin / cos

const PIO2_H = 1.5707963267948966;
const PIO2_M = 6.123233995736766e-17;
const PIO2_L = -1.4973849048591698e-33;

/** Output of sincosCR. */
export const sincosCR = { sin: 0, cos: 0 };

function series(rh0: number, rl0: number, odd: boolean): void {
  // odd: r - r^3/3! + r^5/5! ...; even: 1 - r^2/2! + r^4/4! ...
  ddMul(rh0, rl0, rh0, rl0);
  const zh = -rh;
  const zl = -rl;
  let sh = 0;
  let sl = 0;
  const top = 30;
  for (let n = top; n >= 0; n -= 2) {
    // term coefficient 1/(n+1)! for odd (n even index), computed as Horner: s = 1/(k!) + z * s ...
    const k = odd ? n + 1 : n;
    ddMul(sh, sl, zh, zl);
    const ph = rh;
    const pl = rl;
    const [ih, il] = invFactorial(k);
    ddAdd(ph, pl, ih, il);
    sh = rh;
    sl = rl;
  }
  if (odd) ddMul(sh, sl, rh0, rl0);
  else { rh = sh; rl = sl; }
}

const invFact: [number, number][] = [];
function invFactorial(k: number): [number, number] {
  if (!invFact.length) {
    // 1/k! as double-doubles, by exact-ish division k!^-1 = (k-1)!^-1 / k
    let h = 1;
    let l = 0;
    invFact.push([1, 0]);
    for (let i = 1; i <= 40; i++) {
      ddDivide(h, l, i, 0);
      h = rh;
      l = rl;
      invFact.push([h, l]);
    }
  }
  return invFact[k]!;
}

/** sin and cos of x (|x| up to a few multiples of 2π), correctly rounded; writes `sincosCR`. */
export function sincos(x: number): void {
  if (!Number.isFinite(x)) { sincosCR.sin = NaN; sincosCR.cos = NaN; return; }
  const q = Math.round(x / PIO2_H);
  // r = x - q * pi/2 in double-double
  twoProd(q, PIO2_H);
  const ph = rh;
  const pl = rl;
  twoSum(x, -ph);
  let r0h = rh;
  let r0l = rl - pl;
  twoProd(q, PIO2_M);
  ddAdd(r0h, r0l, -rh, -rl);
  r0h = rh;
  r0l = rl;
  ddAdd(r0h, r0l, -q * PIO2_L, 0);
  r0h = rh;
  r0l = rl;
  series(r0h, r0l, true);
  const s = rh + rl;
  series(r0h, r0l, false);
  const c = rh + rl;
  switch (((q % 4) + 4) % 4) {
    case 0: sincosCR.sin = s; sincosCR.cos = c; break;
    case 1: sincosCR.sin = c; sincosCR.cos = -s; break;
    case 2: sincosCR.sin = -s; sincosCR.cos = -c; break;
    default: sincosCR.sin = -c; sincosCR.cos = s;
  }
}

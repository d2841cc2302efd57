// Fused multiply-add with a single rounding, which JavaScript lacks. GCC contracts `a * b + c` into
// one FMA instruction in PyTorch's AVX2 random kernels (../shared/RNG.md §3, §4b), so bit-exact
// results need the single rounding here too.
//
// Both use rounding to odd (Boldo & Melquiond, "Emulation of FMA and correctly rounded sums:
// proved algorithms using rounding to odd", 2008): an intermediate sum rounded to odd with at
// least two more bits than the target precision, then rounded to nearest, is correctly rounded.

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
const LO = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 0 : 1; // index of the low word
const HI = 1 - LO;

/** `s` (= fl(exact)) moved one ulp towards `err` when it is inexact and even: rounding to odd. */
function roundToOdd(s: number, err: number): number {
  if (err === 0) return s;
  f64[0] = s;
  if (u32[LO]! & 1) return s;
  if ((err > 0) === (s > 0)) {
    u32[LO] = u32[LO]! | 1; // one ulp away from zero
  } else if (u32[LO] !== 0) {
    u32[LO] = u32[LO]! - 1; // one ulp towards zero
  } else {
    u32[LO] = 0xffffffff;
    u32[HI] = u32[HI]! - 1;
  }
  return f64[0]!;
}

/**
 * `fmaf(a, b, c)` for float32 a, b, c: the product is exact in a double (24 + 24 bits); the sum
 * rounded to odd at 53 bits, then to float32, is the correctly rounded float32 result.
 *
 * Kept small (V8 inlines it into the random kernels' hot loops only while the inlined bytecode
 * stays under its budget): the rare half-way case is finished out of line.
 */
export function fma32(a: number, b: number, c: number): number {
  const s = a * b + c;
  const r = Math.fround(s);
  // Rounding the double sum again to float32 is wrong only when it lands exactly half-way
  // between two floats (the case rounding to odd exists for); detect that cheaply first.
  const h = s - r; // exact (Sterbenz)
  if (h !== 0 && Math.fround(r + 2 * h) === r + 2 * h) return fma32Tie(a * b, c, s, r, r + 2 * h);
  return r;
}

/** fma32 when the double sum `s` is half-way between the floats `r` and `other`: which one the exact sum is nearer. */
function fma32Tie(p: number, c: number, s: number, r: number, other: number): number {
  const bb = s - p;
  const err = (p - (s - bb)) + (c - bb); // s + err is a*b + c exactly
  if (err === 0) return r; // a true tie: Math.fround rounded it to even
  return err > 0 ? Math.max(r, other) : Math.min(r, other);
}

/** fma32 by rounding to odd throughout (the reference the fast path above is tested against). */
export function fma32RoundToOdd(a: number, b: number, c: number): number {
  const p = a * b;
  const s = p + c;
  const bb = s - p;
  const err = (p - (s - bb)) + (c - bb);
  return Math.fround(err === 0 ? s : roundToOdd(s, err));
}

const SPLIT = 134217729; // 2^27 + 1 (Veltkamp)

/** `fma(a, b, c)` in doubles (no overflow/underflow handling: the random kernels never get there). */
export function fma64(a: number, b: number, c: number): number {
  if (!Number.isFinite(a) || !Number.isFinite(b) || !Number.isFinite(c)) return a * b + c;
  // (uh, ul) = TwoProduct(a, b), by Dekker's splitting.
  const uh = a * b;
  let t = SPLIT * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLIT * b;
  const bh = t - (t - b);
  const bl = b - bh;
  const ul = ((ah * bh - uh) + ah * bl + al * bh) + al * bl;
  // (th, tl) = TwoSum(c, uh)
  const th = c + uh;
  const z = th - c;
  const tl = (c - (th - z)) + (uh - z);
  // v = RO(tl + ul); result = RN(th + v)
  const s = tl + ul;
  const z2 = s - tl;
  const e2 = (tl - (s - z2)) + (ul - z2);
  const v = roundToOdd(s, e2);
  return th + v;
}

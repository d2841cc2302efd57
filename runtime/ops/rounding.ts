// Rounding to the narrow float dtypes, which NN Lens stores widened in Float32Arrays: values are
// rounded when stored (kernels, in-place writes) so they equal what PyTorch's half/bfloat16 hold.

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** Rounds a number to the nearest bfloat16 (round half to even on float32's bits, as c10 does). */
export function roundBFloat16(v: number): number {
  f32[0] = v;
  const bits = u32[0]!;
  if (Number.isNaN(v)) return v;
  const rounded = (bits + 0x7fff + ((bits >>> 16) & 1)) >>> 0;
  u32[0] = rounded & 0xffff0000;
  return f32[0]!;
}

/** Rounds a number to the nearest IEEE half (float16), with overflow to infinity. */
export function roundHalf(v: number): number {
  // PyTorch computes half ops in float32 and converts: round to float32 first, then to half.
  const x = Math.fround(v);
  if (!Number.isFinite(x) || x === 0) return x;
  const a = Math.abs(x);
  if (a >= 65520) return x > 0 ? Infinity : -Infinity;
  // The spacing of halfs around `a`: 2**(e-10) for normal numbers (2**e <= a < 2**(e+1)), 2**-24 below.
  let e = Math.floor(Math.log2(a));
  while (2 ** e > a) e--;
  while (2 ** (e + 1) <= a) e++;
  const scale = 2 ** (Math.max(e, -14) - 10);
  return Math.sign(x) * roundHalfEven(a / scale) * scale;
}

/** std::nearbyint: rounds to the nearest integer, ties to even (Math.round rounds ties up; -0 is kept). */
export function roundHalfEven(x: number): number {
  if (!Number.isFinite(x)) return x;
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

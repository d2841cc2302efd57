// Python's float formatting ('{:.4f}', '{:.4e}', '{:.0f}') for doubles, exactly: the decimal
// expansion of the binary value rounded half-to-even, as CPython's dtoa does. JavaScript's
// toFixed/toExponential round exact ties away from zero (0.03125.toFixed(4) is '0.0313', Python
// says '0.0312') and write exponents without padding, so they are not used.

const buf = new DataView(new ArrayBuffer(8));

/** |x| = mant * 2^exp exactly (x finite, non-zero). */
function decompose(x: number): { mant: bigint; exp: number } {
  buf.setFloat64(0, Math.abs(x));
  const hi = buf.getUint32(0);
  const lo = buf.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let exp: number;
  if (biased === 0) exp = -1074;
  else { mant |= 1n << 52n; exp = biased - 1075; }
  return { mant, exp };
}

/** round_half_even(num / den) for positive BigInts. */
function divRound(num: bigint, den: bigint): bigint {
  const q = num / den;
  const r2 = 2n * (num % den);
  if (r2 > den || (r2 === den && (q & 1n) === 1n)) return q + 1n;
  return q;
}

const pow10 = (n: number): bigint => 10n ** BigInt(n);

const isNegative = (x: number): boolean => x < 0 || Object.is(x, -0);

function special(x: number): string | null {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  return null;
}

/** `'{:.Nf}'.format(x)`. */
export function formatFixed(x: number, digits: number): string {
  const s = special(x);
  if (s !== null) return s;
  const sign = isNegative(x) ? '-' : '';
  if (x === 0) return sign + (digits > 0 ? `0.${'0'.repeat(digits)}` : '0');
  const { mant, exp } = decompose(x);
  const scaled = exp >= 0 ? mant * (1n << BigInt(exp)) * pow10(digits) : divRound(mant * pow10(digits), 1n << BigInt(-exp));
  const text = scaled.toString().padStart(digits + 1, '0');
  if (digits === 0) return sign + text;
  return `${sign}${text.slice(0, text.length - digits)}.${text.slice(text.length - digits)}`;
}

/** `'{:.Ne}'.format(x)`: one digit, N decimals, an exponent of at least two digits. */
export function formatExponent(x: number, digits: number): string {
  const s = special(x);
  if (s !== null) return s;
  const sign = isNegative(x) ? '-' : '';
  if (x === 0) return `${sign}0${digits > 0 ? `.${'0'.repeat(digits)}` : ''}e+00`;
  const { mant, exp } = decompose(x);
  // |x| = num / den exactly.
  const num = exp >= 0 ? mant << BigInt(exp) : mant;
  const den = exp >= 0 ? 1n : 1n << BigInt(-exp);
  let e = Math.floor(Math.log10(Math.abs(x)));
  // Make 10^e <= |x| < 10^(e+1) exact.
  const below = (k: number): boolean => (k >= 0 ? num < pow10(k) * den : num * pow10(-k) < den); // |x| < 10^k
  while (below(e)) e--;
  while (!below(e + 1)) e++;
  // digits+1 significant digits: round(|x| / 10^(e - digits)).
  const shift = e - digits;
  let q = shift >= 0 ? divRound(num, den * pow10(shift)) : divRound(num * pow10(-shift), den);
  if (q >= pow10(digits + 1)) { q /= 10n; e += 1; } // rounding carried into a new digit (q is then a power of 10)
  const text = q.toString();
  const mantissa = digits > 0 ? `${text[0]}.${text.slice(1)}` : text;
  const expText = `${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  return `${sign}${mantissa}e${expText}`;
}

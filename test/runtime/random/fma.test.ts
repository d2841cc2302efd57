// fma32/fma64 (runtime/random/fma.ts) against exact arithmetic: a*b + c computed with BigInts
// as a dyadic rational and rounded once, half to even. Includes many exact half-way cases, where
// rounding twice (double, then float) would be wrong.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fma32, fma32RoundToOdd, fma64 } from '../../../runtime/random/fma.ts';

const view = new DataView(new ArrayBuffer(8));

/** x = m * 2^e exactly (m a BigInt, possibly negative). */
function exact(x: number): [bigint, number] {
  if (x === 0) return [0n, 0];
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  let m = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let e = -1074;
  if (biased !== 0) { m |= 1n << 52n; e = biased - 1075; }
  return [x < 0 ? -m : m, e];
}

/** m * 2^e rounded to `bits` significant bits (half to even), as a number (normal range only). */
function round(m: bigint, e: number, bits: number): number {
  if (m === 0n) return 0;
  const neg = m < 0n;
  let a = neg ? -m : m;
  const len = a.toString(2).length;
  if (len > bits) {
    const shift = BigInt(len - bits);
    const q = a >> shift;
    const r = a - (q << shift);
    const half = 1n << (shift - 1n);
    a = r > half || (r === half && (q & 1n) === 1n) ? q + 1n : q;
    e += Number(shift);
  }
  const v = Number(a) * 2 ** e;
  return neg ? -v : v;
}

function exactFma(a: number, b: number, c: number, bits: number): number {
  const [ma, ea] = exact(a);
  const [mb, eb] = exact(b);
  const [mc, ec] = exact(c);
  const ep = ea + eb;
  const e = Math.min(ep, ec);
  const sum = ((ma * mb) << BigInt(ep - e)) + (mc << BigInt(ec - e));
  return round(sum, e, bits);
}

function* triples(single: boolean): Generator<[number, number, number]> {
  const r = single ? Math.fround : (x: number) => x;
  let seed = 12345;
  const rand = (): number => { seed = (Math.imul(seed, 1103515245) + 12345) >>> 0; return seed / 2 ** 32; };
  for (let i = 0; i < 60000; i++) {
    const k = i % 4;
    if (k === 0) yield [r((rand() - 0.5) * 2 ** Math.floor(rand() * 20 - 10)), r((rand() - 0.5) * 8), r((rand() - 0.5) * 2 ** Math.floor(rand() * 20 - 10))];
    else if (k === 1) {
      // short mantissas: products and sums land on half-way points often
      const a = r(1 + Math.floor(rand() * 4096) / 4096);
      const b = r(1 + Math.floor(rand() * 4096) / 4096);
      yield [a, b, r(Math.floor(rand() * 64) * 2 ** -20)];
    } else if (k === 2) {
      const a = r(rand());
      const b = r(rand() * 3);
      yield [a, b, r(-a * b + (rand() - 0.5) * 2 ** -24)]; // cancellation
    } else yield [r(rand()), r(rand() * 0.5), r(-rand())];
  }
}

test('fma32 is a*b+c rounded once to float32', () => {
  let bad = 0;
  for (const [a, b, c] of triples(true)) {
    const want = exactFma(a, b, c, 24);
    if (fma32(a, b, c) !== want || fma32RoundToOdd(a, b, c) !== want) bad++;
  }
  assert.equal(bad, 0);
});

test('fma64 is a*b+c rounded once to double', () => {
  let bad = 0;
  for (const [a, b, c] of triples(false)) if (fma64(a, b, c) !== exactFma(a, b, c, 53)) bad++;
  assert.equal(bad, 0);
});

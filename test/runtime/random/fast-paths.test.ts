// The fast paths of the random kernels against their plain definitions:
//   - boxMullerAvx (the randn vector path's lane pair, which rounds GCC's fused steps once from a
//     double sum instead of calling fma32, and skips roundings that are exact) equals LOG and
//     SINCOS of avx-mathfun.ts for every one of the 2^24 inputs each side can get;
//   - the bulk MT19937 fills equal draw-by-draw random32() across twists, and leave the same state;
//   - float32 uniform_ (a double sum rounded once when it is provably exact) equals fma32 per
//     element for bounds where that holds and where it does not;
//   - randint/random_/randperm into int64 (written as int32 words) equal the BigInt definitions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { float32, int64 } from '../../../runtime/dtype.ts';
import { boxMullerAvx, logAvx, sincosAvx, sincosOut } from '../../../runtime/random/avx-mathfun.ts';
import { fma32 } from '../../../runtime/random/fma.ts';
import { CpuGenerator } from '../../../runtime/random/generator.ts';
import { randintFill, randomFill, randpermFill, uniformFill } from '../../../runtime/random/distributions.ts';

const f = Math.fround;
const TWO_PI_F = f(2 * Math.PI);

test('boxMullerAvx equals LOG and SINCOS of avx-mathfun for all 2^24 uniforms on each side', () => {
  const d = new Float32Array(16);
  const radiusRef = (u: number): number => f(Math.sqrt(f(-2 * logAvx(f(1 - u)))));
  // u2 = 0 gives theta = 0, cos = 1, sin = 0 exactly: d[0] is the radius itself.
  let radiusBad = -1;
  for (let k = 0; k < 1 << 24 && radiusBad < 0; k++) {
    const u = k * 2 ** -24;
    d[0] = u;
    d[8] = 0;
    boxMullerAvx(d, 0);
    const radius = radiusRef(u);
    if (!Object.is(d[0], radius) || !Object.is(d[8], radius * 0)) radiusBad = k; // (-0 for u = 0: sqrt(-0))
  }
  assert.equal(radiusBad, -1, `radius differs at k = ${radiusBad}`);
  // A u1 whose radius is exactly 1 makes the outputs cos and sin themselves.
  let kOne = Math.round((1 - Math.exp(-0.5)) * 2 ** 24) - 64;
  while (radiusRef(kOne * 2 ** -24) !== 1) kOne++;
  let sincosBad = -1;
  for (let k = 0; k < 1 << 24 && sincosBad < 0; k++) {
    const u2 = k * 2 ** -24;
    d[0] = kOne * 2 ** -24;
    d[8] = u2;
    boxMullerAvx(d, 0);
    sincosAvx(f(TWO_PI_F * u2));
    if (!Object.is(d[0], sincosOut.cos) || !Object.is(d[8], sincosOut.sin)) sincosBad = k;
  }
  assert.equal(sincosBad, -1, `sincos differs at k = ${sincosBad}`);
});

test('bulk MT19937 fills equal random32() draw by draw, across twists', () => {
  for (const [start, lengths] of [[0, [1, 623, 1, 624, 625, 5000]], [3, [700, 1248, 2, 0, 9]]] as const) {
    const a = new CpuGenerator(1234);
    const b = new CpuGenerator(1234);
    for (let i = 0; i < start; i++) { a.random32(); b.random32(); }
    for (const len of lengths) {
      const u = new Float32Array(len);
      a.fillUniform24(u, 0, len);
      for (let i = 0; i < len; i++) assert.equal(u[i], b.uniform24(), `uniform24 ${i} of ${len}`);
      const w = new Uint32Array(len);
      a.fillUint32(w, 0, len);
      for (let i = 0; i < len; i++) assert.equal(w[i], b.random32(), `random32 ${i} of ${len}`);
      assert.equal(a.draws, b.draws);
      assert.equal(a.mt.left, b.mt.left);
      assert.equal(a.mt.next, b.mt.next);
    }
    assert.equal(a.random32(), b.random32());
  }
});

test('float32 uniform_ equals fma32 per element, exact-sum fast path or not', () => {
  const bounds: [number, number][] = [
    [-0.015625, 0.015625], [-1 / Math.sqrt(3), 1 / Math.sqrt(3)], [-3.7, 11.2], [0, 1], [0.5, 0.5],
    [1000, 1000.001], [-1e-30, 1e30], [1e20, 1e20 * (1 + 1e-6)], [2.5, 7], [-1e-40, 1e-40], [-7, -6.999],
  ];
  for (const [from, to] of bounds) {
    const n = 3001;
    const got = new Float32Array(n);
    uniformFill(new CpuGenerator(7), got, float32, from, to, n);
    const ref = new CpuGenerator(7);
    const a = f(from);
    const range = f(f(to) - a);
    for (let i = 0; i < n; i++) {
      const want = fma32(ref.uniform24(), range, a);
      assert.ok(Object.is(got[i], f(want)), `uniform_(${from}, ${to}) element ${i}: ${got[i]} vs ${want}`);
    }
  }
});

test('int64 randint/random_/randperm without BigInt per element equal the BigInt definitions', () => {
  for (const [lo, hi] of [[-3, 100], [-(2 ** 40), -(2 ** 40) + 5], [0, 2 ** 32 - 1], [2 ** 51, 2 ** 51 + 1000]]) {
    const got = new BigInt64Array(777);
    randintFill(new CpuGenerator(11), got, int64, lo!, hi!);
    const g = new CpuGenerator(11);
    for (let i = 0; i < got.length; i++) assert.equal(got[i], BigInt(lo!) + BigInt(g.random32()) % BigInt(hi! - lo!), `randint(${lo}, ${hi}) ${i}`);
  }
  const got = new BigInt64Array(555);
  randomFill(new CpuGenerator(5), got, int64);
  const g = new CpuGenerator(5);
  for (let i = 0; i < got.length; i++) assert.equal(got[i], g.random64() % (1n << 63n), `random_ ${i}`);
  // randperm: identity, then swap i with i + random() % (n - i) for i < n - 1.
  const perm = new BigInt64Array(1000);
  randpermFill(new CpuGenerator(9), perm, int64, perm.length);
  const want = Array.from({ length: perm.length }, (_, i) => BigInt(i));
  const h = new CpuGenerator(9);
  for (let i = 0; i < want.length - 1; i++) {
    const z = i + (h.random32() % (want.length - i));
    [want[i], want[z]] = [want[z]!, want[i]!];
  }
  assert.deepEqual(Array.from(perm), want);
});

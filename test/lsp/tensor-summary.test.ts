// summarize (language-server/lsp/forward-tensor-view.ts), the one statistics pass of a held tensor,
// against a plain per-element reference written from the contract (docs/protocol.md: statistics
// over the finite values, std unbiased, 64 equal bins from min to max, per-channel min and max along
// `dim` with NaN for a channel without a finite value): random shapes and channel dimensions, with
// and without NaN, ±Infinity and zeros. Counts, minima, maxima, bins and channel ranges must be
// equal; sums (mean, std, l2Norm) are float64 sums in another order (two accumulators), so they
// agree to a few float64 roundings of the sum of magnitudes.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { rangePass, rangeSummary, summarize } from '../../language-server/lsp/forward-tensor-view.ts';
import { seededRandom } from '../support/seeded-random.ts';


function reference(values: ArrayLike<number>, shape: number[], dim: number | undefined, bins = 64) {
  const finite: number[] = [];
  let zeros = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v === 0) zeros++;
    if (Number.isFinite(v)) finite.push(v);
  }
  const min = finite.length ? Math.min(...finite) : 0;
  const max = finite.length ? Math.max(...finite) : 0;
  const sum = finite.reduce((a, b) => a + b, 0);
  const sumSq = finite.reduce((a, b) => a + b * b, 0);
  const counts = new Array<number>(bins).fill(0);
  const width = max > min ? (max - min) / bins : 1;
  for (const v of finite) counts[Math.min(bins - 1, Math.floor((v - min) / width))]! += 1;
  let channelRange: { dim: number; min: number[]; max: number[] } | undefined;
  if (dim !== undefined) {
    const size = shape[dim]!;
    const inner = shape.slice(dim + 1).reduce((a, b) => a * b, 1);
    const lo = new Array<number>(size).fill(Infinity);
    const hi = new Array<number>(size).fill(-Infinity);
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (!Number.isFinite(v)) continue;
      const c = Math.floor(i / inner) % size;
      lo[c] = Math.min(lo[c]!, v);
      hi[c] = Math.max(hi[c]!, v);
    }
    channelRange = { dim, min: lo.map((x) => (Number.isFinite(x) ? x : NaN)), max: hi.map((x) => (Number.isFinite(x) ? x : NaN)) };
  }
  const mean = finite.length ? sum / finite.length : 0;
  const variance = finite.length > 1 ? Math.max(0, (sumSq - finite.length * mean * mean) / (finite.length - 1)) : 0;
  return { min, max, mean, std: Math.sqrt(variance), l2Norm: Math.sqrt(sumSq), zeroFraction: values.length ? zeros / values.length : 0, count: values.length, counts, channelRange, sumAbs: finite.reduce((a, b) => a + Math.abs(b), 0), n: finite.length };
}

describe('summarize', () => {
  for (const special of [false, true]) {
    test(`random shapes and channel dimensions${special ? ', with NaN, ±Infinity and zeros' : ''}: the reference's statistics`, () => {
      const r = seededRandom(special ? 11 : 12);
      for (let trial = 0; trial < 150; trial++) {
        const rank = 1 + Math.floor(r() * 4);
        const shape = Array.from({ length: rank }, () => 1 + Math.floor(r() * (rank === 1 ? 400 : 9)));
        const n = shape.reduce((a, b) => a * b, 1);
        const values = r() < 0.3 ? new Float64Array(n) : new Float32Array(n);
        for (let i = 0; i < n; i++) {
          values[i] = (r() - 0.5) * 10;
          if (special) {
            const p = r();
            if (p < 0.03) values[i] = NaN;
            else if (p < 0.04) values[i] = Infinity;
            else if (p < 0.05) values[i] = -Infinity;
            else if (p < 0.15) values[i] = 0;
          }
        }
        // All non-finite now and then: no finite value at all.
        if (special && trial % 25 === 0) values.fill(NaN);
        const dim = rank >= 2 ? Math.floor(r() * rank) : undefined;
        const got = summarize(values, shape, dim);
        const want = reference(values, shape, dim);
        const what = `[${shape.join(', ')}] dim ${dim}`;
        assert.equal(got.stats.min, want.min, what);
        assert.equal(got.stats.max, want.max, what);
        assert.equal(got.stats.count, want.count, what);
        assert.equal(got.stats.zeroFraction, want.zeroFraction, what);
        assert.deepEqual(got.histogram, { min: want.min, max: want.max, counts: want.counts }, what);
        assert.deepEqual(got.channelRange, want.channelRange, what);
        // A float64 sum of n terms is within (n − 1)·2⁻⁵³·Σ|v| of the exact sum, either order.
        const sumError = 2 * want.n * 2 ** -53 * want.sumAbs;
        assert.ok(Math.abs(got.stats.mean - want.mean) <= sumError / Math.max(1, want.n) + 1e-300, `${what} mean ${got.stats.mean} vs ${want.mean}`);
        assert.ok(Math.abs(got.stats.l2Norm! - want.l2Norm) <= 1e-12 * Math.max(1, want.l2Norm), `${what} l2 ${got.stats.l2Norm} vs ${want.l2Norm}`);
        assert.ok(Math.abs(got.stats.std - want.std) <= 1e-9 * Math.max(1, want.std), `${what} std ${got.stats.std} vs ${want.std}`);
        // The range pass answered first (getTensor's deferSummary): the same min, max and channel
        // ranges, and the summary finished from it is the one computed in one go, bit for bit.
        const range = rangePass(values, shape, dim);
        const early = rangeSummary(values.length, range);
        assert.deepEqual(early.stats, { min: want.min, max: want.max, count: want.count }, what);
        assert.deepEqual(early.channelRange, want.channelRange, what);
        assert.deepEqual(summarize(values, shape, dim, 64, range), got, what);
      }
    });
  }

  test('values on and next to bin edges fall in the bins floor((v − min) / width) gives', () => {
    // min 0, max 6.4: width 0.1 is not a binary fraction, so k·0.1 / 0.1 lands on both sides of k.
    const edges: number[] = [];
    for (let k = 0; k <= 640; k++) edges.push(k * 0.01, k * 0.01 + 1e-15, k * 0.01 - 1e-15);
    const values = Float64Array.from(edges.filter((x) => x >= 0 && x <= 6.4));
    for (const data of [values, Float32Array.from(values)]) {
      const got = summarize(data, [data.length]);
      assert.deepEqual(got.histogram.counts, reference(data, [data.length], undefined).counts);
    }
  });

  test('a tensor whose squares overflow float64 still counts every finite value', () => {
    const values = Float64Array.from([1e200, -1e200, 3, 0]);
    const got = summarize(values, [2, 2], 0);
    assert.equal(got.stats.max, 1e200);
    assert.equal(got.stats.min, -1e200);
    assert.equal(got.stats.l2Norm, Infinity);
    assert.deepEqual(got.channelRange, { dim: 0, min: [-1e200, 0], max: [1e200, 3] });
    assert.equal(got.histogram.counts.reduce((a, b) => a + b, 0), 4);
  });
});

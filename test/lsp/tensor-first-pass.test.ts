// The first answer's one read of a big tensor (tensorViewAndRange: the whole-tensor view and the
// range pass together) and the deferred summary in slices (summarySteps), against the separate
// passes they replace: tensorView + rangePass, and summarize in one go. Bit for bit (cells as
// float32 bytes, ranges as float64 bytes, statistics with Object.is), on random shapes, grids and
// reductions, with NaN, ±Infinity, −0 and +0 mixed in: these replace the passes only because they
// change no number.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { rangePass, summarize, summarySteps, tensorView, tensorViewAndRange, type RangePass, type TensorSummary, type ViewRequest } from '../../language-server/lsp/forward-tensor-view.ts';
import { seededRandom } from '../support/seeded-random.ts';


/** Random float32 values; `special` of them NaN, ±Infinity, −0 or +0. */
function values(n: number, rand: () => number, special: number): Float32Array {
  const out = Float32Array.from({ length: n }, () => (rand() - 0.5) * 4);
  const odd = [NaN, Infinity, -Infinity, -0, 0];
  for (let k = 0; k < special; k++) out[Math.floor(rand() * n)] = odd[Math.floor(rand() * odd.length)]!;
  return out;
}

const bytes = (a: Float32Array | Float64Array): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

function sameRange(got: RangePass, want: RangePass, what: string): void {
  assert.deepEqual({ ...got, chMin: undefined, chMax: undefined, min: undefined, max: undefined }, { ...want, chMin: undefined, chMax: undefined, min: undefined, max: undefined }, what);
  assert.ok(Object.is(got.min, want.min) && Object.is(got.max, want.max), `${what}: min/max ${got.min}/${got.max} vs ${want.min}/${want.max}`);
  assert.ok(bytes(got.chMin).equals(bytes(want.chMin)) && bytes(got.chMax).equals(bytes(want.chMax)), `${what}: channel ranges`);
}

function sameSummary(got: TensorSummary, want: TensorSummary, what: string): void {
  for (const [k, v] of Object.entries(want.stats)) assert.ok(Object.is(got.stats[k as keyof typeof got.stats], v), `${what}: ${k} ${got.stats[k as keyof typeof got.stats]} vs ${v}`);
  assert.deepEqual(got, want, what);
}

describe('tensorViewAndRange', () => {
  test('equals tensorView and rangePass bit for bit (rank 2, whole window, channels along dim 0 or none)', () => {
    const rand = seededRandom(7);
    let fused = 0;
    for (let trial = 0; trial < 300; trial++) {
      const rows = 1 + Math.floor(rand() * 300);
      const cols = 1 + Math.floor(rand() * 60);
      const shape = [rows, cols];
      const v = values(rows * cols, rand, trial % 3 === 0 ? 0 : Math.floor(rand() * 6));
      const grid = { rows: 1 + Math.floor(rand() * rows * 1.2), cols: 1 + Math.floor(rand() * cols * 1.2) };
      const reduction = (['mean', 'min', 'max'] as const)[trial % 3]!;
      // Mostly the whole tensor (the first request); sometimes a window (computed apart).
      const request: ViewRequest = { grid, reduction, ...(trial % 7 === 6 ? { window: { row: 1, col: 0, rows: rows - 1 || 1, cols } } : {}) };
      const dim = trial % 4 === 3 ? undefined : trial % 5 === 4 ? 1 : 0;
      const what = `trial ${trial} [${shape}] grid ${grid.rows}×${grid.cols} ${reduction} dim ${dim}`;
      const got = tensorViewAndRange(v, shape, request, dim);
      const want = tensorView(v, shape, request);
      assert.deepEqual({ ...got.view, cells: undefined }, { ...want, cells: undefined }, what);
      assert.ok(bytes(got.view.cells).equals(bytes(want.cells)), `${what}: cells`);
      sameRange(got.range, rangePass(v, shape, dim), what);
      if (!request.window && dim !== 1) fused++;
    }
    assert.ok(fused > 100, `only ${fused} trials took the one-read path`);
  });

  test('other ranks and layouts: the separate passes', () => {
    const rand = seededRandom(11);
    for (const shape of [[37], [3, 4, 5], [2, 3, 4, 5]]) {
      const v = values(shape.reduce((a, b) => a * b, 1), rand, 3);
      const request: ViewRequest = { grid: { rows: 3, cols: 4 }, layout: shape.length === 4 ? 'featureMaps' : 'kernels' };
      const got = tensorViewAndRange(v, shape, request, shape.length > 1 ? 0 : undefined);
      assert.ok(bytes(got.view.cells).equals(bytes(tensorView(v, shape, request).cells)), `[${shape}] cells`);
      sameRange(got.range, rangePass(v, shape, shape.length > 1 ? 0 : undefined), `[${shape}]`);
    }
  });
});

describe('summarySteps', () => {
  test('in small slices equals summarize in one go, bit for bit', () => {
    const rand = seededRandom(3);
    for (let trial = 0; trial < 200; trial++) {
      const rank = 1 + Math.floor(rand() * 3);
      const shape = Array.from({ length: rank }, () => 1 + Math.floor(rand() * 24));
      const n = shape.reduce((a, b) => a * b, 1);
      const v = values(n, rand, trial % 2 === 0 ? 0 : Math.floor(rand() * 5));
      const dim = rank === 1 || trial % 3 === 0 ? undefined : Math.floor(rand() * rank);
      const want = summarize(v, shape, dim);
      const step = 1 + Math.floor(rand() * 50);
      const steps = summarySteps(v, shape, dim, 64, rangePass(v, shape, dim), step);
      let slices = 0;
      let next = steps.next();
      for (; !next.done; next = steps.next()) slices++;
      sameSummary(next.value, want, `trial ${trial} [${shape}] dim ${dim} step ${step}`);
      if (n > 4 * step + 2) assert.ok(slices >= 2, `trial ${trial}: ${n} elements in ${slices + 1} slices of ${step}`);
    }
  });
});

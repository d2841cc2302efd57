// The overview (language-server/lsp/tensor-overview.ts) and tensorView (forward-tensor-view.ts)
// against a plain element-by-element reduction of each cell: random shapes of rank 1 to 4 in both
// folds, random windows and grids, all three reductions, ragged last blocks, NaN and ±Infinity.
//
// How equal: min and max are compared bit for bit (the same elements, the same comparisons). The
// mean is compared bit for bit on integer-valued data (every float64 partial sum of small integers
// is exact, so no summation order can change it); on real-valued data the two float64 sums differ
// only by rounding of a different order of additions: each is within (n − 1)·2⁻⁵³·Σ|v| of the exact
// sum, so the two means (sum / n) are within 2·2⁻⁵³·n·max|v| of each other before the cast to
// float32, which adds at most one float32 ulp of the larger.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveView, tensorView, type ViewRequest } from '../../language-server/lsp/forward-tensor-view.ts';
import { buildOverview, overviewBlockRows, overviewCells, overviewFits, type Overview } from '../../language-server/lsp/tensor-overview.ts';
import { flatIndexer, foldShape, type FoldLayout } from '../../language-server/protocol/tensor-fold.ts';
import type { Reduction } from '../../language-server/protocol/requests.ts';
import { seededRandom } from '../support/seeded-random.ts';

const int = (r: () => number, lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));

type Kind = 'integers' | 'reals' | 'special';

function valuesOf(r: () => number, n: number, kind: Kind, float64: boolean): Float32Array | Float64Array {
  const v = float64 ? new Float64Array(n) : new Float32Array(n);
  for (let i = 0; i < n; i++) {
    if (kind === 'integers') v[i] = int(r, -50, 50);
    else v[i] = (r() - 0.5) * 6;
    if (kind === 'special') {
      const p = r();
      if (p < 0.01) v[i] = NaN;
      else if (p < 0.015) v[i] = Infinity;
      else if (p < 0.02) v[i] = -Infinity;
      else if (p < 0.05) v[i] = 0;
    }
  }
  return v;
}

function randomShape(r: () => number): { shape: number[]; layout: FoldLayout } {
  const rank = int(r, 1, 4);
  if (rank === 1) return { shape: [int(r, 1, 3000)], layout: 'kernels' };
  if (rank === 2) return { shape: [int(r, 1, 700), int(r, 1, 40)], layout: 'kernels' };
  if (rank === 3) return { shape: [int(r, 1, 30), int(r, 1, 12), int(r, 1, 9)], layout: 'kernels' };
  return { shape: [int(r, 1, 3), int(r, 1, 7), int(r, 1, 13), int(r, 1, 7)], layout: r() < 0.5 ? 'featureMaps' : 'kernels' };
}

/** A random window inside the fold (sometimes all of it) and a grid no finer than it. */
function randomRequest(r: () => number, rows: number, cols: number, reduction: Reduction, layout: FoldLayout): ViewRequest {
  const whole = r() < 0.3;
  const row = whole ? 0 : int(r, 0, rows - 1);
  const col = whole ? 0 : int(r, 0, cols - 1);
  const wr = whole ? rows : int(r, 1, rows - row);
  const wc = whole ? cols : int(r, 1, cols - col);
  return { window: { row, col, rows: wr, cols: wc }, grid: { rows: int(r, 1, Math.max(1, Math.ceil(wr / int(r, 1, 40)))), cols: int(r, 1, wc) }, reduction, layout };
}

const ulp32 = (x: number): number => {
  const a = Math.abs(x);
  if (!Number.isFinite(a) || a === 0) return 2 ** -149;
  return 2 ** (Math.floor(Math.log2(a)) - 23);
};

/**
 * The reference: each cell reduced element by element in row-major order through the fold, as
 * the contract defines cells (docs/protocol.md) — independent of tensorView's and the overview's loops.
 */
function naiveCells(values: ArrayLike<number>, shape: number[], request: ViewRequest): Float32Array {
  const { window: w, grid: g, reduction } = resolveView(shape, request);
  const at = flatIndexer(shape, request.layout);
  const cells = new Float32Array(g.rows * g.cols);
  for (let i = 0; i < g.rows; i++) {
    const r0 = w.row + Math.floor((i * w.rows) / g.rows);
    const r1 = w.row + Math.floor(((i + 1) * w.rows) / g.rows);
    for (let j = 0; j < g.cols; j++) {
      const c0 = w.col + Math.floor((j * w.cols) / g.cols);
      const c1 = w.col + Math.floor(((j + 1) * w.cols) / g.cols);
      let a = reduction === 'min' ? Infinity : reduction === 'max' ? -Infinity : 0;
      for (let r = r0; r < r1; r++) {
        for (let c = c0; c < c1; c++) {
          const v = values[at(r, c)]!;
          if (reduction === 'mean') a += v;
          else if (reduction === 'min') { if (v < a) a = v; } else if (v > a) a = v;
        }
      }
      const n = (r1 - r0) * (c1 - c0);
      cells[i * g.cols + j] = n === 0 ? NaN : reduction === 'mean' ? a / n : a;
    }
  }
  return cells;
}

/** Cells of the request through the overview, as tensorView would lay them out. */
function viaOverview(o: Overview, values: ArrayLike<number>, shape: number[], request: ViewRequest): Float32Array {
  const { window: w, grid: g } = resolveView(shape, request);
  const rowEdges = Int32Array.from({ length: g.rows + 1 }, (_, i) => w.row + Math.floor((i * w.rows) / g.rows));
  const colEdges = Int32Array.from({ length: g.cols + 1 }, (_, j) => w.col + Math.floor((j * w.cols) / g.cols));
  return overviewCells(o, values, shape, rowEdges, colEdges, request.reduction ?? 'mean');
}

function assertSame(direct: Float32Array, over: Float32Array, reduction: Reduction, bitwise: boolean, n: number, maxAbs: number, what: string): void {
  assert.equal(over.length, direct.length, what);
  for (let k = 0; k < direct.length; k++) {
    const a = direct[k]!;
    const b = over[k]!;
    if (a === b) continue;
    if (Number.isNaN(a) || Number.isNaN(b)) { assert.ok(Number.isNaN(a) && Number.isNaN(b), `${what} cell ${k}: ${a} vs ${b}`); continue; }
    // ±0 compare equal: which zero a min or max keeps depends on the order it met them in.
    if (reduction !== 'mean' || bitwise) { assert.ok(a === b, `${what} cell ${k} (${reduction}): ${a} vs ${b}`); continue; }
    const bound = ulp32(Math.max(Math.abs(a), Math.abs(b))) + 2 * 2 ** -53 * n * maxAbs;
    assert.ok(Math.abs(a - b) <= bound, `${what} cell ${k}: ${a} vs ${b} (bound ${bound})`);
  }
}

describe('tensor overview', () => {
  test('the chain of block heights: from minRows, doubling, until at most maxRows rows of blocks', () => {
    assert.deepEqual(overviewBlockRows(50257), [32, 64, 128, 256]);
    assert.deepEqual(overviewBlockRows(4096), [32]);
    assert.deepEqual(overviewBlockRows(20), []);
    assert.deepEqual(overviewBlockRows(100, { minRows: 2, maxRows: 8 }), [2, 4, 8, 16]);
  });

  test('levels hold the sum, min and max of their blocks, the last one ragged', () => {
    // 5 rows × 2 columns, blocks of 2 rows: the third block holds row 4 only.
    const values = Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const o = buildOverview(values, [5, 2], 'kernels', { minRows: 2, maxRows: 1 })!;
    // The chain stops below the tensor's height: a block of 8 rows would be all of it.
    assert.deepEqual(o.levels.map((l) => l.bh), [2, 4]);
    assert.deepEqual([...o.levels[0]!.sum], [4, 6, 12, 14, 9, 10]);
    assert.deepEqual([...o.levels[0]!.min], [1, 2, 5, 6, 9, 10]);
    assert.deepEqual([...o.levels[1]!.sum], [16, 20, 9, 10]);
    assert.deepEqual([...o.levels[1]!.max], [7, 8, 9, 10]);
    // A window of rows 1..4 (ragged end) in one cell: 3+4+5+6+7+8+9+10 over 8.
    const cells = viaOverview(o, values, [5, 2], { window: { row: 1, col: 0, rows: 4, cols: 2 }, grid: { rows: 1, cols: 1 }, reduction: 'mean' });
    assert.deepEqual([...cells], [52 / 8]);
  });

  for (const kind of ['integers', 'reals', 'special'] as const) {
    test(`random shapes, windows and grids, mean/min/max (${kind}): the direct reduction's cells`, () => {
      const r = seededRandom(kind === 'integers' ? 1 : kind === 'reals' ? 2 : 3);
      let compared = 0;
      for (let trial = 0; trial < 60; trial++) {
        const { shape, layout } = randomShape(r);
        const n = shape.reduce((a, b) => a * b, 1);
        const values = valuesOf(r, n, kind, r() < 0.25);
        const folded = foldShape(shape, layout);
        const minRows = 2 ** int(r, 0, 3);
        const o = buildOverview(values, shape, layout, { minRows, maxRows: int(r, 1, 8) });
        if (!o) { assert.ok(folded.rows <= minRows, `no overview for ${folded.rows} rows`); continue; }
        let maxAbs = 0;
        for (const v of values) if (Number.isFinite(v)) maxAbs = Math.max(maxAbs, Math.abs(v));
        for (const reduction of ['mean', 'min', 'max'] as const) {
          for (let k = 0; k < 4; k++) {
            const request = randomRequest(r, folded.rows, folded.cols, reduction, layout);
            const what = `[${shape.join(', ')}] ${layout} ${JSON.stringify(request.window)} grid ${JSON.stringify(request.grid)} minRows ${minRows}`;
            const direct = naiveCells(values, shape, request);
            assertSame(direct, viaOverview(o, values, shape, request), reduction, kind === 'integers', n, maxAbs, what);
            // The band reduction without blocks (tensorView's path for narrow cells).
            assertSame(direct, viaOverview({ ...o, levels: [] }, values, shape, request), reduction, kind === 'integers', n, maxAbs, `${what} (no levels)`);
            // And through tensorView, without and with the overview (used only where its blocks fit a cell).
            assertSame(direct, tensorView(values, shape, request).cells, reduction, kind === 'integers', n, maxAbs, `${what} (tensorView)`);
            assertSame(direct, tensorView(values, shape, request, o).cells, reduction, kind === 'integers', n, maxAbs, `${what} (tensorView with overview)`);
            compared++;
          }
        }
      }
      assert.ok(compared > 400, `${compared} windows compared`);
    });
  }

  test('tensorView uses the overview for zoomed-out windows only, and gives the same cells', () => {
    const r = seededRandom(9);
    const shape = [4000, 30];
    const values = valuesOf(r, 4000 * 30, 'integers', false);
    const o = buildOverview(values, shape, 'kernels', { maxRows: 40 })!;
    assert.deepEqual(o.levels.map((l) => l.bh), [32, 64, 128]);
    assert.equal(overviewFits(o, Math.floor(4000 / 100)), true);
    assert.equal(overviewFits(o, Math.floor(300 / 100)), false);
    for (const reduction of ['mean', 'min', 'max'] as const) {
      const whole = { grid: { rows: 100, cols: 30 }, reduction };
      assert.deepEqual(tensorView(values, shape, whole, o).cells, tensorView(values, shape, whole).cells);
      const zoomed = { window: { row: 1234, col: 3, rows: 300, cols: 20 }, grid: { rows: 100, cols: 20 }, reduction };
      assert.deepEqual(tensorView(values, shape, zoomed, o).cells, tensorView(values, shape, zoomed).cells);
    }
  });

  test('an overview of another fold is not used', () => {
    const shape = [2, 3, 40, 40];
    const values = valuesOf(seededRandom(4), 2 * 3 * 40 * 40, 'integers', false);
    const kernels = buildOverview(values, shape, 'kernels', { minRows: 2 })!;
    const request = { grid: { rows: 10, cols: 10 }, reduction: 'mean' as const, layout: 'featureMaps' as const };
    assert.deepEqual(tensorView(values, shape, request, kernels).cells, tensorView(values, shape, request).cells);
  });
});

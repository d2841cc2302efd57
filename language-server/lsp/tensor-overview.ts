// A downsampled overview of a big tensor folded to 2-D, built once per held tensor, so that zoomed-out
// windows (each cell covering many rows) are reduced from a few precomputed rows of blocks instead of
// every element, with the same answer as the direct reduction (forward-tensor-view.ts `tensorView`).
//
// The overview is a chain of levels; level k holds, for every column, blocks of 2^k consecutive
// folded rows (aligned: rows [i·2^k, (i+1)·2^k), the last one cut off by the tensor's end), each
// with the sum, the minimum and the maximum of its elements. Blocks are one column wide because in
// the case that costs, a tall tensor (a 50257×768 embedding drawn 700 pixels wide), a cell is one or
// two columns wide and over a hundred rows tall. Levels below 32 rows are not kept (memory: the
// chain holds one entry per 16 elements, about 1 byte per element); the chain ends once a level has
// at most 256 rows of blocks. So cells under 32 rows (a 4096×4096 matrix on a screen of 600 pixels:
// 7 rows) do not use it: they are reduced directly, which costs tens of milliseconds there.
//
// A window is reduced band by band (a band: the rows of one row of cells). A band's rows are split
// into aligned blocks of the chain (largest first, as in a segment tree: at most two per level) and
// the rows no block covers (fewer than 32 at each end), which are read element by element. Each
// piece is added column by column into one accumulator per column of the window, then the columns
// are reduced into the cells. min and max are exact: the min and max of the same elements, bit for
// bit. The mean is a float64 sum of the same elements divided by the cell's element count (sums, not
// means, are combined, so the ragged last block weighs what it holds); only the order of the float64
// additions differs from the direct loops, a difference far below the float32 cells are sent in
// (test/lsp/tensor-overview.test.ts bounds it).
import type { Reduction } from '../protocol/requests.ts';
import { flatIndexer, foldShape, type FoldLayout } from '../protocol/tensor-fold.ts';

type Values = ArrayLike<number>;

export interface OverviewLevel {
  /** Rows per block (2^k). */
  bh: number;
  /** Rows of blocks (the last one ragged); each row of blocks has one block per folded column. */
  rows: number;
  sum: Float64Array;
  /** float32 when the values are (min and max of float32 values are float32 values), else float64. */
  min: Float32Array | Float64Array;
  max: Float32Array | Float64Array;
}

export interface Overview {
  layout: FoldLayout;
  folded: { rows: number; cols: number };
  /** Finest first. */
  levels: OverviewLevel[];
}

export interface OverviewOptions {
  /** Rows of the finest block kept (a power of two). Default 32. */
  minRows?: number;
  /** The chain ends once a level has at most this many rows of blocks. Default 256. */
  maxRows?: number;
}

/** Below this many elements the direct reduction is fast enough; no overview is built. */
export const overviewMinElements = 1 << 20;

/** The rows per block of each level for `rows` folded rows, finest first. */
export function overviewBlockRows(rows: number, options: OverviewOptions = {}): number[] {
  const minRows = options.minRows ?? 32;
  const maxRows = options.maxRows ?? 256;
  const out: number[] = [];
  for (let bh = minRows; bh < rows; bh *= 2) {
    out.push(bh);
    if (Math.ceil(rows / bh) <= maxRows) break;
  }
  return out;
}

const arrayFor = (float32: boolean, n: number): Float32Array | Float64Array => (float32 ? new Float32Array(n) : new Float64Array(n));

/**
 * The finest level straight from the values, one pass over them; a generator that yields after
 * about every `elementsPerStep` elements, so a caller can build it between other work.
 */
function* firstLevel(values: Values, shape: readonly number[], layout: FoldLayout, folded: { rows: number; cols: number }, bh: number, elementsPerStep: number): Generator<void, OverviewLevel, void> {
  const C = folded.cols;
  const rows = Math.ceil(folded.rows / bh);
  const float32 = values instanceof Float32Array;
  const sum = new Float64Array(rows * C);
  const min = arrayFor(float32, rows * C);
  const max = arrayFor(float32, rows * C);
  const contiguous = shape.length <= 2;
  const at = flatIndexer(shape, layout);
  let sinceYield = 0;
  // Block by block, column by column down the block's rows: the sum, min and max stay in registers
  // (a block's rows, 32 × the columns, stay in the cache while its columns are walked).
  for (let b = 0; b < rows; b++) {
    const r0 = b * bh;
    const r1 = Math.min(folded.rows, r0 + bh);
    for (let c = 0; c < C; c++) {
      let s = 0;
      let lo = Infinity;
      let hi = -Infinity;
      // The direct loops' comparisons (NaN never wins one).
      if (contiguous) {
        for (let k = r0 * C + c, end = r1 * C; k < end; k += C) {
          const v = values[k]!;
          s += v;
          if (v < lo) lo = v;
          if (v > hi) hi = v;
        }
      } else {
        for (let r = r0; r < r1; r++) {
          const v = values[at(r, c)]!;
          s += v;
          if (v < lo) lo = v;
          if (v > hi) hi = v;
        }
      }
      sum[b * C + c] = s;
      min[b * C + c] = lo;
      max[b * C + c] = hi;
    }
    sinceYield += (r1 - r0) * C;
    if (sinceYield >= elementsPerStep) { sinceYield = 0; yield; }
  }
  return { bh, rows, sum, min, max };
}

/** The next level from the one below it: each block combines two (the last one maybe one). */
function coarser(fine: OverviewLevel, cols: number): OverviewLevel {
  const rows = Math.ceil(fine.rows / 2);
  const float32 = fine.min instanceof Float32Array;
  const sum = new Float64Array(rows * cols);
  const min = arrayFor(float32, rows * cols);
  const max = arrayFor(float32, rows * cols);
  for (let i = 0; i < rows; i++) {
    const a = 2 * i * cols;
    const two = 2 * i + 1 < fine.rows;
    for (let c = 0; c < cols; c++) {
      const k = i * cols + c;
      let s = fine.sum[a + c]!;
      let lo = fine.min[a + c]!;
      let hi = fine.max[a + c]!;
      if (two) {
        s += fine.sum[a + cols + c]!;
        const l2 = fine.min[a + cols + c]!;
        const h2 = fine.max[a + cols + c]!;
        if (l2 < lo) lo = l2;
        if (h2 > hi) hi = h2;
      }
      sum[k] = s;
      min[k] = lo;
      max[k] = hi;
    }
  }
  return { bh: fine.bh * 2, rows, sum, min, max };
}

/**
 * The overview of `values` (C order, `shape`) folded with `layout`, or null when no level would be
 * kept (too few rows), as a generator that yields about every `elementsPerStep` elements read: the
 * tensor worker builds it between requests (forward-tensors.ts).
 */
export function* overviewSteps(values: Values, shape: readonly number[], layout: FoldLayout = 'kernels', options: OverviewOptions = {}, elementsPerStep = 1 << 22): Generator<void, Overview | null, void> {
  const folded = foldShape(shape, layout);
  if (folded.rows * folded.cols !== values.length || values.length === 0) return null;
  const blocks = overviewBlockRows(folded.rows, options);
  if (blocks.length === 0) return null;
  const levels: OverviewLevel[] = [yield* firstLevel(values, shape, layout, folded, blocks[0]!, elementsPerStep)];
  for (let k = 1; k < blocks.length; k++) levels.push(coarser(levels[k - 1]!, folded.cols));
  return { layout, folded, levels };
}

/** overviewSteps at once. */
export function buildOverview(values: Values, shape: readonly number[], layout: FoldLayout = 'kernels', options: OverviewOptions = {}): Overview | null {
  const steps = overviewSteps(values, shape, layout, options, Infinity);
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
  }
}

/** Bytes the overview holds. */
export function overviewBytes(o: Overview): number {
  return o.levels.reduce((n, l) => n + l.sum.byteLength + l.min.byteLength + l.max.byteLength, 0);
}

/** Whether the overview pays for bands of at least `bandRows` rows: one finest block must fit. */
export function overviewFits(o: Overview, bandRows: number): boolean {
  return bandRows >= o.levels[0]!.bh;
}

/**
 * Reduces the cells of a window through the overview. `rowEdges` and `colEdges` are the cells'
 * boundaries in folded coordinates (grid + 1 entries each, as tensorView computes them); the cells
 * are tensorView's direct ones (see the header for the mean's rounding). With no levels it is a
 * plain band reduction of the elements (tensorView's path for narrow cells).
 */
export function overviewCells(o: Overview, values: Values, shape: readonly number[], rowEdges: Int32Array, colEdges: Int32Array, reduction: Reduction): Float32Array {
  const { rows: R, cols: C } = o.folded;
  const levels = o.levels;
  const gRows = rowEdges.length - 1;
  const gCols = colEdges.length - 1;
  const w0 = colEdges[0]!;
  const W = colEdges[gCols]! - w0;
  const contiguous = shape.length <= 2;
  const at = flatIndexer(shape, o.layout);
  const isMean = reduction === 'mean';
  const isMin = reduction === 'min';
  const start = isMean ? 0 : isMin ? Infinity : -Infinity;
  const acc = new Float64Array(W);
  const cells = new Float32Array(gRows * gCols);

  /** Adds `W` consecutive entries of `src` from `from` into acc (one loop per reduction: no branch inside). */
  const addRun = (src: Values, from: number): void => {
    if (isMean) for (let c = 0; c < W; c++) acc[c] += src[from + c]!;
    else if (isMin) for (let c = 0; c < W; c++) { const v = src[from + c]!; if (v < acc[c]!) acc[c] = v; }
    else for (let c = 0; c < W; c++) { const v = src[from + c]!; if (v > acc[c]!) acc[c] = v; }
  };
  const addRow = (r: number): void => {
    if (contiguous) { addRun(values, r * C + w0); return; }
    if (isMean) for (let c = 0; c < W; c++) acc[c] += values[at(r, w0 + c)]!;
    else if (isMin) for (let c = 0; c < W; c++) { const v = values[at(r, w0 + c)]!; if (v < acc[c]!) acc[c] = v; }
    else for (let c = 0; c < W; c++) { const v = values[at(r, w0 + c)]!; if (v > acc[c]!) acc[c] = v; }
  };

  for (let i = 0; i < gRows; i++) {
    const r1 = rowEdges[i + 1]!;
    acc.fill(start);
    let r = rowEdges[i]!;
    while (r < r1) {
      // The largest level whose block starts at r and ends within the band (the last, ragged block
      // ends at the tensor's end).
      let l = levels.length - 1;
      for (; l >= 0; l--) {
        const bh = levels[l]!.bh;
        if (r % bh === 0 && (r + bh <= r1 || (r1 === R && r + bh > R))) break;
      }
      if (l < 0) { addRow(r); r++; continue; }
      const lv = levels[l]!;
      addRun(isMean ? lv.sum : isMin ? lv.min : lv.max, (r / lv.bh) * C + w0);
      r = Math.min(R, r + lv.bh);
    }
    const count = r1 - rowEdges[i]!;
    for (let j = 0; j < gCols; j++) {
      const c0 = colEdges[j]! - w0;
      const c1 = colEdges[j + 1]! - w0;
      let a = start;
      if (isMean) for (let c = c0; c < c1; c++) a += acc[c]!;
      else if (isMin) for (let c = c0; c < c1; c++) { const v = acc[c]!; if (v < a) a = v; }
      else for (let c = c0; c < c1; c++) { const v = acc[c]!; if (v > a) a = v; }
      const n = count * (c1 - c0);
      cells[i * gCols + j] = n === 0 ? NaN : isMean ? a / n : a;
    }
  }
  return cells;
}

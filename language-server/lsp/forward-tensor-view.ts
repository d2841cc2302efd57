// What nnLens/getTensor sends of a tensor: statistics and a histogram over all of it, and a window
// of it (folded to 2-D, protocol/tensor-fold.ts) reduced to a grid of cells, each the mean, min or
// max of the elements it covers — exact values when the window has no more elements than cells.
// Pure functions over flat C-order values; the forward worker and scripts/bench-webview.ts use them.
import type { Reduction, TensorStats, TensorWindow } from '../protocol/requests.ts';
import { flatIndexer, foldShape } from '../protocol/tensor-fold.ts';

export type FlatValues = ArrayLike<number>;

export interface TensorSummary { stats: Required<TensorStats>; histogram: { min: number; max: number; counts: number[] } }

export function summarize(values: FlatValues, bins = 64): TensorSummary {
  const n = values.length;
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let sumSq = 0;
  let zeros = 0;
  let finite = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    if (v === 0) zeros++;
    if (!Number.isFinite(v)) continue;
    finite++;
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
    sumSq += v * v;
  }
  const mean = finite ? sum / finite : 0;
  // torch.std is the unbiased (n - 1) estimate.
  const variance = finite > 1 ? Math.max(0, (sumSq - finite * mean * mean) / (finite - 1)) : 0;
  const counts = new Array<number>(bins).fill(0);
  if (finite) {
    const width = max > min ? (max - min) / bins : 1;
    for (let i = 0; i < n; i++) {
      const v = values[i]!;
      if (!Number.isFinite(v)) continue;
      counts[Math.min(bins - 1, Math.floor((v - min) / width))]! += 1;
    }
  }
  return {
    stats: { min: finite ? min : 0, max: finite ? max : 0, mean, std: Math.sqrt(variance), zeroFraction: n ? zeros / n : 0, l2Norm: Math.sqrt(sumSq), count: n },
    histogram: { min: finite ? min : 0, max: finite ? max : 0, counts },
  };
}

export interface ViewRequest { window?: TensorWindow; grid?: { rows: number; cols: number }; maxElements?: number; reduction?: Reduction }

export interface TensorView {
  folded: { rows: number; cols: number };
  window: TensorWindow;
  grid: { rows: number; cols: number };
  exact: boolean;
  reduction: Reduction;
  cells: Float32Array;
}

const clampInt = (v: number, lo: number, hi: number): number => Math.max(lo, Math.min(hi, Math.floor(v)));

/** The window clamped into the folded tensor and the grid clamped to the window (never more cells than elements). */
export function resolveView(shape: readonly number[], request: ViewRequest): Omit<TensorView, 'cells' | 'exact'> & { exact: boolean } {
  const folded = foldShape(shape);
  const w = request.window;
  const row = clampInt(w?.row ?? 0, 0, Math.max(0, folded.rows - 1));
  const col = clampInt(w?.col ?? 0, 0, Math.max(0, folded.cols - 1));
  const rows = clampInt(w?.rows ?? folded.rows, Math.min(1, folded.rows), folded.rows - row);
  const cols = clampInt(w?.cols ?? folded.cols, Math.min(1, folded.cols), folded.cols - col);
  let grid = request.grid;
  if (!grid) {
    // No grid: as many cells as maxElements allows, keeping the window's aspect.
    const budget = Math.max(1, request.maxElements ?? 65536);
    const scale = Math.min(1, Math.sqrt(budget / Math.max(1, rows * cols)));
    grid = { rows: Math.max(1, Math.floor(rows * scale)), cols: Math.max(1, Math.floor(cols * scale)) };
  }
  const gridRows = clampInt(grid.rows, Math.min(1, rows), rows);
  const gridCols = clampInt(grid.cols, Math.min(1, cols), cols);
  return {
    folded, window: { row, col, rows, cols }, grid: { rows: gridRows, cols: gridCols },
    exact: gridRows === rows && gridCols === cols, reduction: request.reduction ?? 'mean',
  };
}

export function tensorView(values: FlatValues, shape: readonly number[], request: ViewRequest): TensorView {
  const view = resolveView(shape, request);
  const { window: w, grid: g, reduction } = view;
  const cells = new Float32Array(g.rows * g.cols);
  const at = flatIndexer(shape);
  const contiguous = shape.length <= 2;
  const folded = view.folded;
  const colStart = new Int32Array(g.cols + 1);
  for (let j = 0; j <= g.cols; j++) colStart[j] = w.col + Math.floor((j * w.cols) / g.cols);
  for (let i = 0; i < g.rows; i++) {
    const r0 = w.row + Math.floor((i * w.rows) / g.rows);
    const r1 = w.row + Math.floor(((i + 1) * w.rows) / g.rows);
    for (let j = 0; j < g.cols; j++) {
      const c0 = colStart[j]!;
      const c1 = colStart[j + 1]!;
      let acc = reduction === 'min' ? Infinity : reduction === 'max' ? -Infinity : 0;
      let count = 0;
      for (let r = r0; r < r1; r++) {
        // Rank ≤ 2: a row of the window is contiguous; otherwise each element goes through the fold.
        const base = contiguous ? r * folded.cols : 0;
        for (let c = c0; c < c1; c++) {
          const v = values[contiguous ? base + c : at(r, c)]!;
          if (reduction === 'mean') acc += v;
          else if (reduction === 'min') { if (v < acc) acc = v; } else if (v > acc) acc = v;
          count++;
        }
      }
      cells[i * g.cols + j] = count === 0 ? NaN : reduction === 'mean' ? acc / count : acc;
    }
  }
  return { ...view, cells };
}

/** A Float32Array as base64 of its little-endian bytes (LSP carries JSON). */
export function float32Base64(values: Float32Array): string {
  return Buffer.from(values.buffer, values.byteOffset, values.byteLength).toString('base64');
}

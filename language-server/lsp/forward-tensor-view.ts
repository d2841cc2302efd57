// What nnLens/getTensor sends of a tensor: statistics, a histogram and per-channel ranges over all
// of it, and a window of it (folded to 2-D, protocol/tensor-fold.ts) reduced to a grid of cells,
// each the mean, min or max of the elements it covers — exact values when the window has no more
// elements than cells; and the difference of two tensors for compare mode.
// Pure functions over flat C-order values; the forward worker and scripts/bench-webview.ts use them.
// Zoomed-out windows of big tensors are reduced from their overview (tensor-overview.ts) when given.
import type { Reduction, TensorStats, TensorWindow } from '../protocol/requests.ts';
import { flatIndexer, foldShape, type FoldLayout } from '../protocol/tensor-fold.ts';
import { overviewCells, overviewFits, type Overview } from './tensor-overview.ts';

export type FlatValues = ArrayLike<number>;

export interface ChannelRange { dim: number; min: number[]; max: number[] }

export interface TensorSummary {
  stats: Required<TensorStats>;
  histogram: { min: number; max: number; counts: number[] };
  /** Per-index min and max along `channelDim` (non-finite values left out; NaN for an all-non-finite channel). */
  channelRange?: ChannelRange;
  /** Names this summary of this tensor in the tensor worker (forward-tensors.ts); absent elsewhere. */
  id?: string;
  /** The channel ranges were left out: the client has those of summary `id`. */
  channelRangeOmitted?: boolean;
}

/** Beyond this many channels a per-channel range costs more to send than it helps the view. */
export const maxChannels = 65536;

/**
 * The range pass: min and max over the finite values, per channel (the channel ranges) and overall.
 * It is all the first paint needs of the whole tensor (the colour scale), so getTensor can answer
 * with it before the rest of the summary (`rangePass`, then `summarize(…, range)`).
 */
export interface RangePass {
  channels: number; inner: number; outer: number; withChannels: boolean; channelDim?: number;
  chMin: Float64Array; chMax: Float64Array;
  /** Over the finite values; min > max (Infinity, −Infinity) when there is none. */
  min: number; max: number;
}

/**
 * One tight pass of comparisons, walking the values as [outer, channel, inner] blocks (no division
 * per element). A NaN fails both comparisons and is left out by itself; ±Infinity is not, so when a
 * range ends at an infinity the pass is run again with the finiteness test (`v - v === 0`).
 */
export function rangePass(values: FlatValues, shape: readonly number[] = [values.length], channelDim?: number): RangePass {
  const n = values.length;
  const withChannels = channelDim !== undefined && channelDim < shape.length && (shape[channelDim] ?? 0) <= maxChannels;
  const channels = withChannels ? shape[channelDim] ?? 1 : 1;
  const inner = withChannels ? shape.slice(channelDim + 1).reduce((a, b) => a * b, 1) : n;
  const outer = channels * inner > 0 ? n / (channels * inner) : 0;
  const chMin = new Float64Array(channels).fill(Infinity);
  const chMax = new Float64Array(channels).fill(-Infinity);
  sweepRange(values, channels, inner, outer, chMin, chMax, false);
  let infinite = false;
  for (let c = 0; c < channels; c++) if (chMin[c] === -Infinity || chMax[c] === Infinity) infinite = true;
  if (infinite) {
    chMin.fill(Infinity);
    chMax.fill(-Infinity);
    sweepRange(values, channels, inner, outer, chMin, chMax, true);
  }
  let min = Infinity;
  let max = -Infinity;
  for (let c = 0; c < channels; c++) {
    if (chMin[c]! < min) min = chMin[c]!;
    if (chMax[c]! > max) max = chMax[c]!;
  }
  return { channels, inner, outer, withChannels, ...(withChannels ? { channelDim } : {}), chMin, chMax, min, max };
}

function sweepRange(values: FlatValues, channels: number, inner: number, outer: number, chMin: Float64Array, chMax: Float64Array, checked: boolean): void {
  let i = 0;
  for (let o = 0; o < outer; o++) {
    for (let c = 0; c < channels; c++) {
      let cMin = chMin[c]!;
      let cMax = chMax[c]!;
      const end = i + inner;
      if (checked) {
        for (; i < end; i++) { const v = values[i]!; if (v - v !== 0) continue; if (v < cMin) cMin = v; if (v > cMax) cMax = v; }
      } else {
        for (; i < end; i++) { const v = values[i]!; if (v < cMin) cMin = v; if (v > cMax) cMax = v; }
      }
      chMin[c] = cMin;
      chMax[c] = cMax;
    }
  }
}

const rangeOf = (a: Float64Array): number[] => Array.from(a, (x) => (Number.isFinite(x) ? x : NaN));

/** What the range pass answers ahead of the summary: min, max (0 without a finite value), count, channel ranges. */
export interface RangeSummary { stats: { min: number; max: number; count: number }; channelRange?: ChannelRange }

export function rangeSummary(count: number, range: RangePass): RangeSummary {
  const any = range.min <= range.max;
  return {
    stats: { min: any ? range.min : 0, max: any ? range.max : 0, count },
    ...(range.withChannels ? { channelRange: { dim: range.channelDim!, min: rangeOf(range.chMin), max: rangeOf(range.chMax) } } : {}),
  };
}

/** The sums over the finite values and the zeros, and how many values are not finite. */
interface Sums { sum: number; sumSq: number; zeros: number; nonFinite: number }

/**
 * The sums assuming every value is finite: two accumulators per sum (two additions in flight
 * instead of one chain; pairs start afresh in each [outer, channel] block, so the order of the
 * additions is fixed by the shape) and no finiteness test per element. A NaN or ±Infinity makes a
 * sum non-finite, and the caller then runs `sumsChecked` instead (as it does when v² overflows).
 */
function sumsFinite(values: FlatValues, blocks: number, inner: number): Sums {
  let s0 = 0;
  let s1 = 0;
  let q0 = 0;
  let q1 = 0;
  let zeros = 0;
  let i = 0;
  for (let k = 0; k < blocks; k++) {
    const end = i + inner;
    for (const pairs = end - (inner % 2); i < pairs; i += 2) {
      const a = values[i]!;
      const b = values[i + 1]!;
      s0 += a;
      s1 += b;
      q0 += a * a;
      q1 += b * b;
      if (a === 0) zeros++;
      if (b === 0) zeros++;
    }
    if (i < end) {
      const a = values[i++]!;
      s0 += a;
      q0 += a * a;
      if (a === 0) zeros++;
    }
  }
  return { sum: s0 + s1, sumSq: q0 + q1, zeros, nonFinite: 0 };
}

/** The sums leaving out non-finite values (`v - v === 0` is the finiteness test: NaN and ±Infinity give NaN). */
function sumsChecked(values: FlatValues): Sums {
  let sum = 0;
  let sumSq = 0;
  let zeros = 0;
  let nonFinite = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v - v !== 0) { nonFinite++; continue; }
    if (v === 0) zeros++;
    sum += v;
    sumSq += v * v;
  }
  return { sum, sumSq, zeros, nonFinite };
}

/**
 * Statistics, histogram and (with `channelDim`) the per-channel range of C-order values of `shape`.
 * Tight passes, no call per element: the range pass (`range`, when the caller made it already for
 * an early answer), the sums and zeros, then the histogram, which needs min and max.
 */
export function summarize(values: FlatValues, shape: readonly number[] = [values.length], channelDim?: number, bins = 64, range: RangePass = rangePass(values, shape, channelDim)): TensorSummary {
  const n = values.length;
  let sweep = sumsFinite(values, range.outer * range.channels, range.inner);
  if (sweep.sum - sweep.sum !== 0 || sweep.sumSq - sweep.sumSq !== 0) sweep = sumsChecked(values);
  const { sum, sumSq, zeros, nonFinite } = sweep;
  const { min, max } = range;
  const finite = n - nonFinite;
  const mean = finite ? sum / finite : 0;
  // torch.std is the unbiased (n - 1) estimate.
  const variance = finite > 1 ? Math.max(0, (sumSq - finite * mean * mean) / (finite - 1)) : 0;
  const counts = new Float64Array(bins);
  if (finite) {
    const width = max > min ? (max - min) / bins : 1;
    const inv = 1 / width;
    for (let k = 0; k < n; k++) {
      // The bin is floor(q), q = (v − min) / width, the top edge (v = max) in the last bin. A product
      // by 1/width is cheaper than the division and within 2 ulps of q (q ≤ bins: under 1e-13), so
      // its floor is q's except within that distance of an integer, where q itself decides. Every
      // finite v gives b ≥ 0 (min is their minimum), so `| 0` floors; NaN and ±Infinity get no bin.
      const d = values[k]! - min;
      const b = d * inv;
      if (!(b < bins)) { if (b < Infinity) counts[bins - 1]! += 1; continue; }
      if (b < 0) continue;
      let bin = b | 0;
      const frac = b - bin;
      if (frac < 1e-9 || frac > 1 - 1e-9) {
        const q = d / width;
        bin = q >= bins ? bins - 1 : q | 0;
      }
      counts[bin]! += 1;
    }
  }
  return {
    stats: { min: finite ? min : 0, max: finite ? max : 0, mean, std: Math.sqrt(variance), zeroFraction: n ? zeros / n : 0, l2Norm: Math.sqrt(sumSq), count: n },
    histogram: { min: finite ? min : 0, max: finite ? max : 0, counts: Array.from(counts) },
    ...(range.withChannels ? { channelRange: { dim: range.channelDim!, min: rangeOf(range.chMin), max: rangeOf(range.chMax) } } : {}),
  };
}

/** Element-wise `a − b` of two tensors of the same shape (compare mode), in float64 when either is. */
export function difference(a: FlatValues, b: FlatValues): Float32Array | Float64Array {
  const out = a instanceof Float64Array || b instanceof Float64Array ? new Float64Array(a.length) : new Float32Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i]! - b[i]!;
  return out;
}

export interface ViewRequest {
  window?: TensorWindow; grid?: { rows: number; cols: number }; maxElements?: number; reduction?: Reduction;
  /** How the tensor folds to 2-D (tensor-fold.ts `foldLayout` of its kind); default `kernels`. */
  layout?: FoldLayout;
}

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
  const folded = foldShape(shape, request.layout);
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

/**
 * The window's cells. With the tensor's `overview` (tensor-overview.ts, built for the same layout),
 * cells large enough to hold its blocks are reduced from them: the same cells, without reading
 * every element of a zoomed-out window.
 */
export function tensorView(values: FlatValues, shape: readonly number[], request: ViewRequest, overview?: Overview | null): TensorView {
  const view = resolveView(shape, request);
  const { window: w, grid: g, reduction } = view;
  const colStart = new Int32Array(g.cols + 1);
  for (let j = 0; j <= g.cols; j++) colStart[j] = w.col + Math.floor((j * w.cols) / g.cols);
  const useOverview = !!overview && overview.layout === (request.layout ?? 'kernels') && g.rows > 0 && g.cols > 0
    && overviewFits(overview, Math.floor(w.rows / g.rows));
  // Cells under two columns wide and several rows tall (a 50257×768 embedding on a screen 700
  // pixels wide): the per-cell loops below would spend their time on loop overhead for one or two
  // elements per row; the overview's band reduction (whole rows into one accumulator per column,
  // then columns into cells) reads the same elements in memory order, without any blocks, and is
  // about 40% faster there (scripts/bench-webview.ts).
  const narrow = shape.length <= 2 && g.rows > 0 && g.cols > 0 && w.cols < 2 * g.cols && w.rows > g.rows;
  if (useOverview || narrow) {
    const rowEdges = new Int32Array(g.rows + 1);
    for (let i = 0; i <= g.rows; i++) rowEdges[i] = w.row + Math.floor((i * w.rows) / g.rows);
    const source = useOverview ? overview! : { layout: request.layout ?? 'kernels', folded: view.folded, levels: [] };
    return { ...view, cells: overviewCells(source, values, shape, rowEdges, colStart, reduction) };
  }
  const cells = new Float32Array(g.rows * g.cols);
  // Rank ≤ 2 folds to itself: a row of the window is contiguous, read in memory order; otherwise
  // each element goes through the fold.
  const rowStart = shape.length <= 2 ? view.folded.cols : -1;
  const at = flatIndexer(shape, request.layout);
  const acc = new Float64Array(g.cols);
  for (let i = 0; i < g.rows; i++) {
    const r0 = w.row + Math.floor((i * w.rows) / g.rows);
    const r1 = w.row + Math.floor(((i + 1) * w.rows) / g.rows);
    acc.fill(reduction === 'min' ? Infinity : reduction === 'max' ? -Infinity : 0);
    for (let r = r0; r < r1; r++) {
      const base = r * rowStart;
      for (let j = 0; j < g.cols; j++) {
        const c0 = colStart[j]!;
        const c1 = colStart[j + 1]!;
        let a = acc[j]!;
        // One loop per reduction and per layout: the branch stays out of the innermost loop.
        if (rowStart >= 0) {
          if (reduction === 'mean') for (let c = c0; c < c1; c++) a += values[base + c]!;
          else if (reduction === 'min') for (let c = c0; c < c1; c++) { const v = values[base + c]!; if (v < a) a = v; }
          else for (let c = c0; c < c1; c++) { const v = values[base + c]!; if (v > a) a = v; }
        } else if (reduction === 'mean') for (let c = c0; c < c1; c++) a += values[at(r, c)]!;
        else if (reduction === 'min') for (let c = c0; c < c1; c++) { const v = values[at(r, c)]!; if (v < a) a = v; }
        else for (let c = c0; c < c1; c++) { const v = values[at(r, c)]!; if (v > a) a = v; }
        acc[j] = a;
      }
    }
    for (let j = 0; j < g.cols; j++) {
      const count = (r1 - r0) * (colStart[j + 1]! - colStart[j]!);
      cells[i * g.cols + j] = count === 0 ? NaN : reduction === 'mean' ? acc[j]! / count : acc[j]!;
    }
  }
  return { ...view, cells };
}

/** A Float32Array as base64 of its little-endian bytes (LSP carries JSON). */
export function float32Base64(values: Float32Array): string {
  return Buffer.from(values.buffer, values.byteOffset, values.byteLength).toString('base64');
}

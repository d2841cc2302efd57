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
  const r = rangeLayout(values, shape, channelDim);
  sweepRange(values, r.channels, r.inner, r.outer, r.chMin, r.chMax, false);
  if (endsAtInfinity(r)) sweepRange(values, r.channels, r.inner, r.outer, r.chMin, r.chMax, true);
  return withOverallRange(r);
}

/** The whole tensor block by block; rangePassSteps' sweepSpan does the same in slices (and runs slower). */
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

/**
 * rangePass in slices: a generator that yields after about every `elementsPerStep` elements, for
 * the tensor worker's idle time (forward-tensors.ts). The same elements in the same order through
 * the same comparisons as rangePass (a slice ends anywhere, even inside a channel's run: the
 * running min and max are kept in chMin/chMax between slices), so the result is rangePass's, bit
 * for bit.
 */
export function* rangePassSteps(values: FlatValues, shape: readonly number[] = [values.length], channelDim?: number, elementsPerStep = summarySliceElements): Generator<void, RangePass, void> {
  const r = rangeLayout(values, shape, channelDim);
  const total = r.outer * r.channels * r.inner;
  const sweep = function* (checked: boolean): Generator<void, void, void> {
    for (let from = 0; from < total; from += elementsPerStep) {
      sweepSpan(values, r.channels, r.inner, from, Math.min(total, from + elementsPerStep), r.chMin, r.chMax, checked);
      if (from + elementsPerStep < total) yield;
    }
  };
  yield* sweep(false);
  if (endsAtInfinity(r)) {
    yield;
    yield* sweep(true);
  }
  return withOverallRange(r);
}

/** The channel layout of a range pass, with every channel's range still empty (min > max). */
function rangeLayout(values: FlatValues, shape: readonly number[], channelDim: number | undefined): RangePass {
  const n = values.length;
  const withChannels = channelDim !== undefined && channelDim < shape.length && (shape[channelDim] ?? 0) <= maxChannels;
  const channels = withChannels ? shape[channelDim] ?? 1 : 1;
  const inner = withChannels ? shape.slice(channelDim + 1).reduce((a, b) => a * b, 1) : n;
  const outer = channels * inner > 0 ? n / (channels * inner) : 0;
  const chMin = new Float64Array(channels).fill(Infinity);
  const chMax = new Float64Array(channels).fill(-Infinity);
  return { channels, inner, outer, withChannels, ...(withChannels ? { channelDim } : {}), chMin, chMax, min: Infinity, max: -Infinity };
}

/**
 * Whether a channel's range ends at ±Infinity; if so the ranges are emptied again for the rerun
 * with the finiteness test (a NaN fails both comparisons and is left out by itself; ±Infinity is not).
 */
function endsAtInfinity(r: RangePass): boolean {
  let infinite = false;
  for (let c = 0; c < r.channels; c++) if (r.chMin[c] === -Infinity || r.chMax[c] === Infinity) infinite = true;
  if (infinite) {
    r.chMin.fill(Infinity);
    r.chMax.fill(-Infinity);
  }
  return infinite;
}

/** The overall min and max folded from the channels' ranges. */
function withOverallRange(r: RangePass): RangePass {
  let min = Infinity;
  let max = -Infinity;
  for (let c = 0; c < r.channels; c++) {
    if (r.chMin[c]! < min) min = r.chMin[c]!;
    if (r.chMax[c]! > max) max = r.chMax[c]!;
  }
  return { ...r, min, max };
}

/** The range sweep over the elements [from, to) only (channel runs of `inner` elements, `channels` of them per outer block). */
function sweepSpan(values: FlatValues, channels: number, inner: number, from: number, to: number, chMin: Float64Array, chMax: Float64Array, checked: boolean): void {
  let i = from;
  while (i < to) {
    const c = Math.floor(i / inner) % channels;
    const end = Math.min(to, (Math.floor(i / inner) + 1) * inner);
    let cMin = chMin[c]!;
    let cMax = chMax[c]!;
    if (checked) {
      for (; i < end; i++) { const v = values[i]!; if (v - v !== 0) continue; if (v < cMin) cMin = v; if (v > cMax) cMax = v; }
    } else {
      for (; i < end; i++) { const v = values[i]!; if (v < cMin) cMin = v; if (v > cMax) cMax = v; }
    }
    chMin[c] = cMin;
    chMax[c] = cMax;
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
 * Running sums between slices: two accumulators per sum (see sumsFinite) and the zeros, as
 * [s0, s1, q0, q1, zeros] (a Float64Array: read back as doubles, the loop stays as fast as with
 * fresh locals; with the fields of an object it ran at half the speed).
 */
type PairSums = Float64Array;

/**
 * The sums assuming every value is finite, over `blocks` blocks of `inner` values from `start`,
 * added into `acc`: two accumulators per sum (two additions in flight instead of one chain; pairs
 * start afresh in each [outer, channel] block, so the order of the additions is fixed by the shape)
 * and no finiteness test per element. A NaN or ±Infinity makes a sum non-finite, and the caller
 * then runs `sumsChecked` instead (as it does when v² overflows). A slice of one block is a block of
 * its own when it starts at an even offset in it and only its last slice has an odd length.
 */
function sumsFinite(values: FlatValues, start: number, blocks: number, inner: number, acc: PairSums): void {
  let s0 = acc[0]!;
  let s1 = acc[1]!;
  let q0 = acc[2]!;
  let q1 = acc[3]!;
  let zeros = acc[4]!;
  // `| 0`: an int32 start keeps the index an int32 in V8's optimised loop (a plain number
  // parameter made it 1.5–2× slower, measured on 38.6 M values). Held tensors are far below 2^31.
  let i = start | 0;
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
  acc[0] = s0;
  acc[1] = s1;
  acc[2] = q0;
  acc[3] = q1;
  acc[4] = zeros;
}

/** The sums leaving out non-finite values over [from, to), added into `acc` (`v - v === 0` is the finiteness test: NaN and ±Infinity give NaN). */
function sumsChecked(values: FlatValues, from: number, to: number, acc: Sums): void {
  let { sum, sumSq, zeros, nonFinite } = acc;
  for (let i = from | 0; i < to; i++) {
    const v = values[i]!;
    if (v - v !== 0) { nonFinite++; continue; }
    if (v === 0) zeros++;
    sum += v;
    sumSq += v * v;
  }
  acc.sum = sum;
  acc.sumSq = sumSq;
  acc.zeros = zeros;
  acc.nonFinite = nonFinite;
}

/** Histogram counts of values [from, to) (see summarySteps for the binning). */
function binValues(values: FlatValues, from: number, to: number, min: number, width: number, inv: number, bins: number, counts: Float64Array): void {
  for (let k = from | 0, end = to | 0; k < end; k++) {
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

/** Elements per slice of a summary computed between other work (forward-tensors.ts): a few milliseconds. */
export const summarySliceElements = 1 << 22;

/**
 * Statistics, histogram and (with `channelDim`) the per-channel range of C-order values of `shape`.
 * Tight passes, no call per element: the range pass (`range`, when the caller made it already for
 * an early answer), the sums and zeros, then the histogram, which needs min and max.
 */
export function summarize(values: FlatValues, shape: readonly number[] = [values.length], channelDim?: number, bins = 64, range: RangePass = rangePass(values, shape, channelDim)): TensorSummary {
  const steps = summarySteps(values, shape, channelDim, bins, range, Infinity);
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
  }
}

/**
 * `summarize` in slices: each `next()` reads about `elementsPerStep` elements, `done` with the
 * summary at the end, so the tensor worker can compute a deferred summary between requests (a
 * window asked meanwhile waits one slice, not the whole pass). The same additions in the same order
 * as one pass: the slices cut the sums at block boundaries or at even offsets inside a block (its
 * pairs stay the same), the histogram anywhere (counts are integers). A state machine over plain
 * functions, not a generator: V8 ran these loops ~25% slower inlined into a generator.
 */
export function summarySteps(values: FlatValues, shape: readonly number[] = [values.length], channelDim?: number, bins = 64, range: RangePass = rangePass(values, shape, channelDim), elementsPerStep = summarySliceElements): Iterator<void, TensorSummary, undefined> {
  const n = values.length;
  const step = Math.max(2, elementsPerStep);
  const inner = range.inner;
  const blocks = range.outer * range.channels;
  const pairs: PairSums = new Float64Array(5);
  // Whole blocks per slice, or (blocks longer than a slice) even lengths of one block.
  const perStep = Math.max(1, Math.floor(step / Math.max(1, inner)));
  const even = step - (step % 2);
  let phase: 'finite' | 'checked' | 'histogram' = 'finite';
  let k = 0;
  let at = 0;
  let sweep: Sums = { sum: 0, sumSq: 0, zeros: 0, nonFinite: 0 };
  const counts = new Float64Array(bins);
  const { min, max } = range;
  let width = 1;
  const more = { done: false, value: undefined } as const;
  const toHistogram = (): void => {
    phase = 'histogram';
    at = 0;
    width = max > min ? (max - min) / bins : 1;
    // Without a finite value there is nothing to count.
    if (n - sweep.nonFinite === 0) at = n;
  };
  return {
    next(): IteratorResult<void, TensorSummary> {
      if (phase === 'finite') {
        if (k < blocks) {
          if (inner <= step) {
            const m = Math.min(perStep, blocks - k);
            sumsFinite(values, k * inner, m, inner, pairs);
            k += m;
          } else {
            const len = Math.min(even, inner - at);
            sumsFinite(values, k * inner + at, 1, len, pairs);
            at += len;
            if (at >= inner) { k++; at = 0; }
          }
          return more;
        }
        sweep = { sum: pairs[0]! + pairs[1]!, sumSq: pairs[2]! + pairs[3]!, zeros: pairs[4]!, nonFinite: 0 };
        if (sweep.sum - sweep.sum !== 0 || sweep.sumSq - sweep.sumSq !== 0) {
          phase = 'checked';
          at = 0;
          sweep = { sum: 0, sumSq: 0, zeros: 0, nonFinite: 0 };
        } else toHistogram();
        return more;
      }
      if (phase === 'checked') {
        if (at < n) {
          const to = Math.min(n, at + step);
          sumsChecked(values, at, to, sweep);
          at = to;
          return more;
        }
        toHistogram();
        return more;
      }
      if (at < n) {
        const to = Math.min(n, at + step);
        binValues(values, at, to, min, width, 1 / width, bins, counts);
        at = to;
        return more;
      }
      const { sum, sumSq, zeros, nonFinite } = sweep;
      const finite = n - nonFinite;
      const mean = finite ? sum / finite : 0;
      // torch.std is the unbiased (n - 1) estimate.
      const variance = finite > 1 ? Math.max(0, (sumSq - finite * mean * mean) / (finite - 1)) : 0;
      return {
        done: true,
        value: {
          stats: { min: finite ? min : 0, max: finite ? max : 0, mean, std: Math.sqrt(variance), zeroFraction: n ? zeros / n : 0, l2Norm: Math.sqrt(sumSq), count: n },
          histogram: { min: finite ? min : 0, max: finite ? max : 0, counts: Array.from(counts) },
          ...(range.withChannels ? { channelRange: { dim: range.channelDim!, min: rangeOf(range.chMin), max: rangeOf(range.chMax) } } : {}),
        },
      };
    },
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

/**
 * A first answer's view and range pass in one read of the values (the first paint of a big tensor
 * needs both; two passes over a 50257×768 embedding cost ~95 ms, this one about the cut's alone):
 * for a rank-2 tensor cut whole (the first request's window) with the channels along dim 0 or
 * none, the cut's own loops also keep each row's min and max. The cells are tensorView's and the
 * range rangePass's, bit for bit: the same elements in the same order through the same
 * comparisons; when a range ends at an infinity (rangePass's finiteness rerun) or the case is
 * another one, the two are computed apart.
 */
export function tensorViewAndRange(values: FlatValues, shape: readonly number[], request: ViewRequest, channelDim?: number, overview?: Overview | null): { view: TensorView; range: RangePass } {
  const n = values.length;
  const withChannels = channelDim !== undefined && channelDim < shape.length && (shape[channelDim] ?? 0) <= maxChannels;
  if (shape.length !== 2 || n === 0 || overview || (withChannels && channelDim !== 0)) return { view: tensorView(values, shape, request, overview), range: rangePass(values, shape, channelDim) };
  const view = resolveView(shape, request);
  const { window: w, grid: g, reduction } = view;
  const R = shape[0]!;
  const C = shape[1]!;
  if (w.row !== 0 || w.col !== 0 || w.rows !== R || w.cols !== C || g.rows === 0 || g.cols === 0) return { view: tensorView(values, shape, request, overview), range: rangePass(values, shape, channelDim) };
  const channels = withChannels ? R : 1;
  const chMin = new Float64Array(channels).fill(Infinity);
  const chMax = new Float64Array(channels).fill(-Infinity);
  const isMean = reduction === 'mean';
  const isMin = reduction === 'min';
  const start = isMean ? 0 : isMin ? Infinity : -Infinity;
  const colStart = new Int32Array(g.cols + 1);
  for (let j = 0; j <= g.cols; j++) colStart[j] = Math.floor((j * C) / g.cols);
  const cells = new Float32Array(g.rows * g.cols);
  // tensorView's choice: the band reduction for narrow cells, else the per-cell loops.
  const narrow = C < 2 * g.cols && R > g.rows;
  const acc = new Float64Array(narrow ? C : g.cols);
  // Each row's loops in a small function of their own: V8 optimises them as a whole (in one big
  // function the same loops ran about twice as slow, measured on the 50257×768 embedding).
  const lohi = new Float64Array([Infinity, -Infinity]);
  for (let i = 0; i < g.rows; i++) {
    const r0 = Math.floor((i * R) / g.rows);
    const r1 = Math.floor(((i + 1) * R) / g.rows);
    acc.fill(start);
    for (let r = r0; r < r1; r++) {
      if (withChannels) { lohi[0] = Infinity; lohi[1] = -Infinity; }
      if (narrow) bandRow(values, r * C, C, acc, lohi, isMean ? 0 : isMin ? 1 : 2);
      else cellRow(values, r * C, colStart, acc, lohi, isMean ? 0 : isMin ? 1 : 2);
      if (withChannels) { chMin[r] = lohi[0]!; chMax[r] = lohi[1]!; }
    }
    const count = r1 - r0;
    for (let j = 0; j < g.cols; j++) {
      const c0 = colStart[j]!;
      const c1 = colStart[j + 1]!;
      let a = acc[j]!;
      if (narrow) {
        a = start;
        if (isMean) for (let c = c0; c < c1; c++) a += acc[c]!;
        else if (isMin) for (let c = c0; c < c1; c++) { const v = acc[c]!; if (v < a) a = v; }
        else for (let c = c0; c < c1; c++) { const v = acc[c]!; if (v > a) a = v; }
      }
      const m = count * (c1 - c0);
      cells[i * g.cols + j] = m === 0 ? NaN : isMean ? a / m : a;
    }
  }
  if (!withChannels) { chMin[0] = lohi[0]!; chMax[0] = lohi[1]!; }
  let min = Infinity;
  let max = -Infinity;
  for (let c = 0; c < channels; c++) {
    // A range ending at an infinity: rangePass reruns with the finiteness test; so does this.
    if (chMin[c] === -Infinity || chMax[c] === Infinity) return { view: { ...view, cells }, range: rangePass(values, shape, channelDim) };
    if (chMin[c]! < min) min = chMin[c]!;
    if (chMax[c]! > max) max = chMax[c]!;
  }
  const range: RangePass = { channels, inner: withChannels ? C : n, outer: 1, withChannels, ...(withChannels ? { channelDim } : {}), chMin, chMax, min, max };
  return { view: { ...view, cells }, range };
}

/**
 * One row of a band (overviewCells without levels): added column by column into `acc`, and its
 * min and max into `lohi` (rangePass's comparisons). `mode`: 0 mean, 1 min, 2 max. (`start | 0`: see sumsFinite.)
 */
function bandRow(values: FlatValues, start: number, C: number, acc: Float64Array, lohi: Float64Array, mode: number): void {
  const base = start | 0;
  let lo = lohi[0]!;
  let hi = lohi[1]!;
  if (mode === 0) for (let c = 0; c < C; c++) { const v = values[base + c]!; acc[c] += v; if (v < lo) lo = v; if (v > hi) hi = v; }
  else if (mode === 1) for (let c = 0; c < C; c++) { const v = values[base + c]!; if (v < acc[c]!) acc[c] = v; if (v < lo) lo = v; if (v > hi) hi = v; }
  else for (let c = 0; c < C; c++) { const v = values[base + c]!; if (v > acc[c]!) acc[c] = v; if (v < lo) lo = v; if (v > hi) hi = v; }
  lohi[0] = lo;
  lohi[1] = hi;
}

/** One row of tensorView's per-cell loops (cell j: columns colStart[j]…colStart[j+1]), with its min and max into `lohi`. */
function cellRow(values: FlatValues, start: number, colStart: Int32Array, acc: Float64Array, lohi: Float64Array, mode: number): void {
  const base = start | 0;
  let lo = lohi[0]!;
  let hi = lohi[1]!;
  for (let j = 0; j + 1 < colStart.length; j++) {
    const c1 = base + colStart[j + 1]!;
    let a = acc[j]!;
    if (mode === 0) for (let c = base + colStart[j]!; c < c1; c++) { const v = values[c]!; a += v; if (v < lo) lo = v; if (v > hi) hi = v; }
    else if (mode === 1) for (let c = base + colStart[j]!; c < c1; c++) { const v = values[c]!; if (v < a) a = v; if (v < lo) lo = v; if (v > hi) hi = v; }
    else for (let c = base + colStart[j]!; c < c1; c++) { const v = values[c]!; if (v > a) a = v; if (v < lo) lo = v; if (v > hi) hi = v; }
    acc[j] = a;
  }
  lohi[0] = lo;
  lohi[1] = hi;
}

/** A Float32Array as base64 of its little-endian bytes (LSP carries JSON). */
export function float32Base64(values: Float32Array): string {
  return Buffer.from(values.buffer, values.byteOffset, values.byteLength).toString('base64');
}

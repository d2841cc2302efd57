// Reductions, scans and the ops that work along one dim (softmax, sort, topk). Each kernel moves
// the reduced dims innermost (one strided copy), then works on contiguous rows. Sums, means,
// variances and norms accumulate in double and round once: closer to the exact result than
// PyTorch's float32 cascade sums, so both stay within the suite's tolerance of each other.
// Values selected rather than computed (max, median, sort, topk, cummax) are copied from the
// input's storage by index, so int64 values stay exact.
import { type DType, bool, uint8 } from '../../dtype.ts';
import { type Tensor } from '../../tensor.ts';
import { notImplementedError, runtimeError } from '../../python/index.ts';
import type { DimAttrs, ReduceAttrs } from '../../ops/reduce.ts';
import {
  type NumberArray, type TensorData, commit, convertValues, dataOf, moveDimsLast, numbers, resultArray, wrapDim,
} from './util.ts';
import { valuesAs } from './elementwise.ts';
import { registerCpu } from './register.ts';

/** The reduced dims of a reduction (all of them for null or []). */
export function reducedDims(t: Tensor, dims: readonly number[] | null): number[] {
  if (dims === null || dims.length === 0 || t.ndim === 0) return Array.from({ length: t.ndim }, (_, i) => i);
  return dims.map((d) => wrapDim(d, t.ndim));
}

/** [outer, inner] rows of a tensor's values (as numbers in `dtype`) with the reduced dims innermost. */
function rows(t: Tensor, dims: readonly number[], dtype: DType = t.dtype): { outer: number; inner: number; x: NumberArray } {
  const { outer, inner, data } = moveDimsLast(t, dims);
  return { outer, inner, x: convertValues(data, t.dtype, dtype) };
}

/** The same, keeping the storage kind (for copying selected values exactly). */
function rawRows(t: Tensor, dims: readonly number[]): { outer: number; inner: number; data: TensorData; x: NumberArray } {
  const { outer, inner, data } = moveDimsLast(t, dims);
  let x: NumberArray;
  if (data instanceof BigInt64Array) {
    x = new Float64Array(data.length);
    for (let i = 0; i < data.length; i++) x[i] = Number(data[i]!);
  } else x = data;
  return { outer, inner, data, x };
}

/** Writes `values[index]` of a storage array into `out` at `i` (same storage kind). */
const copyAt = (out: TensorData, i: number, src: TensorData, index: number): void => {
  (out as unknown as Float64Array)[i] = (src as unknown as Float64Array)[index]!;
};

function writeIndices(out: Tensor, indices: ArrayLike<number>): void {
  const d = dataOf(out) as BigInt64Array;
  for (let i = 0; i < indices.length; i++) d[i] = BigInt(indices[i]!);
}

// ------------------------------------------------------------------ sum-like

type RowFn = (x: NumberArray, start: number, n: number, a: ReduceAttrs) => number;

function sumRow(x: NumberArray, start: number, n: number): number {
  let s = 0;
  for (let i = start; i < start + n; i++) s += x[i]!;
  return s;
}

const rowReductions: Record<string, RowFn> = {
  sum: sumRow,
  nansum: (x, s, n) => { let t = 0; for (let i = s; i < s + n; i++) if (x[i] === x[i]) t += x[i]!; return t; },
  mean: (x, s, n) => sumRow(x, s, n) / n,
  nanmean: (x, s, n) => {
    let t = 0;
    let c = 0;
    for (let i = s; i < s + n; i++) if (x[i] === x[i]) { t += x[i]!; c++; }
    return t / c;
  },
  prod: (x, s, n) => { let p = 1; for (let i = s; i < s + n; i++) p *= x[i]!; return p; },
  var: (x, s, n, a) => variance(x, s, n, a.correction ?? 1),
  std: (x, s, n, a) => Math.sqrt(variance(x, s, n, a.correction ?? 1)),
  logsumexp: (x, s, n) => {
    let m = -Infinity;
    for (let i = s; i < s + n; i++) if (x[i]! > m || x[i] !== x[i]) m = x[i]!;
    if (m !== m) return m;
    const shift = Math.abs(m) === Infinity ? 0 : m;
    let t = 0;
    for (let i = s; i < s + n; i++) t += Math.exp(x[i]! - shift);
    return Math.log(t) + shift;
  },
  count_nonzero: (x, s, n) => { let c = 0; for (let i = s; i < s + n; i++) if (x[i] !== 0) c++; return c; },
  all: (x, s, n) => { for (let i = s; i < s + n; i++) if (x[i] === 0) return 0; return 1; },
  any: (x, s, n) => { for (let i = s; i < s + n; i++) if (x[i] !== 0) return 1; return 0; },
  norm: (x, s, n, a) => {
    const p = a.p === undefined || a.p === 'fro' ? 2 : a.p;
    if (p === 'nuc') throw notImplementedError('the nuclear norm is computed by the norm kernel itself');
    let t = 0;
    if (p === Infinity) { for (let i = s; i < s + n; i++) { const v = Math.abs(x[i]!); if (v > t || v !== v) t = v; } return t; }
    if (p === -Infinity) {
      t = Infinity;
      for (let i = s; i < s + n; i++) { const v = Math.abs(x[i]!); if (v < t || v !== v) t = v; }
      return t;
    }
    if (p === 0) { for (let i = s; i < s + n; i++) if (x[i] !== 0) t++; return t; }
    if (p === 1) { for (let i = s; i < s + n; i++) t += Math.abs(x[i]!); return t; }
    if (p === 2) { for (let i = s; i < s + n; i++) t += x[i]! * x[i]!; return Math.sqrt(t); }
    for (let i = s; i < s + n; i++) t += Math.abs(x[i]!) ** p;
    return t ** (1 / p);
  },
};

function variance(x: NumberArray, start: number, n: number, correction: number): number {
  const mean = sumRow(x, start, n) / n;
  let ss = 0;
  for (let i = start; i < start + n; i++) { const d = x[i]! - mean; ss += d * d; }
  return ss / Math.max(0, n - correction);
}

/** Singular values of a row-major [m, n] matrix (one-sided Jacobi on the columns). */
export function singularValues(x: ArrayLike<number>, m: number, n: number): number[] {
  const cols = Array.from({ length: n }, (_, j) => Float64Array.from({ length: m }, (_, i) => x[i * n + j]!));
  for (let sweep = 0; sweep < 60; sweep++) {
    let rotated = false;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const a = cols[p]!;
        const b = cols[q]!;
        let alpha = 0;
        let beta = 0;
        let gamma = 0;
        for (let i = 0; i < m; i++) { alpha += a[i]! * a[i]!; beta += b[i]! * b[i]!; gamma += a[i]! * b[i]!; }
        if (Math.abs(gamma) <= 1e-15 * Math.sqrt(alpha * beta) || gamma === 0) continue;
        rotated = true;
        const zeta = (beta - alpha) / (2 * gamma);
        const t = Math.sign(zeta || 1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = c * t;
        for (let i = 0; i < m; i++) {
          const u = a[i]!;
          const v = b[i]!;
          a[i] = c * u - s * v;
          b[i] = s * u + c * v;
        }
      }
    }
    if (!rotated) break;
  }
  return cols.map((col) => Math.sqrt(col.reduce((s, v) => s + v * v, 0)));
}

function reductionKernel(name: string) {
  const f = rowReductions[name]!;
  return ([t]: readonly Tensor[], a: ReduceAttrs, [out]: Tensor[]): void => {
    const o = out!;
    if (name === 'norm' && a.p === 'nuc') { nuclearNorm(t!, a, o); return; }
    const dims = reducedDims(t!, a.dims);
    // Sums with a dtype= cast first; integer sums are exact in double (up to 2**53).
    const computeIn = name === 'all' || name === 'any' || name === 'count_nonzero' ? t!.dtype
      : (o.dtype.isFloatingPoint ? o.dtype : t!.dtype);
    const { outer, inner, x } = rows(t!, dims, computeIn === bool ? uint8 : computeIn);
    const res = resultArray(o);
    if (inner === 0) {
      const empty = name === 'prod' || name === 'all' ? 1 : name === 'mean' || name === 'nanmean' || name === 'var' || name === 'std' ? NaN
        : name === 'logsumexp' ? -Infinity : 0;
      for (let i = 0; i < outer; i++) res[i] = empty;
    } else {
      for (let i = 0; i < outer; i++) res[i] = f(x, i * inner, inner, a);
    }
    commit(o, res);
  };
}

/** The nuclear norm (sum of singular values) over two dims (all of a matrix's when none are given). */
function nuclearNorm(t: Tensor, a: ReduceAttrs, out: Tensor): void {
  const dims = reducedDims(t, a.dims);
  const { outer, inner, x } = rows(t, dims, out.dtype);
  const [d0, d1] = [...dims].sort((p, q) => p - q) as [number, number];
  const m = t.shape[d0]!;
  const n = t.shape[d1]!;
  const res = resultArray(out);
  for (let i = 0; i < outer; i++) {
    res[i] = singularValues(Array.from(x.subarray(i * inner, (i + 1) * inner)), m, n).reduce((s, v) => s + v, 0);
  }
  commit(out, res);
}

// ------------------------------------------------------------------ max/min/argmax/median

/** Index (within the row) of the max or min, NaN winning, first occurrence on ties. */
function extremeIndex(x: NumberArray, s: number, n: number, max: boolean): number {
  let best = s;
  let v = x[s]!;
  if (v !== v) return 0;
  for (let i = s + 1; i < s + n; i++) {
    const c = x[i]!;
    if (c !== c) return i - s;
    if (max ? c > v : c < v) { v = c; best = i; }
  }
  return best - s;
}

/** Lower median's index within a row (NaN propagates: the first NaN is the answer), or ignoring NaN. */
function medianIndex(x: NumberArray, s: number, n: number, ignoreNan: boolean): number {
  const idx: number[] = [];
  for (let i = 0; i < n; i++) {
    const v = x[s + i]!;
    if (v !== v) { if (!ignoreNan) return i; continue; }
    idx.push(i);
  }
  if (idx.length === 0) return 0;
  idx.sort((p, q) => x[s + p]! - x[s + q]! || p - q);
  return idx[Math.floor((idx.length - 1) / 2)]!;
}

/** Sorted order of a row: ascending (NaN last) or descending (NaN first), stable. */
function sortedOrder(x: NumberArray, s: number, n: number, descending: boolean): number[] {
  const idx = Array.from({ length: n }, (_, i) => i);
  const key = (i: number): number => x[s + i]!;
  idx.sort((p, q) => {
    const a = key(p);
    const b = key(q);
    const an = a !== a;
    const bn = b !== b;
    if (an || bn) {
      if (an && bn) return p - q;
      return (an ? 1 : -1) * (descending ? -1 : 1);
    }
    if (a === b) return p - q;
    return (a < b ? -1 : 1) * (descending ? -1 : 1);
  });
  return idx;
}

function amaxKernel([t]: readonly Tensor[], a: ReduceAttrs & { fn: string }, [out]: Tensor[]): void {
  const o = out!;
  const { outer, inner, data, x } = rawRows(t!, reducedDims(t!, a.dims));
  const od = dataOf(o);
  for (let i = 0; i < outer; i++) {
    const s = i * inner;
    const k = a.fn === 'median' || a.fn === 'nanmedian' ? medianIndex(x, s, inner, a.fn === 'nanmedian')
      : extremeIndex(x, s, inner, a.fn === 'max' || a.fn === 'amax');
    if (o.dtype === t!.dtype) copyAt(od, i, data, s + k);
    else (od as NumberArray)[i] = x[s + k]!;
  }
}

function argmaxKernel([t]: readonly Tensor[], a: { dim: number | null; fn: string }, [out]: Tensor[]): void {
  const dims = a.dim === null ? reducedDims(t!, null) : [wrapDim(a.dim, t!.ndim)];
  const { outer, inner, x } = rawRows(t!, t!.ndim === 0 ? [] : dims);
  const idx = new Float64Array(outer);
  for (let i = 0; i < outer; i++) idx[i] = extremeIndex(x, i * inner, inner, a.fn === 'argmax');
  writeIndices(out!, idx);
}

function valuesIndicesKernel([t]: readonly Tensor[], a: { dim: number; fn: string; k?: number }, [values, indices]: Tensor[]): void {
  const { outer, inner, data, x } = rawRows(t!, t!.ndim === 0 ? [] : [wrapDim(a.dim, t!.ndim)]);
  const vd = dataOf(values!);
  const idx = new Float64Array(outer);
  for (let i = 0; i < outer; i++) {
    const s = i * inner;
    let k: number;
    switch (a.fn) {
      case 'max': case 'min': k = extremeIndex(x, s, inner, a.fn === 'max'); break;
      case 'median': case 'nanmedian': k = medianIndex(x, s, inner, a.fn === 'nanmedian'); break;
      case 'kthvalue': {
        const kk = a.k ?? 1;
        if (kk < 1 || kk > inner) throw runtimeError(`kthvalue(): selected number k out of range for dimension ${a.dim}`);
        k = sortedOrder(x, s, inner, false)[kk - 1]!;
        break;
      }
      case 'mode': k = modeIndex(x, s, inner); break;
      default: throw notImplementedError(`no cpu kernel for ${a.fn}`);
    }
    copyAt(vd, i, data, s + k);
    idx[i] = k;
  }
  writeIndices(indices!, idx);
}

/** torch.mode: the most frequent value (the smallest on ties) and the last index where it occurs. */
function modeIndex(x: NumberArray, s: number, n: number): number {
  const order = sortedOrder(x, s, n, false);
  let bestValue = NaN;
  let bestCount = 0;
  let run = 0;
  for (let j = 0; j < n; j++) {
    const v = x[s + order[j]!]!;
    run = j > 0 && (v === x[s + order[j - 1]!]! || (v !== v && x[s + order[j - 1]!] !== x[s + order[j - 1]!])) ? run + 1 : 1;
    if (run > bestCount) { bestCount = run; bestValue = v; }
  }
  let last = 0;
  for (let j = 0; j < n; j++) {
    const v = x[s + j]!;
    if (v === bestValue || (v !== v && bestValue !== bestValue)) last = j;
  }
  return last;
}

// ------------------------------------------------------------------ scans

/** Runs `f(row, start, n, stride)` over every line along `dim` of a contiguous tensor. */
function forEachLine(shape: readonly number[], dim: number, f: (base: number, n: number, stride: number) => void): void {
  const d = shape.length === 0 ? 0 : dim;
  const n = shape.length === 0 ? 1 : shape[d]!;
  let stride = 1;
  for (let i = d + 1; i < shape.length; i++) stride *= shape[i]!;
  let outer = 1;
  for (let i = 0; i < d; i++) outer *= shape[i]!;
  for (let o = 0; o < outer; o++) {
    for (let s = 0; s < stride; s++) f(o * n * stride + s, n, stride);
  }
}

function scanKernel([t]: readonly Tensor[], a: DimAttrs & { kind?: 'cumsum' | 'cumprod' }, [out]: Tensor[]): void {
  const o = out!;
  const x = valuesAs(t!, o.dtype.isFloatingPoint ? o.dtype : t!.dtype);
  const res = resultArray(o);
  const prod = a.kind === 'cumprod';
  forEachLine(t!.shape, wrapDim(a.dim, t!.ndim), (base, n, stride) => {
    let acc = prod ? 1 : 0;
    for (let j = 0, p = base; j < n; j++, p += stride) {
      acc = prod ? acc * x[p]! : acc + x[p]!;
      res[p] = acc;
    }
  });
  commit(o, res);
}

function scanWithIndicesKernel([t]: readonly Tensor[], a: { dim: number; kind?: 'cummax' | 'cummin' }, [values, indices]: Tensor[]): void {
  const src = dataOf(t!);
  const x = numbers(t!);
  const vd = dataOf(values!);
  const idx = new Float64Array(t!.numel());
  const max = a.kind !== 'cummin';
  forEachLine(t!.shape, wrapDim(a.dim, t!.ndim), (base, n, stride) => {
    let best = base;
    let bestIndex = 0;
    for (let j = 0, p = base; j < n; j++, p += stride) {
      const v = x[p]!;
      const b = x[best]!;
      if (v !== v || (b === b && (max ? v >= b : v <= b))) { best = p; bestIndex = j; }
      copyAt(vd, p, src, best);
      idx[p] = bestIndex;
    }
  });
  writeIndices(indices!, idx);
}

// ------------------------------------------------------------------ softmax, sort, topk

function softmaxKernel([t]: readonly Tensor[], a: DimAttrs & { log: boolean }, [out]: Tensor[]): void {
  const o = out!;
  const x = valuesAs(t!, o.dtype);
  const res = resultArray(o);
  forEachLine(t!.shape, wrapDim(a.dim, t!.ndim), (base, n, stride) => {
    let m = -Infinity;
    for (let j = 0, p = base; j < n; j++, p += stride) { const v = x[p]!; if (v > m || v !== v) m = v; }
    let sum = 0;
    for (let j = 0, p = base; j < n; j++, p += stride) sum += Math.exp(x[p]! - m);
    if (a.log) {
      const logSum = Math.log(sum);
      for (let j = 0, p = base; j < n; j++, p += stride) res[p] = x[p]! - m - logSum;
    } else {
      for (let j = 0, p = base; j < n; j++, p += stride) res[p] = Math.exp(x[p]! - m) / sum;
    }
  });
  commit(o, res);
}

function sortKernel([t]: readonly Tensor[], a: { dim: number; descending?: boolean }, [values, indices]: Tensor[]): void {
  const src = dataOf(t!);
  const x = numbers(t!);
  const vd = dataOf(values!);
  const idx = new Float64Array(t!.numel());
  forEachLine(t!.shape, wrapDim(a.dim, t!.ndim), (base, n, stride) => {
    const line = new Float64Array(n);
    for (let j = 0; j < n; j++) line[j] = x[base + j * stride]!;
    const order = sortedOrder(line, 0, n, a.descending === true);
    for (let j = 0; j < n; j++) {
      copyAt(vd, base + j * stride, src, base + order[j]! * stride);
      idx[base + j * stride] = order[j]!;
    }
  });
  writeIndices(indices!, idx);
}

function topkKernel([t]: readonly Tensor[], a: { k: number; dim: number; largest?: boolean }, [values, indices]: Tensor[]): void {
  const src = dataOf(t!);
  const x = numbers(t!);
  const vd = dataOf(values!);
  const k = a.k;
  const idx = new Float64Array(values!.numel());
  const dim = wrapDim(a.dim, t!.ndim);
  const outShape = t!.ndim === 0 ? [] : t!.shape.map((s, i) => (i === dim ? k : s));
  // Lines of the output line up with lines of the input (same outer/inner sizes).
  const inLines: [number, number, number][] = [];
  forEachLine(t!.shape, dim, (base, n, stride) => inLines.push([base, n, stride]));
  let line = 0;
  forEachLine(outShape, dim, (obase, _n, ostride) => {
    const [base, n, stride] = inLines[line++]!;
    const values1 = new Float64Array(n);
    for (let j = 0; j < n; j++) values1[j] = x[base + j * stride]!;
    const order = sortedOrder(values1, 0, n, a.largest !== false);
    for (let j = 0; j < k; j++) {
      copyAt(vd, obase + j * ostride, src, base + order[j]! * stride);
      idx[obase + j * ostride] = order[j]!;
    }
  });
  writeIndices(indices!, idx);
}

export function registerReduceKernels(): void {
  for (const name of Object.keys(rowReductions)) registerCpu<ReduceAttrs>(name, reductionKernel(name));
  registerCpu('amax', amaxKernel);
  registerCpu('argmax', argmaxKernel);
  registerCpu('reduce_with_indices', valuesIndicesKernel);
  registerCpu('scan', scanKernel);
  registerCpu('scan_with_indices', scanWithIndicesKernel);
  registerCpu('softmax', softmaxKernel);
  registerCpu('sort', sortKernel);
  registerCpu('topk', topkKernel);
}

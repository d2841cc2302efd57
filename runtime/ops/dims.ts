// Dimension arguments the way ATen's maybe_wrap_dim reads them: negative dims count from the end,
// a 0-dim tensor accepts dims -1 and 0, and anything else is PyTorch's IndexError.
import { indexError, runtimeError } from '../python/index.ts';

/** Wraps `dim` for a tensor of rank `ndim` (a 0-dim tensor behaves as rank 1 unless `wrapScalar` is off). */
export function normalizeDim(dim: number, ndim: number, wrapScalar = true): number {
  let rank = ndim;
  if (rank <= 0) {
    if (!wrapScalar) throw indexError(`Dimension specified as ${dim} but tensor has no dimensions`);
    rank = 1;
  }
  const min = -rank;
  const max = rank - 1;
  if (dim < min || dim > max) {
    throw indexError(`Dimension out of range (expected to be in range of [${min}, ${max}], but got ${dim})`);
  }
  return dim < 0 ? dim + rank : dim;
}

/** Wraps a list of dims (reductions), rejecting repeats with ATen's message. */
export function normalizeDims(dims: readonly number[], ndim: number): number[] {
  const seen = new Set<number>();
  return dims.map((d) => {
    const w = normalizeDim(d, ndim);
    if (seen.has(w)) throw runtimeError(`dim ${w} appears multiple times in the list of dims`);
    seen.add(w);
    return w;
  });
}

/** `[0, 1, ..., n-1]`. */
export const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

// How a tensor of any rank is folded to 2-D for heatmaps, shared by the server (which reduces
// windows of it) and the webviews (which turn a pointer position back into a tensor index). Pure
// code, no imports.
//
// - 0-D: 1×1; 1-D [n]: a strip 1×n; 2-D [r, c]: itself;
// - n-D [d0, m…, h, w] (conv weight [out, in, kh, kw], activation [N, C, H, W]): a tile grid,
//   rows = d0·h and cols = (∏m)·w, so each (d0, m) pair is one h×w tile.

export interface Fold { rows: number; cols: number }

export function foldShape(shape: readonly number[]): Fold {
  const n = shape.length;
  if (n === 0) return { rows: 1, cols: 1 };
  if (n === 1) return { rows: 1, cols: shape[0]! };
  if (n === 2) return { rows: shape[0]!, cols: shape[1]! };
  const middle = shape.slice(1, n - 2).reduce((a, b) => a * b, 1);
  return { rows: shape[0]! * shape[n - 2]!, cols: middle * shape[n - 1]! };
}

/** The C-order flat index of folded element (row, col). */
export function flatIndexer(shape: readonly number[]): (row: number, col: number) => number {
  const n = shape.length;
  if (n <= 2) {
    const { cols } = foldShape(shape);
    return (r, c) => r * cols + c;
  }
  const h = shape[n - 2]!;
  const w = shape[n - 1]!;
  const middle = shape.slice(1, n - 2).reduce((a, b) => a * b, 1);
  return (r, c) => {
    const d0 = Math.floor(r / h);
    const y = r - d0 * h;
    const m = Math.floor(c / w);
    const x = c - m * w;
    return ((d0 * middle + m) * h + y) * w + x;
  };
}

/** The tensor index ([3, 0, 2, 4]) of folded element (row, col). */
export function tensorIndex(shape: readonly number[], row: number, col: number): number[] {
  let flat = flatIndexer(shape)(row, col);
  const index = new Array<number>(shape.length).fill(0);
  for (let d = shape.length - 1; d >= 0; d--) {
    const size = shape[d]!;
    index[d] = size === 0 ? 0 : flat % size;
    flat = size === 0 ? 0 : Math.floor(flat / size);
  }
  return index;
}

// How a tensor of any rank is folded to 2-D for heatmaps, shared by the server (which reduces
// windows of it) and the webviews (which turn a pointer position back into a tensor index). Pure
// code, no imports.
//
// Two layouts:
// - `kernels` (parameters, buffers, activations of rank < 4):
//   0-D: 1×1; 1-D [n]: a strip 1×n; 2-D [r, c]: itself;
//   n-D [d0, m…, h, w] (conv weight [out, in, kh, kw]): a tile grid, rows = d0·h and
//   cols = (∏m)·w, so each (d0, m) pair is one h×w tile (rows: output channels, columns: inputs).
// - `featureMaps` (activations of rank ≥ 4, [N, C, m…, H, W]): each sample is a block of its
//   C·∏m channel maps laid out as a grid of H×W tiles, `tilesAcross` tiles per row (row-major by
//   channel); the samples are stacked vertically, so sample n is the band of rows
//   [n·bandRows, (n + 1)·bandRows). A viewer shows one sample by keeping its view in that band.
//   The tile grid has no holes: tilesAcross is the smallest divisor of the channel count that is
//   at least its square root (64 → 8×8, 6 → 3 across × 2 down, a prime p → p across).
//
// The layout depends on what the tensor is, not only its shape (a conv weight and a feature map
// are both rank 4), so every function takes it; `foldLayout` picks it from the tensor's kind.

export interface Fold { rows: number; cols: number }

export type FoldLayout = 'kernels' | 'featureMaps';

/** The layout for a tensor of `kind` (TensorRef.kind) and `shape`. */
export function foldLayout(kind: 'parameter' | 'buffer' | 'activation', shape: readonly number[]): FoldLayout {
  return kind === 'activation' && shape.length >= 4 ? 'featureMaps' : 'kernels';
}

const product = (xs: readonly number[]): number => xs.reduce((a, b) => a * b, 1);

/** Feature-map geometry of [N, C, m…, H, W]: channel maps per sample, the tile grid, and one sample's band height. */
export interface FeatureMapGrid { samples: number; maps: number; across: number; down: number; h: number; w: number; bandRows: number }

export function featureMapGrid(shape: readonly number[]): FeatureMapGrid {
  const n = shape.length;
  const maps = product(shape.slice(1, n - 2));
  let across = Math.max(1, maps);
  for (let d = Math.ceil(Math.sqrt(maps)); d <= maps; d++) if (maps % d === 0) { across = d; break; }
  const down = maps === 0 ? 0 : maps / across;
  const h = shape[n - 2]!;
  return { samples: shape[0]!, maps, across, down, h, w: shape[n - 1]!, bandRows: down * h };
}

export function foldShape(shape: readonly number[], layout: FoldLayout = 'kernels'): Fold {
  const n = shape.length;
  if (layout === 'featureMaps' && n >= 4) {
    const g = featureMapGrid(shape);
    return { rows: g.samples * g.bandRows, cols: g.across * g.w };
  }
  if (n === 0) return { rows: 1, cols: 1 };
  if (n === 1) return { rows: 1, cols: shape[0]! };
  if (n === 2) return { rows: shape[0]!, cols: shape[1]! };
  const middle = product(shape.slice(1, n - 2));
  return { rows: shape[0]! * shape[n - 2]!, cols: middle * shape[n - 1]! };
}

/** The C-order flat index of folded element (row, col). */
export function flatIndexer(shape: readonly number[], layout: FoldLayout = 'kernels'): (row: number, col: number) => number {
  const n = shape.length;
  if (layout === 'featureMaps' && n >= 4) {
    const { maps, across, h, w, bandRows } = featureMapGrid(shape);
    return (r, c) => {
      const sample = Math.floor(r / bandRows);
      const inBand = r - sample * bandRows;
      const tileRow = Math.floor(inBand / h);
      const tileCol = Math.floor(c / w);
      const map = tileRow * across + tileCol;
      return ((sample * maps + map) * h + (inBand - tileRow * h)) * w + (c - tileCol * w);
    };
  }
  if (n <= 2) {
    const { cols } = foldShape(shape);
    return (r, c) => r * cols + c;
  }
  const h = shape[n - 2]!;
  const w = shape[n - 1]!;
  const middle = product(shape.slice(1, n - 2));
  return (r, c) => {
    const d0 = Math.floor(r / h);
    const y = r - d0 * h;
    const m = Math.floor(c / w);
    const x = c - m * w;
    return ((d0 * middle + m) * h + y) * w + x;
  };
}

/** The tensor index ([3, 0, 2, 4]) of folded element (row, col). */
export function tensorIndex(shape: readonly number[], row: number, col: number, layout: FoldLayout = 'kernels'): number[] {
  let flat = flatIndexer(shape, layout)(row, col);
  const index = new Array<number>(shape.length).fill(0);
  for (let d = shape.length - 1; d >= 0; d--) {
    const size = shape[d]!;
    index[d] = size === 0 ? 0 : flat % size;
    flat = size === 0 ? 0 : Math.floor(flat / size);
  }
  return index;
}

/** The index along dimension `dim` of folded element (row, col): its channel, for per-channel scales. */
export function channelIndexer(shape: readonly number[], layout: FoldLayout, dim: number): (row: number, col: number) => number {
  const at = flatIndexer(shape, layout);
  const stride = product(shape.slice(dim + 1));
  const size = shape[dim] ?? 1;
  return (r, c) => Math.floor(at(r, c) / stride) % size;
}

/** The h×w size of the fold's tiles (both layouts tile by the last two dimensions), or null below rank 3 (no tiles). */
export function tileSize(shape: readonly number[]): { h: number; w: number } | null {
  const n = shape.length;
  if (n < 3) return null;
  return { h: shape[n - 2]!, w: shape[n - 1]! };
}

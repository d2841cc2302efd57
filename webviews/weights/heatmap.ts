// Painting: a tensor message's cells become pixels of an offscreen canvas (one pixel per cell,
// coloured through a lookup table, per channel when the scale has channels), and the visible
// canvas shows the viewport of each pane from those pixels, scaled without smoothing, with lines
// between the h×w tiles of a tiled fold when the tiles are big enough on screen to tell apart.
import type { TensorMessage } from '../../language-server/protocol/weights-panel.ts';
import { channelIndexer, tileSize, type FoldLayout } from '../../language-server/protocol/tensor-fold.ts';
import { colorTable, tableSize, type ColorMode } from './colormap.ts';
import { paneAreas, viewRect, type Rect } from './layout.ts';
import type { Scale } from './scale.ts';
import type { Viewport } from './viewport.ts';

export interface Pane { message: TensorMessage; layout: FoldLayout; cells: HTMLCanvasElement }

const tables = new Map<ColorMode, Uint32Array>();
export const tableOf = (mode: ColorMode): Uint32Array => {
  let t = tables.get(mode);
  if (!t) { t = colorTable(mode); tables.set(mode, t); }
  return t;
};

/** Tiles smaller than this on screen (CSS pixels, either side) get no separators: lines would hide the values. */
export const minTileForSeparators = 6;

export function paintCells(pane: Pane, scale: Scale): void {
  const m = pane.message;
  const { rows, cols } = m.grid;
  const canvas = pane.cells;
  if (canvas.width !== cols || canvas.height !== rows) { canvas.width = cols; canvas.height = rows; }
  const ctx = canvas.getContext('2d');
  if (!ctx || rows * cols === 0) return;
  const image = ctx.createImageData(cols, rows);
  const pixels = new Uint32Array(image.data.buffer);
  const table = tableOf(scale.mode);
  const last = tableSize - 1;
  const values = m.values;
  if (!scale.channels) {
    const [lo, hi] = scale.whole;
    const k = last / (hi - lo);
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (!Number.isFinite(v)) { pixels[i] = table[tableSize]!; continue; }
      const t = (v - lo) * k;
      pixels[i] = table[t <= 0 ? 0 : t >= last ? last : Math.round(t)]!;
    }
  } else {
    // A cell that covers several channels (zoomed out) takes the scale of its first element's channel.
    const { dim, lo, hi } = scale.channels;
    const channelAt = channelIndexer(m.shape, pane.layout, dim);
    const rowOf = Int32Array.from({ length: rows }, (_, i) => m.window.row + Math.floor((i * m.window.rows) / rows));
    const colOf = Int32Array.from({ length: cols }, (_, j) => m.window.col + Math.floor((j * m.window.cols) / cols));
    // Kernel tiles and matrices: the channel (dim 0) is constant along a folded row — one lookup per row.
    const byRow = pane.layout === 'kernels' && dim === 0 ? Int32Array.from(rowOf, (r) => channelAt(r, 0)) : null;
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) {
        const at = i * cols + j;
        const v = values[at]!;
        if (!Number.isFinite(v)) { pixels[at] = table[tableSize]!; continue; }
        const c = byRow ? byRow[i]! : channelAt(rowOf[i]!, colOf[j]!);
        const t = ((v - lo[c]!) * last) / (hi[c]! - lo[c]!);
        pixels[at] = table[t <= 0 ? 0 : t >= last ? last : Math.round(t)]!;
      }
    }
  }
  ctx.putImageData(image, 0, 0);
}

/** Draws every pane's view of `v` onto `canvas`, whose CSS box is `size` (its backing store: size × devicePixelRatio). */
export function drawPanes(canvas: HTMLCanvasElement, size: { width: number; height: number }, panes: readonly Pane[], v: Viewport | null, separator: string): void {
  const dpr = window.devicePixelRatio || 1;
  if (canvas.width !== Math.round(size.width * dpr) || canvas.height !== Math.round(size.height * dpr)) {
    canvas.width = Math.round(size.width * dpr);
    canvas.height = Math.round(size.height * dpr);
  }
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, size.width, size.height);
  if (!v || panes.length === 0) return;
  const areas = paneAreas(size, panes.length === 2 ? 2 : 1);
  panes.forEach((pane, p) => {
    const m = pane.message;
    // An empty tensor (a 0 in its shape) has no cells to draw; the statistics say count 0.
    if (m.grid.rows * m.grid.cols === 0 || v.rows * v.cols === 0) return;
    const r = viewRect(areas[p]!, v);
    // Source rectangle in cells: the viewport relative to the window the cells cover.
    const sx = ((v.col - m.window.col) * m.grid.cols) / m.window.cols;
    const sy = ((v.row - m.window.row) * m.grid.rows) / m.window.rows;
    const sw = (v.cols * m.grid.cols) / m.window.cols;
    const sh = (v.rows * m.grid.rows) / m.window.rows;
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(pane.cells, sx, sy, sw, sh, r.x, r.y, r.w, r.h);
    drawSeparators(ctx, m.shape, v, r, separator);
  });
}

/** Lines on the tile boundaries inside the view: 1 CSS pixel, 2 when tiles are large; none when tiles are tiny or 1×1. */
function drawSeparators(ctx: CanvasRenderingContext2D, shape: readonly number[], v: Viewport, r: Rect, color: string): void {
  const tile = tileSize(shape);
  if (!tile || (tile.h === 1 && tile.w === 1)) return;
  const sy = r.h / v.rows;
  const sx = r.w / v.cols;
  const tilePx = Math.min(tile.h * sy, tile.w * sx);
  if (tilePx < minTileForSeparators) return;
  const width = tilePx >= 24 ? 2 : 1;
  ctx.fillStyle = color;
  for (let row = Math.ceil(v.row / tile.h) * tile.h; row < v.row + v.rows; row += tile.h) {
    if (row <= v.row) continue;
    ctx.fillRect(r.x, Math.round(r.y + (row - v.row) * sy - width / 2), r.w, width);
  }
  for (let col = Math.ceil(v.col / tile.w) * tile.w; col < v.col + v.cols; col += tile.w) {
    if (col <= v.col) continue;
    ctx.fillRect(Math.round(r.x + (col - v.col) * sx - width / 2), r.y, width, r.h);
  }
}

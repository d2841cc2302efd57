// The part of the folded tensor on screen: a window in fractional element coordinates that zoom
// (around a point) and pan move, clamped to bounds (the whole folded tensor, or one sample's band
// of a feature-map fold); and the integer window and cell grid to ask the host for. Pure.
import type { TensorWindow } from '../../language-server/protocol/requests.ts';

export interface Viewport { row: number; col: number; rows: number; cols: number }
/** The rectangle of the folded tensor the view may show. */
export type Bounds = Viewport;

export function boundsOf(folded: { rows: number; cols: number }, band?: { row: number; rows: number }): Bounds {
  return band ? { row: band.row, col: 0, rows: band.rows, cols: folded.cols } : { row: 0, col: 0, rows: folded.rows, cols: folded.cols };
}

export function wholeTensor(b: Bounds): Viewport {
  return { ...b };
}

export function clampViewport(v: Viewport, b: Bounds): Viewport {
  const rows = Math.min(b.rows, Math.max(1, v.rows));
  const cols = Math.min(b.cols, Math.max(1, v.cols));
  return {
    rows, cols,
    row: Math.min(b.row + b.rows - rows, Math.max(b.row, v.row)),
    col: Math.min(b.col + b.cols - cols, Math.max(b.col, v.col)),
  };
}

/** Zoom by `factor` (< 1 zooms in) keeping the point at fraction (fy, fx) of the view fixed. */
export function zoom(v: Viewport, factor: number, fy: number, fx: number, b: Bounds): Viewport {
  const rows = v.rows * factor;
  const cols = v.cols * factor;
  return clampViewport({ row: v.row + (v.rows - rows) * fy, col: v.col + (v.cols - cols) * fx, rows, cols }, b);
}

export function pan(v: Viewport, dRows: number, dCols: number, b: Bounds): Viewport {
  return clampViewport({ ...v, row: v.row + dRows, col: v.col + dCols }, b);
}

/**
 * The integer window covering the viewport, and a grid no finer than the screen pixels it is drawn
 * on (`drawn`: the size in CSS pixels of the rectangle the view occupies, not the whole canvas: a
 * 50257×768 embedding drawn 360 pixels tall needs 360 rows of cells, not one per canvas pixel).
 */
export function windowRequest(v: Viewport, drawn: { width: number; height: number }): { window: TensorWindow; grid: { rows: number; cols: number } } {
  const row = Math.floor(v.row);
  const col = Math.floor(v.col);
  const window = { row, col, rows: Math.max(1, Math.ceil(v.row + v.rows) - row), cols: Math.max(1, Math.ceil(v.col + v.cols) - col) };
  return { window, grid: { rows: Math.min(window.rows, Math.max(1, Math.ceil(drawn.height))), cols: Math.min(window.cols, Math.max(1, Math.ceil(drawn.width))) } };
}

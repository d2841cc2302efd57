// The part of the folded tensor on screen: a window in fractional element coordinates that zoom
// (around a point) and pan move, clamped to the tensor; and the integer window and cell grid to ask
// the host for. Pure.
import type { TensorWindow } from '../../language-server/protocol/requests.ts';

export interface Viewport { row: number; col: number; rows: number; cols: number }

export function wholeTensor(folded: { rows: number; cols: number }): Viewport {
  return { row: 0, col: 0, rows: folded.rows, cols: folded.cols };
}

export function clampViewport(v: Viewport, folded: { rows: number; cols: number }): Viewport {
  const rows = Math.min(folded.rows, Math.max(1, v.rows));
  const cols = Math.min(folded.cols, Math.max(1, v.cols));
  return {
    rows, cols,
    row: Math.min(folded.rows - rows, Math.max(0, v.row)),
    col: Math.min(folded.cols - cols, Math.max(0, v.col)),
  };
}

/** Zoom by `factor` (< 1 zooms in) keeping the point at fraction (fy, fx) of the view fixed. */
export function zoom(v: Viewport, factor: number, fy: number, fx: number, folded: { rows: number; cols: number }): Viewport {
  const rows = v.rows * factor;
  const cols = v.cols * factor;
  return clampViewport({ row: v.row + (v.rows - rows) * fy, col: v.col + (v.cols - cols) * fx, rows, cols }, folded);
}

export function pan(v: Viewport, dRows: number, dCols: number, folded: { rows: number; cols: number }): Viewport {
  return clampViewport({ ...v, row: v.row + dRows, col: v.col + dCols }, folded);
}

/** The integer window covering the viewport, and a grid no finer than the canvas's pixels. */
export function windowRequest(v: Viewport, canvas: { width: number; height: number }): { window: TensorWindow; grid: { rows: number; cols: number } } {
  const row = Math.floor(v.row);
  const col = Math.floor(v.col);
  const window = { row, col, rows: Math.max(1, Math.ceil(v.row + v.rows) - row), cols: Math.max(1, Math.ceil(v.col + v.cols) - col) };
  return { window, grid: { rows: Math.min(window.rows, Math.max(1, Math.floor(canvas.height))), cols: Math.min(window.cols, Math.max(1, Math.floor(canvas.width))) } };
}

// Where things are drawn on the heatmap canvas, in CSS pixels: one pane, or two side by side
// (compare), and inside a pane the rectangle the viewport occupies. Pure, so the tests and the
// pointer code compute the same positions the painter uses.
import type { Viewport } from './viewport.ts';

export interface Rect { x: number; y: number; w: number; h: number }

/** Gap between two compared panes. */
export const paneGap = 12;

export function paneAreas(size: { width: number; height: number }, count: 1 | 2): Rect[] {
  if (count === 1) return [{ x: 0, y: 0, w: size.width, h: size.height }];
  const w = Math.max(1, (size.width - paneGap) / 2);
  return [{ x: 0, y: 0, w, h: size.height }, { x: w + paneGap, y: 0, w, h: size.height }];
}

/**
 * The viewport's rectangle inside `area`: square elements, centred — unless square elements would
 * leave it thinner than an eighth of the area in one direction (a 50257×768 embedding would be a
 * 5-pixel sliver); then that direction is stretched to fill the area and cells are not square.
 */
export const stretchBelow = 8;

export function viewRect(area: Rect, v: Viewport): Rect {
  const scale = Math.min(area.w / v.cols, area.h / v.rows);
  let w = v.cols * scale;
  let h = v.rows * scale;
  if (w < area.w / stretchBelow) w = area.w;
  if (h < area.h / stretchBelow) h = area.h;
  return { x: area.x + (area.w - w) / 2, y: area.y + (area.h - h) / 2, w, h };
}

/** Which pane and folded element (row, col) a point is over, or null outside every view. */
export function elementAt(areas: Rect[], v: Viewport, x: number, y: number): { pane: number; row: number; col: number } | null {
  for (let pane = 0; pane < areas.length; pane++) {
    const r = viewRect(areas[pane]!, v);
    const fx = (x - r.x) / r.w;
    const fy = (y - r.y) / r.h;
    if (fx >= 0 && fx < 1 && fy >= 0 && fy < 1) return { pane, row: Math.floor(v.row + fy * v.rows), col: Math.floor(v.col + fx * v.cols) };
  }
  return null;
}

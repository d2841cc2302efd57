// Where a folded element is drawn on the heatmap and what colour it has there: positions come from
// the panel's own pure geometry (webviews/weights/layout.ts, the whole tensor in view), colours are
// read back from the canvas. The expected colours are computed by the tests from the values.
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { paneAreas, viewRect } from '../../webviews/weights/layout.ts';

export type Rgb = [number, number, number];

/** The CSS-pixel centre (relative to the canvas; `left`/`top`: the canvas on the page) of folded (row, col) when `view` is shown in pane `pane` of `panes`. */
export async function cellCentre(page: Page, view: { row?: number; col?: number; rows: number; cols: number }, row: number, col: number, pane = 0, panes: 1 | 2 = 1): Promise<{ x: number; y: number; left: number; top: number }> {
  const box = (await page.locator('#heatmap').boundingBox())!;
  const v = { row: view.row ?? 0, col: view.col ?? 0, rows: view.rows, cols: view.cols };
  const r = viewRect(paneAreas({ width: Math.floor(box.width), height: Math.floor(box.height) }, panes)[pane]!, v);
  return { x: r.x + ((col - v.col + 0.5) * r.w) / v.cols, y: r.y + ((row - v.row + 0.5) * r.h) / v.rows, left: box.x, top: box.y };
}

/** The rectangle (CSS pixels, canvas-relative) the view occupies in pane `pane`. */
export async function viewBox(page: Page, view: { rows: number; cols: number }, pane = 0, panes: 1 | 2 = 1): Promise<{ x: number; y: number; w: number; h: number }> {
  const box = (await page.locator('#heatmap').boundingBox())!;
  return viewRect(paneAreas({ width: Math.floor(box.width), height: Math.floor(box.height) }, panes)[pane]!, { row: 0, col: 0, ...view });
}

export async function pixel(page: Page, x: number, y: number): Promise<Rgb> {
  return page.evaluate(([px, py]) => {
    const c = document.getElementById('heatmap') as HTMLCanvasElement;
    const dpr = window.devicePixelRatio || 1;
    const d = c.getContext('2d')!.getImageData(Math.floor(px! * dpr), Math.floor(py! * dpr), 1, 1).data;
    return [d[0]!, d[1]!, d[2]!] as Rgb;
  }, [x, y]);
}

/** The pixels of the canvas column at CSS x from y0 to y1. */
export async function column(page: Page, x: number, y0: number, y1: number): Promise<Rgb[]> {
  return page.evaluate(([px, a, b]) => {
    const c = document.getElementById('heatmap') as HTMLCanvasElement;
    const dpr = window.devicePixelRatio || 1;
    const top = Math.floor(a! * dpr);
    const d = c.getContext('2d')!.getImageData(Math.floor(px! * dpr), top, 1, Math.max(1, Math.floor(b! * dpr) - top)).data;
    const out: [number, number, number][] = [];
    for (let i = 0; i < d.length; i += 4) out.push([d[i]!, d[i + 1]!, d[i + 2]!]);
    return out;
  }, [x, y0, y1]);
}

export function assertColor(got: Rgb, want: Rgb, what: string): void {
  assert.ok(got.every((v, i) => Math.abs(v - want[i]!) <= 1), `${what}: got rgb(${got}) want rgb(${want})`);
}

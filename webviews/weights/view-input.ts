// Zoom and pan of the heatmap by pointer (drag pans, the wheel zooms around the pointer), keyboard
// (arrows pan, + and - zoom, 0 shows the whole tensor or sample) and the readout under the pointer.
// Compared panes share one view, so either pane can be dragged or zoomed.
import { elementAt, paneAreas, viewRect } from './layout.ts';
import { pan, wholeTensor, zoom, type Bounds, type Viewport } from './viewport.ts';

export interface ViewInputHost {
  viewport(): Viewport | null;
  /** Where the view may go; null while nothing is shown. */
  bounds(): Bounds | null;
  /** Panes drawn now (0 while waiting for the first answer). */
  paneCount(): number;
  /** A new view: drawn now and asked of the host within a frame; `save` also keeps it in the state. */
  setViewport(v: Viewport, save: boolean): void;
  /** Keeps the current view in the state (the end of a drag). */
  saveViewport(): void;
  /** The readout for folded (row, col) of pane `pane`. */
  describe(pane: number, row: number, col: number): string;
  showReadout(text: string): void;
}

export function attachViewInput(canvas: HTMLCanvasElement, host: ViewInputHost): void {
  const size = (): { width: number; height: number } => {
    const rect = canvas.getBoundingClientRect();
    return { width: Math.max(1, Math.floor(rect.width)), height: Math.max(1, Math.floor(rect.height)) };
  };
  const areas = (): ReturnType<typeof paneAreas> => paneAreas(size(), host.paneCount() === 2 ? 2 : 1);
  let drag: { x: number; y: number; viewport: Viewport } | null = null;

  canvas.addEventListener('pointermove', (ev) => {
    const bounds = host.bounds();
    if (drag && bounds) {
      const v = drag.viewport;
      const r = viewRect(areas()[0]!, v);
      host.setViewport(pan(v, (-(ev.clientY - drag.y) / r.h) * v.rows, (-(ev.clientX - drag.x) / r.w) * v.cols, bounds), false);
      return;
    }
    const v = host.viewport();
    const box = canvas.getBoundingClientRect();
    const at = v && host.paneCount() > 0 ? elementAt(areas(), v, ev.clientX - box.left, ev.clientY - box.top) : null;
    host.showReadout(at ? host.describe(at.pane, at.row, at.col) : '');
  });
  canvas.addEventListener('pointerdown', (ev) => {
    const v = host.viewport();
    if (!v) return;
    drag = { x: ev.clientX, y: ev.clientY, viewport: v };
    canvas.setPointerCapture(ev.pointerId);
  });
  const endDrag = (): void => {
    if (drag) host.saveViewport();
    drag = null;
  };
  canvas.addEventListener('pointerup', endDrag);
  canvas.addEventListener('pointercancel', endDrag);
  canvas.addEventListener('pointerleave', () => { if (!drag) host.showReadout(''); });

  canvas.addEventListener('wheel', (ev) => {
    const bounds = host.bounds();
    const v = host.viewport();
    if (host.paneCount() === 0 || !v || !bounds) return;
    ev.preventDefault();
    const box = canvas.getBoundingClientRect();
    const x = ev.clientX - box.left;
    const all = areas();
    const r = viewRect(all.find((a) => x >= a.x && x < a.x + a.w) ?? all[0]!, v);
    const fx = Math.max(0, Math.min(1, (x - r.x) / r.w));
    const fy = Math.max(0, Math.min(1, (ev.clientY - box.top - r.y) / r.h));
    host.setViewport(zoom(v, ev.deltaY > 0 ? 1.25 : 0.8, fy, fx, bounds), true);
  }, { passive: false });

  canvas.addEventListener('keydown', (ev) => {
    const bounds = host.bounds();
    const v = host.viewport();
    if (host.paneCount() === 0 || !v || !bounds) return;
    let next: Viewport;
    switch (ev.key) {
      case 'ArrowLeft': next = pan(v, 0, -Math.max(1, v.cols * 0.1), bounds); break;
      case 'ArrowRight': next = pan(v, 0, Math.max(1, v.cols * 0.1), bounds); break;
      case 'ArrowUp': next = pan(v, -Math.max(1, v.rows * 0.1), 0, bounds); break;
      case 'ArrowDown': next = pan(v, Math.max(1, v.rows * 0.1), 0, bounds); break;
      case '+': case '=': next = zoom(v, 0.8, 0.5, 0.5, bounds); break;
      case '-': case '_': next = zoom(v, 1.25, 0.5, 0.5, bounds); break;
      case '0': next = wholeTensor(bounds); break;
      default: return;
    }
    ev.preventDefault();
    host.setViewport(next, true);
    // The keyboard's readout: the element at the centre of the view.
    host.showReadout(host.describe(0, Math.floor(next.row + next.rows / 2), Math.floor(next.col + next.cols / 2)));
  });
}

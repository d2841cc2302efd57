// The statistics table and the histogram of the shown tensor (the whole tensor, whatever the view;
// in difference mode, of the difference).
import type { TensorMessage } from '../../language-server/protocol/weights-panel.ts';
import { formatShape, formatValue } from './format.ts';

export function cssColor(name: string, fallback: string): string {
  return getComputedStyle(document.body).getPropertyValue(name).trim() || fallback;
}

/** `layout`: how the tensor is folded onto the heatmap (fold-label.ts). */
export function renderStats(table: HTMLElement, m: TensorMessage, layout: string, note: string): void {
  const s = m.stats;
  const rows: [string, string][] = [
    ['shape', formatShape(m.shape)], ['layout', layout], ['dtype', m.dtype], ['count', (s.count ?? 0).toLocaleString('en-US')],
    ['mean', formatValue(s.mean)], ['std', formatValue(s.std)], ['min', formatValue(s.min)], ['max', formatValue(s.max)],
    ['zeros', `${((s.zeroFraction ?? 0) * 100).toFixed(2)}%`], ['L2 norm', formatValue(s.l2Norm ?? NaN)],
    ['view', (m.exact ? 'exact values' : `${m.reduction} of ${(m.window.rows / m.grid.rows).toFixed(1)}×${(m.window.cols / m.grid.cols).toFixed(1)} elements per cell`) + (note ? `; ${note}` : '')],
  ];
  // Where the host computed the values, and why not on the GPU when it fell back (never silent).
  if (m.device) rows.push(['device', m.fallback ? `${m.device} (${m.fallback})` : m.device]);
  table.replaceChildren(...rows.map(([k, v]) => {
    const tr = document.createElement('tr');
    const th = document.createElement('th');
    th.textContent = k;
    const td = document.createElement('td');
    td.textContent = v;
    td.dataset.stat = k;
    tr.append(th, td);
    return tr;
  }));
}

/** `rect`: the canvas's CSS box and `color` the bars', read by the caller before it changes the DOM (no forced layout in between). */
export function drawHistogram(canvas: HTMLCanvasElement, rect: { width: number; height: number }, color: string, m: TensorMessage): void {
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const dpr = window.devicePixelRatio || 1;
  canvas.width = Math.max(1, Math.floor(rect.width * dpr));
  canvas.height = Math.max(1, Math.floor(rect.height * dpr));
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  const counts = m.histogram.counts;
  const top = Math.max(1, ...counts);
  const w = rect.width / counts.length;
  ctx.fillStyle = color;
  counts.forEach((c, i) => {
    const h = (c / top) * rect.height;
    ctx.fillRect(i * w, rect.height - h, Math.max(1, w - 1), h);
  });
  canvas.setAttribute('aria-label', `histogram of ${counts.length} bins from ${formatValue(m.histogram.min)} to ${formatValue(m.histogram.max)}`);
}

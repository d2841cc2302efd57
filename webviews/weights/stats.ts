// The statistics table and the histogram of the shown tensor (the whole tensor, whatever the view;
// in difference mode, of the difference). While the summary is pending (the host sent the cells and
// the colour scale first) the rows and the histogram keep their place and say "computing…".
import type { TensorMessage } from '../../language-server/protocol/weights-panel.ts';
import { formatShape, formatValue } from './format.ts';

export function cssColor(name: string, fallback: string): string {
  return getComputedStyle(document.body).getPropertyValue(name).trim() || fallback;
}

/** `layout`: how the tensor is folded onto the heatmap (fold-label.ts). */
/** What a statistic shows while the summary is pending, or when it could not be had. */
export const pendingText = (m: TensorMessage): string => (m.summaryError ? `unavailable (${m.summaryError})` : 'computing…');

export function renderStats(table: HTMLElement, m: TensorMessage, layout: string, note: string): void {
  const s = m.stats;
  const later = (text: () => string): string => (m.summaryPending ? pendingText(m) : text());
  const rows: [string, string][] = [
    ['shape', formatShape(m.shape)], ['layout', layout], ['dtype', m.dtype], ['count', (s.count ?? 0).toLocaleString('en-US')],
    ['mean', later(() => formatValue(s.mean ?? NaN))], ['std', later(() => formatValue(s.std ?? NaN))], ['min', formatValue(s.min)], ['max', formatValue(s.max)],
    ['zeros', later(() => `${((s.zeroFraction ?? 0) * 100).toFixed(2)}%`)], ['L2 norm', later(() => formatValue(s.l2Norm ?? NaN))],
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
  if (m.summaryPending) {
    // Same box, no bars yet: the text says why (the canvas keeps its size, nothing below moves).
    ctx.fillStyle = cssColor('--vscode-descriptionForeground', color);
    ctx.font = '12px sans-serif';
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.fillText(pendingText(m), rect.width / 2, rect.height / 2);
    canvas.setAttribute('aria-label', `histogram: ${pendingText(m)}`);
    canvas.dataset.pending = 'true';
    return;
  }
  delete canvas.dataset.pending;
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

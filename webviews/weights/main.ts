// The weights panel: a tree of the model's parameters, buffers and module outputs; a heatmap of the
// selected tensor (folded to 2-D, protocol/tensor-fold.ts) with zoom and pan that ask the host for
// new windows; a legend, the exact value under the pointer, statistics and a histogram. It talks to
// its host only through protocol/weights-panel.ts messages and keeps its state in vscode.setState.
import type { Reduction, TensorRef } from '../../language-server/protocol/requests.ts';
import { tensorIndex } from '../../language-server/protocol/tensor-fold.ts';
import type { HostToWebview, ModelMessage, TensorMessage, WebviewToHost } from '../../language-server/protocol/weights-panel.ts';
import { colorOf, colorScale, type ColorMode } from './colormap.ts';
import { pan, wholeTensor, windowRequest, zoom, type Viewport } from './viewport.ts';

interface VsCodeApi { postMessage(message: WebviewToHost): void; getState(): unknown; setState(state: PanelState): void }
declare function acquireVsCodeApi(): VsCodeApi;

/** Also read by the host's WebviewPanelSerializer (extension/panels/weights-panel.ts): `model` says which panel to restore. */
export interface PanelState {
  model: { uri: string; className: string } | null;
  selected: TensorRef | null;
  viewport: Viewport | null;
  reduction: Reduction;
  colorMode: ColorMode;
  collapsed: string[];
}

const vscode = acquireVsCodeApi();
const saved = vscode.getState() as Partial<PanelState> | undefined;
const state: PanelState = {
  model: saved?.model ?? null,
  selected: saved?.selected ?? null,
  viewport: saved?.viewport ?? null,
  reduction: saved?.reduction ?? 'mean',
  colorMode: saved?.colorMode ?? 'diverging',
  collapsed: saved?.collapsed ?? [],
};
const save = (): void => vscode.setState(state);

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
const tree = $<HTMLUListElement>('tree');
const title = $<HTMLElement>('title');
const canvas = $<HTMLCanvasElement>('heatmap');
const legend = $<HTMLCanvasElement>('legend');
const legendLo = $<HTMLElement>('legend-lo');
const legendHi = $<HTMLElement>('legend-hi');
const readout = $<HTMLElement>('readout');
const statsTable = $<HTMLElement>('stats');
const histogram = $<HTMLCanvasElement>('histogram');
const status = $<HTMLElement>('status');
const reductionSelect = $<HTMLSelectElement>('reduction');
const colorSelect = $<HTMLSelectElement>('colormap');
const runButton = $<HTMLButtonElement>('run-forward');
reductionSelect.value = state.reduction;
colorSelect.value = state.colorMode;

let model: ModelMessage | null = null;
let current: TensorMessage | null = null;
let nextRequestId = 1;
let latestRequest = 0;
const offscreen = document.createElement('canvas');

// ------------------------------------------------------------------ tree

interface TreeEntry { id: string; label: string; detail: string; level: number; ref?: TensorRef; group?: string; parent?: string }

function treeEntries(m: ModelMessage): TreeEntry[] {
  const out: TreeEntry[] = [];
  const grouped = (kind: 'parameter' | 'buffer', items: { name: string; shape: number[]; count: number }[]): void => {
    const modules = new Map<string, typeof items>();
    for (const p of items) {
      const cut = p.name.lastIndexOf('.');
      const mod = cut < 0 ? '' : p.name.slice(0, cut);
      modules.set(mod, [...(modules.get(mod) ?? []), p]);
    }
    for (const [mod, ps] of modules) {
      const group = `${kind}:${mod}`;
      const level = mod ? 2 : 1;
      if (mod) out.push({ id: group, label: mod, detail: `${ps.reduce((s, p) => s + p.count, 0).toLocaleString('en-US')}`, level: 1, group });
      for (const p of ps) {
        out.push({ id: `${kind}/${p.name}`, label: mod ? p.name.slice(mod.length + 1) : p.name, detail: `[${p.shape.join(', ')}] · ${p.count.toLocaleString('en-US')}`, level, ref: { kind, name: p.name }, ...(mod ? { parent: group } : {}) });
      }
    }
  };
  grouped('parameter', m.parameters);
  if (m.buffers.length) {
    out.push({ id: 'buffers', label: 'buffers', detail: '', level: 1, group: 'buffers' });
    for (const b of m.buffers) out.push({ id: `buffer/${b.name}`, label: b.name, detail: `[${b.shape.join(', ')}]`, level: 2, ref: { kind: 'buffer', name: b.name }, parent: 'buffers' });
  }
  if (m.activations.length) {
    out.push({ id: 'activations', label: 'module outputs', detail: '', level: 1, group: 'activations' });
    for (const a of m.activations) {
      out.push({ id: `activation/${a.path}`, label: a.path || '(output)', detail: `${a.type} ${Array.isArray(a.shape) ? `[${a.shape.join(', ')}]` : ''}`, level: 2, ref: { kind: 'activation', name: a.path }, parent: 'activations' });
    }
  }
  return out;
}

const refId = (r: TensorRef): string => `${r.kind}/${r.name}`;

function renderTree(): void {
  if (!model) return;
  const focused = (document.activeElement as HTMLElement | null)?.dataset.id;
  tree.replaceChildren();
  for (const e of treeEntries(model)) {
    if (e.parent && state.collapsed.includes(e.parent)) continue;
    const li = document.createElement('li');
    li.setAttribute('role', 'treeitem');
    li.setAttribute('aria-level', String(e.level));
    li.dataset.id = e.id;
    li.className = `level-${e.level}${e.ref ? ' leaf' : ' group'}`;
    li.tabIndex = -1;
    if (e.group) li.setAttribute('aria-expanded', String(!state.collapsed.includes(e.group)));
    if (e.ref) li.setAttribute('aria-selected', String(state.selected !== null && refId(state.selected) === e.id));
    const name = document.createElement('span');
    name.className = 'name';
    name.textContent = e.label;
    const detail = document.createElement('span');
    detail.className = 'detail';
    detail.textContent = e.detail;
    li.append(name, detail);
    li.addEventListener('click', () => activate(li, e));
    tree.append(li);
  }
  const items = [...tree.querySelectorAll<HTMLLIElement>('li')];
  const target = items.find((li) => li.dataset.id === focused) ?? items.find((li) => li.getAttribute('aria-selected') === 'true') ?? items[0];
  if (target) target.tabIndex = 0;
  if (focused && target && target.dataset.id === focused) target.focus();
}

function activate(li: HTMLLIElement, e: TreeEntry): void {
  for (const other of tree.querySelectorAll<HTMLLIElement>('li')) other.tabIndex = -1;
  li.tabIndex = 0;
  li.focus();
  if (e.group) toggleGroup(e.group);
  else if (e.ref) select(e.ref, null);
}

function toggleGroup(group: string, open?: boolean): void {
  const isOpen = !state.collapsed.includes(group);
  const want = open ?? !isOpen;
  state.collapsed = want ? state.collapsed.filter((g) => g !== group) : [...state.collapsed, group];
  save();
  renderTree();
}

tree.addEventListener('keydown', (ev) => {
  const items = [...tree.querySelectorAll<HTMLLIElement>('li')];
  const at = items.indexOf(document.activeElement as HTMLLIElement);
  if (at < 0 || !model) return;
  const entry = treeEntries(model).find((e) => e.id === items[at]!.dataset.id)!;
  const move = (i: number): void => {
    const target = items[Math.max(0, Math.min(items.length - 1, i))]!;
    items.forEach((li) => { li.tabIndex = -1; });
    target.tabIndex = 0;
    target.focus();
  };
  switch (ev.key) {
    case 'ArrowDown': move(at + 1); break;
    case 'ArrowUp': move(at - 1); break;
    case 'Home': move(0); break;
    case 'End': move(items.length - 1); break;
    case 'ArrowRight': if (entry.group) toggleGroup(entry.group, true); break;
    case 'ArrowLeft':
      if (entry.group) toggleGroup(entry.group, false);
      else if (entry.parent) move(items.findIndex((li) => li.dataset.id === entry.parent));
      break;
    case 'Enter': case ' ': activate(items[at]!, entry); break;
    default: return;
  }
  ev.preventDefault();
});

// ------------------------------------------------------------------ requests

function select(ref: TensorRef, viewport: Viewport | null): void {
  state.selected = ref;
  state.viewport = viewport;
  current = null;
  save();
  renderTree();
  title.textContent = ref.name || '(model output)';
  request();
}

let requestQueued = false;
/** Ask for the window on screen; at most one request per frame. */
function request(): void {
  if (requestQueued) return;
  requestQueued = true;
  requestAnimationFrame(() => {
    requestQueued = false;
    if (!state.selected) return;
    const size = canvasSize();
    const { window, grid } = state.viewport
      ? windowRequest(state.viewport, { width: size.width, height: size.height })
      : { window: null, grid: { rows: Math.max(1, size.height), cols: Math.max(1, size.width) } };
    latestRequest = nextRequestId++;
    status.textContent = 'loading…';
    vscode.postMessage({ type: 'requestTensor', requestId: latestRequest, tensor: state.selected, window, grid, reduction: state.reduction });
  });
}

// ------------------------------------------------------------------ drawing

function canvasSize(): { width: number; height: number } {
  const rect = canvas.getBoundingClientRect();
  return { width: Math.max(1, Math.floor(rect.width)), height: Math.max(1, Math.floor(rect.height)) };
}

/** Where the viewport is drawn inside the canvas (CSS pixels): square elements, centred. */
function drawRect(v: Viewport): { x: number; y: number; w: number; h: number } {
  const { width, height } = canvasSize();
  const scale = Math.min(width / v.cols, height / v.rows);
  const w = v.cols * scale;
  const h = v.rows * scale;
  return { x: (width - w) / 2, y: (height - h) / 2, w, h };
}

function draw(): void {
  const ctx = canvas.getContext('2d');
  const size = canvasSize();
  const dpr = window.devicePixelRatio || 1;
  if (canvas.width !== size.width * dpr || canvas.height !== size.height * dpr) {
    canvas.width = size.width * dpr;
    canvas.height = size.height * dpr;
  }
  if (!ctx) return;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, size.width, size.height);
  if (!current || !state.viewport) return;
  const m = current;
  const v = state.viewport;
  const r = drawRect(v);
  // Source rectangle in cells: the viewport relative to the window the cells cover.
  const sx = ((v.col - m.window.col) * m.grid.cols) / m.window.cols;
  const sy = ((v.row - m.window.row) * m.grid.rows) / m.window.rows;
  const sw = (v.cols * m.grid.cols) / m.window.cols;
  const sh = (v.rows * m.grid.rows) / m.window.rows;
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(offscreen, sx, sy, sw, sh, r.x, r.y, r.w, r.h);
}

function paintCells(m: TensorMessage): void {
  offscreen.width = m.grid.cols;
  offscreen.height = m.grid.rows;
  const ctx = offscreen.getContext('2d')!;
  const image = ctx.createImageData(m.grid.cols, m.grid.rows);
  const scale = colorScale(state.colorMode, m.stats.min, m.stats.max);
  for (let i = 0; i < m.values.length; i++) {
    const [r, g, b] = colorOf(m.values[i]!, state.colorMode, scale);
    image.data[4 * i] = r;
    image.data[4 * i + 1] = g;
    image.data[4 * i + 2] = b;
    image.data[4 * i + 3] = 255;
  }
  ctx.putImageData(image, 0, 0);
}

function drawLegend(m: TensorMessage): void {
  const ctx = legend.getContext('2d');
  if (!ctx) return;
  legend.width = 256;
  legend.height = 1;
  const scale = colorScale(state.colorMode, m.stats.min, m.stats.max);
  const image = ctx.createImageData(256, 1);
  for (let x = 0; x < 256; x++) {
    const [r, g, b] = colorOf(scale[0] + ((scale[1] - scale[0]) * x) / 255, state.colorMode, scale);
    image.data.set([r, g, b, 255], 4 * x);
  }
  ctx.putImageData(image, 0, 0);
  legendLo.textContent = formatValue(scale[0]);
  legendHi.textContent = formatValue(scale[1]);
}

function cssColor(name: string, fallback: string): string {
  return getComputedStyle(document.body).getPropertyValue(name).trim() || fallback;
}

function drawHistogram(m: TensorMessage): void {
  const ctx = histogram.getContext('2d');
  if (!ctx) return;
  const rect = histogram.getBoundingClientRect();
  const dpr = window.devicePixelRatio || 1;
  histogram.width = Math.max(1, Math.floor(rect.width * dpr));
  histogram.height = Math.max(1, Math.floor(rect.height * dpr));
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  const counts = m.histogram.counts;
  const top = Math.max(1, ...counts);
  const w = rect.width / counts.length;
  ctx.fillStyle = cssColor('--vscode-charts-blue', cssColor('--vscode-foreground', '#888'));
  counts.forEach((c, i) => {
    const h = (c / top) * rect.height;
    ctx.fillRect(i * w, rect.height - h, Math.max(1, w - 1), h);
  });
  histogram.setAttribute('aria-label', `histogram of ${counts.length} bins from ${formatValue(m.histogram.min)} to ${formatValue(m.histogram.max)}`);
}

const formatValue = (x: number): string => (Number.isFinite(x) ? (x === 0 ? '0' : Math.abs(x) >= 1e4 || Math.abs(x) < 1e-4 ? x.toExponential(3) : x.toPrecision(4)) : String(x));

function renderStats(m: TensorMessage): void {
  const s = m.stats;
  const rows: [string, string][] = [
    ['shape', `[${m.shape.join(', ')}]`], ['dtype', m.dtype], ['count', (s.count ?? 0).toLocaleString('en-US')],
    ['mean', formatValue(s.mean)], ['std', formatValue(s.std)], ['min', formatValue(s.min)], ['max', formatValue(s.max)],
    ['zeros', `${((s.zeroFraction ?? 0) * 100).toFixed(2)}%`], ['L2 norm', formatValue(s.l2Norm ?? NaN)],
    ['view', m.exact ? 'exact values' : `${m.reduction} of ${(m.window.rows / m.grid.rows).toFixed(1)}×${(m.window.cols / m.grid.cols).toFixed(1)} elements per cell`],
  ];
  statsTable.replaceChildren(...rows.map(([k, v]) => {
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

// ------------------------------------------------------------------ pointer and keyboard

function elementAt(clientX: number, clientY: number): { row: number; col: number } | null {
  if (!current || !state.viewport) return null;
  const bounds = canvas.getBoundingClientRect();
  const v = state.viewport;
  const r = drawRect(v);
  const fx = (clientX - bounds.left - r.x) / r.w;
  const fy = (clientY - bounds.top - r.y) / r.h;
  if (fx < 0 || fx >= 1 || fy < 0 || fy >= 1) return null;
  return { row: Math.floor(v.row + fy * v.rows), col: Math.floor(v.col + fx * v.cols) };
}

function describe(row: number, col: number): string {
  const m = current!;
  const i = Math.floor(((row - m.window.row) * m.grid.rows) / m.window.rows);
  const j = Math.floor(((col - m.window.col) * m.grid.cols) / m.window.cols);
  if (i < 0 || j < 0 || i >= m.grid.rows || j >= m.grid.cols) return '';
  const value = m.values[i * m.grid.cols + j]!;
  const name = m.tensor.name || 'output';
  const index = `${name}[${tensorIndex(m.shape, row, col).join(', ')}]`;
  if (m.exact) return `${index} = ${formatValue(value)}`;
  const perCell = Math.round((m.window.rows / m.grid.rows) * (m.window.cols / m.grid.cols));
  return `${index} ≈ ${m.reduction} of ~${perCell} elements = ${formatValue(value)}`;
}

let drag: { x: number; y: number; viewport: Viewport } | null = null;

canvas.addEventListener('pointermove', (ev) => {
  if (drag && current && state.viewport) {
    const r = drawRect(drag.viewport);
    const v = drag.viewport;
    state.viewport = pan(v, (-(ev.clientY - drag.y) / r.h) * v.rows, (-(ev.clientX - drag.x) / r.w) * v.cols, current.folded);
    draw();
    request();
    return;
  }
  const at = elementAt(ev.clientX, ev.clientY);
  readout.textContent = at ? describe(at.row, at.col) : '';
});
canvas.addEventListener('pointerdown', (ev) => {
  if (!state.viewport) return;
  drag = { x: ev.clientX, y: ev.clientY, viewport: state.viewport };
  canvas.setPointerCapture(ev.pointerId);
});
const endDrag = (): void => { if (drag) { drag = null; save(); } };
canvas.addEventListener('pointerup', endDrag);
canvas.addEventListener('pointercancel', endDrag);
canvas.addEventListener('pointerleave', () => { if (!drag) readout.textContent = ''; });

canvas.addEventListener('wheel', (ev) => {
  if (!current || !state.viewport) return;
  ev.preventDefault();
  const bounds = canvas.getBoundingClientRect();
  const r = drawRect(state.viewport);
  const fx = Math.max(0, Math.min(1, (ev.clientX - bounds.left - r.x) / r.w));
  const fy = Math.max(0, Math.min(1, (ev.clientY - bounds.top - r.y) / r.h));
  state.viewport = zoom(state.viewport, ev.deltaY > 0 ? 1.25 : 0.8, fy, fx, current.folded);
  save();
  draw();
  request();
}, { passive: false });

canvas.addEventListener('keydown', (ev) => {
  if (!current || !state.viewport) return;
  const v = state.viewport;
  let next: Viewport | null = null;
  switch (ev.key) {
    case 'ArrowLeft': next = pan(v, 0, -Math.max(1, v.cols * 0.1), current.folded); break;
    case 'ArrowRight': next = pan(v, 0, Math.max(1, v.cols * 0.1), current.folded); break;
    case 'ArrowUp': next = pan(v, -Math.max(1, v.rows * 0.1), 0, current.folded); break;
    case 'ArrowDown': next = pan(v, Math.max(1, v.rows * 0.1), 0, current.folded); break;
    case '+': case '=': next = zoom(v, 0.8, 0.5, 0.5, current.folded); break;
    case '-': case '_': next = zoom(v, 1.25, 0.5, 0.5, current.folded); break;
    case '0': next = wholeTensor(current.folded); break;
    default: return;
  }
  ev.preventDefault();
  state.viewport = next;
  save();
  draw();
  request();
  // The keyboard's readout: the element at the centre of the view.
  readout.textContent = describe(Math.floor(next.row + next.rows / 2), Math.floor(next.col + next.cols / 2));
});

reductionSelect.addEventListener('change', () => {
  state.reduction = reductionSelect.value as Reduction;
  save();
  request();
});
colorSelect.addEventListener('change', () => {
  state.colorMode = colorSelect.value as ColorMode;
  save();
  if (current) { paintCells(current); drawLegend(current); draw(); }
});
runButton.addEventListener('click', () => {
  status.textContent = 'running forward…';
  vscode.postMessage({ type: 'runForward' });
});
new ResizeObserver(() => { draw(); if (current) request(); }).observe(canvas);

// ------------------------------------------------------------------ messages

function onTensor(m: TensorMessage): void {
  if (m.requestId !== latestRequest) return;
  if (!state.selected || refId(state.selected) !== refId(m.tensor)) return;
  current = m;
  state.viewport ??= wholeTensor(m.folded);
  save();
  status.textContent = '';
  paintCells(m);
  drawLegend(m);
  drawHistogram(m);
  renderStats(m);
  draw();
  document.body.dataset.painted = String(m.requestId);
}

window.addEventListener('message', (ev: MessageEvent<HostToWebview>) => {
  const m = ev.data;
  switch (m.type) {
    case 'model': {
      model = m;
      state.model = { uri: m.uri, className: m.className };
      save();
      document.body.dataset.model = m.className;
      renderTree();
      const known = treeEntries(m).some((e) => state.selected && e.id === refId(state.selected));
      if (state.selected && known) select(state.selected, state.viewport);
      else if (!state.selected && m.parameters[0]) select({ kind: 'parameter', name: m.parameters[0].name }, null);
      break;
    }
    case 'tensor': onTensor(m); break;
    case 'error':
      if (m.requestId === null || m.requestId === latestRequest) status.textContent = m.message;
      break;
  }
});

vscode.postMessage({ type: 'ready' });

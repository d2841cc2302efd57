// The weights panel: a tree of the model's parameters, buffers and module outputs (tree.ts); a
// heatmap of the selected tensor (folded to 2-D, protocol/tensor-fold.ts; painted by heatmap.ts)
// with zoom and pan that ask the host for new windows; optionally a second tensor of the same shape
// side by side (same scale, same view) or subtracted by the host; a legend, the exact value under
// the pointer, statistics and a histogram. It talks to its host only through
// protocol/weights-panel.ts messages and keeps its state in vscode.setState (state.ts).
import type { Reduction, TensorRef } from '../../language-server/protocol/requests.ts';
import { foldLayout } from '../../language-server/protocol/tensor-fold.ts';
import type { HostToWebview, SummaryMessage, TensorMessage } from '../../language-server/protocol/weights-panel.ts';
import { ChannelRanges } from './channel-ranges.ts';
import { Summaries } from './summaries.ts';
import type { ColorMode } from './colormap.ts';
import { foldLabel } from './fold-label.ts';
import { formatShape } from './format.ts';
import { drawPanes, paintCells, tableOf, type Pane } from './heatmap.ts';
import { paneAreas, viewRect } from './layout.ts';
import { drawLegend } from './legend.ts';
import { channelName, describe } from './readout.ts';
import { perChannelUnavailable, scaleOf, type Scale } from './scale.ts';
import { boundsFor, layoutOfMessage, paneRequests, sampleCount } from './selection.ts';
import { loadState, type CompareMode, type PanelState, type VsCodeApi } from './state.ts';
import { cssColor, drawHistogram, renderStats } from './stats.ts';
import { markAnswer, markPainted, markReady, markRequest, markSelect, markStatsShown, measureRepaint } from './timing.ts';
import { Tree, refId, refLabel } from './tree.ts';
import { attachViewInput } from './view-input.ts';
import { pan, wholeTensor, windowRequest, type Bounds, type Viewport } from './viewport.ts';

declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const state: PanelState = loadState(vscode.getState() as Partial<PanelState> | undefined);
const save = (): void => vscode.setState(state);

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
const title = $<HTMLElement>('title');
const canvas = $<HTMLCanvasElement>('heatmap');
const caption = $<HTMLElement>('caption');
const legendParts = { bar: $<HTMLCanvasElement>('legend'), lo: $<HTMLElement>('legend-lo'), hi: $<HTMLElement>('legend-hi'), note: $<HTMLElement>('legend-note') };
const readout = $<HTMLElement>('readout');
const statsTable = $<HTMLElement>('stats');
const histogram = $<HTMLCanvasElement>('histogram');
const status = $<HTMLElement>('status');
const compareMessage = $<HTMLElement>('compare-message');
const reductionSelect = $<HTMLSelectElement>('reduction');
const colorSelect = $<HTMLSelectElement>('colormap');
const perChannelBox = $<HTMLInputElement>('per-channel');
const sampleSelect = $<HTMLSelectElement>('sample');
const sampleLabel = $<HTMLElement>('sample-label');
const compareSelect = $<HTMLSelectElement>('compare-with');
const compareModeSelect = $<HTMLSelectElement>('compare-mode');
const runButton = $<HTMLButtonElement>('run-forward');
reductionSelect.value = state.reduction;
colorSelect.value = state.colorMode;
perChannelBox.checked = state.perChannel;
compareModeSelect.value = state.compare?.mode ?? 'side';

/** What each pane shows (index 0: the selection, or selection − compare; 1: the compared tensor side by side). */
let panes: (Pane | null)[] = [];
/** The latest request id per pane; answers to older ones are dropped. */
let latest: number[] = [];
let nextRequestId = 1;
let scale: Scale | null = null;
/** Channel ranges kept per tensor: the host sends them once per tensor, not with every window. */
const channelRanges = new ChannelRanges();
/** Summaries that came after their first answer (SummaryMessage), by summaryId: later answers naming one pending are completed from here. */
const lateSummaries = new Summaries();

const tree = new Tree($<HTMLUListElement>('tree'), {
  select: (ref) => select(ref),
  compareWith: (ref) => setCompare(ref),
  isSelected: (id) => state.selected !== null && refId(state.selected) === id,
  collapsed: () => state.collapsed,
  setCollapsed: (groups) => { state.collapsed = groups; save(); },
});

// ------------------------------------------------------------------ what is shown

const shapeOf = (ref: TensorRef): number[] | null => tree.all().find((e) => e.id === refId(ref))?.shape ?? null;
const labelOf = (ref: TensorRef): string => refLabel(tree.all(), ref);

function currentBounds(): Bounds | null {
  const m = panes[0]?.message;
  if (m) return boundsFor(m.shape, panes[0]!.layout, state.sample);
  const shape = state.selected ? shapeOf(state.selected) : null;
  return shape && state.selected ? boundsFor(shape, foldLayout(state.selected.kind, shape), state.sample) : null;
}

function select(ref: TensorRef, viewport: Viewport | null = null): void {
  markSelect();
  state.selected = ref;
  state.viewport = viewport;
  if (!viewport) state.sample = 0;
  panes = [];
  latest = [];
  compareMessage.textContent = '';
  if (state.compare && !sameShape(ref, state.compare.with)) {
    compareMessage.textContent = `No comparison: ${labelOf(ref)} ${shapeText(ref)} and ${labelOf(state.compare.with)} ${shapeText(state.compare.with)} differ in shape.`;
    state.compare = null;
  }
  save();
  tree.render();
  updateControls();
  request(true);
}

const shapeText = (ref: TensorRef): string => { const s = shapeOf(ref); return s ? formatShape(s) : '(not a tensor)'; };
function sameShape(a: TensorRef, b: TensorRef): boolean {
  const x = shapeOf(a);
  const y = shapeOf(b);
  return x !== null && y !== null && x.length === y.length && x.every((d, i) => d === y[i]);
}

/** Compare the selection with `ref`: refused with a message (and no request) when the shapes differ. */
function setCompare(ref: TensorRef | null, mode: CompareMode = state.compare?.mode ?? (compareModeSelect.value as CompareMode)): void {
  compareMessage.textContent = '';
  if (ref && state.selected && !sameShape(state.selected, ref)) {
    compareMessage.textContent = `Cannot compare ${labelOf(state.selected)} ${shapeText(state.selected)} with ${labelOf(ref)} ${shapeText(ref)}: the shapes differ.`;
    updateControls();
    return;
  }
  state.compare = ref && state.selected && refId(ref) !== refId(state.selected) ? { with: ref, mode } : null;
  panes = [];
  latest = [];
  markSelect();
  save();
  updateControls();
  request(true);
}

function updateControls(): void {
  title.textContent = state.selected ? labelOf(state.selected) : '';
  // The compare list: every other tensor; those of another shape are listed (choosing one says why it cannot be compared).
  const options = [new Option('— none —', '')];
  for (const e of tree.all()) {
    if (!e.ref || (state.selected && e.id === refId(state.selected))) continue;
    options.push(new Option(`${e.ref.kind === 'activation' ? e.label : e.ref.name} ${e.shape ? formatShape(e.shape) : ''}`.trimEnd(), e.id));
  }
  compareSelect.replaceChildren(...options);
  compareSelect.value = state.compare ? refId(state.compare.with) : '';
  compareModeSelect.value = state.compare?.mode ?? compareModeSelect.value;
  const c = state.compare;
  caption.textContent = !c || !state.selected ? ''
    : c.mode === 'side' ? `left: ${labelOf(state.selected)} · right: ${labelOf(c.with)} · one colour scale, one view`
      : `${labelOf(state.selected)} − ${labelOf(c.with)} (exact difference, computed by the host)`;
  // The sample selector: feature maps of more than one sample.
  const samples = sampleCount(state.selected, state.selected ? shapeOf(state.selected) : null);
  sampleLabel.hidden = samples <= 1;
  if (samples > 1 && sampleSelect.options.length !== samples) {
    sampleSelect.replaceChildren(...Array.from({ length: samples }, (_, n) => new Option(String(n), String(n))));
  }
  sampleSelect.value = String(state.sample);
}

// ------------------------------------------------------------------ requests

let requestQueued = false;
/**
 * Ask for the window on screen, for every pane: at most once per frame while zooming and panning;
 * `now` (a new selection) asks at once rather than a frame later (up to 16 ms of first paint).
 */
function request(now = false): void {
  if (now) { sendRequests(); return; }
  if (requestQueued) return;
  requestQueued = true;
  requestAnimationFrame(() => {
    requestQueued = false;
    sendRequests();
  });
}

function sendRequests(): void {
  const wanted = paneRequests(state);
  if (wanted.length === 0) return;
  const bounds = currentBounds();
  if (bounds && !state.viewport) state.viewport = wholeTensor(bounds);
  const size = canvasSize();
  const area = paneAreas(size, wanted.length === 2 ? 2 : 1)[0]!;
  // Known shape: ask for exactly the cells the view occupies on screen (no more), even the first time.
  const drawn = state.viewport ? viewRect(area, state.viewport) : null;
  const { window, grid } = state.viewport && drawn
    ? windowRequest(state.viewport, { width: drawn.w, height: drawn.h })
    : { window: null, grid: { rows: Math.max(1, Math.floor(area.h)), cols: Math.max(1, Math.floor(area.w)) } };
  status.textContent = 'loading…';
  if (panes.length !== wanted.length) panes = wanted.map(() => null);
  latest = wanted.map((w) => {
    const requestId = nextRequestId++;
    markRequest(requestId);
    const knownSummary = channelRanges.known(w.tensor, w.minus);
    // deferSummary: the first answer for a tensor comes with the colour scale only, the statistics after it (SummaryMessage).
    // deferChannelRange: not colouring per channel, the ranges (2 × 50,257 numbers for an embedding) need not hold up the first paint.
    vscode.postMessage({
      type: 'requestTensor', requestId, tensor: w.tensor, window, grid, reduction: state.reduction, minus: w.minus,
      ...(knownSummary ? { knownSummary } : {}), deferSummary: true, deferChannelRange: !state.perChannel,
    });
    return requestId;
  });
}

function canvasSize(): { width: number; height: number } {
  const rect = canvas.getBoundingClientRect();
  return { width: Math.max(1, Math.floor(rect.width)), height: Math.max(1, Math.floor(rect.height)) };
}

// ------------------------------------------------------------------ drawing

/** The panes once each has an answer (until then nothing is drawn: two panes must share one scale). */
function shownPanes(): Pane[] {
  if (panes.length === 0 || panes.length !== latest.length) return [];
  for (const p of panes) if (!p) return [];
  return panes as Pane[];
}
// Separators are gaps in the editor's background colour (VS Code always defines it; mid-grey outside VS Code).
const separatorColor = (): string => cssColor('--vscode-editor-background', '#808080');
const draw = (): void => drawPanes(canvas, canvasSize(), shownPanes(), state.viewport, separatorColor());

/** Recolours every pane (after an answer, a colour-map or normalisation change) and redraws. */
function repaint(): void {
  const shown = shownPanes();
  if (shown.length === 0) return;
  const start = performance.now();
  // Every layout and style read first, then only writes: one layout for the whole repaint.
  const size = canvasSize();
  const histogramBox = histogram.getBoundingClientRect();
  const separator = separatorColor();
  const bars = cssColor('--vscode-charts-blue', cssColor('--vscode-foreground', '#888'));
  const messages = shown.map((p) => p.message);
  scale = scaleOf(state.colorMode, messages, state.perChannel);
  for (const p of shown) paintCells(p, scale);
  drawPanes(canvas, size, shown, state.viewport, separator);
  const fallback = state.perChannel && !scale.channels ? perChannelUnavailable(messages) ?? 'per-channel scales of the compared tensors differ in layout: one scale' : null;
  drawLegend(legendParts, scale, channelName(messages[0]!), fallback);
  showStats(shown, histogramBox, bars);
  document.body.dataset.painted = String(Math.max(...messages.map((m) => m.requestId)));
  measureRepaint(start);
  markPainted();
}

/** The statistics table and histogram of the first pane; `box` and `bars` read before any DOM write. */
function showStats(shown: Pane[], box: { width: number; height: number }, bars: string): void {
  const m = shown[0]!.message;
  drawHistogram(histogram, box, bars, m);
  renderStats(statsTable, m, foldLabel(m.shape, shown[0]!.layout, m.tensor.kind), shown.length === 2 ? `statistics of the left tensor (${labelOf(m.tensor)})` : '');
  if (!m.summaryPending) markStatsShown();
}

/** The rest of a summary: the panes waiting for it get it, and the statistics are shown again (the heatmap is not repainted). */
function onSummary(s: SummaryMessage): void {
  lateSummaries.add(s);
  let changed = false;
  let ranges = false;
  panes = panes.map((p) => {
    if (!p || p.message.summaryId !== s.summaryId || !p.message.summaryPending) return p;
    changed = true;
    ranges ||= p.message.channelRangePending === true;
    const done = lateSummaries.complete(p.message);
    // Ranges that came with the summary are kept for later windows (ChannelRanges), as if sent first.
    return { ...p, message: channelRanges.complete(done) ?? done };
  });
  const shown = shownPanes();
  if (!changed || shown.length === 0) return;
  // Channel ranges asked for meanwhile (per-channel switched on): the scale changes, repaint all.
  if (ranges && state.perChannel) { repaint(); return; }
  showStats(shown, histogram.getBoundingClientRect(), cssColor('--vscode-charts-blue', cssColor('--vscode-foreground', '#888')));
}

// ------------------------------------------------------------------ pointer and keyboard

attachViewInput(canvas, {
  viewport: () => state.viewport,
  bounds: () => currentBounds(),
  paneCount: () => shownPanes().length,
  setViewport: (v, keep) => {
    state.viewport = v;
    if (keep) save();
    draw();
    request();
  },
  saveViewport: save,
  describe: (pane, row, col) => describe(shownPanes(), scale, pane, row, col),
  showReadout: (text) => { readout.textContent = text; },
});

// ------------------------------------------------------------------ controls

reductionSelect.addEventListener('change', () => {
  state.reduction = reductionSelect.value as Reduction;
  save();
  request();
});
colorSelect.addEventListener('change', () => {
  state.colorMode = colorSelect.value as ColorMode;
  save();
  repaint();
});
perChannelBox.addEventListener('change', () => {
  state.perChannel = perChannelBox.checked;
  save();
  repaint();
});
sampleSelect.addEventListener('change', () => {
  const before = currentBounds();
  state.sample = Number(sampleSelect.value);
  const after = currentBounds();
  // Same zoom and place inside the other sample's band.
  if (before && after && state.viewport) state.viewport = pan({ ...state.viewport, row: state.viewport.row - before.row + after.row }, 0, 0, after);
  save();
  draw();
  request();
});
compareSelect.addEventListener('change', () => {
  const entry = tree.all().find((e) => e.id === compareSelect.value);
  setCompare(entry?.ref ?? null);
});
compareModeSelect.addEventListener('change', () => {
  if (state.compare) setCompare(state.compare.with, compareModeSelect.value as CompareMode);
});
runButton.addEventListener('click', () => {
  status.textContent = 'running forward…';
  vscode.postMessage({ type: 'runForward' });
});
new ResizeObserver(() => { draw(); if (shownPanes().length > 0) request(); }).observe(canvas);

// ------------------------------------------------------------------ messages

function onTensor(sent: TensorMessage): void {
  const p = latest.indexOf(sent.requestId);
  if (p < 0) return;
  // A summary still pending here may have come already (another pane, an earlier window).
  const m = channelRanges.complete(lateSummaries.complete(sent));
  // Ranges left out that this panel does not have (not expected): ask again without naming a summary.
  if (!m) { request(true); return; }
  markAnswer(m.requestId);
  const layout = layoutOfMessage(m);
  panes[p] = { message: m, layout, cells: panes[p]?.cells ?? document.createElement('canvas') };
  if (p === 0) {
    const bounds = boundsFor(m.shape, layout, state.sample);
    state.viewport ??= wholeTensor(bounds);
    save();
  }
  if (shownPanes().length === 0) return;
  status.textContent = '';
  repaint();
}

window.addEventListener('message', (ev: MessageEvent<HostToWebview>) => {
  const m = ev.data;
  switch (m.type) {
    case 'model': {
      const arrived = performance.now();
      state.model = { uri: m.uri, className: m.className };
      document.body.dataset.model = m.className;
      tree.setModel(m);
      if (state.compare && !tree.all().some((e) => e.id === refId(state.compare!.with))) state.compare = null;
      const known = (r: TensorRef | null | undefined): r is TensorRef => !!r && tree.all().some((e) => e.id === refId(r));
      // The host asks for a tensor (a hover's link), else the saved selection comes back, else the first parameter.
      // The host names the tensor it last showed too: when that is the saved selection (the panel
      // shown again after being hidden), the saved view (zoom and place) stays.
      if (known(m.select)) select(m.select, known(state.selected) && refId(state.selected) === refId(m.select) ? state.viewport : null);
      else if (known(state.selected)) select(state.selected, state.viewport);
      else if (m.parameters[0]) select({ kind: 'parameter', name: m.parameters[0].name });
      else { save(); break; }
      // First paint counts from the message's arrival, the tree's rendering included (the answer comes later).
      markSelect(arrived);
      break;
    }
    case 'tensor': onTensor(m); break;
    case 'summary': onSummary(m); break;
    case 'error':
      if (m.requestId === null || latest.includes(m.requestId)) status.textContent = m.message;
      break;
  }
});

vscode.postMessage({ type: 'ready' });
markReady();
// While the host prepares the model message: build the colour table the first paint needs.
tableOf(state.colorMode);

// Loads the real weights panel bundle (built fresh by scripts/build.mjs's buildWebviews) in headless
// Debian chromium, in the page VS Code would serve (webviews/weights/page.ts: the real CSP and nonce),
// with a stub `acquireVsCodeApi` whose state lives in sessionStorage (so a reload is a hidden and
// re-shown panel) and whose postMessage reaches the test's host. The host answers tensor requests
// with the server's own downsampling (language-server/lsp/forward-tensor-view.ts) over tensors the
// test supplies, cut through the shared fold (protocol/tensor-fold.ts, feature maps included), with
// `minus` (the exact difference) and `channelRange` computed here from the full values as the
// contract says, sent once per tensor as the server does (left out when the webview names the
// summary it has), and the server's overview (lsp/tensor-overview.ts) for big tensors. Every CSP violation is recorded; `violations()` must stay empty.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { weightsPanelHtml } from '../../webviews/weights/page.ts';
import type { HostToWebview, ModelMessage, RequestTensorMessage, SummaryMessage, WebviewToHost } from '../../language-server/protocol/weights-panel.ts';
import type { TensorRef, TensorStats } from '../../language-server/protocol/requests.ts';
import { foldLayout, foldShape } from '../../language-server/protocol/tensor-fold.ts';
import { summarize, tensorView, type TensorView, type ViewRequest } from '../../language-server/lsp/forward-tensor-view.ts';
import { buildOverview, overviewMinElements, type Overview } from '../../language-server/lsp/tensor-overview.ts';

export const root = path.resolve(import.meta.dirname, '../..');
export const origin = 'https://webview.nnlens.test';
export const chromiumPath = '/usr/bin/chromium';
export const chromiumArgs = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking'];

let bundle: Promise<string> | null = null;
export function webviewBundle(): Promise<string> {
  bundle ??= (async () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'nnlens-webview-test-'));
    const { buildWebviews } = await import(pathToFileURL(path.join(root, 'scripts/build.mjs')).href);
    await buildWebviews(outdir);
    process.once('exit', () => fs.rmSync(outdir, { recursive: true, force: true }));
    return outdir;
  })();
  return bundle;
}

const stubScript = `
window.__fromWebview = [];
window.acquireVsCodeApi = () => ({
  postMessage: (m) => { window.__fromWebview.push(m); window.__toHost(m); },
  getState: () => { const s = sessionStorage.getItem('state'); return s ? JSON.parse(s) : undefined; },
  setState: (s) => sessionStorage.setItem('state', JSON.stringify(s)),
});`;

export interface HeldTensor { shape: number[]; values: Float32Array }

/** The held tensor for a reference: `activation/name#call` first, then `kind/name`. */
export function heldFor(tensors: Map<string, HeldTensor>, r: TensorRef): HeldTensor | undefined {
  return (r.kind === 'activation' ? tensors.get(`activation/${r.name}#${r.call ?? 0}`) : undefined) ?? tensors.get(`${r.kind}/${r.name}`);
}

/** A window of the tensor folded as the panel folds it (the host's layout for its kind: feature maps for activations of rank ≥ 4). */
export function viewOf(kind: TensorRef['kind'], shape: number[], values: Float32Array, request: ViewRequest, overview?: Overview | null): TensorView {
  return tensorView(values, shape, { ...request, layout: foldLayout(kind, shape) }, overview);
}

/** Per-channel minimum and maximum as GetTensorResult.channelRange documents it (dim 0, or 1 for activations of rank ≥ 3). */
export function channelRangeOf(kind: TensorRef['kind'], shape: number[], values: Float32Array): { dim: number; min: number[]; max: number[] } | null {
  if (shape.length < 2) return null;
  const dim = kind === 'activation' && shape.length >= 3 ? 1 : 0;
  const size = shape[dim]!;
  const inner = shape.slice(dim + 1).reduce((a, b) => a * b, 1);
  const min = new Array<number>(size).fill(Infinity);
  const max = new Array<number>(size).fill(-Infinity);
  // Walk [outer, channel, inner] blocks: no division per element (the bench holds 38.6 M values).
  for (let i = 0; i < values.length;) {
    for (let c = 0; c < size; c++) {
      let lo = min[c]!;
      let hi = max[c]!;
      for (const end = i + inner; i < end; i++) {
        const v = values[i]!;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      min[c] = lo;
      max[c] = hi;
    }
  }
  return { dim, min, max };
}

export interface Harness {
  page: Page;
  /** What the webview sent, in order. */
  sent: WebviewToHost[];
  violations(): Promise<string[]>;
  /** Uncaught exceptions in the page, in order; must stay empty. */
  pageErrors: string[];
  post(m: HostToWebview): Promise<void>;
  /** Waits until the webview sent more than `after` tensor requests and painted the answer to its latest. */
  painted(after?: number): Promise<void>;
  hostMs: number[];
  /** Per answer, how many channels' ranges it carried (0: none, or left out because the webview named them as known). */
  channelRangesSent: number[];
  /** With `deferSummaries`: sends the summaries held back so far (SummaryMessage), as the host does once the server has them; later answers carry them whole. */
  releaseSummaries(): Promise<void>;
  /** How many tensor requests the webview sent so far. */
  requests(): number;
  close(): Promise<void>;
  /** After a test: no CSP violation and no uncaught error happened in the panel; then closes it. */
  closeChecked(): Promise<void>;
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumArgs });
}

/** Opens the panel page; `tensors` (by `kind/name`) answer its requests; `model` is sent on `ready`. */
export interface PanelOptions {
  /**
   * Compute each held tensor's statistics, histogram and channel ranges before the page opens (the
   * bench: a host that has them cached, so a first paint measures cutting the window, the transport
   * and the webview; the stats pass is reported on its own).
   */
  presummarize?: boolean;
  /** devicePixelRatio of the page (HiDPI screens: 2). */
  deviceScaleFactor?: number;
  /**
   * Answers tensor requests instead of the held tensors (scripts/bench-webview.ts --server: the
   * real language server behind a copy of the extension host's translation); `hostMs` then times it.
   */
  answer?: (m: RequestTensorMessage, post: (m: HostToWebview) => Promise<void>) => Promise<HostToWebview>;
  /**
   * Answer requests that set `deferSummary` as the server does a tensor's first answer: cells, min,
   * max, count and channel ranges with `summaryPending`; the statistics and histogram are held back
   * until `releaseSummaries()`.
   */
  deferSummaries?: boolean;
}

/**
 * What the host computes once per tensor, as the tensor worker does: the summary (with an id the
 * webview names to skip channel ranges it has) and, for a big tensor, the overview.
 */
type Summary = { id: string; stats: TensorStats; histogram: { min: number; max: number; counts: number[] }; channelRange: ReturnType<typeof channelRangeOf>; overview: Overview | null };
let summaryCount = 0;
const summaryOf = (kind: TensorRef['kind'], shape: number[], values: Float32Array, withOverview: boolean): Summary => {
  const { stats, histogram } = summarize(values);
  const overview = withOverview && values.length >= overviewMinElements ? buildOverview(values, shape, foldLayout(kind, shape)) : null;
  return { id: `harness-${++summaryCount}`, stats, histogram, channelRange: channelRangeOf(kind, shape, values), overview };
};
/** The kind a held tensor's map key names (`parameter/…`, `activation/…#call`). */
const kindOfKey = (key: string): TensorRef['kind'] => key.slice(0, key.indexOf('/')) as TensorRef['kind'];

export async function openPanel(browser: Browser, model: ModelMessage, tensors: Map<string, HeldTensor>, viewport = { width: 1000, height: 700 }, options: PanelOptions = {}): Promise<Harness> {
  const dir = await webviewBundle();
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('base64');
  const html = weightsPanelHtml({ cspSource: origin, nonce, scriptUri: `${origin}/weights.js`, styleUri: `${origin}/weights.css`, title: `Weights of ${model.className}` })
    .replace('<script nonce=', `<script nonce="${nonce}" src="${origin}/stub.js"></script>\n<script nonce=`);
  const context = await browser.newContext({ viewport, deviceScaleFactor: options.deviceScaleFactor ?? 1 });
  const page = await context.newPage();
  await page.addInitScript(() => {
    const w = window as unknown as { __violations: string[] };
    w.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => w.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  await page.route(`${origin}/**`, async (route) => {
    const name = new URL(route.request().url()).pathname.slice(1);
    if (name === 'index.html') return route.fulfill({ contentType: 'text/html', body: html });
    if (name === 'stub.js') return route.fulfill({ contentType: 'text/javascript', body: stubScript });
    const file = path.join(dir, path.basename(name));
    if (!fs.existsSync(file)) return route.fulfill({ status: 404, body: '' });
    return route.fulfill({ contentType: name.endsWith('.css') ? 'text/css' : 'text/javascript', body: fs.readFileSync(file) });
  });
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  const sent: WebviewToHost[] = [];
  /** Called after each message from the webview; each returns true when done waiting. */
  let waiters: (() => boolean)[] = [];
  // Tensor values cross into the page as base64 and become a Float32Array there, as postMessage
  // delivers them; the rest as one JSON string (Playwright's own argument encoding takes ~0.4 s for
  // the 2 × 50,257 numbers of an embedding's channel ranges, which VS Code's structured clone does not).
  /** Set by close(): an answer still in flight then has no page to go to (not an error of the panel). */
  let closed = false;
  const post = (m: HostToWebview): Promise<void> => page.evaluate(([json, b64]) => {
    const msg = JSON.parse(json) as Record<string, unknown>;
    if (b64 === null) { window.postMessage(msg, '*'); return; }
    const text = atob(b64);
    const bytes = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
    window.postMessage({ ...msg, values: new Float32Array(bytes.buffer) }, '*');
  }, m.type === 'tensor'
    ? [JSON.stringify({ ...m, values: null }), Buffer.from(m.values.buffer, m.values.byteOffset, m.values.byteLength).toString('base64')] as const
    : [JSON.stringify(m), null] as const).catch((e: unknown) => { if (!closed) throw e; });
  /** Of held tensors, and of differences by `a - b` key. */
  const summaries = new WeakMap<HeldTensor, Summary>();
  const differences = new Map<string, Summary>();
  if (options.presummarize) for (const [key, t] of tensors) summaries.set(t, summaryOf(kindOfKey(key), t.shape, t.values, true));
  /** Host-side milliseconds spent reducing windows (what the tensor worker does), per request. */
  const hostMs: number[] = [];
  /** Per answer, how many channels' ranges it carried (0: none, or left out as known). */
  const channelRangesSent: number[] = [];
  /** Summaries held back (deferSummaries) and those sent since. */
  const held: SummaryMessage[] = [];
  const released = new Set<string>();
  await page.exposeFunction('__toHost', (m: WebviewToHost) => {
    sent.push(m);
    waiters = waiters.filter((w) => !w());
    if (m.type === 'ready') void post(model);
    if (m.type !== 'requestTensor') return;
    if (options.answer) {
      const t0 = performance.now();
      void options.answer(m, post).then((answer) => { hostMs.push(performance.now() - t0); return post(answer); });
      return;
    }
    const t = heldFor(tensors, m.tensor);
    const b = m.minus ? heldFor(tensors, m.minus) : undefined;
    if (!t || (m.minus && !b)) { void post({ type: 'error', requestId: m.requestId, message: `no ${t ? m.minus!.name : m.tensor.name}` }); return; }
    if (b && b.shape.join() !== t.shape.join()) { void post({ type: 'error', requestId: m.requestId, message: 'shapes differ' }); return; }
    const t0 = performance.now();
    const key = `${m.tensor.kind}/${m.tensor.name}#${m.tensor.call ?? 0}`;
    const values = b ? Float32Array.from(t.values, (v, i) => v - b.values[i]!) : t.values;
    let summary = b ? differences.get(`${key} - ${m.minus!.kind}/${m.minus!.name}#${m.minus!.call ?? 0}`) : summaries.get(t);
    if (!summary) {
      // A difference is made anew for each request here: no overview for it (the worker keeps the last one).
      summary = summaryOf(m.tensor.kind, t.shape, values, !b);
      if (b) differences.set(`${key} - ${m.minus!.kind}/${m.minus!.name}#${m.minus!.call ?? 0}`, summary);
      else summaries.set(t, summary);
    }
    const view = viewOf(m.tensor.kind, t.shape, values, { ...(m.window ? { window: m.window } : {}), grid: m.grid, reduction: m.reduction }, b ? null : summary.overview);
    const { channelRange } = summary;
    // As the server: ranges the webview names as known (knownSummary) are not sent again.
    const omit = channelRange !== null && m.knownSummary === summary.id;
    hostMs.push(performance.now() - t0);
    const pending = options.deferSummaries === true && m.deferSummary === true && !released.has(summary.id);
    // As the server: ranges held back (deferChannelRange) on a pending answer come with the summary.
    const rangesLater = pending && !omit && channelRange !== null && m.deferChannelRange === true;
    const heldBack = held.find((x) => x.summaryId === summary.id);
    if (pending && !heldBack) held.push({ type: 'summary', summaryId: summary.id, stats: summary.stats as Required<TensorStats>, histogram: summary.histogram, ...(rangesLater ? { channelRange: channelRange! } : {}) });
    else if (rangesLater && heldBack && !('error' in heldBack)) heldBack.channelRange = channelRange!;
    channelRangesSent.push(omit || rangesLater ? 0 : channelRange?.min.length ?? 0);
    const { stats, histogram } = pending
      ? { stats: { min: summary.stats.min, max: summary.stats.max, count: summary.stats.count }, histogram: { min: summary.stats.min, max: summary.stats.max, counts: [] } }
      : summary;
    void post({
      type: 'tensor', requestId: m.requestId, tensor: m.tensor, shape: t.shape, dtype: 'float32', folded: foldShape(t.shape, foldLayout(m.tensor.kind, t.shape)), window: view.window,
      grid: view.grid, exact: view.exact, reduction: view.reduction, minus: m.minus, stats, channelRange: omit || rangesLater ? null : channelRange, histogram, values: view.cells,
      summaryId: summary.id, ...(omit ? { channelRangeOmitted: true } : {}), ...(pending ? { summaryPending: true } : {}), ...(rangesLater ? { channelRangePending: true } : {}),
    });
  });
  await page.goto(`${origin}/index.html`);
  const harness: Omit<Harness, 'closeChecked'> = {
    page,
    sent,
    hostMs,
    channelRangesSent,
    pageErrors,
    violations: () => page.evaluate(() => (window as unknown as { __violations: string[] }).__violations),
    post,
    painted: async (after = 0) => {
      const count = (): number => sent.filter((x) => x.type === 'requestTensor').length;
      if (count() <= after) {
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`the webview sent no tensor request after the ${after}th`)), 10_000);
          waiters.push(() => { if (count() > after) { clearTimeout(timer); resolve(); return true; } return false; });
        });
      }
      const last = sent.filter((x): x is RequestTensorMessage => x.type === 'requestTensor').at(-1)!.requestId;
      await page.waitForFunction((id) => Number(document.body.dataset.painted ?? -1) >= id, last, { timeout: 10_000 });
    },
    requests: () => sent.filter((m) => m.type === 'requestTensor').length,
    releaseSummaries: async () => {
      for (const m of held.splice(0)) { released.add(m.summaryId); await post(m); }
    },
    close: () => { closed = true; return context.close(); },
  };
  return {
    ...harness,
    closeChecked: async () => {
      assert.deepEqual(await harness.violations(), [], 'CSP violations');
      assert.deepEqual(harness.pageErrors, [], 'uncaught errors in the panel');
      await harness.close();
    },
  };
}

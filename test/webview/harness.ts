// Loads the real weights panel bundle (built fresh by scripts/build.mjs's buildWebviews) in headless
// Debian chromium, in the page VS Code would serve (webviews/weights/page.ts: the real CSP and nonce),
// with a stub `acquireVsCodeApi` whose state lives in sessionStorage (so a reload is a hidden and
// re-shown panel) and whose postMessage reaches the test's host. The host answers tensor requests
// with the server's own downsampling (language-server/lsp/forward-tensor-view.ts) over tensors the
// test supplies. Every CSP violation is recorded; `violations()` must stay empty.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { weightsPanelHtml } from '../../webviews/weights/page.ts';
import type { HostToWebview, ModelMessage, RequestTensorMessage, WebviewToHost } from '../../language-server/protocol/weights-panel.ts';
import { summarize, tensorView } from '../../language-server/lsp/forward-tensor-view.ts';

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

export interface Harness {
  page: Page;
  /** What the webview sent, in order. */
  sent: WebviewToHost[];
  violations(): Promise<string[]>;
  post(m: HostToWebview): Promise<void>;
  /** Waits until the webview sent more than `after` tensor requests and painted the answer to its latest. */
  painted(after?: number): Promise<void>;
  hostMs: number[];
  /** How many tensor requests the webview sent so far. */
  requests(): number;
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumArgs });
}

/** Opens the panel page; `tensors` (by `kind/name`) answer its requests; `model` is sent on `ready`. */
export async function openPanel(browser: Browser, model: ModelMessage, tensors: Map<string, HeldTensor>, viewport = { width: 1000, height: 700 }): Promise<Harness> {
  const dir = await webviewBundle();
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('base64');
  const html = weightsPanelHtml({ cspSource: origin, nonce, scriptUri: `${origin}/weights.js`, styleUri: `${origin}/weights.css`, title: `Weights of ${model.className}` })
    .replace('<script nonce=', `<script nonce="${nonce}" src="${origin}/stub.js"></script>\n<script nonce=`);
  const context = await browser.newContext({ viewport });
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
  const sent: WebviewToHost[] = [];
  /** Called after each message from the webview; each returns true when done waiting. */
  let waiters: (() => boolean)[] = [];
  // Tensor values cross into the page as base64 and become a Float32Array there, as postMessage delivers them.
  const post = (m: HostToWebview): Promise<void> => page.evaluate((msg) => {
    const m2 = msg as { type: string; values?: string };
    if (m2.type !== 'tensor') { window.postMessage(m2, '*'); return; }
    const bytes = Uint8Array.from(atob(m2.values!), (c) => c.charCodeAt(0));
    window.postMessage({ ...m2, values: new Float32Array(bytes.buffer) }, '*');
  }, (m.type === 'tensor' ? { ...m, values: Buffer.from(m.values.buffer, m.values.byteOffset, m.values.byteLength).toString('base64') } : m) as unknown as Record<string, unknown>);
  const summaries = new WeakMap<HeldTensor, ReturnType<typeof summarize>>();
  /** Host-side milliseconds spent reducing windows (what the tensor worker does), per request. */
  const hostMs: number[] = [];
  await page.exposeFunction('__toHost', (m: WebviewToHost) => {
    sent.push(m);
    waiters = waiters.filter((w) => !w());
    if (m.type === 'ready') void post(model);
    if (m.type !== 'requestTensor') return;
    const t = tensors.get(`${m.tensor.kind}/${m.tensor.name}`);
    if (!t) { void post({ type: 'error', requestId: m.requestId, message: `no ${m.tensor.name}` }); return; }
    const t0 = performance.now();
    const view = tensorView(t.values, t.shape, { ...(m.window ? { window: m.window } : {}), grid: m.grid, reduction: m.reduction });
    if (!summaries.has(t)) summaries.set(t, summarize(t.values));
    const { stats, histogram } = summaries.get(t)!;
    hostMs.push(performance.now() - t0);
    void post({
      type: 'tensor', requestId: m.requestId, tensor: m.tensor, shape: t.shape, dtype: 'float32', folded: view.folded, window: view.window,
      grid: view.grid, exact: view.exact, reduction: view.reduction, stats, histogram, values: view.cells,
    });
  });
  await page.goto(`${origin}/index.html`);
  return {
    page,
    sent,
    hostMs,
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
    close: () => context.close(),
  };
}

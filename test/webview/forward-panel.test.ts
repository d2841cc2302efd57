// The forward results panel in a real browser (headless Debian chromium, the real bundle and CSP,
// the page the host serves): the device with the fallback reason, the printed output verbatim, the
// table of module calls, the failure message, and state across a reload. No CSP violation is allowed.
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { forwardPanelHtml } from '../../webviews/forward/page.ts';
import type { ForwardHostToWebview, ForwardWebviewToHost } from '../../language-server/protocol/forward-panel.ts';
import type { RunForwardResult } from '../../language-server/protocol/requests.ts';
import { chromiumPath, launchBrowser, origin, webviewBundle } from './harness.ts';

const available = fs.existsSync(chromiumPath);
const skip = available ? false : `${chromiumPath} is missing (apt-get install chromium)`;

const printed = 'tensor([[ 0.0123, -0.0456,  0.1000],\n        [ 1.0000,  2.0000, -3.0000]], grad_fn=<AddmmBackward0>)';
const result: RunForwardResult = {
  className: 'Network', device: 'cpu', seed: 0,
  fallback: { requested: 'webgpu', reason: 'WebGPU is unavailable (no adapter); the forward ran on the CPU' },
  printed, outputShape: [2, 3],
  calls: [
    { path: '', type: 'Network', outputShape: [2, 3], ms: 1.5, mean: 0.5, std: 1.25, min: -3, max: 2 },
    { path: 'conv1', type: 'Conv2d', outputShape: [2, 6, 24, 24], ms: 0.25, mean: -0.0125, std: 0.5, min: -1.5, max: 1.75 },
    { path: 'fc', type: 'Linear', outputShape: { tuple: [[2, 3], null] }, ms: 0.125, mean: null, std: null, min: null, max: null },
  ],
  timings: { totalMs: 42.25, parseMs: 1, evaluateMs: 2, modelMs: 30 },
};

const stubScript = `
window.acquireVsCodeApi = () => ({
  postMessage: (m) => window.__toHost(m),
  getState: () => { const s = sessionStorage.getItem('state'); return s ? JSON.parse(s) : undefined; },
  setState: (s) => sessionStorage.setItem('state', JSON.stringify(s)),
});`;

let browser: Browser;
let context: BrowserContext;
let page: Page;
let sent: ForwardWebviewToHost[];
before(async () => { if (available) browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

const post = (m: ForwardHostToWebview): Promise<void> => page.evaluate((msg) => { window.postMessage(msg, '*'); }, m as unknown as Record<string, unknown>);

describe('forward results panel webview', { skip }, () => {
  beforeEach(async () => {
    const dir = await webviewBundle();
    const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('base64');
    const html = forwardPanelHtml({ cspSource: origin, nonce, scriptUri: `${origin}/forward.js`, styleUri: `${origin}/forward.css`, title: 'Forward' })
      .replace('<script nonce=', `<script nonce="${nonce}" src="${origin}/stub.js"></script>\n<script nonce=`);
    context = await browser.newContext({ viewport: { width: 1000, height: 700 } });
    page = await context.newPage();
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
    sent = [];
    await page.exposeFunction('__toHost', (m: ForwardWebviewToHost) => { sent.push(m); });
    await page.goto(`${origin}/index.html`);
    await page.waitForFunction(() => document.readyState === 'complete');
  });
  afterEach(async () => {
    assert.deepEqual(await page.evaluate(() => (window as unknown as { __violations: string[] }).__violations), [], 'CSP violations');
    await context.close();
  });

  test('a result: device and fallback reason, the printed output verbatim in monospace, every call, the total', async () => {
    assert.deepEqual(sent, [{ type: 'ready' }]);
    await post({ type: 'running', className: 'Network', device: 'auto' });
    await page.waitForFunction(() => document.body.dataset.state === 'running');
    assert.match((await page.locator('#status').textContent())!, /Running Network forward on WebGPU if available, else the CPU…/);
    await post({ type: 'running', className: 'Network', device: 'webgpu' });
    assert.match((await page.locator('#status').textContent())!, /Running Network forward on WebGPU…/);
    assert.equal(await page.locator('#rerun').isDisabled(), true);
    await post({ type: 'result', result });
    await page.waitForFunction(() => document.body.dataset.state === 'result');
    assert.equal(await page.locator('#printed').textContent(), printed);
    assert.match(await page.locator('#printed').evaluate((e) => getComputedStyle(e).whiteSpace), /^pre/);
    const device = await page.locator('#device').evaluate((dl) => [...dl.children].map((c) => c.textContent));
    assert.deepEqual(device, ['device', 'CPU', 'fallback', 'requested webgpu: WebGPU is unavailable (no adapter); the forward ran on the CPU', 'seed', '0 (inputs 1)']);
    const rows = await page.locator('#calls tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
    assert.deepEqual(rows, [
      ['(Network)', 'Network', '[2, 3]', '1.50', '0.5000', '1.2500', '-3.0000', '2.0000'],
      ['conv1', 'Conv2d', '[2, 6, 24, 24]', '0.25', '-0.0125', '0.5000', '-1.5000', '1.7500'],
      ['fc', 'Linear', '([2, 3], None)', '0.13', '—', '—', '—', '—'],
    ]);
    assert.match((await page.locator('#total').textContent())!, /^Total 42\.3 ms/);
    assert.equal(await page.locator('#error').isHidden(), true);
    await page.locator('#rerun').click();
    assert.deepEqual(sent.at(-1), { type: 'rerun' });
  });

  test('a webgpu result names the adapter; a failure shows its message; the last message survives a reload', async () => {
    await post({ type: 'result', result: { ...result, device: 'webgpu', adapter: 'llvmpipe (dawn)', fallback: undefined } as RunForwardResult });
    await page.waitForFunction(() => document.body.dataset.state === 'result');
    const device = await page.locator('#device').evaluate((dl) => [...dl.children].map((c) => c.textContent));
    assert.deepEqual(device.slice(0, 4), ['device', 'WebGPU', 'adapter', 'llvmpipe (dawn)']);
    await post({ type: 'failed', className: 'Network', message: "Network's forward fails: RuntimeError: mat1 and mat2 shapes cannot be multiplied" });
    await page.waitForFunction(() => document.body.dataset.state === 'failed');
    assert.equal(await page.locator('#error').textContent(), "Network's forward fails: RuntimeError: mat1 and mat2 shapes cannot be multiplied");
    assert.equal(await page.locator('#calls tbody tr').count(), 0);
    await page.reload();
    await page.waitForFunction(() => document.body.dataset.state === 'failed');
    assert.match((await page.locator('#error').textContent())!, /mat1 and mat2/);
  });
});

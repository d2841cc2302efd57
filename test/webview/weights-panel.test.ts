// The weights panel in a real browser (headless Debian chromium, the real bundle and CSP): the tree,
// heatmap pixels against the colour map, the readout under the pointer, zoom, pan and keyboard,
// state across a reload (a hidden panel), and a screenshot per theme. No CSP violation is allowed.
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import type { ModelMessage, RequestTensorMessage } from '../../language-server/protocol/weights-panel.ts';
import { colorOf, colorScale } from '../../webviews/weights/colormap.ts';
import { chromiumPath, launchBrowser, openPanel, root, type Harness, type HeldTensor } from './harness.ts';
import { cellCentre as centreOf, pixel as pixelAt } from './pixels.ts';

const available = fs.existsSync(chromiumPath);
const skip = available ? false : `${chromiumPath} is missing (apt-get install chromium)`;

// A conv weight [2, 1, 3, 3] with known values: -0.85, -0.75, ..., 0.85 (step 0.1).
const convShape = [2, 1, 3, 3];
const convValues = Float32Array.from({ length: 18 }, (_, i) => -0.85 + 0.1 * i);
const model: ModelMessage = {
  type: 'model', className: 'Tiny', uri: 'file:///tiny.py',
  parameters: [
    { name: 'conv1.weight', shape: convShape, count: 18 },
    { name: 'conv1.bias', shape: [2], count: 2 },
    { name: 'fc.weight', shape: [64, 48], count: 3072 },
  ],
  buffers: [],
  activations: [{ path: 'conv1', type: 'Conv2d', shape: [1, 2, 4, 4], call: 1 }],
};
const tensors = new Map<string, HeldTensor>([
  ['parameter/conv1.weight', { shape: convShape, values: convValues }],
  ['parameter/conv1.bias', { shape: [2], values: Float32Array.of(0.5, -0.25) }],
  ['parameter/fc.weight', { shape: [64, 48], values: Float32Array.from({ length: 3072 }, (_, i) => Math.sin(i / 7)) }],
  ['activation/conv1', { shape: [1, 2, 4, 4], values: Float32Array.from({ length: 32 }, (_, i) => i - 16) }],
]);

let browser: Browser;
let h: Harness;
before(async () => { if (available) browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

const cellCentre = (rows: number, cols: number, row: number, col: number): ReturnType<typeof centreOf> => centreOf(h.page, { rows, cols }, row, col);
const pixel = (x: number, y: number): ReturnType<typeof pixelAt> => pixelAt(h.page, x, y);

const lastRequest = (): RequestTensorMessage => h.sent.filter((m): m is RequestTensorMessage => m.type === 'requestTensor').at(-1)!;

describe('weights panel webview', { skip }, () => {
  beforeEach(async () => {
    h = await openPanel(browser, model, tensors);
    await h.painted();
  });
  afterEach(async () => {
    await h.closeChecked();
  });

  test('the tree lists modules and parameters with shapes and counts; the first parameter is shown', async () => {
    const items = await h.page.locator('#tree li').evaluateAll((lis) => lis.map((li) => [li.getAttribute('aria-level'), li.querySelector('.name')!.textContent, li.querySelector('.detail')!.textContent]));
    assert.deepEqual(items, [
      ['1', 'conv1', '20'], ['2', 'weight', '[2, 1, 3, 3] · 18'], ['2', 'bias', '[2] · 2'],
      ['1', 'fc', '3,072'], ['2', 'weight', '[64, 48] · 3,072'],
      ['1', 'module outputs', ''], ['2', 'conv1', 'Conv2d [1, 2, 4, 4]'],
    ]);
    assert.equal(await h.page.locator('#tree li[aria-selected=true] .name').textContent(), 'weight');
    assert.deepEqual(h.sent[0], { type: 'ready' });
    assert.deepEqual(lastRequest().tensor, { kind: 'parameter', name: 'conv1.weight' });
    assert.equal(await h.page.locator('#stats td[data-stat=shape]').textContent(), '[2, 1, 3, 3]');
    assert.equal(await h.page.locator('#stats td[data-stat=view]').textContent(), 'exact values');
    // The bench's marks (webviews/weights/timing.ts): ready, and model message → painted frame with the round trip inside it.
    await h.page.waitForFunction(() => performance.getEntriesByName('nnlens:select-to-paint').length === 1);
    const [ready, paint, trip] = await h.page.evaluate(() => ['nnlens:ready', 'nnlens:select-to-paint', 'nnlens:host-round-trip'].map((n) => performance.getEntriesByName(n)[0]!));
    assert.ok(ready!.startTime > 0 && paint!.startTime >= ready!.startTime && trip!.startTime >= paint!.startTime && trip!.duration <= paint!.duration, JSON.stringify([ready, paint, trip]));
    assert.equal(await h.page.locator('#stats td[data-stat=layout]').textContent(), '6×3: 3×3 tiles; rows: dim 0 (2, output channels), columns: dim 1 (1, input channels)');
  });

  test('heatmap pixels are the diverging colour map at known elements; the readout names the exact element', async () => {
    // [2, 1, 3, 3] folds to rows 2·3 = 6, cols 1·3 = 3.
    const scale = colorScale('diverging', -0.85, 0.85);
    for (const [row, col] of [[0, 0], [2, 1], [4, 2], [5, 2]] as const) {
      const flat = Math.floor(row / 3) * 9 + (row % 3) * 3 + col;
      const c = await cellCentre(6, 3, row, col);
      const got = await pixel(c.x, c.y);
      const want = colorOf(convValues[flat]!, 'diverging', scale);
      got.forEach((v, i) => assert.ok(Math.abs(v - want[i]!) <= 1, `(${row}, ${col}): ${got} vs ${want}`));
    }
    const c = await cellCentre(6, 3, 4, 2);
    await h.page.mouse.move(c.left + c.x, c.top + c.y);
    // Folded (4, 2) is conv1.weight[1, 0, 1, 2], flat 14: -0.85 + 1.4.
    await h.page.waitForFunction(() => document.getElementById('readout')!.textContent !== '');
    assert.equal(await h.page.locator('#readout').textContent(), `conv1.weight[1, 0, 1, 2] = ${convValues[14]!.toPrecision(4)}`);
    assert.equal(await h.page.locator('#legend-lo').textContent(), '-0.8500');
  });

  test('wheel zooms and drag pans: new windows are requested and painted', async () => {
    await h.page.locator('#tree li', { hasText: '[64, 48]' }).click();
    await h.painted(1);
    // The shape is known from the model message, so even the first request names the whole window and a grid no finer than the view on screen.
    assert.deepEqual(lastRequest().window, { row: 0, col: 0, rows: 64, cols: 48 });
    const box = (await h.page.locator('#heatmap').boundingBox())!;
    let n = h.requests();
    await h.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    for (let i = 0; i < 4; i++) await h.page.mouse.wheel(0, -100);
    await h.painted(n);
    const zoomed = lastRequest().window!;
    assert.ok(zoomed.rows < 64 && zoomed.cols < 48, JSON.stringify(zoomed));
    n = h.requests();
    await h.page.mouse.down();
    await h.page.mouse.move(box.x + box.width / 2 - 150, box.y + box.height / 2 - 100, { steps: 5 });
    await h.page.mouse.up();
    await h.painted(n);
    const panned = lastRequest().window!;
    assert.ok(panned.col > zoomed.col && panned.row > zoomed.row, `${JSON.stringify(zoomed)} → ${JSON.stringify(panned)}`);
  });

  test('keyboard: arrows walk the tree, Enter selects; on the canvas + zooms, arrows pan, 0 resets', async () => {
    await h.page.locator('#tree li').first().focus();
    await h.page.keyboard.press('ArrowDown');
    await h.page.keyboard.press('ArrowDown');
    let n = h.requests();
    await h.page.keyboard.press('Enter');
    await h.painted(n);
    assert.deepEqual(lastRequest().tensor, { kind: 'parameter', name: 'conv1.bias' });
    await h.page.keyboard.press('ArrowDown');
    await h.page.keyboard.press('ArrowLeft');
    assert.equal(await h.page.locator('#tree li[aria-expanded=false] .name').textContent(), 'fc');
    await h.page.locator('#tree li', { hasText: 'Conv2d' }).click();
    await h.page.locator('#heatmap').focus();
    await h.painted(n + 1);
    n = h.requests();
    await h.page.keyboard.press('+');
    await h.page.keyboard.press('+');
    await h.page.keyboard.press('+');
    await h.painted(n);
    const zoomed = lastRequest().window!;
    assert.deepEqual(lastRequest().tensor, { kind: 'activation', name: 'conv1', call: 1 });
    assert.ok(zoomed.cols < 8, JSON.stringify(zoomed));
    n = h.requests();
    await h.page.keyboard.press('ArrowRight');
    await h.painted(n);
    assert.ok(lastRequest().window!.col > zoomed.col);
    assert.match((await h.page.locator('#readout').textContent())!, /^conv1\[0, \d, \d, \d\] = -?\d/);
    n = h.requests();
    await h.page.keyboard.press('0');
    await h.painted(n);
    assert.deepEqual(lastRequest().window, { row: 0, col: 0, rows: 4, cols: 8 });
  });

  test('state survives hiding: the selection and the view come back after a reload', async () => {
    await h.page.locator('#tree li', { hasText: '[64, 48]' }).click();
    await h.painted(1);
    const box = (await h.page.locator('#heatmap').boundingBox())!;
    const n = h.requests();
    await h.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await h.page.mouse.wheel(0, -100);
    await h.painted(n);
    const before = lastRequest().window;
    await h.page.selectOption('#colormap', 'sequential');
    const count = h.requests();
    await h.page.reload();
    await h.painted(count);
    assert.deepEqual(lastRequest().tensor, { kind: 'parameter', name: 'fc.weight' });
    assert.deepEqual(lastRequest().window, before);
    assert.equal(await h.page.locator('#colormap').inputValue(), 'sequential');
  });

  test('a screenshot per theme (light, dark, high contrast), each different', async () => {
    const themes: Record<string, Record<string, string>> = {
      light: { '--vscode-editor-background': '#ffffff', '--vscode-foreground': '#333333', '--vscode-list-activeSelectionBackground': '#0060c0', '--vscode-list-activeSelectionForeground': '#ffffff', '--vscode-descriptionForeground': '#717171', '--vscode-charts-blue': '#1a85ff', '--vscode-button-background': '#007acc', '--vscode-button-foreground': '#ffffff' },
      dark: { '--vscode-editor-background': '#1e1e1e', '--vscode-foreground': '#cccccc', '--vscode-list-activeSelectionBackground': '#04395e', '--vscode-list-activeSelectionForeground': '#ffffff', '--vscode-descriptionForeground': '#9d9d9d', '--vscode-charts-blue': '#3794ff', '--vscode-button-background': '#0e639c', '--vscode-button-foreground': '#ffffff' },
      'high-contrast': { '--vscode-editor-background': '#000000', '--vscode-foreground': '#ffffff', '--vscode-list-activeSelectionBackground': '#000000', '--vscode-list-activeSelectionForeground': '#ffffff', '--vscode-descriptionForeground': '#ffffff', '--vscode-charts-blue': '#00ffff', '--vscode-focusBorder': '#f38518', '--vscode-panel-border': '#6fc3df', '--vscode-button-background': '#000000', '--vscode-button-foreground': '#ffffff' },
    };
    const dir = path.join(root, 'test/webview/__screenshots__');
    fs.mkdirSync(dir, { recursive: true });
    const shots: Buffer[] = [];
    for (const [name, vars] of Object.entries(themes)) {
      await h.page.evaluate((v) => {
        document.body.removeAttribute('style');
        for (const [k, x] of Object.entries(v)) document.body.style.setProperty(k, x);
      }, vars);
      const n = h.requests();
      await h.page.locator('#tree li', { hasText: '[2] · 2' }).click();
      await h.page.locator('#tree li', { hasText: '[2, 1, 3, 3]' }).click();
      await h.painted(n + 1);
      const shot = await h.page.screenshot();
      fs.writeFileSync(path.join(dir, `weights-${name}.png`), shot);
      assert.ok(shot.length > 5000, `${name}: ${shot.length} bytes`);
      shots.push(shot);
    }
    assert.ok(!shots[0]!.equals(shots[1]!) && !shots[1]!.equals(shots[2]!) && !shots[0]!.equals(shots[2]!));
  });

  test('the CSP listener works: an inline script is blocked and reported', async () => {
    await h.page.evaluate(() => {
      const s = document.createElement('script');
      s.textContent = 'window.__ran = true';
      document.body.append(s);
    });
    await h.page.waitForFunction(() => (window as unknown as { __violations: string[] }).__violations.length > 0);
    assert.equal(await h.page.evaluate(() => (window as unknown as { __ran?: boolean }).__ran), undefined);
    assert.match((await h.violations())[0]!, /^script-src/);
    await h.page.evaluate(() => { (window as unknown as { __violations: string[] }).__violations.length = 0; });
  });
});

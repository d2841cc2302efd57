// The weights panel's views beyond one plain heatmap, in a real browser (headless Debian chromium,
// the real bundle and CSP): per-channel normalisation, separators between conv kernel tiles (and
// none when tiles are tiny), feature maps as a grid of channel tiles with a sample selector, one
// entry per module call, and comparing two tensors side by side or by their difference. Expected
// colours come from the values through the colour map (webviews/weights/colormap.ts).
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import type { Browser } from 'playwright-core';
import type { ModelMessage, RequestTensorMessage } from '../../language-server/protocol/weights-panel.ts';
import { colorOf, colorScale, notFinite, type ColorMode, type Rgb } from '../../webviews/weights/colormap.ts';
import { chromiumPath, launchBrowser, openPanel, type Harness, type HeldTensor } from './harness.ts';
import { assertColor, cellCentre, column, pixel, viewBox } from './pixels.ts';

const available = fs.existsSync(chromiumPath);
const skip = available ? false : `${chromiumPath} is missing (apt-get install chromium)`;

const range = (n: number, f: (i: number) => number): Float32Array => Float32Array.from({ length: n }, (_, i) => f(i));
// conv1.weight [2, 1, 3, 3]: -0.85 … 0.85. conv2.weight, same shape: output channel 0 within ±0.1,
// output channel 1 within ±10 — per-channel normalisation must give both full-scale colours.
const conv1 = range(18, (i) => -0.85 + 0.1 * i);
const conv2 = range(18, (i) => (i < 9 ? (i - 4) * 0.025 : (i - 13) * 2.5));
const big = range(64 * 8 * 9, (i) => Math.sin(i * 0.37));
// A feature map [1, 4, 3, 3] and a module called three times with [2, 4, 3, 3] outputs.
const block = range(36, (i) => (i - 17) / 4);
const layerCall = (k: number): Float32Array => range(72, (i) => Math.cos(i * 0.3 + k) * (1 + k));
const model: ModelMessage = {
  type: 'model', className: 'Features', uri: 'file:///features.py',
  parameters: [
    { name: 'conv1.weight', shape: [2, 1, 3, 3], count: 18 },
    { name: 'conv1.bias', shape: [2], count: 2 },
    { name: 'conv2.weight', shape: [2, 1, 3, 3], count: 18 },
    { name: 'big.weight', shape: [64, 8, 3, 3], count: big.length },
    { name: 'empty.weight', shape: [0, 5], count: 0 },
    { name: 'odd.weight', shape: [2, 3], count: 6 },
  ],
  buffers: [],
  activations: [
    { path: 'block', type: 'Conv2d', shape: [1, 4, 3, 3], call: 1 },
    { path: 'layer', type: 'ReLU', shape: [2, 4, 3, 3], call: 2 },
    { path: 'layer', type: 'ReLU', shape: [2, 4, 3, 3], call: 4 },
    { path: 'layer', type: 'ReLU', shape: [2, 4, 3, 3], call: 6 },
  ],
};
const tensors = new Map<string, HeldTensor>([
  ['parameter/conv1.weight', { shape: [2, 1, 3, 3], values: conv1 }],
  ['parameter/conv1.bias', { shape: [2], values: Float32Array.of(0.5, -0.25) }],
  ['parameter/conv2.weight', { shape: [2, 1, 3, 3], values: conv2 }],
  ['parameter/big.weight', { shape: [64, 8, 3, 3], values: big }],
  ['parameter/empty.weight', { shape: [0, 5], values: new Float32Array(0) }],
  ['parameter/odd.weight', { shape: [2, 3], values: Float32Array.of(NaN, Infinity, -1, 0, 1, 2) }],
  ['activation/block#1', { shape: [1, 4, 3, 3], values: block }],
  ['activation/layer#2', { shape: [2, 4, 3, 3], values: layerCall(0) }],
  ['activation/layer#4', { shape: [2, 4, 3, 3], values: layerCall(1) }],
  ['activation/layer#6', { shape: [2, 4, 3, 3], values: layerCall(2) }],
]);

const extent = (xs: ArrayLike<number>): [number, number] => [Math.min(...Array.from(xs)), Math.max(...Array.from(xs))];
const colour = (v: number, mode: ColorMode, [min, max]: [number, number]): Rgb => colorOf(v, mode, colorScale(mode, min, max));

let browser: Browser;
let h: Harness;
before(async () => { if (available) browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

const requests = (): RequestTensorMessage[] => h.sent.filter((m): m is RequestTensorMessage => m.type === 'requestTensor');
const lastRequest = (): RequestTensorMessage => requests().at(-1)!;
/** Clicks a tree entry by its id and waits for its heatmap. */
async function choose(id: string): Promise<void> {
  const n = h.requests();
  await h.page.locator(`#tree li[data-id="${id}"]`).click();
  await h.painted(n);
}
async function colourAt(view: { rows: number; cols: number }, row: number, col: number, pane = 0, panes: 1 | 2 = 1): Promise<Rgb> {
  const c = await cellCentre(h.page, view, row, col, pane, panes);
  return pixel(h.page, c.x, c.y);
}
async function hover(view: { rows: number; cols: number }, row: number, col: number, pane = 0, panes: 1 | 2 = 1): Promise<string> {
  const c = await cellCentre(h.page, view, row, col, pane, panes);
  await h.page.mouse.move(c.left + c.x, c.top + c.y);
  await h.page.waitForFunction(() => document.getElementById('readout')!.textContent !== '');
  return (await h.page.locator('#readout').textContent())!;
}

describe('weights panel views', { skip }, () => {
  beforeEach(async () => {
    h = await openPanel(browser, model, tensors);
    await h.painted();
  });
  afterEach(async () => {
    await h.closeChecked();
  });

  test('per-channel normalisation: two output channels with ranges ±0.1 and ±10 both reach full-scale colours', async () => {
    await choose('parameter/conv2.weight');
    const view = { rows: 6, cols: 3 };
    // One scale (±10): channel 0's -0.1 is nearly white.
    assertColor(await colourAt(view, 0, 0), colour(conv2[0]!, 'diverging', [-10, 10]), 'whole-tensor scale (0, 0)');
    assert.ok((await colourAt(view, 0, 0))[0] > 200, 'channel 0 is pale on the shared scale');
    await h.page.locator('#per-channel').check();
    const ch0 = extent(conv2.subarray(0, 9));
    const ch1 = extent(conv2.subarray(9));
    for (const mode of ['diverging', 'sequential'] as const) {
      await h.page.selectOption('#colormap', mode);
      // Folded (row, col) of [2, 1, 3, 3]: output channel ⌊row/3⌋, flat ⌊row/3⌋·9 + (row mod 3)·3 + col.
      for (const [row, col] of [[0, 0], [2, 2], [1, 1], [3, 0], [5, 2], [4, 1]] as const) {
        const flat = Math.floor(row / 3) * 9 + (row % 3) * 3 + col;
        assertColor(await colourAt(view, row, col), colour(conv2[flat]!, mode, row < 3 ? ch0 : ch1), `${mode} per channel (${row}, ${col})`);
      }
    }
    // Full scale: both channels' extremes are the map's ends.
    assertColor(await colourAt(view, 0, 0), colorOf(0, 'sequential', [0, 1]), 'channel 0 minimum');
    assertColor(await colourAt(view, 3, 0), colorOf(0, 'sequential', [0, 1]), 'channel 1 minimum');
    assert.match((await h.page.locator('#legend-note').textContent())!, /^per output channel \(dim 0\)/);
    assert.equal(await h.page.locator('#legend-lo').textContent(), 'min');
    // The readout still shows the exact value, and the channel's scale.
    assert.equal(await hover(view, 3, 0), 'conv2.weight[1, 0, 0, 0] = -10.00 · output channel 1 scale -10.00 … 10.00');
    // Turning it off restores the shared scale without asking the host again.
    const n = h.requests();
    await h.page.locator('#per-channel').uncheck();
    assertColor(await colourAt(view, 0, 0), colour(conv2[0]!, 'sequential', [-10, 10]), 'shared scale again');
    assert.equal(h.requests(), n);
  });

  test('tile separators: lines in the theme background between kernels; none when tiles are a few pixels; back when zoomed in', async () => {
    await h.page.evaluate(() => document.body.style.setProperty('--vscode-editor-background', '#123456'));
    await choose('parameter/conv1.bias');
    await choose('parameter/conv1.weight');
    const sep: Rgb = [0x12, 0x34, 0x56];
    const r = await viewBox(h.page, { rows: 6, cols: 3 });
    // The boundary between output channel 0's and 1's kernels is folded row 3.
    const boundary = r.y + r.h / 2;
    const line = await column(h.page, r.x + r.w / 2, boundary - 3, boundary + 3);
    assert.ok(line.some((p) => p.join() === sep.join()), `no separator at y ${boundary}: ${JSON.stringify(line)}`);
    // Cell centres keep their colours.
    assertColor(await colourAt({ rows: 6, cols: 3 }, 2, 1), colour(conv1[7]!, 'diverging', [-0.85, 0.85]), 'cell next to the separator');
    // [64, 8, 3, 3] folds to 192×24: 3×3 tiles are under 6 pixels tall here, so no lines.
    await choose('parameter/big.weight');
    const b = await viewBox(h.page, { rows: 192, cols: 24 });
    const tiny = await column(h.page, b.x + b.w / 2, b.y, b.y + b.h);
    assert.ok(b.h / 64 < 6, `tiles ${b.h / 64} px`);
    assert.equal(tiny.filter((p) => p.join() === sep.join()).length, 0, 'separators drawn over tiny tiles');
    await h.page.locator('#heatmap').focus();
    const n = h.requests();
    for (let i = 0; i < 6; i++) await h.page.keyboard.press('+');
    await h.painted(n);
    const zoomed = await column(h.page, b.x + b.w / 2, b.y, b.y + b.h);
    assert.ok(zoomed.filter((p) => p.join() === sep.join()).length > 4, 'separators once the tiles are large');
  });

  test('a [1, 4, 3, 3] feature map is a 2×2 grid of 3×3 channel tiles, with separators, readout by tensor index', async () => {
    await choose('activation/block#1');
    assert.deepEqual(lastRequest().tensor, { kind: 'activation', name: 'block', call: 1 });
    assert.deepEqual(lastRequest().window, { row: 0, col: 0, rows: 6, cols: 6 });
    assert.equal(await h.page.locator('#stats td[data-stat=view]').textContent(), 'exact values');
    assert.equal(await h.page.locator('#stats td[data-stat=layout]').textContent(), 'per sample, 4 channel maps of 3×3, 2 across and 2 down');
    const view = { rows: 6, cols: 6 };
    const scale: [number, number] = extent(block);
    for (const [k, y, x] of [[0, 0, 0], [1, 0, 2], [2, 1, 1], [3, 2, 2], [3, 1, 2]] as const) {
      const row = Math.floor(k / 2) * 3 + y;
      const col = (k % 2) * 3 + x;
      assertColor(await colourAt(view, row, col), colour(block[k * 9 + y * 3 + x]!, 'diverging', scale), `channel ${k} (${y}, ${x})`);
    }
    assert.equal(await hover(view, 4, 5), `block[0, 3, 1, 2] = ${block[32]!.toPrecision(4)}`);
    // Channel tiles are separated like kernels, in the editor background colour.
    await h.page.evaluate(() => document.body.style.setProperty('--vscode-editor-background', '#204060'));
    await h.page.selectOption('#colormap', 'sequential');
    await h.page.selectOption('#colormap', 'diverging');
    const r = await viewBox(h.page, view);
    const bg = [0x20, 0x40, 0x60];
    const line = await column(h.page, r.x + r.w / 4, r.y + r.h / 2 - 3, r.y + r.h / 2 + 3);
    assert.ok(line.some((p) => p.join() === bg.join()), `${JSON.stringify(line)} vs ${bg}`);
  });

  test('one entry per module call; a batch of feature maps has a sample selector that moves the view to that sample', async () => {
    const labels = await h.page.locator('#tree li[data-id^="activation/layer"]').evaluateAll((lis) => lis.map((li) => `${li.querySelector('.name')!.textContent} | ${li.querySelector('.detail')!.textContent}`));
    assert.deepEqual(labels, ['layer (call 1 of 3) | ReLU [2, 4, 3, 3]', 'layer (call 2 of 3) | ReLU [2, 4, 3, 3]', 'layer (call 3 of 3) | ReLU [2, 4, 3, 3]']);
    assert.equal(await h.page.locator('#sample-label').isVisible(), false);
    await choose('activation/layer#4');
    assert.deepEqual(lastRequest().tensor, { kind: 'activation', name: 'layer', call: 4 });
    // [2, 4, 3, 3] folds to 12×6: sample 0 is rows 0–5, sample 1 rows 6–11.
    assert.deepEqual(lastRequest().window, { row: 0, col: 0, rows: 6, cols: 6 });
    assert.equal(await h.page.locator('#sample-label').isVisible(), true);
    assert.equal(await h.page.locator('#stats td[data-stat=layout]').textContent(), 'per sample, 4 channel maps of 3×3, 2 across and 2 down; 2 samples');
    const values = layerCall(1);
    const scale = extent(values);
    assertColor(await colourAt({ rows: 6, cols: 6 }, 1, 4), colour(values[(0 * 4 + 1) * 9 + 1 * 3 + 1]!, 'diverging', scale), 'sample 0, channel 1 (1, 1)');
    const n = h.requests();
    await h.page.selectOption('#sample', '1');
    await h.painted(n);
    assert.deepEqual(lastRequest().window, { row: 6, col: 0, rows: 6, cols: 6 });
    const view = { row: 6, rows: 6, cols: 6 };
    const c = await cellCentre(h.page, view, 6 + 1, 4);
    assertColor(await pixel(h.page, c.x, c.y), colour(values[(1 * 4 + 1) * 9 + 1 * 3 + 1]!, 'diverging', scale), 'sample 1, channel 1 (1, 1)');
    await h.page.mouse.move(c.left + c.x, c.top + c.y);
    await h.page.waitForFunction(() => document.getElementById('readout')!.textContent !== '');
    assert.equal(await h.page.locator('#readout').textContent(), `layer[1, 1, 1, 1] = ${values[49]!.toPrecision(4)}`);
    // Zooming out stays inside the sample's band.
    await h.page.locator('#heatmap').focus();
    const m = h.requests();
    await h.page.keyboard.press('-');
    await h.page.keyboard.press('0');
    await h.painted(m);
    assert.deepEqual(lastRequest().window, { row: 6, col: 0, rows: 6, cols: 6 });
  });

  test('compare side by side: both tensors requested, drawn with one scale and one view; the readout names both', async () => {
    let n = h.requests();
    await h.page.selectOption('#compare-with', 'parameter/conv2.weight');
    await h.painted(n + 1);
    const pair = requests().slice(n);
    assert.deepEqual(pair.map((r) => [r.tensor.name, r.minus]), [['conv1.weight', null], ['conv2.weight', null]]);
    assert.deepEqual(pair[0]!.window, pair[1]!.window);
    assert.match((await h.page.locator('#caption').textContent())!, /^left: conv1\.weight · right: conv2\.weight/);
    const view = { rows: 6, cols: 3 };
    const shared: [number, number] = [-10, 10];
    assertColor(await colourAt(view, 0, 0, 0, 2), colour(conv1[0]!, 'diverging', shared), 'left (0, 0) on the shared scale');
    assertColor(await colourAt(view, 5, 2, 1, 2), colour(conv2[17]!, 'diverging', shared), 'right (5, 2)');
    assertColor(await colourAt(view, 3, 0, 1, 2), colour(conv2[9]!, 'diverging', shared), 'right (3, 0)');
    assert.equal(await hover(view, 5, 2, 1, 2), `conv2.weight[1, 0, 2, 2] = 10.00 · conv1.weight[1, 0, 2, 2] = ${conv1[17]!.toPrecision(4)}`);
    // One zoom moves both.
    await h.page.locator('#heatmap').focus();
    n = h.requests();
    for (let i = 0; i < 3; i++) await h.page.keyboard.press('+');
    await h.painted(n + 1);
    const zoomed = requests().slice(n);
    assert.equal(zoomed.length % 2, 0);
    zoomed.splice(0, zoomed.length - 2);
    assert.deepEqual(zoomed[0]!.window, zoomed[1]!.window);
    assert.ok(zoomed[0]!.window!.rows < 6);
  });

  test('compare by difference: the host is asked for tensor − minus; pixels are the difference on its own scale', async () => {
    await h.page.selectOption('#compare-mode', 'difference');
    const n = h.requests();
    await h.page.selectOption('#compare-with', 'parameter/conv2.weight');
    await h.painted(n);
    assert.equal(h.requests(), n + 1);
    assert.deepEqual(lastRequest().tensor, { kind: 'parameter', name: 'conv1.weight' });
    assert.deepEqual(lastRequest().minus, { kind: 'parameter', name: 'conv2.weight' });
    const diff = range(18, (i) => conv1[i]! - conv2[i]!);
    const scale = extent(diff);
    for (const [row, col] of [[0, 0], [3, 0], [5, 2], [2, 1]] as const) {
      const flat = Math.floor(row / 3) * 9 + (row % 3) * 3 + col;
      assertColor(await colourAt({ rows: 6, cols: 3 }, row, col), colour(diff[flat]!, 'diverging', scale), `difference (${row}, ${col})`);
    }
    assert.equal(await hover({ rows: 6, cols: 3 }, 3, 0), `(conv1.weight − conv2.weight)[1, 0, 0, 0] = ${diff[9]!.toPrecision(4)}`);
    assert.match((await h.page.locator('#caption').textContent())!, /^conv1\.weight − conv2\.weight/);
  });

  test('hiding keeps the comparison, per-channel normalisation and the sample', async () => {
    let n = h.requests();
    await h.page.selectOption('#compare-with', 'parameter/conv2.weight');
    await h.painted(n + 1);
    await h.page.locator('#per-channel').check();
    n = h.requests();
    await h.page.reload();
    await h.painted(n + 1);
    assert.deepEqual(requests().slice(n).map((r) => r.tensor.name), ['conv1.weight', 'conv2.weight']);
    assert.equal(await h.page.locator('#per-channel').isChecked(), true);
    assert.equal(await h.page.locator('#compare-with').inputValue(), 'parameter/conv2.weight');
    // Per channel on the shared scale of both: channel 1 of conv2 (±10) is full red at its maximum.
    assertColor(await colourAt({ rows: 6, cols: 3 }, 5, 2, 1, 2), colorOf(1, 'diverging', [0, 1]), 'right (5, 2) per channel');
    await choose('activation/layer#2');
    n = h.requests();
    await h.page.selectOption('#sample', '1');
    await h.painted(n);
    n = h.requests();
    await h.page.reload();
    await h.painted(n);
    assert.deepEqual(lastRequest().window, { row: 6, col: 0, rows: 6, cols: 6 });
    assert.equal(await h.page.locator('#sample').inputValue(), '1');
  });

  test('an empty tensor and non-finite values are shown without errors (NaN and ±inf in the not-finite colour)', async () => {
    await choose('parameter/empty.weight');
    assert.equal(await h.page.locator('#stats td[data-stat=count]').textContent(), '0');
    await choose('parameter/odd.weight');
    const view = { rows: 2, cols: 3 };
    assertColor(await colourAt(view, 0, 0), notFinite, 'NaN');
    assertColor(await colourAt(view, 0, 1), notFinite, 'inf');
    assertColor(await colourAt(view, 1, 2), colour(2, 'diverging', [-1, 2]), 'finite 2');
    assert.equal(await hover(view, 0, 0), 'odd.weight[0, 0] = NaN');
  });

  test('tensors of different shapes are not compared: a clear message and no request; C in the tree compares', async () => {
    const n = h.requests();
    await h.page.selectOption('#compare-with', 'parameter/conv1.bias');
    await h.page.waitForFunction(() => document.getElementById('compare-message')!.textContent !== '');
    assert.equal(await h.page.locator('#compare-message').textContent(), 'Cannot compare conv1.weight [2, 1, 3, 3] with conv1.bias [2]: the shapes differ.');
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(h.requests(), n);
    assert.equal(await h.page.locator('#compare-with').inputValue(), '');
    await h.page.locator('#tree li[data-id="parameter/conv2.weight"]').focus();
    await h.page.keyboard.press('c');
    await h.painted(n + 1);
    assert.equal(await h.page.locator('#compare-with').inputValue(), 'parameter/conv2.weight');
    assert.equal(await h.page.locator('#compare-message').textContent(), '');
    assert.deepEqual(requests().slice(n).map((r) => r.tensor.name), ['conv1.weight', 'conv2.weight']);
  });

  test('at devicePixelRatio 2 the cells and separators are where the geometry says', async () => {
    await h.close();
    h = await openPanel(browser, model, tensors, undefined, { deviceScaleFactor: 2 });
    await h.painted();
    assert.equal(await h.page.evaluate(() => window.devicePixelRatio), 2);
    await h.page.evaluate(() => document.body.style.setProperty('--vscode-editor-background', '#123456'));
    await choose('activation/block#1');
    const view = { rows: 6, cols: 6 };
    const scale = extent(block);
    for (const [k, y, x] of [[0, 0, 0], [3, 2, 2], [2, 1, 0]] as const) {
      assertColor(await colourAt(view, Math.floor(k / 2) * 3 + y, (k % 2) * 3 + x), colour(block[k * 9 + y * 3 + x]!, 'diverging', scale), `channel ${k} (${y}, ${x})`);
    }
    const r = await viewBox(h.page, view);
    const line = await column(h.page, r.x + r.w / 4, r.y + r.h / 2 - 3, r.y + r.h / 2 + 3);
    assert.ok(line.some((p) => p.join() === '18,52,86'), JSON.stringify(line));
  });
});

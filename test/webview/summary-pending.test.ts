// The first paint before the statistics (docs/protocol.md, getTensor `deferSummary`): the panel
// asks for it, paints the heatmap and the legend from the first answer (min, max, channel ranges),
// answers the readout at once, shows "computing…" in the statistics and the histogram without
// moving anything, and fills them in when the SummaryMessage comes. Real bundle, headless chromium.
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import type { Browser } from 'playwright-core';
import type { ModelMessage, RequestTensorMessage } from '../../language-server/protocol/weights-panel.ts';
import { summarize } from '../../language-server/lsp/forward-tensor-view.ts';
import { colorOf, colorScale } from '../../webviews/weights/colormap.ts';
import { formatValue } from '../../webviews/weights/format.ts';
import { chromiumPath, launchBrowser, openPanel, type Harness, type HeldTensor } from './harness.ts';
import { cellCentre, pixel } from './pixels.ts';

const available = fs.existsSync(chromiumPath);
const skip = available ? false : `${chromiumPath} is missing (apt-get install chromium)`;

const values = Float32Array.from({ length: 18 }, (_, i) => -0.85 + 0.1 * i);
const model: ModelMessage = {
  type: 'model', className: 'Tiny', uri: 'file:///tiny.py',
  parameters: [{ name: 'conv1.weight', shape: [2, 1, 3, 3], count: 18 }, { name: 'conv1.bias', shape: [2], count: 2 }],
  buffers: [], activations: [],
};
const tensors = new Map<string, HeldTensor>([
  ['parameter/conv1.weight', { shape: [2, 1, 3, 3], values }],
  ['parameter/conv1.bias', { shape: [2], values: Float32Array.of(0.5, -0.25) }],
]);

let browser: Browser;
let h: Harness;
before(async () => { if (available) browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

const stat = (name: string): Promise<string | null> => h.page.locator(`#stats td[data-stat="${name}"]`).textContent();
const boxes = (): Promise<unknown> => h.page.evaluate(() => ['stats', 'histogram', 'heatmap'].map((id) => {
  const r = document.getElementById(id)!.getBoundingClientRect();
  return [id, r.x, r.y, r.width, r.height];
}));

describe('weights panel: statistics after the first paint', { skip }, () => {
  beforeEach(async () => {
    h = await openPanel(browser, model, tensors, undefined, { deferSummaries: true });
    await h.painted();
  });
  afterEach(async () => {
    await h.closeChecked();
  });

  test('the panel asks with deferSummary; heatmap, legend and readout work while the statistics say computing…', async () => {
    const request = h.sent.find((m): m is RequestTensorMessage => m.type === 'requestTensor')!;
    assert.equal(request.deferSummary, true);
    // The colour scale is the first answer's min and max: the pixels are the colour map's.
    const scale = colorScale('diverging', -0.85, 0.85);
    const c = await cellCentre(h.page, { rows: 6, cols: 3 }, 4, 2);
    const got = await pixel(h.page, c.x, c.y);
    const want = colorOf(values[14]!, 'diverging', scale);
    got.forEach((v, i) => assert.ok(Math.abs(v - want[i]!) <= 1, `${got} vs ${want}`));
    assert.equal(await h.page.locator('#legend-lo').textContent(), '-0.8500');
    await h.page.mouse.move(c.left + c.x, c.top + c.y);
    await h.page.waitForFunction(() => document.getElementById('readout')!.textContent !== '');
    assert.equal(await h.page.locator('#readout').textContent(), `conv1.weight[1, 0, 1, 2] = ${values[14]!.toPrecision(4)}`);
    for (const name of ['mean', 'std', 'zeros', 'L2 norm']) assert.equal(await stat(name), 'computing…', name);
    assert.equal(await stat('min'), '-0.8500');
    assert.equal(await stat('count'), '18');
    assert.equal(await h.page.locator('#histogram').getAttribute('data-pending'), 'true');
    assert.equal(await h.page.locator('#histogram').getAttribute('aria-label'), 'histogram: computing…');
  });

  test('the summary fills the statistics and the histogram in place: nothing moves, the heatmap is not asked again', async () => {
    const before = await boxes();
    const requests = h.requests();
    await h.releaseSummaries();
    await h.page.waitForFunction(() => document.querySelector('#stats td[data-stat="mean"]')!.textContent !== 'computing…');
    const s = summarize(values);
    assert.equal(await stat('mean'), formatValue(s.stats.mean));
    assert.equal(await stat('std'), formatValue(s.stats.std));
    assert.equal(await stat('L2 norm'), formatValue(s.stats.l2Norm));
    assert.equal(await h.page.locator('#histogram').getAttribute('data-pending'), null);
    assert.match((await h.page.locator('#histogram').getAttribute('aria-label'))!, /^histogram of 64 bins/);
    assert.deepEqual(await boxes(), before);
    assert.equal(h.requests(), requests);
    // Another tensor and back: the summary is kept, the answer (whole now) shows it at once.
    const n = h.requests();
    await h.page.locator('#tree li[data-id="parameter/conv1.bias"]').click();
    await h.painted(n);
    const m = h.requests();
    await h.page.locator('#tree li[data-id="parameter/conv1.weight"]').click();
    await h.painted(m);
    assert.equal(await stat('mean'), formatValue(s.stats.mean));
  });
});

describe('weights panel: channel ranges after the first paint', { skip }, () => {
  afterEach(async () => {
    await h.closeChecked();
  });

  test('not colouring per channel, the panel lets the ranges wait; switched on meanwhile, the legend says so, then the summary brings them', async () => {
    h = await openPanel(browser, model, tensors, undefined, { deferSummaries: true });
    await h.painted();
    const request = h.sent.find((m): m is RequestTensorMessage => m.type === 'requestTensor')!;
    assert.equal(request.deferChannelRange, true);
    assert.equal(h.channelRangesSent[0], 0);
    await h.page.locator('#per-channel').check();
    await h.page.waitForFunction(() => document.getElementById('legend-note')!.textContent !== '');
    assert.equal(await h.page.locator('#legend-note').textContent(), 'per-channel scale: channel ranges computing…');
    await h.releaseSummaries();
    await h.page.waitForFunction(() => document.getElementById('legend-note')!.textContent!.startsWith('per output channel (dim 0)'));
    // Each output channel on its own scale now (sequential: min to max): channel 1 holds 0.05 … 0.85,
    // so its smallest element, [1, 0, 0, 0] at folded (3, 0), is the colour map's bottom end.
    await h.page.locator('#colormap').selectOption('sequential');
    const c = await cellCentre(h.page, { rows: 6, cols: 3 }, 3, 0);
    const got = await pixel(h.page, c.x, c.y);
    const want = colorOf(values[9]!, 'sequential', colorScale('sequential', 0.05, 0.85));
    got.forEach((v, i) => assert.ok(Math.abs(v - want[i]!) <= 1, `${got} vs ${want}`));
    // The ranges are kept: asked again, the tensor's request names their summary and none are sent.
    let n = h.requests();
    await h.page.locator('#tree li[data-id="parameter/conv1.bias"]').click();
    await h.painted(n);
    n = h.requests();
    await h.page.locator('#tree li[data-id="parameter/conv1.weight"]').click();
    await h.painted(n);
    assert.ok(h.sent.filter((m): m is RequestTensorMessage => m.type === 'requestTensor').at(-1)!.knownSummary);
    assert.equal(h.channelRangesSent.at(-1), 0);
    assert.match((await h.page.locator('#legend-note').textContent())!, /^per output channel \(dim 0\)/);
  });

  test('colouring per channel, the first answer carries the ranges', async () => {
    h = await openPanel(browser, model, tensors, undefined, { deferSummaries: true });
    await h.painted();
    await h.page.locator('#per-channel').check();
    await h.releaseSummaries();
    const n = h.requests();
    await h.page.locator('#tree li[data-id="parameter/conv1.bias"]').click();
    await h.painted(n);
    const request = h.sent.filter((m): m is RequestTensorMessage => m.type === 'requestTensor').at(-1)!;
    assert.equal(request.deferChannelRange, false);
  });
});

// Channel ranges cross once per tensor (docs/protocol.md, the weights panel): the webview names the
// summary it has in each later request (`knownSummary`), the host (test/webview/harness.ts, as the
// server) then leaves the ranges out, and per-channel normalisation still uses them after zooming.
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import type { Browser } from 'playwright-core';
import type { ModelMessage, RequestTensorMessage } from '../../language-server/protocol/weights-panel.ts';
import { chromiumPath, launchBrowser, openPanel, type Harness, type HeldTensor } from './harness.ts';

const available = fs.existsSync(chromiumPath);
const skip = available ? false : `${chromiumPath} is missing (apt-get install chromium)`;

// [8, 40]: eight rows (output channels) of very different ranges.
const w = Float32Array.from({ length: 320 }, (_, i) => Math.sin(i) * 10 ** (Math.floor(i / 40) - 4));
const v = Float32Array.from({ length: 320 }, (_, i) => Math.cos(i));
const model: ModelMessage = {
  type: 'model', className: 'Ranges', uri: 'file:///ranges.py',
  parameters: [{ name: 'w', shape: [8, 40], count: 320 }, { name: 'v', shape: [8, 40], count: 320 }], buffers: [], activations: [],
};
const tensors = new Map<string, HeldTensor>([['parameter/w', { shape: [8, 40], values: w }], ['parameter/v', { shape: [8, 40], values: v }]]);

let browser: Browser;
let h: Harness;
before(async () => { if (available) browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

const requests = (): RequestTensorMessage[] => h.sent.filter((m): m is RequestTensorMessage => m.type === 'requestTensor');

describe('weights panel: channel ranges sent once per tensor', { skip }, () => {
  beforeEach(async () => {
    h = await openPanel(browser, model, tensors);
    await h.painted();
  });
  afterEach(async () => {
    assert.deepEqual(h.pageErrors, [], 'uncaught errors in the panel');
    await h.close();
  });

  test('the first answer carries them, zoomed windows name the summary and get none, per-channel scales still apply', async () => {
    assert.equal(requests()[0]!.knownSummary, undefined);
    assert.deepEqual(h.channelRangesSent, [8]);
    await h.page.locator('#per-channel').check();
    const box = (await h.page.locator('#heatmap').boundingBox())!;
    await h.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    for (let i = 0; i < 3; i++) {
      const n = h.requests();
      await h.page.mouse.wheel(0, -100);
      await h.painted(n);
    }
    const later = requests().slice(1);
    assert.ok(later.length >= 1);
    for (const r of later) assert.equal(typeof r.knownSummary, 'string');
    assert.deepEqual(h.channelRangesSent.slice(1), later.map(() => 0));
    // The kept ranges are used: per-channel normalisation is on, not "unavailable".
    assert.match((await h.page.locator('#legend-note').textContent())!, /^per row \(dim 0\)/);
  });

  test('another tensor gets its own ranges; back to the first, its kept ones are named', async () => {
    let n = h.requests();
    await h.page.locator('#tree li[data-id="parameter/v"]').click();
    await h.painted(n);
    assert.equal(requests().at(-1)!.knownSummary, undefined);
    assert.deepEqual(h.channelRangesSent, [8, 8]);
    n = h.requests();
    await h.page.locator('#tree li[data-id="parameter/w"]').click();
    await h.painted(n);
    assert.equal(typeof requests().at(-1)!.knownSummary, 'string');
    assert.deepEqual(h.channelRangesSent, [8, 8, 0]);
  });
});

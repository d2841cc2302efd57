// The weights panel read as a user reads it, in a real VS Code (code-server, see workbench.ts):
// the tree of parameters, the heatmap's pixels, the value under the pointer and the statistics,
// module outputs after ▶ Run forward, the hover's link into the panel, comparing two tensors, the
// colour theme, and hiding and showing the panel. Every expected value comes from PyTorch: names
// and shapes from test/examples/expected/, values from truth/weights-panel.truth.json (made by
// truth/make_truth.py with the real PyTorch), never typed by hand.
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { colorText, luminance, parseCssColor, pixelAt, sameColor, type Rgb } from './pixel.ts';
import { WeightsPanel, assertPrinted, cssHex, parseReadout, until } from './weights-panel-page.ts';
import { artifactPath, currentColorTheme, hoverWord, launchWorkbench, openFile, root, runCommand, skipReason, type Workbench } from './workbench.ts';

interface TensorTruth { shape: number[]; stats: { mean: number; std: number; min: number; max: number }; values: number[] }
const truth = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, 'truth/weights-panel.truth.json'), 'utf8')) as {
  tutorial_network: { class: string; parameters: Record<string, TensorTruth>; activations: Record<string, TensorTruth> };
  twin_linear: { class: string; parameters: Record<string, TensorTruth>; differences: Record<string, TensorTruth> };
};
const expected = JSON.parse(fs.readFileSync(path.join(root, 'test/examples/expected/tutorial_network.json'), 'utf8')).classes[0] as {
  name: string; instance: { parameters: [string, number[]][]; forward: { calls: [string, string, number[]][] } };
};
const network = truth.tutorial_network;
const twins = truth.twin_linear;

/** The C-order flat index of `index` in `shape`. */
const flat = (shape: number[], index: number[]): number => index.reduce((at, i, d) => at * shape[d]! + i, 0);
const shapeText = (s: number[]): string => `[${s.join(', ')}]`;
const count = (s: number[]): string => s.reduce((a, b) => a * b, 1).toLocaleString('en-US');

/** Checks a readout's index and value against PyTorch's tensor. */
function assertReadout(text: string, name: string, index: number[], tensor: TensorTruth): ReturnType<typeof parseReadout> & object {
  const r = parseReadout(text);
  assert.ok(r, `a readout "name[index] = value", got ${JSON.stringify(text)}`);
  assert.equal(r.name, name, `the readout names the tensor: ${text}`);
  assert.deepEqual(r.index, index, `the readout's index under the pointer: ${text}`);
  assert.ok(r.exact, `an exact value (one element per cell), not a reduction: ${text}`);
  assertPrinted(r.value, tensor.values[flat(tensor.shape, index)]!, `${name}[${index.join(', ')}]`);
  return r;
}

const title = 'the weights panel in VS Code (code-server 4.100.3)';
if (skipReason) test(title, { skip: skipReason }, () => {});
else describe(title, { timeout: 300_000 }, () => {
  let wb: Workbench;
  let page: Page;

  before(async () => {
    wb = await launchWorkbench({ 'examples/tutorial_network.py': 'tutorial_network.py', 'test/e2e/fixtures/twin_linear.py': 'twin_linear.py' });
    fs.writeFileSync(path.join(wb.workspace, 'notes.md'), '# Notes\n\nAnother editor for the panel\'s group.\n');
    page = wb.page;
  });
  after(async () => { await wb?.close(); });

  // Each test starts from an empty editor area and opens what it reads.
  beforeEach(async () => {
    await runCommand(page, 'View: Close All Editors');
    await until('no editor open', async () => ((await page.locator('.tab').count()) === 0 ? true : undefined),
      async () => (await page.locator('.tab').allInnerTexts()).join(', '), 30_000);
  });
  afterEach(async (t) => { if (page) await page.screenshot({ path: artifactPath(`weights-panel ${t.name}`) }); });

  /** Opens `file` and clicks its class's ▦ Weights CodeLens: the panel of `model`, with its first picture painted. */
  async function openPanel(file: string, model: string, firstTitle: string): Promise<WeightsPanel> {
    await openFile(page, file);
    const lens = page.locator('.monaco-editor .codelens-decoration a', { hasText: '▦ Weights' });
    await lens.first().waitFor({ timeout: 90_000 });
    await lens.first().click();
    const panel = await WeightsPanel.find(page, model);
    await panel.painted(firstTitle, 0);
    return panel;
  }

  test('the tree lists named_parameters(); conv1.weight is painted as 6×1 tiles of 5×5; readout and statistics are PyTorch\'s', async () => {
    const panel = await openPanel('tutorial_network.py', expected.name, 'conv1.weight');
    const leaves = await panel.leaves('parameter');
    assert.deepEqual(leaves.map((l) => [l.id.slice('parameter/'.length), l.detail]),
      expected.instance.parameters.map(([name, shape]) => [name, `${shapeText(shape)} · ${count(shape)}`]),
      'every parameter of the model with its shape, in named_parameters() order');

    await panel.select('parameter/conv1.weight', 'conv1.weight');
    const weight = network.parameters['conv1.weight']!;
    const pic = await panel.picture();
    assert.ok(pic.drawn, 'the heatmap has painted pixels');
    assert.ok(pic.colours >= 20, `the heatmap shows the values' spread of colours (${pic.colours} colours)`);
    // [6, 1, 5, 5] folds to 30 × 5 elements: square cells, a 1:6 picture.
    const { x, y, w, h } = pic.drawn;
    const cell = w / 5;
    assert.ok(Math.abs(h / 30 - cell) < 1, `square cells: the view is ${w}×${h} pixels for 30×5 elements`);
    // Separator lines between the tiles: 5 across the picture (6 tile rows), none down it (1 tile column).
    const across = await panel.separatorsAlong('down', x + w / 2, y, h, pic.separator);
    assert.equal(across.length, 5, `separator lines between 6 rows of tiles, at ${JSON.stringify(across)} of ${h}`);
    across.forEach((at, k) => assert.ok(Math.abs(at - ((k + 1) * h) / 6) <= 2, `separator ${k + 1} at ${at}, the tile edge is at ${((k + 1) * h) / 6}`));
    for (const row of [2, 12, 27]) {
      const down = await panel.separatorsAlong('across', y + (row + 0.5) * cell, x, w, pic.separator);
      assert.deepEqual(down, [], `no separator inside a row of one tile column (element row ${row})`);
    }
    // Every element's cell is painted in a colour of the map, not the background.
    const centres = Array.from({ length: 150 }, (_, i) => ({ x: x + ((i % 5) + 0.5) * cell, y: y + (Math.floor(i / 5) + 0.5) * cell }));
    const colours = await panel.coloursAt(centres);
    const background = cssHex(pic.separator);
    assert.deepEqual(colours.filter((c) => c === 'transparent' || c === background), [], 'every element is painted');

    // The value under the pointer: folded row r, column c is conv1.weight[r / 5, 0, r % 5, c].
    for (const [row, col] of [[13, 4], [0, 0], [29, 2]] as const) {
      const text = await panel.readAt(x + (col + 0.5) * cell, y + (row + 0.5) * cell);
      assertReadout(text, 'conv1.weight', [Math.floor(row / 5), 0, row % 5, col], weight);
    }
    const stats = await panel.stats();
    assert.equal(stats.shape, shapeText(weight.shape));
    assert.equal(stats.count, count(weight.shape));
    for (const k of ['mean', 'std', 'min', 'max'] as const) assertPrinted(stats[k]!, weight.stats[k], `statistics: ${k}`);
  });

  test('▶ Run forward lists one output per module call; conv1\'s output is a grid of 3×2 feature maps with PyTorch\'s values', async () => {
    const panel = await openPanel('tutorial_network.py', expected.name, 'conv1.weight');
    await panel.frame.locator('#run-forward').click();
    const calls = expected.instance.forward.calls;
    const leaves = await until(`${calls.length} module outputs in the tree`, async () => {
      const l = await panel.leaves('activation');
      return l.length === calls.length ? l : undefined;
    }, () => panel.text());
    assert.deepEqual(leaves.map((l) => [l.label, l.detail]), calls.map(([p, type, shape]) => [p || '(output)', `${type} ${shapeText(shape)}`]),
      'every module call of the forward in call order, with its type and output shape');
    const conv1 = leaves.find((l) => l.label === 'conv1')!;
    await panel.select(conv1.id, 'conv1');

    const out = network.activations.conv1!;
    const pic = await panel.picture();
    assert.ok(pic.drawn && pic.colours >= 20, `the feature maps are painted (${pic.colours} colours)`);
    // [1, 6, 24, 24]: 6 maps of 24 × 24, 3 across and 2 down: 48 × 72 elements.
    const { x, y, w, h } = pic.drawn;
    const cell = w / 72;
    assert.ok(Math.abs(h / 48 - cell) < 1, `square cells: the view is ${w}×${h} pixels for 48×72 elements`);
    const down = await panel.separatorsAlong('down', x + 10.5 * cell, y, h, pic.separator);
    assert.equal(down.length, 1, `one line between 2 rows of maps: ${JSON.stringify(down)}`);
    assert.ok(Math.abs(down[0]! - h / 2) <= 2, `at half the height: ${down[0]} of ${h}`);
    const across = await panel.separatorsAlong('across', y + 10.5 * cell, x, w, pic.separator);
    assert.equal(across.length, 2, `two lines between 3 columns of maps: ${JSON.stringify(across)}`);
    across.forEach((at, k) => assert.ok(Math.abs(at - ((k + 1) * w) / 3) <= 2, `line ${k + 1} at ${at} of ${w}`));

    // Folded (30, 40): map row 1, map column 1 → channel 4, at (6, 16) inside the map.
    for (const [row, col] of [[30, 40], [5, 3]] as const) {
      const channel = Math.floor(row / 24) * 3 + Math.floor(col / 24);
      const text = await panel.readAt(x + (col + 0.5) * cell, y + (row + 0.5) * cell);
      assertReadout(text, 'conv1', [0, channel, row % 24, col % 24], out);
    }
    const stats = await panel.stats();
    for (const k of ['mean', 'std', 'min', 'max'] as const) assertPrinted(stats[k]!, out.stats[k], `statistics of conv1's output: ${k}`);
  });

  test('the hover\'s "weight" link reveals the panel with conv1.weight selected', async () => {
    const panel = await openPanel('tutorial_network.py', expected.name, 'conv1.weight');
    await panel.select('parameter/conv2.weight', 'conv2.weight');
    const text = await hoverWord(page, 'self.conv1 = ', 'conv1');
    assert.match(text, /▦ Weights panel: weight · bias/);
    const since = await panel.paintedId();
    await page.locator('.monaco-hover:not(.hidden) a', { hasText: /^weight$/ }).click();
    // The same panel (revealed, not a second one) switches to the link's tensor.
    await panel.painted('conv1.weight', since);
    assert.equal(await panel.frame.locator('#tree li[data-id="parameter/conv1.weight"]').getAttribute('aria-selected'), 'true');
    assert.equal(await page.locator('.tab', { hasText: `Weights: ${expected.name}` }).count(), 1, 'one weights panel');
  });

  test('compare a.weight with b.weight: side by side, then the difference, as PyTorch computes them', async () => {
    const panel = await openPanel('twin_linear.py', twins.class, 'a.weight');
    const a = twins.parameters['a.weight']!;
    const b = twins.parameters['b.weight']!;
    const difference = twins.differences['a.weight - b.weight']!;
    let since = await panel.paintedId();
    await panel.frame.locator('#compare-with').selectOption('parameter/b.weight');
    await panel.painted('a.weight', since);
    assert.match(await panel.frame.locator('#caption').innerText(), /left: a\.weight · right: b\.weight/);

    // Two panes of [4, 6], one in each half of the canvas.
    const pic = await panel.picture();
    assert.ok(pic.drawn, 'the panes are painted');
    const halves = await panel.frame.locator('#heatmap').evaluate((el) => {
      const c = el as HTMLCanvasElement;
      const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      const opaqueColumns: number[] = [];
      for (let x = 0; x < c.width; x++) {
        let any = false;
        for (let y = 0; y < c.height && !any; y++) any = d[(y * c.width + x) * 4 + 3] !== 0;
        if (any) opaqueColumns.push(x / (window.devicePixelRatio || 1));
      }
      return opaqueColumns;
    });
    const middle = pic.width / 2;
    const left = halves.filter((v) => v < middle);
    const right = halves.filter((v) => v >= middle);
    assert.ok(left.length > 0 && right.length > 0, 'a pane in each half');
    const paneWidth = left[left.length - 1]! - left[0]! + 1;
    assert.ok(Math.abs(paneWidth - (right[right.length - 1]! - right[0]! + 1)) <= 1, 'both panes the same size');
    const cell = paneWidth / 6;
    const { y } = pic.drawn;
    const [row, col] = [2, 3];
    const leftText = await panel.readAt(left[0]! + (col + 0.5) * cell, y + (row + 0.5) * cell);
    const r = assertReadout(leftText, 'a.weight', [row, col], a);
    const other = /^ · (\S+)\[([\d, ]+)\] = (\S+)/.exec(r.rest);
    assert.ok(other, `the readout also gives the compared tensor's value: ${leftText}`);
    assert.equal(other[1], 'b.weight');
    assertPrinted(other[3]!, b.values[flat(b.shape, [row, col])]!, `b.weight[${row}, ${col}] in the readout`);
    const rightText = await panel.readAt(right[0]! + (col + 0.5) * cell, y + (row + 0.5) * cell);
    assertReadout(rightText, 'b.weight', [row, col], b);

    since = await panel.paintedId();
    await panel.frame.locator('#compare-mode').selectOption('difference');
    await panel.painted('a.weight', since);
    assert.match(await panel.frame.locator('#caption').innerText(), /a\.weight − b\.weight/);
    const diff = await panel.picture();
    assert.ok(diff.drawn, 'the difference is painted');
    const dcell = diff.drawn.w / 6;
    const text = await panel.readAt(diff.drawn.x + (col + 0.5) * dcell, diff.drawn.y + (row + 0.5) * dcell);
    assertReadout(text, '(a.weight − b.weight)', [row, col], difference);
    const stats = await panel.stats();
    for (const k of ['mean', 'std', 'min', 'max'] as const) assertPrinted(stats[k]!, difference.stats[k], `statistics of the difference: ${k}`);
  });

  test('the panel follows the colour theme: dark, then light (screenshots of both)', async () => {
    await openPanel('tutorial_network.py', expected.name, 'conv1.weight');
    /** The workbench's editor background and the panel's own (a pixel of its left margin at the bottom: nothing drawn there). */
    const colours = async (): Promise<{ editor: Rgb; panel: Rgb }> => {
      const editor = parseCssColor(await page.locator('.monaco-workbench').evaluate((el) => getComputedStyle(el).getPropertyValue('--vscode-editor-background')));
      const box = await (await WeightsPanel.find(page, expected.name)).iframeBox();
      return { editor, panel: await pixelAt(page, box.x + 4, box.y + box.height - 4) };
    };
    const seen = async (): Promise<string> => { const c = await colours(); return `editor ${colorText(c.editor)}, panel ${colorText(c.panel)}`; };
    /** Waits for a dark or light editor background, and the panel's background the same colour. */
    const themed = (dark: boolean): Promise<{ editor: Rgb; panel: Rgb }> => until(`a ${dark ? 'dark' : 'light'} editor and the panel on the same background`, async () => {
      const c = await colours();
      return (dark ? luminance(c.editor) < 0.3 : luminance(c.editor) > 0.7) && sameColor(c.panel, c.editor) ? c : undefined;
    }, seen);
    const separators = (dark: boolean): Promise<boolean> => until(`the heatmap's tile separators in the ${dark ? 'dark' : 'light'} editor background`, async () => {
      const p = await (await WeightsPanel.find(page, expected.name)).picture();
      const l = luminance(parseCssColor(p.separator));
      return (dark ? l < 0.3 : l > 0.7) ? true : undefined;
    }, seen);
    const before = await currentColorTheme(page);
    try {
      // As a user does: Preferences: Color Theme, then the theme.
      await runCommand(page, 'Preferences: Color Theme', 'Dark Modern');
      const dark = await themed(true);
      await separators(true);
      await (await WeightsPanel.find(page, expected.name)).screenshot(artifactPath('weights-panel dark theme'));
      await runCommand(page, 'Preferences: Color Theme', 'Light Modern');
      const light = await themed(false);
      await separators(false);
      await (await WeightsPanel.find(page, expected.name)).screenshot(artifactPath('weights-panel light theme'));
      assert.ok(!sameColor(dark.panel, light.panel), `the panel's background changed with the theme: ${colorText(dark.panel)} → ${colorText(light.panel)}`);
    } finally {
      await runCommand(page, 'Preferences: Color Theme', before);
    }
  });

  test('hidden behind another editor and shown again, the panel keeps its selection and zoom', async () => {
    let panel = await openPanel('tutorial_network.py', expected.name, 'conv1.weight');
    await panel.select('parameter/conv2.weight', 'conv2.weight');
    const whole = await panel.picture();
    assert.ok(whole.drawn);
    // Zoom in twice around a point of the picture, then wait for the picture to settle.
    const at = { x: whole.drawn.x + whole.drawn.w * 0.3, y: whole.drawn.y + whole.drawn.h * 0.4 };
    await panel.frame.locator('#heatmap').hover({ position: at });
    await page.mouse.wheel(0, -120);
    await page.mouse.wheel(0, -120);
    const settled = async (p: WeightsPanel, differentFrom: string): Promise<string> => {
      let last = '';
      return until('the zoomed picture to settle', async () => {
        const hash = (await p.picture()).hash;
        const status = await p.frame.locator('#status').innerText();
        const stable = hash === last && hash !== differentFrom && status === '';
        last = hash;
        return stable ? hash : undefined;
      }, () => p.text());
    };
    const zoomed = await settled(panel, whole.hash);
    const readout = await panel.readAt(at.x, at.y);
    assert.ok(parseReadout(readout), `a readout in the zoomed view: ${readout}`);

    // Another editor in the panel's group hides it (its webview is discarded: retainContextWhenHidden is off).
    const tab = page.locator('.tab', { hasText: `Weights: ${expected.name}` });
    await tab.click();
    await until('the panel focused', async () => ((await page.evaluate(() => document.activeElement?.tagName)) === 'IFRAME' ? true : undefined),
      async () => `focus on ${await page.evaluate(() => document.activeElement?.outerHTML.slice(0, 200))}`, 10_000);
    await openFile(page, 'notes.md', { inActiveGroup: true });
    await until('the panel hidden behind notes.md', async () => (await tab.getAttribute('aria-selected')) === 'false' ? true : undefined, () => panel.text());
    await until('the hidden panel\'s webview gone', async () => (panel.frame.isDetached() ? true : undefined), () => 'the frame is still attached', 30_000);

    await tab.click();
    panel = await WeightsPanel.find(page, expected.name);
    await panel.painted('conv2.weight', 0);
    assert.equal(await panel.frame.locator('#tree li[data-id="parameter/conv2.weight"]').getAttribute('aria-selected'), 'true', 'conv2.weight still selected');
    await until('the same zoomed picture as before hiding', async () => ((await panel.picture()).hash === zoomed ? true : undefined),
      async () => `picture ${(await panel.picture()).hash}, before hiding ${zoomed}\n${await panel.text()}`);
    assert.equal(await panel.readAt(at.x, at.y), readout, 'the same element under the pointer');
  });
});

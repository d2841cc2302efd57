// The weights panel's speed, for the tutorial network's conv1.weight [6, 1, 5, 5], a 4096×4096
// matrix and a GPT-2 token embedding 50257×768, through the real webview bundle in headless chromium
// (test/webview/harness.ts) with a stub host in this process that answers with real downsampled
// windows (language-server/lsp/forward-tensor-view.ts, the server's own code) of synthetic values.
// The real host path (model construction, the tensor worker) is measured by scripts/bench-panel-host.ts.
//
// Reported per tensor (the webview's performance marks, webviews/weights/timing.ts):
//   (a) load→ready: page navigation to the webview's `ready` message (what VS Code's part of opening
//       the panel costs here is the page itself: script parse and first layout);
//   (b) first paint: from the model message arriving (which selects the tensor) to the frame after
//       the heatmap pixels were drawn, the host round trip included; `host` is the stub's window
//       cut, `transport` the rest of the round trip (here Playwright's page.evaluate carrying base64;
//       VS Code's postMessage is a structured clone), `webview` the rest: the panel's own work
//       (`paint`: colouring cells, legend, statistics, drawing) and waiting for the next frame;
//   (b) again on re-selecting it from the tree (warm);
//   stats: the one pass over all values for statistics, histogram and channel ranges (done before
//       the page opens, as a host that cached them; a cold host adds it to the first paint);
//   pan: animation frames while dragging for 60 pointer moves after zooming in, and the windows asked.
//
//   node --import tsx scripts/bench-webview.ts [--server]   (--server: also time the real server's getTensor)
import type { ModelMessage } from '../language-server/protocol/weights-panel.ts';
import { summarize } from '../language-server/lsp/forward-tensor-view.ts';
import { channelRangeOf, launchBrowser, openPanel, webviewBundle, type Harness, type HeldTensor } from '../test/webview/harness.ts';

if (process.argv.includes('--server')) {
  // The real server: nnLens/getTensor for the tutorial network's conv1.weight, cold (the tensor
  // worker builds the model with values) and warm (from its cache, a new window).
  const { fileUri, openDocument, readFile, startServer } = await import('../test/lsp/server-process.ts');
  const { client, stop } = await startServer();
  const uri = fileUri('examples/tutorial_network.py');
  await openDocument(client, uri, readFile('examples/tutorial_network.py'));
  const ask = (window?: object): Promise<unknown> => client.call('nnLens/getTensor', { textDocument: { uri }, className: 'Network', tensor: { kind: 'parameter', name: 'conv1.weight' }, grid: { rows: 360, cols: 696 }, ...(window ? { window } : {}) });
  const c0 = performance.now();
  await ask();
  const cold = performance.now() - c0;
  const warm: number[] = [];
  for (let i = 0; i < 20; i++) {
    const w0 = performance.now();
    await ask({ row: i % 20, col: 0, rows: 10, cols: 5 });
    warm.push(performance.now() - w0);
  }
  console.log(`server nnLens/getTensor tutorial_network.py Network conv1.weight: cold ${cold.toFixed(0)} ms (builds the model), warm median ${[...warm].sort((a, b) => a - b)[10]!.toFixed(2)} ms`);
  await stop();
}

function synthetic(shape: number[], seed: number): HeldTensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const values = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    values[i] = (s / 2 ** 32 - 0.5) * 0.4;
  }
  return { shape, values };
}

const cases: [string, number[]][] = [['conv1.weight', [6, 1, 5, 5]], ['fc.weight', [4096, 4096]], ['wte.weight', [50257, 768]]];
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const p95 = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.95))] ?? NaN;
const ms = (x: number, width: number): string => x.toFixed(1).padStart(width);

/** The webview's measures named `name`, once there are at least `count`. */
async function measures(h: Harness, name: string, count: number): Promise<number[]> {
  await h.page.waitForFunction(([n, c]) => performance.getEntriesByName(n as string).length >= (c as number), [name, count] as const, { timeout: 10_000 });
  return h.page.evaluate((n) => performance.getEntriesByName(n).map((e) => e.duration), name);
}

await webviewBundle();
const browser = await launchBrowser();
console.log('tensor         elements   (a) load→ready  (b) first paint = host + transport + webview (paint)   (b) re-select  stats pass   pan frames  frame median/p95  windows  window ms');
for (const [name, shape] of cases) {
  const t = synthetic(shape, 1);
  const s0 = performance.now();
  summarize(t.values);
  channelRangeOf('parameter', t.shape, t.values);
  const statsMs = performance.now() - s0;
  const other = { shape: [8], values: new Float32Array(8) };
  const model: ModelMessage = { type: 'model', className: 'Bench', uri: 'file:///bench.py', parameters: [{ name, shape, count: t.values.length }, { name: 'other', shape: [8], count: 8 }], buffers: [], activations: [] };
  const h = await openPanel(browser, model, new Map([[`parameter/${name}`, t], ['parameter/other', other]]), undefined, { presummarize: true });
  await h.painted();
  const ready = await h.page.evaluate(() => performance.getEntriesByName('nnlens:ready')[0]!.startTime);
  const [first] = await measures(h, 'nnlens:select-to-paint', 1);
  const [roundTrip] = await measures(h, 'nnlens:host-round-trip', 1);
  const [paint] = await measures(h, 'nnlens:repaint', 1);
  const host = h.hostMs[0]!;
  // Re-select: another tensor, then this one again, from the tree.
  const n0 = h.requests();
  await h.page.locator('#tree li[data-id="parameter/other"]').click();
  await h.painted(n0);
  await measures(h, 'nnlens:select-to-paint', 2);
  const n = h.requests();
  await h.page.locator(`#tree li[data-id="parameter/${name}"]`).click();
  await h.painted(n);
  const again = (await measures(h, 'nnlens:select-to-paint', 3))[2]!;
  // Zoom in 6 steps at the centre, then drag for 60 pointer moves, recording animation frames.
  const box = (await h.page.locator('#heatmap').boundingBox())!;
  await h.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  for (let i = 0; i < 6; i++) await h.page.mouse.wheel(0, -100);
  await h.painted(h.requests() - 1);
  // A string, not a function: tsx's keepNames would wrap the inner function in a helper the page lacks.
  await h.page.evaluate(`(() => {
    window.__frames = [];
    window.__recording = true;
    const tick = (ts) => { window.__frames.push(ts); if (window.__recording) requestAnimationFrame(tick); };
    requestAnimationFrame(tick);
  })()`);
  const before = h.requests();
  const hostBefore = h.hostMs.length;
  await h.page.mouse.down();
  for (let i = 1; i <= 60; i++) await h.page.mouse.move(box.x + box.width / 2 - i * 4, box.y + box.height / 2 - i * 3);
  await h.page.mouse.up();
  await h.painted(before);
  const frames = await h.page.evaluate(() => {
    const w = window as unknown as { __frames: number[]; __recording: boolean };
    w.__recording = false;
    return w.__frames;
  });
  const intervals = frames.slice(1).map((f, i) => f - frames[i]!);
  const windows = h.requests() - before;
  const windowMs = h.hostMs.slice(hostBefore);
  console.log([
    name.padEnd(12), String(t.values.length).padStart(10), ms(ready, 16),
    `${ms(first!, 17)} = ${ms(host, 5)} + ${ms(roundTrip! - host, 9)} + ${ms(first! - roundTrip!, 7)} (${ms(paint!, 5)})`,
    ms(again, 16), ms(statsMs, 12), String(frames.length).padStart(12), `${median(intervals).toFixed(1)}/${p95(intervals).toFixed(1)}`.padStart(17),
    String(windows).padStart(8), ms(median(windowMs), 10),
  ].join(' '));
  await h.close();
}
await browser.close();

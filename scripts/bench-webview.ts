// The weights panel's speed: time to first paint and frame times while panning, for the tutorial
// network's conv1.weight [6, 1, 5, 5], a 4096×4096 matrix and a GPT-2 token embedding 50257×768.
// Synthetic values go through the server's own downsampling (language-server/lsp/forward-tensor-view.ts)
// and the real webview bundle in headless chromium (test/webview/harness.ts).
//
//   node --import tsx scripts/bench-webview.ts
import type { ModelMessage } from '../language-server/protocol/weights-panel.ts';
import { summarize } from '../language-server/lsp/forward-tensor-view.ts';
import { launchBrowser, openPanel, webviewBundle, type HeldTensor } from '../test/webview/harness.ts';
import { fileUri, openDocument, readFile, startServer } from '../test/lsp/server-process.ts';

// The real server first: nnLens/getTensor for the tutorial network's conv1.weight, cold (the tensor
// worker builds the model with values) and warm (from its cache, a new window).
{
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

await webviewBundle();
const browser = await launchBrowser();
console.log('tensor            elements     stats ms  first-window ms  first paint ms  pan: frames  frame median/p95 ms  windows  window ms median  round trip median ms');
for (const [name, shape] of cases) {
  const t = synthetic(shape, 1);
  const s0 = performance.now();
  summarize(t.values);
  const statsMs = performance.now() - s0;
  const model: ModelMessage = { type: 'model', className: 'Bench', uri: 'file:///bench.py', parameters: [{ name, shape, count: t.values.length }], buffers: [], activations: [] };
  const t0 = performance.now();
  const h = await openPanel(browser, model, new Map([[`parameter/${name}`, t]]));
  await h.painted();
  const firstPaint = performance.now() - t0;
  const firstWindow = h.hostMs[0]!;
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
  const p0 = performance.now();
  await h.page.mouse.down();
  for (let i = 1; i <= 60; i++) await h.page.mouse.move(box.x + box.width / 2 - i * 4, box.y + box.height / 2 - i * 3);
  await h.page.mouse.up();
  await h.painted(before);
  const panMs = performance.now() - p0;
  const frames = await h.page.evaluate(() => {
    const w = window as unknown as { __frames: number[]; __recording: boolean };
    w.__recording = false;
    return w.__frames;
  });
  const intervals = frames.slice(1).map((f, i) => f - frames[i]!);
  const windows = h.requests() - before;
  const windowMs = h.hostMs.slice(hostBefore);
  console.log([
    name.padEnd(16), String(t.values.length).padStart(10), statsMs.toFixed(1).padStart(10), firstWindow.toFixed(1).padStart(16), firstPaint.toFixed(0).padStart(15),
    String(frames.length).padStart(13), `${median(intervals).toFixed(1)}/${p95(intervals).toFixed(1)}`.padStart(20), String(windows).padStart(8),
    median(windowMs).toFixed(1).padStart(17), (panMs / Math.max(1, windows)).toFixed(1).padStart(21),
  ].join(' '));
  await h.close();
}
await browser.close();

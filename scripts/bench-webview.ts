// The weights panel's speed, for the tutorial network's conv1.weight [6, 1, 5, 5], a 4096×4096
// matrix and a GPT-2 token embedding 50257×768, through the real webview bundle in headless chromium
// (test/webview/harness.ts) with a stub host in this process that answers with real downsampled
// windows (language-server/lsp/forward-tensor-view.ts, the server's own code, with the overview of
// lsp/tensor-overview.ts for big tensors, and channel ranges sent once per tensor) of synthetic
// values; with --server, the real server answers (below). The real host path request by request
// (model construction, the tensor worker) is measured by scripts/bench-panel-host.ts.
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
//   node --import tsx scripts/bench-webview.ts [--server]
//
// --server: the same with the real language server answering (the values as `torch.manual_seed(0);
// Model()` makes them, scripts/bench-cases.ts) through a copy of the extension host's translation
// (extension/panels/weights-panel.ts: getTensor over stdio, base64 to a Float32Array, channel ranges
// sent once); `model` is building the model (asking for a small tensor of it first; then 1 s of idle
// time, NNLENS_BENCH_IDLE_MS, as a user's before selecting, in which the tensor worker precomputes the
// big parameters' range pass and overview, forward-tensors.ts precomputeIdle), and the first
// paint then includes the tensor worker's range pass (min and max; the host asks with `deferSummary`
// and, per-channel colouring being off, `deferChannelRange`, as the panel does), and `stats` is the
// time from the selection until the rest of the summary (nnLens/getTensorSummary, asked when the
// first answer came, with the channel ranges) is on screen. A line under each tensor splits the
// first answer's `host` into the getTensor round trip and the base64 decode, with the base64 size.
import type { GetTensorResult, GetTensorSummaryResult } from '../language-server/protocol/requests.ts';
import type { HostToWebview, ModelMessage, RequestTensorMessage } from '../language-server/protocol/weights-panel.ts';
import { summarize } from '../language-server/lsp/forward-tensor-view.ts';
import { launchBrowser, openPanel, webviewBundle, type Harness, type HeldTensor, type PanelOptions } from '../test/webview/harness.ts';
import { fileUri, openDocument, startServer } from '../test/lsp/server-process.ts';
import type { LspClient } from '../test/lsp/lsp-client.ts';
import { benchCases } from './bench-cases.ts';

/** --server: the idle time between building the model and selecting the tensor (NNLENS_BENCH_IDLE_MS, default 1000). */
const idleMs = Number(process.env.NNLENS_BENCH_IDLE_MS ?? 1000);

const useServer = process.argv.includes('--server');

/** What the extension host does with a requestTensor message (extension/panels/weights-panel.ts answerTensor, answerSummary). */
function serverAnswer(client: LspClient, uri: string, className: string, split: { lsp: number; decode: number; chars: number }[]): (m: RequestTensorMessage, post: (m: HostToWebview) => Promise<void>) => Promise<HostToWebview> {
  return async (m, post) => {
    try {
      const t0 = performance.now();
      const r = await client.call<GetTensorResult>('nnLens/getTensor', {
        textDocument: { uri }, className, tensor: m.tensor, device: 'cpu', ...(m.window ? { window: m.window } : {}), grid: m.grid, reduction: m.reduction,
        ...(m.minus ? { minus: m.minus } : {}), ...(m.knownSummary ? { knownSummaryId: m.knownSummary } : {}), ...(m.deferSummary ? { deferSummary: true } : {}),
        ...(m.deferChannelRange ? { deferChannelRange: true } : {}),
      });
      if (r.summaryPending && r.summaryId) {
        const summaryId = r.summaryId;
        void client.call<GetTensorSummaryResult>('nnLens/getTensorSummary', { summaryId, ...(r.channelRangePending ? { channelRange: true } : {}) }).then(
          (s) => post({ type: 'summary', summaryId, stats: s.stats, histogram: s.histogram, ...(s.channelRange ? { channelRange: s.channelRange } : {}) }),
          (e: unknown) => post({ type: 'summary', summaryId, error: String(e) }),
        );
      }
      const t1 = performance.now();
      const bytes = Buffer.from(r.data, 'base64');
      const values = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
      split.push({ lsp: t1 - t0, decode: performance.now() - t1, chars: r.data.length });
      return {
        type: 'tensor', requestId: m.requestId, tensor: r.tensor, shape: r.shape, dtype: r.dtype, folded: r.folded!, window: r.window!, grid: r.grid!,
        exact: r.exact!, reduction: r.reduction!, minus: r.minus ?? m.minus, stats: r.stats, channelRange: r.channelRange ?? null,
        histogram: r.histogram ?? { min: r.stats.min, max: r.stats.max, counts: [] }, values, ...(r.summaryPending ? { summaryPending: true } : {}), ...(r.channelRangePending ? { channelRangePending: true } : {}),
        ...(r.summaryId ? { summaryId: r.summaryId } : {}), ...(r.channelRangeOmitted ? { channelRangeOmitted: true } : {}), device: 'CPU',
      };
    } catch (e) {
      return { type: 'error', requestId: m.requestId, message: e instanceof Error ? e.message : String(e) };
    }
  };
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
const server = useServer ? await startServer() : null;
console.log(`tensor         elements   (a) load→ready  (b) first paint = host + transport + webview (paint)     stats   (b) re-select  ${useServer ? '  model ms' : 'stats pass'}   pan frames  frame median/p95  windows  window ms`);
let version = 0;
/** --server: each request's getTensor round trip (the server, its tensor worker, LSP JSON both ways) and the base64 decode, and the cells' base64 size. */
const split: { lsp: number; decode: number; chars: number }[] = [];
for (const c of benchCases) {
  const { name, shape } = c;
  const model: ModelMessage = {
    type: 'model', className: c.className, uri: fileUri(c.file),
    parameters: [{ name, shape, count: shape.reduce((a, b) => a * b, 1) }, { name: c.warm, shape: c.warmShape, count: c.warmShape.reduce((a, b) => a * b, 1) }], buffers: [], activations: [],
  };
  let setupMs: number;
  let held = new Map<string, HeldTensor>();
  let options: PanelOptions;
  if (server) {
    // The model is built by asking for its small tensor, as a panel's earlier selection would.
    await openDocument(server.client, model.uri, c.text, ++version);
    const s0 = performance.now();
    await server.client.call('nnLens/getTensor', { textDocument: { uri: model.uri }, className: c.className, tensor: { kind: 'parameter', name: c.warm }, grid: { rows: 1, cols: 1 } });
    setupMs = performance.now() - s0;
    // A short idle time between the build and the selection, as a user's (the tensor worker
    // precomputes big parameters' range passes and overviews then; forward-tensors.ts precomputeIdle).
    await new Promise((resolve) => setTimeout(resolve, idleMs));
    split.length = 0;
    options = { answer: serverAnswer(server.client, model.uri, c.className, split) };
  } else {
    const t = synthetic(shape, 1);
    const s0 = performance.now();
    // The tensor worker's one pass for a parameter: statistics, histogram, channel ranges along dim 0.
    summarize(t.values, t.shape, 0);
    setupMs = performance.now() - s0;
    held = new Map([[`parameter/${name}`, t], [`parameter/${c.warm}`, synthetic(c.warmShape, 2)]]);
    options = { presummarize: true };
  }
  const elements = model.parameters[0]!.count;
  const h = await openPanel(browser, model, held, undefined, options);
  await h.painted();
  const ready = await h.page.evaluate(() => performance.getEntriesByName('nnlens:ready')[0]!.startTime);
  const [first] = await measures(h, 'nnlens:select-to-paint', 1);
  const [roundTrip] = await measures(h, 'nnlens:host-round-trip', 1);
  const [paint] = await measures(h, 'nnlens:repaint', 1);
  const [statsShown] = await measures(h, 'nnlens:select-to-stats', 1);
  const host = h.hostMs[0]!;
  // Re-select: another tensor, then this one again, from the tree.
  const n0 = h.requests();
  await h.page.locator(`#tree li[data-id="parameter/${c.warm}"]`).click();
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
    name.padEnd(12), String(elements).padStart(10), ms(ready, 16),
    `${ms(first!, 17)} = ${ms(host, 5)} + ${ms(roundTrip! - host, 9)} + ${ms(first! - roundTrip!, 7)} (${ms(paint!, 5)})`, ms(statsShown!, 9),
    ms(again, 16), ms(setupMs, 12), String(frames.length).padStart(12), `${median(intervals).toFixed(1)}/${p95(intervals).toFixed(1)}`.padStart(17),
    String(windows).padStart(8), ms(median(windowMs), 10),
  ].join(' '));
  await h.close();
  if (server && split[0]) console.log(`  ${name}: first answer's host = getTensor round trip ${split[0].lsp.toFixed(1)} ms + base64 decode ${split[0].decode.toFixed(1)} ms (${(split[0].chars / 1e6).toFixed(2)} MB of base64)`);
}
await browser.close();
await server?.stop();

// `node --import tsx scripts/bench-panel-host.ts [--runs 5] [--devices cpu,webgpu] [--whole] [--json out.json]`:
// the weights panel's host path measured end to end — from an nnLens/getTensor request over stdio
// to its answer, on the real language server (spawned as the LSP tests spawn it). For three tensors
// (the tutorial's conv1.weight, a 4096×4096 Linear weight, a 50257×768 Embedding) and each device:
//   model: a first request for a small tensor of the same model (building the model with values on
//          that device and reading it back; mostly the seeded RNG filling the values);
//   first: then the first request for the tensor itself, the grid the panel asks for, with
//          `deferSummary` and `deferChannelRange` as the panel asks when not colouring per channel
//          (the range pass for min and max, and the cells; with --whole neither: the whole
//          statistics pass and the channel ranges too, as before);
//   summary: then nnLens/getTensorSummary for it with the channel ranges, asked as soon as the
//          first answer came (the rest of the summary, computed by the worker right after that answer);
//   again: a second later (the overview built meanwhile), the same window again naming the summary it got (no channel ranges sent), and `+ranges`
//          the same without naming it (what every window cost before channel ranges were sent once);
//   pan:   whole-width windows of a quarter of the rows moved down step by step (a zoomed-out pan,
//          reduced from the overview), and `zoomed`: a window of a quarter in both directions.
// WebGPU without a GPU runs on llvmpipe (EGL_PLATFORM=surfaceless, set by the server), so its
// numbers there say little about a real GPU.
import fs from 'node:fs';
import path from 'node:path';
import type { GetTensorResult, GetTensorSummaryResult } from '../language-server/protocol/requests.ts';
import { fileUri, root, startServer, openDocument } from '../test/lsp/server-process.ts';
import { benchCases as cases } from './bench-cases.ts';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const cell = (x: number, width = 6): string => (x >= 100 ? x.toFixed(0) : x.toFixed(1)).padStart(width);

async function main(): Promise<void> {
  const runs = Number(arg('runs', '5'));
  const devices = arg('devices', 'cpu,webgpu').split(',');
  const rows: Record<string, unknown>[] = [];
  const whole = process.argv.includes('--whole');
  console.log(`device  tensor                                model ms  first ms${whole ? ' (whole)' : ''}  summary    again  +ranges      pan   zoomed   (ms; medians of later requests)`);
  // One server per device: each first request pays for the model on that device only.
  for (const device of devices) {
    const { client, stop } = await startServer();
    try {
      let version = 0;
      for (const c of cases) {
        const uri = fileUri(c.file);
        await openDocument(client, uri, c.text, ++version);
        const request = (name: string, extra: Record<string, unknown> = {}): Promise<GetTensorResult> => client.call<GetTensorResult>('nnLens/getTensor', {
          textDocument: { uri }, className: c.className, tensor: { kind: 'parameter', name }, device,
          grid: { rows: 256, cols: 256 }, reduction: 'mean', ...extra,
        });
        const timed = async (f: () => Promise<unknown>): Promise<number> => { const t0 = performance.now(); await f(); return performance.now() - t0; };
        const modelMs = await timed(() => request(c.warm));
        let first!: GetTensorResult;
        const firstMs = await timed(async () => { first = await request(c.name, whole ? {} : { deferSummary: true, deferChannelRange: true }); });
        let channels = first.channelRange?.min.length ?? 0;
        const summaryMs = !first.summaryPending ? 0 : await timed(async () => {
          const rest = await client.call<GetTensorSummaryResult>('nnLens/getTensorSummary', { summaryId: first.summaryId, channelRange: true });
          channels = rest.channelRange?.min.length ?? channels;
        });
        const known = first.summaryId ? { knownSummaryId: first.summaryId } : {};
        // A person looks at the first paint before zooming or panning: the worker builds a big
        // tensor's overview in that time (after the first answer, not before it).
        await new Promise((resolve) => setTimeout(resolve, 1000));
        const again: number[] = [];
        const withRanges: number[] = [];
        const panned: number[] = [];
        const zoom: number[] = [];
        const { rows: R, cols: C } = first.folded!;
        const quarter = Math.max(1, Math.floor(R / 4));
        for (let i = 0; i < runs; i++) {
          again.push(await timed(() => request(c.name, known)));
          withRanges.push(await timed(() => request(c.name)));
          for (let step = 0; step < 4; step++) {
            const row = Math.min(R - quarter, Math.floor(((i * 4 + step) * R) / (8 * runs)));
            panned.push(await timed(() => request(c.name, { ...known, window: { row, col: 0, rows: quarter, cols: C } })));
          }
          zoom.push(await timed(() => request(c.name, { ...known, window: { row: 0, col: 0, rows: quarter, cols: Math.max(1, Math.floor(C / 4)) } })));
        }
        const row = {
          device, ran: first.device === 'webgpu' ? `webgpu (${first.adapter})` : first.device, tensor: c.label, shape: first.shape,
          modelMs: Math.round(modelMs), firstMs: Math.round(firstMs), summaryMs: Math.round(summaryMs), againMs: +median(again).toFixed(1), withRangesMs: +median(withRanges).toFixed(1),
          panMs: +median(panned).toFixed(1), zoomMs: +median(zoom).toFixed(1), channels,
        };
        rows.push(row);
        console.log(`${device.padEnd(7)} ${c.label.padEnd(36)} ${cell(row.modelMs, 9)} ${cell(row.firstMs, whole ? 17 : 9)} ${cell(row.summaryMs, 8)} ${cell(row.againMs, 8)} ${cell(row.withRangesMs, 8)} ${cell(row.panMs, 8)} ${cell(row.zoomMs, 8)}   on ${row.ran}`);
      }
    } catch (e) {
      console.log(`${device}: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      await stop();
    }
  }
  const out = process.argv.includes('--json') ? arg('json', '') : '';
  if (out) fs.writeFileSync(path.resolve(root, out), `${JSON.stringify(rows, null, 2)}\n`);
}

await main();

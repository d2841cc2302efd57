// `node --import tsx scripts/bench-panel-host.ts [--runs 5] [--devices cpu,webgpu] [--json out.json]`:
// the weights panel's host path measured end to end — from an nnLens/getTensor request over stdio
// to its answer, on the real language server (spawned as the LSP tests spawn it). For three tensors
// (the tutorial's conv1.weight, a 4096×4096 Linear weight, a 50257×768 Embedding) and each device:
// the first request (building the model with values on that device, reading it back, the
// statistics pass with channel ranges, the cells) and then the cached ones (re-reduction only),
// with the grid the panel asks for. WebGPU without a GPU runs on llvmpipe (EGL_PLATFORM=surfaceless,
// set by the server), so its numbers there say little about a real GPU.
import fs from 'node:fs';
import path from 'node:path';
import type { GetTensorResult } from '../language-server/protocol/requests.ts';
import { fileUri, readFile, root, startServer, openDocument } from '../test/lsp/server-process.ts';

interface Case { label: string; file: string; text: string; className: string; name: string }

const cases: Case[] = [
  { label: 'tutorial conv1.weight [6, 1, 5, 5]', file: 'examples/tutorial_network.py', text: readFile('examples/tutorial_network.py'), className: 'Network', name: 'conv1.weight' },
  {
    label: 'Linear(4096, 4096).weight', file: '.scratch/bench-panel-host/big_linear.py', className: 'Big', name: 'fc.weight',
    text: 'import torch\nimport torch.nn as nn\n\nclass Big(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(4096, 4096)\n\n    def forward(self, x):\n        return self.fc(x)\n\nout = Big()(torch.randn(1, 4096))\n',
  },
  {
    label: 'Embedding(50257, 768).weight', file: '.scratch/bench-panel-host/wte.py', className: 'Wte', name: 'wte.weight',
    text: 'import torch\nimport torch.nn as nn\n\nclass Wte(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.wte = nn.Embedding(50257, 768)\n\n    def forward(self, idx):\n        return self.wte(idx)\n\nout = Wte()(torch.randint(0, 50257, (1, 8)))\n',
  },
];

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const runs = Number(arg('runs', '5'));
  const devices = arg('devices', 'cpu,webgpu').split(',');
  const rows: Record<string, unknown>[] = [];
  // One server per device: each first request pays for the model on that device only.
  for (const device of devices) {
    const { client, stop } = await startServer();
    try {
      let version = 0;
      for (const c of cases) {
        const uri = fileUri(c.file);
        await openDocument(client, uri, c.text, ++version);
        const request = (window?: unknown): Promise<GetTensorResult> => client.call<GetTensorResult>('nnLens/getTensor', {
          textDocument: { uri }, className: c.className, tensor: { kind: 'parameter', name: c.name }, device,
          grid: { rows: 256, cols: 256 }, reduction: 'mean', ...(window ? { window } : {}),
        });
        let t0 = performance.now();
        const first = await request();
        const firstMs = performance.now() - t0;
        const cached: number[] = [];
        const zoom: number[] = [];
        for (let i = 0; i < runs; i++) {
          t0 = performance.now();
          await request();
          cached.push(performance.now() - t0);
          t0 = performance.now();
          await request({ row: 0, col: 0, rows: Math.max(1, Math.floor(first.folded!.rows / 4)), cols: Math.max(1, Math.floor(first.folded!.cols / 4)) });
          zoom.push(performance.now() - t0);
        }
        const row = {
          device, ran: first.device === 'webgpu' ? `webgpu (${first.adapter})` : first.device, tensor: c.label, shape: first.shape,
          firstMs: Math.round(firstMs), cachedMs: +median(cached).toFixed(1), zoomMs: +median(zoom).toFixed(1),
          channels: first.channelRange?.min.length ?? 0,
        };
        rows.push(row);
        console.log(`${device.padEnd(7)} ${c.label.padEnd(36)} first ${String(row.firstMs).padStart(6)} ms   cached ${String(row.cachedMs).padStart(6)} ms   zoomed ${String(row.zoomMs).padStart(6)} ms   on ${row.ran}`);
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

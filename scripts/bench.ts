// `npm run bench`: analysis time per corpus file (parse, evaluate, construct+trace; cold and
// warm) and memory, on the shape tier. Memory must not grow with parameter count: VGG11 (132.9 M
// parameters) and a 7-billion-parameter LLaMA-style config are measured next to LeNet. When
// PyTorch is installed (`/usr/bin/python3` with torch), the same files are constructed and run in
// PyTorch in the same run, and the ratio is reported. Then, unless `--shape-only`, the value tier
// (scripts/bench-values.ts: forward latency on cpu and webgpu, matmul GFLOP/s, peers), then the
// editor tier (scripts/bench-editor.ts: edit → diagnostics and hover latency of the real language
// server; `--no-editor` skips only this tier, `--editor-runs N` sets its edits per file), then the
// construction of big layers (scripts/bench-init.ts) and the weights panel (scripts/bench-panel-host.ts,
// scripts/bench-webview.ts); `--no-panels` skips these three.
//
//   npm run bench [-- --runs 20] [-- --only lenet,vgg11] [-- --json out.json] [-- --shape-only] [-- --no-editor] [-- --no-panels]
//   (the value tier's own options, e.g. --no-peers, are passed on to it; see bench-values.ts)
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { inspectSource } from '../language-server/analysis/inspect.ts';
import type { ClassSpec } from '../language-server/analysis/inputs.ts';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const corpus = path.join(root, 'test/corpus');
const argv = process.argv.slice(2);
const opt = (name: string, dflt: string): string => { const i = argv.indexOf(`--${name}`); return i >= 0 ? argv[i + 1]! : dflt; };
const runs = Number(opt('runs', '15'));
const only = opt('only', '') ? new Set(opt('only', '').split(',')) : null;
const specs = JSON.parse(fs.readFileSync(path.join(corpus, 'inputs.json'), 'utf8')) as Record<string, Record<string, ClassSpec>>;

const gc = (globalThis as { gc?: () => void }).gc;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

interface Row { file: string; coldMs: number; warmMs: number; parseMs: number; evalMs: number; classesMs: number; heapDeltaMiB: number; params: number }

async function measure(file: string, source: string, spec: Record<string, ClassSpec>): Promise<Row> {
  gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  let t = performance.now();
  const first = await inspectSource(source, file, { spec });
  const coldMs = performance.now() - t;
  let heapPeak = process.memoryUsage().heapUsed;
  const totals: number[] = [], parse: number[] = [], evaluate: number[] = [], classes: number[] = [];
  for (let i = 0; i < runs; i++) {
    t = performance.now();
    const r = await inspectSource(source, file, { spec });
    totals.push(performance.now() - t);
    parse.push(r.timings_ms.parse); evaluate.push(r.timings_ms.evaluate); classes.push(r.timings_ms.classes);
    heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
  }
  const params = first.classes.reduce((s, c) => s + (c.instance?.num_params ?? 0), 0);
  return {
    file, coldMs, warmMs: median(totals), parseMs: median(parse), evalMs: median(evaluate), classesMs: median(classes),
    heapDeltaMiB: (heapPeak - heapBefore) / 2 ** 20, params,
  };
}

/** A LLaMA-7B-shaped model: 6.7 billion parameters, which the shape tier never allocates. */
const llama7b = `
import torch, torch.nn as nn
from dataclasses import dataclass

@dataclass
class Config:
    dim: int = 4096
    n_layers: int = 32
    n_heads: int = 32
    vocab_size: int = 32000
    hidden_dim: int = 11008

class RMSNorm(nn.Module):
    def __init__(self, dim, eps=1e-6):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(dim))
    def forward(self, x):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps) * self.weight

class Attention(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.n_heads = c.n_heads
        self.wq = nn.Linear(c.dim, c.dim, bias=False)
        self.wk = nn.Linear(c.dim, c.dim, bias=False)
        self.wv = nn.Linear(c.dim, c.dim, bias=False)
        self.wo = nn.Linear(c.dim, c.dim, bias=False)
    def forward(self, x):
        b, t, d = x.shape
        q = self.wq(x).view(b, t, self.n_heads, d // self.n_heads).transpose(1, 2)
        k = self.wk(x).view(b, t, self.n_heads, d // self.n_heads).transpose(1, 2)
        v = self.wv(x).view(b, t, self.n_heads, d // self.n_heads).transpose(1, 2)
        y = torch.nn.functional.scaled_dot_product_attention(q, k, v, is_causal=True)
        return self.wo(y.transpose(1, 2).reshape(b, t, d))

class FeedForward(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.w1 = nn.Linear(c.dim, c.hidden_dim, bias=False)
        self.w2 = nn.Linear(c.hidden_dim, c.dim, bias=False)
        self.w3 = nn.Linear(c.dim, c.hidden_dim, bias=False)
    def forward(self, x):
        return self.w2(torch.nn.functional.silu(self.w1(x)) * self.w3(x))

class Block(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.attention_norm = RMSNorm(c.dim)
        self.attention = Attention(c)
        self.ffn_norm = RMSNorm(c.dim)
        self.feed_forward = FeedForward(c)
    def forward(self, x):
        x = x + self.attention(self.attention_norm(x))
        return x + self.feed_forward(self.ffn_norm(x))

class Llama(nn.Module):
    def __init__(self, c=Config()):
        super().__init__()
        self.tok_embeddings = nn.Embedding(c.vocab_size, c.dim)
        self.layers = nn.ModuleList([Block(c) for _ in range(c.n_layers)])
        self.norm = RMSNorm(c.dim)
        self.output = nn.Linear(c.dim, c.vocab_size, bias=False)
    def forward(self, tokens):
        h = self.tok_embeddings(tokens)
        for layer in self.layers:
            h = layer(h)
        return self.output(self.norm(h))
`;

function pytorchPeer(files: string[]): Map<string, number> | null {
  const python = '/usr/bin/python3';
  if (!fs.existsSync(python)) return null;
  const script = `
import importlib.util, json, sys, time, torch
torch.set_num_threads(1)
specs = json.load(open(sys.argv[1]))
out = {}
for path in sys.argv[2:]:
    stem = path.rsplit('/', 1)[-1][:-3]
    try:
        spec = importlib.util.spec_from_file_location('bench_' + stem, path)
        mod = importlib.util.module_from_spec(spec); spec.loader.exec_module(mod)
    except Exception:
        continue
    def run():
        for name, s in specs.get(stem, {}).items():
            cls = getattr(mod, name)
            try:
                m = cls(*s.get('args', []), **s.get('kwargs', {})).eval()
                xs = [torch.randn(*i['shape']) if i['kind'] == 'randn' else torch.randint(i.get('low', 0), i.get('high', 2), i['shape']) for i in s.get('inputs', [])]
                with torch.no_grad():
                    m(*xs)
            except Exception:
                pass
    run()
    times = []
    for _ in range(5):
        t = time.perf_counter(); run(); times.append((time.perf_counter() - t) * 1000)
    out[stem] = sorted(times)[2]
print(json.dumps(out))
`;
  const r = spawnSync(python, ['-c', script, path.join(corpus, 'inputs.json'), ...files], { encoding: 'utf8', timeout: 600_000 });
  if (r.status !== 0) { console.log(`PyTorch peer: could not run (${(r.stderr || r.error?.message || '').trim().split('\n').pop()})`); return null; }
  return new Map(Object.entries(JSON.parse(r.stdout) as Record<string, number>));
}

const files = fs.readdirSync(path.join(corpus, 'models')).filter((f) => f.endsWith('.py')).sort()
  .filter((f) => !only || only.has(f.slice(0, -3)));
const rows: Row[] = [];
for (const f of files) {
  const stem = f.slice(0, -3);
  rows.push(await measure(f, fs.readFileSync(path.join(corpus, 'models', f), 'utf8'), specs[stem] ?? {}));
}
if (!only || only.has('llama7b')) {
  rows.push(await measure('llama_7b (generated)', llama7b, { Llama: { inputs: [{ kind: 'randint', low: 0, high: 32000, shape: [1, 16] }] } }));
}
const torchTimes = pytorchPeer(files.map((f) => path.join(corpus, 'models', f)));

const pad = (s: string | number, n: number): string => String(s).padStart(n);
console.log(`NN Lens shape tier (device meta), median of ${runs} warm runs; cold = first analysis of the file in this process`);
console.log(`${'file'.padEnd(28)}${pad('params', 15)}${pad('cold ms', 9)}${pad('warm ms', 9)}${pad('parse', 8)}${pad('eval', 8)}${pad('classes', 9)}${pad('heap MiB', 10)}${torchTimes ? `${pad('torch ms', 10)}${pad('ratio', 8)}` : ''}`);
for (const r of rows) {
  const torchMs = torchTimes?.get(r.file.replace(/\.py$/, ''));
  console.log(`${r.file.padEnd(28)}${pad(r.params.toLocaleString('en-US'), 15)}${pad(r.coldMs.toFixed(1), 9)}${pad(r.warmMs.toFixed(2), 9)}${pad(r.parseMs.toFixed(2), 8)}${pad(r.evalMs.toFixed(2), 8)}${pad(r.classesMs.toFixed(2), 9)}${pad(r.heapDeltaMiB.toFixed(1), 10)}`
    + (torchTimes ? `${pad(torchMs === undefined ? '-' : torchMs.toFixed(1), 10)}${pad(torchMs === undefined ? '-' : `${(torchMs / r.warmMs).toFixed(1)}x`, 8)}` : ''));
}
const over = rows.filter((r) => r.warmMs > 20);
console.log(`\nwarm: max ${Math.max(...rows.map((r) => r.warmMs)).toFixed(2)} ms, files over 20 ms: ${over.map((r) => r.file).join(', ') || 'none'}`);
console.log(`peak RSS ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB${gc ? '' : ' (run with --expose-gc for exact heap deltas)'}`);
if (torchTimes) console.log('torch ms = PyTorch 1.13 (CPU, 1 thread) constructing each class and running its forward on the corpus inputs; ratio = torch / NN Lens warm');
else console.log('PyTorch peer: /usr/bin/python3 with torch not found (apt-get install python3-torch); not compared');
const jsonOut = opt('json', '');
let values: unknown = null;
if (!argv.includes('--shape-only')) {
  const { parseValueBenchArgs, runValueBench } = await import('./bench-values.ts');
  values = await runValueBench(parseValueBenchArgs(argv));
}
let editor: unknown = null;
if (!argv.includes('--shape-only') && !argv.includes('--no-editor')) {
  const { editorBenchHeader, runEditorBench, summary } = await import('./bench-editor.ts');
  console.log(`\n${editorBenchHeader()}`);
  const r = await runEditorBench({ runs: Number(opt('editor-runs', '8')), only });
  console.log(summary(r.debounceMs, r.rows));
  editor = r;
}
// Seeded construction of big layers against PyTorch (bench-init.ts), then the weights panel: its
// host path (getTensor on the real server) and the webview itself (first paint, panning) in
// headless chromium. Separate processes: each starts its own server or browser.
const panels: Record<string, number | null> = {};
if (!argv.includes('--shape-only') && !argv.includes('--no-panels')) {
  // bench-webview with --server: first paint with the real language server answering, as in VS Code.
  for (const [script, ...args] of [['bench-init.ts'], ['bench-panel-host.ts'], ['bench-webview.ts', '--server']]) {
    console.log(`\n== scripts/${script} ${args.join(' ')}`);
    const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'scripts', script!), ...args], { cwd: root, stdio: 'inherit' });
    panels[script!] = r.status;
    if (r.status !== 0) console.log(`scripts/${script} failed (exit ${r.status ?? r.signal}); see its output above`);
  }
}
if (jsonOut) fs.writeFileSync(jsonOut, JSON.stringify({ rows, torch: torchTimes ? Object.fromEntries(torchTimes) : null, values, editor, panelBenchExitCodes: panels }, null, 1));

// Seeded-initialisation benchmark: how long constructing big layers takes on the value tier
// (`torch.manual_seed(0)`, then the layer's reset_parameters drawing from the bit-exact generator
// of runtime/random/), next to PyTorch 1.13 on one thread when /usr/bin/python3 has torch.
//
//   node --import tsx scripts/bench-init.ts [--runs N] [--only embedding,linear] [--no-torch] [--cpu-time]
//
// Each layer is built once as a warm-up, then `runs` times (default 3); the median is reported.
// `--cpu-time` measures the process's CPU time (user + system) instead of wall time, on both sides
// (PyTorch's `time.process_time()`): steadier on a loaded machine.
// The ratio is NN Lens time / PyTorch time (> 1: NN Lens is slower). The first values of each
// layer's weight are printed from both, so a mismatch would show.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { type PyValue, plainInterop } from '../runtime/python/index.ts';
import type { Module, ModuleClass } from '../runtime/nn/module.ts';
import { nnClasses } from '../runtime/nn/index.ts';
import { withRuntimeContext } from '../runtime/context.ts';
import { manualSeed } from '../runtime/torch/random.ts';
import type { Tensor } from '../runtime/tensor.ts';
import '../runtime/kernels/cpu/index.ts';

interface Case { name: string; cls: string; args: number[]; py: string }

const cases: Case[] = [
  { name: 'embedding', cls: 'Embedding', args: [50257, 768], py: 'nn.Embedding(50257, 768)' },
  { name: 'linear', cls: 'Linear', args: [4096, 4096], py: 'nn.Linear(4096, 4096)' },
  { name: 'conv', cls: 'Conv2d', args: [512, 512, 3], py: 'nn.Conv2d(512, 512, 3)' },
  { name: 'lstm', cls: 'LSTM', args: [1024, 1024], py: 'nn.LSTM(1024, 1024)' },
];

const argv = process.argv.slice(2);
const opt = (name: string): string | undefined => { const i = argv.indexOf(name); return i >= 0 ? argv[i + 1] : undefined; };
const runs = Number(opt('--runs') ?? 3);
const only = opt('--only')?.split(',');
const withTorch = !argv.includes('--no-torch');
const cpuTime = argv.includes('--cpu-time');
/** Milliseconds: wall time, or this process's CPU time with --cpu-time. */
const clock = (): number => {
  if (!cpuTime) return performance.now();
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const selected = cases.filter((c) => !only || only.includes(c.name));
const classes = new Map<string, ModuleClass>(nnClasses.map((c) => [c.pyName, c]));

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function build(c: Case): Module {
  const C = classes.get(c.cls)!;
  manualSeed(0);
  const m = new C();
  m.pyInit(c.args as PyValue[], new Map(), plainInterop);
  return m;
}

function firstWeights(m: Module): number[] {
  const p = m.parametersDict;
  const w = (p?.has('weight') ? p.get('weight') : p?.get('weight_ih_l0')) as Tensor | undefined;
  return w?.data ? Array.from(w.data.subarray(0, 3) as Float32Array) : [];
}

function ours(c: Case): { ms: number; first: number[] } {
  return withRuntimeContext({ device: 'cpu' }, () => {
    let first = firstWeights(build(c));
    const times: number[] = [];
    for (let r = 0; r < runs; r++) {
      const t0 = clock();
      const m = build(c);
      times.push(clock() - t0);
      first = firstWeights(m);
    }
    return { ms: median(times), first };
  });
}

function torchTimes(): Map<string, { ms: number; first: number[] }> | string {
  const python = '/usr/bin/python3';
  if (!fs.existsSync(python)) return `${python} not found`;
  const src = `
import json, time, torch, torch.nn as nn
torch.set_num_threads(1)
clock = time.${cpuTime ? 'process_time' : 'perf_counter'}
out = {}
for name, expr in ${JSON.stringify(selected.map((c) => [c.name, c.py]))}:
    f = lambda: eval(expr)
    torch.manual_seed(0); f()
    ts = []
    for _ in range(${runs}):
        torch.manual_seed(0); t0 = clock(); m = f(); ts.append((clock() - t0) * 1000)
    w = m.weight if hasattr(m, 'weight') else m.weight_ih_l0
    out[name] = {'ms': sorted(ts)[len(ts) // 2], 'first': w.detach().flatten()[:3].tolist()}
print(json.dumps(out))
`;
  const r = spawnSync(python, ['-c', src], { encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1' } });
  if (r.status !== 0) return `PyTorch did not run: ${(r.stderr || r.error?.message || '').trim().split('\n').pop()}`;
  return new Map(Object.entries(JSON.parse(r.stdout) as Record<string, { ms: number; first: number[] }>));
}

const torch = withTorch ? torchTimes() : 'skipped (--no-torch)';
if (typeof torch === 'string') console.log(`PyTorch: ${torch}`);
console.log(cpuTime ? 'CPU time (user + system), median of runs' : 'wall time, median of runs');
console.log(`${'layer'.padEnd(28)} ${'NN Lens ms'.padStart(11)} ${'PyTorch ms'.padStart(11)} ${'ratio'.padStart(7)}  first weights equal`);
for (const c of selected) {
  const o = ours(c);
  const t = typeof torch === 'string' ? undefined : torch.get(c.name);
  const ratio = t ? (o.ms / t.ms).toFixed(2) : '-';
  const same = t ? String(t.first.every((v, i) => Math.fround(v) === o.first[i])) : '-';
  console.log(`${c.py.padEnd(28)} ${o.ms.toFixed(1).padStart(11)} ${(t ? t.ms.toFixed(1) : '-').padStart(11)} ${ratio.padStart(7)}  ${same}`);
}

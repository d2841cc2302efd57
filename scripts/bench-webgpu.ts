// WebGPU micro-benchmark: matmul GFLOP/s at 256 / 512 / 1024 / 4096, conv2d throughput and a
// ResNet-18 forward (batch 1, 224×224, through the runtime's ops) on the
// adapter initWebGpu() picks (or --adapter), with the kernel style it picks (or --style; `both`
// measures both). Each size repeats until --seconds of GPU time or --max-runs; a size whose first
// run is predicted (from the last size's rate) to take longer than --cap seconds is reported as
// skipped rather than run, so 4096 on SwiftShader does not take minutes.
//
//   node --import tsx scripts/bench-webgpu.ts [--adapter llvmpipe|swiftshader|gpu] [--style registers|tiled|both]
//                                             [--seconds 3] [--cap 30] [--max-runs 50] [--json out.json]
import fs from 'node:fs';
import { Tensor } from '../runtime/tensor.ts';
import { float32 } from '../runtime/dtype.ts';
import { withRuntimeContext } from '../runtime/context.ts';
import { linear, matmul } from '../runtime/ops/matmul.ts';
import { convolution } from '../runtime/ops/conv.ts';
import { batchNorm } from '../runtime/ops/norm.ts';
import { adaptiveAvgPool, maxPoolWithIndices } from '../runtime/ops/pool.ts';
import { binary, unary } from '../runtime/ops/elementwise.ts';
import { view } from '../runtime/ops/shape-ops.ts';
import {
  type KernelStyle, destroyWebGpu, initWebGpu, readback, setWebGpuKernelStyle, waitForGpu, webgpuAdapterInfo, webgpuStats,
} from '../runtime/devices/webgpu.ts';

const argv = process.argv.slice(2);
const opt = (name: string, dflt: string): string => { const i = argv.indexOf(`--${name}`); return i >= 0 ? argv[i + 1]! : dflt; };
const adapter = opt('adapter', '') as '' | 'gpu' | 'llvmpipe' | 'swiftshader';
const seconds = Number(opt('seconds', '3'));
const cap = Number(opt('cap', '30'));
const maxRuns = Number(opt('max-runs', '50'));

const init = await initWebGpu(adapter ? { adapter } : {});
if (!init.ok) {
  console.error(`bench-webgpu: no WebGPU adapter: ${init.reason}`);
  process.exit(1);
}
const info = webgpuAdapterInfo()!;
console.log(`adapter: ${info.source} (${info.backend} backend) ${info.device || info.description} — ${info.description}`);
console.log(`kind: ${info.kind}, kernel style: ${info.kernelStyle}, maxStorageBufferBindingSize ${info.limits.maxStorageBufferBindingSize}, maxBufferSize ${info.limits.maxBufferSize}`);
const styleOpt = opt('style', info.kernelStyle);
const styles: KernelStyle[] = styleOpt === 'both' ? ['registers', 'tiled'] : [styleOpt as KernelStyle];

const gpu = <T>(fn: () => T): T => withRuntimeContext({ device: 'webgpu' }, fn);
function randomTensor(shape: number[]): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(n);
  let s = 1;
  for (let i = 0; i < n; i++) { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; data[i] = (s >>> 8) / 16777216 - 0.5; }
  return new Tensor(shape, float32, 'webgpu', data);
}

interface Row { what: string; style: string; runs: number; medianMs: number; gflops: number | null; note?: string }
const rows: Row[] = [];

/**
 * Times `encode` (which encodes one op): warm-up (compiles the pipeline, uploads the inputs), then
 * runs until the time budget, each submitted and waited for on its own. Returns the median.
 */
async function time(encode: () => Tensor, expectMs: number | null): Promise<{ runs: number; medianMs: number } | { skipped: string }> {
  if (expectMs !== null && expectMs / 1000 > cap) return { skipped: `predicted ${(expectMs / 1000).toFixed(0)} s per run > --cap ${cap} s` };
  const warm = encode();
  await readback(warm).catch(() => undefined);
  const times: number[] = [];
  const start = performance.now();
  while (times.length < maxRuns && (performance.now() - start) / 1000 < seconds) {
    const t0 = performance.now();
    encode();
    await waitForGpu();
    times.push(performance.now() - t0);
    if (times[0]! / 1000 > cap) break;
  }
  times.sort((a, b) => a - b);
  return { runs: times.length, medianMs: times[Math.floor(times.length / 2)]! };
}

for (const style of styles) {
  setWebGpuKernelStyle(style);
  let msPerFlop: number | null = null;
  for (const n of [256, 512, 1024, 4096]) {
    const flops = 2 * n ** 3;
    const a = randomTensor([n, n]);
    const b = randomTensor([n, n]);
    // Larger sizes run slower per FLOP (caches): predict with some margin.
    const r = await time(() => gpu(() => matmul(a, b)), msPerFlop === null ? null : 1.5 * msPerFlop * flops);
    if ('skipped' in r) {
      rows.push({ what: `matmul ${n}x${n}x${n}`, style, runs: 0, medianMs: NaN, gflops: null, note: r.skipped });
      continue;
    }
    msPerFlop = r.medianMs / flops;
    rows.push({ what: `matmul ${n}x${n}x${n}`, style, runs: r.runs, medianMs: r.medianMs, gflops: flops / (r.medianMs * 1e6) });
  }
}
setWebGpuKernelStyle(info.kernelStyle);

const convs = [
  { name: 'conv2d 3x3 64->64 @56x56 (ResNet stage 1)', x: [1, 64, 56, 56], w: [64, 64, 3, 3], stride: 1, padding: 1, groups: 1 },
  { name: 'conv2d 7x7/2 3->64 @224x224 (ResNet stem)', x: [1, 3, 224, 224], w: [64, 3, 7, 7], stride: 2, padding: 3, groups: 1 },
  { name: 'conv2d 1x1 256->256 @14x14', x: [1, 256, 14, 14], w: [256, 256, 1, 1], stride: 1, padding: 0, groups: 1 },
  { name: 'conv2d depthwise 3x3 128 @28x28', x: [1, 128, 28, 28], w: [128, 1, 3, 3], stride: 1, padding: 1, groups: 128 },
  { name: 'conv2d 5x5 1->6 @28x28, batch 64 (LeNet)', x: [64, 1, 28, 28], w: [6, 1, 5, 5], stride: 1, padding: 0, groups: 1 },
];
for (const c of convs) {
  const x = randomTensor(c.x);
  const w = randomTensor(c.w);
  const attrs = { spatial: 2, stride: [c.stride], padding: [c.padding], dilation: [1], groups: c.groups, transposed: false, outputPadding: [0] };
  const out = gpu(() => convolution(x, w, null, attrs));
  const macs = out.numel() * (c.w[1]! * c.w[2]! * c.w[3]!);
  const r = await time(() => gpu(() => convolution(x, w, null, attrs)), null);
  if ('skipped' in r) { rows.push({ what: c.name, style: '', runs: 0, medianMs: NaN, gflops: null, note: r.skipped }); continue; }
  const path = info.kernelStyle === 'tiled' && c.w[0]! / c.groups >= 16 ? 'tiled implicit GEMM'
    : c.w[0]! / c.groups >= 16 && c.w[1]! * c.w[2]! * c.w[3]! >= 16 ? 'im2col + GEMM' : 'direct, register-blocked';
  rows.push({ what: c.name, style: path, runs: r.runs, medianMs: r.medianMs, gflops: (2 * macs) / (r.medianMs * 1e6) });
}

// ResNet-18 (batch 1, 224×224) forward through the runtime's ops: eval-mode batch norm, residual
// adds, max/avg pooling and the classifier; weights uploaded in the warm-up run, as a model's are.
{
  const conv = (x: Tensor, w: Tensor, stride: number, padding: number): Tensor =>
    convolution(x, w, null, { spatial: 2, stride: [stride], padding: [padding], dilation: [1], groups: 1, transposed: false, outputPadding: [0] });
  const bnParams = (c: number): Tensor[] => [randomTensor([c]), new Tensor([c], float32, 'webgpu', new Float32Array(c).fill(1)), randomTensor([c]), randomTensor([c])];
  const stem = { w: randomTensor([64, 3, 7, 7]), bn: bnParams(64) };
  const blocks: { w1: Tensor; bn1: Tensor[]; w2: Tensor; bn2: Tensor[]; down: { w: Tensor; bn: Tensor[] } | null; stride: number }[] = [];
  let cin = 64;
  for (const [cout, stride] of [[64, 1], [64, 1], [128, 2], [128, 1], [256, 2], [256, 1], [512, 2], [512, 1]] as const) {
    blocks.push({
      w1: randomTensor([cout, cin, 3, 3]), bn1: bnParams(cout), w2: randomTensor([cout, cout, 3, 3]), bn2: bnParams(cout),
      down: stride !== 1 || cin !== cout ? { w: randomTensor([cout, cin, 1, 1]), bn: bnParams(cout) } : null, stride,
    });
    cin = cout;
  }
  const fc = { w: randomTensor([1000, 512]), b: randomTensor([1000]) };
  const x = randomTensor([1, 3, 224, 224]);
  const bn = (t: Tensor, [mean, variance, weight, bias]: Tensor[]): Tensor => batchNorm(t, weight!, bias!, mean!, variance!, false);
  const forward = (): Tensor => gpu(() => {
    let h = unary.relu!(bn(conv(x, stem.w, 2, 3), stem.bn));
    h = maxPoolWithIndices(h, { spatial: 2, kernel: [3], stride: [2], padding: [1], dilation: [1], ceilMode: false })[0];
    for (const b of blocks) {
      const y = unary.relu!(bn(conv(h, b.w1, b.stride, 1), b.bn1));
      const z = bn(conv(y, b.w2, 1, 1), b.bn2);
      h = unary.relu!(binary.add!(z, b.down ? bn(conv(h, b.down.w, b.stride, 0), b.down.bn) : h));
    }
    return linear(view(adaptiveAvgPool(h, 2, [1, 1]), [1, 512]), fc.w, fc.b);
  });
  const r = await time(forward, null);
  const gflop = 3.64;
  if ('skipped' in r) rows.push({ what: 'ResNet-18 b1 224×224 forward (ops)', style: 'auto', runs: 0, medianMs: NaN, gflops: null, note: r.skipped });
  else rows.push({ what: 'ResNet-18 b1 224×224 forward (ops)', style: 'auto', runs: r.runs, medianMs: r.medianMs, gflops: gflop / (r.medianMs / 1000) });
}

console.log('');
console.log('| op | kernel | runs | median ms | GFLOP/s |');
console.log('|---|---|---:|---:|---:|');
for (const r of rows) {
  console.log(`| ${r.what} | ${r.style} | ${r.runs} | ${Number.isNaN(r.medianMs) ? '—' : r.medianMs.toFixed(2)} | ${r.gflops === null ? `skipped: ${r.note}` : r.gflops.toFixed(2)} |`);
}
const stats = webgpuStats();
console.log(`\n${stats.pipelines} pipelines, ${stats.dispatches} dispatches, ${stats.submits} submissions, peak GPU memory ${(stats.peakBytes / 2 ** 20).toFixed(0)} MiB`);
const json = opt('json', '');
if (json) fs.writeFileSync(json, JSON.stringify({ adapter: info, rows }, null, 2));
destroyWebGpu();

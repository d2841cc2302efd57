// Normalization: layer_norm, group_norm, instance_norm (input statistics) and batch_norm in
// evaluation mode (running statistics). Statistics are computed per row of D contiguous elements
// (one invocation per row, two passes: mean, then the biased variance) into a small temporary
// buffer; a second, elementwise kernel normalises and applies the per-element or per-channel
// affine parameters. Training-mode batch norm (which updates the running buffers in place) and
// instance norm with running statistics fall back to the CPU.
import type { Tensor } from '../../tensor.ts';
import type { BatchNormAttrs } from '../../ops/norm.ts';
import { getOp, registerKernel, type OpDef } from '../../ops/registry.ts';
import { allocStorage } from '../../devices/webgpu-storage.ts';
import {
  type GpuStorage, KernelUnsupported, Params, attr, dispatch, entryPoint, grid, input, numAttr, output, paramsDecl, requireFloat32, storageDecl,
} from './common.ts';

const WG = 64;

/** Mean and 1/sqrt(var + eps) of each of `rows` rows of `d` elements: [mean0, rstd0, mean1, ...]. */
function rowStats(x: GpuStorage, rows: number, d: number, eps: number): GpuStorage {
  const stats = allocStorage(rows * 2, 'f32', 'normalization statistics');
  const params = new Params().u32(rows, d).f32(eps);
  dispatch('norm-stats', () => `${paramsDecl(3)}${storageDecl(1, 'X', 'f32')}${storageDecl(2, 'S', 'f32', true)}${entryPoint(WG, `
  if (gid >= pu(0u)) { return; }
  let d = pu(1u);
  let base = gid * d;
  var sum = 0.0;
  for (var i = 0u; i < d; i = i + 1u) { sum = sum + X[base + i]; }
  let mean = sum / f32(d);
  var sq = 0.0;
  for (var i = 0u; i < d; i = i + 1u) { let c = X[base + i] - mean; sq = sq + c * c; }
  S[gid * 2u] = mean;
  S[gid * 2u + 1u] = 1.0 / sqrt(sq / f32(d) + pf(2u));`)}`, params, [x, stats], grid(rows, WG));
  return stats;
}

/**
 * y = (x - mean[row]) * rstd[row] * w[p] + b[p], row = i / d, p = `perElement` ? i % d : (i / inner) % channels.
 */
function applyNorm(x: GpuStorage, stats: GpuStorage, weight: GpuStorage | null, bias: GpuStorage | null, y: GpuStorage,
  n: number, d: number, inner: number, channels: number, perElement: boolean): void {
  const params = new Params().u32(n, d, inner, channels);
  const buffers = [x, stats, ...(weight ? [weight] : []), ...(bias ? [bias] : []), y];
  let binding = 3;
  const wDecl = weight ? storageDecl(binding++, 'Wt', 'f32') : '';
  const bDecl = bias ? storageDecl(binding++, 'Bs', 'f32') : '';
  const yDecl = storageDecl(binding, 'Y', 'f32', true);
  const p = perElement ? 'gid % pu(1u)' : '(gid / pu(2u)) % pu(3u)';
  dispatch(`norm-apply:${weight !== null}:${bias !== null}:${perElement}`, () => `${paramsDecl(4)}${storageDecl(1, 'X', 'f32')}${storageDecl(2, 'S', 'f32')}${wDecl}${bDecl}${yDecl}${entryPoint(WG, `
  if (gid >= pu(0u)) { return; }
  let row = gid / pu(1u);
  let p = ${p};
  var v = (X[gid] - S[row * 2u]) * S[row * 2u + 1u];
  ${weight ? 'v = v * Wt[p];' : ''}
  ${bias ? 'v = v + Bs[p];' : ''}
  Y[gid] = v;`)}`, params, buffers, grid(n, WG));
}

function layerNormKernel(inputs: readonly Tensor[], attrs: unknown, outputs: Tensor[]): void {
  const a = attrs as { normalizedShape: readonly number[]; hasWeight: boolean; hasBias: boolean };
  const x = inputs[0]!;
  const weight = a.hasWeight ? inputs[1] : undefined;
  const bias = a.hasBias ? inputs[a.hasWeight ? 2 : 1] : undefined;
  requireFloat32(x, ...(weight ? [weight] : []), ...(bias ? [bias] : []));
  const d = a.normalizedShape.reduce((p, q) => p * q, 1);
  const n = x.numel();
  const xs = input(x);
  const w = weight ? input(weight) : null;
  const b = bias ? input(bias) : null;
  const y = output(outputs[0]!);
  if (n === 0) return;
  const stats = rowStats(xs, n / d, d, numAttr(attrs, ['eps'], 1e-5));
  applyNorm(xs, stats, w, b, y, n, d, 1, 1, true);
}

function groupNormKernel(inputs: readonly Tensor[], attrs: unknown, outputs: Tensor[]): void {
  const a = attrs as { groups: number; hasWeight: boolean; hasBias: boolean };
  const x = inputs[0]!;
  const weight = a.hasWeight ? inputs[1] : undefined;
  const bias = a.hasBias ? inputs[a.hasWeight ? 2 : 1] : undefined;
  requireFloat32(x, ...(weight ? [weight] : []), ...(bias ? [bias] : []));
  const batch = x.shape[0]!;
  const channels = x.shape[1]!;
  const inner = x.numel() / Math.max(1, batch * channels);
  const n = x.numel();
  const xs = input(x);
  const w = weight ? input(weight) : null;
  const b = bias ? input(bias) : null;
  const y = output(outputs[0]!);
  if (n === 0) return;
  const d = (channels / a.groups) * inner;
  const stats = rowStats(xs, batch * a.groups, d, numAttr(attrs, ['eps'], 1e-5));
  applyNorm(xs, stats, w, b, y, n, d, inner, channels, false);
}

function instanceNormKernel(inputs: readonly Tensor[], attrs: unknown, outputs: Tensor[]): void {
  const a = attrs as { useInputStats: boolean; hasRunningMean: boolean; hasRunningVar: boolean };
  if (!a.useInputStats || a.hasRunningMean || a.hasRunningVar) throw new KernelUnsupported('instance norm with running statistics');
  const hasWeight = attr<boolean | undefined>(attrs, ['hasWeight'], undefined);
  const hasBias = attr<boolean | undefined>(attrs, ['hasBias'], undefined);
  const extra = inputs.length - 1;
  if (extra === 1 && hasWeight === undefined && hasBias === undefined) throw new KernelUnsupported('instance norm with one affine tensor (the op does not say which)');
  const weight = (hasWeight ?? extra >= 1) ? inputs[1] : undefined;
  const bias = (hasBias ?? extra >= 2) ? inputs[weight ? 2 : 1] : undefined;
  const x = inputs[0]!;
  requireFloat32(x, ...(weight ? [weight] : []), ...(bias ? [bias] : []));
  const batched = x.ndim >= 3;
  const channels = x.shape[batched ? 1 : 0]!;
  const planes = x.numel() / Math.max(1, x.shape.slice(batched ? 2 : 1).reduce((p, q) => p * q, 1));
  const inner = x.numel() / Math.max(1, planes);
  const n = x.numel();
  const xs = input(x);
  const w = weight ? input(weight) : null;
  const b = bias ? input(bias) : null;
  const y = output(outputs[0]!);
  if (n === 0) return;
  const stats = rowStats(xs, planes, inner, numAttr(attrs, ['eps'], 1e-5));
  applyNorm(xs, stats, w, b, y, n, inner, inner, channels, false);
}

function batchNormKernel(inputs: readonly Tensor[], attrs: unknown, outputs: Tensor[]): void {
  const a = attrs as BatchNormAttrs;
  if (a.training || !a.hasRunningMean || !a.hasRunningVar) throw new KernelUnsupported('batch norm with batch statistics (training mode or no running stats)');
  const x = inputs[0]!;
  let k = 1;
  const mean = inputs[k++]!;
  const variance = inputs[k++]!;
  const weight = a.hasWeight ? inputs[k++] : undefined;
  const bias = a.hasBias ? inputs[k++] : undefined;
  requireFloat32(x, mean, variance, ...(weight ? [weight] : []), ...(bias ? [bias] : []));
  const channels = x.ndim >= 2 ? x.shape[1]! : 1;
  const inner = x.numel() / Math.max(1, x.shape[0]! * channels);
  const n = x.numel();
  const buffers = [input(x), input(mean), input(variance), ...(weight ? [input(weight)] : []), ...(bias ? [input(bias)] : [])];
  const y = output(outputs[0]!);
  if (n === 0) return;
  const params = new Params().u32(n, inner, channels).f32(numAttr(attrs, ['eps'], 1e-5));
  let binding = 4;
  const wDecl = weight ? storageDecl(binding++, 'Wt', 'f32') : '';
  const bDecl = bias ? storageDecl(binding++, 'Bs', 'f32') : '';
  const yDecl = storageDecl(binding, 'Y', 'f32', true);
  dispatch(`batchnorm:${weight !== undefined}:${bias !== undefined}`, () => `${paramsDecl(4)}${storageDecl(1, 'X', 'f32')}${storageDecl(2, 'RM', 'f32')}${storageDecl(3, 'RV', 'f32')}${wDecl}${bDecl}${yDecl}${entryPoint(WG, `
  if (gid >= pu(0u)) { return; }
  let c = (gid / pu(1u)) % pu(2u);
  var v = (X[gid] - RM[c]) / sqrt(RV[c] + pf(3u));
  ${weight ? 'v = v * Wt[c];' : ''}
  ${bias ? 'v = v + Bs[c];' : ''}
  Y[gid] = v;`)}`, params, [...buffers, y], grid(n, WG));
}

export function registerNormKernels(): void {
  const reg = (name: string, k: (i: readonly Tensor[], a: unknown, o: Tensor[]) => void): void => {
    const op = getOp(name);
    if (op) registerKernel(op as OpDef<unknown>, 'webgpu', k);
  };
  reg('layer_norm', layerNormKernel);
  reg('group_norm', groupNormKernel);
  reg('instance_norm', instanceNormKernel);
  reg('batch_norm', batchNormKernel);
}

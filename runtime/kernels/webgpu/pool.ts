// Pooling: max (with indices) and average pooling over 2 spatial dims (1-D pooling arrives here as
// 2-D on an unsqueezed input, as in ATen), the gradient-free max_pool1d, and adaptive average/max
// pooling over 1 or 2 dims. One invocation per output element; a plane is everything before the
// pooled dims. Indices are flat positions within the input plane (int64 as i32 on the GPU).
// 3-D pooling falls back to the CPU.
import type { Tensor } from '../../tensor.ts';
import type { AdaptiveAttrs, PoolAttrs } from '../../ops/pool.ts';
import { getOp, registerKernel, type OpDef } from '../../ops/registry.ts';
import { KernelUnsupported, Params, attr, dispatch, entryPoint, grid, input, numAttr, output, paramsDecl, requireFloat32, storageDecl } from './common.ts';

const WG = 64;

const expand2 = (v: readonly number[], fallback: readonly number[]): [number, number] => {
  const x = v.length === 0 ? fallback : v.length === 1 ? [v[0]!, v[0]!] : v;
  return [x[0]!, x[1]!];
};

function planeGeometry(x: Tensor, out: Tensor, dims: number): { planes: number; inH: number; inW: number; outH: number; outW: number } {
  const inH = dims === 2 ? x.shape[x.ndim - 2]! : 1;
  const inW = x.shape[x.ndim - 1]!;
  const outH = dims === 2 ? out.shape[out.ndim - 2]! : 1;
  const outW = out.shape[out.ndim - 1]!;
  return { planes: x.numel() / (inH * inW || 1), inH, inW, outH, outW };
}

const windowHeader = `
  let inH = i32(pu(2u)); let inW = i32(pu(3u)); let outH = pu(4u); let outW = pu(5u);
  let kH = i32(pu(6u)); let kW = i32(pu(7u)); let sH = i32(pu(8u)); let sW = i32(pu(9u));
  let pH = i32(pu(10u)); let pW = i32(pu(11u)); let dH = i32(pu(12u)); let dW = i32(pu(13u));
  let ox = i32(gid % outW);
  let oy = i32((gid / outW) % outH);
  let plane = gid / (outW * outH);
  let xBase = plane * u32(inH * inW);
`;

function maxPoolKernel(inputs: readonly Tensor[], attrs: unknown, outputs: Tensor[]): void {
  const a = attrs as PoolAttrs;
  if (a.spatial !== 2) throw new KernelUnsupported('3-d max pooling');
  const x = inputs[0]!;
  const [values, indices] = outputs;
  requireFloat32(x);
  const [kH, kW] = expand2(a.kernel, []);
  const [sH, sW] = expand2(a.stride, [kH, kW]);
  const [pH, pW] = expand2(a.padding, [0, 0]);
  const [dH, dW] = expand2(a.dilation, [1, 1]);
  const g = planeGeometry(x, values!, 2);
  const n = values!.numel();
  const params = new Params().u32(n, 0, g.inH, g.inW, g.outH, g.outW, kH, kW, sH, sW, pH, pW, dH, dW);
  const buffers = [input(x), output(values!), ...(indices ? [output(indices)] : [])];
  if (n === 0) return;
  const withIndices = indices !== undefined;
  dispatch(`maxpool2d:${withIndices}`, () => `${paramsDecl(14)}${storageDecl(1, 'X', 'f32')}${storageDecl(2, 'Y', 'f32', true)}${withIndices ? storageDecl(3, 'I', 'i32', true) : ''}${entryPoint(WG, `
  if (gid >= pu(0u)) { return; }
${windowHeader}
  var negInf = 0xff800000u;
  var best = bitcast<f32>(negInf);
  var bestIdx = -1i;
  for (var ky = 0i; ky < kH; ky = ky + 1i) {
    let iy = oy * sH - pH + ky * dH;
    if (iy < 0 || iy >= inH) { continue; }
    for (var kx = 0i; kx < kW; kx = kx + 1i) {
      let ix = ox * sW - pW + kx * dW;
      if (ix < 0 || ix >= inW) { continue; }
      let v = X[xBase + u32(iy * inW + ix)];
      let isNan = (bitcast<u32>(v) & 0x7fffffffu) > 0x7f800000u;
      if (v > best || isNan || bestIdx < 0) { best = v; bestIdx = iy * inW + ix; }
    }
  }
  Y[gid] = best;
  ${withIndices ? 'I[gid] = bestIdx;' : ''}`)}`, params, buffers, grid(n, WG));
}

/** The gradient-free max_pool1d: needs its kernel/stride/padding/dilation attributes. */
function maxPool1dKernel(inputs: readonly Tensor[], attrs: unknown, outputs: Tensor[]): void {
  const kernel = attr<readonly number[] | number | null>(attrs, ['kernel', 'kernelSize', 'kernel_size'], null);
  if (kernel === null) throw new KernelUnsupported('max_pool1d without its window in the op attributes');
  const k = typeof kernel === 'number' ? kernel : kernel[0]!;
  const strideAttr = attr<readonly number[] | number | null>(attrs, ['stride'], null);
  const stride = strideAttr === null ? k : typeof strideAttr === 'number' ? strideAttr : strideAttr.length ? strideAttr[0]! : k;
  const pad = numAttr(attrs, ['padding'], 0);
  const padding = Array.isArray((attrs as Record<string, unknown>).padding) ? ((attrs as { padding: number[] }).padding[0] ?? 0) : pad;
  const dilAttr = (attrs as Record<string, unknown>).dilation;
  const dilation = Array.isArray(dilAttr) ? (dilAttr[0] as number | undefined) ?? 1 : numAttr(attrs, ['dilation'], 1);
  maxPoolKernel(inputs, { spatial: 2, kernel: [1, k], stride: [1, stride], padding: [0, padding], dilation: [1, dilation], ceilMode: false } satisfies PoolAttrs, [outputs[0]!]);
}

function avgPoolKernel(inputs: readonly Tensor[], attrs: unknown, outputs: Tensor[]): void {
  const a = attrs as PoolAttrs;
  if (a.spatial !== 2) throw new KernelUnsupported('3-d average pooling');
  const x = inputs[0]!;
  const out = outputs[0]!;
  requireFloat32(x);
  const [kH, kW] = expand2(a.kernel, []);
  const [sH, sW] = expand2(a.stride, [kH, kW]);
  const [pH, pW] = expand2(a.padding, [0, 0]);
  const countIncludePad = attr<boolean>(attrs, ['countIncludePad', 'count_include_pad'], true);
  const divisor = a.divisorOverride ?? 0;
  const g = planeGeometry(x, out, 2);
  const n = out.numel();
  const params = new Params().u32(n, divisor, g.inH, g.inW, g.outH, g.outW, kH, kW, sH, sW, pH, pW, 1, 1, countIncludePad ? 1 : 0);
  const buffers = [input(x), output(out)];
  if (n === 0) return;
  dispatch('avgpool2d', () => `${paramsDecl(15)}${storageDecl(1, 'X', 'f32')}${storageDecl(2, 'Y', 'f32', true)}${entryPoint(WG, `
  if (gid >= pu(0u)) { return; }
${windowHeader}
  var hs = oy * sH - pH;
  var ws = ox * sW - pW;
  var he = min(hs + kH, inH + pH);
  var we = min(ws + kW, inW + pW);
  let poolSize = (he - hs) * (we - ws);
  hs = max(hs, 0); ws = max(ws, 0);
  he = min(he, inH); we = min(we, inW);
  var sum = 0.0;
  for (var iy = hs; iy < he; iy = iy + 1i) {
    for (var ix = ws; ix < we; ix = ix + 1i) { sum = sum + X[xBase + u32(iy * inW + ix)]; }
  }
  var div = f32(select((he - hs) * (we - ws), poolSize, pu(14u) != 0u));
  if (pu(1u) != 0u) { div = f32(pu(1u)); }
  Y[gid] = sum / div;`)}`, params, buffers, grid(n, WG));
}

function adaptiveKernel(inputs: readonly Tensor[], attrs: unknown, outputs: Tensor[]): void {
  const a = attrs as AdaptiveAttrs;
  if (a.spatial === 3) throw new KernelUnsupported('3-d adaptive pooling');
  const x = inputs[0]!;
  const [values, indices] = outputs;
  requireFloat32(x);
  const g = planeGeometry(x, values!, a.spatial);
  const n = values!.numel();
  const isMax = a.kind === 'max';
  const params = new Params().u32(n, 0, g.inH, g.inW, g.outH, g.outW);
  const buffers = [input(x), output(values!), ...(indices ? [output(indices)] : [])];
  if (n === 0) return;
  const withIndices = indices !== undefined;
  dispatch(`adaptive:${a.kind}:${withIndices}`, () => `${paramsDecl(6)}${storageDecl(1, 'X', 'f32')}${storageDecl(2, 'Y', 'f32', true)}${withIndices ? storageDecl(3, 'I', 'i32', true) : ''}${entryPoint(WG, `
  if (gid >= pu(0u)) { return; }
  let inH = pu(2u); let inW = pu(3u); let outH = pu(4u); let outW = pu(5u);
  let ox = gid % outW;
  let oy = (gid / outW) % outH;
  let plane = gid / (outW * outH);
  let xBase = plane * inH * inW;
  let hs = (oy * inH) / outH;
  let he = ((oy + 1u) * inH + outH - 1u) / outH;
  let ws = (ox * inW) / outW;
  let we = ((ox + 1u) * inW + outW - 1u) / outW;
  ${isMax ? `var negInf = 0xff800000u;
  var best = bitcast<f32>(negInf);
  var bestIdx = -1i;
  for (var iy = hs; iy < he; iy = iy + 1u) {
    for (var ix = ws; ix < we; ix = ix + 1u) {
      let v = X[xBase + iy * inW + ix];
      let isNan = (bitcast<u32>(v) & 0x7fffffffu) > 0x7f800000u;
      if (v > best || isNan || bestIdx < 0) { best = v; bestIdx = i32(iy * inW + ix); }
    }
  }
  Y[gid] = best;
  ${withIndices ? 'I[gid] = bestIdx;' : ''}` : `var sum = 0.0;
  for (var iy = hs; iy < he; iy = iy + 1u) {
    for (var ix = ws; ix < we; ix = ix + 1u) { sum = sum + X[xBase + iy * inW + ix]; }
  }
  Y[gid] = sum / f32((he - hs) * (we - ws));`}`)}`, params, buffers, grid(n, WG));
}

export function registerPoolKernels(): void {
  const reg = (name: string, k: (i: readonly Tensor[], a: unknown, o: Tensor[]) => void): void => {
    const op = getOp(name);
    if (op) registerKernel(op as OpDef<unknown>, 'webgpu', k);
  };
  reg('max_pool_with_indices', maxPoolKernel);
  reg('max_pool1d', maxPool1dKernel);
  reg('avg_pool', avgPoolKernel);
  reg('adaptive_avg_pool', adaptiveKernel);
  reg('adaptive_max_pool', adaptiveKernel);
}

// Convolutions: conv1d/conv2d (groups, stride, padding incl. 'same'/'valid', dilation) as an
// implicit GEMM without an im2col buffer, and conv_transpose1d/2d as a gather over the input.
// conv1d runs as conv2d with height 1. 3-D convolutions fall back to the CPU.
//
// Forward conv: each invocation computes a block of TC output channels × 4 consecutive output
// positions, looping over (input channel, ky, kx) with the 4 input reads and TC weight reads of
// each step reused TC×4 times from registers. TC is 4 when a group's output channels come in
// fours (all four then read the same input channels), else 1 (depthwise convolutions).
import type { Tensor } from '../../tensor.ts';
import type { ConvAttrs } from '../../ops/conv.ts';
import { getOp, registerKernel, type OpDef } from '../../ops/registry.ts';
import { requireGpu } from '../../devices/webgpu-context.ts';
import { allocStorage } from '../../devices/webgpu-storage.ts';
import { producedByFailedWork } from '../../devices/webgpu-program.ts';
import { encodeGemm } from './matmul.ts';
import { encodeStridedCopy } from './copy.ts';
import { type GpuStorage, KernelUnsupported, Params, dispatch, grid, input, output, paramsDecl, requireFloat32, storageDecl } from './common.ts';

interface Geometry {
  batch: number; cin: number; cout: number; groups: number;
  inH: number; inW: number; outH: number; outW: number; kH: number; kW: number;
  sH: number; sW: number; pH: number; pW: number; dH: number; dW: number;
}

const expand = (v: readonly number[], dims: number): number[] => (v.length === 1 ? new Array<number>(dims).fill(v[0]!) : [...v]);

function geometry(x: Tensor, w: Tensor, out: Tensor, a: ConvAttrs): Geometry {
  const dims = w.ndim - 2;
  if (dims !== 1 && dims !== 2) throw new KernelUnsupported(`${dims}-d convolution`);
  const batched = x.ndim === dims + 2;
  const xs = batched ? x.shape : [1, ...x.shape];
  const os = batched ? out.shape : [1, ...out.shape];
  const stride = expand(a.stride, dims);
  const dilation = expand(a.dilation, dims);
  const kernel = w.shape.slice(2);
  let padding: number[];
  if (a.padding === 'valid') padding = new Array<number>(dims).fill(0);
  else if (a.padding === 'same') padding = dilation.map((d, i) => Math.floor((d * (kernel[i]! - 1)) / 2));
  else padding = expand(a.padding, dims);
  // 1-d as 2-d with a height of 1.
  const two = (v: number[], one: number): [number, number] => (dims === 1 ? [one, v[0]!] : [v[0]!, v[1]!]);
  const [inH, inW] = two(xs.slice(2), 1);
  const [outH, outW] = two(os.slice(2), 1);
  const [kH, kW] = two(kernel, 1);
  const [sH, sW] = two(stride, 1);
  const [pH, pW] = two(padding, 0);
  const [dH, dW] = two(dilation, 1);
  return { batch: xs[0]!, cin: xs[1]!, cout: os[1]!, groups: a.groups, inH, inW, outH, outW, kH, kW, sH, sW, pH, pW, dH, dW };
}

function geometryParams(g: Geometry): Params {
  return new Params().u32(g.batch, g.cin, g.cout, g.groups, g.inH, g.inW, g.outH, g.outW, g.kH, g.kW, g.sH, g.sW, g.pH, g.pW, g.dH, g.dW);
}

const header = `
  let batch = pu(0u); let cin = pu(1u); let cout = pu(2u); let groups = pu(3u);
  let inH = i32(pu(4u)); let inW = i32(pu(5u)); let outH = pu(6u); let outW = pu(7u);
  let kH = pu(8u); let kW = pu(9u); let sH = i32(pu(10u)); let sW = i32(pu(11u));
  let pH = i32(pu(12u)); let pW = i32(pu(13u)); let dH = i32(pu(14u)); let dW = i32(pu(15u));
`;

const WG_X = 16;
const WG_Y = 4;

function convShader(tc: number, hasBias: boolean): string {
  let s = paramsDecl(16);
  s += storageDecl(1, 'X', 'f32');
  s += storageDecl(2, 'W', 'f32');
  if (hasBias) s += storageDecl(3, 'bias', 'f32');
  s += storageDecl(hasBias ? 4 : 3, 'Y', 'f32', true);
  const ch = Array.from({ length: tc }, (_, r) => r);
  const px = [0, 1, 2, 3];
  s += `
@compute @workgroup_size(${WG_X}, ${WG_Y}, 1)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
${header}
  let spatial = outH * outW;
  let p0 = gid.x * 4u;
  let co0 = gid.y * ${tc}u;
  let n = gid.z;
  if (p0 >= spatial || co0 >= cout) { return; }
  let cinG = cin / groups;
  let coutG = cout / groups;
  let g = co0 / coutG;
  let xBase = (n * cin + g * cinG) * u32(inH * inW);
  let kSize = cinG * kH * kW;
${px.map((j) => `  let q${j} = min(p0 + ${j}u, spatial - 1u);
  let iy${j} = i32(q${j} / outW) * sH - pH;
  let ix${j} = i32(q${j} % outW) * sW - pW;`).join('\n')}
${ch.map((r) => `  let w${r} = min(co0 + ${r}u, cout - 1u) * kSize;`).join('\n')}
${ch.map((r) => `  var acc${r} = vec4<f32>(0.0);`).join('\n')}
  for (var ci = 0u; ci < cinG; ci = ci + 1u) {
    let xc = xBase + ci * u32(inH * inW);
    for (var ky = 0u; ky < kH; ky = ky + 1u) {
${px.map((j) => `      let y${j} = iy${j} + i32(ky) * dH;`).join('\n')}
      for (var kx = 0u; kx < kW; kx = kx + 1u) {
        let wk = (ci * kH + ky) * kW + kx;
${px.map((j) => `        let x${j} = ix${j} + i32(kx) * dW;
        let v${j} = select(0.0, X[xc + u32(clamp(y${j}, 0, inH - 1) * inW + clamp(x${j}, 0, inW - 1))], y${j} >= 0 && y${j} < inH && x${j} >= 0 && x${j} < inW);`).join('\n')}
        let xv = vec4<f32>(v0, v1, v2, v3);
${ch.map((r) => `        acc${r} = acc${r} + W[w${r} + wk] * xv;`).join('\n')}
      }
    }
  }
${ch.map((r) => `  if (co0 + ${r}u < cout) {
    let b${r} = ${hasBias ? `bias[co0 + ${r}u]` : '0.0'};
    let base${r} = (n * cout + co0 + ${r}u) * spatial + p0;
${px.map((j) => `    if (p0 + ${j}u < spatial) { Y[base${r} + ${j}u] = acc${r}[${j}] + b${r}; }`).join('\n')}
  }`).join('\n')}
}
`;
  return s;
}

/**
 * The `tiled` style (real GPUs): implicit GEMM per (batch, group) with 64×64 output tiles —
 * weights [coutG, K] times the im2col view of the input [K, outH·outW], gathered into workgroup
 * memory 16 K-steps at a time (no im2col buffer) — each invocation a 4×4 register block.
 */
function tiledConvShader(hasBias: boolean): string {
  let s = paramsDecl(16);
  s += storageDecl(1, 'X', 'f32');
  s += storageDecl(2, 'W', 'f32');
  if (hasBias) s += storageDecl(3, 'bias', 'f32');
  s += storageDecl(hasBias ? 4 : 3, 'Y', 'f32', true);
  s += `
var<workgroup> As: array<array<f32, 16>, 64>;
var<workgroup> Bs: array<array<f32, 64>, 16>;

@compute @workgroup_size(16, 16, 1)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) l: vec3<u32>, @builtin(local_invocation_index) li: u32) {
${header}
  let cinG = cin / groups;
  let coutG = cout / groups;
  let M = coutG;
  let N = outH * outW;
  let taps = kH * kW;
  let K = cinG * taps;
  let n = wg.z / groups;
  let g = wg.z % groups;
  let wBase = g * coutG * K;
  let xBase = (n * cin + g * cinG) * u32(inH * inW);
  let rowBase = wg.y * 64u;
  let colBase = wg.x * 64u;
  var acc: array<array<f32, 4>, 4>;
  for (var i = 0u; i < 4u; i = i + 1u) { for (var j = 0u; j < 4u; j = j + 1u) { acc[i][j] = 0.0; } }
  let tiles = (K + 15u) / 16u;
  for (var t = 0u; t < tiles; t = t + 1u) {
    let k0 = t * 16u;
    for (var e = 0u; e < 4u; e = e + 1u) {
      let idx = li + e * 256u;
      let ar = idx / 16u;
      let ak = k0 + idx % 16u;
      let gr = rowBase + ar;
      As[ar][idx % 16u] = select(0.0, W[wBase + min(gr, M - 1u) * K + min(ak, K - 1u)], gr < M && ak < K);
      let bk = k0 + idx / 64u;
      let bn = colBase + idx % 64u;
      let ci = bk / taps;
      let ky = (bk / kW) % kH;
      let kx = bk % kW;
      let q = min(bn, N - 1u);
      let iy = i32(q / outW) * sH - pH + i32(ky) * dH;
      let ix = i32(q % outW) * sW - pW + i32(kx) * dW;
      let inside = bk < K && bn < N && iy >= 0 && iy < inH && ix >= 0 && ix < inW;
      Bs[idx / 64u][idx % 64u] = select(0.0, X[xBase + min(ci, cinG - 1u) * u32(inH * inW) + u32(clamp(iy, 0, inH - 1) * inW + clamp(ix, 0, inW - 1))], inside);
    }
    workgroupBarrier();
    for (var kk = 0u; kk < 16u; kk = kk + 1u) {
      var a: array<f32, 4>;
      var b: array<f32, 4>;
      for (var i = 0u; i < 4u; i = i + 1u) { a[i] = As[l.y * 4u + i][kk]; b[i] = Bs[kk][l.x * 4u + i]; }
      for (var i = 0u; i < 4u; i = i + 1u) { for (var j = 0u; j < 4u; j = j + 1u) { acc[i][j] = acc[i][j] + a[i] * b[j]; } }
    }
    workgroupBarrier();
  }
  for (var i = 0u; i < 4u; i = i + 1u) {
    let r = rowBase + l.y * 4u + i;
    if (r >= M) { continue; }
    let co = g * coutG + r;
    let b = ${hasBias ? 'bias[co]' : '0.0'};
    for (var j = 0u; j < 4u; j = j + 1u) {
      let c = colBase + l.x * 4u + j;
      if (c >= N) { continue; }
      Y[(n * cout + co) * N + c] = acc[i][j] + b;
    }
  }
}
`;
  return s;
}

function transposedShader(hasBias: boolean): string {
  let s = paramsDecl(16);
  s += storageDecl(1, 'X', 'f32');
  s += storageDecl(2, 'W', 'f32');
  if (hasBias) s += storageDecl(3, 'bias', 'f32');
  s += storageDecl(hasBias ? 4 : 3, 'Y', 'f32', true);
  // Here cin/inH/inW describe the transposed conv's input, cout/outH/outW its output.
  s += `
@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lidx: u32) {
${header}
  let idx = (wid.y * nwg.x + wid.x) * 64u + lidx;
  let spatial = outH * outW;
  let total = batch * cout * spatial;
  if (idx >= total) { return; }
  let p = idx % spatial;
  let co = (idx / spatial) % cout;
  let n = idx / (spatial * cout);
  let oy = i32(p / outW);
  let ox = i32(p % outW);
  let cinG = cin / groups;
  let coutG = cout / groups;
  let g = co / coutG;
  let col = co % coutG;
  // Blocked sum (16 products per partial): one output gathers up to cin·kH·kW products, often
  // cancelling, and software adapters compile with fast math (a Kahan sum is optimised away).
  var acc = 0.0;
  for (var ky = 0u; ky < kH; ky = ky + 1u) {
    let ty = oy + pH - i32(ky) * dH;
    if (ty < 0 || ty % sH != 0) { continue; }
    let iy = ty / sH;
    if (iy >= inH) { continue; }
    for (var kx = 0u; kx < kW; kx = kx + 1u) {
      let tx = ox + pW - i32(kx) * dW;
      if (tx < 0 || tx % sW != 0) { continue; }
      let ix = tx / sW;
      if (ix >= inW) { continue; }
      for (var c0 = 0u; c0 < cinG; c0 = c0 + 16u) {
        var part = 0.0;
        for (var c = c0; c < min(c0 + 16u, cinG); c = c + 1u) {
          let ci = g * cinG + c;
          let xv = X[((n * cin + ci) * u32(inH) + u32(iy)) * u32(inW) + u32(ix)];
          let wv = W[((ci * coutG + col) * kH + ky) * kW + kx];
          part = part + xv * wv;
        }
        acc = acc + part;
      }
    }
  }
  Y[idx] = acc${hasBias ? ' + bias[co]' : ''};
}
`;
  return s;
}

function convKernel(inputs: readonly Tensor[], attrs: unknown, outputs: Tensor[]): void {
  const a = attrs as ConvAttrs;
  const [x, w, bias] = inputs;
  const out = outputs[0]!;
  requireFloat32(x!, w!, out, ...(bias ? [bias] : []));
  const g = geometry(x!, w!, out, a);
  const params = geometryParams(g);
  const hasBias = bias !== undefined;
  const buffers = [input(x!), input(w!), ...(hasBias ? [input(bias!)] : [])];
  const y = output(out);
  if (out.numel() === 0) return;
  if (a.transposed) {
    dispatch(`convT:${hasBias}`, () => transposedShader(hasBias), params, [...buffers, y], grid(out.numel(), 64));
    return;
  }
  const coutG = g.cout / g.groups;
  if (requireGpu().info.kernelStyle === 'tiled' && coutG >= 16) {
    const grid3: [number, number, number] = [Math.ceil((g.outH * g.outW) / 64), Math.ceil(coutG / 64), g.batch * g.groups];
    if (grid3.every((v) => v <= 65535)) {
      dispatch(`conv-tiled:${hasBias}`, () => tiledConvShader(hasBias), params, [...buffers, y], grid3);
      return;
    }
  }
  const spatial = g.outH * g.outW;
  const cinG = g.cin / g.groups;
  const colElements = g.batch * g.groups * cinG * g.kH * g.kW * spatial;
  const { limits } = requireGpu().info;
  // im2col + GEMM pays off once the GEMM has rows and depth to block (not for LeNet's 1→6 channels).
  if (coutG >= 16 && cinG * g.kH * g.kW >= 16 && colElements * 4 <= limits.maxStorageBufferBindingSize) {
    im2colGemm(g, buffers[0]!, buffers[1]!, hasBias ? buffers[2]! : null, y, params);
    return;
  }
  const tc = coutG % 4 === 0 ? 4 : 1;
  const groupsXYZ: [number, number, number] = [Math.ceil(Math.ceil(spatial / 4) / WG_X), Math.ceil(Math.ceil(g.cout / tc) / WG_Y), g.batch];
  if (groupsXYZ.some((v) => v > 65535)) throw new KernelUnsupported('convolution grid over the dispatch limits');
  dispatch(`conv:${tc}:${hasBias}`, () => convShader(tc, hasBias), params, [...buffers, y], groupsXYZ);
}

/**
 * Convolution as im2col + GEMM (CPU-emulated adapters): the input's patches unrolled into a
 * [batch, groups, outH·outW, cinG·kH·kW] buffer by one gather dispatch, then the register-blocked
 * GEMM (weights [coutG, K] times the patches transposed, one batch entry per (sample, group))
 * writes the output in place with the bias. Measured 1.5–9× faster there than the direct kernel
 * for 3×3 and 1×1 layers with 64+ channels (the GEMM reads both operands as vec4 rows along K);
 * the patch buffer is transient.
 */
function im2colGemm(g: Geometry, x: GpuStorage, weight: GpuStorage, bias: GpuStorage | null, y: GpuStorage, params: Params): void {
  const cinG = g.cin / g.groups;
  const coutG = g.cout / g.groups;
  const K0 = cinG * g.kH * g.kW;
  // K padded to a multiple of 4 so the GEMM reads both operands as vec4 along K: the patch rows
  // past K0 are zeros, and the weight gets a padded copy, made once and kept with its storage.
  const K = Math.ceil(K0 / 4) * 4;
  const w = K === K0 ? weight : paddedWeight(weight, g.cout, K0, K);
  const N = g.outH * g.outW;
  const total = g.batch * g.groups * K * N;
  const col = allocStorage(total, 'f32', 'im2col patches');
  const p = new Params().u32(...Array.from(params.toArray()).slice(0, 16)).u32(K0, K);
  dispatch('im2col', () => `${paramsDecl(18)}${storageDecl(1, 'X', 'f32')}${storageDecl(2, 'Col', 'f32', true)}
@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lidx: u32) {
${header}
  let idx = (wid.y * nwg.x + wid.x) * 64u + lidx;
  let N = outH * outW;
  let cinG = cin / groups;
  let taps = kH * kW;
  let K0 = pu(16u);
  let K = pu(17u);
  if (idx >= batch * groups * K * N) { return; }
  // Patch-major, Col[bg][q][k]: each output position's patch is one contiguous row, which the
  // GEMM reads as vec4s along K (measured faster than K-major on llvmpipe and SwiftShader).
  let k = idx % K;
  let q = (idx / K) % N;
  let bg = idx / (N * K);
  let ci = min(k / taps, cinG - 1u);
  let ky = (k / kW) % kH;
  let kx = k % kW;
  let iy = i32(q / outW) * sH - pH + i32(ky) * dH;
  let ix = i32(q % outW) * sW - pW + i32(kx) * dW;
  let inside = k < K0 && iy >= 0 && iy < inH && ix >= 0 && ix < inW;
  let src = (bg * cinG + ci) * u32(inH * inW) + u32(clamp(iy, 0, inH - 1) * inW + clamp(ix, 0, inW - 1));
  Col[idx] = select(0.0, X[src], inside);
}
`, p, [x, col], grid(total, 64));
  encodeGemm({
    a: w, b: col, out: y, M: coutG, N, K, transB: true,
    batchShape: [g.batch, g.groups], aBatchStrides: [0, coutG * K], bBatchStrides: [g.groups * K * N, K * N],
    ...(bias ? { bias: { storage: bias, rowStride: 1, colStride: 0, batchStrides: [0, coutG] } } : {}),
    alpha: 1, beta: 1,
  });
}

/** The weight [rows, k0] as [rows, k] with zero columns after k0, cached with the weight's storage. */
function paddedWeight(weight: GpuStorage, rows: number, k0: number, k: number): GpuStorage {
  const key = `pad-k:${rows}:${k0}:${k}`;
  let padded = weight.derived.get(key);
  if (!padded || padded.isDestroyed || producedByFailedWork(padded)) {
    // New buffers are zero-filled, so only the k0 real columns are copied.
    padded = allocStorage(rows * k, 'f32', 'a padded convolution weight');
    encodeStridedCopy(weight, padded, { shape: [rows, k0], inOffset: 0, inStrides: [k0, 1], outOffset: 0, outStrides: [k, 1] });
    weight.derived.set(key, padded);
  }
  return padded;
}

export function registerConvKernels(): void {
  const op = getOp('convolution');
  if (op) registerKernel(op as OpDef<unknown>, 'webgpu', convKernel);
}

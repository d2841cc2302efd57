// Ops that move values without computing new ones: view/reshape (which share the storage: GPU
// storages are immutable once produced), and one strided-copy kernel for permute/transpose,
// expand, repeat, narrow, slice, select, flip, diagonal, unfold, cat, split, channel and pixel
// shuffles; plus pad (constant/reflect/replicate/circular), roll and nearest/bilinear upsampling.
//
// The strided copy walks a shape of up to 12 dims with an element offset and (signed) strides on
// each side: out[outOffset + Σ cᵢ·outStrideᵢ] = in[inOffset + Σ cᵢ·inStrideᵢ]. It copies raw 32-bit
// words, so one pipeline per rank serves every dtype the GPU stores.
import type { Tensor } from '../../tensor.ts';
import { getOp, registerKernel, type OpDef } from '../../ops/registry.ts';
import { sliceLength } from '../../ops/index-ops.ts';
import { gpuFormat } from '../../devices/webgpu-storage.ts';
import {
  type GpuStorage, KernelUnsupported, Params, dispatch, entryPoint, grid, input, output, paramsDecl, storageDecl, stridesOf,
} from './common.ts';
import { shareValues } from './elementwise.ts';

const WG = 64;
const MAX_RANK = 12;

interface CopyPlan {
  shape: number[];
  inOffset: number;
  inStrides: number[];
  outOffset: number;
  /** null: the output is written contiguously in `shape` order from outOffset. */
  outStrides: number[] | null;
}

/** Drops size-1 dims (they never move an offset). */
function simplify(p: CopyPlan): CopyPlan {
  const keep = p.shape.map((s, i) => (s !== 1 ? i : -1)).filter((i) => i >= 0);
  return {
    shape: keep.map((i) => p.shape[i]!),
    inOffset: p.inOffset,
    inStrides: keep.map((i) => p.inStrides[i]!),
    outOffset: p.outOffset,
    outStrides: p.outStrides ? keep.map((i) => p.outStrides![i]!) : null,
  };
}

/** Encodes one strided copy from `src` into `dst`. */
export function encodeStridedCopy(src: GpuStorage, dst: GpuStorage, plan: CopyPlan): void {
  const p = simplify(plan);
  const n = p.shape.reduce((a, b) => a * b, 1);
  if (n === 0) return;
  const rank = p.shape.length;
  if (rank > MAX_RANK) throw new KernelUnsupported(`a copy over ${rank} dims`);
  const contiguousOut = p.outStrides === null;
  const params = new Params().u32(n).i32(p.inOffset, p.outOffset).u32(...p.shape).i32(...p.inStrides, ...(p.outStrides ?? []));
  const shapeBase = 3;
  const inBase = shapeBase + rank;
  const outBase = inBase + rank;
  dispatch(`copy:${rank}:${contiguousOut}`, () => {
    let body = '  if (gid >= pu(0u)) { return; }\n  var inOff = pi(1u);\n';
    body += contiguousOut ? '  let outOff = pi(2u) + i32(gid);\n' : '  var outOff = pi(2u);\n';
    if (rank > 0) {
      body += '  var rem = gid;\n';
      for (let d = rank - 1; d >= 0; d--) {
        body += `  { let c = i32(rem % pu(${shapeBase + d}u));\n    inOff = inOff + c * pi(${inBase + d}u);\n`;
        if (!contiguousOut) body += `    outOff = outOff + c * pi(${outBase + d}u);\n`;
        body += d > 0 ? `    rem = rem / pu(${shapeBase + d}u); }\n` : '  }\n';
      }
    }
    body += '  Y[u32(outOff)] = X[u32(inOff)];';
    return `${paramsDecl(params.length)}${storageDecl(1, 'X', 'u32')}${storageDecl(2, 'Y', 'u32', true)}${entryPoint(WG, body)}`;
  }, params, [src, dst], grid(n, WG));
}

/** Copies `x` into a fresh storage for `out` along a plan with a contiguous output. */
function copyInto(x: Tensor, out: Tensor, plan: Omit<CopyPlan, 'outOffset' | 'outStrides'>): void {
  requireSameFormat(x, out);
  const src = input(x);
  const dst = output(out);
  encodeStridedCopy(src, dst, { ...plan, outOffset: 0, outStrides: null });
}

function requireSameFormat(a: Tensor, b: Tensor): void {
  const fa = gpuFormat(a.dtype);
  if (fa === null || fa !== gpuFormat(b.dtype) || a.dtype !== b.dtype) throw new KernelUnsupported(`copy from ${a.dtype.name} to ${b.dtype.name}`);
}

const norm = (d: number, rank: number): number => (d < 0 ? d + rank : d);

// ------------------------------------------------------------------ kernels

function viewKernel(inputs: readonly Tensor[], _attrs: unknown, outputs: Tensor[]): void {
  shareValues(inputs[0]!, outputs[0]!);
}

function permuteKernel(inputs: readonly Tensor[], attrs: unknown, outputs: Tensor[]): void {
  const x = inputs[0]!;
  const dims = (attrs as { dims: readonly number[] }).dims.map((d) => norm(d, x.ndim));
  const strides = stridesOf(x.shape);
  if (dims.every((d, i) => d === i)) { shareValues(x, outputs[0]!); return; }
  copyInto(x, outputs[0]!, { shape: [...outputs[0]!.shape], inOffset: 0, inStrides: dims.map((d) => strides[d]!) });
}

function expandKernel(inputs: readonly Tensor[], _attrs: unknown, outputs: Tensor[]): void {
  const x = inputs[0]!;
  const out = outputs[0]!;
  const strides = stridesOf(x.shape);
  const lead = out.ndim - x.ndim;
  const inStrides = out.shape.map((s, d) => (d < lead || x.shape[d - lead] !== s ? 0 : strides[d - lead]!));
  copyInto(x, out, { shape: [...out.shape], inOffset: 0, inStrides });
}

function repeatKernel(inputs: readonly Tensor[], attrs: unknown, outputs: Tensor[]): void {
  const x = inputs[0]!;
  const out = outputs[0]!;
  const repeats = (attrs as { repeats: readonly number[] }).repeats;
  const padded = [...new Array<number>(repeats.length - x.ndim).fill(1), ...x.shape];
  const inStr = stridesOf(padded);
  const outStr = stridesOf(out.shape);
  const shape: number[] = [];
  const inStrides: number[] = [];
  const outStrides: number[] = [];
  padded.forEach((s, i) => {
    shape.push(repeats[i]!, s);
    inStrides.push(0, inStr[i]!);
    outStrides.push(s * outStr[i]!, outStr[i]!);
  });
  requireSameFormat(x, out);
  encodeStridedCopy(input(x), output(out), { shape, inOffset: 0, inStrides, outOffset: 0, outStrides });
}

function narrowKernel(inputs: readonly Tensor[], attrs: unknown, outputs: Tensor[]): void {
  const x = inputs[0]!;
  const a = attrs as { dim: number; start: number; length: number };
  const d = norm(a.dim, x.ndim);
  const start = a.start < 0 ? a.start + x.shape[d]! : a.start;
  const strides = stridesOf(x.shape);
  copyInto(x, outputs[0]!, { shape: [...outputs[0]!.shape], inOffset: start * strides[d]!, inStrides: strides });
}

function sliceKernel(inputs: readonly Tensor[], attrs: unknown, outputs: Tensor[]): void {
  const x = inputs[0]!;
  const a = attrs as { dim: number; start: number | null; stop: number | null; step: number };
  const d = norm(a.dim, x.ndim);
  const { start } = sliceLength(x.shape[d]!, a.start, a.stop, a.step);
  const strides = stridesOf(x.shape);
  copyInto(x, outputs[0]!, { shape: [...outputs[0]!.shape], inOffset: start * strides[d]!, inStrides: strides.map((s, i) => (i === d ? s * a.step : s)) });
}

function selectKernel(inputs: readonly Tensor[], attrs: unknown, outputs: Tensor[]): void {
  const x = inputs[0]!;
  const a = attrs as { dim: number; index: number };
  const d = norm(a.dim, x.ndim);
  const index = a.index < 0 ? a.index + x.shape[d]! : a.index;
  const strides = stridesOf(x.shape);
  copyInto(x, outputs[0]!, { shape: [...outputs[0]!.shape], inOffset: index * strides[d]!, inStrides: strides.filter((_, i) => i !== d) });
}

function flipKernel(inputs: readonly Tensor[], attrs: unknown, outputs: Tensor[]): void {
  const x = inputs[0]!;
  const dims = new Set((attrs as { dims: readonly number[] }).dims.map((d) => norm(d, x.ndim)));
  const strides = stridesOf(x.shape);
  let offset = 0;
  const inStrides = strides.map((s, i) => {
    if (!dims.has(i)) return s;
    offset += (x.shape[i]! - 1) * s;
    return -s;
  });
  copyInto(x, outputs[0]!, { shape: [...x.shape], inOffset: offset, inStrides });
}

function diagonalKernel(inputs: readonly Tensor[], attrs: unknown, outputs: Tensor[]): void {
  const x = inputs[0]!;
  const a = attrs as { offset: number; dim1: number; dim2: number };
  const d1 = norm(a.dim1, x.ndim);
  const d2 = norm(a.dim2, x.ndim);
  const strides = stridesOf(x.shape);
  const inOffset = a.offset >= 0 ? a.offset * strides[d2]! : -a.offset * strides[d1]!;
  const rest = strides.filter((_, i) => i !== d1 && i !== d2);
  copyInto(x, outputs[0]!, { shape: [...outputs[0]!.shape], inOffset: outputs[0]!.numel() === 0 ? 0 : inOffset, inStrides: [...rest, strides[d1]! + strides[d2]!] });
}

function unfoldKernel(inputs: readonly Tensor[], attrs: unknown, outputs: Tensor[]): void {
  const x = inputs[0]!;
  const a = attrs as { dim: number; size: number; step: number };
  if (x.ndim === 0) { copyInto(x, outputs[0]!, { shape: [...outputs[0]!.shape], inOffset: 0, inStrides: [0] }); return; }
  const d = norm(a.dim, x.ndim);
  const strides = stridesOf(x.shape);
  copyInto(x, outputs[0]!, { shape: [...outputs[0]!.shape], inOffset: 0, inStrides: [...strides.map((s, i) => (i === d ? s * a.step : s)), strides[d]!] });
}

function catKernel(inputs: readonly Tensor[], attrs: unknown, outputs: Tensor[]): void {
  const out = outputs[0]!;
  const used = inputs.filter((t) => !(t.ndim === 1 && t.shape[0] === 0));
  for (const t of used) requireSameFormat(t, out);
  if (used.length === 0) { output(out); return; }
  const d = norm((attrs as { dim: number }).dim, out.ndim);
  const sources = used.map((t) => input(t));
  const dst = output(out);
  const outStrides = stridesOf(out.shape);
  let at = 0;
  used.forEach((t, i) => {
    encodeStridedCopy(sources[i]!, dst, { shape: [...t.shape], inOffset: 0, inStrides: stridesOf(t.shape), outOffset: at * outStrides[d]!, outStrides });
    at += t.shape[d]!;
  });
}

function splitKernel(inputs: readonly Tensor[], attrs: unknown, outputs: Tensor[]): void {
  const x = inputs[0]!;
  const d = norm((attrs as { dim: number }).dim, x.ndim);
  const strides = stridesOf(x.shape);
  for (const o of outputs) requireSameFormat(x, o);
  const src = input(x);
  let at = 0;
  for (const o of outputs) {
    const dst = output(o);
    encodeStridedCopy(src, dst, { shape: [...o.shape], inOffset: at * strides[d]!, inStrides: strides, outOffset: 0, outStrides: null });
    at += o.shape[d]!;
  }
}

function channelShuffleKernel(inputs: readonly Tensor[], attrs: unknown, outputs: Tensor[]): void {
  const x = inputs[0]!;
  const g = (attrs as { groups: number }).groups;
  const [n, c] = [x.shape[0]!, x.shape[1]!];
  const inner = x.numel() / Math.max(1, n * c);
  // [n, g, c/g, inner] read as [n, c/g, g, inner]
  const per = c / g;
  copyInto(x, outputs[0]!, { shape: [n, per, g, inner], inOffset: 0, inStrides: [c * inner, inner, per * inner, 1] });
}

function pixelShuffleKernel(inputs: readonly Tensor[], attrs: unknown, outputs: Tensor[]): void {
  const x = inputs[0]!;
  const { factor: r, inverse } = attrs as { factor: number; inverse: boolean };
  const lead = x.shape.slice(0, -3).reduce((a, b) => a * b, 1);
  const [c, h, w] = x.shape.slice(-3) as [number, number, number];
  if (!inverse) {
    const oc = c / (r * r);
    // out[l, oc, h, r1, w, r2] = in[l, oc, r1, r2, h, w]
    copyInto(x, outputs[0]!, { shape: [lead, oc, h, r, w, r], inOffset: 0, inStrides: [c * h * w, r * r * h * w, w, r * h * w, 1, h * w] });
  } else {
    const oh = h / r;
    const ow = w / r;
    // out[l, c, r1, r2, oh, ow] = in[l, c, oh, r1, ow, r2]
    copyInto(x, outputs[0]!, { shape: [lead, c, r, r, oh, ow], inOffset: 0, inStrides: [c * h * w, h * w, w, 1, r * w, r] });
  }
}

// ------------------------------------------------------------------ pad, roll, upsample

const MAX_PAD_RANK = 8;

function padKernel(inputs: readonly Tensor[], attrs: unknown, outputs: Tensor[]): void {
  const x = inputs[0]!;
  const out = outputs[0]!;
  const a = attrs as { pad: readonly number[]; mode: string; value: number | null };
  const format = gpuFormat(x.dtype);
  if (format === null) throw new KernelUnsupported(`pad of ${x.dtype.name}`);
  if (out.ndim > MAX_PAD_RANK) throw new KernelUnsupported(`pad of a rank-${out.ndim} tensor`);
  const rank = out.ndim;
  const before = new Array<number>(rank).fill(0);
  for (let k = 0; k < a.pad.length / 2; k++) before[rank - 1 - k] = a.pad[2 * k]!;
  const mode = ['constant', 'reflect', 'replicate', 'circular'].indexOf(a.mode);
  if (mode < 0) throw new KernelUnsupported(`pad mode ${a.mode}`);
  const value = a.value ?? 0;
  const params = new Params().u32(out.numel(), mode).u32(...out.shape).i32(...before).u32(...x.shape).value(format, value);
  const src = input(x);
  const dst = output(out);
  const n = out.numel();
  if (n === 0) return;
  const outShape = 2;
  const befores = outShape + rank;
  const inShape = befores + rank;
  const valueAt = inShape + rank;
  const load = format === 'f32' ? `pf(${valueAt}u)` : format === 'i32' ? `pi(${valueAt}u)` : `pu(${valueAt}u)`;
  dispatch(`pad:${rank}:${format}`, () => {
    let body = '  if (gid >= pu(0u)) { return; }\n  let mode = pu(1u);\n  var rem = gid;\n  var off = 0u;\n  var inside = true;\n  var stride = 1u;\n';
    for (let d = rank - 1; d >= 0; d--) {
      body += `  {
    let c = i32(rem % pu(${outShape + d}u));
    rem = rem / pu(${outShape + d}u);
    let size = i32(pu(${inShape + d}u));
    var i = c - pi(${befores + d}u);
    if (mode == 0u) { if (i < 0 || i >= size) { inside = false; } }
    else if (mode == 1u) { if (i < 0) { i = -i; } if (i >= size) { i = 2 * (size - 1) - i; } }
    else if (mode == 2u) { i = clamp(i, 0, size - 1); }
    else { i = ((i % size) + size) % size; }
    off = off + u32(clamp(i, 0, size - 1)) * stride;
    stride = stride * u32(size);
  }\n`;
    }
    body += `  Y[gid] = select(${load}, X[off], inside);`;
    return `${paramsDecl(params.length)}${storageDecl(1, 'X', format)}${storageDecl(2, 'Y', format, true)}${entryPoint(WG, body)}`;
  }, params, [src, dst], grid(n, WG));
}

function rollKernel(inputs: readonly Tensor[], attrs: unknown, outputs: Tensor[]): void {
  const x = inputs[0]!;
  const out = outputs[0]!;
  const a = attrs as { shifts: readonly number[]; dims: readonly number[] };
  requireSameFormat(x, out);
  // roll without dims rolls the flattened tensor.
  const shape = a.dims.length === 0 ? [x.numel()] : [...x.shape];
  const shifts = new Array<number>(shape.length).fill(0);
  if (a.dims.length === 0) shifts[0] = a.shifts[0]!;
  else a.dims.forEach((d, k) => { const dd = norm(d, x.ndim); shifts[dd] = shifts[dd]! + a.shifts[k]!; });
  if (shape.length > MAX_PAD_RANK) throw new KernelUnsupported(`roll of a rank-${shape.length} tensor`);
  const rank = shape.length;
  const mods = shape.map((s, i) => (s === 0 ? 0 : ((shifts[i]! % s) + s) % s));
  const params = new Params().u32(x.numel()).u32(...shape).u32(...mods);
  const src = input(x);
  const dst = output(out);
  if (x.numel() === 0) return;
  dispatch(`roll:${rank}`, () => {
    let body = '  if (gid >= pu(0u)) { return; }\n  var rem = gid;\n  var off = 0u;\n  var stride = 1u;\n';
    for (let d = rank - 1; d >= 0; d--) {
      body += `  { let size = pu(${1 + d}u); let c = rem % size; rem = rem / size;
    off = off + ((c + size - pu(${1 + rank + d}u)) % size) * stride; stride = stride * size; }\n`;
    }
    body += '  Y[gid] = X[off];';
    return `${paramsDecl(params.length)}${storageDecl(1, 'X', 'u32')}${storageDecl(2, 'Y', 'u32', true)}${entryPoint(WG, body)}`;
  }, params, [src, dst], grid(x.numel(), WG));
}

function upsampleKernel(inputs: readonly Tensor[], attrs: unknown, outputs: Tensor[]): void {
  const x = inputs[0]!;
  const out = outputs[0]!;
  const a = attrs as { outputSize: readonly number[]; mode: string; alignCorners: boolean | null; scales?: readonly (number | null)[] | null };
  if (x.dtype.name !== 'float32') throw new KernelUnsupported(`upsample of ${x.dtype.name}`);
  const dims = a.outputSize.length;
  if (dims > 2) throw new KernelUnsupported(`${dims}-d upsampling`);
  const modes: Record<string, number> = { nearest: 0, 'nearest-exact': 1, linear: 2, bilinear: 2 };
  const mode = modes[a.mode];
  if (mode === undefined) throw new KernelUnsupported(`upsample mode ${a.mode}`);
  const inH = dims === 2 ? x.shape[x.ndim - 2]! : 1;
  const inW = x.shape[x.ndim - 1]!;
  const outH = dims === 2 ? a.outputSize[0]! : 1;
  const outW = a.outputSize[dims - 1]!;
  const alignCorners = a.alignCorners === true;
  // ATen's area_pixel_compute_scale: align_corners uses (in-1)/(out-1); else 1/scale when given, else in/out.
  const given = a.scales ?? null;
  const scale = (inSize: number, outSize: number, k: number): number => {
    if (alignCorners && mode === 2) return outSize > 1 ? (inSize - 1) / (outSize - 1) : 0;
    const s = given?.[k] ?? null;
    return s !== null && s > 0 ? 1 / s : inSize / outSize;
  };
  const sH = dims === 2 ? scale(inH, outH, 0) : 0;
  const sW = scale(inW, outW, dims - 1);
  const n = out.numel();
  const params = new Params().u32(n, mode, inH, inW, outH, outW, alignCorners ? 1 : 0).f32(sH, sW);
  const src = input(x);
  const dst = output(out);
  if (n === 0) return;
  dispatch('upsample2d', () => `${paramsDecl(9)}${storageDecl(1, 'X', 'f32')}${storageDecl(2, 'Y', 'f32', true)}${entryPoint(WG, `
  if (gid >= pu(0u)) { return; }
  let mode = pu(1u); let inH = pu(2u); let inW = pu(3u); let outH = pu(4u); let outW = pu(5u);
  let ox = gid % outW;
  let oy = (gid / outW) % outH;
  let plane = gid / (outW * outH);
  let base = plane * inH * inW;
  let sH = pf(7u); let sW = pf(8u);
  if (mode == 0u || mode == 1u) {
    let off = select(0.0, 0.5, mode == 1u);
    let iy = min(u32(floor((f32(oy) + off) * sH)), inH - 1u);
    let ix = min(u32(floor((f32(ox) + off) * sW)), inW - 1u);
    Y[gid] = X[base + iy * inW + ix];
    return;
  }
  var fy: f32; var fx: f32;
  if (pu(6u) != 0u) { fy = f32(oy) * sH; fx = f32(ox) * sW; }
  else { fy = max((f32(oy) + 0.5) * sH - 0.5, 0.0); fx = max((f32(ox) + 0.5) * sW - 0.5, 0.0); }
  let y0 = min(u32(floor(fy)), inH - 1u);
  let x0 = min(u32(floor(fx)), inW - 1u);
  let y1 = min(y0 + 1u, inH - 1u);
  let x1 = min(x0 + 1u, inW - 1u);
  let ly = fy - f32(y0); let lx = fx - f32(x0);
  let top = X[base + y0 * inW + x0] * (1.0 - lx) + X[base + y0 * inW + x1] * lx;
  let bottom = X[base + y1 * inW + x0] * (1.0 - lx) + X[base + y1 * inW + x1] * lx;
  Y[gid] = top * (1.0 - ly) + bottom * ly;`)}`, params, [src, dst], grid(n, WG));
}

export function registerCopyKernels(): void {
  const reg = (name: string, k: (i: readonly Tensor[], a: unknown, o: Tensor[]) => void): void => {
    const op = getOp(name);
    if (op) registerKernel(op as OpDef<unknown>, 'webgpu', k);
  };
  reg('view', viewKernel);
  reg('permute', permuteKernel);
  reg('expand', expandKernel);
  reg('repeat', repeatKernel);
  reg('narrow', narrowKernel);
  reg('slice', sliceKernel);
  reg('select', selectKernel);
  reg('flip', flipKernel);
  reg('diagonal', diagonalKernel);
  reg('unfold_dim', unfoldKernel);
  reg('cat', catKernel);
  reg('split_with_sizes', splitKernel);
  reg('channel_shuffle', channelShuffleKernel);
  reg('pixel_shuffle', pixelShuffleKernel);
  reg('pad', padKernel);
  reg('roll', rollKernel);
  reg('upsample', upsampleKernel);
}

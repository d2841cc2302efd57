// Distances: cdist (batched, any p), pairwise_distance (p-norm of x1 - x2 + eps over the last dim)
// and cosine_similarity (along a dim). Broadcast operands are first expanded with the strided copy
// (these ops are small next to the layers around them); then one invocation per output element
// reduces over the feature dim.
import type { Tensor } from '../../tensor.ts';
import { getOp, registerKernel, type OpDef } from '../../ops/registry.ts';
import { broadcastShapes } from '../../ops/broadcast.ts';
import { allocStorage } from '../../devices/webgpu-storage.ts';
import {
  type GpuStorage, KernelUnsupported, Params, dispatch, entryPoint, grid, input, numAttr, output, paramsDecl, requireFloat32, storageDecl, stridesOf,
} from './common.ts';
import { encodeStridedCopy } from './copy.ts';

const WG = 64;

/** `t`'s values laid out contiguously as `shape` (t broadcast to it), sharing t's storage when it already is. */
function expanded(t: Tensor, shape: readonly number[]): GpuStorage {
  const src = input(t);
  const same = t.ndim === shape.length && t.shape.every((s, i) => s === shape[i]);
  if (same) return src;
  const own = stridesOf(t.shape);
  const lead = shape.length - t.ndim;
  const inStrides = shape.map((s, d) => (d < lead || t.shape[d - lead] !== s ? 0 : own[d - lead]!));
  const dst = allocStorage(shape.reduce((a, b) => a * b, 1), 'f32', 'a broadcast operand');
  encodeStridedCopy(src, dst, { shape: [...shape], inOffset: 0, inStrides, outOffset: 0, outStrides: null });
  return dst;
}

/** WGSL accumulating the p-norm of `d` into `acc` (mode 0: p=2, 1: p=1, 2: inf, 3: p=0, 4: general p in pf(pIdx)). */
const accumulate = (pIdx: number): string => `
fn acc_norm(acc: f32, d: f32, mode: u32) -> f32 {
  let a = abs(d);
  if (mode == 0u) { return acc + d * d; }
  if (mode == 1u) { return acc + a; }
  if (mode == 2u) { return max(acc, a); }
  if (mode == 3u) { return acc + select(0.0, 1.0, d != 0.0); }
  return acc + pow(a, pf(${pIdx}u));
}
fn finish_norm(acc: f32, mode: u32) -> f32 {
  if (mode == 0u) { return sqrt(acc); }
  if (mode == 4u) { return pow(acc, 1.0 / pf(${pIdx}u)); }
  return acc;
}
`;

function normMode(p: number): number {
  if (p === 2) return 0;
  if (p === 1) return 1;
  if (p === Infinity) return 2;
  if (p === 0) return 3;
  if (p < 0) throw new KernelUnsupported(`p-norm with p = ${p}`);
  return 4;
}

function cdistKernel(inputs: readonly Tensor[], attrs: unknown, outputs: Tensor[]): void {
  const [a, b] = inputs;
  const out = outputs[0]!;
  requireFloat32(a!, b!, out);
  const p = numAttr(attrs, ['p'], 2);
  const batch = out.shape.slice(0, -2);
  const [r1, m] = a!.shape.slice(-2) as [number, number];
  const r2 = b!.shape[b!.ndim - 2]!;
  const xa = expanded(a!, [...batch, r1, m]);
  const xb = expanded(b!, [...batch, r2, m]);
  const n = out.numel();
  const params = new Params().u32(n, r1, r2, m, normMode(p)).f32(p);
  const y = output(out);
  if (n === 0) return;
  dispatch('cdist', () => `${paramsDecl(6)}${storageDecl(1, 'A', 'f32')}${storageDecl(2, 'B', 'f32')}${storageDecl(3, 'Y', 'f32', true)}${accumulate(5)}${entryPoint(WG, `
  if (gid >= pu(0u)) { return; }
  let r1 = pu(1u); let r2 = pu(2u); let m = pu(3u); let mode = pu(4u);
  let j = gid % r2;
  let i = (gid / r2) % r1;
  let t = gid / (r1 * r2);
  let ab = (t * r1 + i) * m;
  let bb = (t * r2 + j) * m;
  var acc = 0.0;
  for (var c = 0u; c < m; c = c + 1u) { acc = acc_norm(acc, A[ab + c] - B[bb + c], mode); }
  Y[gid] = finish_norm(acc, mode);`)}`, params, [xa, xb, y], grid(n, WG));
}

function pairwiseKernel(inputs: readonly Tensor[], attrs: unknown, outputs: Tensor[]): void {
  const [a, b] = inputs;
  const out = outputs[0]!;
  requireFloat32(a!, b!, out);
  const shape = broadcastShapes(a!.shape, b!.shape);
  if (shape.length === 0) throw new KernelUnsupported('pairwise_distance of scalars');
  const p = numAttr(attrs, ['p'], 2);
  const eps = numAttr(attrs, ['eps'], 1e-6);
  const last = shape[shape.length - 1]!;
  const xa = expanded(a!, shape);
  const xb = expanded(b!, shape);
  const n = out.numel();
  const params = new Params().u32(n, last, normMode(p), 0).f32(eps, p);
  const y = output(out);
  if (n === 0) return;
  dispatch('pairwise_distance', () => `${paramsDecl(6)}${storageDecl(1, 'A', 'f32')}${storageDecl(2, 'B', 'f32')}${storageDecl(3, 'Y', 'f32', true)}${accumulate(5)}${entryPoint(WG, `
  if (gid >= pu(0u)) { return; }
  let last = pu(1u); let mode = pu(2u); let eps = pf(4u);
  let base = gid * last;
  var acc = 0.0;
  for (var c = 0u; c < last; c = c + 1u) { acc = acc_norm(acc, A[base + c] - B[base + c] + eps, mode); }
  Y[gid] = finish_norm(acc, mode);`)}`, params, [xa, xb, y], grid(n, WG));
}

function cosineKernel(inputs: readonly Tensor[], attrs: unknown, outputs: Tensor[]): void {
  const [a, b] = inputs;
  const out = outputs[0]!;
  requireFloat32(a!, b!, out);
  const shape = broadcastShapes(a!.shape, b!.shape);
  const dim = numAttr(attrs, ['dim'], 1);
  const d = dim < 0 ? dim + shape.length : dim;
  const eps = numAttr(attrs, ['eps'], 1e-8);
  const size = shape[d]!;
  const inner = shape.slice(d + 1).reduce((x, y) => x * y, 1);
  const xa = expanded(a!, shape);
  const xb = expanded(b!, shape);
  const n = out.numel();
  const params = new Params().u32(n, size, inner).f32(eps);
  const y = output(out);
  if (n === 0) return;
  dispatch('cosine_similarity', () => `${paramsDecl(4)}${storageDecl(1, 'A', 'f32')}${storageDecl(2, 'B', 'f32')}${storageDecl(3, 'Y', 'f32', true)}${entryPoint(WG, `
  if (gid >= pu(0u)) { return; }
  let size = pu(1u); let inner = pu(2u); let eps = pf(3u);
  let base = (gid / inner) * size * inner + gid % inner;
  var w12 = 0.0; var w1 = 0.0; var w2 = 0.0;
  for (var k = 0u; k < size; k = k + 1u) {
    let u = A[base + k * inner];
    let v = B[base + k * inner];
    w12 = w12 + u * v; w1 = w1 + u * u; w2 = w2 + v * v;
  }
  Y[gid] = w12 / sqrt(max(w1 * w2, eps * eps));`)}`, params, [xa, xb, y], grid(n, WG));
}

export function registerDistanceKernels(): void {
  const reg = (name: string, k: (i: readonly Tensor[], a: unknown, o: Tensor[]) => void): void => {
    const op = getOp(name);
    if (op) registerKernel(op as OpDef<unknown>, 'webgpu', k);
  };
  reg('cdist', cdistKernel);
  reg('pairwise_distance', pairwiseKernel);
  reg('cosine_similarity', cosineKernel);
}

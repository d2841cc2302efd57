// Reads through index tensors: embedding, index_select, gather and advanced indexing (`x[idx]`,
// `x[:, idx]`, several broadcast index tensors). Index tensors are int64 on the host and i32 on
// the GPU. Indices that are still on the host are checked here, with PyTorch's IndexError, before
// anything is encoded; indices computed on the GPU are clamped into range (the kernel cannot raise).
import type { Tensor } from '../../tensor.ts';
import { indexError } from '../../python/index.ts';
import { getOp, registerKernel, type OpDef } from '../../ops/registry.ts';
import { broadcastAll } from '../../ops/broadcast.ts';
import { gpuFormat, hostScalar } from '../../devices/webgpu-storage.ts';
import { encodeCopy } from '../../devices/webgpu-program.ts';
import { KernelUnsupported, Params, convert, dispatch, entryPoint, grid, input, output, paramsDecl, storageDecl, stridesOf } from './common.ts';

const WG = 64;
const MAX_RANK = 8;

function formatOf(t: Tensor): 'f32' | 'i32' | 'u32' {
  const f = gpuFormat(t.dtype);
  if (f === null) throw new KernelUnsupported(`${t.dtype.name} values`);
  return f;
}

/** Throws torch's error for the first host index outside [-size, size). */
function checkHostIndices(index: Tensor, size: number, message: (v: number) => string): void {
  if (!index.data) return;
  const data = index.data as ArrayLike<number | bigint>;
  for (let i = 0; i < data.length; i++) {
    const v = Number(data[i]!);
    if (v < -size || v >= size) throw indexError(message(v));
  }
}

function requireIndex(index: Tensor): void {
  if (index.dtype.name !== 'int64' && index.dtype.name !== 'int32') throw new KernelUnsupported(`${index.dtype.name} index tensor`);
}

function embeddingKernel(inputs: readonly Tensor[], attrs: unknown, outputs: Tensor[]): void {
  const [weight, indices] = inputs;
  const maxNorm = (attrs as { maxNorm?: number | null }).maxNorm;
  if (maxNorm !== undefined && maxNorm !== null) throw new KernelUnsupported('embedding with max_norm (renormalises the weight in place)');
  const out = outputs[0]!;
  requireIndex(indices!);
  const [rows, d] = [weight!.shape[0]!, weight!.shape[1]!];
  checkHostIndices(indices!, rows, () => 'index out of range in self');
  const format = formatOf(weight!);
  const n = out.numel();
  const params = new Params().u32(n, d, rows);
  const buffers = [input(weight!), input(indices!), output(out)];
  if (n === 0) return;
  dispatch(`embedding:${format}`, () => `${paramsDecl(3)}${storageDecl(1, 'Wt', format)}${storageDecl(2, 'Ix', 'i32')}${storageDecl(3, 'Y', format, true)}${entryPoint(WG, `
  if (gid >= pu(0u)) { return; }
  let d = pu(1u);
  let rows = i32(pu(2u));
  var r = Ix[gid / d];
  if (r < 0) { r = r + rows; }
  r = clamp(r, 0, rows - 1);
  Y[gid] = Wt[u32(r) * d + gid % d];`)}`, params, buffers, grid(n, WG));
}

function indexSelectKernel(inputs: readonly Tensor[], attrs: unknown, outputs: Tensor[]): void {
  const [self, index] = inputs;
  const out = outputs[0]!;
  requireIndex(index!);
  const dim = (attrs as { dim: number }).dim;
  const d = self!.ndim === 0 ? 0 : dim < 0 ? dim + self!.ndim : dim;
  const shape = self!.ndim === 0 ? [1] : self!.shape;
  const size = shape[d]!;
  checkHostIndices(index!, size, () => 'index out of range in self');
  const inner = shape.slice(d + 1).reduce((a, b) => a * b, 1);
  const count = index!.numel();
  const format = formatOf(self!);
  const n = out.numel();
  const params = new Params().u32(n, inner, count, size);
  const buffers = [input(self!), input(index!), output(out)];
  if (n === 0) return;
  dispatch(`index_select:${format}`, () => `${paramsDecl(4)}${storageDecl(1, 'X', format)}${storageDecl(2, 'Ix', 'i32')}${storageDecl(3, 'Y', format, true)}${entryPoint(WG, `
  if (gid >= pu(0u)) { return; }
  let inner = pu(1u); let count = pu(2u); let size = i32(pu(3u));
  let j = gid % inner;
  let k = (gid / inner) % count;
  let o = gid / (inner * count);
  var r = Ix[k];
  if (r < 0) { r = r + size; }
  r = clamp(r, 0, size - 1);
  Y[gid] = X[(o * u32(size) + u32(r)) * inner + j];`)}`, params, buffers, grid(n, WG));
}

function gatherKernel(inputs: readonly Tensor[], attrs: unknown, outputs: Tensor[]): void {
  const [self, index] = inputs;
  const out = outputs[0]!;
  if (index!.dtype.name !== 'int64') throw new KernelUnsupported(`${index!.dtype.name} index`);
  const dim = (attrs as { dim: number }).dim;
  const rank = Math.max(self!.ndim, 1);
  const d = dim < 0 ? dim + rank : dim;
  const selfShape = self!.ndim === 0 ? [1] : self!.shape;
  const idxShape = index!.ndim === 0 ? [1] : index!.shape;
  const size = selfShape[d]!;
  checkHostIndices(index!, size, (v) => `index ${v} is out of bounds for dimension ${d} with size ${size}`);
  if (idxShape.length > MAX_RANK) throw new KernelUnsupported(`gather over rank ${idxShape.length}`);
  const format = formatOf(self!);
  const n = out.numel();
  const strides = stridesOf(selfShape);
  const params = new Params().u32(n, size).u32(...idxShape).u32(...strides);
  const r = idxShape.length;
  const buffers = [input(self!), input(index!), output(out)];
  if (n === 0) return;
  dispatch(`gather:${format}:${r}:${d}`, () => {
    let body = '  if (gid >= pu(0u)) { return; }\n  let size = i32(pu(1u));\n  var v = Ix[gid];\n  if (v < 0) { v = v + size; }\n  v = clamp(v, 0, size - 1);\n  var rem = gid;\n  var off = 0u;\n';
    for (let k = r - 1; k >= 0; k--) {
      const coord = k === d ? 'u32(v)' : `(rem % pu(${2 + k}u))`;
      body += `  off = off + ${coord} * pu(${2 + r + k}u);\n  rem = rem / pu(${2 + k}u);\n`;
    }
    body += '  Y[gid] = X[off];';
    return `${paramsDecl(params.length)}${storageDecl(1, 'X', format)}${storageDecl(2, 'Ix', 'i32')}${storageDecl(3, 'Y', format, true)}${entryPoint(WG, body)}`;
  }, params, buffers, grid(n, WG));
}

/** Advanced indexing by integer tensors at `dims` (NumPy's placement rule for the broadcast dims). */
function indexKernel(inputs: readonly Tensor[], attrs: unknown, outputs: Tensor[]): void {
  const [t, ...indices] = inputs;
  const out = outputs[0]!;
  const dims = (attrs as { dims: readonly number[] }).dims.map((d) => (d < 0 ? d + t!.ndim : d));
  for (const ix of indices) if (ix.dtype.name !== 'int64') throw new KernelUnsupported(`${ix.dtype.name} index tensor (masks need values)`);
  if (indices.length > 4) throw new KernelUnsupported('more than 4 index tensors');
  if (out.ndim > MAX_RANK || t!.ndim > MAX_RANK) throw new KernelUnsupported('advanced indexing over rank > 8');
  indices.forEach((ix, k) => checkHostIndices(ix, t!.shape[dims[k]!]!, (v) => `index ${v} is out of bounds for dimension ${dims[k]} with size ${t!.shape[dims[k]!]}`));
  const broadcast = broadcastAll(indices.map((i) => i.shape));
  const sorted = [...dims].sort((a, b) => a - b);
  const adjacent = sorted.every((d, i) => i === 0 || d === sorted[i - 1]! + 1);
  const rest = t!.shape.map((_, i) => i).filter((i) => !dims.includes(i));
  // Where each output dim comes from: a rest dim of t, or broadcast position b.
  const first = sorted[0]!;
  const outSources: ({ rest: number } | { b: number })[] = adjacent
    ? [...rest.filter((i) => i < first).map((i) => ({ rest: i })), ...broadcast.map((_, b) => ({ b })), ...rest.filter((i) => i > first).map((i) => ({ rest: i }))]
    : [...broadcast.map((_, b) => ({ b })), ...rest.map((i) => ({ rest: i }))];
  const tStrides = stridesOf(t!.shape);
  const format = formatOf(t!);
  const n = out.numel();
  const params = new Params().u32(n).u32(...out.shape);
  // Per out dim: stride into t (rest dims) or 0.
  params.u32(...outSources.map((s) => ('rest' in s ? tStrides[s.rest]! : 0)));
  // Per index tensor: size and stride of its indexed dim, then its broadcast strides per broadcast position.
  const idxBase = params.length;
  indices.forEach((ix, k) => {
    const own = stridesOf(ix.shape);
    const lead = broadcast.length - ix.ndim;
    params.u32(t!.shape[dims[k]!]!, tStrides[dims[k]!]!);
    params.u32(...broadcast.map((_, b) => (b < lead || ix.shape[b - lead] === 1 ? 0 : own[b - lead]!)));
  });
  const buffers = [input(t!), ...indices.map((i) => input(i)), output(out)];
  if (n === 0) return;
  const key = `index:${format}:${outSources.map((s) => ('rest' in s ? 'r' : `b${s.b}`)).join('')}:${indices.length}:${broadcast.length}`;
  dispatch(key, () => {
    const R = out.ndim;
    const B = broadcast.length;
    let decl = paramsDecl(params.length) + storageDecl(1, 'X', format);
    indices.forEach((_, k) => { decl += storageDecl(2 + k, `I${k}`, 'i32'); });
    decl += storageDecl(2 + indices.length, 'Y', format, true);
    let body = '  if (gid >= pu(0u)) { return; }\n  var rem = gid;\n  var off = 0u;\n';
    for (let d = R - 1; d >= 0; d--) body += `  let c${d} = rem % pu(${1 + d}u);\n  rem = rem / pu(${1 + d}u);\n  off = off + c${d} * pu(${1 + R + d}u);\n`;
    const bPos = outSources.map((s, d) => ('b' in s ? d : -1)).filter((d) => d >= 0);
    indices.forEach((_, k) => {
      const base = idxBase + k * (2 + B);
      const terms = bPos.map((d, b) => `c${d} * pu(${base + 2 + b}u)`);
      body += `  { let size = i32(pu(${base}u));\n    var v = I${k}[${terms.join(' + ') || '0u'}];\n    if (v < 0) { v = v + size; }\n    v = clamp(v, 0, size - 1);\n    off = off + u32(v) * pu(${base + 1}u); }\n`;
    });
    body += '  Y[gid] = X[off];';
    return decl + entryPoint(WG, body);
  }, params, buffers, grid(n, WG));
}

/**
 * put_positions (`t[index] = value`): a copy of `self` with `value` (broadcast to the positions'
 * shape, cast to self's dtype) written at the flat positions. Basic indexing gives distinct
 * positions; with repeated advanced indices the last write wins on the CPU and any one here.
 */
function putKernel(inputs: readonly Tensor[], _attrs: unknown, outputs: Tensor[]): void {
  const [self, positions, value] = inputs;
  const out = outputs[0]!;
  requireIndex(positions!);
  const format = formatOf(self!);
  const n = positions!.numel();
  let vshape = [...value!.shape];
  while (vshape.length > positions!.ndim && vshape[0] === 1) vshape = vshape.slice(1);
  const rank = positions!.ndim;
  if (rank > MAX_RANK) throw new KernelUnsupported(`put over rank ${rank}`);
  const scalar = hostScalar(value!);
  const vformat = scalar !== null ? format : formatOf(value!);
  const own = stridesOf(vshape);
  const lead = rank - vshape.length;
  const vstrides = positions!.shape.map((s, d) => (d < lead || vshape[d - lead] !== s ? 0 : own[d - lead]!));
  const params = new Params().u32(n).u32(...positions!.shape).u32(...vstrides);
  const scalarAt = params.length;
  if (scalar !== null) params.value(format, scalar);
  const src = input(self!);
  const pos = input(positions!);
  const vals = scalar === null ? input(value!) : null;
  const dst = output(out);
  encodeCopy(src, 0, dst, 0, Math.max(4, self!.numel() * 4));
  if (n === 0) return;
  const load = scalar !== null ? (format === 'f32' ? `pf(${scalarAt}u)` : format === 'i32' ? `pi(${scalarAt}u)` : `pu(${scalarAt}u)`) : convert('V[voff]', vformat, format);
  dispatch(`put:${format}:${vformat}:${rank}:${scalar !== null}`, () => {
    let decl = paramsDecl(params.length) + storageDecl(1, 'Pos', 'i32');
    if (scalar === null) decl += storageDecl(2, 'V', vformat);
    decl += storageDecl(scalar === null ? 3 : 2, 'Y', format, true);
    let body = '  if (gid >= pu(0u)) { return; }\n  var rem = gid;\n  var voff = 0u;\n';
    for (let d = rank - 1; d >= 0; d--) body += `  voff = voff + (rem % pu(${1 + d}u)) * pu(${1 + rank + d}u);\n  rem = rem / pu(${1 + d}u);\n`;
    body += `  Y[u32(Pos[gid])] = ${load};`;
    return decl + entryPoint(WG, body);
  }, params, vals ? [pos, vals, dst] : [pos, dst], grid(n, WG));
}

export function registerGatherKernels(): void {
  const reg = (name: string, k: (i: readonly Tensor[], a: unknown, o: Tensor[]) => void): void => {
    const op = getOp(name);
    if (op) registerKernel(op as OpDef<unknown>, 'webgpu', k);
  };
  reg('embedding', embeddingKernel);
  reg('index_select', indexSelectKernel);
  reg('gather', gatherKernel);
  reg('index', indexKernel);
  reg('put_positions', putKernel);
}

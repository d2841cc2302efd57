// Joining and splitting: cat, stack, split (by size or sizes), chunk, unbind, tensor_split.
import { resultType } from '../dtype.ts';
import { type Tensor, formatShape } from '../tensor.ts';
import { runtimeError } from '../python/index.ts';
import { normalizeDim } from './dims.ts';
import { defineOp, runOp, runOpMulti } from './registry.ts';
import { narrow, squeeze, unsqueeze } from './shape-ops.ts';

const catOp = defineOp<{ dim: number }>('cat', (inputs, { dim }) => {
  if (inputs.length === 0) throw runtimeError('torch.cat(): expected a non-empty list of Tensors');
  inputs.forEach((t, i) => {
    if (t.ndim === 0) throw runtimeError(`zero-dimensional tensor (at position ${i}) cannot be concatenated`);
  });
  // Legacy behaviour kept by PyTorch: 1-D empty tensors are skipped whatever their rank.
  const used = inputs.map((t, i) => ({ t, i })).filter(({ t }) => !(t.ndim === 1 && t.shape[0] === 0));
  const dtype = resultType(inputs.map((t) => ({ dtype: t.dtype, ndim: t.ndim })));
  if (used.length === 0) return { shape: inputs[0]!.shape, dtype };
  const first = used[0]!.t;
  const d = normalizeDim(dim, first.ndim);
  let total = 0;
  for (const { t, i } of used) {
    if (t.ndim !== first.ndim) throw runtimeError(`Tensors must have same number of dimensions: got ${first.ndim} and ${t.ndim}`);
    t.shape.forEach((s, k) => {
      if (k !== d && s !== first.shape[k]) {
        throw runtimeError(`Sizes of tensors must match except in dimension ${d}. Expected size ${first.shape[k]} but got size ${s} for tensor number ${i} in the list.`);
      }
    });
    total += t.shape[d]!;
  }
  return { shape: first.shape.map((s, k) => (k === d ? total : s)), dtype };
});

export const cat = (tensors: readonly Tensor[], dim = 0): Tensor => runOp(catOp, tensors, { dim });

export function stack(tensors: readonly Tensor[], dim = 0): Tensor {
  if (tensors.length === 0) throw runtimeError('stack expects a non-empty TensorList');
  const d = normalizeDim(dim, tensors[0]!.ndim + 1);
  tensors.forEach((t, i) => {
    const same = t.ndim === tensors[0]!.ndim && t.shape.every((s, k) => s === tensors[0]!.shape[k]);
    if (!same) {
      throw runtimeError(`stack expects each tensor to be equal size, but got ${formatShape(tensors[0]!.shape)} at entry 0 and ${formatShape(t.shape)} at entry ${i}`);
    }
  });
  return cat(tensors.map((t) => unsqueeze(t, d)), d);
}

/** `torch.hstack`: cat along dim 1, or dim 0 for vectors. */
export const hstack = (tensors: readonly Tensor[]): Tensor =>
  cat(tensors.map(atLeast1d), tensors.length > 0 && tensors[0]!.ndim <= 1 ? 0 : 1);

/** `torch.vstack`: cat along dim 0 after making every tensor at least 2-D. */
export const vstack = (tensors: readonly Tensor[]): Tensor => cat(tensors.map(atLeast2d), 0);

export const atLeast1d = (t: Tensor): Tensor => (t.ndim === 0 ? unsqueeze(t, 0) : t);
export const atLeast2d = (t: Tensor): Tensor => (t.ndim === 0 ? unsqueeze(unsqueeze(t, 0), 0) : t.ndim === 1 ? unsqueeze(t, 0) : t);

const splitOp = defineOp<{ dim: number; sizes: readonly number[] }>('split_with_sizes', ([t], { dim, sizes }) => {
  const d = normalizeDim(dim, t!.ndim, false);
  const size = t!.shape[d]!;
  const sum = sizes.reduce((a, b) => a + b, 0);
  if (sum !== size || sizes.some((s) => s < 0)) {
    throw runtimeError(`split_with_sizes expects split_sizes to sum exactly to ${size} (input tensor's size at dimension ${d}), but got split_sizes=${formatShape(sizes)}`);
  }
  return sizes.map((s) => ({ shape: t!.shape.map((x, k) => (k === d ? s : x)), dtype: t!.dtype }));
});

/** `split(split_size_or_sections, dim)`: equal pieces of `split_size` (the last may be smaller), or given sizes. */
export function split(t: Tensor, sizeOrSizes: number | readonly number[], dim = 0): Tensor[] {
  if (Array.isArray(sizeOrSizes)) return runOpMulti(splitOp, [t], { dim, sizes: sizeOrSizes });
  const splitSize = sizeOrSizes as number;
  const d = normalizeDim(dim, t.ndim, false);
  const size = t.shape[d]!;
  if (splitSize < 0) throw runtimeError(`split expects split_size be non-negative, but got split_size=${splitSize}`);
  if (splitSize === 0 && size !== 0) {
    throw runtimeError(`split_size can only be 0 if dimension size is 0, but got dimension size of ${size}`);
  }
  const count = splitSize === 0 ? 1 : Math.max(1, Math.ceil(size / splitSize));
  const sizes = Array.from({ length: count }, (_, i) => Math.min(splitSize, size - i * splitSize));
  return runOpMulti(splitOp, [t], { dim: d, sizes });
}

export function chunk(t: Tensor, chunks: number, dim = 0): Tensor[] {
  if (t.ndim === 0) throw runtimeError('chunk expects at least a 1-dimensional tensor');
  if (chunks <= 0) throw runtimeError(`chunk expects \`chunks\` to be greater than 0, got: ${chunks}`);
  const d = normalizeDim(dim, t.ndim);
  const size = t.shape[d]!;
  return split(t, Math.ceil(size / chunks), d);
}

export function unbind(t: Tensor, dim = 0): Tensor[] {
  const d = normalizeDim(dim, t.ndim, false);
  return split(t, 1, d).map((piece) => squeeze(piece, d));
}

/** `torch.tensor_split`: n nearly equal parts (the first ones one larger), or cut at indices. */
export function tensorSplit(t: Tensor, sectionsOrIndices: number | readonly number[], dim = 0): Tensor[] {
  const d = normalizeDim(dim, t.ndim);
  const size = t.shape[d]!;
  let bounds: number[];
  if (typeof sectionsOrIndices === 'number') {
    if (sectionsOrIndices <= 0) throw runtimeError(`number of sections must be larger than 0, got ${sectionsOrIndices}`);
    const base = Math.floor(size / sectionsOrIndices);
    const extra = size % sectionsOrIndices;
    bounds = [0];
    for (let i = 0; i < sectionsOrIndices; i++) bounds.push(bounds[i]! + base + (i < extra ? 1 : 0));
  } else {
    bounds = [0, ...sectionsOrIndices.map((x) => Math.min(Math.max(x < 0 ? x + size : x, 0), size)), size];
  }
  const out: Tensor[] = [];
  for (let i = 0; i + 1 < bounds.length; i++) {
    const start = bounds[i]!;
    const end = Math.max(bounds[i + 1]!, start);
    out.push(narrow(t, d, Math.min(start, size), Math.min(end, size) - Math.min(start, size)));
  }
  return out;
}

// Ops that rearrange a tensor without computing new values: view/reshape, permute, transpose,
// squeeze/unsqueeze, flatten/unflatten, expand, repeat, narrow, flip, roll, movedim, diagonal,
// tril/triu, unfold. Each shape rule raises PyTorch's own message.
//
// Contiguity and strides are not tracked: `view` succeeds wherever `reshape` would (PyTorch's
// "view size is not compatible with input tensor's size and stride" case is not detected), and
// on value devices every result is a fresh contiguous tensor until the value tier adds views.
import { type DType, int64, isIntegral } from '../dtype.ts';
import { type Tensor, formatShape, shapeNumel } from '../tensor.ts';
import { runtimeError } from '../python/index.ts';
import { expandShape } from './broadcast.ts';
import { normalizeDim, normalizeDims, range } from './dims.ts';
import { defineOp, runOp } from './registry.ts';

/** Resolves a `-1` in a requested shape (`infer_size`), with PyTorch's messages. */
export function inferShape(requested: readonly number[], numel: number): number[] {
  let inferred = -1;
  let known = 1;
  requested.forEach((s, i) => {
    if (s === -1) {
      if (inferred >= 0) throw runtimeError('only one dimension can be inferred');
      inferred = i;
    } else if (s >= 0) {
      known *= s;
    } else {
      throw runtimeError(`invalid shape dimension ${s}`);
    }
  });
  const shape = [...requested];
  if (inferred >= 0) {
    if (known === 0) {
      throw runtimeError(`cannot reshape tensor of 0 elements into shape ${formatShape(requested)} because the unspecified dimension size -1 can be any value and is ambiguous`);
    }
    if (numel % known === 0) {
      shape[inferred] = numel / known;
      return shape;
    }
  } else if (known === numel) {
    return shape;
  }
  throw runtimeError(`shape '${formatShape(requested)}' is invalid for input of size ${numel}`);
}

const viewOp = defineOp<{ shape: readonly number[] }>('view', ([t], a) => ({ shape: inferShape(a.shape, t!.numel()), dtype: t!.dtype }));
/** `x.view(shape)` / `x.reshape(shape)` (contiguity is not tracked, so both have reshape's rule). */
export const view = (t: Tensor, shape: readonly number[]): Tensor => runOp(viewOp, [t], { shape });

const viewDtypeOp = defineOp<{ dtype: DType }>('view_dtype', ([t], { dtype }) => {
  const from = t!.dtype.itemSize;
  const to = dtype.itemSize;
  if (from === to) return { shape: t!.shape, dtype };
  const last = t!.shape[t!.ndim - 1];
  if (t!.ndim === 0) {
    throw runtimeError(`self.dim() cannot be 0 to view ${t!.dtype.scalarTypeName} as ${dtype.scalarTypeName} (different element sizes)`);
  }
  if (from > to) return { shape: [...t!.shape.slice(0, -1), last! * (from / to)], dtype };
  if (last! % (to / from) !== 0) {
    throw runtimeError(`self.size(-1) must be divisible by ${to / from} to view ${t!.dtype.scalarTypeName} as ${dtype.scalarTypeName} (different element sizes), but got ${last}`);
  }
  return { shape: [...t!.shape.slice(0, -1), last! / (to / from)], dtype };
}, { differentiable: false });
/** `x.view(dtype)`: reinterprets the bytes; the last dim scales with the element size. */
export const viewAsDType = (t: Tensor, dtype: DType): Tensor => runOp(viewDtypeOp, [t], { dtype });

const permuteOp = defineOp<{ dims: readonly number[] }>('permute', ([t], { dims }) => {
  if (dims.length !== t!.ndim) {
    throw runtimeError(`permute(sparse_coo): number of dimensions in the tensor input does not match the length of the desired ordering of dimensions i.e. input.dim() = ${t!.ndim} is not equal to len(dims) = ${dims.length}`);
  }
  const wrapped = dims.map((d) => normalizeDim(d, t!.ndim));
  if (new Set(wrapped).size !== wrapped.length) throw runtimeError('permute(): duplicate dims are not allowed.');
  return { shape: wrapped.map((d) => t!.shape[d]!), dtype: t!.dtype };
});
export const permute = (t: Tensor, dims: readonly number[]): Tensor => runOp(permuteOp, [t], { dims });

/** `transpose(d0, d1)` is the permutation that swaps two dims. */
export function transpose(t: Tensor, dim0: number, dim1: number): Tensor {
  const a = normalizeDim(dim0, t.ndim);
  const b = normalizeDim(dim1, t.ndim);
  const dims = range(t.ndim);
  if (t.ndim === 0) return permute(t, []);
  [dims[a], dims[b]] = [dims[b]!, dims[a]!];
  return permute(t, dims);
}

/** `x.t()`: transposes a matrix; vectors and scalars come back unchanged. */
export function matrixTranspose(t: Tensor): Tensor {
  if (t.ndim > 2) throw runtimeError(`t() expects a tensor with <= 2 dimensions, but self is ${t.ndim}D`);
  return t.ndim < 2 ? permute(t, range(t.ndim)) : transpose(t, 0, 1);
}

/** `x.mT`: swaps the last two dims. */
export function batchMatrixTranspose(t: Tensor): Tensor {
  if (t.ndim < 2) throw runtimeError(`tensor.mT is only supported on matrices or batches of matrices. Got ${t.ndim}-D tensor.`);
  return transpose(t, -2, -1);
}

/** `x.T`: reverses all dims. */
export const reverseDims = (t: Tensor): Tensor => permute(t, range(t.ndim).reverse());

export function unsqueeze(t: Tensor, dim: number): Tensor {
  const d = normalizeDim(dim, t.ndim + 1);
  return view(t, [...t.shape.slice(0, d), 1, ...t.shape.slice(d)]);
}

/** `squeeze()` drops every size-1 dim; `squeeze(dim)` drops that dim only if its size is 1. */
export function squeeze(t: Tensor, dim?: number): Tensor {
  if (dim === undefined) return view(t, t.shape.filter((s) => s !== 1));
  const d = normalizeDim(dim, t.ndim);
  if (t.ndim === 0 || t.shape[d] !== 1) return view(t, t.shape);
  return view(t, t.shape.filter((_, i) => i !== d));
}

export function flatten(t: Tensor, startDim = 0, endDim = -1): Tensor {
  const start = normalizeDim(startDim, t.ndim);
  const end = normalizeDim(endDim, t.ndim);
  if (start > end) throw runtimeError('flatten() has invalid args: start_dim cannot come after end_dim');
  if (t.ndim === 0) return view(t, [1]);
  const merged = shapeNumel(t.shape.slice(start, end + 1));
  return view(t, [...t.shape.slice(0, start), merged, ...t.shape.slice(end + 1)]);
}

export function unflatten(t: Tensor, dim: number, sizes: readonly number[]): Tensor {
  const d = normalizeDim(dim, t.ndim);
  if (sizes.length === 0) throw runtimeError('unflatten: sizes must be non-empty');
  const size = t.shape[d]!;
  let resolved: number[];
  try {
    resolved = inferShape(sizes, size);
  } catch (e) {
    if (e instanceof Error && e.message === 'only one dimension can be inferred') {
      throw runtimeError(`unflatten got an unexpected error:\n${e.message}`);
    }
    throw runtimeError(`unflatten: Provided sizes ${formatShape(sizes)} don't multiply up to the size of dim ${dim} (${size}) in the input tensor`);
  }
  return view(t, [...t.shape.slice(0, d), ...resolved, ...t.shape.slice(d + 1)]);
}

const expandOp = defineOp<{ sizes: readonly number[] }>('expand', ([t], { sizes }) =>
  ({ shape: expandShape(t!.shape, sizes, t!.dtype.legacyTypeName), dtype: t!.dtype }));
export const expand = (t: Tensor, sizes: readonly number[]): Tensor => runOp(expandOp, [t], { sizes });

const repeatOp = defineOp<{ repeats: readonly number[] }>('repeat', ([t], { repeats }) => {
  if (repeats.length < t!.ndim) {
    throw runtimeError('Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor');
  }
  const padded = [...new Array<number>(repeats.length - t!.ndim).fill(1), ...t!.shape];
  const shape = padded.map((s, i) => s * repeats[i]!);
  checkNonNegative(shape);
  return { shape, dtype: t!.dtype };
});
export const repeat = (t: Tensor, repeats: readonly number[]): Tensor => runOp(repeatOp, [t], { repeats });

/** `torch.tile`: like repeat, but shorter `dims` are padded with leading 1s. */
export function tile(t: Tensor, dims: readonly number[]): Tensor {
  const padded = dims.length < t.ndim ? [...new Array<number>(t.ndim - dims.length).fill(1), ...dims] : dims;
  return repeat(t, padded);
}

/** Factories and repeat reject negative sizes with this message. */
export function checkNonNegative(shape: readonly number[]): void {
  const bad = shape.find((s) => s < 0);
  if (bad !== undefined) throw runtimeError(`Trying to create tensor with negative dimension ${bad}: ${formatShape(shape)}`);
}

const narrowOp = defineOp<{ dim: number; start: number; length: number }>('narrow', ([t], a) => {
  const d = normalizeDim(a.dim, t!.ndim, false);
  const size = t!.shape[d]!;
  // narrow wraps a negative start like a dim index over the dim's size.
  const start = a.start === size && a.length === 0 ? size : normalizeDim(a.start, size);
  if (start + a.length > size || a.length < 0) {
    throw runtimeError(`start (${start}) + length (${a.length}) exceeds dimension size (${size}).`);
  }
  return { shape: t!.shape.map((s, i) => (i === d ? a.length : s)), dtype: t!.dtype };
});
export const narrow = (t: Tensor, dim: number, start: number, length: number): Tensor => runOp(narrowOp, [t], { dim, start, length });

const flipOp = defineOp<{ dims: readonly number[] }>('flip', ([t], { dims }) => {
  normalizeDims(dims, t!.ndim);
  return { shape: t!.shape, dtype: t!.dtype };
});
export const flip = (t: Tensor, dims: readonly number[]): Tensor => runOp(flipOp, [t], { dims });

const rollOp = defineOp<{ shifts: readonly number[]; dims: readonly number[] }>('roll', ([t], { shifts, dims }) => {
  if (dims.length === 0 && shifts.length === 1) return { shape: t!.shape, dtype: t!.dtype };
  if (shifts.length !== dims.length) {
    throw runtimeError(`shifts and dimensions must align. shifts: ${shifts.length}, dims:${dims.length}`);
  }
  dims.forEach((d) => normalizeDim(d, t!.ndim));
  return { shape: t!.shape, dtype: t!.dtype };
});
export const roll = (t: Tensor, shifts: readonly number[], dims: readonly number[]): Tensor => runOp(rollOp, [t], { shifts, dims });

export function movedim(t: Tensor, source: readonly number[], destination: readonly number[]): Tensor {
  if (source.length !== destination.length) {
    throw runtimeError(`movedim: Invalid source or destination dims: source (${formatShape(source)} dims) should contain the same number of dims as destination (${formatShape(destination)} dims)`);
  }
  const src = source.map((d) => normalizeDim(d, t.ndim));
  const dst = destination.map((d) => normalizeDim(d, t.ndim));
  if (new Set(src).size !== src.length) throw runtimeError(`movedim: repeated dim in \`source\` (${formatShape(source)})`);
  if (new Set(dst).size !== dst.length) throw runtimeError(`movedim: repeated dim in \`destination\` (${formatShape(destination)})`);
  const order = new Array<number>(t.ndim).fill(-1);
  src.forEach((s, i) => { order[dst[i]!] = s; });
  const rest = range(t.ndim).filter((d) => !src.includes(d));
  let next = 0;
  for (let i = 0; i < order.length; i++) if (order[i] === -1) order[i] = rest[next++]!;
  return permute(t, order);
}

const diagonalOp = defineOp<{ offset: number; dim1: number; dim2: number }>('diagonal', ([t], a) => {
  const d1 = normalizeDim(a.dim1, t!.ndim);
  const d2 = normalizeDim(a.dim2, t!.ndim);
  if (d1 === d2) throw runtimeError(`diagonal dimensions cannot be identical ${a.dim1}, ${a.dim2}`);
  const s1 = t!.shape[d1]!;
  const s2 = t!.shape[d2]!;
  const size = Math.max(0, a.offset >= 0 ? Math.min(s1, s2 - a.offset) : Math.min(s1 + a.offset, s2));
  return { shape: [...t!.shape.filter((_, i) => i !== d1 && i !== d2), size], dtype: t!.dtype };
});
export const diagonal = (t: Tensor, offset = 0, dim1 = 0, dim2 = 1): Tensor => runOp(diagonalOp, [t], { offset, dim1, dim2 });

const diagEmbedOp = defineOp<{ offset: number }>('diag_embed', ([t], { offset }) => {
  const n = t!.shape[0]! + Math.abs(offset);
  return { shape: [n, n], dtype: t!.dtype };
});
/** `torch.diag`: a vector becomes a (square) matrix, a matrix gives its diagonal. */
export function diag(t: Tensor, offset = 0): Tensor {
  if (t.ndim === 1) return runOp(diagEmbedOp, [t], { offset });
  if (t.ndim === 2) return diagonal(t, offset, 0, 1);
  throw runtimeError('matrix or a vector expected');
}

const traceOp = defineOp<Record<string, never>>('trace', ([t]) => {
  if (t!.ndim !== 2) throw runtimeError(`trace: expected a matrix, but got tensor with dim ${t!.ndim}`);
  // Like sum, an integer trace accumulates in int64.
  return { shape: [], dtype: isIntegral(t!.dtype, true) ? int64 : t!.dtype };
});
export const trace = (t: Tensor): Tensor => runOp(traceOp, [t], {});

/** tril/triu keep the shape; they need a matrix (or a batch of them). */
function triangularOp(name: string) {
  return defineOp<{ diagonal: number }>(name, ([t]) => {
    normalizeDim(-2, t!.ndim);
    return { shape: t!.shape, dtype: t!.dtype };
  });
}
const trilOp = triangularOp('tril');
const triuOp = triangularOp('triu');
export const tril = (t: Tensor, diagonalIndex = 0): Tensor => runOp(trilOp, [t], { diagonal: diagonalIndex });
export const triu = (t: Tensor, diagonalIndex = 0): Tensor => runOp(triuOp, [t], { diagonal: diagonalIndex });

const unfoldOp = defineOp<{ dim: number; size: number; step: number }>('unfold_dim', ([t], a) => {
  const d = normalizeDim(a.dim, t!.ndim);
  const extent = t!.ndim === 0 ? 1 : t!.shape[d]!;
  if (a.size > extent) throw runtimeError(`maximum size for tensor at dimension ${d} is ${extent} but size is ${a.size}`);
  if (a.step <= 0) throw runtimeError(`step is ${a.step} but must be > 0`);
  if (t!.ndim === 0) return { shape: [a.size], dtype: t!.dtype };
  const count = Math.floor((extent - a.size) / a.step) + 1;
  return { shape: [...t!.shape.map((s, i) => (i === d ? count : s)), a.size], dtype: t!.dtype };
});
/** `Tensor.unfold(dimension, size, step)`: sliding windows along one dim, appended as a new last dim. */
export const unfoldDim = (t: Tensor, dim: number, size: number, step: number): Tensor => runOp(unfoldOp, [t], { dim, size, step });

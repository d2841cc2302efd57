// Indexing ops: the basic-indexing views (select, slice), advanced indexing by integer tensors
// (with NumPy's rule for where the broadcast index dims go), index_put (setitem), and gather,
// index_select, scatter, index_fill/add/copy, embedding, repeat_interleave.
import { type DType, bool, int32, int64, uint8 } from '../dtype.ts';
import { type Tensor, formatShape } from '../tensor.ts';
import { NeedsValuesError, PyError, indexError, runtimeError } from '../python/index.ts';
import { broadcastAll } from './broadcast.ts';
import { normalizeDim } from './dims.ts';
import { defineOp, runOp, runOpInplace } from './registry.ts';

const selectOp = defineOp<{ dim: number; index: number }>('select', ([t], { dim, index }) => {
  if (t!.ndim === 0) {
    throw indexError('invalid index of a 0-dim tensor. Use `tensor.item()` in Python or `tensor.item<T>()` in C++ to convert a 0-dim tensor to a number');
  }
  const d = normalizeDim(dim, t!.ndim);
  const size = t!.shape[d]!;
  if (index < -size || index >= size) throw indexError(`index ${index} is out of bounds for dimension ${d} with size ${size}`);
  return { shape: t!.shape.filter((_, i) => i !== d), dtype: t!.dtype };
});
/** `x[..., i, ...]` along one dim (also `x.select(dim, i)`). */
export const select = (t: Tensor, dim: number, index: number): Tensor => runOp(selectOp, [t], { dim, index });

/** Python slice bounds for a dim of `size` with step > 0 (PySlice_AdjustIndices). */
export function sliceLength(size: number, start: number | null, stop: number | null, step: number): { start: number; length: number } {
  const clamp = (v: number | null, fallback: number): number => {
    if (v === null) return fallback;
    if (v < 0) return Math.max(v + size, 0);
    return Math.min(v, size);
  };
  const s = clamp(start, 0);
  const e = clamp(stop, size);
  return { start: s, length: e > s ? Math.floor((e - s - 1) / step) + 1 : 0 };
}

const sliceOp = defineOp<{ dim: number; start: number | null; stop: number | null; step: number }>('slice', ([t], a) => {
  if (a.step <= 0) throw new PyError('ValueError', 'step must be greater than zero');
  const d = normalizeDim(a.dim, t!.ndim);
  const { length } = sliceLength(t!.shape[d]!, a.start, a.stop, a.step);
  return { shape: t!.shape.map((s, i) => (i === d ? length : s)), dtype: t!.dtype };
});
export const slice = (t: Tensor, dim: number, start: number | null, stop: number | null, step: number): Tensor =>
  runOp(sliceOp, [t], { dim, start, stop, step });

/** Which dtypes torch accepts as index tensors (int32 only from 2.0 on). */
export function checkIndexDType(dtype: DType): void {
  if (dtype !== int64 && dtype !== uint8 && dtype !== bool) throw indexError('tensors used as indices must be long, byte or bool tensors');
}

/**
 * The shape advanced indexing produces: `indices[k]` indexes dim `dims[k]`. The index shapes
 * broadcast together; if the indexed dims are adjacent the result goes in their place,
 * otherwise it comes first (NumPy's rule).
 */
export function advancedIndexShape(shape: readonly number[], dims: readonly number[], indexShapes: readonly (readonly number[])[]): number[] {
  let broadcast: number[];
  try {
    broadcast = broadcastAll(indexShapes);
  } catch {
    throw indexError(`shape mismatch: indexing tensors could not be broadcast together with shapes ${indexShapes.map(formatShape).join(', ')}`);
  }
  const sorted = [...dims].sort((a, b) => a - b);
  const adjacent = sorted.every((d, i) => i === 0 || d === sorted[i - 1]! + 1);
  const rest = shape.map((s, i) => ({ s, i })).filter(({ i }) => !dims.includes(i));
  if (adjacent) {
    const first = sorted[0]!;
    return [...rest.filter(({ i }) => i < first).map(({ s }) => s), ...broadcast, ...rest.filter(({ i }) => i > first).map(({ s }) => s)];
  }
  return [...broadcast, ...rest.map(({ s }) => s)];
}

const indexOp = defineOp<{ dims: readonly number[] }>('index', ([t, ...indices], { dims }) => {
  indices.forEach((i) => checkIndexDType(i.dtype));
  return { shape: advancedIndexShape(t!.shape, dims, indices.map((i) => i.shape)), dtype: t!.dtype };
});
/** Advanced indexing by integer tensors at `dims` (bool masks need values and never get here). */
export const indexWithTensors = (t: Tensor, dims: readonly number[], indices: readonly Tensor[]): Tensor =>
  runOp(indexOp, [t, ...indices], { dims });

/** The value of `x[idx] = value` must broadcast to what `x[idx]` is (leading 1s of value are dropped first). */
export function checkSetItemValue(target: readonly number[], value: Tensor, advanced: boolean, selfDType: DType): void {
  let shape = [...value.shape];
  while (shape.length > 0 && shape[0] === 1) shape = shape.slice(1);
  if (advanced) {
    if (!value.isWrappedNumber && value.dtype !== selfDType) {
      throw runtimeError(`Index put requires the source and destination dtypes match, got ${selfDType.scalarTypeName} for the destination and ${value.dtype.scalarTypeName} for the source.`);
    }
    const ok = shape.length <= target.length && shape.every((s, i) => s === 1 || s === target[target.length - shape.length + i]);
    if (!ok) {
      throw runtimeError(`shape mismatch: value tensor of shape ${formatShape(value.shape)} cannot be broadcast to indexing result of shape ${formatShape(target)}`);
    }
    return;
  }
  if (value.ndim === 0 || sameShape(value.shape, target)) return;
  if (shape.length > target.length) {
    throw runtimeError(`expand(${value.dtype.legacyTypeName}{${formatShape(shape)}}, size=${formatShape(target)}): the number of sizes provided (${target.length}) must be greater or equal to the number of dimensions in the tensor (${shape.length})`);
  }
  const lead = target.length - shape.length;
  shape.forEach((s, i) => {
    const want = target[lead + i]!;
    if (s !== want && s !== 1) {
      throw runtimeError(`The expanded size of the tensor (${want}) must match the existing size (${s}) at non-singleton dimension ${lead + i}.  Target sizes: ${formatShape(target)}.  Tensor sizes: ${formatShape(shape)}`);
    }
  });
}

const sameShape = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((s, i) => s === b[i]);

// ------------------------------------------------------------------ gather / scatter family

function gatherRule(self: Tensor, dim: number, index: Tensor, fn: string): void {
  const d = normalizeDim(dim, self.ndim);
  if (index.dtype !== int64) throw runtimeError(`${fn}(): Expected dtype int64 for index`);
  if (index.ndim !== self.ndim && !(index.ndim <= 1 && self.ndim <= 1)) {
    throw runtimeError('Index tensor must have the same number of dimensions as input tensor');
  }
  index.shape.forEach((s, i) => {
    if (i !== d && s > self.shape[i]!) {
      throw runtimeError(`Size does not match at dimension ${i} expected index ${formatShape(index.shape)} to be smaller than self ${formatShape(self.shape)} apart from dimension ${d}`);
    }
  });
}

const gatherOp = defineOp<{ dim: number }>('gather', ([self, index], { dim }) => {
  gatherRule(self!, dim, index!, 'gather');
  return { shape: index!.shape, dtype: self!.dtype };
});
export const gather = (self: Tensor, dim: number, index: Tensor): Tensor => runOp(gatherOp, [self, index], { dim });

/** scatter/scatter_add: output has self's shape; index must fit in self (and in src when given). */
const scatterOp = defineOp<{ dim: number; reduce: string | null }>('scatter', ([self, index, src], { dim }) => {
  const d = normalizeDim(dim, self!.ndim);
  if (index!.dtype !== int64) throw runtimeError('scatter(): Expected dtype int64 for index');
  if (index!.ndim !== self!.ndim && !(index!.ndim <= 1 && self!.ndim <= 1)) {
    throw runtimeError('Index tensor must have the same number of dimensions as self tensor');
  }
  if (src && !src.isWrappedNumber) {
    if (src.ndim !== self!.ndim && !(src.ndim <= 1 && self!.ndim <= 1)) throw runtimeError('Index tensor must have the same number of dimensions as src tensor');
    index!.shape.forEach((s, i) => {
      if (i !== d && s > self!.shape[i]!) {
        throw runtimeError(`Expected index ${formatShape(index!.shape)} to be smaller than self ${formatShape(self!.shape)} apart from dimension ${d} and to be smaller size than src ${formatShape(src.shape)}`);
      }
      if (s > src.shape[i]!) {
        throw runtimeError(`Expected index ${formatShape(index!.shape)} to be smaller than self ${formatShape(self!.shape)} apart from dimension ${d} and to be smaller size than src ${formatShape(src.shape)}`);
      }
    });
  }
  return { shape: self!.shape, dtype: self!.dtype };
});
export const scatter = (self: Tensor, dim: number, index: Tensor, src: Tensor, reduce: string | null = null): Tensor =>
  runOp(scatterOp, [self, index, src], { dim, reduce });
/** scatter_ / scatter_add_ (reduce 'add'): writes into self. */
export const scatterInplace = (self: Tensor, dim: number, index: Tensor, src: Tensor, reduce: string | null = null): Tensor =>
  runOpInplace(scatterOp, self, [self, index, src], { dim, reduce });

const indexSelectOp = defineOp<{ dim: number }>('index_select', ([self, index], { dim }) => {
  const d = normalizeDim(dim, self!.ndim);
  if (index!.ndim > 1) throw indexError('index_select(): Index is supposed to be a vector');
  if (index!.dtype !== int64 && index!.dtype !== int32) throw runtimeError('index_select(): Expected dtype int32 or int64 for index');
  const n = index!.ndim === 0 ? 1 : index!.shape[0]!;
  return { shape: self!.ndim === 0 ? [] : self!.shape.map((s, i) => (i === d ? n : s)), dtype: self!.dtype };
});
export const indexSelect = (self: Tensor, dim: number, index: Tensor): Tensor => runOp(indexSelectOp, [self, index], { dim });

/** index_fill / index_add / index_copy keep self's shape; the index is a vector along `dim`. */
const indexUpdateOp = defineOp<{ dim: number; kind: string }>('index_update', ([self, index, source], { dim, kind }) => {
  const d = normalizeDim(dim, self!.ndim);
  if (index!.ndim > 1) throw indexError(`index_${kind}_(): Index is supposed to be a vector`);
  if (index!.dtype !== int64 && index!.dtype !== int32) throw runtimeError(`index_${kind}_(): Expected dtype int32/int64 for index`);
  if (source && !source.isWrappedNumber && kind !== 'fill') {
    const n = index!.ndim === 0 ? 1 : index!.shape[0]!;
    const expected = self!.shape.map((s, i) => (i === d ? n : s));
    if (!sameShape(source.shape, expected) && source.ndim > 0) {
      throw runtimeError(`index_${kind}_(): Source/destination tensor must have same slice shapes. Destination slice shape: ${formatShape(self!.shape.filter((_, i) => i !== d))} at dimension ${d} and source slice shape: ${formatShape(source.shape.filter((_, i) => i !== d))} at dimension 0.`);
    }
  }
  return { shape: self!.shape, dtype: self!.dtype };
});
export const indexUpdate = (kind: 'fill' | 'add' | 'copy', self: Tensor, dim: number, index: Tensor, source: Tensor): Tensor =>
  runOp(indexUpdateOp, [self, index, source], { dim, kind });
/** index_fill_ / index_add_ / index_copy_: writes into self. */
export const indexUpdateInplace = (kind: 'fill' | 'add' | 'copy', self: Tensor, dim: number, index: Tensor, source: Tensor): Tensor =>
  runOpInplace(indexUpdateOp, self, [self, index, source], { dim, kind });

// ------------------------------------------------------------------ value-dependent sizes

/** How many elements of a value tensor are nonzero (NeedsValuesError on `meta`). */
function countNonzero(t: Tensor, what: string): number {
  const d = t.data;
  if (d === null) throw new NeedsValuesError(what);
  let count = 0;
  if (d instanceof BigInt64Array) { for (const v of d) if (v !== 0n) count++; } else for (let i = 0; i < t.numel(); i++) if (d[i] !== 0) count++;
  return count;
}

const nonzeroOp = defineOp<Record<string, never>>('nonzero', ([t]) =>
  ({ shape: [countNonzero(t!, 'nonzero() (its size depends on values)'), t!.ndim], dtype: int64 }), { differentiable: false });
/** torch.nonzero: the [count, ndim] int64 coordinates of nonzero elements (its size depends on values). */
export const nonzero = (t: Tensor): Tensor => runOp(nonzeroOp, [t], {});

/**
 * `self` with `value` (broadcast to positions' shape, cast to self's dtype) written at the flat
 * positions `positions` (int64) — what `self[index] = value` does once the index is resolved.
 */
const putOp = defineOp<Record<string, never>>('put_positions', ([self]) => ({ shape: self!.shape, dtype: self!.dtype }));
export const putPositions = (self: Tensor, positions: Tensor, value: Tensor): Tensor => runOp(putOp, [self, positions, value], {});

// ------------------------------------------------------------------ embedding, repeat_interleave

const embeddingOp = defineOp<{ paddingIdx: number }>('embedding', ([weight, indices]) => {
  if (indices!.dtype !== int64 && indices!.dtype !== int32) {
    throw runtimeError(`Expected tensor for argument #1 'indices' to have one of the following scalar types: Long, Int; but got ${indices!.dtype.legacyTypeName} instead (while checking arguments for embedding)`);
  }
  if (weight!.ndim !== 2) throw runtimeError("'weight' must be 2-D");
  return { shape: [...indices!.shape, weight!.shape[1]!], dtype: weight!.dtype };
});
/** torch.embedding(weight, indices): indices of any shape pick rows of a 2-D weight. */
export const embedding = (weight: Tensor, indices: Tensor, paddingIdx = -1): Tensor => runOp(embeddingOp, [weight, indices], { paddingIdx });

const embeddingRenormOp = defineOp<{ maxNorm: number; normType: number }>('embedding_renorm', ([weight]) => ({ shape: weight!.shape, dtype: weight!.dtype }),
  { differentiable: false });
/** torch.embedding_renorm_: rows of `weight` that `indices` use, with a norm above max_norm, scaled down to it (in place). */
export const embeddingRenormInplace = (weight: Tensor, indices: Tensor, maxNorm: number, normType: number): Tensor =>
  runOpInplace(embeddingRenormOp, weight, [weight, indices], { maxNorm, normType });

const repeatInterleaveOp = defineOp<{ repeats: number; dim: number | null }>('repeat_interleave', ([t], { repeats, dim }) => {
  if (repeats < 0) throw runtimeError('repeats can not be negative');
  if (dim === null) return { shape: [t!.numel() * repeats], dtype: t!.dtype };
  const d = normalizeDim(dim, t!.ndim);
  return { shape: t!.shape.map((s, i) => (i === d ? s * repeats : s)), dtype: t!.dtype };
});
/** `repeat_interleave` with an int count (tensor counts make the size depend on values). */
export const repeatInterleave = (t: Tensor, repeats: number, dim: number | null): Tensor =>
  runOp(repeatInterleaveOp, [t], { repeats, dim });

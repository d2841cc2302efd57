// `x[index]` and `x[index] = value` with PyTorch's indexing rules
// (torch/csrc/autograd/python_variable_indexing.cpp): ints select, slices narrow (positive steps
// only), None/True/False insert dims, Ellipsis expands, and integer tensors or lists index
// "advanced"-style. Ints are applied as selects before advanced indexing, so `x[0, :, [1, 2]]`
// is [5, 2] for x of [4, 5, 6] (NumPy would give [2, 5]). Bool masks make the size depend on
// values: a mask from a Python list is counted, a mask tensor needs values.
import { bool, int32, int64, uint8 } from '../dtype.ts';
import { Tensor } from '../tensor.ts';
import {
  ELLIPSIS, NeedsValuesError, PyError, PyFloat, PyList, PySlice, PyTuple, type PyValue, indexError, typeError,
} from '../python/index.ts';
import { fromData } from '../ops/creation.ts';
import {
  indexWithTensors, select, slice, checkSetItemValue, advancedIndexShape, checkIndexDType, nonzero, putPositions,
} from '../ops/index-ops.ts';
import { writeInto } from '../ops/registry.ts';
import { unsqueeze, view as viewShape } from '../ops/shape-ops.ts';
import { wrapScalar } from '../ops/scalar.ts';
import { tpName } from './arg-parser.ts';
import { inferData } from './tensor-data.ts';

const isSeq = (v: PyValue): v is PyTuple | PyList => v instanceof PyTuple || v instanceof PyList;

/** treatSequenceAsTuple: a list holding slices, None, Ellipsis, tensors or sequences is a tuple of indices. */
function indexItems(index: PyValue): PyValue[] {
  if (index instanceof PyTuple) return [...index.items];
  if (index instanceof PyList && index.items.length < 32) {
    const asTuple = index.items.some((v) => v instanceof Tensor || isSeq(v) || typeof v === 'string' || v instanceof PySlice || v === ELLIPSIS || v === null);
    if (asTuple) return [...index.items];
  }
  return [index];
}

/** How many tensor dims the index items consume (count_specified_dimensions). */
function specifiedDims(items: readonly PyValue[]): number {
  let count = 0;
  for (const v of items) {
    if (v instanceof Tensor) count += v.dtype === bool || v.dtype === uint8 ? v.ndim : 1;
    else if (v !== null && v !== ELLIPSIS && v !== true && v !== false) count++;
  }
  return count;
}

interface Indexed {
  /** The tensor after basic indexing (selects, slices, new dims). */
  result: Tensor;
  /** Advanced indices: the dim of `result` each one indexes, and its shape. */
  dims: number[];
  tensors: Tensor[];
}

/** A list index becomes an int64 tensor (torch's indexing_tensor_from_data), or a known bool mask. */
function sequenceIndex(seq: PyValue, result: Tensor, dim: number): { tensor: Tensor; consumed: number } {
  const data = inferData(seq);
  if (data.dtype === bool) {
    // A mask we can count: it replaces the dims it covers with one dim of the number of Trues.
    checkMaskShape(data.shape, result, dim);
    const count = data.values.filter((x) => x !== 0).length;
    return { tensor: fromData({ shape: [count], dtype: int64, values: [] }), consumed: data.shape.length };
  }
  const size = result.shape[dim];
  if (size !== undefined) {
    for (const v of data.values) {
      const i = Math.trunc(v);
      if (i < -size || i >= size) throw indexError(`index ${i} is out of bounds for dimension ${dim} with size ${size}`);
    }
  }
  return { tensor: fromData({ shape: data.shape, dtype: int64, values: data.values.map(Math.trunc) }), consumed: 1 };
}

function checkMaskShape(mask: readonly number[], t: Tensor, dim: number): void {
  mask.forEach((s, i) => {
    const size = t.shape[dim + i];
    if (size !== s) {
      throw indexError(`The shape of the mask ${fmt(mask)} at index ${i} does not match the shape of the indexed tensor ${fmt(t.shape)} at index ${dim + i}`);
    }
  });
}
const fmt = (s: readonly number[]): string => `[${s.join(', ')}]`;

function sliceBound(v: PyValue): number | null {
  if (v === null) return null;
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v instanceof Tensor) throw new NeedsValuesError('a slice bound given as a tensor');
  throw typeError('slice indices must be integers or None or have an __index__ method');
}

/** applySlicing: basic indexing in order, collecting advanced indices with the dim they apply to. */
function applyIndex(t: Tensor, items: readonly PyValue[], forSetItem: boolean): Indexed {
  const specified = specifiedDims(items);
  if (specified > t.ndim) throw indexError(`too many indices for tensor of dimension ${t.ndim}`);
  let result = t;
  let dim = 0;
  const dims: number[] = [];
  const tensors: Tensor[] = [];
  for (const item of items) {
    if (typeof item === 'number') {
      if (result.ndim === 0) {
        throw indexError('invalid index of a 0-dim tensor. Use `tensor.item()` in Python or `tensor.item<T>()` in C++ to convert a 0-dim tensor to a number');
      }
      result = select(result, dim, item);
    } else if (item instanceof PySlice) {
      const step = item.step === null ? 1 : sliceBound(item.step)!;
      if (step === 0) throw new PyError('ValueError', 'slice step cannot be zero');
      result = slice(result, dim, sliceBound(item.start), sliceBound(item.stop), step);
      dim++;
    } else if (item === ELLIPSIS) {
      dim += t.ndim - specified;
    } else if (item === null) {
      result = unsqueeze(result, dim);
      dim++;
    } else if (typeof item === 'boolean') {
      result = unsqueeze(result, dim);
      dims.push(dim);
      tensors.push(fromData({ shape: [item ? 1 : 0], dtype: int64, values: item ? [0] : [] }));
      dim++;
    } else if (item instanceof Tensor) {
      if (item.dtype === bool || item.dtype === uint8) {
        checkMaskShape(item.shape, result, dim);
        if (t.device !== 'meta' && item.ndim > 0) {
          // With values, a mask is its nonzero coordinates: one index tensor per masked dim.
          const coords = nonzero(item);
          for (let k = 0; k < item.ndim; k++) {
            dims.push(dim + k);
            tensors.push(select(coords, 1, k));
          }
          dim += item.ndim;
          continue;
        }
        if (!forSetItem) throw new NeedsValuesError('indexing with a boolean mask tensor (the result size depends on its values)');
        // Setting through a mask only needs the value to be broadcastable to one element per True.
        dims.push(dim);
        tensors.push(item);
        dim += item.ndim;
      } else {
        checkIndexDType(item.dtype);
        dims.push(dim);
        tensors.push(item);
        dim++;
      }
    } else if (isSeq(item) || typeof item === 'string') {
      if (typeof item === 'string') throw typeError(`new(): invalid data type '${tpName(item)}'`);
      const { tensor, consumed } = sequenceIndex(item, result, dim);
      if (consumed > 1) {
        // A counted mask over several dims: flatten them into one before indexing.
        result = mergeDims(result, dim, consumed);
      }
      dims.push(dim);
      tensors.push(tensor);
      dim++;
    } else {
      const name = item instanceof PyFloat ? 'float' : tpName(item);
      throw indexError(`only integers, slices (\`:\`), ellipsis (\`...\`), None and long or byte Variables are valid indices (got ${name})`);
    }
  }
  return { result, dims, tensors };
}

/** Views dims [dim, dim + count) of t as one. */
function mergeDims(t: Tensor, dim: number, count: number): Tensor {
  const merged = t.shape.slice(dim, dim + count).reduce((a, b) => a * b, 1);
  return viewShape(t, [...t.shape.slice(0, dim), merged, ...t.shape.slice(dim + count)]);
}

/** `t[index]`. */
export function tensorGetItem(t: Tensor, index: PyValue): Tensor {
  // A lone int takes torch's fast path straight to select (so a 0-dim tensor gets select's message).
  if (typeof index === 'number') {
    if (t.ndim === 0) {
      throw indexError('invalid index of a 0-dim tensor. Use `tensor.item()` in Python or `tensor.item<T>()` in C++ to convert a 0-dim tensor to a number');
    }
    return select(t, 0, index);
  }
  const { result, dims, tensors } = applyIndex(t, indexItems(index), false);
  if (tensors.length === 0) return result;
  return indexWithTensors(result, dims, tensors);
}

/** `t[index] = value`: checks that value fits what `t[index]` selects (shapes only on `meta`). */
export function tensorSetItem(t: Tensor, index: PyValue, value: PyValue): void {
  const valueTensor = toValueTensor(t, value);
  if (t.device !== 'meta') {
    setItemValues(t, index, valueTensor);
    return;
  }
  const { result, dims, tensors } = applyIndex(t, indexItems(index), true);
  if (tensors.length === 0) {
    checkSetItemValue(result.shape, valueTensor, false, t.dtype);
  } else if (tensors.some((i) => i.dtype === bool || i.dtype === uint8)) {
    // The masked count is unknown: only a single value broadcasts to any count.
    if (valueTensor.numel() !== 1) throw new NeedsValuesError('assigning through a boolean mask tensor');
  } else {
    checkSetItemValue(advancedIndexShape(result.shape, dims, tensors.map((i) => i.shape)), valueTensor, true, t.dtype);
  }
}

/**
 * `t[index] = value` with values: index a tensor of t's flat positions the same way, which gives
 * the positions the assignment writes, then write `value` (broadcast, cast) there in place.
 */
function setItemValues(t: Tensor, index: PyValue, value: Tensor): void {
  const n = t.numel();
  const positions = new Tensor(t.shape, int32, t.device, Int32Array.from({ length: n }, (_, i) => i));
  const { result, dims, tensors } = applyIndex(positions, indexItems(index), true);
  let target = result;
  if (tensors.length === 0) {
    checkSetItemValue(result.shape, value, false, t.dtype);
  } else {
    checkSetItemValue(advancedIndexShape(result.shape, dims, tensors.map((i) => i.shape)), value, true, t.dtype);
    target = indexWithTensors(result, dims, tensors);
  }
  writeInto(t, putPositions(t, target, value));
}

function toValueTensor(t: Tensor, value: PyValue): Tensor {
  if (value instanceof Tensor) return value;
  if (typeof value === 'number') return wrapScalar({ kind: 'int', value });
  if (typeof value === 'boolean') return wrapScalar({ kind: 'bool', value: value ? 1 : 0 });
  if (value instanceof PyFloat) return wrapScalar({ kind: 'float', value: value.value });
  if (isSeq(value)) {
    const data = inferData(value);
    return fromData({ shape: data.shape, dtype: t.dtype, values: data.values });
  }
  throw typeError(`can't assign a ${tpName(value)} to a ${t.dtype.legacyTypeName}`);
}


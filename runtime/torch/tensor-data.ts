// `torch.tensor(data)`: the shape and dtype PyTorch infers from nested Python sequences, with
// its messages for ragged or non-numeric data (torch/csrc/utils/tensor_new.cpp).
import { type DType, bool, defaultFloatDType, int64 } from '../dtype.ts';
import { Tensor } from '../tensor.ts';
import { NeedsValuesError, PyError, PyFloat, PyList, PyTuple, type PyValue, runtimeError, typeError } from '../python/index.ts';
import { tpName } from './arg-parser.ts';

export interface InferredData { shape: number[]; dtype: DType; values: number[] }

const isSeq = (v: PyValue): v is PyTuple | PyList => v instanceof PyTuple || v instanceof PyList;

/** Infers shape, dtype and flat values of `data` (scalars, nested lists/tuples, tensors). */
export function inferData(data: PyValue): InferredData {
  if (typeof data === 'string') throw typeError(`new(): invalid data type '${tpName(data)}'`);
  const shape = inferShape(data);
  let kind = 0; // 0 bool, 1 int, 2 float
  let sawAny = false;
  const values: number[] = [];
  const visit = (v: PyValue, depth: number): void => {
    if (depth < shape.length) {
      if (!isSeq(v)) throw typeError('not a sequence');
      if (v.items.length !== shape[depth]) {
        throw new PyError('ValueError', `expected sequence of length ${shape[depth]} at dim ${depth} (got ${v.items.length})`);
      }
      for (const item of v.items) visit(item, depth + 1);
      return;
    }
    sawAny = true;
    if (typeof v === 'boolean') { values.push(v ? 1 : 0); return; }
    if (typeof v === 'number') { kind = Math.max(kind, 1); values.push(v); return; }
    if (v instanceof PyFloat) { kind = 2; values.push(v.value); return; }
    if (v instanceof Tensor) {
      if (v.numel() !== 1) throw new PyError('ValueError', 'only one element tensors can be converted to Python scalars');
      throw new NeedsValuesError('torch.tensor() of a list of tensors');
    }
    if (typeof v === 'string') throw typeError(`new(): invalid data type '${tpName(v)}'`);
    if (isSeq(v)) throw new PyError('ValueError', `expected sequence of length ${v.items.length} at dim ${depth} (got ${v.items.length})`);
    throw runtimeError(`Could not infer dtype of ${tpName(v)}`);
  };
  visit(data, 0);
  const dtype = !sawAny ? defaultFloatDType() : kind === 2 ? defaultFloatDType() : kind === 1 ? int64 : bool;
  return { shape, dtype, values };
}

/** The shape implied by following the first element of each nesting level. */
function inferShape(data: PyValue): number[] {
  const shape: number[] = [];
  let v = data;
  while (isSeq(v)) {
    shape.push(v.items.length);
    if (v.items.length === 0) break;
    const first: PyValue = v.items[0];
    if (typeof first === 'string') throw typeError(`new(): invalid data type '${tpName(first)}'`);
    v = first;
  }
  return shape;
}

// Reading Python arguments inside torch's Python-level functions (F.max_pool2d, Tensor.split):
// the conversions and TypeErrors CPython or torch's helpers (`_pair`, `_list_with_default`)
// would produce.
import { Tensor } from '../tensor.ts';
import { PyFloat, PyList, PyTuple, type PyValue, pyTypeName, typeError } from '../python/index.ts';

export function toInt(v: PyValue): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  throw typeError(`'${pyTypeName(v)}' object cannot be interpreted as an integer`);
}

export function toFloat(v: PyValue): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v instanceof PyFloat) return v.value;
  throw typeError(`must be real number, not ${pyTypeName(v)}`);
}

export const isSeq = (v: PyValue): v is PyTuple | PyList => v instanceof PyTuple || v instanceof PyList;

/** A list/tuple of ints (or a single int), for Python code that forwards it to a builtin. */
export function toIntList(v: PyValue, name: string): number[] {
  if (typeof v === 'number') return [v];
  if (!isSeq(v)) throw typeError(`${name} must be a tuple of ints, not ${pyTypeName(v)}`);
  return v.items.map(toInt);
}

/** torch.nn.modules.utils._ntuple: an iterable stays (as a tuple), anything else is repeated n times. */
export function ntuple(v: PyValue, n: number): PyTuple {
  if (isSeq(v)) return new PyTuple(v.items);
  return new PyTuple(Array.from({ length: n }, () => v));
}

export function asTensor(v: PyValue, fn: string, name: string, position: number): Tensor {
  if (v instanceof Tensor) return v;
  throw typeError(`${fn}(): argument '${name}' (position ${position}) must be Tensor, not ${pyTypeName(v)}`);
}

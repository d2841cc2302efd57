// Python's protocols on tensors: len(), iteration, repr(), and conversions to Python values.
// On `meta` only the shape is known, so conversions that need a value raise NeedsValuesError
// (after the errors torch raises from the shape alone: bool() of a 2-element tensor); on value
// devices they read the tensor's data.
import { Tensor } from '../tensor.ts';
import { NeedsValuesError, PyError, PyFloat, PyList, type PyValue, runtimeError, typeError, valueError } from '../python/index.ts';
import { select } from '../ops/index-ops.ts';
import { formatTensor } from '../format/index.ts';

/** `len(t)`: the size of the first dim. */
export function tensorLen(t: Tensor): number {
  if (t.ndim === 0) throw typeError('len() of a 0-d tensor');
  return t.shape[0]!;
}

/** `iter(t)`: the tensors along dim 0 (as unbind(0) gives them), produced lazily. */
export function* tensorIter(t: Tensor): Generator<Tensor> {
  if (t.ndim === 0) throw typeError('iteration over a 0-d tensor');
  for (let i = 0; i < t.shape[0]!; i++) yield select(t, 0, i);
}

/**
 * `repr(t)` / `str(t)`: PyTorch 1.13's text (runtime/format/). On `meta`:
 * `tensor(..., device='meta', size=(1, 2))`; with values: `tensor([[-0.0716, ...]])`.
 */
export function tensorRepr(t: Tensor): string {
  return formatTensor(t);
}

/** Element `i` as the Python value `tolist()`/`item()` give: float, int or bool (complex: its real part). */
function element(t: Tensor, i: number): PyValue {
  const d = t.data!;
  if (t.dtype.isComplex) return new PyFloat(d[2 * i] as number);
  const v = d[i]!;
  if (typeof v === 'bigint') return Number(v);
  if (t.dtype.name === 'bool') return v !== 0;
  return t.dtype.isFloatingPoint ? new PyFloat(v) : v;
}

function needsValues(t: Tensor, what: string): void {
  if (t.data === null) throw new NeedsValuesError(what);
}

/** `bool(t)` / `if t:`: only one-element tensors have a truth value. */
export function tensorToBool(t: Tensor): boolean {
  const n = t.numel();
  if (n === 0) throw runtimeError('Boolean value of Tensor with no values is ambiguous');
  if (n > 1) throw runtimeError('Boolean value of Tensor with more than one value is ambiguous');
  needsValues(t, 'bool() of a tensor');
  const d = t.data!;
  if (t.dtype.isComplex) return d[0] !== 0 || d[1] !== 0;
  const v = d[0]!;
  return typeof v === 'bigint' ? v !== 0n : v !== 0; // NaN is truthy, as in C++
}

/** `t.item()` / `float(t)` / `int(t)`: the one element as a Python number. */
export function tensorToNumber(t: Tensor, kind: 'float' | 'int' | 'item'): PyValue {
  if (t.numel() !== 1) throw valueError('only one element tensors can be converted to Python scalars');
  needsValues(t, `${kind}() of a tensor`);
  const v = element(t, 0);
  if (kind === 'item') return v;
  const x = v instanceof PyFloat ? v.value : typeof v === 'boolean' ? Number(v) : (v as number);
  if (kind === 'float') return new PyFloat(x);
  if (Number.isNaN(x)) throw valueError('cannot convert float NaN to integer');
  if (!Number.isFinite(x)) throw new PyError('OverflowError', 'cannot convert float infinity to integer');
  return Math.trunc(x);
}

/** `operator.index(t)` (a tensor used as a list index or range bound). */
export function tensorIndex(t: Tensor): number {
  if (t.numel() !== 1 || t.dtype.isFloatingPoint || t.dtype.isComplex) {
    throw typeError('only integer tensors of a single element can be converted to an index');
  }
  needsValues(t, 'a tensor used as an index');
  const v = element(t, 0);
  return typeof v === 'boolean' ? Number(v) : (v as number);
}

/** `t.tolist()`: nested lists of Python numbers (a 0-d tensor gives its number). */
export function tensorToList(t: Tensor): PyValue {
  needsValues(t, 'Tensor.tolist()');
  const build = (dim: number, offset: number, stride: number): PyValue => {
    if (dim === t.ndim) return element(t, offset);
    const size = t.shape[dim]!;
    const inner = stride / Math.max(size, 1);
    const items: PyValue[] = [];
    for (let i = 0; i < size; i++) items.push(build(dim + 1, offset + i * inner, inner));
    return new PyList(items);
  };
  return build(0, 0, t.numel());
}

// Python's protocols on tensors: len(), iteration, repr(), and conversions to Python values,
// which need values except where the shape alone decides (bool() of a 2-element tensor raises).
import { Tensor } from '../tensor.ts';
import { defaultFloatDType } from '../dtype.ts';
import { NeedsValuesError, notImplementedError, runtimeError, typeError, valueError } from '../python/index.ts';
import { select } from '../ops/index-ops.ts';

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

/** `repr(t)`: on `meta` what PyTorch prints for meta tensors, `tensor(..., device='meta', size=(1, 2))`. */
export function tensorRepr(t: Tensor): string {
  if (t.device !== 'meta') throw notImplementedError('printing tensor values arrives with the value tier');
  const size = `(${t.shape.join(', ')}${t.shape.length === 1 ? ',' : ''})`;
  let out = `tensor(..., device='meta', size=${size}`;
  if (t.dtype !== defaultFloatDType()) out += `, dtype=${t.dtype.pyRepr()}`;
  if (t.gradFn) out += `, grad_fn=<${t.gradFn}>`;
  else if (t.requiresGrad) out += ', requires_grad=True';
  return `${out})`;
}

/** `bool(t)` / `if t:`: only one-element tensors have a truth value, and it needs the value. */
export function tensorToBool(t: Tensor): boolean {
  const n = t.numel();
  if (n === 0) throw runtimeError('Boolean value of Tensor with no values is ambiguous');
  if (n > 1) throw runtimeError('Boolean value of Tensor with more than one value is ambiguous');
  throw new NeedsValuesError('bool() of a tensor');
}

/** `float(t)` / `int(t)` / `t.item()`. */
export function tensorToNumber(t: Tensor, kind: 'float' | 'int' | 'item'): never {
  if (t.numel() !== 1) throw valueError('only one element tensors can be converted to Python scalars');
  throw new NeedsValuesError(`${kind}() of a tensor`);
}

/** `operator.index(t)` (a tensor used as a list index or range bound). */
export function tensorIndex(t: Tensor): never {
  if (t.numel() !== 1 || t.dtype.isFloatingPoint || t.dtype.isComplex) {
    throw typeError('only integer tensors of a single element can be converted to an index');
  }
  throw new NeedsValuesError('a tensor used as an index');
}

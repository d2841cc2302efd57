// How torch.nn.functional's Python code reaches the builtins: `torch.max_pool2d(...)`,
// `torch._C._nn.linear(...)`. Calling through the registry (not the ops directly) keeps the
// builtins' own argument errors, which is what PyTorch raises from inside F's Python code.
import type { Tensor } from '../tensor.ts';
import { type BoundArgs, type Interop, type Kwargs, type PyValue, PyError, noKwargs, pyTypeName, typeError } from '../python/index.ts';
import { Tensor as TensorClass } from '../tensor.ts';
import { callRegistered } from '../torch/registry.ts';

export const callTorch = (name: string, args: PyValue[], interop: Interop, kwargs: Kwargs = noKwargs): PyValue =>
  callRegistered('torch', name, args, kwargs, interop);
export const callNN = (name: string, args: PyValue[], interop: Interop, kwargs: Kwargs = noKwargs): PyValue =>
  callRegistered('nn', name, args, kwargs, interop);
export const callMethod = (self: Tensor, name: string, args: PyValue[], interop: Interop, kwargs: Kwargs = noKwargs): PyValue =>
  callRegistered('tensor', name, args, kwargs, interop, self);

/** `input.dim()` etc. in F's code: the argument must be a tensor, or Python raises AttributeError. */
export function tensorArg(a: BoundArgs, name: string, attribute = 'dim'): Tensor {
  const v = a.get(name);
  if (v instanceof TensorClass) return v;
  throw new PyError('AttributeError', `'${pyTypeName(v)}' object has no attribute '${attribute}'`);
}

/** `assert cond, message` in F's code. */
export function pyAssert(cond: boolean, message: string): void {
  if (!cond) throw new PyError('AssertionError', message);
}

/** `has_torch_function_unary(input)` style guards only matter for the types F accepts. */
export function requireTensor(v: PyValue, fn: string, name: string, position: number): Tensor {
  if (v instanceof TensorClass) return v;
  throw typeError(`${fn}(): argument '${name}' (position ${position}) must be Tensor, not ${pyTypeName(v)}`);
}

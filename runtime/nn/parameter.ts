// `torch.nn.Parameter(data=None, requires_grad=True)` as a callable class.
import { BuiltinClass, type PyValue, attributeError, bindArguments, pyTypeName, sig } from '../python/index.ts';
import { Parameter, Tensor } from '../tensor.ts';
import { allocate, makeParameter } from './factory.ts';
import { defaultFloatDType } from '../dtype.ts';
import { truthy } from './py-helpers.ts';

const parameterSignature = sig('Parameter.__new__', [['data', null], ['requires_grad', true]], { isMethod: true });

/** `Parameter(data, requires_grad)`: shares `data`'s storage; `None` means `torch.empty(0)`. */
export function newParameter(data: PyValue, requiresGrad: PyValue = true): Parameter {
  const tensor = data === null ? allocate([0], defaultFloatDType()) : data;
  // PyTorch calls `data.detach()` on anything that is not exactly a Tensor or Parameter.
  if (!(tensor instanceof Tensor)) throw attributeError(`'${pyTypeName(tensor)}' object has no attribute 'detach'`);
  return makeParameter(tensor, truthy(requiresGrad));
}

export const parameterClass = new BuiltinClass(
  'torch.nn.parameter.Parameter',
  (v) => v instanceof Parameter,
  (args, kwargs) => {
    const a = bindArguments(parameterSignature, args, kwargs);
    return newParameter(a.get('data'), a.get('requires_grad'));
  },
);

// `tensor.<name>`: properties (shape, dtype, device, T, ...) and bound methods.
import { Tensor } from '../tensor.ts';
import type { PyValue } from '../python/index.ts';
import { batchMatrixTranspose, reverseDims } from '../ops/shape-ops.ts';
import { boundMethod, hasImpl } from './registry.ts';
import { TorchDevice, TorchSize, strided } from './objects.ts';
import './functions/index.ts';

/** `torch.device` of a tensor: where it lives in this evaluation (`meta` in the shape tier). */
export const deviceOf = (t: Tensor): TorchDevice => new TorchDevice(t.device === 'webgpu' ? 'webgpu' : t.device);

const properties: Record<string, (t: Tensor) => PyValue> = {
  shape: (t) => new TorchSize(t.shape),
  dtype: (t) => t.dtype,
  device: deviceOf,
  ndim: (t) => t.ndim,
  T: reverseDims,
  mT: batchMatrixTranspose,
  data: (t) => {
    // A view of the same storage that does not require grad.
    const alias = new Tensor(t.shape, t.dtype, t.device, t.data);
    return alias;
  },
  requires_grad: (t) => t.requiresGrad,
  is_leaf: (t) => !t.requiresGrad || t.gradFn === null,
  grad: () => null,
  grad_fn: () => null,
  is_cuda: () => false,
  is_cpu: (t) => t.device === 'cpu',
  is_meta: (t) => t.device === 'meta',
  is_sparse: () => false,
  is_quantized: () => false,
  is_mkldnn: () => false,
  is_nested: () => false,
  layout: () => strided,
  itemsize: (t) => t.dtype.itemSize,
  nbytes: (t) => t.numel() * t.dtype.itemSize,
  names: (t) => new TorchSize(t.shape.map(() => 0)).withItems(t.shape.map(() => null)),
};

/** The value of `t.<name>`, or undefined when a tensor has no such attribute (AttributeError). */
export function getTensorAttribute(t: Tensor, name: string): PyValue | undefined {
  const property = properties[name];
  if (property) return property(t);
  if (hasImpl('tensor', name)) return boundMethod(t, name);
  return undefined;
}

// torch/nn/modules/lazy.py users: LazyLinear, LazyConv*, LazyConvTranspose*, LazyBatchNorm*,
// LazyInstanceNorm*. Their parameters take their shapes from the first forward and the module then
// turns into its non-lazy class; NN Lens does not model that yet, and says so when one is built.
import { type Interop, type Kwargs, type PyValue, notImplementedError } from '../python/index.ts';
import { Module } from './module.ts';
import { initSignature } from './layer-support.ts';

function lazyClass(name: string, becomes: string) {
  return class extends Module {
    static override readonly pyName: string = name;
    static override readonly signature = initSignature(name, [], { varargs: 'args', varkw: 'kwargs' });
    override pyInit(_args: PyValue[], _kwargs: Kwargs, _interop: Interop): void {
      throw notImplementedError(`nn.${name} is not supported by NN Lens yet (its parameter shapes are only known after the first `
        + `forward); use nn.${becomes} with explicit sizes`);
    }
  };
}

export const LazyLinear = lazyClass('LazyLinear', 'Linear');
export const LazyConv1d = lazyClass('LazyConv1d', 'Conv1d');
export const LazyConv2d = lazyClass('LazyConv2d', 'Conv2d');
export const LazyConv3d = lazyClass('LazyConv3d', 'Conv3d');
export const LazyConvTranspose1d = lazyClass('LazyConvTranspose1d', 'ConvTranspose1d');
export const LazyConvTranspose2d = lazyClass('LazyConvTranspose2d', 'ConvTranspose2d');
export const LazyConvTranspose3d = lazyClass('LazyConvTranspose3d', 'ConvTranspose3d');
export const LazyBatchNorm1d = lazyClass('LazyBatchNorm1d', 'BatchNorm1d');
export const LazyBatchNorm2d = lazyClass('LazyBatchNorm2d', 'BatchNorm2d');
export const LazyBatchNorm3d = lazyClass('LazyBatchNorm3d', 'BatchNorm3d');
export const LazyInstanceNorm1d = lazyClass('LazyInstanceNorm1d', 'InstanceNorm1d');
export const LazyInstanceNorm2d = lazyClass('LazyInstanceNorm2d', 'InstanceNorm2d');
export const LazyInstanceNorm3d = lazyClass('LazyInstanceNorm3d', 'InstanceNorm3d');

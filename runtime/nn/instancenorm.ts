// torch/nn/modules/instancenorm.py: InstanceNorm1d/2d/3d (affine and running stats off by default).
import { type Interop, type Kwargs, type PyValue, float, valueError } from '../python/index.ts';
import { Tensor } from '../tensor.ts';
import { callF } from './functional-call.ts';
import { _NormBase } from './batchnorm.ts';
import { bindInput, factoryParams, initSignature } from './layer-support.ts';
import { getAttr, truthy } from './py-helpers.ts';

const instanceParams: Parameters<typeof initSignature>[1] = ['num_features', ['eps', float(1e-5)], ['momentum', float(0.1)],
  ['affine', false], ['track_running_stats', false], ...factoryParams];

export class _InstanceNorm extends _NormBase {
  static override readonly pyName: string = '_InstanceNorm';
  static override readonly signature = initSignature('_InstanceNorm', instanceParams);

  /** The rank of an unbatched input (`_get_no_batch_dim`). */
  noBatchDim(): number { return 0; }

  override forward(args: PyValue[], kwargs: Kwargs, interop: Interop): PyValue {
    const input = bindInput('_InstanceNorm', args, kwargs);
    if (!(input instanceof Tensor)) return this.applyInstanceNorm(input, interop);
    this.checkInputDim(input);
    if (input.ndim === this.noBatchDim()) {
      // `_handle_no_batch_input`: unsqueeze(0), normalise, squeeze(0).
      const batched = new Tensor([1, ...input.shape], input.dtype, input.device, input.data);
      const out = this.applyInstanceNorm(batched, interop);
      return out instanceof Tensor ? new Tensor(out.shape.slice(1), out.dtype, out.device, out.data) : out;
    }
    return this.applyInstanceNorm(input, interop);
  }

  private applyInstanceNorm(input: PyValue, interop: Interop): PyValue {
    const useInputStats = this.training || !truthy(getAttr(this, 'track_running_stats'));
    return callF('instance_norm', [input, getAttr(this, 'running_mean'), getAttr(this, 'running_var'), getAttr(this, 'weight'),
      getAttr(this, 'bias'), useInputStats, getAttr(this, 'momentum'), getAttr(this, 'eps')], interop);
  }
}

function instanceNormClass(name: string, noBatch: number) {
  return class extends _InstanceNorm {
    static override readonly pyName: string = name;
    static override readonly signature = initSignature(name, instanceParams);
    override noBatchDim(): number { return noBatch; }
    override checkInputDim(input: Tensor): void {
      if (input.ndim !== noBatch && input.ndim !== noBatch + 1) {
        throw valueError(`expected ${noBatch}D or ${noBatch + 1}D input (got ${input.ndim}D input)`);
      }
    }
  };
}

export const InstanceNorm1d = instanceNormClass('InstanceNorm1d', 2);
export const InstanceNorm2d = instanceNormClass('InstanceNorm2d', 3);
export const InstanceNorm3d = instanceNormClass('InstanceNorm3d', 4);

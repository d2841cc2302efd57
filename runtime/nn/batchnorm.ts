// torch/nn/modules/batchnorm.py: _NormBase, _BatchNorm, BatchNorm1d/2d/3d, SyncBatchNorm.
import { type Interop, type Kwargs, type PyValue, float, notImplementedError, sig, valueError } from '../python/index.ts';
import { Tensor } from '../tensor.ts';
import { Module } from './module.ts';
import { callF } from './functional-call.ts';
import { emptyParameter, factoryKwargs, factoryTensor, longScalarZero } from './factory.ts';
import { constantFill } from './init-fill.ts';
import { ones_, zeros_ } from './init.ts';
import { bindInput, factoryParams, initSignature, resetParametersMethod } from './layer-support.ts';
import { getAttr, pyFormat, truthy } from './py-helpers.ts';
import { method } from './module-methods.ts';

const normParams = (affine: boolean, track: boolean): Parameters<typeof initSignature>[1] => ['num_features', ['eps', float(1e-5)],
  ['momentum', float(0.1)], ['affine', affine], ['track_running_stats', track], ...factoryParams];

export class _NormBase extends Module {
  static override readonly pyName: string = '_NormBase';
  static override readonly signature = initSignature('_NormBase', normParams(true, true));
  static override readonly pyMethods = {
    reset_parameters: resetParametersMethod('_NormBase'),
    reset_running_stats: method(sig('_NormBase.reset_running_stats', [], { isMethod: true }), (self) => { (self as _NormBase).resetRunningStats(); return null; }),
  };

  protected override initialize(a: Map<string, PyValue>, _interop: Interop): void {
    const fk = factoryKwargs(a);
    const numFeatures = a.get('num_features');
    for (const k of ['num_features', 'eps', 'momentum', 'affine', 'track_running_stats']) this.setattr(k, a.get(k));
    if (truthy(getAttr(this, 'affine'))) {
      this.setattr('weight', emptyParameter(numFeatures, fk));
      this.setattr('bias', emptyParameter(numFeatures, fk));
    } else {
      this.registerParameter('weight', null);
      this.registerParameter('bias', null);
    }
    if (truthy(getAttr(this, 'track_running_stats'))) {
      this.registerBuffer('running_mean', factoryTensor('zeros', numFeatures, fk));
      this.registerBuffer('running_var', factoryTensor('ones', numFeatures, fk));
      this.registerBuffer('num_batches_tracked', longScalarZero());
    } else {
      this.registerBuffer('running_mean', null);
      this.registerBuffer('running_var', null);
      this.registerBuffer('num_batches_tracked', null);
    }
    this.resetParameters();
  }

  resetRunningStats(): void {
    if (!truthy(getAttr(this, 'track_running_stats'))) return;
    constantFill(getAttr(this, 'running_mean') as Tensor, 0);
    constantFill(getAttr(this, 'running_var') as Tensor, 1);
    constantFill(getAttr(this, 'num_batches_tracked') as Tensor, 0);
  }

  resetParameters(): void {
    this.resetRunningStats();
    if (truthy(getAttr(this, 'affine'))) {
      ones_(getAttr(this, 'weight'));
      zeros_(getAttr(this, 'bias'));
    }
  }

  /** `_check_input_dim(input)`; each subclass says which ranks it accepts. */
  checkInputDim(_input: Tensor): void {
    throw notImplementedError('');
  }

  override extraRepr(): string {
    return pyFormat('{num_features}, eps={eps}, momentum={momentum}, affine={affine}, track_running_stats={track_running_stats}', this.dict);
  }
}

export class _BatchNorm extends _NormBase {
  static override readonly pyName: string = '_BatchNorm';
  static override readonly signature = initSignature('_BatchNorm', normParams(true, true));

  override forward(args: PyValue[], kwargs: Kwargs, interop: Interop): PyValue {
    const input = bindInput('_BatchNorm', args, kwargs);
    if (input instanceof Tensor) this.checkInputDim(input);
    const momentum = getAttr(this, 'momentum');
    let factor: PyValue = momentum === null ? float(0.0) : momentum;
    const training = this.training;
    const track = truthy(getAttr(this, 'track_running_stats'));
    if (training && track) {
      const tracked = getAttr(this, 'num_batches_tracked');
      if (tracked !== null) {
        // num_batches_tracked.add_(1) and, with momentum=None, factor = 1 / num_batches_tracked: the
        // counter's value is a value-tier matter; the factor only scales the running-stat update.
        if (momentum === null) factor = float(1.0);
      }
    }
    const bnTraining = training ? true : getAttr(this, 'running_mean') === null && getAttr(this, 'running_var') === null;
    const useStats = !training || track;
    return callF('batch_norm', [input, useStats ? getAttr(this, 'running_mean') : null, useStats ? getAttr(this, 'running_var') : null,
      getAttr(this, 'weight'), getAttr(this, 'bias'), bnTraining, factor, getAttr(this, 'eps')], interop);
  }
}

function batchNormClass(name: string, accepts: number[], message: (d: number) => string) {
  return class extends _BatchNorm {
    static override readonly pyName: string = name;
    static override readonly signature = initSignature(name, normParams(true, true));
    override checkInputDim(input: Tensor): void {
      if (!accepts.includes(input.ndim)) throw valueError(message(input.ndim));
    }
  };
}

export const BatchNorm1d = batchNormClass('BatchNorm1d', [2, 3], (d) => `expected 2D or 3D input (got ${d}D input)`);
export const BatchNorm2d = batchNormClass('BatchNorm2d', [4], (d) => `expected 4D input (got ${d}D input)`);
export const BatchNorm3d = batchNormClass('BatchNorm3d', [5], (d) => `expected 5D input (got ${d}D input)`);

export class SyncBatchNorm extends _BatchNorm {
  static override readonly pyName: string = 'SyncBatchNorm';
  static override readonly signature = initSignature('SyncBatchNorm', ['num_features', ['eps', float(1e-5)], ['momentum', float(0.1)],
    ['affine', true], ['track_running_stats', true], ['process_group', null], ...factoryParams]);

  protected override initialize(a: Map<string, PyValue>, interop: Interop): void {
    super.initialize(a, interop);
    this.setattr('process_group', a.get('process_group'));
  }

  override forward(): PyValue {
    // The shape tier has no GPU; PyTorch raises this on any CPU input.
    throw valueError('SyncBatchNorm expected input tensor to be on GPU');
  }
}

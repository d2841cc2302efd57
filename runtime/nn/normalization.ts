// torch/nn/modules/normalization.py: LocalResponseNorm, CrossMapLRN2d, LayerNorm, GroupNorm.
import { type Interop, type Kwargs, PyTuple, type PyValue, float, pyTypeName, typeError, valueError } from '../python/index.ts';
import { Module } from './module.ts';
import { callF } from './functional-call.ts';
import { emptyParameter, factoryKwargs } from './factory.ts';
import { ones_, zeros_ } from './init.ts';
import { bindInput, factoryParams, initSignature, resetParametersMethod } from './layer-support.ts';
import { getAttr, iterableItems, pyFormat, pyMod, truthy } from './py-helpers.ts';

const input = (cls: string, args: PyValue[], kwargs: Kwargs): PyValue =>
  bindInput(cls, args, kwargs);

function lrnClass(name: string, kDefault: PyValue) {
  return class extends Module {
    static override readonly pyName: string = name;
    static override readonly signature = initSignature(name, ['size', ['alpha', float(1e-4)], ['beta', float(0.75)], ['k', kDefault]]);

    protected override initialize(a: Map<string, PyValue>, _interop: Interop): void {
      for (const key of ['size', 'alpha', 'beta', 'k']) this.setattr(key, a.get(key));
    }

    override forward(args: PyValue[], kwargs: Kwargs, interop: Interop): PyValue {
      return callF('local_response_norm', [input(name, args, kwargs), ...['size', 'alpha', 'beta', 'k'].map((k) => getAttr(this, k))], interop);
    }

    override extraRepr(): string { return pyFormat('{size}, alpha={alpha}, beta={beta}, k={k}', this.dict); }
  };
}

export const LocalResponseNorm = lrnClass('LocalResponseNorm', float(1));
/** Its forward is a legacy autograd Function; the shape is the input's, as for LocalResponseNorm. */
export const CrossMapLRN2d = lrnClass('CrossMapLRN2d', 1);

export class LayerNorm extends Module {
  static override readonly pyName: string = 'LayerNorm';
  static override readonly signature = initSignature('LayerNorm', ['normalized_shape', ['eps', float(1e-5)], ['elementwise_affine', true], ...factoryParams]);
  static override readonly pyMethods = { reset_parameters: resetParametersMethod('LayerNorm') };

  protected override initialize(a: Map<string, PyValue>, _interop: Interop): void {
    const fk = factoryKwargs(a);
    const shapeArg = a.get('normalized_shape');
    // `isinstance(normalized_shape, numbers.Integral)` (bools included), else `tuple(normalized_shape)`.
    const integral = (typeof shapeArg === 'number' && Number.isInteger(shapeArg)) || typeof shapeArg === 'boolean';
    const items = integral ? [shapeArg] : iterableItems(shapeArg);
    if (items === null) throw typeError(`'${pyTypeName(shapeArg)}' object is not iterable`);
    this.setattr('normalized_shape', new PyTuple(items));
    this.setattr('eps', a.get('eps'));
    this.setattr('elementwise_affine', a.get('elementwise_affine'));
    if (truthy(a.get('elementwise_affine'))) {
      this.setattr('weight', emptyParameter(getAttr(this, 'normalized_shape'), fk));
      this.setattr('bias', emptyParameter(getAttr(this, 'normalized_shape'), fk));
    } else {
      this.registerParameter('weight', null);
      this.registerParameter('bias', null);
    }
    this.resetParameters();
  }

  resetParameters(): void {
    if (!truthy(getAttr(this, 'elementwise_affine'))) return;
    ones_(getAttr(this, 'weight'));
    zeros_(getAttr(this, 'bias'));
  }

  override forward(args: PyValue[], kwargs: Kwargs, interop: Interop): PyValue {
    return callF('layer_norm', [input('LayerNorm', args, kwargs), getAttr(this, 'normalized_shape'), getAttr(this, 'weight'),
      getAttr(this, 'bias'), getAttr(this, 'eps')], interop);
  }

  override extraRepr(): string { return pyFormat('{normalized_shape}, eps={eps}, elementwise_affine={elementwise_affine}', this.dict); }
}

export class GroupNorm extends Module {
  static override readonly pyName: string = 'GroupNorm';
  static override readonly signature = initSignature('GroupNorm', ['num_groups', 'num_channels', ['eps', float(1e-5)], ['affine', true], ...factoryParams]);
  static override readonly pyMethods = { reset_parameters: resetParametersMethod('GroupNorm') };

  protected override initialize(a: Map<string, PyValue>, _interop: Interop): void {
    const fk = factoryKwargs(a);
    if (pyMod(a.get('num_channels'), a.get('num_groups')) !== 0) throw valueError('num_channels must be divisible by num_groups');
    for (const k of ['num_groups', 'num_channels', 'eps', 'affine']) this.setattr(k, a.get(k));
    if (truthy(a.get('affine'))) {
      this.setattr('weight', emptyParameter(a.get('num_channels'), fk));
      this.setattr('bias', emptyParameter(a.get('num_channels'), fk));
    } else {
      this.registerParameter('weight', null);
      this.registerParameter('bias', null);
    }
    this.resetParameters();
  }

  resetParameters(): void {
    if (!truthy(getAttr(this, 'affine'))) return;
    ones_(getAttr(this, 'weight'));
    zeros_(getAttr(this, 'bias'));
  }

  override forward(args: PyValue[], kwargs: Kwargs, interop: Interop): PyValue {
    return callF('group_norm', [input('GroupNorm', args, kwargs), getAttr(this, 'num_groups'), getAttr(this, 'weight'),
      getAttr(this, 'bias'), getAttr(this, 'eps')], interop);
  }

  override extraRepr(): string { return pyFormat('{num_groups}, {num_channels}, eps={eps}, affine={affine}', this.dict); }
}

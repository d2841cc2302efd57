// torch/nn/modules/dropout.py: Dropout, Dropout1d/2d/3d, AlphaDropout, FeatureAlphaDropout.
import { type Interop, type Kwargs, type PyValue, float, pyStr, valueError } from '../python/index.ts';
import { Module } from './module.ts';
import { callF } from './functional-call.ts';
import { bindInput, initSignature } from './layer-support.ts';
import { getAttr, pyCompare } from './py-helpers.ts';

export class _DropoutNd extends Module {
  static override readonly pyName: string = '_DropoutNd';
  static override readonly signature = initSignature('_DropoutNd', [['p', float(0.5)], ['inplace', false]]);

  protected override initialize(a: Map<string, PyValue>, _interop: Interop): void {
    const p = a.get('p');
    if (pyCompare(p, '<', 0) || pyCompare(p, '>', 1)) throw valueError(`dropout probability has to be between 0 and 1, but got ${pyStr(p)}`);
    this.setattr('p', p);
    this.setattr('inplace', a.get('inplace'));
  }

  override extraRepr(): string { return `p=${pyStr(getAttr(this, 'p'))}, inplace=${pyStr(getAttr(this, 'inplace'))}`; }
}

/** A dropout layer whose forward is `F.<fname>(input, p, training[, inplace])`. */
function dropoutClass(name: string, fname: string, passesInplace: boolean) {
  return class extends _DropoutNd {
    static override readonly pyName: string = name;
    static override readonly signature = initSignature(name, [['p', float(0.5)], ['inplace', false]]);

    override forward(args: PyValue[], kwargs: Kwargs, interop: Interop): PyValue {
      const input = bindInput(name, args, kwargs);
      const rest = passesInplace ? [getAttr(this, 'inplace')] : [];
      return callF(fname, [input, getAttr(this, 'p'), this.training, ...rest], interop);
    }
  };
}

export const Dropout = dropoutClass('Dropout', 'dropout', true);
export const Dropout1d = dropoutClass('Dropout1d', 'dropout1d', true);
export const Dropout2d = dropoutClass('Dropout2d', 'dropout2d', true);
export const Dropout3d = dropoutClass('Dropout3d', 'dropout3d', true);
export const AlphaDropout = dropoutClass('AlphaDropout', 'alpha_dropout', false);
export const FeatureAlphaDropout = dropoutClass('FeatureAlphaDropout', 'feature_alpha_dropout', false);

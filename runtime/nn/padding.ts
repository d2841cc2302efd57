// torch/nn/modules/padding.py: constant, zero, reflection and replication padding layers.
import { type Interop, type Kwargs, type PyValue, float, pyStr } from '../python/index.ts';
import { Module } from './module.ts';
import { callF } from './functional-call.ts';
import { bindInput, initSignature } from './layer-support.ts';
import { getAttr, ntuple } from './py-helpers.ts';

const input = (cls: string, args: PyValue[], kwargs: Kwargs): PyValue =>
  bindInput(cls, args, kwargs);

export class _ConstantPadNd extends Module {
  static override readonly pyName: string = '_ConstantPadNd';
  static override readonly signature = initSignature('_ConstantPadNd', ['value']);

  protected override initialize(a: Map<string, PyValue>, _interop: Interop): void { this.setattr('value', a.get('value')); }

  override forward(args: PyValue[], kwargs: Kwargs, interop: Interop): PyValue {
    return callF('pad', [input('_ConstantPadNd', args, kwargs), getAttr(this, 'padding'), 'constant', getAttr(this, 'value')], interop);
  }

  override extraRepr(): string { return `padding=${pyStr(getAttr(this, 'padding'))}, value=${pyStr(getAttr(this, 'value'))}`; }
}

function constantPadClass(name: string, n: number) {
  return class extends _ConstantPadNd {
    static override readonly pyName: string = name;
    static override readonly signature = initSignature(name, ['padding', 'value']);

    protected override initialize(a: Map<string, PyValue>, interop: Interop): void {
      super.initialize(new Map([['value', a.get('value')]]), interop);
      this.setattr('padding', ntuple(a.get('padding'), n));
    }
  };
}

export const ConstantPad1d = constantPadClass('ConstantPad1d', 2);
export const ConstantPad2d = constantPadClass('ConstantPad2d', 4);
export const ConstantPad3d = constantPadClass('ConstantPad3d', 6);

export class ZeroPad2d extends ConstantPad2d {
  static override readonly pyName: string = 'ZeroPad2d';
  static override readonly signature = initSignature('ZeroPad2d', ['padding']);

  protected override initialize(a: Map<string, PyValue>, interop: Interop): void {
    super.initialize(new Map([['padding', a.get('padding')], ['value', float(0)]]), interop);
  }

  override extraRepr(): string { return pyStr(getAttr(this, 'padding')); }
}

/** Reflection/replication padding: `F.pad(input, self.padding, mode)`. */
function modePadClass(base: string, mode: string) {
  return class extends Module {
    static override readonly pyName: string = base;

    override forward(args: PyValue[], kwargs: Kwargs, interop: Interop): PyValue {
      return callF('pad', [input(base, args, kwargs), getAttr(this, 'padding'), mode], interop);
    }

    override extraRepr(): string { return pyStr(getAttr(this, 'padding')); }
  };
}

export const _ReflectionPadNd = modePadClass('_ReflectionPadNd', 'reflect');
export const _ReplicationPadNd = modePadClass('_ReplicationPadNd', 'replicate');

function sizedPadClass(base: typeof _ReflectionPadNd, name: string, n: number) {
  return class extends base {
    static override readonly pyName: string = name;
    static override readonly signature = initSignature(name, ['padding']);

    protected override initialize(a: Map<string, PyValue>, _interop: Interop): void {
      this.setattr('padding', ntuple(a.get('padding'), n));
    }
  };
}

export const ReflectionPad1d = sizedPadClass(_ReflectionPadNd, 'ReflectionPad1d', 2);
export const ReflectionPad2d = sizedPadClass(_ReflectionPadNd, 'ReflectionPad2d', 4);
export const ReflectionPad3d = sizedPadClass(_ReflectionPadNd, 'ReflectionPad3d', 6);
export const ReplicationPad1d = sizedPadClass(_ReplicationPadNd, 'ReplicationPad1d', 2);
export const ReplicationPad2d = sizedPadClass(_ReplicationPadNd, 'ReplicationPad2d', 4);
export const ReplicationPad3d = sizedPadClass(_ReplicationPadNd, 'ReplicationPad3d', 6);

// torch/nn/modules/activation.py, except MultiheadAttention (activation-attention.ts).
// Most activations are "store a few attributes, call F.<name>"; a table describes those, and the
// few with their own logic (Hardtanh's assertion, PReLU's weight, Softmax2d's rank check) are
// written out below.
import { type Interop, type Kwargs, PyError, type PyValue, float, formatStr, pyStr } from '../python/index.ts';
import { Tensor } from '../tensor.ts';
import { runtimeContext } from '../context.ts';
import { Module } from './module.ts';
import { callF } from './functional-call.ts';
import { emptyParameter, factoryKwargs } from './factory.ts';
import { constantFill } from './init-fill.ts';
import { bindForward, bindInput, factoryParams, initSignature } from './layer-support.ts';
import { getAttr, pyCompare, truthy } from './py-helpers.ts';

type Params = Parameters<typeof initSignature>[1];

interface SimpleActivation {
  name: string;
  params: Params;
  /** `F.<fname>(input, *attrs, **kwattrs)`: positional attribute names, then keyword ones. */
  fname: string;
  positional?: string[];
  keyword?: [string, string][];
  /** `training` goes after the positional attributes (RReLU). */
  passTraining?: boolean;
  extraRepr?: (m: Module) => string;
}

const inplaceOnly = (m: Module): string => (truthy(getAttr(m, 'inplace')) ? 'inplace=True' : '');
const inplaceSuffix = (m: Module): string => (truthy(getAttr(m, 'inplace')) ? ', inplace=True' : '');
const s = (m: Module, name: string): string => pyStr(getAttr(m, name));

function simpleActivation(spec: SimpleActivation) {
  const attrNames = spec.params.map((p) => (typeof p === 'string' ? p : p[0]));
  return class extends Module {
    static override readonly pyName: string = spec.name;
    static override readonly signature = initSignature(spec.name, spec.params);

    protected override initialize(a: Map<string, PyValue>, _interop: Interop): void {
      for (const k of attrNames) this.setattr(k, a.get(k));
    }

    override forward(args: PyValue[], kwargs: Kwargs, interop: Interop): PyValue {
      const input = bindInput(spec.name, args, kwargs);
      const positional = (spec.positional ?? []).map((k) => getAttr(this, k));
      if (spec.passTraining) positional.push(this.training, ...(spec.positional?.includes('inplace') ? [] : [getAttr(this, 'inplace')]));
      const kw = new Map((spec.keyword ?? []).map(([param, attr]) => [param, getAttr(this, attr)] as [string, PyValue]));
      return callF(spec.fname, [input, ...positional], interop, kw);
    }

    override extraRepr(): string { return spec.extraRepr ? spec.extraRepr(this) : ''; }
  };
}

export const Threshold = simpleActivation({
  name: 'Threshold', params: ['threshold', 'value', ['inplace', false]], fname: 'threshold', positional: ['threshold', 'value', 'inplace'],
  extraRepr: (m) => `threshold=${s(m, 'threshold')}, value=${s(m, 'value')}${inplaceSuffix(m)}`,
});
export const ReLU = simpleActivation({
  name: 'ReLU', params: [['inplace', false]], fname: 'relu', keyword: [['inplace', 'inplace']], extraRepr: inplaceOnly,
});
export const RReLU = simpleActivation({
  name: 'RReLU', params: [['lower', float(1 / 8)], ['upper', float(1 / 3)], ['inplace', false]], fname: 'rrelu',
  positional: ['lower', 'upper'], passTraining: true,
  extraRepr: (m) => `lower=${s(m, 'lower')}, upper=${s(m, 'upper')}${inplaceSuffix(m)}`,
});
export const Sigmoid = simpleActivation({ name: 'Sigmoid', params: [], fname: 'sigmoid' });
export const Tanh = simpleActivation({ name: 'Tanh', params: [], fname: 'tanh' });
export const Hardsigmoid = simpleActivation({ name: 'Hardsigmoid', params: [['inplace', false]], fname: 'hardsigmoid', positional: ['inplace'] });
export const SiLU = simpleActivation({ name: 'SiLU', params: [['inplace', false]], fname: 'silu', keyword: [['inplace', 'inplace']], extraRepr: inplaceOnly });
export const Mish = simpleActivation({ name: 'Mish', params: [['inplace', false]], fname: 'mish', keyword: [['inplace', 'inplace']], extraRepr: inplaceOnly });
export const Hardswish = simpleActivation({ name: 'Hardswish', params: [['inplace', false]], fname: 'hardswish', positional: ['inplace'] });
export const ELU = simpleActivation({
  name: 'ELU', params: [['alpha', float(1)], ['inplace', false]], fname: 'elu', positional: ['alpha', 'inplace'],
  extraRepr: (m) => `alpha=${s(m, 'alpha')}${inplaceSuffix(m)}`,
});
export const CELU = simpleActivation({
  name: 'CELU', params: [['alpha', float(1)], ['inplace', false]], fname: 'celu', positional: ['alpha', 'inplace'],
  extraRepr: (m) => `alpha=${s(m, 'alpha')}${inplaceSuffix(m)}`,
});
export const SELU = simpleActivation({ name: 'SELU', params: [['inplace', false]], fname: 'selu', positional: ['inplace'], extraRepr: inplaceOnly });
export const GLU = simpleActivation({ name: 'GLU', params: [['dim', -1]], fname: 'glu', positional: ['dim'], extraRepr: (m) => `dim=${s(m, 'dim')}` });
export const GELU = simpleActivation({
  name: 'GELU', params: [['approximate', 'none']], fname: 'gelu', keyword: [['approximate', 'approximate']],
  extraRepr: (m) => `approximate=${reprOf(getAttr(m, 'approximate'))}`,
});
export const Hardshrink = simpleActivation({
  name: 'Hardshrink', params: [['lambd', float(0.5)]], fname: 'hardshrink', positional: ['lambd'], extraRepr: (m) => s(m, 'lambd'),
});
export const LeakyReLU = simpleActivation({
  name: 'LeakyReLU', params: [['negative_slope', float(1e-2)], ['inplace', false]], fname: 'leaky_relu', positional: ['negative_slope', 'inplace'],
  extraRepr: (m) => `negative_slope=${s(m, 'negative_slope')}${inplaceSuffix(m)}`,
});
export const LogSigmoid = simpleActivation({ name: 'LogSigmoid', params: [], fname: 'logsigmoid' });
export const Softplus = simpleActivation({
  name: 'Softplus', params: [['beta', 1], ['threshold', 20]], fname: 'softplus', positional: ['beta', 'threshold'],
  extraRepr: (m) => {
    // Recent 2.x made the defaults floats (1.0, 20.0); as in the corpus oracle, int values equal to
    // the old defaults are taken to be defaults.
    const torch2 = runtimeContext().torch2Repr;
    const shown = (name: string, dflt: number): string => {
      const v = getAttr(m, name);
      return torch2 && v === dflt ? pyStr(float(dflt)) : pyStr(v);
    };
    return `beta=${shown('beta', 1)}, threshold=${shown('threshold', 20)}`;
  },
});
export const Softshrink = simpleActivation({
  name: 'Softshrink', params: [['lambd', float(0.5)]], fname: 'softshrink', positional: ['lambd'], extraRepr: (m) => s(m, 'lambd'),
});
export const Softsign = simpleActivation({ name: 'Softsign', params: [], fname: 'softsign' });
export const Tanhshrink = simpleActivation({ name: 'Tanhshrink', params: [], fname: 'tanhshrink' });

/** Softmax/Softmin/LogSoftmax: `F.<fname>(input, self.dim, _stacklevel=5)`. */
function softmaxClass(name: string, fname: string) {
  return simpleActivation({
    name, params: [['dim', null]], fname, positional: ['dim'], extraRepr: (m) => `dim=${s(m, 'dim')}`,
  });
}
export const Softmin = softmaxClass('Softmin', 'softmin');
export const Softmax = softmaxClass('Softmax', 'softmax');
export const LogSoftmax = softmaxClass('LogSoftmax', 'log_softmax');

function reprOf(v: PyValue): string { return typeof v === 'string' ? formatStr(v) : pyStr(v); }

export class Hardtanh extends Module {
  static override readonly pyName: string = 'Hardtanh';
  static override readonly signature = initSignature('Hardtanh', [['min_val', float(-1)], ['max_val', float(1)], ['inplace', false],
    ['min_value', null], ['max_value', null]]);

  protected override initialize(a: Map<string, PyValue>, _interop: Interop): void {
    // min_value/max_value are the deprecated spellings (torch warns).
    const minVal = a.get('min_value') !== null ? a.get('min_value') : a.get('min_val');
    const maxVal = a.get('max_value') !== null ? a.get('max_value') : a.get('max_val');
    this.setattr('min_val', minVal);
    this.setattr('max_val', maxVal);
    this.setattr('inplace', a.get('inplace'));
    if (!pyCompare(maxVal, '>', minVal)) throw new PyError('AssertionError', '');
  }

  override forward(args: PyValue[], kwargs: Kwargs, interop: Interop): PyValue {
    const input = bindInput('Hardtanh', args, kwargs);
    return callF('hardtanh', [input, getAttr(this, 'min_val'), getAttr(this, 'max_val'), getAttr(this, 'inplace')], interop);
  }

  override extraRepr(): string { return `min_val=${s(this, 'min_val')}, max_val=${s(this, 'max_val')}${inplaceSuffix(this)}`; }
}

export class ReLU6 extends Hardtanh {
  static override readonly pyName: string = 'ReLU6';
  static override readonly signature = initSignature('ReLU6', [['inplace', false]]);

  protected override initialize(a: Map<string, PyValue>, interop: Interop): void {
    super.initialize(new Map([['min_val', float(0)], ['max_val', float(6)], ['inplace', a.get('inplace')], ['min_value', null], ['max_value', null]]), interop);
  }

  override extraRepr(): string { return inplaceOnly(this); }
}

export class PReLU extends Module {
  static override readonly pyName: string = 'PReLU';
  static override readonly signature = initSignature('PReLU', [['num_parameters', 1], ['init', float(0.25)], ...factoryParams]);

  /** PyTorch assigns `num_parameters` before `Module.__init__()`, so it comes first in `__dict__`. */
  override pyInit(args: PyValue[], kwargs: Kwargs, interop: Interop): void {
    const a = bindForward(PReLU.signature, args, kwargs);
    this.dict.set('num_parameters', a.get('num_parameters'));
    this.moduleInit();
    this.initialize(a, interop);
  }

  protected override initialize(a: Map<string, PyValue>, _interop: Interop): void {
    const weight = emptyParameter(a.get('num_parameters'), factoryKwargs(a));
    constantFill(weight, toFill(a.get('init')));
    this.setattr('weight', weight);
  }

  override forward(args: PyValue[], kwargs: Kwargs, interop: Interop): PyValue {
    const input = bindInput('PReLU', args, kwargs);
    return callF('prelu', [input, getAttr(this, 'weight')], interop);
  }

  override extraRepr(): string { return `num_parameters=${s(this, 'num_parameters')}`; }
}

function toFill(v: PyValue): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v instanceof Tensor) return 0; // fill_(tensor) takes a 0-dim tensor's value: a value-tier matter
  return (v as { value: number }).value;
}

export class Softmax2d extends Module {
  static override readonly pyName: string = 'Softmax2d';

  override forward(args: PyValue[], kwargs: Kwargs, interop: Interop): PyValue {
    const input = bindInput('Softmax2d', args, kwargs);
    if (input instanceof Tensor && input.ndim !== 4 && input.ndim !== 3) {
      throw new PyError('AssertionError', 'Softmax2d requires a 3D or 4D tensor as input');
    }
    return callF('softmax', [input, -3], interop, new Map([['_stacklevel', 5]]));
  }
}

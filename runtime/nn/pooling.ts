// torch/nn/modules/pooling.py: max/avg/LP/adaptive/fractional pooling and max-unpooling.
// Most pooling layers store their sizes as given (`MaxPool2d(2)` keeps `kernel_size=2`), a few
// normalise them with `_single/_pair/_triple` — exactly as PyTorch does, since the repr shows it.
import { type Interop, type Kwargs, type PyValue, pyStr, valueError } from '../python/index.ts';
import { Module } from './module.ts';
import { callF } from './functional-call.ts';
import { bindForward, bindInput, forwardSignature, initSignature } from './layer-support.ts';
import { getAttr, iterableItems, ntuple, pyCompare, pyFloat, pyFormat } from './py-helpers.ts';

const input = (cls: string, args: PyValue[], kwargs: Kwargs): PyValue => bindInput(cls, args, kwargs);
const attrs = (m: Module, names: string[]): PyValue[] => names.map((n) => getAttr(m, n));

export class _MaxPoolNd extends Module {
  static override readonly pyName: string = '_MaxPoolNd';
  static override readonly signature = initSignature('_MaxPoolNd', ['kernel_size', ['stride', null], ['padding', 0], ['dilation', 1],
    ['return_indices', false], ['ceil_mode', false]]);

  protected override initialize(a: Map<string, PyValue>, _interop: Interop): void {
    this.setattr('kernel_size', a.get('kernel_size'));
    this.setattr('stride', a.get('stride') !== null ? a.get('stride') : a.get('kernel_size'));
    this.setattr('padding', a.get('padding'));
    this.setattr('dilation', a.get('dilation'));
    this.setattr('return_indices', a.get('return_indices'));
    this.setattr('ceil_mode', a.get('ceil_mode'));
  }

  override extraRepr(): string {
    return pyFormat('kernel_size={kernel_size}, stride={stride}, padding={padding}, dilation={dilation}, ceil_mode={ceil_mode}', this.dict);
  }
}

function maxPoolClass(name: string, fname: string) {
  return class extends _MaxPoolNd {
    static override readonly pyName: string = name;
    static override readonly signature = initSignature(name, ['kernel_size', ['stride', null], ['padding', 0], ['dilation', 1],
      ['return_indices', false], ['ceil_mode', false]]);

    override forward(args: PyValue[], kwargs: Kwargs, interop: Interop): PyValue {
      return callF(fname, [input(name, args, kwargs), ...attrs(this, ['kernel_size', 'stride', 'padding', 'dilation'])], interop,
        new Map([['ceil_mode', getAttr(this, 'ceil_mode')], ['return_indices', getAttr(this, 'return_indices')]]));
    }
  };
}

export const MaxPool1d = maxPoolClass('MaxPool1d', 'max_pool1d');
export const MaxPool2d = maxPoolClass('MaxPool2d', 'max_pool2d');
export const MaxPool3d = maxPoolClass('MaxPool3d', 'max_pool3d');

export class _MaxUnpoolNd extends Module {
  static override readonly pyName: string = '_MaxUnpoolNd';
  override extraRepr(): string {
    return `kernel_size=${pyStr(getAttr(this, 'kernel_size'))}, stride=${pyStr(getAttr(this, 'stride'))}, padding=${pyStr(getAttr(this, 'padding'))}`;
  }
}

function maxUnpoolClass(name: string, n: number, fname: string) {
  return class extends _MaxUnpoolNd {
    static override readonly pyName: string = name;
    static override readonly signature = initSignature(name, ['kernel_size', ['stride', null], ['padding', 0]]);

    protected override initialize(a: Map<string, PyValue>, _interop: Interop): void {
      this.setattr('kernel_size', ntuple(a.get('kernel_size'), n));
      this.setattr('stride', ntuple(a.get('stride') !== null ? a.get('stride') : a.get('kernel_size'), n));
      this.setattr('padding', ntuple(a.get('padding'), n));
    }

    override forward(args: PyValue[], kwargs: Kwargs, interop: Interop): PyValue {
      const b = bindForward(forwardSignature(name, ['input', 'indices', ['output_size', null]]), args, kwargs);
      return callF(fname, [b.get('input'), b.get('indices'), ...attrs(this, ['kernel_size', 'stride', 'padding']), b.get('output_size')], interop);
    }
  };
}

export const MaxUnpool1d = maxUnpoolClass('MaxUnpool1d', 1, 'max_unpool1d');
export const MaxUnpool2d = maxUnpoolClass('MaxUnpool2d', 2, 'max_unpool2d');
export const MaxUnpool3d = maxUnpoolClass('MaxUnpool3d', 3, 'max_unpool3d');

export class _AvgPoolNd extends Module {
  static override readonly pyName: string = '_AvgPoolNd';
  override extraRepr(): string {
    return `kernel_size=${pyStr(getAttr(this, 'kernel_size'))}, stride=${pyStr(getAttr(this, 'stride'))}, padding=${pyStr(getAttr(this, 'padding'))}`;
  }
}

export class AvgPool1d extends _AvgPoolNd {
  static override readonly pyName: string = 'AvgPool1d';
  static override readonly signature = initSignature('AvgPool1d', ['kernel_size', ['stride', null], ['padding', 0], ['ceil_mode', false],
    ['count_include_pad', true]]);

  protected override initialize(a: Map<string, PyValue>, _interop: Interop): void {
    this.setattr('kernel_size', ntuple(a.get('kernel_size'), 1));
    this.setattr('stride', ntuple(a.get('stride') !== null ? a.get('stride') : a.get('kernel_size'), 1));
    this.setattr('padding', ntuple(a.get('padding'), 1));
    this.setattr('ceil_mode', a.get('ceil_mode'));
    this.setattr('count_include_pad', a.get('count_include_pad'));
  }

  override forward(args: PyValue[], kwargs: Kwargs, interop: Interop): PyValue {
    return callF('avg_pool1d', [input('AvgPool1d', args, kwargs),
      ...attrs(this, ['kernel_size', 'stride', 'padding', 'ceil_mode', 'count_include_pad'])], interop);
  }
}

function avgPoolClass(name: string, fname: string) {
  return class extends _AvgPoolNd {
    static override readonly pyName: string = name;
    static override readonly signature = initSignature(name, ['kernel_size', ['stride', null], ['padding', 0], ['ceil_mode', false],
      ['count_include_pad', true], ['divisor_override', null]]);

    protected override initialize(a: Map<string, PyValue>, _interop: Interop): void {
      this.setattr('kernel_size', a.get('kernel_size'));
      this.setattr('stride', a.get('stride') !== null ? a.get('stride') : a.get('kernel_size'));
      for (const k of ['padding', 'ceil_mode', 'count_include_pad', 'divisor_override']) this.setattr(k, a.get(k));
    }

    override forward(args: PyValue[], kwargs: Kwargs, interop: Interop): PyValue {
      return callF(fname, [input(name, args, kwargs),
        ...attrs(this, ['kernel_size', 'stride', 'padding', 'ceil_mode', 'count_include_pad', 'divisor_override'])], interop);
    }
  };
}

export const AvgPool2d = avgPoolClass('AvgPool2d', 'avg_pool2d');
export const AvgPool3d = avgPoolClass('AvgPool3d', 'avg_pool3d');

function fractionalMaxPoolClass(name: string, n: number, fname: string) {
  return class extends Module {
    static override readonly pyName: string = name;
    static override readonly signature = initSignature(name, ['kernel_size', ['output_size', null], ['output_ratio', null],
      ['return_indices', false], ['_random_samples', null]]);

    protected override initialize(a: Map<string, PyValue>, _interop: Interop): void {
      const [outputSize, outputRatio] = [a.get('output_size'), a.get('output_ratio')];
      this.setattr('kernel_size', ntuple(a.get('kernel_size'), n));
      this.setattr('return_indices', a.get('return_indices'));
      this.registerBuffer('_random_samples', a.get('_random_samples'));
      this.setattr('output_size', outputSize !== null ? ntuple(outputSize, n) : null);
      this.setattr('output_ratio', outputRatio !== null ? ntuple(outputRatio, n) : null);
      if (outputSize === null && outputRatio === null) {
        throw valueError(`${name} requires specifying either an output size, or a pooling ratio`);
      }
      if (outputSize !== null && outputRatio !== null) throw valueError('only one of output_size and output_ratio may be specified');
      const ratio = iterableItems(getAttr(this, 'output_ratio'));
      if (ratio && !ratio.slice(0, n).every((r) => pyCompare(0, '<', r) && pyCompare(r, '<', 1))) {
        throw valueError(`output_ratio must be between 0 and 1 (got ${pyStr(outputRatio)})`);
      }
    }

    override forward(args: PyValue[], kwargs: Kwargs, interop: Interop): PyValue {
      return callF(fname, [input(name, args, kwargs), ...attrs(this, ['kernel_size', 'output_size', 'output_ratio', 'return_indices'])],
        interop, new Map([['_random_samples', getAttr(this, '_random_samples')]]));
    }
  };
}

export const FractionalMaxPool2d = fractionalMaxPoolClass('FractionalMaxPool2d', 2, 'fractional_max_pool2d');
export const FractionalMaxPool3d = fractionalMaxPoolClass('FractionalMaxPool3d', 3, 'fractional_max_pool3d');

export class _LPPoolNd extends Module {
  static override readonly pyName: string = '_LPPoolNd';
  static override readonly signature = initSignature('_LPPoolNd', ['norm_type', 'kernel_size', ['stride', null], ['ceil_mode', false]]);

  protected override initialize(a: Map<string, PyValue>, _interop: Interop): void {
    for (const k of ['norm_type', 'kernel_size', 'stride', 'ceil_mode']) this.setattr(k, a.get(k));
  }

  override extraRepr(): string {
    return pyFormat('norm_type={norm_type}, kernel_size={kernel_size}, stride={stride}, ceil_mode={ceil_mode}', this.dict);
  }
}

function lpPoolClass(name: string, fname: string) {
  return class extends _LPPoolNd {
    static override readonly pyName: string = name;
    static override readonly signature = initSignature(name, ['norm_type', 'kernel_size', ['stride', null], ['ceil_mode', false]]);

    override forward(args: PyValue[], kwargs: Kwargs, interop: Interop): PyValue {
      return callF(fname, [input(name, args, kwargs), pyFloat(getAttr(this, 'norm_type')), ...attrs(this, ['kernel_size', 'stride', 'ceil_mode'])], interop);
    }
  };
}

export const LPPool1d = lpPoolClass('LPPool1d', 'lp_pool1d');
export const LPPool2d = lpPoolClass('LPPool2d', 'lp_pool2d');

export class _AdaptiveMaxPoolNd extends Module {
  static override readonly pyName: string = '_AdaptiveMaxPoolNd';
  static override readonly signature = initSignature('_AdaptiveMaxPoolNd', ['output_size', ['return_indices', false]]);

  protected override initialize(a: Map<string, PyValue>, _interop: Interop): void {
    this.setattr('output_size', a.get('output_size'));
    this.setattr('return_indices', a.get('return_indices'));
  }

  override extraRepr(): string { return `output_size=${pyStr(getAttr(this, 'output_size'))}`; }
}

function adaptiveMaxPoolClass(name: string, fname: string) {
  return class extends _AdaptiveMaxPoolNd {
    static override readonly pyName: string = name;
    static override readonly signature = initSignature(name, ['output_size', ['return_indices', false]]);

    override forward(args: PyValue[], kwargs: Kwargs, interop: Interop): PyValue {
      return callF(fname, [input(name, args, kwargs), ...attrs(this, ['output_size', 'return_indices'])], interop);
    }
  };
}

export const AdaptiveMaxPool1d = adaptiveMaxPoolClass('AdaptiveMaxPool1d', 'adaptive_max_pool1d');
export const AdaptiveMaxPool2d = adaptiveMaxPoolClass('AdaptiveMaxPool2d', 'adaptive_max_pool2d');
export const AdaptiveMaxPool3d = adaptiveMaxPoolClass('AdaptiveMaxPool3d', 'adaptive_max_pool3d');

export class _AdaptiveAvgPoolNd extends Module {
  static override readonly pyName: string = '_AdaptiveAvgPoolNd';
  static override readonly signature = initSignature('_AdaptiveAvgPoolNd', ['output_size']);

  protected override initialize(a: Map<string, PyValue>, _interop: Interop): void { this.setattr('output_size', a.get('output_size')); }

  override extraRepr(): string { return `output_size=${pyStr(getAttr(this, 'output_size'))}`; }
}

function adaptiveAvgPoolClass(name: string, fname: string) {
  return class extends _AdaptiveAvgPoolNd {
    static override readonly pyName: string = name;
    static override readonly signature = initSignature(name, ['output_size']);

    override forward(args: PyValue[], kwargs: Kwargs, interop: Interop): PyValue {
      return callF(fname, [input(name, args, kwargs), getAttr(this, 'output_size')], interop);
    }
  };
}

export const AdaptiveAvgPool1d = adaptiveAvgPoolClass('AdaptiveAvgPool1d', 'adaptive_avg_pool1d');
export const AdaptiveAvgPool2d = adaptiveAvgPoolClass('AdaptiveAvgPool2d', 'adaptive_avg_pool2d');
export const AdaptiveAvgPool3d = adaptiveAvgPoolClass('AdaptiveAvgPool3d', 'adaptive_avg_pool3d');

// Small layers from torch/nn/modules/{upsampling,pixelshuffle,channelshuffle,distance,fold}.py.
import { type Interop, type Kwargs, PyTuple, type PyValue, float, pyRepr, pyStr } from '../python/index.ts';
import { runtimeContext } from '../context.ts';
import { Module } from './module.ts';
import { callF } from './functional-call.ts';
import { bindForward, bindInput, forwardSignature, initSignature } from './layer-support.ts';
import { getAttr, pyFloat, pyFormat, truthy } from './py-helpers.ts';

const at = (m: Module, names: string[]): PyValue[] => names.map((n) => getAttr(m, n));

export class Upsample extends Module {
  static override readonly pyName: string = 'Upsample';
  static override readonly signature = initSignature('Upsample', [['size', null], ['scale_factor', null], ['mode', 'nearest'],
    ['align_corners', null], ['recompute_scale_factor', null]]);

  protected override initialize(a: Map<string, PyValue>, _interop: Interop): void {
    const scale = a.get('scale_factor');
    this.setattr('name', this.pyTypeName);
    this.setattr('size', a.get('size'));
    this.setattr('scale_factor', scale instanceof PyTuple ? new PyTuple(scale.items.map(pyFloat)) : truthy(scale) ? pyFloat(scale) : null);
    this.setattr('mode', a.get('mode'));
    this.setattr('align_corners', a.get('align_corners'));
    this.setattr('recompute_scale_factor', a.get('recompute_scale_factor'));
  }

  override forward(args: PyValue[], kwargs: Kwargs, interop: Interop): PyValue {
    const input = bindInput('Upsample', args, kwargs);
    return callF('interpolate', [input, ...at(this, ['size', 'scale_factor', 'mode', 'align_corners'])], interop,
      new Map([['recompute_scale_factor', getAttr(this, 'recompute_scale_factor')]]));
  }

  /** 1.13 uses str() (`mode=nearest`); 2.x uses repr() (`mode='nearest'`). */
  override extraRepr(): string {
    const show = runtimeContext().torch2Repr ? pyRepr : pyStr;
    const scale = getAttr(this, 'scale_factor');
    const info = scale !== null ? `scale_factor=${show(scale)}` : `size=${show(getAttr(this, 'size'))}`;
    return `${info}, mode=${show(getAttr(this, 'mode'))}`;
  }
}

export class UpsamplingNearest2d extends Upsample {
  static override readonly pyName: string = 'UpsamplingNearest2d';
  static override readonly signature = initSignature('UpsamplingNearest2d', [['size', null], ['scale_factor', null]]);

  protected override initialize(a: Map<string, PyValue>, interop: Interop): void {
    super.initialize(new Map([['size', a.get('size')], ['scale_factor', a.get('scale_factor')], ['mode', 'nearest'],
      ['align_corners', null], ['recompute_scale_factor', null]]), interop);
  }
}

export class UpsamplingBilinear2d extends Upsample {
  static override readonly pyName: string = 'UpsamplingBilinear2d';
  static override readonly signature = initSignature('UpsamplingBilinear2d', [['size', null], ['scale_factor', null]]);

  protected override initialize(a: Map<string, PyValue>, interop: Interop): void {
    super.initialize(new Map([['size', a.get('size')], ['scale_factor', a.get('scale_factor')], ['mode', 'bilinear'],
      ['align_corners', true], ['recompute_scale_factor', null]]), interop);
  }
}

/** A layer holding one int attribute and forwarding `F.<fname>(input, attr)`. */
function oneIntLayer(name: string, attr: string, fname: string) {
  return class extends Module {
    static override readonly pyName: string = name;
    static override readonly signature = initSignature(name, [attr]);

    protected override initialize(a: Map<string, PyValue>, _interop: Interop): void { this.setattr(attr, a.get(attr)); }

    override forward(args: PyValue[], kwargs: Kwargs, interop: Interop): PyValue {
      const input = bindInput(name, args, kwargs);
      return callF(fname, [input, getAttr(this, attr)], interop);
    }

    override extraRepr(): string { return `${attr}=${pyStr(getAttr(this, attr))}`; }
  };
}

export const PixelShuffle = oneIntLayer('PixelShuffle', 'upscale_factor', 'pixel_shuffle');
export const PixelUnshuffle = oneIntLayer('PixelUnshuffle', 'downscale_factor', 'pixel_unshuffle');
export const ChannelShuffle = oneIntLayer('ChannelShuffle', 'groups', 'channel_shuffle');

export class PairwiseDistance extends Module {
  static override readonly pyName: string = 'PairwiseDistance';
  static override readonly signature = initSignature('PairwiseDistance', [['p', float(2)], ['eps', float(1e-6)], ['keepdim', false]]);

  protected override initialize(a: Map<string, PyValue>, _interop: Interop): void {
    this.setattr('norm', a.get('p'));
    this.setattr('eps', a.get('eps'));
    this.setattr('keepdim', a.get('keepdim'));
  }

  override forward(args: PyValue[], kwargs: Kwargs, interop: Interop): PyValue {
    const b = bindForward(forwardSignature('PairwiseDistance', ['x1', 'x2']), args, kwargs);
    return callF('pairwise_distance', [b.get('x1'), b.get('x2'), ...at(this, ['norm', 'eps', 'keepdim'])], interop);
  }
}

export class CosineSimilarity extends Module {
  static override readonly pyName: string = 'CosineSimilarity';
  static override readonly signature = initSignature('CosineSimilarity', [['dim', 1], ['eps', float(1e-8)]]);

  protected override initialize(a: Map<string, PyValue>, _interop: Interop): void {
    this.setattr('dim', a.get('dim'));
    this.setattr('eps', a.get('eps'));
  }

  override forward(args: PyValue[], kwargs: Kwargs, interop: Interop): PyValue {
    const b = bindForward(forwardSignature('CosineSimilarity', ['x1', 'x2']), args, kwargs);
    return callF('cosine_similarity', [b.get('x1'), b.get('x2'), ...at(this, ['dim', 'eps'])], interop);
  }
}

export class Fold extends Module {
  static override readonly pyName: string = 'Fold';
  static override readonly signature = initSignature('Fold', ['output_size', 'kernel_size', ['dilation', 1], ['padding', 0], ['stride', 1]]);

  protected override initialize(a: Map<string, PyValue>, _interop: Interop): void {
    for (const k of ['output_size', 'kernel_size', 'dilation', 'padding', 'stride']) this.setattr(k, a.get(k));
  }

  override forward(args: PyValue[], kwargs: Kwargs, interop: Interop): PyValue {
    const input = bindInput('Fold', args, kwargs);
    return callF('fold', [input, ...at(this, ['output_size', 'kernel_size', 'dilation', 'padding', 'stride'])], interop);
  }

  override extraRepr(): string {
    return pyFormat('output_size={output_size}, kernel_size={kernel_size}, dilation={dilation}, padding={padding}, stride={stride}', this.dict);
  }
}

export class Unfold extends Module {
  static override readonly pyName: string = 'Unfold';
  static override readonly signature = initSignature('Unfold', ['kernel_size', ['dilation', 1], ['padding', 0], ['stride', 1]]);

  protected override initialize(a: Map<string, PyValue>, _interop: Interop): void {
    for (const k of ['kernel_size', 'dilation', 'padding', 'stride']) this.setattr(k, a.get(k));
  }

  override forward(args: PyValue[], kwargs: Kwargs, interop: Interop): PyValue {
    const input = bindInput('Unfold', args, kwargs);
    return callF('unfold', [input, ...at(this, ['kernel_size', 'dilation', 'padding', 'stride'])], interop);
  }

  override extraRepr(): string {
    return pyFormat('kernel_size={kernel_size}, dilation={dilation}, padding={padding}, stride={stride}', this.dict);
  }
}

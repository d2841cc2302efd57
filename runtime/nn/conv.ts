// torch/nn/modules/conv.py: _ConvNd, Conv1d/2d/3d, _ConvTransposeNd, ConvTranspose1d/2d/3d.
import {
  type Interop, type Kwargs, PyError, PyList, PyTuple, type PyValue, float, formatStr, pyStr, toNumber, valueError,
} from '../python/index.ts';
import { Tensor } from '../tensor.ts';
import { Module } from './module.ts';
import { callF } from './functional-call.ts';
import { emptyParameter, factoryKwargs } from './factory.ts';
import { calculateFanInAndFanOut, kaimingUniform_, uniform_ } from './init.ts';
import { bindForward, bindInput, factoryParams, forwardSignature, initSignature, resetParametersMethod } from './layer-support.ts';
import {
  getAttr, iterableItems, ntuple, pyCompare, pyEquals, pyFloorDiv, pyFormat, pyIndex, pyMod, reverseRepeatTuple, truthy,
} from './py-helpers.ts';

const validPaddingModes = "{'zeros', 'replicate', 'circular', 'reflect'}";

export class _ConvNd extends Module {
  static override readonly pyName: string = '_ConvNd';
  static override readonly signature = initSignature('_ConvNd', ['in_channels', 'out_channels', 'kernel_size', 'stride', 'padding',
    'dilation', 'transposed', 'output_padding', 'groups', 'bias', 'padding_mode', ...factoryParams]);
  static override readonly pyMethods = { reset_parameters: resetParametersMethod('_ConvNd') };

  protected override initialize(a: Map<string, PyValue>, _interop: Interop): void {
    const fk = factoryKwargs(a);
    const [inChannels, outChannels, kernelSize, stride, padding, dilation, groups, paddingMode] =
      ['in_channels', 'out_channels', 'kernel_size', 'stride', 'padding', 'dilation', 'groups', 'padding_mode'].map((k) => a.get(k));
    if (pyCompare(groups, '<=', 0)) throw valueError('groups must be a positive integer');
    if (pyMod(inChannels, groups) !== 0) throw valueError('in_channels must be divisible by groups');
    if (pyMod(outChannels, groups) !== 0) throw valueError('out_channels must be divisible by groups');
    if (typeof padding === 'string') {
      if (padding !== 'same' && padding !== 'valid') {
        throw valueError(`Invalid padding string ${formatStr(padding)}, should be one of {'valid', 'same'}`);
      }
      if (padding === 'same' && (iterableItems(stride) ?? []).some((s) => !pyEquals(s, 1))) {
        throw valueError("padding='same' is not supported for strided convolutions");
      }
    }
    if (!['zeros', 'reflect', 'replicate', 'circular'].includes(paddingMode as string)) {
      throw valueError(`padding_mode must be one of ${validPaddingModes}, but got padding_mode='${pyStr(paddingMode)}'`);
    }
    for (const k of ['in_channels', 'out_channels', 'kernel_size', 'stride', 'padding', 'dilation', 'transposed',
      'output_padding', 'groups', 'padding_mode']) this.setattr(k, a.get(k));
    this.setattr('_reversed_padding_repeated_twice', reversedPaddingRepeatedTwice(padding, kernelSize as PyTuple, dilation as PyTuple));

    const kernel = iterableItems(kernelSize) ?? [];
    const shape = truthy(a.get('transposed'))
      ? [inChannels, pyFloorDiv(outChannels, groups), ...kernel]
      : [outChannels, pyFloorDiv(inChannels, groups), ...kernel];
    this.setattr('weight', emptyParameter(new PyTuple(shape), fk));
    if (truthy(a.get('bias'))) this.setattr('bias', emptyParameter(outChannels, fk));
    else this.registerParameter('bias', null);
    this.resetParameters();
  }

  resetParameters(): void {
    const weight = getAttr(this, 'weight');
    kaimingUniform_(weight, float(Math.sqrt(5)));
    const bias = getAttr(this, 'bias');
    if (bias !== null) {
      const [fanIn] = calculateFanInAndFanOut(weight);
      if (fanIn !== 0) {
        const bound = 1 / Math.sqrt(fanIn);
        uniform_(bias, float(-bound), float(bound));
      }
    }
  }

  /** PyTorch's `s.format(**self.__dict__)` with its conditional parts. */
  override extraRepr(): string {
    let s = '{in_channels}, {out_channels}, kernel_size={kernel_size}, stride={stride}';
    // `self.padding != (0,) * len(self.padding)`: a string padding ('same') never equals a tuple.
    const zeroLike = (name: string, v: number): boolean => {
      const value = getAttr(this, name);
      return value instanceof PyTuple && value.items.every((x) => pyEquals(x, v));
    };
    if (!zeroLike('padding', 0)) s += ', padding={padding}';
    if (!zeroLike('dilation', 1)) s += ', dilation={dilation}';
    if (!zeroLike('output_padding', 0)) s += ', output_padding={output_padding}';
    if (!pyEquals(getAttr(this, 'groups'), 1)) s += ', groups={groups}';
    if (getAttr(this, 'bias') === null) s += ', bias=False';
    if (getAttr(this, 'padding_mode') !== 'zeros') s += ', padding_mode={padding_mode}';
    return pyFormat(s, this.dict);
  }
}

/** `_reversed_padding_repeated_twice`: F.pad's order (last dimension first); a list for string paddings, 'same' split left/right. */
function reversedPaddingRepeatedTwice(padding: PyValue, kernelSize: PyTuple, dilation: PyTuple): PyValue {
  if (typeof padding !== 'string') return reverseRepeatTuple(ntuple(padding, 1), 2);
  const n = kernelSize.items.length;
  const out: PyValue[] = Array.from({ length: 2 * n }, () => 0);
  if (padding === 'same') {
    for (let j = 0; j < n; j++) {
      const i = n - 1 - j;
      const total = toNumber(dilation.items[j]) * (toNumber(kernelSize.items[j]) - 1);
      const left = Math.floor(total / 2);
      out[2 * i] = left;
      out[2 * i + 1] = total - left;
    }
  }
  return new PyList(out);
}

/** Conv1d/2d/3d: `_single/_pair/_triple` the sizes, then `_ConvNd.__init__`; forward pads first for non-zero modes. */
function convClass(name: string, n: number, fname: string) {
  return class extends _ConvNd {
    static override readonly pyName: string = name;
    static override readonly signature = initSignature(name, ['in_channels', 'out_channels', 'kernel_size', ['stride', 1], ['padding', 0],
      ['dilation', 1], ['groups', 1], ['bias', true], ['padding_mode', 'zeros'], ...factoryParams]);
    protected override initialize(a: Map<string, PyValue>, interop: Interop): void {
      // `_ConvNd.__init__`'s arguments: this call's own bound arguments with the sizes made n-tuples
      // (changed in place rather than copied: nothing reads them after `__init__`).
      const padding = a.get('padding');
      a.set('kernel_size', ntuple(a.get('kernel_size'), n));
      a.set('stride', ntuple(a.get('stride'), n));
      a.set('padding', typeof padding === 'string' ? padding : ntuple(padding, n));
      a.set('dilation', ntuple(a.get('dilation'), n));
      a.set('transposed', false);
      a.set('output_padding', ntuple(0, n));
      super.initialize(a, interop);
    }

    override forward(args: PyValue[], kwargs: Kwargs, interop: Interop): PyValue {
      const input = bindInput(name, args, kwargs);
      return this.convForward(input, getAttr(this, 'weight'), getAttr(this, 'bias'), interop);
    }

    /** `_conv_forward(input, weight, bias)`. */
    convForward(input: PyValue, weight: PyValue, bias: PyValue, interop: Interop): PyValue {
      const mode = getAttr(this, 'padding_mode');
      if (mode !== 'zeros') {
        const padded = callF('pad', [input, getAttr(this, '_reversed_padding_repeated_twice')], interop, new Map([['mode', mode]]));
        return callF(fname, [padded, weight, bias, getAttr(this, 'stride'), ntuple(0, n), getAttr(this, 'dilation'), getAttr(this, 'groups')], interop);
      }
      return callF(fname, [input, weight, bias, getAttr(this, 'stride'), getAttr(this, 'padding'), getAttr(this, 'dilation'), getAttr(this, 'groups')], interop);
    }
  };
}

export const Conv1d = convClass('Conv1d', 1, 'conv1d');
export const Conv2d = convClass('Conv2d', 2, 'conv2d');
export const Conv3d = convClass('Conv3d', 3, 'conv3d');

export class _ConvTransposeNd extends _ConvNd {
  static override readonly pyName: string = '_ConvTransposeNd';
  static override readonly signature = initSignature('_ConvTransposeNd', ['in_channels', 'out_channels', 'kernel_size', 'stride', 'padding',
    'dilation', 'transposed', 'output_padding', 'groups', 'bias', 'padding_mode', ...factoryParams]);

  protected override initialize(a: Map<string, PyValue>, interop: Interop): void {
    if (a.get('padding_mode') !== 'zeros') throw valueError(`Only "zeros" padding mode is supported for ${this.pyTypeName}`);
    super.initialize(a, interop);
  }

  /** `_output_padding(input, output_size, stride, padding, kernel_size, num_spatial_dims, dilation)`. */
  outputPadding(input: Tensor, outputSize: PyValue, numSpatialDims: number): PyValue {
    if (outputSize === null || outputSize === undefined) return ntuple(getAttr(this, 'output_padding'), 1);
    const [stride, padding, kernel, dilation] = ['stride', 'padding', 'kernel_size', 'dilation']
      .map((k) => (iterableItems(getAttr(this, k)) ?? []).map(pyIndex));
    const hasBatchDim = input.ndim === numSpatialDims + 2;
    const numNonSpatial = hasBatchDim ? 2 : 1;
    let sizes = (iterableItems(outputSize) ?? []).map(pyIndex);
    if (sizes.length === numNonSpatial + numSpatialDims) sizes = sizes.slice(numNonSpatial);
    if (sizes.length !== numSpatialDims) {
      throw valueError(`ConvTranspose${numSpatialDims}D: for ${input.ndim}D input, output_size must have ${numSpatialDims} `
        + `or ${numNonSpatial + numSpatialDims} elements (got ${sizes.length})`);
    }
    const minSizes: number[] = [];
    const maxSizes: number[] = [];
    for (let d = 0; d < numSpatialDims; d++) {
      const dimSize = (input.shape[d + numNonSpatial]! - 1) * stride[d]! - 2 * padding[d]! + dilation[d]! * (kernel[d]! - 1) + 1;
      minSizes.push(dimSize);
      maxSizes.push(dimSize + stride[d]! - 1);
    }
    sizes.forEach((size, i) => {
      if (size < minSizes[i]! || size > maxSizes[i]!) {
        throw valueError(`requested an output size of ${pyStr(outputSize)}, but valid sizes range from [${minSizes.join(', ')}] `
          + `to [${maxSizes.join(', ')}] (for an input of torch.Size([${input.shape.slice(2).join(', ')}]))`);
      }
    });
    return new PyList(sizes.map((s, d) => s - minSizes[d]!));
  }
}

function convTransposeClass(name: string, n: number, fname: string) {
  const forwardSig = forwardSignature(name, ['input', ['output_size', null]]);
  return class extends _ConvTransposeNd {
    static override readonly pyName: string = name;
    static override readonly signature = initSignature(name, ['in_channels', 'out_channels', 'kernel_size', ['stride', 1], ['padding', 0],
      ['output_padding', 0], ['groups', 1], ['bias', true], ['dilation', 1], ['padding_mode', 'zeros'], ...factoryParams]);

    protected override initialize(a: Map<string, PyValue>, interop: Interop): void {
      super.initialize(new Map([
        ['in_channels', a.get('in_channels')], ['out_channels', a.get('out_channels')], ['kernel_size', ntuple(a.get('kernel_size'), n)],
        ['stride', ntuple(a.get('stride'), n)], ['padding', ntuple(a.get('padding'), n)], ['dilation', ntuple(a.get('dilation'), n)],
        ['transposed', true], ['output_padding', ntuple(a.get('output_padding'), n)], ['groups', a.get('groups')],
        ['bias', a.get('bias')], ['padding_mode', a.get('padding_mode')], ['device', a.get('device')], ['dtype', a.get('dtype')],
      ]), interop);
    }

    override forward(args: PyValue[], kwargs: Kwargs, interop: Interop): PyValue {
      const a = bindForward(forwardSig, args, kwargs);
      if (getAttr(this, 'padding_mode') !== 'zeros') throw valueError(`Only \`zeros\` padding mode is supported for ${name}`);
      const input = a.get('input');
      if (!(getAttr(this, 'padding') instanceof PyTuple)) throw new PyError('AssertionError', '');
      const outputPadding = input instanceof Tensor ? this.outputPadding(input, a.get('output_size'), n) : getAttr(this, 'output_padding');
      return callF(fname, [input, getAttr(this, 'weight'), getAttr(this, 'bias'), getAttr(this, 'stride'), getAttr(this, 'padding'),
        outputPadding, getAttr(this, 'groups'), getAttr(this, 'dilation')], interop);
    }
  };
}

export const ConvTranspose1d = convTransposeClass('ConvTranspose1d', 1, 'conv_transpose1d');
export const ConvTranspose2d = convTransposeClass('ConvTranspose2d', 2, 'conv_transpose2d');
export const ConvTranspose3d = convTransposeClass('ConvTranspose3d', 3, 'conv_transpose3d');

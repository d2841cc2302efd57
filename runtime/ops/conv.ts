// Convolutions (conv1d/2d/3d and their transposes) with at::_convolution's checks, in its
// order: input rank (batchify), parameter lengths, sign checks, weight rank, groups, channels,
// bias, then kernel-vs-input size. `padding: 'same' | 'valid'` follows _convolution_mode.
import { type Tensor, formatShape } from '../tensor.ts';
import { runtimeError } from '../python/index.ts';
import { defineOp, runOp } from './registry.ts';

export interface ConvAttrs {
  /** 1, 2 or 3: which conv{N}d the user called (for messages and batchify). */
  spatial: number;
  stride: readonly number[];
  padding: readonly number[] | 'same' | 'valid';
  dilation: readonly number[];
  groups: number;
  transposed: boolean;
  outputPadding: readonly number[];
}

/** expand_param_if_needed: a 1-element list repeats; otherwise the length must match the dims. */
function expandParam(values: readonly number[], name: string, dims: number): number[] {
  if (values.length === 1) return new Array<number>(dims).fill(values[0]!);
  if (values.length !== dims) {
    throw runtimeError(`expected ${name} to be a single integer value or a list of ${dims} values to match the convolution dimensions, but got ${name}=${formatShape(values)}`);
  }
  return [...values];
}

function convRule(input: Tensor, weight: Tensor, bias: Tensor | undefined, a: ConvAttrs): number[] {
  const fn = `conv${a.transposed ? '_transpose' : ''}${a.spatial}d`;
  // batchify: N+1 dims is one unbatched sample.
  const unbatchedRank = a.spatial + 1;
  if (input.ndim !== unbatchedRank && input.ndim !== unbatchedRank + 1) {
    throw runtimeError(`Expected ${unbatchedRank}D (unbatched) or ${unbatchedRank + 1}D (batched) input to ${fn}, but got input of size: ${formatShape(input.shape)}`);
  }
  const batched = input.ndim === unbatchedRank + 1;
  const x = batched ? input.shape : [1, ...input.shape];
  const w = weight.shape;
  const dims = weight.ndim - 2;
  if (dims <= 0) throw runtimeError('weight should have at least three dimensions');
  const stride = expandParam(a.stride, 'stride', dims);
  const dilation = expandParam(a.dilation, 'dilation', dims);
  const outputPadding = expandParam(a.outputPadding, 'output_padding', dims);
  let padding: number[];
  if (a.padding === 'valid') padding = new Array<number>(dims).fill(0);
  else if (a.padding === 'same') {
    if (stride.some((s) => s !== 1)) throw runtimeError("padding='same' is not supported for strided convolutions");
    // The total padding is split evenly (extra on the right); shapes come out equal to the input's.
    padding = dilation.map((d, i) => Math.floor((d * (w[i + 2]! - 1)) / 2));
  } else padding = expandParam(a.padding, 'padding', dims);

  if (padding.some((p) => p < 0)) throw runtimeError('negative padding is not supported');
  if (outputPadding.some((p) => p < 0)) throw runtimeError('negative output_padding is not supported');
  if (stride.some((s) => s <= 0)) throw runtimeError('non-positive stride is not supported');
  if (dilation.some((d) => d <= 0)) throw runtimeError(`dilation should be greater than zero, but got ${formatShape(dilation)}`);
  if (a.groups <= 0) throw runtimeError('non-positive groups is not supported');

  if (w.length !== x.length) {
    throw runtimeError(`Expected ${w.length}-dimensional input for ${w.length}-dimensional weight ${formatShape(w)}, but got ${x.length}-dimensional input of size ${formatShape(x)} instead`);
  }
  if (w[0]! < a.groups) {
    throw runtimeError(`Given groups=${a.groups}, expected weight to be at least ${a.groups} at dimension 0, but got weight of size ${formatShape(w)} instead`);
  }
  if (w[0]! % a.groups !== 0) {
    throw runtimeError(`Given groups=${a.groups}, expected weight to be divisible by ${a.groups} at dimension 0, but got weight of size [${formatShape(w)}] instead`);
  }

  if (!a.transposed) {
    if (x[1] !== w[1]! * a.groups) {
      throw runtimeError(`Given groups=${a.groups}, weight of size ${formatShape(w)}, expected input${formatShape(x)} to have ${w[1]! * a.groups} channels, but got ${x[1]} channels instead`);
    }
    if (bias && (bias.ndim !== 1 || bias.shape[0] !== w[0])) {
      throw runtimeError(`Given weight of size ${formatShape(w)}, expected bias to be 1-dimensional with ${w[0]} elements, but got bias of size ${formatShape(bias.shape)} instead`);
    }
    const padded = x.slice(2).map((s, i) => s + 2 * padding[i]!);
    const kernel = w.slice(2).map((k, i) => dilation[i]! * (k - 1) + 1);
    if (padded.some((p, i) => p < kernel[i]!)) {
      throw runtimeError(`Calculated padded input size per channel: (${padded.join(' x ')}). Kernel size: (${kernel.join(' x ')}). Kernel size can't be greater than actual input size`);
    }
    if (input.dtype !== weight.dtype) {
      throw runtimeError(`expected scalar type ${input.dtype.scalarTypeName} but found ${weight.dtype.scalarTypeName}`);
    }
    const spatial = a.padding === 'same' ? x.slice(2) : padded.map((p, i) => Math.floor((p - kernel[i]!) / stride[i]!) + 1);
    const out = [x[0]!, w[0]!, ...spatial];
    return batched ? out : out.slice(1);
  }

  if (x[1] !== w[0]) {
    throw runtimeError(`Given transposed=1, weight of size ${formatShape(w)}, expected input${formatShape(x)} to have ${w[0]} channels, but got ${x[1]} channels instead`);
  }
  if (bias && (bias.ndim !== 1 || bias.shape[0] !== w[1]! * a.groups)) {
    throw runtimeError(`Given transposed=1, weight of size ${formatShape(w)}, expected bias to be 1-dimensional with ${w[1]! * a.groups} elements, but got bias of size ${formatShape(bias.shape)} instead`);
  }
  if (input.dtype !== weight.dtype) {
    throw runtimeError(`expected scalar type ${input.dtype.scalarTypeName} but found ${weight.dtype.scalarTypeName}`);
  }
  // The transposed kernels name each spatial dim (depth/height/width) and treat 1-d as 2-d.
  const names = dims === 3 ? ['depth', 'height', 'width'] : ['height', 'width'];
  const as2d = (v: number[], fill: number): number[] => (dims === 1 ? [fill, ...v] : v);
  if (outputPadding.some((p, i) => p >= stride[i]! && p >= dilation[i]!)) {
    const op = as2d(outputPadding, 0);
    const st = as2d(stride, 1);
    const dl = as2d(dilation, 1);
    const part = (label: string, v: number[]): string => names.map((n, i) => `${label}_${n}: ${v[i]}`).join(' ');
    throw runtimeError(`output padding must be smaller than either stride or dilation, but got ${part('output_padding', op)} ${part('stride', st)} ${part('dilation', dl)}`);
  }
  const spatial = x.slice(2).map((s, i) => (s - 1) * stride[i]! - 2 * padding[i]! + dilation[i]! * (w[i + 2]! - 1) + outputPadding[i]! + 1);
  if (spatial.some((s) => s < 1)) {
    const inSizes = as2d(x.slice(2), 1);
    const outSizes = as2d(spatial, 1);
    throw runtimeError(`Given input size per channel: (${inSizes.join(' x ')}). Calculated output size per channel: (${outSizes.join(' x ')}). Output size is too small`);
  }
  const out = [x[0]!, w[1]! * a.groups, ...spatial];
  return batched ? out : out.slice(1);
}

const convOp = defineOp<ConvAttrs>('convolution', ([input, weight, bias], a) =>
  ({ shape: convRule(input!, weight!, bias, a), dtype: input!.dtype }));

export const convolution = (input: Tensor, weight: Tensor, bias: Tensor | null, attrs: ConvAttrs): Tensor =>
  runOp(convOp, bias ? [input, weight, bias] : [input, weight], attrs);

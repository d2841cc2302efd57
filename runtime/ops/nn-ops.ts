// Shape rules of the remaining torch.nn.functional natives: padding, upsampling, pixel and
// channel shuffles, im2col/col2im (unfold/fold), grid sampling, one_hot, glu, prelu and the
// distance functions. Messages are ATen 1.13's.
import { int64 } from '../dtype.ts';
import { type Tensor, formatShape } from '../tensor.ts';
import { notImplementedError, runtimeError } from '../python/index.ts';
import { broadcastShapes } from './broadcast.ts';
import { normalizeDim } from './dims.ts';
import { defineOp, runOp } from './registry.ts';
import { checkNonNegative } from './shape-ops.ts';

// ------------------------------------------------------------------ padding

export type PadMode = 'constant' | 'reflect' | 'replicate' | 'circular';

/** Output shape of padding the last dims: `pad` is (left, right) pairs starting from the last dim. */
function padRule(shape: readonly number[], pad: readonly number[], mode: PadMode, legacyName: string): number[] {
  const out = [...shape];
  const pairs = pad.length / 2;
  if (mode === 'constant') {
    // constant_pad_nd narrows for negative pads first, left then right, dim by dim.
    for (let k = 0; k < pairs; k++) {
      const d = shape.length - 1 - k;
      const left = pad[2 * k]!;
      const right = pad[2 * k + 1]!;
      let size = out[d]!;
      if (left < 0) {
        const start = -left;
        const length = size + left;
        if (start > size || length < 0) throw runtimeError(`start (${start}) + length (${length}) exceeds dimension size (${size}).`);
        size = length;
      }
      if (right < 0) {
        const length = size + right;
        if (length < 0) throw runtimeError(`start (0) + length (${length}) exceeds dimension size (${size}).`);
        size = length;
      }
      out[d] = out[d]! + left + right;
    }
    checkNonNegative(out);
    return out;
  }
  // reflect / replicate / circular: only 1-3 padded dims on (batched) inputs.
  const n = pairs;
  const ok = (n === 1 && (shape.length === 2 || shape.length === 3)) || (n === 2 && (shape.length === 3 || shape.length === 4))
    || (n === 3 && (shape.length === 4 || shape.length === 5));
  if (!ok) throw notImplementedError('Only 2D, 3D, 4D, 5D padding with non-constant padding are supported for now');
  const batched = shape.length === n + 2;
  if (mode === 'reflect' && n === 1 && shape.slice(batched ? 1 : 0, -1).some((s) => s === 0)) {
    throw runtimeError(`2D or 3D (batch mode) tensor expected for input, but got: [ ${legacyName}{${shape.join(',')}} ]`);
  }
  for (let k = 0; k < n; k++) {
    const d = shape.length - 1 - k;
    const left = pad[2 * k]!;
    const right = pad[2 * k + 1]!;
    const size = shape[d]!;
    if (mode === 'reflect' && (left >= size || right >= size)) {
      const where = n === 2 ? `${size}` : formatShape(shape);
      throw runtimeError(`Argument #4: Padding size should be less than the corresponding input dimension, but got: padding (${left}, ${right}) at dimension ${d} of input ${where}`);
    }
    if (mode === 'circular' && (left > size || right > size)) throw runtimeError('Padding value causes wrapping around more than once.');
    out[d] = size + left + right;
  }
  checkNonNegative(out);
  return out;
}

const padOp = defineOp<{ pad: readonly number[]; mode: PadMode; value: number | null }>('pad', ([t], a) => {
  if (a.pad.length % 2 !== 0) throw runtimeError('Padding length must be divisible by 2');
  if (a.pad.length > t!.ndim * 2) throw runtimeError('Padding length too large');
  if (a.mode !== 'constant' && a.value !== null && a.value !== 0) {
    throw runtimeError(`Padding mode "${a.mode}" doesn't take in value argument`);
  }
  return { shape: padRule(t!.shape, a.pad, a.mode, t!.dtype.legacyTypeName), dtype: t!.dtype };
});
/** torch._C._nn.pad(input, pad, mode, value). */
export const pad = (t: Tensor, padding: readonly number[], mode: PadMode, value: number | null): Tensor =>
  runOp(padOp, [t], { pad: padding, mode, value });

// ------------------------------------------------------------------ upsampling

export type UpsampleMode = 'nearest' | 'nearest-exact' | 'linear' | 'bilinear' | 'bicubic' | 'trilinear' | 'area';

/**
 * upsample_*: the output spatial size is given (F.interpolate computed it from scale factors).
 * `scales` are the scale factors when the caller gave them (the kernels then map output to input
 * coordinates with 1/scale, as ATen does, rather than with input/output sizes).
 */
export interface UpsampleAttrs { outputSize: readonly number[]; mode: UpsampleMode; alignCorners: boolean | null; scales?: readonly (number | null)[] | null }
const upsampleOp = defineOp<UpsampleAttrs>('upsample', ([t], a) => {
  const n = a.outputSize.length;
  a.outputSize.forEach((s) => {
    if (s <= 0) {
      throw runtimeError(`Input and output sizes should be greater than 0, but got input (${t!.shape.slice(2).map((x, i) => `${['D', 'H', 'W'].slice(-n)[i]}: ${x}`).join(', ')}) output (${a.outputSize.join(', ')})`);
    }
  });
  return { shape: [...t!.shape.slice(0, t!.ndim - n), ...a.outputSize], dtype: t!.dtype };
});
export const upsample = (t: Tensor, outputSize: readonly number[], mode: UpsampleMode, alignCorners: boolean | null, scales: readonly (number | null)[] | null = null): Tensor =>
  runOp(upsampleOp, [t], { outputSize, mode, alignCorners, scales });

// ------------------------------------------------------------------ shuffles

const pixelShuffleOp = defineOp<{ factor: number; inverse: boolean }>('pixel_shuffle', ([t], { factor, inverse }) => {
  const name = inverse ? 'pixel_unshuffle' : 'pixel_shuffle';
  if (t!.ndim < 3) throw runtimeError(`${name} expects input to have at least 3 dimensions, but got input with ${t!.ndim} dimension(s)`);
  const [c, h, w] = t!.shape.slice(-3) as [number, number, number];
  const lead = t!.shape.slice(0, -3);
  if (factor <= 0) throw runtimeError(`${name} expects a positive ${inverse ? 'downscale_factor' : 'upscale_factor'}, but got ${factor}`);
  if (!inverse) {
    if (c % (factor * factor) !== 0) {
      throw runtimeError(`pixel_shuffle expects its input's 'channel' dimension to be divisible by the square of upscale_factor, but input.size(-3)=${c} is not divisible by ${factor * factor}`);
    }
    return { shape: [...lead, c / (factor * factor), h * factor, w * factor], dtype: t!.dtype };
  }
  if (h % factor !== 0) throw runtimeError(`pixel_unshuffle expects height to be divisible by downscale_factor, but input.size(-2)=${h} is not divisible by ${factor}`);
  if (w % factor !== 0) throw runtimeError(`pixel_unshuffle expects width to be divisible by downscale_factor, but input.size(-1)=${w} is not divisible by ${factor}`);
  return { shape: [...lead, c * factor * factor, h / factor, w / factor], dtype: t!.dtype };
});
export const pixelShuffle = (t: Tensor, factor: number, inverse = false): Tensor => runOp(pixelShuffleOp, [t], { factor, inverse });

const channelShuffleOp = defineOp<{ groups: number }>('channel_shuffle', ([t], { groups }) => {
  if (t!.ndim <= 2) throw runtimeError(`channel_shuffle expects input with > 2 dims, but got input with sizes ${formatShape(t!.shape)}`);
  if (groups <= 0) throw runtimeError(`Number of groups to divide channels in must be positive. Value of groups:${groups}`);
  const c = t!.shape[1]!;
  if (c % groups !== 0) throw runtimeError(`Number of channels must be divisible by groups. Got ${c} channels and ${groups} groups.`);
  return { shape: t!.shape, dtype: t!.dtype };
});
export const channelShuffle = (t: Tensor, groups: number): Tensor => runOp(channelShuffleOp, [t], { groups });

// ------------------------------------------------------------------ im2col / col2im

export interface Im2ColAttrs { kernel: readonly number[]; dilation: readonly number[]; padding: readonly number[]; stride: readonly number[] }

function checkPositive(name: string, values: readonly number[], messageName = name): void {
  if (values.some((v) => v <= 0)) throw runtimeError(`${messageName} should be greater than zero, but got ${name}_height: ${values[0]} ${name}_width: ${values[1]}`);
}

const im2colOp = defineOp<Im2ColAttrs>('im2col', ([t], a) => {
  checkPositive('kernel', a.kernel, 'kernel size');
  checkPositive('dilation', a.dilation);
  checkPositive('stride', a.stride);
  if (!(t!.ndim === 3 || t!.ndim === 4) || t!.shape.slice(t!.ndim - 3).some((s, i) => s === 0 && i > 0)) {
    throw runtimeError(`Expected 3D or 4D (batch mode) tensor for input with possibly 0 batch size and non-zero dimensions for input, but got: ${formatShape(t!.shape)}`);
  }
  const [c, h, w] = t!.shape.slice(-3) as [number, number, number];
  const blocks = [h, w].map((s, i) => Math.floor((s + 2 * a.padding[i]! - (a.dilation[i]! * (a.kernel[i]! - 1) + 1)) / a.stride[i]!) + 1);
  if (blocks.some((b) => b < 1)) {
    throw runtimeError(`Given input with spatial size (${h}, ${w}), kernel_size=(${a.kernel.join(', ')}), dilation=(${a.dilation.join(', ')}), padding=(${a.padding.join(', ')}), calculated shape of the array of sliding blocks as (${blocks.join(', ')}), but its components must be at least one.`);
  }
  const out = [c * a.kernel[0]! * a.kernel[1]!, blocks[0]! * blocks[1]!];
  return { shape: t!.ndim === 4 ? [t!.shape[0]!, ...out] : out, dtype: t!.dtype };
});
/** F.unfold: sliding blocks of a (batched) image as columns. */
export const im2col = (t: Tensor, attrs: Im2ColAttrs): Tensor => runOp(im2colOp, [t], attrs);

const col2imOp = defineOp<Im2ColAttrs & { outputSize: readonly number[] }>('col2im', ([t], a) => {
  checkPositive('kernel', a.kernel, 'kernel size');
  checkPositive('dilation', a.dilation);
  checkPositive('stride', a.stride);
  if (!(t!.ndim === 2 || t!.ndim === 3) || t!.shape.slice(t!.ndim - 2).some((s) => s === 0)) {
    throw runtimeError(`Expected 2D or 3D (batch mode) tensor for input with possibly 0 batch size and non-zero dimensions for input, but got: ${formatShape(t!.shape)}`);
  }
  const [cols, count] = t!.shape.slice(-2) as [number, number];
  const kernelProduct = a.kernel[0]! * a.kernel[1]!;
  if (cols % kernelProduct !== 0) {
    throw runtimeError(`Expected size of input's dimension 1 to be divisible by the product of kernel_size, but got input.size(1)=${cols} and kernel_size=(${a.kernel.join(', ')}).`);
  }
  const blocks = a.outputSize.map((s, i) => Math.floor((s + 2 * a.padding[i]! - (a.dilation[i]! * (a.kernel[i]! - 1) + 1)) / a.stride[i]!) + 1);
  if (blocks[0]! * blocks[1]! !== count) {
    throw runtimeError(`Given output_size=(${a.outputSize.join(', ')}), kernel_size=(${a.kernel.join(', ')}), dilation=(${a.dilation.join(', ')}), padding=(${a.padding.join(', ')}), stride=(${a.stride.join(', ')}), expected size of input's dimension 2 to match the calculated number of sliding blocks ${blocks[0]} * ${blocks[1]} = ${blocks[0]! * blocks[1]!}, but got input.size(2)=${count}.`);
  }
  const out = [cols / kernelProduct, ...a.outputSize];
  return { shape: t!.ndim === 3 ? [t!.shape[0]!, ...out] : out, dtype: t!.dtype };
});
/** F.fold: columns summed back into an image. */
export const col2im = (t: Tensor, attrs: Im2ColAttrs & { outputSize: readonly number[] }): Tensor => runOp(col2imOp, [t], attrs);

// ------------------------------------------------------------------ grids

const gridSampleOp = defineOp<{ mode: number; paddingMode: number; alignCorners: boolean }>('grid_sampler', ([input, grid]) => {
  const spatial = input!.ndim - 2;
  if (grid!.ndim !== input!.ndim) {
    throw runtimeError(`grid_sampler(): expected grid to have same number of dimensions as input, but got grid with sizes ${formatShape(grid!.shape)}`);
  }
  if (input!.shape[0] !== grid!.shape[0]) {
    throw runtimeError(`grid_sampler(): expected grid and input to have same batch size, but got input with sizes ${formatShape(input!.shape)} and grid with sizes ${formatShape(grid!.shape)}`);
  }
  if (grid!.shape[grid!.ndim - 1] !== spatial) {
    throw runtimeError(`grid_sampler(): expected grid to have size ${spatial} in last dimension, but got grid with sizes ${formatShape(grid!.shape)}`);
  }
  return { shape: [input!.shape[0]!, input!.shape[1]!, ...grid!.shape.slice(1, -1)], dtype: input!.dtype };
});
export const gridSample = (input: Tensor, grid: Tensor, mode: number, paddingMode: number, alignCorners: boolean): Tensor =>
  runOp(gridSampleOp, [input, grid], { mode, paddingMode, alignCorners });

const affineGridOp = defineOp<{ size: readonly number[]; alignCorners?: boolean }>('affine_grid_generator', ([theta], { size }) => {
  const spatial = size.length - 2;
  const n = size[0]!;
  // The grid is base_grid [N, points, spatial+1] @ theta^T: bmm's batch check applies.
  if (theta!.shape[0] !== n || theta!.shape[2] !== spatial + 1) {
    throw runtimeError(`Expected size for first two dimensions of batch2 tensor to be: [${n}, ${spatial + 1}] but got: [${theta!.shape[0]}, ${theta!.shape[2]}].`);
  }
  return { shape: [n, ...size.slice(2), spatial], dtype: theta!.dtype };
});
export const affineGrid = (theta: Tensor, size: readonly number[], alignCorners = false): Tensor => runOp(affineGridOp, [theta], { size, alignCorners });

/**
 * embedding_bag's pooled output: one row per bag. Inputs: [weight, indices?, offsets?,
 * per_sample_weights?] (the kernel needs indices and offsets; a 2-D `indices` is one bag per row).
 */
export interface EmbeddingBagAttrs { bags: number; mode?: number; includeLastOffset?: boolean; paddingIdx?: number | null; hasPerSampleWeights?: boolean }
const embeddingBagOp = defineOp<EmbeddingBagAttrs>('embedding_bag', ([weight], { bags }) => ({ shape: [bags, weight!.shape[1]!], dtype: weight!.dtype }));
export const embeddingBag = (weight: Tensor, bags: number, indices: Tensor | null = null, offsets: Tensor | null = null,
  perSampleWeights: Tensor | null = null, attrs: Omit<EmbeddingBagAttrs, 'bags' | 'hasPerSampleWeights'> = {}): Tensor =>
  runOp(embeddingBagOp, [weight, ...(indices ? [indices] : []), ...(offsets ? [offsets] : []), ...(perSampleWeights ? [perSampleWeights] : [])],
    { bags, ...attrs, hasPerSampleWeights: perSampleWeights !== null });

// ------------------------------------------------------------------ misc

const oneHotOp = defineOp<{ numClasses: number }>('one_hot', ([t], { numClasses }) => {
  if (t!.dtype !== int64) throw runtimeError('one_hot is only applicable to index tensor.');
  return { shape: [...t!.shape, numClasses], dtype: int64 };
}, { differentiable: false });
/** F.one_hot with a known num_classes (-1 means "max + 1", which needs values). */
export const oneHot = (t: Tensor, numClasses: number): Tensor => runOp(oneHotOp, [t], { numClasses });

const gluOp = defineOp<{ dim: number }>('glu', ([t], { dim }) => {
  const d = normalizeDim(dim, t!.ndim);
  const size = t!.shape[d]!;
  if (size % 2 !== 0) throw runtimeError(`Halving dimension must be even, but dimension ${d} is size ${size}`);
  return { shape: t!.shape.map((s, i) => (i === d ? s / 2 : s)), dtype: t!.dtype };
});
export const glu = (t: Tensor, dim: number): Tensor => runOp(gluOp, [t], { dim });

const preluOp = defineOp<Record<string, never>>('prelu', ([input, weight]) => {
  const n = weight!.numel();
  if (n !== 1) {
    const channels = input!.ndim >= 2 ? input!.shape[1]! : 1;
    if (weight!.ndim !== 1 || n !== channels) {
      throw runtimeError(`Mismatch of parameter numbers and input channel size. Found parameter numbers = ${n} and channel size = ${channels}.`);
    }
  }
  return { shape: input!.shape, dtype: input!.dtype };
});
export const prelu = (input: Tensor, weight: Tensor): Tensor => runOp(preluOp, [input, weight], {});

/** cosine_similarity: broadcast x1 and x2, then reduce `dim`. */
const cosineOp = defineOp<{ dim: number; eps?: number }>('cosine_similarity', ([a, b], { dim }) => {
  const shape = broadcastShapes(a!.shape, b!.shape);
  const d = normalizeDim(dim, shape.length);
  return { shape: shape.filter((_, i) => i !== d), dtype: a!.dtype };
});
export const cosineSimilarity = (a: Tensor, b: Tensor, dim: number, eps = 1e-8): Tensor => runOp(cosineOp, [a, b], { dim, eps });

/** pairwise_distance: the p-norm of (x1 - x2 + eps) over the last dim. */
const pairwiseOp = defineOp<{ keepdim: boolean; p?: number; eps?: number }>('pairwise_distance', ([a, b], { keepdim }) => {
  const shape = broadcastShapes(a!.shape, b!.shape);
  const d = Math.max(a!.ndim, b!.ndim) - 1;
  if (shape.length === 0) return { shape: [], dtype: a!.dtype };
  return { shape: keepdim ? shape.map((s, i) => (i === d ? 1 : s)) : shape.filter((_, i) => i !== d), dtype: a!.dtype };
});
export const pairwiseDistance = (a: Tensor, b: Tensor, keepdim: boolean, p = 2, eps = 1e-6): Tensor => runOp(pairwiseOp, [a, b], { keepdim, p, eps });

/** pdist/cdist: `p` of the p-norm (2 when absent). */
const pdistOp = defineOp<{ p?: number }>('pdist', ([t]) => {
  if (t!.ndim !== 2) throw runtimeError(`pdist only supports 2D tensors, got: ${t!.ndim}D`);
  const n = t!.shape[0]!;
  return { shape: [n * (n - 1) / 2], dtype: t!.dtype };
});
export const pdist = (t: Tensor, p = 2): Tensor => runOp(pdistOp, [t], { p });

const cdistOp = defineOp<{ p?: number }>('cdist', ([a, b]) => {
  if (a!.ndim < 2) throw runtimeError(`cdist only supports at least 2D tensors, X1 got: ${a!.ndim}D`);
  if (b!.ndim < 2) throw runtimeError(`cdist only supports at least 2D tensors, X2 got: ${b!.ndim}D`);
  const c1 = a!.shape[a!.ndim - 1]!;
  const c2 = b!.shape[b!.ndim - 1]!;
  if (c1 !== c2) throw runtimeError(`X1 and X2 must have the same number of columns. X1: ${c1} X2: ${c2}`);
  const batch = broadcastShapes(a!.shape.slice(0, -2), b!.shape.slice(0, -2));
  return { shape: [...batch, a!.shape[a!.ndim - 2]!, b!.shape[b!.ndim - 2]!], dtype: a!.dtype };
});
export const cdist = (a: Tensor, b: Tensor, p = 2): Tensor => runOp(cdistOp, [a, b], { p });


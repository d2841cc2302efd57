// torch.* and torch._C._nn.* builtins behind torch.nn.functional: convolutions, pooling,
// normalization, padding, upsampling, shuffles, unfold/fold, grid sampling, one_hot, distances
// and the native losses (whose `reduction` is an enum: 0 none, 1 mean, 2 sum).
import { int64 } from '../../dtype.ts';
import { Tensor } from '../../tensor.ts';
import { NeedsValuesError, PyTuple, notImplementedError, runtimeError } from '../../python/index.ts';
import { isGradEnabled } from '../../ops/grad-mode.ts';
import { convolution } from '../../ops/conv.ts';
import * as pool from '../../ops/pool.ts';
import * as norm from '../../ops/norm.ts';
import * as nn from '../../ops/nn-ops.ts';
import * as loss from '../../ops/loss.ts';
import { squeeze, unsqueeze } from '../../ops/shape-ops.ts';
import { binary } from '../../ops/elementwise.ts';
import { amax } from '../../ops/reduce.ts';
import { embedding, embeddingRenormInplace } from '../../ops/index-ops.ts';
import type { ParsedArgs } from '../arg-parser.ts';
import { defNative } from '../registry.ts';

const input = (a: ParsedArgs): Tensor => a.tensor('input');
const minimum = (a: Tensor, b: Tensor): Tensor => binary.minimum!(a, b);

// ------------------------------------------------------------------ convolution

for (const spatial of [1, 2, 3]) {
  defNative('torch', `conv${spatial}d`, (a) => {
    const padding = a.raw('padding');
    if (typeof padding === 'string' && padding !== 'same' && padding !== 'valid') throw runtimeError(`Invalid padding string: '${padding}'`);
    return convolution(input(a), a.tensor('weight'), a.optTensor('bias'), {
      spatial, stride: a.intList('stride'), padding: typeof padding === 'string' ? (padding as 'same' | 'valid') : a.intList('padding'),
      dilation: a.intList('dilation'), groups: a.int('groups'), transposed: false, outputPadding: [0],
    });
  });
  defNative('torch', `conv_transpose${spatial}d`, (a) => convolution(input(a), a.tensor('weight'), a.optTensor('bias'), {
    spatial, stride: a.intList('stride'), padding: a.intList('padding'), dilation: a.intList('dilation'),
    groups: a.int('groups'), transposed: true, outputPadding: a.intList('output_padding'),
  }));
}

// ------------------------------------------------------------------ pooling

const poolAttrs = (a: ParsedArgs, spatial: 2 | 3): pool.PoolAttrs => ({
  spatial, kernel: a.intList('kernel_size'), stride: a.optIntList('stride') ?? [], padding: a.intList('padding'),
  dilation: a.has('dilation') ? a.intList('dilation') : [1], ceilMode: a.bool('ceil_mode'),
  divisorOverride: a.has('divisor_override') ? a.optInt('divisor_override') : null,
  countIncludePad: a.has('count_include_pad') ? a.bool('count_include_pad') : true,
});
const pairOf = ([v, i]: [Tensor, Tensor]): PyTuple => new PyTuple([v, i]);

defNative('torch', 'max_pool2d', (a) => pool.maxPoolWithIndices(input(a), poolAttrs(a, 2))[0]);
defNative('torch', 'max_pool3d', (a) => pool.maxPoolWithIndices(input(a), poolAttrs(a, 3))[0]);
defNative('nn', 'max_pool2d_with_indices', (a) => pairOf(pool.maxPoolWithIndices(input(a), poolAttrs(a, 2))));
defNative('nn', 'max_pool3d_with_indices', (a) => pairOf(pool.maxPoolWithIndices(input(a), poolAttrs(a, 3))));
defNative('nn', 'avg_pool2d', (a) => pool.avgPool(input(a), poolAttrs(a, 2)));
defNative('nn', 'avg_pool3d', (a) => pool.avgPool(input(a), poolAttrs(a, 3)));

/** 1-D max pooling runs as 2-D on an unsqueezed input (the path torch takes when grads are needed). */
function maxPool1dWithIndices(a: ParsedArgs): [Tensor, Tensor] {
  const t = input(a);
  const k = a.intList('kernel_size');
  const stride = a.optIntList('stride') ?? [];
  const [v, i] = pool.maxPoolWithIndices(unsqueeze(t, -2), {
    spatial: 2, kernel: [1, k[0]!], stride: [1, (stride.length ? stride : k)[0]!], padding: [0, a.intList('padding')[0]!],
    dilation: [1, a.intList('dilation')[0]!], ceilMode: a.bool('ceil_mode'),
  });
  return [squeeze(v, -2), squeeze(i, -2)];
}
defNative('torch', 'max_pool1d_with_indices', (a) => pairOf(maxPool1dWithIndices(a)));
defNative('torch', 'max_pool1d', (a) => {
  const t = input(a);
  if (t.requiresGrad && isGradEnabled()) return maxPool1dWithIndices(a)[0];
  // The gradient-free CPU kernel has its own checks, and allows an empty output.
  if (t.ndim !== 2 && t.ndim !== 3) {
    throw runtimeError(`max_pool1d: Expected 2D or 3D (batch mode) tensor with optional 0 dim batch size for input, but got:${`[${t.shape.join(', ')}]`}`);
  }
  const [k, s, p, d] = ['kernel_size', 'stride', 'padding', 'dilation'].map((n) => a.optIntList(n) ?? []) as [number[], number[], number[], number[]];
  if (k.length !== 1) throw runtimeError(`max_pool1d() kernel_size must be an int, list of ints or tuple of ints of size 1 but got size ${k.length}`);
  if (s.length > 1) throw runtimeError(`max_pool1d() stride must be None, an int, list of ints, or tuple of ints of size 1 but got size ${s.length}`);
  if (p.length !== 1) throw runtimeError(`max_pool1d() padding must be an int, list of ints, or tuple of ints of size 1 but got size ${p.length}`);
  if (d.length !== 1) throw runtimeError(`max_pool1d() dilation must be an int, list of ints or tuple of ints of size 1 but got size ${d.length}`);
  const stride = s.length ? s[0]! : k[0]!;
  if (k[0]! <= 0) throw runtimeError(`max_pool1d() kernel_size must be greater than zero, but got ${k[0]}`);
  if (stride <= 0) throw runtimeError(`max_pool1d() stride must be greater than zero, but got ${stride}`);
  if (p[0]! < 0) throw runtimeError(`max_pool1d() padding must be non-negative, but got ${p[0]}`);
  if (p[0]! > k[0]! / 2) throw runtimeError(`max_pool1d() padding should be at most half of kernel size, but got padding=${p[0]} and kernel_size=${k[0]}`);
  if (d[0]! <= 0) throw runtimeError(`max_pool1d() dilation must be greater than zero, but got ${d[0]}`);
  const out = pool.poolingOutputSize(t.shape[t.ndim - 1]!, k[0]!, p[0]!, stride, d[0]!, a.bool('ceil_mode'));
  if (out < 0) throw runtimeError(`max_pool1d() Invalid computed output size: ${out}`);
  return pool.maxPool1dNoIndices(t, out, { kernel: k[0]!, stride, padding: p[0]!, dilation: d[0]! });
});
defNative('torch', 'avg_pool1d', (a) => {
  const t = input(a);
  pool.checkDimRange('avg_pool1d', t, 2, 4);
  const k = a.intList('kernel_size');
  pool.check1d('avg_pool1d', 'kernel_size', k);
  const s = a.optIntList('stride') ?? [];
  if (s.length > 0) pool.check1d('avg_pool1d', 'stride', s);
  pool.check1d('avg_pool1d', 'padding', a.intList('padding'));
  const out = pool.avgPool(unsqueeze(t, -2), {
    spatial: 2, kernel: [1, k[0]!], stride: [1, (s.length ? s : k)[0]!], padding: [0, a.intList('padding')[0]!], dilation: [1, 1],
    ceilMode: a.bool('ceil_mode'), countIncludePad: a.has('count_include_pad') ? a.bool('count_include_pad') : true,
  });
  return squeeze(out, -2);
});

defNative('nn', 'adaptive_avg_pool2d', (a) => pool.adaptiveAvgPool(input(a), 2, a.intList('output_size')));
defNative('nn', 'adaptive_avg_pool3d', (a) => pool.adaptiveAvgPool(input(a), 3, a.intList('output_size')));
defNative('nn', 'adaptive_max_pool2d', (a) => pairOf(pool.adaptiveMaxPool(input(a), 2, a.intList('output_size'))));
defNative('nn', 'adaptive_max_pool3d', (a) => pairOf(pool.adaptiveMaxPool(input(a), 3, a.intList('output_size'))));
defNative('torch', 'adaptive_avg_pool1d', (a) => {
  const t = input(a);
  pool.checkDimRange('adaptive_avg_pool1d', t, 2, 4);
  pool.check1d('adaptive_avg_pool1d', 'output_size', a.intList('output_size'));
  return squeeze(pool.adaptiveAvgPool(unsqueeze(t, -2), 2, [1, a.intList('output_size')[0]!]), -2);
});
defNative('torch', 'adaptive_max_pool1d', (a) => {
  const t = input(a);
  pool.checkDimRange('adaptive_max_pool1d', t, 2, 4);
  pool.check1d('adaptive_max_pool1d', 'output_size', a.intList('output_size'));
  const [v, i] = pool.adaptiveMaxPool(unsqueeze(t, -2), 2, [1, a.intList('output_size')[0]!]);
  return new PyTuple([squeeze(v, -2), squeeze(i, -2)]);
});

// ------------------------------------------------------------------ normalization

defNative('torch', 'batch_norm', (a) => norm.batchNorm(input(a), a.optTensor('weight'), a.optTensor('bias'), a.optTensor('running_mean'), a.optTensor('running_var'), a.bool('training'),
  a.float('momentum'), a.float('eps')));
defNative('torch', 'layer_norm', (a) => norm.layerNorm(input(a), a.intList('normalized_shape'), a.optTensor('weight'), a.optTensor('bias'), a.float('eps')));
defNative('torch', 'group_norm', (a) => norm.groupNorm(input(a), a.int('num_groups'), a.optTensor('weight'), a.optTensor('bias'), a.float('eps')));
defNative('torch', 'instance_norm', (a) => norm.instanceNorm(input(a), a.optTensor('weight'), a.optTensor('bias'), a.optTensor('running_mean'), a.optTensor('running_var'), a.bool('use_input_stats'),
  a.float('momentum'), a.float('eps')));

// ------------------------------------------------------------------ padding, resampling, shuffles

defNative('nn', 'pad', (a) => {
  const mode = a.string('mode');
  if (mode !== 'constant' && mode !== 'reflect' && mode !== 'replicate' && mode !== 'circular') {
    throw notImplementedError(`Unrecognised padding mode ${mode}`);
  }
  return nn.pad(input(a), a.intList('pad'), mode, a.optFloat('value'));
});
for (const [name, mode] of [['upsample_nearest1d', 'nearest'], ['upsample_nearest2d', 'nearest'], ['upsample_nearest3d', 'nearest'],
  ['_upsample_nearest_exact1d', 'nearest-exact'], ['_upsample_nearest_exact2d', 'nearest-exact'], ['_upsample_nearest_exact3d', 'nearest-exact'],
  ['upsample_linear1d', 'linear'], ['upsample_bilinear2d', 'bilinear'], ['upsample_bicubic2d', 'bicubic'], ['upsample_trilinear3d', 'trilinear']] as const) {
  defNative('nn', name, (a) => {
    const t = input(a);
    const spatial = Number(name.match(/(\d)d$/)![1]);
    let size = a.optIntList('output_size');
    const scales = a.has('scale_factors') ? a.floatList('scale_factors') : null;
    // The overloads with one scale per dim (`scales_h`, `scales_w`, ...) pass them separately.
    const perDim = ['scales_d', 'scales_h', 'scales_w', 'scales'].filter((n) => a.has(n)).map((n) => a.optFloat(n));
    if (size && scales) throw runtimeError('Must specify exactly one of output_size and scale_factors');
    if (!size) {
      if (!scales) throw runtimeError('Must specify exactly one of output_size and scale_factors');
      // ATen: output = floor(input_size * scale) per spatial dim.
      size = t.shape.slice(t.ndim - spatial).map((s, i) => Math.floor(s * scales[i]!));
    }
    return nn.upsample(t, size, mode, a.has('align_corners') ? a.bool('align_corners') : null, scales ?? (perDim.length ? perDim : null));
  });
}
defNative('torch', 'constant_pad_nd', (a) => nn.pad(input(a), a.intList('pad'), 'constant', null));
defNative('torch', 'pixel_shuffle', (a) => nn.pixelShuffle(input(a), a.int('upscale_factor')));
defNative('torch', 'pixel_unshuffle', (a) => nn.pixelShuffle(input(a), a.int('downscale_factor'), true));
defNative('torch', ['channel_shuffle', 'native_channel_shuffle'], (a) => nn.channelShuffle(input(a), a.int('groups')));
defNative('nn', 'im2col', (a) => nn.im2col(input(a), {
  kernel: a.intList('kernel_size'), dilation: a.intList('dilation'), padding: a.intList('padding'), stride: a.intList('stride'),
}));
defNative('nn', 'col2im', (a) => nn.col2im(input(a), {
  outputSize: a.intList('output_size'), kernel: a.intList('kernel_size'), dilation: a.intList('dilation'), padding: a.intList('padding'), stride: a.intList('stride'),
}));
defNative('torch', 'grid_sampler', (a) => nn.gridSample(input(a), a.tensor('grid'), a.int('interpolation_mode'), a.int('padding_mode'), a.bool('align_corners')));
defNative('torch', 'affine_grid_generator', (a) => nn.affineGrid(a.tensor('theta'), a.intList('size'), a.bool('align_corners')));
defNative('nn', 'one_hot', (a) => {
  const n = a.int('num_classes');
  const t = input(a);
  if (t.dtype !== int64) throw runtimeError('one_hot is only applicable to index tensor.');
  if (n < -1) throw runtimeError('Class values must be smaller than num_classes.');
  if (n !== -1) return nn.oneHot(t, n);
  // The class count is the maximum value + 1: it needs values.
  if (t.data === null) throw new NeedsValuesError('one_hot without num_classes (the class count is the maximum value + 1)');
  if (t.numel() === 0) throw runtimeError('Can not infer total number of classes from empty tensor.');
  const max = Number(amax(t).data![0]!);
  return nn.oneHot(t, max + 1);
});

// ------------------------------------------------------------------ distances and embedding

defNative('torch', 'cosine_similarity', (a) => nn.cosineSimilarity(a.tensor('x1'), a.tensor('x2'), a.int('dim'), a.float('eps')));
defNative('torch', 'pairwise_distance', (a) => nn.pairwiseDistance(a.tensor('x1'), a.tensor('x2'), a.bool('keepdim'), a.float('p'), a.float('eps')));
defNative('torch', 'pdist', (a) => nn.pdist(input(a), a.float('p')));
defNative('torch', 'embedding_renorm_', (a) => embeddingRenormInplace(input(a), a.tensor('indices'), a.float('max_norm'), a.float('norm_type')));
defNative('torch', 'embedding_bag', (a) => {
  const weight = a.tensor('weight');
  const indices = a.tensor('indices');
  const offsets = a.tensor('offsets');
  const bags = indices.ndim === 2 ? indices.shape[0]! : offsets.shape[0]!;
  embedding(weight, indices);
  const pooled = nn.embeddingBag(weight, bags, indices, offsets, a.optTensor('per_sample_weights'), {
    mode: a.int('mode'), includeLastOffset: a.bool('include_last_offset'), paddingIdx: a.has('padding_idx') ? a.optInt('padding_idx') : null,
  });
  return new PyTuple([pooled, offsets, offsets, offsets]);
});

// ------------------------------------------------------------------ losses

const reductionOf = (a: ParsedArgs): loss.Reduction => (['none', 'mean', 'sum'] as const)[a.int('reduction')] ?? 'mean';
/** The extra numbers of each loss builtin (torch's parameter names). */
const lossParams = (name: string, a: ParsedArgs): loss.LossParams => {
  const opt = (p: string): number | undefined => (a.has(p) ? a.optFloat(p) ?? undefined : undefined);
  switch (name) {
    case 'smooth_l1_loss': return { beta: opt('beta') };
    case 'huber_loss': return { delta: opt('delta') };
    case 'kl_div': return { logTarget: a.has('log_target') && a.bool('log_target') };
    case 'hinge_embedding_loss': case 'margin_ranking_loss': case 'cosine_embedding_loss': case 'triplet_margin_loss': return { margin: opt('margin') };
    case 'poisson_nll_loss': return { logInput: a.bool('log_input'), full: a.bool('full'), eps: opt('eps') };
    default: return {};
  }
};
/** bce's weight and bce_with_logits' pos_weight become trailing operands. */
function weightedLoss(name: string, a: ParsedArgs): Tensor {
  const weight = a.has('weight') ? a.optTensor('weight') : null;
  const posWeight = a.has('pos_weight') ? a.optTensor('pos_weight') : null;
  const operands = [input(a), a.tensor('target'), ...(weight ? [weight] : []), ...(posWeight ? [posWeight] : [])];
  return loss.elementwiseLoss(name, operands, reductionOf(a), { ...lossParams(name, a), weighted: weight !== null, posWeighted: posWeight !== null });
}
for (const name of ['mse_loss', 'l1_loss', 'smooth_l1_loss', 'huber_loss', 'soft_margin_loss', 'binary_cross_entropy']) {
  defNative('nn', name, (a) => weightedLoss(name, a));
}
defNative('torch', ['kl_div', 'binary_cross_entropy_with_logits', 'hinge_embedding_loss', 'poisson_nll_loss'], (a) => weightedLoss(a.signature.name, a));
defNative('torch', 'margin_ranking_loss', (a) => loss.elementwiseLoss('margin_ranking_loss', [a.tensor('input1'), a.tensor('input2'), a.tensor('target')], reductionOf(a),
  lossParams('margin_ranking_loss', a)));
defNative('torch', 'cosine_embedding_loss', (a) => {
  const sim = nn.cosineSimilarity(a.tensor('input1'), a.tensor('input2'), 1);
  return loss.elementwiseLoss('cosine_embedding_loss', [sim, a.tensor('target')], reductionOf(a), lossParams('cosine_embedding_loss', a));
});
defNative('torch', 'triplet_margin_loss', (a) => {
  const [p, eps] = [a.float('p'), a.float('eps')];
  const d = nn.pairwiseDistance(a.tensor('anchor'), a.tensor('positive'), false, p, eps);
  let dn = nn.pairwiseDistance(a.tensor('anchor'), a.tensor('negative'), false, p, eps);
  if (a.bool('swap')) dn = minimum(dn, nn.pairwiseDistance(a.tensor('positive'), a.tensor('negative'), false, p, eps));
  return loss.elementwiseLoss('triplet_margin_loss', [d, dn], reductionOf(a), lossParams('triplet_margin_loss', a));
});
defNative('nn', ['nll_loss_nd', 'nll_loss', 'nll_loss2d'], (a) => loss.nllLoss(input(a), a.tensor('target'), a.optTensor('weight'), reductionOf(a), a.int('ignore_index')));
defNative('nn', 'cross_entropy_loss', (a) => {
  const x = input(a);
  const target = a.tensor('target');
  const labelSmoothing = a.has('label_smoothing') ? a.float('label_smoothing') : 0;
  if (target.dtype.isFloatingPoint && target.ndim === x.ndim) return loss.softTargetCrossEntropy(x, target, reductionOf(a), a.optTensor('weight'), labelSmoothing);
  return loss.nllLoss(x, target, a.optTensor('weight'), reductionOf(a), a.int('ignore_index'), { logSoftmax: true, labelSmoothing });
});

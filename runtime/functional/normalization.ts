// torch.nn.functional normalization and embedding (Python-level parts): batch-size checks in
// training mode, padding_idx handling, local_response_norm's rank rule.
import { type BoundArgs, PyError, type PyFloat, PyTuple, type PyValue, valueError } from '../python/index.ts';
import { binary } from '../ops/elementwise.ts';
import { wrapScalar } from '../ops/scalar.ts';
import { squeeze, unsqueeze, view } from '../ops/shape-ops.ts';
import type { Tensor } from '../tensor.ts';
import { defPython } from '../torch/registry.ts';
import { TorchSize } from '../torch/objects.ts';
import { callNN, callTorch, pyAssert, tensorArg } from './call.ts';

const get = (a: BoundArgs, name: string): PyValue => a.get(name);

/** `_verify_batch_size`: batch norm needs more than one value per channel in training. */
function verifyBatchSize(size: readonly number[]): void {
  let product = size[0]!;
  for (let i = 0; i < size.length - 2; i++) product *= size[i + 2]!;
  if (product === 1) throw valueError(`Expected more than 1 value per channel when training, got input size ${new TorchSize(size).pyRepr()}`);
}

defPython('F', 'batch_norm', (a, interop) => {
  const input = tensorArg(a, 'input', 'size');
  if (get(a, 'training') === true) verifyBatchSize(input.shape);
  return callTorch('batch_norm', [input, get(a, 'weight'), get(a, 'bias'), get(a, 'running_mean'), get(a, 'running_var'),
    get(a, 'training'), get(a, 'momentum'), get(a, 'eps'), true], interop);
});

defPython('F', 'instance_norm', (a, interop) => {
  const input = tensorArg(a, 'input', 'size');
  if (get(a, 'use_input_stats') === true) {
    // `_verify_spatial_size`: statistics over a single spatial element are undefined.
    const spatial = input.shape.slice(2).reduce((x, y) => x * y, 1);
    if (spatial === 1) throw valueError(`Expected more than 1 spatial element when training, got input size ${new TorchSize(input.shape).pyRepr()}`);
  }
  return callTorch('instance_norm', [input, get(a, 'weight'), get(a, 'bias'), get(a, 'running_mean'), get(a, 'running_var'),
    get(a, 'use_input_stats'), get(a, 'momentum'), get(a, 'eps'), true], interop);
});

defPython('F', 'layer_norm', (a, interop) =>
  callTorch('layer_norm', [get(a, 'input'), get(a, 'normalized_shape'), get(a, 'weight'), get(a, 'bias'), get(a, 'eps'), true], interop));

defPython('F', 'group_norm', (a, interop) => {
  const input = tensorArg(a, 'input', 'size');
  const groups = get(a, 'num_groups') as number;
  // Python evaluates input.size(1) here, which raises for 1-D inputs.
  if (input.ndim < 2) {
    throw new PyError('IndexError', `Dimension out of range (expected to be in range of [${-Math.max(input.ndim, 1)}, ${Math.max(input.ndim, 1) - 1}], but got 1)`);
  }
  verifyBatchSize([Math.floor((input.shape[0]! * input.shape[1]!) / groups), groups, ...input.shape.slice(2)]);
  return callTorch('group_norm', [input, groups, get(a, 'weight'), get(a, 'bias'), get(a, 'eps'), true], interop);
});

defPython('F', 'local_response_norm', (a, interop) => {
  const input = tensorArg(a, 'input');
  if (input.ndim < 3) {
    throw valueError(`Expected 3D or higher dimensionality                          input (got ${input.ndim} dimensions)`);
  }
  if (input.numel() === 0) return input;
  const size = get(a, 'size') as number;
  const scalar = (v: PyValue): Tensor => wrapScalar(typeof v === 'number' ? { kind: 'int', value: v } : { kind: 'float', value: (v as PyFloat).value });
  let div = unsqueeze(binary.mul!(input, input), 1);
  const before = Math.floor(size / 2);
  const after = Math.floor((size - 1) / 2);
  if (input.ndim === 3) {
    div = callNN('pad', [div, new PyTuple([0, 0, before, after])], interop) as Tensor;
    div = squeeze(callNN('avg_pool2d', [div, new PyTuple([size, 1])], interop, new Map([['stride', 1]])) as Tensor, 1);
  } else {
    const sizes = input.shape;
    div = view(div, [sizes[0]!, 1, sizes[1]!, sizes[2]!, -1]);
    div = callNN('pad', [div, new PyTuple([0, 0, 0, 0, before, after])], interop) as Tensor;
    div = squeeze(callNN('avg_pool3d', [div, new PyTuple([size, 1, 1])], interop, new Map([['stride', 1]])) as Tensor, 1);
    div = view(div, sizes);
  }
  div = binary.pow!(binary.add!(binary.mul!(div, scalar(get(a, 'alpha'))), scalar(get(a, 'k'))), scalar(get(a, 'beta')));
  return binary.div!(input, div);
});

defPython('F', 'embedding', (a, interop) => {
  const weight = tensorArg(a, 'weight', 'size');
  let paddingIdx = get(a, 'padding_idx');
  if (paddingIdx !== null) {
    const p = paddingIdx as number;
    const n = weight.shape[0]!;
    if (p > 0) pyAssert(p < n, 'Padding_idx must be within num_embeddings');
    else if (p < 0) { pyAssert(p >= -n, 'Padding_idx must be within num_embeddings'); paddingIdx = n + p; }
  } else {
    paddingIdx = -1;
  }
  // `_no_grad_embedding_renorm_`: rows used by the input are scaled down to max_norm first (in place).
  if (get(a, 'max_norm') !== null) callTorch('embedding_renorm_', [weight, get(a, 'input'), get(a, 'max_norm'), get(a, 'norm_type')], interop);
  return callTorch('embedding', [weight, get(a, 'input'), paddingIdx, get(a, 'scale_grad_by_freq'), get(a, 'sparse')], interop);
});

defPython('F', 'embedding_bag', (a, interop) => {
  const input = tensorArg(a, 'input');
  const weight = tensorArg(a, 'weight');
  let offsets = get(a, 'offsets');
  if (input.ndim === 2) offsets = input;
  if (offsets === null) throw valueError('offsets has to be a 1D Tensor but got null');
  const modes: Record<string, number> = { sum: 0, mean: 1, max: 2 };
  const out = callTorch('embedding_bag', [weight, input, offsets, get(a, 'scale_grad_by_freq'), modes[get(a, 'mode') as string] ?? 1,
    get(a, 'sparse'), get(a, 'per_sample_weights'), get(a, 'include_last_offset'), get(a, 'padding_idx')], interop) as PyTuple;
  return out.items[0];
});

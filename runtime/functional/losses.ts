// torch.nn.functional losses (Python-level parts): reduction names (`_Reduction`), the target
// size checks done in Python, broadcasting of elementwise losses, and kl_div's 'batchmean'.
import { type BoundArgs, type Interop, NeedsValuesError, PyFloat, type PyValue, runtimeError, valueError } from '../python/index.ts';
import type { Tensor } from '../tensor.ts';
import { defPython } from '../torch/registry.ts';
import { TorchSize } from '../torch/objects.ts';
import { broadcastAll } from '../ops/broadcast.ts';
import { expand } from '../ops/shape-ops.ts';
import { binary, clamp, unary } from '../ops/elementwise.ts';
import { any, mean, sum } from '../ops/reduce.ts';
import { unsqueeze } from '../ops/shape-ops.ts';
import { Tensor as TensorClass } from '../tensor.ts';
import { wrapScalar } from '../ops/scalar.ts';
import { callNN, callTorch, tensorArg } from './call.ts';

const get = (a: BoundArgs, name: string): PyValue => a.get(name);
const sizeRepr = (t: Tensor): string => new TorchSize(t.shape).pyRepr();

/** `_Reduction.get_enum`, honouring the legacy size_average/reduce arguments when given. */
function reductionEnum(a: BoundArgs): number {
  const sizeAverage = a.has('size_average') ? get(a, 'size_average') : null;
  const reduce = a.has('reduce') ? get(a, 'reduce') : null;
  let reduction = get(a, 'reduction') as string;
  if (sizeAverage !== null || reduce !== null) {
    const avg = sizeAverage === null ? true : sizeAverage === true;
    const red = reduce === null ? true : reduce === true;
    reduction = avg && red ? 'mean' : red ? 'sum' : 'none';
  }
  const value = ({ none: 0, mean: 1, elementwise_mean: 1, sum: 2 } as Record<string, number>)[reduction];
  if (value === undefined) throw valueError(`${reduction} is not a valid value for reduction`);
  return value;
}

/** Elementwise losses broadcast input and target first (torch.broadcast_tensors in Python). */
function broadcastPair(input: Tensor, target: Tensor): [Tensor, Tensor] {
  const shape = broadcastAll([input.shape, target.shape]);
  return [expand(input, shape), expand(target, shape)];
}

for (const name of ['mse_loss', 'l1_loss', 'smooth_l1_loss', 'huber_loss']) {
  defPython('F', name, (a, interop) => {
    const [input, target] = broadcastPair(tensorArg(a, 'input', 'size'), tensorArg(a, 'target', 'size'));
    const extra = name === 'smooth_l1_loss' ? [get(a, 'beta')] : name === 'huber_loss' ? [get(a, 'delta')] : [];
    return callNN(name, [input, target, reductionEnum(a), ...extra], interop);
  });
}

defPython('F', 'cross_entropy', (a, interop) => callNN('cross_entropy_loss', [get(a, 'input'), get(a, 'target'), get(a, 'weight'),
  reductionEnum(a), get(a, 'ignore_index'), get(a, 'label_smoothing')], interop));
defPython('F', 'nll_loss', (a, interop) => callNN('nll_loss_nd', [get(a, 'input'), get(a, 'target'), get(a, 'weight'), reductionEnum(a), get(a, 'ignore_index')], interop));

defPython('F', 'binary_cross_entropy', (a, interop) => {
  const input = tensorArg(a, 'input', 'size');
  const target = tensorArg(a, 'target', 'size');
  const reduction = reductionEnum(a);
  if (!sameShape(input, target)) {
    throw valueError(`Using a target size (${sizeRepr(target)}) that is different to the input size (${sizeRepr(input)}) is deprecated. Please ensure they have the same size.`);
  }
  let weight = get(a, 'weight') as Tensor | null;
  if (weight) weight = expand(weight, broadcastAll([target.shape, weight.shape]));
  return callNN('binary_cross_entropy', [input, target, weight, reduction], interop);
});

defPython('F', 'binary_cross_entropy_with_logits', (a, interop) => {
  const input = tensorArg(a, 'input', 'size');
  const target = tensorArg(a, 'target', 'size');
  const reduction = reductionEnum(a);
  if (!sameShape(input, target)) throw valueError(`Target size (${sizeRepr(target)}) must be the same as input size (${sizeRepr(input)})`);
  return callTorch('binary_cross_entropy_with_logits', [input, target, get(a, 'weight'), get(a, 'pos_weight'), reduction], interop);
});

defPython('F', 'kl_div', (a, interop) => {
  const reduction = get(a, 'reduction') as string;
  const legacy = get(a, 'size_average') !== null || get(a, 'reduce') !== null;
  const reductionValue = legacy ? reductionEnum(a) : reduction === 'batchmean' ? 2 : reductionEnum(a);
  const input = tensorArg(a, 'input');
  const reduced = callTorch('kl_div', [input, get(a, 'target'), reductionValue], interop, new Map([['log_target', get(a, 'log_target')]])) as Tensor;
  if (reduction === 'batchmean' && input.ndim !== 0) return binary.div!(reduced, wrapScalar({ kind: 'int', value: input.shape[0]! }));
  return reduced;
});

defPython('F', 'cosine_embedding_loss', (a, interop) => callTorch('cosine_embedding_loss', [get(a, 'input1'), get(a, 'input2'), get(a, 'target'), get(a, 'margin'), reductionEnum(a)], interop));
defPython('F', 'hinge_embedding_loss', (a, interop) => callTorch('hinge_embedding_loss', [get(a, 'input'), get(a, 'target'), get(a, 'margin'), reductionEnum(a)], interop));
defPython('F', 'soft_margin_loss', (a, interop) => callNN('soft_margin_loss', [get(a, 'input'), get(a, 'target'), reductionEnum(a)], interop));
defPython('F', 'triplet_margin_loss', (a, interop) => callTorch('triplet_margin_loss', [get(a, 'anchor'), get(a, 'positive'), get(a, 'negative'),
  get(a, 'margin'), get(a, 'p'), get(a, 'eps'), get(a, 'swap'), reductionEnum(a)], interop));
defPython('F', 'margin_ranking_loss', (a, interop) => {
  const [x1, x2, target] = ['input1', 'input2', 'target'].map((n) => tensorArg(a, n)) as [Tensor, Tensor, Tensor];
  if (x1.ndim !== x2.ndim || x1.ndim !== target.ndim) {
    throw runtimeError(`margin_ranking_loss : All input tensors should have same dimension but got sizes: input1: ${sizeRepr(x1)}, input2: ${sizeRepr(x2)}, target: ${sizeRepr(target)} `);
  }
  return callTorch('margin_ranking_loss', [x1, x2, target, get(a, 'margin'), reductionEnum(a)], interop);
});
defPython('F', 'poisson_nll_loss', (a, interop) => {
  const reduction = get(a, 'reduction') as string;
  if (reduction !== 'none' && reduction !== 'mean' && reduction !== 'sum') throw valueError(`${reduction} is not a valid value for reduction`);
  return callTorch('poisson_nll_loss', [get(a, 'input'), get(a, 'target'), get(a, 'log_input'), get(a, 'full'), get(a, 'eps'), reductionEnum(a)], interop);
});
defPython('F', 'gaussian_nll_loss', (a) => {
  const input = tensorArg(a, 'input', 'size');
  tensorArg(a, 'target', 'size');
  const variance = tensorArg(a, 'var', 'size');
  if (!sameShape(input, variance)) {
    const lead = input.shape.slice(0, -1);
    const fits = same(lead, variance.shape) || (same(lead, variance.shape.slice(0, -1)) && variance.shape[variance.ndim - 1] === 1);
    if (!fits) throw valueError('var is of incorrect size');
  }
  const reduction = get(a, 'reduction') as string;
  if (reduction !== 'none' && reduction !== 'mean' && reduction !== 'sum') throw valueError(`${reduction} is not valid`);
  // `if torch.any(var < 0): raise ...` reads values before anything else is computed.
  if (variance.data === null) throw new NeedsValuesError('gaussian_nll_loss (it checks var for negative entries)');
  const v = sameShape(input, variance) || !same(input.shape.slice(0, -1), variance.shape) ? variance : unsqueeze(variance, -1);
  const negative = any(binary.lt!(v, wrapScalar({ kind: 'int', value: 0 })));
  if (negative.data![0]) throw valueError('var has negative entry/entries');
  const eps = get(a, 'eps');
  const clamped = clamp(v, wrapScalar({ kind: 'float', value: eps instanceof PyFloat ? eps.value : Number(eps) }), null);
  const diff = binary.sub!(input, tensorArg(a, 'target', 'size'));
  let loss = binary.mul!(binary.add!(unary.log!(clamped), binary.div!(binary.mul!(diff, diff), clamped)), wrapScalar({ kind: 'float', value: 0.5 }));
  if (get(a, 'full') === true) loss = binary.add!(loss, wrapScalar({ kind: 'float', value: 0.5 * Math.log(2 * Math.PI) }));
  return reduction === 'mean' ? mean(loss) : reduction === 'sum' ? sum(loss) : loss;
});
defPython('F', 'multilabel_soft_margin_loss', (a, interop: Interop) => {
  const input = tensorArg(a, 'input', 'size');
  const target = tensorArg(a, 'target', 'size');
  // loss = -(y * logsigmoid(x) + (1 - y) * logsigmoid(-x)), weighted, averaged over classes.
  const logSig = (t: Tensor): Tensor => unary.log_sigmoid!(t);
  const one = wrapScalar({ kind: 'int', value: 1 });
  let perSample = unary.neg!(binary.add!(binary.mul!(target, logSig(input)), binary.mul!(binary.sub!(one, target), logSig(unary.neg!(input)))));
  const weight = get(a, 'weight');
  if (weight instanceof TensorClass) perSample = binary.mul!(perSample, weight);
  const reduction = reductionEnum(a);
  const summed = callTorch('mean', [perSample], interop, new Map<string, PyValue>([['dim', input.ndim - 1]])) as Tensor;
  return reduction === 0 ? summed : callTorch(reduction === 1 ? 'mean' : 'sum', [summed], interop);
});

const same = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((s, i) => s === b[i]);
const sameShape = (a: Tensor, b: Tensor): boolean => same(a.shape, b.shape);

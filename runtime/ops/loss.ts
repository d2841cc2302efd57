// Loss shape rules: elementwise losses broadcast input and target, then reduce ('none' keeps
// the shape, 'mean'/'sum' give a 0-dim tensor); nll_loss/cross_entropy check class targets.
import { int64 } from '../dtype.ts';
import { type Tensor, formatShape } from '../tensor.ts';
import { runtimeError, valueError } from '../python/index.ts';
import { broadcastAll } from './broadcast.ts';
import { defineOp, runOp } from './registry.ts';

export type Reduction = 'none' | 'mean' | 'sum';

/** `_Reduction.get_enum`: the Python-side name check. */
export function checkReduction(reduction: string): Reduction {
  if (reduction !== 'none' && reduction !== 'mean' && reduction !== 'sum') throw valueError(`${reduction} is not a valid value for reduction`);
  return reduction;
}

/**
 * The numbers an elementwise loss computes with (defaults are PyTorch's): smooth_l1's beta,
 * huber's delta, the margin losses' margin, kl_div's log_target, poisson_nll's log_input/full/eps.
 * `weighted`/`posWeighted`: bce's weight and bce_with_logits' pos_weight follow the operands.
 */
export interface LossParams {
  beta?: number; delta?: number; margin?: number; logTarget?: boolean; logInput?: boolean; full?: boolean; eps?: number;
  weighted?: boolean; posWeighted?: boolean;
}
export interface ElementwiseLossAttrs { name: string; reduction: Reduction; params?: LossParams }

const elementwiseLossOp = defineOp<ElementwiseLossAttrs>('elementwise_loss', (inputs, { reduction, params }) => {
  const operands = inputs.length - (params?.weighted ? 1 : 0) - (params?.posWeighted ? 1 : 0);
  const shape = broadcastAll(inputs.slice(0, operands).map((t) => t.shape));
  return { shape: reduction === 'none' ? shape : [], dtype: inputs[0]!.dtype };
});
/** mse/l1/smooth_l1/huber/soft_margin/bce/kl_div...: `inputs` broadcast together (then weight, pos_weight). */
export const elementwiseLoss = (name: string, inputs: readonly Tensor[], reduction: Reduction, params: LossParams = {}): Tensor =>
  runOp(elementwiseLossOp, inputs, { name, reduction, params });

/** nll_loss, and cross_entropy with class targets (`logSoftmax`: the input is logits; `labelSmoothing`). */
export interface NllLossAttrs { reduction: Reduction; ignoreIndex: number; hasWeight: boolean; logSoftmax?: boolean; labelSmoothing?: number }
const nllLossOp = defineOp<NllLossAttrs>('nll_loss', (inputs, a) => {
  const [input, target] = inputs;
  const weight = a.hasWeight ? inputs[2] : undefined;
  if (target!.dtype !== int64) throw runtimeError(`expected scalar type Long but found ${target!.dtype.scalarTypeName}`);
  const n = input!.ndim;
  if (n < 1) throw runtimeError(`input tensor should be 1D or 2D`);
  const classes = n === 1 ? input!.shape[0]! : input!.shape[1]!;
  if (weight && weight.numel() !== classes) {
    throw runtimeError(`weight tensor should be defined either for all ${classes} classes or no classes but got weight tensor of shape: ${formatShape(weight.shape)}`);
  }
  if (n === 1 || n === 2) {
    const batch = n === 1 ? [] : [input!.shape[0]!];
    if (target!.ndim > 1) throw runtimeError('0D or 1D target tensor expected, multi-target not supported');
    const targetBatch = target!.ndim === 0 ? [] : [target!.shape[0]!];
    if (n === 2 && target!.ndim === 1 && targetBatch[0] !== batch[0]) {
      throw valueError(`Expected input batch_size (${batch[0]}) to match target batch_size (${targetBatch[0]}).`);
    }
    return { shape: a.reduction === 'none' ? batch : [], dtype: input!.dtype };
  }
  // Spatial targets: input [N, C, d1, ...], target [N, d1, ...].
  if (target!.shape[0] !== input!.shape[0]) {
    throw valueError(`Expected input batch_size (${input!.shape[0]}) to match target batch_size (${target!.shape[0]}).`);
  }
  const expected = [input!.shape[0]!, ...input!.shape.slice(2)];
  const same = target!.ndim === expected.length && target!.shape.every((s, i) => s === expected[i]);
  if (!same) {
    throw runtimeError(`Expected target size ${formatShape(expected)}, got ${formatShape(target!.shape)}`);
  }
  return { shape: a.reduction === 'none' ? expected : [], dtype: input!.dtype };
});
export const nllLoss = (input: Tensor, target: Tensor, weight: Tensor | null, reduction: Reduction, ignoreIndex: number,
  crossEntropy: { logSoftmax?: boolean; labelSmoothing?: number } = {}): Tensor =>
  runOp(nllLossOp, weight ? [input, target, weight] : [input, target], { reduction, ignoreIndex, hasWeight: weight !== null, ...crossEntropy });

/** cross_entropy with class-probability targets (same shape as input): a reduction over the class dim. */
const softTargetLossOp = defineOp<{ reduction: Reduction; labelSmoothing?: number; hasWeight?: boolean }>('soft_cross_entropy', ([input, target], { reduction }) => {
  const same = input!.ndim === target!.ndim && input!.shape.every((s, i) => s === target!.shape[i]);
  if (!same) throw runtimeError(`Expected input batch_size (${input!.shape[0]}) to match target batch_size (${target!.shape[0]}).`);
  const perSample = input!.ndim === 1 ? [] : input!.shape.filter((_, i) => i !== 1);
  return { shape: reduction === 'none' ? perSample : [], dtype: input!.dtype };
});
export const softTargetCrossEntropy = (input: Tensor, target: Tensor, reduction: Reduction, weight: Tensor | null = null, labelSmoothing = 0): Tensor =>
  runOp(softTargetLossOp, weight ? [input, target, weight] : [input, target], { reduction, labelSmoothing, hasWeight: weight !== null });


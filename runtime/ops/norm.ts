// Normalization layers' shape rules (batch/layer/group/instance norm): outputs keep the input's
// shape; the checks are ATen's, with its messages.
import { type Tensor, formatShape } from '../tensor.ts';
import { runtimeError } from '../python/index.ts';
import { defineOp, runOp } from './registry.ts';

const sameShape = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((s, i) => s === b[i]);

export interface BatchNormAttrs {
  training: boolean; hasRunningMean: boolean; hasRunningVar: boolean; hasWeight: boolean; hasBias: boolean;
  /** Added to the variance (1e-5 when absent). */
  eps?: number;
  /** Training mode: how far the running statistics move toward the batch's (0.1 when absent). */
  momentum?: number;
}

const batchNormOp = defineOp<BatchNormAttrs>('batch_norm', (inputs, a) => {
  const input = inputs[0]!;
  let k = 1;
  const runningMean = a.hasRunningMean ? inputs[k++] : undefined;
  const runningVar = a.hasRunningVar ? inputs[k++] : undefined;
  const weight = a.hasWeight ? inputs[k++] : undefined;
  const bias = a.hasBias ? inputs[k++] : undefined;
  // ATen reads sizes()[1] without a rank check; a 1-D input reads past the end (0 here).
  const features = input.ndim >= 2 ? input.shape[1]! : 0;
  const check = (name: string, t: Tensor | undefined, required: boolean): void => {
    if (t) {
      if (t.numel() !== features) throw runtimeError(`${name} should contain ${features} elements not ${t.numel()}`);
    } else if (required) {
      throw runtimeError(`${name} must be defined in evaluation mode`);
    }
  };
  if (input.numel() !== 0) {
    check('running_mean', runningMean, !a.training);
    check('running_var', runningVar, !a.training);
    check('weight', weight, false);
    check('bias', bias, false);
  }
  return { shape: input.shape, dtype: input.dtype };
});

/** torch.batch_norm(input, weight, bias, running_mean, running_var, training, ...). */
export function batchNorm(input: Tensor, weight: Tensor | null, bias: Tensor | null, runningMean: Tensor | null, runningVar: Tensor | null, training: boolean,
  momentum = 0.1, eps = 1e-5): Tensor {
  const inputs = [input, runningMean, runningVar, weight, bias].filter((t): t is Tensor => t !== null);
  return runOp(batchNormOp, inputs, {
    training, hasRunningMean: runningMean !== null, hasRunningVar: runningVar !== null, hasWeight: weight !== null, hasBias: bias !== null, momentum, eps,
  });
}

const layerNormOp = defineOp<{ normalizedShape: readonly number[]; hasWeight: boolean; hasBias: boolean; eps?: number }>('layer_norm', (inputs, a) => {
  const [input] = inputs;
  const weight = a.hasWeight ? inputs[1] : undefined;
  const bias = a.hasBias ? inputs[a.hasWeight ? 2 : 1] : undefined;
  const ns = a.normalizedShape;
  if (ns.length < 1) {
    throw runtimeError(`Expected normalized_shape to be at least 1-dimensional, i.e., containing at least one element, but got normalized_shape = ${formatShape(ns)}`);
  }
  if (weight && !sameShape(weight.shape, ns)) {
    throw runtimeError(`Expected weight to be of same shape as normalized_shape, but got weight of shape ${formatShape(weight.shape)} and normalized_shape = ${formatShape(ns)}`);
  }
  if (bias && !sameShape(bias.shape, ns)) {
    throw runtimeError(`Expected bias to be of same shape as normalized_shape, but got bias of shape ${formatShape(bias.shape)} and normalized_shape = ${formatShape(ns)}`);
  }
  const shape = input!.shape;
  if (shape.length < ns.length || !sameShape(shape.slice(shape.length - ns.length), ns)) {
    throw runtimeError(`Given normalized_shape=${formatShape(ns)}, expected input with shape [*${ns.map((s) => `, ${s}`).join('')}], but got input of size${formatShape(shape)}`);
  }
  return { shape, dtype: input!.dtype };
});

export const layerNorm = (input: Tensor, normalizedShape: readonly number[], weight: Tensor | null, bias: Tensor | null, eps = 1e-5): Tensor =>
  runOp(layerNormOp, [input, weight, bias].filter((t): t is Tensor => t !== null), { normalizedShape, hasWeight: weight !== null, hasBias: bias !== null, eps });

const groupNormOp = defineOp<{ groups: number; hasWeight: boolean; hasBias: boolean; eps?: number }>('group_norm', (inputs, a) => {
  const [input] = inputs;
  const weight = a.hasWeight ? inputs[1] : undefined;
  const bias = a.hasBias ? inputs[a.hasWeight ? 2 : 1] : undefined;
  const channels = input!.shape[1]!;
  if (channels % a.groups !== 0) {
    throw runtimeError(`Expected number of channels in input to be divisible by num_groups, but got input of shape ${formatShape(input!.shape)} and num_groups=${a.groups}`);
  }
  for (const [name, t] of [['weight', weight], ['bias', bias]] as const) {
    if (t && (t.ndim !== 1 || t.numel() !== channels)) {
      throw runtimeError(`Expected ${name} to be a vector of size equal to the number of channels in input, but got ${name} of shape ${formatShape(t.shape)} and input of shape ${formatShape(input!.shape)}`);
    }
  }
  return { shape: input!.shape, dtype: input!.dtype };
});
export const groupNorm = (input: Tensor, groups: number, weight: Tensor | null, bias: Tensor | null, eps = 1e-5): Tensor =>
  runOp(groupNormOp, [input, weight, bias].filter((t): t is Tensor => t !== null), { groups, hasWeight: weight !== null, hasBias: bias !== null, eps });

/** Inputs: [input, weight?, bias?, running_mean?, running_var?] (the has* flags say which are present). */
export interface InstanceNormAttrs {
  useInputStats: boolean; hasRunningMean: boolean; hasRunningVar: boolean;
  hasWeight?: boolean; hasBias?: boolean; momentum?: number; eps?: number;
}
const instanceNormOp = defineOp<InstanceNormAttrs>('instance_norm', (inputs, a) => {
  const input = inputs[0]!;
  if (!a.useInputStats && (!a.hasRunningMean || !a.hasRunningVar)) {
    throw runtimeError('Expected running_mean and running_var to be defined when use_input_stats is false');
  }
  return { shape: input.shape, dtype: input.dtype };
});
export function instanceNorm(input: Tensor, weight: Tensor | null, bias: Tensor | null, runningMean: Tensor | null, runningVar: Tensor | null, useInputStats: boolean,
  momentum = 0.1, eps = 1e-5): Tensor {
  const inputs = [input, weight, bias, runningMean, runningVar].filter((t): t is Tensor => t !== null);
  return runOp(instanceNormOp, inputs, {
    useInputStats, hasRunningMean: runningMean !== null, hasRunningVar: runningVar !== null, hasWeight: weight !== null, hasBias: bias !== null, momentum, eps,
  });
}

// torch.nn: every layer class, torch.nn.init, nn.Parameter, and the `torch.nn` namespace
// (with `torch.nn.modules.<file>` for `from torch.nn.modules.loss import _Loss`).
import './module-methods.ts';
import { PyNamespace, type PyValue } from '../python/index.ts';
import { createFunctionalNamespace } from '../functional/index.ts';
import { Module, type ModuleClass } from './module.ts';
import { setPyModule } from './typename.ts';
import { nnInit } from './init.ts';
import { parameterClass } from './parameter.ts';
import * as activation from './activation.ts';
import * as attention from './activation-attention.ts';
import * as batchnorm from './batchnorm.ts';
import * as container from './container.ts';
import * as conv from './conv.ts';
import * as dropout from './dropout.ts';
import * as flatten from './flatten.ts';
import * as instancenorm from './instancenorm.ts';
import * as lazy from './lazy.ts';
import * as linear from './linear.ts';
import * as loss from './loss.ts';
import * as misc from './misc.ts';
import * as normalization from './normalization.ts';
import * as padding from './padding.ts';
import * as pooling from './pooling.ts';
import * as rnn from './rnn.ts';
import * as sparse from './sparse.ts';
import * as transformer from './transformer.ts';

const isModuleClass = (v: unknown): v is ModuleClass => typeof v === 'function' && (v === Module || v.prototype instanceof Module);
const classesOf = (ns: Record<string, unknown>): ModuleClass[] => Object.values(ns).filter(isModuleClass);

/** Classes by the `torch/nn/modules/<file>.py` PyTorch defines them in (what `__module__` says). */
const byTorchFile: Record<string, ModuleClass[]> = {
  module: [Module],
  linear: classesOf(linear).concat(lazy.LazyLinear),
  conv: classesOf(conv).concat(lazy.LazyConv1d, lazy.LazyConv2d, lazy.LazyConv3d, lazy.LazyConvTranspose1d, lazy.LazyConvTranspose2d,
    lazy.LazyConvTranspose3d),
  activation: [...classesOf(activation), attention.MultiheadAttention],
  batchnorm: classesOf(batchnorm).concat(lazy.LazyBatchNorm1d, lazy.LazyBatchNorm2d, lazy.LazyBatchNorm3d),
  instancenorm: classesOf(instancenorm).concat(lazy.LazyInstanceNorm1d, lazy.LazyInstanceNorm2d, lazy.LazyInstanceNorm3d),
  normalization: classesOf(normalization),
  container: classesOf(container),
  dropout: classesOf(dropout),
  flatten: classesOf(flatten),
  loss: classesOf(loss),
  padding: classesOf(padding),
  pooling: classesOf(pooling),
  rnn: classesOf(rnn),
  sparse: classesOf(sparse),
  transformer: classesOf(transformer),
  upsampling: [misc.Upsample, misc.UpsamplingNearest2d, misc.UpsamplingBilinear2d],
  pixelshuffle: [misc.PixelShuffle, misc.PixelUnshuffle],
  channelshuffle: [misc.ChannelShuffle],
  distance: [misc.PairwiseDistance, misc.CosineSimilarity],
  fold: [misc.Fold, misc.Unfold],
};

for (const [file, classes] of Object.entries(byTorchFile)) for (const cls of classes) setPyModule(cls, `torch.nn.modules.${file}`);

/** Every built-in Module class, Module included (private bases like `_ConvNd` too, for isinstance). */
export const nnClasses: ModuleClass[] = [...new Set(Object.values(byTorchFile).flat())];

export { nnInit };

/** `torch.nn.init` as a namespace. */
function initNamespace(): PyNamespace {
  return new PyNamespace('torch.nn.init', new Map<string, PyValue>(nnInit));
}

/** The `torch.nn` namespace: the public layer classes, Parameter, init, functional, modules. */
export function nnNamespace(): PyNamespace {
  // torch.nn exports modules/__init__.py's names: public classes, not the private bases nor
  // NonDynamicallyQuantizableLinear (those live in torch.nn.modules.<file> only).
  const publicClasses = nnClasses.filter((c) => !c.pyName.startsWith('_') && c.pyName !== 'NonDynamicallyQuantizableLinear');
  const nn = new PyNamespace('torch.nn', new Map<string, PyValue>(publicClasses.map((c) => [c.pyName, c])));
  nn.attrs.set('Parameter', parameterClass);
  nn.attrs.set('parameter', new PyNamespace('torch.nn.parameter', new Map([['Parameter', parameterClass]])));
  nn.attrs.set('init', initNamespace());
  nn.attrs.set('functional', createFunctionalNamespace());
  const modules = new PyNamespace('torch.nn.modules', new Map<string, PyValue>(publicClasses.map((c) => [c.pyName, c])));
  for (const [file, classes] of Object.entries(byTorchFile)) {
    modules.attrs.set(file, new PyNamespace(`torch.nn.modules.${file}`, new Map<string, PyValue>(classes.map((c) => [c.pyName, c]))));
  }
  nn.attrs.set('modules', modules);
  return nn;
}

export { Module, parameterClass };
export { copyModule, deepCopyValue } from './deep-copy.ts';
export { newParameter } from './parameter.ts';
export { setRandomFiller, type RandomFiller } from './init-fill.ts';

// The `torch.nn` namespace against what PyTorch 1.13 exports (cases.json): every public layer class,
// `torch.nn.modules.<file>` (for `from torch.nn.modules.loss import _Loss`), `__module__` paths
// as `torch.typename` prints them, nn.init and nn.Parameter.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BuiltinFunction, PyNamespace } from '../../../runtime/python/index.ts';
import { Module, type ModuleClass } from '../../../runtime/nn/module.ts';
import { nnClasses, nnNamespace, parameterClass } from '../../../runtime/nn/index.ts';
import { qualifiedClassName } from '../../../runtime/nn/typename.ts';
import { cases } from './helpers.ts';

const truth = cases.namespace as unknown as { nn: string[]; files: Record<string, string[]>; class_modules: Record<string, string> };

/** Exported by PyTorch but not modelled (deprecated, or rarely used and not needed by model code yet). */
const notModelled = new Set(['Container', 'AdaptiveLogSoftmaxWithLoss']);

test('torch.nn exports every public layer class of PyTorch 1.13', () => {
  const nn = nnNamespace();
  const missing = truth.nn.filter((name) => !notModelled.has(name) && !nn.attrs.has(name));
  assert.deepEqual(missing, []);
  const extra = [...nn.attrs.keys()].filter((n) => /^[A-Z]/.test(n) && !truth.nn.includes(n) && n !== 'Parameter');
  assert.deepEqual(extra, [], 'nothing PyTorch does not export at torch.nn');
  assert.equal(nn.attrs.get('Parameter'), parameterClass);
});

test('torch.nn.modules.<file> hold the classes PyTorch defines there', () => {
  const modules = nnNamespace().attrs.get('modules') as PyNamespace;
  for (const [file, names] of Object.entries(truth.files)) {
    const ns = modules.attrs.get(file);
    if (!(ns instanceof PyNamespace)) {
      assert.ok(['adaptive', 'lazy', 'utils'].includes(file), `torch.nn.modules.${file} is missing`);
      continue;
    }
    // Classes only: the module-global hook registrations of torch.nn.modules.module are not modelled.
    const missing = names.filter((n) => /^[A-Z]/.test(n) && !notModelled.has(n) && !ns.attrs.has(n));
    assert.deepEqual(missing, [], `torch.nn.modules.${file}`);
  }
  const loss = modules.attrs.get('loss') as PyNamespace;
  assert.ok(loss.attrs.has('_Loss') && loss.attrs.has('_WeightedLoss'));
  assert.ok((modules.attrs.get('conv') as PyNamespace).attrs.has('_ConvNd'));
  assert.ok((modules.attrs.get('batchnorm') as PyNamespace).attrs.has('_BatchNorm'));
});

test('each class knows its __module__, as torch.typename prints it', () => {
  const byName = new Map<string, ModuleClass>(nnClasses.map((c) => [c.pyName, c]));
  for (const [name, mod] of Object.entries(truth.class_modules)) {
    if (notModelled.has(name)) continue;
    const C = byName.get(name)!;
    const probe = Object.create(C.prototype) as Module;
    probe.user = null;
    assert.equal(qualifiedClassName(probe), `${mod}.${name}`);
  }
});

test('torch.nn.init and torch.nn.functional', () => {
  const nn = nnNamespace();
  const init = nn.attrs.get('init') as PyNamespace;
  for (const name of ['uniform_', 'normal_', 'constant_', 'ones_', 'zeros_', 'eye_', 'dirac_', 'xavier_uniform_', 'xavier_normal_',
    'kaiming_uniform_', 'kaiming_normal_', 'trunc_normal_', 'orthogonal_', 'sparse_', 'calculate_gain', '_calculate_fan_in_and_fan_out']) {
    assert.ok(init.attrs.get(name) instanceof BuiltinFunction, `nn.init.${name}`);
  }
  const F = nn.attrs.get('functional') as PyNamespace;
  for (const name of ['relu', 'gelu', 'linear', 'conv2d', 'layer_norm', 'softmax', 'pad', 'interpolate']) assert.ok(F.attrs.has(name), `F.${name}`);
});

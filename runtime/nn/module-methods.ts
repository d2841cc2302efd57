// The Python-visible methods of nn.Module (`model.parameters()`, `self.apply(fn)`,
// `self.register_buffer(...)`), each binding its arguments like CPython would for PyTorch 1.13's
// signature and delegating to the Module base. Importing this file fills `Module.pyMethods`;
// nn/index.ts does so, so anything that uses the nn layers has them.
import { DType, float16, float32, float64, bfloat16, dtypeAliases } from '../dtype.ts';
import {
  type Interop, type Kwargs, PyDict, PyIterator, PyTuple, type PyValue, attributeError, bindArguments,
  pyTypeName, sig, type Signature, typeError, valueError,
} from '../python/index.ts';
import { Parameter, Tensor } from '../tensor.ts';
import { Module, type ModuleMethod } from './module.ts';
import { RemovableHandle } from './hooks.ts';
import { castAll, castFloatingPoint } from './module-cast.ts';
import { loadStateDict } from './load-state-dict.ts';
import { getAttr, truthy } from './py-helpers.ts';

/** A method whose arguments are bound against `signature` (qualname `Module.<name>`, `self` counted). */
export function method(signature: Signature, body: (self: Module, a: Map<string, PyValue>, interop: Interop) => PyValue): ModuleMethod {
  return (self, args, kwargs, interop) => body(self, bindArguments(signature, args, kwargs), interop);
}

const m = (name: string, params: Parameters<typeof sig>[1], more: Partial<Signature> = {}): Signature =>
  sig(`Module.${name}`, params, { isMethod: true, ...more });

const str = (v: PyValue, what: string): string => {
  if (typeof v !== 'string') throw typeError(`${what} must be str, not ${pyTypeName(v)}`);
  return v;
};

const pairs = (entries: [string, PyValue][]): PyIterator => new PyIterator(entries.map(([k, v]) => new PyTuple([k, v])));

/** `_named_members` with 2.x's `remove_duplicate` (1.13 always deduplicates). */
function namedTensors(self: Module, kind: 'parameters' | 'buffers', a: Map<string, PyValue>): [string, Tensor][] {
  const prefix = str(a.get('prefix'), 'prefix');
  const recurse = truthy(a.get('recurse'));
  const removeDuplicate = truthy(a.get('remove_duplicate'));
  return kind === 'parameters' ? self.namedParameters(prefix, recurse, removeDuplicate) : self.namedBuffers(prefix, recurse, removeDuplicate);
}

/** `named_children()`: direct submodules, each once, None entries skipped. */
function namedChildren(self: Module): [string, Module][] {
  const seen = new Set<Module>();
  return self.childEntries().filter(([, child]) => (seen.has(child) ? false : (seen.add(child), true)));
}

/** `apply(fn)`: children first (recursively), then the module itself, as PyTorch does. */
function applyFn(self: Module, fn: PyValue, interop: Interop): Module {
  for (const [, child] of namedChildren(self)) applyFn(child, fn, interop);
  interop.call(fn, [self]);
  return self;
}

/** `get_submodule(target)` with PyTorch's messages. */
export function getSubmodule(self: Module, target: string): Module {
  if (target === '') return self;
  let mod = self;
  for (const item of target.split('.')) {
    if (!mod.hasInstanceAttribute(item)) throw attributeError(`${mod.pyTypeName} has no attribute \`${item}\``);
    const next = getAttr(mod, item);
    if (!(next instanceof Module)) throw attributeError(`\`${item}\` is not an nn.Module`);
    mod = next;
  }
  return mod;
}

function splitTarget(target: string): [string, string] {
  const i = target.lastIndexOf('.');
  return i < 0 ? ['', target] : [target.slice(0, i), target.slice(i + 1)];
}

/** The dtype `to(...)` asks for: a dtype positional/keyword, or a tensor's dtype. Devices are ignored. */
function dtypeOfToCall(args: PyValue[], kwargs: Kwargs): DType | null {
  const candidates = [...args, kwargs.get('dtype'), kwargs.get('tensor')];
  for (const v of candidates) {
    if (v instanceof DType) return v;
    if (v instanceof Tensor) return v.dtype;
  }
  return null;
}

const legacyTypeNames: Record<string, DType> = {
  'torch.FloatTensor': float32, 'torch.DoubleTensor': float64, 'torch.HalfTensor': float16, 'torch.BFloat16Tensor': bfloat16,
  'torch.LongTensor': dtypeAliases.int64!, 'torch.IntTensor': dtypeAliases.int32!,
};

const methods: Record<string, ModuleMethod> = {
  parameters: method(m('parameters', [['recurse', true]]), (self, a) =>
    new PyIterator(self.namedParameters('', truthy(a.get('recurse'))).map(([, p]) => p))),
  named_parameters: method(m('named_parameters', [['prefix', ''], ['recurse', true], ['remove_duplicate', true]]), (self, a) =>
    pairs(namedTensors(self, 'parameters', a))),
  buffers: method(m('buffers', [['recurse', true]]), (self, a) =>
    new PyIterator(self.namedBuffers('', truthy(a.get('recurse'))).map(([, b]) => b))),
  named_buffers: method(m('named_buffers', [['prefix', ''], ['recurse', true], ['remove_duplicate', true]]), (self, a) =>
    pairs(namedTensors(self, 'buffers', a))),
  children: method(m('children', []), (self) => new PyIterator(namedChildren(self).map(([, c]) => c))),
  named_children: method(m('named_children', []), (self) => pairs(namedChildren(self))),
  modules: method(m('modules', []), (self) => new PyIterator(self.namedModules().map(([, x]) => x))),
  named_modules: method(m('named_modules', [['memo', null], ['prefix', ''], ['remove_duplicate', true]]), (self, a) =>
    pairs(self.namedModules(str(a.get('prefix'), 'prefix'), truthy(a.get('remove_duplicate'))))),

  state_dict: method(m('state_dict', [], { varargs: 'args', kwonly: [{ name: 'destination', default: null }, { name: 'prefix', default: '' }, { name: 'keep_vars', default: false }] }),
    (self, a) => {
      // The deprecated positional form `state_dict(destination, prefix, keep_vars)` (torch warns).
      const positional = (a.get('args') as PyTuple).items;
      ['destination', 'prefix', 'keep_vars'].forEach((k, i) => { if (i < positional.length) a.set(k, positional[i]); });
      const keepVars = truthy(a.get('keep_vars'));
      const destination = a.get('destination');
      const out = destination instanceof PyDict ? destination : new PyDict([], 'OrderedDict');
      for (const [k, t] of self.stateDictEntries(str(a.get('prefix'), 'prefix'))) {
        // keep_vars=False returns detached tensors: same storage, not Parameters, no grad.
        out.set(k, keepVars ? t : new Tensor(t.shape, t.dtype, t.device, t.data));
      }
      return out;
    }),

  load_state_dict: method(m('load_state_dict', ['state_dict', ['strict', true]]), (self, a) =>
    loadStateDict(self, a.get('state_dict'), truthy(a.get('strict')))),
  apply: method(m('apply', ['fn']), (self, a, interop) => applyFn(self, a.get('fn'), interop)),
  train: method(m('train', [['mode', true]]), (self, a) => {
    if (typeof a.get('mode') !== 'boolean') throw valueError('training mode is expected to be boolean');
    return self.train(a.get('mode') as boolean);
  }),
  eval: method(m('eval', []), (self) => self.train(false)),
  requires_grad_: method(m('requires_grad_', [['requires_grad', true]]), (self, a) => {
    const flag = truthy(a.get('requires_grad'));
    for (const [, p] of self.namedParameters()) p.requiresGrad = flag;
    return self;
  }),
  zero_grad: method(m('zero_grad', [['set_to_none', false]]), () => null), // no gradients exist here

  to: (self, args, kwargs) => {
    const dtype = dtypeOfToCall(args, kwargs);
    if (dtype) {
      if (!dtype.isFloatingPoint && !dtype.isComplex) {
        throw typeError(`nn.Module.to only accepts floating point or complex dtypes, but got desired dtype=${dtype.pyRepr()}`);
      }
      castFloatingPoint(self, dtype);
    }
    return self;
  },
  cuda: method(m('cuda', [['device', null]]), (self) => self),
  cpu: method(m('cpu', []), (self) => self),
  share_memory: method(m('share_memory', []), (self) => self),
  float: method(m('float', []), (self) => { castFloatingPoint(self, float32); return self; }),
  double: method(m('double', []), (self) => { castFloatingPoint(self, float64); return self; }),
  half: method(m('half', []), (self) => { castFloatingPoint(self, float16); return self; }),
  bfloat16: method(m('bfloat16', []), (self) => { castFloatingPoint(self, bfloat16); return self; }),
  type: method(m('type', ['dst_type']), (self, a) => {
    const dst = a.get('dst_type');
    const dtype = dst instanceof DType ? dst : typeof dst === 'string' ? legacyTypeNames[dst] : undefined;
    if (!dtype) throw typeError(`invalid type: ${typeof dst === 'string' ? `'${dst}'` : pyTypeName(dst)}`);
    castAll(self, dtype);
    return self;
  }),

  register_buffer: method(m('register_buffer', ['name', 'tensor', ['persistent', true]]), (self, a) => {
    self.registerBuffer(a.get('name'), a.get('tensor'), truthy(a.get('persistent')));
    return null;
  }),
  register_parameter: method(m('register_parameter', ['name', 'param']), (self, a) => {
    self.registerParameter(a.get('name'), a.get('param'));
    return null;
  }),
  add_module: method(m('add_module', ['name', 'module']), (self, a) => { self.addModule(a.get('name'), a.get('module')); return null; }),
  register_module: method(m('register_module', ['name', 'module']), (self, a) => { self.addModule(a.get('name'), a.get('module')); return null; }),
  get_submodule: method(m('get_submodule', ['target']), (self, a) => getSubmodule(self, str(a.get('target'), 'target'))),
  get_parameter: method(m('get_parameter', ['target']), (self, a) => {
    const [path, name] = splitTarget(str(a.get('target'), 'target'));
    const mod = getSubmodule(self, path);
    if (!mod.hasInstanceAttribute(name)) throw attributeError(`${mod.pyTypeName} has no attribute \`${name}\``);
    const p = getAttr(mod, name);
    if (!(p instanceof Parameter)) throw attributeError(`\`${name}\` is not an nn.Parameter`);
    return p;
  }),
  get_buffer: method(m('get_buffer', ['target']), (self, a) => {
    const [path, name] = splitTarget(str(a.get('target'), 'target'));
    const mod = getSubmodule(self, path);
    if (!mod.hasInstanceAttribute(name)) throw attributeError(`${mod.pyTypeName} has no attribute \`${name}\``);
    const b = getAttr(mod, name);
    if (!mod.buffersDict?.has(name)) throw attributeError(`\`${name}\` is not a buffer`);
    return b;
  }),

  extra_repr: method(m('extra_repr', []), (self) => self.extraRepr()),
  __repr__: method(m('__repr__', []), (self) => self.defaultRepr()),
  _get_name: method(m('_get_name', []), (self) => self.pyTypeName),
  forward: (self, args, kwargs, interop) => self.forward(args, kwargs, interop),
  __call__: (self, args, kwargs, interop) => self.call(args, kwargs, interop),
  __setattr__: method(m('__setattr__', ['name', 'value']), (self, a) => { self.setattr(str(a.get('name'), 'attribute name'), a.get('value')); return null; }),
  __getattr__: method(m('__getattr__', ['name']), (self, a) => self.getattrFallback(str(a.get('name'), 'attribute name'))),
  __delattr__: method(m('__delattr__', ['name']), (self, a) => { self.delattr(str(a.get('name'), 'attribute name')); return null; }),

  register_forward_pre_hook: method(m('register_forward_pre_hook', ['hook']), (self, a) => {
    self.forwardPreHooks.push(a.get('hook'));
    return new RemovableHandle(self.forwardPreHooks, a.get('hook'));
  }),
  register_forward_hook: method(m('register_forward_hook', ['hook']), (self, a) => {
    self.forwardHooks.push(a.get('hook'));
    return new RemovableHandle(self.forwardHooks, a.get('hook'));
  }),
  // Backward hooks never fire without autograd; registering them must still work.
  register_full_backward_hook: method(m('register_full_backward_hook', ['hook']), (_self, a) => new RemovableHandle([], a.get('hook'))),
  register_backward_hook: method(m('register_backward_hook', ['hook']), (_self, a) => new RemovableHandle([], a.get('hook'))),
};

Object.assign(Module.pyMethods, methods);



// Attribute access in Python's order: data descriptors (properties) on the class, the instance
// `__dict__`, class attributes (methods bind), then `__getattr__` — for nn.Module that last step
// is PyTorch's lookup of parameters, buffers and submodules.
import {
  BuiltinClass, BuiltinFunction, PyNamespace, type PyValue, PyDict, pyTypeName,
} from '../../runtime/python/index.ts';
import { Module, lookupPyMethod, type ModuleClass } from '../../runtime/nn/module.ts';
import { Tensor } from '../../runtime/tensor.ts';
import { getTensorAttribute } from '../../runtime/torch/index.ts';
import { raise } from './exceptions.ts';
import {
  BoundMethod, BuiltinType, ClassMethod, Opaque, Property, PyClass, PyFunction, PyInstance, StaticMethod, SuperProxy,
} from './objects.ts';
import { isModuleClass, lookupInMro, mroOf, typeOf } from './classes.ts';
import type { Interpreter } from './interpreter.ts';
import { builtinTypeMethod } from './type-methods.ts';

export function getAttr(it: Interpreter, obj: PyValue, name: string): PyValue {
  if (obj instanceof Module) return getModuleAttr(it, obj, name);
  if (obj instanceof PyInstance) return getInstanceAttr(it, obj, name);
  if (obj instanceof Tensor) {
    const v = getTensorAttribute(obj, name);
    if (v === undefined) throw raise('AttributeError', `'Tensor' object has no attribute '${name}'`);
    return v;
  }
  if (obj instanceof PyNamespace) return getNamespaceAttr(it, obj, name);
  if (obj instanceof PyClass) return getClassAttr(it, obj, name);
  if (obj instanceof SuperProxy) return getSuperAttr(it, obj, name);
  if (obj instanceof Opaque) return new Opaque(`${obj.description}.${name}`);
  if (isModuleClass(obj)) return getModuleClassAttr(it, obj, name);
  if (obj instanceof PyFunction) {
    if (name === '__name__') return obj.name;
    if (name === '__qualname__') return obj.qualname;
    if (obj.attrs.has(name)) return obj.attrs.get(name);
  }
  if (obj instanceof BuiltinType && name === '__name__') return obj.name;
  if (obj instanceof BuiltinClass && name === '__name__') return obj.name.split('.').pop()!;
  if (name === '__class__') return typeOf(it, obj);
  const method = builtinTypeMethod(it, obj, name);
  if (method !== undefined) return method;
  throw raise('AttributeError', `'${pyTypeName(obj)}' object has no attribute '${name}'`);
}

function getModuleAttr(it: Interpreter, m: Module, name: string): PyValue {
  const cls = it.userClassOf(m);
  const found = cls ? lookupInMro(cls.mro, name) : { kind: 'none' as const };
  if (found.kind === 'user' && found.value instanceof Property) return it.callValue(found.value.fget, [m], new Map());
  if (m.dict.has(name)) return m.dict.get(name);
  if (found.kind === 'user') return it.bindClassAttribute(found.value, m, cls!);
  const builtin = lookupPyMethod(m, name);
  if (builtin) return new BuiltinFunction(name, (args, kwargs) => builtin(m, args, kwargs, it.interop));
  switch (name) {
    case '__class__': return typeOf(it, m);
    case '_modules': return m.modulesDict ?? raiseNoAttr(m, name);
    case '_parameters': return m.parametersDict ?? raiseNoAttr(m, name);
    case '_buffers': return m.buffersDict ?? raiseNoAttr(m, name);
    case '__dict__': return new PyDict([...m.dict.entries()]);
  }
  return m.getattrFallback(name);
}

function raiseNoAttr(obj: PyValue, name: string): never {
  throw raise('AttributeError', `'${pyTypeName(obj)}' object has no attribute '${name}'`);
}

function getInstanceAttr(it: Interpreter, obj: PyInstance, name: string): PyValue {
  const found = lookupInMro(obj.cls.mro, name);
  if (found.kind === 'user' && found.value instanceof Property) return it.callValue(found.value.fget, [obj], new Map());
  if (obj.dict.has(name)) return obj.dict.get(name);
  if (found.kind === 'user') return it.bindClassAttribute(found.value, obj, obj.cls);
  if (name === '__class__') return obj.cls;
  if (name === '__dict__') return new PyDict([...obj.dict.entries()]);
  const getattr = lookupInMro(obj.cls.mro, '__getattr__');
  if (getattr.kind === 'user') return it.callValue(it.bindClassAttribute(getattr.value, obj, obj.cls), [name], new Map());
  throw raise('AttributeError', `'${obj.cls.name}' object has no attribute '${name}'`);
}

function getClassAttr(it: Interpreter, cls: PyClass, name: string): PyValue {
  const found = lookupInMro(cls.mro, name);
  if (found.kind === 'user') {
    const v = found.value;
    if (v instanceof StaticMethod) return v.fn;
    if (v instanceof ClassMethod) return new BoundMethod(cls, v.fn);
    return v;
  }
  if (name === '__name__' || name === '__qualname__') return cls.name;
  if (name === '__mro__') return mroOf(cls);
  const moduleBase = cls.mro.find(isModuleClass);
  if (moduleBase) return getModuleClassAttr(it, moduleBase as ModuleClass, name);
  throw raise('AttributeError', `type object '${cls.name}' has no attribute '${name}'`);
}

/** `nn.Module.__init__`, `nn.Linear.forward`... reached through a class: unbound built-in methods. */
function getModuleClassAttr(it: Interpreter, cls: ModuleClass, name: string): PyValue {
  if (name === '__name__' || name === '__qualname__') return cls.pyName;
  if (name === '__init__') {
    return new BuiltinFunction(`${cls.pyName}.__init__`, ([self, ...args], kwargs) => { expectModule(self, cls).pyInit(args, kwargs, it.interop); return null; });
  }
  if (name === 'forward') {
    return new BuiltinFunction(`${cls.pyName}.forward`, ([self, ...args], kwargs) => cls.prototype.forward.call(expectModule(self, cls), args, kwargs, it.interop));
  }
  const probe = Object.create(cls.prototype) as Module;
  const method = lookupPyMethod(probe, name);
  if (method) return new BuiltinFunction(`${cls.pyName}.${name}`, ([self, ...args], kwargs) => method(expectModule(self, cls), args, kwargs, it.interop));
  throw raise('AttributeError', `type object '${cls.pyName}' has no attribute '${name}'`);
}

function expectModule(self: PyValue, cls: ModuleClass): Module {
  if (!(self instanceof cls)) throw raise('TypeError', `descriptor requires a '${cls.pyName}' object but received a '${pyTypeName(self)}'`);
  return self;
}

function getSuperAttr(it: Interpreter, sup: SuperProxy, name: string): PyValue {
  const mro = sup.selfClass;
  const start = mro.indexOf(sup.afterClass) + 1;
  const found = lookupInMro(mro, name, start);
  if (found.kind === 'user') {
    return it.bindClassAttribute(found.value, sup.self, found.owner);
  }
  if (found.kind === 'builtin-init' && sup.self instanceof Module) {
    const self = sup.self;
    return new BuiltinFunction('__init__', (args, kwargs) => { self.pyInit(args, kwargs, it.interop); return null; });
  }
  if (name === '__init__') return new BuiltinFunction('object.__init__', () => null);
  if (sup.self instanceof Module) {
    const self = sup.self;
    if (name === 'forward') return new BuiltinFunction('forward', (args, kwargs) => self.forward(args, kwargs, it.interop));
    if (name === '__repr__') return new BuiltinFunction('__repr__', () => self.defaultRepr());
    if (name === 'extra_repr') return new BuiltinFunction('extra_repr', () => self.extraRepr());
    const method = lookupPyMethod(self, name);
    if (method) return new BuiltinFunction(name, (args, kwargs) => method(self, args, kwargs, it.interop));
  }
  throw raise('AttributeError', `'super' object has no attribute '${name}'`);
}

function getNamespaceAttr(it: Interpreter, ns: PyNamespace, name: string): PyValue {
  if (ns.attrs.has(name)) return ns.attrs.get(name);
  if (name === '__name__') return ns.name;
  // Our torch covers what model code uses, not all of torch: an unknown attribute of a torch
  // namespace is an opaque value with one hint, never a false AttributeError.
  if (ns.name === 'torch' || ns.name.startsWith('torch.')) {
    return it.opaqueFromUnsupported(`${ns.name}.${name}`);
  }
  throw raise('AttributeError', `module '${ns.name}' has no attribute '${name}'`);
}

export function setAttr(it: Interpreter, obj: PyValue, name: string, value: PyValue): void {
  if (obj instanceof Module) {
    const cls = it.userClassOf(obj);
    const found = cls ? lookupInMro(cls.mro, name) : { kind: 'none' as const };
    if (found.kind === 'user' && found.value instanceof Property) {
      if (found.value.fset === null) throw raise('AttributeError', `can't set attribute '${name}'`);
      it.callValue(found.value.fset, [obj, value], new Map());
      return;
    }
    obj.setattr(name, value);
    return;
  }
  if (obj instanceof PyInstance) {
    const found = lookupInMro(obj.cls.mro, name);
    if (found.kind === 'user' && found.value instanceof Property) {
      if (found.value.fset === null) throw raise('AttributeError', `can't set attribute '${name}'`);
      it.callValue(found.value.fset, [obj, value], new Map());
      return;
    }
    obj.dict.set(name, value);
    return;
  }
  if (obj instanceof PyClass) { obj.namespace.set(name, value); return; }
  if (obj instanceof PyFunction) { obj.attrs.set(name, value); return; }
  if (obj instanceof Tensor) {
    if (name === 'requires_grad') { obj.requiresGrad = it.truthy(value); return; }
    if (name === 'data' && value instanceof Tensor) { obj.data = value.data; return; }
  }
  if (obj instanceof Opaque) return;
  throw raise('AttributeError', `'${pyTypeName(obj)}' object has no attribute '${name}'`);
}

export function delAttr(it: Interpreter, obj: PyValue, name: string): void {
  if (obj instanceof Module) { obj.delattr(name); return; }
  if (obj instanceof PyInstance) {
    if (!obj.dict.delete(name)) throw raise('AttributeError', name);
    return;
  }
  void it;
  throw raise('AttributeError', `'${pyTypeName(obj)}' object has no attribute '${name}'`);
}

// Attribute access in Python's order: data descriptors (properties) on the class, the instance
// `__dict__`, class attributes (methods bind), then `__getattr__` — for nn.Module that last step
// is PyTorch's lookup of parameters, buffers and submodules.
import {
  BuiltinClass, BuiltinFunction, PyNamespace, type PyValue, PyDict, PyFloat, PyList, PyTuple, pyTypeName,
} from '../../runtime/python/index.ts';
import { Module, lookupPyMethod, type ModuleClass, type ModuleMethod } from '../../runtime/nn/module.ts';
import { lookupPyClassMethod } from '../../runtime/nn/layer-support.ts';
import { Tensor } from '../../runtime/tensor.ts';
import { getTensorAttribute } from '../../runtime/torch/index.ts';
import { isGradEnabled, setGradEnabled } from '../../runtime/ops/grad-mode.ts';
import { isExceptionClass, raise } from './exceptions.ts';
import {
  BoundMethod, BuiltinType, ClassMethod, GradModeContext, Opaque, Property, WrappedFunction, PyClass, PyFunction, PyInstance, PySet, StaticMethod, SuperProxy,
} from './objects.ts';
import { isModuleClass, lookupInMro, mroOf, notInMro, objectTypeRef, typeOf } from './classes.ts';
import { NamedTupleType, type NamedTuple, isNamedTuple, namedTuple } from './stdlib.ts';
import type { Interpreter } from './interpreter.ts';
import type * as ast from '../syntax/ast.ts';
import { builtinTypeMethod } from './type-methods.ts';

// getAttr and getModuleAttr run for every attribute access the evaluator makes; the values that
// need closures (bound built-ins, property accessors, namedtuple methods) are made in helper
// functions, since a closure capturing `it`, `obj` or `m` here would make every access allocate a
// context for them.
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
    // Attributes set on the function (functools.wraps copies __name__/__doc__) win over the defaults.
    if (obj.attrs.has(name)) return obj.attrs.get(name);
    if (name === '__name__') return obj.name;
    if (name === '__qualname__') return obj.qualname;
    if (name === '__doc__') return docstring(obj.node.kind === 'FunctionDef' ? obj.node.body : []);
    if (name === '__dict__') return new PyDict([...obj.attrs.entries()]);
  }
  if (obj instanceof BoundMethod) {
    if (name === '__self__') return obj.self;
    if (name === '__func__') return obj.fn;
    if (['__name__', '__qualname__', '__doc__', '__module__'].includes(name)) return getAttr(it, obj.fn, name);
  }
  if (obj instanceof WrappedFunction && ['__name__', '__qualname__', '__doc__', '__module__'].includes(name)) return getAttr(it, obj.wrapped, name);
  if (obj instanceof WrappedFunction && name === '__wrapped__') return obj.wrapped;
  if (obj instanceof BuiltinFunction && (name === '__name__' || name === '__qualname__')) return obj.name;
  if (obj instanceof Property) {
    const found = propertyAttr(obj, name);
    if (found !== undefined) return found;
  }
  if (obj instanceof NamedTupleType && name === '_fields') return new PyTuple([...obj.fields]);
  if (obj instanceof BuiltinType) {
    if (name === '__name__' || name === '__qualname__') return obj.name;
    // `dict.fromkeys(keys, value)` (also the order-keeping dedup idiom `list(dict.fromkeys(xs))`).
    if (name === 'fromkeys' && obj.isInstance(new PyDict())) return dictFromkeys(it, obj);
    const unbound = unboundBuiltinMethod(it, obj, name);
    if (unbound) return unbound;
  }
  if (obj instanceof BuiltinClass && name === '__name__') return obj.name.split('.').pop()!;
  if (name === '__class__') return typeOf(it, obj);
  if (isNamedTuple(obj)) return namedTupleAttr(it, obj, name);
  const method = builtinTypeMethod(it, obj, name);
  if (method !== undefined) return method;
  throw raise('AttributeError', `'${pyTypeName(obj)}' object has no attribute '${name}'`);
}

/** `@x.setter` / `@x.getter` make a new property with that accessor replaced; undefined for other names. */
function propertyAttr(prop: Property, name: string): PyValue | undefined {
  if (name === 'setter') return new BuiltinFunction('setter', ([f]) => new Property(prop.fget, f ?? null));
  if (name === 'getter') return new BuiltinFunction('getter', ([f]) => new Property(f ?? null, prop.fset));
  if (name === 'deleter') return new BuiltinFunction('deleter', () => prop);
  if (name === 'fget') return prop.fget;
  if (name === 'fset') return prop.fset;
  return undefined;
}

/** `dict.fromkeys(keys, value)` (also the order-keeping dedup idiom `list(dict.fromkeys(xs))`). */
function dictFromkeys(it: Interpreter, type: BuiltinType): BuiltinFunction {
  return new BuiltinFunction('fromkeys', ([keys, value]) => new PyDict(it.iterate(keys).map((k) => [k, value ?? null]), type.name === 'OrderedDict' ? 'OrderedDict' : 'dict'));
}

function namedTupleAttr(it: Interpreter, obj: NamedTuple, name: string): PyValue {
  const i = obj.namedFields.indexOf(name);
  if (i >= 0) return obj.items[i];
  const fields = obj.namedFields, items = obj.items, type = obj.namedType;
  if (name === '_fields') return new PyTuple([...fields]);
  if (name === '_asdict') return new BuiltinFunction('_asdict', () => new PyDict(fields.map((f, k) => [f, items[k]])));
  if (name === '_replace') {
    return new BuiltinFunction('_replace', (_args, kwargs) => {
      const unknown = [...kwargs.keys()].filter((k) => !fields.includes(k));
      if (unknown.length) throw raise('ValueError', `Got unexpected field names: ${it.repr(new PyList(unknown))}`);
      return namedTuple(fields.map((f, k) => (kwargs.has(f) ? kwargs.get(f) : items[k])), type, fields);
    });
  }
  const tupleMethod = builtinTypeMethod(it, obj, name);
  if (tupleMethod !== undefined) return tupleMethod;
  throw raise('AttributeError', `'${type}' object has no attribute '${name}'`);
}

function getModuleAttr(it: Interpreter, m: Module, name: string): PyValue {
  const cls = it.userClassOf(m);
  const found = cls ? lookupInMro(cls.mro, name) : notInMro;
  if (found.kind === 'user' && found.value instanceof Property) return it.callValue(found.value.fget, [m], new Map());
  if (m.dict.has(name)) return m.dict.get(name);
  if (found.kind === 'user') return it.bindClassAttribute(found.value, m, cls!);
  const builtin = lookupPyMethod(m, name);
  if (builtin) return boundModuleMethod(it, m, name, builtin);
  switch (name) {
    case '__class__': return typeOf(it, m);
    case '_modules': return m.modulesDict ?? raiseNoAttr(m, name);
    case '_parameters': return m.parametersDict ?? raiseNoAttr(m, name);
    case '_buffers': return m.buffersDict ?? raiseNoAttr(m, name);
    case '__dict__': return new PyDict([...m.dict.entries()]);
  }
  return m.getattrFallback(name);
}

/** A built-in module method bound to its module (`self.layers.append`). */
function boundModuleMethod(it: Interpreter, m: Module, name: string, method: ModuleMethod): BuiltinFunction {
  return new BuiltinFunction(name, (args, kwargs) => method(m, args, kwargs, it.interop));
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
  if (name === '__name__') return cls.name;
  if (name === '__qualname__') return cls.qualname;
  if (name === '__mro__') return new PyTuple(mroOf(cls));
  if (name === '__bases__') return new PyTuple(cls.bases.length ? cls.bases : [objectTypeRef]);
  if (name === '__dict__') return new PyDict([...cls.namespace.entries()]);
  if (name === '__doc__') return docstring(cls.node?.body ?? []);
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
  const classMethod = lookupPyClassMethod(cls, name);
  if (classMethod) return new BuiltinFunction(`${cls.pyName}.${name}`, (args, kwargs) => classMethod(cls, args, kwargs, it.interop));
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
  if (name === '__init__') {
    // `super().__init__(message)` in a custom exception sets its args (what str(exc) shows).
    const self = sup.self;
    if (self instanceof PyInstance && isExceptionClass(self.cls)) {
      return new BuiltinFunction('BaseException.__init__', (args) => { self.dict.set('args', new PyTuple(args)); return null; });
    }
    return new BuiltinFunction('object.__init__', () => null);
  }
  if (name === '__init_subclass__') return new BuiltinFunction('object.__init_subclass__', () => null);
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
    const extra = torchExtra(ns, name);
    if (extra !== undefined) return extra;
    return it.opaqueFromUnsupported(`${ns.name}.${name}`);
  }
  throw raise('AttributeError', `module '${ns.name}' has no attribute '${name}'`);
}

export function setAttr(it: Interpreter, obj: PyValue, name: string, value: PyValue): void {
  if (obj instanceof Module) {
    const cls = it.userClassOf(obj);
    const found = cls ? lookupInMro(cls.mro, name) : notInMro;
    if (found.kind === 'user' && found.value instanceof Property) {
      if (found.value.fset === null) throw raise('AttributeError', `property '${name}' of '${pyTypeName(obj)}' object has no setter`);
      it.callValue(found.value.fset, [obj, value], new Map());
      return;
    }
    obj.setattr(name, value);
    return;
  }
  if (obj instanceof PyInstance) {
    const found = lookupInMro(obj.cls.mro, name);
    if (found.kind === 'user' && found.value instanceof Property) {
      if (found.value.fset === null) throw raise('AttributeError', `property '${name}' of '${pyTypeName(obj)}' object has no setter`);
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
    if (!obj.dict.delete(name)) throw raise('AttributeError', `'${obj.cls.name}' object has no attribute '${name}'`);
    return;
  }
  void it;
  throw raise('AttributeError', `'${pyTypeName(obj)}' object has no attribute '${name}'`);
}

/** A docstring: the body's first statement when it is a string literal, else None. */
function docstring(body: readonly ast.Stmt[]): PyValue {
  const first = body[0];
  if (first?.kind === 'Expr' && first.value.kind === 'Constant' && first.value.value.type === 'str') return first.value.value.value;
  return null;
}

/** A sample value of each built-in type whose methods `builtinTypeMethod` knows (for `str.lower` and the like). */
function sampleOf(type: BuiltinType): PyValue | undefined {
  switch (type.name) {
    case 'str': return '';
    case 'int': return 0;
    case 'float': return new PyFloat(0);
    case 'list': return new PyList([]);
    case 'tuple': return new PyTuple([]);
    case 'dict': return new PyDict();
    case 'set': return new PySet();
  }
  return undefined;
}

/** `str.lower`, `list.append`...: a method reached through its type, taking the instance first. */
function unboundBuiltinMethod(it: Interpreter, type: BuiltinType, name: string): BuiltinFunction | undefined {
  const sample = sampleOf(type);
  if (sample === undefined || builtinTypeMethod(it, sample, name) === undefined) return undefined;
  return new BuiltinFunction(`${type.name}.${name}`, ([self, ...rest], kwargs) => {
    if (!type.isInstance(self)) {
      throw raise('TypeError', `descriptor '${name}' for '${type.name}' objects doesn't apply to a '${pyTypeName(self)}' object`);
    }
    return it.callValue(builtinTypeMethod(it, self, name)!, rest, kwargs);
  });
}

const gradMode = { get: isGradEnabled, set: setGradEnabled };
const gradModeClasses = new Map<string, BuiltinClass>([
  ['no_grad', false], ['enable_grad', true], ['inference_mode', false],
].map(([name, mode]) => [name as string, new BuiltinClass(`torch.${name as string}`, (v) => v instanceof GradModeContext && v.name === name, (args, kwargs) => {
  // `torch.inference_mode(mode=True)`: inference mode off means grad mode is left as it is.
  const enabled = name === 'inference_mode' ? (args[0] ?? kwargs.get('mode') ?? true) !== false : true;
  return new GradModeContext(name as string, enabled ? mode as boolean : isGradEnabled(), gradMode);
})]));

/**
 * Parts of `torch` the evaluator implements itself because they act on evaluation, not on tensors:
 * the grad-mode context managers and decorators (`with torch.no_grad():`, `@torch.no_grad()`).
 */
export function torchExtra(ns: PyNamespace, name: string): PyValue | undefined {
  if (ns.name === 'torch' || ns.name === 'torch.autograd' || ns.name === 'torch.autograd.grad_mode') return gradModeClasses.get(name);
  return undefined;
}

// Classes: `class` statements, the C3 method resolution order across user classes and the
// runtime's built-in classes (nn.Module and its layers), instantiation (including user subclasses
// of nn.Module, which become runtime Modules with Python hooks), and isinstance.
import { type Kwargs, PyDict, PyFloat, PyList, PyTuple, type PyValue, pyTypeName, BuiltinClass } from '../../runtime/python/index.ts';
import { Module, lookupPyMethod, type ModuleClass } from '../../runtime/nn/module.ts';
import { Tensor } from '../../runtime/tensor.ts';
import type * as ast from '../syntax/ast.ts';
import { isExceptionClass, newException, raise } from './exceptions.ts';
import {
  BoundMethod, BuiltinType, ClassMethod, Opaque, Property, PyClass, type PyClassLike, PyFunction, PyInstance, StaticMethod,
} from './objects.ts';
import { Scope } from './scope.ts';
import type { Interpreter } from './interpreter.ts';
import { execBlock } from './statements.ts';
import { qualnameIn } from './functions.ts';

export function isModuleClass(v: PyValue): v is ModuleClass {
  return typeof v === 'function' && (v === Module || v.prototype instanceof Module);
}

export function defineClass(it: Interpreter, node: ast.ClassDef, scope: Scope): PyValue {
  const decorators = node.decoratorList.map((d) => it.evalExpr(d, scope));
  let bases = node.bases.map((b) => it.evalExpr(b, scope));
  const classKwargs: Kwargs = new Map();
  for (const kw of node.keywords) {
    const v = it.evalExpr(kw.value, scope);
    if (kw.arg && kw.arg !== 'metaclass') classKwargs.set(kw.arg, v);
  }
  bases = bases.map((b, i) => {
    if (b instanceof Opaque) {
      // An unknown base (e.g. `pl.LightningModule`): a class with a `forward` is almost surely an
      // nn.Module subclass, so treat it as one and say so once.
      it.unsupported('unsupported-base', `base class ${b.description} is unknown to NN Lens; treating it as nn.Module`, node.bases[i]!.range);
      return Module;
    }
    if (!(b instanceof PyClass) && !isModuleClass(b) && !(b instanceof BuiltinType)) {
      throw raise('TypeError', `bases must be types (got ${pyTypeName(b)})`);
    }
    return b;
  });
  const classScope = new Scope('class', scope, scope.moduleScope);
  const qualname = qualnameIn(scope, node.name);
  classScope.vars.set('__qualname__', qualname);
  classScope.vars.set('__module__', it.moduleName);
  execBlock(it, node.body, classScope);
  classScope.vars.delete('__qualname__');
  const cls = new PyClass(node.name, bases as PyClassLike[], classScope.vars, node);
  cls.qualname = qualname;
  cls.mro = computeMro(cls);
  for (const value of classScope.vars.values()) setOwner(value, cls);
  // A base's `__init_subclass__` (an implicit classmethod) runs for the new class, with the class keywords.
  const hook = lookupInMro(cls.mro, '__init_subclass__', 1);
  if (hook.kind === 'user') it.callValue(new BoundMethod(cls, hook.value instanceof ClassMethod ? hook.value.fn : hook.value), [], classKwargs);
  let result: PyValue = cls;
  for (const decorator of decorators.reverse()) result = it.callValue(decorator, [result], new Map());
  return result;
}

function setOwner(value: PyValue, cls: PyClass): void {
  if (value instanceof PyFunction) { if (!value.ownerClass) value.ownerClass = cls; return; }
  if (value instanceof StaticMethod || value instanceof ClassMethod) setOwner(value.fn, cls);
  if (value instanceof Property) { setOwner(value.fget, cls); setOwner(value.fset, cls); }
}

/** The linearisation of a built-in class: its TS prototype chain up to Module, then `object`. */
function builtinMro(c: PyClassLike, objectType: BuiltinType): PyClassLike[] {
  if (c instanceof BuiltinType) {
    const out: PyClassLike[] = [];
    for (let b: BuiltinType | null = c; b; b = b.base) out.push(b);
    if (out[out.length - 1] !== objectType) out.push(objectType);
    return out;
  }
  const out: PyClassLike[] = [];
  for (let p: unknown = c; p && p !== Function.prototype; p = Object.getPrototypeOf(p)) {
    out.push(p as PyClassLike);
    if (p === Module) break;
  }
  out.push(objectType);
  return out;
}

export let objectTypeRef: BuiltinType | null = null;
export function setObjectType(t: BuiltinType): void { objectTypeRef = t; }

export function mroOf(c: PyClassLike): PyClassLike[] {
  return c instanceof PyClass ? c.mro : builtinMro(c, objectTypeRef!);
}

/** C3 linearisation, with CPython's error for inconsistent hierarchies. */
export function computeMro(cls: PyClass): PyClassLike[] {
  const sequences = [...cls.bases.map((b) => [...mroOf(b)]), [...cls.bases]];
  const result: PyClassLike[] = [cls];
  while (sequences.some((s) => s.length)) {
    const candidate = sequences.find((s) => s.length && !sequences.some((t) => t.indexOf(s[0]!) > 0))?.[0];
    if (!candidate) {
      throw raise('TypeError', `Cannot create a consistent method resolution order (MRO) for bases ${cls.bases.map(className).join(', ')}`);
    }
    result.push(candidate);
    for (const s of sequences) if (s[0] === candidate) s.shift();
  }
  if (result[result.length - 1] !== objectTypeRef) result.push(objectTypeRef!);
  return result;
}

export function className(c: PyClassLike): string {
  if (c instanceof PyClass || c instanceof BuiltinType) return c.name;
  return (c as unknown as ModuleClass).pyName ?? 'object';
}

/** A class attribute found along an MRO: a value from a user class namespace, or a built-in module method. */
export type ClassAttribute =
  | { kind: 'user'; value: PyValue; owner: PyClass }
  | { kind: 'builtin-init'; owner: ModuleClass }
  | { kind: 'none' };

/** The answer for a name no class defines (shared: attribute lookups miss far more often than they hit). */
export const notInMro: ClassAttribute = Object.freeze({ kind: 'none' });

export function lookupInMro(mro: readonly PyClassLike[], name: string, start = 0): ClassAttribute {
  for (let i = start; i < mro.length; i++) {
    const c = mro[i]!;
    if (c instanceof PyClass) {
      if (c.namespace.has(name)) return { kind: 'user', value: c.namespace.get(name), owner: c };
    } else if (name === '__init__' && isModuleClass(c)) {
      return { kind: 'builtin-init', owner: c };
    }
  }
  return notInMro;
}

/** The Python class of a value (user class for user instances and user Module subclasses). */
export function typeOf(it: Interpreter, v: PyValue): PyClassLike {
  if (v instanceof PyInstance) return v.cls;
  if (v instanceof Module) return it.userClassOf(v) ?? (v.constructor as ModuleClass);
  return it.builtinTypeOf(v);
}

export function isInstance(it: Interpreter, v: PyValue, cls: PyValue): boolean {
  if (cls instanceof PyTuple) return cls.items.some((c) => isInstance(it, v, c));
  if (cls instanceof PyClass) return mroOf(typeOf(it, v)).includes(cls);
  if (isModuleClass(cls)) return v instanceof cls;
  if (cls instanceof BuiltinType) return cls.isInstance(v);
  if (cls instanceof BuiltinClass) return cls.isInstance(v);
  if (cls instanceof Opaque) return false;
  throw raise('TypeError', 'isinstance() arg 2 must be a type, a tuple of types, or a union');
}

export function isSubclass(it: Interpreter, c: PyValue, of: PyValue): boolean {
  if (of instanceof PyTuple) return of.items.some((o) => isSubclass(it, c, o));
  if (c instanceof PyClass || isModuleClass(c) || c instanceof BuiltinType) {
    if (of instanceof PyClass || of instanceof BuiltinType) return mroOf(c as PyClassLike).includes(of);
    if (isModuleClass(of)) return mroOf(c as PyClassLike).some((x) => x === of || (typeof x === 'function' && x.prototype instanceof of));
    return false;
  }
  throw raise('TypeError', 'issubclass() arg 1 must be a class');
}

/** `Cls(*args, **kwargs)` for a user class. */
export function instantiate(it: Interpreter, cls: PyClass, args: PyValue[], kwargs: Kwargs): PyValue {
  const moduleBase = cls.mro.find(isModuleClass) as ModuleClass | undefined;
  let self: PyValue;
  if (moduleBase) {
    const m = new moduleBase();
    it.attachUserClass(m, cls);
    self = m;
  } else if (isExceptionClass(cls)) {
    self = newException(cls, args);
  } else {
    self = new PyInstance(cls);
  }
  const init = lookupInMro(cls.mro, '__init__');
  if (init.kind === 'user') {
    const r: PyValue = it.callValue(it.bindClassAttribute(init.value, self, cls), args, kwargs);
    if (r !== null && r !== undefined) throw raise('TypeError', `__init__() should return None, not '${pyTypeName(r)}'`);
  } else if (init.kind === 'builtin-init') {
    (self as Module).pyInit(args, kwargs, it.interop);
  } else if (cls.dataclassFields) {
    initDataclass(it, cls, self as PyInstance, args, kwargs);
  } else if (!isExceptionClass(cls) && (args.length || kwargs.size)) {
    throw raise('TypeError', `${(cls as PyClass).name}() takes no arguments`);
  }
  const post = lookupInMro(cls.mro, '__post_init__');
  if (cls.dataclassFields && post.kind === 'user') it.callValue(it.bindClassAttribute(post.value, self, cls), [], new Map());
  return self;
}

function initDataclass(it: Interpreter, cls: PyClass, self: PyInstance, args: PyValue[], kwargs: Kwargs): void {
  const fields = cls.dataclassFields!;
  const sig = {
    qualname: `${cls.name}.__init__`, isMethod: true,
    params: fields.map((f) => ('default' in f || f.defaultFactory ? { name: f.name, default: f.default } : { name: f.name })),
  };
  const bound = it.bind(sig, args, kwargs);
  for (const f of fields) {
    let v = bound.get(f.name);
    if (v === undefined && f.defaultFactory) v = it.callValue(f.defaultFactory, [], new Map());
    self.dict.set(f.name, v ?? null);
  }
}

/** Builtin methods of a runtime Module reachable through `super()` or the class (`nn.Module.train`). */
export function builtinModuleMethod(m: Module, name: string): ReturnType<typeof lookupPyMethod> {
  return lookupPyMethod(m, name);
}

export { PyDict, PyList, PyFloat, Tensor };

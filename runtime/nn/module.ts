// torch.nn.Module: attribute registration, traversal, repr and __call__ with PyTorch 1.13's
// semantics. Built-in layers subclass it in TypeScript; user classes written in Python are
// instances of Module (or of the built-in layer they subclass) with `user` hooks set by the
// evaluator, so both kinds behave identically to the rest of the runtime.
import {
  PyDict, PyError, type Interop, type Kwargs, PyIterator, PyTuple, type PyValue, type Signature,
  attributeError, bindArguments, keyError, sig, typeError, pyRepr,
} from '../python/index.ts';
import { Parameter, Tensor } from '../tensor.ts';
import { runtimeContext } from '../context.ts';
import { currentCallTracer } from './call-tracer.ts';
import { torchTypename } from './typename.ts';

export type ModuleMethod = (self: Module, args: PyValue[], kwargs: Kwargs, interop: Interop) => PyValue;

/** What the evaluator attaches to instances of user-defined classes. */
export interface UserClassHooks {
  /** Python class name (`type(self).__name__`). */
  className: string;
  /** The class's `__module__` (`__main__` when absent), for `torch.typename` in messages. */
  moduleName?: string;
  /** The class's (or a base's) Python `forward`, when defined in Python. */
  forward?: (self: Module, args: PyValue[], kwargs: Kwargs) => PyValue;
  /** A Python `extra_repr` override. */
  extraRepr?: (self: Module) => string;
  /** A Python `__repr__` override. */
  repr?: (self: Module) => string;
  /** Whether the class (MRO) defines `name`, for `hasattr` checks inside register_*. */
  hasClassAttribute(name: string): boolean;
}

export interface ModuleClass {
  new(): Module;
  readonly pyName: string;
  readonly signature: Signature;
}

export class Module {
  static readonly pyName: string = 'Module';
  static readonly signature: Signature = sig('Module.__init__', [], { isMethod: true });
  /** Python-visible methods of this class; looked up along the TS prototype chain. */
  static readonly pyMethods: Record<string, ModuleMethod> = {};

  // The fields are assigned in the constructor rather than declared with initialisers: class-field
  // initialisers define properties, and with dozens of layer subclasses sharing this base that
  // define site goes megamorphic and costs several times a plain store (every layer construction,
  // hundreds per analysis). Same fields, same order.
  /** The instance `__dict__`: plain attributes (including `training`). */
  declare readonly dict: Map<string, PyValue>;
  /** `_parameters`, `_buffers`, `_modules`: null until `Module.__init__()` ran, as in PyTorch. */
  declare parametersDict: PyDict | null;
  declare buffersDict: PyDict | null;
  declare modulesDict: PyDict | null;
  declare user: UserClassHooks | null;
  // Most modules never get a hook or a non-persistent buffer: these are made on first use.
  private declare nonPersistent: Set<string> | null;
  private declare preHooks: PyValue[] | null;
  private declare postHooks: PyValue[] | null;

  constructor() {
    this.dict = new Map();
    this.parametersDict = null;
    this.buffersDict = null;
    this.modulesDict = null;
    this.user = null;
    this.nonPersistent = null;
    this.preHooks = null;
    this.postHooks = null;
  }

  /** Names in `_non_persistent_buffers_set`. */
  get nonPersistentBuffers(): Set<string> { return this.nonPersistent ??= new Set(); }
  /** `_forward_pre_hooks` in registration order (RemovableHandle removes from this very array). */
  get forwardPreHooks(): PyValue[] { return this.preHooks ??= []; }
  /** `_forward_hooks` in registration order. */
  get forwardHooks(): PyValue[] { return this.postHooks ??= []; }

  get pyTypeName(): string { return this.user?.className ?? (this.constructor as ModuleClass).pyName; }
  get training(): boolean { return this.dict.get('training') === true; }

  /** `Module.__init__(self)`: fresh dicts; hooks and the non-persistent set start empty again (made on first use). */
  moduleInit(): void {
    this.dict.set('training', true);
    this.parametersDict = new PyDict();
    this.buffersDict = new PyDict();
    this.modulesDict = new PyDict();
    this.nonPersistent = null;
    this.preHooks = null;
    this.postHooks = null;
  }

  /** `Cls.__init__(self, *args, **kwargs)` of a built-in class: binds with CPython's messages, then initialises. */
  pyInit(args: PyValue[], kwargs: Kwargs, interop: Interop): void {
    const cls = this.constructor as ModuleClass;
    const bound = bindArguments(cls.signature, args, kwargs);
    this.moduleInit();
    this.initialize(bound, interop);
  }

  /** The body of a built-in layer's `__init__` after `super().__init__()`. */
  protected initialize(_args: Map<string, PyValue>, _interop: Interop): void {}

  /** The built-in `forward`; user classes override it through `user.forward`. */
  forward(_args: PyValue[], _kwargs: Kwargs, _interop: Interop): PyValue {
    throw new PyError('NotImplementedError', `Module [${this.pyTypeName}] is missing the required "forward" function`);
  }

  extraRepr(): string { return ''; }

  // ------------------------------------------------------------ attributes

  /** `Module.__setattr__`: routes Parameters, Modules and buffers into their dicts. */
  setattr(name: string, value: PyValue): void {
    const params = this.parametersDict;
    if (value instanceof Parameter) {
      if (!params) throw attributeError('cannot assign parameters before Module.__init__() call');
      this.dict.delete(name);
      this.removeBuffer(name);
      this.modulesDict?.delete(name);
      this.registerParameter(name, value);
      return;
    }
    if (params && params.has(name)) {
      if (value !== null) {
        throw typeError(`cannot assign '${torchTypename(value)}' as parameter '${name}' (torch.nn.Parameter or None expected)`);
      }
      this.registerParameter(name, null);
      return;
    }
    const modules = this.modulesDict;
    if (value instanceof Module) {
      if (!modules) throw attributeError('cannot assign module before Module.__init__() call');
      this.dict.delete(name);
      this.parametersDict?.delete(name);
      this.removeBuffer(name);
      modules.set(name, value);
      return;
    }
    if (modules && modules.has(name)) {
      if (value !== null) {
        throw typeError(`cannot assign '${torchTypename(value)}' as child module '${name}' (torch.nn.Module or None expected)`);
      }
      modules.set(name, null);
      return;
    }
    const buffers = this.buffersDict;
    if (buffers && buffers.has(name)) {
      if (value !== null && !(value instanceof Tensor)) {
        throw typeError(`cannot assign '${torchTypename(value)}' as buffer '${name}' (torch.Tensor or None expected)`);
      }
      buffers.set(name, value);
      return;
    }
    this.dict.set(name, value);
  }

  /** `Module.__getattr__` (called after the instance dict and the class): parameters, buffers, submodules. */
  getattrFallback(name: string): PyValue {
    const params = this.parametersDict;
    if (params?.has(name)) return params.get(name);
    const buffers = this.buffersDict;
    if (buffers?.has(name)) return buffers.get(name);
    const modules = this.modulesDict;
    if (modules?.has(name)) return modules.get(name);
    throw attributeError(`'${this.pyTypeName}' object has no attribute '${name}'`);
  }

  /** Instance-level lookup in Python's order minus the class: `__dict__`, then `__getattr__`. */
  hasInstanceAttribute(name: string): boolean {
    return this.dict.has(name) || !!this.parametersDict?.has(name) || !!this.buffersDict?.has(name) || !!this.modulesDict?.has(name);
  }

  /** `Module.__delattr__`. */
  delattr(name: string): void {
    for (const d of [this.parametersDict, this.buffersDict, this.modulesDict]) {
      if (d && d.has(name)) { d.delete(name); this.nonPersistent?.delete(name); return; }
    }
    if (!this.dict.delete(name)) throw attributeError(name);
  }

  /** Drops `name` from `_buffers` and the non-persistent set (assigning a parameter or module over a buffer). */
  private removeBuffer(name: string): void {
    this.buffersDict?.delete(name);
    this.nonPersistent?.delete(name);
  }

  private hasAttributeForRegistration(name: string): boolean {
    return this.hasInstanceAttribute(name) || !!this.user?.hasClassAttribute(name) || lookupPyMethod(this, name) !== undefined;
  }

  registerParameter(name: PyValue, param: PyValue): void {
    if (!this.parametersDict) throw attributeError('cannot assign parameter before Module.__init__() call');
    if (typeof name !== 'string') throw typeError(`parameter name should be a string. Got ${torchTypename(name)}`);
    if (name.includes('.')) throw keyError('parameter name can\'t contain "."');
    if (name === '') throw keyError('parameter name can\'t be empty string ""');
    if (this.hasAttributeForRegistration(name) && !this.parametersDict.has(name)) throw keyError(`attribute '${name}' already exists`);
    if (param === null) { this.parametersDict.set(name, null); return; }
    if (!(param instanceof Parameter)) {
      throw typeError(`cannot assign '${torchTypename(param)}' object to parameter '${name}' (torch.nn.Parameter or None required)`);
    }
    this.parametersDict.set(name, param);
  }

  registerBuffer(name: PyValue, tensor: PyValue, persistent = true): void {
    if (!this.buffersDict) throw attributeError('cannot assign buffer before Module.__init__() call');
    if (typeof name !== 'string') throw typeError(`buffer name should be a string. Got ${torchTypename(name)}`);
    if (name.includes('.')) throw keyError('buffer name can\'t contain "."');
    if (name === '') throw keyError('buffer name can\'t be empty string ""');
    if (this.hasAttributeForRegistration(name) && !this.buffersDict.has(name)) throw keyError(`attribute '${name}' already exists`);
    if (tensor !== null && !(tensor instanceof Tensor)) {
      throw typeError(`cannot assign '${torchTypename(tensor)}' object to buffer '${name}' (torch Tensor or None required)`);
    }
    this.buffersDict.set(name, tensor);
    if (persistent) this.nonPersistent?.delete(name); else this.nonPersistentBuffers.add(name);
  }

  addModule(name: PyValue, module: PyValue): void {
    if (module !== null && !(module instanceof Module)) throw typeError(`${torchTypename(module)} is not a Module subclass`);
    if (typeof name !== 'string') throw typeError(`module name should be a string. Got ${torchTypename(name)}`);
    if (!this.modulesDict) throw attributeError('cannot assign module before Module.__init__() call');
    if (this.hasAttributeForRegistration(name) && !this.modulesDict.has(name)) throw keyError(`attribute '${name}' already exists`);
    if (name.includes('.')) throw keyError(`module name can't contain ".", got: ${name}`);
    if (name === '') throw keyError('module name can\'t be empty string ""');
    this.modulesDict.set(name, module);
  }

  // ------------------------------------------------------------ traversal

  // The traversals below walk the dicts in place (PyDict.forEach) rather than through `items()`
  // copies: the analysis runs several of them per model on every edit.

  /** `_modules.items()` without None entries. */
  childEntries(): [string, Module][] {
    const out: [string, Module][] = [];
    this.modulesDict?.forEach((m, name) => { if (m instanceof Module) out.push([name as string, m]); });
    return out;
  }

  /** `named_modules()`: pre-order, each module once (under its first name) unless `removeDuplicate` is false. */
  namedModules(prefix = '', removeDuplicate = true, memo: Set<Module> = new Set()): [string, Module][] {
    const out: [string, Module][] = [];
    const visit = (m: Module, p: string): void => {
      if (removeDuplicate) { if (memo.has(m)) return; memo.add(m); }
      out.push([p, m]);
      m.modulesDict?.forEach((child, name) => {
        if (child instanceof Module) visit(child, p ? `${p}.${name as string}` : name as string);
      });
    };
    visit(this, prefix);
    return out;
  }

  private namedMembers(
    dictOf: (m: Module) => PyDict | null, prefix: string, recurse: boolean, removeDuplicate = true,
  ): [string, Tensor][] {
    const memo = new Set<Tensor>();
    const out: [string, Tensor][] = [];
    const add = (modulePrefix: string, module: Module): void => {
      dictOf(module)?.forEach((v, k) => {
        if (!(v instanceof Tensor)) return;
        if (removeDuplicate) { if (memo.has(v)) return; memo.add(v); }
        out.push([modulePrefix ? `${modulePrefix}.${k as string}` : k as string, v]);
      });
    };
    if (!recurse) { add(prefix, this); return out; }
    // `named_modules()` walked in place (same order, same names) instead of listed first: the
    // analysis asks for every model's parameters and buffers on every edit.
    const seen = removeDuplicate ? new Set<Module>() : null;
    const visit = (m: Module, p: string): void => {
      if (seen) { if (seen.has(m)) return; seen.add(m); }
      add(p, m);
      m.modulesDict?.forEach((child, name) => {
        if (child instanceof Module) visit(child, p ? `${p}.${name as string}` : name as string);
      });
    };
    visit(this, prefix);
    return out;
  }

  namedParameters(prefix = '', recurse = true, removeDuplicate = true): [string, Parameter][] {
    return this.namedMembers((m) => m.parametersDict, prefix, recurse, removeDuplicate) as [string, Parameter][];
  }

  namedBuffers(prefix = '', recurse = true, removeDuplicate = true): [string, Tensor][] {
    return this.namedMembers((m) => m.buffersDict, prefix, recurse, removeDuplicate);
  }

  /** `state_dict().keys()` with the tensors: every name (tied weights under each), persistent buffers only. */
  stateDictEntries(prefix = ''): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    this.collectStateDict(prefix, out);
    return out;
  }

  private collectStateDict(prefix: string, out: [string, Tensor][]): void {
    this.parametersDict?.forEach((v, k) => { if (v instanceof Tensor) out.push([prefix + (k as string), v]); });
    this.buffersDict?.forEach((v, k) => {
      if (v instanceof Tensor && !this.nonPersistent?.has(k as string)) out.push([prefix + (k as string), v]);
    });
    this.modulesDict?.forEach((child, name) => { if (child instanceof Module) child.collectStateDict(`${prefix}${name as string}.`, out); });
  }

  train(mode = true): this {
    // Every module once, as `self.modules()` gives them, without listing them with their names first.
    const seen = new Set<Module>();
    const visit = (m: Module): void => {
      if (seen.has(m)) return;
      seen.add(m);
      m.dict.set('training', mode);
      m.modulesDict?.forEach((child) => { if (child instanceof Module) visit(child); });
    };
    visit(this);
    return this;
  }

  // ------------------------------------------------------------ repr

  extraReprText(): string {
    const user = this.user?.extraRepr;
    if (!user) return this.extraRepr();
    return runReprHook(() => user(this));
  }

  /** `repr(module)`, byte-identical to PyTorch 1.13 (or 2.x with `torch2Repr`). */
  repr(): string {
    const memo = reprMemo;
    if (memo === null) return this.user?.repr ? this.user.repr(this) : this.defaultRepr();
    const hit = memo.get(this);
    if (hit !== undefined) return hit;
    const outer = reprRanPython;
    reprRanPython = false;
    try {
      const user = this.user?.repr;
      const text = user ? runReprHook(() => user(this)) : this.defaultRepr();
      // Only a repr that ran no Python is the same on every call; one that did is computed again.
      if (!reprRanPython) memo.set(this, text);
      return text;
    } finally {
      reprRanPython ||= outer;
    }
  }

  /** `Module.__repr__` itself (what `super().__repr__()` reaches). */
  defaultRepr(): string {
    const extra = this.extraReprText();
    // A leaf with a one-line extra_repr (most layers): `Linear(in_features=4, ...)`, as below.
    if (!this.modulesDict?.size && !extra.includes('\n')) return `${this.pyTypeName}(${extra})`;
    const lines = extra ? extra.split('\n') : [];
    const extraLines = lines.length;
    for (const [key, m] of this.modulesDict?.items() ?? []) {
      lines.push(`(${String(key)}): ${addIndent(m instanceof Module ? m.repr() : pyRepr(m), 2)}`);
    }
    let main = `${this.pyTypeName}(`;
    if (lines.length) {
      if (extraLines === 1 && lines.length === 1) main += lines[0];
      else main += `\n  ${lines.join('\n  ')}\n`;
    }
    return `${main})`;
  }

  pyRepr(): string { return this.repr(); }

  // ------------------------------------------------------------ __call__

  /** `module(*args, **kwargs)`: forward pre-hooks, forward, forward hooks, and the call tracer. */
  call(args: PyValue[], kwargs: Kwargs, interop: Interop): PyValue {
    const tracer = currentCallTracer();
    const token = tracer?.enter(this, args);
    for (const hook of this.preHooks ?? noHooks) {
      const r = interop.call(hook, [this, new PyTuple(args)]);
      if (r !== null && r !== undefined) args = r instanceof PyTuple ? [...r.items] : [r];
    }
    let result = this.user?.forward ? this.user.forward(this, args, kwargs) : this.forward(args, kwargs, interop);
    for (const hook of this.postHooks ?? noHooks) {
      const r = interop.call(hook, [this, new PyTuple(args), result]);
      if (r !== null && r !== undefined) result = r;
    }
    if (tracer && token !== undefined) tracer.exit(token, result);
    return result;
  }
}

const noHooks: readonly PyValue[] = [];

/**
 * Reprs already computed inside `withReprMemo` (null outside it). The analysis reports a model's
 * repr and then each submodule's, and each of those is a part of its parent's: without the memo a
 * module at depth d is formatted d + 1 times. Only reprs that ran no Python code are kept (built-in
 * layers and classes without `__repr__`/`extra_repr`: a function of the module tree alone), and the
 * memo is emptied whenever Python code ran, since it may have changed any module.
 */
let reprMemo: Map<Module, string> | null = null;
/** Whether a Python `__repr__`/`extra_repr` ran during the repr being computed. */
let reprRanPython = false;

/**
 * Runs `f` (which formats modules and must not change them) with module reprs memoised. The
 * caller guarantees that nothing but repr runs inside, so a module's repr cannot change in between.
 */
export function withReprMemo<T>(f: () => T): T {
  const outer = reprMemo;
  reprMemo = outer ?? new Map();
  try { return f(); } finally { reprMemo = outer; }
}

function runReprHook(hook: () => string): string {
  reprRanPython = true;
  try { return hook(); } finally { reprMemo?.clear(); }
}

/** torch's `_addindent`: indents every line but the first. */
export function addIndent(s: string, numSpaces: number): string {
  if (!s.includes('\n')) return s;
  return s.replaceAll('\n', `\n${' '.repeat(numSpaces)}`);
}

/** Finds a Python-visible built-in method along the module's TS class chain. */
export function lookupPyMethod(module: Module, name: string): ModuleMethod | undefined {
  for (const table of methodTablesOf(module.constructor)) {
    if (Object.prototype.hasOwnProperty.call(table, name)) return table[name];
  }
  return undefined;
}

/**
 * The `pyMethods` tables along a class chain, nearest first. Which classes have a table is fixed
 * when they are defined (a static field), so the chain is walked once per class; the tables' contents
 * are read at each lookup (module-methods.ts fills Module's after import). Every attribute lookup and
 * registration on a module asks.
 */
const methodTables = new WeakMap<object, readonly Record<string, ModuleMethod>[]>();

function methodTablesOf(cls: object): readonly Record<string, ModuleMethod>[] {
  let tables = methodTables.get(cls);
  if (!tables) {
    const found: Record<string, ModuleMethod>[] = [];
    for (let c: unknown = cls; c && c !== Function.prototype; c = Object.getPrototypeOf(c)) {
      if (Object.prototype.hasOwnProperty.call(c, 'pyMethods')) found.push((c as typeof Module).pyMethods);
    }
    tables = found;
    methodTables.set(cls, tables);
  }
  return tables;
}

export const deviceOfContext = (): ReturnType<typeof runtimeContext>['device'] => runtimeContext().device;

export { PyIterator, torchTypename };

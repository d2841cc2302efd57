// The evaluator: a tree-walking interpreter for the Python subset model files use. It never
// runs user code as code: no file system (except sibling sources through the importer), no
// network, no processes; every statement and call counts against a step budget.
import {
  BuiltinClass, BuiltinFunction, type Interop, type Kwargs, NeedsValuesError, PyDict, PyError, PyFloat, PyIterator,
  PyList, PySlice, PyTuple, type PyValue, type Signature, bindArguments, dictKey, pyRepr, pyTypeName, ELLIPSIS, PyNamespace,
} from '../../runtime/python/index.ts';
import { Module, type ModuleClass, type UserClassHooks, lookupPyMethod } from '../../runtime/nn/module.ts';
import { Tensor } from '../../runtime/tensor.ts';
import { tensorGetItem, tensorIter, tensorLen, tensorSetItem, tensorRepr, tensorToBool, TorchSize } from '../../runtime/torch/index.ts';
import type * as ast from '../syntax/ast.ts';
import { Budget, type BudgetLimits, defaultBudget } from './budget.ts';
import {
  BudgetExceeded, PyException, exceptionRepr, formatException, fromRuntimeError, isExceptionClass, keyError, raise,
} from './exceptions.ts';
import type { EvalDiagnostic } from './diagnostics.ts';
import {
  BoundMethod, BuiltinType, ClassMethod, DictView, GradModeContext, LazyIterator, NoOpContext, WrappedFunction, Opaque, Property, PyClass, PyFunction, PyInstance,
  PyRange, PySet, StaticMethod,
} from './objects.ts';
import { NOT_FOUND, Scope, UNBOUND_LOCAL } from './scope.ts';
import { evalExpr } from './expressions.ts';
import { execStmt } from './statements.ts';
import { callFunction } from './functions.ts';
import { instantiate, isModuleClass, lookupInMro } from './classes.ts';
import { delAttr, getAttr, setAttr } from './attributes.ts';
import { binaryOp, checkHashable, compareForSort } from './operators.ts';
import { DefaultDict, isNamedTuple } from './stdlib.ts';
import { percentFormat } from './formatting.ts';
import { createBuiltins, builtinTypes } from './builtins.ts';
import type { Importer } from './imports.ts';

export interface InterpreterOptions {
  /** `__name__` of the evaluated module (not `"__main__"`: we import, we do not run). */
  moduleName: string;
  importer: Importer;
  budget?: BudgetLimits;
  /** Called for every call of a module from outside any module's forward (input discovery). */
  onTopLevelModuleCall?: (module: Module, args: PyValue[], kwargs: Kwargs) => void;
}

/** Thrown when evaluation reaches something it cannot know; the caller degrades with a hint. */
export class UnsupportedSignal extends Error {
  constructor(readonly code: string, message: string, public range: ast.Range | null) { super(message); }
}

interface Frame { fn: PyFunction }

export interface BindingObserver {
  bound(name: string, range: ast.Range, value: PyValue): void;
}

export class Interpreter {
  readonly budget: Budget;
  readonly diagnostics: EvalDiagnostic[] = [];
  readonly printed: string[] = [];
  readonly moduleName: string;
  readonly importer: Importer;
  readonly builtins: Map<string, PyValue>;
  readonly globals: Scope;
  readonly interop: Interop;
  readonly generatorSinks: PyValue[][] = [];
  readonly superBuiltin: PyValue;
  currentStmt: ast.Stmt | null = null;
  /** Sees every binding of a name (assignments, loop targets, parameters): hover shows shapes from it. */
  observer: BindingObserver | null = null;
  activeException: PyException | null = null;
  private readonly frames: Frame[] = [];
  private readonly userClasses = new WeakMap<Module, PyClass>();
  private readonly reported = new Set<string>();
  private moduleCallDepth = 0;
  private readonly onTopLevelModuleCall: InterpreterOptions['onTopLevelModuleCall'];

  constructor(options: InterpreterOptions) {
    this.moduleName = options.moduleName;
    this.importer = options.importer;
    this.budget = new Budget(options.budget ?? defaultBudget);
    this.onTopLevelModuleCall = options.onTopLevelModuleCall;
    this.interop = {
      call: (fn, args, kwargs) => this.callValue(fn, args, kwargs ?? new Map()),
      iterate: (v) => this.iterate(v),
      repr: (v) => this.repr(v),
    };
    this.builtins = createBuiltins(this);
    this.superBuiltin = this.builtins.get('super');
    this.globals = new Scope('module', null);
    this.globals.vars.set('__name__', this.moduleName);
    this.globals.vars.set('__file__', `${this.moduleName}.py`);
  }

  // ------------------------------------------------------------ running

  /** Executes a module body statement by statement; a failing statement is reported and skipped. */
  runModule(body: readonly ast.Stmt[], scope: Scope = this.globals): { firstError: PyException | null } {
    let firstError: PyException | null = null;
    for (const stmt of body) {
      const elementsBefore = this.budget.elements;
      try {
        this.budget.steps = 0;
        execStmt(this, stmt, scope);
      } catch (e) {
        // A statement stopped by the memory budget made only garbage: the rest of the file gets the budget back.
        if (e instanceof BudgetExceeded && e.what === 'memory') this.budget.elements = elementsBefore;
        const outcome = this.reportTopLevel(e, stmt.range);
        if (outcome && !firstError) firstError = outcome;
      }
    }
    return { firstError };
  }

  /** Turns what escaped a top-level statement into a diagnostic; returns real Python exceptions. */
  reportTopLevel(e: unknown, range: ast.Range): PyException | null {
    const located = this.locate(e, range);
    if (located instanceof PyException) {
      this.diagnostics.push({ code: 'python-error', severity: 'error', message: formatException(located), range: located.range ?? range });
      return located;
    }
    if (located instanceof UnsupportedSignal) { this.unsupported(located.code, located.message, located.range ?? range); return null; }
    if (located instanceof BudgetExceeded) {
      this.diagnostics.push({ code: `budget-${located.what}`, severity: 'error', message: located.message, range: located.range ?? range });
      return null;
    }
    // A bug of ours, not of the user's code: report it where it happened and keep analysing.
    this.diagnostics.push({ code: 'internal-error', severity: 'error', message: `NN Lens internal error: ${e instanceof Error ? e.message : String(e)}`, range });
    return null;
  }

  evalExpr(e: ast.Expr, scope: Scope): PyValue { return evalExpr(this, e, scope); }

  /** Runs `fn`, attaching `range` to runtime errors and unsupported signals raised inside it. */
  at<T>(range: ast.Range, fn: () => T): T {
    try { return fn(); } catch (e) { throw this.locate(e, range); }
  }

  /** Converts runtime errors to Python exceptions and records the innermost location once. */
  locate(e: unknown, range: ast.Range): unknown {
    if (e instanceof PyError) e = fromRuntimeError(e);
    else if (e instanceof NeedsValuesError) e = new UnsupportedSignal('unsupported-values', `${e.message}`, null);
    else if (e instanceof RangeError && /call stack/i.test(e.message)) e = new BudgetExceeded('recursion', 'maximum recursion depth exceeded');
    if (e instanceof PyException || e instanceof UnsupportedSignal || e instanceof BudgetExceeded) {
      if (!e.range) e.range = range;
    }
    return e;
  }

  asPythonException(e: unknown): PyException | null {
    const located = e instanceof PyError ? fromRuntimeError(e) : e;
    return located instanceof PyException ? located : null;
  }

  // ------------------------------------------------------------ hints

  /** Records one `unsupported-*` hint per (code, line). */
  unsupported(code: string, message: string, range: ast.Range): void {
    const key = `${code}:${range.start.line}:${message}`;
    if (this.reported.has(key)) return;
    this.reported.add(key);
    this.diagnostics.push({ code, severity: 'hint', message, range });
  }

  unsupportedValue(what: string, range: ast.Range): never {
    throw new UnsupportedSignal('unsupported-syntax', `${what} is not evaluated by NN Lens`, range);
  }

  /** An attribute of torch we do not model: an opaque value plus a hint where it was used. */
  opaqueFromUnsupported(dotted: string): Opaque {
    const range = this.currentStmt?.range;
    if (range) this.unsupported('unsupported-api', `${dotted} is not modelled by NN Lens; values that depend on it are unknown`, range);
    return new Opaque(dotted);
  }

  // ------------------------------------------------------------ names and targets

  lookupName(name: string, scope: Scope, range: ast.Range): PyValue {
    const found = scope.find(name);
    if (found !== NOT_FOUND && found !== UNBOUND_LOCAL) return found;
    if (found === UNBOUND_LOCAL) throw this.locate(raise('UnboundLocalError', `cannot access local variable '${name}' where it is not associated with a value`), range);
    const g = scope.moduleScope.vars;
    if (g.has(name)) return g.get(name);
    const builtin = this.builtins.get(name);
    if (builtin !== undefined || this.builtins.has(name)) return builtin;
    throw this.locate(raise('NameError', `name '${name}' is not defined`), range);
  }

  assignTarget(target: ast.Expr, value: PyValue, scope: Scope): void {
    switch (target.kind) {
      case 'Name':
        scope.assign(target.id, value);
        this.observer?.bound(target.id, target.range, value);
        return;
      case 'Attribute': {
        const obj = this.evalExpr(target.value, scope);
        try { this.setAttr(obj, target.attr, value); } catch (e) { throw this.locate(e, target.range); }
        return;
      }
      case 'Subscript': {
        const obj = this.evalExpr(target.value, scope);
        const index = this.evalExpr(target.slice, scope);
        try { this.setItem(obj, index, value); } catch (e) { throw this.locate(e, target.range); }
        return;
      }
      case 'Tuple': case 'List': return this.unpack(target.elts, value, scope);
      case 'Starred': return this.assignTarget(target.value, value, scope);
      default: throw raise('SyntaxError', 'cannot assign to expression');
    }
  }

  private unpack(targets: readonly ast.Expr[], value: PyValue, scope: Scope): void {
    if (value instanceof Opaque) { for (const t of targets) this.assignTarget(t, value, scope); return; }
    if (!this.isIterable(value)) throw raise('TypeError', `cannot unpack non-iterable ${pyTypeName(value)} object`);
    const items = this.iterate(value);
    const star = targets.findIndex((t) => t.kind === 'Starred');
    if (star < 0) {
      if (items.length > targets.length) throw raise('ValueError', `too many values to unpack (expected ${targets.length})`);
      if (items.length < targets.length) throw raise('ValueError', `not enough values to unpack (expected ${targets.length}, got ${items.length})`);
      targets.forEach((t, i) => this.assignTarget(t, items[i], scope));
      return;
    }
    const after = targets.length - star - 1;
    if (items.length < targets.length - 1) throw raise('ValueError', `not enough values to unpack (expected at least ${targets.length - 1}, got ${items.length})`);
    targets.slice(0, star).forEach((t, i) => this.assignTarget(t, items[i], scope));
    this.assignTarget(targets[star]!, new PyList(items.slice(star, items.length - after)), scope);
    targets.slice(star + 1).forEach((t, i) => this.assignTarget(t, items[items.length - after + i], scope));
  }

  deleteTarget(target: ast.Expr, scope: Scope): void {
    if (target.kind === 'Name') {
      if (!scope.delete(target.id)) throw raise('NameError', `name '${target.id}' is not defined`);
    } else if (target.kind === 'Attribute') {
      delAttr(this, this.evalExpr(target.value, scope), target.attr);
    } else if (target.kind === 'Subscript') {
      this.delItem(this.evalExpr(target.value, scope), this.evalExpr(target.slice, scope));
    } else if (target.kind === 'Tuple' || target.kind === 'List') {
      target.elts.forEach((t) => this.deleteTarget(t, scope));
    }
  }

  // ------------------------------------------------------------ attributes

  getAttr(obj: PyValue, name: string): PyValue { return getAttr(this, obj, name); }
  setAttr(obj: PyValue, name: string, value: PyValue): void { setAttr(this, obj, name, value); }

  /** Binds a class attribute found for `self`: functions become methods, as Python's descriptors do. */
  bindClassAttribute(value: PyValue, self: PyValue, cls: PyClass): PyValue {
    if (value instanceof PyFunction || value instanceof WrappedFunction) return new BoundMethod(self, value);
    if (value instanceof StaticMethod) return value.fn;
    if (value instanceof ClassMethod) return new BoundMethod(self instanceof PyClass ? self : cls, value.fn);
    if (value instanceof Property) return this.callValue(value.fget, [self], new Map());
    return value;
  }

  userClassOf(m: Module): PyClass | undefined { return this.userClasses.get(m); }

  /** Makes a runtime Module an instance of a user class: Python forward, repr overrides, hasattr. */
  attachUserClass(m: Module, cls: PyClass): void {
    this.userClasses.set(m, cls);
    const find = (name: string): PyValue | undefined => {
      const found = lookupInMro(cls.mro, name);
      return found.kind === 'user' ? found.value : undefined;
    };
    const hooks: UserClassHooks = {
      className: cls.name,
      hasClassAttribute: (name) => lookupInMro(cls.mro, name).kind !== 'none',
    };
    if (find('forward') !== undefined) hooks.forward = (self, args, kwargs) => this.callValue(this.bindClassAttribute(find('forward'), self, cls), args, kwargs);
    if (find('extra_repr') !== undefined) hooks.extraRepr = (self) => this.str(this.callValue(this.bindClassAttribute(find('extra_repr'), self, cls), [], new Map()));
    if (find('__repr__') !== undefined) hooks.repr = (self) => this.str(this.callValue(this.bindClassAttribute(find('__repr__'), self, cls), [], new Map()));
    m.user = hooks;
  }

  /** Calls a user-defined dunder method on an instance; undefined when the class has none. */
  callDunder(obj: PyValue, name: string, args: PyValue[]): PyValue | undefined {
    const cls = obj instanceof PyInstance ? obj.cls : obj instanceof Module ? this.userClassOf(obj) : undefined;
    if (!cls) return undefined;
    const found = lookupInMro(cls.mro, name);
    if (found.kind !== 'user') return undefined;
    return this.callValue(this.bindClassAttribute(found.value, obj, cls), args, new Map());
  }

  tryUserBinaryOp(op: string, a: PyValue, b: PyValue): PyValue | undefined {
    const names: Record<string, [string, string]> = {
      '+': ['__add__', '__radd__'], '-': ['__sub__', '__rsub__'], '*': ['__mul__', '__rmul__'], '/': ['__truediv__', '__rtruediv__'],
      '@': ['__matmul__', '__rmatmul__'], '//': ['__floordiv__', '__rfloordiv__'], '%': ['__mod__', '__rmod__'], '**': ['__pow__', '__rpow__'],
    };
    const pair = names[op];
    if (!pair) return undefined;
    const r = this.callDunder(a, pair[0], [b]) ?? this.callBuiltinDunder(a, pair[0], [b]);
    if (r !== undefined) return r;
    return this.callDunder(b, pair[1], [a]) ?? this.callBuiltinDunder(b, pair[1], [a]);
  }

  /** A built-in module's operator method (`nn.Sequential.__add__`, `ModuleList.__iadd__`), if it has one. */
  callBuiltinDunder(obj: PyValue, name: string, args: PyValue[]): PyValue | undefined {
    if (!(obj instanceof Module)) return undefined;
    const method = lookupPyMethod(obj, name);
    return method ? method(obj, args, new Map(), this.interop) : undefined;
  }

  // ------------------------------------------------------------ calls

  bind(sig: Signature, args: readonly PyValue[], kwargs: Kwargs): Map<string, PyValue> {
    try { return bindArguments(sig, args, kwargs); } catch (e) { throw this.locate(e, this.currentStmt!.range); }
  }

  callValue(func: PyValue, args: PyValue[], kwargs: Kwargs): PyValue {
    this.budget.step();
    if (func instanceof PyFunction) return callFunction(this, func, args, kwargs);
    if (func instanceof BoundMethod) return this.callValue(func.fn, [func.self, ...args], kwargs);
    if (func instanceof BuiltinFunction) return func.impl(args, kwargs, this.interop);
    if (func instanceof Module) return this.callModule(func, args, kwargs);
    if (func instanceof PyClass) return instantiate(this, func, args, kwargs);
    if (isModuleClass(func)) {
      const m = new (func as ModuleClass)();
      m.pyInit(args, kwargs, this.interop);
      return m;
    }
    if (func instanceof BuiltinType) {
      if (!func.construct) throw raise('TypeError', `cannot create '${func.name}' instances`);
      return func.construct(args, kwargs);
    }
    if (func instanceof BuiltinClass) {
      if (!func.construct) throw raise('TypeError', `cannot create '${func.name}' instances`);
      return func.construct(args, kwargs, this.interop);
    }
    if (func instanceof Opaque) return new Opaque(`${func.description}(...)`);
    if (func instanceof NoOpContext) return func;
    if (func instanceof GradModeContext) return this.decorateWithGradMode(func, args[0]);
    if (func instanceof PyInstance) {
      const r = this.callDunder(func, '__call__', args);
      if (r !== undefined) return r;
    }
    throw raise('TypeError', `'${pyTypeName(func)}' object is not callable`);
  }

  /**
   * `@torch.no_grad()`: the decorated function runs under the context's grad mode. (A method of its
   * own: its closure would otherwise make every `callValue` allocate a context for `this`.)
   */
  private decorateWithGradMode(context: GradModeContext, decorated: PyValue): WrappedFunction {
    return new WrappedFunction(decorated, decorated instanceof PyFunction ? decorated.name : 'decorated', (a, k) => {
      context.enter();
      try { return this.callValue(decorated, a, k); } finally { context.exit(); }
    });
  }

  private callModule(m: Module, args: PyValue[], kwargs: Kwargs): PyValue {
    if (this.moduleCallDepth === 0) this.onTopLevelModuleCall?.(m, args, kwargs);
    this.moduleCallDepth++;
    try {
      return m.call(args, kwargs, this.interop);
    } finally {
      this.moduleCallDepth--;
    }
  }

  instantiate(cls: PyClass, args: PyValue[], kwargs: Kwargs): PyValue { return instantiate(this, cls, args, kwargs); }

  pushFrame(fn: PyFunction): Frame { const f = { fn }; this.frames.push(f); return f; }
  popFrame(frame: Frame): void { if (this.frames[this.frames.length - 1] === frame) this.frames.pop(); }

  // ------------------------------------------------------------ protocols

  truthy(v: PyValue, range?: ast.Range): boolean {
    if (v === null || v === undefined || v === false) return false;
    if (v === true) return true;
    if (typeof v === 'number') return v !== 0;
    if (typeof v === 'string') return v.length > 0;
    if (v instanceof PyFloat) return v.value !== 0;
    if (v instanceof PyList || v instanceof PyTuple) return v.items.length > 0;
    if (v instanceof PyDict) return v.size > 0;
    if (v instanceof PySet) return v.items.size > 0;
    if (v instanceof PyRange) return v.length > 0;
    if (v instanceof Opaque) throw new UnsupportedSignal('unsupported-condition', `this condition depends on ${v.description}, which NN Lens cannot know`, range ?? null);
    if (v instanceof Tensor) {
      // torch's own errors for empty and multi-element tensors; a single value needs the value tier.
      try { return tensorToBool(v); } catch (e) {
        if (e instanceof NeedsValuesError) throw new UnsupportedSignal('unsupported-values', 'this condition depends on tensor values, which the shape tier does not compute', range ?? null);
        throw e;
      }
    }
    if (v instanceof PyInstance || v instanceof Module) {
      const b = this.callDunder(v, '__bool__', []);
      if (b !== undefined) return this.truthy(b);
      const n = this.callDunder(v, '__len__', []);
      if (n !== undefined) return n !== 0;
      // Built-in containers (`if self.downsample:` with an empty nn.Sequential) use their __len__.
      const builtinLen = v instanceof Module ? this.getAttrOrUndefined(v, '__len__') : undefined;
      if (builtinLen !== undefined) return this.callValue(builtinLen, [], new Map()) !== 0;
    }
    return true;
  }

  isIterable(v: PyValue): boolean {
    return typeof v === 'string' || v instanceof PyList || v instanceof PyTuple || v instanceof PyDict || v instanceof PySet
      || v instanceof PyRange || v instanceof PyIterator || v instanceof LazyIterator || v instanceof Tensor || v instanceof Module
      || v instanceof PyInstance;
  }

  /** Materialises an iterable; containers of modules iterate through their `__iter__`. */
  iterate(v: PyValue): PyValue[] {
    // Lists and tuples (unpacking, `*args`) copy their items directly rather than through the generator.
    if (v instanceof PyList || v instanceof PyTuple) return this.budget.checkArray(v.items.slice());
    return this.budget.checkArray([...this.iterateLazily(v)]);
  }

  *iterateLazily(v: PyValue): Generator<PyValue> {
    if (typeof v === 'string') { yield* [...v]; return; }
    if (v instanceof PyList) { for (let i = 0; i < v.items.length; i++) yield v.items[i]; return; }
    if (v instanceof PyTuple) { yield* v.items; return; }
    if (v instanceof PyDict) { yield* v.keys(); return; }
    if (v instanceof PySet) { yield* [...v.items.values()]; return; }
    if (v instanceof PyRange) { for (let i = 0; i < v.length; i++) { this.budget.step(); yield v.at(i); } return; }
    if (v instanceof PyIterator || v instanceof LazyIterator) {
      for (;;) {
        const r = v instanceof PyIterator ? v.next() : v.nextValue();
        if (r.done) return;
        yield r.value;
      }
    }
    if (v instanceof Tensor) { yield* tensorIter(v); return; }
    if (v instanceof Opaque) throw new UnsupportedSignal('unsupported-loop', `iterating over ${v.description}, which NN Lens cannot know`, null);
    if (v instanceof Module || v instanceof PyInstance) {
      const user = this.callDunder(v, '__iter__', []);
      if (user !== undefined) { yield* this.iterateLazily(user); return; }
      if (v instanceof Module) {
        const it = this.getAttrOrUndefined(v, '__iter__');
        if (it !== undefined) { yield* this.iterateLazily(this.callValue(it, [], new Map())); return; }
      }
    }
    throw raise('TypeError', `'${pyTypeName(v)}' object is not iterable`);
  }

  private getAttrOrUndefined(obj: PyValue, name: string): PyValue | undefined {
    try { return this.getAttr(obj, name); } catch (e) { if (e instanceof PyException || e instanceof PyError) return undefined; throw e; }
  }

  len(v: PyValue): number {
    if (typeof v === 'string') return [...v].length;
    if (v instanceof PyList || v instanceof PyTuple) return v.items.length;
    if (v instanceof PyDict) return v.size;
    if (v instanceof PySet) return v.items.size;
    if (v instanceof PyRange) return v.length;
    if (v instanceof Tensor) return tensorLen(v);
    if (v instanceof Module || v instanceof PyInstance) {
      const user = this.callDunder(v, '__len__', []);
      if (user !== undefined) return user as number;
      const builtin = v instanceof Module ? this.getAttrOrUndefined(v, '__len__') : undefined;
      if (builtin !== undefined) return this.callValue(builtin, [], new Map()) as number;
    }
    if (v instanceof Opaque) throw new UnsupportedSignal('unsupported-values', `len() of ${v.description}, which NN Lens cannot know`, null);
    throw raise('TypeError', `object of type '${pyTypeName(v)}' has no len()`);
  }

  getItem(obj: PyValue, index: PyValue): PyValue {
    if (obj instanceof Tensor) return tensorGetItem(obj, index);
    if (obj instanceof DictView) throw raise('TypeError', `'${obj.viewName}' object is not subscriptable`);
    if (obj instanceof PyList || obj instanceof PyTuple || typeof obj === 'string') return sequenceGetItem(this, obj, index);
    if (obj instanceof PyDict) {
      checkHashable(index);
      if (!obj.has(index)) {
        // collections.defaultdict: a missing key gets the factory's value, stored (`d[k].append(x)`).
        if (obj instanceof DefaultDict && obj.factory !== null && obj.factory !== undefined) {
          const made = this.callValue(obj.factory, [], new Map());
          obj.set(index, made);
          return made;
        }
        const missing = this.callDunder(obj, '__missing__', [index]);
        if (missing !== undefined) return missing;
        throw keyError(index);
      }
      return obj.get(index);
    }
    if (obj instanceof PyRange) {
      if (index instanceof PySlice) {
        // `range(10)[2:5]` is `range(2, 5)`, as in Python.
        const [a, b, step] = sliceBounds(this, index, obj.length);
        return new PyRange(obj.at(a), obj.at(b), obj.step * step);
      }
      if (typeof index !== 'number') throw raise('TypeError', 'range indices must be integers or slices, not ' + pyTypeName(index));
      const k = index < 0 ? index + obj.length : index;
      if (k < 0 || k >= obj.length) throw raise('IndexError', 'range object index out of range');
      return obj.at(k);
    }
    if (obj instanceof Opaque) return new Opaque(`${obj.description}[...]`);
    if (obj instanceof Module || obj instanceof PyInstance) {
      const user = this.callDunder(obj, '__getitem__', [index]);
      if (user !== undefined) return user;
      const builtin = obj instanceof Module ? this.getAttrOrUndefined(obj, '__getitem__') : undefined;
      if (builtin !== undefined) return this.callValue(builtin, [index], new Map());
    }
    if (obj instanceof PyClass || obj instanceof BuiltinType || obj instanceof BuiltinClass || isModuleClass(obj)) return obj; // `list[int]` annotations
    throw raise('TypeError', `'${pyTypeName(obj)}' object is not subscriptable`);
  }

  setItem(obj: PyValue, index: PyValue, value: PyValue): void {
    if (obj instanceof Tensor) { tensorSetItem(obj, index, value); return; }
    if (obj instanceof PyList) {
      if (index instanceof PySlice) {
        const [start, stop, step] = sliceBounds(this, index, obj.items.length);
        const values = this.iterate(value);
        if (step === 1) { obj.items.splice(start, Math.max(0, stop - start), ...values); return; }
        // An extended slice (`a[::2] = ...`) replaces exactly its positions, as in Python.
        const positions = slicePositions(start, stop, step);
        if (values.length !== positions.length) {
          throw raise('ValueError', `attempt to assign sequence of size ${values.length} to extended slice of size ${positions.length}`);
        }
        positions.forEach((p, i) => { obj.items[p] = values[i]; });
        return;
      }
      obj.items[normalizeIndex(index, obj.items.length, 'list assignment')] = value;
      return;
    }
    if (obj instanceof PyDict) { checkHashable(index); obj.set(index, value); return; }
    if (obj instanceof Opaque) return;
    if (obj instanceof Module || obj instanceof PyInstance) {
      if (this.callDunder(obj, '__setitem__', [index, value]) !== undefined) return;
      const builtin = obj instanceof Module ? this.getAttrOrUndefined(obj, '__setitem__') : undefined;
      if (builtin !== undefined) { this.callValue(builtin, [index, value], new Map()); return; }
    }
    throw raise('TypeError', `'${pyTypeName(obj)}' object does not support item assignment`);
  }

  delItem(obj: PyValue, index: PyValue): void {
    if (obj instanceof PyList) {
      if (index instanceof PySlice) {
        // `del a[1:3]`, `del a[::2]`: remove the slice's positions (from the back, so indices stay valid).
        const [start, stop, step] = sliceBounds(this, index, obj.items.length);
        for (const p of slicePositions(start, stop, step).sort((x, y) => y - x)) obj.items.splice(p, 1);
        return;
      }
      obj.items.splice(normalizeIndex(index, obj.items.length, 'list assignment'), 1);
      return;
    }
    if (obj instanceof PyDict) { if (!obj.delete(index)) throw keyError(index); return; }
    if (obj instanceof Module) {
      const builtin = this.getAttrOrUndefined(obj, '__delitem__');
      if (builtin !== undefined) { this.callValue(builtin, [index], new Map()); return; }
    }
    throw raise('TypeError', `'${pyTypeName(obj)}' object doesn't support item deletion`);
  }

  repr(v: PyValue): string {
    if (v instanceof Module) return v.repr();
    if (v instanceof Tensor) return tensorRepr(v);
    if (v instanceof PyInstance) {
      const r = this.callDunder(v, '__repr__', []);
      if (r !== undefined) return this.str(r);
      if (isExceptionClass(v.cls as PyValue)) return exceptionRepr(v, (x) => this.repr(x));
      const builtinRepr = v.cls.mro.find((c): c is PyClass => c instanceof PyClass && c.builtinRepr !== null);
      if (builtinRepr) return builtinRepr.builtinRepr!(v, (x) => this.repr(x));
      if (v.cls.dataclassFields) return `${v.cls.name}(${v.cls.dataclassFields.map((f) => `${f.name}=${this.repr(v.dict.get(f.name))}`).join(', ')})`;
      return `<__main__.${v.cls.name} object>`;
    }
    if (v instanceof DictView) return `${v.viewName}([${v.items.map((x) => this.repr(x)).join(', ')}])`;
    if (v instanceof PyList) return `[${v.items.map((x) => this.repr(x)).join(', ')}]`;
    // A tuple subclass with its own repr (torch.Size([1, 10])) is not printed as a plain tuple.
    if (v instanceof PyTuple && v.constructor !== PyTuple && hasOwnText(v, 'pyRepr')) return v.pyRepr();
    if (isNamedTuple(v)) return `${v.namedType}(${v.namedFields.map((f, i) => `${f}=${this.repr(v.items[i])}`).join(', ')})`;
    if (v instanceof PyTuple && !(v.constructor !== PyTuple)) {
      return v.items.length === 1 ? `(${this.repr(v.items[0])},)` : `(${v.items.map((x) => this.repr(x)).join(', ')})`;
    }
    if (v instanceof DefaultDict) return `defaultdict(${this.repr(v.factory)}, {${v.items().map(([k, x]) => `${this.repr(k)}: ${this.repr(x)}`).join(', ')}})`;
    if (v instanceof PyDict) {
      if (v.typeName === 'OrderedDict') return `OrderedDict([${v.items().map(([k, x]) => `(${this.repr(k)}, ${this.repr(x)})`).join(', ')}])`;
      return `{${v.items().map(([k, x]) => `${this.repr(k)}: ${this.repr(x)}`).join(', ')}}`;
    }
    if (v instanceof PySet) return v.items.size ? `{${[...v.items.values()].map((x) => this.repr(x)).join(', ')}}` : 'set()';
    if (v instanceof PyFunction) return v.pyRepr();
    return pyRepr(v);
  }

  str(v: PyValue): string {
    if (typeof v === 'string') return v;
    // Runtime objects whose str differs from their repr: `print(x.device)` shows `meta`, not `device(type='meta')`.
    if (hasOwnText(v, 'pyStr')) return v.pyStr();
    if (v instanceof PyInstance) {
      const s = this.callDunder(v, '__str__', []);
      if (s !== undefined) return this.str(s);
      if (v.cls.mro.some((c) => c instanceof PyClass && c.name === 'BaseException' && !c.node)) {
        return new PyException(v).message;
      }
    }
    return this.repr(v);
  }

  sortValues(items: PyValue[], key: PyValue, reverse: boolean): PyValue[] {
    const keyed = items.map((v) => ({ v, k: key === null ? v : this.callValue(key, [v], new Map()) }));
    keyed.sort((a, b) => compareForSort(this, a.k, b.k));
    if (reverse) keyed.reverse();
    return keyed.map((x) => x.v);
  }

  percentFormat(template: string, arg: PyValue): string { return percentFormat(this, template, arg); }

  evalBinary(op: ast.BinOperator, a: PyValue, b: PyValue): PyValue { return binaryOp(this, op, a, b); }

  builtinTypeOf(v: PyValue): BuiltinType {
    const t = builtinTypes(this);
    if (v === null || v === undefined) return t.NoneType;
    if (typeof v === 'boolean') return t.bool;
    if (typeof v === 'number') return t.int;
    if (v instanceof PyFloat) return t.float;
    if (typeof v === 'string') return t.str;
    if (v instanceof PyList) return t.list;
    if (v instanceof PyTuple) return t.tuple;
    if (v instanceof PyDict) return t.dict;
    if (v instanceof PySet) return t.set;
    if (v instanceof PyRange) return t.range;
    return new BuiltinType(pyTypeName(v), (x) => pyTypeName(x) === pyTypeName(v), null, t.object);
  }
}

/** Whether a runtime object defines `pyRepr()` / `pyStr()` itself. */
function hasOwnText<K extends 'pyRepr' | 'pyStr'>(v: PyValue, method: K): v is Record<K, () => string> {
  return typeof v === 'object' && v !== null && typeof (v as Record<string, unknown>)[method] === 'function';
}

// ------------------------------------------------------------------ sequences

function normalizeIndex(index: PyValue, n: number, what: string): number {
  if (typeof index === 'boolean') index = index ? 1 : 0;
  if (typeof index !== 'number') throw raise('TypeError', `${what.split(' ')[0]} indices must be integers or slices, not ${pyTypeName(index)}`);
  const k = index < 0 ? index + n : index;
  if (k < 0 || k >= n) throw raise('IndexError', `${what} index out of range`);
  return k;
}

/** The indices a slice selects, given its normalised bounds. */
export function slicePositions(start: number, stop: number, step: number): number[] {
  const out: number[] = [];
  if (step > 0) for (let i = start; i < stop; i += step) out.push(i);
  else for (let i = start; i > stop; i += step) out.push(i);
  return out;
}

export function sliceBounds(it: Interpreter, s: PySlice, n: number): [number, number, number] {
  const asInt = (v: PyValue, what: string): number | null => {
    if (v === null || v === undefined) return null;
    if (typeof v === 'number') return v;
    if (typeof v === 'boolean') return v ? 1 : 0;
    void it;
    throw raise('TypeError', `slice indices must be integers or None or have an __index__ method${what}`);
  };
  const step = asInt(s.step, '') ?? 1;
  if (step === 0) throw raise('ValueError', 'slice step cannot be zero');
  const clamp = (v: number | null, dflt: number, lo: number, hi: number): number => {
    if (v === null) return dflt;
    const k = v < 0 ? v + n : v;
    return Math.min(Math.max(k, lo), hi);
  };
  if (step > 0) return [clamp(asInt(s.start, ''), 0, 0, n), clamp(asInt(s.stop, ''), n, 0, n), step];
  return [clamp(asInt(s.start, ''), n - 1, -1, n - 1), clamp(asInt(s.stop, ''), -1, -1, n - 1), step];
}

function sequenceGetItem(it: Interpreter, obj: PyList | PyTuple | string, index: PyValue): PyValue {
  const items: readonly PyValue[] = typeof obj === 'string' ? [...obj] : obj.items;
  const kind = typeof obj === 'string' ? 'string' : obj instanceof PyList ? 'list' : 'tuple';
  if (index instanceof PySlice) {
    const [start, stop, step] = sliceBounds(it, index, items.length);
    const out: PyValue[] = [];
    if (step > 0) for (let i = start; i < stop; i += step) out.push(items[i]);
    else for (let i = start; i > stop; i += step) out.push(items[i]);
    if (typeof obj === 'string') return out.join('');
    if (obj instanceof PyList) return new PyList(out);
    // Slicing a tuple subclass such as torch.Size keeps its type.
    return obj instanceof TorchSize ? obj.withItems(out) : new PyTuple(out);
  }
  if (typeof index === 'boolean') index = index ? 1 : 0;
  if (typeof index !== 'number') throw raise('TypeError', `${kind} indices must be integers or slices, not ${pyTypeName(index)}`);
  return items[normalizeIndex(index, items.length, kind)];
}

export { dictKey, ELLIPSIS, PyNamespace };

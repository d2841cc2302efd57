// The evaluator's own Python objects: user functions, classes and instances, bound methods,
// properties, exceptions, ranges, sets and opaque values. Plain values (int, float, str, tuple,
// list, dict) and torch objects come from the runtime's value model.
import { BuiltinFunction, type BuiltinImpl, PyList, type PyValue, type Signature } from '../../runtime/python/index.ts';
import type * as ast from '../syntax/ast.ts';
import type { Scope } from './scope.ts';

/** A function defined in the file (`def` or `lambda`). */
export class PyFunction {
  readonly pyTypeName = 'function';
  /** Set when the function is defined in a class body: its `__qualname__` prefix and `__class__` cell. */
  ownerClass: PyClass | null = null;
  /** Extra attributes (`fn.__name__` assignments, decorators setting attributes). */
  readonly attrs = new Map<string, PyValue>();
  constructor(
    readonly name: string,
    readonly qualname: string,
    readonly node: ast.FunctionDef | ast.Lambda,
    readonly signature: Signature,
    /** Defaults evaluated at definition time, by parameter name. */
    readonly closure: Scope,
    readonly isGenerator: boolean,
  ) {}
  pyRepr(): string { return `<function ${this.qualname}>`; }
}

/** A class defined in the file, or one of Python's built-in exception classes. */
export class PyClass {
  readonly pyTypeName = 'type';
  mro: PyClassLike[] = [];
  /** Set by `@dataclass`: the field names in order, with their default expressions' values. */
  dataclassFields: { name: string; default?: PyValue; defaultFactory?: PyValue }[] | null = null;
  /** `@dataclass(order=True)`: instances compare as tuples of their fields. */
  dataclassOrder = false;
  /** `__qualname__` (`Outer.Inner` for a nested class); the name unless set. */
  qualname: string;
  /** The repr of instances of a class the evaluator implements itself (`argparse.Namespace(lr=0.1)`). */
  builtinRepr: ((self: PyInstance, repr: (v: PyValue) => string) => string) | null = null;
  constructor(
    readonly name: string,
    readonly bases: PyClassLike[],
    readonly namespace: Map<string, PyValue>,
    /** Where the class is defined (null for built-in exception classes). */
    readonly node: ast.ClassDef | null,
  ) { this.qualname = name; }
  pyRepr(): string { return this.node ? `<class '__main__.${this.name}'>` : `<class '${this.name}'>`; }
}

/**
 * Anything that can sit in an MRO: a user class, or a built-in class the evaluator knows how to
 * instantiate (a runtime Module class, `object`, `Exception`...). Kept abstract here; see classes.ts.
 */
export type PyClassLike = PyClass | BuiltinType | (abstract new () => unknown);

/** An instance of a user class that is not an nn.Module (configs, dataclasses, exceptions). */
export class PyInstance {
  readonly dict = new Map<string, PyValue>();
  constructor(readonly cls: PyClass) {}
  get pyTypeName(): string { return this.cls.name; }
}

export class BoundMethod {
  readonly pyTypeName = 'method';
  constructor(readonly self: PyValue, readonly fn: PyValue) {}
}

export class Property {
  readonly pyTypeName = 'property';
  constructor(readonly fget: PyValue, readonly fset: PyValue = null) {}
}
export class StaticMethod {
  readonly pyTypeName = 'staticmethod';
  constructor(readonly fn: PyValue) {}
}
export class ClassMethod {
  readonly pyTypeName = 'classmethod';
  constructor(readonly fn: PyValue) {}
}

/** `super()` bound to a class position in the MRO of `self`'s type. */
export class SuperProxy {
  readonly pyTypeName = 'super';
  constructor(readonly afterClass: PyClassLike, readonly self: PyValue, readonly selfClass: PyClassLike[]) {}
}

/** Python's built-in types (`int`, `list`, `object`, ...): callable constructors and isinstance targets. */
export class BuiltinType {
  readonly pyTypeName = 'type';
  constructor(
    readonly name: string,
    readonly isInstance: (v: PyValue) => boolean,
    readonly construct: ((args: PyValue[], kwargs: Map<string, PyValue>) => PyValue) | null,
    readonly base: BuiltinType | null = null,
  ) {}
  pyRepr(): string { return `<class '${this.name}'>`; }
}

export class PyRange {
  readonly pyTypeName = 'range';
  constructor(readonly start: number, readonly stop: number, readonly step: number) {}
  get length(): number {
    const n = this.step > 0 ? Math.ceil((this.stop - this.start) / this.step) : Math.ceil((this.start - this.stop) / -this.step);
    return Math.max(0, n);
  }
  at(i: number): number { return this.start + i * this.step; }
  pyRepr(): string { return this.step === 1 ? `range(${this.start}, ${this.stop})` : `range(${this.start}, ${this.stop}, ${this.step})`; }
}

export class PySet {
  readonly items = new Map<string, PyValue>();
  constructor(readonly frozen = false) {}
  get pyTypeName(): string { return this.frozen ? 'frozenset' : 'set'; }
}

/** A lazily evaluated Python iterator (map/filter/zip/enumerate results, generator expressions). */
export class LazyIterator {
  constructor(readonly pyTypeName: string, readonly nextValue: () => { done: true } | { done: false; value: PyValue }) {}
}

/**
 * A value the evaluator cannot know: a name from an unknown import (`import wandb`), the result of
 * calling or indexing one. What depends on it degrades; everything else still evaluates.
 */
export class Opaque {
  readonly pyTypeName = 'opaque';
  constructor(
    /** Dotted description for messages, e.g. `wandb.init(...)`. */
    readonly description: string,
  ) {}
  pyRepr(): string { return `<${this.description}>`; }
}

/** A context manager or decorator implemented by the evaluator (`torch.no_grad()`). */
export class NoOpContext {
  readonly pyTypeName = 'context_manager';
  constructor(readonly name: string) {}
}

/**
 * `torch.no_grad()`, `torch.enable_grad()`, `torch.inference_mode()`: a context manager that sets
 * autograd's grad mode for its block (re-entrant: each enter saves the mode it replaces), and a
 * decorator that runs the decorated function under that mode.
 */
export class GradModeContext {
  readonly pyTypeName: string;
  private readonly saved: boolean[] = [];
  constructor(readonly name: string, readonly mode: boolean, private readonly grad: { get(): boolean; set(mode: boolean): void }) {
    this.pyTypeName = name;
  }
  enter(): void { this.saved.push(this.grad.get()); this.grad.set(this.mode); }
  exit(): void { this.grad.set(this.saved.pop() ?? true); }
  pyRepr(): string { return `<torch.autograd.grad_mode.${this.name} object>`; }
}

/**
 * A function wrapped by a decorator the evaluator implements (`@torch.no_grad()`): binds `self` like
 * the function it wraps (so decorated methods work) and shows its `__name__`/`__doc__`.
 */
export class WrappedFunction extends BuiltinFunction {
  constructor(readonly wrapped: PyValue, name: string, impl: BuiltinImpl) { super(name, impl); }
}

/**
 * `d.keys()`, `d.values()`, `d.items()`: a snapshot list that prints as Python's view
 * (`dict_keys(['a'])`, `odict_items([...])` for an OrderedDict such as a state_dict) and is not
 * subscriptable. (A snapshot, not a live view: enough for the loops and prints model code does.)
 */
export class DictView extends PyList {
  constructor(items: PyValue[], readonly viewName: string) { super(items); }
}

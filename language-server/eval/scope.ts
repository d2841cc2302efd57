// Name resolution in Python's LEGB order. Class bodies are skipped when a function looks up a
// free name (methods do not see class attributes), as in Python.
import type { PyValue } from '../../runtime/python/index.ts';

export type ScopeKind = 'module' | 'function' | 'class';

/** What `Scope.find` returns for a name that is not bound (the JS value undefined may be bound). */
export const NOT_FOUND: unique symbol = Symbol('not found');
/** What `Scope.find` returns for a local read before its assignment (UnboundLocalError). */
export const UNBOUND_LOCAL: unique symbol = Symbol('unbound local');

export class Scope {
  /**
   * For a function call's scope: the names the function assigns anywhere in its body (its locals,
   * as CPython decides at compile time). Reading one before it is bound is an UnboundLocalError,
   * not a read of the global with the same name.
   */
  localNames: ReadonlySet<string> | null = null;
  /** For a function call's scope: the function's `__qualname__` (prefix of nested definitions). */
  functionQualname: string | null = null;
  // A scope is made for every call and comprehension; `global`/`nonlocal` are rare, so their sets
  // are made when first declared.
  private globalSet: Set<string> | null = null;
  private nonlocalSet: Set<string> | null = null;
  constructor(
    readonly kind: ScopeKind, readonly parent: Scope | null, readonly globals: Scope | null = null,
    /** The scope's names; a call's scope starts from its bound arguments (the map itself, not a copy). */
    readonly vars: Map<string, PyValue> = new Map(),
  ) {}

  /** Names declared `global` in this function scope. */
  get globalNames(): Set<string> { return this.globalSet ??= new Set(); }
  /** Names declared `nonlocal` in this function scope. */
  get nonlocalNames(): Set<string> { return this.nonlocalSet ??= new Set(); }

  get moduleScope(): Scope { return this.kind === 'module' ? this : this.globals!; }

  lookup(name: string): { found: true; value: PyValue } | { found: false; unboundLocal?: boolean } {
    const v = this.find(name);
    if (v === NOT_FOUND) return { found: false };
    if (v === UNBOUND_LOCAL) return { found: false, unboundLocal: true };
    return { found: true, value: v };
  }

  /** `lookup` without allocating a result (name reads are the evaluator's most frequent operation). */
  find(name: string): PyValue | typeof NOT_FOUND | typeof UNBOUND_LOCAL {
    if (this.globalSet?.has(name)) return valueIn(this.moduleScope.vars, name);
    const own = valueIn(this.vars, name);
    if (own !== NOT_FOUND) return own;
    if (this.localNames?.has(name) && !this.nonlocalSet?.has(name)) return UNBOUND_LOCAL;
    for (let s = this.parent; s; s = s.parent) {
      if (s.kind === 'class') continue;
      const v = valueIn(s.vars, name);
      if (v !== NOT_FOUND) return v;
    }
    return NOT_FOUND;
  }

  assign(name: string, value: PyValue): void {
    if (this.globalSet?.has(name)) { this.moduleScope.vars.set(name, value); return; }
    if (this.nonlocalSet?.has(name)) {
      for (let s = this.parent; s; s = s.parent) {
        if (s.kind === 'function' && s.vars.has(name)) { s.vars.set(name, value); return; }
      }
    }
    this.vars.set(name, value);
  }

  delete(name: string): boolean {
    if (this.globalSet?.has(name)) return this.moduleScope.vars.delete(name);
    return this.vars.delete(name);
  }
}

function valueIn(vars: Map<string, PyValue>, name: string): PyValue | typeof NOT_FOUND {
  const v = vars.get(name);
  return v !== undefined || vars.has(name) ? v : NOT_FOUND;
}

// Name resolution in Python's LEGB order. Class bodies are skipped when a function looks up a
// free name (methods do not see class attributes), as in Python.
import type { PyValue } from '../../runtime/python/index.ts';

export type ScopeKind = 'module' | 'function' | 'class';

export class Scope {
  readonly vars = new Map<string, PyValue>();
  /** Names declared `global` / `nonlocal` in this function scope. */
  readonly globalNames = new Set<string>();
  readonly nonlocalNames = new Set<string>();
  /**
   * For a function call's scope: the names the function assigns anywhere in its body (its locals,
   * as CPython decides at compile time). Reading one before it is bound is an UnboundLocalError,
   * not a read of the global with the same name.
   */
  localNames: ReadonlySet<string> | null = null;
  /** For a function call's scope: the function's `__qualname__` (prefix of nested definitions). */
  functionQualname: string | null = null;
  constructor(readonly kind: ScopeKind, readonly parent: Scope | null, readonly globals: Scope | null = null) {}

  get moduleScope(): Scope { return this.kind === 'module' ? this : this.globals!; }

  lookup(name: string): { found: true; value: PyValue } | { found: false; unboundLocal?: boolean } {
    if (this.globalNames.has(name)) return this.moduleScope.lookupHere(name);
    if (this.vars.has(name)) return { found: true, value: this.vars.get(name) };
    if (this.localNames?.has(name) && !this.nonlocalNames.has(name)) return { found: false, unboundLocal: true };
    for (let s = this.parent; s; s = s.parent) {
      if (s.kind === 'class') continue;
      if (s.vars.has(name)) return { found: true, value: s.vars.get(name) };
    }
    return { found: false };
  }

  private lookupHere(name: string): { found: true; value: PyValue } | { found: false } {
    return this.vars.has(name) ? { found: true, value: this.vars.get(name) } : { found: false };
  }

  assign(name: string, value: PyValue): void {
    if (this.globalNames.has(name)) { this.moduleScope.vars.set(name, value); return; }
    if (this.nonlocalNames.has(name)) {
      for (let s = this.parent; s; s = s.parent) {
        if (s.kind === 'function' && s.vars.has(name)) { s.vars.set(name, value); return; }
      }
    }
    this.vars.set(name, value);
  }

  delete(name: string): boolean {
    if (this.globalNames.has(name)) return this.moduleScope.vars.delete(name);
    return this.vars.delete(name);
  }
}

// `def` and `lambda`: building function objects (defaults evaluated once, at definition, as in
// Python) and calling them in a fresh scope.
import { type ParamSpec, type PyValue, type Signature, bindArguments, type Kwargs, PyIterator } from '../../runtime/python/index.ts';
import type * as ast from '../syntax/ast.ts';
import { PyFunction } from './objects.ts';
import { Scope } from './scope.ts';
import type { Interpreter } from './interpreter.ts';
import { ReturnSignal, execBlock } from './statements.ts';

export function defineFunction(it: Interpreter, node: ast.FunctionDef, scope: Scope): PyValue {
  const decorators = node.decoratorList.map((d) => it.evalExpr(d, scope));
  const qualname = qualnameIn(scope, node.name);
  const fn = new PyFunction(node.name, qualname, node, buildSignature(it, qualname, node.args, scope), scope, isGenerator(node));
  let value: PyValue = fn;
  for (const decorator of decorators.reverse()) value = it.callValue(decorator, [value], new Map());
  return value;
}

export function defineLambda(it: Interpreter, node: ast.Lambda, scope: Scope): PyFunction {
  const qualname = qualnameIn(scope, '<lambda>');
  return new PyFunction('<lambda>', qualname, node, buildSignature(it, qualname, node.args, scope), scope, false);
}

/** `Cls.method`, `outer.<locals>.inner`: CPython's `__qualname__`, which its TypeErrors name. */
export function qualnameIn(scope: Scope, name: string): string {
  if (scope.kind === 'class') return `${scope.vars.get('__qualname__') as string}.${name}`;
  if (scope.kind === 'function' && scope.functionQualname) return `${scope.functionQualname}.<locals>.${name}`;
  return name;
}

function buildSignature(it: Interpreter, qualname: string, a: ast.Arguments, scope: Scope): Signature {
  const positional = [...a.posonlyargs, ...a.args];
  const defaults = a.defaults.map((d) => it.evalExpr(d, scope));
  const firstDefault = positional.length - defaults.length;
  const params: ParamSpec[] = positional.map((p, i) => {
    const spec: ParamSpec = { name: p.arg };
    if (i >= firstDefault) spec.default = defaults[i - firstDefault];
    if (i < a.posonlyargs.length) spec.positionalOnly = true;
    return spec;
  });
  const kwonly: ParamSpec[] = a.kwonlyargs.map((p, i) => {
    const d = a.kwDefaults[i];
    return d ? { name: p.arg, default: it.evalExpr(d, scope) } : { name: p.arg };
  });
  const sig: Signature = { qualname, params, kwonly };
  if (a.vararg) sig.varargs = a.vararg.arg;
  if (a.kwarg) sig.varkw = a.kwarg.arg;
  return sig;
}

/** Calls a user function: binds arguments with CPython's messages, runs the body in a new scope. */
export function callFunction(it: Interpreter, fn: PyFunction, args: PyValue[], kwargs: Kwargs): PyValue {
  const bound = bindArguments(fn.signature, args, kwargs);
  // The bound arguments become the call's local variables (bindArguments made the map for this call).
  const scope = new Scope('function', fn.closure, fn.closure.moduleScope, bound);
  scope.functionQualname = fn.qualname;
  scope.localNames = localNamesOf(fn);
  if (it.observer) observeParameters(it, fn, bound);
  if (fn.ownerClass) {
    scope.vars.set('__class__', fn.ownerClass);
    const first = fn.signature.params[0];
    if (first) scope.vars.set('__self_param__', first.name);
  }
  it.budget.enter();
  const frame = it.pushFrame(fn);
  try {
    if (fn.node.kind === 'Lambda') return it.evalExpr(fn.node.body, scope);
    if (fn.isGenerator) {
      // Generators run eagerly to completion; their yields are collected into a list. Enough for
      // the finite generators model code writes; an infinite one ends at the step budget.
      const collected: PyValue[] = [];
      it.generatorSinks.push(collected);
      try { execBlock(it, fn.node.body, scope); } finally { it.generatorSinks.pop(); }
      return new PyIterator(collected); // an iterator, as a generator is: next() works, a second pass is empty
    }
    const c = execBlock(it, fn.node.body, scope);
    return c instanceof ReturnSignal ? c.value : null;
  } finally {
    it.popFrame(frame);
    it.budget.leave();
  }
}

/**
 * Per node: AST nodes are never mutated, and the language server hands out the same nodes for
 * unchanged statements on every edit (syntax/incremental-parse.ts), so this generic walk runs
 * once per function text rather than once per definition.
 */
const generatorCache = new WeakMap<ast.FunctionDef, boolean>();

function isGenerator(node: ast.FunctionDef): boolean {
  let found = generatorCache.get(node);
  if (found === undefined) {
    found = containsYield(node.body);
    generatorCache.set(node, found);
  }
  return found;
}

function containsYield(body: readonly ast.Stmt[]): boolean {
  let found = false;
  const visit = (node: unknown): void => {
    if (found || !node || typeof node !== 'object') return;
    if (Array.isArray(node)) { node.forEach(visit); return; }
    const n = node as { kind?: string };
    if (n.kind === 'Yield') { found = true; return; }
    // Nested functions, lambdas and classes have their own generator-ness.
    if (n.kind === 'FunctionDef' || n.kind === 'Lambda' || n.kind === 'ClassDef') return;
    for (const k in node) if (k !== 'range') visit((node as Record<string, unknown>)[k]);
  };
  visit(body);
  return found;
}

const localNamesCache = new WeakMap<ast.FunctionDef | ast.Lambda, ReadonlySet<string>>();

/**
 * The names a function binds in its own body (parameters, assignment, for/with/except targets,
 * imports, nested def/class, walrus, del), minus those declared global or nonlocal: CPython's
 * local variables. Nested functions, lambdas, classes and comprehensions have their own scopes.
 */
function localNamesOf(fn: PyFunction): ReadonlySet<string> {
  const node = fn.node;
  let names = localNamesCache.get(node);
  if (names) return names;
  const bound = new Set<string>();
  const declared = new Set<string>();
  const a = node.args;
  for (const p of [...a.posonlyargs, ...a.args, ...a.kwonlyargs, a.vararg, a.kwarg]) if (p) bound.add(p.arg);
  const target = (t: ast.Expr): void => {
    if (t.kind === 'Name') bound.add(t.id);
    else if (t.kind === 'Tuple' || t.kind === 'List') t.elts.forEach(target);
    else if (t.kind === 'Starred') target(t.value);
  };
  const visit = (n: unknown): void => {
    if (!n || typeof n !== 'object') return;
    if (Array.isArray(n)) { n.forEach(visit); return; }
    const k = (n as { kind?: string }).kind;
    switch (k) {
      case 'FunctionDef': case 'ClassDef': {
        const d = n as ast.FunctionDef | ast.ClassDef;
        bound.add(d.name);
        visit(d.decoratorList);
        if (d.kind === 'FunctionDef') { visit(d.args.defaults); visit(d.args.kwDefaults); } else { visit(d.bases); visit(d.keywords); }
        return;
      }
      case 'Lambda': visit((n as ast.Lambda).args.defaults); return;
      case 'ListComp': case 'SetComp': case 'GeneratorExp': case 'DictComp': {
        // Only the first iterable is evaluated in the enclosing scope (and a walrus binds there).
        const c = n as ast.ListComp;
        visit(c.generators[0]?.iter);
        visitWalrus(n, bound);
        return;
      }
      case 'Assign': (n as ast.Assign).targets.forEach(target); break;
      case 'AugAssign': case 'AnnAssign': target((n as ast.AugAssign).target); break;
      case 'For': target((n as ast.For).target); break;
      case 'Delete': (n as ast.Delete).targets.forEach(target); break;
      case 'NamedExpr': bound.add((n as ast.NamedExpr).target.id); break;
      case 'Import': for (const al of (n as ast.Import).names) bound.add(al.asname ?? al.name.split('.')[0]!); break;
      case 'ImportFrom': for (const al of (n as ast.ImportFrom).names) if (al.name !== '*') bound.add(al.asname ?? al.name); break;
      case 'Global': case 'Nonlocal': (n as ast.Global).names.forEach((x) => declared.add(x)); return;
      case 'With': for (const item of (n as ast.With).items) if (item.optionalVars) target(item.optionalVars); break;
      case 'Try': for (const h of (n as ast.Try).handlers) if (h.name) bound.add(h.name); break;
    }
    for (const [key, v] of Object.entries(n)) if (key !== 'range' && v && typeof v === 'object') visit(v);
  };
  visit(node.body);
  for (const d of declared) bound.delete(d);
  names = bound;
  localNamesCache.set(node, names);
  return names;
}

/** Walrus targets inside a comprehension bind in the enclosing function. */
function visitWalrus(n: unknown, bound: Set<string>): void {
  if (!n || typeof n !== 'object') return;
  if (Array.isArray(n)) { n.forEach((x) => visitWalrus(x, bound)); return; }
  const k = (n as { kind?: string }).kind;
  if (k === 'Lambda' || k === 'FunctionDef' || k === 'ClassDef') return;
  if (k === 'NamedExpr') bound.add((n as ast.NamedExpr).target.id);
  for (const [key, v] of Object.entries(n)) if (key !== 'range' && v && typeof v === 'object') visitWalrus(v, bound);
}

/** Reports each bound parameter at its definition (hovering `x` in `def forward(self, x)`). */
function observeParameters(it: Interpreter, fn: PyFunction, bound: Map<string, PyValue>): void {
  for (const arg of parametersOf(fn.node)) {
    if (bound.has(arg.arg)) it.observer!.bound(arg.arg, arg.range, bound.get(arg.arg));
  }
}

/** Every parameter of a function in declaration order; per node, as the other caches here. */
const parametersCache = new WeakMap<ast.FunctionDef | ast.Lambda, readonly ast.Arg[]>();

function parametersOf(node: ast.FunctionDef | ast.Lambda): readonly ast.Arg[] {
  let params = parametersCache.get(node);
  if (!params) {
    const a = node.args;
    params = [...a.posonlyargs, ...a.args, ...a.kwonlyargs, ...(a.vararg ? [a.vararg] : []), ...(a.kwarg ? [a.kwarg] : [])];
    parametersCache.set(node, params);
  }
  return params;
}

// `def` and `lambda`: building function objects (defaults evaluated once, at definition, as in
// Python) and calling them in a fresh scope.
import { type ParamSpec, type PyValue, type Signature, bindArguments, type Kwargs, PyList } from '../../runtime/python/index.ts';
import type * as ast from '../syntax/ast.ts';
import { PyFunction } from './objects.ts';
import { Scope } from './scope.ts';
import type { Interpreter } from './interpreter.ts';
import { ReturnSignal, execBlock } from './statements.ts';

export function defineFunction(it: Interpreter, node: ast.FunctionDef, scope: Scope): PyValue {
  const decorators = node.decoratorList.map((d) => it.evalExpr(d, scope));
  const qualname = scope.kind === 'class' ? `${scope.vars.get('__qualname__') as string}.${node.name}` : node.name;
  const fn = new PyFunction(node.name, qualname, node, buildSignature(it, qualname, node.args, scope), scope, containsYield(node.body));
  let value: PyValue = fn;
  for (const decorator of decorators.reverse()) value = it.callValue(decorator, [value], new Map());
  return value;
}

export function defineLambda(it: Interpreter, node: ast.Lambda, scope: Scope): PyFunction {
  return new PyFunction('<lambda>', '<lambda>', node, buildSignature(it, '<lambda>', node.args, scope), scope, false);
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
  const scope = new Scope('function', fn.closure, fn.closure.moduleScope);
  for (const [name, value] of bound) scope.vars.set(name, value);
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
      return new PyList(collected);
    }
    const c = execBlock(it, fn.node.body, scope);
    return c instanceof ReturnSignal ? c.value : null;
  } finally {
    it.popFrame(frame);
    it.budget.leave();
  }
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
    for (const [k, v] of Object.entries(node)) if (k !== 'range') visit(v);
  };
  visit(body);
  return found;
}

// Expression evaluation: one case per expression kind. Runtime errors raised while evaluating a
// call, operator or subscript are located at that expression (the innermost one wins).
import {
  ELLIPSIS, type Kwargs, PyDict, PyFloat, PyIterator, PyList, PySlice, PyTuple, type PyValue, dictKey, noKwargs, pyTypeName,
} from '../../runtime/python/index.ts';
import type * as ast from '../syntax/ast.ts';
import { raise } from './exceptions.ts';
import { PySet, SuperProxy, PyClass } from './objects.ts';
import { Scope } from './scope.ts';
import type { Interpreter } from './interpreter.ts';
import { binaryOp, checkHashable, compare, unaryOp } from './operators.ts';
import { defineLambda } from './functions.ts';
import { formatValue } from './formatting.ts';
import { mroOf, typeOf } from './classes.ts';

// The hot cases locate errors with an inline try/catch rather than `it.at(range, () => ...)`, and
// the cases that need closures (dict displays, comprehensions, f-strings) live in functions of
// their own: a closure that captures `it` or `scope` here would make every evaluation of every
// expression allocate a context for them. Same behaviour (the innermost expression's range wins).
export function evalExpr(it: Interpreter, e: ast.Expr, scope: Scope): PyValue {
  switch (e.kind) {
    case 'Constant': return constantValue(e.value);
    case 'Name': return it.lookupName(e.id, scope, e.range);
    case 'Attribute': {
      const obj = evalExpr(it, e.value, scope);
      try { return it.getAttr(obj, e.attr); } catch (err) { throw it.locate(err, e.range); }
    }
    case 'Call': return evalCall(it, e, scope);
    case 'BinOp': {
      const left = evalExpr(it, e.left, scope);
      const right = evalExpr(it, e.right, scope);
      try { return binaryOp(it, e.op, left, right); } catch (err) { throw it.locate(err, e.range); }
    }
    case 'UnaryOp': {
      const v = evalExpr(it, e.operand, scope);
      try { return unaryOp(it, e.op, v); } catch (err) { throw it.locate(err, e.range); }
    }
    case 'BoolOp': {
      let v: PyValue = null;
      for (const operand of e.values) {
        v = evalExpr(it, operand, scope);
        const t = it.truthy(v, operand.range);
        if (e.op === 'and' ? !t : t) return v;
      }
      return v;
    }
    case 'Compare': {
      let left = evalExpr(it, e.left, scope);
      let result: PyValue = true;
      for (let i = 0; i < e.ops.length; i++) {
        const right = evalExpr(it, e.comparators[i]!, scope);
        try { result = compare(it, e.ops[i]!, left, right); } catch (err) { throw it.locate(err, e.range); }
        if (i < e.ops.length - 1 && !it.truthy(result, e.range)) return result;
        left = right;
      }
      return result;
    }
    case 'IfExp': return it.truthy(evalExpr(it, e.test, scope), e.test.range) ? evalExpr(it, e.body, scope) : evalExpr(it, e.orelse, scope);
    case 'Subscript': {
      const obj = evalExpr(it, e.value, scope);
      const index = evalExpr(it, e.slice, scope);
      try { return it.getItem(obj, index); } catch (err) { throw it.locate(err, e.range); }
    }
    case 'Slice': return new PySlice(
      e.lower ? evalExpr(it, e.lower, scope) : null,
      e.upper ? evalExpr(it, e.upper, scope) : null,
      e.step ? evalExpr(it, e.step, scope) : null,
    );
    case 'Tuple': return new PyTuple(evalElements(it, e.elts, scope));
    case 'List': return new PyList(evalElements(it, e.elts, scope));
    case 'Set': {
      const s = new PySet();
      for (const v of evalElements(it, e.elts, scope)) { checkHashable(v); s.items.set(dictKey(v), v); }
      return s;
    }
    case 'Dict': return evalDict(it, e, scope);
    case 'ListComp': return new PyList(evalListComp(it, e, scope));
    // Evaluated eagerly: model code consumes generator expressions right away (sum, tuple, join).
    // The result is still an iterator, so `next(m for m in ... if ...)` works and `len()` of it fails.
    case 'GeneratorExp': return new PyIterator(evalListComp(it, e, scope));
    case 'SetComp': return evalSetComp(it, e, scope);
    case 'DictComp': return evalDictComp(it, e, scope);
    case 'Lambda': return defineLambda(it, e, scope);
    case 'NamedExpr': {
      const v = evalExpr(it, e.value, scope);
      scope.assign(e.target.id, v);
      return v;
    }
    case 'JoinedStr': return evalJoinedStr(it, e, scope);
    case 'FormattedValue': return evalFormatted(it, e, scope);
    case 'Starred': throw raise('SyntaxError', "can't use starred expression here");
    case 'Yield': {
      const v = e.value ? evalExpr(it, e.value, scope) : null;
      const sink = it.generatorSinks[it.generatorSinks.length - 1];
      if (!sink) throw raise('SyntaxError', "'yield' outside function");
      if (e.from) sink.push(...it.iterate(v)); else sink.push(v);
      return null;
    }
    case 'Await': return it.unsupportedValue('await', e.range);
  }
}

function evalDict(it: Interpreter, e: ast.Dict, scope: Scope): PyDict {
  const d = new PyDict();
  e.keys.forEach((k, i) => {
    const v = evalExpr(it, e.values[i]!, scope);
    if (k === null) {
      if (!(v instanceof PyDict)) throw raise('TypeError', `'${pyTypeName(v)}' object is not a mapping`);
      for (const [kk, vv] of v.items()) d.set(kk, vv);
    } else {
      const key = evalExpr(it, k, scope);
      it.at(k.range, () => checkHashable(key));
      d.set(key, v);
    }
  });
  it.budget.checkCount(d.size, 0);
  return d;
}

/** The items of a list comprehension or generator expression. */
function evalListComp(it: Interpreter, e: ast.ListComp | ast.GeneratorExp, scope: Scope): PyValue[] {
  const out: PyValue[] = [];
  comprehension(it, e.generators, scope, (s) => { it.budget.checkCount(1, 0); out.push(evalExpr(it, e.elt, s)); });
  return out;
}

function evalSetComp(it: Interpreter, e: ast.SetComp, scope: Scope): PySet {
  const out = new PySet();
  comprehension(it, e.generators, scope, (s) => { const v = evalExpr(it, e.elt, s); checkHashable(v); out.items.set(dictKey(v), v); });
  return out;
}

function evalDictComp(it: Interpreter, e: ast.DictComp, scope: Scope): PyDict {
  const out = new PyDict();
  comprehension(it, e.generators, scope, (s) => { const k = evalExpr(it, e.key, s); checkHashable(k); out.set(k, evalExpr(it, e.value, s)); });
  return out;
}

function evalJoinedStr(it: Interpreter, e: ast.JoinedStr, scope: Scope): string {
  return it.budget.checkString(e.values.map((part) => (part.kind === 'Constant' ? String((part.value as { value: string }).value) : evalFormatted(it, part, scope))).join(''));
}

export function constantValue(c: ast.ConstantValue): PyValue {
  switch (c.type) {
    case 'int': return Number(c.value);
    case 'float': return new PyFloat(c.value);
    case 'str': case 'bytes': return c.value;
    case 'bool': return c.value;
    case 'None': return null;
    case 'Ellipsis': return ELLIPSIS;
    case 'complex': throw raise('NotImplementedError', 'complex numbers are not supported by NN Lens');
  }
}

function evalFormatted(it: Interpreter, part: ast.FormattedValue, scope: Scope): string {
  let v = evalExpr(it, part.value, scope);
  if (part.conversion === 'r' || part.conversion === 'a') v = it.repr(v);
  else if (part.conversion === 's') v = it.str(v);
  const spec = part.formatSpec ? evalExpr(it, part.formatSpec, scope) as string : '';
  return formatValue(it, v, spec);
}

function evalElements(it: Interpreter, elts: readonly ast.Expr[], scope: Scope): PyValue[] {
  const out: PyValue[] = [];
  for (const el of elts) {
    if (el.kind === 'Starred') out.push(...it.iterate(evalExpr(it, el.value, scope)));
    else out.push(evalExpr(it, el, scope));
  }
  return it.budget.checkArray(out);
}

function comprehension(it: Interpreter, generators: readonly ast.Comprehension[], outer: Scope, body: (s: Scope) => void): void {
  // A comprehension has its own scope (its loop variables do not leak), seeing the enclosing ones.
  const scope = new Scope('function', outer, outer.moduleScope);
  const loop = (i: number): void => {
    if (i === generators.length) { body(scope); return; }
    const g = generators[i]!;
    const iterable = evalExpr(it, g.iter, i === 0 ? outer : scope);
    for (const item of it.iterateLazily(iterable)) {
      it.budget.step();
      it.assignTarget(g.target, item, scope);
      if (passesFilters(it, g.ifs, scope)) loop(i + 1);
    }
  };
  loop(0);
}

/** A comprehension's `if` clauses, left to right, stopping at the first false one. */
function passesFilters(it: Interpreter, ifs: readonly ast.Expr[], scope: Scope): boolean {
  for (const cond of ifs) if (!it.truthy(evalExpr(it, cond, scope), cond.range)) return false;
  return true;
}

function evalCall(it: Interpreter, e: ast.Call, scope: Scope): PyValue {
  const func = evalExpr(it, e.func, scope);
  const args = evalArguments(it, e.args, scope);
  const kwargs: Kwargs = e.keywords.length ? new Map() : noKwargs;
  for (const k of e.keywords) {
    const v = evalExpr(it, k.value, scope);
    if (k.arg === null) {
      if (!(v instanceof PyDict)) throw raise('TypeError', `argument after ** must be a mapping, not ${pyTypeName(v)}`);
      for (const [kk, vv] of v.items()) {
        if (typeof kk !== 'string') throw raise('TypeError', 'keywords must be strings');
        if (kwargs.has(kk)) throw raise('TypeError', `got multiple values for keyword argument '${kk}'`);
        kwargs.set(kk, vv);
      }
    } else {
      kwargs.set(k.arg, v);
    }
  }
  if (func === it.superBuiltin && args.length === 0) return zeroArgSuper(it, scope);
  try { return it.callValue(func, args, kwargs); } catch (err) { throw it.locate(err, e.range); }
}

/**
 * Positional arguments, left to right. The common short lists are array literals (exactly sized;
 * pushing onto an empty array reserves room for 17 elements, on every call).
 */
function evalArguments(it: Interpreter, nodes: readonly ast.Expr[], scope: Scope): PyValue[] {
  const n = nodes.length;
  if (n === 0) return [];
  const a0 = nodes[0]!;
  if (n === 1 && a0.kind !== 'Starred') return [evalExpr(it, a0, scope)];
  if (n === 2 && a0.kind !== 'Starred' && nodes[1]!.kind !== 'Starred') return [evalExpr(it, a0, scope), evalExpr(it, nodes[1]!, scope)];
  const args: PyValue[] = [];
  for (const a of nodes) {
    if (a.kind === 'Starred') args.push(...it.iterate(evalExpr(it, a.value, scope)));
    else args.push(evalExpr(it, a, scope));
  }
  return args;
}

/** `super()` with no arguments: the enclosing method's class (`__class__`) and its first argument. */
function zeroArgSuper(it: Interpreter, scope: Scope): SuperProxy {
  const cls = scope.lookup('__class__');
  const selfName = scope.lookup('__self_param__');
  if (!cls.found || !selfName.found) throw raise('RuntimeError', 'super(): no arguments');
  const self = scope.lookup(selfName.value as string);
  if (!self.found) throw raise('RuntimeError', 'super(): arg[0] deleted');
  return makeSuper(it, cls.value as PyClass, self.value);
}

export function makeSuper(it: Interpreter, cls: PyClass, self: PyValue): SuperProxy {
  const selfType = self instanceof PyClass ? self : typeOf(it, self);
  return new SuperProxy(cls, self, mroOf(selfType));
}

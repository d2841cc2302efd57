// Generic child access for the project AST, in source order (used by the compile-stage checks).

import type { Expr, Stmt } from './ast.ts';

/** Expressions directly inside a statement (not in nested bodies), in source order. */
export function statementExprs(s: Stmt): Expr[] {
  switch (s.kind) {
    case 'FunctionDef':
      return [...s.decoratorList, ...s.args.defaults, ...nonNull(s.args.kwDefaults), ...(s.returns ? [s.returns] : [])];
    case 'ClassDef': return [...s.decoratorList, ...s.bases, ...s.keywords.map((k) => k.value)];
    case 'Return': return nonNull([s.value]);
    case 'Delete': return s.targets;
    case 'Assign': return [s.value, ...s.targets];
    case 'AugAssign': return [s.target, s.value];
    case 'AnnAssign': return nonNull([s.target, s.annotation, s.value]);
    case 'For': return [s.target, s.iter];
    case 'While':
    case 'If': return [s.test];
    case 'With': return s.items.flatMap((i) => nonNull([i.contextExpr, i.optionalVars]));
    case 'Raise': return nonNull([s.exc, s.cause]);
    case 'Try': return nonNull(s.handlers.map((h) => h.type));
    case 'Assert': return nonNull([s.test, s.msg]);
    case 'Expr': return [s.value];
    default: return [];
  }
}

/** Statement lists nested in a statement, in source order. */
export function statementBodies(s: Stmt): Stmt[][] {
  switch (s.kind) {
    case 'FunctionDef':
    case 'ClassDef':
    case 'With': return [s.body];
    case 'For':
    case 'While':
    case 'If': return [s.body, s.orelse];
    case 'Try': return [s.body, ...s.handlers.map((h) => h.body), s.orelse, s.finalbody];
    default: return [];
  }
}

/** Sub-expressions of an expression, in source order. */
export function exprChildren(e: Expr): Expr[] {
  switch (e.kind) {
    case 'BoolOp': return e.values;
    case 'NamedExpr': return [e.target, e.value];
    case 'BinOp': return [e.left, e.right];
    case 'UnaryOp': return [e.operand];
    case 'Lambda': return [...e.args.defaults, ...nonNull(e.args.kwDefaults), e.body];
    case 'IfExp': return [e.body, e.test, e.orelse];
    case 'Dict': return e.values.flatMap((v, i) => nonNull([e.keys[i] ?? null, v]));
    case 'Set':
    case 'List':
    case 'Tuple': return e.elts;
    case 'ListComp':
    case 'SetComp':
    case 'GeneratorExp':
      return [e.elt, ...e.generators.flatMap((g) => [g.target, g.iter, ...g.ifs])];
    case 'DictComp': return [e.key, e.value, ...e.generators.flatMap((g) => [g.target, g.iter, ...g.ifs])];
    case 'Await': return [e.value];
    case 'Yield': return nonNull([e.value]);
    case 'Compare': return [e.left, ...e.comparators];
    case 'Call': return [e.func, ...e.args, ...e.keywords.map((k) => k.value)];
    case 'FormattedValue': return nonNull([e.value, e.formatSpec]);
    case 'JoinedStr': return e.values;
    case 'Attribute': return [e.value];
    case 'Subscript': return [e.value, e.slice];
    case 'Starred': return [e.value];
    case 'Slice': return nonNull([e.lower, e.upper, e.step]);
    default: return [];
  }
}

function nonNull<T>(items: (T | null)[]): T[] {
  return items.filter((x): x is T => x !== null);
}

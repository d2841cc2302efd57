// Compound statements: def/class (with decorators), if/elif/else, for, while, with, try.
// `match` and `try ... except*` are recognised but lowered to Unsupported.

import type { Node } from 'web-tree-sitter';
import type { ClassDef, ExceptHandler, Expr, FunctionDef, If, Stmt, WithItem } from './ast.ts';
import { statementBodies } from './ast-walk.ts';
import { fail, field, hasToken, type LowerContext, namedChildren, optionalField } from './lower-context.ts';
import { lowerArguments, lowerExpr } from './lower-expr.ts';
import { annotationOf, lowerParameters } from './lower-params.ts';
import { lowerBody } from './lower-stmt.ts';

export function lowerCompound(cx: LowerContext, node: Node): Stmt {
  return endAtLastStatement(cx, compound(cx, node));
}

/**
 * CPython ends a compound statement at the last token of its last block: the end of the last
 * nested statement, or a `;` after it. Tree-sitter's node also covers comments after that.
 */
function endAtLastStatement<T extends Stmt>(cx: LowerContext, s: T): T {
  const bodies = statementBodies(s).filter((b) => b.length > 0);
  const last = bodies[bodies.length - 1];
  const end = last?.[last.length - 1]?.range.end;
  if (!end) return s;
  const index = cx.src.lineStarts[end.line]! + end.column;
  const semicolon = /^[ \t\f]*;/.exec(cx.src.text.slice(index, cx.src.lineContentEnd(end.line)));
  const column = semicolon ? end.column + semicolon[0].length : end.column;
  return { ...s, range: { start: s.range.start, end: { line: end.line, column } } };
}

function compound(cx: LowerContext, node: Node): Stmt {
  switch (node.type) {
    case 'function_definition': return functionDef(cx, node, []);
    case 'class_definition': return classDef(cx, node, []);
    case 'decorated_definition': return decorated(cx, node);
    case 'if_statement': return ifStatement(cx, node);
    case 'for_statement': return forStatement(cx, node);
    case 'while_statement':
      return {
        kind: 'While', test: lowerExpr(cx, field(node, 'condition')), body: lowerBody(cx, field(node, 'body')),
        orelse: elseBody(cx, optionalField(node, 'alternative')), range: cx.range(node),
      };
    case 'with_statement': return withStatement(cx, node);
    case 'try_statement': return tryStatement(cx, node);
    case 'match_statement': return { kind: 'Unsupported', what: 'match statement', range: cx.rangeWithoutComments(node) };
    default: return fail(node);
  }
}

function decorated(cx: LowerContext, node: Node): Stmt {
  const decorators = namedChildren(node).filter((c) => c.type === 'decorator').map((d) => {
    const expr = namedChildren(d)[0] ?? fail(d);
    return lowerExpr(cx, expr);
  });
  const definition = field(node, 'definition');
  return definition.type === 'class_definition' ? classDef(cx, definition, decorators) : functionDef(cx, definition, decorators);
}

function functionDef(cx: LowerContext, node: Node, decoratorList: Expr[]): FunctionDef {
  const name = field(node, 'name');
  const returns = optionalField(node, 'return_type');
  return {
    kind: 'FunctionDef', name: cx.identifier(name), nameRange: cx.range(name),
    args: lowerParameters(cx, field(node, 'parameters'), lowerExpr), body: lowerBody(cx, field(node, 'body')),
    decoratorList, returns: returns ? annotationOf(cx, returns, lowerExpr) : null,
    isAsync: node.firstChild?.type === 'async', range: cx.range(node),
  };
}

function classDef(cx: LowerContext, node: Node, decoratorList: Expr[]): ClassDef {
  const name = field(node, 'name');
  const superclasses = optionalField(node, 'superclasses');
  const { args, keywords } = superclasses ? lowerArguments(cx, superclasses) : { args: [], keywords: [] };
  return {
    kind: 'ClassDef', name: cx.identifier(name), nameRange: cx.range(name), bases: args, keywords,
    body: lowerBody(cx, field(node, 'body')), decoratorList, range: cx.range(node),
  };
}

/** `elif` chains become nested If statements in `orelse`, as in CPython. */
function ifStatement(cx: LowerContext, node: Node): If {
  const alternatives = node.childrenForFieldName('alternative').filter((c): c is Node => c !== null);
  const chain = (i: number): Stmt[] => {
    const alt = alternatives[i];
    if (!alt) return [];
    if (alt.type === 'else_clause') return lowerBody(cx, field(alt, 'body'));
    if (alt.type !== 'elif_clause') fail(alt);
    const last = alternatives[alternatives.length - 1]!;
    return [endAtLastStatement<If>(cx, {
      kind: 'If', test: lowerExpr(cx, field(alt, 'condition')), body: lowerBody(cx, field(alt, 'consequence')),
      orelse: chain(i + 1), range: cx.rangeOf(alt, last),
    })];
  };
  return {
    kind: 'If', test: lowerExpr(cx, field(node, 'condition')), body: lowerBody(cx, field(node, 'consequence')),
    orelse: chain(0), range: cx.range(node),
  };
}

function elseBody(cx: LowerContext, node: Node | null): Stmt[] {
  return node ? lowerBody(cx, field(node, 'body')) : [];
}

function forStatement(cx: LowerContext, node: Node): Stmt {
  return {
    kind: 'For', target: lowerExpr(cx, field(node, 'left')), iter: lowerExpr(cx, field(node, 'right')),
    body: lowerBody(cx, field(node, 'body')), orelse: elseBody(cx, optionalField(node, 'alternative')),
    isAsync: node.firstChild?.type === 'async', range: cx.range(node),
  };
}

function withStatement(cx: LowerContext, node: Node): Stmt {
  const clause = namedChildren(node).find((c) => c.type === 'with_clause') ?? fail(node);
  const items = namedChildren(clause).flatMap((item) => withItems(cx, field(item, 'value')));
  return { kind: 'With', items, body: lowerBody(cx, field(node, 'body')), isAsync: node.firstChild?.type === 'async', range: cx.range(node) };
}

/**
 * A with_item's value. tree-sitter reads the parenthesised form `with (a as b, c as d):` as one
 * item holding a parenthesised expression or tuple of `as` patterns; CPython has one item each.
 */
function withItems(cx: LowerContext, value: Node): WithItem[] {
  const inner = namedChildren(value);
  if (value.type === 'parenthesized_expression' && inner.length === 1 && inner[0]!.type === 'as_pattern') return withItems(cx, inner[0]!);
  if (value.type === 'tuple' && inner.some((c) => c.type === 'as_pattern')) return inner.flatMap((c) => withItems(cx, c));
  if (value.type !== 'as_pattern') return [{ contextExpr: lowerExpr(cx, value), optionalVars: null }];
  const [expr] = inner;
  const target = namedChildren(field(value, 'alias'))[0] ?? fail(value);
  return [{ contextExpr: lowerExpr(cx, expr ?? fail(value)), optionalVars: lowerExpr(cx, target) }];
}

function tryStatement(cx: LowerContext, node: Node): Stmt {
  const range = cx.rangeWithoutComments(node);
  const handlers: ExceptHandler[] = [];
  let orelse: Stmt[] = [];
  let finalbody: Stmt[] = [];
  for (const child of namedChildren(node)) {
    if (child.type === 'except_clause') {
      if (hasToken(child, '*')) return { kind: 'Unsupported', what: 'except*', range };
      handlers.push(exceptHandler(cx, child));
    } else if (child.type === 'else_clause') {
      orelse = lowerBody(cx, field(child, 'body'));
    } else if (child.type === 'finally_clause') {
      finalbody = lowerBody(cx, namedChildren(child).find((c) => c.type === 'block') ?? null);
    }
  }
  return { kind: 'Try', body: lowerBody(cx, field(node, 'body')), handlers, orelse, finalbody, range };
}

function exceptHandler(cx: LowerContext, node: Node): ExceptHandler {
  const block = namedChildren(node).find((c) => c.type === 'block') ?? null;
  const value = optionalField(node, 'value');
  let type: Expr | null = null;
  let name: string | null = null;
  if (value?.type === 'as_pattern') {
    const [expr] = namedChildren(value);
    type = lowerExpr(cx, expr ?? fail(value));
    name = cx.identifier(namedChildren(field(value, 'alias'))[0] ?? fail(value));
  } else if (value) {
    type = lowerExpr(cx, value);
  }
  const body = lowerBody(cx, block);
  const range = cx.range(node);
  const end = body[body.length - 1]?.range.end;
  return { type, name, body, range: end ? { start: range.start, end } : range };
}

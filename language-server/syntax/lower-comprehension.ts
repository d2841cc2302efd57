// List/set/dict comprehensions and generator expressions. Each `for` clause opens a new
// `comprehension`; the `if` clauses that follow it are its `ifs`, as in CPython.

import type { Node } from 'web-tree-sitter';
import type { Comprehension, Expr } from './ast.ts';
import { fail, field, hasToken, type LowerContext, namedChildren } from './lower-context.ts';
import { lowerExpr } from './lower-expr.ts';

export function lowerComprehension(cx: LowerContext, node: Node): Expr {
  const generators: Comprehension[] = [];
  for (const clause of namedChildren(node)) {
    if (clause.type === 'for_in_clause') {
      const iter = clause.childForFieldName('right') ?? fail(clause);
      generators.push({
        target: lowerExpr(cx, field(clause, 'left')), iter: lowerExpr(cx, iter), ifs: [],
        isAsync: hasToken(clause, 'async'), range: cx.range(clause),
      });
    } else if (clause.type === 'if_clause') {
      const current = generators[generators.length - 1] ?? fail(clause);
      const test = namedChildren(clause)[0] ?? fail(clause);
      current.ifs.push(lowerExpr(cx, test));
      current.range = { start: current.range.start, end: cx.range(clause).end };
    }
  }
  if (generators.length === 0) fail(node);
  const range = cx.range(node);
  const body = field(node, 'body');
  switch (node.type) {
    case 'list_comprehension': return { kind: 'ListComp', elt: lowerExpr(cx, body), generators, range };
    case 'set_comprehension': return { kind: 'SetComp', elt: lowerExpr(cx, body), generators, range };
    case 'generator_expression': return { kind: 'GeneratorExp', elt: lowerExpr(cx, body), generators, range };
    case 'dictionary_comprehension':
      if (body.type !== 'pair') fail(body);
      return { kind: 'DictComp', key: lowerExpr(cx, field(body, 'key')), value: lowerExpr(cx, field(body, 'value')), generators, range };
    default:
      return fail(node);
  }
}

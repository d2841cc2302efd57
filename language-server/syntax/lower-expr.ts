// Expression lowering: one function per tree-sitter expression form, producing CPython-shaped
// nodes (Name, Attribute, Call, BinOp, Compare, Subscript with Slice/Tuple slices, ...).

import type { Node } from 'web-tree-sitter';
import type {
  Attribute, BinOperator, BoolOperator, Call, CmpOperator, Expr, Keyword, Range, Slice, Subscript, UnaryOperator,
} from './ast.ts';
import { lowerComprehension } from './lower-comprehension.ts';
import { allChildren, fail, field, hasToken, type LowerContext, namedChildren, optionalField } from './lower-context.ts';
import { numberValue } from './lower-number.ts';
import { lowerParameters } from './lower-params.ts';
import { lowerStrings } from './lower-string.ts';

type Lowerer = (cx: LowerContext, node: Node) => Expr;

const LOWERERS: Readonly<Record<string, Lowerer>> = {
  identifier: (cx, n) => ({ kind: 'Name', id: cx.identifier(n), range: cx.range(n) }),
  true: (cx, n) => ({ kind: 'Constant', value: { type: 'bool', value: true }, range: cx.range(n) }),
  false: (cx, n) => ({ kind: 'Constant', value: { type: 'bool', value: false }, range: cx.range(n) }),
  none: (cx, n) => ({ kind: 'Constant', value: { type: 'None' }, range: cx.range(n) }),
  ellipsis: (cx, n) => ({ kind: 'Constant', value: { type: 'Ellipsis' }, range: cx.range(n) }),
  integer: (cx, n) => ({ kind: 'Constant', value: numberValue(cx.text(n)), range: cx.range(n) }),
  float: (cx, n) => ({ kind: 'Constant', value: numberValue(cx.text(n)), range: cx.range(n) }),
  string: (cx, n) => lowerStrings(cx, n, lowerExpr),
  concatenated_string: (cx, n) => lowerStrings(cx, n, lowerExpr),
  attribute,
  subscript,
  call,
  binary_operator: binaryOperator,
  unary_operator: (cx, n) => ({
    kind: 'UnaryOp', op: cx.text(field(n, 'operator')) as UnaryOperator, operand: lowerExpr(cx, field(n, 'argument')), range: cx.range(n),
  }),
  not_operator: (cx, n) => ({ kind: 'UnaryOp', op: 'not', operand: lowerExpr(cx, field(n, 'argument')), range: cx.range(n) }),
  boolean_operator: booleanOperator,
  comparison_operator: comparison,
  conditional_expression: (cx, n) => {
    const [body, test, orelse] = namedChildren(n);
    if (!body || !test || !orelse) fail(n);
    return { kind: 'IfExp', test: lowerExpr(cx, test), body: lowerExpr(cx, body), orelse: lowerExpr(cx, orelse), range: cx.range(n) };
  },
  named_expression: (cx, n) => ({
    kind: 'NamedExpr', target: { kind: 'Name', id: cx.identifier(field(n, 'name')), range: cx.range(field(n, 'name')) },
    value: lowerExpr(cx, field(n, 'value')), range: cx.range(n),
  }),
  lambda: (cx, n) => ({
    kind: 'Lambda', args: lowerParameters(cx, optionalField(n, 'parameters'), lowerExpr), body: lowerExpr(cx, field(n, 'body')), range: cx.range(n),
  }),
  await: (cx, n) => ({ kind: 'Await', value: lowerExpr(cx, only(n)), range: cx.range(n) }),
  yield: (cx, n) => {
    const value = namedChildren(n)[0];
    return { kind: 'Yield', value: value ? lowerExpr(cx, value) : null, from: hasToken(n, 'from'), range: cx.range(n) };
  },
  parenthesized_expression: (cx, n) => lowerExpr(cx, only(n)),
  list: (cx, n) => ({ kind: 'List', elts: elements(cx, n), range: cx.range(n) }),
  tuple: (cx, n) => ({ kind: 'Tuple', elts: elements(cx, n), range: cx.range(n) }),
  set: (cx, n) => ({ kind: 'Set', elts: elements(cx, n), range: cx.range(n) }),
  expression_list: (cx, n) => ({ kind: 'Tuple', elts: elements(cx, n), range: cx.range(n) }),
  pattern_list: (cx, n) => ({ kind: 'Tuple', elts: elements(cx, n), range: cx.range(n) }),
  // A target in parentheses without a comma, `(x) = 1`, is not a tuple.
  tuple_pattern: (cx, n) => (namedChildren(n).length === 1 && !hasToken(n, ',')
    ? lowerExpr(cx, only(n))
    : { kind: 'Tuple', elts: elements(cx, n), range: cx.range(n) }),
  list_pattern: (cx, n) => ({ kind: 'List', elts: elements(cx, n), range: cx.range(n) }),
  list_splat: starred,
  list_splat_pattern: starred,
  parenthesized_list_splat: (cx, n) => lowerExpr(cx, only(n)),
  splat_type: starred,
  dictionary,
  list_comprehension: lowerComprehension,
  set_comprehension: lowerComprehension,
  dictionary_comprehension: lowerComprehension,
  generator_expression: lowerComprehension,
  slice,
  // Annotation-only forms of tree-sitter-python's `type` grammar.
  type: (cx, n) => lowerExpr(cx, only(n)),
  generic_type: genericType,
  union_type: (cx, n) => {
    const [left, right] = namedChildren(n);
    if (!left || !right) fail(n);
    return { kind: 'BinOp', left: lowerExpr(cx, left), op: '|', right: lowerExpr(cx, right), range: cx.range(n) };
  },
  member_type: (cx, n) => {
    const [object, name] = namedChildren(n);
    if (!object || !name) fail(n);
    return { kind: 'Attribute', value: lowerExpr(cx, object), attr: cx.identifier(name), attrRange: cx.range(name), range: cx.range(n) };
  },
};

export function lowerExpr(cx: LowerContext, node: Node): Expr {
  if (node.isError || node.isMissing) fail(node);
  const lower = LOWERERS[node.type];
  return lower ? lower(cx, node) : fail(node);
}

/** The single named child of a wrapper node. */
function only(node: Node): Node {
  const children = namedChildren(node);
  return children.length === 1 ? children[0]! : fail(node);
}

function elements(cx: LowerContext, node: Node): Expr[] {
  return namedChildren(node).map((c) => lowerExpr(cx, c));
}

function starred(cx: LowerContext, node: Node): Expr {
  return { kind: 'Starred', value: lowerExpr(cx, only(node)), range: cx.range(node) };
}

/**
 * tree-sitter-python reads `*a.b(1)` as `(*a).b(1)`; CPython's is `*(a.b(1))`. When the base of
 * an attribute, subscript or call comes out Starred, the star is moved outside.
 */
function liftStar(node: Attribute | Subscript | Call): Expr {
  const base = node.kind === 'Call' ? node.func : node.value;
  if (base.kind !== 'Starred') return node;
  const range = { start: base.value.range.start, end: node.range.end };
  const inner: Expr = node.kind === 'Call' ? { ...node, func: base.value, range } : { ...node, value: base.value, range };
  return { kind: 'Starred', value: inner, range: node.range };
}

function attribute(cx: LowerContext, node: Node): Expr {
  const name = field(node, 'attribute');
  return liftStar({ kind: 'Attribute', value: lowerExpr(cx, field(node, 'object')), attr: cx.identifier(name), attrRange: cx.range(name), range: cx.range(node) });
}

/** `x[i]`, `x[a:b:c]`, `x[:, None, ..., 1:3]` (a Tuple of slices, as in CPython). */
function subscript(cx: LowerContext, node: Node): Expr {
  const items = node.childrenForFieldName('subscript').filter((c): c is Node => c !== null);
  if (items.length === 0) fail(node);
  const trailingComma = allChildren(node).some((c) => c.type === ',');
  const elts = items.map((c) => lowerExpr(cx, c));
  // `x[*a]` is a one-element tuple in CPython (a starred item is never a slice by itself).
  const sliceExpr: Expr = items.length === 1 && !trailingComma && elts[0]!.kind !== 'Starred'
    ? elts[0]!
    : { kind: 'Tuple', elts, range: tupleRange(cx, node, items) };
  return liftStar({ kind: 'Subscript', value: lowerExpr(cx, field(node, 'value')), slice: sliceExpr, range: cx.range(node) });
}

/** An unbracketed tuple inside `[...]` runs from its first item through a trailing comma. */
function tupleRange(cx: LowerContext, node: Node, items: Node[]): Range {
  const last = items[items.length - 1]!;
  const comma = allChildren(node).find((c) => c.type === ',' && c.startIndex >= last.endIndex);
  return cx.rangeOf(items[0]!, comma ?? last);
}

/** `lower:upper:step`; which parts are present follows from the positions of the colons. */
function slice(cx: LowerContext, node: Node): Slice {
  const parts: (Expr | null)[] = [null, null, null];
  let index = 0;
  for (const child of allChildren(node)) {
    if (child.type === ':') index++;
    else if (index < 3) parts[index] = lowerExpr(cx, child);
  }
  return { kind: 'Slice', lower: parts[0] ?? null, upper: parts[1] ?? null, step: parts[2] ?? null, range: cx.range(node) };
}

function call(cx: LowerContext, node: Node): Expr {
  const func = lowerExpr(cx, field(node, 'function'));
  const argsNode = field(node, 'arguments');
  const range = cx.range(node);
  if (argsNode.type === 'generator_expression') {
    return liftStar({ kind: 'Call', func, args: [lowerComprehension(cx, argsNode)], keywords: [], range });
  }
  const { args, keywords } = lowerArguments(cx, argsNode);
  return liftStar({ kind: 'Call', func, args, keywords, range });
}

/** An `argument_list`: positional (possibly starred) arguments and keywords. */
export function lowerArguments(cx: LowerContext, node: Node): { args: Expr[]; keywords: Keyword[] } {
  const args: Expr[] = [];
  const keywords: Keyword[] = [];
  for (const child of namedChildren(node)) {
    if (child.type === 'keyword_argument') {
      keywords.push({ arg: cx.identifier(field(child, 'name')), value: lowerExpr(cx, field(child, 'value')), range: cx.range(child) });
    } else if (child.type === 'dictionary_splat') {
      keywords.push({ arg: null, value: lowerExpr(cx, only(child)), range: cx.range(child) });
    } else {
      args.push(lowerExpr(cx, child));
    }
  }
  return { args, keywords };
}

/** Python's binary operator precedence (`**` is right-associative, the rest left). */
const BINARY_PRECEDENCE: Readonly<Record<string, number>> = {
  '|': 1, '^': 2, '&': 3, '<<': 4, '>>': 4, '+': 5, '-': 5, '*': 6, '@': 6, '/': 6, '//': 6, '%': 6, '**': 7,
};

/**
 * tree-sitter-python ranks `^` above `&` (Python: `&` binds tighter), so a chain of binary
 * operators (up to parentheses) is flattened and rebuilt with Python's precedence.
 */
function binaryOperator(cx: LowerContext, node: Node): Expr {
  // Operand ranges come from the CST so that parentheses around an operand are included.
  const operands: { expr: Expr; range: Range }[] = [];
  const ops: BinOperator[] = [];
  const flatten = (n: Node) => {
    if (n.type !== 'binary_operator') return void operands.push({ expr: lowerExpr(cx, n), range: cx.range(n) });
    flatten(field(n, 'left'));
    ops.push(cx.text(field(n, 'operator')) as BinOperator);
    flatten(field(n, 'right'));
  };
  flatten(node);
  let next = 0;
  const climb = (minPrecedence: number): { expr: Expr; range: Range } => {
    let left = operands[next]!;
    while (next < ops.length && BINARY_PRECEDENCE[ops[next]!]! >= minPrecedence) {
      const op = ops[next++]!;
      const precedence = BINARY_PRECEDENCE[op]!;
      const right = climb(op === '**' ? precedence : precedence + 1);
      const range = { start: left.range.start, end: right.range.end };
      left = { expr: { kind: 'BinOp', left: left.expr, op, right: right.expr, range }, range };
    }
    return left;
  };
  return climb(0).expr;
}

/** `a or b or c` is one BoolOp with three values in CPython; tree-sitter nests them. */
function booleanOperator(cx: LowerContext, node: Node): Expr {
  const op = cx.text(field(node, 'operator')) as BoolOperator;
  const values: Expr[] = [];
  const collect = (n: Node) => {
    if (n.type === 'boolean_operator' && cx.text(field(n, 'operator')) === op) {
      collect(field(n, 'left'));
      collect(field(n, 'right'));
    } else {
      values.push(lowerExpr(cx, n));
    }
  };
  collect(field(node, 'left'));
  collect(field(node, 'right'));
  return { kind: 'BoolOp', op, values, range: cx.range(node) };
}

/** Chained comparisons: operands are the named children, operators the `operators` field. */
function comparison(cx: LowerContext, node: Node): Expr {
  const operands: Expr[] = [];
  const ops: CmpOperator[] = [];
  for (let i = 0; i < node.childCount; i++) {
    const child = node.child(i);
    if (!child || child.type === 'comment' || child.type === 'line_continuation') continue;
    if (node.fieldNameForChild(i) === 'operators') ops.push(cx.text(child).split(/\s+/).join(' ') as CmpOperator);
    else if (child.isNamed) operands.push(lowerExpr(cx, child));
    else fail(child);
  }
  const [left, ...comparators] = operands;
  if (!left || comparators.length !== ops.length || ops.length === 0) fail(node);
  return { kind: 'Compare', left, ops, comparators, range: cx.range(node) };
}

function dictionary(cx: LowerContext, node: Node): Expr {
  const keys: (Expr | null)[] = [];
  const values: Expr[] = [];
  for (const child of namedChildren(node)) {
    if (child.type === 'pair') {
      keys.push(lowerExpr(cx, field(child, 'key')));
      values.push(lowerExpr(cx, field(child, 'value')));
    } else if (child.type === 'dictionary_splat') {
      keys.push(null);
      values.push(lowerExpr(cx, only(child)));
    } else {
      fail(child);
    }
  }
  return { kind: 'Dict', keys, values, range: cx.range(node) };
}

/** `List[int]` in an annotation: tree-sitter's generic_type is CPython's Subscript. */
function genericType(cx: LowerContext, node: Node): Expr {
  const [base, params] = namedChildren(node);
  if (!base || !params || params.type !== 'type_parameter') fail(node);
  const items = namedChildren(params);
  if (items.length === 0) fail(params);
  const elts = items.map((c) => lowerExpr(cx, c));
  const trailingComma = allChildren(params).filter((c) => c.type === ',').length >= items.length;
  const sliceExpr: Expr = items.length === 1 && !trailingComma && elts[0]!.kind !== 'Starred'
    ? elts[0]!
    : { kind: 'Tuple', elts, range: tupleRange(cx, params, items) };
  return { kind: 'Subscript', value: lowerExpr(cx, base), slice: sliceExpr, range: cx.range(node) };
}


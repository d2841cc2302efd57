// Statement lowering: blocks, simple statements, and the dispatch to compound statements.
// A statement whose CST contains an ERROR/MISSING node is dropped (LowerError), so one broken
// statement never takes its neighbours down with it.

import type { Node } from 'web-tree-sitter';
import type { Alias, BinOperator, Expr, ImportFrom, Stmt } from './ast.ts';
import { lowerCompound } from './lower-compound.ts';
import { allChildren, fail, field, hasToken, LowerError, type LowerContext, namedChildren, optionalField } from './lower-context.ts';
import { lowerExpr } from './lower-expr.ts';
import { annotationOf } from './lower-params.ts';

/** The statements of a `module` or `block` node. */
export function lowerStatements(cx: LowerContext, node: Node): Stmt[] {
  const out: Stmt[] = [];
  for (const child of node.namedChildren) {
    if (!child || child.isError || child.isMissing || child.type === 'comment') continue;
    try {
      out.push(...lowerStatement(cx, child));
    } catch (e) {
      // A LowerError means an ERROR/MISSING node inside; any other Error is a lowering bug (or a
      // stack overflow on absurd nesting). Either way only this statement is lost, never the file.
      if (!(e instanceof LowerError) && !(e instanceof Error)) throw e;
    }
  }
  return out;
}

/** A compound statement's `body`/`block` child. */
export function lowerBody(cx: LowerContext, node: Node | null): Stmt[] {
  return node ? lowerStatements(cx, node) : [];
}

function lowerStatement(cx: LowerContext, node: Node): Stmt[] {
  const range = cx.range(node);
  switch (node.type) {
    case 'expression_statement': return [expressionStatement(cx, node)];
    case 'pass_statement': return [{ kind: 'Pass', range }];
    case 'break_statement': return [{ kind: 'Break', range }];
    case 'continue_statement': return [{ kind: 'Continue', range }];
    case 'return_statement': {
      const value = namedChildren(node)[0];
      return [{ kind: 'Return', value: value ? lowerExpr(cx, value) : null, range }];
    }
    case 'delete_statement': {
      const target = namedChildren(node)[0] ?? fail(node);
      const targets = target.type === 'expression_list' ? namedChildren(target).map((t) => lowerExpr(cx, t)) : [lowerExpr(cx, target)];
      return [{ kind: 'Delete', targets, range }];
    }
    case 'raise_statement': {
      const cause = optionalField(node, 'cause');
      const exc = namedChildren(node).find((c) => c.id !== cause?.id);
      return [{ kind: 'Raise', exc: exc ? lowerExpr(cx, exc) : null, cause: cause ? lowerExpr(cx, cause) : null, range }];
    }
    case 'assert_statement': {
      const [test, msg] = namedChildren(node);
      return [{ kind: 'Assert', test: lowerExpr(cx, test ?? fail(node)), msg: msg ? lowerExpr(cx, msg) : null, range }];
    }
    case 'global_statement': return [{ kind: 'Global', names: namedChildren(node).map((n) => cx.identifier(n)), range }];
    case 'nonlocal_statement': return [{ kind: 'Nonlocal', names: namedChildren(node).map((n) => cx.identifier(n)), range }];
    case 'import_statement': return [{ kind: 'Import', names: aliases(cx, node), range }];
    case 'import_from_statement': return [importFrom(cx, node)];
    case 'future_import_statement': return [{ kind: 'ImportFrom', module: '__future__', names: aliases(cx, node), level: 0, range }];
    case 'print_statement': return [{ kind: 'Unsupported', what: 'print statement', range }];
    case 'exec_statement': return [{ kind: 'Unsupported', what: 'exec statement', range }];
    case 'type_alias_statement': return [{ kind: 'Unsupported', what: 'type alias', range }];
    default: return [lowerCompound(cx, node)];
  }
}

function expressionStatement(cx: LowerContext, node: Node): Stmt {
  const range = cx.range(node);
  const children = namedChildren(node);
  if (children.length !== 1 || hasToken(node, ',')) {
    // `1, 2` or `f(x),` as a statement: an unparenthesised tuple.
    return { kind: 'Expr', value: { kind: 'Tuple', elts: children.map((c) => lowerExpr(cx, c)), range }, range };
  }
  const inner = children[0]!;
  if (inner.type === 'assignment') return assignment(cx, inner, range);
  if (inner.type === 'augmented_assignment') {
    const op = cx.text(field(inner, 'operator')).slice(0, -1) as BinOperator;
    return { kind: 'AugAssign', target: lowerExpr(cx, field(inner, 'left')), op, value: lowerExpr(cx, field(inner, 'right')), range };
  }
  return { kind: 'Expr', value: lowerExpr(cx, inner), range };
}

/** `a = b = value`, `x: T`, `x: T = value`. Tree-sitter nests chained assignments to the right. */
function assignment(cx: LowerContext, node: Node, range: Stmt['range']): Stmt {
  const typeNode = optionalField(node, 'type');
  const left = field(node, 'left');
  if (typeNode) {
    const valueNode = optionalField(node, 'right');
    return {
      kind: 'AnnAssign', target: lowerExpr(cx, left), annotation: annotationOf(cx, typeNode, lowerExpr),
      value: valueNode ? lowerExpr(cx, valueNode) : null, simple: left.type === 'identifier', range,
    };
  }
  const targets: Expr[] = [lowerExpr(cx, left)];
  let value = field(node, 'right');
  while (value.type === 'assignment' && !value.childForFieldName('type')) {
    targets.push(lowerExpr(cx, field(value, 'left')));
    value = field(value, 'right');
  }
  return { kind: 'Assign', targets, value: lowerExpr(cx, value), range };
}

/** `dotted.name [as alias]` entries of import statements. */
function aliases(cx: LowerContext, node: Node): Alias[] {
  return node.childrenForFieldName('name').filter((c): c is Node => c !== null).map((n) => {
    if (n.isError || n.isMissing) fail(n);
    if (n.type === 'aliased_import') {
      return { name: dotted(cx, field(n, 'name')), asname: cx.identifier(field(n, 'alias')), range: cx.range(n) };
    }
    return { name: dotted(cx, n), asname: null, range: cx.range(n) };
  });
}

function dotted(cx: LowerContext, node: Node): string {
  if (node.type !== 'dotted_name') fail(node);
  return namedChildren(node).map((n) => cx.identifier(n)).join('.');
}

function importFrom(cx: LowerContext, node: Node): ImportFrom {
  const moduleNode = field(node, 'module_name');
  let module: string | null;
  let level = 0;
  if (moduleNode.type === 'relative_import') {
    const [prefix, name] = namedChildren(moduleNode);
    level = prefix ? cx.text(prefix).length : 0;
    module = name ? dotted(cx, name) : null;
  } else {
    module = dotted(cx, moduleNode);
  }
  const wildcard = allChildren(node).find((c) => c.type === 'wildcard_import');
  const names = wildcard ? [{ name: '*', asname: null, range: cx.range(wildcard) }] : aliases(cx, node);
  return { kind: 'ImportFrom', module, names, level, range: cx.range(node) };
}

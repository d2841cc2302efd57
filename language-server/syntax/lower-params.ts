// Parameter lists of `def` and `lambda`, lowered to CPython's `ast.arguments` layout:
// positional-only (before `/`), regular, `*args`, keyword-only (after `*`), `**kwargs`, with
// `defaults` aligned to the last positional parameters.

import type { Node } from 'web-tree-sitter';
import type { Arg, Arguments, Expr } from './ast.ts';
import { fail, field, type LowerContext, namedChildren, optionalField } from './lower-context.ts';

type LowerExpr = (cx: LowerContext, node: Node) => Expr;

export function emptyArguments(): Arguments {
  return { posonlyargs: [], args: [], vararg: null, kwonlyargs: [], kwDefaults: [], kwarg: null, defaults: [] };
}

/** `parameters` (def) or `lambda_parameters`; null means none at all. */
export function lowerParameters(cx: LowerContext, node: Node | null, lowerExpr: LowerExpr): Arguments {
  const out = emptyArguments();
  if (!node) return out;
  let keywordOnly = false;
  for (const param of namedChildren(node)) {
    switch (param.type) {
      case 'positional_separator':
        out.posonlyargs.push(...out.args);
        out.args = [];
        break;
      case 'keyword_separator':
        keywordOnly = true;
        break;
      case 'list_splat_pattern':
        out.vararg = arg(cx, splatName(param), null, splatName(param));
        keywordOnly = true;
        break;
      case 'dictionary_splat_pattern':
        out.kwarg = arg(cx, splatName(param), null, splatName(param));
        break;
      case 'typed_parameter': {
        const inner = namedChildren(param)[0] ?? fail(param);
        const typeNode = field(param, 'type');
        const annotation = annotationOf(cx, typeNode, lowerExpr);
        if (inner.type === 'list_splat_pattern') {
          out.vararg = arg(cx, splatName(inner), annotation, typeNode);
          keywordOnly = true;
        } else if (inner.type === 'dictionary_splat_pattern') {
          out.kwarg = arg(cx, splatName(inner), annotation, typeNode);
        } else {
          add(out, arg(cx, inner, annotation, typeNode), null, keywordOnly);
        }
        break;
      }
      case 'identifier':
        add(out, arg(cx, param, null, param), null, keywordOnly);
        break;
      case 'default_parameter':
      case 'typed_default_parameter': {
        const name = field(param, 'name');
        const typeNode = optionalField(param, 'type');
        const annotation = typeNode ? annotationOf(cx, typeNode, lowerExpr) : null;
        add(out, arg(cx, name, annotation, typeNode ?? name), lowerExpr(cx, field(param, 'value')), keywordOnly);
        break;
      }
      default:
        fail(param);
    }
  }
  return out;
}

function add(out: Arguments, a: Arg, dflt: Expr | null, keywordOnly: boolean): void {
  if (keywordOnly) {
    out.kwonlyargs.push(a);
    out.kwDefaults.push(dflt);
  } else {
    out.args.push(a);
    if (dflt) out.defaults.push(dflt);
  }
}

function splatName(node: Node): Node {
  const name = namedChildren(node)[0];
  return name && name.type === 'identifier' ? name : fail(node);
}

/** CPython's arg node spans the name and its annotation (`last`), not the `*`/`**` or default. */
function arg(cx: LowerContext, name: Node, annotation: Expr | null, last: Node): Arg {
  return { arg: cx.identifier(name), annotation, range: cx.rangeOf(name, last) };
}

/** A `type` node wraps the annotation expression. */
export function annotationOf(cx: LowerContext, typeNode: Node, lowerExpr: LowerExpr): Expr {
  const inner = typeNode.type === 'type' ? namedChildren(typeNode)[0] : typeNode;
  return lowerExpr(cx, inner ?? fail(typeNode));
}

// Assignment-target rules from CPython's pegen helpers: `_PyPegen_get_expr_name` (the noun used
// in "cannot assign to ...") and `_PyPegen_get_invalid_target` (which sub-expression to blame).

import type { Shape } from './check-base.ts';

const NAMES: Readonly<Record<string, string>> = {
  Attribute: 'attribute', Subscript: 'subscript', Starred: 'starred', Name: 'name', List: 'list',
  Tuple: 'tuple', Lambda: 'lambda', Call: 'function call', BoolOp: 'expression', BinOp: 'expression',
  UnaryOp: 'expression', GeneratorExp: 'generator expression', Yield: 'yield expression',
  YieldFrom: 'yield expression', Await: 'await expression', ListComp: 'list comprehension',
  SetComp: 'set comprehension', DictComp: 'dict comprehension', Dict: 'dict literal', Set: 'set display',
  JoinedStr: 'f-string expression', Compare: 'comparison', IfExp: 'conditional expression',
  NamedExpr: 'named expression', Slice: 'slice',
};

export function exprName(s: Shape): string {
  if (s.kind === 'Constant') {
    if (s.constant === 'None' || s.constant === 'True' || s.constant === 'False') return s.constant;
    return s.constant === 'Ellipsis' ? 'ellipsis' : 'literal';
  }
  return NAMES[s.kind] ?? 'expression';
}

export type TargetsType = 'star' | 'for' | 'del';

/** The first sub-expression that cannot be a target, or null if `s` is a valid target. */
export function invalidTarget(s: Shape, type: TargetsType): Shape | null {
  switch (s.kind) {
    case 'List':
    case 'Tuple':
      for (const e of s.elts ?? []) {
        const bad = invalidTarget(e, type);
        if (bad) return bad;
      }
      return null;
    case 'Starred':
      if (type === 'del') return s;
      return s.value ? invalidTarget(s.value, type) : null;
    case 'Compare':
      // `for a in b` parsed as an expression is the comparison `a in b`; blame its left side.
      if (type === 'for') return s.ops?.[0] === 'in' && s.value ? invalidTarget(s.value, type) : null;
      return s;
    case 'Name':
    case 'Subscript':
    case 'Attribute':
      return null;
    default:
      return s;
  }
}

/** `single_target`: a name, attribute or subscript, possibly parenthesised. */
export function isSingleTarget(s: Shape): boolean {
  return s.kind === 'Name' || s.kind === 'Attribute' || s.kind === 'Subscript';
}

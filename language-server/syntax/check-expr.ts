// Expression rules of the syntax checker, following Grammar/python.gram (3.11) from
// star_expressions down to atom, with the specialised-error rules CPython tries on its second
// pass (invalid_expression, invalid_named_expression, invalid_legacy_expression, ...) inlined
// where they apply.

import { callArguments, parameters } from './check-args.ts';
import { type Checker, type Shape, shape } from './check-base.ts';
import { braceAtom, listAtom, parenAtom } from './check-displays.ts';
import { strings } from './check-strings.ts';
import { exprName } from './check-targets.ts';
import { KEYWORDS } from './tokens.ts';

/** `print x` / `exec x` get CPython's "Missing parentheses" hint. */
const LEGACY_STATEMENTS: ReadonlySet<string> = new Set(['print', 'exec']);
/** Python 3.11's soft keywords (the "perhaps you forgot a comma" rule skips them). */
const SOFT_KEYWORDS_311: readonly string[] = ['_', 'case', 'match'];
/** Expressions that `!(list|tuple|genexp|'True'|'None'|'False')` rules out. */
const EXCLUDED_LEADS: ReadonlySet<string | null> = new Set(['list', 'tuple', 'genexp', 'True', 'None', 'False']);

/**
 * CPython 3.11's SOFT_KEYWORD token check compares only the name's length worth of characters
 * (`strncmp(keyword, name, len(name))`), so any prefix of a soft keyword (`c`, `ma`, ...) counts.
 */
function isSoftKeyword311(name: string): boolean {
  return SOFT_KEYWORDS_311.some((k) => k.startsWith(name));
}

export function starExpressions(p: Checker): Shape | null {
  const start = p.pos;
  const first = starExpression(p);
  if (!first || !p.op(',')) return first;
  const elts = [first];
  while (p.eat(',')) {
    const e = starExpression(p);
    if (!e) break;
    elts.push(e);
  }
  return shape('Tuple', start, p.pos, { elts, lead: first.lead });
}

export function starExpression(p: Checker): Shape | null {
  return p.op('*') ? starred(p, bitwiseOr) : expression(p);
}

export function starNamedExpression(p: Checker): Shape | null {
  return p.op('*') ? starred(p, bitwiseOr) : namedExpression(p);
}

/** `'*' operand`; the caller has checked for the star. */
export function starred(p: Checker, operand: (p: Checker) => Shape | null): Shape | null {
  const start = p.pos++;
  const value = operand(p);
  if (!value) {
    p.pos = start;
    return null;
  }
  return shape('Starred', start, p.pos, { value });
}

/**
 * named_expression; with `invalidChecks` off it is call arguments' `assignment_expression |
 * expression !':='`, which lacks invalid_named_expression.
 */
export function namedExpression(p: Checker, invalidChecks = true): Shape | null {
  const start = p.pos;
  if (p.name() && p.op(':=', 1)) {
    p.pos += 2;
    // After `:=` CPython commits (`~`): no other reading of the walrus is tried.
    if (!expression(p)) {
      p.pos = start;
      return null;
    }
    return shape('NamedExpr', start, p.pos, { bitwise: false });
  }
  const e = expression(p);
  if (!e) return null;
  // Inside `*_without_invalid` rules this one cannot raise, but CPython is observed to read as
  // far as if it ran. That decides whether an unclosed bracket is reported instead, so it runs
  // there too, silently.
  if (invalidChecks) invalidNamedExpression(p, start, e);
  if (p.op(':=')) {
    p.pos = start;
    return null;
  }
  return e;
}

/** CPython's invalid_named_expression: `=` (or `:=`) where a named expression was expected. */
function invalidNamedExpression(p: Checker, start: number, e: Shape): void {
  if (p.op(':=')) {
    p.explore(() => {
      p.pos++;
      if (expression(p) && p.invalidRules) p.raiseSpan(e, e, `cannot use assignment expressions with ${exprName(e)}`);
    });
    return;
  }
  const bareName = e.kind === 'Name' && e.start === start;
  if (!p.op('=') || !e.bitwise || (!bareName && EXCLUDED_LEADS.has(e.lead))) return;
  p.explore(() => {
    p.pos++;
    const b = bitwiseOr(p);
    if (!b || p.op('=') || p.op(':=') || !p.invalidRules) return;
    if (bareName) p.raiseSpan(e, b, "invalid syntax. Maybe you meant '==' or ':=' instead of '='?");
    if (!EXCLUDED_LEADS.has(e.lead)) p.raiseSpan(e, e, `cannot assign to ${exprName(e)} here. Maybe you meant '==' instead of '='?`);
  });
}

/**
 * `expression`. `commaCheck` is off where CPython's memoisation means the "forgot a comma" rule
 * never fires (the `else` branch of a conditional expression).
 */
export function expression(p: Checker, commaCheck = true): Shape | null {
  return p.memoised((commaCheck ? 2 : 0) + (p.invalidRules ? 1 : 0), () => expressionRule(p, commaCheck));
}

function expressionRule(p: Checker, commaCheck: boolean): Shape | null {
  const start = p.pos;
  if (p.kw('lambda')) return lambdef(p);
  const d = disjunction(p);
  if (!d) return null;
  if (p.kw('if')) {
    const afterTest = p.pos;
    p.pos++;
    const b = disjunction(p);
    if (b && p.kw('else')) {
      p.pos++;
      if (expression(p, false)) return shape('IfExp', start, p.pos, { bitwise: false, lead: d.lead });
    } else if (b && p.invalidRules && !p.op(':')) {
      p.raiseSpan(d, b, "expected 'else' after 'if' expression");
    }
    p.pos = afterTest;
  }
  // Like invalid_named_expression, these also run (silently) inside `*_without_invalid` rules.
  if (commaCheck) forgottenComma(p, start, d);
  legacyStatement(p, start, d);
  return d;
}

/** invalid_expression: two expressions side by side inside brackets. */
function forgottenComma(p: Checker, start: number, a: Shape): void {
  const first = p.token(start);
  if (first.kind === 'NAME' && (p.token(start + 1).kind === 'STRING' || isSoftKeyword311(first.text))) return;
  if (a.kind === 'Name' && LEGACY_STATEMENTS.has(first.text)) return;
  const raise = p.invalidRules;
  p.explore(() => {
    p.noInvalid++;
    try {
      const b = expression(p, false);
      if (b && raise && p.token(p.pos - 1).level > 0) p.raiseSpan(a, b, 'invalid syntax. Perhaps you forgot a comma?');
    } finally {
      p.noInvalid--;
    }
  });
}

/**
 * invalid_legacy_expression: `NAME !'(' star_expressions`, Python 2's `print x`. CPython parses
 * what follows *any* bare name this way (with specialised errors on), so errors found there
 * surface too; the "Missing parentheses" message itself is only for print and exec.
 */
function legacyStatement(p: Checker, start: number, a: Shape): void {
  const first = p.token(start);
  if (a.kind !== 'Name' || a.start !== start || p.op('(')) return;
  const raise = p.invalidRules;
  p.explore(() => {
    const b = starExpressions(p);
    if (b && raise && LEGACY_STATEMENTS.has(first.text)) {
      p.raiseSpan(a, b, `Missing parentheses in call to '${first.text}'. Did you mean ${first.text}(...)?`);
    }
  });
}

function lambdef(p: Checker): Shape | null {
  const start = p.pos++;
  if ((p.op(':') || parameters(p, 'lambda')) && p.eat(':') && expression(p)) {
    return shape('Lambda', start, p.pos, { bitwise: false });
  }
  p.pos = start;
  return null;
}

export function disjunction(p: Checker): Shape | null {
  return boolChain(p, 'or', conjunction);
}

function conjunction(p: Checker): Shape | null {
  return boolChain(p, 'and', inversion);
}

function boolChain(p: Checker, word: string, operand: (p: Checker) => Shape | null): Shape | null {
  const start = p.pos;
  const first = operand(p);
  if (!first) return null;
  let more = false;
  while (p.kw(word)) {
    const save = p.pos++;
    if (!operand(p)) {
      p.pos = save;
      break;
    }
    more = true;
  }
  return more ? shape('BoolOp', start, p.pos, { bitwise: false, lead: first.lead }) : first;
}

function inversion(p: Checker): Shape | null {
  if (!p.kw('not')) return comparison(p);
  const start = p.pos++;
  if (!inversion(p)) {
    p.pos = start;
    return null;
  }
  return shape('UnaryOp', start, p.pos, { bitwise: false });
}

function comparison(p: Checker): Shape | null {
  const start = p.pos;
  const first = bitwiseOr(p);
  if (!first) return null;
  const ops: string[] = [];
  for (;;) {
    const save = p.pos;
    const op = compareOperator(p);
    if (!op) break;
    if (!bitwiseOr(p)) {
      p.pos = save;
      break;
    }
    ops.push(op);
  }
  return ops.length ? shape('Compare', start, p.pos, { bitwise: false, ops, value: first, lead: first.lead }) : first;
}

const COMPARISONS: ReadonlySet<string> = new Set(['==', '!=', '<', '<=', '>', '>=']);

function compareOperator(p: Checker): string | null {
  const t = p.peek();
  if (t.kind === 'OP' && COMPARISONS.has(t.text)) {
    p.pos++;
    return t.text;
  }
  if (p.kw('in')) {
    p.pos++;
    return 'in';
  }
  if (p.kw('not') && p.kw('in', 1)) {
    p.pos += 2;
    return 'not in';
  }
  if (p.kw('is')) {
    p.pos++;
    return p.eat('not') ? 'is not' : 'is';
  }
  return null;
}

const BINARY_LEVELS: readonly (readonly string[])[] = [
  ['|'], ['^'], ['&'], ['<<', '>>'], ['+', '-'], ['*', '/', '//', '%', '@'],
];

export function bitwiseOr(p: Checker): Shape | null {
  return binary(p, 0);
}

function binary(p: Checker, level: number): Shape | null {
  if (level === BINARY_LEVELS.length) return factor(p);
  const start = p.pos;
  let left = binary(p, level + 1);
  if (!left) return null;
  const lead = left.lead;
  for (;;) {
    const t = p.peek();
    if (t.kind !== 'OP' || !BINARY_LEVELS[level]!.includes(t.text)) break;
    const save = p.pos++;
    if (!binary(p, level + 1)) {
      p.pos = save;
      break;
    }
    left = shape('BinOp', start, p.pos, { lead });
  }
  return left;
}

function factor(p: Checker): Shape | null {
  const t = p.peek();
  if (t.kind === 'OP' && (t.text === '+' || t.text === '-' || t.text === '~')) {
    const start = p.pos++;
    if (!factor(p)) {
      p.pos = start;
      return null;
    }
    return shape('UnaryOp', start, p.pos);
  }
  const start = p.pos;
  const base = p.kw('await') ? awaited(p) : primary(p);
  if (!base || !p.op('**')) return base;
  const save = p.pos++;
  if (factor(p)) return shape('BinOp', start, p.pos, { lead: base.lead });
  p.pos = save;
  return base;
}

function awaited(p: Checker): Shape | null {
  const start = p.pos++;
  if (!primary(p)) {
    p.pos = start;
    return null;
  }
  return shape('Await', start, p.pos);
}

/** `primary`: an atom followed by attribute, call and subscript trailers. */
export function primary(p: Checker): Shape | null {
  const start = p.pos;
  let e = atom(p);
  if (!e) return null;
  const lead = e.lead;
  for (;;) {
    if (p.op('.') && p.name(1)) {
      p.pos += 2;
      e = shape('Attribute', start, p.pos, { lead });
    } else if (p.op('(') && callArguments(p)) {
      e = shape('Call', start, p.pos, { lead });
    } else if (p.op('[')) {
      const save = p.pos++;
      if (!slices(p) || !p.eat(']')) {
        p.pos = save;
        break;
      }
      e = shape('Subscript', start, p.pos, { lead });
    } else {
      break;
    }
  }
  return e;
}

function atom(p: Checker): Shape | null {
  const t = p.peek();
  const start = p.pos;
  if (t.kind === 'NAME') {
    if (t.text === 'True' || t.text === 'False' || t.text === 'None') {
      p.pos++;
      return shape('Constant', start, p.pos, { constant: t.text, lead: t.text });
    }
    if (KEYWORDS.has(t.text)) return null;
    p.pos++;
    return shape('Name', start, p.pos);
  }
  if (t.kind === 'NUMBER') {
    p.pos++;
    return shape('Constant', start, p.pos, { constant: 'literal' });
  }
  if (t.kind === 'STRING') return strings(p);
  if (t.kind !== 'OP') return null;
  if (t.text === '(') return parenAtom(p);
  if (t.text === '[') return listAtom(p);
  if (t.text === '{') return braceAtom(p);
  if (t.text === '...') {
    p.pos++;
    return shape('Constant', start, p.pos, { constant: 'Ellipsis' });
  }
  return null;
}

/** `slices` inside `[...]`: a slice, or a tuple of slices and starred expressions. */
function slices(p: Checker): Shape | null {
  const start = p.pos;
  const first = sliceItem(p);
  if (!first || !p.op(',')) return first;
  const elts = [first];
  while (p.eat(',')) {
    const e = sliceItem(p);
    if (!e) break;
    elts.push(e);
  }
  return shape('Tuple', start, p.pos, { elts });
}

function sliceItem(p: Checker): Shape | null {
  if (p.op('*')) return starred(p, (q) => expression(q));
  const start = p.pos;
  const lower = p.op(':') ? null : expression(p);
  if (p.op(':')) {
    p.pos++;
    if (!p.op(':')) expression(p);
    if (p.eat(':')) expression(p);
    return shape('Slice', start, p.pos);
  }
  if (!lower) return null;
  // Not a slice: CPython reparses it as a named expression (walrus, or its `=` errors).
  if (p.op(':=') || p.op('=')) {
    p.pos = start;
    return namedExpression(p);
  }
  return lower;
}

export function yieldExpr(p: Checker): Shape | null {
  const start = p.pos++;
  if (p.eat('from')) {
    if (!expression(p)) {
      p.pos = start;
      return null;
    }
    return shape('YieldFrom', start, p.pos, { bitwise: false });
  }
  starExpressions(p);
  return shape('Yield', start, p.pos, { bitwise: false });
}

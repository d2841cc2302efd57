// Bracketed atoms of the syntax checker: tuples, groups, generator expressions, lists, sets,
// dicts and their comprehensions, with CPython's invalid_comprehension, invalid_group and
// invalid_double_starred_kvpairs errors.

import { type Checker, Raised, type Shape, shape } from './check-base.ts';
import { bitwiseOr, expression, starNamedExpression, yieldExpr } from './check-expr.ts';
import { atFor, forIfClauses } from './check-for.ts';

/** `(`: tuple | group | genexp. */
export function parenAtom(p: Checker): Shape | null {
  const start = p.pos++;
  if (p.eat(')')) return shape('Tuple', start, p.pos, { elts: [], lead: 'tuple', bracketed: true });
  if (p.kw('yield')) {
    const y = yieldExpr(p);
    if (y && p.eat(')')) return { ...y, lead: null, bitwise: true, grouped: true };
    p.pos = start;
    return null;
  }
  if (p.op('**') && p.invalidRules) {
    const star = p.pos;
    p.explore(() => {
      p.pos++;
      if (expression(p) && p.op(')')) p.raiseAt(star, 'cannot use double starred expression here');
    });
  }
  const e = starNamedExpression(p);
  if (!e) return fail(p, start);
  if (atFor(p)) return comprehension(p, start, e, ')', 'GeneratorExp');
  if (p.op(',')) {
    const elts = elements(p, e);
    if (p.eat(')')) return shape('Tuple', start, p.pos, { elts, lead: 'tuple', bracketed: true });
    return fail(p, start);
  }
  if (!p.eat(')')) return fail(p, start);
  if (e.kind === 'Starred') {
    if (p.invalidRules) p.raiseSpan(e, e, 'cannot use starred expression here');
    return fail(p, start);
  }
  // A group: the node keeps its own span, but as an atom it is no longer a list/tuple/... lead.
  return { ...e, lead: null, bitwise: true, grouped: true };
}

/** `[`: list | listcomp. */
export function listAtom(p: Checker): Shape | null {
  const start = p.pos++;
  if (p.eat(']')) return shape('List', start, p.pos, { elts: [], lead: 'list', bracketed: true });
  const e = starNamedExpression(p);
  if (!e) return fail(p, start);
  if (atFor(p)) return comprehension(p, start, e, ']', 'ListComp');
  const elts = elements(p, e);
  if (p.eat(']')) return shape('List', start, p.pos, { elts, lead: 'list', bracketed: true });
  forgottenParentheses(p, elts);
  return fail(p, start);
}

/** `{`: dict | set | dictcomp | setcomp. */
export function braceAtom(p: Checker): Shape | null {
  const start = p.pos++;
  if (p.eat('}')) return shape('Dict', start, p.pos);
  if (p.op('**')) return dict(p, start);
  const e = starNamedExpression(p);
  if (!e) return fail(p, start);
  if (p.op(':') && e.kind !== 'Starred') {
    p.pos = start + 1;
    return dict(p, start);
  }
  if (atFor(p)) return comprehension(p, start, e, '}', 'SetComp');
  const elts = elements(p, e);
  if (p.eat('}')) return shape('Set', start, p.pos);
  forgottenParentheses(p, elts);
  return fail(p, start);
}

function fail(p: Checker, start: number): null {
  p.pos = start;
  return null;
}

/** The rest of `star_named_expressions` after `first`, trailing comma included. */
function elements(p: Checker, first: Shape): Shape[] {
  const elts = [first];
  while (p.eat(',')) {
    const e = starNamedExpression(p);
    if (!e) break;
    elts.push(e);
  }
  return elts;
}

function comprehension(p: Checker, start: number, elt: Shape, close: string, kind: 'GeneratorExp' | 'ListComp' | 'SetComp'): Shape | null {
  if (elt.kind === 'Starred') {
    if (p.invalidRules) {
      p.explore(() => {
        if (forIfClauses(p)) p.raiseSpan(elt, elt, 'iterable unpacking cannot be used in comprehension');
      });
    }
    return fail(p, start);
  }
  if (!forIfClauses(p) || !p.eat(close)) return fail(p, start);
  return shape(kind, start, p.pos, kind === 'GeneratorExp' ? { lead: 'genexp' } : {});
}

/** invalid_comprehension: `[a, b for ...]` needs parentheses around the target. */
function forgottenParentheses(p: Checker, elts: Shape[]): void {
  if (!p.invalidRules || !atFor(p) || elts.length === 0) return;
  const trailingComma = p.token(p.pos - 1).text === ',';
  if (elts.length === 1 && !trailingComma) return;
  p.explore(() => {
    if (!forIfClauses(p)) return;
    const last = trailingComma && elts.length === 1 ? { end: elts[0]!.end + 1 } : elts[elts.length - 1]!;
    p.raiseSpan(elts[0]!, last, 'did you forget parentheses around the comprehension target?');
  });
}

/** The body of a dict display or comprehension after `{`. */
function dict(p: Checker, start: number): Shape | null {
  let first = true;
  for (;;) {
    if (p.op('**')) {
      const star = p.pos++;
      if (!bitwiseOr(p)) return fail(p, start);
      if (first && atFor(p) && p.invalidRules) p.raiseAt(star, 'dict unpacking cannot be used in dict comprehension');
    } else {
      // Keys after the first were already read, without the "forgot a comma" rule, by the time
      // CPython's invalid_kvpair looks at them (pegen memoisation): hence no comma check there.
      const key = expression(p, first);
      if (!key) return fail(p, start);
      if (!p.op(':')) {
        if (!first && p.invalidRules) missingColon(p, key);
        return fail(p, start);
      }
      const colon = p.pos++;
      if (p.invalidRules) {
        if (p.op('*')) p.raiseAt(p.pos, 'cannot use a starred expression in a dictionary value');
        if (p.op('}') || p.op(',')) p.raiseAt(colon, "expression expected after dictionary key and ':'");
      }
      if (!expression(p)) return fail(p, start);
      if (first && atFor(p)) {
        if (!forIfClauses(p) || !p.eat('}')) return fail(p, start);
        return shape('DictComp', start, p.pos);
      }
    }
    first = false;
    if (!p.eat(',') || p.op('}')) break;
  }
  if (!p.eat('}')) return fail(p, start);
  return shape('Dict', start, p.pos);
}

/** invalid_kvpair: CPython gives the key's first line and the column of its last character. */
function missingColon(p: Checker, key: Shape): never {
  const last = p.token(key.end - 1);
  const line = p.src.lineOf(p.token(key.start).start);
  // The end column is applied to the first line, and clamped to it, for multi-line keys.
  const offset = Math.min(p.src.codePointColumn(last.end), p.src.codePointColumn(p.src.lineContentEnd(line)) + 1);
  throw new Raised({
    message: "':' expected after dictionary key", type: 'SyntaxError', line: line + 1, offset, start: last.start, end: last.end,
  });
}

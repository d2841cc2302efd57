// Call arguments and def/lambda parameter lists of the syntax checker, with CPython's
// invalid_arguments, invalid_kwarg, invalid_parameters, invalid_star_etc and invalid_kwds errors.

import type { Checker } from './check-base.ts';
import { expression, namedExpression, starExpression } from './check-expr.ts';
import { atFor, forIfClauses } from './check-for.ts';
import { KEYWORDS } from './tokens.ts';

/** `'(' [arguments] ')'` of a call or class header; false (cursor restored) if it does not parse. */
export function callArguments(p: Checker): boolean {
  const open = p.pos++;
  const fail = () => {
    p.pos = open;
    return false;
  };
  let count = 0;
  let keyword = false;
  let doubleStar = false;
  /** "positional argument follows keyword argument": CPython reports it after reading all arguments. */
  let misplaced: string | null = null;
  while (!p.op(')')) {
    const argStart = p.pos;
    if (p.op('*')) {
      p.pos++;
      if (!expression(p)) return fail();
      if (doubleStar && p.invalidRules) p.raiseAt(argStart, 'iterable argument unpacking follows keyword argument unpacking');
    } else if (p.op('**')) {
      p.pos++;
      if (!expression(p)) return fail();
      keyword = doubleStar = true;
    } else if ((p.name() || p.kw('True') || p.kw('False') || p.kw('None')) && p.op('=', 1)) {
      if (!keywordArgument(p)) return fail();
      keyword = true;
    } else {
      const e = namedExpression(p, false);
      if (!e) return fail();
      if (p.op('=')) {
        if (p.invalidRules) p.raiseSpan(e, { end: p.pos + 1 }, 'expression cannot contain assignment, perhaps you meant "=="?');
        return fail();
      }
      if (atFor(p)) {
        if (!forIfClauses(p)) return fail();
        if (count > 0 || p.op(',')) {
          if (p.invalidRules) p.raiseSpan(e, { end: p.pos }, 'Generator expression must be parenthesized');
          return fail();
        }
      }
      if (keyword && !misplaced) {
        misplaced = doubleStar ? 'positional argument follows keyword argument unpacking' : 'positional argument follows keyword argument';
      }
    }
    count++;
    if (!p.eat(',')) break;
  }
  if (misplaced && p.invalidRules) p.raiseHere(misplaced);
  return (!misplaced && p.eat(')')) || fail();
}

/** `NAME '=' expression`, with invalid_kwarg's errors. */
function keywordArgument(p: Checker): boolean {
  const start = p.pos;
  const name = p.peek().text;
  if (KEYWORDS.has(name)) {
    if (p.invalidRules && (name === 'True' || name === 'False' || name === 'None')) {
      p.raiseSpan({ start }, { end: start + 2 }, `cannot assign to ${name}`);
    }
    return false;
  }
  p.pos += 2;
  if (p.invalidRules) {
    p.explore(() => {
      if (expression(p) && atFor(p) && forIfClauses(p)) {
        p.raiseSpan({ start }, { end: start + 2 }, "invalid syntax. Maybe you meant '==' or ':=' instead of '='?");
      }
    });
  }
  if (expression(p)) return true;
  p.pos = start;
  return false;
}

/**
 * A def's parameters up to (not including) `)`, or a lambda's up to `:`.
 * False (cursor restored) if they do not parse.
 */
export function parameters(p: Checker, mode: 'def' | 'lambda'): boolean {
  const close = mode === 'def' ? ')' : ':';
  const start = p.pos;
  const fail = () => {
    p.pos = start;
    return false;
  };
  // Invalid-rule lookaheads run quietly: they must not move CPython's generic error location.
  const raise = (at: number, message: string, when: () => boolean = () => true) => {
    if (p.invalidRules) p.explore(() => when() && p.raiseAt(at, message));
  };
  let any = false;
  let slash = false;
  let star = false;
  let kwargs = false;
  let defaults = false;
  while (!p.op(close)) {
    const item = p.pos;
    if (kwargs && (p.name() || p.op('*') || p.op('**') || p.op('/'))) {
      raise(item, 'arguments cannot follow var-keyword argument');
      return fail();
    }
    if (p.op('/')) {
      if (!any) raise(item, 'at least one argument must precede /', () => p.op(',', 1));
      if (slash) raise(item, '/ may appear only once');
      if (star) raise(item, '/ must be ahead of *');
      if (!any || slash || star) return fail();
      slash = true;
      p.pos++;
    } else if (p.op('*')) {
      if (star) {
        raise(item, '* argument may appear only once');
        return fail();
      }
      star = true;
      p.pos++;
      if (p.name()) {
        if (!parameter(p, mode, true)) return fail();
        if (p.op('=')) {
          raise(p.pos, 'var-positional argument cannot have default value');
          return fail();
        }
      } else {
        raise(item, 'named arguments must follow bare *', () => p.op(close) || (p.op(',') && (p.op(close, 1) || p.op('**', 1))));
        if (!p.op(',')) return fail();
      }
    } else if (p.op('**')) {
      p.pos++;
      if (!parameter(p, mode, false)) return fail();
      if (p.op('=')) {
        raise(p.pos, 'var-keyword argument cannot have default value');
        return fail();
      }
      kwargs = true;
    } else if (p.op('(')) {
      // invalid_parameters: `def f(a, (b, c)):` (Python 2's tuple parameters).
      if (!defaults && !star && !slash) parenthesised(p, mode);
      return fail();
    } else if (p.name()) {
      if (!parameter(p, mode, false)) return fail();
      if (p.op('=')) {
        raise(p.pos, 'expected default value expression', () => p.op(',', 1) || p.op(close, 1));
        p.pos++;
        if (!expression(p)) return fail();
        if (!star) defaults = true;
      } else if (defaults && !star && (p.op(',') || p.op(close))) {
        raise(item, 'non-default argument follows default argument');
        return fail();
      }
    } else {
      return fail();
    }
    any = true;
    if (!p.eat(',')) break;
  }
  return p.op(close) || fail();
}

function parenthesised(p: Checker, mode: 'def' | 'lambda'): void {
  const open = p.pos;
  p.explore(() => {
    p.pos++;
    let count = 0;
    while (p.name() && parameter(p, mode, false)) {
      count++;
      if (!p.eat(',')) break;
    }
    if (count > 0 && p.op(')') && p.invalidRules) {
      const what = mode === 'def' ? 'Function parameters' : 'Lambda expression parameters';
      p.raiseSpan({ start: open }, { end: p.pos + 1 }, `${what} cannot be parenthesized`);
    }
  });
}

/** NAME with an optional annotation (def only; `*args: *Ts` allows a starred one). */
function parameter(p: Checker, mode: 'def' | 'lambda', starAnnotation: boolean): boolean {
  const start = p.pos;
  if (!p.eatName()) return false;
  if (mode === 'def' && p.eat(':')) {
    const annotation = starAnnotation ? starExpression(p) : expression(p);
    if (!annotation) {
      p.pos = start;
      return false;
    }
  }
  return true;
}

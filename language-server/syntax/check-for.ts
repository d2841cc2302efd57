// `for` clauses of comprehensions and assignment targets (star_targets), with CPython's
// invalid_for_target error. Shared by comprehensions, `for` statements and `with ... as`.

import { type Checker, type Shape, shape } from './check-base.ts';
import { disjunction, primary, starExpressions, starred } from './check-expr.ts';
import { exprName, invalidTarget } from './check-targets.ts';

export function atFor(p: Checker): boolean {
  return p.kw('for') || (p.kw('async') && p.kw('for', 1));
}

/** for_if_clauses; returns false (cursor restored) if not even one clause parses. */
export function forIfClauses(p: Checker): boolean {
  const start = p.pos;
  let clauses = 0;
  while (atFor(p)) {
    const clauseStart = p.pos;
    p.eat('async');
    p.pos++;
    if (!starTargets(p) || !p.kw('in')) {
      p.pos = clauseStart;
      if (p.invalidRules) invalidForTarget(p);
      break;
    }
    p.pos++;
    if (!disjunction(p)) {
      p.pos = clauseStart;
      break;
    }
    while (p.kw('if')) {
      const save = p.pos++;
      if (!disjunction(p)) {
        p.pos = save;
        break;
      }
    }
    clauses++;
  }
  if (clauses === 0) p.pos = start;
  return clauses > 0;
}

/** invalid_for_target: `for <not a target> in ...`, at the `for` (or `async`). */
export function invalidForTarget(p: Checker): void {
  p.explore(() => {
    p.eat('async');
    p.pos++;
    const a = starExpressions(p);
    const bad = a && invalidTarget(a, 'for');
    if (bad) p.raiseSpan(bad, bad, `cannot assign to ${exprName(bad)}`);
  });
}

/** star_targets: assignment targets, possibly starred, comma-separated. */
export function starTargets(p: Checker): Shape | null {
  const start = p.pos;
  const first = starTarget(p);
  if (!first || !p.op(',')) return first;
  const elts = [first];
  while (p.eat(',')) {
    const e = starTarget(p);
    if (!e) break;
    elts.push(e);
  }
  return shape('Tuple', start, p.pos, { elts });
}

export function starTarget(p: Checker): Shape | null {
  const start = p.pos;
  if (p.op('*')) {
    if (p.op('*', 1)) return null;
    return starred(p, starTarget);
  }
  const e = primary(p);
  if (!e || invalidTarget(e, 'star')) {
    p.pos = start;
    return null;
  }
  return e;
}

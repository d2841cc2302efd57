// Statement rules of the syntax checker: the file, blocks, and simple statements, including
// CPython's invalid_assignment / invalid_del_stmt / invalid_import_from_targets errors.

import { type Checker, Raised, type Shape } from './check-base.ts';
import { compoundStatement } from './check-compound.ts';
import { expression, primary, starExpressions, starNamedExpression, yieldExpr } from './check-expr.ts';
import { exprName, invalidTarget, isSingleTarget } from './check-targets.ts';
import { atToken } from './locate.ts';

const AUGMENTED: ReadonlySet<string> = new Set([
  '+=', '-=', '*=', '@=', '/=', '%=', '&=', '|=', '^=', '<<=', '>>=', '**=', '//=',
]);

/** `file: [statements] ENDMARKER`; false means a generic syntax error at `p.furthest`. */
export function file(p: Checker): boolean {
  while (p.kind() !== 'ENDMARKER') {
    if (!statement(p)) return false;
  }
  return true;
}

export function statement(p: Checker): boolean {
  const compound = compoundStatement(p);
  return compound ?? simpleStatements(p);
}

/**
 * `block` after a compound statement's colon. `what` and the keyword's token index word the
 * IndentationError CPython raises when the indented block is missing.
 */
export function block(p: Checker, what: string, keyword: number): boolean {
  if (p.kind() !== 'NEWLINE') return simpleStatements(p);
  if (p.kind(1) !== 'INDENT') {
    if (p.invalidRules) {
      const header = p.token(keyword).start;
      p.pos++;
      p.peek();
      const error = atToken(p.src, p.token(p.pos), `expected an indented block after ${what} on line ${p.src.lineOf(header) + 1}`, 'IndentationError');
      throw new Raised({ ...error, header });
    }
    return false;
  }
  const start = p.pos;
  p.pos += 2;
  while (p.kind() !== 'DEDENT') {
    if (!statement(p)) {
      p.pos = start;
      return false;
    }
  }
  p.pos++;
  return true;
}

export function simpleStatements(p: Checker): boolean {
  const start = p.pos;
  do {
    if (!simpleStatement(p)) {
      p.pos = start;
      return false;
    }
  } while (p.eat(';') && p.kind() !== 'NEWLINE');
  if (p.eatKind('NEWLINE')) return true;
  p.pos = start;
  return false;
}

function simpleStatement(p: Checker): boolean {
  const t = p.peek();
  if (t.kind === 'NAME') {
    switch (t.text) {
      case 'pass':
      case 'break':
      case 'continue':
        p.pos++;
        return true;
      case 'return':
        p.pos++;
        starExpressions(p);
        return true;
      case 'raise':
        return raiseStatement(p);
      case 'global':
      case 'nonlocal':
        return nameList(p);
      case 'del':
        return delStatement(p);
      case 'assert':
        return assertStatement(p);
      case 'import':
        return importName(p);
      case 'from':
        return importFrom(p);
    }
  }
  return expressionStatement(p);
}

function raiseStatement(p: Checker): boolean {
  p.pos++;
  if (expression(p) && p.kw('from')) {
    const save = p.pos++;
    if (!expression(p)) p.pos = save;
  }
  return true;
}

function nameList(p: Checker): boolean {
  const start = p.pos++;
  if (!p.eatName()) {
    p.pos = start;
    return false;
  }
  while (p.op(',') && p.name(1)) p.pos += 2;
  return true;
}

function assertStatement(p: Checker): boolean {
  const start = p.pos++;
  if (!expression(p)) {
    p.pos = start;
    return false;
  }
  if (p.op(',')) {
    const save = p.pos++;
    if (!expression(p)) p.pos = save;
  }
  return true;
}

function delStatement(p: Checker): boolean {
  const start = p.pos++;
  let count = 0;
  do {
    const save = p.pos;
    const e = primary(p);
    if (!e || invalidTarget(e, 'del')) {
      p.pos = save;
      break;
    }
    count++;
  } while (p.eat(','));
  if (count > 0 && (p.op(';') || p.kind() === 'NEWLINE')) return true;
  if (p.invalidRules) {
    p.pos = start + 1;
    p.explore(() => {
      const a = starExpressions(p);
      const bad = a && invalidTarget(a, 'del');
      if (bad) p.raiseSpan(bad, bad, `cannot delete ${exprName(bad)}`);
    });
  }
  p.pos = start;
  return false;
}

function dottedName(p: Checker): boolean {
  if (!p.eatName()) return false;
  while (p.op('.') && p.name(1)) p.pos += 2;
  return true;
}

/** `NAME ['as' NAME]` or, for `import`, `dotted_name ['as' NAME]`. */
function alias(p: Checker, dotted: boolean): boolean {
  if (!(dotted ? dottedName(p) : p.eatName())) return false;
  if (p.kw('as')) {
    if (!p.name(1)) return false;
    p.pos += 2;
  }
  return true;
}

function importName(p: Checker): boolean {
  const start = p.pos++;
  do {
    if (!alias(p, true)) {
      p.pos = start;
      return false;
    }
  } while (p.eat(','));
  return true;
}

function importFrom(p: Checker): boolean {
  const start = p.pos++;
  let dots = 0;
  while (p.op('.') || p.op('...')) {
    p.pos++;
    dots++;
  }
  const module = dottedName(p);
  if ((!module && dots === 0) || !p.eat('import')) {
    p.pos = start;
    return false;
  }
  if (p.eat('*')) return true;
  const parenthesised = p.eat('(');
  do {
    if (!alias(p, false)) {
      p.pos = start;
      return false;
    }
  } while (p.op(',') && p.name(1) && p.eat(','));
  if (parenthesised) {
    p.eat(',');
    if (p.eat(')')) return true;
  } else if (!p.op(',')) {
    return true;
  } else if (p.kind(1) === 'NEWLINE' && p.invalidRules) {
    p.pos++;
    p.raiseHere('trailing comma not allowed without surrounding parentheses');
  }
  p.pos = start;
  return false;
}

function rhs(p: Checker): Shape | null {
  return p.kw('yield') ? yieldExpr(p) : starExpressions(p);
}

/** Expression statements and the `assignment` rule (plain, annotated and augmented). */
function expressionStatement(p: Checker): boolean {
  const start = p.pos;
  const first = rhs(p);
  if (!first) return false;
  if (p.op(':')) return annotated(p, start, first);
  if (p.op('=')) return assignment(p, start, first);
  const t = p.peek();
  if (t.kind === 'OP' && AUGMENTED.has(t.text)) return augmented(p, start, first);
  // Something is left over: CPython's assignment rule fails, and its invalid_assignment
  // alternatives get to read the statement before the failure is reported.
  if (!p.op(';') && p.kind() !== 'NEWLINE' && p.invalidRules) namedElements(p, start);
  return true;
}

function annotated(p: Checker, start: number, target: Shape): boolean {
  if (isSingleTarget(target)) {
    p.pos++;
    if (!expression(p)) {
      p.pos = start;
      return false;
    }
    if (p.op('=')) {
      const save = p.pos++;
      if (!rhs(p)) p.pos = save;
    }
    return true;
  }
  if (p.invalidRules) {
    p.explore(() => {
      p.pos++;
      if (!expression(p)) return;
      if (target.bracketed) p.raiseSpan(target, target, `only single target (not ${exprName(target)}) can be annotated`);
      if (target.kind === 'Tuple') p.raiseSpan(target.elts![0]!, target.elts![0]!, 'only single target (not tuple) can be annotated');
      p.raiseSpan(target, target, 'illegal target for annotation');
    });
  }
  p.pos = start;
  return false;
}

function assignment(p: Checker, start: number, first: Shape): boolean {
  const segments = [first];
  let complete = true;
  while (p.op('=')) {
    p.pos++;
    const value = rhs(p);
    if (!value) {
      complete = false;
      break;
    }
    segments.push(value);
  }
  // Every segment followed by `=` is a target.
  const targets = complete ? segments.slice(0, -1) : segments;
  if (complete && targets.every((t) => !invalidTarget(t, 'star'))) return true;
  if (p.invalidRules) {
    namedElements(p, start);
    invalidTargets(p, targets);
  }
  p.pos = start;
  return false;
}

/**
 * invalid_assignment's `star_named_expression ',' star_named_expressions*`: the statement read
 * as comma-separated named expressions, where `f() = 1` (or `x = 1` after a stray name) gets
 * invalid_named_expression's "Maybe you meant '=='" errors. `star_named_expressions*` may start
 * a new list with no comma in between, which is how CPython reaches names after a missing comma.
 */
function namedElements(p: Checker, start: number): void {
  p.explore(() => {
    p.pos = start;
    if (!starNamedExpression(p) || !p.eat(',')) return;
    for (;;) {
      const before = p.pos;
      while (starNamedExpression(p) && p.eat(','));
      if (p.pos === before) return;
    }
  });
}

/** `(star_targets '=')* a=star_expressions '='` and its yield twin. */
function invalidTargets(p: Checker, targets: Shape[]): void {
  const bare = (t: Shape) => (t.kind === 'Yield' || t.kind === 'YieldFrom') && !t.grouped;
  const a = targets.find((t) => bare(t) || invalidTarget(t, 'star'));
  if (!a) return;
  if (bare(a)) p.raiseSpan(a, a, 'assignment to yield expression not possible');
  const bad = invalidTarget(a, 'star');
  if (bad) p.raiseSpan(bad, bad, `cannot assign to ${exprName(bad)}`);
}

function augmented(p: Checker, start: number, target: Shape): boolean {
  if (isSingleTarget(target)) {
    p.pos++;
    if (rhs(p)) return true;
    p.pos = start;
    return false;
  }
  if (p.invalidRules) {
    p.explore(() => {
      p.pos++;
      if (rhs(p)) p.raiseSpan(target, target, `'${exprName(target)}' is an illegal expression for augmented assignment`);
    });
  }
  p.pos = start;
  return false;
}

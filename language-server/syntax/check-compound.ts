// Compound statements of the syntax checker. Each follows its rule in Grammar/python.gram,
// including the forced tokens (`&&':'`, `&&'('`) that CPython reports as "expected ':'" even
// on its first pass, and the invalid_*_stmt rules for missing colons and indented blocks.

import { callArguments, parameters } from './check-args.ts';
import { type Checker, Raised } from './check-base.ts';
import { expression, namedExpression, starExpressions, starNamedExpression } from './check-expr.ts';
import { invalidForTarget, starTarget, starTargets } from './check-for.ts';
import { block, simpleStatements } from './check-stmt.ts';
import { exprName, invalidTarget } from './check-targets.ts';

/** A compound statement's result, or null when the next token does not start one. */
export function compoundStatement(p: Checker): boolean | null {
  const t = p.peek();
  if (t.kind === 'OP' && t.text === '@') return decorated(p);
  if (t.kind !== 'NAME') return null;
  switch (t.text) {
    case 'def': return functionDef(p);
    case 'class': return classDef(p);
    case 'if': return conditional(p, 'if');
    case 'while': return conditional(p, 'while');
    case 'for': return forStatement(p);
    case 'with': return withStatement(p);
    case 'try': return tryStatement(p);
    case 'async':
      if (p.kw('def', 1)) return functionDef(p);
      if (p.kw('for', 1)) return forStatement(p);
      if (p.kw('with', 1)) return withStatement(p);
      return null;
    case 'match': return matchStatement(p);
    case 'type': return typeAlias(p);
    default: return null;
  }
}

function fail(p: Checker, start: number): false {
  p.pos = start;
  return false;
}

/** `&&':'`: a forced token, reported at whatever token is there instead. */
function forcedColon(p: Checker): void {
  if (!p.op(':')) p.raiseHere("expected ':'");
  p.pos++;
}

/** The `':'` after a header, where a NEWLINE instead means "expected ':'" (invalid_*_stmt). */
function headerColon(p: Checker): boolean {
  if (p.kind() === 'NEWLINE' && p.invalidRules) p.raiseHere("expected ':'");
  return p.eat(':');
}

function decorated(p: Checker): boolean {
  const start = p.pos;
  while (p.op('@')) {
    p.pos++;
    if (!namedExpression(p) || !p.eatKind('NEWLINE')) return fail(p, start);
  }
  if (p.kw('def') || (p.kw('async') && p.kw('def', 1))) return functionDef(p) || fail(p, start);
  if (p.kw('class')) return classDef(p) || fail(p, start);
  return fail(p, start);
}

function functionDef(p: Checker): boolean {
  const start = p.pos;
  p.eat('async');
  const keyword = p.pos++;
  if (!p.eatName()) return fail(p, start);
  if (!p.op('(')) p.raiseHere("expected '('");
  p.pos++;
  if (!p.op(')') && !parameters(p, 'def')) return fail(p, start);
  if (!p.eat(')')) return fail(p, start);
  if (p.op('->')) {
    const save = p.pos++;
    if (!expression(p)) p.pos = save;
  }
  forcedColon(p);
  return block(p, 'function definition', keyword) || fail(p, start);
}

function classDef(p: Checker): boolean {
  const start = p.pos;
  const keyword = p.pos++;
  if (!p.eatName()) return fail(p, start);
  if (p.op('(') && !callArguments(p)) return fail(p, start);
  if (!headerColon(p)) return fail(p, start);
  return block(p, 'class definition', keyword) || fail(p, start);
}

/** `if`/`elif`/`else` chains and `while` (with its optional `else`). */
function conditional(p: Checker, word: 'if' | 'while'): boolean {
  const start = p.pos;
  if (!clause(p, word)) return fail(p, start);
  if (word === 'if') {
    while (p.kw('elif')) if (!clause(p, 'elif')) return fail(p, start);
  }
  if (p.kw('else') && !elseBlock(p)) return fail(p, start);
  return true;
}

function clause(p: Checker, word: string): boolean {
  const keyword = p.pos++;
  return !!namedExpression(p) && headerColon(p) && block(p, `'${word}' statement`, keyword);
}

function elseBlock(p: Checker): boolean {
  const keyword = p.pos++;
  forcedColon(p);
  return block(p, "'else' statement", keyword);
}

function forStatement(p: Checker): boolean {
  const start = p.pos;
  p.eat('async');
  const keyword = p.pos++;
  if (!starTargets(p) || !p.kw('in')) {
    p.pos = start;
    if (p.invalidRules) invalidForTarget(p);
    return fail(p, start);
  }
  p.pos++;
  if (!starExpressions(p) || !headerColon(p) || !block(p, "'for' statement", keyword)) return fail(p, start);
  if (p.kw('else') && !elseBlock(p)) return fail(p, start);
  return true;
}

function withStatement(p: Checker): boolean {
  const start = p.pos;
  p.eat('async');
  const keyword = p.pos++;
  const items = p.pos;
  let parenthesised = false;
  if (p.op('(')) {
    p.pos++;
    parenthesised = withItems(p) && (p.eat(','), p.eat(')')) && p.op(':');
    if (!parenthesised) p.pos = items;
  }
  if (!parenthesised && !withItems(p)) return fail(p, start);
  if (!headerColon(p)) {
    if (p.invalidRules) withMissingColon(p, items);
    return fail(p, start);
  }
  return block(p, "'with' statement", keyword) || fail(p, start);
}

/** invalid_with_stmt: items (read without the `as` target's lookahead) followed by NEWLINE. */
function withMissingColon(p: Checker, items: number): void {
  const item = () => {
    if (!expression(p)) return false;
    if (p.kw('as')) {
      const save = p.pos++;
      if (!starTarget(p)) p.pos = save;
    }
    return true;
  };
  const list = () => {
    if (!item()) return false;
    while (p.op(',')) {
      const save = p.pos++;
      if (!item()) {
        p.pos = save;
        break;
      }
    }
    return true;
  };
  p.explore(() => {
    p.pos = items;
    if (list() && p.kind() === 'NEWLINE') p.raiseHere("expected ':'");
    p.pos = items;
    if (p.eat('(') && list() && (p.eat(','), p.eat(')')) && p.kind() === 'NEWLINE') p.raiseHere("expected ':'");
  });
}

function withItems(p: Checker): boolean {
  if (!withItem(p)) return false;
  while (p.op(',')) {
    const save = p.pos++;
    if (!withItem(p)) {
      p.pos = save;
      break;
    }
  }
  return true;
}

/** `expression ['as' star_target]`, with invalid_with_item's "cannot assign to ...". */
function withItem(p: Checker): boolean {
  if (!expression(p)) return false;
  if (!p.kw('as')) return true;
  const as = p.pos++;
  const followed = () => p.op(',') || p.op(')') || p.op(':');
  if (starTarget(p) && followed()) return true;
  if (p.invalidRules) {
    p.pos = as + 1;
    p.explore(() => {
      const a = expression(p);
      const bad = a && followed() ? invalidTarget(a, 'star') : null;
      if (bad) p.raiseSpan(bad, bad, `cannot assign to ${exprName(bad)}`);
    });
  }
  p.pos = as;
  return true;
}

function tryStatement(p: Checker): boolean {
  const start = p.pos;
  const keyword = p.pos++;
  forcedColon(p);
  if (!block(p, "'try' statement", keyword)) return fail(p, start);
  let handlers = 0;
  while (p.kw('except')) {
    if (!exceptBlock(p)) return fail(p, start);
    handlers++;
  }
  if (handlers > 0 && p.kw('else') && !elseBlock(p)) return fail(p, start);
  if (p.kw('finally')) {
    const fin = p.pos++;
    forcedColon(p);
    if (!block(p, "'finally' statement", fin)) return fail(p, start);
  } else if (handlers === 0) {
    if (p.invalidRules) p.raiseHere("expected 'except' or 'finally' block");
    return fail(p, start);
  }
  return true;
}

function exceptBlock(p: Checker): boolean {
  const keyword = p.pos++;
  const star = p.eat('*');
  const what = star ? "'except*' statement" : "'except' statement";
  if (!p.op(':') && p.kind() !== 'NEWLINE') {
    const e = expression(p);
    if (!e) return false;
    if (p.op(',') && p.invalidRules) multipleTypes(p, e);
    if (p.kw('as')) {
      if (!p.name(1)) return false;
      p.pos += 2;
    }
  } else if (star && p.invalidRules) {
    p.raiseHere('expected one or more exception types');
  }
  return headerColon(p) && block(p, what, keyword);
}

/** invalid_except_stmt: `except A, B:` */
function multipleTypes(p: Checker, first: { start: number }): void {
  p.explore(() => {
    while (p.eat(',')) if (!expression(p)) break;
    if (p.kw('as')) {
      if (!p.name(1)) return;
      p.pos += 2;
    }
    if (p.op(':')) p.raiseAt(first.start, 'multiple exception types must be parenthesized');
  });
}

/**
 * `match` is a soft keyword: only `match <subject>:` followed by a block is a match statement.
 * Case patterns are skipped up to their colon (the evaluator does not model `match`); the case
 * bodies are checked like any block.
 */
function matchStatement(p: Checker): boolean | null {
  const start = p.pos++;
  const subject = starNamedExpression(p);
  if (subject) {
    while (p.eat(',')) if (!starNamedExpression(p)) break;
  }
  if (subject && p.kind() === 'NEWLINE' && p.invalidRules) {
    // invalid_match_stmt; it can only be what CPython reports if the line is no valid statement.
    const newline = p.pos;
    p.explore(() => {
      p.pos = start;
      let valid: boolean;
      try {
        valid = simpleStatements(p);
      } catch (e) {
        if (!(e instanceof Raised)) throw e;
        valid = false;
      }
      if (!valid) p.raiseAt(newline, "expected ':'");
    });
  }
  if (!subject || !p.op(':') || p.kind(1) !== 'NEWLINE') {
    p.pos = start;
    return null;
  }
  if (p.kind(2) !== 'INDENT') {
    p.pos++;
    return block(p, "'match' statement", start);
  }
  p.pos += 3;
  let cases = 0;
  while (p.kw('case')) {
    if (!caseBlock(p)) return fail(p, start);
    cases++;
  }
  return (cases > 0 && p.eatKind('DEDENT')) || fail(p, start);
}

function caseBlock(p: Checker): boolean {
  const keyword = p.pos++;
  while (!(p.op(':') && p.peek().level === 0)) {
    if (p.kind() === 'NEWLINE') {
      if (p.invalidRules && p.pos > keyword + 1) p.raiseHere("expected ':'");
      return false;
    }
    p.pos++;
  }
  if (p.pos === keyword + 1) return false;
  p.pos++;
  return block(p, "'case' statement", keyword);
}

/**
 * `type X = ...` (Python 3.12). Not valid in 3.11, but accepted so that such files still lower
 * (to an Unsupported statement).
 */
function typeAlias(p: Checker): boolean | null {
  if (!p.name(1) || !(p.op('=', 2) || p.op('[', 2))) return null;
  while (p.kind() !== 'NEWLINE') p.pos++;
  p.pos++;
  return true;
}


// Implicitly concatenated string literals in the syntax checker. CPython decodes each piece
// while building the AST, so its errors (bad escapes, bytes mixed with str, f-string errors)
// surface as soon as the parser reads the literal.

import { type Checker, Raised, type Shape, shape } from './check-base.ts';
import { checkFString } from './check-fstring.ts';
import { checkLiteral } from './check-literal.ts';

/**
 * STRING+, implicitly concatenated. CPython checks each piece while building the AST (so on its
 * first pass): bytes mixed with str, then the inside of f-strings.
 */
export function strings(p: Checker): Shape {
  const start = p.pos;
  let fString = false;
  while (p.kind() === 'STRING') p.pos++;
  // Errors here are located at the token after the strings (CPython's RAISE_SYNTAX_ERROR).
  p.peek();
  let firstBytes: boolean | null = null;
  for (let i = start; i < p.pos; i++) {
    const t = p.token(i);
    const prefix = /^[A-Za-z]*/.exec(t.text)![0].toLowerCase();
    const bytes = prefix.includes('b');
    firstBytes ??= bytes;
    const literal = checkLiteral(t.text);
    if (literal?.atToken) p.raiseSpan({ start: i }, { end: i + 1 }, literal.message);
    if (literal) p.raiseHere(literal.message);
    if (bytes !== firstBytes) p.raiseHere('cannot mix bytes and nonbytes literals');
    if (!prefix.includes('f')) continue;
    fString = true;
    const problem = checkFString(t.text, t.start, p.src.lineOf(t.start) + 1, p.checkFStringExpr);
    if (problem?.located) throw new Raised({ message: problem.message, type: 'SyntaxError', ...problem.located });
    if (problem) p.raiseHere(problem.message);
  }
  return shape(fString ? 'JoinedStr' : 'Constant', start, p.pos, { constant: 'literal' });
}

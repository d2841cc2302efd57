// Decides which syntax error CPython 3.11 reports first for a source text, combining our
// tokenizer (bracket, string, indentation, literal errors) with the grammar checker.
//
// The precedence mirrors pegen (Parser/pegen.c, pegen_errors.c):
// - the tokenizer's error wins if the parser asks for that token;
// - otherwise the parser's error stands, except that CPython then tokenizes the rest of the file
//   (`_PyPegen_tokenize_full_source_to_check_for_errors`): an error the tokenizer *raises* there
//   replaces the parser's; if it just stops (end of file, bad continuation) with a bracket still
//   open on a line before the furthest token the parser read, that bracket is reported as never
//   closed;
// - "unexpected indent"/"unexpected unindent" skip that last step.

import { Checker, Raised, TokenizerReached } from './check-base.ts';
import { starExpressions } from './check-expr.ts';
import { file } from './check-stmt.ts';
import { atToken } from './locate.ts';
import { SourceText } from './source-text.ts';
import { tokenize } from './tokenize.ts';
import type { LocatedError, Token } from './tokens.ts';

export interface FirstError {
  error: LocatedError;
  tokens: Token[];
}

type ParserOutcome =
  | { kind: 'ok' }
  | { kind: 'tokenizer' }
  /** `fetchedLine`: 1-based line of the furthest token the parser looked at. */
  | { kind: 'parser'; error: LocatedError; fetchedLine: number; overridable: boolean };

function runChecker(tokens: Token[], src: SourceText, start: (p: Checker) => boolean): ParserOutcome {
  const p = new Checker(tokens, src, checkFStringExpression);
  const fetchedLine = () => src.lineOf(p.token(p.fetched).start) + 1;
  try {
    if (start(p)) return { kind: 'ok' };
  } catch (e) {
    if (e instanceof Raised) return { kind: 'parser', error: e.error, fetchedLine: fetchedLine(), overridable: true };
    if (e instanceof TokenizerReached) return { kind: 'tokenizer' };
    throw e;
  }
  const t = p.token(p.furthest);
  if (t.kind === 'INDENT' || t.kind === 'DEDENT') {
    const message = t.kind === 'INDENT' ? 'unexpected indent' : 'unexpected unindent';
    return { kind: 'parser', error: atToken(src, t, message, 'IndentationError'), fetchedLine: fetchedLine(), overridable: false };
  }
  return { kind: 'parser', error: atToken(src, t, 'invalid syntax'), fetchedLine: fetchedLine(), overridable: true };
}

/** The error CPython 3.11 would report for `src`, or null if it compiles (syntax-wise). */
export function firstSyntaxError(src: SourceText): FirstError | null {
  return firstError(src, file);
}

/** An f-string replacement field, checked as CPython does: `(expr)` parsed with `fstring: star_expressions`. */
function checkFStringExpression(source: string): LocatedError | null {
  return firstError(new SourceText(source), (p) => starExpressions(p) !== null)?.error ?? null;
}

function firstError(src: SourceText, start: (p: Checker) => boolean): FirstError | null {
  const { tokens, error: tokenizerError } = tokenize(src);
  const outcome = runChecker(tokens, src, start);
  if (outcome.kind === 'ok') return tokenizerError ? { error: tokenizerError, tokens } : null;
  if (outcome.kind === 'tokenizer') return { error: tokenizerError!, tokens };
  if (tokenizerError && outcome.overridable) {
    // A raised tokenizer error is final (CPython then refuses to raise another one).
    if (tokenizerError.kind === 'raise') return { error: tokenizerError, tokens };
    const unclosed = tokenizerError.unclosed;
    if (unclosed && outcome.fetchedLine > unclosed.line) return { error: unclosed, tokens };
  }
  return { error: outcome.error, tokens };
}

// Turns tokens and token spans into CPython-style error locations. CPython's conventions are
// reproduced here in one place: offsets are 1-based code-point columns, INDENT/DEDENT report the
// indentation width without the +1, and errors at end of file point past the last line read.

import type { SourceText } from './source-text.ts';
import type { LocatedError, SyntaxErrorType, Token } from './tokens.ts';

/** Location of an error CPython attributes to a single token. */
export function atToken(src: SourceText, t: Token, message: string, type: SyntaxErrorType = 'SyntaxError'): LocatedError {
  if (t.kind === 'ENDMARKER' || ((t.kind === 'DEDENT' || t.kind === 'NEWLINE') && t.start >= src.text.length && t.end === t.start)) {
    return atEndOfFile(src, message, type);
  }
  const line = src.lineOf(t.start) + 1;
  const col = src.codePointColumn(t.start);
  if (t.kind === 'INDENT' || t.kind === 'DEDENT') {
    return { message, type, line, offset: col, start: t.start, end: src.lineContentEnd(line - 1) };
  }
  return { message, type, line, offset: col + 1, start: t.start, end: t.end };
}

/** CPython reports end-of-file errors just past the last line its tokenizer read. */
export function atEndOfFile(src: SourceText, message: string, type: SyntaxErrorType = 'SyntaxError'): LocatedError {
  const last = src.lastReadLine;
  const end = src.lineContentEnd(last);
  return { message, type, line: last + 1, offset: src.codePointColumn(end) + 1, start: end, end };
}

/** Location of an error CPython attributes to a node spanning tokens [first, last]. */
export function atSpan(src: SourceText, first: Token, last: Token, message: string, type: SyntaxErrorType = 'SyntaxError'): LocatedError {
  const loc = atToken(src, first, message, type);
  return { ...loc, end: Math.max(loc.end, last.end) };
}

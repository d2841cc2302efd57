// Error recovery. CPython stops at the first syntax error; we want the rest of the file anyway.
// After each error we blank out the statement it belongs to (keeping every line and every UTF-16
// index where it was, so ranges stay valid for the original text) and look for the next error.
// The final, blanked text is what tree-sitter lowers.

import { firstSyntaxError, type FirstError } from './first-error.ts';
import { SourceText } from './source-text.ts';
import type { LocatedError, Token } from './tokens.ts';

/** Enough errors to be useful; each one costs a re-check of the whole text. */
const MAX_ERRORS = 10;
/** Characters re-checked at most, so that huge broken files stay fast. */
const MAX_WORK = 1_000_000;
const COMPOUND_KEYWORDS: ReadonlySet<string> = new Set([
  'def', 'class', 'if', 'elif', 'else', 'for', 'while', 'with', 'try', 'except', 'finally', 'async', 'match', 'case',
]);
const CLAUSE_KEYWORDS: ReadonlySet<string> = new Set(['elif', 'else', 'except', 'finally', 'case']);

export interface Recovered {
  /** In the order found; the first is the one CPython reports. */
  errors: LocatedError[];
  /** The text with broken statements blanked out; same length and line breaks as the input. */
  text: string;
  /** UTF-16 indices of the `pass` placeholders written where a block would otherwise be empty. */
  placeholders: number[];
}

export function recover(original: SourceText): Recovered {
  let src = original;
  const errors: LocatedError[] = [];
  const placeholders: number[] = [];
  const removed = new Set<number>();
  for (let i = 0, work = 0; i < MAX_ERRORS && work < MAX_WORK; i++, work += src.text.length) {
    const found = firstSyntaxError(src);
    if (!found) break;
    const region = regionOf(src, found);
    // An error inside text already removed is an echo of an earlier one: stop there.
    if (errors.length > 0 && region.lines.every((l) => removed.has(l))) break;
    errors.push(found.error);
    region.lines.forEach((l) => removed.add(l));
    const blanked = blank(src, region);
    if (blanked.placeholder !== null) placeholders.push(blanked.placeholder);
    src = new SourceText(blanked.text);
  }
  return { errors, text: src.text, placeholders };
}

interface Region {
  lines: number[];
  /** Write `pass` on the first line so the enclosing block keeps a statement. */
  placeholder: boolean;
}

interface LogicalLine {
  first: Token;
  firstLine: number;
  lastLine: number;
}

/** Logical lines (statement lines) of the token stream, in order. */
function logicalLines(src: SourceText, tokens: Token[]): LogicalLine[] {
  const out: LogicalLine[] = [];
  let current: LogicalLine | null = null;
  for (const t of tokens) {
    if (t.kind === 'INDENT' || t.kind === 'DEDENT' || t.kind === 'ENDMARKER' || t.kind === 'ERRORTOKEN') continue;
    const line = src.lineOf(t.start);
    if (!current) {
      current = { first: t, firstLine: line, lastLine: line };
      out.push(current);
    }
    current.lastLine = line;
    if (t.kind === 'NEWLINE') current = null;
  }
  return out;
}

function indentation(src: SourceText, line: number): number | null {
  const text = src.lineText(line);
  const m = /^[ \t\f]*/.exec(text)![0];
  return m.length === text.length || text[m.length] === '#' ? null : m.length;
}

function regionOf(src: SourceText, { error, tokens }: FirstError): Region {
  const errorLine = src.lineOf(Math.min(error.start, src.text.length));
  const lastLine = src.lineCount - 1;
  if (error.type !== 'SyntaxError' && error.header === undefined) {
    // Bad indentation: drop the whole block at that indentation.
    return { lines: range(errorLine, blockEnd(src, errorLine, (indentation(src, errorLine) ?? 0) - 1)), placeholder: false };
  }
  if (error.message.startsWith('unterminated triple-quoted')) return { lines: range(errorLine, lastLine), placeholder: true };
  const anchor = error.header ?? error.start;
  const lines = logicalLines(src, tokens);
  let stmt = lines[0];
  for (const l of lines) if (l.first.start <= anchor) stmt = l;
  if (!stmt) return { lines: [errorLine], placeholder: false };
  let first = stmt.firstLine;
  let last = error.message.endsWith('was never closed') ? errorLine : Math.max(stmt.lastLine, errorLine);
  const keyword = stmt.first.kind === 'NAME' ? stmt.first.text : '';
  if (COMPOUND_KEYWORDS.has(keyword)) {
    last = blockEnd(src, last, indentation(src, stmt.firstLine) ?? 0);
    if (keyword === 'def' || keyword === 'class' || keyword === 'async') first = decoratorsStart(src, first);
  }
  return { lines: range(first, last), placeholder: !CLAUSE_KEYWORDS.has(keyword) };
}

/** The last line of the block after `line`: following lines indented deeper than `indent`. */
function blockEnd(src: SourceText, line: number, indent: number): number {
  let end = line;
  for (let l = line + 1; l < src.lineCount; l++) {
    const i = indentation(src, l);
    if (i === null) continue;
    if (i <= indent) break;
    end = l;
  }
  return end;
}

function decoratorsStart(src: SourceText, line: number): number {
  let first = line;
  for (let l = line - 1; l >= 0; l--) {
    const text = src.lineText(l).trim();
    if (text === '' || text.startsWith('#')) continue;
    if (!text.startsWith('@')) break;
    first = l;
  }
  return first;
}

function range(from: number, to: number): number[] {
  const out: number[] = [];
  for (let l = from; l <= to; l++) out.push(l);
  return out;
}

/** Replaces the region's characters with spaces, keeping line breaks; optionally writes `pass`. */
function blank(src: SourceText, region: Region): { text: string; placeholder: number | null } {
  let text = src.text;
  const splice = (start: number, end: number, replacement: string) => {
    text = text.slice(0, start) + replacement + text.slice(end);
  };
  for (const line of region.lines) {
    const start = src.lineStarts[line]!;
    const end = src.lineContentEnd(line);
    splice(start, end, ' '.repeat(end - start));
  }
  let placeholder: number | null = null;
  const firstLine = region.lines[0];
  if (region.placeholder && firstLine !== undefined) {
    const indent = indentation(src, firstLine);
    const start = src.lineStarts[firstLine]! + (indent ?? 0);
    const room = src.lineContentEnd(firstLine) - start;
    if (indent !== null && room >= 1) {
      splice(start, start + Math.min(room, 4), room >= 4 ? 'pass' : '0'.padEnd(Math.min(room, 4)));
      placeholder = start;
    }
  }
  return { text, placeholder };
}

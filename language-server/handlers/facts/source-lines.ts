// Line-level views of the source text.
import type * as ast from '../../syntax/ast.ts';

export function sourceLines(source: string): string[] {
  return source.split(/\r\n|\r|\n/);
}

/** The range of a line's text without its indentation and trailing blanks (0-based line). */
export function lineRange(source: string, line: number): ast.Range {
  const text = sourceLines(source)[line] ?? '';
  const start = text.length - text.trimStart().length;
  return { start: { line, column: start }, end: { line, column: Math.max(start, text.trimEnd().length) } };
}

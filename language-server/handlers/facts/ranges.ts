// Comparisons of AST positions and ranges (0-based line, UTF-16 column).
import type { Position, Range } from '../../syntax/ast.ts';

export function comparePositions(a: Position, b: Position): number {
  return a.line - b.line || a.column - b.column;
}

/** Whether `p` lies in `r`, both ends included (a cursor right after a word still hovers it). */
export function contains(r: Range, p: Position): boolean {
  return comparePositions(r.start, p) <= 0 && comparePositions(p, r.end) <= 0;
}

export function sameRange(a: Range, b: Range): boolean {
  return comparePositions(a.start, b.start) === 0 && comparePositions(a.end, b.end) === 0;
}

export function startsBefore(a: Range, b: Range): boolean {
  return comparePositions(a.start, b.start) < 0;
}

/** The smaller of two ranges that both contain a point (the innermost match wins). */
export function narrower(a: Range, b: Range): boolean {
  return comparePositions(b.start, a.start) <= 0 && comparePositions(a.end, b.end) <= 0;
}

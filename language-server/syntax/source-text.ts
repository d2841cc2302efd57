// Position bookkeeping shared by the tokenizer, the error checker and the lowering.
// Everything inside `syntax/` addresses source text by UTF-16 index (a JS string index);
// this class turns an index into the two coordinate systems the outside world wants:
// LSP-style {line, UTF-16 column} for `Range`, and CPython's 1-based code-point offset for
// `SyntaxError.offset`. Lines break at \n, \r\n and lone \r, as CPython's universal newlines do.

import type { Position, Range } from './ast.ts';

export class SourceText {
  /** UTF-16 index at which each line starts; lineStarts[0] === 0. */
  readonly lineStarts: number[];

  constructor(readonly text: string) {
    const starts = [0];
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) starts.push(i + 1);
      else if (c === 13) {
        if (text.charCodeAt(i + 1) === 10) i++;
        starts.push(i + 1);
      }
    }
    this.lineStarts = starts;
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  /** 0-based line containing `index` (an index equal to a line start belongs to that line). */
  lineOf(index: number): number {
    const starts = this.lineStarts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= index) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  position(index: number): Position {
    const line = this.lineOf(index);
    return { line, column: index - this.lineStarts[line]! };
  }

  range(start: number, end: number): Range {
    return { start: this.position(start), end: this.position(end) };
  }

  /** Index just past the line's content, before its line break. */
  lineContentEnd(line: number): number {
    const next = this.lineStarts[line + 1];
    if (next === undefined) return this.text.length;
    let end = next;
    if (this.text.charCodeAt(end - 1) === 10) end--;
    if (this.text.charCodeAt(end - 1) === 13) end--;
    return end;
  }

  lineText(line: number): string {
    return this.text.slice(this.lineStarts[line], this.lineContentEnd(line));
  }

  /** 0-based column of `index` counted in code points, which is how CPython counts offsets. */
  codePointColumn(index: number): number {
    const start = this.lineStarts[this.lineOf(index)]!;
    let col = 0;
    for (let i = start; i < index; i++) {
      const c = this.text.charCodeAt(i);
      // The high half of a surrogate pair counts; the low half does not.
      if (c < 0xdc00 || c > 0xdfff) col++;
    }
    return col;
  }

  /**
   * The last line CPython's tokenizer reads: the final line unless the text ends with a line
   * break (then the empty "line" after it does not exist for CPython). 0-based.
   */
  get lastReadLine(): number {
    const last = this.lineCount - 1;
    return last > 0 && this.lineStarts[last] === this.text.length ? last - 1 : last;
  }
}

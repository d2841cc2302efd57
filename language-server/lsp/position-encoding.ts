// LSP position encodings (3.17): the server prefers UTF-16 (what the analysis's columns are and
// what every client supports) and speaks UTF-8 or UTF-32 only to a client that offers no UTF-16.
// Columns are converted line by line against the text that was analysed.
import type * as ast from '../syntax/ast.ts';

export type PositionEncoding = 'utf-16' | 'utf-8' | 'utf-32';

/** The client's `general.positionEncodings` (absent: UTF-16, as LSP says). */
export function negotiatePositionEncoding(offered: readonly string[] | undefined): PositionEncoding {
  if (!offered?.length || offered.includes('utf-16')) return 'utf-16';
  return offered.find((e): e is PositionEncoding => e === 'utf-8' || e === 'utf-32') ?? 'utf-16';
}

export interface ClientPosition { line: number; character: number }

/** Converts columns between the analysis (UTF-16) and the client's encoding for one text. */
export class ColumnConverter {
  private lines: string[] | null = null;

  constructor(private readonly text: string, readonly encoding: PositionEncoding) {}

  toClient(p: ast.Position): ClientPosition {
    if (this.encoding === 'utf-16') return { line: p.line, character: p.column };
    const prefix = this.line(p.line).slice(0, p.column);
    return { line: p.line, character: this.encoding === 'utf-8' ? Buffer.byteLength(prefix, 'utf8') : codePoints(prefix) };
  }

  fromClient(p: ClientPosition): ast.Position {
    if (this.encoding === 'utf-16') return { line: p.line, column: p.character };
    const text = this.line(p.line);
    let units = 0;
    let counted = 0;
    for (const ch of text) {
      counted += this.encoding === 'utf-8' ? Buffer.byteLength(ch, 'utf8') : 1;
      if (counted > p.character) break; // inside (or after) the wanted column: stop at this character's start
      units += ch.length;
    }
    return { line: p.line, column: units };
  }

  private line(n: number): string {
    this.lines ??= this.text.split(/\r\n|\r|\n/);
    return this.lines[n] ?? '';
  }
}

function codePoints(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

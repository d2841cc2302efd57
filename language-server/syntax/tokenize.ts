// A tokenizer that behaves like CPython 3.11's for the purpose of reporting syntax errors:
// it emits NEWLINE/INDENT/DEDENT exactly where CPython does and stops at the first error CPython's
// tokenizer would raise (bad brackets, unterminated strings, bad indentation, bad literals,
// invalid characters), recording the message and location CPython would use.

import { isPotentialIdentifierChar, scanNumber } from './scan-number.ts';
import { isStringPrefix, scanString } from './scan-string.ts';
import type { SourceText } from './source-text.ts';
import { type LocatedError, OPERATORS, type SyntaxErrorType, type Token, type TokenKind, type TokenizerError, type TokenStream } from './tokens.ts';

const OPENERS: Readonly<Record<string, string>> = { ')': '(', ']': '[', '}': '{' };
/** Operators by first character, longest first. */
const OPERATORS_BY_FIRST: ReadonlyMap<string, readonly string[]> = (() => {
  const map = new Map<string, string[]>();
  for (const op of OPERATORS) {
    const list = map.get(op[0]!) ?? [];
    list.push(op);
    map.set(op[0]!, list);
  }
  return map;
})();
const TAB_SIZE = 8;
const MAX_INDENT = 100;
/** CPython's MAXLEVEL; it also keeps our recursive-descent checker's stack bounded. */
const MAX_NESTING = 200;

/** Stops the scan; caught in `tokenize`. */
class Stop {
  constructor(readonly error: TokenizerError) {}
}

class Tokenizer {
  readonly tokens: Token[] = [];
  private p = 0;
  private readonly indents = [0];
  /** Indentation measured with tab size 1; a mismatch with `indents` means ambiguous tabs. */
  private readonly altIndents = [0];
  private readonly brackets: { char: string; index: number }[] = [];
  /** Whether the current logical line produced a token (else its line break is not a NEWLINE). */
  private lineHasTokens = false;
  private comment: { start: number; end: number } | null = null;
  private atLineStart = true;
  /** The previous physical line ended with a backslash: no indentation processing. */
  private continued = false;
  /**
   * Start of CPython's `tok->buf`: the line where the tokenizer last began a line between tokens.
   * Backslash continuations and multi-line strings keep it on the earlier line.
   */
  private bufStart = 0;

  constructor(private readonly src: SourceText) {}

  private get text(): string {
    return this.src.text;
  }

  run(): void {
    for (;;) {
      if (this.atLineStart) {
        this.atLineStart = false;
        const continued = this.continued;
        this.continued = false;
        if (!continued && this.brackets.length === 0) this.indentation();
      }
      this.skipBlanks();
      if (this.p >= this.text.length) return this.endOfFile();
      this.next();
    }
  }

  private emit(kind: TokenKind, start: number, end: number): void {
    this.tokens.push({ kind, text: this.text.slice(start, end), start, end, level: this.brackets.length });
    if (kind !== 'NEWLINE' && kind !== 'INDENT' && kind !== 'DEDENT') this.lineHasTokens = true;
  }

  private emitMarker(kind: TokenKind, at: number): void {
    this.tokens.push({ kind, text: '', start: at, end: at, level: this.brackets.length });
  }

  private skipBlanks(): void {
    const t = this.text;
    while (this.p < t.length && (t[this.p] === ' ' || t[this.p] === '\t' || t[this.p] === '\f')) this.p++;
  }

  /** Compares a line's indentation with the stack, emitting INDENT/DEDENT (CPython's tok_get prologue). */
  private indentation(): void {
    const t = this.text;
    let col = 0;
    let alt = 0;
    let q = this.p;
    /** A backslash-newline inside indentation: the first one fixes the indentation (as CPython). */
    let continuedCol: number | null = null;
    for (; q < t.length; q++) {
      const c = t[q];
      if (c === ' ') { col++; alt++; }
      else if (c === '\t') { col = (Math.floor(col / TAB_SIZE) + 1) * TAB_SIZE; alt++; }
      else if (c === '\f') { col = 0; alt = 0; }
      else if (c === '\\') {
        const n = t[q + 1];
        if (n !== '\n' && n !== '\r') {
          this.p = q;
          return this.continuation(q);
        }
        continuedCol ??= col;
        q += n === '\r' && t[q + 2] === '\n' ? 2 : 1;
      }
      else break;
    }
    if (continuedCol !== null) col = alt = continuedCol;
    this.p = q;
    const c = t[q];
    // Blank and comment-only lines do not take part in indentation.
    if (q >= t.length || c === '#' || c === '\n' || c === '\r') return;
    const top = this.indents[this.indents.length - 1]!;
    const altTop = this.altIndents[this.altIndents.length - 1]!;
    if (col === top) {
      if (alt !== altTop) this.tabError(q);
    } else if (col > top) {
      if (this.indents.length >= MAX_INDENT) this.statusError('too many levels of indentation', 'IndentationError', q, this.lineEndOffset(q));
      if (alt <= altTop) this.tabError(q);
      this.indents.push(col);
      this.altIndents.push(alt);
      this.emitMarker('INDENT', q);
    } else {
      let dedents = 0;
      while (this.indents.length > 1 && col < this.indents[this.indents.length - 1]!) {
        this.indents.pop();
        this.altIndents.pop();
        dedents++;
      }
      // CPython reports this with the cursor past the whole line, hence the odd offset.
      if (col !== this.indents[this.indents.length - 1]) {
        this.statusError('unindent does not match any outer indentation level', 'IndentationError', q, this.lineEndOffset(q));
      }
      if (alt !== this.altIndents[this.altIndents.length - 1]) this.tabError(q);
      for (let i = 0; i < dedents; i++) this.emitMarker('DEDENT', q);
    }
  }

  /** CPython's offset for errors raised with the cursor at the end of the line (after its newline). */
  private lineEndOffset(index: number): number {
    const line = this.src.lineOf(index);
    return this.src.codePointColumn(this.src.lineContentEnd(line)) + 1;
  }

  private tabError(q: number): never {
    return this.statusError('inconsistent use of tabs and spaces in indentation', 'TabError', q, 1);
  }

  private statusError(message: string, type: SyntaxErrorType, at: number, offset: number): never {
    const line = this.src.lineOf(at);
    return this.stop({
      message, type, kind: 'status', line: line + 1, offset,
      start: at, end: this.src.lineContentEnd(line),
    });
  }

  /** An error CPython's tokenizer raises with its cursor at `cur` (so offset = column of cur). */
  private raised(message: string, cur: number, start: number, end: number): never {
    const line = this.src.lineOf(start);
    return this.stop({
      message, type: 'SyntaxError', kind: 'raise', line: line + 1,
      offset: this.src.codePointColumn(cur), start, end,
    });
  }

  private stop(error: TokenizerError): never {
    this.emitMarker('ERRORTOKEN', error.start);
    const unclosed = this.unclosed();
    throw new Stop(unclosed ? { ...error, unclosed } : error);
  }

  /** "'(' was never closed" for the innermost bracket still open, if any. */
  private unclosed(): LocatedError | null {
    const open = this.brackets[this.brackets.length - 1];
    if (!open) return null;
    return {
      message: `'${open.char}' was never closed`, type: 'SyntaxError', line: this.src.lineOf(open.index) + 1,
      offset: this.src.codePointColumn(open.index) + 1, start: open.index, end: open.index + 1,
    };
  }

  private endOfFile(): void {
    const len = this.text.length;
    const unclosed = this.unclosed();
    if (unclosed) this.stop({ ...unclosed, kind: 'eof' });
    if (this.continued) {
      const line = this.src.lastReadLine;
      this.stop({
        message: 'unexpected EOF while parsing', type: 'SyntaxError', kind: 'status', line: line + 1,
        offset: this.src.codePointColumn(this.src.lineContentEnd(line)) + 1, start: len, end: len,
      });
    }
    if (this.lineHasTokens) this.emitNewline(len);
    for (let i = 1; i < this.indents.length; i++) this.emitMarker('DEDENT', len);
    this.emitMarker('ENDMARKER', len);
  }

  /** CPython's NEWLINE token starts at a trailing comment if there is one. */
  private emitNewline(at: number): void {
    const c = this.comment;
    this.tokens.push({ kind: 'NEWLINE', text: '', start: c ? c.start : at, end: c ? c.end : at, level: 0 });
    this.lineHasTokens = false;
  }

  private next(): void {
    const t = this.text;
    const start = this.p;
    const c = t[start]!;
    if (c === '#') {
      let q = start;
      while (q < t.length && t[q] !== '\n' && t[q] !== '\r') q++;
      this.comment = { start, end: q };
      this.p = q;
      return;
    }
    if (c === '\n' || c === '\r') {
      this.p += c === '\r' && t[start + 1] === '\n' ? 2 : 1;
      this.bufStart = this.p;
      if (this.brackets.length === 0 && this.lineHasTokens) this.emitNewline(start);
      this.comment = null;
      this.atLineStart = true;
      return;
    }
    if (c === '\\') return this.continuation(start);
    const code = c.charCodeAt(0);
    if ((code >= 97 && code <= 122) || (code >= 65 && code <= 90) || code === 95 || code >= 128) return this.name(start);
    if ((c >= '0' && c <= '9') || (c === '.' && t[start + 1]! >= '0' && t[start + 1]! <= '9')) return this.number(start);
    if (c === '"' || c === "'") return this.string(start, start);
    if (c === '(' || c === '[' || c === '{') {
      if (this.brackets.length >= MAX_NESTING) this.raised('too many nested parentheses', start + 1, start, start + 1);
      this.brackets.push({ char: c, index: start });
      this.p++;
      return this.emit('OP', start, this.p);
    }
    if (c === ')' || c === ']' || c === '}') return this.closer(start, c);
    const op = OPERATORS_BY_FIRST.get(c)?.find((o) => t.startsWith(o, start));
    // Stray ASCII such as `$`, `?` or a lone `!` reaches the parser, which then fails on it.
    this.p += op ? op.length : 1;
    this.emit('OP', start, this.p);
  }

  private continuation(start: number): void {
    const t = this.text;
    const n = t[start + 1];
    if (n === '\n' || n === '\r') {
      this.p = start + 2 + (n === '\r' && t[start + 2] === '\n' ? 1 : 0);
      this.continued = true;
      this.atLineStart = true;
      return;
    }
    if (n === undefined) {
      this.p = start + 1;
      this.continued = true;
      return;
    }
    // CPython measures this offset from `tok->buf`, which may be an earlier line.
    const line = this.src.lineOf(start);
    const fromBuffer = [...this.text.slice(this.bufStart, start)].length;
    this.stop({
      message: 'unexpected character after line continuation character', type: 'SyntaxError', kind: 'status',
      line: line + 1, offset: fromBuffer + 2, start, end: start + 1,
    });
  }

  private closer(start: number, c: string): void {
    const open = this.brackets.pop();
    if (!open) this.raised(`unmatched '${c}'`, start + 1, start, start + 1);
    if (open.char !== OPENERS[c]) {
      const openLine = this.src.lineOf(open.index);
      const where = openLine === this.src.lineOf(start) ? '' : ` on line ${openLine + 1}`;
      this.raised(`closing parenthesis '${c}' does not match opening parenthesis '${open.char}'${where}`, start + 1, start, start + 1);
    }
    this.p = start + 1;
    this.emit('OP', start, this.p);
  }

  private name(start: number): void {
    const t = this.text;
    let q = start;
    while (q < t.length && isPotentialIdentifierChar(t[q]!)) q++;
    const word = t.slice(start, q);
    if ((t[q] === '"' || t[q] === "'") && isStringPrefix(word)) return this.string(start, q);
    const bad = firstInvalidIdentifierChar(word);
    if (bad >= 0) {
      const at = start + bad;
      const cp = word.codePointAt(bad)!;
      const hex = cp.toString(16).toUpperCase().padStart(4, '0');
      const ch = String.fromCodePoint(cp);
      const message = /^[\p{C}\p{Z}]$/u.test(ch) ? `invalid non-printable character U+${hex}` : `invalid character '${ch}' (U+${hex})`;
      this.raised(message, at + 1, at, at + ch.length);
    }
    this.p = q;
    this.emit('NAME', start, q);
  }

  private number(start: number): void {
    const r = scanNumber(this.text, start);
    if (!r.ok) {
      const end = r.rangeEnd ?? Math.max(r.cur, start + 1);
      this.raised(r.message, r.cur, r.rangeStart ?? start, end);
    }
    this.p = r.end;
    this.emit('NUMBER', start, r.end);
  }

  private string(start: number, quoteAt: number): void {
    const r = scanString(this.text, quoteAt);
    if (!r.ok) {
      const startLine = this.src.lineOf(start);
      const detected = r.triple ? this.src.lastReadLine + 1 : this.src.lineOf(r.at) + 1;
      const kind = r.triple ? 'unterminated triple-quoted string literal' : 'unterminated string literal';
      this.raised(`${kind} (detected at line ${detected})`, start + 1, start, this.src.lineContentEnd(startLine));
    }
    this.p = r.end;
    this.emit('STRING', start, r.end);
  }
}

/** Index in `word` of the first character that makes it an invalid identifier, or -1. */
function firstInvalidIdentifierChar(word: string): number {
  if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(word)) return -1;
  // CPython validates the NFKC form of the whole name...
  if (/^[\p{XID_Start}_]\p{XID_Continue}*$/u.test(word.normalize('NFKC'))) return -1;
  // ...and blames the first character of the original spelling that cannot belong to a name.
  let i = 0;
  for (const ch of word) {
    const norm = [...ch.normalize('NFKC')][0] ?? ch;
    const ok = i === 0 ? /[\p{XID_Start}_]/u.test(norm) : /\p{XID_Continue}/u.test(norm);
    if (!ok) return i;
    i += ch.length;
  }
  return 0;
}

export function tokenize(src: SourceText): TokenStream {
  const tk = new Tokenizer(src);
  try {
    tk.run();
    return { tokens: tk.tokens, error: null };
  } catch (e) {
    if (e instanceof Stop) return { tokens: tk.tokens, error: e.error };
    throw e;
  }
}

// Numeric literal scanning, transcribed from CPython 3.11's tokenizer (tok_get's number branch,
// tok_decimal_tail, verify_end_of_number) so that malformed literals produce the same messages
// and the same offsets. `cur` mirrors `tok->cur`: CPython reports `offset = columnOf(cur)`.

export type NumberScan =
  | { ok: true; end: number }
  | { ok: false; message: string; cur: number; rangeStart?: number; rangeEnd?: number };

const EOF = '';

class Cursor {
  constructor(readonly text: string, public p: number) {}
  next(): string {
    if (this.p >= this.text.length) return EOF;
    return this.text[this.p++]!;
  }
  backup(c: string): void {
    if (c !== EOF) this.p--;
  }
}

const isDigit = (c: string) => c >= '0' && c <= '9';
const isHex = (c: string) => isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');

/** CPython's is_potential_identifier_char: ASCII alnum, '_' or any non-ASCII character. */
export function isPotentialIdentifierChar(c: string): boolean {
  if (c === EOF) return false;
  const code = c.charCodeAt(0);
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57) || code === 95 || code >= 128;
}

class NumberError {
  constructor(readonly message: string, readonly cur: number, readonly rangeStart?: number, readonly rangeEnd?: number) {}
}

/** Scans the number starting at `start` (a digit, or '.' followed by a digit). */
export function scanNumber(text: string, start: number): NumberScan {
  const cur = new Cursor(text, start);
  try {
    const c = scan(cur, start);
    cur.backup(c);
    return { ok: true, end: cur.p };
  } catch (e) {
    if (!(e instanceof NumberError)) throw e;
    const out: NumberScan = { ok: false, message: e.message, cur: e.cur };
    if (e.rangeStart !== undefined) out.rangeStart = e.rangeStart;
    if (e.rangeEnd !== undefined) out.rangeEnd = e.rangeEnd;
    return out;
  }
}

/** Returns the first character after the literal (already consumed, as CPython does). */
function scan(cur: Cursor, start: number): string {
  let c = cur.next();
  if (c === '.') return fraction(cur, cur.next());
  if (c !== '0') return decimalRest(cur, decimalTail(cur));
  c = cur.next();
  if (c === 'x' || c === 'X') return radix(cur, isHex, 'hexadecimal');
  if (c === 'o' || c === 'O') return radix(cur, (d) => d >= '0' && d <= '7', 'octal');
  if (c === 'b' || c === 'B') return radix(cur, (d) => d === '0' || d === '1', 'binary');
  // A leading 0: zeros (with underscores) may be followed by a float, but never by an int.
  for (;;) {
    if (c === '_') {
      c = cur.next();
      if (!isDigit(c)) {
        cur.backup(c);
        throw new NumberError('invalid decimal literal', cur.p);
      }
    }
    if (c !== '0') break;
    c = cur.next();
  }
  const zerosEnd = cur.p;
  let nonzero = false;
  if (isDigit(c)) {
    nonzero = true;
    c = decimalTail(cur);
  }
  if (c === '.') return fraction(cur, cur.next());
  if (c === 'e' || c === 'E') return exponent(cur, c);
  if (c === 'j' || c === 'J') return imaginary(cur);
  if (nonzero) {
    cur.backup(c);
    throw new NumberError(
      'leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers',
      start + 1, start, zerosEnd);
  }
  verifyEnd(cur, c, 'decimal');
  return c;
}

function radix(cur: Cursor, isRadixDigit: (c: string) => boolean, kind: string): string {
  let c = cur.next();
  do {
    if (c === '_') c = cur.next();
    if (!isRadixDigit(c)) {
      if (kind !== 'hexadecimal' && isDigit(c)) throw new NumberError(`invalid digit '${c}' in ${kind} literal`, cur.p);
      cur.backup(c);
      throw new NumberError(`invalid ${kind} literal`, cur.p);
    }
    do c = cur.next(); while (isRadixDigit(c));
  } while (c === '_');
  if (kind !== 'hexadecimal' && isDigit(c)) throw new NumberError(`invalid digit '${c}' in ${kind} literal`, cur.p);
  verifyEnd(cur, c, kind);
  return c;
}

/** Digits with single underscores between them; returns the character after them. */
function decimalTail(cur: Cursor): string {
  for (;;) {
    let c: string;
    do c = cur.next(); while (isDigit(c));
    if (c !== '_') return c;
    c = cur.next();
    if (!isDigit(c)) {
      cur.backup(c);
      throw new NumberError('invalid decimal literal', cur.p);
    }
  }
}

function decimalRest(cur: Cursor, c: string): string {
  if (c === '.') return fraction(cur, cur.next());
  if (c === 'e' || c === 'E') return exponent(cur, c);
  if (c === 'j' || c === 'J') return imaginary(cur);
  verifyEnd(cur, c, 'decimal');
  return c;
}

function fraction(cur: Cursor, c: string): string {
  if (isDigit(c)) {
    cur.backup(c);
    c = decimalTail(cur);
  }
  if (c === 'e' || c === 'E') return exponent(cur, c);
  if (c === 'j' || c === 'J') return imaginary(cur);
  verifyEnd(cur, c, 'decimal');
  return c;
}

function exponent(cur: Cursor, e: string): string {
  let c = cur.next();
  if (c === '+' || c === '-') {
    c = cur.next();
    if (!isDigit(c)) {
      cur.backup(c);
      throw new NumberError('invalid decimal literal', cur.p);
    }
  } else if (!isDigit(c)) {
    // `1e` is the number 1 followed by the name e, unless that reads like a bad literal.
    cur.backup(c);
    verifyEnd(cur, e, 'decimal');
    return e;
  }
  cur.backup(c);
  c = decimalTail(cur);
  if (c === 'j' || c === 'J') return imaginary(cur);
  verifyEnd(cur, c, 'decimal');
  return c;
}

function imaginary(cur: Cursor): string {
  const c = cur.next();
  verifyEnd(cur, c, 'imaginary');
  return c;
}

/**
 * CPython accepts `1if x else y` (keyword glued to a number, with a warning) but rejects any
 * other identifier character right after a literal.
 */
function verifyEnd(cur: Cursor, c: string, kind: string): void {
  const rest = cur.text.slice(cur.p);
  const gluedKeyword =
    (c === 'a' && rest.startsWith('nd')) || (c === 'e' && rest.startsWith('lse')) ||
    (c === 'f' && rest.startsWith('or')) || (c === 'i' && /^[fns]/.test(rest)) ||
    (c === 'o' && rest.startsWith('r')) || (c === 'n' && rest.startsWith('ot'));
  if (gluedKeyword) return;
  if (isPotentialIdentifierChar(c)) {
    cur.backup(c);
    throw new NumberError(`invalid ${kind} literal`, cur.p);
  }
}

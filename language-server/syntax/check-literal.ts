// Errors CPython raises while decoding a (non-f) string or bytes literal: non-ASCII characters in
// bytes, and malformed \x, \u, \U, \N escapes. The "position" in CPython's message counts the
// literal body as its decoder sees it: non-ASCII characters have already been rewritten to
// 10-character `\U%08x` escapes at that point.

export interface LiteralProblem {
  message: string;
  /** CPython blames the literal token itself, not the token after the strings. */
  atToken: boolean;
}

export function checkLiteral(text: string): LiteralProblem | null {
  const prefix = /^[A-Za-z]*/.exec(text)![0].toLowerCase();
  if (prefix.includes('f')) return null;
  const quote = text.startsWith(text[prefix.length]!.repeat(3), prefix.length) ? 3 : 1;
  const body = text.slice(prefix.length + quote, text.length - quote);
  const bytes = prefix.includes('b');
  if (bytes && /\P{ASCII}/u.test(body)) return { message: 'bytes can only contain ASCII literal characters', atToken: true };
  if (prefix.includes('r')) return null;
  let position = 0;
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== '\\') {
      position += c.charCodeAt(0) < 128 ? 1 : c.charCodeAt(0) >= 0xdc00 && c.charCodeAt(0) <= 0xdfff ? 0 : 10;
      continue;
    }
    const start = position;
    const kind = body[i + 1];
    const width = kind === 'x' ? 2 : bytes ? 0 : kind === 'u' ? 4 : kind === 'U' ? 8 : 0;
    if (width) {
      const digits = /^[0-9a-fA-F]*/.exec(body.slice(i + 2, i + 2 + width))![0];
      if (digits.length < width) {
        if (bytes) return { message: `(value error) invalid \\x escape at position ${start}`, atToken: false };
        const what = kind === 'x' ? '\\xXX' : kind === 'u' ? '\\uXXXX' : '\\UXXXXXXXX';
        return unicodeError(start, start + 1 + digits.length, `truncated ${what} escape`);
      }
      if (kind === 'U' && parseInt(digits, 16) > 0x10ffff) return unicodeError(start, start + 1 + width, 'illegal Unicode character');
      i += 1 + width;
      position += 2 + width;
      continue;
    }
    if (kind === 'N' && !bytes) {
      const rest = body.slice(i + 2);
      const name = /^\{[^}]*\}/.exec(rest);
      if (!name || name[0].length === 2) {
        // CPython's end: the `N`, the `{` of an empty name, or the end of an unclosed one.
        const end = !rest.startsWith('{') ? start + 1 : name ? start + 2 : start + 1 + rest.length;
        return unicodeError(start, end, 'malformed \\N character escape');
      }
      i += 1 + name[0].length;
      position += 2 + name[0].length;
      continue;
    }
    // Any other escape (or an escaped non-ASCII character) is two code points here.
    i++;
    position += 1 + (kind !== undefined && kind.charCodeAt(0) >= 128 ? 10 : 1);
  }
  return null;
}

function unicodeError(start: number, end: number, reason: string): LiteralProblem {
  return { message: `(unicode error) 'unicodeescape' codec can't decode bytes in position ${start}-${end}: ${reason}`, atToken: false };
}

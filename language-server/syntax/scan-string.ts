// String literal scanning for the error tokenizer. Python 3.11 tokenizes an f-string as one
// STRING token, so prefixes r/u/b/f in any combination are handled alike here.

const PREFIXES: ReadonlySet<string> = new Set([
  '', 'r', 'u', 'b', 'f', 'br', 'rb', 'fr', 'rf',
]);

/** Whether `word` (an identifier just scanned) is a string prefix such as `rb` or `F`. */
export function isStringPrefix(word: string): boolean {
  return PREFIXES.has(word.toLowerCase());
}

export type StringScan =
  | { ok: true; end: number }
  /** Unterminated at index `at` (a line break, or the end of the text). */
  | { ok: false; triple: boolean; at: number };

/** Scans a literal whose opening quote is at `quoteAt` (the prefix, if any, precedes it). */
export function scanString(text: string, quoteAt: number): StringScan {
  const q = text[quoteAt]!;
  const triple = text[quoteAt + 1] === q && text[quoteAt + 2] === q;
  let p = quoteAt + (triple ? 3 : 1);
  while (p < text.length) {
    const c = text[p]!;
    if (c === '\\') {
      // An escaped character, including an escaped line break, never ends the literal.
      p += text[p + 1] === '\r' && text[p + 2] === '\n' ? 3 : 2;
      continue;
    }
    if (!triple && (c === '\n' || c === '\r')) return { ok: false, triple, at: p };
    if (c === q && (!triple || (text[p + 1] === q && text[p + 2] === q))) {
      return { ok: true, end: p + (triple ? 3 : 1) };
    }
    p++;
  }
  return { ok: false, triple, at: text.length };
}

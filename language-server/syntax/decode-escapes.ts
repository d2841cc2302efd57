// Python backslash escapes in (non-raw) string and bytes literals.

const SIMPLE: Readonly<Record<string, string>> = {
  '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v',
};

/**
 * Decodes `raw` (literal text between the quotes). Bytes literals do not know \u, \U and \N.
 * `\N{NAME}` is kept as written: resolving it needs the Unicode name database, which JS lacks.
 */
export function decodeEscapes(raw: string, bytes: boolean): string {
  const text = raw.replace(/\r\n?/g, '\n');
  if (!text.includes('\\')) return text;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    const n = text[i + 1];
    if (c !== '\\' || n === undefined) {
      out += c;
      continue;
    }
    if (n === '\n') {
      i++;
      continue;
    }
    if (SIMPLE[n] !== undefined) {
      out += SIMPLE[n];
      i++;
      continue;
    }
    const octal = /^[0-7]{1,3}/.exec(text.slice(i + 1, i + 4));
    if (octal) {
      out += String.fromCharCode(parseInt(octal[0], 8) & (bytes ? 0xff : 0x1ff));
      i += octal[0].length;
      continue;
    }
    const width = n === 'x' ? 2 : bytes ? 0 : n === 'u' ? 4 : n === 'U' ? 8 : 0;
    const hex = width ? text.slice(i + 2, i + 2 + width) : '';
    if (width && hex.length === width && /^[0-9a-fA-F]+$/.test(hex)) {
      const code = parseInt(hex, 16);
      out += code <= 0x10ffff ? String.fromCodePoint(code) : '\ufffd';
      i += 1 + width;
      continue;
    }
    // Unknown escapes keep their backslash, as in Python.
    out += c;
  }
  return out;
}

// Conversion of located errors into the public SyntaxErrorInfo.

import type { SyntaxErrorInfo } from './ast.ts';
import type { SourceText } from './source-text.ts';
import type { LocatedError } from './tokens.ts';

export function toSyntaxErrorInfo(src: SourceText, e: LocatedError): SyntaxErrorInfo {
  const len = src.text.length;
  const start = Math.min(Math.max(e.start, 0), len);
  const end = Math.min(Math.max(e.end, start), len);
  return { message: e.message, line: e.line, col: e.offset, range: src.range(start, end), type: e.type };
}

// Public entry point of the Python front end: source text in, project AST and CPython-worded
// syntax errors out.
//
// Pipeline: our CPython-like tokenizer + grammar checker find the errors CPython would report
// (recovery.ts blanks each broken statement and looks again); tree-sitter then parses the
// repaired text and lower-*.ts turn its CST into the AST, dropping statements that still contain
// ERROR/MISSING nodes. Blanking keeps every index in place, so all ranges refer to the original
// source.

import type { Module, ParseResult, Position, Stmt, SyntaxErrorInfo } from './ast.ts';
import { compileError } from './compile-checks.ts';
import { toSyntaxErrorInfo } from './errors.ts';
import { recover, type Recovered } from './recovery.ts';
import { SourceText } from './source-text.ts';
import { parseAndLower } from './tree-lower.ts';
import { getParser } from './wasm.ts';

export { initParser } from './wasm.ts';

/** Synchronous once `initParser()` has resolved. Never throws on bad input. */
export function parsePython(source: string): ParseResult {
  const src = new SourceText(source);
  let recovered: Recovered;
  try {
    recovered = recover(src);
  } catch {
    // A bug in the checker must not cost the user the AST: fall back to tree-sitter alone.
    recovered = { errors: [], text: source, placeholders: [] };
  }
  const repaired = new SourceText(recovered.text);
  const body = parseAndLower(getParser(), repaired);
  const module: Module = { kind: 'Module', body: withoutPlaceholders(body, recovered.placeholders.map((i) => repaired.position(i))) };
  const errors = [...recovered.errors];
  // Only a file free of syntax errors reaches CPython's compiler. Tree-sitter's own ERROR nodes
  // are not reported: our checker matches CPython, tree-sitter sometimes rejects valid code.
  if (errors.length === 0) {
    const late = compileError(module, src);
    if (late) errors.push(late);
  }
  return { module, errors: errors.map((e): SyntaxErrorInfo => toSyntaxErrorInfo(src, e)) };
}

/** Removes the `pass` statements recovery wrote in place of broken ones. */
function withoutPlaceholders(body: Stmt[], at: Position[]): Stmt[] {
  if (at.length === 0) return body;
  const isPlaceholder = (s: Stmt) =>
    (s.kind === 'Pass' || s.kind === 'Expr') && at.some((p) => p.line === s.range.start.line && p.column === s.range.start.column);
  const walk = (list: Stmt[]): Stmt[] => list.filter((s) => !isPlaceholder(s)).map((s) => {
    switch (s.kind) {
      case 'FunctionDef':
      case 'ClassDef':
      case 'With':
        return { ...s, body: walk(s.body) };
      case 'If':
      case 'For':
      case 'While':
        return { ...s, body: walk(s.body), orelse: walk(s.orelse) };
      case 'Try':
        return {
          ...s, body: walk(s.body), orelse: walk(s.orelse), finalbody: walk(s.finalbody),
          handlers: s.handlers.map((h) => ({ ...h, body: walk(h.body) })),
        };
      default:
        return s;
    }
  });
  return walk(body);
}

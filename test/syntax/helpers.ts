// Shared helpers for the syntax tests: parse after a one-time init, and compact assertions.

import assert from 'node:assert/strict';
import type { Expr, ParseResult, Range, Stmt } from '../../language-server/syntax/ast.ts';
import { initParser, parsePython } from '../../language-server/syntax/parse.ts';

export async function setup(): Promise<void> {
  await initParser();
}

/** Parses source that must be free of syntax errors. */
export function parseOk(source: string): Stmt[] {
  const result = parsePython(source);
  assert.deepEqual(result.errors, [], `unexpected errors for ${JSON.stringify(source)}`);
  return result.module.body;
}

export function parse(source: string): ParseResult {
  return parsePython(source);
}

/** The value of the single expression statement or assignment in `source`. */
export function expr(source: string): Expr {
  const [stmt] = parseOk(source);
  if (stmt?.kind === 'Expr') return stmt.value;
  if (stmt?.kind === 'Assign') return stmt.value;
  throw new Error(`no expression in ${source}`);
}

/** A range from 0-based line/column pairs. */
export function range(line: number, column: number, endLine: number, endColumn: number): Range {
  return { start: { line, column }, end: { line: endLine, column: endColumn } };
}

/** Narrows a node to a kind, failing the test otherwise. */
export function as<K extends string, T extends { kind: string }>(node: T | null | undefined, kind: K): Extract<T, { kind: K }> {
  assert.ok(node, `expected a ${kind}, got nothing`);
  assert.equal(node.kind, kind);
  return node as Extract<T, { kind: K }>;
}

/** The source text a range covers. */
export function slice(source: string, r: Range): string {
  const lines = source.split('\n');
  if (r.start.line === r.end.line) return lines[r.start.line]!.slice(r.start.column, r.end.column);
  return [lines[r.start.line]!.slice(r.start.column), ...lines.slice(r.start.line + 1, r.end.line), lines[r.end.line]!.slice(0, r.end.column)].join('\n');
}

// Runs tree-sitter and the lowering. Normally one parse of the whole text; but tree-sitter's
// error recovery sometimes swallows many valid statements into one top-level ERROR node (even
// for code CPython accepts, e.g. odd indentation inside brackets). Then each top-level statement
// is parsed on its own (tree-sitter's `includedRanges` keeps the original positions), so only
// the statement tree-sitter cannot read is lost. Every tree is deleted after use.

import type { Parser } from 'web-tree-sitter';
import type { Stmt } from './ast.ts';
import { LowerContext } from './lower-context.ts';
import { lowerStatements } from './lower-stmt.ts';
import type { SourceText } from './source-text.ts';
import { tokenize } from './tokenize.ts';

export function parseAndLower(parser: Parser, src: SourceText): Stmt[] {
  const cx = new LowerContext(src);
  const whole = parse(parser, src, null);
  if (whole.ok) return whole.body;
  const body: Stmt[] = [];
  for (const [start, end] of topLevelChunks(src)) body.push(...parse(parser, src, [start, end]).body);
  return body;

  function parse(p: Parser, s: SourceText, span: [number, number] | null): { ok: boolean; body: Stmt[] } {
    const ranges = span && [{ startIndex: span[0], endIndex: span[1], startPosition: point(s, span[0]), endPosition: point(s, span[1]) }];
    const tree = p.parse(s.text, null, ranges ? { includedRanges: ranges } : undefined);
    if (!tree) return { ok: false, body: [] };
    try {
      const ok = !tree.rootNode.children.some((c) => c?.isError);
      return { ok, body: lowerStatements(cx, tree.rootNode) };
    } finally {
      tree.delete();
    }
  }
}

function point(src: SourceText, index: number): { row: number; column: number } {
  const p = src.position(index);
  return { row: p.line, column: p.column };
}

/** [start, end) UTF-16 spans of the top-level statements, decorators kept with their definition. */
function topLevelChunks(src: SourceText): [number, number][] {
  const starts: number[] = [];
  let depth = 0;
  let atLineStart = true;
  let decorated = false;
  for (const t of tokenize(src).tokens) {
    if (t.kind === 'INDENT') depth++;
    else if (t.kind === 'DEDENT') depth--;
    else if (t.kind === 'NEWLINE') atLineStart = true;
    else if (atLineStart) {
      atLineStart = false;
      if (depth === 0 && !decorated) starts.push(src.lineStarts[src.lineOf(t.start)]!);
      if (depth === 0) decorated = t.kind === 'OP' && t.text === '@';
    }
  }
  return starts.map((s, i) => [s, starts[i + 1] ?? src.text.length]);
}

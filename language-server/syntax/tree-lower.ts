// Runs tree-sitter and the lowering. Normally one parse of the whole text; but tree-sitter's
// error recovery sometimes swallows many valid statements into one top-level ERROR node (even
// for code CPython accepts, e.g. odd indentation inside brackets). Then each top-level statement
// is parsed on its own (tree-sitter's `includedRanges` keeps the original positions), so only
// the statement tree-sitter cannot read is lost. Every tree is deleted after use.

import type { Parser } from 'web-tree-sitter';
import type { Stmt } from './ast.ts';
import { LowerContext } from './lower-context.ts';
import { lowerStatements } from './lower-stmt.ts';
import { SourceText } from './source-text.ts';
import { tokenize } from './tokenize.ts';

export function parseAndLower(parser: Parser, original: SourceText): Stmt[] {
  return parseAndLowerChecked(parser, original).body;
}

/**
 * The same, and whether tree-sitter read the text without any ERROR or MISSING node in one parse
 * (incremental-parse.ts reuses such statements only; anything else takes the whole-file path).
 */
export function parseAndLowerChecked(parser: Parser, original: SourceText): { body: Stmt[]; clean: boolean } {
  const { src, renamed } = disguiseStatementNames(original);
  const cx = new LowerContext(src, renamed);
  const whole = parseRange(parser, cx, null);
  if (whole.ok) return { body: whole.body, clean: whole.clean };
  return { body: topLevelChunks(src).flatMap((chunk) => parseRange(parser, cx, chunk).body), clean: false };
}

/** Parses the whole text, or only `span` (positions stay those of the whole text), and lowers it. */
function parseRange(parser: Parser, cx: LowerContext, span: [number, number] | null): { ok: boolean; clean: boolean; body: Stmt[] } {
  const src = cx.src;
  const includedRanges = span && [{ startIndex: span[0], endIndex: span[1], startPosition: point(src, span[0]), endPosition: point(src, span[1]) }];
  const tree = parser.parse(src.text, null, includedRanges ? { includedRanges } : undefined);
  if (!tree) return { ok: false, clean: false, body: [] };
  try {
    return { ok: !tree.rootNode.children.some((c) => c?.isError), clean: !tree.rootNode.hasError, body: lowerStatements(cx, tree.rootNode) };
  } finally {
    tree.delete();
  }
}

/**
 * tree-sitter-python reads a statement starting with `print`/`exec` as Python 2's print/exec
 * statement (`print >> f, x` is a valid Python 3 expression) and `type(x).y = 1` as a 3.12 type
 * alias. By now the text is valid Python 3, so such names are renamed to same-length
 * identifiers for tree-sitter (`_rint`), and LowerContext restores them by position.
 */
function disguiseStatementNames(src: SourceText): { src: SourceText; renamed: Map<number, string> } {
  const tokens = tokenize(src).tokens;
  const renamed = new Map<number, string>();
  let text = src.text;
  tokens.forEach((t, i) => {
    if (t.kind !== 'NAME' || (t.text !== 'print' && t.text !== 'exec' && t.text !== 'type')) return;
    const prev = tokens[i - 1];
    const statementStart = !prev || prev.kind === 'NEWLINE' || prev.kind === 'INDENT' || prev.kind === 'DEDENT' ||
      (prev.kind === 'OP' && (prev.text === ';' || prev.text === ':') && prev.level === 0);
    if (!statementStart) return;
    const next = tokens[i + 1];
    const after = tokens[i + 2];
    if (t.text === 'type' && next?.kind === 'NAME' && after?.kind === 'OP' && (after.text === '=' || after.text === '[')) return;
    text = text.slice(0, t.start) + '_' + t.text.slice(1) + text.slice(t.end);
    renamed.set(t.start, t.text);
  });
  // CPython breaks lines at a lone \r (universal newlines), tree-sitter does not: without this a
  // statement after `# comment\r` would vanish into the comment. Same length, so positions hold.
  const withNewlines = text.replace(/\r(?!\n)/g, '\n');
  return { src: renamed.size || withNewlines !== text ? new SourceText(withNewlines) : src, renamed };
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

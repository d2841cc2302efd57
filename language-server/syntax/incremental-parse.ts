// Parsing an edited document again without lowering all of it again. The text is cut into
// top-level statements ("chunks": a logical line at indentation 0 with everything indented under
// it, its decorators, `else`/`elif`/`except`/`finally` clauses and the comment lines after it);
// a chunk whose text is unchanged keeps its lowered AST, moved by the lines inserted or removed
// above it. Only changed chunks go through the checker and tree-sitter.
//
// Exactness comes first: the result must be what `parsePython` returns for the same text. So the
// chunks are only trusted when the whole text tokenizes without an error, every changed chunk
// passes our CPython checker and the compile-time checks and tree-sitter reads it without an
// ERROR or MISSING node, and the assembled module has no misplaced `from __future__`. Anything
// else (a syntax error anywhere, a tokenizer error, a lone CR, a bug on this path) takes
// `parsePython` on the whole text, so syntax errors, their order and the recovery around them
// stay exactly those of the whole-file parse. test/syntax/incremental-parse.test.ts compares both
// on many generated edits.
//
// Reused statements are the very objects handed out before; nothing may mutate the AST (the
// evaluator and the source index cache per node, see eval/functions.ts and source-index.ts).

import type { Module, ParseResult, Stmt } from './ast.ts';
import { compileError, futureImportError } from './compile-checks.ts';
import { parsePython } from './parse.ts';
import { recover } from './recovery.ts';
import { SourceText } from './source-text.ts';
import { tokenize } from './tokenize.ts';
import type { Token } from './tokens.ts';
import { parseAndLowerChecked } from './tree-lower.ts';
import { getParser } from './wasm.ts';

const LONE_CR = /\r(?!\n)/;
/** Clauses that continue the compound statement above them, even at indentation 0. */
const CONTINUATIONS: ReadonlySet<string> = new Set(['else', 'elif', 'except', 'finally']);

interface Chunk {
  /** The chunk's first line in the text it was parsed from. */
  line: number;
  /** Lowered statements with positions in that text. Never mutated once cached. */
  body: readonly Stmt[];
}

/** How the last `parse` went, for tests and measurements. */
export interface IncrementalStats {
  /** `whole`: parsePython on the whole text; `chunks`: assembled from chunks. */
  path: 'whole' | 'chunks';
  chunks: number;
  /** Chunks lowered afresh (the rest were reused, moved when their line changed). */
  parsed: number;
  moved: number;
}

/**
 * One per open document (the caller owns it): remembers the chunks of the last text it parsed
 * through the chunk path. Call `initParser()` before the first `parse`.
 */
export class IncrementalParser {
  private cache = new Map<string, Chunk[]>();
  last: IncrementalStats | null = null;

  parse(source: string): ParseResult {
    let result: ParseResult | null = null;
    try {
      result = this.fromChunks(source);
    } catch {
      // A bug on the chunk path must not cost the user anything: the whole-file parse is the truth.
      result = null;
    }
    if (result) return result;
    this.last = { path: 'whole', chunks: 0, parsed: 0, moved: 0 };
    return parsePython(source);
  }

  /** The chunk-assembled result, or null where only the whole-file parse is exact. */
  private fromChunks(source: string): ParseResult | null {
    // A lone CR ends a line for CPython and for our checker, not for tree-sitter: the whole-file
    // parse then reads the next line as part of a comment or statement before it, which a
    // chunk cut there cannot reproduce.
    if (LONE_CR.test(source)) return null;
    const src = new SourceText(source);
    const stream = tokenize(src);
    if (stream.error) return null;
    const starts = chunkStarts(src, stream.tokens);
    const next = new Map<string, Chunk[]>();
    const body: Stmt[] = [];
    let parsed = 0;
    let moved = 0;
    for (let i = 0; i < starts.length; i++) {
      const start = starts[i]!;
      const text = source.slice(start, starts[i + 1] ?? source.length);
      const line = src.lineOf(start);
      let chunk = reuse(this.cache.get(text), line);
      if (chunk && chunk.line !== line) {
        chunk = { line, body: chunk.body.map((s) => shifted(s, line - chunk!.line)) };
        moved++;
      }
      if (!chunk) {
        const fresh = parseChunk(text);
        if (!fresh) return null;
        chunk = { line, body: line === 0 ? fresh : fresh.map((s) => shifted(s, line)) };
        parsed++;
      }
      const same = next.get(text);
      if (same) same.push(chunk);
      else next.set(text, [chunk]);
      body.push(...chunk.body);
    }
    const module: Module = { kind: 'Module', body };
    // Each chunk passed the compile-time checks on its own (parseChunk); of those checks only the
    // `from __future__` placement depends on the statements before. An error: the whole-file
    // parse reports it.
    if (futureImportError(module, src)) return null;
    this.cache = next;
    this.last = { path: 'chunks', chunks: starts.length, parsed, moved };
    return { module, errors: [] };
  }
}

/** A cached chunk with the same text: the one on the same line if any (no copy needed). */
function reuse(candidates: Chunk[] | undefined, line: number): Chunk | null {
  if (!candidates || candidates.length === 0) return null;
  return candidates.find((c) => c.line === line) ?? candidates[0]!;
}

/**
 * Lowers one chunk on its own (positions relative to its first line), or null if it has a syntax
 * error (compile-time ones included) or tree-sitter did not read it cleanly.
 */
function parseChunk(text: string): Stmt[] | null {
  const src = new SourceText(text);
  const recovered = recover(src);
  if (recovered.errors.length > 0) return null;
  const { body, clean } = parseAndLowerChecked(getParser(), src);
  if (!clean || compileError({ kind: 'Module', body }, src)) return null;
  return body;
}

/**
 * UTF-16 indices where chunks start: 0, then the start of each line whose logical line begins
 * at indentation 0, except clauses continuing a compound statement and the definition after a
 * decorator. Comment and blank lines stay with the chunk above them.
 */
function chunkStarts(src: SourceText, tokens: readonly Token[]): number[] {
  const starts = [0];
  let depth = 0;
  let atLineStart = true;
  let decorated = false;
  for (const t of tokens) {
    if (t.kind === 'INDENT') depth++;
    else if (t.kind === 'DEDENT') depth--;
    else if (t.kind === 'NEWLINE') atLineStart = true;
    else if (t.kind !== 'ENDMARKER' && atLineStart) {
      atLineStart = false;
      if (depth !== 0) continue;
      const continues = decorated || (t.kind === 'NAME' && CONTINUATIONS.has(t.text));
      decorated = t.kind === 'OP' && t.text === '@';
      const lineStart = src.lineStarts[src.lineOf(t.start)]!;
      if (!continues && lineStart > starts[starts.length - 1]!) starts.push(lineStart);
    }
  }
  return starts;
}

/**
 * A copy of an AST node with every position moved down by `delta` lines. Positions are the only
 * `{line, column}` objects in the AST (ast.ts); everything else is copied as is.
 */
function shifted<T>(node: T, delta: number): T {
  if (delta === 0) return node;
  return copy(node, delta) as T;
}

function copy(value: unknown, delta: number): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) out[i] = copy(value[i], delta);
    return out;
  }
  const record = value as Record<string, unknown>;
  // No AST node has a `line` field; only Position does (ast.ts).
  if (typeof record.line === 'number') return { line: record.line + delta, column: record.column };
  const out: Record<string, unknown> = {};
  for (const key in record) out[key] = copy(record[key], delta);
  return out;
}

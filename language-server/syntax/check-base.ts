// Shared machinery of the syntax checker: a token cursor with CPython's notion of "how far the
// parser got", and the lightweight expression shapes the error rules need.
//
// The checker is a hand-written recursive-descent recognizer for Python 3.11's grammar
// (Grammar/python.gram). It builds no AST (tree-sitter does that); it only decides whether the
// token stream is valid and, if not, which error CPython would report. Parse functions return
// `null` on failure with the cursor restored, like pegen's rules; CPython's specialised
// `invalid_*` rules are written inline and throw `Raised`.

import type { ExpressionChecker } from './check-fstring.ts';
import { atSpan, atToken } from './locate.ts';
import type { SourceText } from './source-text.ts';
import { KEYWORDS, type LocatedError, type SyntaxErrorType, type Token } from './tokens.ts';

/** A specialised error (one of CPython's `invalid_*` rules matched). */
export class Raised {
  constructor(readonly error: LocatedError) {}
}

/** The parser asked for the token where the tokenizer failed: CPython reports the tokenizer error. */
export class TokenizerReached {}

/** CPython AST class of an expression, enough for `_PyPegen_get_expr_name` and target checks. */
export type ShapeKind =
  | 'Name' | 'Attribute' | 'Subscript' | 'Starred' | 'Tuple' | 'List' | 'Call' | 'Constant' | 'BinOp'
  | 'UnaryOp' | 'BoolOp' | 'Compare' | 'IfExp' | 'Lambda' | 'NamedExpr' | 'Await' | 'Yield' | 'YieldFrom'
  | 'GeneratorExp' | 'ListComp' | 'SetComp' | 'DictComp' | 'Dict' | 'Set' | 'JoinedStr' | 'Slice';

export interface Shape {
  kind: ShapeKind;
  /** Token index span [start, end) in the stream. */
  start: number;
  end: number;
  /** For constants: 'None', 'True', 'False', 'Ellipsis' or 'literal'. */
  constant?: string;
  /** Tuple/List elements. */
  elts?: Shape[];
  /** Starred operand; for Compare the left operand. */
  value?: Shape;
  /** Comparison operators (for the `in` special case of for-targets). */
  ops?: string[];
  /**
   * What the expression starts with, for CPython's lookahead `!(list|tuple|genexp|'True'|'None'|'False')`:
   * one of those words, or null.
   */
  lead: string | null;
  /** A parenthesised tuple or a list display (CPython's `invalid_ann_assign_target`). */
  bracketed?: boolean;
  /** Wrapped in a group's parentheses: `(yield)` is an expression, not a yield statement. */
  grouped?: boolean;
  /** Produced by bitwise_or or tighter (no comparison/not/and/or/if/lambda at the top). */
  bitwise: boolean;
}

export class Checker {
  pos = 0;
  /** Furthest token index examined outside invalid-rule exploration: CPython's generic error location. */
  furthest = 0;
  /** Furthest token index examined at all, CPython's `p->tokens[p->fill - 1]`. */
  fetched = 0;
  /** > 0 while trying CPython's `invalid_*` alternatives, which must not move `furthest`. */
  quiet = 0;
  /** > 0 inside CPython's `*_without_invalid` rules: no specialised errors there. */
  noInvalid = 0;
  /** Furthest token index examined since the innermost memoised rule started. */
  private reach = 0;
  /**
   * Memoised `expression` results by position and mode, as pegen memoises rules: the
   * specialised-error lookaheads re-read the same text, which is exponential without it
   * (`a b c d ...`).
   */
  private readonly memo = new Map<number, { shape: Shape | null; end: number; reach: number }>();

  /** `checkFStringExpr` checks an f-string field's `(expr)` text (injected to avoid a module cycle). */
  constructor(readonly tokens: Token[], readonly src: SourceText, readonly checkFStringExpr: ExpressionChecker) {}

  peek(k = 0): Token {
    const i = Math.min(this.pos + k, this.tokens.length - 1);
    this.touch(i);
    const t = this.tokens[i]!;
    if (t.kind === 'ERRORTOKEN') throw new TokenizerReached();
    return t;
  }

  /** Records that token `i` was looked at. */
  private touch(i: number): void {
    if (this.quiet === 0 && i > this.furthest) this.furthest = i;
    if (i > this.fetched) this.fetched = i;
    if (i > this.reach) this.reach = i;
  }

  /**
   * Runs `rule` once per position and `mode` (a small integer: the rule and its flags); a repeat
   * restores its result, and counts the tokens it looked at as looked at again. Errors
   * (exceptions) are never memoised.
   */
  memoised(mode: number, rule: () => Shape | null): Shape | null {
    const key = this.pos * 8 + mode;
    const hit = this.memo.get(key);
    if (hit) {
      this.pos = hit.end;
      this.touch(hit.reach);
      return hit.shape;
    }
    const outerReach = this.reach;
    this.reach = this.pos;
    try {
      const shape = rule();
      this.memo.set(key, { shape, end: this.pos, reach: this.reach });
      return shape;
    } finally {
      this.reach = Math.max(outerReach, this.reach);
    }
  }

  /** Is the token at +k the operator `text`? */
  op(text: string, k = 0): boolean {
    const t = this.peek(k);
    return t.kind === 'OP' && t.text === text;
  }

  /** Is the token at +k the (hard or soft) keyword `text`? */
  kw(text: string, k = 0): boolean {
    const t = this.peek(k);
    return t.kind === 'NAME' && t.text === text;
  }

  /** Is the token at +k a NAME that is not a reserved keyword? */
  name(k = 0): boolean {
    const t = this.peek(k);
    return t.kind === 'NAME' && !KEYWORDS.has(t.text);
  }

  kind(k = 0): Token['kind'] {
    return this.peek(k).kind;
  }

  /** Consumes the operator or keyword `text` if it is next. */
  eat(text: string): boolean {
    const t = this.peek();
    if ((t.kind === 'OP' || t.kind === 'NAME') && t.text === text) {
      this.pos++;
      return true;
    }
    return false;
  }

  eatName(): boolean {
    if (!this.name()) return false;
    this.pos++;
    return true;
  }

  eatKind(kind: Token['kind']): boolean {
    if (this.kind() !== kind) return false;
    this.pos++;
    return true;
  }

  /** Whether CPython's specialised-error rules are active here. */
  get invalidRules(): boolean {
    return this.noInvalid === 0;
  }

  /** Runs an `invalid_*` exploration from the current position; the cursor is always restored. */
  explore<T>(fn: () => T): T {
    const save = this.pos;
    this.quiet++;
    try {
      return fn();
    } finally {
      this.quiet--;
      this.pos = save;
    }
  }

  token(i: number): Token {
    return this.tokens[Math.min(i, this.tokens.length - 1)]!;
  }

  raiseAt(tokenIndex: number, message: string, type: SyntaxErrorType = 'SyntaxError'): never {
    throw new Raised(atToken(this.src, this.token(tokenIndex), message, type));
  }

  /** RAISE_SYNTAX_ERROR_KNOWN_LOCATION/RANGE: from the start of `a` to the end of `b`. */
  raiseSpan(a: { start: number }, b: { end: number }, message: string): never {
    throw new Raised(atSpan(this.src, this.token(a.start), this.token(b.end - 1), message));
  }

  /** CPython's RAISE_SYNTAX_ERROR without a location: at the last token fetched. */
  raiseHere(message: string, type: SyntaxErrorType = 'SyntaxError'): never {
    this.peek();
    return this.raiseAt(this.pos, message, type);
  }
}

export function shape(kind: ShapeKind, start: number, end: number, extra: Partial<Shape> = {}): Shape {
  return { kind, start, end, lead: null, bitwise: true, ...extra };
}

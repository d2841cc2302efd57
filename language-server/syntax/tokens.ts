// Token model of our CPython-3.11-like tokenizer. It exists only to find syntax errors the way
// CPython does (the AST itself comes from tree-sitter); hence the CPython-specific details such
// as NEWLINE tokens spanning a trailing comment and zero-width INDENT/DEDENT tokens.

export type TokenKind =
  | 'NAME' | 'NUMBER' | 'STRING' | 'OP' | 'NEWLINE' | 'INDENT' | 'DEDENT' | 'ENDMARKER'
  /** Where the tokenizer gave up; reaching it means CPython reports the tokenizer's error. */
  | 'ERRORTOKEN';

export interface Token {
  kind: TokenKind;
  /** Source text of the token ('' for NEWLINE/INDENT/DEDENT/ENDMARKER/ERRORTOKEN). */
  text: string;
  /** UTF-16 indices into the source. INDENT/DEDENT sit at the first non-blank character of their line. */
  start: number;
  end: number;
  /** Bracket nesting depth after the token, as CPython's `token->level`. */
  level: number;
}

export type SyntaxErrorType = 'SyntaxError' | 'IndentationError' | 'TabError';

/**
 * A syntax error in CPython's coordinates: 1-based `line`, 1-based code-point `offset`; the
 * `start`/`end` UTF-16 indices give the range to underline in the editor.
 */
export interface LocatedError {
  message: string;
  type: SyntaxErrorType;
  line: number;
  offset: number;
  start: number;
  end: number;
  /**
   * UTF-16 index of the compound-statement keyword whose block is missing ("expected an indented
   * block after ..."): error recovery removes that header rather than the line reported.
   */
  header?: number;
}

/**
 * How CPython surfaces a tokenizer error:
 * - `raise`: the tokenizer sets the exception itself; it also wins over a parser error that came
 *   earlier, because after a parser error CPython tokenizes the rest of the file and keeps any
 *   exception raised there.
 * - `status`: the tokenizer only records a status (bad dedent, tabs, line continuation); it is
 *   reported only when the parser actually asks for that token.
 * - `eof`: end of file inside brackets (`start` is the innermost unclosed bracket); reported when
 *   the parser reaches it, or when the parser's error lies after that bracket.
 */
export interface TokenizerError extends LocatedError {
  kind: 'raise' | 'status' | 'eof';
  /**
   * Set when brackets were still open where the tokenizer stopped: CPython reports the innermost
   * one as never closed instead of a parser error found on a later line.
   */
  unclosed?: LocatedError;
}

export interface TokenStream {
  tokens: Token[];
  /** Set when tokenizing stopped early; the stream then ends with an ERRORTOKEN. */
  error: TokenizerError | null;
}

export const KEYWORDS: ReadonlySet<string> = new Set([
  'False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue',
  'def', 'del', 'elif', 'else', 'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in',
  'is', 'lambda', 'nonlocal', 'not', 'or', 'pass', 'raise', 'return', 'try', 'while', 'with', 'yield',
]);

/** Soft keywords that CPython's invalid-syntax heuristics treat specially. */
export const SOFT_KEYWORDS: ReadonlySet<string> = new Set(['_', 'case', 'match', 'type']);

/** Operators, longest first so that a greedy scan picks the right one. */
export const OPERATORS: readonly string[] = [
  '**=', '//=', '>>=', '<<=', '...',
  '!=', '%=', '&=', '**', '*=', '+=', '-=', '->', '//', '/=', ':=', '<<', '<=', '==', '>=', '>>',
  '@=', '^=', '|=', '<>',
  '(', ')', '[', ']', '{', '}', ':', ',', ';', '+', '-', '*', '/', '|', '&', '<', '>', '=', '.',
  '%', '~', '^', '@',
];

export function isName(t: Token, text?: string): boolean {
  return t.kind === 'NAME' && (text === undefined || t.text === text);
}

export function isOp(t: Token, text: string): boolean {
  return t.kind === 'OP' && t.text === text;
}

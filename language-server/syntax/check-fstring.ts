// f-string checks. Python 3.11 tokenizes an f-string as one STRING token and parses its inside
// while building the AST (Parser/string_parser.c: fstring_find_literal, fstring_find_expr,
// fstring_compile_expr); this is a transcription of those scanners. Each replacement field's
// expression is then checked as `(expr)`, CPython's way, and its errors get the "f-string: "
// prefix with a line counted from the string and an offset relative to `(expr)` (as CPython 3.11
// reports them).

import type { LocatedError } from './tokens.ts';

/** What went wrong inside an f-string token. */
export interface FStringProblem {
  message: string;
  /** Set for errors inside a replacement field's expression (already in CPython's coordinates). */
  located?: { line: number; offset: number; start: number; end: number };
}

/** Checks an expression's text; supplied by the caller to avoid a module cycle. */
export type ExpressionChecker = (source: string) => LocatedError | null;

class Problem {
  constructor(readonly problem: FStringProblem) {}
}

/**
 * Checks the STRING token `text` starting at document index `at`; `line` is its 1-based line.
 * Returns null for a non-f-string or a valid one.
 */
export function checkFString(text: string, at: number, line: number, checkExpr: ExpressionChecker): FStringProblem | null {
  const prefix = /^[A-Za-z]*/.exec(text)![0].toLowerCase();
  if (!prefix.includes('f')) return null;
  const quote = text.startsWith(text[prefix.length]!.repeat(3), prefix.length) ? 3 : 1;
  const scanner = new Scanner(text, prefix.length + quote, text.length - quote, prefix.includes('r'), at, line, checkExpr);
  try {
    scanner.parse(0);
    return null;
  } catch (e) {
    if (e instanceof Problem) return e.problem;
    throw e;
  }
}

class Scanner {
  constructor(
    readonly text: string, public i: number, readonly end: number, readonly raw: boolean,
    readonly at: number, readonly line: number, readonly checkExpr: ExpressionChecker,
  ) {}

  fail(message: string): never {
    throw new Problem({ message });
  }

  /** fstring_parse: literals and fields until the end, or until `}` in a format spec. */
  parse(level: number): void {
    for (;;) {
      this.literal(level);
      if (this.i >= this.end || this.text[this.i] === '}') break;
      this.field(level);
    }
    if (level > 0 && (this.i >= this.end || this.text[this.i] !== '}')) this.fail("f-string: expecting '}'");
  }

  /** fstring_find_literal: stops at `{` or `}`; `{{`/`}}` are literal braces at the top level. */
  literal(level: number): void {
    const t = this.text;
    while (this.i < this.end) {
      let ch = t[this.i++]!;
      if (!this.raw && ch === '\\' && this.i < this.end) {
        ch = t[this.i++]!;
        if (ch === 'N') {
          // `\N{NAME}`: its braces are not a replacement field.
          if (this.i < this.end && t[this.i++] === '{') while (this.i < this.end && t[this.i++] !== '}');
          continue;
        }
      }
      if (ch !== '{' && ch !== '}') continue;
      if (level === 0) {
        if (this.i < this.end && t[this.i] === ch) {
          this.i++;
          continue;
        }
        if (ch === '}') this.fail("f-string: single '}' is not allowed");
      }
      this.i--;
      return;
    }
  }

  /** fstring_find_expr: `{expr[=][!c][:spec]}`, the cursor on the `{`. */
  field(level: number): void {
    if (level >= 2) this.fail('f-string: expressions nested too deeply');
    const t = this.text;
    const exprStart = ++this.i;
    const stack: string[] = [];
    let quote = '';
    let triple = false;
    for (; this.i < this.end; this.i++) {
      const ch = t[this.i]!;
      if (ch === '\\') this.fail('f-string expression part cannot include a backslash');
      if (quote) {
        if (ch === quote && (!triple || (t[this.i + 1] === ch && t[this.i + 2] === ch && this.i + 2 < this.end))) {
          if (triple) this.i += 2;
          quote = '';
        }
        continue;
      }
      if (ch === "'" || ch === '"') {
        triple = this.i + 2 < this.end && t[this.i + 1] === ch && t[this.i + 2] === ch;
        if (triple) this.i += 2;
        quote = ch;
      } else if (ch === '[' || ch === '{' || ch === '(') {
        if (stack.length >= 200) this.fail('f-string: too many nested parenthesis');
        stack.push(ch);
      } else if (ch === '#') {
        this.fail("f-string expression part cannot include '#'");
      } else if (stack.length === 0 && '!:}=<>'.includes(ch)) {
        const next = t[this.i + 1];
        if (this.i + 1 < this.end && next === '=' && '!=<>'.includes(ch)) {
          this.i++;
          continue;
        }
        if (ch === '<' || ch === '>') continue;
        break;
      } else if (ch === ']' || ch === '}' || ch === ')') {
        const open = stack.pop();
        if (!open) this.fail(`f-string: unmatched '${ch}'`);
        if ('([{'.indexOf(open) !== ')]}'.indexOf(ch)) {
          this.fail(`f-string: closing parenthesis '${ch}' does not match opening parenthesis '${open}'`);
        }
      }
    }
    if (quote) this.fail('f-string: unterminated string');
    if (stack.length) this.fail(`f-string: unmatched '${stack[stack.length - 1]}'`);
    if (this.i >= this.end) this.fail("f-string: expecting '}'");
    this.compile(exprStart, this.i);
    if (t[this.i] === '=') {
      this.i++;
      while (/\s/.test(t[this.i] ?? '')) this.i++;
      if (this.i >= this.end) this.fail("f-string: expecting '}'");
    }
    if (t[this.i] === '!') {
      this.i++;
      if (this.i >= this.end) this.fail("f-string: expecting '}'");
      const conversion = t[this.i++];
      if (conversion !== 's' && conversion !== 'r' && conversion !== 'a') {
        this.fail("f-string: invalid conversion character: expected 's', 'r', or 'a'");
      }
    }
    if (this.i < this.end && t[this.i] === ':') {
      this.i++;
      if (this.i >= this.end) this.fail("f-string: expecting '}'");
      this.parse(level + 1);
    }
    if (this.i >= this.end || t[this.i] !== '}') this.fail("f-string: expecting '}'");
    this.i++;
  }

  /** fstring_compile_expr: blank expressions are errors; others are checked as `(expr)`. */
  compile(start: number, end: number): void {
    const expr = this.text.slice(start, end);
    if (/^[ \t\n\f\r]*$/.test(expr)) {
      const next = this.text[end];
      this.fail(next === '!' || next === ':' || next === '=' ? `f-string: expression required before '${next}'` : 'f-string: empty expression not allowed');
    }
    const inner = this.checkExpr(`(${expr})`);
    if (!inner) return;
    const linesBefore = (this.text.slice(0, start).match(/\r\n?|\n/g) ?? []).length;
    throw new Problem({
      message: `f-string: ${inner.message}`,
      located: { line: this.line + linesBefore + inner.line - 1, offset: inner.offset, start: this.at + start, end: this.at + end },
    });
  }
}

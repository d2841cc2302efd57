// Syntax errors are reported the way CPython 3.11 reports them: same exception type, message,
// line and column (SyntaxError.offset). Expectations were taken from CPython 3.11's
// `compile(source, 'f.py', 'exec')`; the tests do not run Python.

import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { parse, setup } from './helpers.ts';

interface Expected {
  name: string;
  source: string;
  type: 'SyntaxError' | 'IndentationError' | 'TabError';
  message: string;
  line: number;
  col: number;
}

const CASES: Expected[] = [
  { name: "unclosed paren at EOF", source: "x = (1,\n", type: 'SyntaxError', message: "'(' was never closed", line: 1, col: 5 },
  { name: "unclosed bracket with later lines", source: "x = [1,\ny = 2\n", type: 'SyntaxError', message: "'[' was never closed", line: 1, col: 5 },
  { name: "unclosed brace", source: "x = {1:\ny = 2\n", type: 'SyntaxError', message: "'{' was never closed", line: 1, col: 5 },
  { name: "unclosed call spanning later lines", source: "def f(x):\n    x = g(h(x), 2\n    return x\n", type: 'SyntaxError', message: "'(' was never closed", line: 2, col: 10 },
  { name: "parser error before an unclosed bracket", source: "x = f(a b)\ny = (1,\n", type: 'SyntaxError', message: "invalid syntax. Perhaps you forgot a comma?", line: 1, col: 7 },
  { name: "dangling attribute dot", source: "class A:\n    def f(self):\n        self.fc1 = nn.\n        self.fc2 = 1\n", type: 'SyntaxError', message: "invalid syntax", line: 3, col: 23 },
  { name: "incomplete binary operation", source: "x = 1 +\n", type: 'SyntaxError', message: "invalid syntax", line: 1, col: 8 },
  { name: "incomplete binary operation before comment", source: "x = 1 +  # c\n", type: 'SyntaxError', message: "invalid syntax", line: 1, col: 10 },
  { name: "two names side by side at statement level", source: "x = a b\n", type: 'SyntaxError', message: "invalid syntax", line: 1, col: 7 },
  { name: "missing colon after def", source: "def f(x)\n    pass\n", type: 'SyntaxError', message: "expected ':'", line: 1, col: 9 },
  { name: "missing colon after async def", source: "async def f(x)\n    pass\n", type: 'SyntaxError', message: "expected ':'", line: 1, col: 15 },
  { name: "missing colon after if", source: "if x\n    pass\n", type: 'SyntaxError', message: "expected ':'", line: 1, col: 5 },
  { name: "missing colon after elif", source: "if x:\n    pass\nelif y\n    pass\n", type: 'SyntaxError', message: "expected ':'", line: 3, col: 7 },
  { name: "missing colon after else", source: "if x:\n    pass\nelse\n    pass\n", type: 'SyntaxError', message: "expected ':'", line: 3, col: 5 },
  { name: "missing colon after class", source: "class A\n    pass\n", type: 'SyntaxError', message: "expected ':'", line: 1, col: 8 },
  { name: "missing colon after class with bases", source: "class A(B)\n    pass\n", type: 'SyntaxError', message: "expected ':'", line: 1, col: 11 },
  { name: "missing colon after for", source: "for x in y\n    pass\n", type: 'SyntaxError', message: "expected ':'", line: 1, col: 11 },
  { name: "missing colon after while", source: "while x\n    pass\n", type: 'SyntaxError', message: "expected ':'", line: 1, col: 8 },
  { name: "missing colon after with", source: "with a as b\n    pass\n", type: 'SyntaxError', message: "expected ':'", line: 1, col: 12 },
  { name: "missing colon after try", source: "try\n    pass\nexcept:\n    pass\n", type: 'SyntaxError', message: "expected ':'", line: 1, col: 4 },
  { name: "missing colon after except", source: "try:\n    pass\nexcept E\n    pass\n", type: 'SyntaxError', message: "expected ':'", line: 3, col: 9 },
  { name: "missing colon with trailing comment", source: "if x  # c\n    pass\n", type: 'SyntaxError', message: "expected ':'", line: 1, col: 7 },
  { name: "missing open paren after def name", source: "def f\n    pass\n", type: 'SyntaxError', message: "expected '('", line: 1, col: 6 },
  { name: "unexpected indent", source: "x = 1\n    y = 2\n", type: 'IndentationError', message: "unexpected indent", line: 2, col: 4 },
  { name: "unexpected indent with a tab", source: "x = 1\n\ty = 2\n", type: 'IndentationError', message: "unexpected indent", line: 2, col: 1 },
  { name: "unindent mismatch", source: "if x:\n        a = 1\n    b = 2\n", type: 'IndentationError', message: "unindent does not match any outer indentation level", line: 3, col: 10 },
  { name: "unindent mismatch without final newline", source: "if x:\n        a = 1\n    b = 2", type: 'IndentationError', message: "unindent does not match any outer indentation level", line: 3, col: 10 },
  { name: "inconsistent tabs and spaces", source: "if x:\n\ty = 1\n        z = 2\n", type: 'TabError', message: "inconsistent use of tabs and spaces in indentation", line: 3, col: 1 },
  { name: "indented block missing after if", source: "x = 1\nif x:\ny = 2\n", type: 'IndentationError', message: "expected an indented block after 'if' statement on line 2", line: 3, col: 1 },
  { name: "indented block missing after def", source: "def f():\nreturn 1\n", type: 'IndentationError', message: "expected an indented block after function definition on line 1", line: 2, col: 1 },
  { name: "indented block missing after class", source: "class A:\n\nx = 1\n", type: 'IndentationError', message: "expected an indented block after class definition on line 1", line: 3, col: 1 },
  { name: "indented block missing after for", source: "for i in x:\npass\n", type: 'IndentationError', message: "expected an indented block after 'for' statement on line 1", line: 2, col: 1 },
  { name: "indented block missing after while", source: "while 1:\npass\n", type: 'IndentationError', message: "expected an indented block after 'while' statement on line 1", line: 2, col: 1 },
  { name: "indented block missing after with", source: "with a:\npass\n", type: 'IndentationError', message: "expected an indented block after 'with' statement on line 1", line: 2, col: 1 },
  { name: "indented block missing after try", source: "try:\npass\n", type: 'IndentationError', message: "expected an indented block after 'try' statement on line 1", line: 2, col: 1 },
  { name: "indented block missing after except", source: "try:\n    pass\nexcept:\npass\n", type: 'IndentationError', message: "expected an indented block after 'except' statement on line 3", line: 4, col: 1 },
  { name: "indented block missing after finally", source: "try:\n    pass\nfinally:\npass\n", type: 'IndentationError', message: "expected an indented block after 'finally' statement on line 3", line: 4, col: 1 },
  { name: "indented block missing after else", source: "if a:\n    pass\nelse:\npass\n", type: 'IndentationError', message: "expected an indented block after 'else' statement on line 3", line: 4, col: 1 },
  { name: "indented block missing after elif", source: "if a:\n    pass\nelif b:\npass\n", type: 'IndentationError', message: "expected an indented block after 'elif' statement on line 3", line: 4, col: 1 },
  { name: "indented block missing at end of file", source: "def f():\n", type: 'IndentationError', message: "expected an indented block after function definition on line 1", line: 1, col: 9 },
  { name: "indented block missing before a dedent", source: "class A:\n    def f():\nx = 1\n", type: 'IndentationError', message: "expected an indented block after function definition on line 2", line: 3, col: 0 },
  { name: "indented block missing after decorated def", source: "@dec\ndef f():\nreturn 1\n", type: 'IndentationError', message: "expected an indented block after function definition on line 2", line: 3, col: 1 },
  { name: "unmatched closing paren", source: "x = (1, 2))\n", type: 'SyntaxError', message: "unmatched ')'", line: 1, col: 11 },
  { name: "unmatched closing paren alone", source: ")\n", type: 'SyntaxError', message: "unmatched ')'", line: 1, col: 1 },
  { name: "mismatched closing bracket", source: "x = (1, 2]\n", type: 'SyntaxError', message: "closing parenthesis ']' does not match opening parenthesis '('", line: 1, col: 10 },
  { name: "mismatched closing paren", source: "x = [1, 2)\n", type: 'SyntaxError', message: "closing parenthesis ')' does not match opening parenthesis '['", line: 1, col: 10 },
  { name: "mismatched bracket on another line", source: "x = (1,\n  2]\n", type: 'SyntaxError', message: "closing parenthesis ']' does not match opening parenthesis '(' on line 1", line: 2, col: 4 },
  { name: "forgotten comma in call", source: "x = f(a b)\n", type: 'SyntaxError', message: "invalid syntax. Perhaps you forgot a comma?", line: 1, col: 7 },
  { name: "forgotten comma in list", source: "x = [a b]\n", type: 'SyntaxError', message: "invalid syntax. Perhaps you forgot a comma?", line: 1, col: 6 },
  { name: "forgotten comma in tuple", source: "x = (a b)\n", type: 'SyntaxError', message: "invalid syntax. Perhaps you forgot a comma?", line: 1, col: 6 },
  { name: "forgotten comma across lines", source: "x = [1, 2\ny = 3]\n", type: 'SyntaxError', message: "invalid syntax. Perhaps you forgot a comma?", line: 1, col: 9 },
  { name: "forgotten comma after attribute", source: "f(a.b c)\n", type: 'SyntaxError', message: "invalid syntax. Perhaps you forgot a comma?", line: 1, col: 3 },
  { name: "no comma hint for a soft-keyword prefix", source: "x = f(c bytes)\n", type: 'SyntaxError', message: "invalid syntax", line: 1, col: 9 },
  { name: "unterminated string", source: "x = 'abc\n", type: 'SyntaxError', message: "unterminated string literal (detected at line 1)", line: 1, col: 5 },
  { name: "unterminated string before more code", source: "x = \"abc\ny = 2\n", type: 'SyntaxError', message: "unterminated string literal (detected at line 1)", line: 1, col: 5 },
  { name: "unterminated triple-quoted string", source: "x = \"\"\"abc\ndef\n", type: 'SyntaxError', message: "unterminated triple-quoted string literal (detected at line 2)", line: 1, col: 5 },
  { name: "tokenizer error wins over an earlier parser error", source: "x = f(a b)\ny = 'abc\n", type: 'SyntaxError', message: "unterminated string literal (detected at line 2)", line: 2, col: 5 },
  { name: "assignment to a call", source: "f() = 1\n", type: 'SyntaxError', message: "cannot assign to function call here. Maybe you meant '==' instead of '='?", line: 1, col: 1 },
  { name: "assignment to a call in a chain", source: "f() = g() = 1\n", type: 'SyntaxError', message: "cannot assign to function call", line: 1, col: 1 },
  { name: "assignment to a literal", source: "1 = x\n", type: 'SyntaxError', message: "cannot assign to literal here. Maybe you meant '==' instead of '='?", line: 1, col: 1 },
  { name: "assignment to an expression", source: "x + 1 = 2\n", type: 'SyntaxError', message: "cannot assign to expression here. Maybe you meant '==' instead of '='?", line: 1, col: 1 },
  { name: "assignment to a call inside a tuple", source: "(a, f()) = 1\n", type: 'SyntaxError', message: "cannot assign to function call", line: 1, col: 5 },
  { name: "assignment to None", source: "None = 1\n", type: 'SyntaxError', message: "cannot assign to None", line: 1, col: 1 },
  { name: "equals in if condition", source: "if x = 1:\n    pass\n", type: 'SyntaxError', message: "invalid syntax. Maybe you meant '==' or ':=' instead of '='?", line: 1, col: 4 },
  { name: "augmented assignment to a call", source: "f() += 1\n", type: 'SyntaxError', message: "'function call' is an illegal expression for augmented assignment", line: 1, col: 1 },
  { name: "positional argument after keyword", source: "f(x=1, 2)\n", type: 'SyntaxError', message: "positional argument follows keyword argument", line: 1, col: 9 },
  { name: "non-default parameter after default", source: "def f(x=1, y):\n    pass\n", type: 'SyntaxError', message: "non-default argument follows default argument", line: 1, col: 12 },
  { name: "generator argument must be parenthesized", source: "f(x for x in y, 1)\n", type: 'SyntaxError', message: "Generator expression must be parenthesized", line: 1, col: 3 },
  { name: "expected else in conditional expression", source: "x = a if b\n", type: 'SyntaxError', message: "expected 'else' after 'if' expression", line: 1, col: 5 },
  { name: "python 2 print statement", source: "print \"hi\"\n", type: 'SyntaxError', message: "Missing parentheses in call to 'print'. Did you mean print(...)?", line: 1, col: 1 },
  { name: "invalid decimal literal", source: "x = 1abc\n", type: 'SyntaxError', message: "invalid decimal literal", line: 1, col: 5 },
  { name: "leading zeros", source: "x = 0777\n", type: 'SyntaxError', message: "leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers", line: 1, col: 5 },
  { name: "invalid digit in binary literal", source: "x = 0b102\n", type: 'SyntaxError', message: "invalid digit '2' in binary literal", line: 1, col: 9 },
  { name: "invalid character", source: "x = a €\n", type: 'SyntaxError', message: "invalid character '€' (U+20AC)", line: 1, col: 7 },
  { name: "invalid non-printable character", source: "x = a b\n", type: 'SyntaxError', message: "invalid non-printable character U+00A0", line: 1, col: 6 },
  { name: "unexpected character after continuation", source: "x = 1 \\ y\n", type: 'SyntaxError', message: "unexpected character after line continuation character", line: 1, col: 8 },
  { name: "f-string single closing brace", source: "x = f'}'\n", type: 'SyntaxError', message: "f-string: single '}' is not allowed", line: 1, col: 9 },
  { name: "f-string expecting closing brace", source: "x = f'{'\n", type: 'SyntaxError', message: "f-string: expecting '}'", line: 1, col: 9 },
  { name: "f-string empty expression", source: "x = f'{}'\n", type: 'SyntaxError', message: "f-string: empty expression not allowed", line: 1, col: 10 },
  { name: "f-string invalid conversion", source: "x = f'{a!x}'\n", type: 'SyntaxError', message: "f-string: invalid conversion character: expected 's', 'r', or 'a'", line: 1, col: 13 },
  { name: "f-string expression error", source: "x = 1\ny = 2\nz = f'{a b}'\n", type: 'SyntaxError', message: "f-string: invalid syntax. Perhaps you forgot a comma?", line: 3, col: 2 },
  { name: "bytes mixed with str", source: "x = b'a' 'b'\n", type: 'SyntaxError', message: "cannot mix bytes and nonbytes literals", line: 1, col: 13 },
  { name: "truncated unicode escape", source: "x = \"\\u3c6\"\n", type: 'SyntaxError', message: "(unicode error) 'unicodeescape' codec can't decode bytes in position 0-4: truncated \\uXXXX escape", line: 1, col: 12 },
  { name: "keyword as attribute name", source: "x.class = 1\n", type: 'SyntaxError', message: "invalid syntax", line: 1, col: 3 },
  { name: "trailing comma in from-import", source: "from x import a,\n", type: 'SyntaxError', message: "trailing comma not allowed without surrounding parentheses", line: 1, col: 17 },
  { name: "return outside function", source: "return 1\n", type: 'SyntaxError', message: "'return' outside function", line: 1, col: 1 },
  { name: "break outside loop", source: "break\n", type: 'SyntaxError', message: "'break' outside loop", line: 1, col: 1 },
  { name: "continue outside loop", source: "while x:\n    pass\nelse:\n    continue\n", type: 'SyntaxError', message: "'continue' not properly in loop", line: 4, col: 5 },
  { name: "yield outside function", source: "x = yield 1\n", type: 'SyntaxError', message: "'yield' outside function", line: 1, col: 5 },
  { name: "await outside function", source: "x = await y\n", type: 'SyntaxError', message: "'await' outside function", line: 1, col: 5 },
  { name: "duplicate parameter", source: "def f(a, b, a):\n    pass\n", type: 'SyntaxError', message: "duplicate argument 'a' in function definition", line: 1, col: 13 },
  { name: "repeated keyword argument", source: "f(a=1, a=2)\n", type: 'SyntaxError', message: "keyword argument repeated: a", line: 1, col: 8 },
  { name: "starred assignment value", source: "x = *a\n", type: 'SyntaxError', message: "can't use starred expression here", line: 1, col: 5 },
  { name: "future import not at top", source: "import os\nfrom __future__ import annotations\n", type: 'SyntaxError', message: "from __future__ imports must occur at the beginning of the file", line: 2, col: 1 },
];

describe('syntax errors in CPython 3.11 words', () => {
  before(setup);

  for (const c of CASES) {
    it(c.name, () => {
      const [first] = parse(c.source).errors;
      assert.ok(first, 'no error reported');
      assert.deepEqual(
        { type: first.type, message: first.message, line: first.line, col: first.col },
        { type: c.type, message: c.message, line: c.line, col: c.col },
      );
    });
  }

  it('gives each error a range on the reported line', () => {
    for (const c of CASES) {
      const [first] = parse(c.source).errors;
      assert.equal(first!.range.start.line, first!.line - 1, c.name);
      const { start, end } = first!.range;
      assert.ok(end.line > start.line || (end.line === start.line && end.column >= start.column), c.name);
    }
  });

  it('reports no errors for valid code', () => {
    const valid = [
      'x = 1\n', 'match = 1\nmatch(x)\n', 'type = 1\ntype(x).y = 2\n', 'print >> f, x\n', 'print(*a, sep="")\n',
      'def f(a, /, b=1, *c, d, e=2, **g) -> int:\n    return a\n', 'x = [i for i in range(3) if i if i]\n',
      'async def f():\n    async with a as b:\n        await b\n', 'x = f"{a!r:>{w}} {b=}"\n', 'x[:, None, ..., 1:3]\n',
      'if x:  # c\n    pass\n', 'x = (\n    1,  # c\n)\n', 'z = 1 + \\\n    2\n', 'x = 1; y = 2;\n',
      'match x:\n    case [a, *rest] if a:\n        pass\n    case _:\n        pass\n',
    ];
    for (const source of valid) assert.deepEqual(parse(source).errors, [], source);
  });
});

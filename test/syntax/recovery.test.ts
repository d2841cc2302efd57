// Error recovery: CPython stops at the first error, but the AST keeps everything that parses.
// Only the broken statement is dropped; the first reported error is CPython's.

import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { Stmt } from '../../language-server/syntax/ast.ts';
import { as, parse, setup } from './helpers.ts';

const names = (body: Stmt[]) => body.map((s) => (s.kind === 'ClassDef' || s.kind === 'FunctionDef' ? s.name : s.kind));

describe('error recovery', () => {
  before(setup);

  it('keeps the classes after a class with a broken method', () => {
    const source = [
      'class Broken(nn.Module):',
      '    def __init__(self):',
      '        super().__init__()',
      '        self.fc1 = nn.',
      '        self.fc2 = nn.Linear(120, 10)',
      '',
      '    def forward(self, x):',
      '        return self.fc2(x)',
      '',
      'class Fine(nn.Module):',
      '    def forward(self, x):',
      '        return x',
      '',
      'def helper():',
      '    return 1',
    ].join('\n');
    const result = parse(source);
    assert.deepEqual(result.errors.map((e) => [e.message, e.line, e.col]), [['invalid syntax', 4, 23]]);
    assert.deepEqual(names(result.module.body), ['Broken', 'Fine', 'helper']);
    const broken = as(result.module.body[0], 'ClassDef');
    assert.deepEqual(names(broken.body), ['__init__', 'forward']);
    // Only the broken statement is gone: the placeholder written in its place is not in the AST.
    const init = as(broken.body[0], 'FunctionDef');
    assert.deepEqual(init.body.map((s) => s.range.start.line), [2, 4]);
  });

  it('keeps a method whose only statement is broken, with an empty body', () => {
    const result = parse('class A:\n    def f(self):\n        return (1 +\n\n    def g(self):\n        return 2\n');
    assert.equal(result.errors[0]!.message, "'(' was never closed");
    const cls = as(result.module.body[0], 'ClassDef');
    assert.deepEqual(names(cls.body), ['f', 'g']);
    assert.deepEqual(as(cls.body[0], 'FunctionDef').body, []);
  });

  it('continues after an unclosed bracket on the lines that follow it', () => {
    const source = 'def forward(x):\n    x = g(h(x), 2\n    x = x.view(-1)\n    return x\n';
    const result = parse(source);
    assert.deepEqual(result.errors.map((e) => [e.message, e.line]), [["'(' was never closed", 2]]);
    const fn = as(result.module.body[0], 'FunctionDef');
    assert.deepEqual(fn.body.map((s) => s.kind), ['Assign', 'Return']);
  });

  it('drops a definition with a broken header and keeps its neighbours', () => {
    const result = parse('def f(x)\n    return x\n\nclass A:\n    pass\n');
    assert.equal(result.errors[0]!.message, "expected ':'");
    assert.deepEqual(names(result.module.body), ['A']);
  });

  it('reports further errors after the first, CPython\'s, one', () => {
    const result = parse('x = (1,\ny = 2\nprint "hi"\nz = 3\n');
    assert.equal(result.errors[0]!.message, "'(' was never closed");
    assert.ok(result.errors.some((e) => e.message.startsWith('Missing parentheses in call to')));
    assert.deepEqual(result.module.body.map((s) => s.range.start.line), [1, 3]);
  });

  it('survives an unterminated string and bad indentation', () => {
    const result = parse('a = 1\nb = "oops\nc = 3\n    d = 4\ne = 5\n');
    assert.equal(result.errors[0]!.message, 'unterminated string literal (detected at line 2)');
    assert.ok(result.errors.some((e) => e.type === 'IndentationError'));
    assert.deepEqual(result.module.body.map((s) => s.range.start.line), [0, 2, 4]);
  });

  it('never throws on garbage', () => {
    for (const source of ['', '\n', ')))', '(((', '"""', 'def', '@', '\\', 'class:', '\t\t x', '\0', 'if x:\nelse:\n', '😀😀']) {
      const result = parse(source);
      assert.equal(result.module.kind, 'Module');
    }
  });
});

// The incremental parser must return exactly what a fresh whole-file parse returns (AST and
// syntax errors), whatever it reused. Property test: sequences of generated edits (characters and
// lines inserted and deleted at many offsets, some breaking the syntax and later undone) on every
// corpus model and eval fixture, through one IncrementalParser per file as an open document
// would use it; every intermediate text is compared with `parsePython`.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { before, describe, it } from 'node:test';
import { inspectSource } from '../../language-server/analysis/inspect.ts';
import { IncrementalParser } from '../../language-server/syntax/incremental-parse.ts';
import { initParser, parsePython } from '../../language-server/syntax/parse.ts';
import { seededRandom } from '../support/seeded-random.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SOURCES = [
  ...pyFiles(join(ROOT, 'corpus/models')),
  ...pyFiles(join(ROOT, 'fixtures/eval')),
];
const EDITS_PER_FILE = 40;

function pyFiles(dir: string): string[] {
  return readdirSync(dir).filter((f) => f.endsWith('.py')).sort().map((f) => join(dir, f));
}

/** Snippets an edit inserts: harmless ones, and ones that break the syntax in different ways. */
const INSERTS = [
  'x', '1', ' ', '\n', '\n\n', '# note\n', '(', ')', ':', '"', "'''", '"""', '\\', '\\\n', '\t', '\f', '\ufeff', 'pass\n', 'else:\n',
  'elif y:\n', 'except E:\n', '@', '@dec\n', 'return 1\n', 'yield\n', 'await x\n', 'nonlocal q\n', 'from __future__ import annotations\n',
  '    ', 'é', '𝑥', 'async ', 'class K:\n    pass\n', 'if x:\n', 'match p:\n    case 1:\n        pass\n', 'print ', 'lambda: 0',
];

interface Edit { describe: string; apply(text: string): string }

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  return starts;
}

function generateEdit(text: string, rnd: () => number): Edit {
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const at = Math.floor(rnd() * (text.length + 1));
  const starts = lineStarts(text);
  const line = Math.floor(rnd() * starts.length);
  const lineStart = starts[line]!;
  const lineEnd = starts[line + 1] ?? text.length;
  switch (Math.floor(rnd() * 7)) {
    case 0: {
      const s = pick(INSERTS);
      return { describe: `insert ${JSON.stringify(s)} at ${at}`, apply: (t) => t.slice(0, at) + s + t.slice(at) };
    }
    case 1:
      return { describe: `delete the character at ${at}`, apply: (t) => t.slice(0, at) + t.slice(at + 1) };
    case 2:
      return { describe: `insert a blank line before line ${line}`, apply: (t) => `${t.slice(0, lineStart)}\n${t.slice(lineStart)}` };
    case 3:
      return { describe: `delete line ${line}`, apply: (t) => t.slice(0, lineStart) + t.slice(lineEnd) };
    case 4:
      return { describe: `duplicate line ${line}`, apply: (t) => t.slice(0, lineEnd) + t.slice(lineStart, lineEnd) + t.slice(lineEnd) };
    case 5: {
      // A number in the text changed, as when a layer's size is edited.
      const m = /\d+/g;
      m.lastIndex = at;
      const found = m.exec(text);
      if (!found) return { describe: 'nothing', apply: (t) => t };
      const i = found.index;
      return { describe: `change the number at ${i}`, apply: (t) => t.slice(0, i) + String(Number(found[0]) + 1) + t.slice(i + found[0].length) };
    }
    default:
      return { describe: `delete lines ${line}..${line + 2}`, apply: (t) => t.slice(0, lineStart) + t.slice(starts[line + 3] ?? t.length) };
  }
}

describe('incremental parse', () => {
  before(() => initParser());

  it('finds the sources', () => {
    assert.ok(SOURCES.length >= 60, `only ${SOURCES.length} files`);
  });

  // How the property test's parses went: it must exercise reuse and moves, not only the fallback.
  const tally = { whole: 0, partial: 0, moved: 0 };

  SOURCES.forEach((file, fileIndex) => {
    // Every fourth file with Windows line breaks (SourceText's universal newlines).
    const crlf = fileIndex % 4 === 3;
    it(`equals the whole-file parse after every edit: ${file.slice(ROOT.length)}${crlf ? ' (CRLF)' : ''}`, () => {
      const text0 = readFileSync(file, 'utf8');
      const original = crlf ? text0.replace(/\r?\n/g, '\r\n') : text0;
      const rnd = seededRandom(1000 + fileIndex);
      const parser = new IncrementalParser();
      const history: string[] = [];
      let text = original;
      const check = (what: string): void => {
        history.push(what);
        assert.deepStrictEqual(parser.parse(text), parsePython(text), `after: ${history.join('; ')}`);
        const last = parser.last!;
        if (last.path === 'whole') tally.whole++;
        else if (last.parsed > 0 && last.parsed < last.chunks) tally.partial++;
        if (last.moved > 0) tally.moved++;
      };
      check('open');
      for (let i = 0; i < EDITS_PER_FILE; i++) {
        const r = rnd();
        if (r < 0.15) {
          text = original;
          check('back to the original');
        } else {
          const edit = generateEdit(text, rnd);
          text = edit.apply(text);
          check(edit.describe);
        }
      }
    });
  });

  it('exercised reused, moved and fallback parses', () => {
    const total = SOURCES.length * (EDITS_PER_FILE + 1);
    for (const [what, n] of Object.entries(tally)) assert.ok(n > total / 10, `${what}: ${n} of ${total} parses`);
  });

  it('reuses unchanged statements: one edited number lowers one statement again', () => {
    const source = readFileSync(join(ROOT, 'corpus/models/gpt_mini.py'), 'utf8');
    const parser = new IncrementalParser();
    parser.parse(source);
    assert.equal(parser.last?.path, 'chunks');
    const chunks = parser.last!.chunks;
    assert.ok(chunks > 5, `only ${chunks} chunks`);
    const edited = source.replace(/n_embd: int = (\d+)/, (_, n: string) => `n_embd: int = ${Number(n) + 16}`);
    assert.notEqual(edited, source);
    assert.deepStrictEqual(parser.parse(edited), parsePython(edited));
    assert.deepEqual(parser.last, { path: 'chunks', chunks, parsed: 1, moved: 0 });
    // Lines inserted at the top (a comment: a chunk of its own) move every statement below them
    // without lowering them again.
    const shifted = `# header\n\n${edited}`;
    assert.deepStrictEqual(parser.parse(shifted), parsePython(shifted));
    assert.deepEqual(parser.last, { path: 'chunks', chunks: chunks + 1, parsed: 1, moved: chunks });
  });

  it('keeps else/elif/except/finally, decorators and trailing comments with their statement', () => {
    const source = [
      'import torch', '', '@decorator', '# between', '@other(1)', 'def f():', '    pass', '# after f', '',
      'if x:', '    a = 1', 'elif y:', '    a = 2', 'else:', '    a = 3', 'try:', '    pass', 'except E:', '    pass',
      'finally:', '    pass', 'for i in r:', '    pass', 'else:', '    pass', 'b = (1,', '2)', 'c = 3; d = 4', '',
    ].join('\n');
    const parser = new IncrementalParser();
    assert.deepStrictEqual(parser.parse(source), parsePython(source));
    assert.deepEqual(parser.last, { path: 'chunks', chunks: 7, parsed: 7, moved: 0 });
  });

  it('takes the whole-file parse for syntax and compile errors, and recovers the chunks after', () => {
    const good = 'from __future__ import annotations\nimport torch\n\nclass A:\n    x = 1\n';
    const parser = new IncrementalParser();
    parser.parse(good);
    for (const broken of [good.replace('x = 1', 'x = (1'), `import os\n${good}`, `${good}return 1\n`]) {
      const result = parser.parse(broken);
      assert.equal(parser.last?.path, 'whole');
      assert.ok(result.errors.length > 0);
      assert.deepStrictEqual(result, parsePython(broken));
    }
    assert.deepStrictEqual(parser.parse(good), parsePython(good));
    assert.deepEqual(parser.last, { path: 'chunks', chunks: 3, parsed: 0, moved: 0 });
  });

  it('hands out ASTs that the analysis does not change (reused statements stay as lowered)', async () => {
    for (const file of pyFiles(join(ROOT, 'corpus/models'))) {
      const source = readFileSync(file, 'utf8');
      const parser = new IncrementalParser();
      const parsed = parser.parse(source);
      const before = structuredClone(parsed);
      await inspectSource(source, file, { parsed });
      assert.deepStrictEqual(parsed, before, file);
      // The next parse hands out those very statements again.
      const again = parser.parse(source);
      if (parser.last?.path === 'chunks') assert.ok(again.module.body.every((s, i) => s === parsed.module.body[i]), file);
    }
  });
});

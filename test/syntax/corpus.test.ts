// Every model file in the corpus (test/corpus, a copy of ../shared/corpus) lowers; only the two broken_syntax_* files have syntax
// errors, and their first error is the one CPython reported when importing them.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { before, describe, it } from 'node:test';
import { initParser, parsePython } from '../../language-server/syntax/parse.ts';

const CORPUS = fileURLToPath(new URL('../corpus/models', import.meta.url));
const EXPECTED_FIRST_ERROR: Readonly<Record<string, [string, number]>> = {
  'broken_syntax_dangling.py': ['invalid syntax', 11],
  'broken_syntax_unclosed.py': ["'(' was never closed", 16],
};

describe('model corpus', () => {
  before(() => initParser());

  const files = readdirSync(CORPUS).filter((f) => f.endsWith('.py')).sort();

  it('finds the corpus', () => {
    assert.ok(files.length >= 30, `only ${files.length} files in ${CORPUS}`);
  });

  for (const file of files) {
    it(file, () => {
      const source = readFileSync(join(CORPUS, file), 'utf8');
      const result = parsePython(source);
      const expected = EXPECTED_FIRST_ERROR[file];
      if (expected) {
        const [first] = result.errors;
        assert.deepEqual([first?.message, first?.line], expected);
      } else {
        assert.deepEqual(result.errors, []);
      }
      // Every file defines at least one nn.Module subclass, broken or not.
      assert.ok(result.module.body.some((s) => s.kind === 'ClassDef'), 'no class lowered');
    });
  }

  it('keeps the classes of the broken files', () => {
    for (const file of Object.keys(EXPECTED_FIRST_ERROR)) {
      const result = parsePython(readFileSync(join(CORPUS, file), 'utf8'));
      const net = result.module.body.find((s) => s.kind === 'ClassDef');
      assert.ok(net && net.kind === 'ClassDef');
      assert.deepEqual(net.body.map((s) => (s.kind === 'FunctionDef' ? s.name : s.kind)), ['__init__', 'forward']);
    }
  });
});

// web-tree-sitter frees a tree's WASM memory only on `delete()`: every tree parsePython creates
// must be deleted before it returns, including the per-statement fallback parses.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Parser, Tree } from 'web-tree-sitter';
import { initParser, parsePython } from '../../language-server/syntax/parse.ts';

describe('tree-sitter lifecycle', () => {
  let created = 0;
  let deleted = 0;
  const originalParse = Parser.prototype.parse;
  const originalDelete = Tree.prototype.delete;

  before(async () => {
    await initParser();
    Parser.prototype.parse = function (this: Parser, ...args: Parameters<Parser['parse']>) {
      const tree = originalParse.apply(this, args);
      if (tree) created++;
      return tree;
    };
    Tree.prototype.delete = function (this: Tree) {
      deleted++;
      originalDelete.call(this);
    };
  });

  after(() => {
    Parser.prototype.parse = originalParse;
    Tree.prototype.delete = originalDelete;
  });

  it('initParser is idempotent, also when called concurrently', async () => {
    await Promise.all([initParser(), initParser()]);
    await initParser();
  });

  it('deletes every tree it creates', () => {
    const sources = [
      'x = 1\n',
      'class A:\n    def f(self):\n        self.x = nn.\n',
      'def f(:\n',
      // Valid Python that tree-sitter cannot read (odd indentation inside brackets) takes the
      // per-statement fallback path, which parses several trees.
      'x = 1\ndef f():\n    (a.\nb)\n    return 1\ny = 2\n',
    ];
    for (const source of sources) {
      const before = created;
      parsePython(source);
      assert.ok(created > before, 'a tree was parsed');
      assert.equal(deleted, created, `trees left undeleted after ${JSON.stringify(source)}`);
    }
  });
});

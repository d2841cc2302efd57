// `nnlens lsp --stdio` runs the same server for other editors. The CLI hook lives in
// language-server/cli.ts; until it is there this test is skipped, and says why.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileUri, openDocument, readFile, root, startServer } from './server-process.ts';

const cliSource = fs.readFileSync(path.join(root, 'language-server/cli.ts'), 'utf8');
const hooked = /startServer/.test(cliSource);
const bundle = path.join(root, 'dist/cli.mjs');

test('nnlens lsp --stdio answers hover and diagnostics', {
  skip: !hooked ? 'language-server/cli.ts does not call startServer yet (nnlens lsp --stdio not wired)'
    : !fs.existsSync(bundle) ? 'dist/cli.mjs is missing: run npm run build' : false,
}, async () => {
  const { client, initializeResult, stop } = await startServer({ command: [path.join(root, 'bin/nnlens.mjs'), 'lsp', '--stdio'] });
  try {
    assert.equal(initializeResult.serverInfo?.name, 'NN Lens');
    const uri = fileUri('examples/broken_shapes.py');
    const [d] = await openDocument(client, uri, readFile('examples/broken_shapes.py'));
    assert.equal(d.message, 'RuntimeError: mat1 and mat2 shapes cannot be multiplied (1x2048 and 1568x128)');
  } finally {
    await stop();
  }
});

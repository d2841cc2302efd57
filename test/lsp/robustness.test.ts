// The server's manners over stdio: what it declares, position encodings with non-ASCII text,
// debounced and cached analyses, LSP cancellation, and bad input that must never kill it.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { CodeLens, Hover, MarkupContent } from 'vscode-languageserver/node.js';
import type { ListModelsResult } from '../../language-server/protocol/requests.ts';
import type { LspClient } from './lsp-client.ts';
import { fileUri, openDocument, positionOf, readFile, startServer, waitForDiagnostics } from './server-process.ts';

describe('initialize', () => {
  test('capabilities: full sync, hover, CodeLens, UTF-16 positions by default', async () => {
    const { initializeResult, stop } = await startServer();
    await stop();
    assert.deepEqual(initializeResult.capabilities, {
      positionEncoding: 'utf-16',
      textDocumentSync: { openClose: true, change: 1 },
      hoverProvider: true,
      codeLensProvider: { resolveProvider: false },
    });
    assert.equal(initializeResult.serverInfo?.name, 'NN Lens');
  });
});

describe('position encodings with non-ASCII text', () => {
  const file = 'test/lsp/fixtures/non_ascii.py';
  const text = readFile(file);
  const uri = fileUri(file);
  // `        t = "ü😀"; return y.view(7)`: the error starts after 26 UTF-16 units, 29 UTF-8 bytes, 25 code points.
  const cases = [
    { offered: undefined, encoding: 'utf-16', errorStart: 26, selfFc: 23, className: [6, 11] },
    { offered: ['utf-16', 'utf-8'], encoding: 'utf-16', errorStart: 26, selfFc: 23, className: [6, 11] },
    { offered: ['utf-8'], encoding: 'utf-8', errorStart: 29, selfFc: 26, className: [6, 13] },
    { offered: ['utf-32'], encoding: 'utf-32', errorStart: 25, selfFc: 22, className: [6, 11] },
  ];
  for (const c of cases) {
    test(`client offers ${JSON.stringify(c.offered ?? 'nothing')}: the server speaks ${c.encoding}`, async () => {
      const { client, initializeResult, stop } = await startServer(c.offered ? { positionEncodings: c.offered } : {});
      try {
        assert.equal(initializeResult.capabilities.positionEncoding, c.encoding);
        const [d] = await openDocument(client, uri, text);
        assert.equal(d.message, "RuntimeError: shape '[7]' is invalid for input of size 3");
        assert.deepEqual(d.range.start, { line: 12, character: c.errorStart });
        // Hover on `self.fc` after `s = "ä😀"; ` at the column of that encoding.
        const hover = await client.call<Hover>('textDocument/hover', { textDocument: { uri }, position: { line: 11, character: c.selfFc + 6 } });
        assert.match((hover.contents as MarkupContent).value, /^```python\nLinear\(in_features=4, out_features=3, bias=True\)\n```/);
        assert.deepEqual(hover.range, { start: { line: 11, character: c.selfFc }, end: { line: 11, character: c.selfFc + 7 } });
        const [model] = (await client.call<ListModelsResult>('nnLens/listModels', { textDocument: { uri } })).models;
        assert.deepEqual([model?.nameRange.start.character, model?.nameRange.end.character], c.className);
        assert.equal(model?.className, 'Größe');
      } finally {
        await stop();
      }
    });
  }
});

describe('analysis scheduling', () => {
  let client: LspClient;
  let stop: () => Promise<void>;
  const file = 'examples/tutorial_network.py';
  const uri = fileUri(file);
  const text = readFile(file);
  before(async () => ({ client, stop } = await startServer()));
  after(() => stop());
  const analysed = (): (number | undefined)[] => client.notifications.filter((n) => n.method === 'nnLens/analysisStatus' && n.params.uri === uri).map((n) => n.params.version);

  test('a burst of edits costs one analysis of the last text; stale versions are never published', async () => {
    await openDocument(client, uri, text);
    for (let version = 2; version <= 6; version++) {
      client.notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text: text.replace('out_features=10', `out_features=${version}`) }] });
    }
    const published = await waitForDiagnostics(client, uri, 6);
    assert.deepEqual(published.diagnostics, []);
    await client.waitForNotification((n) => n.method === 'nnLens/analysisStatus' && n.params.uri === uri && n.params.version === 6, 'analysis status of version 6');
    assert.deepEqual(analysed(), [1, 6]);
    const lenses = await client.call<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
    assert.equal(lenses[1]?.command?.title, 'input [1, 1, 28, 28] → output [1, 6]');
  });

  test('results are cached per version: more requests, no more analyses', async () => {
    const before = analysed().length;
    for (let i = 0; i < 3; i++) {
      await client.call('textDocument/hover', { textDocument: { uri }, position: positionOf(text, 'class Network', 'Network') });
      await client.call('textDocument/codeLens', { textDocument: { uri } });
    }
    assert.equal(analysed().length, before);
  });

  test('a request waiting for an analysis honours $/cancelRequest', async () => {
    client.notify('textDocument/didChange', { textDocument: { uri, version: 7 }, contentChanges: [{ text }] });
    const pending = client.request('textDocument/hover', { textDocument: { uri }, position: positionOf(text, 'class Network', 'Network') });
    client.notify('$/cancelRequest', { id: pending.id });
    const response = await pending.response;
    assert.equal(response.error?.code, -32800, JSON.stringify(response));
    await waitForDiagnostics(client, uri, 7);
    const hover = await client.call<Hover>('textDocument/hover', { textDocument: { uri }, position: positionOf(text, 'class Network', 'Network') });
    assert.match((hover.contents as MarkupContent).value, /\*\*32,998\*\* parameters/);
  });
});

describe('bad input never kills the server', () => {
  let client: LspClient;
  let stop: () => Promise<void>;
  const uri = fileUri('examples/lenet.py');
  before(async () => {
    ({ client, stop } = await startServer());
    await openDocument(client, uri, readFile('examples/lenet.py'));
  });
  after(() => stop());

  const garbage: [string, unknown][] = [
    ['textDocument/hover', null],
    ['textDocument/hover', { textDocument: { uri } }],
    ['textDocument/hover', { textDocument: { uri: 5 }, position: { line: 0, character: 0 } }],
    ['textDocument/hover', { textDocument: { uri }, position: { line: -1, character: 'x' } }],
    ['textDocument/codeLens', []],
    ['nnLens/listModels', 'model.py'],
    ['nnLens/setInput', { textDocument: { uri }, className: 42, input: null }],
    ['nnLens/setInput', { textDocument: { uri }, className: 'LeNet5', input: { shape: 'big' } }],
    ['nnLens/getTensor', { textDocument: { uri }, className: 'LeNet5', tensor: { kind: 'gradient', name: 'x' } }],
  ];
  for (const [method, params] of garbage) {
    test(`${method} with ${JSON.stringify(params)} is invalid params`, async () => {
      const r = await client.request(method, params).response;
      assert.equal(r.error?.code, -32602, JSON.stringify(r));
    });
  }

  test('unknown documents: no hover, no lenses', async () => {
    const other = 'file:///not/open.py';
    assert.equal(await client.call('textDocument/hover', { textDocument: { uri: other }, position: { line: 0, character: 0 } }), null);
    assert.deepEqual(await client.call('textDocument/codeLens', { textDocument: { uri: other } }), []);
  });

  test('positions past the end of the text answer nothing', async () => {
    assert.equal(await client.call('textDocument/hover', { textDocument: { uri }, position: { line: 10_000, character: 3 } }), null);
  });

  test('an unknown method is MethodNotFound; a malformed message is dropped; the server still answers', async () => {
    const r = await client.request('nnLens/doesNotExist', {}).response;
    assert.equal(r.error?.code, -32601);
    client.sendRaw('{"jsonrpc": "2.0", "id": 999, "method": ');
    client.notify('textDocument/didChange', { textDocument: { uri: 'file:///never/opened.py', version: 3 }, contentChanges: [{ text: 'x = (' }] });
    const { models } = await client.call<ListModelsResult>('nnLens/listModels', { textDocument: { uri } });
    assert.equal(models[0]?.className, 'LeNet5');
    assert.equal(client.process.exitCode, null);
  });
});

// textDocument/publishDiagnostics over the real server: syntax, construction and forward errors at
// the line Python raises them with PyTorch's words (the corpus truth), the call that supplied a
// failing input, hints for unsupported constructs and unused layers, and silence on healthy files.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import type { Diagnostic } from 'vscode-languageserver/node.js';
import type { LspClient } from './lsp-client.ts';
import { fileUri, openDocument, readFile, root, startServer } from './server-process.ts';
import { corpusFiles, singleInput, truthOf } from './truth.ts';

let client: LspClient;
let stop: () => Promise<void>;
before(async () => ({ client, stop } = await startServer()));
after(() => stop());

const Error = 1;
const Hint = 4;
const errors = (diagnostics: Diagnostic[]): Diagnostic[] => diagnostics.filter((d) => d.severity === Error);

/** Sets a class's input and returns the diagnostics published for the analysis that follows. */
async function diagnosticsAfterSetInput(uri: string, className: string, input: unknown): Promise<Diagnostic[]> {
  const seen = client.notifications.length;
  await client.call('nnLens/setInput', { textDocument: { uri }, className, input });
  const published = await client.waitForNotification(
    (n) => client.notifications.indexOf(n) >= seen && n.method === 'textDocument/publishDiagnostics' && n.params.uri === uri,
    `diagnostics of ${uri} after setInput`,
  );
  return published.params.diagnostics ?? [];
}

describe('healthy files have no errors', () => {
  const healthy = [
    ...fs.readdirSync(`${root}/examples`).filter((f) => f.endsWith('.py') && !f.startsWith('broken')).map((f) => `examples/${f}`),
    ...corpusFiles().filter((f) => {
      const t = truthOf(f);
      return t.import.status === 'ok' && t.classes.every((c) => !c.instance || (c.instance.status === 'ok' && c.instance.forward?.status !== 'error'));
    }).map((f) => `test/corpus/models/${f}`),
  ];
  for (const file of healthy) {
    test(file, async () => {
      const diagnostics = await openDocument(client, fileUri(file), readFile(file));
      assert.deepEqual(errors(diagnostics), []);
    });
  }
});

describe('examples/broken_shapes.py', () => {
  test('the forward error at the line Python raises it, with PyTorch\'s message and the call that supplied the input', async () => {
    const uri = fileUri('examples/broken_shapes.py');
    const diagnostics = await openDocument(client, uri, readFile('examples/broken_shapes.py'));
    assert.deepEqual(diagnostics, [{
      range: { start: { line: 21, character: 19 }, end: { line: 21, character: 30 } },
      severity: Error,
      code: 'forward-error',
      source: 'NN Lens',
      message: 'RuntimeError: mat1 and mat2 shapes cannot be multiplied (1x2048 and 1568x128)',
      relatedInformation: [{
        location: { uri, range: { start: { line: 28, character: 4 }, end: { line: 28, character: 36 } } },
        message: "CifarCNN's forward input [1, 3, 32, 32] comes from this call",
      }],
    }]);
  });
});

describe('broken corpus files: type, message and line as real PyTorch reports them', () => {
  for (const file of corpusFiles().filter((f) => f.startsWith('broken_') || f === 'network_undefined_layer.py')) {
    const truth = truthOf(file);
    test(file, async () => {
      const uri = fileUri(`test/corpus/models/${file}`);
      let diagnostics = await openDocument(client, uri, readFile(`test/corpus/models/${file}`));
      if (truth.import.status === 'error') {
        const e = truth.import.error!;
        assert.equal(errors(diagnostics)[0]?.message, `${e.type}: ${e.message}`);
        assert.deepEqual(errors(diagnostics)[0]?.range.start, { line: e.line - 1, character: e.col - 1 });
        return;
      }
      for (const cls of truth.classes) {
        const failure = cls.instance?.status === 'construct_error' ? cls.instance.error : cls.instance?.forward?.error;
        if (!failure) continue;
        const input = singleInput(file, cls.name);
        if (cls.instance?.status === 'ok' && input) diagnostics = await diagnosticsAfterSetInput(uri, cls.name, input);
        const hit = errors(diagnostics).find((d) => d.message === `${failure.type}: ${failure.message}`);
        assert.ok(hit, `${cls.name}: no '${failure.type}: ${failure.message}' among ${JSON.stringify(errors(diagnostics).map((d) => d.message))}`);
        assert.equal(hit.range.start.line, failure.line - 1, `${cls.name}: line`);
      }
    });
  }
});

describe('hints', () => {
  test('an unsupported import and a layer forward never calls', async () => {
    const uri = fileUri('test/lsp/fixtures/unsupported_and_unused.py');
    const diagnostics = await openDocument(client, uri, readFile('test/lsp/fixtures/unsupported_and_unused.py'));
    assert.deepEqual(diagnostics.map((d) => [d.severity, d.code, d.range.start.line + 1, d.message, d.tags]), [
      [Hint, 'unsupported-import', 4, "module 'einops' is not available to NN Lens; names imported from it are unknown values", undefined],
      [Hint, 'layer-not-called', 11, "Linear 'unused' is defined but forward never calls it (18 parameters unused)", [1]],
    ]);
  });

  test('nnLens.diagnostics.layersNotCalled: false silences the unused-layer hint', async () => {
    const uri = fileUri('test/lsp/fixtures/unsupported_and_unused.py');
    const seen = client.notifications.length;
    client.notify('workspace/didChangeConfiguration', { settings: { nnLens: { diagnostics: { layersNotCalled: false } } } });
    const n = await client.waitForNotification((m) => client.notifications.indexOf(m) >= seen && m.method === 'textDocument/publishDiagnostics' && m.params.uri === uri, 'republished diagnostics');
    assert.deepEqual(n.params.diagnostics?.map((d) => d.code), ['unsupported-import']);
    client.notify('workspace/didChangeConfiguration', { settings: { nnLens: {} } });
  });

  test('closing a document clears its diagnostics', async () => {
    const uri = fileUri('examples/broken_shapes.py');
    const seen = client.notifications.length;
    client.notify('textDocument/didClose', { textDocument: { uri } });
    const n = await client.waitForNotification((m) => client.notifications.indexOf(m) >= seen && m.method === 'textDocument/publishDiagnostics' && m.params.uri === uri && m.params.version === undefined, 'cleared diagnostics');
    assert.deepEqual(n.params.diagnostics, []);
    const hover = await client.request('textDocument/hover', { textDocument: { uri }, position: { line: 21, character: 20 } }).response;
    assert.deepEqual(hover, { jsonrpc: '2.0', id: hover.id, result: null }, 'a closed document has nothing to show');
  });
});

// textDocument/codeLens over the real server: exact titles above classes and layers, the commands
// they carry, the nnLens.codeLens.* settings, and one quiet hint for a class that cannot be evaluated.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { LspClient } from './lsp-client.ts';
import { fileUri, openDocument, readFile, startServer } from './server-process.ts';

interface Lens { range: { start: { line: number } }; command: { title: string; command: string; arguments?: unknown[] } }

async function lenses(client: LspClient, uri: string): Promise<Lens[]> {
  return client.call<Lens[]>('textDocument/codeLens', { textDocument: { uri } });
}
const titlesByLine = (all: Lens[]): string[] => all.map((l) => `${l.range.start.line + 1}: ${l.command.title}`);

describe('CodeLens with default settings', () => {
  let client: LspClient;
  let stop: () => Promise<void>;
  before(async () => ({ client, stop } = await startServer()));
  after(() => stop());

  test('examples/tutorial_network.py: counts, input → output, actions, and one lens per layer', async () => {
    const uri = fileUri('examples/tutorial_network.py');
    await openDocument(client, uri, readFile('examples/tutorial_network.py'));
    const all = await lenses(client, uri);
    assert.deepEqual(titlesByLine(all), [
      '8: 32,998 params',
      '8: input [1, 1, 28, 28] → output [1, 10]',
      '8: ▶ Run forward',
      '8: ▦ Weights',
      '11: weight [6, 1, 5, 5] · bias [6] · 156 params · → [1, 6, 24, 24]',
      '12: weight [12, 6, 5, 5] · bias [12] · 1,812 params · → [1, 12, 8, 8]',
      '14: weight [120, 192] · bias [120] · 23,160 params · → [1, 120]',
      '15: weight [60, 120] · bias [60] · 7,260 params · → [1, 60]',
      '16: weight [10, 60] · bias [10] · 610 params · → [1, 10]',
    ]);
    const byTitle = new Map(all.map((l) => [l.command.title, l.command]));
    assert.deepEqual(byTitle.get('▶ Run forward'), { title: '▶ Run forward', command: 'nnLens.runForward', arguments: [uri, 'Network'] });
    assert.deepEqual(byTitle.get('▦ Weights'), { title: '▦ Weights', command: 'nnLens.showWeights', arguments: [uri, 'Network'] });
    assert.equal(byTitle.get('input [1, 1, 28, 28] → output [1, 10]')?.command, 'nnLens.setInputShape');
    assert.equal(byTitle.get('32,998 params')?.command, '', 'a count is a label, not a button');
  });

  test('examples/broken_shapes.py: the failing layer and the ones forward never reached', async () => {
    const uri = fileUri('examples/broken_shapes.py');
    await openDocument(client, uri, readFile('examples/broken_shapes.py'));
    assert.deepEqual(titlesByLine(await lenses(client, uri)).filter((t) => !/Run forward|Weights/.test(t)), [
      '9: 207,210 params',
      '9: input [1, 3, 32, 32] → ✖ RuntimeError (line 22)',
      '12: weight [16, 3, 3, 3] · bias [16] · 448 params · → [1, 16, 32, 32]',
      '13: weight [32, 16, 3, 3] · bias [32] · 4,640 params · → [1, 32, 16, 16]',
      '14: no params · → [1, 16, 16, 16] · [1, 32, 8, 8]',
      '15: weight [128, 1568] · bias [128] · 200,832 params · → ✖ raised',
      '16: weight [10, 128] · bias [10] · 1,290 params · not reached',
    ]);
  });

  test('a class that cannot be evaluated gets one hint and no layer lenses', async () => {
    const uri = fileUri('test/lsp/fixtures/unbuilt_block.py');
    await openDocument(client, uri, readFile('test/lsp/fixtures/unbuilt_block.py'));
    assert.deepEqual(titlesByLine(await lenses(client, uri)), ['6: not evaluated: needs width (build one in the file to see it)']);
  });

  test('a class built by another model is shown as that model builds it', async () => {
    const uri = fileUri('examples/gpt_small.py');
    await openDocument(client, uri, readFile('examples/gpt_small.py'));
    const titles = titlesByLine(await lenses(client, uri));
    assert.ok(titles.includes('64: needs config · shown as transformer.h.0.mlp in GPT'), titles.join('\n'));
    assert.ok(titles.includes('67: weight [256, 64] · 16,384 params · → [1, 16, 256]'), titles.join('\n'));
  });

  test('a construction error is the class lens', async () => {
    const uri = fileUri('test/corpus/models/broken_ctor_kwarg.py');
    await openDocument(client, uri, readFile('test/corpus/models/broken_ctor_kwarg.py'));
    assert.deepEqual(titlesByLine(await lenses(client, uri)), ['6: ✖ construction fails: TypeError (line 9)']);
  });
});

describe('CodeLens settings', () => {
  test('nnLens.codeLens.layers and .actions turn their lenses off; didChangeConfiguration applies and asks for a refresh', async () => {
    const { client, stop } = await startServer({ settings: { codeLens: { layers: false } } });
    try {
      const uri = fileUri('examples/tutorial_network.py');
      await openDocument(client, uri, readFile('examples/tutorial_network.py'));
      assert.deepEqual(titlesByLine(await lenses(client, uri)), ['8: 32,998 params', '8: input [1, 1, 28, 28] → output [1, 10]', '8: ▶ Run forward', '8: ▦ Weights']);

      client.notify('workspace/didChangeConfiguration', { settings: { nnLens: { codeLens: { layers: true, actions: false, models: false } } } });
      const refreshed = await waitFor(() => client.serverRequests.some((r) => r.method === 'workspace/codeLens/refresh'));
      assert.ok(refreshed, 'the server asks the client to refresh its CodeLenses');
      const titles = titlesByLine(await lenses(client, uri));
      assert.equal(titles.length, 5);
      assert.ok(titles.every((t) => /params/.test(t) && !/32,998/.test(t)), titles.join('\n'));

      client.notify('workspace/didChangeConfiguration', { settings: { nnLens: { codeLens: { enabled: false } } } });
      await waitFor(() => client.serverRequests.filter((r) => r.method === 'workspace/codeLens/refresh').length === 2);
      assert.deepEqual(await lenses(client, uri), []);
    } finally {
      await stop();
    }
  });
});

/** Polls a condition the server's messages make true (no fixed sleeps): up to 10 s. */
async function waitFor(condition: () => boolean): Promise<boolean> {
  for (let i = 0; i < 200; i++) {
    if (condition()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return condition();
}

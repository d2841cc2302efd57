// nnLens.inputShapes over the real server: a settings change re-analyses the open documents with
// the class's input from the setting, and CodeLens, hover, listModels and runForward all use it and
// say where it came from; FILE:Class keys; token ids; a bad entry is one warning, not a crash; an
// nnLens/setInput choice wins while it lasts; the setting from initializationOptions applies at once.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Hover, MarkupContent } from 'vscode-languageserver/node.js';
import type { ListModelsResult, ModelSummary, RunForwardResult, SetInputResult } from '../../language-server/protocol/requests.ts';
import type { LspClient } from './lsp-client.ts';
import { fileUri, openDocument, readFile, startServer } from './server-process.ts';

interface Lens { range: { start: { line: number } }; command: { title: string; command: string } }

const uri = fileUri('examples/tutorial_network.py');
const gpt = fileUri('examples/gpt_small.py');

async function model(client: LspClient, docUri: string, className: string): Promise<ModelSummary> {
  const { models } = await client.call<ListModelsResult>('nnLens/listModels', { textDocument: { uri: docUri } });
  return models.find((m) => m.className === className)!;
}

/** The class lens `input … → …` of the document. */
async function ioLens(client: LspClient, docUri: string): Promise<string | undefined> {
  const lenses = await client.call<Lens[]>('textDocument/codeLens', { textDocument: { uri: docUri } });
  return lenses.find((l) => l.command.command === 'nnLens.setInputShape')?.command.title;
}

function configure(client: LspClient, nnLens: unknown): void {
  client.notify('workspace/didChangeConfiguration', { settings: { nnLens } });
}

const warnings = (client: LspClient): string[] => client.notifications
  .filter((n) => n.method === 'window/showMessage' && n.params.type === 2).map((n) => n.params.message!);

describe('nnLens.inputShapes through workspace/didChangeConfiguration', () => {
  let client: LspClient;
  let stop: () => Promise<void>;
  before(async () => {
    ({ client, stop } = await startServer());
    await openDocument(client, uri, readFile('examples/tutorial_network.py'));
    await openDocument(client, gpt, readFile('examples/gpt_small.py'));
  });
  after(() => stop());

  test('a class\'s entry changes its CodeLens, hover, listModels and runForward input and output; removing it goes back', async () => {
    assert.equal(await ioLens(client, uri), 'input [1, 1, 28, 28] → output [1, 10]');
    configure(client, { inputShapes: { Network: '8, 1, 28, 28' } });
    assert.equal(await ioLens(client, uri), 'input [8, 1, 28, 28] (setting) → output [8, 10]');
    const hover = await client.call<Hover>('textDocument/hover', { textDocument: { uri }, position: { line: 7, character: 8 } });
    const markdown = (hover.contents as MarkupContent).value;
    assert.match(markdown, /\*\*Input:\*\* `\[8, 1, 28, 28\]` float32 \(randn\) — from the setting nnLens\.inputShapes\["Network"\]/);
    assert.match(markdown, /\*\*Output:\*\* `\[8, 10\]`/);
    const m = await model(client, uri, 'Network');
    assert.deepEqual(m.inputs, [{ kind: 'randn', shape: [8, 1, 28, 28], dtype: 'float32' }]);
    assert.deepEqual(m.inputSource, { kind: 'setting', text: 'from the setting nnLens.inputShapes["Network"]', setting: 'Network' });
    assert.deepEqual(m.outputShape, [8, 10]);
    const run = await client.call<RunForwardResult>('nnLens/runForward', { textDocument: { uri }, className: 'Network', device: 'cpu' });
    assert.deepEqual(run.outputShape, [8, 10]);
    assert.deepEqual(run.calls.find((c) => c.path === 'conv1')?.outputShape, [8, 6, 24, 24]);

    configure(client, { inputShapes: {} });
    assert.equal(await ioLens(client, uri), 'input [1, 1, 28, 28] → output [1, 10]');
    assert.equal((await model(client, uri, 'Network')).inputSource?.kind, 'file');
  });

  test('an input the forward cannot take shows PyTorch\'s error, from the setting', async () => {
    configure(client, { inputShapes: { Network: [1, 3, 28, 28] } });
    assert.equal(await ioLens(client, uri), 'input [1, 3, 28, 28] (setting) → ✖ RuntimeError (line 23)');
    const m = await model(client, uri, 'Network');
    assert.equal(m.status, 'forward-error');
    assert.match(m.error?.message ?? '', /expected input\[1, 3, 28, 28\] to have 1 channels, but got 3 channels instead/);
    configure(client, { inputShapes: {} });
    assert.equal((await model(client, uri, 'Network')).status, 'ok');
  });

  test('FILE:Class keys: one naming this file wins over the class name; one naming another file does not apply', async () => {
    configure(client, { inputShapes: { Network: '8, 1, 28, 28', 'examples/tutorial_network.py:Network': '2, 1, 28, 28' } });
    assert.equal(await ioLens(client, uri), 'input [2, 1, 28, 28] (setting) → output [2, 10]');
    assert.equal((await model(client, uri, 'Network')).inputSource?.setting, 'examples/tutorial_network.py:Network');
    configure(client, { inputShapes: { 'other.py:Network': '2, 1, 28, 28' } });
    assert.equal(await ioLens(client, uri), 'input [1, 1, 28, 28] → output [1, 10]');
    configure(client, { inputShapes: {} });
  });

  test('int64 entries are token ids from the given range', async () => {
    configure(client, { inputShapes: { GPT: { shape: [2, 8], dtype: 'int64', high: 128 } } });
    const m = await model(client, gpt, 'GPT');
    assert.deepEqual(m.inputs, [{ kind: 'randint', shape: [2, 8], dtype: 'int64', low: 0, high: 128 }]);
    assert.deepEqual(m.outputShape, { tuple: [[2, 1, 128], null] });
    assert.equal(m.inputSource?.kind, 'setting');
    // The other document is not touched by a GPT entry.
    assert.equal((await model(client, uri, 'Network')).inputSource?.kind, 'file');
    configure(client, { inputShapes: {} });
  });

  test('a bad entry: one warning the user sees, the entry ignored, the rest applied, no crash', async () => {
    const before = warnings(client).length;
    configure(client, { inputShapes: { Network: '1, x, 28', GPT: { shape: [1, 4], dtype: 'int64' } } });
    const warned = await client.waitForNotification((n) => n.method === 'window/showMessage' && /1, x, 28/.test(n.params.message ?? ''), 'the warning about the bad entry');
    assert.equal(warned.params.type, 2);
    assert.match(warned.params.message!, /^NN Lens: nnLens\.inputShapes\["Network"\]: "1, x, 28" is not a shape .*; the entry is ignored$/);
    assert.equal((await model(client, uri, 'Network')).inputSource?.kind, 'file');
    assert.deepEqual((await model(client, gpt, 'GPT')).inputs?.[0]?.shape, [1, 4]);
    // The same settings again (VS Code sends them on every change of any setting): no second warning.
    configure(client, { inputShapes: { Network: '1, x, 28', GPT: { shape: [1, 4], dtype: 'int64' } }, seed: 0 });
    await model(client, uri, 'Network');
    assert.equal(warnings(client).length, before + 1);
    configure(client, { inputShapes: {} });
    assert.equal((await model(client, gpt, 'GPT')).inputSource?.kind, 'file');
  });

  test('nnLens/setInput wins over the setting while it lasts; null goes back to the setting', async () => {
    configure(client, { inputShapes: { Network: '8, 1, 28, 28' } });
    const set = await client.call<SetInputResult>('nnLens/setInput', { textDocument: { uri }, className: 'Network', input: { shape: [4, 1, 28, 28] } });
    assert.deepEqual(set.model.inputSource, { kind: 'user', text: 'set with NN Lens: Set Input Shape' });
    assert.deepEqual(set.model.outputShape, [4, 10]);
    const back = await client.call<SetInputResult>('nnLens/setInput', { textDocument: { uri }, className: 'Network', input: null });
    assert.equal(back.model.inputSource?.kind, 'setting');
    assert.deepEqual(back.model.outputShape, [8, 10]);
    configure(client, { inputShapes: {} });
  });
});

describe('nnLens.inputShapes from initializationOptions', () => {
  let client: LspClient;
  let stop: () => Promise<void>;
  before(async () => ({ client, stop } = await startServer({ settings: { inputShapes: { Network: [3, 1, 28, 28], Broken: 'big' } } })));
  after(() => stop());

  test('applies to the first analysis, and a bad entry is warned about once', async () => {
    await openDocument(client, uri, readFile('examples/tutorial_network.py'));
    assert.equal(await ioLens(client, uri), 'input [3, 1, 28, 28] (setting) → output [3, 10]');
    const warned = await client.waitForNotification((n) => n.method === 'window/showMessage', 'the warning about Broken');
    assert.match(warned.params.message!, /nnLens\.inputShapes\["Broken"\]: "big" is not a shape/);
    // VS Code sends the same settings again right after initialize: still one warning.
    configure(client, { inputShapes: { Network: [3, 1, 28, 28], Broken: 'big' } });
    assert.equal(await ioLens(client, uri), 'input [3, 1, 28, 28] (setting) → output [3, 10]');
    assert.equal(warnings(client).length, 1);
  });
});

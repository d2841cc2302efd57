// The nnLens/* requests over the real server: listModels, setInput (re-analyses), and the typed
// errors of runForward and getTensor until the value tier exists.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Hover, MarkupContent } from 'vscode-languageserver/node.js';
import type { ListModelsResult, RunForwardResult, SetInputResult } from '../../language-server/protocol/requests.ts';
import type { LspClient } from './lsp-client.ts';
import { fileUri, openDocument, readFile, root, startServer } from './server-process.ts';
import fs from 'node:fs';
import path from 'node:path';

let client: LspClient;
let stop: () => Promise<void>;
const uri = fileUri('examples/tutorial_network.py');
before(async () => {
  ({ client, stop } = await startServer());
  await openDocument(client, uri, readFile('examples/tutorial_network.py'));
});
after(() => stop());

/** PyTorch's forward output (first values) of a corpus model. */
function expectedOutput(stem: string): number[] {
  const truth = JSON.parse(fs.readFileSync(path.join(root, 'test/corpus/models', `${stem}.truth.json`), 'utf8'));
  return truth.classes[0].instance.forward.outputs[0].first16;
}

describe('nnLens/listModels', () => {
  test('every model of the document with status, parameters, input and output', async () => {
    const result = await client.call<ListModelsResult>('nnLens/listModels', { textDocument: { uri } });
    assert.equal(result.uri, uri);
    assert.equal(result.version, 1);
    assert.equal(result.models.length, 1);
    const model = result.models[0]!;
    assert.equal(model.className, 'Network');
    assert.equal(model.status, 'ok');
    assert.deepEqual(model.nameRange, { start: { line: 7, character: 6 }, end: { line: 7, character: 13 } });
    assert.equal(model.parameterCount, 32998);
    assert.equal(model.trainableParameterCount, 32998);
    assert.deepEqual(model.parameters?.[0], { name: 'conv1.weight', shape: [6, 1, 5, 5], count: 150 });
    assert.deepEqual(model.inputs, [{ kind: 'randn', shape: [1, 1, 28, 28], dtype: 'float32' }]);
    assert.deepEqual(model.inputSource, { kind: 'file', text: 'from the call on line 50', range: { start: { line: 49, character: 4 }, end: { line: 49, character: 51 } } });
    assert.deepEqual(model.outputShape, [1, 10]);
  });

  test('a class that needs arguments says why', async () => {
    const gpt = fileUri('examples/gpt_small.py');
    await openDocument(client, gpt, readFile('examples/gpt_small.py'));
    const { models } = await client.call<ListModelsResult>('nnLens/listModels', { textDocument: { uri: gpt } });
    assert.deepEqual(models.map((m) => [m.className, m.status]), [
      ['LayerNorm', 'needs-arguments'], ['CausalSelfAttention', 'needs-arguments'], ['MLP', 'needs-arguments'], ['Block', 'needs-arguments'], ['GPT', 'ok'],
    ]);
    assert.equal(models[0]?.problem, 'its constructor needs ndim, bias, and the file builds no instance');
  });
});

describe('nnLens/setInput', () => {
  test('a new input shape re-analyses and answers the model with it; null goes back', async () => {
    const set = await client.call<SetInputResult>('nnLens/setInput', { textDocument: { uri }, className: 'Network', input: { shape: [8, 1, 28, 28] } });
    assert.deepEqual(set.model.inputs, [{ kind: 'randn', shape: [8, 1, 28, 28], dtype: 'float32' }]);
    assert.deepEqual(set.model.inputSource, { kind: 'user', text: 'set with NN Lens: Set Input Shape' });
    assert.deepEqual(set.model.outputShape, [8, 10]);
    const hover = await client.call<Hover>('textDocument/hover', { textDocument: { uri }, position: { line: 7, character: 8 } });
    assert.match((hover.contents as MarkupContent).value, /\*\*Input:\*\* `\[8, 1, 28, 28\]` float32 \(randn\) — set with NN Lens: Set Input Shape/);

    const wrong = await client.call<SetInputResult>('nnLens/setInput', { textDocument: { uri }, className: 'Network', input: { shape: [1, 3, 28, 28] } });
    assert.equal(wrong.model.status, 'forward-error');
    assert.deepEqual(wrong.model.error?.type, 'RuntimeError');
    assert.match(wrong.model.error?.message ?? '', /expected input\[1, 3, 28, 28\] to have 1 channels, but got 3 channels instead/);

    const back = await client.call<SetInputResult>('nnLens/setInput', { textDocument: { uri }, className: 'Network', input: null });
    assert.deepEqual(back.model.inputs?.[0]?.shape, [1, 1, 28, 28]);
    assert.equal(back.model.inputSource?.kind, 'file');
  });

  test('int64 makes token ids', async () => {
    const gpt = fileUri('examples/gpt_small.py');
    const { model } = await client.call<SetInputResult>('nnLens/setInput', { textDocument: { uri: gpt }, className: 'GPT', input: { shape: [2, 8], dtype: 'int64' } });
    assert.deepEqual(model.inputs, [{ kind: 'randint', shape: [2, 8], dtype: 'int64', low: 0, high: 2 }]);
    assert.deepEqual(model.outputShape, { tuple: [[2, 1, 128], null] });
  });

  test('a malformed shape is invalid params', async () => {
    const r = await client.request('nnLens/setInput', { textDocument: { uri }, className: 'Network', input: { shape: [1, -3] } }).response;
    assert.equal(r.error?.code, -32602);
    assert.match(r.error!.message, /params\.input\.shape must be a list of 1 to 8 non-negative integers/);
  });
});

describe('nnLens/runForward and typed errors', () => {
  test('nnLens/runForward on cpu: the output as PyTorch prints it, with PyTorch\'s values', async () => {
    // The corpus's copy of this network, whose truth holds the output values; its input as the oracle made it.
    const corpus = fileUri('test/corpus/models/network_full.py');
    await openDocument(client, corpus, readFile('test/corpus/models/network_full.py'));
    await client.call('nnLens/setInput', { textDocument: { uri: corpus }, className: 'Network', input: { shape: [1, 1, 28, 28] } });
    const r = await client.call<RunForwardResult>('nnLens/runForward', { textDocument: { uri: corpus }, className: 'Network', device: 'cpu' });
    assert.equal(r.device, 'cpu');
    assert.equal(r.fallback, undefined);
    assert.deepEqual(r.outputShape, [1, 10]);
    assert.deepEqual(r.calls.map((c) => [c.path, c.type, c.outputShape]), [
      ['', 'Network', [1, 10]], ['conv1', 'Conv2d', [1, 6, 24, 24]], ['conv2', 'Conv2d', [1, 12, 8, 8]], ['fc1', 'Linear', [1, 120]], ['fc2', 'Linear', [1, 60]], ['out', 'Linear', [1, 10]],
    ]);
    assert.match(r.printed, /^tensor\(\[\[/);
    const printed = (r.printed.match(/-?\d+\.\d+/g) ?? []).map(Number);
    const truth = expectedOutput('network_full');
    assert.equal(printed.length, truth.length);
    printed.forEach((x, i) => assert.ok(Math.abs(x - truth[i]!) <= 0.5e-4 + 1e-7, `value ${i}: ${x} printed, PyTorch ${truth[i]}`));
    assert.ok(r.timings.totalMs > 0);
  });

  test('nnLens/runForward on webgpu computes what the CPU computes (or says why it could not)', async () => {
    const gpu = await client.call<RunForwardResult>('nnLens/runForward', { textDocument: { uri }, className: 'Network', device: 'webgpu' });
    if (process.env.NNLENS_CPU_ONLY === '1') {
      assert.equal(gpu.device, 'cpu');
      assert.match(gpu.fallback!.reason, /^WebGPU is unavailable \(.+\); the forward ran on the CPU$/);
      return;
    }
    assert.equal(gpu.device, 'webgpu', JSON.stringify(gpu.fallback));
    assert.equal(gpu.fallback, undefined);
    assert.ok(gpu.adapter, 'the adapter used is named');
    const cpu = await client.call<RunForwardResult>('nnLens/runForward', { textDocument: { uri }, className: 'Network', device: 'cpu' });
    const numbers = (text: string): number[] => (text.match(/-?\d+\.\d+(e[-+]\d+)?/g) ?? []).map(Number);
    assert.equal(numbers(gpu.printed).length, 10);
    numbers(gpu.printed).forEach((x, i) => assert.ok(Math.abs(x - numbers(cpu.printed)[i]!) <= 1.01e-4, `value ${i}: webgpu ${x}, cpu ${numbers(cpu.printed)[i]}`));
    // Per-call statistics of a webgpu run (read back after the forward) match the CPU's.
    assert.equal(gpu.calls.length, cpu.calls.length);
    gpu.calls.forEach((c, i) => {
      assert.ok(typeof c.ms === 'number' && c.ms >= 0);
      for (const k of ['mean', 'std', 'min', 'max'] as const) assert.ok(Math.abs(c[k]! - cpu.calls[i]![k]!) <= 1e-3, `${c.path} ${k}: webgpu ${c[k]}, cpu ${cpu.calls[i]![k]}`);
    });
  });

  test('nnLens/runForward reports each call\'s time and output statistics; nnLens.seed changes the values', async () => {
    const r = await client.call<RunForwardResult>('nnLens/runForward', { textDocument: { uri }, className: 'Network', device: 'cpu' });
    assert.equal(r.seed, 0);
    for (const c of r.calls) {
      assert.ok(typeof c.ms === 'number' && c.ms >= 0, `${c.path}: ms ${c.ms}`);
      assert.ok(typeof c.mean === 'number' && typeof c.std === 'number' && typeof c.min === 'number' && typeof c.max === 'number', `${c.path}: ${JSON.stringify(c)}`);
      assert.ok(c.min! <= c.mean! && c.mean! <= c.max!, `${c.path}: min ${c.min} <= mean ${c.mean} <= max ${c.max}`);
      assert.ok(c.std! >= 0);
    }
    // conv1 of a randn input through a default-initialised Conv2d(1, 6, 5): small mean, std well under 1.
    const conv1 = r.calls.find((c) => c.path === 'conv1')!;
    assert.ok(Math.abs(conv1.mean!) < 0.5 && conv1.std! > 0.05 && conv1.std! < 2, JSON.stringify(conv1));
    // The model's own call encloses its children's.
    assert.ok(r.calls[0]!.ms! >= conv1.ms!);
    // The model's output statistics are those of the printed values.
    const numbers = (text: string): number[] => (text.match(/-?\d+\.\d+(e[-+]\d+)?/g) ?? []).map(Number);
    const out = numbers(r.printed);
    assert.ok(Math.abs(r.calls[0]!.mean! - out.reduce((a, b) => a + b, 0) / out.length) < 1e-3);
    assert.ok(Math.abs(r.calls[0]!.max! - Math.max(...out)) < 1e-3);
    try {
      client.notify('workspace/didChangeConfiguration', { settings: { nnLens: { seed: 7 } } });
      const seeded = await client.call<RunForwardResult>('nnLens/runForward', { textDocument: { uri }, className: 'Network', device: 'cpu' });
      assert.equal(seeded.seed, 7);
      assert.notEqual(seeded.printed, r.printed);
      assert.notEqual(seeded.calls[1]!.mean, conv1.mean);
    } finally {
      client.notify('workspace/didChangeConfiguration', { settings: { nnLens: {} } });
    }
    const again = await client.call<RunForwardResult>('nnLens/runForward', { textDocument: { uri }, className: 'Network', device: 'cpu' });
    assert.equal(again.printed, r.printed);
  });

  test('nnLens/runForward on a failing forward: the typed error with PyTorch\'s message', async () => {
    const broken = fileUri('examples/broken_shapes.py');
    await openDocument(client, broken, readFile('examples/broken_shapes.py'));
    const r = await client.request('nnLens/runForward', { textDocument: { uri: broken }, className: 'CifarCNN', device: 'cpu' }).response;
    assert.equal(r.error?.code, 4006);
    assert.deepEqual(r.error?.data, { kind: 'forwardFailed', className: 'CifarCNN', type: 'RuntimeError', message: 'mat1 and mat2 shapes cannot be multiplied (1x2048 and 1568x128)', line: 22 });
  });

  test('nnLens/runForward runs off the main thread: hover answers meanwhile, and $/cancelRequest stops it', async () => {
    const vgg = fileUri('test/corpus/models/vgg11.py');
    await openDocument(client, vgg, readFile('test/corpus/models/vgg11.py'));
    const run = client.request('nnLens/runForward', { textDocument: { uri: vgg }, className: 'VGG11', device: 'cpu' });
    let runAnswered = false;
    void run.response.then(() => { runAnswered = true; });
    const hover = await client.call<Hover | null>('textDocument/hover', { textDocument: { uri: vgg }, position: { line: 0, character: 0 } });
    assert.equal(hover, null);
    assert.equal(runAnswered, false, 'the hover was answered while the run was still going');
    client.notify('$/cancelRequest', { id: run.id });
    const r = await run.response;
    assert.equal(r.error?.code, -32800, JSON.stringify(r));
  });

  test('nnLens/runForward: an unknown device is invalid params, an unknown class a typed error', async () => {
    const device = await client.request('nnLens/runForward', { textDocument: { uri }, className: 'Network', device: 'tpu' }).response;
    assert.equal(device.error?.code, -32602);
    const cls = await client.request('nnLens/runForward', { textDocument: { uri }, className: 'Nope', device: 'cpu' }).response;
    assert.equal(cls.error?.code, 4002);
    assert.deepEqual(cls.error?.data, { kind: 'unknownModel', className: 'Nope', available: ['Network'] });
  });

  test('nnLens/getTensor: an existing parameter has values; an unknown one lists what exists', async () => {
    const known = await client.request('nnLens/getTensor', { textDocument: { uri }, className: 'Network', tensor: { kind: 'parameter', name: 'conv1.weight' } }).response;
    assert.equal(known.error, undefined, JSON.stringify(known.error));
    assert.deepEqual((known.result as { shape: number[] }).shape, [6, 1, 5, 5]);
    const unknown = await client.request('nnLens/getTensor', { textDocument: { uri }, className: 'Network', tensor: { kind: 'activation', name: 'fc9' } }).response;
    assert.equal(unknown.error?.code, 4004);
    assert.deepEqual((unknown.error?.data as { available: string[] }).available, ['', 'conv1', 'conv2', 'fc1', 'fc2', 'out']);
  });

  test('a document the server does not have', async () => {
    const missing = 'file:///nowhere/model.py';
    for (const method of ['nnLens/listModels', 'nnLens/runForward', 'nnLens/getTensor', 'nnLens/setInput']) {
      const r = await client.request(method, { textDocument: { uri: missing }, className: 'Network', device: 'cpu', tensor: { kind: 'parameter', name: 'x' }, input: null }).response;
      assert.equal(r.error?.code, 4001, method);
      assert.deepEqual(r.error?.data, { kind: 'unknownDocument', uri: missing }, method);
    }
  });
});

// nnLens/getTensor beyond one tensor: every call of a module called twice (its outputs checked
// against what PyTorch computes from the fetched weights), `minus` (compare), `channelRange` against
// the full values, values on WebGPU equal to the CPU's, and the activation memory budget.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { GetTensorResult, RunForwardResult, TensorRef } from '../../language-server/protocol/requests.ts';
import { flatIndexer, foldLayout } from '../../language-server/protocol/tensor-fold.ts';
import type { LspClient } from './lsp-client.ts';
import { fileUri, openDocument, readFile, startServer } from './server-process.ts';

// fc runs twice: the second call's input is tanh of the first call's output.
const twiceText = `import torch
import torch.nn as nn

class Twice(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 4)
        self.act = nn.Tanh()
        self.head = nn.Linear(4, 3)

    def forward(self, x):
        a = self.fc(x)
        b = self.fc(self.act(a))
        return self.head(b)

class InPlace(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 4)
        self.act = nn.ReLU(inplace=True)

    def forward(self, x):
        y = self.fc(x)
        y += 100.0
        return self.act(y)

model = Twice()
out = model(torch.randn(2, 4))
InPlace()(torch.randn(2, 4))
`;

let client: LspClient;
let stop: () => Promise<void>;
const twice = fileUri('test/lsp/fixtures/twice-not-on-disk.py');
const tutorial = fileUri('examples/tutorial_network.py');
before(async () => {
  ({ client, stop } = await startServer());
  await openDocument(client, twice, twiceText);
  await openDocument(client, tutorial, readFile('examples/tutorial_network.py'));
});
after(() => stop());

/** The whole tensor (no reduction) in C order, undoing the fold with the shared fold module. */
function fullValues(r: GetTensorResult): Float32Array {
  const bytes = Buffer.from(r.data, 'base64');
  const cells = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  assert.equal(r.exact, true, 'the request asks for every element');
  const out = new Float32Array(cells.length);
  const at = flatIndexer(r.shape, foldLayout(r.tensor.kind, r.shape));
  const cols = r.grid!.cols;
  for (let i = 0; i < cells.length; i++) out[at(Math.floor(i / cols), i % cols)] = cells[i]!;
  return out;
}

function get(uri: string, className: string, tensor: TensorRef, extra: Record<string, unknown> = {}): Promise<GetTensorResult> {
  return client.call<GetTensorResult>('nnLens/getTensor', { textDocument: { uri }, className, tensor, maxElements: 1 << 22, ...extra });
}

async function callsOf(path: string): Promise<number[]> {
  const run = await client.call<RunForwardResult>('nnLens/runForward', { textDocument: { uri: twice }, className: 'Twice', device: 'cpu' });
  return run.calls.flatMap((c, i) => (c.path === path ? [i] : []));
}

describe('nnLens/getTensor: every call, compare, channel ranges', () => {
  test('both calls of a module called twice, each what PyTorch computes', async () => {
    const fcCalls = await callsOf('fc');
    assert.equal(fcCalls.length, 2);
    const [first, second] = await Promise.all(fcCalls.map((call) => get(twice, 'Twice', { kind: 'activation', name: 'fc', call })));
    assert.deepEqual(first!.shape, [2, 4]);
    assert.deepEqual(second!.shape, [2, 4]);
    // Without `call`: the first call.
    assert.deepEqual(fullValues(await get(twice, 'Twice', { kind: 'activation', name: 'fc' })), fullValues(first!));
    const w = fullValues(await get(twice, 'Twice', { kind: 'parameter', name: 'fc.weight' }));
    const b = fullValues(await get(twice, 'Twice', { kind: 'parameter', name: 'fc.bias' }));
    const a = fullValues(first!);
    const got = fullValues(second!);
    // second = tanh(first) @ W^T + b, row by row.
    for (let n = 0; n < 2; n++) {
      for (let o = 0; o < 4; o++) {
        let y = b[o]!;
        for (let i = 0; i < 4; i++) y += Math.tanh(a[n * 4 + i]!) * w[o * 4 + i]!;
        assert.ok(Math.abs(got[n * 4 + o]! - y) < 1e-5, `fc call 2 [${n}, ${o}]: ${got[n * 4 + o]} vs ${y}`);
      }
    }
    assert.ok(got.some((x, i) => x !== a[i]), 'the two calls differ');
  });

  for (const device of ['cpu', 'webgpu']) {
    test(`a call's output is what it returned, not what later in-place ops made of it (${device})`, async () => {
      const fc = await get(twice, 'InPlace', { kind: 'activation', name: 'fc' }, { device });
      const act = await get(twice, 'InPlace', { kind: 'activation', name: 'act' }, { device });
      assert.equal(fc.device, device);
      // Linear(4, 4) of randn: far below the 100 added in place afterwards.
      assert.ok(fc.stats.max < 50, `fc output max ${fc.stats.max}`);
      assert.ok(act.stats.min > 50, `act output min ${act.stats.min}`);
    });
  }

  test('a call index that is not a call of that module, and one past the end, are unknownTensor', async () => {
    const [fcFirst] = await callsOf('fc');
    const actCall = (await callsOf('act'))[0]!;
    const wrong = await client.request('nnLens/getTensor', { textDocument: { uri: twice }, className: 'Twice', tensor: { kind: 'activation', name: 'fc', call: actCall } }).response;
    assert.equal(wrong.error?.code, 4004);
    assert.match(wrong.error!.message, /is 'act', not 'fc'/);
    const past = await client.request('nnLens/getTensor', { textDocument: { uri: twice }, className: 'Twice', tensor: { kind: 'activation', name: 'fc', call: 99 } }).response;
    assert.equal(past.error?.code, 4004);
    const onParameter = await client.request('nnLens/getTensor', { textDocument: { uri: twice }, className: 'Twice', tensor: { kind: 'parameter', name: 'fc.weight', call: fcFirst } }).response;
    assert.equal(onParameter.error?.code, -32602);
  });

  test('minus: a tensor minus itself is zeros; call 2 minus call 1 is the difference of the fetched values', async () => {
    const self = await get(tutorial, 'Network', { kind: 'parameter', name: 'conv1.weight' }, { minus: { kind: 'parameter', name: 'conv1.weight' } });
    assert.deepEqual(self.minus, { kind: 'parameter', name: 'conv1.weight' });
    assert.ok(fullValues(self).every((x) => x === 0));
    assert.equal(self.stats.min, 0);
    assert.equal(self.stats.max, 0);
    assert.equal(self.stats.zeroFraction, 1);
    const [c1, c2] = await callsOf('fc');
    const one = fullValues(await get(twice, 'Twice', { kind: 'activation', name: 'fc', call: c1 }));
    const two = fullValues(await get(twice, 'Twice', { kind: 'activation', name: 'fc', call: c2 }));
    const diff = await get(twice, 'Twice', { kind: 'activation', name: 'fc', call: c2 }, { minus: { kind: 'activation', name: 'fc', call: c1 } });
    assert.deepEqual(fullValues(diff), Float32Array.from(two, (x, i) => x - one[i]!));
    const expectedMean = two.reduce((s, x, i) => s + Math.fround(x - one[i]!), 0) / two.length;
    assert.ok(Math.abs(diff.stats.mean! - expectedMean) < 1e-6);
    assert.equal(diff.histogram?.counts.reduce((s, x) => s + x, 0), 8);
  });

  test('minus of a different shape is InvalidParams with both shapes; of an unknown tensor unknownTensor', async () => {
    const mismatch = await client.request('nnLens/getTensor', {
      textDocument: { uri: tutorial }, className: 'Network', tensor: { kind: 'parameter', name: 'conv1.weight' }, minus: { kind: 'parameter', name: 'conv2.weight' },
    }).response;
    assert.equal(mismatch.error?.code, -32602);
    assert.match(mismatch.error!.message, /\[12, 6, 5, 5\].*\[6, 1, 5, 5\]: the shapes differ/);
    const unknown = await client.request('nnLens/getTensor', {
      textDocument: { uri: tutorial }, className: 'Network', tensor: { kind: 'parameter', name: 'conv1.weight' }, minus: { kind: 'parameter', name: 'conv9.weight' },
    }).response;
    assert.equal(unknown.error?.code, 4004);
  });

  test('channelRange: per output channel of a conv weight, per channel of a feature map, from the full values', async () => {
    for (const [tensor, dim] of [[{ kind: 'parameter', name: 'conv2.weight' }, 0], [{ kind: 'activation', name: 'conv1' }, 1], [{ kind: 'parameter', name: 'fc1.weight' }, 0]] as const) {
      const r = await get(tutorial, 'Network', tensor);
      const v = fullValues(r);
      assert.equal(r.channelRange?.dim, dim, JSON.stringify(tensor));
      const size = r.shape[dim]!;
      const inner = r.shape.slice(dim + 1).reduce((a, b) => a * b, 1);
      const min = new Array<number>(size).fill(Infinity);
      const max = new Array<number>(size).fill(-Infinity);
      v.forEach((x, i) => {
        const c = Math.floor(i / inner) % size;
        min[c] = Math.min(min[c]!, x);
        max[c] = Math.max(max[c]!, x);
      });
      assert.deepEqual(r.channelRange!.min, min);
      assert.deepEqual(r.channelRange!.max, max);
    }
    const bias = await get(tutorial, 'Network', { kind: 'parameter', name: 'conv1.bias' });
    assert.equal(bias.channelRange, undefined, 'rank 1 has no channel ranges');
  });

  test('the result says the device: cpu by default', async () => {
    const r = await get(tutorial, 'Network', { kind: 'parameter', name: 'conv1.weight' });
    assert.equal(r.device, 'cpu');
    assert.equal(r.fallback, undefined);
  });

  test('webgpu: parameters equal the cpu values exactly, activations closely (llvmpipe on machines without a GPU)', async () => {
    const cpu = await get(tutorial, 'Network', { kind: 'parameter', name: 'conv1.weight' });
    const gpu = await get(tutorial, 'Network', { kind: 'parameter', name: 'conv1.weight' }, { device: 'webgpu' });
    assert.equal(gpu.device, 'webgpu', JSON.stringify(gpu.fallback));
    assert.ok(gpu.adapter, 'the adapter is named');
    assert.equal(gpu.data, cpu.data);
    const a = fullValues(await get(tutorial, 'Network', { kind: 'activation', name: 'conv2' }));
    const b = await get(tutorial, 'Network', { kind: 'activation', name: 'conv2' }, { device: 'webgpu' });
    assert.equal(b.device, 'webgpu');
    fullValues(b).forEach((x, i) => assert.ok(Math.abs(x - a[i]!) < 1e-4, `conv2 output ${i}: ${x} vs ${a[i]}`));
  });
});

describe('nnLens/getTensor: the activation memory budget', () => {
  let small: { client: LspClient; stop: () => Promise<void> };
  before(async () => {
    // 0.01 MB: conv1's output (6·24·24 float32, 13.5 KB) does not fit, the model's output (10 values) does.
    process.env.NNLENS_ACTIVATION_BUDGET_MB = '0.01';
    try { small = await startServer(); } finally { delete process.env.NNLENS_ACTIVATION_BUDGET_MB; }
    await openDocument(small.client, tutorial, readFile('examples/tutorial_network.py'));
  });
  after(() => small.stop());

  test('outputs over the budget answer "not kept" with the numbers; small ones are still answered', async () => {
    const dropped = await small.client.request('nnLens/getTensor', { textDocument: { uri: tutorial }, className: 'Network', tensor: { kind: 'activation', name: 'conv1' } }).response;
    assert.equal(dropped.error?.code, 4005);
    assert.match(dropped.error!.message, /not kept: the forward's module outputs take [\d.]+ MB, over the 0\.01 MB kept per model/);
    const out = await small.client.call<GetTensorResult>('nnLens/getTensor', { textDocument: { uri: tutorial }, className: 'Network', tensor: { kind: 'activation', name: '' } });
    assert.deepEqual(out.shape, [1, 10]);
  });
});

describe('nnLens/getTensor: no silent fallback', () => {
  let only: { client: LspClient; stop: () => Promise<void> };
  before(async () => {
    // Only a real GPU may be used: on a machine without one, auto falls back (and says so) and
    // webgpu fails; on one with a GPU both compute there.
    process.env.NNLENS_WEBGPU_ADAPTER = 'gpu';
    try { only = await startServer(); } finally { delete process.env.NNLENS_WEBGPU_ADAPTER; }
    await openDocument(only.client, tutorial, readFile('examples/tutorial_network.py'));
  });
  after(() => only.stop());

  test('auto says where it computed and why not on the GPU; webgpu without an adapter fails instead of answering from the CPU', async () => {
    const params = { textDocument: { uri: tutorial }, className: 'Network', tensor: { kind: 'parameter', name: 'conv1.weight' } };
    const auto = await only.client.call<GetTensorResult>('nnLens/getTensor', { ...params, device: 'auto' });
    const strict = await only.client.request('nnLens/getTensor', { ...params, device: 'webgpu' }).response;
    if (auto.device === 'webgpu') {
      assert.equal(auto.fallback, undefined);
      assert.equal(strict.error, undefined);
    } else {
      assert.equal(auto.device, 'cpu');
      assert.equal(auto.fallback?.requested, 'auto');
      assert.match(auto.fallback!.reason, /^WebGPU is unavailable \(.+\); the values were computed on the CPU$/);
      assert.equal(strict.error?.code, 4005);
      assert.match(strict.error!.message, /nothing ran on the CPU/);
      assert.equal((strict.error?.data as { device: string }).device, 'webgpu');
    }
  });
});

// The value fields of `inspectSource(..., { device: 'cpu' })`: seeded construction, seeded inputs,
// outputs and the generator state, in the corpus truth schema. Reference values are from
// ../shared/RNG.md §10 and test/corpus (real torch 1.13).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inspectSource } from '../../language-server/analysis/inspect.ts';
import { firstValues, sha256, sums, tensorBytes } from '../../language-server/analysis/values.ts';
import { Tensor } from '../../runtime/tensor.ts';
import { bool, float16, int64, int8 } from '../../runtime/dtype.ts';

const source = `
import torch
import torch.nn as nn
import torch.nn.functional as F


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 6, 5)
        self.fc = nn.Linear(6 * 28 * 28, 10)
        self.register_buffer('steps', torch.zeros((), dtype=torch.long))

    def forward(self, x):
        return self.fc(F.relu(self.conv1(x)).flatten(1))


class Noisy(nn.Module):
    def forward(self, x):
        return x + torch.randn_like(x)
`;

const spec = {
  Net: { inputs: [{ kind: 'randn' as const, shape: [1, 1, 32, 32] }] },
  Noisy: { inputs: [{ kind: 'randn' as const, shape: [2, 3] }] },
};

test('cpu: parameters are torch.manual_seed(0) init, inputs torch.manual_seed(1) draws', async () => {
  const report = await inspectSource(source, 'net.py', { device: 'cpu', spec });
  const net = report.classes.find((c) => c.name === 'Net')!.instance!;
  assert.equal(net.status, 'ok');
  // conv1: 150 + 6 draws, fc: 47040 + 10 draws
  assert.deepEqual(net.rng_after_init, { draws: 156 + 47050, normal_cache: null });
  const w = net.parameter_details!['conv1.weight']!;
  assert.equal(w.sha256, '9514b5db8089785b2a91e1a8865064b5ffe1d82bd7be87756235273e7622433c');
  assert.deepEqual(w.first8.slice(0, 2), [-0.0014973640209063888, 0.10728871822357178]);
  assert.equal(w.numel, 150);
  assert.equal(w.requires_grad, true);
  assert.deepEqual(net.buffer_details!.steps, {
    dtype: 'int64', persistent: true, numel: 1, first8: [0], sha256: 'af5570f5a1810b7af78caf4bc70a660f0df51e42baf91d4de5b2328de0e83dfc',
  });
  const input = net.forward!.inputs[0]!;
  // lenet's input in the corpus: torch.manual_seed(1); torch.randn(1, 1, 32, 32)
  assert.equal(input.sha256, 'aab63a7f0ea50691a485250cf5c713d31bdc0e28356c9de67d8dccce42300630');
  assert.deepEqual(net.forward!.rng_after_inputs, { draws: 1024, normal_cache: null });
  assert.equal(net.forward!.seed, 1);
  assert.equal(net.forward!.status, 'ok', JSON.stringify(net.forward!.error ?? net.forward!.unsupported));
  const out = net.forward!.outputs![0]!;
  assert.deepEqual(out.path, []);
  assert.deepEqual(out.shape, [1, 10]);
  assert.equal(out.first16.length, 10);
  assert.match(net.forward!.output_repr!, /^tensor\(\[\[/);
});

test('cpu: a forward that draws moves the generator (randn_like after the inputs)', async () => {
  const report = await inspectSource(source, 'net.py', { device: 'cpu', spec });
  const f = report.classes.find((c) => c.name === 'Noisy')!.instance!.forward!;
  // randn(2, 3): 6 values on the scalar path = 3 Box–Muller pairs = 12 draws, no cached sample left
  assert.deepEqual(f.rng_after_inputs, { draws: 12, normal_cache: null });
  assert.equal(f.status, 'ok', JSON.stringify(f.error ?? f.unsupported));
  assert.deepEqual(f.rng_after_forward, { draws: 24, normal_cache: null });
});

test('meta reports carry no value fields', async () => {
  const report = await inspectSource(source, 'net.py', { device: 'meta', spec });
  const net = report.classes.find((c) => c.name === 'Net')!.instance!;
  assert.equal(net.parameter_details, undefined);
  assert.equal(net.rng_after_init, undefined);
  assert.equal(net.forward!.inputs[0]!.sha256, undefined);
});

test('value helpers: bytes, first values and sums as the oracle computes them', () => {
  const i = new Tensor([3], int64, 'cpu', new BigInt64Array([1n, -2n, 3n]));
  assert.deepEqual(firstValues(i, 8), [1, -2, 3]);
  assert.deepEqual(sums(i), { sum: 2, abs_sum: 6 });
  assert.equal(tensorBytes(i).length, 24);
  const b = new Tensor([2], bool, 'cpu', new Uint8Array([1, 0]));
  assert.deepEqual(firstValues(b, 8), [true, false]);
  const c = new Tensor([2], int8, 'cpu', new Int32Array([-1, 5]));
  assert.deepEqual([...tensorBytes(c)], [255, 5]);
  const h = new Tensor([2], float16, 'cpu', new Float32Array([1, -2]));
  assert.deepEqual([...tensorBytes(h)], [0x00, 0x3c, 0x00, 0xc0]);
  const nan = new Tensor([2], undefined, 'cpu', new Float32Array([NaN, -Infinity]));
  assert.deepEqual(firstValues(nan, 8), ['nan', '-inf']);
  assert.equal(sha256(new Tensor([0], undefined, 'cpu', new Float32Array(0))), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
});

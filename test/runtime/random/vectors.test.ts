// The bit-exact RNG against real PyTorch (test/rng-vectors/, a copy of ../shared/rng-vectors/, made by make_reference.py and
// make_stress.py with torch 1.13 on AVX2): every case of reference.avx2.json, built through the
// evaluator the way user code builds it, compared as float32 bit patterns; every stream of
// stress.avx2.json compared by sha256 of its float32 bytes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Tensor } from '../../../runtime/tensor.ts';
import { Module } from '../../../runtime/nn/module.ts';
import { PyDict } from '../../../runtime/python/index.ts';
import { float32 } from '../../../runtime/dtype.ts';
import { CpuGenerator } from '../../../runtime/random/generator.ts';
import { normalFill, uniformFill } from '../../../runtime/random/distributions.ts';
import { evaluate } from './evaluate.ts';

// A copy of ../shared/rng-vectors: a clone of the project must test without ../shared.
const vectorDir = path.resolve(import.meta.dirname, '../../rng-vectors');
const haveVectors = fs.existsSync(path.join(vectorDir, 'reference.avx2.json'));

interface Encoded { dtype: string; bits?: number[]; values?: number[] }
interface RefCase { name: string; seed: number; tensors: [string, number[], Encoded][] }
interface StressCase { name: string; seed: number; op: string; n: number; sha256: string; bits: number[]; mean?: number; std?: number; from?: number; to?: number }

/** Python for each reference case: binds `out` to a module, a tensor or a dict of named tensors. */
const snippets: Record<string, string> = {
  'randn(5); randn(3); randn(20); randn(1)': 'out = {"a": torch.randn(5), "b": torch.randn(3), "c": torch.randn(20), "d": torch.randn(1)}',
  'torch.empty(7).uniform_(-2.5,0.75)': 'out = torch.empty(7).uniform_(-2.5, 0.75)',
  'torch.empty(64,64).normal_(0,0.02)': 'out = torch.empty(64, 64).normal_(0, 0.02)',
  'torch.empty(3,4).normal_(1.0,0.02)': 'out = torch.empty(3, 4).normal_(1.0, 0.02)',
  'kaiming_normal_(Conv2d(3,64,7).weight, fan_out, relu)': 'out = nn.init.kaiming_normal_(torch.empty(64, 3, 7, 7), mode="fan_out", nonlinearity="relu")',
  'xavier_uniform_(empty(48,24))': 'out = nn.init.xavier_uniform_(torch.empty(48, 24))',
  'nn.TransformerEncoder(TransformerEncoderLayer(16,2,32),2)': 'out = nn.TransformerEncoder(nn.TransformerEncoderLayer(16, 2, 32), 2)',
  'nn.Transformer(16,2,2,1,32)': 'out = nn.Transformer(16, 2, num_encoder_layers=2, num_decoder_layers=1, dim_feedforward=32)',
  'tutorial Network()': `
class Network(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(in_channels=1, out_channels=6, kernel_size=5)
        self.conv2 = nn.Conv2d(in_channels=6, out_channels=12, kernel_size=5)
        self.fc1 = nn.Linear(in_features=12 * 4 * 4, out_features=120)
        self.fc2 = nn.Linear(in_features=120, out_features=60)
        self.out = nn.Linear(in_features=60, out_features=10)

out = Network()`,
  'torch.randn(1,1,28,28) after manual_seed(1)': 'out = torch.randn(1, 1, 28, 28)',
};

function snippetFor(c: RefCase): string {
  const body = snippets[c.name] ?? `out = ${c.name}`;
  return `import torch\nimport torch.nn as nn\ntorch.manual_seed(${c.seed})\n${body}\n`;
}

/** The named tensors a case produced, as [name, tensor] pairs. */
function namedTensors(out: unknown): [string, Tensor][] {
  if (out instanceof Module) return out.namedParameters();
  if (out instanceof Tensor) return [['value', out]];
  if (out instanceof PyDict) return out.items().map(([k, v]) => [String(k), v as Tensor]);
  throw new Error(`unexpected result ${String(out)}`);
}

function bitsOf(t: Tensor): number[] {
  assert.ok(t.data instanceof Float32Array, `${t.dtype.name} tensor has no float32 values`);
  return [...new Uint32Array(t.data.buffer, t.data.byteOffset, t.data.length)];
}

function firstMismatch(got: number[], want: number[]): string {
  const i = got.findIndex((v, k) => v !== want[k]);
  const hex = (v: number | undefined): string => (v === undefined ? '-' : v.toString(16).padStart(8, '0'));
  const mismatches = got.filter((v, k) => v !== want[k]).length;
  return `${mismatches} of ${want.length} values differ; first at ${i}: got ${hex(got[i])}, want ${hex(want[i])}`;
}

const reference = haveVectors ? (JSON.parse(fs.readFileSync(path.join(vectorDir, 'reference.avx2.json'), 'utf8')) as { cases: RefCase[] }).cases : [];
const stress = haveVectors ? (JSON.parse(fs.readFileSync(path.join(vectorDir, 'stress.avx2.json'), 'utf8')) as { cases: StressCase[] }).cases : [];

test('the rng vectors are present (test/rng-vectors)', () => {
  assert.ok(haveVectors, `missing ${vectorDir}`);
});

for (const c of reference) {
  test(`reference: ${c.name}`, () => {
    const got = new Map(namedTensors(evaluate(snippetFor(c))));
    for (const [name, shape, enc] of c.tensors) {
      const t = got.get(name);
      assert.ok(t, `no tensor ${name} (have ${[...got.keys()].join(', ')})`);
      assert.deepEqual([...t.shape], shape, `${name} shape`);
      assert.equal(t.dtype.name, enc.dtype, `${name} dtype`);
      if (enc.bits) {
        const bits = bitsOf(t);
        assert.ok(bits.length === enc.bits.length && bits.every((b, i) => b === enc.bits![i]), `${name}: ${firstMismatch(bits, enc.bits)}`);
      } else {
        const values = [...(t.data as BigInt64Array)].map(Number);
        assert.deepEqual(values, enc.values, name);
      }
    }
  });
}

for (const c of stress) {
  test(`stress: ${c.name}`, () => {
    const g = new CpuGenerator(c.seed);
    const data = new Float32Array(c.n);
    if (c.op === 'randn') normalFill(g, data, float32, 0, 1);
    else if (c.op === 'normal_') normalFill(g, data, float32, c.mean!, c.std!);
    else if (c.op === 'uniform_') uniformFill(g, data, float32, c.from!, c.to!);
    else assert.fail(`unknown op ${c.op}`);
    const bits = [...new Uint32Array(data.buffer, 0, c.bits.length)];
    assert.ok(bits.every((b, i) => b === c.bits[i]), `first 256: ${firstMismatch(bits, c.bits)}`);
    const sha = crypto.createHash('sha256').update(new Uint8Array(data.buffer)).digest('hex');
    assert.equal(sha, c.sha256, 'sha256 of the float32 stream');
  });
}

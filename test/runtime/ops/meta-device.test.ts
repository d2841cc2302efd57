// The shape tier's promise: on `meta`, tensors have shapes and dtypes but no storage, so a
// 7-billion-element model costs what a small one does; device moves keep tensors on `meta`.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Tensor } from '../../../runtime/tensor.ts';
import { BuiltinFunction, PyFloat, PyTuple, type PyValue } from '../../../runtime/python/index.ts';
import { withRuntimeContext } from '../../../runtime/context.ts';
import { functional, getTensorAttribute, tensorBinaryOp, tensorInplaceBinaryOp, torchFunctions } from '../../../runtime/torch/index.ts';
import { testInterop } from './conformance-harness.ts';

const torch = (name: string, ...args: PyValue[]): PyValue => torchFunctions.get(name)!.impl(args, new Map(), testInterop);
const method = (t: Tensor, name: string, ...args: PyValue[]): PyValue =>
  (getTensorAttribute(t, name) as BuiltinFunction).impl(args, new Map(), testInterop);

describe('meta device', () => {
  it('creates a 7e9-element tensor and runs ops on it without allocating', () => {
    withRuntimeContext({ device: 'meta' }, () => {
      const before = process.memoryUsage().arrayBuffers;
      const x = torch('zeros', 70_000, 100_000) as Tensor;
      assert.equal(x.numel(), 7e9);
      assert.equal(x.data, null);
      const w = torch('randn', 4096, 100_000) as Tensor;
      const y = functional.get('linear')!.impl([x, w, null], new Map(), testInterop) as Tensor;
      assert.deepEqual(y.shape, [70_000, 4096]);
      const z = tensorBinaryOp('*', functional.get('relu')!.impl([y], new Map(), testInterop), new PyFloat(2)) as Tensor;
      const s = method(z, 'sum', 1) as Tensor;
      assert.deepEqual(s.shape, [70_000]);
      for (const t of [x, w, y, z, s]) {
        assert.equal(t.device, 'meta');
        assert.equal(t.data, null);
      }
      // Nothing proportional to numel() was allocated (7e9 floats would be 28 GB).
      assert.ok(process.memoryUsage().arrayBuffers - before < 1_000_000);
    });
  });

  it('keeps tensors on meta through .to / .cuda / .cpu, as the evaluation runs there', () => {
    withRuntimeContext({ device: 'meta' }, () => {
      const x = torch('ones', 2, 3) as Tensor;
      for (const [name, args] of [['to', ['cuda']], ['to', ['cuda:1']], ['cuda', []], ['cpu', []]] as const) {
        const y = method(x, name, ...args) as Tensor;
        assert.equal(y.device, 'meta');
        assert.deepEqual(y.shape, [2, 3]);
      }
      const z = torch('zeros', new PyTuple([4])) as Tensor;
      assert.equal(z.device, 'meta');
    });
  });

  it('returns the same tensor from in-place operators, shape and dtype unchanged', () => {
    withRuntimeContext({ device: 'meta' }, () => {
      const x = torch('zeros', 2, 3) as Tensor;
      const y = tensorInplaceBinaryOp('+', x, torch('ones', 3));
      assert.equal(y, x);
      assert.equal(method(x, 'add_', 1), x);
      assert.equal(method(x, 'zero_'), x);
      assert.equal(method(x, 'normal_', 0, new PyFloat(0.02)), x);
    });
  });

  it('propagates requires_grad like autograd, and not under no_grad', async () => {
    const { withGradEnabled } = await import('../../../runtime/ops/grad-mode.ts');
    withRuntimeContext({ device: 'meta' }, () => {
      const w = torch('randn', 3, 3) as Tensor;
      w.requiresGrad = true;
      const x = torch('randn', 2, 3) as Tensor;
      assert.equal((tensorBinaryOp('@', x, w) as Tensor).requiresGrad, true);
      withGradEnabled(false, () => assert.equal((tensorBinaryOp('@', x, w) as Tensor).requiresGrad, false));
      assert.equal((method(tensorBinaryOp('@', x, w) as Tensor, 'argmax') as Tensor).requiresGrad, false);
    });
  });
});

describe('scaled_dot_product_attention (PyTorch 2.x semantics; 1.13 has no such function)', () => {
  it('gives the value shape over broadcast batch dims and checks the mask broadcasts', () => {
    withRuntimeContext({ device: 'meta' }, () => {
      const sdpa = functional.get('scaled_dot_product_attention')!;
      const q = torch('randn', 2, 4, 5, 8) as Tensor;
      const k = torch('randn', 2, 4, 7, 8) as Tensor;
      const v = torch('randn', 2, 4, 7, 16) as Tensor;
      assert.deepEqual((sdpa.impl([q, k, v], new Map(), testInterop) as Tensor).shape, [2, 4, 5, 16]);
      const mask = torch('ones', 5, 7) as Tensor;
      assert.deepEqual((sdpa.impl([q, k, v, mask], new Map(), testInterop) as Tensor).shape, [2, 4, 5, 16]);
      assert.throws(() => sdpa.impl([q, k, v, torch('ones', 6, 7)], new Map(), testInterop), /The size of tensor a \(5\) must match the size of tensor b \(6\)/);
      assert.deepEqual((sdpa.impl([q, k, v], new Map([['is_causal', true]]), testInterop) as Tensor).shape, [2, 4, 5, 16]);
    });
  });
});

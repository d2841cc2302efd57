// The op registry: shape rules run on every device; value devices dispatch to kernels, which
// issue 3 registers on the same entries (and until then each op says it has none).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Tensor } from '../../../runtime/tensor.ts';
import { float32 } from '../../../runtime/dtype.ts';
import { PyError } from '../../../runtime/python/index.ts';
import { defineOp, getOp, registerKernel, registeredOpNames, runOp } from '../../../runtime/ops/registry.ts';
import { matmul } from '../../../runtime/ops/matmul.ts';
import '../../../runtime/torch/index.ts';

describe('op registry', () => {
  it('has the ops the runtime defines, each with a shape rule', () => {
    const names = registeredOpNames();
    for (const op of ['matmul', 'convolution', 'max_pool_with_indices', 'add', 'sum', 'view', 'cat', 'index', 'layer_norm', 'einsum']) {
      assert.ok(names.includes(op), op);
      assert.equal(typeof getOp(op)!.infer, 'function');
    }
  });

  it('says clearly that a value device has no kernel yet', () => {
    const a = new Tensor([2, 3], float32, 'cpu', new Float32Array(6));
    const b = new Tensor([3, 4], float32, 'cpu', new Float32Array(12));
    assert.throws(() => matmul(a, b), (e: unknown) => e instanceof PyError && e.pyType === 'NotImplementedError' && e.message === 'no cpu kernel for matmul yet');
  });

  it('still checks shapes first on a value device', () => {
    const a = new Tensor([2, 3], float32, 'cpu', new Float32Array(6));
    assert.throws(() => matmul(a, a), /mat1 and mat2 shapes cannot be multiplied \(2x3 and 2x3\)/);
  });

  it('runs a registered kernel into outputs allocated from the inferred shape', () => {
    const op = defineOp<{ k: number }>('test_scale', ([t]) => ({ shape: t!.shape, dtype: t!.dtype }));
    registerKernel(op, 'cpu', ([t], { k }, [out]) => {
      const src = t!.data as Float32Array;
      const dst = out!.data as Float32Array;
      for (let i = 0; i < src.length; i++) dst[i] = src[i]! * k;
    });
    const x = new Tensor([3], float32, 'cpu', new Float32Array([1, 2, 3]));
    const y = runOp(op, [x], { k: 2 });
    assert.deepEqual([...(y.data as Float32Array)], [2, 4, 6]);
  });
});

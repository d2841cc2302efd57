// torch value types as the evaluator sees them: torch.Size is a tuple with its own repr,
// devices and dtypes print like PyTorch's, and tensor attributes are Python values.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Tensor } from '../../../runtime/tensor.ts';
import { float32, int64 } from '../../../runtime/dtype.ts';
import { BuiltinFunction, PyTuple, pyRepr } from '../../../runtime/python/index.ts';
import {
  TorchSize, createTorchNamespace, getTensorAttribute, parseDevice, tensorIter, tensorLen, tensorRepr, tensorToBool, tensorToNumber,
} from '../../../runtime/torch/index.ts';

describe('torch objects', () => {
  it('torch.Size is a tuple that prints as torch.Size and slices to a Size', () => {
    const s = getTensorAttribute(new Tensor([1, 16, 5, 5]), 'shape') as TorchSize;
    assert.ok(s instanceof PyTuple);
    assert.equal(s.pyRepr(), 'torch.Size([1, 16, 5, 5])');
    assert.equal(s.pyStr(), 'torch.Size([1, 16, 5, 5])');
    const tail = s.withItems(s.items.slice(1));
    assert.ok(tail instanceof TorchSize);
    assert.equal(tail.pyRepr(), 'torch.Size([16, 5, 5])');
    assert.equal(s.numel(), 400);
  });

  it('devices and dtypes print like PyTorch', () => {
    assert.equal(parseDevice('cuda:1').pyRepr(), "device(type='cuda', index=1)");
    assert.equal(parseDevice('cpu').pyStr(), 'cpu');
    assert.equal(pyRepr(int64), 'torch.int64');
    assert.equal(pyRepr(getTensorAttribute(new Tensor([2], float32, 'meta'), 'device')), "device(type='meta')");
  });

  it('len, iteration, repr and truth of tensors follow the shape', () => {
    const t = new Tensor([3, 2], int64);
    assert.equal(tensorLen(t), 3);
    assert.deepEqual([...tensorIter(t)].map((x) => x.shape), [[2], [2], [2]]);
    assert.equal(tensorRepr(t), "tensor(..., device='meta', size=(3, 2), dtype=torch.int64)");
    assert.throws(() => tensorToBool(t), /Boolean value of Tensor with more than one value is ambiguous/);
    assert.throws(() => tensorToBool(new Tensor([1])), /depends on tensor values/);
    assert.throws(() => tensorToNumber(t, 'float'), /only one element tensors can be converted to Python scalars/);
  });

  it('builds the torch namespace with functions, dtypes and classes', () => {
    const torch = createTorchNamespace();
    assert.ok(torch.attrs.get('cat') instanceof BuiltinFunction);
    assert.equal(torch.attrs.get('long'), int64);
    const size = torch.attrs.get('Size') as { isInstance(v: unknown): boolean };
    assert.ok(size.isInstance(new TorchSize([1])));
    const tensorClass = torch.attrs.get('Tensor') as { isInstance(v: unknown): boolean };
    assert.ok(tensorClass.isInstance(new Tensor([1])));
  });
});

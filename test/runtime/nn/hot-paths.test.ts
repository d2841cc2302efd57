// Issue #4's third round made more shape-tier paths cheaper: reprs memoised while the analysis
// reports a model and its submodules, input-only forwards bound without a Map, tensor allocation
// checks in doubles, parameters made in one step, single-output ops without arrays. These pin what
// each shortcut must still do exactly as the general path (and PyTorch) does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Module, withReprMemo, type UserClassHooks } from '../../../runtime/nn/module.ts';
import { bindInput } from '../../../runtime/nn/layer-support.ts';
import { checkShape, emptyParameter } from '../../../runtime/nn/factory.ts';
import { PyTuple, type PyValue } from '../../../runtime/python/index.ts';
import { Parameter, Tensor } from '../../../runtime/tensor.ts';
import { type DType, float32, int64, uint8 } from '../../../runtime/dtype.ts';
import { withRuntimeContext } from '../../../runtime/context.ts';
import { defineOp, runOp } from '../../../runtime/ops/registry.ts';
import { inspectSource } from '../../../language-server/analysis/inspect.ts';

function userModule(className: string, hooks: Partial<UserClassHooks> = {}): Module {
  const m = new Module();
  m.moduleInit();
  m.user = { className, hasClassAttribute: () => false, ...hooks };
  return m;
}

/** A tree whose reprs are built-in only: root(a(leaf), b). */
function pureTree(): { root: Module; a: Module; leaf: Module } {
  const root = userModule('Root');
  const a = userModule('A');
  const leaf = userModule('Leaf', {});
  a.setattr('leaf', leaf);
  root.setattr('a', a);
  root.setattr('b', userModule('B'));
  return { root, a, leaf };
}

const reportOf = (root: Module): string[] => [root.repr(), ...root.namedModules().slice(1).map(([, m]) => m.repr())];

test('repr memo: a built-in-only tree reads the same memoised as not, and each module is formatted once', () => {
  const { root, leaf } = pureTree();
  const plain = reportOf(root);
  let formatted = 0;
  const format = leaf.defaultRepr.bind(leaf);
  leaf.defaultRepr = () => { formatted++; return format(); };
  assert.deepEqual(withReprMemo(() => reportOf(root)), plain);
  assert.equal(formatted, 1);
  assert.equal(plain[0], 'Root(\n  (a): A(\n    (leaf): Leaf()\n  )\n  (b): B()\n)');
  // Outside the memo nothing is kept.
  leaf.repr();
  leaf.repr();
  assert.equal(formatted, 3);
});

test('repr memo: a Python extra_repr runs on every repr, and what it changes shows, as without the memo', () => {
  const build = (): Module => {
    const { root, a, leaf } = pureTree();
    let calls = 0;
    // `extra_repr` that counts its calls and renames a sibling module: side effects Python code may have.
    a.user!.extraRepr = () => {
      calls++;
      leaf.user!.className = `Leaf${calls}`;
      return `calls=${calls}`;
    };
    return root;
  };
  const plain = reportOf(build());
  const memoised = withReprMemo(() => reportOf(build()));
  assert.deepEqual(memoised, plain);
  assert.deepEqual(plain, [
    'Root(\n  (a): A(\n    calls=1\n    (leaf): Leaf1()\n  )\n  (b): B()\n)',
    'A(\n  calls=2\n  (leaf): Leaf2()\n)',
    'Leaf2()',
    'B()',
  ]);
});

test('repr memo: a Python __repr__ is never memoised, nor a parent containing it', () => {
  const { root, a } = pureTree();
  let calls = 0;
  a.user!.repr = () => `A#${++calls}`;
  const reprs = withReprMemo(() => [root.repr(), root.repr(), a.repr()]);
  assert.deepEqual(reprs, ['Root(\n  (a): A#1\n  (b): B()\n)', 'Root(\n  (a): A#2\n  (b): B()\n)', 'A#3']);
});

test('repr memo in the analysis: a module with a counting extra_repr is reported as PyTorch would print it', async () => {
  const source = `import torch.nn as nn

class Leaf(nn.Module):
    def __init__(self):
        super().__init__()
        self.n = 0
        self.fc = nn.Linear(2, 3)

    def extra_repr(self):
        self.n += 1
        self.fc.out_features = 3 + self.n
        return f"n={self.n}"

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.leaf = Leaf()
        self.head = nn.Sequential(nn.Linear(2, 2), nn.ReLU())

    def forward(self, x):
        return self.head(x)
`;
  const report = await inspectSource(source, 'net.py', { input: [1, 2] });
  const net = report.classes.find((c) => c.name === 'Net')!.instance!;
  assert.equal(net.repr, 'Net(\n  (leaf): Leaf(\n    n=1\n    (fc): Linear(in_features=2, out_features=4, bias=True)\n  )\n'
    + '  (head): Sequential(\n    (0): Linear(in_features=2, out_features=2, bias=True)\n    (1): ReLU()\n  )\n)');
  assert.deepEqual(net.submodules!.map(([name, , repr]) => `${name}: ${repr}`), [
    'leaf: Leaf(\n  n=2\n  (fc): Linear(in_features=2, out_features=5, bias=True)\n)',
    'leaf.fc: Linear(in_features=2, out_features=5, bias=True)',
    'head: Sequential(\n  (0): Linear(in_features=2, out_features=2, bias=True)\n  (1): ReLU()\n)',
    'head.0: Linear(in_features=2, out_features=2, bias=True)',
    'head.1: ReLU()',
  ]);
});

test('input-only forwards: one positional argument is the input; anything else is bound with CPython\'s errors', () => {
  const x = new Tensor([2, 3]);
  assert.equal(bindInput('Linear', [x], new Map()), x);
  assert.equal(bindInput('Linear', [], new Map([['input', x]])), x);
  assert.throws(() => bindInput('Linear', [], new Map()), { message: "Linear.forward() missing 1 required positional argument: 'input'" });
  assert.throws(() => bindInput('ReLU', [x, x], new Map()), { message: 'ReLU.forward() takes 2 positional arguments but 3 were given' });
  assert.throws(() => bindInput('ReLU', [x], new Map([['input', x]])), { message: "ReLU.forward() got multiple values for argument 'input'" });
  assert.throws(() => bindInput('ReLU', [x], new Map<string, PyValue>([['inplace', true]])),
    { message: "ReLU.forward() got an unexpected keyword argument 'inplace'" });
});

/** torch's allocation checks, computed independently with BigInt: the error each shape must raise, or null. */
function expectedShapeError(shape: number[], dtype: DType): string | null {
  const negative = shape.find((d) => d < 0);
  if (negative !== undefined) return `Trying to create tensor with negative dimension ${negative}: [${shape.join(', ')}]`;
  const bytes = shape.reduce((b, d) => b * BigInt(d), BigInt(dtype.itemSize));
  return bytes > 2n ** 63n - 1n ? `Storage size calculation overflowed with sizes=[${shape.join(', ')}]` : null;
}

test('allocation checks: negative sizes and int64 byte overflow, also past the range where doubles are exact', () => {
  const shapes: [number[], DType][] = [
    [[], float32], [[0], float32], [[3, 0, -1], float32], [[-2, 3], uint8], [[2, 3, 4], float32],
    [[2 ** 31, 2 ** 31], float32], [[2 ** 31, 2 ** 31, 2], float32], [[2 ** 59, 3], float32], [[2 ** 59, 4], float32],
    [[2 ** 60, 7], uint8], [[2 ** 60, 8], uint8], [[2 ** 30, 2 ** 30, 2 ** 2, 2], int64], [[0, 2 ** 62, 2 ** 62], float32],
    [[2 ** 62, 2 ** 62, 0], float32], [[2 ** 53, 2 ** 53, -1], float32], [[Number.MAX_SAFE_INTEGER, 1], uint8],
  ];
  for (const [shape, dtype] of shapes) {
    const expected = expectedShapeError(shape, dtype);
    if (expected === null) assert.doesNotThrow(() => checkShape(shape, dtype), `[${shape}] ${dtype.name}`);
    else assert.throws(() => checkShape(shape, dtype), { message: expected }, `[${shape}] ${dtype.name}`);
  }
});

test('layer weights: one Parameter with the size, dtype and device, the size checked before the dtype', () => {
  const p = withRuntimeContext({ device: 'meta' }, () => emptyParameter(new PyTuple([4, 2]), { device: null, dtype: null }));
  assert.ok(p instanceof Parameter);
  assert.deepEqual([p.shape, p.dtype, p.device, p.data, p.requiresGrad, p.gpu], [[4, 2], float32, 'meta', null, true, null]);
  const c = withRuntimeContext({ device: 'cpu' }, () => emptyParameter(3, { device: null, dtype: null }));
  assert.deepEqual([c.device, c.data], ['cpu', new Float32Array(3)]);
  assert.throws(() => emptyParameter(3, { device: null, dtype: int64 }), { message: 'Only Tensors of floating point and complex dtype can require gradients' });
  assert.throws(() => emptyParameter(new PyTuple([2, -3]), { device: null, dtype: int64 }),
    { message: 'Trying to create tensor with negative dimension -3: [2, -3]' });
});

test('single-output ops: device agreement (wrapped numbers aside), grad only on float results, one output required', () => {
  const same = defineOp<null>('test_hot_paths_first', (inputs) => ({ shape: inputs[0]?.shape ?? [1], dtype: inputs[0]?.dtype ?? float32 }));
  const asInt = defineOp<null>('test_hot_paths_int', (inputs) => ({ shape: inputs[0]!.shape, dtype: int64 }));
  const two = defineOp<null>('test_hot_paths_two', () => [{ shape: [1], dtype: float32 }, { shape: [2], dtype: float32 }]);
  const meta = new Tensor([2], float32, 'meta');
  const cpu = new Tensor([2], float32, 'cpu', new Float32Array(2));
  assert.throws(() => runOp(same, [meta, cpu], null),
    { message: 'Expected all tensors to be on the same device, but found at least two devices, meta and cpu!' });
  const wrapped = new Tensor([], float32, 'cpu', new Float32Array(1));
  wrapped.isWrappedNumber = true;
  assert.equal(runOp(same, [wrapped, meta], null).device, 'meta');
  assert.equal(withRuntimeContext({ device: 'meta' }, () => runOp(same, [], null)).device, 'meta');
  const grad = new Tensor([2], float32, 'meta');
  grad.requiresGrad = true;
  assert.equal(runOp(same, [meta, grad], null).requiresGrad, true);
  assert.equal(runOp(asInt, [grad], null).requiresGrad, false);
  assert.equal(runOp(same, [meta], null).requiresGrad, false);
  assert.throws(() => runOp(two, [meta], null), { message: 'op test_hot_paths_two has 2 outputs; use runOpMulti' });
});

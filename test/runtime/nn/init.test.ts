// torch.nn.init and nn.Parameter called as Python would call them, against cases.json (real
// PyTorch 1.13): return values, and the errors raised for bad tensors, modes and arguments.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { type PyValue, plainInterop } from '../../../runtime/python/index.ts';
import { Parameter, Tensor } from '../../../runtime/tensor.ts';
import { nnInit, parameterClass } from '../../../runtime/nn/index.ts';
import { type Json, cases, decode, decodeKwargs, encode, pyErrorOf } from './helpers.ts';

interface CallCase { fn?: string; args: Json[]; kwargs: Record<string, Json>; result?: Json; error?: { type: string; message: string } }

/** Calls `fn` with the case's arguments and compares result or error with PyTorch's. */
function check(c: CallCase, fn: (args: PyValue[], kwargs: Map<string, PyValue>) => PyValue): void {
  const args = c.args.map(decode);
  let result: PyValue;
  const error = pyErrorOf(() => { result = fn(args, decodeKwargs(c.kwargs)); });
  if (c.error) {
    assert.deepEqual(error, c.error);
    return;
  }
  assert.equal(error, null, `unexpected ${JSON.stringify(error)}`);
  const expected = c.result as Record<string, Json>;
  if (expected && typeof expected === 'object' && 'returns_first_arg' in expected) {
    assert.equal(result, args[0], 'returns the tensor it was given');
    return;
  }
  if (expected && typeof expected === 'object' && 'param' in expected) {
    assert.ok(result instanceof Parameter);
    assert.deepEqual({ ...(encode(result) as object), requires_grad: (result as Parameter).requiresGrad }, expected);
    return;
  }
  assert.deepEqual(encode(result), expected);
}

for (const c of cases.init as unknown as CallCase[]) {
  test(`nn.init.${c.fn}(${c.args.map((a) => JSON.stringify(a)).join(', ')}${Object.keys(c.kwargs).length ? `, ${JSON.stringify(c.kwargs)}` : ''})`, () => {
    const fn = nnInit.get(c.fn!);
    assert.ok(fn, `torch.nn.init has no ${c.fn}`);
    check(c, (args, kwargs) => fn.impl(args, kwargs, plainInterop));
  });
}

for (const c of cases.parameter as unknown as CallCase[]) {
  test(`nn.Parameter(${c.args.map((a) => JSON.stringify(a)).join(', ')}${Object.keys(c.kwargs).length ? `, ${JSON.stringify(c.kwargs)}` : ''})`, () => {
    check(c, (args, kwargs) => parameterClass.construct!(args, kwargs, plainInterop));
  });
}

test('nn.Parameter shares the storage of the tensor it wraps', () => {
  const t = new Tensor([2], undefined, 'cpu', new Float32Array([1, 2]));
  const p = parameterClass.construct!([t], new Map(), plainInterop) as Parameter;
  assert.equal(p.data, t.data);
  assert.ok(parameterClass.isInstance(p));
  assert.ok(!parameterClass.isInstance(t));
});

test('init fills values on tensors that have them, and only checks on meta', () => {
  const t = new Tensor([2, 3], undefined, 'cpu', new Float32Array(6).fill(7));
  nnInit.get('eye_')!.impl([t], new Map(), plainInterop);
  assert.deepEqual([...t.data as Float32Array], [1, 0, 0, 0, 1, 0]);
  nnInit.get('constant_')!.impl([t, 0.5], new Map(), plainInterop);
  assert.deepEqual([...t.data as Float32Array], [0.5, 0.5, 0.5, 0.5, 0.5, 0.5]);
  const d = new Tensor([2, 2, 3], undefined, 'cpu', new Float32Array(12).fill(3));
  nnInit.get('dirac_')!.impl([d], new Map(), plainInterop);
  assert.deepEqual([...d.data as Float32Array], [0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0]);
  // Random fills draw from the default generator on value devices.
  nnInit.get('normal_')!.impl([t], new Map(), plainInterop);
  assert.ok([...t.data as Float32Array].some((x) => x !== 0.5), 'normal_ wrote new values');
  const meta = new Tensor([2, 3]);
  assert.equal(nnInit.get('normal_')!.impl([meta], new Map(), plainInterop), meta);
});

// Per-op semantics of the cpu kernels that are easy to get subtly wrong: type promotion with
// Python scalars, integer wrapping, broadcasting, flips (negative strides), integer division and
// remainder signs, NaN propagation in max/argmax/sort/cummax, round-half-even, views sharing
// storage, in-place writes with a dtype cast, and the registry coverage. Expected values are what
// PyTorch 1.13 prints for the same calls.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import '../../../runtime/kernels/cpu/index.ts';
import '../../../runtime/torch/index.ts';
import { type DType, bool, float32, float64, int32, int64, int8, uint8 } from '../../../runtime/dtype.ts';
import { Tensor } from '../../../runtime/tensor.ts';
import { allocate, getOp, registeredOpNames } from '../../../runtime/ops/registry.ts';
import { withRuntimeContext } from '../../../runtime/context.ts';
import { binary, binaryInplace, clamp, unary } from '../../../runtime/ops/elementwise.ts';
import { wrapScalar } from '../../../runtime/ops/scalar.ts';
import { argmax, amax, cumulativeWithIndices, reduceWithIndices, sort, sum, topk } from '../../../runtime/ops/reduce.ts';
import { flip, view } from '../../../runtime/ops/shape-ops.ts';
import { matmul } from '../../../runtime/ops/matmul.ts';
import { PyError } from '../../../runtime/python/index.ts';
import { erf, erfinv, lgamma } from '../../../runtime/kernels/cpu/special.ts';
import { functional } from '../../../runtime/functional/index.ts';
import { plainInterop } from '../../../runtime/python/index.ts';

const cpu = <T>(fn: () => T): T => withRuntimeContext({ device: 'cpu' }, fn);

function tensor(values: number[], shape: number[] = [values.length], dtype: DType = float32): Tensor {
  const data = allocate(dtype, values.length);
  values.forEach((v, i) => { if (data instanceof BigInt64Array) data[i] = BigInt(v); else data[i] = v; });
  return new Tensor(shape, dtype, 'cpu', data);
}
const values = (t: Tensor): number[] => Array.from(t.data as ArrayLike<number | bigint>, Number);
const int = (v: number): Tensor => wrapScalar({ kind: 'int', value: v });
const float = (v: number): Tensor => wrapScalar({ kind: 'float', value: v });

describe('cpu kernels cover the registry', () => {
  it('registers a cpu kernel for every op', () => {
    const missing = registeredOpNames().filter((n) => !getOp(n)!.kernels.cpu);
    assert.deepEqual(missing, []);
  });
});

describe('type promotion and wrapping', () => {
  it('casts a Python int to the tensor dtype before adding (uint8 + 300 wraps the scalar)', () => cpu(() => {
    const r = binary.add!(tensor([1, 2], [2], uint8), int(300));
    assert.equal(r.dtype, uint8);
    assert.deepEqual(values(r), [45, 46]);
  }));
  it('wraps uint8 and int8 results like C casts', () => cpu(() => {
    assert.deepEqual(values(binary.sub!(tensor([1], [1], uint8), int(2))), [255]);
    assert.deepEqual(values(binary.mul!(tensor([100], [1], int8), int(2))), [-56]);
  }));
  it('promotes an int tensor times a Python float to float32, computing in float32', () => cpu(() => {
    const r = binary.mul!(tensor([1, 3], [2], int32), float(0.1));
    assert.equal(r.dtype, float32);
    assert.deepEqual(values(r), [Math.fround(0.1), Math.fround(3 * Math.fround(0.1))]);
  }));
  it('compares a float32 tensor with a Python float in float32', () => cpu(() => {
    assert.deepEqual(values(binary.eq!(tensor([0.1]), float(0.1))), [1]);
  }));
  it('adds bools as logical or', () => cpu(() => {
    const r = binary.add!(tensor([1, 0], [2], bool), tensor([1, 0], [2], bool));
    assert.equal(r.dtype, bool);
    assert.deepEqual(values(r), [1, 0]);
  }));
  it('sums bools and ints in int64', () => cpu(() => {
    const r = sum(tensor([1, 1, 0], [3], bool));
    assert.equal(r.dtype, int64);
    assert.deepEqual(values(r), [2]);
  }));
  it('casts an in-place result back to self dtype (float32 += float64 tensor)', () => cpu(() => {
    const self = tensor([1, 2]);
    binaryInplace('add', self, tensor([0.1, 0.2], [2], float64));
    assert.deepEqual(values(self), [Math.fround(1.1), Math.fround(2.2)]);
  }));
});

describe('broadcasting and strides', () => {
  it('broadcasts [2, 1] with [3]', () => cpu(() => {
    const r = binary.sub!(tensor([10, 20], [2, 1]), tensor([1, 2, 3]));
    assert.deepEqual(r.shape, [2, 3]);
    assert.deepEqual(values(r), [9, 8, 7, 19, 18, 17]);
  }));
  it('flips with negative strides over several dims', () => cpu(() => {
    assert.deepEqual(values(flip(tensor([0, 1, 2, 3, 4, 5], [2, 3], int64), [0, 1])), [5, 4, 3, 2, 1, 0]);
    assert.deepEqual(values(flip(tensor([0, 1, 2, 3, 4, 5], [2, 3]), [-1])), [2, 1, 0, 5, 4, 3]);
  }));
  it('makes view share its input storage, as a torch view does', () => cpu(() => {
    const x = tensor([1, 2, 3, 4], [2, 2]);
    const v = view(x, [4]);
    binaryInplace('mul', v, int(10));
    assert.deepEqual(values(x), [10, 20, 30, 40]);
  }));
  it('broadcasts the batch dims of matmul', () => cpu(() => {
    const a = tensor([1, 2, 3, 4], [1, 2, 2]);
    const b = tensor([1, 0, 0, 1, 2, 0, 0, 2], [2, 2, 2]);
    assert.deepEqual(values(matmul(a, b)), [1, 2, 3, 4, 2, 4, 6, 8]);
  }));
});

describe('integer division and remainders', () => {
  const a = (): Tensor => tensor([-7, 7, -7, 7], [4], int64);
  const b = (): Tensor => tensor([2, -2, -2, 2], [4], int64);
  it('floor-divides toward negative infinity', () => cpu(() => assert.deepEqual(values(binary.div_floor!(a(), b())), [-4, -4, 3, 3])));
  it('truncates with rounding_mode=trunc', () => cpu(() => assert.deepEqual(values(binary.div_trunc!(a(), b())), [-3, -3, 3, 3])));
  it('takes the divisor sign in remainder and the dividend sign in fmod', () => cpu(() => {
    assert.deepEqual(values(binary.remainder!(a(), b())), [1, -1, -1, 1]);
    assert.deepEqual(values(binary.fmod!(a(), b())), [-1, 1, -1, 1]);
  }));
  it('does the same for floats', () => cpu(() => {
    const af = tensor([-7, 7, -7, 7]);
    const bf = tensor([2, -2, -2, 2]);
    assert.deepEqual(values(binary.div_floor!(af, bf)), [-4, -4, 3, 3]);
    assert.deepEqual(values(binary.remainder!(af, bf)), [1, -1, -1, 1]);
  }));
  it('true-divides ints into floats, and floats by zero into inf/nan', () => cpu(() => {
    assert.deepEqual(values(binary.div!(a(), b())), [-3.5, -3.5, 3.5, 3.5]);
    assert.deepEqual(values(binary.div!(tensor([1, -1, 0]), int(0))), [Infinity, -Infinity, NaN]);
  }));
  it('raises ZeroDivisionError for integer floor division by zero', () => cpu(() => {
    assert.throws(() => binary.div_floor!(tensor([1], [1], int64), tensor([0], [1], int64)), (e: unknown) => e instanceof PyError && e.message === 'ZeroDivisionError');
  }));
});

describe('NaN handling', () => {
  const nan = NaN;
  it('propagates NaN through max/min reductions and takes its index', () => cpu(() => {
    assert.deepEqual(values(amax(tensor([1, nan, 3]), null, false, 'max')), [nan]);
    const [v, i] = reduceWithIndices('max', tensor([1, nan, 3, 4, 5, 6], [2, 3]), 1);
    assert.deepEqual(values(v), [nan, 6]);
    assert.deepEqual(values(i), [1, 2]);
    assert.deepEqual(values(argmax(tensor([1, nan, 3, nan]))), [1]);
    assert.deepEqual(values(argmax(tensor([1, nan, 3, nan]), null, false, 'argmin')), [1]);
  }));
  it('propagates NaN in maximum but not in fmax', () => cpu(() => {
    assert.deepEqual(values(binary.maximum!(tensor([1, nan]), tensor([nan, 2]))), [nan, nan]);
    assert.deepEqual(values(binary.fmax!(tensor([1, nan]), tensor([nan, 2]))), [1, 2]);
  }));
  it('keeps NaN through clamp and relu', () => cpu(() => {
    assert.deepEqual(values(clamp(tensor([nan, 1, 5]), int(0), int(3))), [nan, 1, 3]);
    assert.deepEqual(values(unary.relu!(tensor([nan, -1.5, -Infinity]))), [nan, 0, 0]);
  }));
  it('sorts NaN last (first when descending) and stably', () => cpu(() => {
    const [v, i] = sort(tensor([2, nan, 1]));
    assert.deepEqual([values(v), values(i)], [[1, 2, nan], [2, 0, 1]]);
    const [vd, id] = sort(tensor([2, nan, 1]), -1, true);
    assert.deepEqual([values(vd), values(id)], [[nan, 2, 1], [1, 0, 2]]);
  }));
  it('keeps the later index on cummax ties and NaN once seen', () => cpu(() => {
    const [v, i] = cumulativeWithIndices(tensor([1, 3, 3, 2, nan, 5]), 0);
    assert.deepEqual(values(v), [1, 3, 3, 3, nan, nan]);
    assert.deepEqual(values(i), [0, 1, 2, 2, 4, 4]);
  }));
  it('returns sign 0 for NaN', () => cpu(() => assert.deepEqual(values(unary.sign!(tensor([nan, -1.5, 0, 2.5]))), [0, -1, 0, 1])));
});

describe('rounding and special functions', () => {
  it('rounds half to even, with decimals computed in float32', () => cpu(() => {
    assert.deepEqual(values(unary.round!(tensor([0.5, 1.5, 2.5, -0.5, -1.5]))), [0, 2, 2, -0, -2]);
    assert.deepEqual(values(unary.round!(tensor([1.2345, 2.5]), { decimals: 2 })), [Math.fround(1.23), 2.5]);
  }));
  it('picks the first of tied top-k values', () => cpu(() => {
    const [v, i] = topk(tensor([1, 3, 3, 2]), 2);
    assert.deepEqual([values(v), values(i)], [[3, 3], [1, 2]]);
  }));
  it('computes erf, erfinv and lgamma to double precision', () => {
    assert.ok(Math.abs(erf(0.5) - 0.5204998778130465) < 1e-15);
    assert.ok(Math.abs(erfinv(0.5) - 0.4769362762044699) < 1e-12);
    assert.ok(Math.abs(lgamma(0.5) - 0.5723649429247001) < 1e-13);
  });
  it('computes gelu with erf and with tanh', () => cpu(() => {
    assert.deepEqual(values(unary.gelu!(tensor([1]))), [Math.fround(0.8413447460685429)]);
    assert.deepEqual(values(unary.gelu!(tensor([1]), { approximate: 'tanh' })), [Math.fround(0.8411919906082768)]);
  }));
});

describe('scaled_dot_product_attention (PyTorch 2.x semantics)', () => {
  it('is softmax(q kᵀ / sqrt(E) + causal mask) v', () => cpu(() => {
    const q = tensor([1, 0, 0, 1, 1, 1], [1, 3, 2]);
    const k = tensor([1, 2, 0, 1, -1, 0], [1, 3, 2]);
    const v = tensor([1, 2, 3, 4, 5, 6], [1, 3, 2]);
    const sdpa = functional.get('scaled_dot_product_attention')!;
    const out = sdpa.impl([q, k, v], new Map([['is_causal', true]]), plainInterop) as Tensor;
    // Row by row in double: query i attends keys j <= i.
    const qs = [[1, 0], [0, 1], [1, 1]];
    const ks = [[1, 2], [0, 1], [-1, 0]];
    const vs = [[1, 2], [3, 4], [5, 6]];
    const expected = qs.flatMap((qi, i) => {
      const scores = ks.slice(0, i + 1).map((kj) => (qi[0]! * kj[0]! + qi[1]! * kj[1]!) / Math.SQRT2);
      const m = Math.max(...scores);
      const w = scores.map((x) => Math.exp(x - m));
      const total = w.reduce((a, b) => a + b, 0);
      return [0, 1].map((d) => w.reduce((acc, wj, j) => acc + (wj / total) * vs[j]![d]!, 0));
    });
    values(out).forEach((x, i) => assert.ok(Math.abs(x - expected[i]!) < 1e-6, `${i}: ${x} vs ${expected[i]}`));
  }));
});

// Layers whose cpu forward NN Lens computes itself (RNN/LSTM/GRU and their cells,
// MultiheadAttention) and composite layers built on them, against PyTorch 1.13 (layers.json,
// written by make-layers.py): parameters and inputs come from make-values.py's deterministic
// generator, outputs must match within 1e-5 + 1e-4·|x|.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import '../../../runtime/kernels/cpu/index.ts';
import '../../../runtime/torch/index.ts';
import { bool, dtypeAliases } from '../../../runtime/dtype.ts';
import { Tensor } from '../../../runtime/tensor.ts';
import { allocate } from '../../../runtime/ops/registry.ts';
import { PyTuple, type PyValue, plainInterop } from '../../../runtime/python/index.ts';
import { withRuntimeContext } from '../../../runtime/context.ts';
import { construct, decode, decodeKwargs, type Json } from '../nn/helpers.ts';
import { Lcg, compareValues } from './values-harness.ts';
import { manualSeed } from '../../../runtime/torch/random.ts';

interface Spec { tensor: number[]; dtype: string; low: number; high: number }
type InputSpec = Spec | 'q' | { tuple: InputSpec[] } | { causal: number };
interface LayerCase {
  cls: string; args: Json[]; kwargs: Record<string, Json>; inputs: InputSpec[]; forward_kwargs: Record<string, InputSpec | Json>;
  scale: number; train: boolean; expect: { result: unknown };
}

const cases = (JSON.parse(readFileSync(new URL('./layers.json', import.meta.url), 'utf8')) as { cases: LayerCase[] }).cases;

function makeTensor(spec: Spec, gen: Lcg, scale: number): Tensor {
  const dtype = dtypeAliases[spec.dtype]!;
  const n = spec.tensor.reduce((a, b) => a * b, 1);
  const data = allocate(dtype, n);
  for (let i = 0; i < n; i++) {
    const v = dtype.isFloatingPoint ? gen.normal() * scale : dtype === bool ? Math.floor(gen.u() * 2) : spec.low + Math.floor(gen.u() * (spec.high - spec.low));
    if (data instanceof BigInt64Array) data[i] = BigInt(v);
    else data[i] = v;
  }
  return new Tensor(spec.tensor, dtype, 'cpu', data);
}

function makeInput(v: InputSpec, gen: Lcg, first: PyValue): PyValue {
  if (v === 'q') return first;
  if ('tuple' in v) return new PyTuple(v.tuple.map((x) => makeInput(x, gen, first)));
  if ('causal' in v) {
    const n = v.causal;
    return new Tensor([n, n], bool, 'cpu', Uint8Array.from({ length: n * n }, (_, i) => (i % n > Math.floor(i / n) ? 1 : 0)));
  }
  return makeTensor(v, gen, 1);
}

for (const c of cases) {
  const label = `${c.cls}(${[...c.args.map((a) => JSON.stringify(a)), ...Object.entries(c.kwargs).map(([k, v]) => `${k}=${JSON.stringify(v)}`)].join(', ')})`;
  test(`${label} forward ${JSON.stringify(c.inputs.map((i) => (typeof i === 'object' && 'tensor' in i ? i.tensor : i)))}`, () => {
    const problems = withRuntimeContext({ device: 'cpu' }, () => {
      manualSeed(0);
      const m = construct(c.cls, c.args.map(decode), decodeKwargs(c.kwargs));
      for (const [, sub] of m.namedModules()) sub.dict.set('training', c.train);
      const gen = new Lcg();
      for (const [, p] of m.namedParameters()) p.data = makeTensor({ tensor: [...p.shape], dtype: 'float32', low: 0, high: 0 }, gen, c.scale).data;
      const inputs: PyValue[] = [];
      for (const v of c.inputs) inputs.push(makeInput(v, gen, inputs[0] ?? null));
      const kwargs = new Map(Object.entries(c.forward_kwargs).map(([k, v]) => [k, typeof v === 'object' && v !== null && !Array.isArray(v) ? makeInput(v as InputSpec, gen, null) : decode(v as Json)]));
      const out = m.call(inputs, kwargs, plainInterop);
      return compareValues(c.expect.result, out, false);
    });
    assert.deepEqual(problems, [], problems.join('\n'));
  });
}

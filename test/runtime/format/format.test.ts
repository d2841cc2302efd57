// Tensor printing against torch 1.13 (cases.json, made by make-cases.py): each tensor is rebuilt
// from its recorded bit patterns and repr() compared byte for byte.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { dtypeAliases } from '../../../runtime/dtype.ts';
import { Parameter, Tensor } from '../../../runtime/tensor.ts';
import { allocate } from '../../../runtime/ops/registry.ts';
import { formatTensor } from '../../../runtime/format/index.ts';
import { textDiff } from '../../golden/golden.ts';

interface Case {
  name: string; dtype: string; shape: number[]; parameter: boolean; requires_grad: boolean;
  grad_fn: string | null; meta: boolean; values: (number | string)[] | null; repr: string;
}

const { cases } = JSON.parse(fs.readFileSync(new URL('./cases.json', import.meta.url), 'utf8')) as { cases: Case[] };

function build(c: Case): Tensor {
  const dtype = dtypeAliases[c.dtype]!;
  const n = c.shape.reduce((a, b) => a * b, 1);
  let data: Tensor['data'] = null;
  if (!c.meta) {
    data = allocate(dtype, n);
    const values = c.values!;
    if (data instanceof Float32Array) data.set(new Float32Array(Uint32Array.from(values as number[]).buffer));
    else if (data instanceof Float64Array) values.forEach((v, i) => { data![i] = parseHexFloat(v as string); });
    else if (data instanceof BigInt64Array) values.forEach((v, i) => { (data as BigInt64Array)[i] = BigInt(v as string); });
    else values.forEach((v, i) => { data![i] = Number(v); });
  }
  const device = c.meta ? 'meta' : 'cpu';
  const t = c.parameter ? new Parameter(c.shape, dtype, device, data, c.requires_grad) : new Tensor(c.shape, dtype, device, data);
  t.requiresGrad = c.requires_grad;
  if (c.grad_fn) t.gradFn = c.grad_fn;
  return t;
}

/** Python's float.hex() text back to a number: [-]0x1.8p+1, inf, nan. */
function parseHexFloat(s: string): number {
  if (s === 'inf') return Infinity;
  if (s === '-inf') return -Infinity;
  if (s === 'nan') return NaN;
  const m = /^(-?)0x([01])\.?([0-9a-f]*)p([+-]\d+)$/.exec(s);
  if (!m) throw new Error(`bad hex float ${s}`);
  const frac = m[3] ? parseInt(m[3], 16) / 16 ** m[3].length : 0;
  const v = (Number(m[2]) + frac) * 2 ** Number(m[4]);
  return m[1] ? -v : v;
}

for (const c of cases) {
  test(`repr: ${c.name}`, () => {
    const got = formatTensor(build(c));
    if (got !== c.repr) assert.fail(`repr differs from torch 1.13 (- got, + want):\n${textDiff(got, c.repr)}`);
  });
}

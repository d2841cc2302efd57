// Random and range kernels against torch 1.13 (cases.json, made by make-cases.py): the float64,
// float16 and bfloat16 paths, randint/random_/randperm/bernoulli_, sparse_, arange/linspace, all
// byte-exact; trunc_normal_ and orthogonal_ (approximate by design, see runtime/random/filler.ts)
// and logspace within a tolerance.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { type DType, dtypeAliases } from '../../../runtime/dtype.ts';
import { Tensor } from '../../../runtime/tensor.ts';
import { withRuntimeContext } from '../../../runtime/context.ts';
import { allocate } from '../../../runtime/ops/registry.ts';
import { arange, linspace } from '../../../runtime/ops/creation.ts';
import { CpuGenerator } from '../../../runtime/random/generator.ts';
import {
  bernoulliFill, normalFill, randintFill, randomFill, randpermFill, uniformFill,
} from '../../../runtime/random/distributions.ts';
import { generatorFiller } from '../../../runtime/random/filler.ts';

type Op = [string, ...unknown[]];
interface Case { name: string; seed: number; ops: Op[]; dtype: string; shape: number[]; hex: string; exact: boolean }

const { cases } = JSON.parse(fs.readFileSync(new URL('./cases.json', import.meta.url), 'utf8')) as { cases: Case[] };

/** The little-endian bytes torch's tensor holds, from our storage (16-bit floats as their bit patterns). */
function bytesOf(t: Tensor): Buffer {
  const d = t.data!;
  if (t.dtype.name === 'float16' || t.dtype.name === 'bfloat16') {
    const out = Buffer.alloc(d.length * 2);
    for (let i = 0; i < d.length; i++) out.writeUInt16LE(t.dtype.name === 'float16' ? halfBits(d[i] as number) : bf16Bits(d[i] as number), i * 2);
    return out;
  }
  if (['int16', 'int8'].includes(t.dtype.name)) {
    const out = Buffer.alloc(d.length * t.dtype.itemSize);
    for (let i = 0; i < d.length; i++) {
      if (t.dtype.itemSize === 2) out.writeInt16LE(d[i] as number, i * 2); else out.writeInt8(d[i] as number, i);
    }
    return out;
  }
  return Buffer.from(d.buffer, d.byteOffset, d.byteLength);
}

function halfBits(v: number): number {
  const b = Buffer.alloc(4);
  b.writeFloatLE(v);
  const x = b.readUInt32LE();
  const sign = (x >>> 16) & 0x8000;
  const e = ((x >>> 23) & 0xff) - 127 + 15;
  const m = x & 0x7fffff;
  if (v === 0) return sign;
  if (e >= 31) return sign | 0x7c00;
  if (e <= 0) return sign | Math.round(Math.abs(v) / 2 ** -24); // exact for values already rounded to half
  return sign | (e << 10) | (m >>> 13);
}

function bf16Bits(v: number): number {
  const b = Buffer.alloc(4);
  b.writeFloatLE(v);
  return b.readUInt32LE() >>> 16;
}

function valuesOf(buf: Buffer, dtype: string): number[] {
  const n = buf.length / (dtypeAliases[dtype]!.itemSize);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    if (dtype === 'float32') out.push(buf.readFloatLE(i * 4));
    else if (dtype === 'float64') out.push(buf.readDoubleLE(i * 8));
    else if (dtype === 'int64') out.push(Number(buf.readBigInt64LE(i * 8)));
  }
  return out;
}

function run(c: Case): Tensor {
  const gen = new CpuGenerator(c.seed);
  let result: Tensor | null = null;
  for (const [op, ...args] of c.ops) {
    const dtype = dtypeAliases[args[0] as string] as DType;
    if (['arange', 'linspace', 'logspace'].includes(op)) {
      const [, a, b, s, base] = args as [string, number, number, number, number?];
      result = withRuntimeContext({ device: 'cpu' }, () => (op === 'arange'
        ? arange(a, b, s, dtype)
        : linspace(a, b, s, dtype, op as 'linspace' | 'logspace', base ?? 10)));
      continue;
    }
    const shape = Array.isArray(args[1]) ? (args[1] as number[]) : [args[1] as number];
    const n = shape.reduce((x, y) => x * y, 1);
    const t = new Tensor(shape, dtype, 'cpu', allocate(dtype, n));
    const d = t.data!;
    const filler = generatorFiller(() => gen);
    switch (op) {
      case 'normal': normalFill(gen, d, dtype, args[2] as number, args[3] as number); break;
      case 'uniform': uniformFill(gen, d, dtype, args[2] as number, args[3] as number); break;
      case 'randint': randintFill(gen, d, dtype, args[2] as number, args[3] as number); break;
      case 'random': randomFill(gen, d, dtype); break;
      case 'randperm': randpermFill(gen, d, dtype, n); break;
      case 'bernoulli': bernoulliFill(gen, d, dtype, args[2] as number); break;
      case 'sparse': filler.sparse(t, Math.ceil((args[2] as number) * shape[0]!), args[3] as number); break;
      case 'trunc_normal': filler.truncNormal(t, ...(args.slice(2) as [number, number, number, number])); break;
      case 'orthogonal': filler.orthogonal(t, args[2] as number); break;
      default: assert.fail(`unknown op ${op}`);
    }
    result = t;
  }
  return result!;
}

for (const c of cases) {
  test(`${c.name}${c.exact ? '' : ' (approximate)'}`, () => {
    const t = run(c);
    assert.deepEqual([...t.shape], c.shape, 'shape');
    assert.equal(t.dtype.name, c.dtype, 'dtype');
    const got = bytesOf(t);
    const want = Buffer.from(c.hex, 'hex');
    if (c.exact) {
      if (got.equals(want)) return;
      const size = dtypeAliases[c.dtype]!.itemSize;
      const bad: number[] = [];
      for (let i = 0; i < want.length / size; i++) if (!got.subarray(i * size, (i + 1) * size).equals(want.subarray(i * size, (i + 1) * size))) bad.push(i);
      const show = (b: Buffer, i: number): string => b.subarray(i * size, (i + 1) * size).toString('hex');
      assert.fail(`${bad.length} of ${want.length / size} elements differ; first at ${bad[0]}: got ${show(got, bad[0]!)}, want ${show(want, bad[0]!)}`);
    }
    const a = valuesOf(got, c.dtype);
    const b = valuesOf(want, c.dtype);
    const worst = Math.max(...a.map((v, i) => Math.abs(v - b[i]!) / (1e-6 + Math.abs(b[i]!))));
    assert.ok(worst < 1e-4, `worst relative difference ${worst}`);
  });
}

// The value fields of the corpus truth schema (../shared/corpus/README.md), from tensors that
// hold values (device cpu, or webgpu after read-back): first values, float64 sums and the sha256
// of the C-order little-endian bytes, plus the generator's draw count.
import { createHash } from 'node:crypto';
import { PyDict, PyList, PyTuple, type PyValue } from '../../runtime/python/index.ts';
import { Tensor } from '../../runtime/tensor.ts';
import type { CpuGenerator } from '../../runtime/random/generator.ts';

/** A JSON float as the oracle writes it: the number, or "nan"/"inf"/"-inf". */
export type JsonFloat = number | 'nan' | 'inf' | '-inf';

export interface RngState { draws: number; normal_cache: JsonFloat | null }

export interface ParameterDetails {
  dtype: string;
  requires_grad: boolean;
  numel: number;
  first8: (JsonFloat | number | boolean)[];
  sum: JsonFloat | number;
  sha256: string;
}

export interface BufferDetails {
  dtype: string;
  persistent: boolean;
  numel: number;
  first8: (JsonFloat | number | boolean)[];
  sha256: string;
}

export interface OutputValues {
  path: (number | string)[];
  shape: number[];
  dtype: string;
  first16: (JsonFloat | number | boolean)[];
  sum: JsonFloat | number;
  abs_sum: JsonFloat | number;
}

export function jsonFloat(x: number): JsonFloat {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  return x;
}

export function rngState(g: CpuGenerator): RngState {
  return { draws: g.draws, normal_cache: g.normalCache === null ? null : jsonFloat(g.normalCache) };
}

/** Whether the tensor's values are available on the host. */
export const hasValues = (t: Tensor): boolean => t.data !== null;

function storage(t: Tensor): NonNullable<Tensor['data']> {
  if (t.data === null) throw new Error(`tensor of shape [${t.shape.join(', ')}] on ${t.device} has no values on the host`);
  return t.data;
}

/** Element i as the oracle's `tolist()` gives it: floats as numbers, ints as ints, bools as bools. */
function element(t: Tensor, i: number): JsonFloat | number | boolean {
  const d = storage(t);
  const v = d[i]!;
  if (typeof v === 'bigint') return Number(v);
  if (t.dtype.name === 'bool') return v !== 0;
  return t.dtype.isFloatingPoint ? jsonFloat(v) : v;
}

export function firstValues(t: Tensor, n: number): (JsonFloat | number | boolean)[] {
  const count = Math.min(n, t.numel());
  const out: (JsonFloat | number | boolean)[] = [];
  for (let i = 0; i < count; i++) out.push(element(t, i));
  return out;
}

/** The tensor's bytes as torch stores them (float16/bfloat16 as 2-byte patterns, int8/int16 narrowed). */
export function tensorBytes(t: Tensor): Uint8Array {
  const d = storage(t);
  const n = t.numel();
  switch (t.dtype.name) {
    case 'float16': case 'bfloat16': {
      const out = new DataView(new ArrayBuffer(2 * n));
      for (let i = 0; i < n; i++) out.setUint16(2 * i, t.dtype.name === 'float16' ? halfBits(d[i] as number) : bf16Bits(d[i] as number), true);
      return new Uint8Array(out.buffer);
    }
    case 'int16': return new Uint8Array(Int16Array.from(d as Int32Array).buffer);
    case 'int8': return new Uint8Array(Int8Array.from(d as Int32Array).buffer);
    default: return new Uint8Array(d.buffer, d.byteOffset, Math.min(d.byteLength, n * t.dtype.itemSize));
  }
}

const scratch = new DataView(new ArrayBuffer(4));

function bf16Bits(v: number): number {
  scratch.setFloat32(0, v);
  return scratch.getUint32(0) >>> 16;
}

function halfBits(v: number): number {
  scratch.setFloat32(0, v);
  const x = scratch.getUint32(0);
  const sign = (x >>> 16) & 0x8000;
  if (Number.isNaN(v)) return 0x7e00;
  const a = Math.abs(v);
  if (a === 0) return sign;
  if (a === Infinity || a >= 65520) return sign | 0x7c00;
  if (a < 2 ** -14) return sign | Math.round(a / 2 ** -24);
  const e = ((x >>> 23) & 0xff) - 127 + 15;
  return sign | (e << 10) | ((x & 0x7fffff) >>> 13);
}

export function sha256(t: Tensor): string {
  return createHash('sha256').update(tensorBytes(t)).digest('hex');
}

/** `t.double().sum()` (floats) or `t.sum()` (integers), and the same of |t|. */
export function sums(t: Tensor): { sum: JsonFloat | number; abs_sum: JsonFloat | number } {
  const d = storage(t);
  const n = t.numel();
  if (d instanceof BigInt64Array) {
    let s = 0n;
    let a = 0n;
    for (let i = 0; i < n; i++) { s += d[i]!; a += d[i]! < 0n ? -d[i]! : d[i]!; }
    return { sum: Number(s), abs_sum: Number(a) };
  }
  let s = 0;
  let a = 0;
  for (let i = 0; i < n; i++) { s += d[i]!; a += Math.abs(d[i]!); }
  return t.dtype.isFloatingPoint ? { sum: jsonFloat(s), abs_sum: jsonFloat(a) } : { sum: s, abs_sum: a };
}

export function parameterDetails(t: Tensor): ParameterDetails {
  return { dtype: t.dtype.name, requires_grad: t.requiresGrad, numel: t.numel(), first8: firstValues(t, 8), sum: sums(t).sum, sha256: sha256(t) };
}

export function bufferDetails(t: Tensor, persistent: boolean): BufferDetails {
  return { dtype: t.dtype.name, persistent, numel: t.numel(), first8: firstValues(t, 8), sha256: sha256(t) };
}

/** Every tensor leaf of a forward's return value with its path (tuple/list index, dict key). */
export function tensorLeaves(v: PyValue, path: (number | string)[] = []): [(number | string)[], Tensor][] {
  if (v instanceof Tensor) return [[path, v]];
  if (v instanceof PyTuple || v instanceof PyList) return v.items.flatMap((x, i) => tensorLeaves(x, [...path, i]));
  if (v instanceof PyDict) return v.items().flatMap(([k, x]) => tensorLeaves(x, [...path, String(k)]));
  return [];
}

export function outputValues(path: (number | string)[], t: Tensor): OutputValues {
  return { path, shape: [...t.shape], dtype: t.dtype.name, first16: firstValues(t, 16), ...sums(t) };
}

/** Mean, unbiased std (as `torch.std`), min and max of a tensor's values; null for non-finite results. */
export function tensorStats(t: Tensor): { mean: number | null; std: number | null; min: number | null; max: number | null } {
  const d = storage(t);
  const n = t.numel();
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = Number(d[i]!);
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const mean = n ? sum / n : NaN;
  let sq = 0;
  for (let i = 0; i < n; i++) { const e = Number(d[i]!) - mean; sq += e * e; }
  const finite = (x: number): number | null => (Number.isFinite(x) ? x : null);
  return { mean: finite(mean), std: finite(n > 1 ? Math.sqrt(sq / (n - 1)) : NaN), min: finite(min), max: finite(max) };
}

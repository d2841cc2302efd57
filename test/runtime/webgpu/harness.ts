// Replays value cases on the webgpu device: the conformance cases of test/runtime/ops/cases.json
// with the cpu suite's inputs and expected values (test/runtime/cpu/values.json), and the
// webgpu-specific cases of cases.json here (make-cases.py). Inputs come from the cpu suite's
// deterministic generator (`Lcg`), are placed on the device as host values (uploaded on first GPU
// use), the call runs through the runtime's torch namespace exactly as the shape-tier conformance
// suite runs it, and output tensors are read back and compared with torch's values within
// 1e-5 + 1e-4·|expected| (sums within the sum of those tolerances).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dtypeAliases } from '../../../runtime/dtype.ts';
import { Tensor } from '../../../runtime/tensor.ts';
import { withRuntimeContext } from '../../../runtime/context.ts';
import {
  ELLIPSIS, NeedsValuesError, PyError, PyFloat, PyList, PySlice, PyTuple, type PyValue, pyRepr,
} from '../../../runtime/python/index.ts';
import { TorchDevice, TorchSize } from '../../../runtime/torch/index.ts';
import { readbackMany } from '../../../runtime/devices/webgpu.ts';
import { type Case, compareResult, perform } from '../ops/conformance-harness.ts';

export interface ValueCase extends Omit<Case, 'expect'> {
  expect: { result: unknown } | { error: { type: string; message: string } };
  /** Values depend on torch's global RNG (randn, dropout in training): only structure is compared. */
  random?: boolean;
}

const here = (file: string): string => fileURLToPath(new URL(file, import.meta.url));

/** The webgpu-specific cases (make-cases.py here). */
export function loadWebGpuCases(): ValueCase[] {
  return (JSON.parse(readFileSync(here('./cases.json'), 'utf8')) as { cases: ValueCase[] }).cases;
}

/** The ops conformance cases with the cpu suite's expected values, or null while values.json is missing. */
export function loadOpsValueCases(): ValueCase[] | null {
  let values: { cases: { id: string; expect: ValueCase['expect']; random?: boolean }[] };
  try {
    values = JSON.parse(readFileSync(here('../cpu/values.json'), 'utf8')) as typeof values;
  } catch {
    return null;
  }
  const byId = new Map(values.cases.map((v) => [v.id, v]));
  const cases = (JSON.parse(readFileSync(here('../ops/cases.json'), 'utf8')) as { cases: Case[] }).cases;
  return cases.flatMap((c) => {
    const v = byId.get(c.id);
    if (!v || v.expect === undefined) return [];
    return [{ ...c, expect: v.expect, ...(v.random ? { random: true } : {}) }];
  });
}

// ------------------------------------------------------------------ inputs (the cpu suite generator)

/** test/runtime/cpu/make-values.py's generator (one per case, drawn in argument order). */
export class Lcg {
  private state = 12345;
  u(): number {
    this.state = (Math.imul(this.state, 1664525) + 1013904223) >>> 0;
    return (this.state >>> 8) / 16777216;
  }
}

interface TensorSpec { tensor: number[]; dtype: string; low?: number; high?: number; requires_grad?: boolean; post?: string }

/** The tensor make-values.py / make-cases.py drew for `spec`, on `device`, with host values. */
export function drawInput(spec: TensorSpec, g: Lcg, device: 'webgpu' | 'cpu'): Tensor {
  const dtype = dtypeAliases[spec.dtype]!;
  const n = spec.tensor.reduce((a, b) => a * b, 1);
  let data: NonNullable<Tensor['data']>;
  if (dtype.isFloatingPoint || dtype.isComplex) {
    const values = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      values[i] = (g.u() + g.u() + g.u() - 1.5) * 2;
      if (spec.post === 'abs+0.5') values[i] = Math.abs(Math.fround(values[i]!)) + 0.5;
    }
    data = dtype.name === 'float64' ? values : Float32Array.from(values, dtype.name === 'float16' ? roundHalf : dtype.name === 'bfloat16' ? roundBfloat16 : (v) => v);
    if (dtype.isComplex) data = new Float32Array(2 * n);
  } else if (dtype.name === 'bool') {
    data = Uint8Array.from({ length: n }, () => Math.floor(g.u() * 2));
  } else {
    const span = spec.high! - spec.low!;
    const ints = Array.from({ length: n }, () => spec.low! + Math.floor(g.u() * span));
    data = dtype.name === 'int64' ? BigInt64Array.from(ints.map(BigInt)) : dtype.name === 'uint8' ? Uint8Array.from(ints) : Int32Array.from(ints);
  }
  const t = new Tensor(spec.tensor, dtype, device, data);
  t.requiresGrad = spec.requires_grad === true;
  return t;
}

/** x rounded to the nearest float16 (ties to even), as torch's `.to(torch.float16)` does. */
function roundHalf(x: number): number {
  if (!Number.isFinite(x) || x === 0) return x;
  const a = Math.abs(x);
  if (a >= 65520) return Math.sign(x) * Infinity;
  // Spacing of float16 values around a: 2^(e - 10) for normals, 2^-24 for subnormals.
  const e = Math.max(Math.floor(Math.log2(a)), -14);
  const ulp = 2 ** (e - 10);
  const q = a / ulp;
  let r = Math.round(q);
  if (Math.abs(q - Math.trunc(q) - 0.5) < 1e-12 && r % 2 !== 0) r -= 1;
  return Math.sign(x) * r * ulp;
}

/** x rounded to the nearest bfloat16 (ties to even). */
function roundBfloat16(x: number): number {
  const f = new Float32Array([x]);
  const u = new Uint32Array(f.buffer);
  const bits = u[0]!;
  u[0] = ((bits + 0x7fff + ((bits >>> 16) & 1)) & 0xffff0000) >>> 0;
  return f[0]!;
}

type Encoded = Record<string, unknown>;
const isObject = (v: unknown): v is Encoded => typeof v === 'object' && v !== null && !Array.isArray(v);

function decodeFloat(v: unknown): number {
  if (v === 'inf') return Infinity;
  if (v === '-inf') return -Infinity;
  if (v === 'nan') return NaN;
  return v as number;
}

function decode(v: unknown, draw: Lcg, device: 'webgpu' | 'cpu'): PyValue {
  if (v === null || typeof v === 'number' || typeof v === 'boolean' || typeof v === 'string') return v;
  if (!isObject(v)) throw new Error(`cannot decode ${JSON.stringify(v)}`);
  const sub = (x: unknown): PyValue => decode(x, draw, device);
  if ('tensor' in v) return drawInput(v as unknown as TensorSpec, draw, device);
  if ('float' in v) return new PyFloat(decodeFloat(v.float));
  if ('tuple' in v) return new PyTuple((v.tuple as unknown[]).map(sub));
  if ('list' in v) return new PyList((v.list as unknown[]).map(sub));
  if ('size' in v) return new TorchSize(v.size as number[]);
  if ('ellipsis' in v) return ELLIPSIS;
  if ('slice' in v) {
    const [a, b, c] = (v.slice as unknown[]).map(sub);
    return new PySlice(a, b, c);
  }
  if ('dtype' in v) return dtypeAliases[v.dtype as string]!;
  if ('device' in v) return new TorchDevice(v.device as string);
  throw new Error(`cannot decode ${JSON.stringify(v)}`);
}

// ------------------------------------------------------------------ running and comparing

export type Outcome =
  | { status: 'pass' }
  | { status: 'fail'; problems: string[] }
  /** Not a webgpu result: the runtime lacks something outside the device (a cpu kernel, host values). */
  | { status: 'blocked'; reason: string };

interface Expected {
  tensor: number[];
  dtype: string;
  /** Every value (cases.json here), or the first ones as base64 float64 (cpu/values.json). */
  values?: unknown[] | string;
  sample?: { at: number[]; values: unknown[] };
  sum?: number | string;
  abs_sum?: number | string;
}

/** Pairs of (actual tensor, expected spec) inside a result, in order. */
function tensorsOf(expected: unknown, actual: PyValue, out: [Tensor, Expected][]): void {
  if (!isObject(expected)) return;
  if ('tensor' in expected && actual instanceof Tensor) { out.push([actual, expected as unknown as Expected]); return; }
  const items = (expected.tuple ?? expected.list) as unknown[] | undefined;
  if (items && (actual instanceof PyTuple || actual instanceof PyList)) items.forEach((e, i) => tensorsOf(e, actual.items[i], out));
}

const close = (got: number, want: number): boolean => {
  if (Number.isNaN(want)) return Number.isNaN(got);
  if (!Number.isFinite(want)) return got === want;
  return Math.abs(got - want) <= 1e-5 + 1e-4 * Math.abs(want);
};

function toNumber(v: unknown): number {
  if (typeof v === 'boolean') return v ? 1 : 0;
  return decodeFloat(v);
}

function compareValues(t: Tensor, e: Expected, data: NonNullable<Tensor['data']>, path: string): string[] {
  const got = (i: number): number => Number(data[i]);
  const isFloat = t.dtype.isFloatingPoint;
  const problems: string[] = [];
  const check = (i: number, want: number): void => {
    const g = got(i);
    const ok = isFloat ? close(g, want) : g === want;
    if (!ok && problems.length < 5) problems.push(`${path}[${i}]: got ${g}, want ${want}`);
  };
  if (typeof e.values === 'string') {
    const bytes = Buffer.from(e.values, 'base64');
    const first = new Float64Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 8);
    first.forEach((w, i) => check(i, w));
  } else if (e.values) {
    e.values.forEach((w, i) => check(i, toNumber(w)));
  }
  if (e.sample) e.sample.at.forEach((i, k) => check(i, toNumber(e.sample!.values[k])));
  if (e.sum !== undefined && e.abs_sum !== undefined) {
    const want = toNumber(e.sum);
    const scale = toNumber(e.abs_sum);
    let s = 0;
    for (let i = 0; i < data.length; i++) s += got(i);
    const ok = Number.isFinite(want) ? Math.abs(s - want) <= 1e-5 * data.length + 1e-4 * scale : close(s, want);
    if (!ok && !(Number.isNaN(want) && Number.isNaN(s))) problems.push(`${path}: sum ${s}, want ${want}`);
  }
  return problems;
}

function blockedReason(e: unknown): string | null {
  if (e instanceof NeedsValuesError) return `needs host values (${e.message})`;
  if (e instanceof PyError && e.pyType === 'NotImplementedError' && /no (webgpu or )?cpu kernel|no cpu kernel|not implemented yet|arrives with the value tier|the cpu kernels do not have/.test(e.message)) return e.message;
  return null;
}

/** Runs one case on webgpu and compares with torch. */
export async function runValueCase(c: ValueCase): Promise<Outcome> {
  const draw = new Lcg();
  let actual: PyValue;
  const expect = c.expect;
  try {
    actual = withRuntimeContext({ device: 'webgpu' }, () => {
      const args = c.args.map((a) => decode(a, draw, 'webgpu'));
      const kwargs = new Map(Object.entries(c.kwargs).map(([k, v]) => [k, decode(v, draw, 'webgpu')]));
      return perform(c as unknown as Case, args, kwargs);
    });
  } catch (e) {
    const blocked = blockedReason(e);
    if ('error' in expect) {
      if (e instanceof PyError && e.pyType === expect.error.type && e.message === expect.error.message) return { status: 'pass' };
      if (blocked) return { status: 'blocked', reason: blocked };
      if (!(e instanceof PyError)) return { status: 'fail', problems: [`expected ${expect.error.type}: ${expect.error.message}; got non-Python error ${String(e)}`] };
      return { status: 'fail', problems: [`expected ${expect.error.type}: ${JSON.stringify(expect.error.message)}; got ${e.pyType}: ${JSON.stringify(e.message)}`] };
    }
    if (blocked) return { status: 'blocked', reason: blocked };
    return { status: 'fail', problems: [`unexpected ${e instanceof PyError ? e.pyType : 'error'}: ${e instanceof Error ? e.stack ?? e.message : String(e)}`] };
  }
  if ('error' in expect) return { status: 'fail', problems: [`expected ${expect.error.type}: ${expect.error.message}; got ${describe(actual)}`] };
  // torch ran on the CPU; here the tensors live on webgpu, and say so.
  const result = JSON.parse(JSON.stringify(expect.result).replaceAll("device(type='cpu')", "device(type='webgpu')")) as unknown;
  const problems = compareResult(result, actual);
  if (problems.length > 0) return { status: 'fail', problems };
  const pairs: [Tensor, Expected][] = [];
  tensorsOf(expect.result, actual, pairs);
  if (c.random) return { status: 'pass' };
  const withValues = pairs.filter(([, e]) => e.values !== undefined || e.sample !== undefined || e.sum !== undefined);
  if (withValues.length === 0) return { status: 'pass' };
  let data: NonNullable<Tensor['data']>[];
  try {
    data = await readbackMany(withValues.map(([t]) => t));
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    const m = /cpu fallback for .* failed: (.*)/s.exec(msg);
    if (m && /no (webgpu or )?cpu kernel|not implemented/.test(m[1]!)) return { status: 'blocked', reason: m[1]! };
    return { status: 'fail', problems: [`readback failed: ${msg}`] };
  }
  const valueProblems = withValues.flatMap(([t, e], i) => compareValues(t, e, data[i]!, `result#${i}`));
  return valueProblems.length > 0 ? { status: 'fail', problems: valueProblems } : { status: 'pass' };
}

function describe(v: PyValue): string {
  if (v instanceof Tensor) return `tensor [${v.shape}] ${v.dtype.name}`;
  try { return pyRepr(v); } catch { return String(v); }
}

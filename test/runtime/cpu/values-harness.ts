// Replays test/runtime/ops/cases.json on a value device with the deterministic inputs of
// make-values.py and compares against what PyTorch 1.13 returned for those inputs (values.json):
// shapes, dtypes, errors (type and message) and values — every element of the first 128, the
// sum and the sum of absolute values — within 1e-5 + 1e-4·|x| per value.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type DType, dtypeAliases } from '../../../runtime/dtype.ts';
import { type DeviceKind, Tensor } from '../../../runtime/tensor.ts';
import { allocate } from '../../../runtime/ops/registry.ts';
import { PyError, PyFloat, PyList, PyTuple, type PyValue, pyRepr } from '../../../runtime/python/index.ts';
import { withRuntimeContext } from '../../../runtime/context.ts';
import { TorchSize } from '../../../runtime/torch/index.ts';
import { type Case, decode, perform } from '../ops/conformance-harness.ts';

export interface ValueCase { id: string; call: string; expect: Case['expect']; random?: boolean }

export function loadValues(): Map<string, ValueCase> {
  const path = fileURLToPath(new URL('./values.json', import.meta.url));
  const cases = (JSON.parse(readFileSync(path, 'utf8')) as { cases: ValueCase[] }).cases;
  return new Map(cases.map((c) => [c.id, c]));
}

// ------------------------------------------------------------------ inputs (make-values.py's generator)

/** The linear congruential generator of make-values.py, bit for bit. */
export class Lcg {
  private state = 12345;
  u(): number {
    this.state = (Math.imul(this.state, 1664525) + 1013904223) >>> 0;
    return (this.state >>> 8) / 16777216;
  }
  normal(): number {
    const a = this.u();
    const b = this.u();
    const c = this.u();
    return (a + b + c - 1.5) * 2;
  }
}

interface InputSpec { shape: number[]; dtype: string; low: number; high: number; requiresGrad: boolean }
type Encoded = Record<string, unknown>;
const isObject = (v: unknown): v is Encoded => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The tensor specs of a case's arguments in the order `decode` builds them. */
function tensorSpecs(c: Case): InputSpec[] {
  const specs: InputSpec[] = [];
  const walk = (v: unknown): void => {
    if (!isObject(v)) return;
    if ('tensor' in v) {
      specs.push({ shape: v.tensor as number[], dtype: v.dtype as string, low: (v.low as number | undefined) ?? 0, high: (v.high as number | undefined) ?? 10, requiresGrad: v.requires_grad === true });
      return;
    }
    for (const key of ['tuple', 'list', 'slice']) if (key in v) (v[key] as unknown[]).forEach(walk);
  };
  c.args.forEach(walk);
  Object.values(c.kwargs).forEach(walk);
  return specs;
}

/** A value tensor with make-values.py's deterministic values. */
function makeValues(spec: InputSpec, device: DeviceKind, gen: Lcg): Tensor {
  const dtype: DType = dtypeAliases[spec.dtype]!;
  const n = spec.shape.reduce((a, b) => a * b, 1);
  const data = allocate(dtype, n);
  for (let i = 0; i < n; i++) {
    let v: number;
    if (dtype.isFloatingPoint || dtype.isComplex) v = gen.normal();
    else if (dtype.name === 'bool') v = Math.floor(gen.u() * 2);
    else v = spec.low + Math.floor(gen.u() * (spec.high - spec.low));
    if (data instanceof BigInt64Array) data[i] = BigInt(v);
    else data[i] = dtype.name === 'float16' ? roundHalf(v) : dtype.name === 'bfloat16' ? roundBf16(v) : v;
  }
  const t = new Tensor(spec.shape, dtype, device, data);
  t.requiresGrad = spec.requiresGrad;
  return t;
}

// Rounding helpers for the half-precision inputs (double -> float -> half, as torch's .to() does).
const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
function roundBf16(v: number): number {
  f32[0] = v;
  u32[0] = ((u32[0]! + 0x7fff + ((u32[0]! >>> 16) & 1)) >>> 0) & 0xffff0000;
  return f32[0]!;
}
function roundHalf(v: number): number {
  const x = Math.fround(v);
  if (x === 0 || !Number.isFinite(x)) return x;
  const a = Math.abs(x);
  let e = Math.floor(Math.log2(a));
  while (2 ** e > a) e--;
  while (2 ** (e + 1) <= a) e++;
  const scale = 2 ** (Math.max(e, -14) - 10);
  const q = a / scale;
  let r = Math.round(q);
  if (r - q === 0.5 && r % 2 !== 0) r -= 1;
  return Math.sign(x) * r * scale;
}

// ------------------------------------------------------------------ comparison

const close = (a: number, b: number): boolean =>
  (Number.isNaN(a) && Number.isNaN(b)) || a === b || Math.abs(a - b) <= 1e-5 + 1e-4 * Math.abs(b);

function decodeNumber(v: unknown): number {
  if (v === 'inf') return Infinity;
  if (v === '-inf') return -Infinity;
  if (v === 'nan') return NaN;
  return v as number;
}

function tensorNumbers(t: Tensor): number[] {
  const d = t.data;
  if (d === null) return [];
  return Array.from(d as ArrayLike<number | bigint>, Number);
}

function decodeValues(b64: string): number[] {
  const bytes = Buffer.from(b64, 'base64');
  return Array.from(new Float64Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 8));
}

/** Differences between a result and PyTorch's (values included unless `structureOnly`). */
export function compareValues(expected: unknown, actual: PyValue, structureOnly: boolean, path = 'result'): string[] {
  const fail = (what: string): string[] => [`${path}: expected ${what}, got ${describe(actual)}`];
  if (expected === null) return actual === null ? [] : fail('None');
  if (typeof expected === 'number') {
    if (typeof actual === 'number' && actual === expected) return [];
    return fail(String(expected));
  }
  if (typeof expected === 'boolean' || typeof expected === 'string') return actual === expected ? [] : fail(JSON.stringify(expected));
  if (!isObject(expected)) return fail(JSON.stringify(expected));
  if ('tensor' in expected) {
    if (!(actual instanceof Tensor)) return fail(`a tensor ${JSON.stringify(expected.tensor)}`);
    const shape = expected.tensor as number[];
    const errors: string[] = [];
    if (actual.shape.length !== shape.length || actual.shape.some((s, i) => s !== shape[i])) errors.push(`${path}: shape [${actual.shape}] != [${shape}]`);
    if (actual.dtype.name !== expected.dtype) errors.push(`${path}: dtype ${actual.dtype.name} != ${String(expected.dtype)}`);
    if ((expected.requires_grad === true) !== actual.requiresGrad) errors.push(`${path}: requires_grad ${actual.requiresGrad} != ${expected.requires_grad === true}`);
    if (errors.length || structureOnly || !('values' in expected)) return errors;
    if (actual.data === null) return [`${path}: the result has no values`];
    const mine = tensorNumbers(actual);
    const want = decodeValues(expected.values as string);
    const exact = !actual.dtype.isFloatingPoint;
    for (let i = 0; i < want.length; i++) {
      const ok = exact ? mine[i] === want[i] : close(mine[i]!, want[i]!);
      if (!ok) { errors.push(`${path}: value [${i}] ${mine[i]} != ${want[i]}`); break; }
    }
    const sum = mine.reduce((s, v) => s + v, 0);
    const absSum = mine.reduce((s, v) => s + Math.abs(v), 0);
    const wantSum = decodeNumber(expected.sum);
    const wantAbs = decodeNumber(expected.abs_sum);
    const sumOk = (Number.isNaN(wantSum) && Number.isNaN(sum)) || sum === wantSum || Math.abs(sum - wantSum) <= 1e-4 * (Number.isFinite(wantAbs) ? wantAbs : 0) + 1e-5;
    if (!sumOk) errors.push(`${path}: sum ${sum} != ${wantSum} (abs_sum ${wantAbs})`);
    if (!close(absSum, wantAbs)) errors.push(`${path}: abs_sum ${absSum} != ${wantAbs}`);
    return errors;
  }
  if ('size' in expected) {
    if (!(actual instanceof TorchSize)) return fail(`torch.Size(${JSON.stringify(expected.size)})`);
    return compareValues({ list: expected.size }, new PyList([...actual.items]), structureOnly, path);
  }
  if ('tuple' in expected || 'list' in expected) {
    const items = (expected.tuple ?? expected.list) as unknown[];
    if ('tuple' in expected && (!(actual instanceof PyTuple) || actual instanceof TorchSize)) return fail('a tuple');
    if ('list' in expected && !(actual instanceof PyList)) return fail('a list');
    const got = (actual as PyTuple | PyList).items;
    if (got.length !== items.length) return fail(`${items.length} items`);
    return items.flatMap((e, i) => compareValues(e, got[i], structureOnly, `${path}[${i}]`));
  }
  if ('float' in expected) {
    const want = decodeNumber(expected.float);
    return actual instanceof PyFloat && (structureOnly || close(actual.value, want)) ? [] : fail(String(want));
  }
  if ('repr' in expected) return pyRepr(actual) === expected.repr ? [] : fail(String(expected.repr));
  return fail(JSON.stringify(expected));
}

function describe(v: PyValue): string {
  if (v instanceof Tensor) return `tensor [${v.shape}] ${v.dtype.name}`;
  try { return pyRepr(v); } catch { return String(v); }
}

/** Runs one case on `device` with deterministic inputs; returns the mismatches with PyTorch. */
export function runValueCase(c: Case, expected: ValueCase, device: DeviceKind): string[] {
  const specs = tensorSpecs(c);
  const gen = new Lcg();
  let next = 0;
  const makeInput = (spec: { shape: number[]; dtype: string }, d: DeviceKind): Tensor => {
    const s = specs[next++]!;
    if (s.dtype !== spec.dtype || s.shape.join() !== spec.shape.join()) throw new Error(`input order mismatch at ${c.id}`);
    return makeValues(s, d, gen);
  };
  return withRuntimeContext({ device }, () => {
    const args = c.args.map((a) => decode(a, device, makeInput));
    const kwargs = new Map(Object.entries(c.kwargs).map(([k, v]) => [k, decode(v, device, makeInput)]));
    const expect = expected.expect;
    let actual: PyValue;
    try {
      actual = perform(c, args, kwargs);
    } catch (e) {
      if ('error' in expect) {
        if (!(e instanceof PyError)) return [`expected ${expect.error.type}: ${expect.error.message}\n     got non-Python error ${String(e)}`];
        const problems: string[] = [];
        if (e.pyType !== expect.error.type) problems.push(`error type ${e.pyType} != ${expect.error.type}`);
        if (e.message !== expect.error.message) problems.push(`message\n     got:  ${JSON.stringify(e.message)}\n     want: ${JSON.stringify(expect.error.message)}`);
        return problems;
      }
      const kind = e instanceof PyError ? e.pyType : e instanceof Error ? e.constructor.name : 'error';
      return [`unexpected ${kind}: ${e instanceof Error ? e.message : String(e)}`];
    }
    if ('error' in expect) return [`expected ${expect.error.type}: ${expect.error.message}\n     got ${describe(actual)}`];
    return compareValues(expect.result, actual, expected.random === true);
  });
}

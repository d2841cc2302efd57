// Replays the cases in cases.json (recorded from PyTorch 1.13 by make-cases.py) against the
// runtime. A case is a call (`torch.cat`, `F.conv2d`, `Tensor.view`, `op:+`, `getitem`, ...) with
// encoded arguments and what torch returned or raised. `runCase` builds the inputs on a device,
// calls, and returns a list of mismatches (empty when the runtime agrees with PyTorch).
//
// Issue 3 runs the same cases on `cpu`/`webgpu`: inputs then need values drawn as make-cases.py
// drew them (torch.manual_seed(0), randn/randint in argument order), and `expect.result` carries
// `sum`/`first` for the value comparison; the hook for that is `makeInput`.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dtypeAliases } from '../../../runtime/dtype.ts';
import { type DeviceKind, Tensor } from '../../../runtime/tensor.ts';
import {
  BuiltinFunction, ELLIPSIS, type Interop, NeedsValuesError, PyError, PyFloat, PyList, PySlice, PyTuple, type PyValue, plainInterop, pyRepr,
} from '../../../runtime/python/index.ts';
import { withRuntimeContext } from '../../../runtime/context.ts';
import {
  TorchDevice, TorchSize, functional, getTensorAttribute, tensorBinaryOp, tensorCompare, tensorGetItem, tensorInplaceBinaryOp, tensorIter,
  tensorLen, tensorRepr, tensorSetItem, tensorToBool, tensorToNumber, tensorUnaryOp, torchFunctions,
  type BinaryOperator, type CompareOperator,
} from '../../../runtime/torch/index.ts';

export interface Case {
  id: string;
  group: string;
  call: string;
  args: unknown[];
  kwargs: Record<string, unknown>;
  expect: { result: unknown } | { error: { type: string; message: string } };
  /** `needs_values`: torch's answer depends on tensor values; the shape tier must say so. */
  meta?: 'needs_values';
  /** What torch's own `meta` device answers, where CPU's answer depends on values. */
  meta_expect?: Case['expect'];
}

export function loadCases(): Case[] {
  const path = fileURLToPath(new URL('./cases.json', import.meta.url));
  return (JSON.parse(readFileSync(path, 'utf8')) as { cases: Case[] }).cases;
}

/** Interop for runtime calls without an evaluator: Python reprs for messages. */
export const testInterop: Interop = { ...plainInterop, repr: (v) => pyRepr(v) };

type Encoded = Record<string, unknown>;
const isObject = (v: unknown): v is Encoded => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Builds an input tensor; the shape tier needs no values. */
export type MakeInput = (spec: { shape: number[]; dtype: string; requiresGrad: boolean }, device: DeviceKind) => Tensor;
export const makeMetaInput: MakeInput = (spec, device) => {
  const t = new Tensor(spec.shape, dtypeAliases[spec.dtype]!, device);
  t.requiresGrad = spec.requiresGrad;
  return t;
};

function decodeFloat(v: unknown): number {
  if (v === 'inf') return Infinity;
  if (v === '-inf') return -Infinity;
  if (v === 'nan') return NaN;
  return v as number;
}

export function decode(v: unknown, device: DeviceKind, makeInput: MakeInput): PyValue {
  if (v === null || typeof v === 'number' || typeof v === 'boolean' || typeof v === 'string') return v;
  if (!isObject(v)) throw new Error(`cannot decode ${JSON.stringify(v)}`);
  const sub = (x: unknown): PyValue => decode(x, device, makeInput);
  if ('tensor' in v) return makeInput({ shape: v.tensor as number[], dtype: v.dtype as string, requiresGrad: v.requires_grad === true }, device);
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

function callFunction(fn: PyValue | undefined, what: string, args: PyValue[], kwargs: Map<string, PyValue>): PyValue {
  if (!(fn instanceof BuiltinFunction)) throw new Error(`${what} is not implemented`);
  return fn.impl(args, kwargs, testInterop);
}

/** Performs a case's call. */
export function perform(c: Case, args: PyValue[], kwargs: Map<string, PyValue>): PyValue {
  const [kind, name = ''] = c.call.includes(':') ? c.call.split(':') as [string, string] : [c.call];
  if (kind.startsWith('torch.')) return callFunction(torchFunctions.get(kind.slice(6)), kind, args, kwargs);
  if (kind.startsWith('F.')) return callFunction(functional.get(kind.slice(2)), kind, args, kwargs);
  if (kind.startsWith('Tensor.')) return callFunction(getTensorAttribute(args[0] as Tensor, kind.slice(7)), kind, args.slice(1), kwargs);
  switch (kind) {
    case 'attr': {
      const v = getTensorAttribute(args[0] as Tensor, name);
      if (v === undefined) throw new Error(`no attribute ${name}`);
      return v;
    }
    case 'op': return tensorBinaryOp(name as BinaryOperator, args[0], args[1]);
    case 'iop': return tensorInplaceBinaryOp(name as BinaryOperator, args[0], args[1]);
    case 'cmp': return tensorCompare(name as CompareOperator, args[0], args[1]);
    case 'unary': return tensorUnaryOp(name as '-' | '+' | '~', args[0] as Tensor);
    case 'getitem': return tensorGetItem(args[0] as Tensor, args[1]);
    case 'setitem': tensorSetItem(args[0] as Tensor, args[1], args[2]); return args[0];
    case 'len': return tensorLen(args[0] as Tensor);
    case 'iter': return new PyList([...tensorIter(args[0] as Tensor)]);
    case 'repr': return tensorRepr(args[0] as Tensor);
    case 'bool': return tensorToBool(args[0] as Tensor);
    case 'float': case 'int': return tensorToNumber(args[0] as Tensor, kind);
    default: throw new Error(`unknown call ${c.call}`);
  }
}

/** Differences between what the runtime returned and what torch recorded (shape-level). */
export function compareResult(expected: unknown, actual: PyValue, path = 'result'): string[] {
  const fail = (what: string): string[] => [`${path}: expected ${what}, got ${describe(actual)}`];
  if (expected === null) return actual === null ? [] : fail('None');
  if (typeof expected === 'number') return actual === expected ? [] : fail(String(expected));
  if (typeof expected === 'boolean' || typeof expected === 'string') return actual === expected ? [] : fail(JSON.stringify(expected));
  if (!isObject(expected)) return fail(JSON.stringify(expected));
  if ('tensor' in expected) {
    if (!(actual instanceof Tensor)) return fail(`a tensor ${JSON.stringify(expected.tensor)}`);
    const shape = expected.tensor as number[];
    const errors: string[] = [];
    if (actual.shape.length !== shape.length || actual.shape.some((s, i) => s !== shape[i])) errors.push(`${path}: shape [${actual.shape}] != [${shape}]`);
    if (actual.dtype.name !== expected.dtype) errors.push(`${path}: dtype ${actual.dtype.name} != ${String(expected.dtype)}`);
    if ((expected.requires_grad === true) !== actual.requiresGrad) errors.push(`${path}: requires_grad ${actual.requiresGrad} != ${expected.requires_grad === true}`);
    return errors;
  }
  if ('size' in expected) {
    if (!(actual instanceof TorchSize)) return fail(`torch.Size(${JSON.stringify(expected.size)})`);
    return compareResult({ list: expected.size }, new PyList([...actual.items]), path);
  }
  if ('tuple' in expected || 'list' in expected) {
    const items = (expected.tuple ?? expected.list) as unknown[];
    if ('tuple' in expected && (!(actual instanceof PyTuple) || actual instanceof TorchSize)) return fail('a tuple');
    if ('list' in expected && !(actual instanceof PyList)) return fail('a list');
    const got = (actual as PyTuple | PyList).items;
    if (got.length !== items.length) return fail(`${items.length} items`);
    return items.flatMap((e, i) => compareResult(e, got[i], `${path}[${i}]`));
  }
  if ('float' in expected) {
    const want = decodeFloat(expected.float);
    return actual instanceof PyFloat && (actual.value === want || (Number.isNaN(want) && Number.isNaN(actual.value))) ? [] : fail(String(want));
  }
  if ('repr' in expected) return pyRepr(actual) === expected.repr ? [] : fail(String(expected.repr));
  return fail(JSON.stringify(expected));
}

function describe(v: PyValue): string {
  if (v instanceof Tensor) return `tensor [${v.shape}] ${v.dtype.name}`;
  try { return pyRepr(v); } catch { return String(v); }
}

/** Runs one case on a device; returns the mismatches (empty: the runtime agrees with PyTorch). */
export function runCase(c: Case, device: DeviceKind = 'meta', makeInput: MakeInput = makeMetaInput): string[] {
  const expect = device === 'meta' && c.meta_expect ? c.meta_expect : c.expect;
  return withRuntimeContext({ device }, () => {
    const args = c.args.map((a) => decode(a, device, makeInput));
    const kwargs = new Map(Object.entries(c.kwargs).map(([k, v]) => [k, decode(v, device, makeInput)]));
    let actual: PyValue;
    try {
      actual = perform(c, args, kwargs);
    } catch (e) {
      if (device === 'meta' && c.meta === 'needs_values') return e instanceof NeedsValuesError ? [] : [`expected NeedsValuesError, got ${String(e)}`];
      if ('error' in expect) {
        if (!(e instanceof PyError)) return [`expected ${expect.error.type}: ${expect.error.message}\n     got non-Python error ${String(e)}`];
        const problems: string[] = [];
        if (e.pyType !== expect.error.type) problems.push(`error type ${e.pyType} != ${expect.error.type}`);
        if (e.message !== expect.error.message) problems.push(`message\n     got:  ${JSON.stringify(e.message)}\n     want: ${JSON.stringify(expect.error.message)}`);
        return problems;
      }
      return [`unexpected ${e instanceof PyError ? e.pyType : 'error'}: ${e instanceof Error ? e.message : String(e)}`];
    }
    if (device === 'meta' && c.meta === 'needs_values') return ['expected NeedsValuesError (the answer depends on values)'];
    if ('error' in expect) return [`expected ${expect.error.type}: ${expect.error.message}\n     got ${describe(actual)}`];
    return compareResult(expect.result, actual);
  });
}

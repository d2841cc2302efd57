// Test helpers: decode the value encoding of cases.json (see make-cases.py) into runtime values,
// encode runtime values back into it, and build layers by class name.
import { readFileSync } from 'node:fs';
import {
  BuiltinFunction, type Interop, type Kwargs, PyDict, PyError, PyFloat, PyList, PyTuple, type PyValue, formatStr, plainInterop, pyTypeName,
} from '../../../runtime/python/index.ts';
import { DType, dtypeAliases } from '../../../runtime/dtype.ts';
import { Parameter, Tensor } from '../../../runtime/tensor.ts';
import { Module, type ModuleClass } from '../../../runtime/nn/module.ts';
import { nnClasses } from '../../../runtime/nn/index.ts';
import { functionalBuiltin } from '../../../runtime/nn/functional-call.ts';

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

export const cases = JSON.parse(readFileSync(new URL('./cases.json', import.meta.url), 'utf8')) as Record<string, Json>;

export const classByName = new Map<string, ModuleClass>(nnClasses.map((c) => [c.pyName, c]));

export function construct(cls: string, args: PyValue[], kwargs: Kwargs, interop: Interop = plainInterop): Module {
  const C = classByName.get(cls);
  if (!C) throw new Error(`no class ${cls}`);
  const m = new C();
  m.pyInit(args, kwargs, interop);
  return m;
}

export function decode(v: Json): PyValue {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(decode);
  if ('float' in v) return new PyFloat(typeof v.float === 'number' ? v.float : Number(String(v.float).replace('inf', 'Infinity')));
  if ('tuple' in v) return new PyTuple((v.tuple as Json[]).map(decode));
  if ('list' in v) return new PyList((v.list as Json[]).map(decode));
  if ('dict' in v) return new PyDict((v.dict as [Json, Json][]).map(([k, x]) => [decode(k), decode(x)]));
  if ('odict' in v) return new PyDict((v.odict as [Json, Json][]).map(([k, x]) => [decode(k), decode(x)]), 'OrderedDict');
  if ('tensor' in v) return new Tensor(v.tensor as number[], dtypeAliases[(v.dtype as string) ?? 'float32']);
  if ('param' in v) return new Parameter(v.param as number[], dtypeAliases[(v.dtype as string) ?? 'float32']);
  if ('dtype' in v) return dtypeAliases[v.dtype as string];
  if ('F' in v) {
    const f = functionalBuiltin(v.F as string);
    if (!f) throw new Error(`torch.nn.functional.${String(v.F)} is missing`);
    return f;
  }
  if ('module' in v) {
    const [cls, args, kwargs] = v.module as [string, Json[], Record<string, Json>];
    return construct(cls, args.map(decode), decodeKwargs(kwargs));
  }
  throw new Error(`cannot decode ${JSON.stringify(v)}`);
}

export const decodeKwargs = (kw: Record<string, Json>): Kwargs => new Map(Object.entries(kw).map(([k, x]) => [k, decode(x)]));

export function encode(v: PyValue): Json {
  if (v === null || v === undefined) return null;
  if (typeof v === 'boolean' || typeof v === 'number' || typeof v === 'string') return v;
  if (v instanceof PyFloat) return { float: Number.isFinite(v.value) ? v.value : (v.value > 0 ? 'inf' : Number.isNaN(v.value) ? 'nan' : '-inf') };
  if (v instanceof PyTuple) return { tuple: v.items.map(encode) };
  if (v instanceof PyList) return { list: v.items.map(encode) };
  if (v instanceof PyDict) return { [v.typeName === 'OrderedDict' ? 'odict' : 'dict']: v.items().map(([k, x]) => [encode(k), encode(x)]) };
  if (v instanceof DType) return { dtype: v.name };
  if (v instanceof Parameter) return { param: [...v.shape], dtype: v.dtype.name };
  if (v instanceof Tensor) return { tensor: [...v.shape], dtype: v.dtype.name };
  if (v instanceof Module) return { module_repr: v.repr() };
  if (v instanceof BuiltinFunction) return { F: v.name };
  return { unencodable: pyTypeName(v) };
}

/** What Python's `str(exc)` shows for a runtime PyError (KeyError shows the repr of its argument). */
export function pythonMessage(e: PyError): string {
  return e.pyType === 'KeyError' ? formatStr(e.message) : e.message;
}

/**
 * Python prints sets in hash order, which varies between runs (PYTHONHASHSEED): compare messages
 * with the elements of `{'a', 'b'}` literals sorted.
 */
export function normalizeSetLiterals(message: string): string {
  return message.replace(/\{('[^{}]*')\}/g, (_, body: string) => `{${body.split(', ').sort().join(', ')}}`);
}

/** Runs `fn`, returning the Python error it raised as `{type, message}` (non-Python errors propagate). */
export function pyErrorOf(fn: () => unknown): { type: string; message: string } | null {
  try {
    fn();
    return null;
  } catch (e) {
    if (e instanceof PyError) return { type: e.pyType, message: normalizeSetLiterals(pythonMessage(e)) };
    throw e;
  }
}

/** `ShapeStruct` as make-cases.py records it. */
export function shapeStruct(v: PyValue): Json {
  if (v instanceof Tensor) return { shape: [...v.shape], dtype: v.dtype.name };
  if (v instanceof PyTuple) return { tuple: v.items.map(shapeStruct) };
  if (v instanceof PyList) return { list: v.items.map(shapeStruct) };
  if (v === null) return null;
  return { value: String(v) };
}

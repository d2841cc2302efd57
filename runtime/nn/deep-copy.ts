// `copy.deepcopy` of modules (what TransformerEncoder's `_get_clones` does): every module,
// tensor and mutable container in the copied subtree is copied once, through a memo, so objects
// shared inside the subtree (tied weights, a module registered twice) stay shared in the copy.
// Immutable values (numbers, strings, tuples of immutables, dtypes, functions) are kept as is,
// as Python's deepcopy does. Objects the runtime does not know (the evaluator's instances) go
// through `copyForeign`, which by default keeps them shared.
import { PyDict, PyList, PyTuple, type PyValue } from '../python/index.ts';
import { Parameter, Tensor } from '../tensor.ts';
import { Module } from './module.ts';

export type Memo = Map<object, unknown>;

export interface DeepCopyOptions {
  /** Copies a value the runtime does not know (an evaluator object); default: share it. */
  copyForeign?: (value: object, memo: Memo) => PyValue;
}

function copyData(data: Tensor['data']): Tensor['data'] {
  return data === null ? null : (data.slice() as Tensor['data']);
}

/** `Parameter.__deepcopy__` / `Tensor.__deepcopy__`: same shape, dtype, device, requires_grad; copied values. */
function copyTensor(t: Tensor): Tensor {
  if (t instanceof Parameter) return new Parameter(t.shape, t.dtype, t.device, copyData(t.data), t.requiresGrad);
  const out = new Tensor(t.shape, t.dtype, t.device, copyData(t.data));
  out.requiresGrad = t.requiresGrad;
  return out;
}

/** Deep-copies any runtime value. */
export function deepCopyValue(v: PyValue, memo: Memo = new Map(), options: DeepCopyOptions = {}): PyValue {
  if (v === null || typeof v !== 'object') return v;
  if (memo.has(v)) return memo.get(v);
  let out: PyValue;
  if (v instanceof Tensor) {
    out = copyTensor(v);
    memo.set(v, out);
  } else if (v instanceof Module) {
    out = copyModule(v, memo, options);
  } else if (v instanceof PyList) {
    const list = new PyList([]);
    memo.set(v, list);
    list.items = v.items.map((x) => deepCopyValue(x, memo, options));
    out = list;
  } else if (v instanceof PyDict) {
    const dict = new PyDict([], v.typeName);
    memo.set(v, dict);
    for (const [k, x] of v.items()) dict.set(deepCopyValue(k, memo, options), deepCopyValue(x, memo, options));
    out = dict;
  } else if (v instanceof PyTuple) {
    const items = v.items.map((x) => deepCopyValue(x, memo, options));
    out = items.every((x, i) => x === v.items[i]) ? v : new PyTuple(items);
    memo.set(v, out);
  } else if (v instanceof Set) {
    out = new Set([...v].map((x) => deepCopyValue(x, memo, options)));
    memo.set(v, out);
  } else {
    out = options.copyForeign ? options.copyForeign(v, memo) : v;
    memo.set(v, out);
  }
  return out;
}

/**
 * Copies a module: a new object of the same TS class with every own field deep-copied
 * (`__dict__`, `_parameters`, `_buffers`, `_modules`, hooks, and layer-specific fields).
 * The user-class hooks describe the class, not the instance, so they are shared.
 */
export function copyModule(m: Module, memo: Memo = new Map(), options: DeepCopyOptions = {}): Module {
  if (memo.has(m)) return memo.get(m) as Module;
  const out = Object.create(Object.getPrototypeOf(m) as object) as Module;
  memo.set(m, out);
  for (const key of Object.keys(m) as (keyof Module)[]) {
    const value = m[key] as unknown;
    let copied: unknown;
    if (key === 'user') copied = value;
    else if (value instanceof Map) copied = new Map([...value].map(([k, x]) => [k, deepCopyValue(x, memo, options)]));
    else if (Array.isArray(value)) copied = value.map((x) => deepCopyValue(x, memo, options));
    else copied = deepCopyValue(value, memo, options);
    (out as unknown as Record<string, unknown>)[key] = copied;
  }
  return out;
}

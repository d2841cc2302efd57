// `copy.deepcopy`, which model code uses to clone layers (`clones(layer, N)`, TransformerEncoder).
// Objects are copied structurally through their own properties, preserving sharing inside the
// copied graph (a memo, as Python's deepcopy); immutable values are shared.
import { PyFloat, type PyValue } from '../../runtime/python/index.ts';
import { Module } from '../../runtime/nn/module.ts';
import { Tensor } from '../../runtime/tensor.ts';
import { BuiltinType, PyClass, PyFunction } from './objects.ts';
import type { Interpreter } from './interpreter.ts';

export function deepCopy(it: Interpreter, value: PyValue, memo = new Map<object, unknown>()): PyValue {
  if (value === null || typeof value !== 'object') return value;
  // Shared, immutable or identity-bearing values: numbers, classes, functions, dtypes.
  if (value instanceof PyFloat || value instanceof PyClass || value instanceof PyFunction || value instanceof BuiltinType) return value;
  if (memo.has(value)) return memo.get(value);
  if (value instanceof Map) {
    const m = new Map();
    memo.set(value, m);
    for (const [k, v] of value) m.set(k, deepCopy(it, v, memo));
    return m;
  }
  if (value instanceof Set) {
    const s = new Set();
    memo.set(value, s);
    for (const v of value) s.add(deepCopy(it, v, memo));
    return s;
  }
  if (Array.isArray(value)) {
    const a: unknown[] = [];
    memo.set(value, a);
    for (const v of value) a.push(deepCopy(it, v, memo));
    return a;
  }
  if (ArrayBuffer.isView(value)) return (value as unknown as { slice(): unknown }).slice();
  const proto = Object.getPrototypeOf(value) as object | null;
  if (proto !== Object.prototype && !isCopyable(value)) return value;
  const copy = Object.create(proto) as Record<string, unknown>;
  memo.set(value, copy);
  for (const key of Object.keys(value)) {
    // The user-class hooks of a Module are per class, not per instance: share them.
    copy[key] = key === 'user' ? (value as Record<string, unknown>)[key] : deepCopy(it, (value as Record<string, unknown>)[key], memo);
  }
  if (value instanceof Module) {
    const cls = it.userClassOf(value);
    if (cls) it.attachUserClass(copy as unknown as Module, cls);
  }
  return copy;
}

/** Plain data objects of ours (containers, tensors, modules, instances) copy; host objects do not. */
function isCopyable(v: object): boolean {
  return v instanceof Module || v instanceof Tensor || 'pyTypeName' in v || 'items' in v || 'entries' in v || 'dict' in v;
}

// What the runtime needs from whoever runs Python (the evaluator): calling a Python callable
// (`model.apply(fn)`, hooks) and iterating any Python iterable (`ModuleList(generator)`).
import type { PyValue } from './values.ts';
import type { Kwargs } from './signature.ts';

export interface Interop {
  call(fn: PyValue, args: PyValue[], kwargs?: Kwargs): PyValue;
  iterate(iterable: PyValue): PyValue[];
  /** `repr()` with user-defined `__repr__` honoured. */
  repr(v: PyValue): string;
}

/** Interop for runtime use without an evaluator (tests, benchmarks): plain values only. */
export const plainInterop: Interop = {
  call(fn, args, kwargs) {
    if (typeof fn === 'function') return (fn as (a: PyValue[], k?: Kwargs) => PyValue)(args, kwargs);
    throw new TypeError('plainInterop cannot call Python values');
  },
  iterate(iterable) {
    if (Array.isArray(iterable)) return iterable;
    const items = (iterable as { items?: PyValue[] }).items;
    if (Array.isArray(items)) return items;
    throw new TypeError('plainInterop cannot iterate this value');
  },
  repr(v) { return String(v); },
};

// The bits of Python semantics that PyTorch's module code relies on, so layers can be written as
// transliterations of their Python source: attribute lookup through `__getattr__`, truthiness,
// `==` on tuples, ordering comparisons with CPython's TypeError, `str.format(**self.__dict__)`,
// `operator.index`, and torch's `_ntuple` helpers (`_pair(3)` -> `(3, 3)`).
import {
  PyDict, PyError, PyFloat, PyList, PySlice, PyTuple, type PyValue, pyRepr, pyStr, pyTypeName, toNumber, typeError, valueError,
} from '../python/index.ts';
import { Tensor } from '../tensor.ts';
import type { Module } from './module.ts';

/** `getattr(module, name)` for instance state: `__dict__` first, then `_parameters`/`_buffers`/`_modules`. */
export function getAttr(m: Module, name: string): PyValue {
  return m.dict.has(name) ? m.dict.get(name) : m.getattrFallback(name);
}

/** `getattr(module, name, None)` without raising. */
export function getAttrOr(m: Module, name: string, fallback: PyValue): PyValue {
  return m.hasInstanceAttribute(name) ? getAttr(m, name) : fallback;
}

/** Python truthiness for the values layers see in their attributes. */
export function truthy(v: PyValue): boolean {
  if (v === null || v === undefined || v === false) return false;
  if (typeof v === 'number') return v !== 0;
  if (typeof v === 'string') return v.length > 0;
  if (v instanceof PyFloat) return v.value !== 0;
  if (v instanceof PyTuple || v instanceof PyList) return v.items.length > 0;
  if (v instanceof PyDict) return v.size > 0;
  return true;
}

const isNumeric = (v: PyValue): boolean => typeof v === 'number' || typeof v === 'boolean' || v instanceof PyFloat;

/** Python `==` for plain values: numbers by value (1 == 1.0 == True), sequences element-wise, else identity. */
export function pyEquals(a: PyValue, b: PyValue): boolean {
  if (isNumeric(a) && isNumeric(b)) return toNumber(a) === toNumber(b);
  if (typeof a === 'string' || typeof b === 'string') return a === b;
  if ((a instanceof PyTuple && b instanceof PyTuple) || (a instanceof PyList && b instanceof PyList)) {
    return a.items.length === b.items.length && a.items.every((x, i) => pyEquals(x, b.items[i]));
  }
  if ((a === null || a === undefined) && (b === null || b === undefined)) return true;
  return a === b;
}

type CompareOp = '<' | '<=' | '>' | '>=';

/** Python's ordering comparison of numbers, raising CPython's TypeError for anything else. */
export function pyCompare(a: PyValue, op: CompareOp, b: PyValue): boolean {
  if (!isNumeric(a) || !isNumeric(b)) {
    throw typeError(`'${op}' not supported between instances of '${pyTypeName(a)}' and '${pyTypeName(b)}'`);
  }
  const x = toNumber(a);
  const y = toNumber(b);
  switch (op) {
    case '<': return x < y;
    case '<=': return x <= y;
    case '>': return x > y;
    case '>=': return x >= y;
  }
}

/** Python's `a % b` for ints/floats (result takes the sign of `b`), with CPython's TypeError. */
export function pyMod(a: PyValue, b: PyValue): number {
  if (!isNumeric(a) || !isNumeric(b)) {
    throw typeError(`unsupported operand type(s) for %: '${pyTypeName(a)}' and '${pyTypeName(b)}'`);
  }
  const x = toNumber(a);
  const y = toNumber(b);
  if (y === 0) {
    const floaty = a instanceof PyFloat || b instanceof PyFloat;
    throw new PyError('ZeroDivisionError', floaty ? 'float modulo' : 'integer division or modulo by zero');
  }
  return x - y * Math.floor(x / y);
}

/** Python's `a // b` (what `out_channels // groups` computes): an int for ints, a float if either is one. */
export function pyFloorDiv(a: PyValue, b: PyValue): PyValue {
  if (!isNumeric(a) || !isNumeric(b)) {
    throw typeError(`unsupported operand type(s) for //: '${pyTypeName(a)}' and '${pyTypeName(b)}'`);
  }
  const q = Math.floor(toNumber(a) / toNumber(b));
  return a instanceof PyFloat || b instanceof PyFloat ? new PyFloat(q) : q;
}

/**
 * `str.format(**fields)` for templates made of `{name}` placeholders, each formatted with `str()`.
 * The templates are the layers' own `extra_repr` strings (a handful), so each is split once into
 * text and field names: reprs are built for every module of every analysis.
 */
export function pyFormat(template: string, fields: Map<string, PyValue>): string {
  let parts = formatTemplates.get(template);
  if (!parts) {
    // split() with a capturing group alternates text and placeholder names: [text, name, text, ...].
    parts = template.split(/\{(\w+)\}/);
    if (formatTemplates.size >= 512) formatTemplates.clear(); // a bound, should a caller ever pass made-up templates
    formatTemplates.set(template, parts);
  }
  let out = parts[0]!;
  for (let i = 1; i < parts.length; i += 2) out += pyStr(fields.get(parts[i]!)) + parts[i + 1]!;
  return out;
}
const formatTemplates = new Map<string, string[]>();

/** `operator.index(v)`: ints and bools only, with CPython's message. */
export function pyIndex(v: PyValue): number {
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  throw typeError(`'${pyTypeName(v)}' object cannot be interpreted as an integer`);
}

/** Items of the iterables torch's `_ntuple` accepts (`isinstance(x, collections.abc.Iterable)`), else null. */
export function iterableItems(v: PyValue): PyValue[] | null {
  if (v instanceof PyTuple || v instanceof PyList) return [...v.items];
  if (typeof v === 'string') return [...v];
  if (v instanceof PyDict) return v.keys();
  if (v instanceof Tensor) return v.ndim === 0 ? null : Array.from({ length: v.shape[0]! }, () => v);
  return null;
}

/** torch's `_ntuple(n)`: an iterable becomes a tuple of its items (any length), anything else is repeated. */
export function ntuple(v: PyValue, n: number): PyTuple {
  const items = iterableItems(v);
  if (items) return new PyTuple(items);
  const repeated: PyValue[] = [];
  for (let i = 0; i < n; i++) repeated.push(v);
  return new PyTuple(repeated);
}
export const single = (v: PyValue): PyTuple => ntuple(v, 1);
export const pair = (v: PyValue): PyTuple => ntuple(v, 2);
export const triple = (v: PyValue): PyTuple => ntuple(v, 3);
export const quadruple = (v: PyValue): PyTuple => ntuple(v, 4);

/** torch's `_reverse_repeat_tuple(t, n)`: reversed items, each repeated n times (a list here, as F.pad takes). */
export function reverseRepeatTuple(t: PyTuple, n: number): PyTuple {
  const out: PyValue[] = [];
  for (const x of [...t.items].reverse()) for (let i = 0; i < n; i++) out.push(x);
  return new PyTuple(out);
}

/** Python `len()` of the sequences layers deal with. */
export function pyLen(v: PyValue): number {
  const items = iterableItems(v);
  if (items === null) throw typeError(`object of type '${pyTypeName(v)}' has no len()`);
  return items.length;
}

/** Python `float(v)` for numbers (and numeric strings, as Python allows). */
export function pyFloat(v: PyValue): PyFloat {
  if (isNumeric(v)) return new PyFloat(toNumber(v));
  if (typeof v === 'string') {
    const x = Number(v.trim());
    if (v.trim() !== '' && !Number.isNaN(x)) return new PyFloat(x);
    throw valueError(`could not convert string to float: ${pyRepr(v)}`);
  }
  throw typeError(`float() argument must be a string or a real number, not '${pyTypeName(v)}'`);
}

/** `isinstance(v, numbers.Number)` excluding complex. */
export const isPyNumber = isNumeric;

/** How C++ `operator<<` prints a double (6 significant digits, `%g` style) in torch's C++ messages. */
export function formatCppDouble(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const exp = Math.floor(Math.log10(Math.abs(Number(x.toPrecision(6)))));
  if (exp < -4 || exp >= 6) {
    const [mant, e] = x.toExponential(5).split('e') as [string, string];
    const m = mant.includes('.') ? mant.replace(/0+$/, '').replace(/\.$/, '') : mant;
    const sign = e.startsWith('-') ? '-' : '+';
    return `${m}e${sign}${e.replace(/^[+-]/, '').padStart(2, '0')}`;
  }
  const fixed = x.toFixed(Math.max(0, 5 - exp));
  return fixed.includes('.') ? fixed.replace(/0+$/, '').replace(/\.$/, '') : fixed;
}

/** The indices `range(*slice.indices(length))` visits, with CPython's clamping rules. */
export function sliceRange(s: PySlice, length: number): number[] {
  const step = s.step === null || s.step === undefined ? 1 : pyIndex(s.step);
  if (step === 0) throw valueError('slice step cannot be zero');
  const [lower, upper] = step < 0 ? [-1, length - 1] : [0, length];
  const clamp = (v: PyValue, dflt: number): number => {
    if (v === null || v === undefined) return dflt;
    let i = pyIndex(v);
    if (i < 0) { i += length; if (i < lower) i = lower; } else if (i > upper) i = upper;
    return i;
  };
  const start = clamp(s.start, step < 0 ? upper : lower);
  const stop = clamp(s.stop, step < 0 ? lower : upper);
  const out: number[] = [];
  for (let i = start; step > 0 ? i < stop : i > stop; i += step) out.push(i);
  return out;
}

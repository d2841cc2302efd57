// The Python values that cross the boundary between the evaluator and the runtime.
// PyTorch's API is a Python API: `Linear(12*4*4, 120)` and `Dropout(0.5)` print differently
// from `Dropout(0)` only because Python keeps int and float apart, so the runtime must too.
//
//   Python       JS
//   int          number (an integer; exact up to 2**53, which covers every shape and count)
//   bool         boolean
//   float        PyFloat
//   str          string
//   None         null
//   tuple        PyTuple        list  PyList        dict  PyDict
//   slice        PySlice        ...   ELLIPSIS
// Anything else (tensors, modules, dtypes, the evaluator's functions and objects) is an object
// that may carry `pyTypeName`.

export type PyValue = unknown;

export class PyFloat {
  constructor(readonly value: number) {}
}

export class PyTuple {
  constructor(readonly items: readonly PyValue[]) {}
}

export class PyList {
  constructor(public items: PyValue[]) {}
}

export class PySlice {
  constructor(readonly start: PyValue, readonly stop: PyValue, readonly step: PyValue) {}
}

export const ELLIPSIS: unique symbol = Symbol('Ellipsis');

/** Objects of the evaluator or runtime that know their Python type name (for error messages). */
export interface HasPyTypeName { readonly pyTypeName: string }

export const float = (v: number): PyFloat => new PyFloat(v);
export const tuple = (...items: PyValue[]): PyTuple => new PyTuple(items);

export function isInt(v: PyValue): v is number { return typeof v === 'number'; }
export function isNumber(v: PyValue): v is number | boolean | PyFloat {
  return typeof v === 'number' || typeof v === 'boolean' || v instanceof PyFloat;
}
/** int, bool or float as a JS number (bool is an int subclass in Python). */
export function toNumber(v: PyValue): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v instanceof PyFloat) return v.value;
  throw new TypeError(`not a number: ${pyTypeName(v)}`);
}

export function pyTypeName(v: PyValue): string {
  if (v === null || v === undefined) return 'NoneType';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return 'int';
  if (typeof v === 'string') return 'str';
  if (v instanceof PyFloat) return 'float';
  if (v instanceof PyTuple) return 'tuple';
  if (v instanceof PyList) return 'list';
  if (v instanceof PyDict) return 'dict';
  if (v instanceof PySlice) return 'slice';
  if (v === ELLIPSIS) return 'ellipsis';
  if (typeof v === 'object' && 'pyTypeName' in (v as object)) return (v as HasPyTypeName).pyTypeName;
  return 'object';
}

// ------------------------------------------------------------------ dict

/**
 * Key identity as Python's hash+eq for the key types real code uses: numbers compare by value
 * (1 == 1.0 == True), strings by content, tuples element-wise, everything else by identity.
 */
export function dictKey(v: PyValue): string {
  if (v === null || v === undefined) return 'N';
  if (typeof v === 'boolean') return `n${v ? 1 : 0}`;
  if (typeof v === 'number') return `n${v}`;
  if (v instanceof PyFloat) return `n${v.value}`;
  // Length-prefixed, so that a str with commas inside a tuple cannot pass for two items.
  if (typeof v === 'string') return `s${v.length}:${v}`;
  if (v instanceof PyTuple) return `t(${v.items.map(dictKey).join(',')})`;
  if (v === ELLIPSIS) return 'E';
  return `o${objectId(v as object)}`;
}

const ids = new WeakMap<object, number>();
let nextId = 1;
export function objectId(o: object): number {
  let id = ids.get(o);
  if (id === undefined) { id = nextId++; ids.set(o, id); }
  return id;
}

/**
 * The key a PyDict stores an entry under: the same identity as `dictKey`, but cheaper for the keys
 * that dominate (attribute names in `_parameters`/`_modules`, ints): a str is its own JS string and
 * a number (int, bool, float: 1 == 1.0 == True) its own JS number, which a Map compares by value
 * (SameValueZero: 0 and -0 are one key, as are NaNs, exactly as `dictKey`'s `n${v}` strings were),
 * so the hot lookups build no string. Tuples keep `dictKey`'s text behind a NUL, and a str that
 * starts with NUL is escaped, so a str can never meet a tuple's key; None and the identity-keyed
 * objects are their own keys.
 */
function entryKey(v: PyValue): unknown {
  if (typeof v === 'string') return v.charCodeAt(0) === 0 ? `\0s${v}` : v;
  if (typeof v === 'number') return v;
  if (v === null || v === undefined) return null;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v instanceof PyFloat) return v.value;
  if (v instanceof PyTuple) return `\0${dictKey(v)}`;
  return v;
}

/** An insertion-ordered dict (also used for OrderedDict, with `ordered` set for its repr). */
export class PyDict {
  // Made on the first insertion: every module holds three dicts (`_parameters`, `_buffers`,
  // `_modules`) and most of them stay empty.
  private entries: Map<unknown, [PyValue, PyValue]> | null = null;
  constructor(pairs: Iterable<[PyValue, PyValue]> = noPairs, readonly typeName: 'dict' | 'OrderedDict' = 'dict') {
    for (const [k, v] of pairs) this.set(k, v);
  }
  get size(): number { return this.entries ? this.entries.size : 0; }
  has(k: PyValue): boolean { return this.entries !== null && this.entries.has(entryKey(k)); }
  get(k: PyValue): PyValue | undefined { return this.entries?.get(entryKey(k))?.[1]; }
  set(k: PyValue, v: PyValue): void {
    const key = entryKey(k);
    const entries = this.entries ??= new Map();
    const old = entries.get(key);
    // Python keeps the first key object and its position when a key is overwritten.
    if (old) old[1] = v; else entries.set(key, [k, v]);
  }
  delete(k: PyValue): boolean { return this.entries !== null && this.entries.delete(entryKey(k)); }
  clear(): void { this.entries?.clear(); }
  keys(): PyValue[] {
    const out: PyValue[] = [];
    if (this.entries) for (const e of this.entries.values()) out.push(e[0]);
    return out;
  }
  values(): PyValue[] {
    const out: PyValue[] = [];
    if (this.entries) for (const e of this.entries.values()) out.push(e[1]);
    return out;
  }
  items(): [PyValue, PyValue][] {
    const out: [PyValue, PyValue][] = [];
    if (this.entries) for (const e of this.entries.values()) out.push([e[0], e[1]]);
    return out;
  }
  /** Calls `fn` for each entry in order, without making the arrays `items()` returns (for hot traversals). */
  forEach(fn: (value: PyValue, key: PyValue) => void): void {
    if (this.entries) for (const e of this.entries.values()) fn(e[1], e[0]);
  }
}
const noPairs: readonly [PyValue, PyValue][] = [];

// ------------------------------------------------------------------ repr

/** Python's `repr(float)`: shortest round-trip digits, exponent form outside [1e-4, 1e16). */
export function formatFloat(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const abs = Math.abs(x);
  if (abs >= 1e16 || abs < 1e-4) {
    // JS: 1e-5 -> "1e-5", 1.5e+16 -> "1.5e+16"; Python pads the exponent to two digits.
    // (Plain string slicing: layer reprs print eps=1e-05 for every norm layer of every analysis.)
    const text = x.toExponential();
    const e = text.indexOf('e');
    const digits = text.slice(e + 2);
    return `${text.slice(0, e)}e${text[e + 1]}${digits.length < 2 ? `0${digits}` : digits}`;
  }
  const s = String(x);
  return s.includes('.') ? s : `${s}.0`;
}

/** Python's `repr(str)`: single quotes unless the text contains a single quote and no double quote. */
export function formatStr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    if (ch === quote || ch === '\\') out += '\\' + ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch < ' ' || ch === '\x7f') out += '\\x' + ch.charCodeAt(0).toString(16).padStart(2, '0');
    else out += ch;
  }
  return out + quote;
}

/** `repr()` of the plain values; objects may define `pyRepr()`. */
export function pyRepr(v: PyValue): string {
  if (v === null || v === undefined) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') return formatStr(v);
  if (v instanceof PyFloat) return formatFloat(v.value);
  // Objects that format themselves first: a torch.Size is a tuple subclass with its own repr.
  if (typeof v === 'object' && typeof (v as { pyRepr?: unknown }).pyRepr === 'function') return (v as { pyRepr(): string }).pyRepr();
  if (v instanceof PyTuple) {
    return v.items.length === 1 ? `(${pyRepr(v.items[0])},)` : `(${v.items.map(pyRepr).join(', ')})`;
  }
  if (v instanceof PyList) return `[${v.items.map(pyRepr).join(', ')}]`;
  if (v instanceof PyDict) {
    const body = v.items().map(([k, x]) => `${pyRepr(k)}: ${pyRepr(x)}`).join(', ');
    if (v.typeName === 'OrderedDict') return `OrderedDict([${v.items().map(([k, x]) => `(${pyRepr(k)}, ${pyRepr(x)})`).join(', ')}])`;
    return `{${body}}`;
  }
  if (v instanceof PySlice) return `slice(${pyRepr(v.start)}, ${pyRepr(v.stop)}, ${pyRepr(v.step)})`;
  if (v === ELLIPSIS) return 'Ellipsis';
  return `<${pyTypeName(v)} object>`;
}

/** `str()`: like repr except for strings (unquoted) and objects that define `pyStr()`. */
export function pyStr(v: PyValue): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'object' && v !== null && typeof (v as { pyStr?: unknown }).pyStr === 'function') return (v as { pyStr(): string }).pyStr();
  return pyRepr(v);
}

/** A Python iterator over precomputed items (what `named_parameters()` and friends return). */
export class PyIterator {
  readonly pyTypeName = 'generator';
  private index = 0;
  constructor(private readonly items: readonly PyValue[]) {}
  /** Returns `done: true` when exhausted (the evaluator raises StopIteration). */
  next(): { done: true } | { done: false; value: PyValue } {
    if (this.index >= this.items.length) return { done: true };
    return { done: false, value: this.items[this.index++] };
  }
}

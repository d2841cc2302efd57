// Python's built-in functions and types, as far as model code uses them. `print` is captured,
// never written; `open`, `exec`, `eval`, `input` and `__import__` are refused (sandbox).
import {
  BuiltinFunction, type Kwargs, PyDict, PyFloat, PyIterator, PyList, PySlice, PyTuple, type PyValue, dictKey,
  formatFloat, pyTypeName, sig, NeedsValuesError,
} from '../../runtime/python/index.ts';
import { Module } from '../../runtime/nn/module.ts';
import { Tensor } from '../../runtime/tensor.ts';
import { tensorToNumber } from '../../runtime/torch/index.ts';
import { builtinExceptions, raise } from './exceptions.ts';
import {
  BuiltinType, ClassMethod, LazyIterator, Opaque, Property, PyClass, PyFunction, PyInstance, PyRange, PySet, StaticMethod,
} from './objects.ts';
import type { Interpreter } from './interpreter.ts';
import { isInstance, isSubclass, setObjectType, typeOf } from './classes.ts';
import { makeSuper } from './expressions.ts';
import { compareForSort } from './operators.ts';
import { formatValue, roundFloat, scaledRoundHalfEven } from './formatting.ts';
import { UnsupportedSignal } from './interpreter.ts';

type Impl = (args: PyValue[], kwargs: Kwargs) => PyValue;
const fn = (name: string, impl: Impl): BuiltinFunction => new BuiltinFunction(name, impl);

export interface BuiltinTypes {
  object: BuiltinType; int: BuiltinType; float: BuiltinType; bool: BuiltinType; str: BuiltinType; list: BuiltinType;
  tuple: BuiltinType; dict: BuiltinType; set: BuiltinType; frozenset: BuiltinType; range: BuiltinType; NoneType: BuiltinType;
  type: BuiltinType; slice: BuiltinType;
}

const typesByInterpreter = new WeakMap<Interpreter, BuiltinTypes>();

export function builtinTypes(it: Interpreter): BuiltinTypes {
  let t = typesByInterpreter.get(it);
  if (!t) { t = makeTypes(it); typesByInterpreter.set(it, t); }
  return t;
}

function toInt(it: Interpreter, v: PyValue, base?: PyValue): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v instanceof PyFloat) {
    if (!Number.isFinite(v.value)) throw raise(Number.isNaN(v.value) ? 'ValueError' : 'OverflowError', Number.isNaN(v.value) ? 'cannot convert float NaN to integer' : 'cannot convert float infinity to integer');
    return Math.trunc(v.value);
  }
  if (typeof v === 'string') {
    const b = typeof base === 'number' ? base : 10;
    if (b !== 0 && (b < 2 || b > 36)) throw raise('ValueError', 'int() base must be >= 2 and <= 36, or 0');
    const text = v.trim().replace(/_/g, '');
    const n = b === 10 ? (/^[+-]?\d+$/.test(text) ? Number(text) : NaN) : parseInt(text, b);
    if (Number.isNaN(n)) throw raise('ValueError', `invalid literal for int() with base ${b}: ${it.repr(v)}`);
    return n;
  }
  if (v instanceof Tensor) return tensorToNumber(v, 'int') as number;
  if (v instanceof Opaque) throw new NeedsValuesError(`int() of ${v.description}`);
  throw raise('TypeError', `int() argument must be a string, a bytes-like object or a real number, not '${pyTypeName(v)}'`);
}

function toFloat(it: Interpreter, v: PyValue): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v instanceof PyFloat) return v.value;
  if (typeof v === 'string') {
    const t = v.trim().toLowerCase();
    if (t === 'inf' || t === '+inf' || t === 'infinity') return Infinity;
    if (t === '-inf' || t === '-infinity') return -Infinity;
    if (t === 'nan') return NaN;
    const n = Number(t.replace(/_/g, ''));
    if (t === '' || Number.isNaN(n)) throw raise('ValueError', `could not convert string to float: ${it.repr(v)}`);
    return n;
  }
  if (v instanceof Tensor) return (tensorToNumber(v, 'float') as PyFloat).value;
  throw raise('TypeError', `float() argument must be a string or a real number, not '${pyTypeName(v)}'`);
}

/** `object` is shared by every interpreter (sibling modules included) so MROs agree on their root. */
const objectType = new BuiltinType('object', () => true, () => new PyInstance(new PyClass('object', [], new Map(), null)));
setObjectType(objectType);

function makeTypes(it: Interpreter): BuiltinTypes {
  const object = objectType;
  const mk = (name: string, isInstanceOf: (v: PyValue) => boolean, construct: BuiltinType['construct'], base: BuiltinType = object): BuiltinType =>
    new BuiltinType(name, isInstanceOf, construct, base);
  const int = mk('int', (v) => typeof v === 'number' || typeof v === 'boolean', ([v, base]) => (v === undefined ? 0 : toInt(it, v, base)));
  const bool = mk('bool', (v) => typeof v === 'boolean', ([v]) => (v === undefined ? false : it.truthy(v)), int);
  const float = mk('float', (v) => v instanceof PyFloat, ([v]) => new PyFloat(v === undefined ? 0 : toFloat(it, v)));
  const str = mk('str', (v) => typeof v === 'string', ([v]) => (v === undefined ? '' : it.str(v)));
  const list = mk('list', (v) => v instanceof PyList, ([v]) => new PyList(v === undefined ? [] : it.iterate(v)));
  const tuple = mk('tuple', (v) => v instanceof PyTuple, ([v]) => new PyTuple(v === undefined ? [] : it.iterate(v)));
  const dict = mk('dict', (v) => v instanceof PyDict, (args, kwargs) => makeDict(it, args, kwargs, 'dict'));
  const set = mk('set', (v) => v instanceof PySet && !v.frozen, ([v]) => makeSet(it, v, false));
  const frozenset = mk('frozenset', (v) => v instanceof PySet && v.frozen, ([v]) => makeSet(it, v, true));
  const range = mk('range', (v) => v instanceof PyRange, (args) => makeRange(it, args));
  const NoneType = mk('NoneType', (v) => v === null || v === undefined, () => null);
  const type = mk('type', (v) => v instanceof PyClass || v instanceof BuiltinType || (typeof v === 'function' && v.prototype instanceof Object), ([v]) => typeOf(it, v) as PyValue);
  const slice = mk('slice', (v) => v instanceof PySlice, (args) => (args.length === 1 ? new PySlice(null, args[0], null) : new PySlice(args[0] ?? null, args[1] ?? null, args[2] ?? null)));
  return { object, int, float, bool, str, list, tuple, dict, set, frozenset, range, NoneType, type, slice };
}

export function makeDict(it: Interpreter, args: PyValue[], kwargs: Kwargs, typeName: 'dict' | 'OrderedDict'): PyDict {
  const d = new PyDict([], typeName);
  const src = args[0];
  if (src instanceof PyDict) for (const [k, v] of src.items()) d.set(k, v);
  else if (src !== undefined && src !== null) {
    for (const pair of it.iterate(src)) {
      const kv = it.iterate(pair);
      if (kv.length !== 2) throw raise('ValueError', `dictionary update sequence element has length ${kv.length}; 2 is required`);
      d.set(kv[0], kv[1]);
    }
  }
  for (const [k, v] of kwargs) d.set(k, v);
  return d;
}

function makeSet(it: Interpreter, v: PyValue, frozen: boolean): PySet {
  const s = new PySet(frozen);
  if (v !== undefined) for (const x of it.iterate(v)) s.items.set(dictKey(x), x);
  return s;
}

function makeRange(it: Interpreter, args: PyValue[]): PyRange {
  const ints = args.map((a) => {
    if (typeof a === 'number' || typeof a === 'boolean') return Number(a);
    if (a instanceof Tensor || a instanceof Opaque) throw new NeedsValuesError('range() over a value NN Lens cannot know');
    throw raise('TypeError', `'${pyTypeName(a)}' object cannot be interpreted as an integer`);
  });
  if (ints.length === 0) throw raise('TypeError', 'range expected at least 1 argument, got 0');
  const [start, stop, step] = ints.length === 1 ? [0, ints[0]!, 1] : [ints[0]!, ints[1]!, ints[2] ?? 1];
  if (step === 0) throw raise('ValueError', 'range() arg 3 must not be zero');
  void it;
  return new PyRange(start, stop, step);
}

function minMax(it: Interpreter, name: 'min' | 'max', args: PyValue[], kwargs: Kwargs): PyValue {
  if (args.length === 0) throw raise('TypeError', `${name} expected at least 1 argument, got 0`);
  if (args.length === 1 && (args[0] instanceof Tensor)) throw new NeedsValuesError(`${name}() of a tensor`);
  const items = args.length === 1 ? it.iterate(args[0]) : args;
  const key = kwargs.get('key') ?? null;
  if (!items.length) {
    if (kwargs.has('default')) return kwargs.get('default');
    throw raise('ValueError', `${name}() arg is an empty sequence`);
  }
  let best = items[0], bestKey = key === null ? best : it.callValue(key, [best], new Map());
  for (const x of items.slice(1)) {
    const k = key === null ? x : it.callValue(key, [x], new Map());
    const c = compareForSort(it, k, bestKey);
    if (name === 'min' ? c < 0 : c > 0) { best = x; bestKey = k; }
  }
  return best;
}

/**
 * `round(x)` / `round(x, n)`: ties to even on the exact value of x (so round(2.675, 2) is 2.67 and
 * round(-2.55, 1) is -2.5, as in CPython); an int stays an int, also with a negative n.
 */
function pyRound(v: PyValue, nd: PyValue): PyValue {
  const digits = nd === undefined || nd === null ? null : nd;
  if (digits !== null && typeof digits !== 'number' && typeof digits !== 'boolean') {
    throw raise('TypeError', `'${pyTypeName(digits)}' object cannot be interpreted as an integer`);
  }
  const n = digits === null ? null : Number(digits);
  if (typeof v === 'number' || typeof v === 'boolean') {
    const x = Number(v);
    if (n === null || n >= 0) return x;
    return Number(scaledRoundHalfEven(x, n)) * 10 ** -n;
  }
  if (v instanceof PyFloat) {
    if (n !== null) return new PyFloat(roundFloat(v.value, n));
    if (Number.isNaN(v.value)) throw raise('ValueError', 'cannot convert float NaN to integer');
    if (!Number.isFinite(v.value)) throw raise('OverflowError', 'cannot convert float infinity to integer');
    return Number(scaledRoundHalfEven(v.value, 0));
  }
  if (v instanceof Tensor || v instanceof Opaque) throw new NeedsValuesError('round() of a value NN Lens cannot know');
  throw raise('TypeError', `type ${pyTypeName(v)} doesn't define __round__ method`);
}

export function createBuiltins(it: Interpreter): Map<string, PyValue> {
  const t = builtinTypes(it);
  const b = new Map<string, PyValue>();
  for (const [name, type] of Object.entries(t)) if (name !== 'NoneType') b.set(name, type);
  for (const [name, cls] of builtinExceptions) b.set(name, cls);
  b.set('None', null);
  b.set('True', true);
  b.set('False', false);
  b.set('NotImplemented', new Opaque('NotImplemented'));
  b.set('Ellipsis', new Opaque('Ellipsis'));
  b.set('__name__', it.moduleName);

  b.set('print', fn('print', (args, kwargs) => {
    const sep = kwargs.get('sep'), end = kwargs.get('end');
    it.printed.push(args.map((a) => it.str(a)).join(typeof sep === 'string' ? sep : ' ') + (typeof end === 'string' ? end : '\n'));
    return null;
  }));
  b.set('len', fn('len', ([v]) => it.len(v)));
  b.set('repr', fn('repr', ([v]) => it.repr(v)));
  b.set('ascii', fn('ascii', ([v]) => it.repr(v)));
  b.set('format', fn('format', ([v, spec]) => formatValue(it, v, typeof spec === 'string' ? spec : '')));
  b.set('isinstance', fn('isinstance', ([v, cls]) => isInstance(it, v, cls)));
  b.set('issubclass', fn('issubclass', ([c, of]) => isSubclass(it, c, of)));
  b.set('getattr', fn('getattr', (args) => {
    const [obj, name] = args;
    if (typeof name !== 'string') throw raise('TypeError', `attribute name must be string, not '${pyTypeName(name)}'`);
    if (args.length < 3) return it.getAttr(obj, name);
    try { return it.getAttr(obj, name); } catch (e) {
      const exc = it.asPythonException(e);
      if (exc && exc.typeName === 'AttributeError') return args[2];
      throw e;
    }
  }));
  b.set('setattr', fn('setattr', ([obj, name, value]) => { it.setAttr(obj, name as string, value); return null; }));
  b.set('delattr', fn('delattr', ([obj, name]) => { it.deleteTarget({ kind: 'Attribute', value: { kind: 'Name', id: '__tmp', range: it.currentStmt!.range }, attr: name as string, attrRange: it.currentStmt!.range, range: it.currentStmt!.range }, withTemp(it, obj)); return null; }));
  b.set('hasattr', fn('hasattr', ([obj, name]) => {
    try { it.getAttr(obj, name as string); return true; } catch (e) {
      const exc = it.asPythonException(e);
      if (exc && exc.typeName === 'AttributeError') return false;
      throw e;
    }
  }));
  b.set('callable', fn('callable', ([v]) => v instanceof PyFunction || v instanceof BuiltinFunction || v instanceof PyClass || v instanceof BuiltinType || v instanceof Module || typeof v === 'function'));
  b.set('id', fn('id', ([v]) => (typeof v === 'object' && v !== null ? objectIdOf(v) : Number(dictKey(v).length))));
  b.set('hash', fn('hash', ([v]) => { if (v instanceof PyList || v instanceof PyDict) throw raise('TypeError', `unhashable type: '${pyTypeName(v)}'`); return hashString(dictKey(v)); }));
  b.set('abs', fn('abs', ([v]) => {
    if (typeof v === 'number' || typeof v === 'boolean') return Math.abs(Number(v));
    if (v instanceof PyFloat) return new PyFloat(Math.abs(v.value));
    if (v instanceof Tensor) return it.getAttr(v, 'abs') instanceof BuiltinFunction ? it.callValue(it.getAttr(v, 'abs'), [], new Map()) : v;
    throw raise('TypeError', `bad operand type for abs(): '${pyTypeName(v)}'`);
  }));
  b.set('round', fn('round', ([v, nd]) => pyRound(v, nd)));
  b.set('divmod', fn('divmod', ([a, c]) => {
    if (a instanceof PyFloat || c instanceof PyFloat) {
      const y = c instanceof PyFloat ? c.value : Number(c);
      if (y === 0 && (typeof a === 'number' || typeof a === 'boolean' || a instanceof PyFloat)) throw raise('ZeroDivisionError', 'float divmod()');
    }
    return new PyTuple([it.evalBinary('//', a, c), it.evalBinary('%', a, c)]);
  }));
  b.set('pow', fn('pow', ([a, c]) => it.evalBinary('**', a, c)));
  b.set('sum', fn('sum', (args, kwargs) => {
    let acc: PyValue = args[1] ?? kwargs.get('start') ?? 0;
    for (const x of it.iterate(args[0])) acc = it.evalBinary('+', acc, x);
    return acc;
  }));
  b.set('min', fn('min', (args, kwargs) => minMax(it, 'min', args, kwargs)));
  b.set('max', fn('max', (args, kwargs) => minMax(it, 'max', args, kwargs)));
  b.set('any', fn('any', ([v]) => it.iterate(v).some((x) => it.truthy(x))));
  b.set('all', fn('all', ([v]) => it.iterate(v).every((x) => it.truthy(x))));
  b.set('sorted', fn('sorted', ([v], kwargs) => new PyList(it.sortValues(it.iterate(v), kwargs.get('key') ?? null, it.truthy(kwargs.get('reverse') ?? false)))));
  b.set('reversed', fn('reversed', ([v]) => new PyIterator(it.iterate(v).reverse())));
  b.set('enumerate', fn('enumerate', ([v, start], kwargs) => {
    const s = Number(start ?? kwargs.get('start') ?? 0);
    return new PyIterator(it.iterate(v).map((x, i) => new PyTuple([i + s, x])));
  }));
  b.set('zip', fn('zip', (args) => {
    const lists = args.map((a) => it.iterate(a));
    const n = lists.length ? Math.min(...lists.map((l) => l.length)) : 0;
    return new PyIterator(Array.from({ length: n }, (_, i) => new PyTuple(lists.map((l) => l[i]))));
  }));
  b.set('map', fn('map', ([f, ...iters]) => {
    const lists = iters.map((a) => it.iterate(a));
    const n = lists.length ? Math.min(...lists.map((l) => l.length)) : 0;
    let i = 0;
    return new LazyIterator('map', () => {
      if (i >= n) return { done: true };
      const k = i++; // (advancing: without it `list(map(...))` never ended)
      return { done: false, value: it.callValue(f, lists.map((l) => l[k]), new Map()) };
    });
  }));
  b.set('filter', fn('filter', ([f, v]) => new PyIterator(it.iterate(v).filter((x) => it.truthy(f === null ? x : it.callValue(f, [x], new Map()))))));
  b.set('iter', fn('iter', ([v]) => (v instanceof PyIterator || v instanceof LazyIterator ? v : new PyIterator(it.iterate(v)))));
  b.set('next', fn('next', (args) => {
    const [v] = args;
    if (v instanceof PyIterator || v instanceof LazyIterator) {
      const r = v instanceof PyIterator ? v.next() : v.nextValue();
      if (!r.done) return r.value;
      if (args.length > 1) return args[1];
      throw raise('StopIteration', '');
    }
    if (v instanceof Opaque) return new Opaque(`next(${v.description})`);
    throw raise('TypeError', `'${pyTypeName(v)}' object is not an iterator`);
  }));
  b.set('chr', fn('chr', ([v]) => {
    if (typeof v !== 'number' && typeof v !== 'boolean') throw raise('TypeError', `'${pyTypeName(v)}' object cannot be interpreted as an integer`);
    const code = Number(v);
    if (code < 0 || code > 0x10ffff) throw raise('ValueError', 'chr() arg not in range(0x110000)');
    return String.fromCodePoint(code);
  }));
  b.set('ord', fn('ord', ([v]) => (v as string).codePointAt(0)!));
  b.set('hex', fn('hex', ([v]) => `${Number(v) < 0 ? '-' : ''}0x${Math.abs(Number(v)).toString(16)}`));
  b.set('bin', fn('bin', ([v]) => `${Number(v) < 0 ? '-' : ''}0b${Math.abs(Number(v)).toString(2)}`));
  b.set('property', fn('property', ([fget, fset]) => new Property(fget ?? null, fset ?? null)));
  b.set('staticmethod', fn('staticmethod', ([f]) => new StaticMethod(f)));
  b.set('classmethod', fn('classmethod', ([f]) => new ClassMethod(f)));
  b.set('super', fn('super', ([cls, self]) => {
    if (!(cls instanceof PyClass)) throw raise('TypeError', 'super() argument 1 must be a type');
    return makeSuper(it, cls, self);
  }));
  b.set('vars', fn('vars', ([v]) => (v instanceof PyInstance ? new PyDict([...v.dict.entries()]) : v instanceof Module ? new PyDict([...v.dict.entries()]) : new PyDict([...it.globals.vars.entries()]))));
  b.set('globals', fn('globals', () => new PyDict([...it.globals.vars.entries()])));
  b.set('locals', fn('locals', () => new PyDict()));
  b.set('dir', fn('dir', ([v]) => new PyList(v instanceof PyInstance ? [...v.dict.keys()].sort() : [])));
  // The sandbox: refused with an `unsupported-sandbox` hint at the call (the statement is skipped),
  // never a misleading "depends on tensor values" note.
  for (const refused of ['open', 'exec', 'eval', 'compile', 'input', '__import__', 'breakpoint', 'exit', 'quit']) {
    b.set(refused, fn(refused, () => {
      throw new UnsupportedSignal('unsupported-sandbox', `${refused}() is refused: NN Lens never reads files, starts processes or runs dynamic code`, null);
    }));
  }
  void formatFloat;
  return b;
}

function withTemp(it: Interpreter, obj: PyValue): import('./scope.ts').Scope {
  const s = new (it.globals.constructor as typeof import('./scope.ts').Scope)('function', it.globals, it.globals);
  s.vars.set('__tmp', obj);
  return s;
}

const objectIds = new WeakMap<object, number>();
let nextObjectId = 140_000_000_000;
function objectIdOf(o: object): number {
  let id = objectIds.get(o);
  if (id === undefined) { id = nextObjectId += 16; objectIds.set(o, id); }
  return id;
}

function hashString(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  return h;
}

export { sig };

// The parts of Python's standard library (and numpy) that model files use: math, collections,
// typing, dataclasses, functools, copy, argparse (parsers yield their declared defaults), abc,
// warnings; os/sys/random are opaque. Each module is built once per interpreter.
import {
  BuiltinFunction, type Kwargs, PyDict, PyFloat, PyList, PyNamespace, PyTuple, type PyValue, pyTypeName, NeedsValuesError,
} from '../../runtime/python/index.ts';
import { Tensor } from '../../runtime/tensor.ts';
import { raise } from './exceptions.ts';
import { BuiltinType, Opaque, Property, PyClass, PyInstance } from './objects.ts';
import type { Interpreter } from './interpreter.ts';
import { builtinTypes, makeDict } from './builtins.ts';
import { deepCopy } from './copy.ts';

type Impl = (args: PyValue[], kwargs: Kwargs) => PyValue;
const fn = (name: string, impl: Impl): BuiltinFunction => new BuiltinFunction(name, impl);
const ns = (name: string, entries: [string, PyValue][]): PyNamespace => new PyNamespace(name, new Map(entries));

const cache = new WeakMap<Interpreter, Map<string, PyNamespace | null>>();

export function stdlibModule(it: Interpreter, dotted: string): PyNamespace | null {
  let modules = cache.get(it);
  if (!modules) { modules = new Map(); cache.set(it, modules); }
  if (!modules.has(dotted)) modules.set(dotted, build(it, dotted));
  return modules.get(dotted)!;
}

function build(it: Interpreter, dotted: string): PyNamespace | null {
  switch (dotted) {
    case 'math': return mathModule(it);
    case 'numpy': return numpyModule(it);
    case 'collections': return collectionsModule(it);
    case 'typing': case 'typing_extensions': return typingModule(dotted);
    case 'dataclasses': return dataclassesModule(it);
    case 'functools': return functoolsModule(it);
    case 'copy': return ns('copy', [['deepcopy', fn('deepcopy', ([v]) => deepCopy(it, v))], ['copy', fn('copy', ([v]) => shallowCopy(v))]]);
    case 'argparse': return argparseModule(it);
    case 'abc': return ns('abc', [['ABC', builtinTypes(it).object], ['abstractmethod', fn('abstractmethod', ([f]) => f)], ['ABCMeta', builtinTypes(it).type]]);
    case 'warnings': return ns('warnings', [['warn', fn('warn', () => null)], ['filterwarnings', fn('filterwarnings', () => null)], ['simplefilter', fn('simplefilter', () => null)]]);
    case 'itertools': return itertoolsModule(it);
    case 'operator': return ns('operator', [['mul', fn('mul', ([a, b]) => it.evalBinary('*', a, b))], ['add', fn('add', ([a, b]) => it.evalBinary('+', a, b))]]);
    case 'enum': return null;
  }
  return null;
}

// ------------------------------------------------------------------ math

function num(v: PyValue, fnName: string): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v instanceof PyFloat) return v.value;
  if (v instanceof Tensor) throw new NeedsValuesError(`math.${fnName}() of a tensor`);
  if (v instanceof Opaque) throw new NeedsValuesError(`math.${fnName}() of ${v.description}`);
  throw raise('TypeError', `must be real number, not ${pyTypeName(v)}`);
}

function mathModule(it: Interpreter): PyNamespace {
  const f = (name: string, op: (...x: number[]) => number, domain?: (...x: number[]) => boolean): [string, BuiltinFunction] =>
    [name, fn(name, (args) => {
      const xs = args.map((a) => num(a, name));
      if (domain && !domain(...xs)) throw raise('ValueError', 'math domain error');
      return new PyFloat(op(...xs));
    })];
  const i = (name: string, op: (...x: number[]) => number): [string, BuiltinFunction] => [name, fn(name, (args) => op(...args.map((a) => num(a, name))))];
  void it;
  return ns('math', [
    ['pi', new PyFloat(Math.PI)], ['e', new PyFloat(Math.E)], ['tau', new PyFloat(2 * Math.PI)], ['inf', new PyFloat(Infinity)], ['nan', new PyFloat(NaN)],
    f('sqrt', Math.sqrt, (x) => x! >= 0), f('log', (x, b) => (b === undefined ? Math.log(x!) : Math.log(x!) / Math.log(b)), (x) => x! > 0),
    f('log2', Math.log2, (x) => x! > 0), f('log10', Math.log10, (x) => x! > 0), f('log1p', Math.log1p), f('exp', Math.exp), f('expm1', Math.expm1),
    f('pow', Math.pow), f('sin', Math.sin), f('cos', Math.cos), f('tan', Math.tan), f('atan', Math.atan), f('atan2', Math.atan2),
    f('asin', Math.asin), f('acos', Math.acos), f('tanh', Math.tanh), f('sinh', Math.sinh), f('cosh', Math.cosh),
    f('fabs', Math.abs), f('erf', erf), f('hypot', Math.hypot), f('degrees', (x) => (x! * 180) / Math.PI), f('radians', (x) => (x! * Math.PI) / 180),
    i('ceil', Math.ceil), i('floor', Math.floor), i('trunc', Math.trunc), i('isqrt', (x) => Math.floor(Math.sqrt(x!))),
    i('gcd', (...xs) => xs.reduce((a, b) => { a = Math.abs(a); b = Math.abs(b); while (b) [a, b] = [b, a % b]; return a; }, 0)),
    i('factorial', (x) => { let r = 1; for (let k = 2; k <= x!; k++) r *= k; return r; }),
    i('comb', (n, k) => { let r = 1; for (let j = 1; j <= k!; j++) r = (r * (n! - k! + j)) / j; return Math.round(r); }),
    ['prod', fn('prod', ([v], kwargs) => {
      let acc: PyValue = kwargs.get('start') ?? 1;
      for (const x of it.iterate(v)) acc = it.evalBinary('*', acc, x);
      return acc;
    })],
    ['fsum', fn('fsum', ([v]) => new PyFloat(it.iterate(v).reduce((a: number, x) => a + num(x, 'fsum'), 0)))],
    ['isfinite', fn('isfinite', ([x]) => Number.isFinite(num(x, 'isfinite')))],
    ['isnan', fn('isnan', ([x]) => Number.isNaN(num(x, 'isnan')))],
    ['isinf', fn('isinf', ([x]) => Math.abs(num(x, 'isinf')) === Infinity)],
    ['isclose', fn('isclose', ([a, b]) => Math.abs(num(a, 'isclose') - num(b, 'isclose')) <= 1e-9 * Math.max(Math.abs(num(a, 'isclose')), Math.abs(num(b, 'isclose'))))],
    ['copysign', fn('copysign', ([a, b]) => new PyFloat(Math.sign(num(b, 'copysign')) * Math.abs(num(a, 'copysign'))))],
  ]);
}

/** Abramowitz–Stegun 7.1.26 is too coarse for repr'd constants; use a series/continued fraction. */
function erf(x: number): number {
  const t = Math.abs(x);
  if (t < 2.5) {
    let sum = t, term = t, n = 0;
    while (Math.abs(term) > 1e-17 * Math.abs(sum)) { n++; term *= (-t * t) / n; sum += term / (2 * n + 1); }
    return Math.sign(x) * (2 / Math.sqrt(Math.PI)) * sum;
  }
  let cf = 0;
  for (let k = 60; k >= 1; k--) cf = (k / 2) / (t + cf);
  return Math.sign(x) * (1 - Math.exp(-t * t) / Math.sqrt(Math.PI) / (t + cf));
}

function numpyModule(it: Interpreter): PyNamespace {
  const math = mathModule(it);
  const pick = (name: string): [string, PyValue] => [name, math.attrs.get(name)];
  const unknown = (name: string): [string, BuiltinFunction] => [name, fn(name, () => { throw new NeedsValuesError(`numpy.${name}()`); })];
  return ns('numpy', [
    pick('pi'), pick('e'), pick('inf'), pick('nan'), pick('sqrt'), pick('log'), pick('exp'), pick('floor'), pick('ceil'), pick('log2'),
    ['prod', fn('prod', ([v]) => it.iterate(v).reduce((a: PyValue, x) => it.evalBinary('*', a, x), 1))],
    ['sum', fn('sum', ([v]) => it.iterate(v).reduce((a: PyValue, x) => it.evalBinary('+', a, x), 0))],
    ['abs', fn('abs', ([v]) => it.callValue(it.builtins.get('abs'), [v], new Map()))],
    ['power', fn('power', ([a, b]) => it.evalBinary('**', a, b))],
    ['mean', fn('mean', ([v]) => { const xs = it.iterate(v); return new PyFloat(xs.reduce((a: number, x) => a + num(x, 'mean'), 0) / xs.length); })],
    unknown('array'), unknown('zeros'), unknown('ones'), unknown('load'), unknown('random'),
    ['float32', new Opaque('numpy.float32')], ['int64', new Opaque('numpy.int64')],
  ]);
}

// ------------------------------------------------------------------ collections

/** A dict with a default factory (`collections.defaultdict`). */
export class DefaultDict extends PyDict {
  constructor(readonly factory: PyValue) { super(); }
}

/** A tuple made by a `namedtuple` class: fields readable as attributes. */
export type NamedTuple = PyTuple & { namedFields: readonly string[]; namedType: string };
export const isNamedTuple = (v: PyValue): v is NamedTuple => v instanceof PyTuple && 'namedFields' in v;

function collectionsModule(it: Interpreter): PyNamespace {
  const types = builtinTypes(it);
  const ordered = new BuiltinType('OrderedDict', (v) => v instanceof PyDict && v.typeName === 'OrderedDict',
    (args, kwargs) => makeDict(it, args, kwargs, 'OrderedDict'), types.dict);
  const defaultdict = new BuiltinType('defaultdict', (v) => v instanceof DefaultDict, ([factory]) => new DefaultDict(factory ?? null), types.dict);
  const namedtuple = fn('namedtuple', ([name, fieldSpec]) => {
    const fields = typeof fieldSpec === 'string' ? fieldSpec.replace(/,/g, ' ').split(/\s+/).filter(Boolean) : it.iterate(fieldSpec).map(String);
    const typeName = String(name);
    const sig = { qualname: `${typeName}.__new__`, params: fields.map((f) => ({ name: f })) };
    return new BuiltinType(typeName, (v) => isNamedTuple(v) && v.namedType === typeName, (args, kwargs) => {
      const bound = it.bind(sig, args, kwargs);
      return namedTuple(fields.map((f) => bound.get(f)), typeName, fields);
    }, types.tuple);
  });
  return ns('collections', [['OrderedDict', ordered], ['defaultdict', defaultdict], ['namedtuple', namedtuple],
    ['deque', new BuiltinType('deque', (v) => v instanceof PyList, ([v]) => new PyList(v === undefined ? [] : it.iterate(v)), types.object)],
    ['Counter', new BuiltinType('Counter', () => false, () => { throw new NeedsValuesError('collections.Counter'); }, types.dict)]]);
}

function namedTuple(items: PyValue[], typeName: string, fields: readonly string[]): PyTuple {
  return Object.assign(new PyTuple(items), { namedFields: fields, namedType: typeName });
}

// ------------------------------------------------------------------ typing

function typingModule(name: string): PyNamespace {
  const known: [string, PyValue][] = [
    ['cast', fn('cast', ([, v]) => v)],
    ['TYPE_CHECKING', false],
    ['overload', fn('overload', ([f]) => f)],
    ['final', fn('final', ([f]) => f)],
    ['TypeVar', fn('TypeVar', ([n]) => new Opaque(`TypeVar(${String(n)})`))],
  ];
  // Annotations are never evaluated; every other typing name is a harmless placeholder.
  const placeholders = ['Any', 'Optional', 'Union', 'List', 'Tuple', 'Dict', 'Set', 'Callable', 'Iterable', 'Iterator', 'Sequence',
    'Mapping', 'Type', 'Literal', 'ClassVar', 'Generic', 'Protocol', 'NamedTuple', 'Annotated', 'FrozenSet', 'DefaultDict', 'OrderedDict', 'Deque', 'NoReturn', 'Self'];
  return ns(name, [...known, ...placeholders.map((p): [string, PyValue] => [p, new Opaque(`typing.${p}`)])]);
}

// ------------------------------------------------------------------ dataclasses

class DataclassField {
  readonly pyTypeName = 'Field';
  constructor(readonly defaultValue: PyValue | undefined, readonly factory: PyValue | undefined) {}
}

function dataclassesModule(it: Interpreter): PyNamespace {
  const apply = (cls: PyValue): PyValue => {
    if (!(cls instanceof PyClass)) throw raise('TypeError', 'dataclass() should be called on a class');
    const inherited = cls.mro.slice(1).reverse().flatMap((c) => (c instanceof PyClass && c.dataclassFields ? c.dataclassFields : []));
    const fields = new Map(inherited.map((f) => [f.name, f]));
    const annotations = cls.namespace.get('__annotations__');
    for (const name of annotations instanceof PyDict ? annotations.keys() as string[] : []) {
      const field: { name: string; default?: PyValue; defaultFactory?: PyValue } = { name };
      if (cls.namespace.has(name)) {
        const v = cls.namespace.get(name);
        if (v instanceof DataclassField) {
          if (v.defaultValue !== undefined) { field.default = v.defaultValue; cls.namespace.set(name, v.defaultValue); } else cls.namespace.delete(name);
          if (v.factory !== undefined) field.defaultFactory = v.factory;
        } else field.default = v;
      }
      fields.set(name, field);
    }
    cls.dataclassFields = [...fields.values()];
    return cls;
  };
  const dataclass = fn('dataclass', (args) => (args[0] === undefined ? fn('dataclass', ([c]) => apply(c)) : apply(args[0])));
  const field = fn('field', (_args, kwargs) => new DataclassField(kwargs.get('default'), kwargs.get('default_factory')));
  const asdict = fn('asdict', ([v]) => {
    if (!(v instanceof PyInstance) || !v.cls.dataclassFields) throw raise('TypeError', 'asdict() should be called on dataclass instances');
    return new PyDict(v.cls.dataclassFields.map((f) => [f.name, v.dict.get(f.name)]));
  });
  const replace = fn('replace', ([v], kwargs) => {
    if (!(v instanceof PyInstance)) throw raise('TypeError', 'replace() should be called on dataclass instances');
    const copy = new PyInstance(v.cls);
    v.dict.forEach((x, k) => copy.dict.set(k, x));
    kwargs.forEach((x, k) => copy.dict.set(k, x));
    return copy;
  });
  const fields = fn('fields', ([v]) => {
    const cls = v instanceof PyInstance ? v.cls : v as PyClass;
    return new PyTuple((cls.dataclassFields ?? []).map((f) => { const o = new PyInstance(new PyClass('Field', [], new Map(), null)); o.dict.set('name', f.name); return o; }));
  });
  return ns('dataclasses', [['dataclass', dataclass], ['field', field], ['asdict', asdict], ['replace', replace], ['fields', fields]]);
}

// ------------------------------------------------------------------ functools, itertools

function functoolsModule(it: Interpreter): PyNamespace {
  const identityDecorator = (name: string): BuiltinFunction => fn(name, (args) => {
    // Both `@lru_cache` and `@lru_cache(maxsize=None)` forms.
    if (args.length === 1 && typeof args[0] !== 'number' && args[0] !== null) return args[0];
    return fn(name, ([f]) => f);
  });
  return ns('functools', [
    ['partial', fn('partial', ([f, ...bound], boundKw) => fn('partial', (args, kwargs) => it.callValue(f, [...bound, ...args], new Map([...boundKw, ...kwargs]))))],
    ['reduce', fn('reduce', ([f, seq, init]) => {
      const items = it.iterate(seq);
      let acc = init !== undefined ? init : items.shift();
      if (acc === undefined) throw raise('TypeError', 'reduce() of empty iterable with no initial value');
      for (const x of items) acc = it.callValue(f, [acc, x], new Map());
      return acc;
    })],
    ['wraps', fn('wraps', () => fn('wraps', ([f]) => f))],
    ['lru_cache', identityDecorator('lru_cache')], ['cache', identityDecorator('cache')],
    ['cached_property', fn('cached_property', ([f]) => new Property(f ?? null))],
  ]);
}

function itertoolsModule(it: Interpreter): PyNamespace {
  const product = fn('product', (args, kwargs) => {
    const repeat = Number(kwargs.get('repeat') ?? 1);
    const pools = Array.from({ length: repeat }, () => args.map((a) => it.iterate(a))).flat();
    let out: PyValue[][] = [[]];
    for (const pool of pools) out = it.budget.checkArray(out.flatMap((prefix) => pool.map((x) => [...prefix, x])));
    return new PyList(out.map((t) => new PyTuple(t)));
  });
  const chain = fn('chain', (args) => new PyList(args.flatMap((a) => it.iterate(a))));
  const repeat = fn('repeat', ([v, n]) => {
    if (n === undefined) throw new NeedsValuesError('itertools.repeat() without a count');
    return new PyList(it.budget.checkArray(Array.from({ length: Number(n) }, () => v)));
  });
  const pairwise = fn('pairwise', ([v]) => { const xs = it.iterate(v); return new PyList(xs.slice(1).map((x, i) => new PyTuple([xs[i], x]))); });
  return ns('itertools', [['product', product], ['chain', chain], ['repeat', repeat], ['pairwise', pairwise]]);
}

// ------------------------------------------------------------------ argparse

function argparseModule(it: Interpreter): PyNamespace {
  const namespaceClass = new PyClass('Namespace', [], new Map(), null);
  namespaceClass.mro = [namespaceClass];
  const parserClass = new PyClass('ArgumentParser', [], new Map(), null);
  parserClass.mro = [parserClass];
  const makeParser = (): PyInstance => {
    const parser = new PyInstance(parserClass);
    const defaults: [string, PyValue][] = [];
    const addArgument = fn('add_argument', (args, kwargs) => {
      const names = args.filter((a): a is string => typeof a === 'string');
      const long = names.find((n) => n.startsWith('--')) ?? names.find((n) => n.startsWith('-')) ?? names[0] ?? '';
      const dest = typeof kwargs.get('dest') === 'string' ? kwargs.get('dest') as string : long.replace(/^-+/, '').replace(/-/g, '_');
      const action = kwargs.get('action');
      let value: PyValue = kwargs.has('default') ? kwargs.get('default') : action === 'store_true' ? false : action === 'store_false' ? true : null;
      // argparse converts string defaults with `type`, as the real parser does.
      const type = kwargs.get('type');
      if (typeof value === 'string' && type !== undefined && type !== null) value = it.callValue(type, [value], new Map());
      defaults.push([dest, value]);
      return null;
    });
    const parse = fn('parse_args', () => {
      const result = new PyInstance(namespaceClass);
      for (const [k, v] of defaults) result.dict.set(k, v);
      return result;
    });
    parser.dict.set('add_argument', addArgument);
    parser.dict.set('add_argument_group', fn('add_argument_group', () => parser));
    parser.dict.set('add_mutually_exclusive_group', fn('add_mutually_exclusive_group', () => parser));
    parser.dict.set('set_defaults', fn('set_defaults', (_a, kwargs) => { kwargs.forEach((v, k) => defaults.push([k, v])); return null; }));
    parser.dict.set('parse_args', parse);
    parser.dict.set('parse_known_args', fn('parse_known_args', () => new PyTuple([parse.impl([], new Map(), it.interop), new PyList([])])));
    return parser;
  };
  return ns('argparse', [
    ['ArgumentParser', fn('ArgumentParser', () => makeParser())],
    ['Namespace', fn('Namespace', (_a, kwargs) => { const n = new PyInstance(namespaceClass); kwargs.forEach((v, k) => n.dict.set(k, v)); return n; })],
    ['ArgumentDefaultsHelpFormatter', new Opaque('argparse.ArgumentDefaultsHelpFormatter')],
  ]);
}

function shallowCopy(v: PyValue): PyValue {
  if (v instanceof PyList) return new PyList([...v.items]);
  if (v instanceof PyDict) return new PyDict(v.items(), v.typeName);
  if (v instanceof PyInstance) { const c = new PyInstance(v.cls); v.dict.forEach((x, k) => c.dict.set(k, x)); return c; }
  return v;
}


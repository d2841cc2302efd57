// The parts of Python's standard library (and numpy) that model files use: math, collections,
// typing, dataclasses, functools, copy, argparse (parsers yield their declared defaults), abc,
// warnings; os/sys/random are opaque. Each module is built once per interpreter.
import {
  BuiltinFunction, type Kwargs, PyDict, PyFloat, PyList, PyNamespace, PyTuple, type PyValue, pyTypeName, NeedsValuesError,
} from '../../runtime/python/index.ts';
import { Tensor } from '../../runtime/tensor.ts';
import { raise } from './exceptions.ts';
import { BuiltinType, Opaque, Property, PyClass, PyFunction, PyInstance } from './objects.ts';
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
    // `from __future__ import annotations` is everywhere in modern code; its features change nothing we evaluate.
    case '__future__': return ns('__future__', ['annotations', 'division', 'print_function', 'absolute_import', 'generator_stop', 'unicode_literals', 'with_statement', 'nested_scopes', 'generators']
      .map((f): [string, PyValue] => [f, new Opaque(`__future__.${f}`)]));
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
  // floor/ceil/trunc return ints: an infinite or NaN float cannot become one (CPython's errors).
  const toIntegral = (name: string, op: (x: number) => number): [string, BuiltinFunction] => [name, fn(name, ([a]) => {
    const x = num(a, name);
    if (Number.isNaN(x)) throw raise('ValueError', 'cannot convert float NaN to integer');
    if (!Number.isFinite(x)) throw raise('OverflowError', 'cannot convert float infinity to integer');
    return op(x);
  })];
  void it;
  return ns('math', [
    ['pi', new PyFloat(Math.PI)], ['e', new PyFloat(Math.E)], ['tau', new PyFloat(2 * Math.PI)], ['inf', new PyFloat(Infinity)], ['nan', new PyFloat(NaN)],
    f('sqrt', Math.sqrt, (x) => x! >= 0), f('log', (x, b) => (b === undefined ? Math.log(x!) : Math.log(x!) / Math.log(b)), (x) => x! > 0),
    f('log2', Math.log2, (x) => x! > 0), f('log10', Math.log10, (x) => x! > 0), f('log1p', Math.log1p), f('exp', Math.exp), f('expm1', Math.expm1),
    f('pow', Math.pow), f('sin', Math.sin), f('cos', Math.cos), f('tan', Math.tan), f('atan', Math.atan), f('atan2', Math.atan2),
    f('asin', Math.asin), f('acos', Math.acos), f('tanh', Math.tanh), f('sinh', Math.sinh), f('cosh', Math.cosh),
    f('fabs', Math.abs), f('erf', erf), f('hypot', Math.hypot), f('degrees', (x) => (x! * 180) / Math.PI), f('radians', (x) => (x! * Math.PI) / 180),
    toIntegral('ceil', Math.ceil), toIntegral('floor', Math.floor), toIntegral('trunc', Math.trunc), i('isqrt', (x) => Math.floor(Math.sqrt(x!))),
    i('gcd', (...xs) => xs.reduce((a, b) => { a = Math.abs(a); b = Math.abs(b); while (b) [a, b] = [b, a % b]; return a; }, 0)),
    i('factorial', (x) => {
      if (x! < 0) throw raise('ValueError', 'factorial() not defined for negative values');
      let r = 1; for (let k = 2; k <= x!; k++) r *= k; return r;
    }),
    i('comb', (n, k) => { let r = 1; for (let j = 1; j <= k!; j++) r = (r * (n! - k! + j)) / j; return Math.round(r); }),
    ['prod', fn('prod', ([v], kwargs) => {
      let acc: PyValue = kwargs.get('start') ?? 1;
      for (const x of it.iterate(v)) acc = it.evalBinary('*', acc, x);
      return acc;
    })],
    ['fsum', fn('fsum', ([v]) => new PyFloat(exactSum(it.iterate(v).map((x) => num(x, 'fsum')))))],
    ['isfinite', fn('isfinite', ([x]) => Number.isFinite(num(x, 'isfinite')))],
    ['isnan', fn('isnan', ([x]) => Number.isNaN(num(x, 'isnan')))],
    ['isinf', fn('isinf', ([x]) => Math.abs(num(x, 'isinf')) === Infinity)],
    ['isclose', fn('isclose', ([a, b]) => Math.abs(num(a, 'isclose') - num(b, 'isclose')) <= 1e-9 * Math.max(Math.abs(num(a, 'isclose')), Math.abs(num(b, 'isclose'))))],
    // The sign bit decides, so copysign(2, -0.0) is -2.0 (Math.sign(-0) * 2 would be -0).
    ['copysign', fn('copysign', ([a, b]) => { const y = num(b, 'copysign'); return new PyFloat((y < 0 || Object.is(y, -0) ? -1 : 1) * Math.abs(num(a, 'copysign'))); })],
  ]);
}

/** math.fsum: Shewchuk's exact summation with one final rounding (CPython's msum), so fsum([0.1] * 10) == 1.0. */
function exactSum(xs: number[]): number {
  const partials: number[] = [];
  for (let x of xs) {
    let k = 0;
    for (let y of partials) {
      if (Math.abs(x) < Math.abs(y)) [x, y] = [y, x];
      const hi = x + y;
      const lo = y - (hi - x);
      if (lo !== 0) partials[k++] = lo;
      x = hi;
    }
    partials.length = k;
    partials.push(x);
  }
  let n = partials.length;
  if (n === 0) return 0;
  let hi = partials[--n]!, lo = 0;
  while (n > 0) {
    const x = hi, y = partials[--n]!;
    hi = x + y;
    const yr = hi - x;
    lo = y - yr;
    if (lo !== 0) break;
  }
  // Round half to even across the remaining partials, as msum does.
  if (n > 0 && ((lo < 0 && partials[n - 1]! < 0) || (lo > 0 && partials[n - 1]! > 0))) {
    const y = lo * 2, x = hi + y, yr = x - hi;
    if (y === yr) hi = x;
  }
  return hi;
}

/**
 * erf as C's libm computes it (fdlibm's s_erf.c, which glibc's double erf also is), so printed
 * values match CPython's math.erf to the last digit; a series was off by an ulp (erf(1)).
 */
function erf(x: number): number {
  if (Number.isNaN(x)) return x;
  if (!Number.isFinite(x)) return x > 0 ? 1 : -1;
  const ax = Math.abs(x);
  if (ax < 0.84375) {
    if (ax < 2 ** -28) return x + 1.28379167095512586316e-01 * x;
    const z = x * x;
    const r = 1.28379167095512558561e-01 + z * (-3.25042107247001499370e-01 + z * (-2.84817495755985104766e-02 + z * (-5.77027029648944159157e-03 + z * -2.37630166566501626084e-05)));
    const s = 1 + z * (3.97917223959155352819e-01 + z * (6.50222499887672944485e-02 + z * (5.08130628187576562776e-03 + z * (1.32494738004321644526e-04 + z * -3.96022827877536812320e-06))));
    return x + x * (r / s);
  }
  if (ax < 1.25) {
    const s = ax - 1;
    const P = -2.36211856075265944077e-03 + s * (4.14856118683748331666e-01 + s * (-3.72207876035701323847e-01 + s * (3.18346619901161753674e-01 + s * (-1.10894694282396677476e-01 + s * (3.54783043256182359371e-02 + s * -2.16637559486879084300e-03)))));
    const Q = 1 + s * (1.06420880400844228286e-01 + s * (5.40397917702171048937e-01 + s * (7.18286544141962662868e-02 + s * (1.26171219808761642112e-01 + s * (1.36370839120290507362e-02 + s * 1.19844998467991074170e-02)))));
    const erx = 8.45062911510467529297e-01;
    return x >= 0 ? erx + P / Q : -erx - P / Q;
  }
  if (ax >= 6) return x >= 0 ? 1 - 1e-300 : 1e-300 - 1;
  const s = 1 / (ax * ax);
  let R: number, S: number;
  if (ax < 1 / 0.35) {
    R = -9.86494403484714822705e-03 + s * (-6.93858572707181764372e-01 + s * (-1.05586262253232909814e+01 + s * (-6.23753324503260060396e+01 + s * (-1.62396669462573470355e+02 + s * (-1.84605092906711035994e+02 + s * (-8.12874355063065934246e+01 + s * -9.81432934416914548592e+00))))));
    S = 1 + s * (1.96512716674392571292e+01 + s * (1.37657754143519042600e+02 + s * (4.34565877475229228821e+02 + s * (6.45387271733267880336e+02 + s * (4.29008140027567833386e+02 + s * (1.08635005541779435134e+02 + s * (6.57024977031928170135e+00 + s * -6.04244152148580987438e-02)))))));
  } else {
    R = -9.86494292470009928597e-03 + s * (-7.99283237680523006574e-01 + s * (-1.77579549177547519889e+01 + s * (-1.60636384855821916062e+02 + s * (-6.37566443368389627722e+02 + s * (-1.02509513161107724954e+03 + s * -4.83519191608651397019e+02)))));
    S = 1 + s * (3.03380607434824582924e+01 + s * (3.25792512996573918826e+02 + s * (1.53672958608443695994e+03 + s * (3.19985821950859553908e+03 + s * (2.55305040643316442583e+03 + s * (4.74528541206955367215e+02 + s * -2.24409524465858183362e+01))))));
  }
  // z is |x| with the low 32 bits of its mantissa cleared (fdlibm's SET_LOW_WORD(z, 0)).
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, ax);
  view.setUint32(4, 0);
  const z = view.getFloat64(0);
  const r = Math.exp(-z * z - 0.5625) * Math.exp((z - ax) * (z + ax) + R / S);
  return x >= 0 ? 1 - r / ax : r / ax - 1;
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
    return new NamedTupleType(typeName, (v) => isNamedTuple(v) && v.namedType === typeName, (args, kwargs) => {
      const bound = it.bind(sig, args, kwargs);
      return namedTuple(fields.map((f) => bound.get(f)), typeName, fields);
    }, types.tuple, fields);
  });
  return ns('collections', [['OrderedDict', ordered], ['defaultdict', defaultdict], ['namedtuple', namedtuple],
    ['deque', new BuiltinType('deque', (v) => v instanceof PyList, ([v]) => new PyList(v === undefined ? [] : it.iterate(v)), types.object)],
    ['Counter', new BuiltinType('Counter', () => false, () => { throw new NeedsValuesError('collections.Counter'); }, types.dict)]]);
}

/** A class made by `namedtuple(...)`: knows its `_fields`. */
export class NamedTupleType extends BuiltinType {
  constructor(
    name: string, isInstanceOf: (v: PyValue) => boolean, construct: BuiltinType['construct'], base: BuiltinType, readonly fields: readonly string[],
  ) { super(name, isInstanceOf, construct, base); }
}

export function namedTuple(items: PyValue[], typeName: string, fields: readonly string[]): PyTuple {
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

function dataclassesModule(_it: Interpreter): PyNamespace {
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
  const applyWith = (cls: PyValue, options: Kwargs): PyValue => {
    const result = apply(cls);
    if (result instanceof PyClass && options.get('order') === true) result.dataclassOrder = true;
    return result;
  };
  const dataclass = fn('dataclass', (args, kwargs) => (args[0] === undefined ? fn('dataclass', ([c]) => applyWith(c, kwargs)) : applyWith(args[0], kwargs)));
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
  const isDataclass = fn('is_dataclass', ([v]) => (v instanceof PyInstance ? v.cls.dataclassFields !== null : v instanceof PyClass && v.dataclassFields !== null));
  return ns('dataclasses', [['dataclass', dataclass], ['field', field], ['asdict', asdict], ['replace', replace], ['fields', fields], ['is_dataclass', isDataclass]]);
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
    // `@functools.wraps(fn)` copies fn's __name__, __qualname__, __doc__ and __dict__ onto the wrapper
    // and sets __wrapped__, so decorated functions keep their names (registries, reprs, logs).
    ['wraps', fn('wraps', ([wrapped]) => fn('wraps', ([wrapper]) => {
      if (wrapper instanceof PyFunction) {
        for (const attr of ['__module__', '__name__', '__qualname__', '__doc__']) {
          try { wrapper.attrs.set(attr, it.getAttr(wrapped, attr)); } catch (e) { if (!it.asPythonException(e)) throw e; }
        }
        if (wrapped instanceof PyFunction) wrapped.attrs.forEach((v, k) => { if (!k.startsWith('__')) wrapper.attrs.set(k, v); });
        wrapper.attrs.set('__wrapped__', wrapped);
      }
      return wrapper;
    }))],
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
  namespaceClass.builtinRepr = (self, repr) => `Namespace(${[...self.dict].map(([k, v]) => `${k}=${repr(v)}`).join(', ')})`;
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


// The shape tier's hot paths were rewritten for speed (issue #4): dict keys without per-lookup
// strings, argument binding without intermediate arrays, shared empty kwargs, cached format
// templates and signature defaults, lazily made module state. These pin the behaviour the rewrites
// had to keep (Python's semantics, as CPython 3.11 / torch 1.13 show them).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  PyDict, PyFloat, PyTuple, bindArguments, dictKey, formatFloat, noKwargs, sig, type Signature,
} from '../../../runtime/python/index.ts';
import { parseNativeArgs } from '../../../runtime/torch/arg-parser.ts';
import { pyFormat, ntuple } from '../../../runtime/nn/py-helpers.ts';
import { Module, addIndent } from '../../../runtime/nn/module.ts';
import { Tensor } from '../../../runtime/tensor.ts';
import { float32 } from '../../../runtime/dtype.ts';
import { BindingRecorder } from '../../../language-server/analysis/bindings.ts';

test('dict keys: numbers by value (1 == 1.0 == True), first key object and position kept', () => {
  const d = new PyDict();
  d.set(1, 'int');
  d.set('x', 'str');
  d.set(true, 'bool');
  d.set(new PyFloat(1), 'float');
  assert.equal(d.size, 2);
  assert.deepEqual(d.keys(), [1, 'x']);
  assert.equal(d.get(true), 'float');
  assert.equal(d.get(new PyFloat(1.0)), 'float');
  assert.equal(d.has(0), false);
  d.set(false, 'zero');
  assert.equal(d.get(new PyFloat(-0)), 'zero');
  assert.equal(d.get(0), 'zero');
  // NaN keys were one key before (their text `nNaN`), and stay one.
  d.set(new PyFloat(NaN), 'nan1');
  d.set(new PyFloat(NaN), 'nan2');
  assert.equal(d.size, 4);
  assert.equal(d.get(new PyFloat(NaN)), 'nan2');
});

test('dict keys: a tuple of one str with a comma is not a tuple of two strs', () => {
  const d = new PyDict();
  d.set(new PyTuple(['a,sb']), 'one item');
  d.set(new PyTuple(['a', 'b']), 'two items');
  d.set(new PyTuple(['a', 's1:b']), 'prefix-like item');
  assert.equal(d.size, 3);
  assert.equal(d.get(new PyTuple(['a,sb'])), 'one item');
  assert.equal(d.get(new PyTuple(['a', 'b'])), 'two items');
  assert.equal(d.get(new PyTuple(['a', 's1:b'])), 'prefix-like item');
});

test('dict keys: str, tuple, None and objects never meet', () => {
  const d = new PyDict();
  const t = new PyTuple([1, 'a']);
  d.set(t, 'tuple');
  d.set('1', 'str one');
  d.set(1, 'int one');
  // A str spelling a tuple's key text, with and without the NUL that marks tuple keys.
  d.set(dictKey(t), 'str like tuple');
  d.set(`\0${dictKey(t)}`, 'NUL str like tuple');
  d.set('\0', 'NUL');
  d.set(null, 'None');
  const o = { pyTypeName: 'thing' };
  d.set(o, 'object');
  assert.equal(d.size, 8);
  assert.equal(d.get(new PyTuple([true, 'a'])), 'tuple');
  assert.equal(d.get(new PyTuple([1, 'a', 2])), undefined);
  assert.equal(d.get('1'), 'str one');
  assert.equal(d.get(1), 'int one');
  assert.equal(d.get(dictKey(t)), 'str like tuple');
  assert.equal(d.get(`\0${dictKey(t)}`), 'NUL str like tuple');
  assert.equal(d.get(undefined), 'None');
  assert.equal(d.get({ pyTypeName: 'thing' }), undefined);
  assert.equal(d.get(o), 'object');
  assert.deepEqual(d.items().map(([, v]) => v), ['tuple', 'str one', 'int one', 'str like tuple', 'NUL str like tuple', 'NUL', 'None', 'object']);
});

test('dict: an empty dict answers without entries; overwrite keeps the position; forEach follows insertion order', () => {
  const d = new PyDict();
  assert.equal(d.size, 0);
  assert.equal(d.has('a'), false);
  assert.equal(d.get('a'), undefined);
  assert.equal(d.delete('a'), false);
  d.clear();
  assert.deepEqual([d.keys(), d.values(), d.items()], [[], [], []]);
  d.set('a', 1);
  d.set('b', 2);
  d.set('a', 3);
  const seen: [unknown, unknown][] = [];
  d.forEach((v, k) => seen.push([k, v]));
  assert.deepEqual(seen, [['a', 3], ['b', 2]]);
  assert.deepEqual(d.items(), [['a', 3], ['b', 2]]);
  // items() hands out copies: changing them leaves the dict as it was.
  d.items()[0]![1] = 99;
  assert.equal(d.get('a'), 3);
});

test('binding: the bound map is ordered positional, *args, keywords, **kwargs, then defaults', () => {
  const s: Signature = {
    qualname: 'f', params: [{ name: 'a' }, { name: 'b', default: 2 }, { name: 'c', default: 3 }],
    varargs: 'args', kwonly: [{ name: 'k', default: 'kd' }, { name: 'r' }], varkw: 'kw',
  };
  const bound = bindArguments(s, [1], new Map<string, unknown>([['r', 'rv'], ['c', 30], ['z', 'zv']]));
  assert.deepEqual([...bound.keys()], ['a', 'args', 'r', 'c', 'kw', 'b', 'k']);
  assert.deepEqual((bound.get('args') as PyTuple).items, []);
  assert.deepEqual((bound.get('kw') as PyDict).items(), [['z', 'zv']]);
  // **kwargs is a fresh dict on every call, also when no keywords are passed.
  const x = bindArguments(s, [1], new Map([['r', 0]])).get('kw');
  const y = bindArguments(s, [1], new Map([['r', 0]])).get('kw');
  assert.ok(x instanceof PyDict && y instanceof PyDict && x !== y && x.size === 0);
  // Missing positional arguments are reported before missing keyword-only ones.
  assert.throws(() => bindArguments(s, []), /f\(\) missing 1 required positional argument: 'a'/);
  assert.throws(() => bindArguments(s, [1]), /f\(\) missing 1 required keyword-only argument: 'r'/);
  const p: Signature = { qualname: 'p', params: [{ name: 'x', default: 0, positionalOnly: true }] };
  assert.throws(() => bindArguments(p, [], new Map([['x', 1]])), /p\(\) got some positional-only arguments passed as keyword arguments: 'x'/);
  assert.deepEqual([...bindArguments({ ...p, varkw: 'kw' }, [], new Map([['x', 1]]))].map(([k, v]) => [k, v instanceof PyDict ? v.items() : v]), [['kw', [['x', 1]]], ['x', 0]]);
  assert.deepEqual([...bindArguments(sig('q', ['a', ['b', 2]]), [1, 5])], [['a', 1], ['b', 5]]);
});

test('the shared empty kwargs refuse changes instead of leaking them into other calls', () => {
  assert.equal(noKwargs.size, 0);
  assert.throws(() => noKwargs.set('a', 1), /shared empty keyword arguments/);
  assert.throws(() => noKwargs.delete('a'), /shared empty keyword arguments/);
  assert.throws(() => noKwargs.clear(), /shared empty keyword arguments/);
  assert.equal(noKwargs.size, 0);
});

test('float repr in exponent form pads the exponent to two digits, as Python does', () => {
  const cases: [number, string][] = [
    [1e-5, '1e-05'], [-2.5e-7, '-2.5e-07'], [1e16, '1e+16'], [1.5e16, '1.5e+16'], [1e100, '1e+100'],
    [5e-324, '5e-324'], [1.7976931348623157e308, '1.7976931348623157e+308'], [0.0001, '0.0001'], [1e-4 / 2, '5e-05'],
  ];
  for (const [x, want] of cases) assert.equal(formatFloat(x), want, String(x));
});

test('str.format templates: fields by name with str(), missing ones None, each template parsed once', () => {
  const fields = new Map<string, unknown>([['a', 1], ['b', new PyFloat(1e-5)], ['t', new PyTuple([3, 3])], ['s', 'zeros']]);
  const template = '{a}, eps={b}, kernel_size={t}, mode={s}, missing={m}, again={a}{a}';
  const want = '1, eps=1e-05, kernel_size=(3, 3), mode=zeros, missing=None, again=11';
  assert.equal(pyFormat(template, fields), want);
  assert.equal(pyFormat(template, fields), want);
  assert.equal(pyFormat('no fields', fields), 'no fields');
  assert.equal(pyFormat('{a}', fields), '1');
  assert.equal(pyFormat('{not closed', fields), '{not closed');
  assert.equal(pyFormat('{a-b} {a}', fields), '{a-b} 1');
});

test('addIndent indents every line but the first', () => {
  assert.equal(addIndent('one', 2), 'one');
  assert.equal(addIndent('a\nb\n\nc', 2), 'a\n  b\n  \n  c');
  assert.equal(addIndent('a\n', 4), 'a\n    ');
});

test('ntuple repeats a non-iterable and copies an iterable', () => {
  assert.deepEqual(ntuple(3, 2).items, [3, 3]);
  assert.deepEqual(ntuple(3, 0).items, []);
  const t = new PyTuple([1, 2, 3]);
  const out = ntuple(t, 2);
  assert.deepEqual(out.items, [1, 2, 3]);
  assert.notEqual(out.items, t.items);
});

test('native argument parsing: values by name, given vs default, fresh list defaults, self as input', () => {
  const overloads = ['f(int64_t a, IntArrayRef[2] k=1, *, bool c=False)'];
  const first = parseNativeArgs('f', overloads, 0, [7], new Map([['c', true]]));
  assert.equal(first.int('a'), 7);
  assert.deepEqual(first.intList('k'), [1, 1]);
  assert.equal(first.bool('c'), true);
  assert.deepEqual([first.given('a'), first.given('k'), first.given('c'), first.given('zzz')], [true, false, true, false]);
  assert.deepEqual([...first.explicit], ['a', 'c']);
  assert.deepEqual([first.has('k'), first.has('input'), first.has('zzz')], [true, false, false]);
  assert.equal(first.raw('zzz'), undefined);
  // A default list is the implementation's own to change.
  first.intList('k').push(5);
  assert.deepEqual(parseNativeArgs('f', overloads, 0, [7], new Map()).intList('k'), [1, 1]);
  // None for an optional parameter is None, not its default.
  const none = parseNativeArgs('g', ['g(int64_t? a=3)'], 0, [null], new Map());
  assert.deepEqual([none.optInt('a'), none.given('a')], [null, false]);
  // A method's self is `input`, whatever was bound to a parameter of that name.
  const self = new Tensor([2], float32);
  const method = parseNativeArgs('h', ['h(Tensor input, int64_t d=0)'], 0, [new Tensor([3], float32)], new Map(), self);
  assert.equal(method.tensor('input'), self);
  assert.equal(method.has('input'), true);
  assert.equal(method.given('input'), true);
  assert.throws(() => parseNativeArgs('f', overloads, 0, [], new Map()), /f\(\) missing 1 required positional arguments: "a"/);
  assert.throws(() => parseNativeArgs('f', overloads, 0, ['x'], new Map()), /f\(\): argument 'a' \(position 1\) must be int, not str/);
  assert.throws(() => parseNativeArgs('f', overloads, 0, [1], new Map([['c', 1]])), /f\(\): argument 'c' must be bool, not int/);
});

test('module hooks and the non-persistent set are made on first use and reset by Module.__init__', () => {
  const m = new Module();
  m.moduleInit();
  const hooks = m.forwardHooks;
  assert.equal(m.forwardHooks, hooks);
  hooks.push('hook');
  assert.deepEqual(m.forwardHooks, ['hook']);
  assert.deepEqual(m.forwardPreHooks, []);
  m.registerBuffer('kept', new Tensor([1], float32));
  m.registerBuffer('scratch', new Tensor([1], float32), false);
  assert.deepEqual(m.stateDictEntries().map(([k]) => k), ['kept']);
  assert.deepEqual([...m.nonPersistentBuffers], ['scratch']);
  m.registerBuffer('scratch', new Tensor([1], float32), true);
  assert.deepEqual(m.stateDictEntries().map(([k]) => k), ['kept', 'scratch']);
  m.moduleInit();
  assert.deepEqual(m.forwardHooks, []);
  assert.notEqual(m.forwardHooks, hooks, 'a handle on the old list no longer reaches the module');
  assert.deepEqual(hooks, ['hook']);
  assert.equal(m.repr(), 'Module()');
});

test('binding records: one per site and shape, tensors keyed as their shape JSON', () => {
  const r = new BindingRecorder((v) => String(v));
  const at = (line: number, column: number) => ({ start: { line, column }, end: { line, column: column + 1 } });
  r.bound('x', at(3, 4), new Tensor([2, 3], float32));
  r.bound('x', at(3, 4), new Tensor([2, 3], float32));
  r.bound('x', at(3, 4), new Tensor([2, 4], float32));
  r.bound('y', at(3, 8), new Tensor([2, 3], float32));
  r.bound('n', at(4, 4), 5);
  r.bound('n', at(4, 4), 5);
  r.bound('n', at(4, 4), 6);
  r.bound('t', at(5, 0), new PyTuple([new Tensor([1], float32), new Tensor([], float32)]));
  r.bound('s', at(6, 0), 'not shown');
  assert.deepEqual(r.records.map((b) => [b.name, b.line, b.value, b.dtype]), [
    ['x', 4, [2, 3], 'float32'], ['x', 4, [2, 4], 'float32'], ['y', 4, [2, 3], 'float32'],
    ['n', 5, { value: '5' }, undefined], ['n', 5, { value: '6' }, undefined],
    ['t', 6, { tuple: [[1], []] }, undefined],
  ]);
});

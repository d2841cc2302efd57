// The runtime's Python value model against what CPython 3.11 prints (expectations recorded from
// `python3`): argument-binding TypeErrors, float repr, str repr.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bindArguments, formatFloat, formatStr, PyError, type Signature, sig } from '../../../runtime/python/index.ts';

function bindError(s: Signature, args: unknown[], kwargs: Record<string, unknown> = {}): string {
  try {
    bindArguments(s, args, new Map(Object.entries(kwargs)));
  } catch (e) {
    assert.ok(e instanceof PyError && e.pyType === 'TypeError', `expected a TypeError, got ${String(e)}`);
    return e.message;
  }
  assert.fail('binding succeeded but CPython raises');
}

const f = sig('f', ['a', 'b', ['c', 1]]);
const g = sig('g', ['a', 'b', 'c']);
const h = sig('h', ['x']);
const k: Signature = { qualname: 'k', params: [], kwonly: [{ name: 'a' }] };
const m = sig('C.m', ['x', ['y', 2]], { isMethod: true });
const n = sig('C.n', [], { isMethod: true });

test('argument binding errors use CPython 3.11 words', () => {
  const cases: [string, string][] = [
    [bindError(f, [1]), "f() missing 1 required positional argument: 'b'"],
    [bindError(f, []), "f() missing 2 required positional arguments: 'a' and 'b'"],
    [bindError(g, []), "g() missing 3 required positional arguments: 'a', 'b', and 'c'"],
    [bindError(f, [1, 2, 3, 4]), 'f() takes from 2 to 3 positional arguments but 4 were given'],
    [bindError(f, [1, 2], { d: 3 }), "f() got an unexpected keyword argument 'd'"],
    [bindError(f, [1], { a: 2 }), "f() got multiple values for argument 'a'"],
    [bindError(h, [1, 2]), 'h() takes 1 positional argument but 2 were given'],
    [bindError(k, []), "k() missing 1 required keyword-only argument: 'a'"],
    [bindError(m, []), "C.m() missing 1 required positional argument: 'x'"],
    [bindError(m, [1, 2, 3]), 'C.m() takes from 2 to 3 positional arguments but 4 were given'],
    [bindError(n, [1]), 'C.n() takes 1 positional argument but 2 were given'],
    [bindError(k, [1]), 'k() takes 0 positional arguments but 1 was given'],
  ];
  for (const [got, want] of cases) assert.equal(got, want);
});

test('binding fills defaults, *args and **kwargs', () => {
  const s: Signature = { qualname: 'f', params: [{ name: 'a' }, { name: 'b', default: 5 }], varargs: 'rest', varkw: 'kw' };
  const bound = bindArguments(s, [1, 2, 3, 4], new Map([['z', 9]]));
  assert.equal(bound.get('a'), 1);
  assert.equal(bound.get('b'), 2);
  assert.deepEqual((bound.get('rest') as { items: unknown[] }).items, [3, 4]);
  assert.equal((bound.get('kw') as { get(k: string): unknown }).get('z'), 9);
  assert.equal(bindArguments(s, [1]).get('b'), 5);
});

test('float repr matches Python', () => {
  const cases: [number, string][] = [
    [1e-5, '1e-05'], [1e16, '1e+16'], [0.0001, '0.0001'], [123456789, '123456789.0'], [1.5e-7, '1.5e-07'],
    [0.1 + 0.2, '0.30000000000000004'], [2, '2.0'], [-0, '-0.0'], [1e22, '1e+22'], [1.2345678901234568e16, '1.2345678901234568e+16'],
    [5e-324, '5e-324'], [Infinity, 'inf'], [NaN, 'nan'],
  ];
  for (const [x, want] of cases) assert.equal(formatFloat(x), want, `repr(${x})`);
});

test('str repr picks quotes like Python', () => {
  assert.equal(formatStr('nearest'), "'nearest'");
  assert.equal(formatStr("it's"), '"it\'s"');
  assert.equal(formatStr('a\nb'), "'a\\nb'");
});

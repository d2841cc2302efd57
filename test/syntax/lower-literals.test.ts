// Literal lowering: numbers (ints as bigint), strings, bytes, f-strings and concatenation.

import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { ConstantValue } from '../../language-server/syntax/ast.ts';
import { as, expr, range, setup } from './helpers.ts';

const value = (source: string): ConstantValue => as(expr(source), 'Constant').value;

describe('literal lowering', () => {
  before(setup);

  it('lowers ints in every base, with underscores, as bigint', () => {
    assert.deepEqual(value('0x_FF'), { type: 'int', value: 255n });
    assert.deepEqual(value('0o17'), { type: 'int', value: 15n });
    assert.deepEqual(value('0B101'), { type: 'int', value: 5n });
    assert.deepEqual(value('1_000_000'), { type: 'int', value: 1000000n });
    assert.deepEqual(value('123456789012345678901234567890'), { type: 'int', value: 123456789012345678901234567890n });
    assert.deepEqual(value('0'), { type: 'int', value: 0n });
  });

  it('lowers floats and complex literals', () => {
    assert.deepEqual(value('1.5e-3'), { type: 'float', value: 0.0015 });
    assert.deepEqual(value('1.'), { type: 'float', value: 1 });
    assert.deepEqual(value('.5'), { type: 'float', value: 0.5 });
    assert.deepEqual(value('1_0.0_1'), { type: 'float', value: 10.01 });
    assert.deepEqual(value('2j'), { type: 'complex', value: 2 });
    assert.deepEqual(value('1.5J'), { type: 'complex', value: 1.5 });
  });

  it('lowers True, False, None and Ellipsis to Constants', () => {
    assert.deepEqual(value('True'), { type: 'bool', value: true });
    assert.deepEqual(value('False'), { type: 'bool', value: false });
    assert.deepEqual(value('None'), { type: 'None' });
    assert.deepEqual(value('...'), { type: 'Ellipsis' });
  });

  it('decodes string escapes, raw strings and bytes', () => {
    assert.deepEqual(value(String.raw`'a\tb\x41\u00e9\N{DASH}\
c'`), { type: 'str', value: 'a\tbAé\\N{DASH}c' });
    assert.deepEqual(value(String.raw`r'\d+\\'`), { type: 'str', value: String.raw`\d+\\` });
    assert.deepEqual(value(String.raw`b'\x00\xff'`), { type: 'bytes', value: '\x00\xff' });
    assert.deepEqual(value('"""a\nb"""'), { type: 'str', value: 'a\nb' });
  });

  it('concatenates implicitly adjacent literals', () => {
    assert.deepEqual(value("'a' \"b\" '''c'''"), { type: 'str', value: 'abc' });
    assert.deepEqual(value("b'a' b'b'"), { type: 'bytes', value: 'ab' });
    const joined = as(expr("'x' f'{y}' 'z'"), 'JoinedStr');
    assert.deepEqual(joined.values.map((v) => v.kind), ['Constant', 'FormattedValue', 'Constant']);
  });

  it('lowers f-strings with conversions and nested format specs', () => {
    const source = 'f"a{{b}}c{x!r:>{w}.{p}f}d"';
    const joined = as(expr(source), 'JoinedStr');
    assert.deepEqual(joined.range, range(0, 0, 0, source.length));
    assert.deepEqual(as(joined.values[0], 'Constant').value, { type: 'str', value: 'a{b}c' });
    const field = as(joined.values[1], 'FormattedValue');
    assert.equal(field.conversion, 'r');
    assert.equal(as(field.value, 'Name').id, 'x');
    const spec = field.formatSpec!;
    assert.deepEqual(spec.values.map((v) => v.kind), ['Constant', 'FormattedValue', 'Constant', 'FormattedValue', 'Constant']);
    assert.deepEqual(as(spec.values[0], 'Constant').value, { type: 'str', value: '>' });
    assert.equal(as(as(spec.values[1], 'FormattedValue').value, 'Name').id, 'w');
    assert.deepEqual(as(joined.values[2], 'Constant').value, { type: 'str', value: 'd' });
  });

  it('lowers the = debug specifier to its text plus a repr', () => {
    const joined = as(expr('f"{x = }{y=:>3}"'), 'JoinedStr');
    assert.deepEqual(as(joined.values[0], 'Constant').value, { type: 'str', value: 'x = ' });
    assert.equal(as(joined.values[1], 'FormattedValue').conversion, 'r');
    assert.deepEqual(as(joined.values[2], 'Constant').value, { type: 'str', value: 'y=' });
    const withSpec = as(joined.values[3], 'FormattedValue');
    assert.equal(withSpec.conversion, -1);
    assert.ok(withSpec.formatSpec);
  });
});

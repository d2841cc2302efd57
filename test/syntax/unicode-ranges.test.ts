// Ranges are in UTF-16 code units (JS string indices), also after non-ASCII identifiers,
// strings and comments, including characters outside the BMP (two code units each).
// SyntaxErrorInfo.col follows CPython and counts code points instead.

import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { as, parse, parseOk, range, setup, slice } from './helpers.ts';

describe('non-ASCII source ranges', () => {
  before(setup);

  const source = '# 日本語のコメント 😀\nnaïve = "été 😀"  # ☃\nx = f"{naïve}😀" + 𝔘\n';

  it('places identifiers, strings and operators at UTF-16 columns', () => {
    const [first, second] = parseOk(source);
    const assign = as(first, 'Assign');
    const name = as(assign.targets[0], 'Name');
    assert.equal(name.id, 'naïve');
    assert.deepEqual(name.range, range(1, 0, 1, 5));
    const str = as(assign.value, 'Constant');
    assert.deepEqual(str.value, { type: 'str', value: 'été 😀' });
    assert.deepEqual(str.range, range(1, 8, 1, 16));
    assert.equal(slice(source, str.range), '"été 😀"');
    assert.deepEqual(assign.range, range(1, 0, 1, 16));

    const sum = as(as(second, 'Assign').value, 'BinOp');
    const joined = as(sum.left, 'JoinedStr');
    assert.equal(slice(source, joined.range), 'f"{naïve}😀"');
    const field = as(joined.values[0], 'FormattedValue');
    assert.deepEqual(field.value.range, range(2, 7, 2, 12));
    assert.equal(slice(source, field.value.range), 'naïve');
    // Identifiers are NFKC-normalised as in CPython; the range still covers the original text.
    const fraktur = as(sum.right, 'Name');
    assert.equal(fraktur.id, 'U');
    assert.deepEqual(fraktur.range, range(2, 19, 2, 21));
    assert.equal(slice(source, fraktur.range), '𝔘');
  });

  it('reports CPython code-point columns but UTF-16 ranges for errors', () => {
    const bad = 'café = "naïve 😀😀" + (\n';
    const [error] = parse(bad).errors;
    const paren = bad.indexOf('(');
    assert.equal(error!.message, "'(' was never closed");
    assert.equal(error!.col, [...bad.slice(0, paren)].length + 1);
    assert.equal(error!.col, 21);
    assert.deepEqual(error!.range, range(0, paren, 0, paren + 1));
    assert.equal(paren, 22); // two emoji: 2 code points, 4 UTF-16 units
  });

  it('finds the invalid character after non-ASCII text', () => {
    const [error] = parse('ñame = 1\nx = a € b\n').errors;
    assert.deepEqual([error!.message, error!.line, error!.col], ["invalid character '€' (U+20AC)", 2, 7]);
  });
});

// Column conversion between the analysis (UTF-16) and the negotiated LSP position encoding.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ColumnConverter, negotiatePositionEncoding } from '../../language-server/lsp/position-encoding.ts';

describe('negotiatePositionEncoding', () => {
  test('UTF-16 whenever it is offered or nothing is', () => {
    assert.equal(negotiatePositionEncoding(undefined), 'utf-16');
    assert.equal(negotiatePositionEncoding([]), 'utf-16');
    assert.equal(negotiatePositionEncoding(['utf-8', 'utf-16']), 'utf-16');
  });
  test('the client\'s choice when it offers no UTF-16', () => {
    assert.equal(negotiatePositionEncoding(['utf-8']), 'utf-8');
    assert.equal(negotiatePositionEncoding(['utf-32', 'utf-8']), 'utf-32');
    assert.equal(negotiatePositionEncoding(['latin-1']), 'utf-16');
  });
});

describe('ColumnConverter', () => {
  // "ä" is 1 UTF-16 unit and 2 UTF-8 bytes; "😀" is 2 UTF-16 units, 4 UTF-8 bytes, 1 code point.
  const text = 'x = 1\r\ns = "ä😀"; y = f(x)\n';
  const yUtf16 = 'w = "ä😀"; '.length; // 11

  test('UTF-16 is the identity', () => {
    const c = new ColumnConverter(text, 'utf-16');
    assert.deepEqual(c.toClient({ line: 1, column: yUtf16 }), { line: 1, character: yUtf16 });
    assert.deepEqual(c.fromClient({ line: 1, character: yUtf16 }), { line: 1, column: yUtf16 });
  });

  test('UTF-8 counts bytes, both ways, on a line after a CRLF', () => {
    const c = new ColumnConverter(text, 'utf-8');
    assert.deepEqual(c.toClient({ line: 1, column: yUtf16 }), { line: 1, character: 14 });
    assert.deepEqual(c.fromClient({ line: 1, character: 14 }), { line: 1, column: yUtf16 });
    assert.deepEqual(c.toClient({ line: 0, column: 4 }), { line: 0, character: 4 });
  });

  test('UTF-32 counts code points', () => {
    const c = new ColumnConverter(text, 'utf-32');
    assert.deepEqual(c.toClient({ line: 1, column: yUtf16 }), { line: 1, character: 10 });
    assert.deepEqual(c.fromClient({ line: 1, character: 10 }), { line: 1, column: yUtf16 });
  });

  test('a client column inside a character lands on its start; past the end, on the end', () => {
    const c = new ColumnConverter(text, 'utf-8');
    assert.deepEqual(c.fromClient({ line: 1, character: 8 }), { line: 1, column: 6 }); // inside 😀 (bytes 7..10)
    assert.deepEqual(c.fromClient({ line: 1, character: 99 }), { line: 1, column: 'w = "ä😀"; y = f(x)'.length });
  });
});

// webviewMessageFrom: the weights panel's host accepts only messages exactly as
// protocol/weights-panel.ts types them (a webview is untrusted input), including the compare
// (`minus`) and per-call (`tensor.call`) fields.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { webviewMessageFrom } from '../../language-server/protocol/weights-panel.ts';

const valid = {
  type: 'requestTensor', requestId: 3, tensor: { kind: 'activation', name: 'fc', call: 2 },
  window: { row: 0, col: 0, rows: 4, cols: 4 }, grid: { rows: 4, cols: 4 }, reduction: 'mean',
  minus: { kind: 'activation', name: 'fc', call: 0 },
};

describe('webviewMessageFrom', () => {
  test('well-formed messages come back as typed, extra fields dropped', () => {
    assert.deepEqual(webviewMessageFrom({ type: 'ready', extra: 1 }), { type: 'ready' });
    assert.deepEqual(webviewMessageFrom({ type: 'runForward' }), { type: 'runForward' });
    assert.deepEqual(webviewMessageFrom({ ...valid, extra: 'x', tensor: { ...valid.tensor, extra: true } }), valid);
    const plain = { ...valid, tensor: { kind: 'parameter', name: 'fc.weight' }, minus: null, window: null };
    assert.deepEqual(webviewMessageFrom(plain), plain);
  });

  const malformed: [string, unknown][] = [
    ['not an object', 'requestTensor'],
    ['an array', [valid]],
    ['unknown type', { ...valid, type: 'deleteFile' }],
    ['minus missing (older protocol)', { ...valid, minus: undefined }],
    ['minus not a tensor', { ...valid, minus: 'fc' }],
    ['minus of an unknown kind', { ...valid, minus: { kind: 'gradient', name: 'fc' } }],
    ['minus with a call on a parameter', { ...valid, minus: { kind: 'parameter', name: 'fc.weight', call: 0 } }],
    ['call on a parameter', { ...valid, tensor: { kind: 'parameter', name: 'fc.weight', call: 1 } }],
    ['negative call', { ...valid, tensor: { kind: 'activation', name: 'fc', call: -1 } }],
    ['fractional call', { ...valid, tensor: { kind: 'activation', name: 'fc', call: 1.5 } }],
    ['call as a string', { ...valid, tensor: { kind: 'activation', name: 'fc', call: '1' } }],
    ['name not a string', { ...valid, tensor: { kind: 'activation', name: 7 } }],
    ['name too long', { ...valid, tensor: { kind: 'parameter', name: 'x'.repeat(1001) } }],
    ['grid too large', { ...valid, grid: { rows: 5000, cols: 4 } }],
    ['grid of zero rows', { ...valid, grid: { rows: 0, cols: 4 } }],
    ['unknown reduction', { ...valid, reduction: 'median' }],
    ['window missing a field', { ...valid, window: { row: 0, col: 0, rows: 4 } }],
    ['negative requestId', { ...valid, requestId: -1 }],
  ];
  for (const [what, raw] of malformed) {
    test(`rejects ${what}`, () => assert.equal(webviewMessageFrom(raw), null));
  }
});

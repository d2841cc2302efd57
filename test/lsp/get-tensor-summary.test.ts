// channelRange sent once per tensor: nnLens/getTensor names each tensor's summary (`summaryId`) and
// leaves the channel ranges out when the request names that summary as known (`knownSummaryId`);
// the weights panel's messages carry the same (`knownSummary`, `channelRangeOmitted`) and the
// webview fills them in from what it kept (webviews/weights/channel-ranges.ts).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { GetTensorResult } from '../../language-server/protocol/requests.ts';
import { webviewMessageFrom, type TensorMessage } from '../../language-server/protocol/weights-panel.ts';
import { ChannelRanges } from '../../webviews/weights/channel-ranges.ts';
import type { LspClient } from './lsp-client.ts';
import { fileUri, openDocument, readFile, startServer } from './server-process.ts';

describe('nnLens/getTensor summaryId and knownSummaryId', () => {
  let client: LspClient;
  let stop: () => Promise<void>;
  const uri = fileUri('examples/tutorial_network.py');
  before(async () => {
    ({ client, stop } = await startServer());
    await openDocument(client, uri, readFile('examples/tutorial_network.py'));
  });
  after(() => stop());
  const request = (name: string, extra: Record<string, unknown> = {}): Promise<GetTensorResult> =>
    client.call<GetTensorResult>('nnLens/getTensor', { textDocument: { uri }, className: 'Network', tensor: { kind: 'parameter', name }, grid: { rows: 4, cols: 4 }, ...extra });

  test('the first answer carries channelRange and a summaryId; naming it leaves the ranges out', async () => {
    const first = await request('conv1.weight');
    assert.equal(typeof first.summaryId, 'string');
    assert.equal(first.channelRange?.min.length, 6);
    assert.equal(first.channelRangeOmitted, undefined);
    const again = await request('conv1.weight', { knownSummaryId: first.summaryId, window: { row: 2, col: 1, rows: 3, cols: 3 } });
    assert.equal(again.summaryId, first.summaryId);
    assert.equal(again.channelRangeOmitted, true);
    assert.equal(again.channelRange, undefined);
    // Everything else is still there: statistics and histogram are small and sent every time.
    assert.deepEqual(again.stats, first.stats);
    assert.deepEqual(again.histogram, first.histogram);
  });

  test('a summaryId of another tensor, an unknown one, or none: the ranges come', async () => {
    const conv1 = await request('conv1.weight');
    const conv2 = await request('conv2.weight', { knownSummaryId: conv1.summaryId });
    assert.notEqual(conv2.summaryId, conv1.summaryId);
    assert.equal(conv2.channelRange?.min.length, conv2.shape[0]);
    assert.equal(conv2.channelRangeOmitted, undefined);
    const stale = await request('conv1.weight', { knownSummaryId: 'not-a-summary' });
    assert.equal(stale.channelRange?.min.length, 6);
    const plain = await request('conv1.weight');
    assert.equal(plain.channelRange?.min.length, 6);
  });

  test('a tensor without channel ranges (rank 1) has nothing to leave out', async () => {
    const bias = await request('conv1.bias');
    const again = await request('conv1.bias', { knownSummaryId: bias.summaryId });
    assert.equal(again.channelRange, undefined);
    assert.equal(again.channelRangeOmitted, undefined);
  });

  test('a knownSummaryId that is not a string is InvalidParams', async () => {
    await assert.rejects(request('conv1.weight', { knownSummaryId: 7 }), /-32602 params\.knownSummaryId/);
  });
});

describe('weights panel messages: knownSummary', () => {
  const valid = { type: 'requestTensor', requestId: 1, tensor: { kind: 'parameter', name: 'w' }, window: null, grid: { rows: 2, cols: 2 }, reduction: 'mean', minus: null };
  test('optional; a short string when present', () => {
    assert.deepEqual(webviewMessageFrom(valid), valid);
    assert.deepEqual(webviewMessageFrom({ ...valid, knownSummary: 'abc-1' }), { ...valid, knownSummary: 'abc-1' });
    assert.equal(webviewMessageFrom({ ...valid, knownSummary: 3 }), null);
    assert.equal(webviewMessageFrom({ ...valid, knownSummary: 'x'.repeat(201) }), null);
  });
});

describe('webview channel ranges kept per tensor', () => {
  const range = { dim: 0, min: [-1, -2], max: [1, 2] };
  const message = (extra: Partial<TensorMessage>): TensorMessage => ({
    type: 'tensor', requestId: 1, tensor: { kind: 'parameter', name: 'w' }, shape: [2, 3], dtype: 'float32', folded: { rows: 2, cols: 3 },
    window: { row: 0, col: 0, rows: 2, cols: 3 }, grid: { rows: 2, cols: 3 }, exact: true, reduction: 'mean', minus: null,
    stats: { min: -2, max: 2, mean: 0, std: 1 }, channelRange: range, histogram: { min: -2, max: 2, counts: [] }, values: new Float32Array(6), ...extra,
  });
  const w = { kind: 'parameter' as const, name: 'w' };

  test('kept from an answer with a summaryId, named, and filled in when left out', () => {
    const store = new ChannelRanges();
    assert.equal(store.known(w, null), undefined);
    assert.equal(store.complete(message({ summaryId: 's1' }))?.channelRange, range);
    assert.equal(store.known(w, null), 's1');
    // Per pane request: the same tensor with a minus is another entry.
    assert.equal(store.known(w, { kind: 'parameter', name: 'v' }), undefined);
    const filled = store.complete(message({ summaryId: 's1', channelRange: null, channelRangeOmitted: true }));
    assert.deepEqual(filled?.channelRange, range);
  });

  test('left out for a summary not kept: null (ask again), and the stale entry is dropped', () => {
    const store = new ChannelRanges();
    store.complete(message({ summaryId: 's1' }));
    assert.equal(store.complete(message({ summaryId: 's2', channelRange: null, channelRangeOmitted: true })), null);
    assert.equal(store.known(w, null), undefined);
  });

  test('an older host (no summaryId): passed through, nothing kept', () => {
    const store = new ChannelRanges();
    const m = message({});
    assert.equal(store.complete(m), m);
    assert.equal(store.known(w, null), undefined);
  });
});

describe('nnLens/getTensor on a tensor big enough for an overview', () => {
  let client: LspClient;
  let stop: () => Promise<void>;
  const uri = fileUri('.scratch/get-tensor-summary/wide.py');
  const text = 'import torch\nimport torch.nn as nn\n\nclass Wide(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(256, 4096)\n\n    def forward(self, x):\n        return self.fc(x)\n\nout = Wide()(torch.randn(1, 256))\n';
  before(async () => {
    ({ client, stop } = await startServer());
    await openDocument(client, uri, text);
  });
  after(() => stop());
  const cellsOf = (r: GetTensorResult): Float32Array => {
    const bytes = Buffer.from(r.data, 'base64');
    return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  };

  test('windows before the overview is built (the first answer) and after it: the same cells', async () => {
    // fc.weight [4096, 256]: 2^20 elements, the size from which the worker builds an overview
    // after the first answer; cells of 64 rows are reduced from it once it is there.
    const ask = (reduction: string): Promise<GetTensorResult> => client.call<GetTensorResult>('nnLens/getTensor', {
      textDocument: { uri }, className: 'Wide', tensor: { kind: 'parameter', name: 'fc.weight' }, grid: { rows: 64, cols: 256 }, reduction,
    });
    const first = { mean: await ask('mean'), min: await ask('min'), max: await ask('max') };
    assert.deepEqual(first.mean.shape, [4096, 256]);
    // The overview of 2^20 elements takes milliseconds; give the worker time to finish it.
    await new Promise((resolve) => setTimeout(resolve, 500));
    for (const reduction of ['mean', 'min', 'max'] as const) {
      const later = cellsOf(await ask(reduction));
      const before = cellsOf(first[reduction]);
      assert.equal(later.length, 64 * 256);
      for (let k = 0; k < later.length; k++) {
        // min and max bit for bit; the mean to one float32 step (float64 sums in another order).
        if (reduction === 'mean') assert.ok(Math.abs(later[k]! - before[k]!) <= 2 ** -23 * Math.abs(before[k]!) + 1e-12, `cell ${k}: ${later[k]} vs ${before[k]}`);
        else assert.equal(later[k], before[k], `${reduction} cell ${k}`);
      }
    }
  });
});

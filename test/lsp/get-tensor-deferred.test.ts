// nnLens/getTensor with `deferSummary` and nnLens/getTensorSummary: a tensor's first answer carries
// the cells and what the colour scale needs (min, max, count, channel ranges; `summaryPending`), the
// summary request then the statistics and histogram, equal to a summary of the exact values computed
// here, and later answers the whole summary again; tensors under 2^20 elements are answered whole.
// Through the real server and its tensor worker.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { GetTensorResult, GetTensorSummaryResult } from '../../language-server/protocol/requests.ts';
import { summarize } from '../../language-server/lsp/forward-tensor-view.ts';
import { webviewMessageFrom, type TensorMessage } from '../../language-server/protocol/weights-panel.ts';
import { Summaries } from '../../webviews/weights/summaries.ts';
import type { LspClient } from './lsp-client.ts';
import { fileUri, openDocument, startServer } from './server-process.ts';

const cells = (r: GetTensorResult): Float32Array => {
  const bytes = Buffer.from(r.data, 'base64');
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
};

describe('nnLens/getTensor deferSummary and nnLens/getTensorSummary', () => {
  let client: LspClient;
  let stop: () => Promise<void>;
  // Tensors of 2^20 elements (the least that defers), and a small one.
  const uri = fileUri('.scratch/get-tensor-deferred/wide.py');
  const text = [
    'import torch', 'import torch.nn as nn', '', 'class Wide(nn.Module):', '    def __init__(self):', '        super().__init__()',
    '        self.fc1 = nn.Linear(1024, 1024)', '        self.fc2 = nn.Linear(1024, 1024)', '        self.conv1 = nn.Conv2d(64, 64, 16)',
    '        self.conv2 = nn.Conv2d(64, 64, 16)', '        self.small = nn.Linear(4, 4)', '', '    def forward(self, x):', '        return self.fc1(x)', '',
    'out = Wide()(torch.randn(1, 1024))', '',
  ].join('\n');
  before(async () => {
    ({ client, stop } = await startServer());
    await openDocument(client, uri, text);
  });
  after(() => stop());
  const request = (name: string, extra: Record<string, unknown> = {}): Promise<GetTensorResult> =>
    client.call<GetTensorResult>('nnLens/getTensor', { textDocument: { uri }, className: 'Wide', tensor: { kind: 'parameter', name }, grid: { rows: 8, cols: 8 }, ...extra });

  test('the first answer: cells, min, max, count and channel ranges, the rest pending; then the summary, exact', async () => {
    // fc1.weight [1024, 1024]: all of its values as cells (exact; rank 2 folds to itself, in memory
    // order), so the summary can be checked here, bit for bit.
    const first = await request('fc1.weight', { deferSummary: true, grid: { rows: 1024, cols: 1024 } });
    assert.equal(first.summaryPending, true);
    assert.equal(first.histogram, undefined);
    assert.equal(first.exact, true);
    assert.equal(typeof first.summaryId, 'string');
    const values = cells(first);
    const want = summarize(values, first.shape, 0);
    assert.deepEqual(first.stats, { min: want.stats.min, max: want.stats.max, count: 1024 * 1024 });
    assert.deepEqual(first.channelRange, want.channelRange);
    const rest = await client.call<GetTensorSummaryResult>('nnLens/getTensorSummary', { summaryId: first.summaryId });
    assert.equal(rest.summaryId, first.summaryId);
    // Float32 cells are the values themselves: the same statistics, bit for bit.
    assert.deepEqual(rest.stats, want.stats);
    assert.deepEqual(rest.histogram, want.histogram);
    // Later answers (another window, deferSummary still asked) carry the whole summary, same id.
    const again = await request('fc1.weight', { deferSummary: true, window: { row: 0, col: 0, rows: 5, cols: 5 }, knownSummaryId: first.summaryId });
    assert.equal(again.summaryPending, undefined);
    assert.equal(again.summaryId, first.summaryId);
    assert.equal(again.channelRangeOmitted, true);
    assert.deepEqual(again.stats, want.stats);
    assert.deepEqual(again.histogram, want.histogram);
  });

  test('naming the summary of a pending answer leaves the ranges out; without deferSummary nothing is pending', async () => {
    const first = await request('conv2.weight', { deferSummary: true, grid: { rows: 8, cols: 8 } });
    assert.equal(first.summaryPending, true);
    assert.equal(first.channelRange?.min.length, 64);
    const named = await request('conv2.weight', { deferSummary: true, grid: { rows: 4, cols: 4 }, knownSummaryId: first.summaryId });
    assert.equal(named.summaryId, first.summaryId);
    assert.equal(named.channelRangeOmitted, true);
    assert.equal(named.channelRange, undefined);
    const whole = await request('fc2.weight', { grid: { rows: 8, cols: 8 } });
    assert.equal(whole.summaryPending, undefined);
    assert.equal(whole.histogram?.counts.length, 64);
    assert.equal(typeof whole.stats.mean, 'number');
    const rest = await client.call<GetTensorSummaryResult>('nnLens/getTensorSummary', { summaryId: first.summaryId });
    assert.equal(rest.stats.count, 64 * 64 * 16 * 16);
    assert.equal(rest.stats.min, first.stats.min);
    assert.equal(rest.stats.max, first.stats.max);
  });

  test('deferChannelRange: the ranges come with the summary when asked for, the same a whole answer carries', async () => {
    const first = await request('conv1.weight', { deferSummary: true, deferChannelRange: true });
    assert.equal(first.summaryPending, true);
    assert.equal(first.channelRangePending, true);
    assert.equal(first.channelRange, undefined);
    const without = await client.call<GetTensorSummaryResult>('nnLens/getTensorSummary', { summaryId: first.summaryId });
    assert.equal(without.channelRange, undefined);
    const rest = await client.call<GetTensorSummaryResult>('nnLens/getTensorSummary', { summaryId: first.summaryId, channelRange: true });
    assert.equal(rest.channelRange?.min.length, 64);
    const whole = await request('conv1.weight', { deferSummary: true, deferChannelRange: true });
    assert.equal(whole.channelRangePending, undefined);
    assert.deepEqual(whole.channelRange, rest.channelRange);
    assert.deepEqual(whole.stats, rest.stats);
    const bad = await client.request('nnLens/getTensor', { textDocument: { uri }, className: 'Wide', tensor: { kind: 'parameter', name: 'small.bias' }, deferSummary: true, deferChannelRange: 1 }).response;
    assert.equal(bad.error?.code, -32602);
  });

  test('a window asked right after a first answer is answered between the slices of its summary, before the summary', async () => {
    // A 4096×4096 weight: its summary takes several slices of 2^22 elements (tens of milliseconds),
    // the window one cut. Asked after the summary, the window still comes first, still pending.
    const bigUri = fileUri('.scratch/get-tensor-deferred/big.py');
    await openDocument(client, bigUri, ['import torch.nn as nn', '', 'class Big(nn.Module):', '    def __init__(self):', '        super().__init__()',
      '        self.fc = nn.Linear(4096, 4096)', '', '    def forward(self, x):', '        return self.fc(x)', ''].join('\n'));
    const ask = (extra: Record<string, unknown>): Promise<GetTensorResult> =>
      client.call<GetTensorResult>('nnLens/getTensor', { textDocument: { uri: bigUri }, className: 'Big', tensor: { kind: 'parameter', name: 'fc.weight' }, grid: { rows: 64, cols: 64 }, ...extra });
    const first = await ask({ deferSummary: true });
    assert.equal(first.summaryPending, true);
    const order: string[] = [];
    const summary = client.call<GetTensorSummaryResult>('nnLens/getTensorSummary', { summaryId: first.summaryId }).then((s) => { order.push('summary'); return s; });
    const pan = ask({ deferSummary: true, knownSummaryId: first.summaryId, window: { row: 1000, col: 1000, rows: 300, cols: 300 } }).then((w) => { order.push('window'); return w; });
    const [rest, win] = await Promise.all([summary, pan]);
    assert.deepEqual(order, ['window', 'summary']);
    assert.equal(win.summaryPending, true);
    assert.equal(win.summaryId, first.summaryId);
    assert.equal(win.channelRangeOmitted, true);
    assert.equal(rest.stats.count, 4096 * 4096);
    assert.equal(rest.stats.min, first.stats.min);
    assert.equal(rest.stats.max, first.stats.max);
    // Once complete, later answers carry that summary whole.
    const later = await ask({ deferSummary: true, knownSummaryId: first.summaryId });
    assert.equal(later.summaryPending, undefined);
    assert.deepEqual(later.stats, rest.stats);
    assert.deepEqual(later.histogram, rest.histogram);
  });

  test('a small tensor is answered whole even with deferSummary (its summary costs less than the wait)', async () => {
    const small = await request('small.weight', { deferSummary: true, deferChannelRange: true });
    assert.equal(small.summaryPending, undefined);
    assert.equal(small.channelRangePending, undefined);
    assert.equal(small.histogram?.counts.length, 64);
    assert.equal(small.channelRange?.min.length, 4);
  });

  test('an unknown summaryId is valueTierUnavailable with the reason; a malformed one InvalidParams', async () => {
    const unknown = await client.request('nnLens/getTensorSummary', { summaryId: 'nosuchworker-1' }).response;
    assert.equal((unknown.error?.data as { kind?: string } | undefined)?.kind, 'valueTierUnavailable');
    assert.match(unknown.error!.message, /not of this tensor worker/);
    const bad = await client.request('nnLens/getTensorSummary', { summaryId: 3 }).response;
    assert.equal(bad.error?.code, -32602);
    const badDefer = await client.request('nnLens/getTensor', { textDocument: { uri }, className: 'Wide', tensor: { kind: 'parameter', name: 'small.weight' }, deferSummary: 'yes' }).response;
    assert.equal(badDefer.error?.code, -32602);
  });
});

describe('the weights panel messages for a deferred summary', () => {
  const base = { type: 'requestTensor', requestId: 1, tensor: { kind: 'parameter', name: 'w' }, window: null, grid: { rows: 2, cols: 2 }, reduction: 'mean', minus: null };

  test('webviewMessageFrom: deferSummary is optional and a boolean', () => {
    assert.equal(webviewMessageFrom(base)?.type, 'requestTensor');
    assert.equal((webviewMessageFrom(base) as { deferSummary?: boolean }).deferSummary, undefined);
    assert.equal((webviewMessageFrom({ ...base, deferSummary: true }) as { deferSummary?: boolean }).deferSummary, true);
    assert.equal((webviewMessageFrom({ ...base, deferSummary: false }) as { deferSummary?: boolean }).deferSummary, false);
    assert.equal(webviewMessageFrom({ ...base, deferSummary: 'yes' }), null);
    assert.equal(webviewMessageFrom({ ...base, deferSummary: 1 }), null);
    assert.equal((webviewMessageFrom({ ...base, deferSummary: true, deferChannelRange: true }) as { deferChannelRange?: boolean }).deferChannelRange, true);
    assert.equal(webviewMessageFrom({ ...base, deferChannelRange: 'no' }), null);
  });

  test('Summaries completes a pending message once its summary came, says why when it could not come, leaves others alone', () => {
    const pending: TensorMessage = {
      type: 'tensor', requestId: 1, tensor: { kind: 'parameter', name: 'w' }, shape: [2, 2], dtype: 'float32', folded: { rows: 2, cols: 2 },
      window: { row: 0, col: 0, rows: 2, cols: 2 }, grid: { rows: 2, cols: 2 }, exact: true, reduction: 'mean', minus: null,
      stats: { min: -1, max: 1, count: 4 }, channelRange: null, summaryId: 's-1', summaryPending: true,
      histogram: { min: -1, max: 1, counts: [] }, values: Float32Array.of(-1, 0, 0, 1),
    };
    const s = new Summaries();
    assert.equal(s.complete(pending), pending);
    const stats = { min: -1, max: 1, mean: 0, std: Math.sqrt(2 / 3), zeroFraction: 0.5, l2Norm: Math.SQRT2, count: 4 };
    s.add({ type: 'summary', summaryId: 's-1', stats, histogram: { min: -1, max: 1, counts: [1, 2, 1] } });
    const done = s.complete(pending);
    assert.equal(done.summaryPending, undefined);
    assert.deepEqual(done.stats, stats);
    assert.deepEqual(done.histogram.counts, [1, 2, 1]);
    s.add({ type: 'summary', summaryId: 's-2', error: 'no summary' });
    const failed = s.complete({ ...pending, summaryId: 's-2' });
    assert.equal(failed.summaryPending, true);
    assert.equal(failed.summaryError, 'no summary');
    const whole = { ...pending, summaryPending: undefined, summaryId: 's-3' };
    assert.equal(s.complete(whole), whole);
    // Ranges held back come with the summary; a summary without them leaves them pending.
    const range = { dim: 0, min: [-1, 0], max: [0, 1] };
    s.add({ type: 'summary', summaryId: 's-4', stats, histogram: { min: -1, max: 1, counts: [1, 2, 1] }, channelRange: range });
    const ranged = s.complete({ ...pending, summaryId: 's-4', channelRangePending: true });
    assert.deepEqual(ranged.channelRange, range);
    assert.equal(ranged.channelRangePending, undefined);
    assert.equal(s.complete({ ...pending, channelRangePending: true }).channelRangePending, true);
  });
});

// Cancelling nnLens/getTensor: the client gets the LSP cancelled error (-32800) at once, and the
// shared tensor worker lives on — a job cancelled before it started is skipped, one cancelled while
// it runs finishes (its model stays cached) — so the other requests and the cache survive. Only a
// cancelled job that keeps the worker past NNLENS_TENSOR_RUNAWAY_MS while others wait restarts it.
// Which worker answered shows in summaryId: its prefix is unique per worker (lsp/forward-tensors.ts).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { GetTensorResult } from '../../language-server/protocol/requests.ts';
import type { LspClient, ResponseMessage } from './lsp-client.ts';
import { fileUri, openDocument, readFile, startServer } from './server-process.ts';

/** A model whose construction takes a while (16.8 M values from the seeded RNG): a job long enough to cancel others behind. */
const slowText = (n: number): string => `import torch\nimport torch.nn as nn\n\nclass Big(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(${n}, ${n})\n\n    def forward(self, x):\n        return self.fc(x)\n\nout = Big()(torch.randn(1, ${n}))\n`;
/** Slower still (38.6 M values): a job that is surely running 300 ms after it was asked for. */
const slowerText = 'import torch\nimport torch.nn as nn\n\nclass Wte(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.wte = nn.Embedding(50257, 768)\n\n    def forward(self, idx):\n        return self.wte(idx)\n\nout = Wte()(torch.randint(0, 50257, (1, 8)))\n';
/** The document analysed (listModels waits for it): a getTensor then goes to the worker at once. */
const analysed = (client: LspClient, uri: string): Promise<unknown> => client.call('nnLens/listModels', { textDocument: { uri } });
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const workerOf = (r: GetTensorResult): string => r.summaryId!.split('-')[0]!;
const cancelledCode = -32800;

function tensorRequest(client: LspClient, uri: string, className: string, name: string): { id: number; response: Promise<ResponseMessage> } {
  return client.request('nnLens/getTensor', { textDocument: { uri }, className, tensor: { kind: 'parameter', name }, grid: { rows: 4, cols: 4 } });
}
const resultOf = async (r: { response: Promise<ResponseMessage> }): Promise<GetTensorResult> => {
  const m = await r.response;
  if (m.error) throw new Error(`getTensor failed: ${m.error.code} ${m.error.message}`);
  return m.result as GetTensorResult;
};

describe('nnLens/getTensor cancellation', () => {
  let client: LspClient;
  let stop: () => Promise<void>;
  const tutorial = fileUri('examples/tutorial_network.py');
  const big = fileUri('.scratch/get-tensor-cancel/big.py');
  before(async () => {
    ({ client, stop } = await startServer());
    await openDocument(client, tutorial, readFile('examples/tutorial_network.py'));
    await openDocument(client, big, slowText(4096));
  });
  after(() => stop());

  test('a queued job cancelled: answered cancelled before the running one finishes; the worker and its cache live on', async () => {
    const reference = await resultOf(tensorRequest(client, tutorial, 'Network', 'conv1.bias'));
    await analysed(client, big);
    const t0 = performance.now();
    const running = tensorRequest(client, big, 'Big', 'fc.bias');
    const queued = tensorRequest(client, big, 'Big', 'fc.weight');
    const order: string[] = [];
    void running.response.then(() => order.push('running'));
    client.notify('$/cancelRequest', { id: queued.id });
    const cancelledAnswer = await queued.response;
    order.push('cancelled');
    assert.equal(cancelledAnswer.error?.code, cancelledCode);
    const built = await resultOf(running);
    const buildMs = performance.now() - t0;
    assert.deepEqual(order, ['cancelled', 'running']);
    // The same worker answers (not a restarted one), from the model it built.
    assert.equal(workerOf(built), workerOf(reference));
    const t1 = performance.now();
    const after = await resultOf(tensorRequest(client, big, 'Big', 'fc.weight'));
    const cachedMs = performance.now() - t1;
    assert.equal(workerOf(after), workerOf(reference));
    // From the cache: no second construction of the 16.8 M values (only this tensor's summary pass).
    assert.ok(cachedMs < buildMs, `answered in ${cachedMs.toFixed(0)} ms, the build took ${buildMs.toFixed(0)} ms`);
    assert.deepEqual(after.shape, [4096, 4096]);
  });

  test('a running job cancelled: answered cancelled at once; it finishes and its model serves the next request', async () => {
    const reference = await resultOf(tensorRequest(client, tutorial, 'Network', 'conv2.bias'));
    await openDocument(client, fileUri('.scratch/get-tensor-cancel/big2.py'), slowText(4000));
    const uri = fileUri('.scratch/get-tensor-cancel/big2.py');
    await analysed(client, uri);
    const running = tensorRequest(client, uri, 'Big', 'fc.weight');
    // Started in the worker (the build takes longer than this), not cancelled before it was posted.
    await sleep(100);
    const t0 = performance.now();
    client.notify('$/cancelRequest', { id: running.id });
    const answer = await running.response;
    const cancelMs = performance.now() - t0;
    assert.equal(answer.error?.code, cancelledCode);
    const next = await resultOf(tensorRequest(client, uri, 'Big', 'fc.weight'));
    assert.equal(workerOf(next), workerOf(reference));
    assert.deepEqual(next.shape, [4000, 4000]);
    // Not a timing claim about the machine: the cancelled answer came without waiting for the build.
    assert.ok(cancelMs < 1000, `cancelled after ${cancelMs.toFixed(0)} ms`);
  });
});

describe('nnLens/getTensor runaway cancelled job', () => {
  let client: LspClient;
  let stop: () => Promise<void>;
  const tutorial = fileUri('examples/tutorial_network.py');
  const big = fileUri('.scratch/get-tensor-cancel/big3.py');
  before(async () => {
    // No patience at all: a cancelled job still running while another waits is a runaway at once.
    const saved = process.env.NNLENS_TENSOR_RUNAWAY_MS;
    process.env.NNLENS_TENSOR_RUNAWAY_MS = '0';
    try {
      ({ client, stop } = await startServer());
    } finally {
      if (saved === undefined) delete process.env.NNLENS_TENSOR_RUNAWAY_MS;
      else process.env.NNLENS_TENSOR_RUNAWAY_MS = saved;
    }
    await openDocument(client, tutorial, readFile('examples/tutorial_network.py'));
    await openDocument(client, big, slowerText);
  });
  after(() => stop());

  test('the worker is restarted, the waiting request answered by the new one, and the log says so', async () => {
    const reference = await resultOf(tensorRequest(client, tutorial, 'Network', 'conv1.weight'));
    await analysed(client, big);
    const runaway = tensorRequest(client, big, 'Wte', 'wte.weight');
    await sleep(300);
    client.notify('$/cancelRequest', { id: runaway.id });
    assert.equal((await runaway.response).error?.code, cancelledCode);
    const waiting = await resultOf(tensorRequest(client, tutorial, 'Network', 'conv1.weight'));
    assert.notEqual(workerOf(waiting), workerOf(reference));
    assert.deepEqual(waiting.stats, reference.stats);
    // The server's console is its log (window/logMessage, VS Code's output channel).
    const logged = client.notifications.filter((n) => n.method === 'window/logMessage').map((n) => String(n.params.message)).join('\n') + client.stderr;
    assert.match(logged, /spent .* s on a cancelled request while 1 waited: restarted it/);
    // A summary of the old worker is not found in the new one, and the answer says why.
    const old = await client.request('nnLens/getTensorSummary', { summaryId: reference.summaryId }).response;
    assert.match(old.error?.message ?? '', /not of this tensor worker/);
  });
});

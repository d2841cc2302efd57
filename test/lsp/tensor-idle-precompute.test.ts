// The tensor worker's idle precompute (forward-tensors.ts precomputeIdle): after a model is built,
// its big parameters get the range pass (rangePassSteps, in slices) and the overview before any
// request for them; the first request then cuts only its window. Checked here: the sliced range
// pass is rangePass bit for bit (random shapes, slice sizes, NaN/±Infinity/±0), and a 2048×1024
// embedding's first request after idle time is served from the precomputed overview and range pass
// and equals the direct cut (tensorViewAndRange over the exact values, read back as a full-resolution
// window of another cache entry of the same model): min and max cells, the range and the summary bit
// for bit, the mean cells up to the overview's one float32 rounding step.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { rangePass, rangePassSteps, rangeSummary, summarize, tensorViewAndRange, type RangePass } from '../../language-server/lsp/forward-tensor-view.ts';
import { answerSummaryJob, answerTensorJob, continueDeferredSummaries, precomputeServed } from '../../language-server/lsp/forward-tensors.ts';
import type { ForwardJob, TensorJob, TensorJobResult } from '../../language-server/lsp/forward-job.ts';
import type { Reduction } from '../../language-server/protocol/requests.ts';
import { seededRandom } from '../support/seeded-random.ts';


const bytes = (a: Float32Array | Float64Array): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

function sameRange(got: RangePass, want: RangePass, what: string): void {
  assert.deepEqual({ ...got, chMin: undefined, chMax: undefined, min: undefined, max: undefined }, { ...want, chMin: undefined, chMax: undefined, min: undefined, max: undefined }, what);
  assert.ok(Object.is(got.min, want.min) && Object.is(got.max, want.max), `${what}: min/max ${got.min}/${got.max} vs ${want.min}/${want.max}`);
  assert.ok(bytes(got.chMin).equals(bytes(want.chMin)) && bytes(got.chMax).equals(bytes(want.chMax)), `${what}: channel ranges`);
}

describe('rangePassSteps', () => {
  test('equals rangePass bit for bit, whatever the slice size', () => {
    const rand = seededRandom(11);
    const odd = [NaN, Infinity, -Infinity, -0, 0];
    let sliced = 0;
    for (let trial = 0; trial < 300; trial++) {
      const rank = 1 + Math.floor(rand() * 4);
      const shape = Array.from({ length: rank }, () => 1 + Math.floor(rand() * 9));
      const n = shape.reduce((a, b) => a * b, 1);
      const v = Float32Array.from({ length: n }, () => (rand() - 0.5) * 4);
      const special = trial % 3 === 0 ? 0 : Math.floor(rand() * 4);
      for (let k = 0; k < special; k++) v[Math.floor(rand() * n)] = odd[Math.floor(rand() * odd.length)]!;
      const dim = trial % 4 === 3 ? undefined : Math.floor(rand() * rank);
      const perStep = 1 + Math.floor(rand() * n);
      const steps = rangePassSteps(v, shape, dim, perStep);
      let next = steps.next();
      let yields = 0;
      while (!next.done) { yields++; next = steps.next(); }
      if (yields > 0) sliced++;
      sameRange(next.value, rangePass(v, shape, dim), `trial ${trial} [${shape}] dim ${dim} ${perStep} per step`);
    }
    assert.ok(sliced > 100, `only ${sliced} trials were sliced`);
  });
});

const ulp32 = (x: number): number => {
  const f = Math.fround(Math.abs(x));
  return f === 0 ? 2 ** -149 : 2 ** (Math.floor(Math.log2(f)) - 23);
};

describe('idle precompute after a model build', () => {
  const text = [
    'import torch', 'import torch.nn as nn', '', 'class Emb(nn.Module):', '    def __init__(self):', '        super().__init__()',
    '        self.emb = nn.Embedding(2048, 1024)', '        self.head = nn.Linear(4, 4)', '', '    def forward(self, x):', '        return self.head(x)', '',
  ].join('\n');
  const job: ForwardJob = { text, fileName: '/nonexistent/emb.py', className: 'Emb', spec: {}, torch2Repr: false, siblings: false, openTexts: {} };
  let nextId = 1;
  const ask = async (key: string, name: string, view: TensorJob['view'], extra: Partial<TensorJob> = {}): Promise<Extract<TensorJobResult, { shape: number[] }>> => {
    const r = await answerTensorJob({ id: nextId++, key, job, tensor: { kind: 'parameter', name }, view, ...extra });
    assert.ok(r.ok && 'shape' in r, JSON.stringify(r).slice(0, 400));
    continueDeferredSummaries();
    return r;
  };

  test("a big parameter's first request after idle time is answered from the overview and equals the direct cut", async () => {
    const before = { ...precomputeServed };
    // The exact values, from another cache entry of the same model (same seed): a window of one cell per element.
    const exact = await ask('direct', 'emb.weight', { grid: { rows: 2048, cols: 1024 } });
    assert.equal(precomputeServed.ranges, before.ranges, 'the building request cuts directly');
    const values = exact.view.cells;
    const shape = [2048, 1024];
    for (const reduction of ['max', 'min', 'mean'] as Reduction[]) {
      const key = `idle-${reduction}`;
      // The model built by a request for another tensor (as a panel's earlier selection would), then idle time.
      await ask(key, 'head.weight', { grid: { rows: 4, cols: 4 } });
      await sleep(1500);
      const served = { ...precomputeServed };
      const view = { grid: { rows: 64, cols: 300 }, reduction };
      const first = await ask(key, 'emb.weight', view, { deferSummary: true });
      assert.equal(precomputeServed.ranges, served.ranges + 1, `${reduction}: the range pass made in idle time`);
      assert.equal(precomputeServed.overviews, served.overviews + 1, `${reduction}: the window cut from the overview`);
      const direct = tensorViewAndRange(values, shape, view, 0);
      assert.deepEqual({ ...first.view, cells: undefined }, { ...direct.view, cells: undefined }, reduction);
      const got = first.view.cells;
      const want = direct.view.cells;
      assert.equal(got.length, want.length);
      if (reduction === 'mean') {
        // The overview's documented contract: the float64 sum of the same elements in another order.
        for (let i = 0; i < want.length; i++) assert.ok(Math.abs(got[i]! - want[i]!) <= ulp32(want[i]!), `mean cell ${i}: ${got[i]} vs ${want[i]}`);
      } else assert.ok(bytes(got).equals(bytes(want)), `${reduction}: cells bit for bit`);
      // The colour scale: the range pass's numbers, bit for bit.
      const { id, pending, ...range } = first.summary as typeof first.summary & { id: string; pending?: boolean };
      assert.equal(pending, true);
      assert.deepEqual(range, rangeSummary(values.length, direct.range), `${reduction}: range summary`);
      // Then the rest of the summary, computed in slices from that range pass: summarize's.
      const full = await answerSummaryJob({ type: 'summary', id: nextId++, summaryId: id, withChannelRange: true });
      assert.ok(full.ok && 'full' in full, JSON.stringify(full).slice(0, 400));
      const { id: _ignored, ...whole } = summarize(values, shape, 0) as ReturnType<typeof summarize> & { id?: string };
      assert.deepEqual(full.full, whole, `${reduction}: summary`);
    }
    assert.ok(exact.summary && 'stats' in exact.summary);
  });
});

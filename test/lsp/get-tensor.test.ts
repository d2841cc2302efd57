// nnLens/getTensor through the real server: the tutorial network's conv1.weight as
// `torch.manual_seed(0); Network()` makes it (the corpus truth of network_full.py, the same class),
// its statistics, windows with exact values and reduced cells, and an activation after the forward.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { GetTensorResult } from '../../language-server/protocol/requests.ts';
import { foldLayout, foldShape } from '../../language-server/protocol/tensor-fold.ts';
import type { LspClient } from './lsp-client.ts';
import { fileUri, openDocument, readFile, root, startServer } from './server-process.ts';

let client: LspClient;
let stop: () => Promise<void>;
const uri = fileUri('examples/tutorial_network.py');
before(async () => {
  ({ client, stop } = await startServer());
  await openDocument(client, uri, readFile('examples/tutorial_network.py'));
});
after(() => stop());

const truth = JSON.parse(fs.readFileSync(path.join(root, 'test/corpus/models/network_full.truth.json'), 'utf8'));
const conv1 = truth.classes[0].instance.parameter_details['conv1.weight'] as { first8: number[]; sum: number; numel: number };
const cells = (r: GetTensorResult): Float32Array => {
  const bytes = Buffer.from(r.data, 'base64');
  return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
};
const request = (extra: Record<string, unknown>): Promise<GetTensorResult> =>
  client.call<GetTensorResult>('nnLens/getTensor', { textDocument: { uri }, className: 'Network', tensor: { kind: 'parameter', name: 'conv1.weight' }, ...extra });

describe('nnLens/getTensor', () => {
  test('conv1.weight whole: exact values as PyTorch initialises them, statistics, histogram', async () => {
    const r = await request({});
    assert.deepEqual(r.shape, [6, 1, 5, 5]);
    assert.equal(r.dtype, 'float32');
    assert.equal(r.version, 1);
    // [out, in, kh, kw] folds to rows out·kh = 30, cols in·kw = 5.
    assert.deepEqual(r.folded, { rows: 30, cols: 5 });
    assert.equal(r.exact, true);
    assert.deepEqual(r.sampledShape, [30, 5]);
    const v = cells(r);
    // Row-major over the folded grid: the first 8 are conv1.weight[0, 0, 0, 0..4], [0, 0, 1, 0..2].
    conv1.first8.forEach((x, i) => assert.ok(Math.abs(v[i]! - x) < 1e-7, `element ${i}: ${v[i]} vs ${x}`));
    assert.equal(r.stats.count, conv1.numel);
    assert.ok(Math.abs(r.stats.mean! * conv1.numel - conv1.sum) < 1e-4, `sum ${r.stats.mean! * conv1.numel} vs ${conv1.sum}`);
    // kaiming_uniform(a=√5) on fan_in 25: U(-0.2, 0.2).
    assert.ok(r.stats.min >= -0.2 && r.stats.max <= 0.2 && r.stats.min < -0.18 && r.stats.max > 0.18, JSON.stringify(r.stats));
    assert.ok(r.stats.std! > 0.1 && r.stats.std! < 0.13, `std ${r.stats.std}`);
    assert.equal(r.stats.zeroFraction, 0);
    assert.ok(Math.abs(r.stats.l2Norm! - Math.sqrt([...v].reduce((s, x) => s + x * x, 0))) < 1e-5);
    assert.equal(r.histogram?.counts.length, 64);
    assert.equal(r.histogram?.counts.reduce((a, b) => a + b, 0), 150);
  });

  test('a window with exact values, and a reduced grid (mean, max)', async () => {
    const exact = await request({ window: { row: 1, col: 0, rows: 1, cols: 3 }, grid: { rows: 8, cols: 8 } });
    assert.deepEqual(exact.window, { row: 1, col: 0, rows: 1, cols: 3 });
    assert.equal(exact.exact, true);
    // Folded row 1 is conv1.weight[0, 0, 1, :]: first8[5..7].
    assert.deepEqual([...cells(exact)].map((x) => x.toFixed(6)), conv1.first8.slice(5, 8).map((x) => x.toFixed(6)));
    const whole = cells(await request({}));
    const mean = await request({ window: { row: 0, col: 0, rows: 2, cols: 4 }, grid: { rows: 1, cols: 2 } });
    assert.equal(mean.exact, false);
    assert.deepEqual(mean.step, [2, 2]);
    const block = [whole[0]!, whole[1]!, whole[5]!, whole[6]!];
    assert.ok(Math.abs(cells(mean)[0]! - block.reduce((a, b) => a + b) / 4) < 1e-6);
    const max = await request({ window: { row: 0, col: 0, rows: 2, cols: 4 }, grid: { rows: 1, cols: 2 }, reduction: 'max' });
    assert.equal(cells(max)[0], Math.max(...block));
  });

  test('an activation: the output of conv1 for the file\'s input', async () => {
    const r = await client.call<GetTensorResult>('nnLens/getTensor', { textDocument: { uri }, className: 'Network', tensor: { kind: 'activation', name: 'conv1' } });
    assert.deepEqual(r.shape, [1, 6, 24, 24]);
    // A feature map folds as tiles of its channels (protocol/tensor-fold.ts), as the webview expects.
    assert.deepEqual(r.folded, foldShape([1, 6, 24, 24], foldLayout('activation', [1, 6, 24, 24])));
    assert.equal(r.stats.count, 6 * 24 * 24);
    const out = await client.call<GetTensorResult>('nnLens/getTensor', { textDocument: { uri }, className: 'Network', tensor: { kind: 'activation', name: '' } });
    const expected = truth.classes[0].instance.forward.outputs[0].first16 as number[];
    assert.deepEqual(out.shape, [1, 10]);
    cells(out).forEach((x, i) => assert.ok(Math.abs(x - expected[i]!) < 1e-5, `output ${i}: ${x} vs ${expected[i]}`));
  });

  test('bad windows are invalid params; an old version is content-modified; unknown tensors list what exists', async () => {
    const bad = await client.request('nnLens/getTensor', { textDocument: { uri }, className: 'Network', tensor: { kind: 'parameter', name: 'conv1.weight' }, window: { row: -1, col: 0, rows: 1, cols: 1 } }).response;
    assert.equal(bad.error?.code, -32602);
    const reduction = await client.request('nnLens/getTensor', { textDocument: { uri }, className: 'Network', tensor: { kind: 'parameter', name: 'conv1.weight' }, reduction: 'median' }).response;
    assert.equal(reduction.error?.code, -32602);
    const old = await client.request('nnLens/getTensor', { textDocument: { uri, version: 0 }, className: 'Network', tensor: { kind: 'parameter', name: 'conv1.weight' } }).response;
    assert.equal(old.error?.code, -32801);
    const unknown = await client.request('nnLens/getTensor', { textDocument: { uri }, className: 'Network', tensor: { kind: 'parameter', name: 'conv9.weight' } }).response;
    assert.equal(unknown.error?.code, 4004);
    assert.ok((unknown.error?.data as { available: string[] }).available.includes('fc2.bias'));
  });
});

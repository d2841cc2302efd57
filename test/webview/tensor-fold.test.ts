// The shared fold (protocol/tensor-fold.ts) checked against an independent C-order computation:
// every folded element maps to a distinct tensor element (a bijection), at the place the layout
// promises — conv weights as [out] × [in] tiles, feature maps as a grid of channel tiles per sample.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { channelIndexer, featureMapGrid, flatIndexer, foldLayout, foldShape, tensorIndex, tileSize } from '../../language-server/protocol/tensor-fold.ts';

const flatOf = (shape: number[], index: number[]): number => index.reduce((acc, i, d) => acc * shape[d]! + i, 0);

function assertBijection(shape: number[], layout: 'kernels' | 'featureMaps'): void {
  const f = foldShape(shape, layout);
  const n = shape.reduce((a, b) => a * b, 1);
  assert.equal(f.rows * f.cols, n, `${shape} ${layout}: ${f.rows}×${f.cols}`);
  const at = flatIndexer(shape, layout);
  const seen = new Set<number>();
  for (let r = 0; r < f.rows; r++) {
    for (let c = 0; c < f.cols; c++) {
      const flat = at(r, c);
      assert.ok(flat >= 0 && flat < n && !seen.has(flat), `${shape} (${r}, ${c}) → ${flat}`);
      seen.add(flat);
      assert.equal(flatOf(shape, tensorIndex(shape, r, c, layout)), flat);
    }
  }
}

test('the layout follows the kind: activations of rank ≥ 4 are feature maps, everything else the kernel tiles', () => {
  assert.equal(foldLayout('activation', [1, 4, 3, 3]), 'featureMaps');
  assert.equal(foldLayout('activation', [2, 3, 4, 5, 6]), 'featureMaps');
  assert.equal(foldLayout('activation', [1, 10, 64]), 'kernels');
  assert.equal(foldLayout('parameter', [6, 1, 5, 5]), 'kernels');
  assert.equal(foldLayout('buffer', [6, 1, 5, 5]), 'kernels');
});

test('the existing folds are unchanged: scalars, strips, matrices, conv weights as out × in tiles', () => {
  assert.deepEqual(foldShape([]), { rows: 1, cols: 1 });
  assert.deepEqual(foldShape([7]), { rows: 1, cols: 7 });
  assert.deepEqual(foldShape([5, 9]), { rows: 5, cols: 9 });
  assert.deepEqual(foldShape([6, 2, 5, 3]), { rows: 30, cols: 6 });
  // conv weight [out=6, in=2, kh=5, kw=3]: folded (7, 4) is out 1 (row 7 = 1·5 + 2), in 1 (col 4 = 1·3 + 1), kernel (2, 1).
  assert.deepEqual(tensorIndex([6, 2, 5, 3], 7, 4), [1, 1, 2, 1]);
  for (const shape of [[], [7], [5, 9], [6, 2, 5, 3], [3, 4, 2], [2, 3, 2, 2, 2]]) assertBijection(shape, 'kernels');
});

test('feature maps [1, 4, 3, 3]: a 2×2 grid of 3×3 channel tiles, channel k at tile (⌊k/2⌋, k mod 2)', () => {
  const shape = [1, 4, 3, 3];
  assert.deepEqual(foldShape(shape, 'featureMaps'), { rows: 6, cols: 6 });
  for (let k = 0; k < 4; k++) {
    for (let y = 0; y < 3; y++) {
      for (let x = 0; x < 3; x++) {
        const row = Math.floor(k / 2) * 3 + y;
        const col = (k % 2) * 3 + x;
        assert.deepEqual(tensorIndex(shape, row, col, 'featureMaps'), [0, k, y, x]);
      }
    }
  }
  assertBijection(shape, 'featureMaps');
});

test('feature maps: tiles per row is the smallest divisor ≥ √C, samples stacked as bands; no holes', () => {
  assert.deepEqual([6, 16, 32, 7, 1].map((c) => featureMapGrid([1, c, 2, 2]).across), [3, 4, 8, 7, 1]);
  const g = featureMapGrid([3, 6, 4, 5]);
  assert.deepEqual(g, { samples: 3, maps: 6, across: 3, down: 2, h: 4, w: 5, bandRows: 8 });
  assert.deepEqual(foldShape([3, 6, 4, 5], 'featureMaps'), { rows: 24, cols: 15 });
  // Sample 2's band starts at row 16; channel 4 is tile (1, 1): row 16 + 4 + y, col 5 + x.
  assert.deepEqual(tensorIndex([3, 6, 4, 5], 16 + 4 + 3, 5 + 2, 'featureMaps'), [2, 4, 3, 2]);
  for (const shape of [[3, 6, 4, 5], [2, 7, 3, 1], [2, 2, 3, 2, 2], [1, 1, 1, 1]]) assertBijection(shape, 'featureMaps');
});

test('channelIndexer gives the index along the channel dimension for both layouts', () => {
  const conv = channelIndexer([6, 2, 5, 3], 'kernels', 0);
  assert.equal(conv(7, 4), 1);
  assert.equal(conv(29, 0), 5);
  const maps = channelIndexer([2, 4, 3, 3], 'featureMaps', 1);
  for (let r = 0; r < 12; r++) for (let c = 0; c < 6; c++) assert.equal(maps(r, c), tensorIndex([2, 4, 3, 3], r, c, 'featureMaps')[1]);
  assert.deepEqual(tileSize([6, 2, 5, 3]), { h: 5, w: 3 });
  assert.equal(tileSize([5, 9]), null);
});

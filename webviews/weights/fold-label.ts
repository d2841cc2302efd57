// Says how a tensor is folded onto the heatmap (protocol/tensor-fold.ts), so that a 2-D picture of
// a rank-4 tensor can be read: what the rows, columns and tiles are.
import { featureMapGrid, foldShape, type FoldLayout } from '../../language-server/protocol/tensor-fold.ts';

export function foldLabel(shape: readonly number[], layout: FoldLayout, kind: 'parameter' | 'buffer' | 'activation'): string {
  const n = shape.length;
  if (n === 0) return 'scalar';
  if (n === 1) return `strip of ${shape[0]}`;
  if (n === 2) return `matrix ${shape[0]} × ${shape[1]}${kind === 'parameter' ? ' (rows: outputs, columns: inputs)' : ''}`;
  if (layout === 'featureMaps') {
    const g = featureMapGrid(shape);
    const maps = n === 4 ? 'channel' : `channel × ${shape.slice(2, n - 2).join(' × ')}`;
    return `per sample, ${g.maps} ${maps} maps of ${g.h}×${g.w}, ${g.across} across and ${g.down} down${g.samples > 1 ? `; ${g.samples} samples` : ''}`;
  }
  const f = foldShape(shape, layout);
  const middle = shape.slice(1, n - 2);
  const cols = middle.length === 0 ? 'one tile per row' : `columns: dim${middle.length > 1 ? `s 1–${n - 3}` : ' 1'} (${middle.join(' × ')}${kind === 'parameter' && n === 4 ? ', input channels' : ''})`;
  return `${f.rows}×${f.cols}: ${shape[n - 2]}×${shape[n - 1]} tiles; rows: dim 0 (${shape[0]}${kind === 'parameter' && n === 4 ? ', output channels' : ''}), ${cols}`;
}

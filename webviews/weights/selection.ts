// What the panel asks the host for, given its state: one request per pane (the selection; with a
// comparison, the other tensor side by side or subtracted), and where the view may go (the whole
// folded tensor, or one sample's band of feature maps). Pure.
import type { TensorRef } from '../../language-server/protocol/requests.ts';
import { featureMapGrid, foldLayout, foldShape, type FoldLayout } from '../../language-server/protocol/tensor-fold.ts';
import type { TensorMessage } from '../../language-server/protocol/weights-panel.ts';
import type { PanelState } from './state.ts';
import { boundsOf, type Bounds } from './viewport.ts';

export interface PaneRequest { tensor: TensorRef; minus: TensorRef | null }

export function paneRequests(state: Pick<PanelState, 'selected' | 'compare'>): PaneRequest[] {
  if (!state.selected) return [];
  const c = state.compare;
  if (c?.mode === 'side') return [{ tensor: state.selected, minus: null }, { tensor: c.with, minus: null }];
  if (c?.mode === 'difference') return [{ tensor: state.selected, minus: c.with }];
  return [{ tensor: state.selected, minus: null }];
}

/** The layout the host folded `m` with: ours for its kind, or the plain tile fold if the host's fold disagrees (an older host). */
export function layoutOfMessage(m: TensorMessage): FoldLayout {
  const layout = foldLayout(m.tensor.kind, m.shape);
  const f = foldShape(m.shape, layout);
  return f.rows === m.folded.rows && f.cols === m.folded.cols ? layout : 'kernels';
}

/** The part of the folded tensor the view may show: all of it, or sample `sample`'s band of feature maps. */
export function boundsFor(shape: readonly number[], layout: FoldLayout, sample: number): Bounds {
  const folded = foldShape(shape, layout);
  if (layout !== 'featureMaps' || shape[0]! <= 1) return boundsOf(folded);
  const band = featureMapGrid(shape).bandRows;
  return boundsOf(folded, { row: Math.min(sample, shape[0]! - 1) * band, rows: band });
}

/** How many samples a sample selector offers: the batch of a feature-map fold, else 1. */
export function sampleCount(ref: TensorRef | null, shape: readonly number[] | null): number {
  return ref && shape && foldLayout(ref.kind, shape) === 'featureMaps' ? shape[0]! : 1;
}

// The text under the pointer (or, from the keyboard, at the view's centre): the element's tensor
// index and exact value — or, zoomed out, which reduction of how many elements the cell is — the
// compared tensor's value at the same index, and with per-channel normalisation the channel's range.
import type { TensorMessage } from '../../language-server/protocol/weights-panel.ts';
import { tensorIndex } from '../../language-server/protocol/tensor-fold.ts';
import { formatValue } from './format.ts';
import type { Pane } from './heatmap.ts';
import type { Scale } from './scale.ts';

/** What a channel is for this tensor, in the legend and the readout. */
export function channelName(m: TensorMessage): string {
  if (m.tensor.kind === 'activation') return 'channel';
  return m.shape.length === 2 ? 'row' : 'output channel';
}

/** `conv1.weight`, or `(a − b)` for a difference. */
export function nameOf(m: TensorMessage): string {
  const a = m.tensor.name || 'output';
  return m.minus ? `(${a} − ${m.minus.name || 'output'})` : a;
}

/** The cell value of pane `p` at folded (row, col), or null outside its window. */
export function cellValue(p: Pane, row: number, col: number): number | null {
  const m = p.message;
  const i = Math.floor(((row - m.window.row) * m.grid.rows) / m.window.rows);
  const j = Math.floor(((col - m.window.col) * m.grid.cols) / m.window.cols);
  if (i < 0 || j < 0 || i >= m.grid.rows || j >= m.grid.cols) return null;
  return m.values[i * m.grid.cols + j]!;
}

export function describe(panes: readonly Pane[], scale: Scale | null, pane: number, row: number, col: number): string {
  const p = panes[pane];
  if (!p) return '';
  const value = cellValue(p, row, col);
  if (value === null) return '';
  const m = p.message;
  const index = tensorIndex(m.shape, row, col, p.layout);
  const at = (x: Pane): string => `${nameOf(x.message)}[${index.join(', ')}]`;
  const perCell = Math.round((m.window.rows / m.grid.rows) * (m.window.cols / m.grid.cols));
  let text = m.exact ? `${at(p)} = ${formatValue(value)}` : `${at(p)} ≈ ${m.reduction} of ~${perCell} elements = ${formatValue(value)}`;
  const other = panes[1 - pane];
  if (other) {
    const v = cellValue(other, row, col);
    if (v !== null) text += ` · ${at(other)} ${other.message.exact ? '=' : '≈'} ${formatValue(v)}`;
  }
  if (scale?.channels) {
    const c = index[scale.channels.dim]!;
    text += ` · ${channelName(m)} ${c} scale ${formatValue(scale.channels.lo[c]!)} … ${formatValue(scale.channels.hi[c]!)}`;
  }
  return text;
}

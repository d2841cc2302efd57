// What the panel remembers while hidden (vscode.setState) and across a window reload (the host's
// WebviewPanelSerializer reads `model` to know which panel to restore).
import type { Reduction, TensorRef } from '../../language-server/protocol/requests.ts';
import type { WebviewToHost } from '../../language-server/protocol/weights-panel.ts';
import type { ColorMode } from './colormap.ts';
import type { Viewport } from './viewport.ts';

export interface VsCodeApi { postMessage(message: WebviewToHost): void; getState(): unknown; setState(state: PanelState): void }

export type CompareMode = 'side' | 'difference';

/** Also read by the host's WebviewPanelSerializer (extension/panels/weights-panel.ts): `model` says which panel to restore. */
export interface PanelState {
  model: { uri: string; className: string } | null;
  selected: TensorRef | null;
  viewport: Viewport | null;
  reduction: Reduction;
  colorMode: ColorMode;
  /** Each channel scaled to its own range (the host's channelRange). */
  perChannel: boolean;
  /** Feature maps [N, C, H, W]: the sample shown. */
  sample: number;
  /** A second tensor of the same shape, shown side by side or subtracted. */
  compare: { with: TensorRef; mode: CompareMode } | null;
  collapsed: string[];
}

export function loadState(saved: Partial<PanelState> | undefined): PanelState {
  return {
    model: saved?.model ?? null,
    selected: saved?.selected ?? null,
    viewport: saved?.viewport ?? null,
    reduction: saved?.reduction ?? 'mean',
    colorMode: saved?.colorMode ?? 'diverging',
    perChannel: saved?.perChannel ?? false,
    sample: saved?.sample ?? 0,
    compare: saved?.compare ?? null,
    collapsed: saved?.collapsed ?? [],
  };
}

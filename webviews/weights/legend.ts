// The colour legend: the map from one end to the other and what the ends stand for — the values of
// the shared scale, or, with per-channel normalisation, each channel's own range.
import { colorOf } from './colormap.ts';
import { formatValue } from './format.ts';
import type { Scale } from './scale.ts';

export interface LegendParts { bar: HTMLCanvasElement; lo: HTMLElement; hi: HTMLElement; note: HTMLElement }

/** `channelName`: what a channel is for this tensor ("output channel", "channel"). `fallback`: why per-channel was asked for but is not applied. */
export function drawLegend(p: LegendParts, scale: Scale, channelName: string, fallback: string | null): void {
  const ctx = p.bar.getContext('2d');
  if (ctx) {
    p.bar.width = 256;
    p.bar.height = 1;
    const image = ctx.createImageData(256, 1);
    for (let x = 0; x < 256; x++) image.data.set([...colorOf(x / 255, scale.mode, [0, 1]), 255], 4 * x);
    ctx.putImageData(image, 0, 0);
  }
  if (scale.channels) {
    const diverging = scale.mode === 'diverging';
    p.lo.textContent = diverging ? '−max|x|' : 'min';
    p.hi.textContent = diverging ? '+max|x|' : 'max';
    p.note.textContent = `per ${channelName} (dim ${scale.channels.dim}): each ${channelName} scaled to its own ${diverging ? 'symmetric range ±max|x|, 0 centred' : 'min…max'}`;
  } else {
    p.lo.textContent = formatValue(scale.whole[0]);
    p.hi.textContent = formatValue(scale.whole[1]);
    p.note.textContent = fallback ?? (scale.mode === 'diverging' ? '0 centred, symmetric' : '');
  }
}

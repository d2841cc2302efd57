// The value range each colour map end stands for: one range for the whole tensor, or one per
// channel (per-channel normalisation, from the host's channelRange). Compared tensors shown side by
// side share one scale (the union of both ranges) so equal colours mean equal values. Pure.
import type { TensorMessage } from '../../language-server/protocol/weights-panel.ts';
import { colorScale, type ColorMode } from './colormap.ts';

export interface ChannelScale { dim: number; lo: Float64Array; hi: Float64Array }
export interface Scale { mode: ColorMode; whole: [number, number]; channels: ChannelScale | null }

type Ranged = Pick<TensorMessage, 'stats' | 'channelRange' | 'channelRangePending' | 'summaryError'>;

export function scaleOf(mode: ColorMode, messages: readonly Ranged[], perChannel: boolean): Scale {
  const min = Math.min(...messages.map((m) => m.stats.min));
  const max = Math.max(...messages.map((m) => m.stats.max));
  const whole = colorScale(mode, min, max);
  const ranges = messages.map((m) => m.channelRange);
  const first = ranges[0];
  if (!perChannel || !first || ranges.some((r) => !r || r.dim !== first.dim || r.min.length !== first.min.length)) return { mode, whole, channels: null };
  const n = first.min.length;
  const lo = new Float64Array(n);
  const hi = new Float64Array(n);
  for (let c = 0; c < n; c++) {
    const [a, b] = colorScale(mode, Math.min(...ranges.map((r) => r!.min[c]!)), Math.max(...ranges.map((r) => r!.max[c]!)));
    lo[c] = a;
    hi[c] = b;
  }
  return { mode, whole, channels: { dim: first.dim, lo, hi } };
}

/** Why per-channel normalisation is off although asked for, or null when it applies. */
export function perChannelUnavailable(messages: readonly Ranged[]): string | null {
  // Held back with the rest of the summary (asked while per-channel was off): they are on their way.
  const pending = messages.find((m) => m.channelRangePending);
  if (pending) return pending.summaryError ? `per-channel scale unavailable (${pending.summaryError}): one scale for the whole tensor` : 'per-channel scale: channel ranges computing…';
  if (messages.some((m) => !m.channelRange)) return 'per-channel scale unavailable for this tensor (rank < 2, or more than 65,536 channels): one scale for the whole tensor';
  return null;
}

// The statistics and histograms that came after their tensor's first answer (SummaryMessage: the
// host sends a tensor's cells and colour scale first, `summaryPending`, and the rest when the tensor
// worker has it), by summaryId, so that any answer still marked pending is completed. Pure.
import type { SummaryMessage, TensorMessage } from '../../language-server/protocol/weights-panel.ts';

/** The last few summaries (a tensor and its compared one, switching back and forth). */
const kept = 8;

export class Summaries {
  private readonly byId = new Map<string, SummaryMessage>();

  add(s: SummaryMessage): void {
    this.byId.delete(s.summaryId);
    this.byId.set(s.summaryId, s);
    while (this.byId.size > kept) this.byId.delete(this.byId.keys().next().value!);
  }

  /**
   * The message with its summary: as sent when it is not pending or the summary has not come; with
   * the statistics and histogram (and the channel ranges it held back) when it has; with
   * `summaryError` when the host could not get it.
   */
  complete(m: TensorMessage): TensorMessage {
    if (!m.summaryPending || m.summaryId === undefined) return m;
    const s = this.byId.get(m.summaryId);
    if (!s) return m;
    if ('error' in s) return { ...m, summaryError: s.error };
    const { summaryPending: _pending, channelRangePending: rangesPending, ...rest } = m;
    // Ranges held back (channelRangePending) come with the summary; without them they stay pending.
    if (rangesPending && !s.channelRange) return { ...rest, stats: s.stats, histogram: s.histogram, channelRangePending: true };
    return { ...rest, stats: s.stats, histogram: s.histogram, ...(rangesPending ? { channelRange: s.channelRange! } : {}) };
  }
}

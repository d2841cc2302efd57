// The per-channel ranges (TensorMessage.channelRange) the panel has, per pane request (a tensor, and
// the tensor subtracted from it). The host sends a tensor's ranges with its first answer and leaves
// them out of later ones (`channelRangeOmitted`) while the request names the summary they belong to
// (`knownSummary`): an embedding's are 2 × 50,257 numbers, the same for every window. Pure.
import type { TensorRef } from '../../language-server/protocol/requests.ts';
import type { TensorMessage } from '../../language-server/protocol/weights-panel.ts';
import { refId } from './tree.ts';

type Range = TensorMessage['channelRange'];

/** The last few tensors looked at keep their ranges (switching back and forth does not re-send them). */
const kept = 8;

const keyOf = (tensor: TensorRef, minus: TensorRef | null): string => `${refId(tensor)}|${minus ? refId(minus) : ''}`;

export class ChannelRanges {
  private readonly byKey = new Map<string, { summaryId: string; range: Range }>();

  /** The summary whose ranges are kept for this request, to name in it; undefined when none. */
  known(tensor: TensorRef, minus: TensorRef | null): string | undefined {
    return this.byKey.get(keyOf(tensor, minus))?.summaryId;
  }

  /**
   * The message with its channel ranges: as sent (and kept for later answers), or the kept ones when
   * the host left them out. Null when it left them out but they are not kept for that summary (the
   * caller asks again without naming one).
   */
  complete(m: TensorMessage): TensorMessage | null {
    // Held back for the SummaryMessage (deferChannelRange): nothing to keep or fill in yet.
    if (m.channelRangePending) return m;
    const key = keyOf(m.tensor, m.minus);
    const have = this.byKey.get(key);
    if (m.channelRangeOmitted) {
      if (!have || have.summaryId !== m.summaryId) { this.byKey.delete(key); return null; }
      return { ...m, channelRange: have.range };
    }
    this.byKey.delete(key);
    if (m.summaryId !== undefined) {
      this.byKey.set(key, { summaryId: m.summaryId, range: m.channelRange });
      while (this.byKey.size > kept) this.byKey.delete(this.byKey.keys().next().value!);
    }
    return m;
  }
}

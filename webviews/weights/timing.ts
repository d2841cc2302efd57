// Performance marks the bench (scripts/bench-webview.ts) reads with performance.getEntriesByName:
// `nnlens:ready` (page load to the ready message: VS Code's part), and per shown tensor
// `nnlens:select-to-paint` (from the selection, or the model message that brings the default
// selection, to the frame after the heatmap was drawn, host round trip included) with
// `nnlens:host-round-trip` (request posted to answer received) inside it, and `nnlens:repaint` (the
// panel's own work on an answer: colouring the cells, legend, statistics, drawing), and
// `nnlens:select-to-stats` (from the same selection to the statistics and histogram shown: later than
// the paint when they came after it, `summaryPending`).
let selectedAt: number | null = null;
let statsSince: number | null = null;
const sentAt = new Map<number, number>();

export function markReady(): void { performance.mark('nnlens:ready'); }
export function markSelect(at = performance.now()): void { selectedAt = at; statsSince = at; }
export function markRequest(id: number): void { sentAt.set(id, performance.now()); }
export function markAnswer(id: number): void {
  const t = sentAt.get(id);
  if (t !== undefined) performance.measure('nnlens:host-round-trip', { start: t, end: performance.now() });
  sentAt.delete(id);
}

/** Call right after drawing: the measure ends when the frame with the drawing has been produced. */
export function markPainted(): void {
  if (selectedAt === null) return;
  const start = selectedAt;
  selectedAt = null;
  requestAnimationFrame(() => setTimeout(() => performance.measure('nnlens:select-to-paint', { start, end: performance.now() }), 0));
}

export function measureRepaint(start: number): void { performance.measure('nnlens:repaint', { start, end: performance.now() }); }

/** Call when the whole statistics are on screen (once per selection). */
export function markStatsShown(): void {
  if (statsSince === null) return;
  const start = statsSince;
  statsSince = null;
  requestAnimationFrame(() => setTimeout(() => performance.measure('nnlens:select-to-stats', { start, end: performance.now() }), 0));
}

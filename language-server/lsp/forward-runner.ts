// Runs a forward job in a worker thread (dist/forward-worker.mjs, next to the server bundle) and
// honours cancellation by terminating it; getTensor jobs go to one long-lived tensor worker (below).
import { Worker } from 'node:worker_threads';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { CancellationToken } from 'vscode-languageserver/node.js';
import type { CancelJob, ForwardJob, ForwardJobResult, SummaryJob, TensorJob, TensorJobResult, TensorWorkerData } from './forward-job.ts';
import { cancelled } from './catch-boundary.ts';

/** The worker bundle; absent when the server runs from sources instead of a bundle. */
export function forwardWorkerPath(): string | null {
  const path = fileURLToPath(new URL('./forward-worker.mjs', import.meta.url));
  return fs.existsSync(path) ? path : null;
}

/**
 * A worker's `process.env` is a copy that native code never sees, so what Dawn reads at adapter
 * creation must be set in the main thread: EGL_PLATFORM lets Mesa's llvmpipe (the software
 * adapter through Dawn's OpenGL backend) start without a display. Real GPUs do not read it.
 */
function prepareNativeEnvironment(job: ForwardJob): void {
  if (job.device === 'webgpu') process.env.EGL_PLATFORM ??= 'surfaceless';
}

export function runForwardJob(workerPath: string, job: ForwardJob, token: CancellationToken): Promise<ForwardJobResult> {
  prepareNativeEnvironment(job);
  return new Promise((resolve, reject) => {
    const worker = new Worker(workerPath, { workerData: job });
    const listener = token.onCancellationRequested(() => {
      void worker.terminate();
      reject(cancelled());
    });
    const done = (): void => listener.dispose();
    worker.once('message', (result: ForwardJobResult) => { done(); resolve(result); void worker.terminate(); });
    worker.once('error', (e) => { done(); resolve({ ok: false, message: e.stack ?? e.message }); });
    worker.once('exit', (code) => { done(); resolve({ ok: false, message: `the forward worker exited with code ${code}` }); });
  });
}

/**
 * The long-lived tensor worker (one per server): getTensor jobs go to it in order and it keeps the
 * model tensors of recent document versions. A cancelled request is answered at once with the LSP
 * cancelled error; the worker skips its job when it has not started it, and finishes it otherwise
 * (the model it builds stays cached: usually what the next request wants) without sending the
 * answer on. A runaway (a cancelled job still running `runawayMs` after it started while newer
 * jobs wait) is stopped by terminating the worker; the waiting jobs go to a fresh one.
 */
interface TensorWorker {
  worker: Worker;
  /** Answers awaited, by job id. */
  pending: Map<number, (r: TensorJobResult) => void>;
  /** Jobs posted and not answered yet, in the worker's (serial) order: the first is the one it works on. */
  queue: { id: number; message: TensorJob | SummaryJob }[];
  /** When the worker started on queue[0], as far as this thread can tell (the previous answer's arrival, or the post). */
  headSince: number;
  cancelled: Set<number>;
  watchdog?: NodeJS.Timeout;
}
let tensorWorker: TensorWorker | null = null;
let nextTensorJobId = 1;

/** How long a cancelled job may keep the worker while others wait (`NNLENS_TENSOR_RUNAWAY_MS`, default 10 s). */
function runawayMs(): number {
  const ms = Number(process.env.NNLENS_TENSOR_RUNAWAY_MS);
  return Number.isFinite(ms) && ms >= 0 ? ms : 10_000;
}

function startTensorWorker(workerPath: string): TensorWorker {
  const worker = new Worker(workerPath, { workerData: { mode: 'tensors' } satisfies TensorWorkerData });
  const entry: TensorWorker = { worker, pending: new Map(), queue: [], headSince: performance.now(), cancelled: new Set() };
  const failAll = (message: string): void => {
    if (tensorWorker !== entry) return;  // replaced (a runaway restart): its jobs moved to the new worker
    tensorWorker = null;
    clearTimeout(entry.watchdog);
    for (const [id, resolve] of entry.pending) resolve({ id, ok: false, kind: 'failed', message });
    entry.pending.clear();
  };
  worker.on('message', (result: TensorJobResult) => {
    const at = entry.queue.findIndex((j) => j.id === result.id);
    // The worker answers in order (but a summary still being computed in slices, answered when
    // complete: the queue does not wait for it): what is before this one is answered or not blocking.
    if (at >= 0) entry.queue.splice(0, at + 1);
    entry.headSince = performance.now();
    entry.cancelled.delete(result.id);
    const resolve = entry.pending.get(result.id);
    entry.pending.delete(result.id);
    resolve?.(result);
    watchRunaway(entry, workerPath);
  });
  worker.once('error', (e) => failAll(e.stack ?? e.message));
  worker.once('exit', (code) => failAll(`the tensor worker exited with code ${code}`));
  worker.unref();
  return entry;
}

/**
 * While the job the worker works on is a cancelled one and newer jobs wait, a timer for the moment
 * it has run `runawayMs`; then the worker is terminated (its cached models are lost) and the waiting
 * jobs are posted to a fresh one. Said in the server's log (stderr).
 */
function watchRunaway(entry: TensorWorker, workerPath: string): void {
  clearTimeout(entry.watchdog);
  entry.watchdog = undefined;
  // A summary job never holds the worker (one still being computed waits aside, in slices between
  // the jobs): the job the worker works on is the first other one.
  const head = entry.queue.find((j) => !('summaryId' in j.message));
  if (!head || !entry.cancelled.has(head.id) || !entry.queue.some((j) => !entry.cancelled.has(j.id))) return;
  const left = entry.headSince + runawayMs() - performance.now();
  if (left > 0) {
    entry.watchdog = setTimeout(() => watchRunaway(entry, workerPath), left);
    entry.watchdog.unref();
    return;
  }
  if (tensorWorker !== entry) return;
  const waiting = entry.queue.filter((j) => !entry.cancelled.has(j.id));
  console.error(`nnLens: the tensor worker spent ${((performance.now() - entry.headSince) / 1000).toFixed(1)} s on a cancelled request while ${waiting.length} waited: restarted it (its cached models are rebuilt on demand)`);
  const fresh = startTensorWorker(workerPath);
  tensorWorker = fresh;
  void entry.worker.terminate();
  for (const job of waiting) {
    const resolve = entry.pending.get(job.id);
    if (!resolve) continue;
    fresh.pending.set(job.id, resolve);
    fresh.queue.push(job);
    fresh.worker.postMessage(job.message);
  }
  entry.pending.clear();
}

/** Posts a job to the tensor worker (started when there is none) and awaits its answer; cancelling answers at once with the LSP cancelled error. */
function postTensorJob(workerPath: string, message: TensorJob | SummaryJob, token: CancellationToken): Promise<TensorJobResult> {
  tensorWorker ??= startTensorWorker(workerPath);
  const entry = tensorWorker;
  const { id } = message;
  return new Promise((resolve, reject) => {
    if (token.isCancellationRequested) { reject(cancelled()); return; }
    const listener = token.onCancellationRequested(() => {
      const current = tensorWorker;
      for (const w of current && current !== entry ? [entry, current] : [entry]) {
        if (!w.pending.delete(id)) continue;
        w.cancelled.add(id);
        w.worker.postMessage({ type: 'cancel', id } satisfies CancelJob);
        watchRunaway(w, workerPath);
      }
      reject(cancelled());
    });
    if (entry.queue.length === 0) entry.headSince = performance.now();
    entry.pending.set(id, (result) => { listener.dispose(); resolve(result); });
    entry.queue.push({ id, message });
    entry.worker.postMessage(message);
    watchRunaway(entry, workerPath);
  });
}

export function runTensorJob(workerPath: string, job: Omit<TensorJob, 'id'>, token: CancellationToken): Promise<TensorJobResult> {
  // Before the worker creates its adapter (it may already run: the variable is read at that moment).
  prepareNativeEnvironment(job.job);
  return postTensorJob(workerPath, { ...job, id: nextTensorJobId++ }, token);
}

/** The rest of a summary whose getTensor answer came with `summaryPending` (forward-tensors.ts answerSummaryJob). */
export function runSummaryJob(workerPath: string, summaryId: string, withChannelRange: boolean, token: CancellationToken): Promise<TensorJobResult> {
  return postTensorJob(workerPath, { type: 'summary', id: nextTensorJobId++, summaryId, ...(withChannelRange ? { withChannelRange } : {}) }, token);
}

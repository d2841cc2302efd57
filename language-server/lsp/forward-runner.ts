// Runs a forward job in a worker thread (dist/forward-worker.mjs, next to the server bundle) and
// honours cancellation by terminating it.
import { Worker } from 'node:worker_threads';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { CancellationToken } from 'vscode-languageserver/node.js';
import type { ForwardJob, ForwardJobResult, TensorJob, TensorJobResult, TensorWorkerData } from './forward-job.ts';
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
 * model tensors of recent document versions. A cancelled job terminates it (a construction cannot
 * be interrupted otherwise); the next job starts a fresh one.
 */
let tensorWorker: { worker: Worker; pending: Map<number, (r: TensorJobResult) => void> } | null = null;
let nextTensorJobId = 1;

function startTensorWorker(workerPath: string): NonNullable<typeof tensorWorker> {
  const worker = new Worker(workerPath, { workerData: { mode: 'tensors' } satisfies TensorWorkerData });
  const entry = { worker, pending: new Map<number, (r: TensorJobResult) => void>() };
  const failAll = (message: string): void => {
    if (tensorWorker === entry) tensorWorker = null;
    for (const [id, resolve] of entry.pending) resolve({ id, ok: false, kind: 'failed', message });
    entry.pending.clear();
  };
  worker.on('message', (result: TensorJobResult) => {
    const resolve = entry.pending.get(result.id);
    entry.pending.delete(result.id);
    resolve?.(result);
  });
  worker.once('error', (e) => failAll(e.stack ?? e.message));
  worker.once('exit', (code) => failAll(`the tensor worker exited with code ${code}`));
  worker.unref();
  return entry;
}

export function runTensorJob(workerPath: string, job: Omit<TensorJob, 'id'>, token: CancellationToken): Promise<TensorJobResult> {
  // Before the worker creates its adapter (it may already run: the variable is read at that moment).
  prepareNativeEnvironment(job.job);
  tensorWorker ??= startTensorWorker(workerPath);
  const entry = tensorWorker;
  const id = nextTensorJobId++;
  return new Promise((resolve, reject) => {
    const listener = token.onCancellationRequested(() => {
      entry.pending.delete(id);
      if (tensorWorker === entry) tensorWorker = null;
      void entry.worker.terminate();
      reject(cancelled());
    });
    entry.pending.set(id, (result) => { listener.dispose(); resolve(result); });
    entry.worker.postMessage({ ...job, id } satisfies TensorJob);
  });
}

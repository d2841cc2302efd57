// Runs a forward job in a worker thread (dist/forward-worker.mjs, next to the server bundle) and
// honours cancellation by terminating it.
import { Worker } from 'node:worker_threads';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { CancellationToken } from 'vscode-languageserver/node.js';
import type { ForwardJob, ForwardJobResult } from './forward-job.ts';
import { cancelled } from './catch-boundary.ts';

/** The worker bundle; absent when the server runs from sources instead of a bundle. */
export function forwardWorkerPath(): string | null {
  const path = fileURLToPath(new URL('./forward-worker.mjs', import.meta.url));
  return fs.existsSync(path) ? path : null;
}

export function runForwardJob(workerPath: string, job: ForwardJob, token: CancellationToken): Promise<ForwardJobResult> {
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

// Entry of the forward worker (bundled as dist/forward-worker.mjs): runs one analysis with values
// (device cpu, or webgpu when asked and an adapter exists) off the server's main thread, so a slow model never blocks hover or CodeLens, and
// a cancelled run is stopped by terminating the worker. Started with `{ mode: 'tensors' }` it stays
// up instead and answers getTensor jobs one at a time from its cache (forward-tensors.ts); a job
// cancelled before it starts is skipped, one cancelled while it runs finishes (its model stays
// cached) and only its answer is dropped. Deferred summaries and overviews, and after a model is
// built its big parameters' range passes and overviews (idle precompute), are computed in slices
// between the jobs (forward-tensors.ts), so a window never waits for a whole pass of them.
import fs from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { inspectSource } from '../analysis/inspect.ts';
import { siblingImporter } from '../analysis/sibling-importer.ts';
import type { ForwardJob, ForwardJobResult, TensorJobResult, TensorWorkerData, TensorWorkerRequest } from './forward-job.ts';
import { answerSummaryJob, answerTensorJob, continueDeferredSummaries } from './forward-tensors.ts';
import { openValueDevice } from './open-value-device.ts';

async function run(job: ForwardJob): Promise<ForwardJobResult> {
  const readSource = (path: string): string | null => {
    if (path in job.openTexts) return job.openTexts[path]!;
    try { return fs.readFileSync(path, 'utf8'); } catch { return null; }
  };
  const t0 = performance.now();
  try {
    // WebGPU when asked and an adapter exists; otherwise the CPU, with the reason handed back.
    const { where, gpu } = await openValueDevice(job.device);
    if (job.webgpuOnly && !gpu) return { ok: false, message: `WebGPU is unavailable (${where.webgpuUnavailable})`, webgpuUnavailable: where.webgpuUnavailable };
    const { adapter, webgpuUnavailable } = where;
    const report = await inspectSource(job.text, job.fileName, {
      device: gpu ? 'webgpu' : 'cpu',
      className: job.className,
      spec: job.spec,
      torch2Repr: job.torch2Repr,
      seed: job.seed ?? 0,
      importerFactory: job.siblings ? (f) => siblingImporter(f, readSource) : undefined,
      ...(gpu ? { materialize: async (t) => { await gpu.materialize(t); } } : {}),
    });
    const ranOnCpu = gpu ? gpu.webgpuFallbacks().map((f) => `${f.op} (${f.reason})`) : undefined;
    gpu?.destroyWebGpu();
    return {
      ok: true, report, ms: performance.now() - t0, device: gpu ? 'webgpu' : 'cpu',
      ...(adapter ? { adapter } : {}), ...(webgpuUnavailable ? { webgpuUnavailable } : {}), ...(ranOnCpu?.length ? { ranOnCpu } : {}),
    };
  } catch (e) {
    return { ok: false, message: e instanceof Error ? e.stack ?? e.message : String(e) };
  }
}

function serveTensors(): void {
  let queue: Promise<void> = Promise.resolve();
  /** Jobs the server cancelled that have not been answered (skipped) yet. */
  const cancelled = new Set<number>();
  const skipped = (id: number, when: string): TensorJobResult => ({ id, ok: false, kind: 'skipped', message: `cancelled ${when}` });
  parentPort!.on('message', (request: TensorWorkerRequest) => {
    // A cancel is read at once, not queued: the job it names may be waiting behind others.
    if (request.type === 'cancel') { cancelled.add(request.id); return; }
    queue = queue.then(async () => {
      // Every job gets one message back, a skipped one too: the server follows the queue by them.
      if (cancelled.delete(request.id)) { parentPort!.postMessage(skipped(request.id, 'before it started')); return; }
      const answer = (result: TensorJobResult): void => {
        if (cancelled.delete(request.id)) parentPort!.postMessage(skipped(request.id, 'while it ran'));
        else parentPort!.postMessage(result, result.ok && 'view' in result ? [result.view.cells.buffer as ArrayBuffer] : []);
      };
      const result = request.type === 'summary' ? answerSummaryJob(request) : await answerTensorJob(request);
      // A summary still being computed in slices is answered when it is complete, out of turn: the
      // jobs behind it (windows) do not wait for it.
      if (result instanceof Promise) void result.then(answer);
      else answer(result);
      // The rest of a summary whose first answer went out with only its range: in slices from now on.
      continueDeferredSummaries();
    }).catch((e: unknown) => {
      // Never leave the queue rejected (every later job would be dropped) nor the job unanswered.
      parentPort!.postMessage({ id: request.id, ok: false, kind: 'failed', message: e instanceof Error ? e.stack ?? e.message : String(e) } satisfies TensorJobResult);
    });
  });
}

if ((workerData as Partial<TensorWorkerData>).mode === 'tensors') serveTensors();
else void run(workerData as ForwardJob).then((result) => parentPort!.postMessage(result));

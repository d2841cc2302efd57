// Entry of the forward worker (bundled as dist/forward-worker.mjs): runs one analysis with values
// (device cpu, or webgpu when asked and an adapter exists) off the server's main thread, so a slow model never blocks hover or CodeLens, and
// a cancelled run is stopped by terminating the worker. Started with `{ mode: 'tensors' }` it stays
// up instead and answers getTensor jobs one at a time from its cache (forward-tensors.ts).
import fs from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { inspectSource } from '../analysis/inspect.ts';
import { siblingImporter } from '../analysis/sibling-importer.ts';
import type { ForwardJob, ForwardJobResult, TensorJob, TensorJobResult, TensorWorkerData } from './forward-job.ts';
import { answerTensorJob } from './forward-tensors.ts';

async function run(job: ForwardJob): Promise<ForwardJobResult> {
  const readSource = (path: string): string | null => {
    if (path in job.openTexts) return job.openTexts[path]!;
    try { return fs.readFileSync(path, 'utf8'); } catch { return null; }
  };
  const t0 = performance.now();
  try {
    // WebGPU when asked and an adapter exists; otherwise the CPU, with the reason handed back.
    let webgpu: typeof import('../../runtime/devices/webgpu.ts') | null = null;
    let webgpuUnavailable: string | undefined;
    let adapter: string | undefined;
    if (job.device === 'webgpu') {
      webgpu = await import('../../runtime/devices/webgpu.ts');
      const init = await webgpu.initWebGpu();
      if (init.ok) adapter = `${init.adapterInfo.description || init.adapterInfo.device} (${init.adapterInfo.source})`;
      else if (job.webgpuOnly) return { ok: false, message: `WebGPU is unavailable (${init.reason})`, webgpuUnavailable: init.reason };
      else { webgpuUnavailable = init.reason; webgpu = null; }
    }
    const gpu = webgpu;
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
  parentPort!.on('message', (request: TensorJob) => {
    queue = queue.then(async () => {
      const result: TensorJobResult = await answerTensorJob(request);
      parentPort!.postMessage(result, result.ok ? [result.view.cells.buffer as ArrayBuffer] : []);
    });
  });
}

if ((workerData as Partial<TensorWorkerData>).mode === 'tensors') serveTensors();
else void run(workerData as ForwardJob).then((result) => parentPort!.postMessage(result));

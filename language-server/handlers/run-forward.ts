// nnLens/runForward: the forward pass with values, seeded as PyTorch does (manual_seed(seed) before
// construction, manual_seed(seed + 1) before the inputs; nnLens.seed, default 0), in a worker thread so that the server stays
// responsive and a cancelled run stops. A webgpu request runs on the WebGPU device; when no adapter
// can be had it runs on the CPU instead and says why in `fallback`.
import { ErrorCodes, ResponseError, type CancellationToken } from 'vscode-languageserver/node.js';
import type { Device, RunForwardResult } from '../protocol/requests.ts';
import { devices } from '../protocol/requests.ts';
import type { ServerContext } from '../lsp/server-context.ts';
import { invalidParams, object, typedError } from '../lsp/errors.ts';
import { fileNameOf, inputSpec } from '../lsp/analyze-document.ts';
import { forwardWorkerPath, runForwardJob } from '../lsp/forward-runner.ts';
import { requestedDocument, requestedModel } from './lookup.ts';
import { modelStatus } from './facts/model-summary.ts';


export async function runForward(ctx: ServerContext, params: unknown, token: CancellationToken): Promise<RunForwardResult> {
  const analysis = await requestedDocument(ctx, params, token);
  const cls = requestedModel(analysis, params);
  const requested = object(params, 'params').device;
  if (typeof requested !== 'string' || !(devices as readonly string[]).includes(requested)) throw invalidParams(`params.device must be one of ${devices.join(', ')}`);
  const { status, problem } = modelStatus(cls);
  const shapeError = cls.instance?.forward?.error;
  if (status === 'forward-error' && shapeError) {
    throw typedError(`${cls.name}'s forward fails: ${shapeError.type}: ${shapeError.message}`, { kind: 'forwardFailed', className: cls.name, type: shapeError.type, message: shapeError.message, line: shapeError.line });
  }
  if (status !== 'ok') throw typedError(`${cls.name} cannot run: ${problem}`, { kind: 'modelNotEvaluated', className: cls.name, reason: problem ?? status });
  const worker = forwardWorkerPath();
  if (!worker) throw typedError('the forward worker (forward-worker.mjs) is not next to the server bundle', { kind: 'valueTierUnavailable', device: 'cpu', reason: 'forward-worker.mjs missing' });

  const result = await runForwardJob(worker, {
    text: analysis.text, fileName: fileNameOf(analysis.uri), className: cls.name, spec: inputSpec(analysis.inputChoices),
    torch2Repr: ctx.settings.torch2Repr, seed: ctx.settings.seed, siblings: analysis.uri.startsWith('file:'), openTexts: ctx.openFileTexts(),
    device: requested === 'webgpu' ? 'webgpu' : 'cpu',
  }, token);
  if (!result.ok) throw new ResponseError(ErrorCodes.InternalError, `NN Lens: the forward run failed: ${result.message.split('\n')[0]}`);

  const forward = result.report.classes.find((c) => c.name === cls.name)?.instance?.forward;
  if (!forward) throw typedError(`${cls.name} was not constructed in the value run`, { kind: 'modelNotEvaluated', className: cls.name, reason: 'not constructed with values' });
  if (forward.status === 'error' && forward.error) {
    const e = forward.error;
    throw typedError(`${cls.name}'s forward fails: ${e.type}: ${e.message}`, { kind: 'forwardFailed', className: cls.name, type: e.type, message: e.message, line: e.line });
  }
  if (forward.status !== 'ok' || forward.output_repr === undefined || forward.values_error) {
    const reason = forward.values_error ?? forward.unsupported?.message ?? 'the run returned no printable output';
    throw typedError(`No values for ${cls.name}: ${reason}`, { kind: 'valueTierUnavailable', device: 'cpu', reason });
  }
  const t = result.report.timings_ms;
  return {
    className: cls.name,
    device: result.device,
    // No silent fallback: a webgpu request that ran on the CPU says why.
    ...(requested === 'webgpu' && result.device !== 'webgpu'
      ? { fallback: { requested: requested as Device, reason: `WebGPU is unavailable (${result.webgpuUnavailable ?? 'unknown reason'}); the forward ran on the CPU` } }
      : {}),
    ...(result.adapter ? { adapter: result.adapter } : {}),
    ...(result.ranOnCpu ? { ranOnCpu: result.ranOnCpu } : {}),
    printed: forward.output_repr,
    outputShape: forward.output_shape ?? null,
    calls: forward.calls.map(([path, type, outputShape], i) => ({ path, type, outputShape, ...(forward.call_stats?.[i] ?? {}) })),
    seed: ctx.settings.seed,
    timings: { totalMs: result.ms, parseMs: t.parse, evaluateMs: t.evaluate, modelMs: t.classes },
  };
}

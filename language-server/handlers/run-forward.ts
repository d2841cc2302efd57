// nnLens/runForward: the forward pass with values, seeded as PyTorch does (manual_seed(seed) before
// construction, manual_seed(seed + 1) before the inputs; nnLens.seed, default 0), in a worker thread so that the server stays
// responsive and a cancelled run stops. The device follows lsp/resolve-device.ts: `auto` uses
// WebGPU when an adapter is found, else the CPU and says why in `fallback`; `webgpu` without an
// adapter fails with the reason (valueTierUnavailable); `cpu` runs on the CPU.
import { ErrorCodes, ResponseError, type CancellationToken } from 'vscode-languageserver/node.js';
import type { RunForwardResult } from '../protocol/requests.ts';
import { jobDevice, parseRequestedDevice, settleDevice } from '../lsp/resolve-device.ts';
import type { ServerContext } from '../lsp/server-context.ts';
import { invalidParams, object, typedError } from '../lsp/errors.ts';
import { fileNameOf, inputSpec } from '../lsp/analyze-document.ts';
import { forwardWorkerPath, runForwardJob } from '../lsp/forward-runner.ts';
import { requestedDocument, requestedModel } from './lookup.ts';
import { modelStatus } from './facts/model-summary.ts';


export async function runForward(ctx: ServerContext, params: unknown, token: CancellationToken): Promise<RunForwardResult> {
  const analysis = await requestedDocument(ctx, params, token);
  const cls = requestedModel(analysis, params);
  const requested = parseRequestedDevice(object(params, 'params').device);
  if (typeof requested !== 'string') throw invalidParams(requested.invalid);
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
    device: jobDevice(requested), webgpuOnly: requested === 'webgpu',
  }, token);
  if (!result.ok && result.webgpuUnavailable !== undefined) {
    const outcome = settleDevice(requested, { device: 'cpu', webgpuUnavailable: result.webgpuUnavailable }, 'the forward ran');
    const reason = outcome.ok ? result.webgpuUnavailable : outcome.reason;
    throw typedError(`NN Lens could not run ${cls.name} on WebGPU: ${reason}`, { kind: 'valueTierUnavailable', device: 'webgpu', reason });
  }
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
  // No silent fallback: an auto run that got no adapter says why; a webgpu one fails (the worker
  // stops before computing, this is the check should it not).
  const outcome = settleDevice(requested, result, 'the forward ran');
  if (!outcome.ok) throw typedError(`NN Lens could not run ${cls.name} on WebGPU: ${outcome.reason}`, { kind: 'valueTierUnavailable', device: 'webgpu', reason: outcome.reason });
  const t = result.report.timings_ms;
  return {
    className: cls.name,
    device: outcome.device,
    ...(outcome.fallback ? { fallback: outcome.fallback } : {}),
    ...(result.adapter ? { adapter: result.adapter } : {}),
    ...(result.ranOnCpu ? { ranOnCpu: result.ranOnCpu } : {}),
    printed: forward.output_repr,
    outputShape: forward.output_shape ?? null,
    calls: forward.calls.map(([path, type, outputShape], i) => ({ path, type, outputShape, ...(forward.call_stats?.[i] ?? {}) })),
    seed: ctx.settings.seed,
    timings: { totalMs: result.ms, parseMs: t.parse, evaluateMs: t.evaluate, modelMs: t.classes },
  };
}

// nnLens/getTensor: a parameter's, buffer's or activation's values as `torch.manual_seed(0);
// Model()` and its forward make them: statistics, a histogram, and a window of the tensor folded to
// 2-D (protocol/tensor-fold.ts) reduced to a grid of cells, as base64 float32. The values are
// computed on the requested device and kept in the tensor worker (lsp/forward-tensors.ts), per
// document version; `tensor.call` picks one call of a module called several times, `minus` compares.
// `knownSummaryId` (the `summaryId` of an earlier answer) leaves out channel ranges the client has.
// `deferSummary`: a tensor's first answer may carry only what the first paint needs (min, max,
// channel ranges unless `deferChannelRange`; `summaryPending`), and nnLens/getTensorSummary then
// gives the rest by summaryId.
import { LSPErrorCodes, ResponseError, type CancellationToken } from 'vscode-languageserver/node.js';
import { type GetTensorResult, type GetTensorSummaryResult, type Reduction, type TensorRef, type TensorWindow } from '../protocol/requests.ts';
import type { ClassReport, InstanceReport } from '../analysis/report.ts';
import type { ServerContext } from '../lsp/server-context.ts';
import { invalidParams, object, string, typedError } from '../lsp/errors.ts';
import { fileNameOf, inputSpec } from '../lsp/analyze-document.ts';
import { forwardWorkerPath, runSummaryJob, runTensorJob } from '../lsp/forward-runner.ts';
import { jobDevice, parseRequestedDevice, settleDevice } from '../lsp/resolve-device.ts';
import { float32Base64, type ViewRequest } from '../lsp/forward-tensor-view.ts';
import { requestedDocument, requestedModel } from './lookup.ts';
import { formatShape } from './facts/format.ts';

const count = (v: unknown, what: string, min: number): number => {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > 2 ** 31) throw invalidParams(`${what} must be an integer ≥ ${min}`);
  return v;
};

function viewRequest(params: Record<string, unknown>): ViewRequest {
  const view: ViewRequest = {};
  if (params.window !== undefined) {
    const w = object(params.window, 'params.window');
    view.window = { row: count(w.row, 'params.window.row', 0), col: count(w.col, 'params.window.col', 0), rows: count(w.rows, 'params.window.rows', 1), cols: count(w.cols, 'params.window.cols', 1) } satisfies TensorWindow;
  }
  if (params.grid !== undefined) {
    const g = object(params.grid, 'params.grid');
    view.grid = { rows: count(g.rows, 'params.grid.rows', 1), cols: count(g.cols, 'params.grid.cols', 1) };
    if (view.grid.rows * view.grid.cols > 1 << 22) throw invalidParams('params.grid has more than 4194304 cells');
  }
  if (params.maxElements !== undefined) view.maxElements = Math.min(count(params.maxElements, 'params.maxElements', 1), 1 << 22);
  if (params.reduction !== undefined) {
    if (params.reduction !== 'mean' && params.reduction !== 'min' && params.reduction !== 'max') throw invalidParams("params.reduction must be 'mean', 'min' or 'max'");
    view.reduction = params.reduction as Reduction;
  }
  return view;
}

type Known = { name: string; shape: string; call?: number };

/** A TensorRef from the request, checked: `call` only on activations. */
function tensorRef(raw: unknown, what: string): TensorRef {
  const ref = object(raw, what);
  const kind = ref.kind;
  if (kind !== 'parameter' && kind !== 'buffer' && kind !== 'activation') throw invalidParams(`${what}.kind must be 'parameter', 'buffer' or 'activation'`);
  // An activation's name is a module path; '' is the model itself (its output).
  const name = kind === 'activation' && ref.name === '' ? '' : string(ref.name, `${what}.name`);
  if (ref.call === undefined) return { kind, name };
  if (kind !== 'activation') throw invalidParams(`${what}.call is for activations only`);
  return { kind, name, call: count(ref.call, `${what}.call`, 0) };
}

/** The shape-tier facts of the referenced tensor, or the typed error naming what exists. */
function knownTensor(cls: ClassReport, inst: InstanceReport, ref: TensorRef): Known {
  const known: Known[] = ref.kind === 'parameter' ? (inst.parameters ?? []).map(([n, s]) => ({ name: n, shape: formatShape(s) }))
    : ref.kind === 'buffer' ? (inst.buffers ?? []).map(([n, s]) => ({ name: n, shape: formatShape(s) }))
      : (inst.forward?.calls ?? []).map(([path, , s], call) => ({ name: path, shape: formatShape(s), call }));
  const hit = known.find((k) => k.name === ref.name && (ref.call === undefined || k.call === ref.call));
  if (hit) return hit;
  const available = [...new Set(known.map((k) => k.name))];
  const other = ref.call === undefined ? undefined : known[ref.call];
  const message = other ? `call ${ref.call} of ${cls.name}'s forward is '${other.name}', not '${ref.name}'`
    : ref.call !== undefined && available.includes(ref.name) ? `${cls.name}'s forward has no call ${ref.call} (${known.length} calls)`
      : `${cls.name} has no ${ref.kind} '${ref.name}'`;
  throw typedError(message, { kind: 'unknownTensor', className: cls.name, name: ref.name, available });
}

export async function getTensor(ctx: ServerContext, params: unknown, token: CancellationToken): Promise<GetTensorResult> {
  const analysis = await requestedDocument(ctx, params, token);
  const p = object(params, 'params');
  const version = object(p.textDocument, 'params.textDocument').version;
  if (version !== undefined && version !== analysis.version) {
    throw new ResponseError(LSPErrorCodes.ContentModified, `the document is at version ${analysis.version}, not ${String(version)}`);
  }
  const cls = requestedModel(analysis, params);
  const tensor = tensorRef(p.tensor, 'params.tensor');
  const minus = p.minus === undefined ? undefined : tensorRef(p.minus, 'params.minus');
  // Absent is the CPU: what getTensor computed on before a device could be chosen.
  const requested = parseRequestedDevice(p.device, 'cpu');
  if (typeof requested !== 'string') throw invalidParams(requested.invalid);
  const device = jobDevice(requested);
  const view = viewRequest(p);
  if (p.knownSummaryId !== undefined && (typeof p.knownSummaryId !== 'string' || p.knownSummaryId.length > 200)) throw invalidParams('params.knownSummaryId must be a string (a summaryId of an earlier answer)');
  const knownSummary = p.knownSummaryId as string | undefined;
  if (p.deferSummary !== undefined && typeof p.deferSummary !== 'boolean') throw invalidParams('params.deferSummary must be a boolean');
  const deferSummary = p.deferSummary === true;
  if (p.deferChannelRange !== undefined && typeof p.deferChannelRange !== 'boolean') throw invalidParams('params.deferChannelRange must be a boolean');
  const deferChannelRange = deferSummary && p.deferChannelRange === true;
  const inst = cls.instance;
  if (inst?.status !== 'ok') throw typedError(`${cls.name} is not evaluated`, { kind: 'modelNotEvaluated', className: cls.name, reason: inst?.error?.message ?? 'its constructor needs arguments' });
  const hit = knownTensor(cls, inst, tensor);
  if (minus) knownTensor(cls, inst, minus);
  const worker = forwardWorkerPath();
  if (!worker) throw typedError('the forward worker (forward-worker.mjs) is not next to the server bundle', { kind: 'valueTierUnavailable', device, reason: 'forward-worker.mjs missing' });

  const job = {
    text: analysis.text, fileName: fileNameOf(analysis.uri), className: cls.name, spec: inputSpec(analysis.inputChoices),
    torch2Repr: ctx.settings.torch2Repr, seed: ctx.settings.seed, siblings: analysis.uri.startsWith('file:'), openTexts: ctx.openFileTexts(), device,
    webgpuOnly: requested === 'webgpu',
  };
  const key = `${analysis.uri}@${analysis.version}#${cls.name}#${job.seed}#${JSON.stringify(job.spec)}#${requested === 'webgpu' ? 'webgpu-only' : device}`;
  const result = await runTensorJob(worker, { key, job, tensor, ...(minus ? { minus } : {}), view, ...(knownSummary ? { knownSummary } : {}), ...(deferSummary ? { deferSummary } : {}), ...(deferChannelRange ? { deferChannelRange } : {}) }, token);
  if (!result.ok && result.kind === 'shapeMismatch') throw invalidParams(result.message);
  if (!result.ok && result.kind === 'webgpuUnavailable') {
    const outcome = settleDevice(requested, { device: 'cpu', webgpuUnavailable: result.message }, 'the values were computed');
    const reason = outcome.ok ? result.message : outcome.reason;
    throw typedError(`No values for ${cls.name} on WebGPU: ${reason}`, { kind: 'valueTierUnavailable', device: 'webgpu', reason });
  }
  if (!result.ok && (result.kind === 'unknownTensor' || result.kind === 'notKept')) {
    throw typedError(`No values for ${tensor.kind} '${tensor.name}' ${hit.shape} of ${cls.name}: ${result.message}`, { kind: 'valueTierUnavailable', device, reason: result.message });
  }
  if (!result.ok) throw typedError(`No values for ${cls.name}: ${result.message.split('\n')[0]}`, { kind: 'valueTierUnavailable', device, reason: result.message.split('\n')[0]! });
  if (!('view' in result)) throw new Error('the tensor worker answered a getTensor job with a summary');
  const v = result.view;
  const summary = result.summary;
  const where = result.where;
  // No silent fallback (lsp/resolve-device.ts): `auto` without an adapter says why in `fallback`,
  // `webgpu` without one fails and nothing computed on the CPU is shown in its place.
  const outcome = settleDevice(requested, where, 'the values were computed');
  if (!outcome.ok) throw typedError(`No values for ${cls.name} on WebGPU: ${outcome.reason}`, { kind: 'valueTierUnavailable', device: 'webgpu', reason: outcome.reason });
  return {
    tensor,
    shape: result.shape,
    dtype: result.dtype,
    sampledShape: [v.grid.rows, v.grid.cols],
    step: [v.window.rows / v.grid.rows, v.window.cols / v.grid.cols],
    data: float32Base64(v.cells),
    stats: summary.stats,
    version: analysis.version,
    folded: v.folded,
    window: v.window,
    grid: v.grid,
    exact: v.exact,
    reduction: v.reduction,
    ...('pending' in summary ? { summaryPending: true } : { histogram: summary.histogram }),
    ...(summary.channelRange ? { channelRange: summary.channelRange } : {}),
    ...(summary.channelRangeOmitted ? { channelRangeOmitted: true } : {}),
    ...('channelRangePending' in summary && summary.channelRangePending ? { channelRangePending: true } : {}),
    ...(summary.id ? { summaryId: summary.id } : {}),
    ...(minus ? { minus } : {}),
    device: outcome.device,
    ...(where.adapter ? { adapter: where.adapter } : {}),
    ...(outcome.fallback ? { fallback: outcome.fallback } : {}),
  };
}

/**
 * nnLens/getTensorSummary: the statistics and histogram of an answer that came with
 * `summaryPending`, by its summaryId. The tensor worker computes them right after that answer, in
 * slices between its other jobs, and answers this once they are complete.
 */
export async function getTensorSummary(_ctx: ServerContext, params: unknown, token: CancellationToken): Promise<GetTensorSummaryResult> {
  const p = object(params, 'params');
  if (typeof p.summaryId !== 'string' || p.summaryId.length === 0 || p.summaryId.length > 200) throw invalidParams('params.summaryId must be the summaryId of a getTensor answer');
  const worker = forwardWorkerPath();
  if (!worker) throw typedError('the forward worker (forward-worker.mjs) is not next to the server bundle', { kind: 'valueTierUnavailable', device: 'cpu', reason: 'forward-worker.mjs missing' });
  if (p.channelRange !== undefined && typeof p.channelRange !== 'boolean') throw invalidParams('params.channelRange must be a boolean');
  const result = await runSummaryJob(worker, p.summaryId, p.channelRange === true, token);
  if (result.ok && 'full' in result) {
    const { stats, histogram, channelRange } = result.full;
    return { summaryId: result.summaryId, stats, histogram, ...(channelRange ? { channelRange } : {}) };
  }
  const reason = result.ok ? 'the tensor worker answered a summary job with values' : result.message.split('\n')[0]!;
  throw typedError(`No summary ${p.summaryId}: ${reason}`, { kind: 'valueTierUnavailable', device: 'cpu', reason });
}

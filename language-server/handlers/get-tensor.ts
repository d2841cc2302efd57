// nnLens/getTensor: a parameter's, buffer's or activation's values as `torch.manual_seed(0);
// Model()` and its forward make them: statistics, a histogram, and a window of the tensor folded to
// 2-D (protocol/tensor-fold.ts) reduced to a grid of cells, as base64 float32. The values are
// computed and kept in the tensor worker (lsp/forward-tensors.ts), per document version.
import { LSPErrorCodes, ResponseError, type CancellationToken } from 'vscode-languageserver/node.js';
import type { GetTensorResult, Reduction, TensorWindow } from '../protocol/requests.ts';
import type { ServerContext } from '../lsp/server-context.ts';
import { invalidParams, object, string, typedError } from '../lsp/errors.ts';
import { fileNameOf, inputSpec } from '../lsp/analyze-document.ts';
import { forwardWorkerPath, runTensorJob } from '../lsp/forward-runner.ts';
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

export async function getTensor(ctx: ServerContext, params: unknown, token: CancellationToken): Promise<GetTensorResult> {
  const analysis = await requestedDocument(ctx, params, token);
  const p = object(params, 'params');
  const version = object(p.textDocument, 'params.textDocument').version;
  if (version !== undefined && version !== analysis.version) {
    throw new ResponseError(LSPErrorCodes.ContentModified, `the document is at version ${analysis.version}, not ${String(version)}`);
  }
  const cls = requestedModel(analysis, params);
  const ref = object(p.tensor, 'params.tensor');
  const kind = ref.kind;
  if (kind !== 'parameter' && kind !== 'buffer' && kind !== 'activation') throw invalidParams("params.tensor.kind must be 'parameter', 'buffer' or 'activation'");
  // An activation's name is a module path; '' is the model itself (its output).
  const name = kind === 'activation' && ref.name === '' ? '' : string(ref.name, 'params.tensor.name');
  const view = viewRequest(p);
  const inst = cls.instance;
  if (inst?.status !== 'ok') throw typedError(`${cls.name} is not evaluated`, { kind: 'modelNotEvaluated', className: cls.name, reason: inst?.error?.message ?? 'its constructor needs arguments' });
  const known: [string, string][] = kind === 'parameter' ? (inst.parameters ?? []).map(([n, s]) => [n, formatShape(s)])
    : kind === 'buffer' ? (inst.buffers ?? []).map(([n, s]) => [n, formatShape(s)])
      : (inst.forward?.calls ?? []).map(([path, , s]) => [path, formatShape(s)]);
  const hit = known.find(([n]) => n === name);
  if (!hit) throw typedError(`${cls.name} has no ${kind} '${name}'`, { kind: 'unknownTensor', className: cls.name, name, available: [...new Set(known.map(([n]) => n))] });
  const worker = forwardWorkerPath();
  if (!worker) throw typedError('the forward worker (forward-worker.mjs) is not next to the server bundle', { kind: 'valueTierUnavailable', device: 'cpu', reason: 'forward-worker.mjs missing' });

  const job = {
    text: analysis.text, fileName: fileNameOf(analysis.uri), className: cls.name, spec: inputSpec(analysis.inputChoices),
    torch2Repr: ctx.settings.torch2Repr, seed: ctx.settings.seed, siblings: analysis.uri.startsWith('file:'), openTexts: ctx.openFileTexts(),
  };
  const key = `${analysis.uri}@${analysis.version}#${cls.name}#${job.seed}#${JSON.stringify(job.spec)}`;
  const result = await runTensorJob(worker, { key, job, tensor: { kind, name }, view }, token);
  if (!result.ok && result.kind === 'unknownTensor') {
    throw typedError(`No values for ${kind} '${name}' ${hit[1]} of ${cls.name}: ${result.message}`, { kind: 'valueTierUnavailable', device: 'cpu', reason: result.message });
  }
  if (!result.ok) throw typedError(`No values for ${cls.name}: ${result.message.split('\n')[0]}`, { kind: 'valueTierUnavailable', device: 'cpu', reason: result.message.split('\n')[0]! });
  const v = result.view;
  return {
    tensor: { kind, name },
    shape: result.shape,
    dtype: result.dtype,
    sampledShape: [v.grid.rows, v.grid.cols],
    step: [v.window.rows / v.grid.rows, v.window.cols / v.grid.cols],
    data: float32Base64(v.cells),
    stats: result.summary.stats,
    version: analysis.version,
    folded: v.folded,
    window: v.window,
    grid: v.grid,
    exact: v.exact,
    reduction: v.reduction,
    histogram: result.summary.histogram,
  };
}

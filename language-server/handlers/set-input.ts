// nnLens/setInput: the forward input of one model (`torch.randn(shape)`, or token ids), then a
// fresh analysis of the document with it; null goes back to the input NN Lens finds itself (or the
// class's nnLens.inputShapes entry, which a choice made here overrides while the document is open).
// The VS Code extension writes that setting instead, so its choices persist.
import type { CancellationToken } from 'vscode-languageserver/node.js';
import type { SetInputResult } from '../protocol/requests.ts';
import type { InputChoice } from './facts/analysed-document.ts';
import type { ClassReport } from '../analysis/report.ts';
import type { ServerContext } from '../lsp/server-context.ts';
import { invalidParams, object, shape } from '../lsp/errors.ts';
import { modelSummary } from './facts/model-summary.ts';
import { requestedDocument, requestedModel } from './lookup.ts';

export async function setInput(ctx: ServerContext, params: unknown, token: CancellationToken): Promise<SetInputResult> {
  const before = await requestedDocument(ctx, params, token);
  const cls = requestedModel(before, params);
  const choice = inputChoice(object(params, 'params').input, cls);
  ctx.analyses.setInputChoice(before.uri, cls.name, choice);
  const after = await requestedDocument(ctx, params, token);
  const updated = after.report.classes.find((c) => c.name === cls.name) ?? cls;
  const convert = ctx.converter(after);
  return { model: modelSummary(updated, after.inputChoices.get(cls.name), (r) => convert.range(r), after.text) };
}

function inputChoice(raw: unknown, cls: ClassReport): InputChoice | null {
  if (raw === null) return null;
  const input = object(raw, 'params.input');
  const dims = shape(input.shape, 'params.input.shape');
  if (input.dtype !== undefined && input.dtype !== 'float32' && input.dtype !== 'int64') throw invalidParams("params.input.dtype must be 'float32' or 'int64'");
  const current = cls.instance?.forward?.inputs[0];
  const ids = input.dtype === 'int64' || (input.dtype === undefined && current?.kind === 'randint');
  if (!ids) return { kind: 'randn', shape: dims };
  return { kind: 'randint', shape: dims, low: current?.kind === 'randint' ? current.low ?? 0 : 0, high: current?.kind === 'randint' ? current.high ?? 2 : 2 };
}

// nnLens/listModels: every nn.Module class of a document with its status, parameters, input and output.
import type { CancellationToken } from 'vscode-languageserver/node.js';
import type { ListModelsResult } from '../protocol/requests.ts';
import type { ServerContext } from '../lsp/server-context.ts';
import { modelSummary } from './facts/model-summary.ts';
import { requestedDocument } from './lookup.ts';

export async function listModels(ctx: ServerContext, params: unknown, token: CancellationToken): Promise<ListModelsResult> {
  const analysis = await requestedDocument(ctx, params, token);
  const convert = ctx.converter(analysis);
  const models = analysis.report.classes.map((cls) => modelSummary(cls, analysis.inputChoices.get(cls.name), (r) => convert.range(r), analysis.text));
  return { uri: analysis.uri, version: analysis.version, models };
}

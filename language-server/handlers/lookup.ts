// The document and model a custom request names, or the typed error saying which is unknown.
import type { CancellationToken } from 'vscode-languageserver/node.js';
import type { ClassReport } from '../analysis/report.ts';
import type { DocumentAnalysis } from '../lsp/document-analyses.ts';
import type { ServerContext } from '../lsp/server-context.ts';
import { documentUri, object, string, typedError } from '../lsp/errors.ts';

export async function requestedDocument(ctx: ServerContext, params: unknown, token: CancellationToken): Promise<DocumentAnalysis> {
  const uri = documentUri(params);
  const analysis = await ctx.analyses.latest(uri, token);
  if (!analysis) throw typedError(`NN Lens has no open document ${uri} (send textDocument/didOpen first)`, { kind: 'unknownDocument', uri });
  return analysis;
}

export function requestedModel(analysis: DocumentAnalysis, params: unknown): ClassReport {
  const className = string(object(params, 'params').className, 'params.className');
  const cls = analysis.report.classes.find((c) => c.name === className);
  if (!cls) {
    const available = analysis.report.classes.map((c) => c.name);
    throw typedError(`no nn.Module class '${className}' in this document${available.length ? ` (models: ${available.join(', ')})` : ''}`, { kind: 'unknownModel', className, available });
  }
  return cls;
}

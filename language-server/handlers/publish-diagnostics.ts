// textDocument/publishDiagnostics after each analysis: errors where Python raises them, hints for
// unsupported constructs and for layers forward never calls; and the nnLens/analysisStatus
// summary the status bar shows.
import type { Diagnostic } from 'vscode-languageserver/node.js';
import { analysisStatus } from '../protocol/requests.ts';
import type { DocumentAnalysis } from '../lsp/document-analyses.ts';
import type { ServerContext } from '../lsp/server-context.ts';
import { editorDiagnostics } from './facts/editor-diagnostics.ts';

export function publishDiagnostics(ctx: ServerContext, analysis: DocumentAnalysis): void {
  const convert = ctx.converter(analysis);
  const found = editorDiagnostics(analysis.report, analysis.index, analysis.text, ctx.settings.diagnostics);
  const diagnostics: Diagnostic[] = found.map((d) => convert.diagnostic(d));
  void ctx.connection.sendDiagnostics({ uri: analysis.uri, version: analysis.version, diagnostics });
  void ctx.connection.sendNotification(analysisStatus.method, {
    uri: analysis.uri,
    version: analysis.version,
    modelCount: analysis.report.classes.length,
    errorCount: found.filter((d) => d.severity === 'error').length,
    analysisMs: Math.round(analysis.ms),
  });
}

/** The analysis itself failed (a bug of ours): say so on the document instead of going quiet. */
export function publishAnalysisFailure(ctx: ServerContext, uri: string, version: number, error: unknown): void {
  const message = `NN Lens could not analyse this file (internal error: ${error instanceof Error ? error.message : String(error)}). See NN Lens: Show Log.`;
  const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  void ctx.connection.sendDiagnostics({ uri, version, diagnostics: [{ range, severity: 1, source: 'NN Lens', code: 'internal-error', message }] });
}

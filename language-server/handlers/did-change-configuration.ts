// workspace/didChangeConfiguration: new `nnLens` settings. Settings that change the analysis
// (torch2Repr) re-analyse every open document; the rest only need fresh CodeLenses/diagnostics.
import { settingsFrom } from '../protocol/settings.ts';
import type { ServerContext } from '../lsp/server-context.ts';
import { publishDiagnostics } from './publish-diagnostics.ts';

export async function didChangeConfiguration(ctx: ServerContext, params: unknown): Promise<void> {
  const settings = (params as { settings?: { nnLens?: unknown } } | null)?.settings;
  if (settings?.nnLens === undefined) return;
  const before = ctx.settings;
  ctx.settings = settingsFrom(settings.nnLens);
  for (const uri of ctx.analyses.uris()) {
    if (before.torch2Repr !== ctx.settings.torch2Repr) ctx.analyses.reanalyse(uri);
    else {
      const analysis = await ctx.analyses.latest(uri);
      if (analysis) publishDiagnostics(ctx, analysis);
    }
  }
  if (ctx.client.codeLensRefresh) void ctx.connection.sendRequest('workspace/codeLens/refresh');
}

// workspace/didChangeConfiguration: new `nnLens` settings. Settings that change the analysis
// (torch2Repr, the nnLens.inputShapes entries that apply to a document) re-analyse the documents
// they change; the rest only need fresh CodeLenses/diagnostics. A setting that cannot be used (a
// bad input shape) is said once, as a warning the user sees, and in the log.
import { MessageType, ShowMessageNotification } from 'vscode-languageserver/node.js';
import { settingsFrom, settingsProblems } from '../protocol/settings.ts';
import type { ServerContext } from '../lsp/server-context.ts';
import { sameChoices, settingInputChoices } from '../lsp/setting-input-choices.ts';
import { publishDiagnostics } from './publish-diagnostics.ts';

/** The problems last shown per server, so that the same ones are not shown again on every change. */
const shownProblems = new WeakMap<ServerContext, string>();

/** Takes the raw `nnLens` settings (initialize, didChangeConfiguration) and warns about what is unusable in them. */
export function applySettings(ctx: ServerContext, raw: unknown): void {
  ctx.settings = settingsFrom(raw);
  const problems = settingsProblems(raw);
  const key = problems.join('\n');
  if (key === (shownProblems.get(ctx) ?? '')) return;
  shownProblems.set(ctx, key);
  if (!problems.length) return;
  for (const p of problems) ctx.log.info(`settings: ${p}`);
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more: see the NN Lens log)` : '';
  // A notification, not connection.window.showWarningMessage (a request that waits for the user).
  void ctx.connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Warning, message: `NN Lens: ${problems[0]}${more}` });
}

export async function didChangeConfiguration(ctx: ServerContext, params: unknown): Promise<void> {
  const settings = (params as { settings?: { nnLens?: unknown } } | null)?.settings;
  if (settings?.nnLens === undefined) return;
  const before = ctx.settings;
  applySettings(ctx, settings.nnLens);
  const changes = (uri: string): boolean => before.torch2Repr !== ctx.settings.torch2Repr
    || !sameChoices(settingInputChoices(before.inputShapes, uri), settingInputChoices(ctx.settings.inputShapes, uri));
  // Every re-analysis starts before anything is awaited, so a request that follows this
  // notification already waits for the new analysis.
  const unchanged = ctx.analyses.uris().filter((uri) => {
    if (!changes(uri)) return true;
    ctx.analyses.reanalyse(uri);
    return false;
  });
  for (const uri of unchanged) {
    const analysis = await ctx.analyses.latest(uri);
    if (analysis) publishDiagnostics(ctx, analysis);
  }
  if (ctx.client.codeLensRefresh) void ctx.connection.sendRequest('workspace/codeLens/refresh');
}

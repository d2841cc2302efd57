// textDocument/codeLens: parameter counts, shapes and actions above classes and layers.
import type { CancellationToken, CodeLens } from 'vscode-languageserver/node.js';
import { documentUri } from '../lsp/errors.ts';
import type { ServerContext } from '../lsp/server-context.ts';
import { lensesFor } from './facts/lenses.ts';

export async function codeLens(ctx: ServerContext, params: unknown, token: CancellationToken): Promise<CodeLens[]> {
  const uri = documentUri(params);
  const analysis = await ctx.analyses.latest(uri, token);
  if (!analysis) return [];
  const convert = ctx.converter(analysis);
  return lensesFor(analysis, ctx.settings.codeLens).map((lens) => ({
    range: convert.range(lens.range),
    // An empty command id makes a label: VS Code shows it and does nothing on click.
    command: { title: lens.title, command: lens.command?.id ?? '', arguments: lens.command?.args },
  }));
}

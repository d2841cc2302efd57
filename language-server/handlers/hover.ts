// textDocument/hover: what PyTorch would show for the class, layer or variable under the cursor.
import type { CancellationToken, Hover } from 'vscode-languageserver/node.js';
import { documentUri, object, position } from '../lsp/errors.ts';
import type { ServerContext } from '../lsp/server-context.ts';
import { hoverAt } from './facts/hover-content.ts';

export async function hover(ctx: ServerContext, params: unknown, token: CancellationToken): Promise<Hover | null> {
  const uri = documentUri(params);
  const at = position(object(params, 'params').position);
  const analysis = await ctx.analyses.latest(uri, token);
  if (!analysis) return null;
  const convert = ctx.converter(analysis);
  const content = hoverAt(analysis, convert.position(at));
  if (!content) return null;
  return { contents: { kind: ctx.client.markdownHover ? 'markdown' : 'plaintext', value: content.markdown }, range: convert.range(content.range) };
}

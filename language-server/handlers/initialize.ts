// initialize: negotiates the position encoding, reads the client's settings and capabilities,
// and declares what the server does.
import { TextDocumentSyncKind, type InitializeParams, type InitializeResult } from 'vscode-languageserver/node.js';
import { applySettings } from './did-change-configuration.ts';
import { negotiatePositionEncoding } from '../lsp/position-encoding.ts';
import type { ServerContext } from '../lsp/server-context.ts';

export const serverVersion = '0.1.0';

export function initialize(ctx: ServerContext, params: InitializeParams): InitializeResult {
  const caps = params?.capabilities ?? {};
  ctx.encoding = negotiatePositionEncoding(caps.general?.positionEncodings);
  ctx.client = {
    codeLensRefresh: caps.workspace?.codeLens?.refreshSupport === true,
    markdownHover: caps.textDocument?.hover?.contentFormat?.includes('markdown') ?? true,
  };
  const init = params?.initializationOptions as { settings?: unknown } | undefined;
  if (init?.settings !== undefined) applySettings(ctx, init.settings);
  return {
    capabilities: {
      positionEncoding: ctx.encoding,
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Full },
      hoverProvider: true,
      codeLensProvider: { resolveProvider: false },
    },
    serverInfo: { name: 'NN Lens', version: serverVersion },
  };
}

// The language client: starts the server (dist/server.mjs) over Node IPC for Python documents,
// with the nnLens settings, and restarts it when it crashes.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node.js';
import { restartingErrorHandler } from './restart-policy.ts';
import { section, settingsSnapshot } from './settings.ts';
import { commandIds } from '../language-server/protocol/settings.ts';

export function createLanguageClient(context: vscode.ExtensionContext): LanguageClient {
  const module = context.asAbsolutePath(path.join('dist', 'server.mjs'));
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6010'] } },
  };
  const outputChannel = vscode.window.createOutputChannel('NN Lens');
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ scheme: 'file', language: 'python' }, { scheme: 'untitled', language: 'python' }],
    initializationOptions: { settings: settingsSnapshot() },
    synchronize: { configurationSection: section },
    outputChannel,
    errorHandler: restartingErrorHandler((line) => outputChannel.appendLine(line)),
    middleware: {
      // The hover's weights-panel links (`command:nnLens.showWeights?…`): trusted for that command
      // only, so no other command can be run from text the server puts in a hover.
      provideHover: async (document, position, token, next) => {
        const hover = await next(document, position, token);
        for (const c of hover?.contents ?? []) if (c instanceof vscode.MarkdownString) c.isTrusted = { enabledCommands: [commandIds.showWeights] };
        return hover;
      },
    },
  };
  return new LanguageClient('nnLens', 'NN Lens', serverOptions, clientOptions);
}

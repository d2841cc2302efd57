// The language client: starts the server (dist/server.mjs) over Node IPC for Python documents,
// with the nnLens settings, and restarts it when it crashes.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node.js';
import { restartingErrorHandler } from './restart-policy.ts';
import { section, settingsSnapshot } from './settings.ts';

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
  };
  return new LanguageClient('nnLens', 'NN Lens', serverOptions, clientOptions);
}

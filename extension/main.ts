// The VS Code extension: a thin client. It starts the NN Lens language server for Python files
// and wires its commands and status bar; every answer comes from the server.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node.js';
import { commandIds } from '../language-server/protocol/settings.ts';
import { createLanguageClient } from './language-client.ts';
import { createStatusBar } from './status-bar.ts';
import { runForwardCommand } from './commands/run-forward.ts';
import { showWeightsCommand } from './commands/show-weights.ts';
import { setInputShapeCommand } from './commands/set-input-shape.ts';
import { selectDeviceCommand } from './commands/select-device.ts';
import { registerWeightsPanelSerializer } from './panels/weights-panel.ts';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<{ client: LanguageClient }> {
  const languageClient = createLanguageClient(context);
  client = languageClient;
  context.subscriptions.push(
    createStatusBar(languageClient),
    vscode.commands.registerCommand(commandIds.runForward, (...args: unknown[]) => runForwardCommand(languageClient, ...args)),
    vscode.commands.registerCommand(commandIds.showWeights, (...args: unknown[]) => showWeightsCommand(languageClient, ...args)),
    vscode.commands.registerCommand(commandIds.setInputShape, (...args: unknown[]) => setInputShapeCommand(languageClient, ...args)),
    vscode.commands.registerCommand(commandIds.selectDevice, selectDeviceCommand),
    vscode.commands.registerCommand(commandIds.showLog, () => languageClient.outputChannel.show()),
    // Restores open weight panels after a window reload (their state comes from setState).
    registerWeightsPanelSerializer(languageClient),
  );
  await languageClient.start();
  return { client: languageClient };
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}

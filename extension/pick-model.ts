// Which model a command acts on: the `[uri, className]` a CodeLens passes, or else one the user
// picks among the models of the active Python editor.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node.js';
import { listModels, type ModelSummary } from '../language-server/protocol/requests.ts';
import { sendRequest } from './send-request.ts';

export interface ModelTarget { uri: string; model: ModelSummary }

export async function pickModel(client: LanguageClient, args: unknown[], purpose: string): Promise<ModelTarget | undefined> {
  const [uriArg, classArg] = args;
  const uri = typeof uriArg === 'string' ? uriArg : activePythonUri();
  if (!uri) {
    void vscode.window.showInformationMessage(`NN Lens: open a Python file with an nn.Module to ${purpose}.`);
    return undefined;
  }
  const { models } = await sendRequest(client, listModels, { textDocument: { uri } });
  if (typeof classArg === 'string') {
    const model = models.find((m) => m.className === classArg);
    if (!model) void vscode.window.showWarningMessage(`NN Lens: ${classArg} is no longer a model of this file.`);
    return model && { uri, model };
  }
  if (!models.length) {
    void vscode.window.showInformationMessage('NN Lens: this file defines no nn.Module class.');
    return undefined;
  }
  if (models.length === 1) return { uri, model: models[0]! };
  const picked = await vscode.window.showQuickPick(
    models.map((m) => ({ label: m.className, description: m.status === 'ok' ? `${(m.parameterCount ?? 0).toLocaleString('en-US')} params` : m.problem, model: m })),
    { placeHolder: `Model to ${purpose}` },
  );
  return picked && { uri, model: picked.model };
}

function activePythonUri(): string | undefined {
  const doc = vscode.window.activeTextEditor?.document;
  return doc?.languageId === 'python' ? doc.uri.toString() : undefined;
}

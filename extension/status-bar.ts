// The status bar item of Python editors: the device runs use, how many models the file has and
// how many errors PyTorch would raise; and whether the server is running.
import * as vscode from 'vscode';
import { State, type LanguageClient } from 'vscode-languageclient/node.js';
import { analysisStatus, type AnalysisStatusParams } from '../language-server/protocol/requests.ts';
import { commandIds } from '../language-server/protocol/settings.ts';
import { section, selectedDevice } from './settings.ts';

export function createStatusBar(client: LanguageClient): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('nnLens.status', vscode.StatusBarAlignment.Right, 100);
  item.name = 'NN Lens';
  item.command = commandIds.selectDevice;
  const byUri = new Map<string, AnalysisStatusParams>();
  let serverState: State = client.state;

  const render = (): void => {
    const doc = vscode.window.activeTextEditor?.document;
    if (doc?.languageId !== 'python') return item.hide();
    const device = selectedDevice();
    if (serverState !== State.Running) {
      item.text = `$(sync~spin) NN Lens: ${serverState === State.Starting ? 'starting' : 'stopped'}`;
      item.tooltip = 'NN Lens language server is not running (NN Lens: Show Log)';
    } else {
      const status = byUri.get(doc.uri.toString());
      const models = status ? `${status.modelCount} ${status.modelCount === 1 ? 'model' : 'models'}` : 'analysing…';
      const errors = status?.errorCount ? ` · $(error) ${status.errorCount}` : '';
      item.text = `$(circuit-board) ${device} · ${models}${errors}`;
      item.tooltip = status
        ? `NN Lens: runs use ${device}; ${models}, ${status.errorCount} error(s); analysed in ${status.analysisMs} ms. Click to select the device.`
        : `NN Lens: runs use ${device}. Click to select the device.`;
    }
    item.show();
  };

  const disposables = [
    item,
    client.onNotification(analysisStatus.method, (params: AnalysisStatusParams) => { byUri.set(params.uri, params); render(); }),
    client.onDidChangeState((e) => { serverState = e.newState; render(); }),
    vscode.window.onDidChangeActiveTextEditor(render),
    vscode.workspace.onDidChangeConfiguration((e) => { if (e.affectsConfiguration(section)) render(); }),
    vscode.workspace.onDidCloseTextDocument((d) => byUri.delete(d.uri.toString())),
  ];
  render();
  return vscode.Disposable.from(...disposables);
}

// The forward results panel's host: one panel (webviews/forward/, bundled to dist/webviews/) with
// the weights panel's strict CSP, showing the last nnLens/runForward of ▶ Run forward: its device,
// printed output and per-call statistics, or the failure's message.
import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';
import type { LanguageClient } from 'vscode-languageclient/node.js';
import { forwardWebviewMessageFrom, type ForwardHostToWebview } from '../../language-server/protocol/forward-panel.ts';
import { forwardPanelHtml } from '../../webviews/forward/page.ts';

export const forwardViewType = 'nnLens.forward';

function bundleDir(): vscode.Uri {
  return vscode.Uri.joinPath(vscode.Uri.file(__dirname), 'webviews');
}

let current: { panel: vscode.WebviewPanel; last: ForwardHostToWebview | null; rerun: () => void } | null = null;

/** Shows `message` in the results panel, opening it beside the editor when it is not open. `rerun` runs the same model again. */
export function showForwardResult(client: LanguageClient, message: ForwardHostToWebview, rerun: () => void): void {
  if (!current) {
    const panel = vscode.window.createWebviewPanel(forwardViewType, 'NN Lens: Forward', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {
      enableScripts: true, localResourceRoots: [bundleDir()], retainContextWhenHidden: false,
    });
    const webview = panel.webview;
    webview.html = forwardPanelHtml({
      cspSource: webview.cspSource,
      nonce: randomBytes(16).toString('base64'),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(bundleDir(), 'forward.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(bundleDir(), 'forward.css')).toString(),
      title: 'Forward',
    });
    const entry = { panel, last: null as ForwardHostToWebview | null, rerun };
    const subscription = webview.onDidReceiveMessage((raw: unknown) => {
      const m = forwardWebviewMessageFrom(raw);
      if (!m) {
        client.outputChannel.appendLine(`NN Lens: ignored a malformed message from the forward panel: ${JSON.stringify(raw)?.slice(0, 200)}`);
        return;
      }
      if (m.type === 'ready') { if (entry.last) void webview.postMessage(entry.last); } else entry.rerun();
    });
    panel.onDidDispose(() => { subscription.dispose(); if (current === entry) current = null; });
    current = entry;
  }
  current.last = message;
  current.rerun = rerun;
  current.panel.title = `Forward: ${message.type === 'result' ? message.result.className : message.className}`;
  if (!current.panel.visible) current.panel.reveal(undefined, true);
  void current.panel.webview.postMessage(message);
}

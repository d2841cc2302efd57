// The weights panel's host: opens the webview (webviews/weights/, bundled to dist/webviews/) with a
// strict CSP, answers its typed messages (protocol/weights-panel.ts) with nnLens/getTensor and
// nnLens/runForward, and restores panels after a reload through a WebviewPanelSerializer.
import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';
import type { LanguageClient } from 'vscode-languageclient/node.js';
import { getTensor, listModels, runForward, type GetTensorResult } from '../../language-server/protocol/requests.ts';
import { webviewMessageFrom, type ActivationInfo, type HostToWebview, type ModelMessage, type RequestTensorMessage } from '../../language-server/protocol/weights-panel.ts';
import { weightsPanelHtml } from '../../webviews/weights/page.ts';
import { errorMessage, sendRequest } from '../send-request.ts';
import { selectedDevice } from '../settings.ts';
import type { ModelTarget } from '../pick-model.ts';

export const weightsViewType = 'nnLens.weights';

/** dist/webviews/, next to the extension bundle (dist/extension.cjs). */
function bundleDir(): vscode.Uri {
  return vscode.Uri.joinPath(vscode.Uri.file(__dirname), 'webviews');
}

function panelOptions(): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return { enableScripts: true, localResourceRoots: [bundleDir()], retainContextWhenHidden: false };
}

export function openWeightsPanel(client: LanguageClient, target: ModelTarget, existing?: vscode.WebviewPanel): vscode.WebviewPanel {
  const className = target.model.className;
  const panel = existing ?? vscode.window.createWebviewPanel(weightsViewType, `Weights: ${className}`, vscode.ViewColumn.Beside, panelOptions());
  panel.webview.options = panelOptions();
  const webview = panel.webview;
  webview.html = weightsPanelHtml({
    cspSource: webview.cspSource,
    nonce: randomBytes(16).toString('base64'),
    scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(bundleDir(), 'weights.js')).toString(),
    styleUri: webview.asWebviewUri(vscode.Uri.joinPath(bundleDir(), 'weights.css')).toString(),
    title: `Weights of ${className}`,
  });

  let disposed = false;
  let activations: ActivationInfo[] = [];
  let inFlight: vscode.CancellationTokenSource | null = null;
  const post = (m: HostToWebview): void => { if (!disposed) void webview.postMessage(m); };
  const modelMessage = (): ModelMessage => ({
    type: 'model', className, uri: target.uri,
    parameters: target.model.parameters ?? [], buffers: target.model.buffers ?? [], activations,
  });

  const answerTensor = async (m: RequestTensorMessage): Promise<void> => {
    inFlight?.cancel();
    const source = new vscode.CancellationTokenSource();
    inFlight = source;
    try {
      const r: GetTensorResult = await sendRequest(client, getTensor, {
        textDocument: { uri: target.uri }, className, tensor: m.tensor,
        ...(m.window ? { window: m.window } : {}), grid: m.grid, reduction: m.reduction,
      }, source.token);
      const bytes = Buffer.from(r.data, 'base64');
      const values = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
      post({
        type: 'tensor', requestId: m.requestId, tensor: r.tensor, shape: r.shape, dtype: r.dtype,
        folded: r.folded ?? { rows: r.sampledShape[0] ?? 1, cols: r.sampledShape[1] ?? 1 },
        window: r.window ?? { row: 0, col: 0, rows: r.sampledShape[0] ?? 1, cols: r.sampledShape[1] ?? 1 },
        grid: r.grid ?? { rows: r.sampledShape[0] ?? 1, cols: r.sampledShape[1] ?? 1 },
        exact: r.exact ?? false, reduction: r.reduction ?? m.reduction, stats: r.stats,
        histogram: r.histogram ?? { min: r.stats.min, max: r.stats.max, counts: [] }, values,
      });
    } catch (e) {
      if (!source.token.isCancellationRequested) post({ type: 'error', requestId: m.requestId, message: errorMessage(e) });
    } finally {
      if (inFlight === source) inFlight = null;
      source.dispose();
    }
  };

  const runForwardForActivations = async (): Promise<void> => {
    try {
      const result = await sendRequest(client, runForward, { textDocument: { uri: target.uri }, className, device: selectedDevice() });
      const seen = new Set<string>();
      activations = result.calls.filter((c) => !seen.has(c.path) && seen.add(c.path)).map((c) => ({ path: c.path, type: c.type, shape: c.outputShape }));
      post(modelMessage());
    } catch (e) {
      post({ type: 'error', requestId: null, message: `Run forward failed: ${errorMessage(e)}` });
    }
  };

  const subscription = webview.onDidReceiveMessage((raw: unknown) => {
    const m = webviewMessageFrom(raw);
    if (!m) {
      client.outputChannel.appendLine(`NN Lens: ignored a malformed message from the weights panel: ${JSON.stringify(raw)?.slice(0, 200)}`);
      return;
    }
    if (m.type === 'ready') post(modelMessage());
    else if (m.type === 'requestTensor') void answerTensor(m);
    else void runForwardForActivations();
  });
  panel.onDidDispose(() => { disposed = true; inFlight?.cancel(); subscription.dispose(); });
  return panel;
}

/** Restores weights panels after a window reload, from the state the webview saved (its model). */
export function registerWeightsPanelSerializer(client: LanguageClient): vscode.Disposable {
  return vscode.window.registerWebviewPanelSerializer(weightsViewType, {
    async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
      const saved = (state as { model?: { uri?: unknown; className?: unknown } } | null)?.model;
      if (typeof saved?.uri !== 'string' || typeof saved.className !== 'string') { panel.dispose(); return; }
      const { models } = await sendRequest(client, listModels, { textDocument: { uri: saved.uri } }).catch(() => ({ models: [] }));
      const model = models.find((m) => m.className === saved.className);
      if (!model) { panel.dispose(); return; }
      openWeightsPanel(client, { uri: saved.uri, model }, panel);
    },
  });
}

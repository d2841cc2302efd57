// The weights panel's host: opens the webview (webviews/weights/, bundled to dist/webviews/) with a
// strict CSP, answers its typed messages (protocol/weights-panel.ts) with nnLens/getTensor and
// nnLens/runForward on the selected device, follows the document (a new analysis re-sends the
// model, a forward run lists every module call's output) and restores panels after a reload
// through a WebviewPanelSerializer.
import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';
import type { LanguageClient } from 'vscode-languageclient/node.js';
import {
  getTensor, getTensorSummary, listModels, runForward, type ForwardCall, type GetTensorResult, type TensorRef,
} from '../../language-server/protocol/requests.ts';
import { webviewMessageFrom, type ActivationInfo, type HostToWebview, type ModelMessage, type RequestTensorMessage } from '../../language-server/protocol/weights-panel.ts';
import { weightsPanelHtml } from '../../webviews/weights/page.ts';
import { errorMessage, sendRequest } from '../send-request.ts';
import { selectedDevice } from '../settings.ts';
import type { ModelTarget } from '../pick-model.ts';

export const weightsViewType = 'nnLens.weights';

/** The open panels, so that a document's new analysis and a forward run reach them. */
interface OpenPanel {
  uri: string;
  className: string;
  panel: vscode.WebviewPanel;
  onForward(calls: ForwardCall[]): void;
  reveal(select?: TensorRef): void;
}
const openPanels = new Set<OpenPanel>();

/** Every module call's output, in call order: `call` is its index among the forward's calls. */
const activationsOf = (calls: readonly ForwardCall[]): ActivationInfo[] => calls.map((c, call) => ({ path: c.path, type: c.type, shape: c.outputShape, call }));

/** Tells the panels of this model that a forward ran (▶ Run forward elsewhere): their activation lists follow it. */
export function noteForwardForPanels(uri: string, className: string, calls: ForwardCall[]): void {
  for (const p of openPanels) if (p.uri === uri && p.className === className) p.onForward(calls);
}

/** dist/webviews/, next to the extension bundle (dist/extension.cjs). */
function bundleDir(): vscode.Uri {
  return vscode.Uri.joinPath(vscode.Uri.file(__dirname), 'webviews');
}

function panelOptions(): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return { enableScripts: true, localResourceRoots: [bundleDir()], retainContextWhenHidden: false };
}

/** Opens (or reveals) the panel of `target`; `select` is a tensor to show at once (the hover's link). */
export function openWeightsPanel(client: LanguageClient, target: ModelTarget, existing?: vscode.WebviewPanel, select?: TensorRef): vscode.WebviewPanel {
  const className = target.model.className;
  const open = [...openPanels].find((p) => p.uri === target.uri && p.className === className);
  if (open && !existing) {
    open.reveal(select);
    return open.panel;
  }
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
  let model = target.model;
  let activations: ActivationInfo[] = [];
  /**
   * The request in flight per tensor shown: a newer request for the same tensor (and minus) cancels
   * the older one, but a comparison's two panes ask at once and must not cancel each other.
   */
  const inFlight = new Map<string, vscode.CancellationTokenSource>();
  /** The tensor the webview last asked for: kept selected across refreshes while it still exists. */
  let selected: TensorRef | null = select ?? null;
  const post = (m: HostToWebview): void => { if (!disposed) void webview.postMessage(m); };
  const exists = (ref: TensorRef): boolean => ref.kind === 'activation'
    ? activations.some((a) => a.path === ref.name && (ref.call === undefined || a.call === ref.call))
    : (ref.kind === 'parameter' ? model.parameters ?? [] : model.buffers ?? []).some((p) => p.name === ref.name);
  const modelMessage = (): ModelMessage => ({
    type: 'model', className, uri: target.uri,
    parameters: model.parameters ?? [], buffers: model.buffers ?? [], activations,
    ...(selected && exists(selected) ? { select: selected } : {}),
  });

  /** Cancelled when the panel closes: the summaries it still waits for. */
  const summaryRequests = new vscode.CancellationTokenSource();
  /**
   * The statistics and histogram of an answer sent with `summaryPending`: asked at once (the tensor
   * worker computes them right after that answer, in slices between windows) and posted when they come.
   */
  const answerSummary = async (summaryId: string, withChannelRange: boolean): Promise<void> => {
    try {
      const s = await sendRequest(client, getTensorSummary, { summaryId, ...(withChannelRange ? { channelRange: true } : {}) }, summaryRequests.token);
      post({ type: 'summary', summaryId, stats: s.stats, histogram: s.histogram, ...(s.channelRange ? { channelRange: s.channelRange } : {}) });
    } catch (e) {
      if (!summaryRequests.token.isCancellationRequested) post({ type: 'summary', summaryId, error: errorMessage(e) });
    }
  };

  const answerTensor = async (m: RequestTensorMessage): Promise<void> => {
    const key = JSON.stringify([m.tensor, m.minus]);
    inFlight.get(key)?.cancel();
    const source = new vscode.CancellationTokenSource();
    inFlight.set(key, source);
    try {
      selected = m.tensor;
      const r: GetTensorResult = await sendRequest(client, getTensor, {
        textDocument: { uri: target.uri }, className, tensor: m.tensor, device: selectedDevice(),
        ...(m.window ? { window: m.window } : {}), grid: m.grid, reduction: m.reduction, ...(m.minus ? { minus: m.minus } : {}),
        ...(m.knownSummary ? { knownSummaryId: m.knownSummary } : {}), ...(m.deferSummary ? { deferSummary: true } : {}),
        ...(m.deferChannelRange ? { deferChannelRange: true } : {}),
      }, source.token);
      const bytes = Buffer.from(r.data, 'base64');
      const values = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
      post({
        type: 'tensor', requestId: m.requestId, tensor: r.tensor, shape: r.shape, dtype: r.dtype,
        folded: r.folded ?? { rows: r.sampledShape[0] ?? 1, cols: r.sampledShape[1] ?? 1 },
        window: r.window ?? { row: 0, col: 0, rows: r.sampledShape[0] ?? 1, cols: r.sampledShape[1] ?? 1 },
        grid: r.grid ?? { rows: r.sampledShape[0] ?? 1, cols: r.sampledShape[1] ?? 1 },
        exact: r.exact ?? false, reduction: r.reduction ?? m.reduction, minus: r.minus ?? m.minus, stats: r.stats,
        channelRange: r.channelRange ?? null,
        ...(r.summaryId ? { summaryId: r.summaryId } : {}), ...(r.channelRangeOmitted ? { channelRangeOmitted: true } : {}),
        histogram: r.histogram ?? { min: r.stats.min, max: r.stats.max, counts: [] }, values,
        ...(r.summaryPending ? { summaryPending: true } : {}), ...(r.channelRangePending ? { channelRangePending: true } : {}),
        ...(r.device ? { device: r.device === 'webgpu' ? `WebGPU · ${r.adapter ?? 'unknown adapter'}` : 'CPU' } : {}),
        ...(r.fallback ? { fallback: r.fallback.reason } : {}),
      });
      if (r.summaryPending && r.summaryId) void answerSummary(r.summaryId, r.channelRangePending === true);
    } catch (e) {
      if (!source.token.isCancellationRequested) post({ type: 'error', requestId: m.requestId, message: errorMessage(e) });
    } finally {
      if (inFlight.get(key) === source) inFlight.delete(key);
      source.dispose();
    }
  };

  let forwardRun: vscode.CancellationTokenSource | null = null;
  const runForwardForActivations = async (): Promise<void> => {
    forwardRun?.cancel();
    const source = new vscode.CancellationTokenSource();
    forwardRun = source;
    try {
      const result = await sendRequest(client, runForward, { textDocument: { uri: target.uri }, className, device: selectedDevice() }, source.token);
      activations = activationsOf(result.calls);
      post(modelMessage());
    } catch (e) {
      if (!source.token.isCancellationRequested) post({ type: 'error', requestId: null, message: `Run forward failed: ${errorMessage(e)}` });
    } finally {
      if (forwardRun === source) forwardRun = null;
      source.dispose();
    }
  };

  // A new text of the document: once the server has analysed it (listModels waits for the latest
  // analysis) the parameters may have changed, and the activations listed were of the old text, so
  // a panel that showed them runs the forward again. (nnLens/analysisStatus has one handler per
  // client, the status bar's; an edit is what makes a new analysis.)
  let refresh: NodeJS.Timeout | undefined;
  const onAnalysis = async (): Promise<void> => {
    try {
      const { models } = await sendRequest(client, listModels, { textDocument: { uri: target.uri } });
      const now = models.find((m) => m.className === className);
      if (!now || disposed) {
        if (!disposed) post({ type: 'error', requestId: null, message: `${className} is no longer a model of this file.` });
        return;
      }
      model = now;
      post(modelMessage());
      if (activations.length) await runForwardForActivations();
    } catch (e) {
      post({ type: 'error', requestId: null, message: `Refreshing ${className} failed: ${errorMessage(e)}` });
    }
  };
  // An activation to select needs the forward's outputs listed first.
  const showSelected = (): void => {
    post(modelMessage());
    if (selected?.kind === 'activation' && !exists(selected)) void runForwardForActivations();
  };
  const entry = {
    uri: target.uri, className, panel,
    onForward: (calls: ForwardCall[]): void => { activations = activationsOf(calls); post(modelMessage()); },
    reveal: (ref?: TensorRef): void => {
      panel.reveal(undefined, false);
      if (ref) { selected = ref; showSelected(); }
    },
  };
  openPanels.add(entry);
  const edits = vscode.workspace.onDidChangeTextDocument((e) => {
    if (e.document.uri.toString() !== target.uri || e.contentChanges.length === 0) return;
    clearTimeout(refresh);
    refresh = setTimeout(() => { void onAnalysis(); }, 300);
  });

  const subscription = webview.onDidReceiveMessage((raw: unknown) => {
    const m = webviewMessageFrom(raw);
    if (!m) {
      client.outputChannel.appendLine(`NN Lens: ignored a malformed message from the weights panel: ${JSON.stringify(raw)?.slice(0, 200)}`);
      return;
    }
    if (m.type === 'ready') showSelected();
    else if (m.type === 'requestTensor') void answerTensor(m);
    else void runForwardForActivations();
  });
  panel.onDidDispose(() => { disposed = true; for (const s of inFlight.values()) s.cancel(); summaryRequests.cancel(); summaryRequests.dispose(); forwardRun?.cancel(); subscription.dispose(); edits.dispose(); clearTimeout(refresh); openPanels.delete(entry); });
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

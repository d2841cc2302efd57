// The status bar item of Python editors: the device runs use (nnLens.device; after a run: where it
// ran, the WebGPU adapter or why not the GPU; after a webgpu-only run that found no adapter, that
// it failed and why), how many models the file has and how many errors PyTorch would raise; and
// whether the server is running.
import * as vscode from 'vscode';
import { State, type LanguageClient } from 'vscode-languageclient/node.js';
import { analysisStatus, type AnalysisStatusParams, type RunForwardResult } from '../language-server/protocol/requests.ts';
import { commandIds } from '../language-server/protocol/settings.ts';
import { section, selectedDevice } from './settings.ts';

/** Where the last forward run computed, for the status bar. */
interface LastRun { text: string; tooltip: string }
const runs = new vscode.EventEmitter<LastRun>();

const short = (text: string): string => (text.length > 40 ? `${text.slice(0, 39)}…` : text);

/** `WebGPU · <adapter>`, `CPU · <why not the GPU>` (auto without an adapter) or `CPU` (cpu chosen). */
export function deviceLabel(r: Pick<RunForwardResult, 'device' | 'adapter' | 'fallback'>): LastRun {
  if (r.device === 'webgpu') return { text: `WebGPU · ${r.adapter ?? 'unknown adapter'}`, tooltip: `the last run used WebGPU (${r.adapter ?? 'unknown adapter'})` };
  if (!r.fallback) return { text: 'CPU', tooltip: 'the last run used the CPU' };
  return { text: `CPU · ${short(webgpuUnavailableWhy(r.fallback.reason))}`, tooltip: `the last run computed on the CPU: ${r.fallback.reason}` };
}

/** `$(error) WebGPU · <why>`: a run on device webgpu that could not have an adapter (and ran nowhere). */
export function webgpuFailedLabel(reason: string): LastRun {
  return { text: `$(error) WebGPU · ${short(webgpuUnavailableWhy(reason))}`, tooltip: `the last run failed: ${reason}` };
}

/** The adapter search's own words out of the server's sentence ("WebGPU is unavailable (…); …"). */
function webgpuUnavailableWhy(reason: string): string {
  return /^WebGPU is unavailable \((.*)\); /.exec(reason)?.[1] ?? reason;
}

export function noteForwardRun(r: RunForwardResult): void {
  runs.fire(deviceLabel(r));
}

export function noteWebgpuFailure(reason: string): void {
  runs.fire(webgpuFailedLabel(reason));
}

export function createStatusBar(client: LanguageClient): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('nnLens.status', vscode.StatusBarAlignment.Right, 100);
  item.name = 'NN Lens';
  item.command = commandIds.selectDevice;
  const byUri = new Map<string, AnalysisStatusParams>();
  let serverState: State = client.state;
  let lastRun: LastRun | null = null;

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
      const where = lastRun?.text ?? device;
      const ran = lastRun ? ` (${lastRun.tooltip})` : '';
      item.text = `$(circuit-board) ${where} · ${models}${errors}`;
      item.tooltip = status
        ? `NN Lens: runs use ${device}${ran}; ${models}, ${status.errorCount} error(s); analysed in ${status.analysisMs} ms. Click to select the device.`
        : `NN Lens: runs use ${device}${ran}. Click to select the device.`;
    }
    item.show();
  };

  const disposables = [
    item,
    client.onNotification(analysisStatus.method, (params: AnalysisStatusParams) => { byUri.set(params.uri, params); render(); }),
    client.onDidChangeState((e) => { serverState = e.newState; render(); }),
    vscode.window.onDidChangeActiveTextEditor(render),
    vscode.workspace.onDidChangeConfiguration((e) => {
      // Another device chosen: the last run's label no longer says where runs go.
      if (e.affectsConfiguration(`${section}.device`)) lastRun = null;
      if (e.affectsConfiguration(section)) render();
    }),
    runs.event((run) => { lastRun = run; render(); }),
    vscode.workspace.onDidCloseTextDocument((d) => byUri.delete(d.uri.toString())),
  ];
  render();
  return vscode.Disposable.from(...disposables);
}

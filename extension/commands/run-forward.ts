// NN Lens: Run Forward Pass — runs the model's forward with values (seeded as PyTorch does, from
// nnLens.seed) and shows the output as PyTorch prints it, every module call with its shape, time and
// statistics, and the timings in the results panel (extension/panels/forward-panel.ts), and in the
// NN Lens log. The device is nnLens.device: an `auto` run without a WebGPU adapter says why it ran on
// the CPU, there and in the status bar; a `webgpu` run without one fails and says why, in both.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node.js';
import { runForward, type RunForwardResult, type ShapeStruct } from '../../language-server/protocol/requests.ts';
import { errorMessage, nnLensError, sendRequest } from '../send-request.ts';
import { pickModel } from '../pick-model.ts';
import { selectedDevice } from '../settings.ts';
import { showForwardResult } from '../panels/forward-panel.ts';
import { noteForwardForPanels } from '../panels/weights-panel.ts';
import { noteForwardRun, noteWebgpuFailure } from '../status-bar.ts';
import { commandIds } from '../../language-server/protocol/settings.ts';
import type { ModelTarget } from '../pick-model.ts';

export async function runForwardCommand(client: LanguageClient, ...args: unknown[]): Promise<void> {
  const target = await pickModel(client, args, 'run');
  if (!target) return;
  await runAndShow(client, target);
}

async function runAndShow(client: LanguageClient, target: ModelTarget): Promise<void> {
  const device = selectedDevice();
  const name = target.model.className;
  const rerun = (): void => { void runAndShow(client, target); };
  showForwardResult(client, { type: 'running', className: name, device }, rerun);
  try {
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `NN Lens: running ${name} forward on ${device}…`, cancellable: true },
      (_progress, cancel) => sendRequest(client, runForward, { textDocument: { uri: target.uri }, className: name, device }, cancel),
    );
    writeResult(client.outputChannel, result);
    noteForwardRun(result);
    noteForwardForPanels(target.uri, name, result.calls);
    showForwardResult(client, { type: 'result', result }, rerun);
  } catch (e) {
    showForwardResult(client, { type: 'failed', className: name, message: errorMessage(e) }, rerun);
    const data = nnLensError(e);
    if (data?.kind === 'valueTierUnavailable' && data.device === 'webgpu') {
      noteWebgpuFailure(data.reason);
      void vscode.window.showWarningMessage(`NN Lens: ${errorMessage(e)}`, 'Select Device').then((choice) => {
        if (choice) void vscode.commands.executeCommand(commandIds.selectDevice);
      });
    } else if (data?.kind === 'valueTierUnavailable') void vscode.window.showInformationMessage(`NN Lens: Run forward is not available: ${errorMessage(e)}.`);
    else void vscode.window.showWarningMessage(`NN Lens: ${errorMessage(e)}`);
  }
}

function writeResult(log: vscode.OutputChannel, r: RunForwardResult): void {
  log.appendLine(`${r.className} forward on ${r.device}${r.fallback ? ` (requested ${r.fallback.requested}: ${r.fallback.reason})` : ''}, ${r.timings.totalMs.toFixed(0)} ms`);
  const stat = (x: number | null | undefined): string => (typeof x === 'number' ? x.toPrecision(4) : '—');
  for (const c of r.calls) {
    const stats = c.ms === undefined ? '' : `  ${stat(c.ms)} ms  mean ${stat(c.mean)} std ${stat(c.std)} min ${stat(c.min)} max ${stat(c.max)}`;
    log.appendLine(`  ${(c.path || '(model)').padEnd(28)} ${c.type.padEnd(20)} → ${shapeText(c.outputShape)}${stats}`);
  }
  log.appendLine(r.printed);
}

function shapeText(s: ShapeStruct): string {
  if (s === null) return 'None';
  if (Array.isArray(s)) return `[${s.join(', ')}]`;
  if ('tuple' in s) return `(${s.tuple.map(shapeText).join(', ')})`;
  if ('list' in s) return `[${s.list.map(shapeText).join(', ')}]`;
  if ('dict' in s) return `{${Object.entries(s.dict).map(([k, v]) => `${k}: ${shapeText(v)}`).join(', ')}}`;
  return s.value;
}

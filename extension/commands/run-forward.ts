// NN Lens: Run Forward Pass — runs the model's forward with values (seeded as PyTorch does) and
// writes the output as PyTorch prints it, the shape of every module call and the timings to the
// NN Lens log. A run that could not use the selected device says so.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node.js';
import { runForward, type RunForwardResult, type ShapeStruct } from '../../language-server/protocol/requests.ts';
import { errorMessage, nnLensError, sendRequest } from '../send-request.ts';
import { pickModel } from '../pick-model.ts';
import { selectedDevice } from '../settings.ts';

export async function runForwardCommand(client: LanguageClient, ...args: unknown[]): Promise<void> {
  const target = await pickModel(client, args, 'run');
  if (!target) return;
  const device = selectedDevice();
  const name = target.model.className;
  try {
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `NN Lens: running ${name} forward on ${device}…`, cancellable: true },
      (_progress, cancel) => sendRequest(client, runForward, { textDocument: { uri: target.uri }, className: name, device }, cancel),
    );
    writeResult(client.outputChannel, result);
    const fallback = result.fallback ? ` (${result.fallback.reason})` : '';
    void vscode.window.showInformationMessage(`NN Lens: ${name} → ${shapeText(result.outputShape)} on ${result.device} in ${Math.round(result.timings.totalMs)} ms${fallback}.`, 'Show Output')
      .then((choice) => { if (choice) client.outputChannel.show(true); });
  } catch (e) {
    if (nnLensError(e)?.kind === 'valueTierUnavailable') void vscode.window.showInformationMessage(`NN Lens: Run forward is not available: ${errorMessage(e)}.`);
    else void vscode.window.showWarningMessage(`NN Lens: ${errorMessage(e)}`);
  }
}

function writeResult(log: vscode.OutputChannel, r: RunForwardResult): void {
  log.appendLine(`${r.className} forward on ${r.device}${r.fallback ? ` (requested ${r.fallback.requested}: ${r.fallback.reason})` : ''}, ${r.timings.totalMs.toFixed(0)} ms`);
  for (const c of r.calls) log.appendLine(`  ${(c.path || '(model)').padEnd(28)} ${c.type.padEnd(20)} → ${shapeText(c.outputShape)}`);
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

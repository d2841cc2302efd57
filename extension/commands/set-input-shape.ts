// NN Lens: Set Input Shape… — the forward input of one model, e.g. `1, 3, 32, 32`; empty goes back
// to the input NN Lens finds itself. The server re-analyses and the result is shown.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node.js';
import { setInput } from '../../language-server/protocol/requests.ts';
import { errorMessage, sendRequest } from '../send-request.ts';
import { pickModel } from '../pick-model.ts';
import { parseShape } from '../parse-shape.ts';

export async function setInputShapeCommand(client: LanguageClient, ...args: unknown[]): Promise<void> {
  const target = await pickModel(client, args, 'set the input of');
  if (!target) return;
  const current = target.model.inputs?.[0]?.shape;
  const text = await vscode.window.showInputBox({
    title: `Input shape of ${target.model.className}`,
    prompt: 'Sizes separated by commas, e.g. 1, 3, 32, 32 (empty: let NN Lens choose)',
    value: current ? current.join(', ') : '',
    validateInput: (v) => (v.trim() === '' || parseShape(v) ? null : 'Enter non-negative integers separated by commas, e.g. 1, 3, 32, 32'),
  });
  if (text === undefined) return;
  const shape = text.trim() === '' ? null : parseShape(text);
  try {
    const { model } = await sendRequest(client, setInput, { textDocument: { uri: target.uri }, className: target.model.className, input: shape && { shape } });
    const input = model.inputs?.map((i) => `[${i.shape.join(', ')}]`).join(', ') ?? '?';
    const outcome = model.status === 'ok' ? `output ${JSON.stringify(model.outputShape)}` : model.problem;
    void vscode.window.showInformationMessage(`NN Lens: ${model.className} input ${input} → ${outcome}`);
  } catch (e) {
    void vscode.window.showWarningMessage(`NN Lens: ${errorMessage(e)}`);
  }
}

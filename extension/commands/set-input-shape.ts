// NN Lens: Set Input Shape… — the forward input of one model, e.g. `1, 3, 32, 32`, saved as its
// entry of the nnLens.inputShapes setting (workspace settings when a folder is open, else user
// settings), so the choice persists and the setting is the one place inputs are chosen; empty
// removes the entry and NN Lens finds the input itself again. The server re-analyses on the
// settings change; the outcome is shown once the analysis has it.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node.js';
import { listModels, type ModelSummary } from '../../language-server/protocol/requests.ts';
import { inputShapeSettingValue } from '../../language-server/protocol/input-shapes.ts';
import { errorMessage, sendRequest } from '../send-request.ts';
import { pickModel } from '../pick-model.ts';
import { parseShape } from '../parse-shape.ts';
import { writeInputShape } from '../settings.ts';

export async function setInputShapeCommand(client: LanguageClient, ...args: unknown[]): Promise<void> {
  const target = await pickModel(client, args, 'set the input of');
  if (!target) return;
  const name = target.model.className;
  const current = target.model.inputs?.[0];
  const text = await vscode.window.showInputBox({
    title: `Input shape of ${name} (saved in nnLens.inputShapes)`,
    prompt: 'Sizes separated by commas, e.g. 1, 3, 32, 32 (empty: let NN Lens choose)',
    value: current ? current.shape.join(', ') : '',
    validateInput: (v) => (v.trim() === '' || parseShape(v) ? null : 'Enter 1 to 8 non-negative integers separated by commas, e.g. 1, 3, 32, 32'),
  });
  if (text === undefined) return;
  const shape = text.trim() === '' ? null : parseShape(text);
  // A model fed token ids keeps getting token ids, from the same range.
  const value = shape && inputShapeSettingValue(current?.kind === 'randint'
    ? { shape, dtype: 'int64', low: current.low ?? 0, high: current.high ?? 2 }
    : { shape, dtype: 'float32' });
  try {
    const where = await writeInputShape(vscode.Uri.parse(target.uri).fsPath, name, value);
    const model = await analysedWith(client, target.uri, name, shape);
    const input = model?.inputs?.map((i) => `[${i.shape.join(', ')}]`).join(', ') ?? '?';
    const outcome = !model ? 'the analysis has not caught up yet' : model.status === 'ok' ? `output ${JSON.stringify(model.outputShape)}` : model.problem;
    const saved = shape ? `saved in ${where}` : `entry removed from ${where}`;
    void vscode.window.showInformationMessage(`NN Lens: ${name} input ${input} → ${outcome} (nnLens.inputShapes: ${saved})`);
  } catch (e) {
    void vscode.window.showWarningMessage(`NN Lens: ${errorMessage(e)}`);
  }
}

/**
 * The model once the server has analysed with the new setting: the settings change reaches the
 * server as its own notification, so ask until the input says so (a few seconds at most).
 */
async function analysedWith(client: LanguageClient, uri: string, className: string, shape: number[] | null): Promise<ModelSummary | undefined> {
  const done = (m: ModelSummary | undefined): boolean => (shape
    ? m?.inputSource?.kind === 'setting' && JSON.stringify(m.inputs?.[0]?.shape) === JSON.stringify(shape)
    : m?.inputSource?.kind !== 'setting');
  let model: ModelSummary | undefined;
  for (let i = 0; i < 30; i++) {
    model = (await sendRequest(client, listModels, { textDocument: { uri } })).models.find((m) => m.className === className);
    if (done(model)) return model;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return undefined;
}

// NN Lens: Show Weights — the weights panel of one model (extension/panels/weights-panel.ts):
// heatmaps of its parameters as `torch.manual_seed(0); Model()` initialises them, and of its
// module outputs after a forward run.
import type { LanguageClient } from 'vscode-languageclient/node.js';
import { pickModel } from '../pick-model.ts';
import { openWeightsPanel } from '../panels/weights-panel.ts';
import { tensorRefFrom } from '../../language-server/protocol/weights-panel.ts';

export async function showWeightsCommand(client: LanguageClient, ...args: unknown[]): Promise<void> {
  const target = await pickModel(client, args, 'show the weights of');
  if (!target) return;
  // A hover's link adds the tensor to open: `[uri, className, { kind, name }]`, checked as the webview's messages are.
  const select = args[2] === undefined ? undefined : tensorRefFrom(args[2]) ?? undefined;
  openWeightsPanel(client, target, undefined, select);
}

// NN Lens: Show Weights — the weights panel of one model (extension/panels/weights-panel.ts):
// heatmaps of its parameters as `torch.manual_seed(0); Model()` initialises them, and of its
// module outputs after a forward run.
import type { LanguageClient } from 'vscode-languageclient/node.js';
import { pickModel } from '../pick-model.ts';
import { openWeightsPanel } from '../panels/weights-panel.ts';

export async function showWeightsCommand(client: LanguageClient, ...args: unknown[]): Promise<void> {
  const target = await pickModel(client, args, 'show the weights of');
  if (!target) return;
  openWeightsPanel(client, target);
}

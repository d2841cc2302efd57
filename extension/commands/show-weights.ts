// NN Lens: Show Weights — the weights panel of one model. The heatmaps are a later issue; until
// then the panel says so and lists the parameter shapes the analysis knows.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node.js';
import { pickModel } from '../pick-model.ts';
import { weightsPlaceholderHtml } from './weights-placeholder-html.ts';

export async function showWeightsCommand(client: LanguageClient, ...args: unknown[]): Promise<void> {
  const target = await pickModel(client, args, 'show the weights of');
  if (!target) return;
  const panel = vscode.window.createWebviewPanel('nnLens.weights', `Weights: ${target.model.className}`, vscode.ViewColumn.Beside, {
    enableScripts: false,
    localResourceRoots: [],
  });
  panel.webview.html = weightsPlaceholderHtml(target.model, panel.webview.cspSource);
}

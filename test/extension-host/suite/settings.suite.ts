// Settings reach the server while it runs: nnLens.codeLens.layers = false leaves only the lenses
// above the class, and resetting it brings the layer lenses back.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { describe, it } from 'mocha';
import { classCountLens, layersWithParameters, tutorial } from './truth.ts';
import { lensesWhen, openFile, workspaceFile } from './workspace.ts';

describe('settings', () => {
  it('nnLens.codeLens.layers: false hides the layer lenses; resetting it shows them again', async () => {
    const uri = workspaceFile('tutorial_network.py');
    await openFile('tutorial_network.py');
    const classLine = tutorial.line - 1;
    const layerCount = layersWithParameters(tutorial).length;
    const layerLenses = (l: { line: number }[]): number => l.filter((x) => x.line !== classLine).length;
    await lensesWhen(uri, `${layerCount} layer lenses`, (l) => layerLenses(l) === layerCount);

    const config = vscode.workspace.getConfiguration('nnLens');
    await config.update('codeLens.layers', false, vscode.ConfigurationTarget.Global);
    try {
      const hidden = await lensesWhen(uri, 'no layer lenses with nnLens.codeLens.layers = false', (l) => layerLenses(l) === 0 && l.length > 0);
      assert.ok(hidden.some((l) => l.title === classCountLens(tutorial)), 'the class lens stays');
    } finally {
      await config.update('codeLens.layers', undefined, vscode.ConfigurationTarget.Global);
    }
    await lensesWhen(uri, `${layerCount} layer lenses after resetting the setting`, (l) => layerLenses(l) === layerCount);
  });
});

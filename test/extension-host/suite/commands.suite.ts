// The extension activates on a Python file and registers every command package.json contributes;
// ▶ Run forward and ▦ Weights, invoked as their CodeLenses invoke them, open their panels.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { describe, it } from 'mocha';
import { tutorial } from './truth.ts';
import { activeExtension, contributedCommands, extensionId, openFile, waitFor, workspaceFile } from './workspace.ts';

describe('activation and commands', () => {
  it('activates on a Python file', async () => {
    await openFile('tutorial_network.py');
    const extension = vscode.extensions.getExtension(extensionId);
    assert.ok(extension, `${extensionId} is loaded`);
    await waitFor(`${extensionId} to activate (activationEvents: onLanguage:python)`, () => (extension.isActive ? true : undefined));
  });

  it('registers every command package.json contributes', async () => {
    await activeExtension();
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.ok(contributedCommands.length >= 5, 'package.json contributes the NN Lens commands');
    assert.deepEqual(contributedCommands.filter((c) => !registered.has(c)), [], 'contributed commands that are not registered');
  });

  it('nnLens.runForward with [uri, class] opens the results panel of that class', async () => {
    await activeExtension();
    const uri = workspaceFile('tutorial_network.py');
    await openFile('tutorial_network.py');
    await vscode.commands.executeCommand('nnLens.runForward', uri.toString(), tutorial.name);
    const title = `Forward: ${tutorial.name}`;
    const tabs = (): string[] => vscode.window.tabGroups.all.flatMap((g) => g.tabs.map((t) => t.label));
    const tab = await waitFor(`a tab "${title}"`, () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.label === title), tabs);
    assert.ok(tab.input instanceof vscode.TabInputWebview, 'the results are a webview panel');
    await vscode.window.tabGroups.close(tab);
  });

  it('nnLens.showWeights with [uri, class] opens the weights panel of that class', async () => {
    await activeExtension();
    const uri = workspaceFile('tutorial_network.py');
    await openFile('tutorial_network.py');
    await vscode.commands.executeCommand('nnLens.showWeights', uri.toString(), tutorial.name);
    const title = `Weights: ${tutorial.name}`;
    const tabs = (): string[] => vscode.window.tabGroups.all.flatMap((g) => g.tabs.map((t) => t.label));
    const tab = await waitFor(`a tab "${title}"`, () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.label === title), tabs);
    assert.ok(tab.input instanceof vscode.TabInputWebview, 'the weights panel is a webview panel');
    // The view type registered for the panel (the serializer restores panels of this type after a reload).
    assert.match(tab.input.viewType, /nnLens\.weights$/);
    await vscode.window.tabGroups.close(tab);
  });
});

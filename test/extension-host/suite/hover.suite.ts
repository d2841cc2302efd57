// vscode.executeHoverProvider on a layer: the hover VS Code shows holds the layer's repr as
// print(model) prints it and the shapes into and out of its call.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { describe, it } from 'mocha';
import { callShapes, layerRepr, shapeText, tutorial } from './truth.ts';
import { lensesWhen, openFile, workspaceFile } from './workspace.ts';

async function hoverTexts(uri: vscode.Uri, position: vscode.Position): Promise<string[]> {
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, position);
  return (hovers ?? []).flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value)));
}

describe('hover (vscode.executeHoverProvider)', () => {
  it('on conv1 in tutorial_network.py: its repr and the shapes in and out of its call', async () => {
    const uri = workspaceFile('tutorial_network.py');
    const editor = await openFile('tutorial_network.py');
    await lensesWhen(uri, 'the analysis of tutorial_network.py (any CodeLens)', (l) => l.length > 0);
    const text = editor.document.getText();
    const line = text.split('\n').findIndex((l) => l.includes('self.conv1 = '));
    assert.ok(line >= 0, 'tutorial_network.py assigns self.conv1');
    const position = new vscode.Position(line, text.split('\n')[line]!.indexOf('conv1') + 2);

    const hover = (await hoverTexts(uri, position)).join('\n---\n');
    const repr = layerRepr(tutorial, 'conv1');
    assert.ok(hover.includes(`\`\`\`python\n${repr}\n\`\`\``), `the hover shows ${repr} as a Python block; it shows:\n${hover}`);
    const [output] = callShapes(tutorial, 'conv1');
    const input = tutorial.instance.forward.inputs[0]!.shape; // conv1 is the first layer forward calls
    assert.ok(output, 'the truth has conv1\'s output shape');
    assert.ok(hover.includes(`\`${shapeText(input)}\` → \`${shapeText(output)}\``),
      `the hover shows ${shapeText(input)} → ${shapeText(output)}; it shows:\n${hover}`);
  });
});

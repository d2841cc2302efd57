// Editing through the API as a user would: a WorkspaceEdit that breaks a shape makes PyTorch's error
// appear where Python would raise it, and undoing the edit takes it away.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { describe, it } from 'mocha';
import { layerRepr, tutorial } from './truth.ts';
import { freshCopy, lensesWhen, lineOf, nnLensErrors, openFile, waitFor, workspaceFile } from './workspace.ts';

const summary = (ds: vscode.Diagnostic[]): string[] => ds.map((d) => `${d.range.start.line + 1}: ${d.message}`);

describe('edits (WorkspaceEdit, undo)', () => {
  it('fc1 given the wrong in_features: the matmul error appears at self.fc1(t), and undo removes it', async () => {
    const name = await freshCopy('tutorial_network.py');
    const uri = workspaceFile(name);
    const editor = await openFile(name);
    const original = editor.document.getText();
    await lensesWhen(uri, `the analysis of ${name}`, (l) => l.length > 0);
    assert.deepEqual(summary(nnLensErrors(uri)), [], 'no errors before the edit');

    // `12 * 4 * 4` features reach fc1; declare `12 * 4 * 5` instead.
    const declared = 'in_features=12 * 4 * 4';
    const line = lineOf(original, `self.fc1 = nn.Linear(${declared}`);
    const start = editor.document.lineAt(line).text.indexOf(declared);
    const edit = new vscode.WorkspaceEdit();
    edit.replace(uri, new vscode.Range(line, start, line, start + declared.length), 'in_features=12 * 4 * 5');
    assert.ok(await vscode.workspace.applyEdit(edit), 'the edit applies');

    // PyTorch: mat1 is the batch of features that arrive, mat2 the transposed weight [in, out].
    const fc1 = /in_features=(\d+), out_features=(\d+)/.exec(layerRepr(tutorial, 'fc1'));
    assert.ok(fc1, 'fc1 is a Linear in the truth');
    const [, arriving, out] = fc1;
    const message = `RuntimeError: mat1 and mat2 shapes cannot be multiplied (1x${arriving} and ${12 * 4 * 5}x${out})`;
    const raisedAt = lineOf(original, 't = self.fc1(t)');
    const error = await waitFor(`the diagnostic "${message}"`, () => nnLensErrors(uri).find((d) => d.message === message),
      () => summary(vscode.languages.getDiagnostics(uri)));
    assert.equal(error.range.start.line, raisedAt, `the error is where forward calls fc1 (line ${raisedAt + 1})`);

    await vscode.window.showTextDocument(editor.document);
    await vscode.commands.executeCommand('undo');
    assert.equal(editor.document.getText(), original, 'undo restores the text');
    await waitFor('the error to go away after undo', () => (nnLensErrors(uri).length === 0 ? true : undefined),
      () => summary(vscode.languages.getDiagnostics(uri)));
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });
});

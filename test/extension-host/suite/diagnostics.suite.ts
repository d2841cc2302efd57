// vscode.languages.getDiagnostics: PyTorch's error where Python raises it in broken_shapes.py, none
// on the healthy tutorial_network.py.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { describe, it } from 'mocha';
import { broken } from './truth.ts';
import { freshCopy, lensesWhen, nnLensErrors, openFile, waitFor, workspaceFile } from './workspace.ts';

const summary = (ds: vscode.Diagnostic[]): string[] => ds.map((d) => `${d.range.start.line + 1}: ${d.message}`);

describe('diagnostics (vscode.languages.getDiagnostics)', () => {
  it('broken_shapes.py: PyTorch\'s forward error at the line it raises', async () => {
    const uri = workspaceFile('broken_shapes.py');
    await openFile('broken_shapes.py');
    const error = broken.instance.forward.error!;
    const message = `${error.type}: ${error.message}`;
    const found = await waitFor(`the diagnostic "${message}"`, () => nnLensErrors(uri).find((d) => d.message === message),
      () => summary(vscode.languages.getDiagnostics(uri)));
    assert.equal(found.range.start.line + 1, error.line, `the error is on line ${error.line}, where PyTorch raises it`);
    assert.deepEqual(summary(nnLensErrors(uri)), [`${error.line}: ${message}`], 'exactly one error');
  });

  it('tutorial_network.py: no errors once it is analysed', async () => {
    const healthy = workspaceFile('tutorial_network.py');
    await openFile('tutorial_network.py');
    await lensesWhen(healthy, 'the analysis of tutorial_network.py', (l) => l.length > 0);
    // Diagnostics are published when an analysis ends, but converted asynchronously in the client: once
    // a document opened later (a fresh copy of broken_shapes.py) shows its error, this document's
    // diagnostics have landed too, so "none" is an answer and not "not yet".
    const probeName = await freshCopy('broken_shapes.py');
    const probe = workspaceFile(probeName);
    await openFile(probeName);
    await waitFor(`the error on ${probeName}`, () => (nnLensErrors(probe).length ? true : undefined));
    assert.deepEqual(summary(vscode.languages.getDiagnostics(healthy)), [], 'no diagnostics at all on tutorial_network.py');
  });
});

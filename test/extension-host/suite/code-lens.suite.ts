// vscode.executeCodeLensProvider on tutorial_network.py: above the class its parameter count and
// `input [...] → output [...]` with the actions, above each layer its parameters and output shape.
import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { classCountLens, classShapesLens, layerLens, layersWithParameters, tutorial } from './truth.ts';
import { lensesWhen, lineOf, openFile, workspaceFile } from './workspace.ts';

describe('CodeLens (vscode.executeCodeLensProvider)', () => {
  it('tutorial_network.py: the class lens with the exact count and shapes, and one lens per layer', async () => {
    const uri = workspaceFile('tutorial_network.py');
    const text = (await openFile('tutorial_network.py')).document.getText();
    const count = classCountLens(tutorial);
    const lenses = await lensesWhen(uri, `the class lens "${count}"`, (l) => l.some((x) => x.title === count));
    const classLine = tutorial.line - 1;
    const onClass = lenses.filter((l) => l.line === classLine);
    assert.deepEqual(onClass.map((l) => l.title), [count, classShapesLens(tutorial), '▶ Run forward', '▦ Weights'],
      `lenses above class ${tutorial.name} (line ${tutorial.line})`);
    assert.deepEqual(onClass.find((l) => l.title === '▶ Run forward')?.arguments?.map(String), [uri.toString(), tutorial.name],
      '▶ Run forward carries the document and the class');

    const layers = layersWithParameters(tutorial);
    const expected = layers.map((layer) => `${lineOf(text, `self.${layer} = `) + 1}: ${layerLens(tutorial, layer)}`);
    const actual = lenses.filter((l) => l.line !== classLine).map((l) => `${l.line + 1}: ${l.title}`);
    assert.deepEqual(actual, expected, 'one lens above each layer assignment');
  });
});

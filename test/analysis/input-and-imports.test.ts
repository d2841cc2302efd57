// Where a forward's input comes from (spec, --input, a call in the file, inference from the first
// layer, or none with the reason), and sibling-module imports resolved through the caller's reader.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inspectSource } from '../../language-server/analysis/inspect.ts';
import { siblingImporter } from '../../language-server/analysis/sibling-importer.ts';

const header = 'import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n';

async function forwardOf(source: string, options: Parameters<typeof inspectSource>[2] = {}) {
  const report = await inspectSource(header + source, 'model.py', options);
  const forward = report.classes[0]!.instance!.forward!;
  return { forward, report };
}

const mlp = `
class MLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(20, 5)
    def forward(self, x):
        return self.fc1(x)
`;

test('a leading Linear gives [1, in_features]', async () => {
  const { forward } = await forwardOf(mlp);
  assert.deepEqual(forward.input_source, { kind: 'inferred', rule: 'leading Linear(in_features=20): [1,20]' });
  assert.deepEqual(forward.output_shape, [1, 5]);
});

test('--input wins over inference, a spec wins over --input', async () => {
  assert.deepEqual((await forwardOf(mlp, { input: [7, 20] })).forward.output_shape, [7, 5]);
  const { forward } = await forwardOf(mlp, { input: [7, 20], spec: { MLP: { inputs: [{ kind: 'randn', shape: [3, 20] }] } } });
  assert.deepEqual(forward.input_source, { kind: 'spec' });
  assert.deepEqual(forward.output_shape, [3, 5]);
});

test('a call in the file, through a variable and under __main__, is the input', async () => {
  const { forward } = await forwardOf(`${mlp}
if __name__ == "__main__":
    model = MLP()
    batch = torch.randn(4, 20)
    out = model(batch)
`);
  assert.equal(forward.input_source.kind, 'file');
  assert.equal((forward.input_source as { line: number }).line, 15); // `out = model(batch)`
  assert.deepEqual(forward.output_shape, [4, 5]);
});

test('a leading Conv2d searches the common image sizes for one where the whole forward runs', async () => {
  const { forward } = await forwardOf(`
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 5)
        self.fc = nn.Linear(8 * 28 * 28, 10)
    def forward(self, x):
        return self.fc(torch.flatten(self.conv(x), 1))
`);
  // 28 and 32 fail in fc (mat1 and mat2 shapes cannot be multiplied); 32 - 4 = 28 fits.
  assert.deepEqual(forward.inputs.map((i) => i.shape), [[1, 3, 32, 32]]);
  assert.equal(forward.status, 'ok');
  assert.equal(forward.input_source.kind, 'inferred');
});

test('a leading Embedding gets int64 token ids', async () => {
  const { forward } = await forwardOf(`
class Tok(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(100, 16)
    def forward(self, idx):
        return self.emb(idx)
`);
  assert.equal(forward.inputs[0]!.dtype, 'int64');
  assert.deepEqual(forward.output_shape, [1, 16, 16]);
});

test('a forward with two inputs and no spec says why it was not traced', async () => {
  const { forward } = await forwardOf(`
class Pair(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 4)
    def forward(self, a, b):
        return self.fc(a) + b
`);
  assert.equal(forward.status, 'unsupported');
  assert.deepEqual(forward.input_source, { kind: 'none', reason: 'forward takes 2 inputs; give an input spec to trace it' });
});

test('from .sibling import X and from package.module import Name resolve next to the file', async () => {
  const files: Record<string, string> = {
    '/proj/layers.py': `${header}\nclass Block(nn.Module):\n    def __init__(self, n):\n        super().__init__()\n        self.fc = nn.Linear(n, n)\n    def forward(self, x):\n        return F.relu(self.fc(x))\nWIDTH = 12\n`,
    '/proj/pkg/__init__.py': '',
    '/proj/pkg/heads.py': `${header}\nclass Head(nn.Linear):\n    pass\n`,
  };
  const read = (p: string): string | null => files[p] ?? null;
  const source = `${header}from .layers import Block, WIDTH\nfrom pkg.heads import Head\n\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.block = Block(WIDTH)\n        self.head = Head(WIDTH, 2)\n    def forward(self, x):\n        return self.head(self.block(x))\n`;
  const report = await inspectSource(source, '/proj/model.py', { importerFactory: (f) => siblingImporter(f, read) });
  const net = report.classes.find((c) => c.name === 'Net')!;
  assert.equal(net.instance!.repr, 'Net(\n  (block): Block(\n    (fc): Linear(in_features=12, out_features=12, bias=True)\n  )\n  (head): Head(in_features=12, out_features=2, bias=True)\n)');
  assert.deepEqual(net.instance!.forward!.output_shape, [1, 2]);
  // Only classes defined in the file itself are reported, as the oracle does.
  assert.deepEqual(report.classes.map((c) => c.name), ['Net']);
});

test('an unknown import is one hint and the model still evaluates', async () => {
  const { report, forward } = await forwardOf(`import wandb\nfrom mylib.data import Loader\n${mlp}`);
  assert.deepEqual(report.diagnostics.filter((d) => d.code === 'unsupported-import').map((d) => d.line), [4, 5]);
  assert.equal(forward.status, 'ok');
});

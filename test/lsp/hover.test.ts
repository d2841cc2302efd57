// textDocument/hover over the real server: class names show print(model) exactly (PyTorch's own
// text from the corpus truth), layers their repr, parameters and shapes, variables their shape.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Hover, MarkupContent } from 'vscode-languageserver/node.js';
import type { LspClient } from './lsp-client.ts';
import { fileUri, openDocument, positionOf, readFile, startServer } from './server-process.ts';
import { type TruthClass, builtWithArguments, corpusFiles, firstCodeBlock, singleInput, truthOf } from './truth.ts';

let client: LspClient;
let stop: () => Promise<void>;
before(async () => ({ client, stop } = await startServer()));
after(() => stop());

async function hoverText(uri: string, position: { line: number; character: number }): Promise<string | null> {
  const hover = await client.call<Hover | null>('textDocument/hover', { textDocument: { uri }, position });
  return hover ? (hover.contents as MarkupContent).value : null;
}

describe('hover on examples/tutorial_network.py', () => {
  const file = 'examples/tutorial_network.py';
  const uri = fileUri(file);
  const text = readFile(file);
  before(() => openDocument(client, uri, text));

  test('the class name shows print(model), the parameter table, totals, input and output', async () => {
    const md = (await hoverText(uri, positionOf(text, 'class Network', 'Network')))!;
    assert.equal(firstCodeBlock(md), [
      'Network(',
      '  (conv1): Conv2d(1, 6, kernel_size=(5, 5), stride=(1, 1))',
      '  (conv2): Conv2d(6, 12, kernel_size=(5, 5), stride=(1, 1))',
      '  (fc1): Linear(in_features=192, out_features=120, bias=True)',
      '  (fc2): Linear(in_features=120, out_features=60, bias=True)',
      '  (out): Linear(in_features=60, out_features=10, bias=True)',
      ')',
    ].join('\n'));
    assert.match(md, /\| `conv1\.weight` \| \[6, 1, 5, 5\] \| 150 \|/);
    assert.match(md, /\| `fc1\.weight` \| \[120, 192\] \| 23,040 \|/);
    assert.match(md, /\*\*32,998\*\* parameters \(32,998 trainable\) · 128\.9 KiB as float32/);
    assert.match(md, /\*\*Input:\*\* `\[1, 1, 28, 28\]` float32 \(randn\) — from the call on line 50/);
    assert.match(md, /\*\*Output:\*\* `\[1, 10\]`/);
  });

  test('a layer assignment shows its repr, parameters and the shapes in and out of its call', async () => {
    const md = (await hoverText(uri, positionOf(text, 'self.conv1 = ', 'conv1')))!;
    assert.equal(firstCodeBlock(md), 'Conv2d(1, 6, kernel_size=(5, 5), stride=(1, 1))');
    assert.match(md, /\| `weight` \| \[6, 1, 5, 5\] \| 150 \|\n\| `bias` \| \[6\] \| 6 \|/);
    assert.match(md, /\*\*156\*\* parameters/);
    assert.match(md, /- `\[1, 1, 28, 28\]` → `\[1, 6, 24, 24\]` \(line 23\)/);
  });

  test('a layer use shows the same layer and the call at that line', async () => {
    const md = (await hoverText(uri, positionOf(text, 't = self.fc1(t)', 'fc1')))!;
    assert.equal(firstCodeBlock(md), 'Linear(in_features=192, out_features=120, bias=True)');
    assert.match(md, /\*\*Forward:\*\*\n- `\[1, 192\]` → `\[1, 120\]` \(line 34\)$/);
  });

  test('a variable shows its shape and dtype at that point', async () => {
    const at = async (line: string, occurrence = 0): Promise<string> => (await hoverText(uri, positionOf(text, line, 't', occurrence)))!;
    assert.equal(firstCodeBlock(await at('def forward(self, t)', 0)), 't: [1, 1, 28, 28] float32');
    assert.match(await at('def forward(self, t)', 0), /The forward input/);
    assert.equal(firstCodeBlock(await at('t = self.conv2(t)')), 't: [1, 12, 8, 8] float32');
    // The target of `t = F.relu(t)` and, on the next line, the argument of max_pool2d.
    const relu = await at('t = F.relu(t)');
    assert.equal(firstCodeBlock(relu), 't: [1, 6, 24, 24] float32');
    assert.match(relu, /Assigned on line 24/);
    assert.equal(firstCodeBlock(await at('t = t.reshape(-1, 12 * 4 * 4)')), 't: [1, 192] float32');
    assert.equal(firstCodeBlock(await at('t = t.reshape(-1, 12 * 4 * 4)', 1)), 't: [1, 12, 4, 4] float32');
  });

  test('variables of a class built inside another model, and plain numbers', async () => {
    const file = 'examples/gpt_small.py';
    const gpt = readFile(file);
    await openDocument(client, fileUri(file), gpt);
    assert.equal(firstCodeBlock((await hoverText(fileUri(file), positionOf(gpt, 'B, T, C = x.size()', 'T')))!), 'T: 16');
    assert.equal(firstCodeBlock((await hoverText(fileUri(file), positionOf(gpt, 'x = x + self.attn(self.ln_1(x))', 'x')))!), 'x: [1, 16, 64] float32');
  });

  test('nothing to say between classes', async () => {
    assert.equal(await hoverText(uri, positionOf(text, 'import torch.nn as nn', 'nn')), null);
  });
});

describe('hover on errors and on classes evaluated inside another model', () => {
  test('the forward error Python raises, with the call that supplied the input', async () => {
    const file = 'examples/broken_shapes.py';
    const text = readFile(file);
    await openDocument(client, fileUri(file), text);
    const md = (await hoverText(fileUri(file), positionOf(text, 'x = F.relu(self.fc1(x))', 'fc1')))!;
    assert.match(md, /^\*\*RuntimeError\*\*: mat1 and mat2 shapes cannot be multiplied \(1x2048 and 1568x128\)/);
    assert.match(md, /CifarCNN's forward input \[1, 3, 32, 32\] comes from this call \(line 29\)/);
    assert.equal(firstCodeBlock(md), 'Linear(in_features=1568, out_features=128, bias=True)');
  });

  test('a class that needs constructor arguments is shown as the model that contains it builds it', async () => {
    const file = 'examples/gpt_small.py';
    const text = readFile(file);
    await openDocument(client, fileUri(file), text);
    const md = (await hoverText(fileUri(file), positionOf(text, 'class MLP', 'MLP')))!;
    assert.match(md, /^\*\*MLP\*\* — its constructor needs config, and the file builds no instance/);
    assert.match(md, /Shown as `transformer\.h\.0` inside \*\*GPT\*\*|Shown as `transformer\.h\.0\.mlp` inside \*\*GPT\*\*/);
    assert.equal(firstCodeBlock(md), [
      'MLP(',
      '  (c_fc): Linear(in_features=64, out_features=256, bias=False)',
      "  (gelu): GELU(approximate='none')",
      '  (c_proj): Linear(in_features=256, out_features=64, bias=False)',
      '  (dropout): Dropout(p=0.1, inplace=False)',
      ')',
    ].join('\n'));
    const layer = (await hoverText(fileUri(file), positionOf(text, 'self.c_fc = ', 'c_fc')))!;
    assert.equal(firstCodeBlock(layer), 'Linear(in_features=64, out_features=256, bias=False)');
    assert.match(layer, /as `transformer\.h\.0\.mlp\.c_fc` in \*\*GPT\*\*/);
    assert.match(layer, /→ `\[1, 16, 256\]`/);
  });
});

/** Each `self.X = ...` of a class whose X is a direct submodule: the hover shows PyTorch's repr of X. */
async function assertLayerReprs(uri: string, text: string, cls: TruthClass): Promise<void> {
  const lines = text.split('\n');
  const torch2 = (cls.instance!.submodules_repr_torch2 ?? {}) as Record<string, string>;
  for (const [path, , repr] of cls.instance!.submodules ?? []) {
    if (path.includes('.')) continue;
    const line = lines.findIndex((l, i) => i >= cls.line - 1 && new RegExp(`^\\s*self\\.${path}\\s*=`).test(l));
    if (line < 0) continue;
    const md = await hoverText(uri, { line, character: lines[line]!.indexOf(`self.${path}`) + 5 });
    assert.ok(md, `${cls.name}.${path}: no hover`);
    assert.ok([repr, torch2[path]].includes(firstCodeBlock(md)!), `${cls.name}.${path}: hover repr\n${firstCodeBlock(md)}\nis not PyTorch's\n${repr}`);
  }
}

describe('hover matches PyTorch on every corpus class and layer', () => {
  for (const file of corpusFiles()) {
    const truth = truthOf(file);
    const classes = truth.classes.filter((c) => c.instance?.status === 'ok' && c.instance.repr && !builtWithArguments(file, c.name));
    if (!classes.length) continue;
    test(file, async () => {
      const path = `test/corpus/models/${file}`;
      const uri = fileUri(path);
      const text = readFile(path);
      await openDocument(client, uri, text);
      for (const cls of classes) {
        const input = singleInput(file, cls.name);
        if (input) await client.call('nnLens/setInput', { textDocument: { uri }, className: cls.name, input });
        const line = text.split('\n')[cls.line - 1]!;
        const md = await hoverText(uri, { line: cls.line - 1, character: line.indexOf(cls.name) });
        assert.ok(md, `${cls.name}: no hover`);
        const accepted = [cls.instance!.repr, cls.instance!.repr_torch2].filter(Boolean);
        assert.ok(accepted.includes(firstCodeBlock(md)!), `${cls.name}: hover repr\n${firstCodeBlock(md)}\nis not PyTorch's\n${cls.instance!.repr}`);
        assert.ok(md.includes(`**${cls.instance!.num_params!.toLocaleString('en-US')}** parameters`), `${cls.name}: parameter total`);
        await assertLayerReprs(uri, text, cls);
      }
    });
  }
});

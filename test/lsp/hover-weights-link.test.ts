// The layer hover's links into the weights panel: `command:nnLens.showWeights?[uri, className,
// tensor]` for each parameter and, when forward called the layer, its output — and the tensors
// they name exist (getTensor answers them).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Hover, MarkupContent } from 'vscode-languageserver/node.js';
import type { GetTensorResult, TensorRef } from '../../language-server/protocol/requests.ts';
import type { LspClient } from './lsp-client.ts';
import { fileUri, openDocument, positionOf, readFile, startServer } from './server-process.ts';

let client: LspClient;
let stop: () => Promise<void>;
const file = 'examples/tutorial_network.py';
const uri = fileUri(file);
const text = readFile(file);
before(async () => {
  ({ client, stop } = await startServer());
  await openDocument(client, uri, text);
});
after(() => stop());

function links(md: string): { label: string; args: [string, string, TensorRef] }[] {
  return [...md.matchAll(/\[([^\]]+)\]\(command:nnLens\.showWeights\?([^ )]+)(?: "[^"]*")?\)/g)]
    .map((m) => ({ label: m[1]!, args: JSON.parse(decodeURIComponent(m[2]!)) as [string, string, TensorRef] }));
}

describe('hover links to the weights panel', () => {
  test('a layer assignment links its weight, bias and output, each of which getTensor answers', async () => {
    const hover = await client.call<Hover>('textDocument/hover', { textDocument: { uri }, position: positionOf(text, 'self.conv1 = nn.Conv2d', 'conv1') });
    const found = links((hover.contents as MarkupContent).value);
    assert.deepEqual(found.map((l) => [l.label, l.args[2]]), [
      ['weight', { kind: 'parameter', name: 'conv1.weight' }],
      ['bias', { kind: 'parameter', name: 'conv1.bias' }],
      ['output', { kind: 'activation', name: 'conv1' }],
    ]);
    for (const { args: [linkUri, className, tensor] } of found) {
      assert.equal(linkUri, uri);
      assert.equal(className, 'Network');
      const r = await client.call<GetTensorResult>('nnLens/getTensor', { textDocument: { uri: linkUri }, className, tensor });
      assert.ok(r.shape.length > 0);
    }
  });
});

// Proves the import-direction rules of eslint.config.js bite: each forbidden import in a snippet,
// linted as if it lived at the given path, is reported; each allowed one is not.
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ESLint } from 'eslint';

const root = path.resolve(import.meta.dirname, '../..');
const eslint = new ESLint({ cwd: root, overrideConfigFile: path.join(root, 'eslint.config.js') });
const boundaryRules = new Set(['@typescript-eslint/no-restricted-imports', 'nnlens/no-restricted-dynamic-imports']);

async function boundaryErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, filePath) });
  const fatal = result.messages.filter((m) => m.fatal);
  assert.deepEqual(fatal, [], `snippet for ${filePath} does not parse`);
  return result.messages.filter((m) => m.ruleId !== null && boundaryRules.has(m.ruleId) && m.severity === 2)
    .map((m) => m.message);
}

const use = (source: string) => `import * as m from '${source}';\nexport const used = m;\n`;

// [file the snippet pretends to be, import source]
const forbidden: [string, string][] = [
  ['runtime/tensor.ts', '../language-server/eval/interpreter.ts'],
  ['runtime/nn/linear.ts', '../../language-server/protocol/messages.ts'],
  ['runtime/nn/linear.ts', '../../extension/main.ts'],
  ['runtime/nn/linear.ts', '../../webviews/heatmap/main.ts'],
  ['runtime/tensor.ts', 'vscode'],
  ['runtime/tensor.ts', 'vscode-languageserver/node'],
  ['runtime/tensor.ts', 'vscode-languageclient/node'],
  ['runtime/tensor.ts', 'web-tree-sitter'],
  ['language-server/analysis/inspect.ts', 'vscode'],
  ['language-server/analysis/inspect.ts', 'vscode-languageserver/node'],
  ['language-server/eval/interpreter.ts', 'vscode-languageserver-protocol'],
  ['language-server/syntax/parse.ts', 'vscode-languageclient/node'],
  ['language-server/analysis/inspect.ts', '../handlers/hover.ts'],
  ['language-server/eval/interpreter.ts', '../server.ts'],
  ['language-server/syntax/parse.ts', '../cli.ts'],
  ['language-server/analysis/inspect.ts', 'web-tree-sitter'],
  ['language-server/eval/interpreter.ts', 'web-tree-sitter'],
  ['language-server/handlers/hover.ts', 'web-tree-sitter'],
  ['language-server/server.ts', 'web-tree-sitter'],
  ['language-server/protocol/messages.ts', 'tree-sitter-python'],
  ['runtime/devices/cpu.ts', 'node:child_process'],
  ['runtime/io.ts', 'https'],
  ['language-server/analysis/inspect.ts', 'node:net'],
  ['language-server/eval/interpreter.ts', 'node:vm'],
  ['language-server/eval/imports.ts', 'node:fs'],
  ['language-server/eval/imports.ts', 'fs/promises'],
  ['language-server/syntax/parse.ts', 'node:fs'],
  ['webviews/heatmap/main.ts', '../../language-server/analysis/inspect.ts'],
  ['webviews/heatmap/main.ts', '../../runtime/tensor.ts'],
  ['webviews/heatmap/main.ts', '../../extension/panel.ts'],
  ['webviews/heatmap/main.ts', 'vscode'],
  ['webviews/main.ts', 'some-chart-library'],
  ['extension/main.ts', '../runtime/tensor.ts'],
  ['extension/commands/run.ts', '../../runtime/nn/linear.ts'],
  ['extension/main.ts', '../language-server/analysis/inspect.ts'],
  ['extension/main.ts', '../language-server/eval/interpreter.ts'],
  ['extension/main.ts', '../language-server/syntax/parse.ts'],
];

const allowed: [string, string][] = [
  ['runtime/nn/linear.ts', '../tensor.ts'],
  ['runtime/tensor.ts', 'node:crypto'],
  ['language-server/eval/interpreter.ts', '../../runtime/tensor.ts'],
  ['language-server/eval/interpreter.ts', '../syntax/ast.ts'],
  ['language-server/analysis/inspect.ts', '../eval/interpreter.ts'],
  ['language-server/syntax/parse.ts', 'web-tree-sitter'],
  ['language-server/server.ts', 'vscode-languageserver/node'],
  ['language-server/cli.ts', 'node:fs'],
  ['language-server/analysis/workspace.ts', 'node:fs'],
  ['language-server/handlers/hover.ts', '../analysis/inspect.ts'],
  ['webviews/heatmap/main.ts', '../../language-server/protocol/messages.ts'],
  ['webviews/heatmap/main.ts', '../shared/colors.ts'],
  ['webviews/heatmap/main.ts', './draw.ts'],
  ['extension/main.ts', 'vscode'],
  ['extension/main.ts', 'vscode-languageclient/node'],
  ['extension/main.ts', '../language-server/protocol/messages.ts'],
];

describe('import-direction rules', () => {
  for (const [file, source] of forbidden) {
    it(`${file} may not import '${source}'`, async () => {
      const errors = await boundaryErrors(file, use(source));
      assert.equal(errors.length, 1, `expected one boundary error, got ${JSON.stringify(errors)}`);
      assert.match(errors[0], /ARCHITECTURE\.md/);
    });
  }
  for (const [file, source] of allowed) {
    it(`${file} may import '${source}'`, async () => {
      assert.deepEqual(await boundaryErrors(file, use(source)), []);
    });
  }

  it('type-only imports are restricted too', async () => {
    const errors = await boundaryErrors('language-server/analysis/inspect.ts',
      "import type { Node } from 'web-tree-sitter';\nexport type N = Node;\n");
    assert.equal(errors.length, 1, JSON.stringify(errors));
  });

  it('re-exports are restricted too', async () => {
    const errors = await boundaryErrors('runtime/index.ts', "export { hover } from '../language-server/handlers/hover.ts';\n");
    assert.equal(errors.length, 1, JSON.stringify(errors));
  });

  it('dynamic import() and require() are restricted too', async () => {
    const errors = await boundaryErrors('runtime/devices/webgpu.ts',
      "export const a = await import('vscode');\nexport const b = require('web-tree-sitter');\n");
    assert.deepEqual(errors.map((e) => e.split("'")[1]), ['vscode', 'web-tree-sitter']);
  });

  it('eval() and new Function() are errors everywhere', async () => {
    const [result] = await eslint.lintText("export const f = new Function('return 1');\nexport const g = eval('1');\n",
      { filePath: path.join(root, 'language-server/eval/interpreter.ts') });
    assert.deepEqual(result.messages.map((m) => m.ruleId).sort(), ['no-eval', 'no-new-func']);
  });

  it('the error names the rule being broken', async () => {
    const [error] = await boundaryErrors('extension/main.ts', use('../runtime/tensor.ts'));
    assert.match(error, /thin client/);
  });
});

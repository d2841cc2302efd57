// Bundles the CLI (and later the language server and extension) with esbuild and copies the
// WASM files that web-tree-sitter loads at run time next to the bundle.
import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const require = createRequire(path.join(root, 'package.json'));
const dist = path.join(root, 'dist');
fs.mkdirSync(dist, { recursive: true });

await build({
  entryPoints: { cli: path.join(root, 'language-server/cli.ts') },
  outdir: dist,
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
  // web-tree-sitter's emscripten glue references these node built-ins through `require`.
  banner: { js: "import { createRequire as __nnlensCreateRequire } from 'node:module'; const require = __nnlensCreateRequire(import.meta.url);" },
});

for (const wasm of ['web-tree-sitter/tree-sitter.wasm', 'tree-sitter-python/tree-sitter-python.wasm']) {
  fs.copyFileSync(require.resolve(wasm), path.join(dist, path.basename(wasm)));
}

// Bundles the CLI (dist/cli.mjs), the language server (dist/server.mjs, with its value-run worker
// dist/forward-worker.mjs), the VS Code extension (dist/extension.cjs) and the webviews (dist/webviews/) with esbuild, and copies the WASM files that web-tree-sitter loads at run
// time next to the bundles. `node scripts/build.mjs` builds everything into dist/; tests import
// `buildServer(outdir)` to bundle a fresh server into a folder of their own.
import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(root, 'package.json'));

const nodeEsm = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
  outExtension: { '.js': '.mjs' },
  // web-tree-sitter's emscripten glue and the CommonJS LSP libraries call `require` for node built-ins.
  banner: { js: "import { createRequire as __nnlensCreateRequire } from 'node:module'; const require = __nnlensCreateRequire(import.meta.url);" },
};

function copyWasm(outdir) {
  for (const wasm of ['web-tree-sitter/tree-sitter.wasm', 'tree-sitter-python/tree-sitter-python.wasm']) {
    fs.copyFileSync(require.resolve(wasm), path.join(outdir, path.basename(wasm)));
  }
}

/**
 * Dawn's native module for this platform, where the bundled `webgpu` wrapper looks for it:
 * `<bundle dir>/dist/<platform>-<arch>/dawn.node`. With it the bundles (and the .vsix built from
 * them) run the WebGPU device without node_modules.
 */
function copyDawn(outdir) {
  const arch = process.platform === 'darwin' ? 'universal' : process.arch;
  const from = path.join(path.dirname(require.resolve('webgpu/package.json')), 'dist', `${process.platform}-${arch}`);
  if (!fs.existsSync(from)) return; // a platform Dawn does not ship: the device reports no adapter
  fs.cpSync(from, path.join(outdir, 'dist', `${process.platform}-${arch}`), { recursive: true });
}

export async function buildCli(outdir) {
  fs.mkdirSync(outdir, { recursive: true });
  await build({ ...nodeEsm, entryPoints: { cli: path.join(root, 'language-server/cli.ts') }, outdir });
  copyWasm(outdir);
  copyDawn(outdir);
}

/** The server and, next to it, the worker its value runs (nnLens/runForward) use. */
export async function buildServer(outdir) {
  fs.mkdirSync(outdir, { recursive: true });
  const entryPoints = {
    server: path.join(root, 'language-server/lsp/server-main.ts'),
    'forward-worker': path.join(root, 'language-server/lsp/forward-worker.ts'),
  };
  await build({ ...nodeEsm, entryPoints, outdir });
  copyWasm(outdir);
  copyDawn(outdir);
}

/** The extension host loads CommonJS; `vscode` is provided by it at run time. */
export async function buildExtension(outdir) {
  fs.mkdirSync(outdir, { recursive: true });
  await build({
    entryPoints: { extension: path.join(root, 'extension/main.ts') },
    outdir,
    outExtension: { '.js': '.cjs' },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: true,
    logLevel: 'warning',
    external: ['vscode'],
  });
}

/** The webview pages (dist/webviews/weights.js + weights.css, forward.js + forward.css): browser scripts that import only webviews/ and the protocol. */
export async function buildWebviews(outdir) {
  fs.mkdirSync(outdir, { recursive: true });
  await build({
    entryPoints: { weights: path.join(root, 'webviews/weights/main.ts'), forward: path.join(root, 'webviews/forward/main.ts') },
    outdir,
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    sourcemap: true,
    logLevel: 'warning',
  });
  fs.copyFileSync(path.join(root, 'webviews/weights/weights.css'), path.join(outdir, 'weights.css'));
  fs.copyFileSync(path.join(root, 'webviews/forward/forward.css'), path.join(outdir, 'forward.css'));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dist = path.join(root, 'dist');
  await Promise.all([buildCli(dist), buildServer(dist), buildExtension(dist), buildWebviews(path.join(dist, 'webviews'))]);
}

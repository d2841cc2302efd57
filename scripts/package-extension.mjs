// `npm run package`: the .vsix of the extension, built with @vscode/vsce from a staging folder that
// holds only what it runs: the manifest, the bundles and webview pages (scripts/build.mjs), the
// tree-sitter WASM files and Dawn's native module for this platform (dist/dist/<platform>-<arch>/).
// Nothing is downloaded at install or run time. The end-to-end tests install the same package.
//
//   node scripts/package-extension.mjs [OUT_DIR]      (default: the repository root)
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildExtension, buildServer, buildWebviews } from './build.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Builds the .vsix into `outDir` (staging in `workDir`) and returns its path. */
export async function packageExtension(outDir, workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nnlens-package-'))) {
  const stage = path.join(workDir, 'extension');
  fs.mkdirSync(stage, { recursive: true });
  await buildServer(path.join(stage, 'dist'));
  await buildExtension(path.join(stage, 'dist'));
  await buildWebviews(path.join(stage, 'dist', 'webviews'));

  const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  for (const field of ['scripts', 'dependencies', 'devDependencies', 'bin', 'private']) delete manifest[field];
  fs.writeFileSync(path.join(stage, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  fs.copyFileSync(path.join(root, 'README.md'), path.join(stage, 'README.md'));

  fs.mkdirSync(outDir, { recursive: true });
  const vsix = path.join(outDir, `${manifest.name}-${manifest.version}.vsix`);
  const vsce = path.join(root, 'node_modules/@vscode/vsce/vsce');
  execFileSync(process.execPath, [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '--out', vsix], {
    cwd: stage, stdio: ['ignore', 'pipe', 'pipe'],
  });
  return vsix;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const vsix = await packageExtension(path.resolve(process.argv[2] ?? root));
  console.log(`${vsix} (${(fs.statSync(vsix).size / 2 ** 20).toFixed(1)} MiB)`);
}

// Packages the extension as a .vsix with @vscode/vsce, from a staging folder that holds only what
// the extension runs: the manifest, the bundles and webview pages (built fresh by scripts/build.mjs)
// and the tree-sitter WASM files. Nothing of node_modules: the bundles are self-contained.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export async function packageExtension(root: string, workDir: string): Promise<string> {
  const stage = path.join(workDir, 'extension');
  fs.mkdirSync(stage, { recursive: true });
  const { buildServer, buildExtension, buildWebviews } = await import(pathToFileURL(path.join(root, 'scripts/build.mjs')).href);
  await buildServer(path.join(stage, 'dist'));
  await buildExtension(path.join(stage, 'dist'));
  await buildWebviews(path.join(stage, 'dist', 'webviews'));

  const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  for (const field of ['scripts', 'dependencies', 'devDependencies', 'bin', 'private']) delete manifest[field];
  fs.writeFileSync(path.join(stage, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  fs.copyFileSync(path.join(root, 'README.md'), path.join(stage, 'README.md'));

  const vsix = path.join(workDir, `${manifest.name}-${manifest.version}.vsix`);
  const vsce = path.join(root, 'node_modules/@vscode/vsce/vsce');
  execFileSync(process.execPath, [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '--out', vsix], {
    cwd: stage, stdio: ['ignore', 'pipe', 'pipe'],
  });
  return vsix;
}

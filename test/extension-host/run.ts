// Runs the in-extension-host suite (./suite/) with @vscode/test-electron's runTests(), the way VS Code
// extensions run their integration tests, against the real extension from this checkout (dist/,
// `npm run build` first). VS Code desktop cannot be downloaded here, so `vscodeExecutablePath` is
// given: by default ./code-server-shim.mjs, which runs the same suite in code-server
// (../../../shared/E2E.md). Elsewhere the same suite runs in VS Code desktop:
// NNLENS_VSCODE=/path/to/code uses that executable, NNLENS_VSCODE=download lets runTests() download
// VS Code 1.100.3 (the version code-server 4.100.3 bundles; needs the network and a display).
//
//   node --import tsx test/extension-host/run.ts      exit code: the suite's (0 when every test passed)
//   NNLENS_EH_GREP=PATTERN                            only the tests whose title matches
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { runTests } from '@vscode/test-electron';

const here = path.dirname(fileURLToPath(import.meta.url));
export const root = path.resolve(here, '../..');
export const shim = path.join(here, 'code-server-shim.mjs');

/** The suite as one CommonJS file the extension host can load: mocha and the truth JSON bundled in, `vscode` external. */
async function bundleSuite(outdir: string): Promise<string> {
  const outfile = path.join(outdir, 'index.cjs');
  await build({
    entryPoints: [path.join(here, 'suite/index.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    sourcemap: 'inline',
    logLevel: 'error',
  });
  return outfile;
}

/** A source file changed after dist/ was built, if any: the suite would test the previous build. */
function newerThanBuild(): string | null {
  const built = Math.min(...['dist/extension.cjs', 'dist/server.mjs'].map((f) => fs.statSync(path.join(root, f)).mtimeMs));
  for (const dir of ['extension', 'language-server', 'runtime', 'webviews']) {
    for (const entry of fs.readdirSync(path.join(root, dir), { recursive: true, withFileTypes: true })) {
      const file = path.join(entry.parentPath, entry.name);
      if (entry.isFile() && fs.statSync(file).mtimeMs > built) return path.relative(root, file);
    }
  }
  return null;
}

/** Runs the suite; resolves with its exit code. Output (mocha's report, the shim's notes) goes to stdout. */
export async function runExtensionHostSuite(): Promise<number> {
  const missing = ['dist/extension.cjs', 'dist/server.mjs'].filter((f) => !fs.existsSync(path.join(root, f)));
  if (missing.length) {
    console.log(`extension-host: ${missing.join(' and ')} missing: run \`npm run build\` first`);
    return 2;
  }
  const stale = newerThanBuild();
  if (stale) console.log(`extension-host: note: ${stale} changed after the last \`npm run build\`: the suite tests the build in dist/`);
  const chosen = process.env.NNLENS_VSCODE ?? shim;
  const vscode = chosen === 'download' ? { version: '1.100.3' } : { vscodeExecutablePath: chosen };
  // A checkout without file modes (core.fileMode=false, an unzipped archive) loses the executable bit.
  if (chosen === shim) fs.chmodSync(shim, 0o755);

  fs.mkdirSync(path.join(root, '.test-build'), { recursive: true });
  const buildDir = fs.mkdtempSync(path.join(root, '.test-build', 'extension-host-'));
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nnlens-extension-host-'));
  try {
    const testsPath = await bundleSuite(buildDir);
    // The suite works on copies: it edits files and writes settings.
    const workspace = path.join(runDir, 'workspace');
    fs.cpSync(path.join(root, 'examples'), workspace, { recursive: true });
    await runTests({
      ...vscode,
      extensionDevelopmentPath: root,
      extensionTestsPath: testsPath,
      launchArgs: [workspace, '--disable-extensions', `--user-data-dir=${path.join(runDir, 'user-data')}`, `--extensions-dir=${path.join(runDir, 'extensions')}`],
    });
    return 0;
  } catch (e) {
    // runTests rejects with TestRunFailedError (it has printed "Exit code: N"); anything else is ours.
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'number' && code !== 0) return code;
    console.log(`extension-host: ${(e as Error).stack ?? e}`);
    return 1;
  } finally {
    fs.rmSync(buildDir, { recursive: true, force: true });
    fs.rmSync(runDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await runExtensionHostSuite();
}

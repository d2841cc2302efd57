// The in-extension-host suite (./suite/, mocha inside VS Code's extension host, launched by
// @vscode/test-electron's runTests() through ./run.ts) as part of the normal test run. Like
// test/e2e/vscode.test.ts it runs when code-server is installed or NNLENS_E2E=1 (then a missing
// install is a failure); otherwise it is skipped and says why.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { codeServerBin } from '../e2e/code-server.ts';

const here = import.meta.dirname;
const root = path.resolve(here, '../..');
const chromiumPath = process.env.NNLENS_CHROMIUM ?? '/usr/bin/chromium';
const wanted = process.env.NNLENS_E2E === '1';
const installed = fs.existsSync(codeServerBin) && fs.existsSync(chromiumPath);
const skip = installed || wanted ? false
  : `code-server is not installed (${codeServerBin}) or ${chromiumPath} is missing: run scripts/e2e-setup.sh, or set NNLENS_E2E=1 to make this a failure`;

/** How many tests the suite declares (`it(` at the start of a line): every one must pass, none may be skipped. */
function declaredTests(): number {
  const dir = path.join(here, 'suite');
  return fs.readdirSync(dir).filter((f) => f.endsWith('.suite.ts'))
    .reduce((n, f) => n + (fs.readFileSync(path.join(dir, f), 'utf8').match(/^\s*it\(/gm)?.length ?? 0), 0);
}

function runLauncher(): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    // The whole suite: without a grep of a developer's shell (NNLENS_EH_GREP, see suite/index.ts).
    const env = { ...process.env };
    delete env.NNLENS_EH_GREP;
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'run.ts')], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => { output += c.toString(); });
    child.stderr.on('data', (c: Buffer) => { output += c.toString(); });
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, output }));
  });
}

test('the extension-host suite (mocha in VS Code\'s extension host, code-server 4.100.3)', { skip, timeout: 420_000 }, async (t) => {
  assert.ok(installed, `NNLENS_E2E=1 but code-server or chromium is missing: run scripts/e2e-setup.sh (${codeServerBin})`);
  const { code, output } = await runLauncher();
  assert.equal(code, 0, `the extension-host suite failed (exit code ${code}):\n${output}`);
  const passing = Number(/^\s*(\d+) passing/m.exec(output)?.[1] ?? 0);
  const expected = declaredTests();
  assert.ok(expected > 0, 'the suite declares tests');
  assert.equal(passing, expected, `mocha reports ${passing} passing of the ${expected} tests the suite declares:\n${output}`);
  assert.doesNotMatch(output, /^\s*\d+ (failing|pending)/m, output);
  t.diagnostic(`${passing} extension-host tests passed`);
  const stale = /^extension-host: note: .*$/m.exec(output);
  if (stale) t.diagnostic(stale[0]);
});

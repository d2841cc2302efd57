// The real extension in a real VS Code (code-server, see scripts/e2e-setup.sh and ../../../shared/E2E.md),
// driven by Playwright with Debian's chromium: a hover on a layer, a CodeLens, and a diagnostic.
// Runs when code-server is installed or NNLENS_E2E=1 (then a missing install is a failure);
// otherwise it is skipped and says why.
import { after, afterEach, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import type { Page } from 'playwright-core';
import { artifactPath, hoverWord as hoverWordOn, launchWorkbench, openFile as openFileOn, skipReason, type Workbench } from './workbench.ts';

const title = 'the extension in VS Code (code-server 4.100.3)';
// A skipped test (not a skipped suite) so that the run's summary counts it: ℹ skipped 1.
if (skipReason) test(title, { skip: skipReason }, () => {});
else describe(title, { timeout: 300_000 }, () => {
  let wb: Workbench;
  let runDir: string;
  let page: Page;

  before(async () => {
    wb = await launchWorkbench({ 'examples/tutorial_network.py': 'tutorial_network.py', 'examples/broken_shapes.py': 'broken_shapes.py' });
    ({ runDir, page } = wb);
  });

  // A screenshot of the workbench after every test, kept as an artefact (.test-artifacts/e2e/, git-ignored).
  afterEach(async (t) => {
    if (page) await page.screenshot({ path: artifactPath(t.name) });
  });

  after(async () => { await wb?.close(); });

  const openFile = (name: string): Promise<void> => openFileOn(page, name);
  const hoverWord = (lineText: string, word: string): Promise<string> => hoverWordOn(page, lineText, word);

  test('a CodeLens above the class and above each layer', async () => {
    await openFile('tutorial_network.py');
    // A lens without a command is a plain span, one with a command a link: read the decorations' text.
    const lens = page.locator('.monaco-editor .codelens-decoration', { hasText: '32,998 params' });
    await lens.waitFor({ timeout: 90_000 });
    // The action links can render a moment after the count: wait for them, then count.
    await lens.locator('a', { hasText: '▶ Run forward' }).first().waitFor({ timeout: 30_000 });
    assert.equal(await lens.locator('a', { hasText: '▶ Run forward' }).count(), 1);
    const titles = await page.locator('.monaco-editor .codelens-decoration').allInnerTexts();
    assert.ok(titles.some((t) => t.includes('input [1, 1, 28, 28] → output [1, 10]')), titles.join('\n'));
    assert.ok(titles.some((t) => t.includes('weight [6, 1, 5, 5] · bias [6] · 156 params · → [1, 6, 24, 24]')), titles.join('\n'));
  });

  test('hover on a layer shows its repr and shapes', async () => {
    const text = await hoverWord('self.conv1 = ', 'conv1');
    assert.match(text, /Conv2d\(1, 6, kernel_size=\(5, 5\), stride=\(1, 1\)\)/);
    assert.match(text, /\[1, 6, 24, 24\]/);
  });

  test('▶ Run forward shows the results panel; ▦ Weights opens the heatmap panel', async () => {
    await page.locator('.monaco-editor .codelens-decoration a', { hasText: '▶ Run forward' }).click();
    const results = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
    await results.locator('#printed', { hasText: 'tensor([[' }).waitFor({ timeout: 60_000 });
    // The default device is webgpu: on this machine a software adapter (llvmpipe or SwiftShader).
    // The .vsix ships Dawn's native module next to the bundles, so the run uses the WebGPU device.
    assert.match(await results.locator('#device').innerText(), /webgpu/i);
    assert.match(await results.locator('#calls').innerText(), /conv1\s+Conv2d\s+\[1, 6, 24, 24\]/);
    await page.locator('.monaco-editor .codelens-decoration a', { hasText: '▦ Weights' }).click();
    // Both panels now have a webview; the weights panel's, opened last, is the last one.
    const panel = page.locator('iframe.webview.ready').last().contentFrame().frameLocator('iframe#active-frame');
    const tree = panel.locator('#tree');
    try {
      await tree.locator('li', { hasText: '[6, 1, 5, 5] · 150' }).first().waitFor({ timeout: 60_000 });
    } catch (e) {
      // Say what the panel shows instead (an error from the host, an empty page).
      const shown = await panel.locator('body').innerText({ timeout: 5_000 }).catch(() => '<no panel body>');
      throw new Error(`${(e as Error).message}\npanel shows: ${shown}`);
    }
    // conv1 ▸ weight [6, 1, 5, 5] · 150, as named_parameters() lists it.
    assert.match(await tree.innerText(), /conv1\s+156\s+weight\s+\[6, 1, 5, 5\] · 150\s+bias\s+\[6\] · 6/);
  });

  test('a diagnostic on examples/broken_shapes.py with PyTorch\'s message', async () => {
    await openFile('broken_shapes.py');
    await page.locator('.monaco-editor .squiggly-error').first().waitFor({ timeout: 60_000 });
    const text = await hoverWord('x = F.relu(self.fc1(x))', 'fc1');
    assert.match(text, /RuntimeError: mat1 and mat2 shapes cannot be multiplied \(1x2048 and 1568x128\)/);
  });

  test('a crashed server is restarted, and the user is told', async () => {
    const pid = serverPid(runDir);
    assert.ok(pid, 'the language server process of this run');
    process.kill(pid, 'SIGKILL');
    const toast = page.locator('.notifications-toasts', { hasText: 'the language server stopped unexpectedly and is being restarted (1 of 5)' });
    await toast.waitFor({ timeout: 60_000 });
    // Only a running server can answer this hover.
    const text = await hoverWord('self.fc1 = ', 'fc1');
    assert.match(text, /Linear\(in_features=1568, out_features=128, bias=True\)/);
    const restarted = serverPid(runDir);
    assert.ok(restarted !== null && restarted !== pid, `a new server process (was ${pid}, now ${restarted})`);
  });
});

/** The pid of the language server the extension of this run started (its command line names the run folder). */
function serverPid(runDir: string): number | null {
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let cmdline = '';
    try { cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8'); } catch { continue; }
    if (cmdline.includes(runDir) && cmdline.includes('dist/server.mjs')) return Number(entry);
  }
  return null;
}

// The real extension in a real VS Code (code-server, see scripts/e2e-setup.sh and ../../../shared/E2E.md),
// driven by Playwright with Debian's chromium: a hover on a layer, a CodeLens, and a diagnostic.
// Runs when code-server is installed or NNLENS_E2E=1 (then a missing install is a failure);
// otherwise it is skipped and says why.
import { after, afterEach, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { codeServerBin, startCodeServer, type CodeServer } from './code-server.ts';
import { packageExtension } from './package-extension.ts';

const root = path.resolve(import.meta.dirname, '../..');
const chromiumPath = '/usr/bin/chromium';
const wanted = process.env.NNLENS_E2E === '1';
const installed = fs.existsSync(codeServerBin) && fs.existsSync(chromiumPath);
const skip = installed ? false
  : wanted ? false
    : `code-server is not installed (${codeServerBin}) or ${chromiumPath} is missing: run scripts/e2e-setup.sh, or set NNLENS_E2E=1 to make this a failure`;

const title = 'the extension in VS Code (code-server 4.100.3)';
// A skipped test (not a skipped suite) so that the run's summary counts it: ℹ skipped 1.
if (skip) test(title, { skip }, () => {});
else describe(title, { timeout: 300_000 }, () => {
  let runDir: string;
  let server: CodeServer;
  let browser: Browser;
  let page: Page;

  before(async () => {
    assert.ok(installed, `NNLENS_E2E=1 but code-server or chromium is missing: run scripts/e2e-setup.sh (${codeServerBin})`);
    runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nnlens-e2e-'));
    const workspace = path.join(runDir, 'workspace');
    fs.mkdirSync(workspace);
    for (const f of ['tutorial_network.py', 'broken_shapes.py']) fs.copyFileSync(path.join(root, 'examples', f), path.join(workspace, f));
    const vsix = await packageExtension(root, runDir);
    server = await startCodeServer(runDir, vsix, workspace, {
      'workbench.startupEditor': 'none',
      'workbench.tips.enabled': false,
      'extensions.ignoreRecommendations': true,
      'telemetry.telemetryLevel': 'off',
      'editor.hover.delay': 150,
      'security.workspace.trust.enabled': false,
    });
    browser = await chromium.launch({
      executablePath: chromiumPath,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
    });
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}`);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  });

  // A screenshot of the workbench after every test, kept as an artefact (.test-artifacts/e2e/, git-ignored).
  const artifacts = path.join(root, '.test-artifacts', 'e2e');
  afterEach(async (t) => {
    if (!page) return;
    fs.mkdirSync(artifacts, { recursive: true });
    const name = t.name.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 80);
    await page.screenshot({ path: path.join(artifacts, `${name}.png`) });
  });

  after(async () => {
    if (page) await page.screenshot({ path: path.join(runDir, 'last.png') }).catch(() => {});
    await browser?.close();
    await server?.stop();
    if (runDir && !process.env.NNLENS_E2E_KEEP) fs.rmSync(runDir, { recursive: true, force: true });
    else if (runDir) console.log(`e2e run folder kept: ${runDir}`);
  });

  async function openFile(name: string): Promise<void> {
    await page.locator('.monaco-workbench').click({ position: { x: 700, y: 450 } }).catch(() => {});
    await page.keyboard.press('Control+P');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor();
    await input.fill(name);
    await page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().waitFor();
    await page.keyboard.press('Enter');
    await page.locator(`.tab[aria-label*="${name}"]`).first().waitFor();
  }

  /** Where `word` is on screen, on the first editor line containing `lineText`. */
  async function wordPosition(lineText: string, word: string): Promise<{ x: number; y: number }> {
    // Tokens split words differently per grammar: find the token holding the word, then aim inside it.
    const line = page.locator('.monaco-editor .view-line', { hasText: lineText }).first();
    await line.waitFor();
    const tokens = line.locator('span > span');
    const texts = await tokens.allInnerTexts();
    const index = texts.findIndex((t) => t.includes(word));
    assert.ok(index >= 0, `no token with ${word} in ${JSON.stringify(texts)}`);
    const box = (await tokens.nth(index).boundingBox())!;
    const text = texts[index]!;
    return { x: box.x + (box.width / text.length) * (text.indexOf(word) + word.length / 2), y: box.y + box.height / 2 };
  }

  /**
   * Hovers `word` on the first editor line containing `lineText` and returns the hover's text. It aims
   * again when the word moved while the hover opened (CodeLenses arriving late shift the lines) or
   * when no hover came (a request sent while the language client was restarting is lost).
   */
  async function hoverWord(lineText: string, word: string): Promise<string> {
    const attempts = 4;
    for (let attempt = 1; ; attempt++) {
      await page.mouse.move(1, 1);
      await page.locator('.monaco-hover:not(.hidden)').waitFor({ state: 'detached', timeout: 5_000 }).catch(() => {});
      const at = await wordPosition(lineText, word);
      await page.mouse.move(at.x, at.y);
      const hover = page.locator('.monaco-hover:not(.hidden)');
      try {
        await hover.waitFor({ timeout: 10_000 });
      } catch (e) {
        if (attempt === attempts) throw e;
        continue;
      }
      const text = await hover.innerText();
      const now = await wordPosition(lineText, word);
      if ((Math.abs(now.x - at.x) < 1 && Math.abs(now.y - at.y) < 1) || attempt === attempts) return text;
    }
  }

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

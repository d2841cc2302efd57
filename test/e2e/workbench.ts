// What the end-to-end tests do in the workbench as a user does it: launch code-server with the
// packaged extension and a workspace, open a file (Quick Open), hover a word, run a command from the
// palette, and keep a screenshot per test as an artefact. Shared by vscode.test.ts and
// weights-panel.test.ts. The selectors are the ones measured on code-server 4.100.3
// (../../../shared/E2E.md).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { codeServerBin, startCodeServer, type CodeServer } from './code-server.ts';
import { packageExtension } from './package-extension.ts';

export const root = path.resolve(import.meta.dirname, '../..');
const chromiumPath = '/usr/bin/chromium';
const wanted = process.env.NNLENS_E2E === '1';
export const installed = fs.existsSync(codeServerBin) && fs.existsSync(chromiumPath);
/** Why the suites are skipped here, or false when they run (a missing install with NNLENS_E2E=1 is a failure). */
export const skipReason: string | false = installed ? false
  : wanted ? false
    : `code-server is not installed (${codeServerBin}) or ${chromiumPath} is missing: run scripts/e2e-setup.sh, or set NNLENS_E2E=1 to make this a failure`;

/** User settings of every run: no start page, tips or telemetry, a short hover delay. */
export const baseSettings: Record<string, unknown> = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'extensions.ignoreRecommendations': true,
  'telemetry.telemetryLevel': 'off',
  'editor.hover.delay': 150,
  'security.workspace.trust.enabled': false,
};

export interface Workbench {
  runDir: string;
  workspace: string;
  server: CodeServer;
  browser: Browser;
  page: Page;
  close(): Promise<void>;
}

/** A workspace with `files` (path → name in the workspace), the extension installed from a fresh .vsix, the workbench loaded. */
export async function launchWorkbench(files: Record<string, string>, settings: Record<string, unknown> = {}): Promise<Workbench> {
  assert.ok(installed, `NNLENS_E2E=1 but code-server or chromium is missing: run scripts/e2e-setup.sh (${codeServerBin})`);
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nnlens-e2e-'));
  const workspace = path.join(runDir, 'workspace');
  fs.mkdirSync(workspace);
  for (const [from, name] of Object.entries(files)) fs.copyFileSync(path.join(root, from), path.join(workspace, name));
  const vsix = await packageExtension(root, runDir);
  const server = await startCodeServer(runDir, vsix, workspace, { ...baseSettings, ...settings });
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}`);
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  return {
    runDir, workspace, server, browser, page,
    close: async () => {
      await page.screenshot({ path: path.join(runDir, 'last.png') }).catch(() => {});
      await browser.close();
      await server.stop();
      if (!process.env.NNLENS_E2E_KEEP) fs.rmSync(runDir, { recursive: true, force: true });
      else console.log(`e2e run folder kept: ${runDir}`);
    },
  };
}

/** Screenshots kept after a run (.test-artifacts/e2e/, git-ignored). */
export const artifacts = path.join(root, '.test-artifacts', 'e2e');

/** A file name for a test's screenshot: its name without punctuation. */
export function artifactPath(name: string): string {
  fs.mkdirSync(artifacts, { recursive: true });
  return path.join(artifacts, `${name.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 80)}.png`);
}

/**
 * Opens a workspace file with Quick Open, in the editor group under the middle of the window, or
 * with `inActiveGroup` in the group that has the focus now.
 */
export async function openFile(page: Page, name: string, { inActiveGroup = false } = {}): Promise<void> {
  if (!inActiveGroup) await page.locator('.monaco-workbench').click({ position: { x: 700, y: 450 } }).catch(() => {});
  const input = page.locator('.quick-input-widget input');
  // A webview taking the focus a moment late (a panel just shown) closes Quick Open: open it again.
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('Control+P');
    try {
      await input.waitFor({ timeout: 10_000 });
      await input.fill(name, { timeout: 5_000 });
      break;
    } catch (e) {
      if (attempt === 3) throw e;
    }
  }
  await choose(page, name);
  await page.locator(`.tab[aria-label*="${name}"]`).first().waitFor();
}

/** The labels of the quick input's rows (without their descriptions, keybindings and separators). */
function rowLabels(page: Page): Promise<string[]> {
  return page.locator('.quick-input-list .monaco-list-row').evaluateAll((rows) =>
    rows.map((r) => (r.querySelector('.label-name') ?? r).textContent?.trim() ?? ''));
}

/**
 * Chooses the quick input's entry labelled exactly `label` (a click on it): not merely the first row,
 * which is the best fuzzy match (Browse Color Themes… before Color Theme) or, until the list has
 * filtered what was typed, the recently opened file.
 */
async function choose(page: Page, label: string): Promise<void> {
  const rows = page.locator('.quick-input-list .monaco-list-row');
  const deadline = Date.now() + 30_000;
  for (;;) {
    const labels = await rowLabels(page);
    const at = labels.indexOf(label);
    if (at >= 0) {
      await rows.nth(at).click();
      return;
    }
    assert.ok(Date.now() < deadline, `no entry ${JSON.stringify(label)} in the quick input: ${JSON.stringify(labels)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Starts a command by its label from the command palette (F1); a command that asks something leaves its quick input open. */
async function startCommand(page: Page, label: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(`>${label}`);
  await choose(page, label);
}

/**
 * Runs a command by its label from the command palette; with `pick`, the command asks to choose
 * (a colour theme): the entry labelled `pick` is chosen.
 */
export async function runCommand(page: Page, label: string, pick?: string): Promise<void> {
  await startCommand(page, label);
  if (pick !== undefined) {
    const input = page.locator('.quick-input-widget input');
    await input.fill(pick);
    await choose(page, pick);
  }
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
}

/** The colour theme in use: the entry the theme picker opens on. */
export async function currentColorTheme(page: Page): Promise<string> {
  await startCommand(page, 'Preferences: Color Theme');
  const focused = page.locator('.quick-input-list .monaco-list-row.focused .label-name');
  await focused.waitFor();
  const label = (await focused.innerText()).trim();
  await page.keyboard.press('Escape');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  return label;
}

/** Where `word` is on screen, on the first editor line containing `lineText`. */
export async function wordPosition(page: Page, lineText: string, word: string): Promise<{ x: number; y: number }> {
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
export async function hoverWord(page: Page, lineText: string, word: string): Promise<string> {
  const attempts = 4;
  for (let attempt = 1; ; attempt++) {
    await page.mouse.move(1, 1);
    await page.locator('.monaco-hover:not(.hidden)').waitFor({ state: 'detached', timeout: 5_000 }).catch(() => {});
    const at = await wordPosition(page, lineText, word);
    await page.mouse.move(at.x, at.y);
    const hover = page.locator('.monaco-hover:not(.hidden)');
    try {
      await hover.waitFor({ timeout: 10_000 });
    } catch (e) {
      if (attempt === attempts) throw e;
      continue;
    }
    const text = await hover.innerText();
    const now = await wordPosition(page, lineText, word);
    if ((Math.abs(now.x - at.x) < 1 && Math.abs(now.y - at.y) < 1) || attempt === attempts) return text;
  }
}

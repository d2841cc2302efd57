// What the shim (./code-server-shim.mjs) does with VS Code's command line: code-server's CLI rejects
// --extensionDevelopmentPath and --extensionTestsPath, but its workbench URL accepts them as a
// `payload`, and the workbench reports the test runner's exit code by calling
// window.codeAutomationExit (see ../../../shared/E2E.md). So: start code-server on the folder, open
// the payload URL in Debian's chromium, print what the extension host logs, and exit with the
// suite's code. A suite that never reports within NNLENS_EH_TIMEOUT_S (default 300) is a failure.
//
// Arguments used: --extensionDevelopmentPath=, --extensionTestsPath=, --user-data-dir=,
// --extensions-dir= and the first positional (the folder to open; an empty one when there is none).
// VS Code's other flags (--no-sandbox, --disable-extensions, --skip-welcome, ...) are listed once
// and ignored: the fresh extensions folder holds no other extension, so --disable-extensions holds.
// Flags other than these four must give their value as --name=value (as runTests() does), or the
// value is taken for the folder.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { format } from 'node:util';
import { chromium, type Browser, type ConsoleMessage } from 'playwright-core';
import { codeServerBin, startCodeServer, type CodeServer } from '../e2e/code-server.ts';

const chromiumPath = process.env.NNLENS_CHROMIUM ?? '/usr/bin/chromium';
const timeoutS = Number(process.env.NNLENS_EH_TIMEOUT_S ?? 300);
const say = (line: string): void => { process.stdout.write(`code-server-shim: ${line}\n`); };

interface Cli { developmentPaths: string[]; testsPath: string | null; userDataDir: string | null; extensionsDir: string | null; folder: string | null; ignored: string[] }

function parseCli(argv: string[]): Cli {
  const cli: Cli = { developmentPaths: [], testsPath: null, userDataDir: null, extensionsDir: null, folder: null, ignored: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const m = /^--([^=]+)(?:=(.*))?$/s.exec(arg);
    if (!m) {
      if (cli.folder === null) cli.folder = path.resolve(arg);
      else cli.ignored.push(arg);
      continue;
    }
    const [, name, inline] = m;
    const value = (): string => inline ?? argv[++i] ?? '';
    if (name === 'extensionDevelopmentPath') cli.developmentPaths.push(path.resolve(value()));
    else if (name === 'extensionTestsPath') cli.testsPath = path.resolve(value());
    else if (name === 'user-data-dir') cli.userDataDir = path.resolve(value());
    else if (name === 'extensions-dir') cli.extensionsDir = path.resolve(value());
    else cli.ignored.push(arg);
  }
  return cli;
}

/** Settings a test window needs (no welcome page, no trust prompt), under whatever the user-data-dir already has. */
function testSettings(userDataDir: string | null): Record<string, unknown> {
  const defaults = {
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'extensions.ignoreRecommendations': true,
    'telemetry.telemetryLevel': 'off',
    'security.workspace.trust.enabled': false,
  };
  const file = userDataDir && path.join(userDataDir, 'User/settings.json');
  if (!file || !fs.existsSync(file)) return defaults;
  try {
    return { ...defaults, ...JSON.parse(fs.readFileSync(file, 'utf8')) };
  } catch (e) {
    throw new Error(`${file} is not plain JSON (comments are not read here): ${(e as Error).message}`);
  }
}

/**
 * The extension host's console reaches the workbench's console as console.log('%c[Extension Host]
 * %c' + first, css, css, ...rest): returns what console.log(first, ...rest) prints in Node (mocha's
 * reporter uses format strings), or null for the workbench's own messages.
 */
async function extensionHostLine(msg: ConsoleMessage): Promise<string | null> {
  const marker = /^%c\[Extension Host\] %c/;
  if (!marker.test(msg.text())) return null;
  const args = await Promise.all(msg.args().map((a) => a.jsonValue().catch(() => '<unserialisable>')));
  if (typeof args[0] !== 'string' || !marker.test(args[0])) return null;
  return format(args[0].replace(marker, ''), ...args.slice(3));
}

async function main(): Promise<number> {
  const cli = parseCli(process.argv.slice(2));
  if (cli.developmentPaths.length === 0 || !cli.testsPath) {
    say(`needs --extensionDevelopmentPath and --extensionTestsPath, got: ${process.argv.slice(2).join(' ')}`);
    return 2;
  }
  for (const [what, file] of [['code-server', codeServerBin], ['chromium', chromiumPath]]) {
    if (!fs.existsSync(file!)) { say(`${what} is missing (${file}): run scripts/e2e-setup.sh`); return 2; }
  }
  if (cli.ignored.length) say(`ignored VS Code arguments: ${cli.ignored.join(' ')}`);

  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nnlens-eh-'));
  const folder = cli.folder ?? path.join(runDir, 'empty-folder');
  fs.mkdirSync(folder, { recursive: true });
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  const workbenchLog: string[] = [];
  const cleanup = async (): Promise<void> => {
    await browser?.close().catch(() => {});
    await server?.stop().catch(() => {});
    if (process.env.NNLENS_E2E_KEEP) say(`run folder kept: ${runDir}`);
    else fs.rmSync(runDir, { recursive: true, force: true });
  };
  // runTests() forwards Ctrl+C as SIGINT: leave no code-server or chromium behind.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => { void cleanup().then(() => process.exit(130)); });

  try {
    const options = { ...(cli.userDataDir && { userDataDir: cli.userDataDir }), ...(cli.extensionsDir && { extensionsDir: cli.extensionsDir }) };
    server = await startCodeServer(runDir, null, folder, testSettings(cli.userDataDir), options);
    const remote = (p: string): string => `vscode-remote://127.0.0.1:${server!.port}${p}`;
    const payload = [
      ...cli.developmentPaths.map((p) => ['extensionDevelopmentPath', remote(p)]),
      ['extensionTestsPath', remote(cli.testsPath)],
      ['debugId', 'nnlens-extension-host-tests'],
    ];
    const url = `${server.url}/?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;

    browser = await chromium.launch({
      executablePath: chromiumPath,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
    });
    const page = await browser.newPage();
    // Reading a message's arguments is asynchronous: a chain keeps the lines in order.
    let printed = Promise.resolve();
    let reportSeen = false; // a test report (mocha's "N passing") came through the console
    let lastMessageAt = Date.now();
    page.on('console', (msg) => {
      lastMessageAt = Date.now();
      printed = printed.then(async () => {
        const line = await extensionHostLine(msg);
        if (line === null) {
          workbenchLog.push(`[${msg.type()}] ${msg.text()}`);
          return;
        }
        process.stdout.write(`${line}\n`);
        if (/^\s*\d+ (passing|failing)/m.test(line)) reportSeen = true;
      });
    });
    page.on('pageerror', (e) => workbenchLog.push(`[pageerror] ${e.message}`));
    let reported: (code: number) => void = () => {};
    const exitCode = new Promise<number>((resolve) => { reported = resolve; });
    // Registered before the page loads: the workbench looks it up when the test runner finishes.
    await page.exposeFunction('codeAutomationExit', (code: unknown) => { reported(Number(code)); });
    await page.goto(url);

    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<string>((resolve) => {
      timer = setTimeout(() => resolve(`the extension tests did not report an exit code within ${timeoutS} s (NNLENS_EH_TIMEOUT_S)`), timeoutS * 1000);
    });
    // Whatever ends first: the report, the time limit, or the death of code-server or the browser.
    const serverDied = server.exited.then((how) => `code-server exited (${how}) before the extension tests reported`);
    const browserDied = new Promise<string>((resolve) => browser!.once('disconnected', () => resolve('the browser closed before the extension tests reported')));
    const code = await Promise.race([exitCode, timedOut, serverDied, browserDied]);
    clearTimeout(timer);
    // The exit code and the console travel separately from the extension host: let the last lines
    // (mocha's summary) arrive, until the console has been quiet for 0.5 s (at most 5 s).
    const drainUntil = Date.now() + 5_000;
    while (Date.now() - lastMessageAt < 500 && Date.now() < drainUntil) await new Promise((r) => setTimeout(r, 100));
    await printed;
    if (typeof code === 'string') {
      say(`FAILED: ${code}.`);
      dumpLogs(server, workbenchLog);
      return 1;
    }
    // A report says what failed; without one (the suite did not load, the extension host died) the logs do.
    if (code !== 0 && !reportSeen) dumpLogs(server, workbenchLog);
    say(`the extension tests exited with ${code}`);
    return Number.isInteger(code) ? code : 1;
  } catch (e) {
    say(`FAILED: ${(e as Error).stack ?? e}`);
    if (server) dumpLogs(server, workbenchLog);
    return 1;
  } finally {
    await cleanup();
  }
}

/** What code-server and the workbench said, for a run that failed or hung. */
function dumpLogs(server: CodeServer, workbenchLog: string[]): void {
  const tail = (lines: string[]): string => lines.slice(-60).join('\n');
  say(`code-server output (last 60 lines):\n${tail(server.log().split('\n'))}`);
  say(`workbench console (last 60 messages):\n${tail(workbenchLog)}`);
}

process.exit(await main());

// A real VS Code for tests: code-server 4.100.3 (installed by scripts/e2e-setup.sh), isolated in a
// run folder of its own (user data, extensions, XDG dirs, TMPDIR), on 127.0.0.1, with the extension
// installed from a .vsix. See ../../../shared/E2E.md for the flags and why.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const codeServerHome = process.env.NNLENS_E2E_HOME ?? path.join(os.homedir(), '.cache/nnlens-e2e');
export const codeServerBin = path.join(codeServerHome, 'node_modules/.bin/code-server');

export interface CodeServer {
  url: string;
  port: number;
  log(): string;
  /** Resolves with the exit code (or signal) when code-server exits, stopped or not. */
  exited: Promise<number | string>;
  stop(): Promise<void>;
}

function isolatedEnv(runDir: string): NodeJS.ProcessEnv {
  const dirs = { XDG_CONFIG_HOME: 'xdg/config', XDG_DATA_HOME: 'xdg/data', XDG_CACHE_HOME: 'xdg/cache', TMPDIR: 'tmp' };
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const [name, dir] of Object.entries(dirs)) {
    env[name] = path.join(runDir, dir);
    fs.mkdirSync(env[name]!, { recursive: true });
  }
  return env;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface CodeServerOptions {
  /** Default: <runDir>/user-data and <runDir>/extensions. */
  userDataDir?: string;
  extensionsDir?: string;
}

/**
 * Starts code-server on a free port of 127.0.0.1 with `folder` open. `vsix`, when given, is installed
 * first; the in-extension-host suite passes null and loads the extension from source through the
 * workbench URL's extensionDevelopmentPath instead (test/extension-host/).
 */
export async function startCodeServer(runDir: string, vsix: string | null, folder: string, settings: Record<string, unknown>,
  options: CodeServerOptions = {}): Promise<CodeServer> {
  const env = isolatedEnv(runDir);
  const userData = options.userDataDir ?? path.join(runDir, 'user-data');
  const extensions = options.extensionsDir ?? path.join(runDir, 'extensions');
  fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
  fs.mkdirSync(extensions, { recursive: true });
  fs.writeFileSync(path.join(userData, 'User/settings.json'), JSON.stringify(settings, null, 2));
  const common = ['--user-data-dir', userData, '--extensions-dir', extensions];
  if (vsix) execFileSync(codeServerBin, [...common, '--install-extension', vsix], { env, stdio: 'pipe' });

  const port = await freePort();
  let output = '';
  const child: ChildProcess = spawn(codeServerBin, [
    ...common, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry', '--disable-update-check',
    '--disable-workspace-trust', '--disable-getting-started-override', '--ignore-last-opened', folder,
  ], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const url = `http://127.0.0.1:${port}`;
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')));
  const listening = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`code-server did not start within 60 s:\n${output}`)), 60_000);
    const seen = (c: Buffer): void => {
      output += c.toString();
      if (output.includes('HTTP server listening')) { clearTimeout(timer); resolve(); }
    };
    child.stdout!.on('data', seen);
    child.stderr!.on('data', seen);
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`code-server exited (${code}):\n${output}`)); });
  });
  await listening;
  const health = await fetch(`${url}/healthz`);
  if (!health.ok) throw new Error(`code-server /healthz answered ${health.status}:\n${output}`);
  return {
    url,
    port,
    log: () => output,
    exited,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

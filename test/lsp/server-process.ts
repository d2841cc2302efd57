// Starts the real language server for a test file: bundled fresh from the sources by the same
// esbuild configuration as dist/server.mjs (scripts/build.mjs), once per test process, into a
// folder of its own, then spawned as `node server.mjs --stdio`.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Diagnostic, InitializeResult, PublishDiagnosticsParams } from 'vscode-languageserver/node.js';
import { LspClient } from './lsp-client.ts';

export const root = path.resolve(import.meta.dirname, '../..');

let bundle: Promise<string> | null = null;

function serverBundle(): Promise<string> {
  bundle ??= (async () => {
    // Inside the project (as dist/ is), so the bundle resolves the packages it loads at run time
    // (`webgpu`, Dawn's native module) from the project's node_modules.
    fs.mkdirSync(path.join(root, '.test-build'), { recursive: true });
    const outdir = fs.mkdtempSync(path.join(root, '.test-build', 'nnlens-lsp-test-'));
    const { buildServer } = await import(pathToFileURL(path.join(root, 'scripts/build.mjs')).href);
    await buildServer(outdir);
    process.once('exit', () => fs.rmSync(outdir, { recursive: true, force: true }));
    return path.join(outdir, 'server.mjs');
  })();
  return bundle;
}

export interface StartOptions {
  /** `general.positionEncodings` the client offers (default: LSP's implicit UTF-16). */
  positionEncodings?: string[];
  settings?: unknown;
  /** Run the CLI (`bin/nnlens.mjs lsp --stdio`) instead of the server bundle. */
  command?: string[];
}

export async function startServer(options: StartOptions = {}): Promise<{ client: LspClient; initializeResult: InitializeResult; stop(): Promise<void> }> {
  const args = options.command ?? [await serverBundle(), '--stdio'];
  const child = spawn(process.execPath, args, { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] });
  const client = new LspClient(child);
  const initializeResult = await client.call<InitializeResult>('initialize', {
    processId: process.pid,
    rootUri: pathToFileURL(root).href,
    capabilities: {
      general: options.positionEncodings ? { positionEncodings: options.positionEncodings } : {},
      textDocument: { hover: { contentFormat: ['markdown', 'plaintext'] }, publishDiagnostics: { relatedInformation: true, versionSupport: true } },
      workspace: { codeLens: { refreshSupport: true } },
    },
    initializationOptions: options.settings === undefined ? undefined : { settings: options.settings },
  });
  client.notify('initialized', {});
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    await client.request('shutdown', null).response;
    client.notify('exit', null);
    await exited;
  };
  return { client, initializeResult, stop };
}

export const fileUri = (relative: string): string => pathToFileURL(path.join(root, relative)).href;

export function readFile(relative: string): string {
  return fs.readFileSync(path.join(root, relative), 'utf8');
}

/** didOpen, then the diagnostics published for that version. */
export async function openDocument(client: LspClient, uri: string, text: string, version = 1): Promise<Diagnostic[]> {
  client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'python', version, text } });
  return (await waitForDiagnostics(client, uri, version)).diagnostics;
}

export async function waitForDiagnostics(client: LspClient, uri: string, version: number): Promise<PublishDiagnosticsParams> {
  const n = await client.waitForNotification((m) => m.method === 'textDocument/publishDiagnostics' && m.params.uri === uri && m.params.version === version, `diagnostics of ${uri} v${version}`);
  return n.params as unknown as PublishDiagnosticsParams;
}

/** The 0-based position of the `occurrence`-th `needle` on the first line containing `lineText`. */
export function positionOf(text: string, lineText: string, needle: string, occurrence = 0): { line: number; character: number } {
  const lines = text.split('\n');
  const line = lines.findIndex((l) => l.includes(lineText));
  if (line < 0) throw new Error(`no line contains ${lineText}`);
  let character = -1;
  for (let i = 0; i <= occurrence; i++) character = lines[line]!.indexOf(needle, character + 1);
  if (character < 0) throw new Error(`no ${needle} on line ${line}: ${lines[line]}`);
  return { line, character };
}

// What every extension-host test needs: the workspace the launcher opened (a temporary copy of
// examples/), the extension under test, documents opened in an editor, and polling for answers that
// arrive asynchronously (the language server analyses a file after it is opened or edited).
import * as vscode from 'vscode';
import manifest from '../../../package.json' with { type: 'json' };

export const extensionId = `${manifest.publisher}.${manifest.name}`;
export const contributedCommands: string[] = manifest.contributes.commands.map((c) => c.command);

export function workspaceFile(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('no workspace folder is open: the launcher (test/extension-host/run.ts) opens a copy of examples/');
  return vscode.Uri.joinPath(folder.uri, name);
}

export async function activeExtension(): Promise<vscode.Extension<unknown>> {
  const extension = vscode.extensions.getExtension(extensionId);
  if (!extension) throw new Error(`extension ${extensionId} is not loaded (is the repository root the extensionDevelopmentPath?)`);
  await extension.activate();
  return extension;
}

/** Opens a workspace file in an editor (documents reach the language server when opened). */
export async function openFile(name: string): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(workspaceFile(name));
  return vscode.window.showTextDocument(document, { preview: false });
}

/**
 * Polls `probe` every 100 ms until it returns something other than undefined. On timeout it fails
 * with `what` and the last thing `probe` saw (`seen`), so a failure says what was there instead.
 */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined,
  seen: () => unknown = () => '(nothing recorded)', timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}; last seen:\n${JSON.stringify(seen(), null, 2)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

export interface LensLine { line: number; title: string; command: string; arguments?: unknown[] }

/** The CodeLenses VS Code shows for a document, as `line` (0-based) and title, in document order. */
export async function codeLenses(uri: vscode.Uri): Promise<LensLine[]> {
  // The second argument resolves every lens, as the editor does before showing it.
  const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 100);
  return (lenses ?? [])
    .filter((l) => l.command)
    .map((l) => ({ line: l.range.start.line, title: l.command!.title, command: l.command!.command, ...(l.command!.arguments && { arguments: l.command!.arguments }) }))
    .sort((a, b) => a.line - b.line);
}

/** Waits until the language server has analysed the document: its CodeLenses satisfy `ready`. */
export async function lensesWhen(uri: vscode.Uri, what: string, ready: (lenses: LensLine[]) => boolean): Promise<LensLine[]> {
  let last: LensLine[] = [];
  return waitFor(what, async () => {
    last = await codeLenses(uri);
    return ready(last) ? last : undefined;
  }, () => last.map((l) => `${l.line + 1}: ${l.title}`));
}

/** The errors NN Lens reports on a document now. */
export function nnLensErrors(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'NN Lens' && d.severity === vscode.DiagnosticSeverity.Error);
}

/** The 0-based line of the first line of `text` that contains `needle`. */
export function lineOf(text: string, needle: string): number {
  const line = text.split('\n').findIndex((l) => l.includes(needle));
  if (line < 0) throw new Error(`no line contains ${JSON.stringify(needle)}`);
  return line;
}

let copies = 0;
/** A fresh copy of a workspace file under a new name: a document no earlier test has opened or edited. */
export async function freshCopy(name: string): Promise<string> {
  const copy = name.replace(/\.py$/, `.copy${++copies}.py`);
  await vscode.workspace.fs.copy(workspaceFile(name), workspaceFile(copy), { overwrite: true });
  return copy;
}

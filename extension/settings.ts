// The `nnLens.*` settings as the extension reads and writes them.
import * as vscode from 'vscode';
import { isRequestedDevice, type RequestedDevice } from '../language-server/protocol/requests.ts';
import { defaultSettings } from '../language-server/protocol/settings.ts';
import { updatedInputShapes } from './input-shape-setting.ts';

export const section = 'nnLens';

/** Everything under `nnLens`, as sent to the server in initializationOptions. */
export function settingsSnapshot(): unknown {
  return JSON.parse(JSON.stringify(vscode.workspace.getConfiguration(section)));
}

/** The device Run forward and the weights panel ask for; a mistyped value is `auto` (the server warns about it). */
export function selectedDevice(): RequestedDevice {
  const value = vscode.workspace.getConfiguration(section).get<unknown>('device');
  return isRequestedDevice(value) ? value : defaultSettings.device;
}

export async function selectDevice(device: RequestedDevice): Promise<void> {
  await vscode.workspace.getConfiguration(section).update('device', device, vscode.ConfigurationTarget.Global);
}

/**
 * Sets (or with null removes) one class's entry of nnLens.inputShapes, so the choice persists and
 * the setting stays the one source of truth: in the workspace settings when a folder is open, else
 * in the user settings. Removing also removes the entry from the other scope, so that the input
 * really goes back to what NN Lens finds. Returns where it was written.
 */
export async function writeInputShape(filePath: string, className: string, value: unknown): Promise<string> {
  const config = vscode.workspace.getConfiguration(section);
  const scopes = [
    { target: vscode.ConfigurationTarget.Workspace, name: 'workspace settings', open: Boolean(vscode.workspace.workspaceFolders?.length) },
    { target: vscode.ConfigurationTarget.Global, name: 'user settings', open: true },
  ].filter((s) => s.open);
  const inspected = config.inspect<unknown>('inputShapes');
  const current = (target: vscode.ConfigurationTarget): unknown => (target === vscode.ConfigurationTarget.Workspace ? inspected?.workspaceValue : inspected?.globalValue);
  if (value === null) {
    const touched: string[] = [];
    for (const s of scopes) {
      const next = updatedInputShapes(current(s.target), filePath, className, null);
      if (next.changed) { await config.update('inputShapes', next.value, s.target); touched.push(s.name); }
    }
    return touched.join(' and ') || 'no settings (there was no entry)';
  }
  const scope = scopes[0]!;
  const next = updatedInputShapes(current(scope.target), filePath, className, value);
  if (next.changed) await config.update('inputShapes', next.value, scope.target);
  return scope.name;
}

// The `nnLens.*` settings as the extension reads and writes them.
import * as vscode from 'vscode';
import { devices, type Device } from '../language-server/protocol/requests.ts';

export const section = 'nnLens';

/** Everything under `nnLens`, as sent to the server in initializationOptions. */
export function settingsSnapshot(): unknown {
  return JSON.parse(JSON.stringify(vscode.workspace.getConfiguration(section)));
}

export function selectedDevice(): Device {
  const value = vscode.workspace.getConfiguration(section).get<string>('device');
  return (devices as readonly string[]).includes(value ?? '') ? value as Device : 'webgpu';
}

export async function selectDevice(device: Device): Promise<void> {
  await vscode.workspace.getConfiguration(section).update('device', device, vscode.ConfigurationTarget.Global);
}

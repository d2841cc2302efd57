// NN Lens: Select Device — where Run forward and the weights panel compute values.
import * as vscode from 'vscode';
import type { Device } from '../../language-server/protocol/requests.ts';
import { selectDevice, selectedDevice } from '../settings.ts';

const descriptions: Record<Device, string> = {
  webgpu: 'GPU through WebGPU (Dawn); falls back to CPU, visibly, when no adapter is found',
  cpu: 'CPU kernels in the extension host',
};

export async function selectDeviceCommand(): Promise<void> {
  const current = selectedDevice();
  const picked = await vscode.window.showQuickPick(
    (Object.keys(descriptions) as Device[]).map((d) => ({ label: d, description: d === current ? '(current)' : '', detail: descriptions[d], device: d })),
    { placeHolder: 'Device for Run forward and weights' },
  );
  if (picked) await selectDevice(picked.device);
}

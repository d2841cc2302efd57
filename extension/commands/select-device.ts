// NN Lens: Select Device — where Run forward and the weights panel compute values (nnLens.device).
import * as vscode from 'vscode';
import { requestedDevices, type RequestedDevice } from '../../language-server/protocol/requests.ts';
import { selectDevice, selectedDevice } from '../settings.ts';

const descriptions: Record<RequestedDevice, string> = {
  auto: 'WebGPU when an adapter is found, else the CPU (the status bar and the result say why not the GPU)',
  webgpu: 'WebGPU only (Dawn: a GPU, else llvmpipe or SwiftShader); without an adapter a run fails and says why',
  cpu: 'CPU kernels in the language server',
};

export async function selectDeviceCommand(): Promise<void> {
  const current = selectedDevice();
  const picked = await vscode.window.showQuickPick(
    requestedDevices.map((d) => ({ label: d, description: d === current ? '(current)' : '', detail: descriptions[d], device: d })),
    { placeHolder: 'Device for Run forward and weights (nnLens.device)' },
  );
  if (picked) await selectDevice(picked.device);
}

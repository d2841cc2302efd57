// Where a worker computes values: WebGPU when the job asks for it and an adapter exists, else the
// CPU with the reason WebGPU was not had (resolve-device.ts turns that into a fallback or, for a
// `webgpu`-only request, an error). Shared by the forward worker and the tensor worker.
import type { ForwardJob, ValueDevice } from './forward-job.ts';

export type WebGpu = typeof import('../../runtime/devices/webgpu.ts');

export async function openValueDevice(device: ForwardJob['device']): Promise<{ where: ValueDevice; gpu: WebGpu | null }> {
  if (device !== 'webgpu') return { where: { device: 'cpu' }, gpu: null };
  const gpu = await import('../../runtime/devices/webgpu.ts');
  const init = await gpu.initWebGpu();
  if (!init.ok) return { where: { device: 'cpu', webgpuUnavailable: init.reason }, gpu: null };
  const info = init.adapterInfo;
  return { where: { device: 'webgpu', adapter: `${info.description || info.device} (${info.source})` }, gpu };
}

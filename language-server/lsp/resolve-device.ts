// The requested device of a value run (`auto`, `webgpu`, `cpu`: protocol/requests.ts
// RequestedDevice) against where the worker could compute. One place decides, for runForward and
// getTensor alike, so both follow the same rule and say it in the same words:
//   auto   → WebGPU when an adapter is found, else the CPU with the reason (`fallback`);
//   webgpu → WebGPU only: without an adapter the request fails with the reason, nothing runs on the CPU;
//   cpu    → the CPU.
// Pure: no LSP or runtime imports, so the worker bundle can use it too.
import { isRequestedDevice, requestedDevices, type Device, type RequestedDevice } from '../protocol/requests.ts';

/** The request's `device`, or the reason it is not one (for InvalidParams); `fallback` when absent. */
export function parseRequestedDevice(raw: unknown, absent?: RequestedDevice): RequestedDevice | { invalid: string } {
  if (raw === undefined && absent) return absent;
  return isRequestedDevice(raw) ? raw : { invalid: `params.device must be one of ${requestedDevices.join(', ')}` };
}

/** Where the worker should try to compute: WebGPU for `auto` and `webgpu`. */
export function jobDevice(requested: RequestedDevice): Device {
  return requested === 'cpu' ? 'cpu' : 'webgpu';
}

/** What the worker did: the device the values came from, and why not WebGPU when it tried and could not. */
export interface DeviceRun { device: Device; webgpuUnavailable?: string }

export type DeviceOutcome =
  | { ok: true; device: Device; fallback?: { requested: RequestedDevice; reason: string } }
  | { ok: false; reason: string };

/**
 * The outcome of a run against the request. `what` finishes the fallback sentence ("the forward
 * ran on the CPU"). A `webgpu` request that did not get WebGPU is a failure with the reason.
 */
export function settleDevice(requested: RequestedDevice, run: DeviceRun, what: string): DeviceOutcome {
  if (run.device === 'webgpu' || requested === 'cpu') return { ok: true, device: run.device };
  const why = run.webgpuUnavailable ?? 'unknown reason';
  if (requested === 'webgpu') return { ok: false, reason: webgpuRequiredReason(why) };
  return { ok: true, device: 'cpu', fallback: { requested, reason: `WebGPU is unavailable (${why}); ${what} on the CPU` } };
}

/** Why a `webgpu` request failed, and what to do about it. */
export function webgpuRequiredReason(why: string): string {
  return `WebGPU is unavailable (${why}); the device is set to webgpu, so nothing ran on the CPU (choose auto or cpu to compute on the CPU)`;
}

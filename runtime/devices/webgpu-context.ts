/// <reference types="@webgpu/types" />
// The one WebGPU device this process uses, and what kernels need to know about it: its limits,
// whether it is a real GPU or a CPU-emulated one (which decides the kernel style), whether it was
// lost. runtime/devices/webgpu.ts creates it; kernels and storage only read it from here.

/** A real GPU, or a device emulated on the CPU (llvmpipe, SwiftShader): kernels are chosen by it. */
export type AdapterKind = 'gpu' | 'cpu-emulated';

/**
 * How matmul-like kernels are written: `registers` (each invocation computes a 4×4 block straight
 * from global memory, no workgroup memory, no barriers: the win on CPU-emulated adapters) or
 * `tiled` (workgroup-memory tiles plus register blocking: the win on real GPUs).
 */
export type KernelStyle = 'registers' | 'tiled';

/** Where the adapter came from. */
export type AdapterSource = 'gpu' | 'llvmpipe' | 'swiftshader';

export interface WebGpuAdapterInfo {
  source: AdapterSource;
  /** Dawn backend asked for: `default` (Vulkan/Metal/D3D12, whatever the platform has) or `opengl`. */
  backend: 'default' | 'opengl';
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  kind: AdapterKind;
  kernelStyle: KernelStyle;
  isFallbackAdapter: boolean;
  limits: {
    maxBufferSize: number;
    maxStorageBufferBindingSize: number;
    maxComputeInvocationsPerWorkgroup: number;
    maxComputeWorkgroupStorageSize: number;
    maxComputeWorkgroupsPerDimension: number;
    maxStorageBuffersPerShaderStage: number;
  };
}

export interface GpuContext {
  /** The navigator-like object from `create()`: kept reachable for the life of the device. */
  readonly gpu: GPU;
  readonly adapter: GPUAdapter;
  readonly device: GPUDevice;
  readonly info: WebGpuAdapterInfo;
  /** Increments per device created, so storage made on a lost device is recognised. */
  readonly generation: number;
  /** Why the device was lost (device.lost resolved), or null while it works. */
  lost: string | null;
  /** Errors nothing else caught (`uncapturederror`), reported with the next readback. */
  uncaptured: string[];
  readonly pipelines: Map<string, GPUComputePipeline>;
}

let context: GpuContext | null = null;
/** Why the last initWebGpu() found nothing (or null when it has not run). */
let unavailableReason: string | null = null;

export function currentGpu(): GpuContext | null { return context; }

export function setGpuContext(ctx: GpuContext | null, reason: string | null = null): void {
  context = ctx;
  unavailableReason = reason;
}

/** The device, or a clear error saying why there is none. */
export function requireGpu(): GpuContext {
  if (!context) {
    throw new WebGpuUnavailableError(unavailableReason === null
      ? 'WebGPU is not initialised: call initWebGpu() before evaluating on the webgpu device'
      : `WebGPU is not available: ${unavailableReason}`);
  }
  if (context.lost !== null) throw new WebGpuUnavailableError(`the WebGPU device was lost: ${context.lost}`);
  return context;
}

/** The device cannot be used (not initialised, none found, lost). */
export class WebGpuUnavailableError extends Error {
  override readonly name = 'WebGpuUnavailableError';
}

/**
 * A WGSL kernel declines these inputs (a dtype WGSL lacks, a tensor over a binding limit, an
 * attribute it does not implement). Thrown before anything is encoded; the executor then runs the
 * op's cpu kernel instead and records why in the fallback list.
 */
export class KernelUnsupported extends Error {
  override readonly name = 'KernelUnsupported';
}

// GPUBufferUsage / GPUMapMode values (the spec's numbers), so nothing depends on installed globals.
export const BufferUsage = {
  MAP_READ: 0x1, MAP_WRITE: 0x2, COPY_SRC: 0x4, COPY_DST: 0x8, UNIFORM: 0x40, STORAGE: 0x80,
} as const;
export const MapMode = { READ: 0x1, WRITE: 0x2 } as const;

/** Bytes in a human unit, for messages. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} B`;
}

/// <reference types="@webgpu/types" />
// A webgpu tensor's values on the GPU: one storage buffer of 4-byte elements. WGSL has f32, i32
// and u32, so float32 is stored as f32, the integer dtypes as i32 (int64 values must fit in 32
// bits), bool and uint8 as u32; float64, float16, bfloat16 and complex have no GPU form here and
// their ops run on the CPU (recorded as fallbacks).
//
// Buffers are freed when the last tensor holding them is garbage-collected (a FinalizationRegistry
// destroys them), or explicitly with `destroy()`. A storage is immutable once its producing work is
// encoded: in-place ops give the tensor a new storage, so views sharing the old one are unaffected.
import type { DType } from '../dtype.ts';
import type { Tensor } from '../tensor.ts';
import { BufferUsage, KernelUnsupported, formatBytes, requireGpu } from './webgpu-context.ts';
import { currentProgramId } from './webgpu-program.ts';

export type GpuFormat = 'f32' | 'i32' | 'u32';

/** The GPU element format of a dtype, or null when WGSL has none for it. */
export function gpuFormat(dtype: DType): GpuFormat | null {
  switch (dtype.name) {
    case 'float32': return 'f32';
    case 'int64': case 'int32': case 'int16': case 'int8': return 'i32';
    case 'bool': case 'uint8': return 'u32';
    default: return null;
  }
}

/** Like gpuFormat, but a kernel that meets a dtype without one declines the op. */
export function requireFormat(dtype: DType, what = 'this op'): GpuFormat {
  const f = gpuFormat(dtype);
  if (f === null) throw new KernelUnsupported(`${dtype.name} has no WGSL type (${what})`);
  return f;
}

let liveBytes = 0;
let peakBytes = 0;
/** Host-to-GPU uploads (weights, inputs, Python literals used as tensors) and their bytes. */
export const uploadStats = { uploads: 0, uploadBytes: 0 };

const finalizer = new FinalizationRegistry<{ buffer: GPUBuffer; bytes: number }>((held) => {
  liveBytes -= held.bytes;
  try { held.buffer.destroy(); } catch { /* the device may already be gone */ }
});

export class GpuStorage {
  /** Values derived from this one and cached with it (a linear layer's transposed weight). */
  readonly derived = new Map<string, GpuStorage>();
  private destroyed = false;
  private readonly held: { buffer: GPUBuffer; bytes: number };

  constructor(
    readonly buffer: GPUBuffer,
    readonly numel: number,
    readonly format: GpuFormat,
    readonly generation: number,
    /** The program (forward pass) whose work fills it; null for host uploads. */
    readonly programId: number | null = null,
  ) {
    this.held = { buffer, bytes: buffer.size };
    liveBytes += buffer.size;
    peakBytes = Math.max(peakBytes, liveBytes);
    finalizer.register(this, this.held, this);
  }

  get byteSize(): number { return this.buffer.size; }

  /** Frees the buffer now (the storage must not be used afterwards). */
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    finalizer.unregister(this);
    liveBytes -= this.held.bytes;
    for (const d of this.derived.values()) d.destroy();
    this.derived.clear();
    try { this.buffer.destroy(); } catch { /* the device may already be gone */ }
  }

  get isDestroyed(): boolean { return this.destroyed; }
}

/** Bytes held by live GPU storages now, and the most held at once. */
export function gpuMemoryStats(): { liveBytes: number; peakBytes: number } {
  return { liveBytes, peakBytes };
}

/** Buffers are padded to 16 bytes so kernels may read them as vec4 arrays. */
const paddedBytes = (numel: number): number => Math.max(16, Math.ceil((numel * 4) / 16) * 16);

/**
 * Refuses a buffer over the adapter's limits, naming the limit. Outputs must fit one binding;
 * uploaded inputs only one buffer (a kernel may bind a large weight in parts: see matmul.ts).
 */
function checkBindingSize(bytes: number, what: string, wholeBinding = true): void {
  const { maxBufferSize, maxStorageBufferBindingSize } = requireGpu().info.limits;
  if (wholeBinding && bytes > maxStorageBufferBindingSize) {
    throw new KernelUnsupported(`${what} needs ${formatBytes(bytes)}, over this adapter's maxStorageBufferBindingSize (${formatBytes(maxStorageBufferBindingSize)})`);
  }
  if (bytes > maxBufferSize) {
    throw new KernelUnsupported(`${what} needs ${formatBytes(bytes)}, over this adapter's maxBufferSize (${formatBytes(maxBufferSize)})`);
  }
}

/**
 * A fresh storage for `numel` elements. A tensor over the adapter's binding limits is refused with
 * a message naming the limit (the op then runs on the CPU), never handed to Dawn to fail on.
 */
export function allocStorage(numel: number, format: GpuFormat, what = 'a tensor'): GpuStorage {
  const ctx = requireGpu();
  const bytes = paddedBytes(numel);
  checkBindingSize(bytes, what);
  const buffer = ctx.device.createBuffer({ size: bytes, usage: BufferUsage.STORAGE | BufferUsage.COPY_SRC | BufferUsage.COPY_DST });
  return new GpuStorage(buffer, numel, format, ctx.generation, currentProgramId());
}

/** Converts host values to the GPU element format (int64 must fit in int32). */
export function toGpuArray(data: NonNullable<Tensor['data']>, format: GpuFormat, dtypeName: string): Float32Array | Int32Array | Uint32Array {
  if (format === 'f32') {
    if (!(data instanceof Float32Array)) throw new KernelUnsupported(`${dtypeName} values cannot be stored as f32 without losing precision`);
    return data;
  }
  if (format === 'u32') return Uint32Array.from(data as Uint8Array);
  if (data instanceof BigInt64Array) {
    const out = new Int32Array(data.length);
    for (let i = 0; i < data.length; i++) {
      const v = data[i]!;
      if (v > 2147483647n || v < -2147483648n) throw new KernelUnsupported(`int64 value ${v} does not fit the GPU's 32-bit integers`);
      out[i] = Number(v);
    }
    return out;
  }
  if (data instanceof Int32Array) return data;
  return Int32Array.from(data as ArrayLike<number>);
}

/** Host values (the typed array registry.allocate uses for the dtype) from GPU element bytes. */
export function fromGpuBytes(bytes: ArrayBuffer, numel: number, dtype: DType): NonNullable<Tensor['data']> {
  const format = gpuFormat(dtype);
  switch (format) {
    case 'f32': return new Float32Array(bytes, 0, numel).slice();
    case 'u32': return Uint8Array.from(new Uint32Array(bytes, 0, numel));
    case 'i32': {
      const ints = new Int32Array(bytes, 0, numel);
      if (dtype.name === 'int64') {
        const out = new BigInt64Array(numel);
        for (let i = 0; i < numel; i++) out[i] = BigInt(ints[i]!);
        return out;
      }
      return ints.slice();
    }
    default: throw new Error(`${dtype.name} has no GPU form`);
  }
}

/** Uploads host values into a new storage (mapped at creation: the copy is taken now). */
export function uploadStorage(data: NonNullable<Tensor['data']>, numel: number, dtype: DType, what = 'a tensor'): GpuStorage {
  const format = requireFormat(dtype, what);
  const values = toGpuArray(data, format, dtype.name);
  const ctx = requireGpu();
  const bytes = paddedBytes(numel);
  checkBindingSize(bytes, what, false);
  const buffer = ctx.device.createBuffer({
    size: bytes, usage: BufferUsage.STORAGE | BufferUsage.COPY_SRC | BufferUsage.COPY_DST, mappedAtCreation: true,
  });
  const range = buffer.getMappedRange();
  const view = format === 'f32' ? new Float32Array(range) : format === 'i32' ? new Int32Array(range) : new Uint32Array(range);
  view.set(values.subarray(0, numel) as ArrayLike<number>);
  buffer.unmap();
  uploadStats.uploads++;
  uploadStats.uploadBytes += numel * 4;
  return new GpuStorage(buffer, numel, format, ctx.generation);
}

/**
 * The tensor's GPU storage, uploading its host values the first time (weights are uploaded once
 * per tensor and reused by every later forward). Values on a lost device are an error.
 */
export function gpuStorageOf(t: Tensor, what = 'an input'): GpuStorage {
  const ctx = requireGpu();
  if (t.gpu) {
    if (t.gpu.generation === ctx.generation && !t.gpu.isDestroyed) return t.gpu;
    if (!t.data) throw new Error(`the values of a tensor ${JSON.stringify(t.shape)} were on a WebGPU device that is gone (lost or destroyed)`);
    t.gpu = null;
  }
  if (!t.data) throw new Error(`a webgpu tensor ${JSON.stringify(t.shape)} has no values (neither host data nor a GPU buffer)`);
  t.gpu = uploadStorage(t.data, t.numel(), t.dtype, what);
  return t.gpu;
}

/** A single host value of a tensor with one element (scalars become uniforms instead of buffers). */
export function hostScalar(t: Tensor): number | null {
  if (!t.data || t.numel() !== 1) return null;
  const v = t.data[0]!;
  return typeof v === 'bigint' ? Number(v) : v;
}

/// <reference types="@webgpu/types" />
// The webgpu device: finding an adapter, creating and tearing down the device, and reading values
// back. Usage:
//
//   const gpu = await initWebGpu();
//   if (!gpu.ok) console.warn(`running on cpu: ${gpu.reason}`);     // the caller says it, once
//   const y = withRuntimeContext({ device: 'webgpu' }, () => model.forward(x));   // encodes only
//   const values = await readback(y);                                // submits, waits, reads y
//   for (const f of webgpuFallbacks()) console.warn(`${f.op} ran on the CPU: ${f.reason}`);
//
// Adapter choice (first that works): a real GPU (Dawn's default backend: Vulkan, Metal, D3D12);
// else Mesa's llvmpipe through Dawn's OpenGL backend (`EGL_PLATFORM=surfaceless`, compatibility
// feature level, the adapter's own limits requested: about 6× faster than SwiftShader); else
// SwiftShader through the Vulkan ICD that Debian's `chromium` package ships. `NNLENS_WEBGPU_ADAPTER`
// (`gpu`, `llvmpipe`, `swiftshader`) forces one; `NNLENS_WEBGPU_KERNELS` (`registers`, `tiled`)
// overrides the kernel style picked for the adapter.
import { existsSync, readdirSync } from 'node:fs';
import type { Tensor } from '../tensor.ts';
import {
  type AdapterSource, type GpuContext, type KernelStyle, type WebGpuAdapterInfo, currentGpu, setGpuContext,
} from './webgpu-context.ts';
import { discardPending, flush as submitPending, programStats, readStorages } from './webgpu-program.ts';
import { fromGpuBytes, gpuMemoryStats, uploadStats } from './webgpu-storage.ts';
import './webgpu-executor.ts';
import '../kernels/webgpu/index.ts';
// Fallbacks run the cpu kernels: make sure they are registered.
import '../kernels/cpu/index.ts';

export { webgpuFallbacks, clearWebgpuFallbacks, type FallbackNotice } from './webgpu-executor.ts';
export { gpuMemoryStats };
export { flush as submitPendingWork, pendingDispatches } from './webgpu-program.ts';
export type { WebGpuAdapterInfo, AdapterSource, KernelStyle } from './webgpu-context.ts';

export type WebGpuInit = { ok: true; adapterInfo: WebGpuAdapterInfo } | { ok: false; reason: string };

export interface WebGpuOptions {
  /** Which adapter to use; `auto` (the default, or `NNLENS_WEBGPU_ADAPTER`) tries them in order. */
  adapter?: 'auto' | AdapterSource;
  /** Overrides the kernel style chosen for the adapter (default: `NNLENS_WEBGPU_KERNELS`, else by adapter). */
  kernelStyle?: KernelStyle;
}

interface DawnModule { create(options: string[]): GPU }

/** Where Debian (and Ubuntu's chromium-browser) put SwiftShader's Vulkan ICD. */
const swiftShaderIcds = ['/usr/lib/chromium/vk_swiftshader_icd.json', '/usr/lib/chromium-browser/vk_swiftshader_icd.json'];

const softwarePattern = /llvmpipe|lavapipe|softpipe|swiftshader|software|microsoft basic render/i;

let generation = 0;
let pending: Promise<WebGpuInit> | null = null;
let lastInit: WebGpuInit | null = null;

/**
 * Finds an adapter and creates the device (once; later calls return the same answer until
 * destroyWebGpu()). Never throws: when nothing works, `reason` says what was tried and why each
 * failed, for the caller to print once before falling back to the CPU.
 */
export function initWebGpu(options: WebGpuOptions = {}): Promise<WebGpuInit> {
  const ctx = currentGpu();
  if (ctx && ctx.lost === null && lastInit?.ok) return Promise.resolve(lastInit);
  pending ??= createDevice(options).then((r) => { lastInit = r; pending = null; return r; });
  return pending;
}

/** The adapter in use, or null. */
export function webgpuAdapterInfo(): WebGpuAdapterInfo | null { return currentGpu()?.info ?? null; }

/** Switches the matmul/conv kernel style (tests run both styles on one adapter). */
export function setWebGpuKernelStyle(style: KernelStyle): void {
  const ctx = currentGpu();
  if (ctx) ctx.info.kernelStyle = style;
}

/** Counters since the process started: work encoded and submitted, uploads, readbacks, GPU memory, pipelines. */
export function webgpuStats(): typeof programStats & typeof uploadStats & ReturnType<typeof gpuMemoryStats> & { pipelines: number } {
  return { ...programStats, ...uploadStats, ...gpuMemoryStats(), pipelines: currentGpu()?.pipelines.size ?? 0 };
}

/** Destroys the device (pending work is dropped); tensors it held lose their GPU values. */
export function destroyWebGpu(): void {
  const ctx = currentGpu();
  discardPending();
  setGpuContext(null, null);
  lastInit = null;
  if (ctx) {
    ctx.lost ??= 'destroyed by destroyWebGpu()';
    try { ctx.device.destroy(); } catch { /* already gone */ }
  }
}

/**
 * The tensor's values as float32, whatever its dtype. Submits the work encoded so far and reads
 * only this tensor's buffer; a tensor with host values is answered without touching the GPU.
 */
export async function readback(t: Tensor): Promise<Float32Array> {
  const data = await readbackData(t);
  if (data instanceof Float32Array) return data;
  if (data instanceof BigInt64Array) return Float32Array.from(data, (v) => Number(v));
  return Float32Array.from(data as ArrayLike<number>);
}

/** The tensor's values in its dtype's host array (what a cpu tensor's `data` would be). */
export async function readbackData(t: Tensor): Promise<NonNullable<Tensor['data']>> {
  const [data] = await readbackMany([t]);
  return data!;
}

/** Submits the work encoded so far and waits until the GPU has finished it (benchmarks). */
export async function waitForGpu(): Promise<void> {
  await submitPending();
  const ctx = currentGpu();
  if (ctx) await ctx.device.queue.onSubmittedWorkDone();
}

/** Reads several tensors with one submission. */
export async function readbackMany(tensors: readonly Tensor[]): Promise<NonNullable<Tensor['data']>[]> {
  const onGpu = tensors.filter((t) => t.data === null);
  for (const t of onGpu) if (!t.gpu) throw new Error(`tensor ${JSON.stringify(t.shape)} on ${t.device} has no values to read back`);
  const bytes = await readStorages(onGpu.map((t) => t.gpu!));
  return tensors.map((t) => {
    if (t.data !== null) return t.data;
    return fromGpuBytes(bytes[onGpu.indexOf(t)]!, t.numel(), t.dtype);
  });
}

/** Reads the tensor back and keeps the values as its `data` too (both copies then agree). */
export async function materialize(t: Tensor): Promise<Tensor> {
  if (t.data === null) t.data = await readbackData(t);
  return t;
}

// ------------------------------------------------------------------ adapter selection

async function loadDawn(): Promise<DawnModule> {
  // Bundled with its JS wrapper; the wrapper loads dawn.node from `dist/<platform>-<arch>/` next to
  // the bundle (scripts/build.mjs copies it there), or from node_modules when run from source.
  return (await import('webgpu')) as unknown as DawnModule;
}

/** Whether this machine may have a GPU Dawn's default backend can reach (Linux: a DRM or NVIDIA node). */
function mayHaveGpu(): boolean {
  if (process.platform !== 'linux') return true;
  try {
    if (existsSync('/dev/nvidia0') || existsSync('/dev/dxg')) return true;
    return readdirSync('/dev/dri').some((n) => n.startsWith('renderD') || n.startsWith('card'));
  } catch {
    return false;
  }
}

interface Attempt { source: AdapterSource; backend: 'default' | 'opengl' }

function attemptsFor(choice: 'auto' | AdapterSource): Attempt[] {
  const all: Attempt[] = [
    { source: 'gpu', backend: 'default' },
    { source: 'llvmpipe', backend: 'opengl' },
    { source: 'swiftshader', backend: 'default' },
  ];
  return choice === 'auto' ? all : all.filter((a) => a.source === choice);
}

async function createDevice(options: WebGpuOptions): Promise<WebGpuInit> {
  const envChoice = process.env.NNLENS_WEBGPU_ADAPTER;
  const choice = (options.adapter ?? (envChoice === 'gpu' || envChoice === 'llvmpipe' || envChoice === 'swiftshader' ? envChoice : 'auto'));
  let dawn: DawnModule;
  try {
    dawn = await loadDawn();
  } catch (e) {
    return fail(`the 'webgpu' package (Dawn for Node) could not be loaded: ${e instanceof Error ? e.message : String(e)}`);
  }
  const why: string[] = [];
  for (const attempt of attemptsFor(choice)) {
    try {
      const result = await tryAdapter(dawn, attempt, options, choice === 'auto');
      if (typeof result === 'string') { why.push(result); continue; }
      lastInit = { ok: true, adapterInfo: result.info };
      setGpuContext(result);
      return lastInit;
    } catch (e) {
      why.push(`${attempt.source}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return fail(`no usable WebGPU adapter (${why.join('; ')})`);
}

function fail(reason: string): WebGpuInit {
  setGpuContext(null, reason);
  return { ok: false, reason };
}

/** One adapter attempt: a context, or why it failed. */
async function tryAdapter(dawn: DawnModule, attempt: Attempt, options: WebGpuOptions, auto: boolean): Promise<GpuContext | string> {
  const { source } = attempt;
  if (source === 'gpu' && auto && !mayHaveGpu()) return 'gpu: no GPU device node (/dev/dri, /dev/nvidia0)';
  if (source === 'llvmpipe') process.env.EGL_PLATFORM ??= 'surfaceless';
  if (source === 'swiftshader') {
    const icd = process.env.NNLENS_SWIFTSHADER_ICD ?? swiftShaderIcds.find((p) => existsSync(p));
    if (!icd || !existsSync(icd)) {
      return `swiftshader: its Vulkan ICD is not installed (looked for ${swiftShaderIcds.join(', ')}; Debian: apt-get install chromium libvulkan1)`;
    }
    process.env.VK_ICD_FILENAMES = icd;
  }
  const gpu = dawn.create(attempt.backend === 'opengl' ? ['backend=opengl'] : []);
  const adapter = await gpu.requestAdapter(attempt.backend === 'opengl'
    ? { featureLevel: 'compatibility' } as GPURequestAdapterOptions
    : { powerPreference: 'high-performance' });
  if (!adapter) {
    return source === 'llvmpipe'
      ? 'llvmpipe: no OpenGL adapter (Debian: apt-get install libegl-mesa0 libgl1-mesa-dri)'
      : source === 'swiftshader' ? 'swiftshader: Dawn found no Vulkan adapter through the ICD (is libvulkan1 installed?)' : 'gpu: Dawn found no adapter';
  }
  const ai = adapter.info;
  const text = `${ai.vendor} ${ai.architecture} ${ai.device} ${ai.description}`;
  const software = adapter.info.isFallbackAdapter || softwarePattern.test(text);
  if (source === 'gpu' && software) return `gpu: only a software adapter (${ai.description || ai.device}) on the default backend`;
  if (source === 'llvmpipe' && !/llvmpipe/i.test(text) && auto && software) return `llvmpipe: the OpenGL adapter is ${ai.description}`;

  // Ask for the adapter's own limits: compatibility mode otherwise caps workgroups at 128
  // invocations and storage bindings well below what the adapter can do.
  const requiredLimits: Record<string, number> = {};
  for (const key in adapter.limits) {
    const v = (adapter.limits as unknown as Record<string, unknown>)[key];
    if (typeof v === 'number') requiredLimits[key] = v;
  }
  const device = await adapter.requestDevice({ requiredLimits, label: 'nnlens' });
  const kind = software ? 'cpu-emulated' : 'gpu';
  const envStyle = process.env.NNLENS_WEBGPU_KERNELS;
  const kernelStyle: KernelStyle = options.kernelStyle
    ?? (envStyle === 'registers' || envStyle === 'tiled' ? envStyle : kind === 'gpu' ? 'tiled' : 'registers');
  const limits = device.limits;
  const info: WebGpuAdapterInfo = {
    source: software && source === 'gpu' ? 'gpu' : source,
    backend: attempt.backend,
    vendor: ai.vendor,
    architecture: ai.architecture,
    device: ai.device,
    description: ai.description,
    kind,
    kernelStyle,
    isFallbackAdapter: ai.isFallbackAdapter,
    limits: {
      maxBufferSize: limits.maxBufferSize,
      maxStorageBufferBindingSize: limits.maxStorageBufferBindingSize,
      maxComputeInvocationsPerWorkgroup: limits.maxComputeInvocationsPerWorkgroup,
      maxComputeWorkgroupStorageSize: limits.maxComputeWorkgroupStorageSize,
      maxComputeWorkgroupsPerDimension: limits.maxComputeWorkgroupsPerDimension,
      maxStorageBuffersPerShaderStage: limits.maxStorageBuffersPerShaderStage,
    },
  };
  const ctx: GpuContext = { gpu, adapter, device, info, generation: ++generation, lost: null, uncaptured: [], pipelines: new Map() };
  void device.lost.then((l) => {
    ctx.lost ??= `${l.reason}${l.message ? `: ${l.message}` : ''}`;
    if (currentGpu() === ctx) { discardPending(); setGpuContext(null, `the WebGPU device was lost (${ctx.lost})`); lastInit = null; }
  });
  device.onuncapturederror = (ev: GPUUncapturedErrorEvent) => { ctx.uncaptured.push(ev.error.message); };
  installExitHook();
  return ctx;
}

let exitHook = false;
/** Destroys the device when the process is about to exit, so Dawn holds nothing open. */
function installExitHook(): void {
  if (exitHook) return;
  exitHook = true;
  process.once('beforeExit', () => destroyWebGpu());
  process.once('exit', () => destroyWebGpu());
}

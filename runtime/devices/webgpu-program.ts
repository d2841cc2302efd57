/// <reference types="@webgpu/types" />
// The work of one forward pass, encoded as ops run and submitted when values are read back.
//
// The evaluator is synchronous and WebGPU's readback is not, so kernels only *encode*: every
// dispatch goes into one shared command encoder (one compute pass, split only by copies), shapes
// go into one uniform arena written just before submission, and nothing waits on the GPU. An op
// that must run on the CPU with inputs that exist only on the GPU becomes a host step: the encoder
// is closed there, and at flush time the work before it is submitted, its inputs are read back, the
// cpu kernel runs, its outputs are written to their GPU buffers, and the rest continues.
//
// Errors: Dawn reports validation and out-of-memory errors asynchronously. Every encode and submit
// runs inside balanced error scopes whose results are collected here; a readback fails with the
// first of them (and with a lost device's reason), so a bad dispatch is an error with a message,
// never silently wrong values.
import { BufferUsage, MapMode, formatBytes, requireGpu, type GpuContext } from './webgpu-context.ts';
import type { GpuStorage } from './webgpu-storage.ts';

interface GpuSegment { kind: 'gpu'; commands: GPUCommandBuffer; dispatches: number }
interface HostStep { kind: 'host'; what: string; run: (ctx: GpuContext) => Promise<void> }

interface UniformChunk { buffer: GPUBuffer; bytes: Uint8Array<ArrayBuffer>; used: number }

const UNIFORM_CHUNK = 64 * 1024;

let nextProgramId = 1;
/** Programs whose submission failed, with why: their outputs must never be read as if valid. */
const failedPrograms = new Map<number, string>();

class Program {
  readonly id = nextProgramId++;
  encoder: GPUCommandEncoder | null = null;
  pass: GPUComputePassEncoder | null = null;
  readonly steps: (GpuSegment | HostStep)[] = [];
  /** Storages and buffers the encoded work uses, kept alive until it is submitted. */
  readonly keepAlive: unknown[] = [];
  readonly uniforms: UniformChunk[] = [];
  readonly checks: Promise<string | null>[] = [];
  dispatches = 0;
  segmentDispatches = 0;

  constructor(readonly ctx: GpuContext) {}

  commandEncoder(): GPUCommandEncoder {
    this.encoder ??= this.ctx.device.createCommandEncoder({ label: 'nnlens forward' });
    return this.encoder;
  }

  computePass(): GPUComputePassEncoder {
    this.pass ??= this.commandEncoder().beginComputePass();
    return this.pass;
  }

  endPass(): void {
    if (this.pass) { this.pass.end(); this.pass = null; }
  }

  closeSegment(): void {
    this.endPass();
    if (this.encoder) {
      // Encoding errors surface when the encoder is finished.
      const { device } = this.ctx;
      device.pushErrorScope('validation');
      const commands = this.encoder.finish();
      this.checks.push(device.popErrorScope().then((e) => (e ? `encoding the forward pass: WebGPU validation error: ${e.message}` : null)));
      this.steps.push({ kind: 'gpu', commands, dispatches: this.segmentDispatches });
      this.encoder = null;
      this.segmentDispatches = 0;
    }
  }

  uniform(words: Uint32Array): GPUBufferBinding {
    const align = Math.max(16, this.ctx.adapter.limits.minUniformBufferOffsetAlignment);
    const size = Math.max(16, Math.ceil(words.byteLength / 16) * 16);
    let chunk = this.uniforms[this.uniforms.length - 1];
    const offset = chunk ? Math.ceil(chunk.used / align) * align : 0;
    if (!chunk || offset + size > chunk.bytes.byteLength) {
      const capacity = Math.max(UNIFORM_CHUNK, size);
      chunk = {
        buffer: this.ctx.device.createBuffer({ size: capacity, usage: BufferUsage.UNIFORM | BufferUsage.COPY_DST, label: 'nnlens uniforms' }),
        bytes: new Uint8Array(capacity),
        used: 0,
      };
      this.uniforms.push(chunk);
      return this.place(chunk, 0, size, words);
    }
    return this.place(chunk, offset, size, words);
  }

  private place(chunk: UniformChunk, offset: number, size: number, words: Uint32Array): GPUBufferBinding {
    chunk.bytes.set(new Uint8Array(words.buffer, words.byteOffset, words.byteLength), offset);
    chunk.used = offset + size;
    return { buffer: chunk.buffer, offset, size };
  }
}

/** Counters since the device was created (tests and benchmarks read them through webgpuStats()). */
export const programStats = { dispatches: 0, submits: 0, hostSteps: 0, readbacks: 0, readbackBytes: 0 };

let program: Program | null = null;
/** Flushes run one after another: a later program may read what an earlier host step writes. */
let flushChain: Promise<void> = Promise.resolve();

function currentProgram(): Program {
  const ctx = requireGpu();
  if (!program || program.ctx !== ctx) program = new Program(ctx);
  return program;
}

/** Whether the storage's producing work failed (so its contents are not what was encoded). */
export function producedByFailedWork(s: GpuStorage): boolean {
  return s.programId !== null && failedPrograms.has(s.programId);
}

/** The id of the program that work encoded now belongs to (storages record where they were made). */
export function currentProgramId(): number { return currentProgram().id; }

/**
 * Runs `encode` (buffer creation, dispatches) inside out-of-memory and validation error scopes;
 * what they catch is reported at the next readback, prefixed with `what`.
 */
export function guarded<T>(what: string, encode: () => T): T {
  const ctx = requireGpu();
  const p = currentProgram();
  ctx.device.pushErrorScope('validation');
  ctx.device.pushErrorScope('out-of-memory');
  try {
    return encode();
  } finally {
    const oom = ctx.device.popErrorScope();
    const validation = ctx.device.popErrorScope();
    p.checks.push(oom.then((e) => (e ? `${what}: WebGPU out of memory (${e.message})` : null), (e: unknown) => `${what}: ${String(e)}`));
    p.checks.push(validation.then((e) => (e ? `${what}: WebGPU validation error: ${e.message}` : null), (e: unknown) => `${what}: ${String(e)}`));
  }
}

/** Part of a storage bound on its own (offset and size in bytes, offset aligned as the adapter needs). */
export interface BufferRange { storage: GpuStorage; offset: number; size: number }

export interface DispatchSpec {
  pipeline: GPUComputePipeline;
  /** Packed parameters (shapes, strides, scalars), bound at binding 0 as a uniform. */
  params: Uint32Array;
  /** Storage buffers at bindings 1.. in order: inputs first, outputs last (whole, or a byte range). */
  buffers: readonly (GpuStorage | BufferRange)[];
  workgroups: readonly [number, number, number];
}

/** Encodes one dispatch into the shared compute pass. */
export function encodeDispatch(spec: DispatchSpec): void {
  const p = currentProgram();
  const entries: GPUBindGroupEntry[] = [{ binding: 0, resource: p.uniform(spec.params) }];
  spec.buffers.forEach((b, i) => {
    const resource = 'storage' in b ? { buffer: b.storage.buffer, offset: b.offset, size: b.size } : { buffer: b.buffer };
    entries.push({ binding: i + 1, resource });
  });
  const group = p.ctx.device.createBindGroup({ layout: spec.pipeline.getBindGroupLayout(0), entries });
  const pass = p.computePass();
  pass.setPipeline(spec.pipeline);
  pass.setBindGroup(0, group);
  pass.dispatchWorkgroups(spec.workgroups[0], spec.workgroups[1], spec.workgroups[2]);
  p.keepAlive.push(...spec.buffers);
  programStats.dispatches++;
  p.dispatches++;
  p.segmentDispatches++;
}

/** Encodes a buffer-to-buffer copy (ends the current compute pass). */
export function encodeCopy(src: GpuStorage, srcOffset: number, dst: GpuStorage, dstOffset: number, bytes: number): void {
  const p = currentProgram();
  p.endPass();
  p.commandEncoder().copyBufferToBuffer(src.buffer, srcOffset, dst.buffer, dstOffset, bytes);
  p.keepAlive.push(src, dst);
}

/**
 * Adds work that runs on the host between GPU segments (a cpu kernel on values the GPU computes).
 * `run` may read back storages it captured and write its results with queue.writeBuffer.
 */
export function addHostStep(what: string, keep: readonly unknown[], run: (ctx: GpuContext) => Promise<void>): void {
  const p = currentProgram();
  p.closeSegment();
  p.steps.push({ kind: 'host', what, run });
  p.keepAlive.push(...keep);
}

/** Dispatches encoded since the last flush (for tests and benchmarks). */
export function pendingDispatches(): number { return program?.dispatches ?? 0; }

/** Submits everything encoded so far, in order, and reports any error it caused. */
export function flush(): Promise<void> {
  const p = program;
  program = null;
  const run = flushChain.then(() => (p ? execute(p) : undefined)).catch((e: unknown) => {
    if (p) failedPrograms.set(p.id, e instanceof Error ? e.message : String(e));
    throw e;
  });
  // A failed flush fails its own readback; later flushes still run.
  flushChain = run.catch(() => undefined);
  return run;
}

async function execute(p: Program): Promise<void> {
  const { ctx } = p;
  p.closeSegment();
  if (ctx.lost !== null) throw new Error(`the WebGPU device was lost: ${ctx.lost}`);
  for (const chunk of p.uniforms) ctx.device.queue.writeBuffer(chunk.buffer, 0, chunk.bytes, 0, Math.ceil(chunk.used / 4) * 4);
  for (const step of p.steps) {
    if (step.kind === 'gpu') {
      submitGuarded(ctx, p, 'submit', [step.commands]);
      programStats.submits++;
    } else {
      programStats.hostSteps++;
      try {
        await step.run(ctx);
      } catch (e) {
        throw new Error(`cpu fallback for ${step.what} failed: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
      }
    }
  }
  const problems = (await Promise.all(p.checks)).filter((m): m is string => m !== null);
  for (const chunk of p.uniforms) chunk.buffer.destroy();
  p.keepAlive.length = 0;
  if (ctx.lost !== null) throw new Error(`the WebGPU device was lost: ${ctx.lost}`);
  const uncaptured = ctx.uncaptured.splice(0);
  if (problems.length > 0 || uncaptured.length > 0) {
    throw new Error([...problems, ...uncaptured.map((u) => `WebGPU error: ${u}`)].join('\n'));
  }
}

function submitGuarded(ctx: GpuContext, p: Program, what: string, commands: GPUCommandBuffer[]): void {
  ctx.device.pushErrorScope('validation');
  ctx.device.pushErrorScope('out-of-memory');
  ctx.device.queue.submit(commands);
  const oom = ctx.device.popErrorScope();
  const validation = ctx.device.popErrorScope();
  p.checks.push(oom.then((e) => (e ? `${what}: WebGPU out of memory (${e.message})` : null)));
  p.checks.push(validation.then((e) => (e ? `${what}: WebGPU validation error: ${e.message}` : null)));
}

/**
 * Copies storages to mappable buffers and returns their bytes. Submits pending work first, so the
 * values are those of every op encoded before the call. Only the storages asked for are read.
 */
export async function readStorages(storages: readonly GpuStorage[]): Promise<ArrayBuffer[]> {
  await flush();
  return readStoragesNow(requireGpu(), storages);
}

/** readStorages without the flush: for host steps, whose earlier GPU segments are already submitted. */
export async function readStoragesNow(ctx: GpuContext, storages: readonly GpuStorage[]): Promise<ArrayBuffer[]> {
  if (storages.length === 0) return [];
  for (const s of storages) {
    if (s.generation !== ctx.generation || s.isDestroyed) throw new Error('cannot read back: the tensor\'s GPU buffer belongs to a device that is gone');
    const failed = s.programId === null ? undefined : failedPrograms.get(s.programId);
    if (failed !== undefined) throw new Error(`cannot read back: the work that computes this tensor failed: ${failed}`);
  }
  const encoder = ctx.device.createCommandEncoder({ label: 'nnlens readback' });
  const staging = storages.map((s) => {
    const bytes = Math.max(4, s.numel * 4);
    const buffer = ctx.device.createBuffer({ size: bytes, usage: BufferUsage.MAP_READ | BufferUsage.COPY_DST, label: 'nnlens staging' });
    encoder.copyBufferToBuffer(s.buffer, 0, buffer, 0, bytes);
    return buffer;
  });
  ctx.device.pushErrorScope('validation');
  ctx.device.pushErrorScope('out-of-memory');
  ctx.device.queue.submit([encoder.finish()]);
  programStats.readbacks++;
  programStats.readbackBytes += storages.reduce((n, s) => n + s.numel * 4, 0);
  const oom = ctx.device.popErrorScope();
  const validation = ctx.device.popErrorScope();
  try {
    await Promise.all(staging.map((b) => b.mapAsync(MapMode.READ)));
  } catch (e) {
    const why = (await oom) ?? (await validation);
    staging.forEach((b) => b.destroy());
    if (ctx.lost !== null) throw new Error(`the WebGPU device was lost: ${ctx.lost}`, { cause: e });
    throw new Error(`WebGPU readback failed: ${why ? why.message : e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
  const [o, v] = await Promise.all([oom, validation]);
  if (o || v) {
    staging.forEach((b) => b.destroy());
    throw new Error(`WebGPU readback failed: ${(o ?? v)!.message}`);
  }
  const out = staging.map((b) => {
    const copy = b.getMappedRange().slice(0);
    b.unmap();
    b.destroy();
    return copy;
  });
  return out;
}

/** Writes host bytes into a storage, ordered after everything already submitted. */
export function writeStorage(ctx: GpuContext, s: GpuStorage, values: Float32Array | Int32Array | Uint32Array): void {
  const bytes = values.byteLength;
  const padded = Math.ceil(bytes / 4) * 4;
  if (padded > s.byteSize) throw new Error(`cannot write ${formatBytes(padded)} into a ${formatBytes(s.byteSize)} GPU buffer`);
  ctx.device.queue.writeBuffer(s.buffer, 0, values.buffer, values.byteOffset, padded);
}

/** Drops encoded-but-unsubmitted work (after a device loss, or when tearing the device down). */
export function discardPending(): void {
  program = null;
}

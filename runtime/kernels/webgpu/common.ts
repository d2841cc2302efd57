/// <reference types="@webgpu/types" />
// What every WGSL kernel shares: pipelines cached by key (op + ranks + formats + variant), shapes
// and scalars packed into one uniform block, storage for inputs (uploaded once) and outputs, and a
// dispatch grid that stays under the 65535-workgroups-per-dimension limit.
//
// Shader conventions: binding 0 is the uniform block, read with `pu(i)` (u32), `pi(i)` (i32) and
// `pf(i)` (f32); bindings 1.. are storage buffers, inputs first (read-only), outputs last.
// A flat invocation index is `gid()` of the workgroup id, the workgroup count and the local index.
import type { Tensor } from '../../tensor.ts';
import { KernelUnsupported, formatBytes, requireGpu } from '../../devices/webgpu-context.ts';
import { type BufferRange, encodeDispatch } from '../../devices/webgpu-program.ts';
import { type GpuFormat, type GpuStorage, allocStorage, gpuStorageOf, requireFormat } from '../../devices/webgpu-storage.ts';

export { KernelUnsupported } from '../../devices/webgpu-context.ts';
export type { GpuFormat, GpuStorage } from '../../devices/webgpu-storage.ts';
export type { BufferRange } from '../../devices/webgpu-program.ts';

/** Packs kernel parameters as 32-bit words in the order the shader reads them. */
export class Params {
  private readonly words: number[] = [];
  private static readonly scratch = new DataView(new ArrayBuffer(4));

  u32(...values: number[]): this {
    for (const v of values) {
      if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) throw new KernelUnsupported(`parameter ${v} does not fit in a u32`);
      this.words.push(v >>> 0);
    }
    return this;
  }
  i32(...values: number[]): this {
    for (const v of values) {
      if (!Number.isInteger(v) || v < -0x80000000 || v > 0x7fffffff) throw new KernelUnsupported(`parameter ${v} does not fit in an i32`);
      this.words.push(v >>> 0);
    }
    return this;
  }
  f32(...values: number[]): this {
    for (const v of values) {
      Params.scratch.setFloat32(0, v, true);
      this.words.push(Params.scratch.getUint32(0, true));
    }
    return this;
  }
  /** A value in a compute format (scalars of binary ops become uniforms). */
  value(format: GpuFormat, v: number): this {
    if (format === 'f32') return this.f32(v);
    if (format === 'i32') return this.i32(Math.trunc(v) | 0);
    return this.u32(v >>> 0);
  }
  get length(): number { return this.words.length; }
  toArray(): Uint32Array { return Uint32Array.from(this.words.length === 0 ? [0] : this.words); }
}

/** The uniform block declaration for `count` words, and its accessors. */
export function paramsDecl(count: number): string {
  const vecs = Math.max(1, Math.ceil(count / 4));
  return `struct Params { v: array<vec4<u32>, ${vecs}> }
@group(0) @binding(0) var<uniform> P: Params;
fn pu(i: u32) -> u32 { return P.v[i / 4u][i % 4u]; }
fn pi(i: u32) -> i32 { return bitcast<i32>(P.v[i / 4u][i % 4u]); }
fn pf(i: u32) -> f32 { return bitcast<f32>(P.v[i / 4u][i % 4u]); }
`;
}

/** WGSL element type of a format. */
export const wgslType = (f: GpuFormat): string => f;

/** A storage binding declaration. */
export function storageDecl(binding: number, name: string, format: GpuFormat | `vec4<${GpuFormat}>`, write = false): string {
  return `@group(0) @binding(${binding}) var<storage, ${write ? 'read_write' : 'read'}> ${name}: array<${format}>;\n`;
}

/** Converts a WGSL expression between compute formats (float to int truncates, as torch casts do). */
export function convert(expr: string, from: GpuFormat, to: GpuFormat): string {
  if (from === to) return expr;
  if (to === 'f32') return `f32(${expr})`;
  if (to === 'u32') {
    const zero = from === 'f32' ? '0.0' : from === 'i32' ? '0i' : '0u';
    return `select(0u, 1u, (${expr}) != ${zero})`;
  }
  // to i32
  return from === 'f32' ? `i32(trunc(${expr}))` : `i32(${expr})`;
}

/** The flat invocation index for a 1-D launch of workgroups of `wg` invocations. */
export const entryPoint = (wg: number, body: string): string => `
@compute @workgroup_size(${wg})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lidx: u32) {
  let gid = (wid.y * nwg.x + wid.x) * ${wg}u + lidx;
${body}
}
`;

/** Workgroup counts covering `invocations` in groups of `wg`, folded into y past the per-dimension limit. */
export function grid(invocations: number, wg: number): [number, number, number] {
  const groups = Math.max(1, Math.ceil(invocations / wg));
  const max = requireGpu().info.limits.maxComputeWorkgroupsPerDimension;
  if (groups <= max) return [groups, 1, 1];
  const y = Math.ceil(groups / max);
  if (y > max) throw new KernelUnsupported(`${invocations} invocations exceed the adapter's dispatch limits`);
  return [Math.ceil(groups / y), y, 1];
}

/** The compute pipeline for `key`, compiled once per device. */
export function pipeline(key: string, code: () => string): GPUComputePipeline {
  const ctx = requireGpu();
  let p = ctx.pipelines.get(key);
  if (!p) {
    const source = code();
    const module = ctx.device.createShaderModule({ code: source, label: key });
    p = ctx.device.createComputePipeline({ layout: 'auto', compute: { module, entryPoint: 'main' }, label: key });
    ctx.pipelines.set(key, p);
  }
  return p;
}

/** Compiles (once) and encodes one dispatch. */
export function dispatch(key: string, code: () => string, params: Params, buffers: readonly (GpuStorage | BufferRange)[], workgroups: readonly [number, number, number]): void {
  const { limits } = requireGpu().info;
  if (buffers.length > limits.maxStorageBuffersPerShaderStage) {
    throw new KernelUnsupported(`${buffers.length} storage buffers exceed the adapter's ${limits.maxStorageBuffersPerShaderStage} per stage`);
  }
  for (const b of buffers) {
    const bytes = 'storage' in b ? b.size : b.byteSize;
    if (bytes > limits.maxStorageBufferBindingSize) {
      throw new KernelUnsupported(`a ${formatBytes(bytes)} operand is over this adapter's maxStorageBufferBindingSize (${formatBytes(limits.maxStorageBufferBindingSize)})`);
    }
  }
  encodeDispatch({ pipeline: pipeline(key, code), params: params.toArray(), buffers, workgroups });
}

/** The input's GPU storage (its host values uploaded on first use). */
export function input(t: Tensor, what = 'an input'): GpuStorage {
  return gpuStorageOf(t, what);
}

/** A fresh GPU storage for an output tensor, attached to it. */
export function output(t: Tensor, what = 'an output'): GpuStorage {
  const format = requireFormat(t.dtype, what);
  t.gpu = allocStorage(t.numel(), format, what);
  t.data = null;
  return t.gpu;
}

/** Declines dtypes other than float32 (most nn kernels). */
export function requireFloat32(...tensors: Tensor[]): void {
  for (const t of tensors) {
    if (t.dtype.name !== 'float32') throw new KernelUnsupported(`${t.dtype.name} input (the WGSL kernel is float32-only)`);
  }
}

/** Row-major strides of a shape. */
export function stridesOf(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let step = 1;
  for (let i = shape.length - 1; i >= 0; i--) { s[i] = step; step *= shape[i]!; }
  return s;
}

/** A numeric attribute by any of its spellings, or the default (torch's). */
export function numAttr(attrs: unknown, names: readonly string[], fallback: number): number {
  if (typeof attrs !== 'object' || attrs === null) return fallback;
  const rec = attrs as Record<string, unknown>;
  for (const n of names) {
    const v = rec[n];
    if (typeof v === 'number') return v;
    if (typeof v === 'boolean') return v ? 1 : 0;
    if (typeof v === 'object' && v !== null && 'value' in v && typeof (v as { value: unknown }).value === 'number') return (v as { value: number }).value;
  }
  return fallback;
}

/** A string or boolean attribute by any of its spellings. */
export function attr<T>(attrs: unknown, names: readonly string[], fallback: T): T {
  if (typeof attrs !== 'object' || attrs === null) return fallback;
  const rec = attrs as Record<string, unknown>;
  for (const n of names) if (rec[n] !== undefined && rec[n] !== null) return rec[n] as T;
  return fallback;
}

/** Math helpers WGSL lacks (or implements loosely on software adapters), included where needed. */
export const mathPrelude = `
fn nn_isnan(x: f32) -> bool { let b = bitcast<u32>(x); return (b & 0x7f800000u) == 0x7f800000u && (b & 0x007fffffu) != 0u; }
fn nn_isinf(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) == 0x7f800000u; }
// Not constant expressions: WGSL rejects NaN and infinity as constants.
fn nn_nan() -> f32 { var bits = 0x7fc00000u; return bitcast<f32>(bits); }
fn nn_inf() -> f32 { var bits = 0x7f800000u; return bitcast<f32>(bits); }
fn nn_neg_inf() -> f32 { var bits = 0xff800000u; return bitcast<f32>(bits); }
// sin/cos with Cody-Waite range reduction and cephes' float polynomials: SwiftShader's builtins
// lose about 1e-4 absolute for arguments of a few units.
fn nn_sincos(x: f32) -> vec2<f32> {
  let k = round(x * 0.6366197723675814);
  let r = ((x - k * 1.5703125) - k * 4.837512969970703125e-4) - k * 7.54978995489188e-8;
  let z = r * r;
  let s = r + r * z * (-1.6666654611e-1 + z * (8.3321608736e-3 + z * -1.9515295891e-4));
  let c = 1.0 - 0.5 * z + z * z * (4.166664568298827e-2 + z * (-1.388731625493765e-3 + z * 2.443315711809948e-5));
  let q = i32(k) & 3;
  var sc = vec2<f32>(s, c);
  if (q == 1) { sc = vec2<f32>(c, -s); } else if (q == 2) { sc = vec2<f32>(-s, -c); } else if (q == 3) { sc = vec2<f32>(-c, s); }
  return sc;
}
fn nn_log(x: f32) -> f32 {
  if (x == 0.0) { return -nn_inf(); }
  if (x < 0.0) { return nn_nan(); }
  return log(x);
}
fn nn_tanh(x: f32) -> f32 {
  let e = exp(-2.0 * abs(x));
  let t = (1.0 - e) / (1.0 + e);
  return select(-t, t, x >= 0.0);
}
fn nn_sigmoid(x: f32) -> f32 { return 1.0 / (1.0 + exp(-x)); }
fn nn_log1p(x: f32) -> f32 {
  let u = 1.0 + x;
  if (u == 1.0) { return x; }
  if (nn_isinf(u)) { return u; }
  return log(u) * (x / (u - 1.0));
}
fn nn_expm1(x: f32) -> f32 {
  if (abs(x) < 1e-5) { return x + 0.5 * x * x; }
  return exp(x) - 1.0;
}
fn nn_erfc(x: f32) -> f32 {
  let z = abs(x);
  let t = 1.0 / (1.0 + 0.5 * z);
  let r = t * exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806
    + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return select(2.0 - r, r, x >= 0.0);
}
fn nn_erf(x: f32) -> f32 {
  if (abs(x) < 0.5) {
    // Maclaurin series: relative accuracy near zero, where 1 - erfc(x) would cancel.
    let x2 = x * x;
    return x * (1.1283791671 + x2 * (-0.3761263890 + x2 * (0.1128379167 + x2 * (-0.0268661706 + x2 * (0.0052239776 + x2 * -0.0008548327)))));
  }
  return 1.0 - nn_erfc(x);
}
fn nn_softplus(x: f32, beta: f32, threshold: f32) -> f32 {
  if (x * beta > threshold) { return x; }
  return nn_log1p(exp(beta * x)) / beta;
}
fn nn_pow(a: f32, b: f32) -> f32 {
  if (b == 0.0) { return 1.0; }
  if (b == 1.0) { return a; }
  if (b == 2.0) { return a * a; }
  if (b == 0.5) { return sqrt(a); }
  if (nn_isnan(a) || nn_isnan(b)) { return nn_nan(); }
  if (a == 0.0) { return select(0.0, nn_inf(), b < 0.0); }
  let m = pow(abs(a), b);
  if (a > 0.0) { return m; }
  // negative base: defined for integer exponents only
  if (trunc(b) != b) { return nn_nan(); }
  let odd = abs(b) < 16777216.0 && (i32(abs(b)) & 1) == 1;
  return select(m, -m, odd);
}
fn nn_ipow(a: i32, b: i32) -> i32 {
  if (b < 0) {
    if (a == 1) { return 1; }
    if (a == -1) { return select(-1, 1, (b & 1) == 0); }
    return 0;
  }
  var result = 1;
  var base = a;
  var e = b;
  loop {
    if (e == 0) { break; }
    if ((e & 1) == 1) { result = result * base; }
    base = base * base;
    e = e >> 1u;
  }
  return result;
}
`;

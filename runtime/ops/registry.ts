// The op registry: one entry per op, holding its shape rule now and its kernels later.
//
// An op's `infer` computes output shapes and dtypes from the inputs' shapes and dtypes and the
// op's attributes, and throws the PyError PyTorch would raise for bad shapes. That is all the
// shape tier (`meta` device) needs: `runOp` then returns data-less tensors, so a 7e9-element
// tensor costs what a 7-element one does. The value tier (issue 3) adds a kernel per device to
// the same entry (`registerKernel('matmul', 'cpu', ...)`); every caller keeps calling `runOp`.
import { type DType, canCast } from '../dtype.ts';
import { type DeviceKind, Tensor, formatShape } from '../tensor.ts';
import { runtimeContext } from '../context.ts';
import { notImplementedError, runtimeError } from '../python/index.ts';
import { isGradEnabled } from './grad-mode.ts';
import { roundBFloat16, roundHalf } from './rounding.ts';

/** What an op produces: one tensor's shape and dtype. */
export interface TensorSpec {
  readonly shape: readonly number[];
  readonly dtype: DType;
}

/**
 * Computes a kernel's outputs into `outputs` (already allocated with the inferred shapes/dtypes).
 * Kernels never validate shapes: `infer` already did, with PyTorch's messages.
 */
export type Kernel<A> = (inputs: readonly Tensor[], attrs: A, outputs: Tensor[]) => void;

export interface OpDef<A> {
  readonly name: string;
  readonly infer: (inputs: readonly Tensor[], attrs: A) => TensorSpec | readonly TensorSpec[];
  /** Whether outputs require grad when an input does (false for argmax, comparisons, creation). */
  readonly differentiable: boolean;
  readonly kernels: Partial<Record<DeviceKind, Kernel<A>>>;
}

// Entries of different attribute types live in one table; each caller holds its typed OpDef.
const registry = new Map<string, OpDef<never>>();

export function defineOp<A>(
  name: string,
  infer: (inputs: readonly Tensor[], attrs: A) => TensorSpec | readonly TensorSpec[],
  options: { differentiable?: boolean } = {},
): OpDef<A> {
  if (registry.has(name)) throw new Error(`op ${name} is defined twice`);
  const op: OpDef<A> = { name, infer, differentiable: options.differentiable ?? true, kernels: {} };
  registry.set(name, op as unknown as OpDef<never>);
  return op;
}

export function getOp(name: string): OpDef<unknown> | undefined {
  return registry.get(name) as OpDef<unknown> | undefined;
}

export function registeredOpNames(): string[] { return [...registry.keys()].sort(); }

/**
 * A device that manages its own storage runs ops itself. `webgpu` registers one
 * (runtime/devices/webgpu-executor.ts): its kernels only *encode* GPU work (submitted when values
 * are read back, after the synchronous forward pass), outputs get GPU buffers instead of `data`,
 * and an op without a WGSL kernel falls back to its cpu kernel with a recorded notice.
 */
export interface DeviceExecutor {
  /**
   * Computes `outputs` (created with the inferred shapes and dtypes, no storage yet). `inplaceTarget`
   * is the tensor an in-place op will write the result into (see `assign`).
   */
  run(op: OpDef<unknown>, inputs: readonly Tensor[], attrs: unknown, outputs: Tensor[], inplaceTarget?: Tensor): void;
  /** Makes `self` hold `value` (a fresh result of self's shape): the in-place ops' write-back. */
  assign(self: Tensor, value: Tensor): void;
}

const executors: Partial<Record<DeviceKind, DeviceExecutor>> = {};

export function registerDeviceExecutor(device: DeviceKind, executor: DeviceExecutor): void {
  executors[device] = executor;
}

/** Adds a device kernel to an op (the value tier's entry point). */
export function registerKernel<A>(op: OpDef<A>, device: DeviceKind, kernel: Kernel<A>): void {
  op.kernels[device] = kernel;
}

/** Where an op runs: its tensors' device, or the evaluation's device for ops without tensor inputs. */
function deviceOf(inputs: readonly Tensor[]): DeviceKind {
  // A loop rather than filter/some: every op of every forward asks (no arrays or closures made).
  let device: DeviceKind | undefined;
  for (let i = 0; i < inputs.length; i++) {
    const t = inputs[i]!;
    if (t.isWrappedNumber) continue;
    if (device === undefined) device = t.device;
    else if (t.device !== device) {
      throw runtimeError(`Expected all tensors to be on the same device, but found at least two devices, ${device} and ${t.device}!`);
    }
  }
  return device ?? inputs[0]?.device ?? runtimeContext().device;
}

function anyRequiresGrad(inputs: readonly Tensor[]): boolean {
  for (let i = 0; i < inputs.length; i++) if (inputs[i]!.requiresGrad) return true;
  return false;
}

/** An output tensor of `spec` (no storage yet); only floating-point (and complex) results can carry gradients. */
function newOutput(spec: TensorSpec, device: DeviceKind, requiresGrad: boolean): Tensor {
  const t = new Tensor(spec.shape, spec.dtype, device);
  t.requiresGrad = requiresGrad && (spec.dtype.isFloatingPoint || spec.dtype.isComplex);
  return t;
}

/** Fills `outputs` on a value device: its executor, else the op's kernel on fresh storage. */
function compute<A>(op: OpDef<A>, inputs: readonly Tensor[], attrs: A, outputs: Tensor[], device: DeviceKind): void {
  const executor = executors[device];
  if (executor) {
    executor.run(op as OpDef<unknown>, inputs, attrs, outputs);
    return;
  }
  const kernel = op.kernels[device];
  if (!kernel) throw notImplementedError(`no ${device} kernel for ${op.name} yet`);
  for (const t of outputs) t.data = allocate(t.dtype, t.numel());
  kernel(inputs, attrs, outputs);
}

/** Runs an op and returns all its outputs. */
export function runOpMulti<A>(op: OpDef<A>, inputs: readonly Tensor[], attrs: A): Tensor[] {
  return outputsOf(op, inputs, attrs, op.infer(inputs, attrs));
}

function outputsOf<A>(op: OpDef<A>, inputs: readonly Tensor[], attrs: A, inferred: TensorSpec | readonly TensorSpec[]): Tensor[] {
  const specs: readonly TensorSpec[] = Array.isArray(inferred) ? inferred : [inferred as TensorSpec];
  const device = deviceOf(inputs);
  const requiresGrad = op.differentiable && isGradEnabled() && anyRequiresGrad(inputs);
  const outputs = specs.map((s) => newOutput(s, device, requiresGrad));
  if (device !== 'meta') compute(op, inputs, attrs, outputs, device);
  return outputs;
}

/** Runs a single-output op. */
export function runOp<A>(op: OpDef<A>, inputs: readonly Tensor[], attrs: A): Tensor {
  const inferred = op.infer(inputs, attrs);
  if (Array.isArray(inferred)) {
    const outputs = outputsOf(op, inputs, attrs, inferred);
    if (outputs.length !== 1) throw new Error(`op ${op.name} has ${outputs.length} outputs; use runOpMulti`);
    return outputs[0]!;
  }
  // The common case without the arrays of the general path (on `meta`, none at all).
  const device = deviceOf(inputs);
  const out = newOutput(inferred as TensorSpec, device, op.differentiable && isGradEnabled() && anyRequiresGrad(inputs));
  if (device !== 'meta') compute(op, inputs, attrs, [out], device);
  return out;
}

/**
 * Runs an op in place on `self` (`x.add_(y)`, `x += y`): the op's result must have self's shape
 * and a dtype that casts to self's, as PyTorch requires. Returns `self`.
 */
export function runOpInplace<A>(op: OpDef<A>, self: Tensor, inputs: readonly Tensor[], attrs: A): Tensor {
  const inferred = op.infer(inputs, attrs);
  const spec = (Array.isArray(inferred) ? inferred[0] : inferred) as TensorSpec;
  const same = spec.shape.length === self.shape.length && spec.shape.every((s, i) => s === self.shape[i]);
  if (!same) throw runtimeError(`output with shape ${formatShape(self.shape)} doesn't match the broadcast shape ${formatShape(spec.shape)}`);
  if (!canCast(spec.dtype, self.dtype)) {
    throw runtimeError(`result type ${spec.dtype.scalarTypeName} can't be cast to the desired output type ${self.dtype.scalarTypeName}`);
  }
  if (op.differentiable && isGradEnabled() && inputs.some((t) => t.requiresGrad) && (self.dtype.isFloatingPoint || self.dtype.isComplex)) {
    self.requiresGrad = true;
  }
  if (self.device === 'meta') return self;
  const executor = executors[self.device];
  if (executor) {
    const out = new Tensor(self.shape, spec.dtype, self.device);
    executor.run(op as OpDef<unknown>, inputs, attrs, [out], self);
    executor.assign(self, out);
    return self;
  }
  const kernel = op.kernels[self.device];
  if (!kernel) throw notImplementedError(`no ${self.device} kernel for ${op.name} yet`);
  const out = new Tensor(self.shape, spec.dtype, self.device, allocate(spec.dtype, self.numel()));
  kernel(inputs, attrs, [out]);
  writeInto(self, out);
  return self;
}

/**
 * Writes `src`'s values into `self`'s existing storage (views of it, such as `param.data`, see the
 * change), casting to self's dtype as a C++ static_cast does: floats to integers truncate, integers
 * wrap to their width, bool is `!= 0`, int64 goes through BigInt.
 */
export function writeInto(self: Tensor, src: Tensor): void {
  const executor = executors[self.device];
  if (executor) { executor.assign(self, src); return; }
  const to = self.data;
  const from = src.data;
  if (!to || !from) throw notImplementedError(`writing values into a ${self.device} tensor is not implemented`);
  if (src.dtype === self.dtype || (to instanceof Float32Array && from instanceof Float32Array && src.dtype.itemSize >= self.dtype.itemSize && self.dtype.name === 'float32')) {
    (to as { set(a: ArrayLike<number | bigint>): void }).set(from);
    return;
  }
  const n = self.numel();
  const read = (i: number): number => (from instanceof BigInt64Array ? Number(from[i]!) : from[i]!);
  if (to instanceof BigInt64Array) {
    if (from instanceof BigInt64Array) { to.set(from); return; }
    for (let i = 0; i < n; i++) {
      const v = read(i);
      to[i] = Number.isFinite(v) && Math.abs(v) < 9.2e18 ? BigInt(Math.trunc(v)) : -9223372036854775808n;
    }
    return;
  }
  const name = self.dtype.name;
  const width = name === 'int16' ? 16 : name === 'int8' ? 24 : 0;
  for (let i = 0; i < n; i++) {
    const v = read(i);
    if (name === 'bool') to[i] = v !== 0 ? 1 : 0;
    else if (name === 'float16') to[i] = roundHalf(v); // float16/bfloat16 keep float32 storage, rounded
    else if (name === 'bfloat16') to[i] = roundBFloat16(v);
    else if (self.dtype.isFloatingPoint || self.dtype.isComplex) to[i] = v;
    else if (!Number.isFinite(v)) to[i] = name === 'int32' ? -2147483648 : 0;
    else to[i] = width ? ((Math.trunc(v) | 0) << width) >> width : Math.trunc(v) | 0;
  }
}

/** Storage for a value-device tensor (the typed array each dtype uses). */
export function allocate(dtype: DType, numel: number): NonNullable<Tensor['data']> {
  switch (dtype.name) {
    case 'float64': return new Float64Array(numel);
    case 'int64': return new BigInt64Array(numel);
    case 'int32': case 'int16': case 'int8': return new Int32Array(numel);
    case 'uint8': case 'bool': return new Uint8Array(numel);
    case 'complex64': return new Float32Array(2 * numel);
    case 'complex128': return new Float64Array(2 * numel);
    default: return new Float32Array(numel);
  }
}

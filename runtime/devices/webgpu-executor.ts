// Runs ops on the `webgpu` device (registered with the op registry as its executor).
//
// An op with a WGSL kernel encodes GPU work and its outputs get GPU storage. An op without one
// (or whose kernel declines these inputs: a dtype WGSL lacks, a tensor over a binding limit, an
// attribute it does not implement) runs its cpu kernel, and the op goes on the fallback list with
// the reason, once per op and reason: nothing falls back silently. When that op's inputs are all
// on the host it runs right away; when some exist only on the GPU it becomes a host step of the
// pending program (see webgpu-program.ts) and its outputs get GPU buffers filled at flush time.
//
// Ops whose values are born on the host by design (creation, random fills, literals) run their
// cpu kernels without a notice: the RNG is the CPU's, and their results upload on first GPU use.
import type { DType } from '../dtype.ts';
import { Tensor } from '../tensor.ts';
import { notImplementedError } from '../python/index.ts';
import { type DeviceExecutor, type Kernel, type OpDef, allocate, registerDeviceExecutor, writeInto } from '../ops/registry.ts';
import { cast } from '../ops/creation.ts';
import { KernelUnsupported, requireGpu } from './webgpu-context.ts';
import { addHostStep, guarded, readStoragesNow, writeStorage } from './webgpu-program.ts';
import { type GpuStorage, allocStorage, fromGpuBytes, gpuFormat, gpuStorageOf, toGpuArray } from './webgpu-storage.ts';

/** One op that ran on the CPU while evaluating on webgpu, and why. */
export interface FallbackNotice {
  op: string;
  reason: string;
  /** How many times it ran on the CPU since the list was last cleared. */
  count: number;
}

const notices = new Map<string, FallbackNotice>();

/** Ops that ran on the CPU instead of the GPU (one entry per op and reason), for the caller to print. */
export function webgpuFallbacks(): FallbackNotice[] { return [...notices.values()]; }
export function clearWebgpuFallbacks(): void { notices.clear(); }

function noteFallback(op: string, reason: string): void {
  const key = `${op}\u0000${reason}`;
  const n = notices.get(key);
  if (n) n.count++;
  else notices.set(key, { op, reason, count: 1 });
}

/** Ops whose values come from the host by design: creation, RNG fills, Python literals. */
const hostNative = new Set(['create', 'range', 'eye', 'from_data', 'fill_']);

/** A cpu-device tensor over host values (cpu kernels may call ops on their inputs). */
function cpuView(t: Tensor, data: NonNullable<Tensor['data']>): Tensor {
  const view = new Tensor(t.shape, t.dtype, 'cpu', data);
  view.isWrappedNumber = t.isWrappedNumber;
  return view;
}

function runOnCpu(op: OpDef<unknown>, inputs: readonly Tensor[], attrs: unknown, outputs: Tensor[], reason: string): void {
  const cpu = op.kernels.cpu as Kernel<unknown> | undefined;
  if (!cpu) throw notImplementedError(`no webgpu or cpu kernel for ${op.name} yet (webgpu: ${reason})`);
  if (!hostNative.has(op.name)) noteFallback(op.name, reason);

  if (inputs.every((t) => t.data !== null)) {
    const cpuOutputs = outputs.map((o) => cpuView(o, allocate(o.dtype, o.numel())));
    cpu(inputs.map((t) => cpuView(t, t.data!)), attrs, cpuOutputs);
    outputs.forEach((o, i) => { o.data = cpuOutputs[i]!.data; });
    return;
  }

  // Some inputs exist only on the GPU: run the cpu kernel at flush time, between GPU segments.
  const captured = inputs.map((t) => (t.data !== null ? { tensor: t, data: t.data, storage: null } : { tensor: t, data: null, storage: gpuStorageOf(t) }));
  const targets = outputs.map((o) => {
    const format = gpuFormat(o.dtype);
    if (format === null) {
      throw notImplementedError(`${op.name} runs on the CPU after GPU work here, and its ${o.dtype.name} result has no GPU form, so the webgpu device cannot continue (${reason})`);
    }
    try {
      o.gpu = allocStorage(o.numel(), format, `the output of ${op.name}`);
    } catch (e) {
      throw e instanceof KernelUnsupported ? notImplementedError(`${op.name} on webgpu: ${e.message}`) : e;
    }
    return o.gpu;
  });
  const shapes = outputs.map((o) => ({ shape: o.shape, dtype: o.dtype as DType }));
  addHostStep(op.name, [...captured.map((c) => c.storage).filter((s) => s !== null), ...targets], async (ctx) => {
    const gpuInputs = captured.filter((c) => c.storage !== null);
    const bytes = await readStoragesNow(ctx, gpuInputs.map((c) => c.storage!));
    const cpuInputs = captured.map((c) => {
      if (c.data !== null) return cpuView(c.tensor, c.data);
      const k = gpuInputs.indexOf(c);
      return cpuView(c.tensor, fromGpuBytes(bytes[k]!, c.tensor.numel(), c.tensor.dtype));
    });
    const cpuOutputs = shapes.map((s) => new Tensor(s.shape, s.dtype, 'cpu', allocate(s.dtype, s.shape.reduce((a, b) => a * b, 1))));
    cpu(cpuInputs, attrs, cpuOutputs);
    cpuOutputs.forEach((o, i) => writeStorage(ctx, targets[i]!, toGpuArray(o.data!, targets[i]!.format, o.dtype.name)));
  });
}

export const webgpuExecutor: DeviceExecutor = {
  run(op, inputs, attrs, outputs, inplaceTarget) {
    requireGpu();
    const kernel = op.kernels.webgpu as Kernel<unknown> | undefined;
    const cpu = op.kernels.cpu as Kernel<unknown> | undefined;
    // An in-place update of host values (parameter initialisation: `w.mul_(0.1)`, `b.zero_()`)
    // stays on the host, so the array keeps its aliases (`param.data`) and uploads once later.
    if (inplaceTarget?.data && !inplaceTarget.gpu && cpu && inputs.every((t) => t.data !== null)) {
      const cpuOutputs = outputs.map((o) => cpuView(o, allocate(o.dtype, o.numel())));
      cpu(inputs.map((t) => cpuView(t, t.data!)), attrs, cpuOutputs);
      outputs.forEach((o, i) => { o.data = cpuOutputs[i]!.data; });
      return;
    }
    let reason = 'no WGSL kernel';
    if (kernel && !hostNative.has(op.name)) {
      try {
        guarded(op.name, () => kernel(inputs, attrs, outputs));
        return;
      } catch (e) {
        if (!(e instanceof KernelUnsupported)) throw e;
        reason = e.message;
        for (const o of outputs) { o.gpu = null; o.data = null; }
      }
    }
    runOnCpu(op, inputs, attrs, outputs, reason);
  },

  assign(self, value) {
    if (value.data !== null) {
      // Writing into the existing array (casting as the cpu device does) keeps aliases such as
      // `param.data` seeing the new values; the GPU copy, if any, is stale from now on.
      if (self.data !== null && self.data.length === allocate(self.dtype, 0).length + self.numel() * (self.dtype.isComplex ? 2 : 1)) {
        writeInto(cpuView(self, self.data), cpuView(value, value.data));
      } else if (self.dtype === value.dtype) {
        self.data = value.data;
      } else {
        const data = allocate(self.dtype, self.numel());
        writeInto(cpuView(self, data), cpuView(value, value.data));
        self.data = data;
      }
      self.gpu = null;
      return;
    }
    const v = value.dtype === self.dtype ? value : cast(value, self.dtype);
    // A new storage rather than a write into the old one: views sharing it keep their values.
    self.gpu = v.gpu as GpuStorage | null;
    self.data = v.data;
  },
};

registerDeviceExecutor('webgpu', webgpuExecutor);

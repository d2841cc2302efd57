// Small torch value types: torch.Size, torch.device, torch.layout, torch.memory_format and
// torch.Generator, with the reprs PyTorch prints.
import { PyTuple, type PyValue, pyRepr, runtimeError, typeError, pyTypeName } from '../python/index.ts';

/**
 * `torch.Size`: a tuple of ints (the evaluator indexes, unpacks and iterates it as a tuple) whose
 * repr is `torch.Size([1, 16, 5, 5])`. Slicing a Size gives a Size: the evaluator asks `withItems`.
 */
export class TorchSize extends PyTuple {
  readonly pyTypeName = 'torch.Size';
  constructor(items: readonly number[]) { super(items); }
  get dims(): number[] { return this.items as number[]; }
  /** A Size of other items (what `size[1:]` and `size + (3,)` keep as a Size). */
  withItems(items: readonly PyValue[]): TorchSize { return new TorchSize(items as number[]); }
  numel(): number { return this.dims.reduce((a, b) => a * b, 1); }
  pyRepr(): string { return `torch.Size([${this.dims.join(', ')}])`; }
  pyStr(): string { return this.pyRepr(); }
}

/** `torch.Size(seq)`: ints only, with the TypeError torch raises for anything else. */
export function makeTorchSize(items: readonly PyValue[]): TorchSize {
  for (const v of items) {
    if (typeof v !== 'number') {
      throw typeError(`torch.Size() takes an iterable of 'int' (item ${items.indexOf(v)} is '${pyTypeName(v)}')`);
    }
  }
  return new TorchSize(items as number[]);
}

const deviceTypes = ['cpu', 'cuda', 'ipu', 'xpu', 'mkldnn', 'opengl', 'opencl', 'ideep', 'hip', 've', 'fpga', 'ort', 'xla', 'lazy', 'vulkan', 'mps', 'meta', 'hpu', 'privateuseone'];

/** `torch.device`: what user code asks for (`'cuda:0'`). Tensors live on the evaluation's device. */
export class TorchDevice {
  readonly pyTypeName = 'torch.device';
  constructor(readonly type: string, readonly index: number | null = null) {}
  pyRepr(): string { return this.index === null ? `device(type='${this.type}')` : `device(type='${this.type}', index=${this.index})`; }
  pyStr(): string { return this.index === null ? this.type : `${this.type}:${this.index}`; }
}

/** Parses `'cuda:1'`, `'cpu'`, an int (a CUDA ordinal) or a device, with c10's messages. */
export function parseDevice(v: PyValue): TorchDevice {
  if (v instanceof TorchDevice) return v;
  if (typeof v === 'number') {
    if (v < 0) throw runtimeError(`Device index must not be negative`);
    return new TorchDevice('cuda', v);
  }
  if (typeof v !== 'string') throw typeError(`Expected a torch.device, a string or an int, got ${pyRepr(v)}`);
  const m = /^([a-z_]+)(?::(\d+))?$/.exec(v);
  const type = m?.[1];
  if (!m || !type || !deviceTypes.includes(type)) {
    const prefix = /^[a-zA-Z_]*/.exec(v)![0];
    if (type && deviceTypes.includes(type)) throw runtimeError(`Invalid device string: '${v}'`);
    throw runtimeError(`Expected one of ${deviceTypes.join(', ')} device type at start of device string: ${prefix || v}`);
  }
  return new TorchDevice(type, m[2] === undefined ? null : Number(m[2]));
}

/** A named torch constant object: `torch.strided`, `torch.contiguous_format`. */
export class TorchEnumValue {
  constructor(readonly pyTypeName: string, readonly name: string) {}
  pyRepr(): string { return `torch.${this.name}`; }
}

export const strided = new TorchEnumValue('torch.layout', 'strided');
export const sparseCoo = new TorchEnumValue('torch.layout', 'sparse_coo');
export const contiguousFormat = new TorchEnumValue('torch.memory_format', 'contiguous_format');
export const channelsLast = new TorchEnumValue('torch.memory_format', 'channels_last');
export const preserveFormat = new TorchEnumValue('torch.memory_format', 'preserve_format');

/**
 * `torch.Generator`: holds a seed now; the value tier (issue 3) attaches its mt19937 state here,
 * so random ops that take `generator=` already receive the right object.
 */
export class TorchGenerator {
  readonly pyTypeName = 'torch._C.Generator';
  /** The random engine's state, owned by the value tier. */
  state: unknown = null;
  constructor(public seed: number = 67280421310721) {}
  pyRepr(): string { return '<torch._C.Generator object>'; }
}

// The tensor: a shape, a dtype, a device and, on value devices, data. On the `meta` device
// (the shape tier) `data` is null and nothing proportional to numel() is ever allocated.
import { type DType, float32 } from './dtype.ts';
import type { GpuStorage } from './devices/webgpu-storage.ts';

export type DeviceKind = 'meta' | 'cpu' | 'webgpu';

export class Tensor {
  readonly pyTypeName: string = 'Tensor';
  requiresGrad = false;
  /** Set when the tensor is the result of an op on a tensor that requires grad (repr shows grad_fn). */
  gradFn: string | null = null;
  /**
   * A Python number that an op wrapped into a 0-dim tensor (`x + 2.5`). Type promotion treats it
   * as weaker than any real tensor (int64 tensor + 2.5 -> float32, float16 tensor + 2.5 -> float16).
   */
  isWrappedNumber = false;

  constructor(
    readonly shape: readonly number[],
    readonly dtype: DType = float32,
    readonly device: DeviceKind = 'meta',
    /** Row-major contiguous values; null on `meta`. Kernels for values arrive with the value tier. */
    public data: Float32Array | Float64Array | Int32Array | BigInt64Array | Uint8Array | null = null,
  ) {}

  /**
   * On `webgpu`: the values in a GPU buffer (runtime/devices/webgpu-storage.ts). A webgpu tensor
   * holds `data`, `gpu` or both (then they agree); results of GPU kernels have only `gpu`, and
   * their values reach the host through `readback` after the forward pass. Null elsewhere.
   */
  gpu: GpuStorage | null = null;

  get ndim(): number { return this.shape.length; }
  numel(): number { return this.shape.reduce((a, b) => a * b, 1); }
}

/** `nn.Parameter`: a tensor that a Module registers as a parameter when assigned as an attribute. */
export class Parameter extends Tensor {
  override readonly pyTypeName: string = 'Parameter';
  constructor(shape: readonly number[], dtype: DType = float32, device: DeviceKind = 'meta', data: Tensor['data'] = null, requiresGrad = true) {
    super(shape, dtype, device, data);
    this.requiresGrad = requiresGrad;
  }
  static fromTensor(t: Tensor, requiresGrad = true): Parameter {
    const p = new Parameter(t.shape, t.dtype, t.device, t.data, requiresGrad);
    p.gpu = t.gpu;
    return p;
  }
}

/** Elements of a tensor of this shape (1 for a 0-dim tensor). */
export const shapeNumel = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** Row-major strides of a contiguous tensor (what `x.stride()` is for every tensor the shape tier makes). */
export function contiguousStrides(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let step = 1;
  for (let i = shape.length - 1; i >= 0; i--) { strides[i] = step; step *= Math.max(shape[i]!, 1); }
  return strides;
}

/** `[1, 16, 5, 5]`, the way torch prints a shape inside messages (`torch.Size` prints differently). */
export const formatShape = (shape: readonly number[]): string => `[${shape.join(', ')}]`;

// The tensor: a shape, a dtype, a device and, on value devices, data. On the `meta` device
// (the shape tier) `data` is null and nothing proportional to numel() is ever allocated.
import { type DType, float32 } from './dtype.ts';

export type DeviceKind = 'meta' | 'cpu' | 'webgpu';

export class Tensor {
  readonly pyTypeName: string = 'Tensor';
  requiresGrad = false;
  /** Set when the tensor is the result of an op on a tensor that requires grad (repr shows grad_fn). */
  gradFn: string | null = null;

  constructor(
    readonly shape: readonly number[],
    readonly dtype: DType = float32,
    readonly device: DeviceKind = 'meta',
    /** Row-major contiguous values; null on `meta`. Kernels for values arrive with the value tier. */
    public data: Float32Array | Float64Array | Int32Array | BigInt64Array | Uint8Array | null = null,
  ) {}

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
    return new Parameter(t.shape, t.dtype, t.device, t.data, requiresGrad);
  }
}

/** `[1, 16, 5, 5]`, the way torch prints a shape inside messages (`torch.Size` prints differently). */
export const formatShape = (shape: readonly number[]): string => `[${shape.join(', ')}]`;

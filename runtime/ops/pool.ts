// Pooling shape rules, following ATen 1.13's checks and messages: max/avg pooling in 2-D and 3-D
// (1-D pooling runs as 2-D on an unsqueezed input, as in ATen), and adaptive pooling.
import { int64 } from '../dtype.ts';
import { type Tensor, formatShape } from '../tensor.ts';
import { indexError, runtimeError } from '../python/index.ts';
import { defineOp, runOp, runOpMulti } from './registry.ts';

/** Floor division rounding toward negative infinity (ATen's div_rtn). */
const divRtn = (a: number, b: number): number => Math.floor(a / b);

/** pooling_output_shape: the output length of one spatial dim, with its checks. */
export function poolingOutputSize(size: number, kernel: number, pad: number, stride: number, dilation: number, ceil: boolean): number {
  if (stride === 0) throw runtimeError('stride should not be zero');
  if (pad < 0) throw runtimeError(`pad must be non-negative, but got pad: ${pad}`);
  if (pad > Math.floor(kernel / 2)) throw runtimeError(`pad should be at most half of kernel size, but got pad=${pad} and kernel_size=${kernel}`);
  let out = divRtn(size + 2 * pad - dilation * (kernel - 1) - 1 + (ceil ? stride - 1 : 0), stride) + 1;
  // In ceil mode the last window must start inside the (left-padded) input.
  if (ceil && (out - 1) * stride >= size + pad) out--;
  return out;
}

export interface PoolAttrs {
  /** 2 or 3 spatial dims (1-D pooling is 2-D on an unsqueezed input). */
  spatial: 2 | 3;
  kernel: readonly number[];
  /** Empty means "same as kernel". */
  stride: readonly number[];
  padding: readonly number[];
  dilation: readonly number[];
  ceilMode: boolean;
  divisorOverride?: number | null;
  /** avg_pool: whether zero padding counts in the divisor (true when absent, PyTorch's default). */
  countIncludePad?: boolean;
}

const countWords = { 2: 'two', 3: 'three' } as const;

/** Expands kernel/stride/padding/dilation lists (1 value or N values) with the op's own wording. */
function expand(values: readonly number[], n: number, message: string, allowEmpty: boolean, fallback: readonly number[]): number[] {
  if (values.length === 0 && allowEmpty) return [...fallback];
  if (values.length === 1) return new Array<number>(n).fill(values[0]!);
  if (values.length !== n) throw runtimeError(message);
  return [...values];
}

const dimLabels = { 2: ['H', 'W'], 3: ['T', 'H', 'W'] } as const;

function poolShape(kind: 'max' | 'avg', input: Tensor, a: PoolAttrs): number[] {
  const n = a.spatial;
  const fn = `${kind}_pool${n}d`;
  const words = countWords[n];
  const isMax = kind === 'max';
  const kernel = expand(a.kernel, n, isMax || n === 2 ? `${fn}: kernel_size must either be a single int, or a tuple of ${words} ints` : `${fn}: kernel_size must be a single int, or a tuple of ${words} ints`, false, []);
  const stride = expand(a.stride, n, isMax || n === 2 ? `${fn}: stride must either be omitted, a single int, or a tuple of ${words} ints` : `${fn}: stride must be omitted, a single int, or a tuple of ${words} ints`, true, kernel);
  const padding = expand(a.padding, n, isMax ? `${fn}: padding must be either be a single int, or a tuple of ${words} ints` : n === 2 ? `${fn}: padding must either be a single int, or a tuple of ${words} ints` : `${fn}: padding must be a single int, or a tuple of ${words} ints`, false, []);
  const dilation = isMax ? expand(a.dilation, n, `${fn}: dilation must be either a single int, or a tuple of ${words} ints`, false, []) : new Array<number>(n).fill(1);

  if (isMax || n === 3) {
    if (input.ndim !== n + 1 && input.ndim !== n + 2) throw runtimeError(`non-empty ${n + 1}D or ${n + 2}D (batch mode) tensor expected for input`);
  }
  if (!isMax && a.divisorOverride === 0) throw runtimeError('divisor must be not zero');
  if (!isMax && n === 2 && input.ndim < 3) {
    throw indexError(`Dimension out of range (expected to be in range of [${-input.ndim}, ${input.ndim - 1}], but got -3)`);
  }
  const spatialIn = input.shape.slice(-n);
  const planes = input.shape[input.ndim - n - 1]!;
  const out = spatialIn.map((s, i) => poolingOutputSize(s, kernel[i]!, padding[i]!, stride[i]!, dilation[i]!, a.ceilMode));

  const labels = dimLabels[n];
  if (kernel.some((k) => k <= 0)) throw runtimeError(`kernel size should be greater than zero, but got ${labels.map((l, i) => `k${l}: ${kernel[i]}`).join(' ')}`);
  if (stride.some((s) => s <= 0)) throw runtimeError(`stride should be greater than zero, but got ${labels.map((l, i) => `d${l}: ${stride[i]}`).join(' ')}`);
  if (dilation.some((d) => d <= 0)) throw runtimeError(`dilation should be greater than zero, but got ${labels.map((l, i) => `dilation${l}: ${dilation[i]}`).join(' ')}`);
  if (n === 2) {
    const validDims = input.shape[input.ndim - 3] !== 0 && input.shape[input.ndim - 2] !== 0;
    const ok = (input.ndim === 3 && input.shape[0] !== 0 && validDims) || (input.ndim === 4 && validDims && input.shape[3] !== 0);
    if (!ok) throw runtimeError(`Expected 3D or 4D (batch mode) tensor with optional 0 dim batch size for input, but got:${formatShape(input.shape)}`);
  } else {
    const fnName = isMax ? 'max_pool3d_with_indices_out_cpu_template()' : 'avg_pool3d()';
    input.shape.forEach((s, i) => {
      if (!(input.ndim === 5 && i === 0) && s <= 0) {
        throw runtimeError(`${fnName}: Expected input's non-batch dimensions to have positive length, but input has a shape of ${formatShape(input.shape)} and non-batch dimension ${s} has length zero!`);
      }
    });
    if (!isMax && spatialIn.some((s, i) => s < kernel[i]!)) {
      throw runtimeError(`input image (T: ${spatialIn[0]} H: ${spatialIn[1]} W: ${spatialIn[2]}) smaller than kernel size (kT: ${kernel[0]} kH: ${kernel[1]} kW: ${kernel[2]})`);
    }
  }
  if (out.some((o) => o < 1)) {
    throw runtimeError(`Given input size: (${[planes, ...spatialIn].join('x')}). Calculated output size: (${[planes, ...out].join('x')}). Output size is too small`);
  }
  return [...input.shape.slice(0, -n), ...out];
}

const maxPoolOp = defineOp<PoolAttrs>('max_pool_with_indices', ([input], a) => {
  const shape = poolShape('max', input!, a);
  return [{ shape, dtype: input!.dtype }, { shape, dtype: int64 }];
});
/** max_pool{2,3}d_with_indices: (values, indices). */
export function maxPoolWithIndices(input: Tensor, attrs: PoolAttrs): [Tensor, Tensor] {
  const [v, i] = runOpMulti(maxPoolOp, [input], attrs);
  return [v!, i!];
}

const avgPoolOp = defineOp<PoolAttrs>('avg_pool', ([input], a) => ({ shape: poolShape('avg', input!, a), dtype: input!.dtype }));
export const avgPool = (input: Tensor, attrs: PoolAttrs): Tensor => runOp(avgPoolOp, [input], attrs);

/** The 1-D window of the gradient-free max_pool1d kernel (what its kernel needs besides `length`). */
export interface MaxPool1dWindow { kernel: number; stride: number; padding: number; dilation: number }
const maxPool1dOp = defineOp<{ length: number } & Partial<MaxPool1dWindow>>('max_pool1d', ([input], { length }) =>
  ({ shape: [...input!.shape.slice(0, -1), length], dtype: input!.dtype }));
/** The gradient-free 1-D max pool kernel (an output length of 0 is allowed there). */
export const maxPool1dNoIndices = (input: Tensor, length: number, window: Partial<MaxPool1dWindow> = {}): Tensor =>
  runOp(maxPool1dOp, [input], { length, ...window });

// ------------------------------------------------------------------ adaptive

export interface AdaptiveAttrs { spatial: 1 | 2 | 3; outputSize: readonly number[]; kind: 'avg' | 'max' }

function adaptiveShape(input: Tensor, a: AdaptiveAttrs): number[] {
  const n = a.spatial;
  const fn = `adaptive_${a.kind}_pool${n}d`;
  const sizes = formatShape(input.shape);
  if (input.ndim !== n + 1 && input.ndim !== n + 2) {
    throw runtimeError(`${fn}(): Expected ${n + 1}D or ${n + 2}D tensor, but got${a.kind === 'max' ? ':' : ''} ${sizes}`);
  }
  if (a.kind === 'avg' && a.outputSize.length !== n) throw runtimeError(`${fn}: output_size must be ${n}`);
  if (a.kind === 'max') {
    for (let i = 1; i < input.ndim; i++) {
      if (input.shape[i] === 0) {
        throw runtimeError(`${fn}(): Expected input to have non-zero size for non-batch dimensions, but input has sizes ${sizes} with dimension ${i} being empty`);
      }
    }
    if (a.outputSize.length !== n) throw runtimeError(`${fn}(): internal error: output_size.size() must be ${n}`);
  }
  return [...input.shape.slice(0, -n), ...a.outputSize];
}

const adaptiveAvgOp = defineOp<AdaptiveAttrs>('adaptive_avg_pool', ([input], a) => ({ shape: adaptiveShape(input!, a), dtype: input!.dtype }));
export const adaptiveAvgPool = (input: Tensor, spatial: 1 | 2 | 3, outputSize: readonly number[]): Tensor =>
  runOp(adaptiveAvgOp, [input], { spatial, outputSize, kind: 'avg' });

const adaptiveMaxOp = defineOp<AdaptiveAttrs>('adaptive_max_pool', ([input], a) => {
  const shape = adaptiveShape(input!, a);
  return [{ shape, dtype: input!.dtype }, { shape, dtype: int64 }];
});
export function adaptiveMaxPool(input: Tensor, spatial: 1 | 2 | 3, outputSize: readonly number[]): [Tensor, Tensor] {
  const [v, i] = runOpMulti(adaptiveMaxOp, [input], { spatial, outputSize, kind: 'max' });
  return [v!, i!];
}

/** checkDimRange for the 1-D wrappers (`avg_pool1d`, `adaptive_max_pool1d`). */
export function checkDimRange(fn: string, t: Tensor, lo: number, hiExclusive: number): void {
  if (t.ndim < lo || t.ndim >= hiExclusive) {
    throw runtimeError(`Expected ${lo} to ${hiExclusive - 1} dimensions, but got ${t.ndim}-dimensional tensor for argument #1 'self' (while checking arguments for ${fn})`);
  }
}

/** check1d: a 1-D pooling parameter must hold one int. */
export function check1d(fn: string, name: string, values: readonly number[]): void {
  if (values.length !== 1) throw runtimeError(`${fn}() argument '${name}' should contain one int (got ${values.length})`);
}

const maxUnpoolOp = defineOp<{ outputSize: readonly number[] }>('max_unpool', ([input, indices], { outputSize }) => {
  if (indices!.dtype !== int64) throw runtimeError(`elements in indices should be type int64 but got: ${indices!.dtype.scalarTypeName}`);
  const same = indices!.ndim === input!.ndim && indices!.shape.every((s, i) => s === input!.shape[i]);
  if (!same) {
    throw runtimeError(`Expected shape of indices to be same as that of the input tensor (${formatShape(input!.shape)}) but got indices tensor with shape: ${formatShape(indices!.shape)}`);
  }
  return { shape: [...input!.shape.slice(0, input!.ndim - outputSize.length), ...outputSize], dtype: input!.dtype };
});
/** max_unpool: scatter pooled values back to `outputSize` (the last spatial dims). */
export const maxUnpool = (input: Tensor, indices: Tensor, outputSize: readonly number[]): Tensor =>
  runOp(maxUnpoolOp, [input, indices], { outputSize });

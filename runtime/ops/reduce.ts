// Reductions (sum, mean, prod, max/min, argmax, amax, var/std, norm, logsumexp, all/any, median),
// scans (cumsum, cumprod, cummax) and the ops that keep the reduced dim (softmax, sort, topk).
// `dims: null` reduces everything; an empty list does too, as in PyTorch 1.13.
import { type DType, bool, defaultFloatDType, int64, isIntegral, toRealType, uint8 } from '../dtype.ts';
import { type Tensor, shapeNumel } from '../tensor.ts';
import { indexError, runtimeError } from '../python/index.ts';
import { normalizeDim, normalizeDims, range } from './dims.ts';
import { defineOp, runOp, runOpMulti } from './registry.ts';

/** The shape left after reducing `dims` (all dims when null or empty). */
export function reducedShape(shape: readonly number[], dims: readonly number[] | null, keepdim: boolean): number[] {
  const all = dims === null || dims.length === 0;
  const set = new Set(all ? range(shape.length) : normalizeDims(dims, shape.length));
  if (keepdim) return shape.map((s, i) => (set.has(i) ? 1 : s));
  return shape.filter((_, i) => !set.has(i));
}

export interface ReduceAttrs {
  dims: readonly number[] | null;
  keepdim: boolean;
  /** `dtype=` of sum/mean/prod/cumsum, when given. */
  dtype?: DType | null;
  /** var/std: the divisor is N - correction (`unbiased=True` is 1, the default). */
  correction?: number;
  /** norm: the order (2 when absent). */
  p?: number | 'fro' | 'nuc';
}

/** Integers accumulate in int64 (sum, prod, cumsum) unless a dtype is given. */
const sumDType = (input: DType, requested: DType | null | undefined): DType =>
  requested ?? (isIntegral(input, true) ? int64 : input);

function defineReduction(name: string, dtypeOf: (input: DType, a: ReduceAttrs) => DType, differentiable = true) {
  const op = defineOp<ReduceAttrs>(name, ([t], a) => ({ shape: reducedShape(t!.shape, a.dims, a.keepdim), dtype: dtypeOf(t!.dtype, a) }), { differentiable });
  return (t: Tensor, dims: readonly number[] | null = null, keepdim = false, dtype: DType | null = null, extra: Pick<ReduceAttrs, 'correction'> = {}): Tensor =>
    runOp(op, [t], { dims, keepdim, dtype, ...extra });
}

export const sum = defineReduction('sum', (d, a) => sumDType(d, a.dtype));
export const nansum = defineReduction('nansum', (d, a) => sumDType(d, a.dtype));
export const prod = defineReduction('prod', (d, a) => sumDType(d, a.dtype));

export const mean = defineReduction('mean', (d, a) => {
  if (a.dtype) {
    if (!a.dtype.isFloatingPoint && !a.dtype.isComplex) {
      throw runtimeError(`mean(): could not infer output dtype. Optional dtype must be either a floating point or complex dtype. Got: ${a.dtype.scalarTypeName}`);
    }
    return a.dtype;
  }
  if (!d.isFloatingPoint && !d.isComplex) {
    throw runtimeError(`mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: ${d.scalarTypeName}`);
  }
  return d;
});

export const nanmean = defineReduction('nanmean', (d) => {
  if (!d.isFloatingPoint && !d.isComplex) throw runtimeError(`nanmean(): expected input to have floating point dtype but got ${d.scalarTypeName}`);
  return d;
});

/** var/std: float or complex input only. */
const statDType = (d: DType): DType => {
  if (!d.isFloatingPoint && !d.isComplex) throw runtimeError('std and var only support floating point and complex dtypes');
  return toRealType(d);
};
export const variance = defineReduction('var', statDType);
export const std = defineReduction('std', statDType);

/** `torch.var_mean` / `std_mean`: both results have the reduced shape. */
export function statWithMean(kind: 'var' | 'std', t: Tensor, dims: readonly number[] | null, keepdim: boolean, correction = 1): [Tensor, Tensor] {
  if (!t.dtype.isFloatingPoint && !t.dtype.isComplex) throw runtimeError(`${kind}_mean only support floating point and complex dtypes`);
  const extra = { correction };
  return [kind === 'var' ? variance(t, dims, keepdim, null, extra) : std(t, dims, keepdim, null, extra), mean(t, dims, keepdim)];
}

export const logsumexp = defineReduction('logsumexp', (d) => (isIntegral(d, true) ? defaultFloatDType() : d));
export const countNonzero = defineReduction('count_nonzero', () => int64, false);

/** all/any give bool, except that uint8 inputs keep uint8 (legacy behaviour). */
export const all = defineReduction('all', (d) => (d === uint8 ? uint8 : bool), false);
export const any = defineReduction('any', (d) => (d === uint8 ? uint8 : bool), false);

/** max/min/argmax/amax have no identity: reducing an empty tensor (or an empty dim) is an error. */
function checkNonEmpty(fn: string, t: Tensor, dims: readonly number[] | null, exception: 'runtime' | 'index'): void {
  if (dims === null || dims.length === 0) {
    if (shapeNumel(t.shape) === 0) {
      const more = exception === 'runtime' ? " Specify the reduction dim with the 'dim' argument." : '';
      const make = exception === 'runtime' ? runtimeError : indexError;
      throw make(`${fn}(): Expected reduction dim to be specified for input.numel() == 0.${more}`);
    }
    return;
  }
  for (const d of dims) {
    const w = normalizeDim(d, t.ndim);
    if (t.ndim > 0 && t.shape[w] === 0) throw indexError(`${fn}(): Expected reduction dim ${w} to have non-zero size.`);
  }
}

const amaxOp = defineOp<ReduceAttrs & { fn: string }>('amax', ([t], a) => {
  checkNonEmpty(a.fn, t!, a.dims, 'runtime');
  return { shape: reducedShape(t!.shape, a.dims, a.keepdim), dtype: t!.dtype };
});

/** `max()`/`min()` of everything, and `amax`/`amin` over dims. */
export const amax = (t: Tensor, dims: readonly number[] | null = null, keepdim = false, fn = 'amax'): Tensor =>
  runOp(amaxOp, [t], { dims, keepdim, fn });

const argmaxOp = defineOp<{ dim: number | null; keepdim: boolean; fn: string }>('argmax', ([t], a) => {
  checkNonEmpty(a.fn, t!, a.dim === null ? null : [a.dim], 'index');
  if (a.dim === null) return { shape: a.keepdim ? t!.shape.map(() => 1) : [], dtype: int64 };
  return { shape: reducedShape(t!.shape, [a.dim], a.keepdim), dtype: int64 };
}, { differentiable: false });
export const argmax = (t: Tensor, dim: number | null = null, keepdim = false, fn = 'argmax'): Tensor =>
  runOp(argmaxOp, [t], { dim, keepdim, fn });

/** Reductions over one dim that return (values, indices): max/min/median/mode/kthvalue with a dim (`k` for kthvalue). */
const valuesIndicesOp = defineOp<{ dim: number; keepdim: boolean; fn: string; k?: number }>('reduce_with_indices', ([t], a) => {
  checkNonEmpty(a.fn, t!, [a.dim], 'index');
  const shape = reducedShape(t!.shape, [a.dim], a.keepdim);
  return [{ shape, dtype: t!.dtype }, { shape, dtype: int64 }];
});
export function reduceWithIndices(fn: string, t: Tensor, dim: number, keepdim = false, k = 1): [Tensor, Tensor] {
  const [values, indices] = runOpMulti(valuesIndicesOp, [t], { dim, keepdim, fn, k });
  indices!.requiresGrad = false;
  return [values!, indices!];
}

/** `median()` without a dim: a 0-dim tensor (of the lower median). */
export const medianAll = (t: Tensor): Tensor => amax(t, null, false, 'median');

// ------------------------------------------------------------------ keep-shape ops along a dim

export interface DimAttrs { dim: number; dtype?: DType | null }

/** cumsum/cumprod (`kind`; cumsum when absent). */
const scanOp = defineOp<DimAttrs & { accumulate: boolean; kind?: 'cumsum' | 'cumprod' }>('scan', ([t], a) => {
  normalizeDim(a.dim, t!.ndim);
  return { shape: t!.shape, dtype: a.accumulate ? sumDType(t!.dtype, a.dtype) : (a.dtype ?? t!.dtype) };
});
/** cumsum/cumprod (integers accumulate in int64). */
export const cumulative = (t: Tensor, dim: number, dtype: DType | null = null, kind: 'cumsum' | 'cumprod' = 'cumsum'): Tensor =>
  runOp(scanOp, [t], { dim, dtype, accumulate: true, kind });

/** cummax/cummin (`kind`; cummax when absent). */
const scanWithIndicesOp = defineOp<{ dim: number; kind?: 'cummax' | 'cummin' }>('scan_with_indices', ([t], { dim }) => {
  normalizeDim(dim, t!.ndim);
  return [{ shape: t!.shape, dtype: t!.dtype }, { shape: t!.shape, dtype: int64 }];
});
/** cummax/cummin: (values, indices). */
export function cumulativeWithIndices(t: Tensor, dim: number, kind: 'cummax' | 'cummin' = 'cummax'): [Tensor, Tensor] {
  const [v, i] = runOpMulti(scanWithIndicesOp, [t], { dim, kind });
  return [v!, i!];
}

const softmaxOp = defineOp<DimAttrs & { log: boolean }>('softmax', ([t], a) => {
  const d = normalizeDim(a.dim, t!.ndim);
  const dtype = a.dtype ?? t!.dtype;
  if (!dtype.isFloatingPoint || dtype.name === 'float16' && !a.dtype) {
    // The CPU kernels exist for float/double/bfloat16 only; the last-dim kernel has its own name.
    const lastDim = d === Math.max(t!.ndim - 1, 0);
    const kernel = `${a.log ? 'log_' : ''}softmax_${lastDim && dtype.name !== 'float16' ? 'lastdim_' : ''}kernel_impl`;
    throw runtimeError(`"${kernel}" not implemented for '${dtype.scalarTypeName}'`);
  }
  return { shape: t!.shape, dtype };
});
/** softmax/log_softmax along `dim`, optionally casting to `dtype` first. */
export const softmax = (t: Tensor, dim: number, dtype: DType | null = null, log = false): Tensor =>
  runOp(softmaxOp, [t], { dim, dtype, log });

const sortOp = defineOp<{ dim: number; descending?: boolean }>('sort', ([t], { dim }) => {
  normalizeDim(dim, t!.ndim);
  return [{ shape: t!.shape, dtype: t!.dtype }, { shape: t!.shape, dtype: int64 }];
});
export function sort(t: Tensor, dim = -1, descending = false): [Tensor, Tensor] {
  const [v, i] = runOpMulti(sortOp, [t], { dim, descending });
  return [v!, i!];
}

const topkOp = defineOp<{ k: number; dim: number; largest?: boolean }>('topk', ([t], { k, dim }) => {
  const d = normalizeDim(dim, t!.ndim);
  const size = t!.ndim === 0 ? 1 : t!.shape[d]!;
  if (k < 0 || k > size) throw runtimeError('selected index k out of range');
  const shape = t!.ndim === 0 ? [] : t!.shape.map((s, i) => (i === d ? k : s));
  return [{ shape, dtype: t!.dtype }, { shape, dtype: int64 }];
});
export function topk(t: Tensor, k: number, dim = -1, largest = true): [Tensor, Tensor] {
  const [v, i] = runOpMulti(topkOp, [t], { k, dim, largest });
  return [v!, i!];
}

// ------------------------------------------------------------------ norms

/** `torch.norm` / `Tensor.norm` (p is a number, 'fro' or 'nuc'); integer inputs are rejected. */
export function norm(t: Tensor, p: number | 'fro' | 'nuc', dims: readonly number[] | null, keepdim: boolean, dtype: DType | null = null): Tensor {
  if (!t.dtype.isFloatingPoint && !t.dtype.isComplex) {
    throw runtimeError(`norm(): input dtype should be either floating point or complex. Got ${t.dtype.scalarTypeName} instead.`);
  }
  if (p === 'nuc') {
    const n = dims === null ? t.ndim : dims.length;
    if (n !== 2) throw runtimeError(`Expected a tensor with 2 dimensions, but got a tensor with ${n} dimensions instead.`);
  } else if (p === 'fro' && dims !== null && dims.length > 2) {
    throw runtimeError(`Expected at most 2 dimensions, but got ${dims.length} dimensions instead.`);
  }
  return runOp(normOp, [t], { dims, keepdim, dtype, p });
}

const normOp = defineOp<ReduceAttrs>('norm', ([t], a) => ({
  shape: reducedShape(t!.shape, a.dims, a.keepdim),
  dtype: a.dtype ?? toRealType(t!.dtype),
}));

// Kernels that move values without computing new ones: view (which aliases the input's storage,
// as a PyTorch view does), view_dtype, permute, expand, repeat, narrow/select/slice, flip, roll,
// diagonal, diag_embed, trace, tril/triu, unfold, cat, split, and the shuffles. Anything that is
// a strided view in PyTorch is one strided copy here (negative strides for flips); results other
// than `view` are fresh contiguous tensors.
import { Tensor, contiguousStrides, shapeNumel } from '../../tensor.ts';
import { notImplementedError } from '../../python/index.ts';
import { type TensorData, commit, dataOf, sameKind, stridedCopy, wrapDim } from './util.ts';
import { valuesAs } from './elementwise.ts';
import { registerCpu } from './register.ts';

/** Copies a strided view of `t` into `out` (same dtype). */
function copyView(t: Tensor, out: Tensor, offset: number, shape: readonly number[], strides: readonly number[]): void {
  stridedCopy(dataOf(t), offset, shape, strides, dataOf(out));
}

function viewKernel([t]: readonly Tensor[], _a: unknown, [out]: Tensor[]): void {
  // Same element order, same dtype: share the storage, so in-place writes show through as in torch.
  out!.data = dataOf(t!);
}

function viewDtypeKernel([t]: readonly Tensor[], _a: unknown, [out]: Tensor[]): void {
  const src = dataOf(t!);
  const dst = dataOf(out!);
  const realBytes = (x: TensorData, itemSize: number): boolean => x.BYTES_PER_ELEMENT === itemSize;
  if (!realBytes(src, t!.dtype.itemSize) || !realBytes(dst, out!.dtype.itemSize)) {
    throw notImplementedError(`viewing ${t!.dtype.name} as ${out!.dtype.name} is not supported on cpu (NN Lens stores these dtypes widened)`);
  }
  const bytes = new Uint8Array(src.buffer, src.byteOffset, src.byteLength);
  new Uint8Array(dst.buffer, dst.byteOffset, dst.byteLength).set(bytes);
}

function permuteKernel([t]: readonly Tensor[], { dims }: { dims: readonly number[] }, [out]: Tensor[]): void {
  const strides = contiguousStrides(t!.shape);
  const order = dims.map((d) => wrapDim(d, t!.ndim));
  copyView(t!, out!, 0, order.map((d) => t!.shape[d]!), order.map((d) => strides[d]!));
}

function expandKernel([t]: readonly Tensor[], _a: unknown, [out]: Tensor[]): void {
  const o = out!;
  const lead = o.ndim - t!.ndim;
  const inStrides = contiguousStrides(t!.shape);
  const strides = o.shape.map((_, i) => (i < lead || t!.shape[i - lead] === 1 ? 0 : inStrides[i - lead]!));
  copyView(t!, o, 0, o.shape, strides);
}

function repeatKernel([t]: readonly Tensor[], { repeats }: { repeats: readonly number[] }, [out]: Tensor[]): void {
  const padded = [...new Array<number>(repeats.length - t!.ndim).fill(1), ...t!.shape];
  const inStrides = contiguousStrides(padded);
  // [r0, s0, r1, s1, ...] with stride 0 on each repeat dim is the repeated layout.
  const shape: number[] = [];
  const strides: number[] = [];
  padded.forEach((s, i) => { shape.push(repeats[i]!, s); strides.push(0, inStrides[i]!); });
  copyView(t!, out!, 0, shape, strides);
}

function narrowKernel([t]: readonly Tensor[], a: { dim: number; start: number }, [out]: Tensor[]): void {
  const d = wrapDim(a.dim, t!.ndim);
  const size = t!.shape[d]!;
  const start = a.start < 0 ? a.start + size : a.start;
  const strides = contiguousStrides(t!.shape);
  copyView(t!, out!, start * strides[d]!, out!.shape, strides);
}

function selectKernel([t]: readonly Tensor[], a: { dim: number; index: number }, [out]: Tensor[]): void {
  const d = wrapDim(a.dim, t!.ndim);
  const size = t!.shape[d]!;
  const index = a.index < 0 ? a.index + size : a.index;
  const strides = contiguousStrides(t!.shape);
  copyView(t!, out!, index * strides[d]!, t!.shape.filter((_, i) => i !== d), strides.filter((_, i) => i !== d));
}

function sliceKernel([t]: readonly Tensor[], a: { dim: number; start: number | null; step: number }, [out]: Tensor[]): void {
  const d = wrapDim(a.dim, t!.ndim);
  const size = t!.shape[d]!;
  let start = a.start ?? 0;
  if (start < 0) start = Math.max(start + size, 0);
  start = Math.min(start, size);
  const strides = contiguousStrides(t!.shape);
  if (out!.numel() === 0) return;
  copyView(t!, out!, start * strides[d]!, out!.shape, strides.map((s, i) => (i === d ? s * a.step : s)));
}

function flipKernel([t]: readonly Tensor[], { dims }: { dims: readonly number[] }, [out]: Tensor[]): void {
  const flipped = new Set(dims.map((d) => wrapDim(d, t!.ndim)));
  const strides = contiguousStrides(t!.shape);
  let offset = 0;
  const s = strides.map((st, i) => {
    if (!flipped.has(i) || t!.shape[i]! === 0) return st;
    offset += (t!.shape[i]! - 1) * st;
    return -st;
  });
  copyView(t!, out!, offset, t!.shape, s);
}

function rollKernel([t]: readonly Tensor[], a: { shifts: readonly number[]; dims: readonly number[] }, [out]: Tensor[]): void {
  const src = dataOf(t!);
  const dst = dataOf(out!) as unknown as Float64Array;
  const s = src as unknown as Float64Array;
  const n = t!.numel();
  if (n === 0) return;
  if (a.dims.length === 0) {
    const shift = ((a.shifts[0]! % n) + n) % n;
    for (let i = 0; i < n; i++) dst[(i + shift) % n] = s[i]!;
    return;
  }
  const shape = t!.shape;
  const strides = contiguousStrides(shape);
  const shiftOf = new Array<number>(shape.length).fill(0);
  a.dims.forEach((d, k) => {
    const w = wrapDim(d, t!.ndim);
    shiftOf[w] = shiftOf[w]! + a.shifts[k]!;
  });
  const index = new Array<number>(shape.length).fill(0);
  for (let i = 0; i < n; i++) {
    let target = 0;
    for (let d = 0; d < shape.length; d++) {
      const size = shape[d]!;
      target += (((index[d]! + shiftOf[d]!) % size) + size) % size * strides[d]!;
    }
    dst[target] = s[i]!;
    for (let d = shape.length - 1; d >= 0; d--) {
      if (++index[d]! < shape[d]!) break;
      index[d] = 0;
    }
  }
}

function diagonalKernel([t]: readonly Tensor[], a: { offset: number; dim1: number; dim2: number }, [out]: Tensor[]): void {
  const d1 = wrapDim(a.dim1, t!.ndim);
  const d2 = wrapDim(a.dim2, t!.ndim);
  const strides = contiguousStrides(t!.shape);
  const rest = t!.shape.map((_, i) => i).filter((i) => i !== d1 && i !== d2);
  const size = out!.shape[out!.ndim - 1]!;
  if (size === 0) return;
  const offset = a.offset >= 0 ? a.offset * strides[d2]! : -a.offset * strides[d1]!;
  copyView(t!, out!, offset, [...rest.map((i) => t!.shape[i]!), size], [...rest.map((i) => strides[i]!), strides[d1]! + strides[d2]!]);
}

function diagEmbedKernel([t]: readonly Tensor[], { offset }: { offset: number }, [out]: Tensor[]): void {
  const src = dataOf(t!) as unknown as Float64Array;
  const dst = dataOf(out!) as unknown as Float64Array;
  const n = out!.shape[0]!;
  for (let i = 0; i < t!.numel(); i++) {
    const r = offset >= 0 ? i : i - offset;
    const c = offset >= 0 ? i + offset : i;
    dst[r * n + c] = src[i]!;
  }
}

function traceKernel([t]: readonly Tensor[], _a: unknown, [out]: Tensor[]): void {
  const x = valuesAs(t!, out!.dtype.isFloatingPoint ? out!.dtype : t!.dtype);
  const [r, c] = t!.shape as [number, number];
  let s = 0;
  for (let i = 0; i < Math.min(r, c); i++) s += x[i * c + i]!;
  commit(out!, [s]);
}

function triangularKernel(lower: boolean) {
  return ([t]: readonly Tensor[], { diagonal }: { diagonal: number }, [out]: Tensor[]): void => {
    const src = dataOf(t!) as unknown as Float64Array;
    const dst = dataOf(out!) as unknown as Float64Array;
    const rows = t!.shape[t!.ndim - 2]!;
    const cols = t!.shape[t!.ndim - 1]!;
    const n = t!.numel();
    const zero = (dst as unknown) instanceof BigInt64Array ? 0n : 0;
    for (let i = 0; i < n; i++) {
      const c = i % cols;
      const r = Math.floor(i / cols) % rows;
      const keep = lower ? c - r <= diagonal : c - r >= diagonal;
      (dst as unknown as (number | bigint)[])[i] = keep ? src[i]! : zero;
    }
  };
}

function unfoldKernel([t]: readonly Tensor[], a: { dim: number; size: number; step: number }, [out]: Tensor[]): void {
  if (t!.ndim === 0) { copyView(t!, out!, 0, [a.size], [0]); return; }
  const d = wrapDim(a.dim, t!.ndim);
  const strides = contiguousStrides(t!.shape);
  const o = out!;
  copyView(t!, o, 0, o.shape, [...strides.map((s, i) => (i === d ? s * a.step : s)), strides[d]!]);
}

function catKernel(inputs: readonly Tensor[], { dim }: { dim: number }, [out]: Tensor[]): void {
  const o = out!;
  const used = inputs.filter((t) => !(t.ndim === 1 && t.shape[0] === 0));
  if (used.length === 0 || o.numel() === 0) return;
  const d = wrapDim(dim, o.ndim);
  const outer = shapeNumel(o.shape.slice(0, d));
  const innerOut = shapeNumel(o.shape.slice(d));
  const dst = dataOf(o);
  let offset = 0;
  for (const t of used) {
    const inner = shapeNumel(t.shape.slice(d));
    const src: TensorData = t.dtype === o.dtype ? dataOf(t) : converted(t, o);
    const s = src as unknown as Float64Array;
    const w = dst as unknown as Float64Array;
    for (let r = 0; r < outer; r++) {
      const from = r * inner;
      const to = r * innerOut + offset;
      for (let j = 0; j < inner; j++) w[to + j] = s[from + j]!;
    }
    offset += inner;
  }
}

/** `t`'s values stored as `like`'s dtype (cat's type promotion). */
function converted(t: Tensor, like: Tensor): TensorData {
  const tmp = new Tensor(t.shape, like.dtype, like.device, sameKind(dataOf(like), t.numel()));
  commit(tmp, valuesAs(t, like.dtype));
  return dataOf(tmp);
}

function splitKernel([t]: readonly Tensor[], a: { dim: number }, outs: Tensor[]): void {
  const d = wrapDim(a.dim, t!.ndim);
  const strides = contiguousStrides(t!.shape);
  let start = 0;
  for (const o of outs) {
    if (o.numel() > 0) copyView(t!, o, start * strides[d]!, o.shape, strides);
    start += o.shape[d]!;
  }
}

function pixelShuffleKernel([t]: readonly Tensor[], { factor: r, inverse }: { factor: number; inverse: boolean }, [out]: Tensor[]): void {
  const [c, h, w] = t!.shape.slice(-3) as [number, number, number];
  const batch = shapeNumel(t!.shape.slice(0, -3));
  const plane = c * h * w;
  if (!inverse) {
    const oc = c / (r * r);
    // input viewed as [B, oc, r, r, h, w], output order [B, oc, h, r, w, r]
    copyView(t!, out!, 0, [batch, oc, h, r, w, r], [plane, r * r * h * w, w, r * h * w, 1, h * w]);
  } else {
    const oh = h / r;
    const ow = w / r;
    // input viewed as [B, c, oh, r, ow, r], output order [B, c, r, r, oh, ow]
    copyView(t!, out!, 0, [batch, c, r, r, oh, ow], [plane, h * w, w, 1, r * w, r]);
  }
}

function channelShuffleKernel([t]: readonly Tensor[], { groups }: { groups: number }, [out]: Tensor[]): void {
  const [n, c] = t!.shape as [number, number];
  const rest = shapeNumel(t!.shape.slice(2));
  const per = c / groups;
  // [N, g, c/g, R] -> [N, c/g, g, R]
  copyView(t!, out!, 0, [n, per, groups, rest], [c * rest, rest, per * rest, 1]);
}

export function registerShapeKernels(): void {
  registerCpu('view', viewKernel);
  registerCpu('view_dtype', viewDtypeKernel);
  registerCpu('permute', permuteKernel);
  registerCpu('expand', expandKernel);
  registerCpu('repeat', repeatKernel);
  registerCpu('narrow', narrowKernel);
  registerCpu('select', selectKernel);
  registerCpu('slice', sliceKernel);
  registerCpu('flip', flipKernel);
  registerCpu('roll', rollKernel);
  registerCpu('diagonal', diagonalKernel);
  registerCpu('diag_embed', diagEmbedKernel);
  registerCpu('trace', traceKernel);
  registerCpu('tril', triangularKernel(true));
  registerCpu('triu', triangularKernel(false));
  registerCpu('unfold_dim', unfoldKernel);
  registerCpu('cat', catKernel);
  registerCpu('split_with_sizes', splitKernel);
  registerCpu('pixel_shuffle', pixelShuffleKernel);
  registerCpu('channel_shuffle', channelShuffleKernel);
}

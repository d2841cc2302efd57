// Indexing kernels: advanced indexing (`x[idx]`), the positions write behind `x[idx] = v`,
// nonzero, gather/scatter, index_select/index_fill/index_add/index_copy, embedding and
// embedding_bag, repeat_interleave and one_hot. Index values are checked the way ATen's CPU
// kernels check them (negative indices wrap where torch allows them), with torch's messages.
import { Tensor, contiguousStrides, shapeNumel } from '../../tensor.ts';
import { indexError, notImplementedError, runtimeError } from '../../python/index.ts';
import { broadcastAll } from '../../ops/broadcast.ts';
import type { EmbeddingBagAttrs } from '../../ops/nn-ops.ts';
import { type TensorData, broadcastMap, commit, dataOf, numbers, sameKind, stridedIndices, wrapDim } from './util.ts';
import { valuesAs } from './elementwise.ts';
import { registerCpu } from './register.ts';

/** Storage arrays moved element-wise between arrays of the same kind (numbers or bigints). */
const asAny = (d: TensorData): Float64Array => d as unknown as Float64Array;

/** Index values as numbers (int64 storage converted). */
const indexValues = (t: Tensor): ArrayLike<number> => numbers(t);

function indexKernel(inputs: readonly Tensor[], { dims }: { dims: readonly number[] }, [out]: Tensor[]): void {
  const [t, ...indices] = inputs as [Tensor, ...Tensor[]];
  if (indices.some((i) => i.dtype.name === 'bool' || i.dtype.name === 'uint8')) {
    throw notImplementedError('boolean mask indices reach the index kernel only after conversion to positions');
  }
  const strides = contiguousStrides(t.shape);
  const bshape = broadcastAll(indices.map((i) => i.shape));
  const count = shapeNumel(bshape);
  // Offset contributed by the indexed dims, per element of the broadcast index shape.
  const idxOff = new Float64Array(count);
  indices.forEach((ind, k) => {
    const d = dims[k]!;
    const size = t.shape[d]!;
    const v = indexValues(ind);
    const map = broadcastMap(ind.shape, bshape);
    for (let i = 0; i < count; i++) {
      let x = v[map ? map[i]! : i]!;
      if (x < -size || x >= size) throw indexError(`index ${x} is out of bounds for dimension ${d} with size ${size}`);
      if (x < 0) x += size;
      idxOff[i] += x * strides[d]!;
    }
  });
  const sorted = [...dims].sort((a, b) => a - b);
  const adjacent = sorted.every((d, i) => i === 0 || d === sorted[i - 1]! + 1);
  const rest = t.shape.map((_, i) => i).filter((i) => !dims.includes(i));
  const before = adjacent ? rest.filter((i) => i < sorted[0]!) : [];
  const after = adjacent ? rest.filter((i) => i > sorted[0]!) : rest;
  const offsets = (ds: number[]): Int32Array => stridedIndices(ds.map((d) => t.shape[d]!), ds.map((d) => strides[d]!), 0, new Int32Array(shapeNumel(ds.map((d) => t.shape[d]!))));
  const beforeOff = offsets(before);
  const afterOff = offsets(after);
  const src = asAny(dataOf(t));
  const dst = asAny(dataOf(out!));
  let k = 0;
  for (let b = 0; b < beforeOff.length; b++) {
    for (let i = 0; i < count; i++) {
      const base = beforeOff[b]! + idxOff[i]!;
      for (let a = 0; a < afterOff.length; a++) dst[k++] = src[base + afterOff[a]!]!;
    }
  }
}

function nonzeroKernel([t]: readonly Tensor[], _a: unknown, [out]: Tensor[]): void {
  const x = numbers(t!);
  const dst = dataOf(out!) as BigInt64Array;
  const shape = t!.shape;
  const coord = new Array<number>(shape.length).fill(0);
  let k = 0;
  for (let i = 0; i < x.length; i++) {
    if (x[i] !== 0) for (let d = 0; d < shape.length; d++) dst[k++] = BigInt(coord[d]!);
    for (let d = shape.length - 1; d >= 0; d--) {
      if (++coord[d]! < shape[d]!) break;
      coord[d] = 0;
    }
  }
}

function putKernel([self, positions, value]: readonly Tensor[], _a: unknown, [out]: Tensor[]): void {
  const o = out!;
  const dst = asAny(dataOf(o));
  dst.set(asAny(dataOf(self!)));
  const pos = indexValues(positions!);
  // The value broadcasts to the indexed shape (leading 1s of the value are dropped first).
  let vshape = [...value!.shape];
  while (vshape.length > positions!.ndim && vshape[0] === 1) vshape = vshape.slice(1);
  const map = broadcastMap(vshape, positions!.shape);
  const v = asAny(convertLike(value!, o));
  for (let i = 0; i < pos.length; i++) dst[pos[i]!] = v[map ? map[i]! : i]!;
}

/** `value`'s elements stored as `like`'s dtype into `into`. */
function convertLike(value: Tensor, like: Tensor): TensorData {
  if (value.dtype === like.dtype) return dataOf(value);
  const holder = new Tensor(value.shape, like.dtype, like.device, sameKind(dataOf(like), value.numel()));
  commit(holder, valuesAs(value, like.dtype));
  return dataOf(holder);
}

/** For each element of `index` (shape `ishape`), the offset into a tensor of `shape` with dim `d` replaced by the index value. */
function gatherOffsets(shape: readonly number[], ishape: readonly number[], d: number, idx: ArrayLike<number>): Int32Array {
  const strides = contiguousStrides(shape);
  const rank = ishape.length;
  const n = shapeNumel(ishape);
  const out = new Int32Array(n);
  const coord = new Array<number>(rank).fill(0);
  const size = shape.length === 0 ? 1 : shape[d]!;
  for (let i = 0; i < n; i++) {
    let off = 0;
    for (let k = 0; k < rank; k++) if (k !== d) off += coord[k]! * strides[k]!;
    const x = idx[i]!;
    if (x < -size || x >= size) {
      throw runtimeError(`index ${x} is out of bounds for dimension ${d} with size ${size}`);
    }
    out[i] = off + (x < 0 ? x + size : x) * (strides[d] ?? 1);
    for (let k = rank - 1; k >= 0; k--) {
      if (++coord[k]! < ishape[k]!) break;
      coord[k] = 0;
    }
  }
  return out;
}

/** Offsets into a tensor of `shape` for each position of `ishape` (same coordinates). */
function sameCoordOffsets(shape: readonly number[], ishape: readonly number[]): Int32Array {
  const strides = contiguousStrides(shape);
  return stridedIndices(ishape, ishape.map((_, k) => strides[k] ?? 0), 0, new Int32Array(shapeNumel(ishape)));
}

function gatherKernel([self, index]: readonly Tensor[], { dim }: { dim: number }, [out]: Tensor[]): void {
  const d = wrapDim(dim, self!.ndim);
  const offs = gatherOffsets(self!.shape, index!.shape, d, indexValues(index!));
  const src = asAny(dataOf(self!));
  const dst = asAny(dataOf(out!));
  for (let i = 0; i < offs.length; i++) dst[i] = src[offs[i]!]!;
}

function scatterKernel([self, index, src]: readonly Tensor[], a: { dim: number; reduce: string | null }, [out]: Tensor[]): void {
  const o = out!;
  const d = wrapDim(a.dim, self!.ndim);
  const res = Float64Array.from(valuesAs(self!, o.dtype));
  const offs = gatherOffsets(self!.shape, index!.shape, d, indexValues(index!));
  const s = valuesAs(src!, o.dtype);
  const srcOffs = src!.isWrappedNumber || src!.ndim === 0 ? null : sameCoordOffsets(src!.shape, index!.shape);
  for (let i = 0; i < offs.length; i++) {
    const v = s[srcOffs ? srcOffs[i]! : 0]!;
    const p = offs[i]!;
    if (a.reduce === 'add') res[p] += v;
    else if (a.reduce === 'multiply') res[p] *= v;
    else res[p] = v;
  }
  commit(o, res);
}

function indexSelectKernel([self, index]: readonly Tensor[], { dim }: { dim: number }, [out]: Tensor[]): void {
  const t = self!;
  const d = t.ndim === 0 ? 0 : wrapDim(dim, t.ndim);
  const size = t.ndim === 0 ? 1 : t.shape[d]!;
  const idx = indexValues(index!);
  const outer = shapeNumel(t.shape.slice(0, d));
  const inner = shapeNumel(t.shape.slice(d + 1));
  const src = asAny(dataOf(t));
  const dst = asAny(dataOf(out!));
  let k = 0;
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < idx.length; j++) {
      const x = idx[j]!;
      if (x < -size || x >= size) throw indexError('index out of range in self');
      const base = (o * size + (x < 0 ? x + size : x)) * inner;
      for (let i = 0; i < inner; i++) dst[k++] = src[base + i]!;
    }
  }
}

function indexUpdateKernel([self, index, source]: readonly Tensor[], a: { dim: number; kind: string }, [out]: Tensor[]): void {
  const o = out!;
  const t = self!;
  const d = t.ndim === 0 ? 0 : wrapDim(a.dim, t.ndim);
  const size = t.ndim === 0 ? 1 : t.shape[d]!;
  const idx = indexValues(index!);
  const outer = shapeNumel(t.shape.slice(0, d));
  const inner = shapeNumel(t.shape.slice(d + 1));
  const res = Float64Array.from(valuesAs(t, o.dtype));
  const s = valuesAs(source!, o.dtype);
  const scalar = source!.numel() === 1 && (a.kind === 'fill' || source!.ndim === 0);
  for (let j = 0; j < idx.length; j++) {
    const x = idx[j]!;
    if (x < -size || x >= size) throw indexError(`index out of range in self`);
    const row = x < 0 ? x + size : x;
    for (let p = 0; p < outer; p++) {
      for (let i = 0; i < inner; i++) {
        const target = (p * size + row) * inner + i;
        const v = scalar ? s[0]! : s[(p * idx.length + j) * inner + i]!;
        if (a.kind === 'add') res[target] += v;
        else res[target] = v;
      }
    }
  }
  commit(o, res);
}

function embeddingKernel([weight, indices]: readonly Tensor[], _a: unknown, [out]: Tensor[]): void {
  const [rows, dim] = weight!.shape as [number, number];
  const idx = indexValues(indices!);
  const src = asAny(dataOf(weight!));
  const dst = asAny(dataOf(out!));
  for (let j = 0; j < idx.length; j++) {
    const x = idx[j]!;
    if (x < 0 || x >= rows) throw indexError('index out of range in self');
    const base = x * dim;
    for (let i = 0; i < dim; i++) dst[j * dim + i] = src[base + i]!;
  }
}

/** embedding_bag: sum (0), mean (1) or max (2) of the rows of each bag. */
function embeddingBagKernel(inputs: readonly Tensor[], a: EmbeddingBagAttrs, [out]: Tensor[]): void {
  const [weight, indices, offsets] = inputs as [Tensor, Tensor | undefined, Tensor | undefined];
  if (!indices) throw notImplementedError('embedding_bag needs its indices');
  const perSample = a.hasPerSampleWeights ? valuesAs(inputs[inputs.length - 1]!, out!.dtype) : null;
  const dim = weight.shape[1]!;
  const w = valuesAs(weight, out!.dtype);
  const idx = indexValues(indices);
  let starts: number[];
  if (indices.ndim === 2) {
    const per = indices.shape[1]!;
    starts = Array.from({ length: indices.shape[0]! + 1 }, (_, i) => i * per);
  } else {
    const offs = Array.from(indexValues(offsets!));
    starts = a.includeLastOffset ? offs : [...offs, idx.length];
  }
  const bags = a.bags;
  const res = new Float64Array(bags * dim);
  const mode = a.mode ?? 1;
  for (let b = 0; b < bags; b++) {
    const from = starts[b]!;
    const to = Math.min(starts[b + 1] ?? idx.length, idx.length);
    let count = 0;
    for (let j = from; j < to; j++) {
      const x = idx[j]!;
      if (a.paddingIdx !== null && a.paddingIdx !== undefined && x === a.paddingIdx) continue;
      if (x < 0 || x >= weight.shape[0]!) throw indexError('index out of range in self');
      const scale = perSample ? perSample[j]! : 1;
      for (let i = 0; i < dim; i++) {
        const v = w[x * dim + i]! * scale;
        const p = b * dim + i;
        res[p] = mode === 2 ? (count === 0 ? v : Math.max(res[p]!, v)) : res[p]! + v;
      }
      count++;
    }
    if (mode === 1 && count > 0) for (let i = 0; i < dim; i++) res[b * dim + i]! /= count;
  }
  commit(out!, res);
}

/** embedding_renorm: each row used by `indices` whose p-norm exceeds max_norm is scaled by max_norm / (norm + 1e-7). */
function embeddingRenormKernel([weight, indices]: readonly Tensor[], a: { maxNorm: number; normType: number }, [out]: Tensor[]): void {
  const o = out!;
  const [, dim] = weight!.shape as [number, number];
  const res = Float64Array.from(valuesAs(weight!, o.dtype));
  const rows = new Set(Array.from(indexValues(indices!)));
  for (const r of rows) {
    let norm = 0;
    for (let i = 0; i < dim; i++) norm += Math.abs(res[r * dim + i]!) ** a.normType;
    norm **= 1 / a.normType;
    if (norm > a.maxNorm) {
      const scale = a.maxNorm / (norm + 1e-7);
      for (let i = 0; i < dim; i++) res[r * dim + i] = res[r * dim + i]! * scale;
    }
  }
  commit(o, res);
}

function repeatInterleaveKernel([t]: readonly Tensor[], a: { repeats: number; dim: number | null }, [out]: Tensor[]): void {
  const src = asAny(dataOf(t!));
  const dst = asAny(dataOf(out!));
  const r = a.repeats;
  if (a.dim === null) {
    let k = 0;
    for (let i = 0; i < t!.numel(); i++) for (let j = 0; j < r; j++) dst[k++] = src[i]!;
    return;
  }
  const d = wrapDim(a.dim, t!.ndim);
  const outer = shapeNumel(t!.shape.slice(0, d));
  const size = t!.shape[d] ?? 1;
  const inner = shapeNumel(t!.shape.slice(d + 1));
  let k = 0;
  for (let o = 0; o < outer; o++) {
    for (let s = 0; s < size; s++) {
      const base = (o * size + s) * inner;
      for (let j = 0; j < r; j++) for (let i = 0; i < inner; i++) dst[k++] = src[base + i]!;
    }
  }
}

function oneHotKernel([t]: readonly Tensor[], { numClasses }: { numClasses: number }, [out]: Tensor[]): void {
  const x = indexValues(t!);
  const dst = dataOf(out!) as BigInt64Array;
  for (let i = 0; i < x.length; i++) {
    const c = x[i]!;
    if (c < 0) throw runtimeError('Class values must be non-negative.');
    if (c >= numClasses) throw runtimeError('Class values must be smaller than num_classes.');
    dst[i * numClasses + c] = 1n;
  }
}

export function registerIndexingKernels(): void {
  registerCpu('index', indexKernel);
  registerCpu('nonzero', nonzeroKernel);
  registerCpu('put_positions', putKernel);
  registerCpu('gather', gatherKernel);
  registerCpu('scatter', scatterKernel);
  registerCpu('index_select', indexSelectKernel);
  registerCpu('index_update', indexUpdateKernel);
  registerCpu('embedding', embeddingKernel);
  registerCpu<EmbeddingBagAttrs>('embedding_bag', embeddingBagKernel);
  registerCpu('repeat_interleave', repeatInterleaveKernel);
  registerCpu('embedding_renorm', embeddingRenormKernel);
  registerCpu('one_hot', oneHotKernel);
}

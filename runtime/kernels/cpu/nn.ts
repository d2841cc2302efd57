// The remaining torch.nn.functional natives: pad (constant/reflect/replicate/circular, negative
// pads crop), upsampling (nearest, nearest-exact, linear/bilinear/trilinear, bicubic; ATen's
// source-index formulas, computed in float32 where ATen does so the picked pixels agree),
// im2col/col2im, grid_sample and affine_grid, glu, prelu and the distances.
import type { PadMode, UpsampleAttrs, Im2ColAttrs } from '../../ops/nn-ops.ts';
import { type Tensor, contiguousStrides, shapeNumel } from '../../tensor.ts';
import { broadcastShapes } from '../../ops/broadcast.ts';
import { notImplementedError } from '../../python/index.ts';
import { type NumberArray, broadcastMap, caster, commit, dataOf, resultArray, roundHalfEven, wrapDim } from './util.ts';
import { valuesAs } from './elementwise.ts';
import { registerCpu } from './register.ts';

const f = Math.fround;

// ------------------------------------------------------------------ pad

function padKernel([t]: readonly Tensor[], a: { pad: readonly number[]; mode: PadMode; value: number | null }, [out]: Tensor[]): void {
  const o = out!;
  const rank = t!.ndim;
  const shape = t!.shape;
  // Per dim, output index -> input index (-1: the constant value).
  const maps: Int32Array[] = o.shape.map((size, d) => {
    const k = rank - 1 - d;
    const left = k < a.pad.length / 2 ? a.pad[2 * k]! : 0;
    const n = shape[d]!;
    const m = new Int32Array(size);
    for (let i = 0; i < size; i++) {
      let j = i - left;
      if (k < a.pad.length / 2) {
        if (a.mode === 'reflect') { if (j < 0) j = -j; if (j >= n) j = 2 * (n - 1) - j; } else if (a.mode === 'replicate') j = Math.min(Math.max(j, 0), n - 1);
        else if (a.mode === 'circular') j = ((j % n) + n) % n;
      }
      m[i] = j >= 0 && j < n ? j : -1;
    }
    return m;
  });
  const strides = contiguousStrides(shape);
  const src = dataOf(t!) as unknown as Float64Array;
  const dst = dataOf(o) as unknown as Float64Array;
  const isBig = (dst as unknown) instanceof BigInt64Array;
  const fill = caster(o.dtype)(a.value ?? 0);
  const fillValue = isBig ? (BigInt(fill) as unknown as number) : fill;
  const n = o.numel();
  if (n === 0) return;
  const index = new Array<number>(rank).fill(0);
  for (let i = 0; i < n; i++) {
    let off = 0;
    let inside = true;
    for (let d = 0; d < rank; d++) {
      const j = maps[d]![index[d]!]!;
      if (j < 0) { inside = false; break; }
      off += j * strides[d]!;
    }
    dst[i] = inside ? src[off]! : fillValue;
    for (let d = rank - 1; d >= 0; d--) {
      if (++index[d]! < o.shape[d]!) break;
      index[d] = 0;
    }
  }
}

// ------------------------------------------------------------------ upsample

/** ATen's compute_scales_value / area_pixel_compute_scale (float32). */
function areaScale(inSize: number, outSize: number, alignCorners: boolean, scale: number | null | undefined): number {
  if (alignCorners) return outSize > 1 ? f((inSize - 1) / (outSize - 1)) : 0;
  return scale !== null && scale !== undefined && scale > 0 ? f(1 / scale) : f(inSize / outSize);
}

function nearestIndex(o: number, inSize: number, outSize: number, scale: number | null | undefined, exact: boolean): number {
  if (!exact) {
    if (outSize === inSize) return o;
    if (outSize === 2 * inSize) return o >> 1;
  }
  const s = scale !== null && scale !== undefined && scale > 0 ? f(1 / scale) : f(inSize / outSize);
  const src = exact ? Math.floor(f((o + 0.5) * s)) : Math.floor(f(o * s));
  return Math.min(src, inSize - 1);
}

/** Linear interpolation taps of one dim: for each output index, [i0, i1, w0, w1]. */
function linearTaps(inSize: number, outSize: number, alignCorners: boolean, scale: number | null | undefined): Float64Array {
  const taps = new Float64Array(outSize * 4);
  const s = areaScale(inSize, outSize, alignCorners, scale);
  for (let o = 0; o < outSize; o++) {
    let src = alignCorners ? f(s * o) : f(f(s * f(o + 0.5)) - 0.5);
    if (!alignCorners && src < 0) src = 0;
    const i0 = Math.trunc(src);
    const offset = i0 < inSize - 1 ? 1 : 0;
    const l1 = f(src - i0);
    taps.set([i0, i0 + offset, f(1 - l1), l1], o * 4);
  }
  return taps;
}

const A = -0.75;
const cubic1 = (x: number): number => ((A + 2) * x - (A + 3)) * x * x + 1;
const cubic2 = (x: number): number => ((A * x - 5 * A) * x + 8 * A) * x - 4 * A;

/** Bicubic taps of one dim: for each output index, 4 clamped indices and 4 weights. */
function cubicTaps(inSize: number, outSize: number, alignCorners: boolean, scale: number | null | undefined): Float64Array {
  const taps = new Float64Array(outSize * 8);
  const s = areaScale(inSize, outSize, alignCorners, scale);
  for (let o = 0; o < outSize; o++) {
    const real = alignCorners ? f(s * o) : f(f(s * f(o + 0.5)) - 0.5);
    const i = Math.floor(real);
    const t = f(real - i);
    const clamp = (k: number): number => Math.min(Math.max(k, 0), inSize - 1);
    taps.set([clamp(i - 1), clamp(i), clamp(i + 1), clamp(i + 2), cubic2(t + 1), cubic1(t), cubic1(1 - t), cubic2(2 - t)], o * 8);
  }
  return taps;
}

function upsampleKernel([t]: readonly Tensor[], a: UpsampleAttrs, [out]: Tensor[]): void {
  const o = out!;
  const n = a.outputSize.length;
  const inS = t!.shape.slice(-n);
  const outS = o.shape.slice(-n);
  const planes = shapeNumel(t!.shape.slice(0, -n));
  const inPlane = shapeNumel(inS);
  const outPlane = shapeNumel(outS);
  const x = valuesAs(t!, o.dtype);
  const res = resultArray(o);
  const scale = (d: number): number | null | undefined => a.scales?.[d];
  const align = a.alignCorners === true;
  // Each output position is a weighted sum of input positions; dims are separable.
  type Dim = { idx: Int32Array; w: Float64Array; taps: number };
  const dims: Dim[] = [];
  for (let d = 0; d < n; d++) {
    const I = inS[d]!;
    const O = outS[d]!;
    if (a.mode === 'nearest' || a.mode === 'nearest-exact') {
      const idx = new Int32Array(O);
      for (let k = 0; k < O; k++) idx[k] = nearestIndex(k, I, O, scale(d), a.mode === 'nearest-exact');
      dims.push({ idx, w: new Float64Array(O).fill(1), taps: 1 });
    } else if (a.mode === 'bicubic') {
      const taps = cubicTaps(I, O, align, scale(d));
      const idx = new Int32Array(O * 4);
      const w = new Float64Array(O * 4);
      for (let k = 0; k < O; k++) for (let j = 0; j < 4; j++) { idx[k * 4 + j] = taps[k * 8 + j]!; w[k * 4 + j] = taps[k * 8 + 4 + j]!; }
      dims.push({ idx, w, taps: 4 });
    } else if (a.mode === 'linear' || a.mode === 'bilinear' || a.mode === 'trilinear') {
      const taps = linearTaps(I, O, align, scale(d));
      const idx = new Int32Array(O * 2);
      const w = new Float64Array(O * 2);
      for (let k = 0; k < O; k++) { idx[k * 2] = taps[k * 4]!; idx[k * 2 + 1] = taps[k * 4 + 1]!; w[k * 2] = taps[k * 4 + 2]!; w[k * 2 + 1] = taps[k * 4 + 3]!; }
      dims.push({ idx, w, taps: 2 });
    } else {
      throw notImplementedError(`upsampling mode '${a.mode}' has no cpu kernel`);
    }
  }
  const inStrides = contiguousStrides(inS);
  const coord = new Array<number>(n).fill(0);
  const tapIndex = new Array<number>(n).fill(0);
  for (let p = 0; p < outPlane; p++) {
    // Enumerate the tap combinations of this output position.
    const offs: number[] = [];
    const weights: number[] = [];
    tapIndex.fill(0);
    for (;;) {
      let off = 0;
      let w = 1;
      for (let d = 0; d < n; d++) {
        const dim = dims[d]!;
        const k = coord[d]! * dim.taps + tapIndex[d]!;
        off += dim.idx[k]! * inStrides[d]!;
        w *= dim.w[k]!;
      }
      offs.push(off);
      weights.push(w);
      let d = n - 1;
      for (; d >= 0; d--) {
        if (++tapIndex[d]! < dims[d]!.taps) break;
        tapIndex[d] = 0;
      }
      if (d < 0) break;
    }
    for (let pl = 0; pl < planes; pl++) {
      let v = 0;
      const base = pl * inPlane;
      if (offs.length === 1) v = x[base + offs[0]!]!;
      else for (let k = 0; k < offs.length; k++) v += weights[k]! * x[base + offs[k]!]!;
      res[pl * outPlane + p] = v;
    }
    for (let d = n - 1; d >= 0; d--) {
      if (++coord[d]! < outS[d]!) break;
      coord[d] = 0;
    }
  }
  commit(o, res);
}

// ------------------------------------------------------------------ im2col / col2im

function im2colKernel([t]: readonly Tensor[], a: Im2ColAttrs, [out]: Tensor[]): void {
  const o = out!;
  const [c, h, w] = t!.shape.slice(-3) as [number, number, number];
  const batch = t!.ndim === 4 ? t!.shape[0]! : 1;
  const [kh, kw] = a.kernel as [number, number];
  const bh = Math.floor((h + 2 * a.padding[0]! - (a.dilation[0]! * (kh - 1) + 1)) / a.stride[0]!) + 1;
  const bw = Math.floor((w + 2 * a.padding[1]! - (a.dilation[1]! * (kw - 1) + 1)) / a.stride[1]!) + 1;
  const x = valuesAs(t!, o.dtype);
  const res = resultArray(o);
  let k = 0;
  for (let n = 0; n < batch; n++) {
    for (let ch = 0; ch < c; ch++) {
      for (let i = 0; i < kh; i++) {
        for (let j = 0; j < kw; j++) {
          for (let oh = 0; oh < bh; oh++) {
            const ih = oh * a.stride[0]! - a.padding[0]! + i * a.dilation[0]!;
            for (let ow = 0; ow < bw; ow++) {
              const iw = ow * a.stride[1]! - a.padding[1]! + j * a.dilation[1]!;
              res[k++] = ih >= 0 && ih < h && iw >= 0 && iw < w ? x[((n * c + ch) * h + ih) * w + iw]! : 0;
            }
          }
        }
      }
    }
  }
  commit(o, res);
}

function col2imKernel([t]: readonly Tensor[], a: Im2ColAttrs & { outputSize: readonly number[] }, [out]: Tensor[]): void {
  const o = out!;
  const [h, w] = a.outputSize as [number, number];
  const [kh, kw] = a.kernel as [number, number];
  const [cols] = t!.shape.slice(-2) as [number, number];
  const c = cols / (kh * kw);
  const batch = t!.ndim === 3 ? t!.shape[0]! : 1;
  const bh = Math.floor((h + 2 * a.padding[0]! - (a.dilation[0]! * (kh - 1) + 1)) / a.stride[0]!) + 1;
  const bw = Math.floor((w + 2 * a.padding[1]! - (a.dilation[1]! * (kw - 1) + 1)) / a.stride[1]!) + 1;
  const x = valuesAs(t!, o.dtype);
  const res = new Float64Array(o.numel());
  let k = 0;
  for (let n = 0; n < batch; n++) {
    for (let ch = 0; ch < c; ch++) {
      for (let i = 0; i < kh; i++) {
        for (let j = 0; j < kw; j++) {
          for (let oh = 0; oh < bh; oh++) {
            const ih = oh * a.stride[0]! - a.padding[0]! + i * a.dilation[0]!;
            for (let ow = 0; ow < bw; ow++) {
              const iw = ow * a.stride[1]! - a.padding[1]! + j * a.dilation[1]!;
              const v = x[k++]!;
              if (ih >= 0 && ih < h && iw >= 0 && iw < w) res[((n * c + ch) * h + ih) * w + iw] += v;
            }
          }
        }
      }
    }
  }
  commit(o, res);
}

// ------------------------------------------------------------------ grid sampling

function unnormalize(coord: number, size: number, align: boolean): number {
  return align ? ((coord + 1) / 2) * (size - 1) : ((coord + 1) * size - 1) / 2;
}
function reflect(x: number, twiceLow: number, twiceHigh: number): number {
  if (twiceLow === twiceHigh) return 0;
  const min = twiceLow / 2;
  const span = (twiceHigh - twiceLow) / 2;
  let v = Math.abs(x - min);
  const extra = v % span;
  const flips = Math.floor(v / span);
  v = flips % 2 === 0 ? extra + min : span - extra + min;
  return v;
}
function sourceIndex(coord: number, size: number, padding: number, align: boolean): number {
  let x = unnormalize(coord, size, align);
  if (padding === 1) x = Math.min(Math.max(x, 0), size - 1);
  else if (padding === 2) {
    x = align ? reflect(x, 0, 2 * (size - 1)) : reflect(x, -1, 2 * size - 1);
    x = Math.min(Math.max(x, 0), size - 1);
  }
  return x;
}

function gridSampleKernel([input, grid]: readonly Tensor[], a: { mode: number; paddingMode: number; alignCorners: boolean }, [out]: Tensor[]): void {
  const o = out!;
  const spatial = input!.ndim - 2;
  const x = valuesAs(input!, o.dtype);
  const g = valuesAs(grid!, o.dtype);
  const res = resultArray(o);
  const [N, C] = input!.shape as [number, number];
  const inS = input!.shape.slice(2);
  const outS = grid!.shape.slice(1, -1);
  const inPlane = shapeNumel(inS);
  const outPlane = shapeNumel(outS);
  const sizes = [...inS].reverse(); // x (width) first, as grid coordinates are
  const strides = [...contiguousStrides(inS)].reverse();
  for (let n = 0; n < N; n++) {
    for (let p = 0; p < outPlane; p++) {
      const coords = Array.from({ length: spatial }, (_, d) => sourceIndex(g[(n * outPlane + p) * spatial + d]!, sizes[d]!, a.paddingMode, a.alignCorners));
      for (let c = 0; c < C; c++) {
        const base = (n * C + c) * inPlane;
        const at = (idx: number[]): number => {
          let off = 0;
          for (let d = 0; d < spatial; d++) {
            if (idx[d]! < 0 || idx[d]! >= sizes[d]!) return 0;
            off += idx[d]! * strides[d]!;
          }
          return x[base + off]!;
        };
        let v = 0;
        if (a.mode === 1) {
          v = at(coords.map((q) => roundHalfEven(q)));
        } else if (a.mode === 0) {
          const lo = coords.map((q) => Math.floor(q));
          for (let corner = 0; corner < 1 << spatial; corner++) {
            let w = 1;
            const idx = lo.map((l, d) => {
              const up = (corner >> d) & 1;
              w *= up ? coords[d]! - l : 1 - (coords[d]! - l);
              return l + up;
            });
            if (w !== 0) v += w * at(idx);
          }
        } else {
          if (spatial !== 2) throw notImplementedError('bicubic grid_sample needs a 4-D input');
          // Bicubic: raw (unclamped) coordinates, each tap padded individually.
          const raw = [0, 1].map((d) => unnormalize(g[(n * outPlane + p) * 2 + d]!, sizes[d]!, a.alignCorners));
          const i0 = raw.map(Math.floor);
          const tt = raw.map((r, d) => r - i0[d]!);
          const coeff = (t: number): number[] => [cubic2(t + 1), cubic1(t), cubic1(1 - t), cubic2(2 - t)];
          const cx = coeff(tt[0]!);
          const cy = coeff(tt[1]!);
          const bounded = (ix: number, iy: number): number => {
            const px = padTap(ix, sizes[0]!, a.paddingMode, a.alignCorners);
            const py = padTap(iy, sizes[1]!, a.paddingMode, a.alignCorners);
            return px < 0 || py < 0 ? 0 : x[base + py * strides[1]! + px * strides[0]!]!;
          };
          for (let j = 0; j < 4; j++) {
            let row = 0;
            for (let i = 0; i < 4; i++) row += cx[i]! * bounded(i0[0]! - 1 + i, i0[1]! - 1 + j);
            v += cy[j]! * row;
          }
        }
        res[(n * C + c) * outPlane + p] = v;
      }
    }
  }
  commit(o, res);
}

/** A bicubic tap's index after padding (-1: zero padding outside). */
function padTap(i: number, size: number, padding: number, align: boolean): number {
  if (padding === 0) return i >= 0 && i < size ? i : -1;
  let x = i;
  if (padding === 2) x = align ? reflect(x, 0, 2 * (size - 1)) : reflect(x, -1, 2 * size - 1);
  return Math.min(Math.max(Math.trunc(x), 0), size - 1);
}

function affineGridKernel([theta]: readonly Tensor[], a: { size: readonly number[]; alignCorners?: boolean }, [out]: Tensor[]): void {
  const o = out!;
  const t = valuesAs(theta!, o.dtype);
  const spatial = a.size.length - 2;
  const N = a.size[0]!;
  const dims = a.size.slice(2); // D?, H, W
  const lin = (steps: number): number[] => Array.from({ length: steps }, (_, i) => {
    const v = steps > 1 ? -1 + (2 * i) / (steps - 1) : -1;
    return a.alignCorners ? v : (v * (steps - 1)) / steps;
  });
  const axes = dims.map(lin);
  const points = shapeNumel(dims);
  const res = resultArray(o);
  const cols = spatial + 1;
  for (let n = 0; n < N; n++) {
    for (let p = 0; p < points; p++) {
      // Base point (x, y[, z], 1): x runs along the last dim.
      const coord: number[] = [];
      let rest = p;
      const idx = new Array<number>(spatial);
      for (let d = spatial - 1; d >= 0; d--) { idx[d] = rest % dims[d]!; rest = Math.floor(rest / dims[d]!); }
      for (let d = spatial - 1; d >= 0; d--) coord.push(axes[d]![idx[d]!]!);
      coord.push(1);
      for (let r = 0; r < spatial; r++) {
        let v = 0;
        for (let k = 0; k < cols; k++) v += coord[k]! * t[(n * spatial + r) * cols + k]!;
        res[(n * points + p) * spatial + r] = v;
      }
    }
  }
  commit(o, res);
}

// ------------------------------------------------------------------ glu, prelu, distances

function gluKernel([t]: readonly Tensor[], { dim }: { dim: number }, [out]: Tensor[]): void {
  const o = out!;
  const d = wrapDim(dim, t!.ndim);
  const x = valuesAs(t!, o.dtype);
  const res = resultArray(o);
  const outer = shapeNumel(t!.shape.slice(0, d));
  const half = t!.shape[d]! / 2;
  const inner = shapeNumel(t!.shape.slice(d + 1));
  for (let p = 0; p < outer; p++) {
    for (let h = 0; h < half; h++) {
      for (let i = 0; i < inner; i++) {
        const av = x[(p * 2 * half + h) * inner + i]!;
        const bv = x[(p * 2 * half + h + half) * inner + i]!;
        res[(p * half + h) * inner + i] = av / (1 + Math.exp(-bv));
      }
    }
  }
  commit(o, res);
}

function preluKernel([input, weight]: readonly Tensor[], _a: unknown, [out]: Tensor[]): void {
  const o = out!;
  const x = valuesAs(input!, o.dtype);
  const w = valuesAs(weight!, o.dtype);
  const res = resultArray(o);
  const channels = w.length === 1 || input!.ndim < 2 ? 1 : input!.shape[1]!;
  const inner = input!.ndim < 2 ? 1 : shapeNumel(input!.shape.slice(2));
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    const slope = channels === 1 ? w[0]! : w[Math.floor(i / inner) % channels]!;
    res[i] = v > 0 ? v : v * slope;
  }
  commit(o, res);
}

/** Rows of two broadcast operands along their last (or `dim`) axis, for the distance kernels. */
function broadcastPair(a: Tensor, b: Tensor, dtype: Tensor['dtype']): { shape: number[]; x: NumberArray; y: NumberArray; xm: Int32Array | null; ym: Int32Array | null } {
  const shape = broadcastShapes(a.shape, b.shape);
  return { shape, x: valuesAs(a, dtype), y: valuesAs(b, dtype), xm: broadcastMap(a.shape, shape), ym: broadcastMap(b.shape, shape) };
}

function cosineKernel([a, b]: readonly Tensor[], attrs: { dim: number; eps?: number }, [out]: Tensor[]): void {
  const o = out!;
  const { shape, x, y, xm, ym } = broadcastPair(a!, b!, o.dtype);
  const d = wrapDim(attrs.dim, shape.length);
  const outer = shapeNumel(shape.slice(0, d));
  const size = shape[d]!;
  const inner = shapeNumel(shape.slice(d + 1));
  const eps = attrs.eps ?? 1e-8;
  const res = resultArray(o);
  for (let p = 0; p < outer; p++) {
    for (let i = 0; i < inner; i++) {
      let w12 = 0;
      let w1 = 0;
      let w2 = 0;
      for (let k = 0; k < size; k++) {
        const idx = (p * size + k) * inner + i;
        const u = x[xm ? xm[idx]! : idx]!;
        const v = y[ym ? ym[idx]! : idx]!;
        w12 += u * v; w1 += u * u; w2 += v * v;
      }
      res[p * inner + i] = w12 / Math.sqrt(Math.max(w1 * w2, eps * eps));
    }
  }
  commit(o, res);
}

function pNorm(diffs: number[], p: number): number {
  if (p === Infinity) return Math.max(0, ...diffs.map(Math.abs));
  if (p === 0) return diffs.filter((v) => v !== 0).length;
  if (p === 1) return diffs.reduce((s, v) => s + Math.abs(v), 0);
  if (p === 2) return Math.sqrt(diffs.reduce((s, v) => s + v * v, 0));
  return diffs.reduce((s, v) => s + Math.abs(v) ** p, 0) ** (1 / p);
}

function pairwiseKernel([a, b]: readonly Tensor[], attrs: { keepdim: boolean; p?: number; eps?: number }, [out]: Tensor[]): void {
  const o = out!;
  const { shape, x, y, xm, ym } = broadcastPair(a!, b!, o.dtype);
  const res = resultArray(o);
  const eps = attrs.eps ?? 1e-6;
  const p = attrs.p ?? 2;
  if (shape.length === 0) {
    commit(o, [pNorm([x[0]! - y[0]! + eps], p)]);
    return;
  }
  const last = shape[shape.length - 1]!;
  const rows = shapeNumel(shape.slice(0, -1));
  for (let r = 0; r < rows; r++) {
    const diffs: number[] = [];
    for (let k = 0; k < last; k++) {
      const idx = r * last + k;
      diffs.push(x[xm ? xm[idx]! : idx]! - y[ym ? ym[idx]! : idx]! + eps);
    }
    res[r] = pNorm(diffs, p);
  }
  commit(o, res);
}

function pdistKernel([t]: readonly Tensor[], a: { p?: number }, [out]: Tensor[]): void {
  const o = out!;
  const x = valuesAs(t!, o.dtype);
  const [n, m] = t!.shape as [number, number];
  const res = resultArray(o);
  let k = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const diffs: number[] = [];
      for (let c = 0; c < m; c++) diffs.push(x[i * m + c]! - x[j * m + c]!);
      res[k++] = pNorm(diffs, a.p ?? 2);
    }
  }
  commit(o, res);
}

function cdistKernel([a, b]: readonly Tensor[], attrs: { p?: number }, [out]: Tensor[]): void {
  const o = out!;
  const x = valuesAs(a!, o.dtype);
  const y = valuesAs(b!, o.dtype);
  const r1 = a!.shape[a!.ndim - 2]!;
  const r2 = b!.shape[b!.ndim - 2]!;
  const m = a!.shape[a!.ndim - 1]!;
  const batch = o.shape.slice(0, -2);
  const am = broadcastMap(a!.shape.slice(0, -2), batch);
  const bm = broadcastMap(b!.shape.slice(0, -2), batch);
  const res = resultArray(o);
  const count = shapeNumel(batch);
  for (let t = 0; t < count; t++) {
    const ab = (am ? am[t]! : t) * r1 * m;
    const bb = (bm ? bm[t]! : t) * r2 * m;
    for (let i = 0; i < r1; i++) {
      for (let j = 0; j < r2; j++) {
        const diffs: number[] = [];
        for (let c = 0; c < m; c++) diffs.push(x[ab + i * m + c]! - y[bb + j * m + c]!);
        res[(t * r1 + i) * r2 + j] = pNorm(diffs, attrs.p ?? 2);
      }
    }
  }
  commit(o, res);
}

export function registerNnKernels(): void {
  registerCpu('pad', padKernel);
  registerCpu<UpsampleAttrs>('upsample', upsampleKernel);
  registerCpu<Im2ColAttrs>('im2col', im2colKernel);
  registerCpu('col2im', col2imKernel);
  registerCpu('grid_sampler', gridSampleKernel);
  registerCpu('affine_grid_generator', affineGridKernel);
  registerCpu('glu', gluKernel);
  registerCpu('prelu', preluKernel);
  registerCpu('cosine_similarity', cosineKernel);
  registerCpu('pairwise_distance', pairwiseKernel);
  registerCpu('pdist', pdistKernel);
  registerCpu('cdist', cdistKernel);
}

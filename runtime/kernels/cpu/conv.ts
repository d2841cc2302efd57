// Convolutions (1-D, 2-D, 3-D, grouped, strided, dilated, 'same'/'valid' padding) and their
// transposes, via im2col + GEMM. Spatial dims are handled as 3-D (missing leading dims have size
// 1), output positions are processed in tiles so the column buffer stays small, 1×1 stride-1
// convolutions use the input itself as the column matrix, and the transpose multiplies by Wᵀ and
// scatters the columns back (col2im). Products big enough go through the packed GEMM (the
// weights packed once per call, the columns written straight into packed panels), and 3×3
// stride-1 2-D convolutions with enough channels through Winograd F(4×4, 3×3) (winograd.ts).
// Accumulation is in double; the output rounds once.
import type { ConvAttrs } from '../../ops/conv.ts';
import { type Tensor } from '../../tensor.ts';
import { type NumberArray, commit } from './util.ts';
import {
  SCRATCH_CONV_OUT, SCRATCH_PACK_A, SCRATCH_PACK_B, gemmNN, gemmPacked, matmulInto, packA, packB, packedASize, packedBSize, scratch, usePacked,
} from './gemm.ts';
import { valuesAs } from './elementwise.ts';
import { registerCpu } from './register.ts';
import { conv3x3Winograd, winogradPays } from './winograd.ts';

/** Pads a per-dim list (1 value or one per spatial dim) to 3 entries, `fill` in front. */
function as3(values: readonly number[], dims: number, fill: number): [number, number, number] {
  const full = values.length === 1 ? new Array<number>(dims).fill(values[0]!) : [...values];
  const padded = [...new Array<number>(3 - dims).fill(fill), ...full];
  return padded as [number, number, number];
}

interface Geometry {
  batch: number; inC: number; outC: number; groups: number;
  inS: [number, number, number]; outS: [number, number, number]; k: [number, number, number];
  stride: [number, number, number]; dilation: [number, number, number]; padBefore: [number, number, number];
}

function geometry(input: Tensor, weight: Tensor, out: Tensor, a: ConvAttrs): Geometry {
  const dims = weight.ndim - 2;
  const batched = input.ndim === dims + 2;
  const x = batched ? input.shape : [1, ...input.shape];
  const o = batched ? out.shape : [1, ...out.shape];
  const k = as3(weight.shape.slice(2), dims, 1);
  const stride = as3(a.stride, dims, 1);
  const dilation = as3(a.dilation, dims, 1);
  let padBefore: [number, number, number];
  if (a.padding === 'valid') padBefore = [0, 0, 0];
  else if (a.padding === 'same') {
    // torch pads 'same' with total d*(k-1), the extra element (if odd) on the right.
    padBefore = [0, 1, 2].map((i) => Math.floor((dilation[i]! * (k[i]! - 1)) / 2)) as [number, number, number];
  } else padBefore = as3(a.padding, dims, 0);
  return {
    batch: x[0]!, inC: x[1]!, outC: o[1]!, groups: a.groups,
    inS: as3(x.slice(2), dims, 1), outS: as3(o.slice(2), dims, 1), k, stride, dilation, padBefore,
  };
}

/** Maximum number of column-buffer elements per tile. */
const TILE_ELEMENTS = 1 << 22;

function convForward(input: Tensor, weight: Tensor, bias: Tensor | undefined, out: Tensor, a: ConvAttrs): void {
  const g = geometry(input, weight, out, a);
  const x = valuesAs(input, out.dtype);
  const w = valuesAs(weight, out.dtype);
  const b = bias ? valuesAs(bias, out.dtype) : null;
  const product = (v: readonly number[]): number => v[0]! * v[1]! * v[2]!;
  const cg = g.inC / g.groups;
  const og = g.outC / g.groups;
  const K = cg * product(g.k);
  const L = product(g.outS);
  const inPlane = product(g.inS);
  // Reused between calls (only its first numel() values are used, and commit copies them out).
  const res = scratch(SCRATCH_CONV_OUT, out.numel()).fill(0, 0, out.numel());
  const pointwise = product(g.k) === 1 && product(g.stride) === 1 && g.padBefore.every((p) => p === 0) && L === inPlane;
  const tile = Math.max(1, Math.min(L, Math.floor(TILE_ELEMENTS / Math.max(K, 1))));
  const [, oH, oW] = g.outS;
  const winograd = g.inS[0] === 1 && g.k[0] === 1 && g.k[1] === 3 && g.k[2] === 3 && product(g.stride) === 1 &&
    product(g.dilation) === 1 && g.padBefore[0] === 0 && winogradPays(og, cg, oH, oW) && allFinite(x) && allFinite(w);
  if (winograd) {
    conv3x3Winograd({
      batch: g.batch, inC: g.inC, outC: g.outC, groups: g.groups, iH: g.inS[1], iW: g.inS[2], oH, oW, pH: g.padBefore[1], pW: g.padBefore[2],
    }, x, w, res);
  } else if (usePacked(og, Math.min(tile, L), K)) {
    convPacked(g, x, w, res, { cg, og, K, L, inPlane, tile, pointwise });
  } else {
    const cols = pointwise ? null : new Float64Array(K * tile);
    const acc = new Float64Array(og * tile);
    for (let n = 0; n < g.batch; n++) {
      for (let grp = 0; grp < g.groups; grp++) {
        const xBase = (n * g.inC + grp * cg) * inPlane;
        const wBase = grp * og * K;
        const outBase = (n * g.outC + grp * og) * L;
        if (pointwise) {
          // The input channels of this group are the [cg, L] column matrix itself.
          const C = new Float64Array(og * L);
          gemmNN(og, L, cg, w, wBase, x, xBase, C, 0);
          res.set(C, outBase);
          continue;
        }
        for (let l0 = 0; l0 < L; l0 += tile) {
          const T = Math.min(tile, L - l0);
          im2col(x, xBase, cols!, T, l0, cg, g);
          acc.fill(0, 0, og * T);
          gemmNN(og, T, K, w, wBase, cols!, 0, acc, 0);
          for (let o = 0; o < og; o++) {
            const dst = outBase + o * L + l0;
            for (let t = 0; t < T; t++) res[dst + t] = acc[o * T + t]!;
          }
        }
      }
    }
  }
  if (b) addBias(res, b, g.batch, g.outC, L);
  commit(out, res);
}

/** Columns [K, T] for output positions l0..l0+T of one group (zero outside the input). */
function im2col(x: NumberArray, xBase: number, cols: Float64Array, T: number, l0: number, cg: number, g: Geometry): void {
  const [kD, kH, kW] = g.k;
  const [iD, iH, iW] = g.inS;
  const [, oH, oW] = g.outS;
  const [sD, sH, sW] = g.stride;
  const [dD, dH, dW] = g.dilation;
  const [pD, pH, pW] = g.padBefore;
  const inPlane = iD * iH * iW;
  let row = 0;
  for (let c = 0; c < cg; c++) {
    const cBase = xBase + c * inPlane;
    for (let kd = 0; kd < kD; kd++) {
      for (let kh = 0; kh < kH; kh++) {
        for (let kw = 0; kw < kW; kw++) {
          const dst = row * T;
          // Walk the output positions of the tile with an (od, oh, ow) odometer.
          let l = l0;
          let ow = l % oW;
          let oh = Math.floor(l / oW) % oH;
          let od = Math.floor(l / (oW * oH));
          for (let t = 0; t < T; t++, l++) {
            const id = od * sD - pD + kd * dD;
            const ih = oh * sH - pH + kh * dH;
            const iw = ow * sW - pW + kw * dW;
            cols[dst + t] = id >= 0 && id < iD && ih >= 0 && ih < iH && iw >= 0 && iw < iW ? x[cBase + (id * iH + ih) * iW + iw]! : 0;
            if (++ow === oW) { ow = 0; if (++oh === oH) { oh = 0; od++; } }
          }
          row++;
        }
      }
    }
  }
}

/**
 * Whether every value is finite. Winograd mixes the inputs of a whole tile (and the taps of a
 * filter) in its transforms, so an inf or NaN would spread to outputs the direct sum keeps finite.
 */
function allFinite(v: NumberArray): boolean {
  for (let i = 0; i < v.length; i++) if (!Number.isFinite(v[i]!)) return false;
  return true;
}

interface ConvSizes { cg: number; og: number; K: number; L: number; inPlane: number; tile: number; pointwise: boolean }

/**
 * The forward convolution through the packed GEMM: each group's weights [og, K] are packed once,
 * the columns of each tile of output positions are written straight into packed B panels (or
 * the input packed as B, for a pointwise convolution), and the products land in `res` directly.
 */
function convPacked(g: Geometry, x: NumberArray, w: NumberArray, res: Float64Array, s: ConvSizes): void {
  const { cg, og, K, L, inPlane, tile, pointwise } = s;
  const sizeW = packedASize(og, K);
  const packedW = scratch(SCRATCH_PACK_A, g.groups * sizeW);
  for (let grp = 0; grp < g.groups; grp++) packA(og, K, w, grp * og * K, false, packedW.subarray(grp * sizeW, (grp + 1) * sizeW));
  const cols = scratch(SCRATCH_PACK_B, packedBSize(K, pointwise ? L : tile));
  for (let n = 0; n < g.batch; n++) {
    for (let grp = 0; grp < g.groups; grp++) {
      const xBase = (n * g.inC + grp * cg) * inPlane;
      const outBase = (n * g.outC + grp * og) * L;
      if (pointwise) {
        packB(cg, L, x, xBase, false, cols);
        gemmPacked(og, L, K, packedW.subarray(grp * sizeW, (grp + 1) * sizeW), cols, res, outBase, L);
        continue;
      }
      for (let l0 = 0; l0 < L; l0 += tile) {
        const T = Math.min(tile, L - l0);
        im2colPacked(x, xBase, cols, T, l0, cg, K, g);
        gemmPacked(og, T, K, packedW.subarray(grp * sizeW, (grp + 1) * sizeW), cols, res, outBase + l0, L);
      }
    }
  }
}

/**
 * The columns [K, T] of `im2col`, written as `packB` lays them out (NR = 4 positions per panel,
 * k-major): column t, row k at ((t >> 2)·K + k)·4 + (t & 3). Slots past T are left as they are
 * (their products are never stored).
 */
function im2colPacked(x: NumberArray, xBase: number, P: Float64Array, T: number, l0: number, cg: number, K: number, g: Geometry): void {
  const [kD, kH, kW] = g.k;
  const [iD, iH, iW] = g.inS;
  const [, oH, oW] = g.outS;
  const [sD, sH, sW] = g.stride;
  const [dD, dH, dW] = g.dilation;
  const [pD, pH, pW] = g.padBefore;
  const inPlane = iD * iH * iW;
  const panelStride = 4 * K;
  const od0 = Math.floor(l0 / (oW * oH));
  const oh0 = Math.floor(l0 / oW) % oH;
  const ow0 = l0 % oW;
  let row = 0;
  for (let c = 0; c < cg; c++) {
    const cBase = xBase + c * inPlane;
    for (let kd = 0; kd < kD; kd++) {
      for (let kh = 0; kh < kH; kh++) {
        for (let kw = 0; kw < kW; kw++) {
          let ow = ow0;
          let oh = oh0;
          let od = od0;
          // Position t of the tile sits at panel (t >> 2), lane (t & 3): stepping t moves one
          // lane, and every fourth step jumps to the next panel.
          let dst = row * 4;
          for (let t = 0; t < T; t++) {
            const id = od * sD - pD + kd * dD;
            const ih = oh * sH - pH + kh * dH;
            const iw = ow * sW - pW + kw * dW;
            P[dst + (t & 3)] = id >= 0 && id < iD && ih >= 0 && ih < iH && iw >= 0 && iw < iW ? x[cBase + (id * iH + ih) * iW + iw]! : 0;
            if ((t & 3) === 3) dst += panelStride;
            if (++ow === oW) { ow = 0; if (++oh === oH) { oh = 0; od++; } }
          }
          row++;
        }
      }
    }
  }
}

function addBias(res: Float64Array, b: NumberArray, batch: number, channels: number, plane: number): void {
  for (let n = 0; n < batch; n++) {
    for (let c = 0; c < channels; c++) {
      const base = (n * channels + c) * plane;
      const v = b[c]!;
      for (let i = 0; i < plane; i++) res[base + i] += v;
    }
  }
}

function convTransposed(input: Tensor, weight: Tensor, bias: Tensor | undefined, out: Tensor, a: ConvAttrs): void {
  const dims = weight.ndim - 2;
  const batched = input.ndim === dims + 2;
  const xs = batched ? input.shape : [1, ...input.shape];
  const os = batched ? out.shape : [1, ...out.shape];
  const [kD, kH, kW] = as3(weight.shape.slice(2), dims, 1);
  const [iD, iH, iW] = as3(xs.slice(2), dims, 1);
  const [oD, oH, oW] = as3(os.slice(2), dims, 1);
  const [sD, sH, sW] = as3(a.stride, dims, 1);
  const [dD, dH, dW] = as3(a.dilation, dims, 1);
  const [pD, pH, pW] = as3(a.padding as readonly number[], dims, 0);
  const batch = xs[0]!;
  const inC = xs[1]!;
  const outC = os[1]!;
  const cg = inC / a.groups;
  const og = outC / a.groups;
  const kk = kD * kH * kW;
  const Lin = iD * iH * iW;
  const Lout = oD * oH * oW;
  const x = valuesAs(input, out.dtype);
  const w = valuesAs(weight, out.dtype);
  const res = new Float64Array(out.numel());
  const cols = new Float64Array(og * kk * Lin);
  for (let n = 0; n < batch; n++) {
    for (let grp = 0; grp < a.groups; grp++) {
      cols.fill(0);
      // cols[og*kk, Lin] = W_g[cg, og*kk]ᵀ · x_g[cg, Lin]
      matmulInto(og * kk, Lin, cg, { data: w, offset: grp * cg * og * kk, t: true }, { data: x, offset: (n * inC + grp * cg) * Lin, t: false }, cols, 0);
      const outBase = (n * outC + grp * og) * Lout;
      for (let o = 0; o < og; o++) {
        for (let kd = 0; kd < kD; kd++) {
          for (let kh = 0; kh < kH; kh++) {
            for (let kw = 0; kw < kW; kw++) {
              const row = ((o * kD + kd) * kH + kh) * kW + kw;
              const src = row * Lin;
              for (let id = 0; id < iD; id++) {
                const od = id * sD - pD + kd * dD;
                if (od < 0 || od >= oD) continue;
                for (let ih = 0; ih < iH; ih++) {
                  const oh = ih * sH - pH + kh * dH;
                  if (oh < 0 || oh >= oH) continue;
                  const srcRow = src + (id * iH + ih) * iW;
                  const dstRow = outBase + o * Lout + (od * oH + oh) * oW;
                  for (let iw = 0; iw < iW; iw++) {
                    const ow = iw * sW - pW + kw * dW;
                    if (ow >= 0 && ow < oW) res[dstRow + ow] += cols[srcRow + iw]!;
                  }
                }
              }
            }
          }
        }
      }
    }
  }
  if (bias) addBias(res, valuesAs(bias, out.dtype), batch, outC, Lout);
  commit(out, res);
}

function convolutionKernel(inputs: readonly Tensor[], a: ConvAttrs, [out]: Tensor[]): void {
  const [input, weight, bias] = inputs as [Tensor, Tensor, Tensor | undefined];
  if (out!.numel() === 0) return;
  if (a.transposed) convTransposed(input, weight, bias, out!, a);
  else convForward(input, weight, bias, out!, a);
}

export function registerConvKernels(): void {
  registerCpu<ConvAttrs>('convolution', convolutionKernel);
}

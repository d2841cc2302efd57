// Pooling kernels: max pooling with indices (2-D/3-D, padding, dilation, ceil_mode; NaN wins as
// in ATen), the gradient-free max_pool1d, average pooling (count_include_pad, divisor_override),
// adaptive average/max pooling and max_unpool. Spatial dims are treated as 3-D (size-1 leading
// dims for 2-D); indices are flat positions within each input plane, as torch returns them.
import type { AdaptiveAttrs, MaxPool1dWindow, PoolAttrs } from '../../ops/pool.ts';
import { type Tensor, shapeNumel } from '../../tensor.ts';
import { runtimeError } from '../../python/index.ts';
import { commit, dataOf, resultArray } from './util.ts';
import { valuesAs } from './elementwise.ts';
import { registerCpu } from './register.ts';

const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

type V3 = [number, number, number];
const to3 = (v: readonly number[], n: number, fill: number): V3 => {
  const full = v.length === 1 ? new Array<number>(n).fill(v[0]!) : [...v];
  return [...new Array<number>(3 - n).fill(fill), ...full] as V3;
};

interface Window { k: V3; s: V3; p: V3; d: V3; inS: V3; outS: V3; planes: number }

function windowOf(input: Tensor, out: Tensor, a: PoolAttrs): Window {
  const n = a.spatial;
  const k = to3(a.kernel, n, 1);
  return {
    k, s: a.stride.length === 0 ? k : to3(a.stride, n, 1), p: to3(a.padding, n, 0), d: to3(a.dilation.length ? a.dilation : [1], n, 1),
    inS: to3(input.shape.slice(-n), n, 1), outS: to3(out.shape.slice(-n), n, 1), planes: shapeNumel(input.shape.slice(0, -n)),
  };
}

function maxPoolKernel([input]: readonly Tensor[], a: PoolAttrs, [values, indices]: Tensor[]): void {
  const w = windowOf(input!, values!, a);
  const x = valuesAs(input!, values!.dtype);
  const res = resultArray(values!);
  const idx = dataOf(indices!) as BigInt64Array;
  // The int64 indices (non-negative, below 2^31) as (low, high) int32 words: no BigInt per element.
  const words = littleEndian ? new Int32Array(idx.buffer, idx.byteOffset, 2 * idx.length) : null;
  const [iD, iH, iW] = w.inS;
  const [oD, oH, oW] = w.outS;
  const [kD, kH, kW] = w.k;
  const [sD, sH, sW] = w.s;
  const [pD, pH, pW] = w.p;
  const [dD, dH, dW] = w.d;
  const inPlane = iD * iH * iW;
  const outPlane = oD * oH * oW;
  for (let pl = 0; pl < w.planes; pl++) {
    const xb = pl * inPlane;
    for (let od = 0; od < oD; od++) {
      for (let oh = 0; oh < oH; oh++) {
        for (let ow = 0; ow < oW; ow++) {
          // ATen: start at the first in-bounds position, take v when v > max or v is NaN.
          let first = -1;
          let best = -Infinity;
          let bestIndex = -1;
          for (let kd = 0; kd < kD; kd++) {
            const id = od * sD - pD + kd * dD;
            if (id < 0 || id >= iD) continue;
            for (let kh = 0; kh < kH; kh++) {
              const ih = oh * sH - pH + kh * dH;
              if (ih < 0 || ih >= iH) continue;
              for (let kw = 0; kw < kW; kw++) {
                const iw = ow * sW - pW + kw * dW;
                if (iw < 0 || iw >= iW) continue;
                const pos = (id * iH + ih) * iW + iw;
                if (first < 0) first = pos;
                const v = x[xb + pos]!;
                if (v > best || v !== v) { best = v; bestIndex = pos; }
              }
            }
          }
          if (bestIndex < 0) bestIndex = first;
          const o = pl * outPlane + (od * oH + oh) * oW + ow;
          res[o] = best;
          if (words) {
            words[2 * o] = bestIndex;
            words[2 * o + 1] = 0;
          } else {
            idx[o] = BigInt(bestIndex);
          }
        }
      }
    }
  }
  commit(values!, res);
}

function maxPool1dKernel([input]: readonly Tensor[], a: { length: number } & Partial<MaxPool1dWindow>, [out]: Tensor[]): void {
  const x = valuesAs(input!, out!.dtype);
  const res = resultArray(out!);
  const iW = input!.shape[input!.ndim - 1]!;
  const planes = iW === 0 ? 0 : x.length / iW;
  const k = a.kernel ?? 1;
  const s = a.stride ?? k;
  const p = a.padding ?? 0;
  const d = a.dilation ?? 1;
  for (let pl = 0; pl < planes; pl++) {
    for (let o = 0; o < a.length; o++) {
      let best = -Infinity;
      for (let j = 0; j < k; j++) {
        const i = o * s - p + j * d;
        if (i < 0 || i >= iW) continue;
        const v = x[pl * iW + i]!;
        if (v > best || v !== v) { best = v; if (v !== v) break; }
      }
      res[pl * a.length + o] = best;
    }
  }
  commit(out!, res);
}

function avgPoolKernel([input]: readonly Tensor[], a: PoolAttrs, [out]: Tensor[]): void {
  const w = windowOf(input!, out!, a);
  const x = valuesAs(input!, out!.dtype);
  const res = resultArray(out!);
  const [iD, iH, iW] = w.inS;
  const [oD, oH, oW] = w.outS;
  const inPlane = iD * iH * iW;
  const outPlane = oD * oH * oW;
  const includePad = a.countIncludePad ?? true;
  // Windows of the leading (size-1) dims of a 2-D pool never pad.
  const lo = (o: number, dim: number): number => o * w.s[dim]! - w.p[dim]!;
  for (let pl = 0; pl < w.planes; pl++) {
    const xb = pl * inPlane;
    for (let od = 0; od < oD; od++) {
      let d0 = lo(od, 0);
      let d1 = Math.min(d0 + w.k[0], iD + w.p[0]);
      const poolD = d1 - d0;
      d0 = Math.max(d0, 0);
      d1 = Math.min(d1, iD);
      for (let oh = 0; oh < oH; oh++) {
        let h0 = lo(oh, 1);
        let h1 = Math.min(h0 + w.k[1], iH + w.p[1]);
        const poolH = h1 - h0;
        h0 = Math.max(h0, 0);
        h1 = Math.min(h1, iH);
        for (let ow = 0; ow < oW; ow++) {
          let w0 = lo(ow, 2);
          let w1 = Math.min(w0 + w.k[2], iW + w.p[2]);
          const poolW = w1 - w0;
          w0 = Math.max(w0, 0);
          w1 = Math.min(w1, iW);
          let sum = 0;
          for (let id = d0; id < d1; id++) for (let ih = h0; ih < h1; ih++) for (let iw = w0; iw < w1; iw++) sum += x[xb + (id * iH + ih) * iW + iw]!;
          const divisor = a.divisorOverride ? a.divisorOverride : includePad ? poolD * poolH * poolW : (d1 - d0) * (h1 - h0) * (w1 - w0);
          res[pl * outPlane + (od * oH + oh) * oW + ow] = sum / divisor;
        }
      }
    }
  }
  commit(out!, res);
}

const start = (o: number, I: number, O: number): number => Math.floor((o * I) / O);
const end = (o: number, I: number, O: number): number => Math.ceil(((o + 1) * I) / O);

function adaptiveKernel([input]: readonly Tensor[], a: AdaptiveAttrs, outs: Tensor[]): void {
  const out = outs[0]!;
  const n = a.spatial;
  const inS = to3(input!.shape.slice(-n), n, 1);
  const outS = to3(out.shape.slice(-n), n, 1);
  const planes = shapeNumel(input!.shape.slice(0, -n));
  const x = valuesAs(input!, out.dtype);
  const res = resultArray(out);
  const idx = a.kind === 'max' ? (dataOf(outs[1]!) as BigInt64Array) : null;
  const [iD, iH, iW] = inS;
  const [oD, oH, oW] = outS;
  for (let pl = 0; pl < planes; pl++) {
    const xb = pl * iD * iH * iW;
    for (let od = 0; od < oD; od++) {
      const d0 = start(od, iD, oD);
      const d1 = end(od, iD, oD);
      for (let oh = 0; oh < oH; oh++) {
        const h0 = start(oh, iH, oH);
        const h1 = end(oh, iH, oH);
        for (let ow = 0; ow < oW; ow++) {
          const w0 = start(ow, iW, oW);
          const w1 = end(ow, iW, oW);
          const o = pl * oD * oH * oW + (od * oH + oh) * oW + ow;
          if (a.kind === 'avg') {
            let sum = 0;
            for (let id = d0; id < d1; id++) for (let ih = h0; ih < h1; ih++) for (let iw = w0; iw < w1; iw++) sum += x[xb + (id * iH + ih) * iW + iw]!;
            res[o] = sum / ((d1 - d0) * (h1 - h0) * (w1 - w0));
          } else {
            let best = -Infinity;
            let bestIndex = (d0 * iH + h0) * iW + w0;
            for (let id = d0; id < d1; id++) {
              for (let ih = h0; ih < h1; ih++) {
                for (let iw = w0; iw < w1; iw++) {
                  const pos = (id * iH + ih) * iW + iw;
                  const v = x[xb + pos]!;
                  if (v > best || v !== v) { best = v; bestIndex = pos; }
                }
              }
            }
            res[o] = best;
            idx![o] = BigInt(bestIndex);
          }
        }
      }
    }
  }
  commit(out, res);
}

function maxUnpoolKernel([input, indices]: readonly Tensor[], { outputSize }: { outputSize: readonly number[] }, [out]: Tensor[]): void {
  const n = outputSize.length;
  const outPlane = shapeNumel(outputSize);
  const inPlane = shapeNumel(input!.shape.slice(-n));
  const planes = inPlane === 0 ? 0 : input!.numel() / inPlane;
  const x = valuesAs(input!, out!.dtype);
  const ind = valuesAs(indices!, indices!.dtype);
  const res = resultArray(out!);
  for (let pl = 0; pl < planes; pl++) {
    for (let i = 0; i < inPlane; i++) {
      const target = ind[pl * inPlane + i]!;
      if (target < 0 || target >= outPlane) {
        throw runtimeError(`Found an invalid max index: ${target} (output volumes are of size ${outputSize.join('x')}`);
      }
      res[pl * outPlane + target] = x[pl * inPlane + i]!;
    }
  }
  commit(out!, res);
}

export function registerPoolKernels(): void {
  registerCpu<PoolAttrs>('max_pool_with_indices', maxPoolKernel);
  registerCpu('max_pool1d', maxPool1dKernel);
  registerCpu<PoolAttrs>('avg_pool', avgPoolKernel);
  registerCpu<AdaptiveAttrs>('adaptive_avg_pool', adaptiveKernel);
  registerCpu<AdaptiveAttrs>('adaptive_max_pool', adaptiveKernel);
  registerCpu('max_unpool', maxUnpoolKernel);
}

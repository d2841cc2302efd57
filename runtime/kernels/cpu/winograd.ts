// 3×3, stride-1, undilated 2-D convolutions by Winograd's minimal filtering F(4×4, 3×3) (Lavin &
// Gray, "Fast Algorithms for Convolutional Neural Networks", 2016): each 4×4 block of outputs of
// one (output, input) channel pair costs 36 multiply-adds in the transformed domain instead of
// 144, and the 36 transformed products are 36 independent GEMMs (packed, gemm.ts) over the
// channels. The transforms multiply by small constants (0, ±1, ±2, ±4, ±5, ±8, 1/4, 1/6, 1/12,
// 1/24); everything runs in double, so the result differs from the direct sum by a few units of
// double rounding — far below float32's, which is what the output keeps.
import type { NumberArray } from './util.ts';
import { gemmPacked, packedASize, packedBSize } from './gemm.ts';

/** Outputs per tile side (m) and transformed tile side (α = m + 3 - 1). */
const TILE = 4;
const ALPHA = 6;
const AREA = ALPHA * ALPHA;

export interface WinogradGeometry {
  batch: number; inC: number; outC: number; groups: number;
  iH: number; iW: number; oH: number; oW: number; pH: number; pW: number;
}

/**
 * Whether Winograd beats the direct (im2col) product for these sizes, counting the transforms:
 * weights (162 flops per channel pair), inputs (432 per channel and tile), outputs (240 per
 * output channel and tile), against 9·cg multiply-adds per output value directly.
 */
export function winogradPays(og: number, cg: number, oH: number, oW: number): boolean {
  if (og < 4 || cg < 4) return false;
  const tiles = Math.ceil(oH / TILE) * Math.ceil(oW / TILE);
  const direct = 9 * og * cg * oH * oW;
  const winograd = AREA * og * cg * tiles + 162 * og * cg + 432 * cg * tiles + 240 * og * tiles;
  return 1.5 * winograd < direct;
}

/** res (N, outC, oH, oW, doubles) = conv2d(x, w) for a 3×3 kernel, stride 1, dilation 1. */
export function conv3x3Winograd(g: WinogradGeometry, x: NumberArray, w: NumberArray, res: Float64Array): void {
  const cg = g.inC / g.groups;
  const og = g.outC / g.groups;
  const tilesH = Math.ceil(g.oH / TILE);
  const tilesW = Math.ceil(g.oW / TILE);
  const tiles = tilesH * tilesW;
  const sizeA = packedASize(og, cg);
  const sizeB = packedBSize(cg, tiles);
  const U = new Float64Array(AREA * sizeA);
  const V = new Float64Array(AREA * sizeB);
  const M = new Float64Array(AREA * og * tiles);
  const tmp = new Float64Array(AREA);
  const out = new Float64Array(AREA);
  const inPlane = g.iH * g.iW;
  const L = g.oH * g.oW;
  for (let grp = 0; grp < g.groups; grp++) {
    transformWeights(w, grp * og * cg * 9, og, cg, U, sizeA, tmp, out);
    for (let n = 0; n < g.batch; n++) {
      const xBase = (n * g.inC + grp * cg) * inPlane;
      for (let c = 0; c < cg; c++) {
        for (let t = 0; t < tiles; t++) {
          const iy0 = Math.floor(t / tilesW) * TILE - g.pH;
          const ix0 = (t % tilesW) * TILE - g.pW;
          gatherPatch(x, xBase + c * inPlane, g.iH, g.iW, iy0, ix0, tmp);
          transformInput(tmp, out);
          // packB layout of B[cg, tiles] for each ξ: column t, row c.
          const slot = (t - (t & 3)) * cg + c * 4 + (t & 3);
          for (let xi = 0; xi < AREA; xi++) V[xi * sizeB + slot] = out[xi]!;
        }
      }
      M.fill(0);
      for (let xi = 0; xi < AREA; xi++) {
        gemmPacked(og, tiles, cg, U.subarray(xi * sizeA, (xi + 1) * sizeA), V.subarray(xi * sizeB, (xi + 1) * sizeB), M, xi * og * tiles, tiles);
      }
      const outBase = (n * g.outC + grp * og) * L;
      for (let o = 0; o < og; o++) {
        for (let t = 0; t < tiles; t++) {
          for (let xi = 0; xi < AREA; xi++) tmp[xi] = M[(xi * og + o) * tiles + t]!;
          transformOutput(tmp, out);
          const oy0 = Math.floor(t / tilesW) * TILE;
          const ox0 = (t % tilesW) * TILE;
          const rows = Math.min(TILE, g.oH - oy0);
          const cols = Math.min(TILE, g.oW - ox0);
          for (let r = 0; r < rows; r++) {
            const dst = outBase + o * L + (oy0 + r) * g.oW + ox0;
            for (let q = 0; q < cols; q++) res[dst + q] = out[r * TILE + q]!;
          }
        }
      }
    }
  }
}

/** U[ξ] (packA layout of [og, cg]) = (G g Gᵀ)[ξ] for every 3×3 filter g of the group. */
function transformWeights(w: NumberArray, wBase: number, og: number, cg: number, U: Float64Array, sizeA: number, tmp: Float64Array, out: Float64Array): void {
  for (let o = 0; o < og; o++) {
    for (let c = 0; c < cg; c++) {
      const src = wBase + (o * cg + c) * 9;
      // tmp[6×3] = G · g (each column of g)
      for (let q = 0; q < 3; q++) {
        const g0 = w[src + q]!;
        const g1 = w[src + 3 + q]!;
        const g2 = w[src + 6 + q]!;
        filterColumn(g0, g1, g2, tmp, q, 3);
      }
      // out[6×6] = tmp · Gᵀ (each row of tmp)
      for (let r = 0; r < ALPHA; r++) filterColumn(tmp[r * 3]!, tmp[r * 3 + 1]!, tmp[r * 3 + 2]!, out, r * ALPHA, 1);
      const slot = (o - (o & 3)) * cg + c * 4 + (o & 3);
      for (let xi = 0; xi < AREA; xi++) U[xi * sizeA + slot] = out[xi]!;
    }
  }
}

/** dst[at + k·step] = (G · [g0, g1, g2])[k] for k < 6. */
function filterColumn(g0: number, g1: number, g2: number, dst: Float64Array, at: number, step: number): void {
  const even = g0 + g2;
  dst[at] = g0 / 4;
  dst[at + step] = -(even + g1) / 6;
  dst[at + 2 * step] = -(even - g1) / 6;
  dst[at + 3 * step] = g0 / 24 + g1 / 12 + g2 / 6;
  dst[at + 4 * step] = g0 / 24 - g1 / 12 + g2 / 6;
  dst[at + 5 * step] = g2;
}

/** The 6×6 input patch at (iy0, ix0) of one channel plane, zero outside it. */
function gatherPatch(x: NumberArray, base: number, iH: number, iW: number, iy0: number, ix0: number, d: Float64Array): void {
  if (iy0 >= 0 && ix0 >= 0 && iy0 + ALPHA <= iH && ix0 + ALPHA <= iW) {
    for (let r = 0; r < ALPHA; r++) {
      const src = base + (iy0 + r) * iW + ix0;
      const dst = r * ALPHA;
      d[dst] = x[src]!; d[dst + 1] = x[src + 1]!; d[dst + 2] = x[src + 2]!;
      d[dst + 3] = x[src + 3]!; d[dst + 4] = x[src + 4]!; d[dst + 5] = x[src + 5]!;
    }
    return;
  }
  for (let r = 0; r < ALPHA; r++) {
    const iy = iy0 + r;
    for (let q = 0; q < ALPHA; q++) {
      const ix = ix0 + q;
      d[r * ALPHA + q] = iy >= 0 && iy < iH && ix >= 0 && ix < iW ? x[base + iy * iW + ix]! : 0;
    }
  }
}

/** out = Bᵀ d B for a 6×6 patch d (overwritten with Bᵀ d). */
function transformInput(d: Float64Array, out: Float64Array): void {
  for (let q = 0; q < ALPHA; q++) inputLine(d, q, ALPHA, d, q, ALPHA);
  for (let r = 0; r < ALPHA; r++) inputLine(d, r * ALPHA, 1, out, r * ALPHA, 1);
}

/** dst = Bᵀ · src along one line of 6 (src and dst may be the same line). */
function inputLine(src: Float64Array, s: number, ss: number, dst: Float64Array, t: number, ts: number): void {
  const d0 = src[s]!;
  const d1 = src[s + ss]!;
  const d2 = src[s + 2 * ss]!;
  const d3 = src[s + 3 * ss]!;
  const d4 = src[s + 4 * ss]!;
  const d5 = src[s + 5 * ss]!;
  dst[t] = 4 * d0 - 5 * d2 + d4;
  dst[t + ts] = -4 * d1 - 4 * d2 + d3 + d4;
  dst[t + 2 * ts] = 4 * d1 - 4 * d2 - d3 + d4;
  dst[t + 3 * ts] = -2 * d1 - d2 + 2 * d3 + d4;
  dst[t + 4 * ts] = 2 * d1 - d2 - 2 * d3 + d4;
  dst[t + 5 * ts] = 4 * d1 - 5 * d3 + d5;
}

/** out[4×4] = Aᵀ m A for a 6×6 transformed tile m (overwritten with Aᵀ m in its first 4 rows). */
function transformOutput(m: Float64Array, out: Float64Array): void {
  for (let q = 0; q < ALPHA; q++) outputLine(m, q, ALPHA, m, q, ALPHA);
  for (let r = 0; r < TILE; r++) outputLine(m, r * ALPHA, 1, out, r * TILE, 1);
}

/** dst[0..3] = Aᵀ · src along one line of 6. */
function outputLine(src: Float64Array, s: number, ss: number, dst: Float64Array, t: number, ts: number): void {
  const m0 = src[s]!;
  const m1 = src[s + ss]!;
  const m2 = src[s + 2 * ss]!;
  const m3 = src[s + 3 * ss]!;
  const m4 = src[s + 4 * ss]!;
  const m5 = src[s + 5 * ss]!;
  const a = m1 + m2;
  const b = m1 - m2;
  const c = m3 + m4;
  const d = m3 - m4;
  dst[t] = m0 + a + c;
  dst[t + ts] = b + 2 * d;
  dst[t + 2 * ts] = a + 4 * c;
  dst[t + 3 * ts] = b + 8 * d + m5;
}

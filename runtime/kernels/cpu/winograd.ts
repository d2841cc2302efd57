// 3×3, stride-1, undilated 2-D convolutions by Winograd's minimal filtering F(4×4, 3×3) (Lavin &
// Gray, "Fast Algorithms for Convolutional Neural Networks", 2016): each 4×4 block of outputs of
// one (output, input) channel pair costs 36 multiply-adds in the transformed domain instead of
// 144, and the 36 transformed products are 36 independent GEMMs (packed, gemm.ts) over the
// channels. The transforms multiply by small constants (0, ±1, ±2, ±4, ±5, ±8, 1/4, 1/6, 1/12,
// 1/24); everything runs in double, so the result differs from the direct sum by a few units of
// double rounding — far below float32's, which is what the output keeps.
import type { NumberArray } from './util.ts';
import {
  SCRATCH_WINOGRAD_M, SCRATCH_WINOGRAD_U, SCRATCH_WINOGRAD_V, gemmPacked, packedASize, packedBSize, scratch,
} from './gemm.ts';

/** Outputs per tile side (m) and transformed tile side (α = m + 3 - 1). */
const TILE = 4;
const ALPHA = 6;
const AREA = ALPHA * ALPHA;

export interface WinogradGeometry {
  batch: number; inC: number; outC: number; groups: number;
  iH: number; iW: number; oH: number; oW: number; pH: number; pW: number;
}

/** A plane of `size` doubles rounded up to 4 KiB, plus 64 bytes (see conv3x3Winograd). */
const planeStride = (size: number): number => Math.ceil(size / 512) * 512 + 8;

/**
 * Whether Winograd beats the direct (im2col) product for these sizes, in units of one packed
 * multiply-add and counting the transforms as measured: about 90 per filter, 140 per input
 * channel and tile, 70 per output channel and tile, against 9·cg multiply-adds per output value
 * directly (plus im2col); with a 20 % margin.
 */
export function winogradPays(og: number, cg: number, oH: number, oW: number): boolean {
  if (og < 4 || cg < 4) return false;
  const tiles = Math.ceil(oH / TILE) * Math.ceil(oW / TILE);
  const direct = 9 * og * cg * oH * oW;
  const winograd = AREA * og * cg * tiles + 90 * og * cg + 140 * cg * tiles + 70 * og * tiles;
  return 1.2 * winograd < direct;
}

/** Output channels per pass: their transformed filters (36 × OB × cg) are all that is held. */
const OB = 32;
/** The transformed inputs of this many doubles at most are held: images are taken in chunks. */
const V_MAX = 1 << 22;

/**
 * res (N, outC, oH, oW, doubles) = conv2d(x, w) for a 3×3 kernel, stride 1, dilation 1. Per group,
 * the images are taken in chunks whose transformed tiles all go into one GEMM column dimension;
 * per chunk, the output channels in blocks of OB: their filters are transformed, multiplied
 * with the chunk's tiles (36 GEMMs) and transformed back into `res`.
 */
export function conv3x3Winograd(g: WinogradGeometry, x: NumberArray, w: NumberArray, res: Float64Array): void {
  const cg = g.inC / g.groups;
  const og = g.outC / g.groups;
  const tilesPer = Math.ceil(g.oH / TILE) * Math.ceil(g.oW / TILE);
  const chunk = Math.max(1, Math.min(g.batch, Math.floor(V_MAX / (AREA * cg * tilesPer))));
  // The 36 ξ planes of each array are written or read together, one element each: strides of
  // a whole number of 4 KiB would map them all to the same L1 sets, so each is padded to 64 bytes
  // past a multiple of 4 KiB.
  const ob = Math.min(OB, og);
  const sizeA = planeStride(packedASize(ob, cg));
  const sizeB = planeStride(packedBSize(cg, chunk * tilesPer));
  const sizeM = planeStride(ob * chunk * tilesPer);
  const U = scratch(SCRATCH_WINOGRAD_U, AREA * sizeA);
  const V = scratch(SCRATCH_WINOGRAD_V, AREA * sizeB);
  const M = scratch(SCRATCH_WINOGRAD_M, AREA * sizeM);
  const tmp = new Float64Array(AREA);
  for (let grp = 0; grp < g.groups; grp++) {
    for (let n0 = 0; n0 < g.batch; n0 += chunk) {
      const images = Math.min(chunk, g.batch - n0);
      const tiles = images * tilesPer;
      transformInputs(g, x, n0, grp * cg, cg, tiles, V, sizeB, tmp);
      for (let o0 = 0; o0 < og; o0 += OB) {
        const rows = Math.min(OB, og - o0);
        transformWeights(w, (grp * og + o0) * cg * 9, rows, cg, U, sizeA);
        M.fill(0, 0, AREA * sizeM);
        for (let xi = 0; xi < AREA; xi++) {
          gemmPacked(rows, tiles, cg, U.subarray(xi * sizeA, (xi + 1) * sizeA), V.subarray(xi * sizeB, (xi + 1) * sizeB), M, xi * sizeM, tiles);
        }
        transformOutputs(g, M, sizeM, rows, tiles, res, n0, grp * og + o0, tmp);
      }
    }
  }
}

/**
 * V[ξ] (packB layout of [cg, tiles]: tile T, channel c at (T - T % 4)·cg + 4c + T % 4) = (Bᵀ d B)[ξ]
 * for the 6×6 input patch d of every tile and channel; tile T is tile T % tilesPer of image
 * n0 + ⌊T / tilesPer⌋, channels c0.. of the input. Four tiles (one panel) at a time, channels
 * inside, so every ξ plane is written in order.
 */
function transformInputs(g: WinogradGeometry, x: NumberArray, n0: number, c0: number, cg: number, tiles: number, V: Float64Array, sizeB: number, d: Float64Array): void {
  const tilesW = Math.ceil(g.oW / TILE);
  const tilesPer = Math.ceil(g.oH / TILE) * tilesW;
  const inPlane = g.iH * g.iW;
  const rowStep = ALPHA * sizeB;
  for (let t0 = 0; t0 < tiles; t0 += 4) {
    const panel = Math.min(4, tiles - t0);
    for (let c = 0; c < cg; c++) {
      for (let tt = 0; tt < panel; tt++) {
        const T = t0 + tt;
        const image = n0 + Math.floor(T / tilesPer);
        const t = T % tilesPer;
        const base = (image * g.inC + c0 + c) * inPlane;
        gatherPatch(x, base, g.iH, g.iW, Math.floor(t / tilesW) * TILE - g.pH, (t % tilesW) * TILE - g.pW, d);
        // Bᵀ d down the columns, in place; then along row r into ξ = 6r + q.
        for (let q = 0; q < ALPHA; q++) inputLine(d, q, ALPHA, d, q, ALPHA);
        const slot = t0 * cg + c * 4 + tt;
        for (let r = 0; r < ALPHA; r++) inputLine(d, r * ALPHA, 1, V, slot + r * rowStep, sizeB);
      }
    }
  }
}

/**
 * The 4×4 output blocks Aᵀ m A of output channels oc0.. (`rows` of them) and every tile of the
 * chunk starting at image n0 (m: ξ = 6r + q at M[ξ·xiStep + o·tiles + T]).
 */
function transformOutputs(
  g: WinogradGeometry, M: Float64Array, xiStep: number, rows: number, tiles: number, res: Float64Array, n0: number, oc0: number, tmp: Float64Array,
): void {
  const tilesW = Math.ceil(g.oW / TILE);
  const tilesPer = Math.ceil(g.oH / TILE) * tilesW;
  const L = g.oH * g.oW;
  for (let o = 0; o < rows; o++) {
    for (let T = 0; T < tiles; T++) {
      // Aᵀ m down the columns into tmp's first four rows, then along them into the output.
      const at = o * tiles + T;
      for (let q = 0; q < ALPHA; q++) outputLine(M, at + q * xiStep, ALPHA * xiStep, tmp, q, ALPHA);
      const image = n0 + Math.floor(T / tilesPer);
      const t = T % tilesPer;
      const oy0 = Math.floor(t / tilesW) * TILE;
      const ox0 = (t % tilesW) * TILE;
      const h = Math.min(TILE, g.oH - oy0);
      const wd = Math.min(TILE, g.oW - ox0);
      const dst = (image * g.outC + oc0 + o) * L + oy0 * g.oW + ox0;
      if (h === TILE && wd === TILE) {
        for (let r = 0; r < TILE; r++) outputLine(tmp, r * ALPHA, 1, res, dst + r * g.oW, 1);
        continue;
      }
      for (let r = 0; r < h; r++) {
        outputLine(tmp, r * ALPHA, 1, tmp, AREA - TILE, 1); // the spare last row's end
        for (let q = 0; q < wd; q++) res[dst + r * g.oW + q] = tmp[AREA - TILE + q]!;
      }
    }
  }
}

/** U[ξ] (packA layout of [rows, cg]) = (G g Gᵀ)[ξ] for the filters of `rows` output channels from w[wBase..]. */
function transformWeights(w: NumberArray, wBase: number, rows: number, cg: number, U: Float64Array, sizeA: number): void {
  // Output channels four at a time (one panel), input channels inside: every ξ plane in order.
  for (let o0 = 0; o0 < rows; o0 += 4) {
    for (let c = 0; c < cg; c++) {
      for (let o = o0; o < Math.min(o0 + 4, rows); o++) {
        transformFilter(w, wBase + (o * cg + c) * 9, U, o0 * cg + c * 4 + (o - o0), sizeA);
      }
    }
  }
}

/**
 * U[ξ·sizeA + slot] = (G g Gᵀ)[ξ] for the 3×3 filter g at w[src..]: G · g column by column
 * (rows of the 6×3 result in locals), then each of those rows times Gᵀ is a row of the 6×6.
 */
function transformFilter(w: NumberArray, src: number, U: Float64Array, slot: number, sizeA: number): void {
  const step = ALPHA * sizeA;
  const a0 = w[src]!, a1 = w[src + 1]!, a2 = w[src + 2]!;
  const b0 = w[src + 3]!, b1 = w[src + 4]!, b2 = w[src + 5]!;
  const c0 = w[src + 6]!, c1 = w[src + 7]!, c2 = w[src + 8]!;
  // Rows of G·g: each is (G row)·(column of g) for the three columns.
  filterColumn(a0 * 0.25, a1 * 0.25, a2 * 0.25, U, slot, sizeA);
  filterColumn((a0 + b0 + c0) * (-1 / 6), (a1 + b1 + c1) * (-1 / 6), (a2 + b2 + c2) * (-1 / 6), U, slot + step, sizeA);
  filterColumn((a0 - b0 + c0) * (-1 / 6), (a1 - b1 + c1) * (-1 / 6), (a2 - b2 + c2) * (-1 / 6), U, slot + 2 * step, sizeA);
  const o0 = a0 * (1 / 24) + c0 * (1 / 6), o1 = a1 * (1 / 24) + c1 * (1 / 6), o2 = a2 * (1 / 24) + c2 * (1 / 6);
  const i0 = b0 * (1 / 12), i1 = b1 * (1 / 12), i2 = b2 * (1 / 12);
  filterColumn(o0 + i0, o1 + i1, o2 + i2, U, slot + 3 * step, sizeA);
  filterColumn(o0 - i0, o1 - i1, o2 - i2, U, slot + 4 * step, sizeA);
  filterColumn(c0, c1, c2, U, slot + 5 * step, sizeA);
}

/** dst[at + k·step] = (G · [g0, g1, g2])[k] for k < 6. */
function filterColumn(g0: number, g1: number, g2: number, dst: Float64Array, at: number, step: number): void {
  const even = g0 + g2;
  const outer = g0 * (1 / 24) + g2 * (1 / 6);
  const inner = g1 * (1 / 12);
  dst[at] = g0 * 0.25;
  dst[at + step] = (even + g1) * (-1 / 6);
  dst[at + 2 * step] = (even - g1) * (-1 / 6);
  dst[at + 3 * step] = outer + inner;
  dst[at + 4 * step] = outer - inner;
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

// The matrix-multiply core every product kernel uses (mm, bmm, linear, convolution's im2col,
// einsum's contraction). Accumulation is in double and the caller rounds once when it stores,
// which keeps results within PyTorch's own sgemm error of the exact product.
//
// Big products are packed (`packA`, `packB`: MR-row panels of A and NR-column panels of B, each
// k-major and contiguous, zero-padded to whole panels) and multiplied by `gemmPacked`, whose
// micro-kernel keeps an MR×NR block of C in 16 local doubles over a PACK_KC-long stretch of k: 8 loads
// per 16 multiply-adds, no stores inside the loop. Small ones use the plain loops: `gemmNN`
// (B row-major [K, N]) updates four output rows per pass over a K×N block of B; `gemmNT` (B
// stored transposed, [N, K], as Linear weights are) computes four dot products per pass over a
// row of A.
import type { NumberArray } from './util.ts';

const KC = 256;
const NC = 512;

/** C[M, N] += A[M, K] · B[K, N] (all row-major, with element offsets). */
export function gemmNN(
  M: number, N: number, K: number,
  A: NumberArray, aOff: number, B: NumberArray, bOff: number, C: Float64Array, cOff: number,
): void {
  for (let k0 = 0; k0 < K; k0 += KC) {
    const kEnd = Math.min(k0 + KC, K);
    for (let j0 = 0; j0 < N; j0 += NC) {
      const jEnd = Math.min(j0 + NC, N);
      let i = 0;
      for (; i + 4 <= M; i += 4) {
        const c0 = cOff + i * N;
        const c1 = c0 + N;
        const c2 = c1 + N;
        const c3 = c2 + N;
        const a0 = aOff + i * K;
        const a1 = a0 + K;
        const a2 = a1 + K;
        const a3 = a2 + K;
        for (let k = k0; k < kEnd; k++) {
          const x0 = A[a0 + k]!;
          const x1 = A[a1 + k]!;
          const x2 = A[a2 + k]!;
          const x3 = A[a3 + k]!;
          const bo = bOff + k * N;
          for (let j = j0; j < jEnd; j++) {
            const b = B[bo + j]!;
            C[c0 + j] += x0 * b;
            C[c1 + j] += x1 * b;
            C[c2 + j] += x2 * b;
            C[c3 + j] += x3 * b;
          }
        }
      }
      for (; i < M; i++) {
        const c0 = cOff + i * N;
        const a0 = aOff + i * K;
        for (let k = k0; k < kEnd; k++) {
          const x0 = A[a0 + k]!;
          const bo = bOff + k * N;
          for (let j = j0; j < jEnd; j++) C[c0 + j] += x0 * B[bo + j]!;
        }
      }
    }
  }
}

/** C[M, N] += A[M, K] · Bt[N, K]ᵀ (Bt row-major: row j of Bt is column j of B). */
export function gemmNT(
  M: number, N: number, K: number,
  A: NumberArray, aOff: number, Bt: NumberArray, bOff: number, C: Float64Array, cOff: number,
): void {
  for (let i = 0; i < M; i++) {
    const a = aOff + i * K;
    const c = cOff + i * N;
    let j = 0;
    for (; j + 4 <= N; j += 4) {
      const b0 = bOff + j * K;
      const b1 = b0 + K;
      const b2 = b1 + K;
      const b3 = b2 + K;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let k = 0; k < K; k++) {
        const x = A[a + k]!;
        s0 += x * Bt[b0 + k]!;
        s1 += x * Bt[b1 + k]!;
        s2 += x * Bt[b2 + k]!;
        s3 += x * Bt[b3 + k]!;
      }
      C[c + j] += s0;
      C[c + j + 1] += s1;
      C[c + j + 2] += s2;
      C[c + j + 3] += s3;
    }
    for (; j < N; j++) {
      const b0 = bOff + j * K;
      let s = 0;
      for (let k = 0; k < K; k++) s += A[a + k]! * Bt[b0 + k]!;
      C[c + j] += s;
    }
  }
}

/** A row-major copy of the transpose of a [rows, cols] matrix. */
export function transposed(src: NumberArray, off: number, rows: number, cols: number): Float64Array {
  const out = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const base = off + r * cols;
    for (let c = 0; c < cols; c++) out[c * rows + r] = src[base + c]!;
  }
  return out;
}

/** A matrix operand: row-major [rows, cols], or stored transposed ([cols, rows] row-major) when `t`. */
export interface Mat { data: NumberArray; offset: number; t: boolean }

// ------------------------------------------------------------------ packed GEMM

/** Rows of A per panel (the micro-kernel's block height). */
export const MR = 4;
/** Columns of B per panel (the micro-kernel's block width). */
export const NR = 4;
/** The k-stretch per pass: an A panel and a B panel of PACK_KC (8 KiB each) stay in L1. */
const PACK_KC = 256;
/** Below this many multiply-adds packing does not pay. */
const PACK_MIN = 1 << 15;

/** Size of the packed form of an M×K A (whole MR-row panels). */
export const packedASize = (M: number, K: number): number => Math.ceil(M / MR) * MR * K;
/** Size of the packed form of a K×N B (whole NR-column panels). */
export const packedBSize = (K: number, N: number): number => Math.ceil(N / NR) * NR * K;

/**
 * op(A)[M, K] into MR-row panels: P[i0·K + k·MR + r] = op(A)[i0 + r, k] for panel row i0 (a
 * multiple of MR); rows past M are 0. A is row-major [M, K], or [K, M] when `trans`.
 */
export function packA(M: number, K: number, A: NumberArray, aOff: number, trans: boolean, P: Float64Array = new Float64Array(packedASize(M, K))): Float64Array {
  for (let i0 = 0; i0 < M; i0 += MR) {
    const rows = Math.min(MR, M - i0);
    const base = i0 * K;
    for (let r = 0; r < rows; r++) {
      if (trans) {
        for (let k = 0, src = aOff + i0 + r; k < K; k++, src += M) P[base + k * MR + r] = A[src]!;
      } else {
        const src = aOff + (i0 + r) * K;
        for (let k = 0; k < K; k++) P[base + k * MR + r] = A[src + k]!;
      }
    }
    for (let r = rows; r < MR; r++) for (let k = 0; k < K; k++) P[base + k * MR + r] = 0;
  }
  return P;
}

/**
 * B[K, N] into NR-column panels: P[j0·K + k·NR + c] = B[k, j0 + c] for panel column j0 (a
 * multiple of NR); columns past N are 0. B is row-major [K, N], or [N, K] when `trans`.
 */
export function packB(K: number, N: number, B: NumberArray, bOff: number, trans: boolean, P: Float64Array = new Float64Array(packedBSize(K, N))): Float64Array {
  for (let j0 = 0; j0 < N; j0 += NR) {
    const cols = Math.min(NR, N - j0);
    const base = j0 * K;
    for (let c = 0; c < cols; c++) {
      if (trans) {
        const src = bOff + (j0 + c) * K;
        for (let k = 0; k < K; k++) P[base + k * NR + c] = B[src + k]!;
      } else {
        for (let k = 0, src = bOff + j0 + c; k < K; k++, src += N) P[base + k * NR + c] = B[src]!;
      }
    }
    for (let c = cols; c < NR; c++) for (let k = 0; k < K; k++) P[base + k * NR + c] = 0;
  }
  return P;
}

/**
 * C[M, N] += A[M, K] · B[K, N] from packed panels (`packA`, `packB`); row i of C starts at
 * cOff + i·ldc. Per KC-stretch of k, the loop over panels runs with the larger operand outside,
 * so the smaller one is what is re-read from cache.
 */
export function gemmPacked(M: number, N: number, K: number, PA: Float64Array, PB: Float64Array, C: Float64Array, cOff: number, ldc: number): void {
  const edge = new Float64Array(MR * NR);
  for (let k0 = 0; k0 < K; k0 += PACK_KC) {
    const kc = Math.min(PACK_KC, K - k0);
    // This k-stretch of every panel, as views made once (not once per block of C).
    const pas: Float64Array[] = [];
    for (let i0 = 0; i0 < M; i0 += MR) pas.push(PA.subarray(i0 * K + k0 * MR, i0 * K + (k0 + kc) * MR));
    const pbs: Float64Array[] = [];
    for (let j0 = 0; j0 < N; j0 += NR) pbs.push(PB.subarray(j0 * K + k0 * NR, j0 * K + (k0 + kc) * NR));
    if (M >= N) {
      for (let i = 0; i < pas.length; i++) {
        for (let j = 0; j < pbs.length; j++) microKernel(pas[i]!, pbs[j]!, kc, C, cOff, ldc, i * MR, j * NR, M, N, edge);
      }
    } else {
      for (let j = 0; j < pbs.length; j++) {
        for (let i = 0; i < pas.length; i++) microKernel(pas[i]!, pbs[j]!, kc, C, cOff, ldc, i * MR, j * NR, M, N, edge);
      }
    }
  }
}

/** C[i0.., j0..] (an MR×NR block, clipped to M×N) += pa[kc, MR]ᵀ · pb[kc, NR]. */
function microKernel(
  pa: Float64Array, pb: Float64Array, kc: number, C: Float64Array, cOff: number, ldc: number,
  i0: number, j0: number, M: number, N: number, edge: Float64Array,
): void {
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
  const end = kc * 4; // MR = NR = 4: both panels advance by 4 per k
  for (let k = 0; k < end; k += 4) {
    const y0 = pb[k]!;
    const y1 = pb[k + 1]!;
    const y2 = pb[k + 2]!;
    const y3 = pb[k + 3]!;
    let x = pa[k]!;
    c00 += x * y0; c01 += x * y1; c02 += x * y2; c03 += x * y3;
    x = pa[k + 1]!;
    c10 += x * y0; c11 += x * y1; c12 += x * y2; c13 += x * y3;
    x = pa[k + 2]!;
    c20 += x * y0; c21 += x * y1; c22 += x * y2; c23 += x * y3;
    x = pa[k + 3]!;
    c30 += x * y0; c31 += x * y1; c32 += x * y2; c33 += x * y3;
  }
  const c = cOff + i0 * ldc + j0;
  if (i0 + 4 <= M && j0 + 4 <= N) {
    C[c] += c00; C[c + 1] += c01; C[c + 2] += c02; C[c + 3] += c03;
    let r = c + ldc;
    C[r] += c10; C[r + 1] += c11; C[r + 2] += c12; C[r + 3] += c13;
    r += ldc;
    C[r] += c20; C[r + 1] += c21; C[r + 2] += c22; C[r + 3] += c23;
    r += ldc;
    C[r] += c30; C[r + 1] += c31; C[r + 2] += c32; C[r + 3] += c33;
    return;
  }
  edge[0] = c00; edge[1] = c01; edge[2] = c02; edge[3] = c03;
  edge[4] = c10; edge[5] = c11; edge[6] = c12; edge[7] = c13;
  edge[8] = c20; edge[9] = c21; edge[10] = c22; edge[11] = c23;
  edge[12] = c30; edge[13] = c31; edge[14] = c32; edge[15] = c33;
  const rows = Math.min(4, M - i0);
  const cols = Math.min(4, N - j0);
  for (let r = 0; r < rows; r++) for (let q = 0; q < cols; q++) C[c + r * ldc + q] += edge[r * 4 + q]!;
}

// ------------------------------------------------------------------ scratch buffers

/** Scratch slots (one buffer each; kernels using them do not nest). */
export const SCRATCH_PACK_A = 0;
export const SCRATCH_PACK_B = 1;
export const SCRATCH_WINOGRAD_U = 2;
export const SCRATCH_WINOGRAD_V = 3;
export const SCRATCH_WINOGRAD_M = 4;
export const SCRATCH_CONV_OUT = 5;
/** Buffers up to this many doubles (32 MiB) are kept for the next call. */
const SCRATCH_KEEP = 1 << 22;
const scratchPool: (Float64Array | undefined)[] = [];

/**
 * A Float64Array of at least `size` elements, reused between calls (fresh big arrays cost page
 * faults and garbage collection on every product). Its contents are whatever the last user left.
 */
export function scratch(slot: number, size: number): Float64Array {
  const kept = scratchPool[slot];
  if (kept && kept.length >= size) return kept;
  const fresh = new Float64Array(size);
  if (size <= SCRATCH_KEEP) scratchPool[slot] = fresh;
  return fresh;
}

/** Whether a product of this size goes through the packed kernel. */
export const usePacked = (M: number, N: number, K: number): boolean => M >= 16 && N >= 16 && M * N * K >= PACK_MIN;

/** C[M, N] += op(A)[M, K] · op(B)[K, N], choosing the loop order from the operands' layouts. */
export function matmulInto(M: number, N: number, K: number, a: Mat, b: Mat, C: Float64Array, cOff: number): void {
  if (M === 0 || N === 0 || K === 0) return;
  if (usePacked(M, N, K)) {
    const PA = packA(M, K, a.data, a.offset, a.t, scratch(SCRATCH_PACK_A, packedASize(M, K)));
    const PB = packB(K, N, b.data, b.offset, b.t, scratch(SCRATCH_PACK_B, packedBSize(K, N)));
    gemmPacked(M, N, K, PA, PB, C, cOff, N);
    return;
  }
  let A = a.data;
  let aOff = a.offset;
  if (a.t) { A = transposed(a.data, a.offset, K, M); aOff = 0; }
  // A single column is its own transpose: the dot-product loop suits it better.
  if (b.t || N === 1) gemmNT(M, N, K, A, aOff, b.data, b.offset, C, cOff);
  else gemmNN(M, N, K, A, aOff, b.data, b.offset, C, cOff);
}

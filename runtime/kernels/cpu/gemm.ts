// The matrix-multiply core every product kernel uses (mm, bmm, linear, convolution's im2col,
// einsum's contraction). Accumulation is in double (Float64Array accumulators) and the caller
// rounds once when it stores, which keeps results within PyTorch's own sgemm error of the exact
// product. Loops are blocked for the cache: `gemmNN` (B row-major [K, N]) updates four output
// rows per pass over a K×N block of B; `gemmNT` (B stored transposed, [N, K], as Linear weights
// are) computes four dot products per pass over a row of A.
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

/** C[M, N] += op(A)[M, K] · op(B)[K, N], choosing the loop order from the operands' layouts. */
export function matmulInto(M: number, N: number, K: number, a: Mat, b: Mat, C: Float64Array, cOff: number): void {
  if (M === 0 || N === 0 || K === 0) return;
  let A = a.data;
  let aOff = a.offset;
  if (a.t) { A = transposed(a.data, a.offset, K, M); aOff = 0; }
  // A single column is its own transpose: the dot-product loop suits it better.
  if (b.t || N === 1) gemmNT(M, N, K, A, aOff, b.data, b.offset, C, cOff);
  else gemmNN(M, N, K, A, aOff, b.data, b.offset, C, cOff);
}

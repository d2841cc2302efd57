// The packed GEMM (runtime/kernels/cpu/gemm.ts) and the convolution paths built on it (im2col
// into packed panels; Winograd F(4x4, 3x3) for 3x3 stride-1 kernels, winograd.ts), against plain
// double-precision loops: shapes with edges (M, N not multiples of the 4×4 block, K past the
// 256-long k-stretch, output sizes not multiples of the 4×4 Winograd tile), transposed operands,
// and convolutions with stride, padding, dilation, groups, pointwise kernels and 1-D/3-D
// geometry, each large enough to take the path it is meant to test.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import '../../../runtime/kernels/cpu/index.ts';
import { float32 } from '../../../runtime/dtype.ts';
import { Tensor } from '../../../runtime/tensor.ts';
import { withRuntimeContext } from '../../../runtime/context.ts';
import { convolution } from '../../../runtime/ops/conv.ts';
import { gemmPacked, matmulInto, packA, packB, usePacked } from '../../../runtime/kernels/cpu/gemm.ts';
import { winogradPays } from '../../../runtime/kernels/cpu/winograd.ts';

/** Deterministic values in [-1, 1) as float32. */
function values(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

function closeTo(got: ArrayLike<number>, want: ArrayLike<number>, what: string): void {
  assert.equal(got.length, want.length, `${what}: length`);
  for (let i = 0; i < want.length; i++) {
    const tol = 1e-9 * (1 + Math.abs(want[i]!));
    if (!(Math.abs(got[i]! - want[i]!) <= tol)) assert.fail(`${what}: element ${i} is ${got[i]}, want ${want[i]}`);
  }
}

describe('packed GEMM', () => {
  const shapes: [number, number, number][] = [[4, 4, 2048], [37, 53, 300], [130, 9, 257], [3, 517, 64], [64, 64, 64], [2, 4097, 5]];
  for (const [M, N, K] of shapes) {
    for (const [ta, tb] of [[false, false], [true, false], [false, true], [true, true]] as const) {
      it(`${M}x${K} · ${K}x${N}${ta ? ' (A transposed)' : ''}${tb ? ' (B transposed)' : ''}`, () => {
        const A = values(M * K, M + K);
        const B = values(K * N, N + 3 * K);
        const a = (i: number, k: number): number => (ta ? A[k * M + i]! : A[i * K + k]!);
        const b = (k: number, j: number): number => (tb ? B[j * K + k]! : B[k * N + j]!);
        const want = new Float64Array(M * N + 3);
        for (let i = 0; i < M; i++) for (let j = 0; j < N; j++) { let s = 0; for (let k = 0; k < K; k++) s += a(i, k) * b(k, j); want[3 + i * N + j] = s + 1; }
        want[0] = 7;
        const C = new Float64Array(M * N + 3).fill(1);
        C[0] = 7;
        matmulInto(M, N, K, { data: A, offset: 0, t: ta }, { data: B, offset: 0, t: tb }, C, 3);
        want[1] = 1;
        want[2] = 1;
        closeTo(C, want, 'C (matmulInto)');
        // The packed kernel itself, whatever matmulInto picks for this size.
        const P = new Float64Array(M * N + 3).fill(1);
        P[0] = 7;
        gemmPacked(M, N, K, packA(M, K, A, 0, ta), packB(K, N, B, 0, tb), P, 3, N);
        closeTo(P, want, 'C (gemmPacked)');
      });
    }
  }
});

/** Convolution in doubles, straight from the definition (N, C, D, H, W; zero padding). */
function naiveConv(
  x: Float32Array, xs: number[], w: Float32Array, ws: number[], bias: Float32Array | null,
  stride: number[], pad: number[], dil: number[], groups: number,
): { out: Float64Array; shape: number[] } {
  const [n, c, d, h, wd] = xs as [number, number, number, number, number];
  const [o, cg, kd, kh, kw] = ws as [number, number, number, number, number];
  const od = Math.floor((d + 2 * pad[0]! - dil[0]! * (kd - 1) - 1) / stride[0]!) + 1;
  const oh = Math.floor((h + 2 * pad[1]! - dil[1]! * (kh - 1) - 1) / stride[1]!) + 1;
  const ow = Math.floor((wd + 2 * pad[2]! - dil[2]! * (kw - 1) - 1) / stride[2]!) + 1;
  const og = o / groups;
  const out = new Float64Array(n * o * od * oh * ow);
  for (let b = 0; b < n; b++) for (let oc = 0; oc < o; oc++) {
    const g = Math.floor(oc / og);
    for (let z = 0; z < od; z++) for (let y = 0; y < oh; y++) for (let q = 0; q < ow; q++) {
      let s = 0;
      for (let ic = 0; ic < cg; ic++) for (let a = 0; a < kd; a++) for (let e = 0; e < kh; e++) for (let f = 0; f < kw; f++) {
        const iz = z * stride[0]! - pad[0]! + a * dil[0]!;
        const iy = y * stride[1]! - pad[1]! + e * dil[1]!;
        const ix = q * stride[2]! - pad[2]! + f * dil[2]!;
        if (iz < 0 || iz >= d || iy < 0 || iy >= h || ix < 0 || ix >= wd) continue;
        s += x[(((b * c + g * cg + ic) * d + iz) * h + iy) * wd + ix]! * w[(((oc * cg + ic) * kd + a) * kh + e) * kw + f]!;
      }
      out[(((b * o + oc) * od + z) * oh + y) * ow + q] = s + (bias ? bias[oc]! : 0);
    }
  }
  return { out, shape: [n, o, od, oh, ow] };
}

describe('convolution through the packed GEMM and Winograd F(4x4, 3x3)', () => {
  interface Case { name: string; x: number[]; w: number[]; stride: number[]; pad: number[]; dil: number[]; groups: number; bias: boolean; nonFinite?: boolean }
  const cases: Case[] = [
    { name: '2-D 3x3 pad 1, 3 input channels', x: [2, 3, 1, 13, 11], w: [24, 3, 1, 3, 3], stride: [1, 1, 1], pad: [0, 1, 1], dil: [1, 1, 1], groups: 1, bias: true },
    { name: '2-D 3x3 Winograd, tiles cut at the edges', x: [2, 16, 1, 30, 27], w: [20, 16, 1, 3, 3], stride: [1, 1, 1], pad: [0, 1, 1], dil: [1, 1, 1], groups: 1, bias: true },
    { name: '2-D 3x3 Winograd, no padding, grouped', x: [1, 64, 1, 25, 22], w: [32, 32, 1, 3, 3], stride: [1, 1, 1], pad: [0, 0, 0], dil: [1, 1, 1], groups: 2, bias: false },
    { name: '2-D 3x3 Winograd, padding 2', x: [1, 32, 1, 20, 20], w: [32, 32, 1, 3, 3], stride: [1, 1, 1], pad: [0, 2, 2], dil: [1, 1, 1], groups: 1, bias: true },
    { name: '2-D 3x3 with inf and NaN inputs (not Winograd: it would spread them)', x: [1, 32, 1, 20, 20], w: [32, 32, 1, 3, 3], stride: [1, 1, 1], pad: [0, 1, 1], dil: [1, 1, 1], groups: 1, bias: true, nonFinite: true },
    { name: '2-D 7x7 stride 2 pad 3', x: [1, 3, 1, 30, 29], w: [16, 3, 1, 7, 7], stride: [1, 2, 2], pad: [0, 3, 3], dil: [1, 1, 1], groups: 1, bias: false },
    { name: '2-D dilated, strided, grouped', x: [1, 12, 1, 21, 23], w: [48, 4, 1, 3, 3], stride: [1, 2, 1], pad: [0, 2, 1], dil: [1, 2, 3], groups: 3, bias: true },
    { name: '2-D pointwise', x: [2, 40, 1, 9, 7], w: [33, 40, 1, 1, 1], stride: [1, 1, 1], pad: [0, 0, 0], dil: [1, 1, 1], groups: 1, bias: true },
    { name: '2-D 1x1 stride 2', x: [1, 32, 1, 14, 14], w: [64, 32, 1, 1, 1], stride: [1, 2, 2], pad: [0, 0, 0], dil: [1, 1, 1], groups: 1, bias: false },
    { name: '1-D', x: [3, 8, 1, 1, 201], w: [16, 8, 1, 1, 5], stride: [1, 1, 2], pad: [0, 0, 2], dil: [1, 1, 1], groups: 1, bias: true },
    { name: '3-D', x: [1, 4, 6, 7, 8], w: [16, 4, 3, 3, 3], stride: [1, 1, 1], pad: [1, 1, 1], dil: [1, 1, 1], groups: 1, bias: true },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const spatial = c.x[2] !== 1 ? 3 : c.x[3] !== 1 ? 2 : 1;
      const keep = (s: number[], lead: number): number[] => [...s.slice(0, lead), ...s.slice(5 - spatial)];
      const xv = values(c.x.reduce((a, b) => a * b, 1), 11);
      if (c.nonFinite) {
        xv[5 * 20 + 7] = Infinity;
        xv[3 * 400 + 12 * 20 + 13] = -Infinity;
        xv[9 * 400 + 18 * 20 + 2] = NaN;
      }
      const wv = values(c.w.reduce((a, b) => a * b, 1), 12);
      const bv = c.bias ? values(c.w[0]!, 13) : null;
      const want = naiveConv(xv, c.x, wv, c.w, bv, c.stride, c.pad, c.dil, c.groups);
      const got = withRuntimeContext({ device: 'cpu' }, () => convolution(
        new Tensor(keep(c.x, 2), float32, 'cpu', xv),
        new Tensor(keep(c.w, 2), float32, 'cpu', wv),
        bv ? new Tensor([c.w[0]!], float32, 'cpu', bv) : null,
        { spatial, stride: c.stride.slice(3 - spatial), padding: c.pad.slice(3 - spatial), dilation: c.dil.slice(3 - spatial), groups: c.groups, transposed: false, outputPadding: new Array<number>(spatial).fill(0) },
      ));
      assert.deepEqual([...got.shape], keep(want.shape, 2));
      const L = want.shape.slice(2).reduce((a, b) => a * b, 1);
      const og = c.w[0]! / c.groups;
      if (c.nonFinite) assert.ok(want.out.some((v) => !Number.isFinite(v)) && want.out.some((v) => Number.isFinite(v)), 'has both');
      else if (c.name.includes('Winograd')) assert.ok(winogradPays(og, c.w[1]!, want.shape[3]!, want.shape[4]!), 'takes the Winograd path');
      else {
        const eligible = c.x[2] === 1 && c.w[2] === 1 && c.w[3] === 3 && c.w[4] === 3 && c.stride.every((v) => v === 1) && c.dil.every((v) => v === 1);
        assert.ok(!eligible || !winogradPays(og, c.w[1]!, want.shape[3]!, want.shape[4]!), 'not Winograd');
        assert.ok(usePacked(og, L, c.w.slice(1).reduce((a, b) => a * b, 1)), 'takes the packed path');
      }
      const got32 = got.data as Float32Array;
      for (let i = 0; i < want.out.length; i++) {
        const w = want.out[i]!;
        if (!Number.isFinite(w)) {
          if (!Object.is(got32[i], w)) assert.fail(`element ${i} is ${got32[i]}, want ${w}`);
        } else if (!(Math.abs(got32[i]! - w) <= 1.2e-7 * Math.abs(w) + 1e-30)) assert.fail(`element ${i} is ${got32[i]}, want ${w}`);
      }
    });
  }
});

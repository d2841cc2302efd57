// The packed GEMM (runtime/kernels/cpu/gemm.ts) and the convolution paths built on it, against
// plain double-precision loops: shapes with edges (M, N not multiples of the 4×4 block, K past
// the 256-long k-stretch), transposed operands, and convolutions with stride, padding, dilation,
// groups, pointwise kernels and 1-D/3-D geometry, large enough to take the packed path.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import '../../../runtime/kernels/cpu/index.ts';
import { float32 } from '../../../runtime/dtype.ts';
import { Tensor } from '../../../runtime/tensor.ts';
import { withRuntimeContext } from '../../../runtime/context.ts';
import { convolution } from '../../../runtime/ops/conv.ts';
import { matmulInto, usePacked } from '../../../runtime/kernels/cpu/gemm.ts';

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
        assert.ok(usePacked(M, N, K));
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
        closeTo(C, want, 'C');
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

describe('convolution through the packed GEMM', () => {
  interface Case { name: string; x: number[]; w: number[]; stride: number[]; pad: number[]; dil: number[]; groups: number; bias: boolean }
  const cases: Case[] = [
    { name: '2-D 3x3 pad 1', x: [2, 16, 1, 13, 11], w: [24, 16, 1, 3, 3], stride: [1, 1, 1], pad: [0, 1, 1], dil: [1, 1, 1], groups: 1, bias: true },
    { name: '2-D 7x7 stride 2 pad 3', x: [1, 3, 1, 30, 29], w: [10, 3, 1, 7, 7], stride: [1, 2, 2], pad: [0, 3, 3], dil: [1, 1, 1], groups: 1, bias: false },
    { name: '2-D dilated, strided, grouped', x: [1, 12, 1, 21, 23], w: [18, 4, 1, 3, 3], stride: [1, 2, 1], pad: [0, 2, 1], dil: [1, 2, 3], groups: 3, bias: true },
    { name: '2-D pointwise', x: [2, 40, 1, 9, 7], w: [33, 40, 1, 1, 1], stride: [1, 1, 1], pad: [0, 0, 0], dil: [1, 1, 1], groups: 1, bias: true },
    { name: '2-D 1x1 stride 2', x: [1, 32, 1, 14, 14], w: [64, 32, 1, 1, 1], stride: [1, 2, 2], pad: [0, 0, 0], dil: [1, 1, 1], groups: 1, bias: false },
    { name: '1-D', x: [3, 8, 1, 1, 201], w: [16, 8, 1, 1, 5], stride: [1, 1, 2], pad: [0, 0, 2], dil: [1, 1, 1], groups: 1, bias: true },
    { name: '3-D', x: [1, 4, 6, 7, 8], w: [8, 4, 3, 3, 3], stride: [1, 1, 1], pad: [1, 1, 1], dil: [1, 1, 1], groups: 1, bias: true },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const spatial = c.x[2] !== 1 ? 3 : c.x[3] !== 1 ? 2 : 1;
      const keep = (s: number[], lead: number): number[] => [...s.slice(0, lead), ...s.slice(5 - spatial)];
      const xv = values(c.x.reduce((a, b) => a * b, 1), 11);
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
      assert.ok(usePacked(c.w[0]! / c.groups, L, c.w.slice(1).reduce((a, b) => a * b, 1)), 'takes the packed path');
      const got32 = got.data as Float32Array;
      for (let i = 0; i < want.out.length; i++) {
        const w = want.out[i]!;
        if (!(Math.abs(got32[i]! - w) <= 1.2e-7 * Math.abs(w) + 1e-30)) assert.fail(`element ${i} is ${got32[i]}, want ${w}`);
      }
    });
  }
});

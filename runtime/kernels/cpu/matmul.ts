// Matrix products: matmul (with torch's rank rules and batch broadcasting), mm, bmm, mv, dot,
// outer, addmm/baddbmm/addbmm/addmv (beta·self + alpha·product), linear and bilinear. All go
// through gemm.ts, accumulating in double and rounding once into the output.
import { broadcastShapes } from '../../ops/broadcast.ts';
import type { ScaleAttrs } from '../../ops/matmul.ts';
import { type Tensor, shapeNumel } from '../../tensor.ts';
import { type NumberArray, broadcastMap, commit } from './util.ts';
import { matmulInto } from './gemm.ts';
import { valuesAs } from './elementwise.ts';
import { registerCpu } from './register.ts';

/**
 * The batched product of `a` [..., n, m] and `b` [..., m, p] (a 1-D `a` is a row, a 1-D `b` a
 * column), batch dims broadcast; returns the double accumulators laid out as [...batch, n, p].
 */
export function batchedProduct(a: Tensor, b: Tensor, x: NumberArray, y: NumberArray): Float64Array {
  const da = a.ndim;
  const db = b.ndim;
  const n = da >= 2 ? a.shape[da - 2]! : 1;
  const m = a.shape[da - 1]!;
  const p = db >= 2 ? b.shape[db - 1]! : 1;
  const batchA = da > 2 ? a.shape.slice(0, -2) : [];
  const batchB = db > 2 ? b.shape.slice(0, -2) : [];
  const batch = broadcastShapes(batchA, batchB);
  const count = shapeNumel(batch);
  const aMap = broadcastMap(batchA, batch);
  const bMap = broadcastMap(batchB, batch);
  const C = new Float64Array(count * n * p);
  // A 1-D b is a column [m, 1]: row-major storage of [m] is the same as [m, 1].
  for (let t = 0; t < count; t++) {
    const ai = aMap ? aMap[t]! : t;
    const bi = bMap ? bMap[t]! : t;
    matmulInto(n, p, m, { data: x, offset: ai * n * m, t: false }, { data: y, offset: bi * m * p, t: false }, C, t * n * p);
  }
  return C;
}

function productKernel([a, b]: readonly Tensor[], _attrs: unknown, [out]: Tensor[]): void {
  const o = out!;
  const C = batchedProduct(a!, b!, valuesAs(a!, o.dtype), valuesAs(b!, o.dtype));
  commit(o, C);
}

function outerKernel([a, b]: readonly Tensor[], _attrs: unknown, [out]: Tensor[]): void {
  const o = out!;
  const x = valuesAs(a!, o.dtype);
  const y = valuesAs(b!, o.dtype);
  const C = new Float64Array(o.numel());
  const m = y.length;
  for (let i = 0; i < x.length; i++) for (let j = 0; j < m; j++) C[i * m + j] = x[i]! * y[j]!;
  commit(o, C);
}

/** out = beta * self (broadcast) + alpha * product, with beta == 0 ignoring self (NaN included). */
function addScaled(self: Tensor, out: Tensor, product: Float64Array, attrs: ScaleAttrs): void {
  const alpha = attrs.alpha ?? 1;
  const beta = attrs.beta ?? 1;
  const s = valuesAs(self, out.dtype);
  const map = broadcastMap(self.shape, out.shape);
  const n = out.numel();
  for (let i = 0; i < n; i++) {
    const base = beta === 0 ? 0 : beta * s[map ? map[i]! : i]!;
    product[i] = base + alpha * product[i]!;
  }
  commit(out, product);
}

function addmmKernel([self, m1, m2]: readonly Tensor[], attrs: ScaleAttrs, [out]: Tensor[]): void {
  const o = out!;
  addScaled(self!, o, batchedProduct(m1!, m2!, valuesAs(m1!, o.dtype), valuesAs(m2!, o.dtype)), attrs);
}

function addbmmKernel([self, b1, b2]: readonly Tensor[], attrs: ScaleAttrs, [out]: Tensor[]): void {
  const o = out!;
  const batched = batchedProduct(b1!, b2!, valuesAs(b1!, o.dtype), valuesAs(b2!, o.dtype));
  const size = o.numel();
  const C = new Float64Array(size);
  for (let t = 0; t < batched.length; t += size) for (let i = 0; i < size; i++) C[i] += batched[t + i]!;
  addScaled(self!, o, C, attrs);
}

function linearKernel(inputs: readonly Tensor[], _attrs: unknown, [out]: Tensor[]): void {
  const [input, weight, bias] = inputs as [Tensor, Tensor, Tensor | undefined];
  const o = out!;
  const x = valuesAs(input, o.dtype);
  const w = valuesAs(weight, o.dtype);
  let C: Float64Array;
  if (weight.ndim === 2) {
    const K = weight.shape[1]!;
    const N = weight.shape[0]!;
    const M = K === 0 ? shapeNumel(input.shape.slice(0, -1)) : input.numel() / K;
    C = new Float64Array(M * N);
    matmulInto(M, N, K, { data: x, offset: 0, t: false }, { data: w, offset: 0, t: true }, C, 0);
  } else {
    C = batchedProduct(input, weight, x, w);
  }
  if (bias) {
    const b = valuesAs(bias, o.dtype);
    const map = broadcastMap(bias.shape, o.shape);
    for (let i = 0; i < C.length; i++) C[i] += b[map ? map[i]! : i]!;
  }
  commit(o, C);
}

function bilinearKernel(inputs: readonly Tensor[], _attrs: unknown, [out]: Tensor[]): void {
  const [x1, x2, weight, bias] = inputs as [Tensor, Tensor, Tensor, Tensor | undefined];
  const o = out!;
  const a = valuesAs(x1, o.dtype);
  const c = valuesAs(x2, o.dtype);
  const w = valuesAs(weight, o.dtype);
  const b = bias ? valuesAs(bias, o.dtype) : null;
  const [O, I, J] = weight.shape as [number, number, number];
  const rows = I === 0 ? 0 : a.length / I;
  const res = new Float64Array(rows * O);
  for (let r = 0; r < rows; r++) {
    for (let k = 0; k < O; k++) {
      let s = 0;
      for (let i = 0; i < I; i++) {
        const xi = a[r * I + i]!;
        const base = (k * I + i) * J;
        let t = 0;
        for (let j = 0; j < J; j++) t += w[base + j]! * c[r * J + j]!;
        s += xi * t;
      }
      res[r * O + k] = s + (b ? b[k]! : 0);
    }
  }
  commit(o, res);
}

export function registerMatmulKernels(): void {
  for (const name of ['matmul', 'mm', 'bmm', 'mv', 'dot']) registerCpu(name, productKernel);
  registerCpu('outer', outerKernel);
  registerCpu<ScaleAttrs>('addmm', addmmKernel);
  registerCpu<ScaleAttrs>('baddbmm', addmmKernel);
  registerCpu<ScaleAttrs>('addmv', addmmKernel);
  registerCpu<ScaleAttrs>('addbmm', addbmmKernel);
  registerCpu('linear', linearKernel);
  registerCpu('bilinear', bilinearKernel);
}

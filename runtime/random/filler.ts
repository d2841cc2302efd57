// The generator-backed fills behind torch.nn.init and the layers' reset_parameters
// (runtime/nn/init-fill.ts calls these for tensors with values). uniform_/normal_ are bit-exact
// (../shared/RNG.md); sparse_ is exact (normal_ then randperm per column); trunc_normal_ and
// orthogonal_ draw exactly what torch draws but their arithmetic is approximate: erfinv in float
// (glibc's erff/expf may differ by an ulp) and QR in double precision (LAPACK's float32 sgeqrf
// rounds differently), so their values agree with torch to about 1e-6 relative, not bit for bit.
import type { Tensor } from '../tensor.ts';
import type { CpuGenerator } from './generator.ts';
import { normalFill, randpermFill, uniformFill } from './distributions.ts';
import { erf, erfinvFloat } from './special.ts';
import { castNumber, loadNumber, storeNumber } from './element.ts';
import { int64 } from '../dtype.ts';

/** Same shape as runtime/nn/init-fill.ts's RandomFiller (kept structural to avoid an import cycle). */
export interface GeneratorFiller {
  uniform(t: Tensor, from: number, to: number): void;
  normal(t: Tensor, mean: number, std: number): void;
  truncNormal(t: Tensor, mean: number, std: number, a: number, b: number): void;
  orthogonal(t: Tensor, gain: number): void;
  sparse(t: Tensor, numZeros: number, std: number): void;
}

/** Fills drawing from the generator `engine()` returns when called (the default one, normally). */
export function generatorFiller(engine: () => CpuGenerator): GeneratorFiller {
  return {
    uniform: (t, from, to) => uniformFill(engine(), t.data!, t.dtype, from, to, t.numel()),
    normal: (t, mean, std) => normalFill(engine(), t.data!, t.dtype, mean, std, true, t.numel()),
    truncNormal: (t, mean, std, a, b) => truncNormal(engine(), t, mean, std, a, b),
    orthogonal: (t, gain) => orthogonal(engine(), t, gain),
    sparse: (t, numZeros, std) => sparse(engine(), t, numZeros, std),
  };
}

const normCdf = (x: number): number => (1 + erf(x / Math.sqrt(2))) / 2;

/**
 * `_no_grad_trunc_normal_`: uniform_(2l-1, 2u-1), erfinv_(), mul_(std*sqrt(2)), add_(mean),
 * clamp_(a, b), each an in-place op in the tensor's dtype.
 */
function truncNormal(gen: CpuGenerator, t: Tensor, mean: number, std: number, a: number, b: number): void {
  const data = t.data!;
  const n = t.numel();
  const l = normCdf((a - mean) / std);
  const u = normCdf((b - mean) / std);
  uniformFill(gen, data, t.dtype, 2 * l - 1, 2 * u - 1, n);
  const dt = t.dtype;
  const scale = castNumber(dt, std * Math.sqrt(2));
  const shift = castNumber(dt, mean);
  const lo = castNumber(dt, a);
  const hi = castNumber(dt, b);
  for (let i = 0; i < n; i++) {
    let x = loadNumber(data, i);
    x = dt.name === 'float64' ? erfinvDouble(x) : castNumber(dt, erfinvFloat(x));
    x = castNumber(dt, x * scale);
    x = castNumber(dt, x + shift);
    x = Math.min(Math.max(x, lo), hi);
    storeNumber(data, dt, i, x);
  }
}

/** erfinv in doubles: the float algorithm's start refined by Newton steps in double. */
function erfinvDouble(y: number): number {
  if (Math.abs(y) >= 1) return Math.abs(y) === 1 ? y * Infinity : NaN;
  let x = erfinvFloat(y);
  for (let k = 0; k < 3; k++) x -= (erf(x) - y) / ((2 / Math.sqrt(Math.PI)) * Math.exp(-x * x));
  return x;
}

/**
 * `orthogonal_`: a (rows, cols) normal_(0, 1) draw, QR of it (transposed when rows < cols), Q's
 * columns times the signs of R's diagonal, times gain. The QR runs in double precision.
 */
function orthogonal(gen: CpuGenerator, t: Tensor, gain: number): void {
  const rows = t.shape[0]!;
  const n = t.numel();
  const cols = n / rows;
  const flat = new (t.data!.constructor as { new(n: number): NonNullable<Tensor['data']> })(n);
  normalFill(gen, flat, t.dtype, 0, 1, true, n);
  const transpose = rows < cols;
  const m = transpose ? cols : rows; // A is m x k, m >= k
  const k = transpose ? rows : cols;
  const A = new Float64Array(m * k);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const v = loadNumber(flat, i * cols + j);
      if (transpose) A[j * k + i] = v; else A[i * k + j] = v;
    }
  }
  const q = householderQ(A, m, k);
  const dt = t.dtype;
  const g = castNumber(dt, gain);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const v = transpose ? q[j * k + i]! : q[i * k + j]!;
      storeNumber(t.data!, dt, i * cols + j, castNumber(dt, castNumber(dt, v) * g));
    }
  }
}

/** Q (m x k) of A = QR with Householder reflections, columns scaled so that R's diagonal is non-negative. */
function householderQ(A: Float64Array, m: number, k: number): Float64Array {
  const R = Float64Array.from(A);
  const vs: Float64Array[] = [];
  const signs = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    let norm = 0;
    for (let i = j; i < m; i++) norm = Math.hypot(norm, R[i * k + j]!);
    const alpha = R[j * k + j]!;
    const beta = alpha >= 0 ? -norm : norm; // LAPACK's sign convention
    const v = new Float64Array(m);
    if (norm === 0) { vs.push(v); signs[j] = 0; continue; }
    v[j] = alpha - beta;
    for (let i = j + 1; i < m; i++) v[i] = R[i * k + j]!;
    let vv = 0;
    for (let i = j; i < m; i++) vv += v[i]! * v[i]!;
    if (vv > 0) {
      for (let c = j; c < k; c++) {
        let dot = 0;
        for (let i = j; i < m; i++) dot += v[i]! * R[i * k + c]!;
        const s = (2 * dot) / vv;
        for (let i = j; i < m; i++) R[i * k + c] = R[i * k + c]! - s * v[i]!;
      }
    }
    vs.push(v);
    signs[j] = Math.sign(R[j * k + j]!);
  }
  // Q = H_0 H_1 ... H_{k-1} applied to the first k columns of the identity.
  const Q = new Float64Array(m * k);
  for (let i = 0; i < k; i++) Q[i * k + i] = 1;
  for (let j = k - 1; j >= 0; j--) {
    const v = vs[j]!;
    let vv = 0;
    for (let i = j; i < m; i++) vv += v[i]! * v[i]!;
    if (vv === 0) continue;
    for (let c = 0; c < k; c++) {
      let dot = 0;
      for (let i = j; i < m; i++) dot += v[i]! * Q[i * k + c]!;
      const s = (2 * dot) / vv;
      for (let i = j; i < m; i++) Q[i * k + c] = Q[i * k + c]! - s * v[i]!;
    }
  }
  for (let i = 0; i < m; i++) for (let c = 0; c < k; c++) Q[i * k + c] = Q[i * k + c]! * signs[c]!;
  return Q;
}

/** `sparse_`: normal_(0, std) over the whole tensor, then per column a randperm(rows) whose first num_zeros rows are zeroed. */
function sparse(gen: CpuGenerator, t: Tensor, numZeros: number, std: number): void {
  const [rows, cols] = t.shape as [number, number];
  const data = t.data!;
  normalFill(gen, data, t.dtype, 0, std, true, t.numel());
  const perm = new BigInt64Array(rows);
  for (let c = 0; c < cols; c++) {
    randpermFill(gen, perm, int64, rows);
    for (let z = 0; z < Math.min(numZeros, rows); z++) storeNumber(data, t.dtype, Number(perm[z]!) * cols + c, 0);
  }
}

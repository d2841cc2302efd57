// Reductions and the ops that normalise along a dim: sum, mean, amax/amin (and max()/min() of
// everything), var/std, logsumexp, prod, all/any, count_nonzero, argmax/argmin, max/min along a dim
// with indices, and softmax/log_softmax.
//
// A reduction sees its input as [outer kept dims..., reduced dims...] through strides: each output
// element is one invocation that walks the reduced elements (sums use Kahan compensation, so long
// reductions stay within float32 rounding of torch's pairwise sums). When few outputs reduce many
// elements (a mean over a whole tensor), the work is split into chunks reduced by a second pass.
import type { Tensor } from '../../tensor.ts';
import { getOp, registerKernel, type OpDef } from '../../ops/registry.ts';
import { allocStorage } from '../../devices/webgpu-storage.ts';
import {
  type GpuFormat, KernelUnsupported, Params, attr, convert, dispatch, entryPoint, grid, input, mathPrelude, numAttr, output,
  paramsDecl, requireFloat32, storageDecl, stridesOf,
} from './common.ts';
import { gpuFormat } from '../../devices/webgpu-storage.ts';

const WG = 64;
const MAX_RANK = 8;

/** The reduced dims (normalised, sorted); all dims when null or empty. */
function reducedDims(t: Tensor, dims: readonly number[] | null): number[] {
  if (dims === null || dims.length === 0) return t.shape.map((_, i) => i);
  return [...new Set(dims.map((d) => (d < 0 ? d + Math.max(t.ndim, 1) : d)))].filter((d) => d < t.ndim).sort((x, y) => x - y);
}

interface Layout { keptShape: number[]; keptStrides: number[]; redShape: number[]; redStrides: number[]; outer: number; count: number }

function layoutOf(t: Tensor, dims: number[]): Layout {
  const strides = stridesOf(t.shape);
  const kept = t.shape.map((_, i) => i).filter((i) => !dims.includes(i));
  const keptShape = kept.map((i) => t.shape[i]!);
  const redShape = dims.map((i) => t.shape[i]!);
  if (keptShape.length > MAX_RANK || redShape.length > MAX_RANK) throw new KernelUnsupported(`reduction over a rank-${t.ndim} tensor`);
  return {
    keptShape, keptStrides: kept.map((i) => strides[i]!), redShape, redStrides: dims.map((i) => strides[i]!),
    outer: keptShape.reduce((a, b) => a * b, 1), count: redShape.reduce((a, b) => a * b, 1),
  };
}

type Reducer = 'sum' | 'mean' | 'max' | 'min' | 'prod' | 'all' | 'any' | 'count' | 'var' | 'logsumexp' | 'argmax' | 'argmin';

/** WGSL that decomposes `idx` by `shape` (params at `base`, `rank` dims) into an element offset. */
function offsetCode(name: string, idx: string, rank: number, shapeBase: number, strideBase: number): string {
  if (rank === 0) return `  let ${name} = 0u;\n`;
  let s = `  var ${name} = 0u;\n  { var rem = ${idx};\n`;
  for (let d = rank - 1; d >= 0; d--) {
    s += `    ${name} = ${name} + (rem % pu(${shapeBase + d}u)) * pu(${strideBase + d}u);\n`;
    if (d > 0) s += `    rem = rem / pu(${shapeBase + d}u);\n`;
  }
  return `${s}  }\n`;
}

/**
 * Encodes a reduction of `x` over `dims` into `out` (values) and optionally `indices`.
 * `correction` is var/std's (N - correction divisor); `sqrtResult` makes std from var.
 */
function encodeReduce(x: Tensor, dims: number[], out: Tensor, reducer: Reducer, opts: { correction?: number; sqrtResult?: boolean } = {}): void {
  const inFormat = gpuFormat(x.dtype);
  const outFormat = gpuFormat(out.dtype);
  if (inFormat === null || outFormat === null) throw new KernelUnsupported(`reduction of ${x.dtype.name} to ${out.dtype.name}`);
  const L = layoutOf(x, dims);
  // Accumulate in f32 for floats and means, i32 for integer sums/max, u32 for all/any/count.
  const acc: GpuFormat = reducer === 'all' || reducer === 'any' || reducer === 'count' ? 'u32'
    : reducer === 'argmax' || reducer === 'argmin' ? inFormat
      : outFormat === 'f32' ? 'f32' : inFormat === 'u32' && (reducer === 'max' || reducer === 'min') ? 'u32' : 'i32';
  if ((reducer === 'var' || reducer === 'logsumexp' || reducer === 'mean') && acc !== 'f32') throw new KernelUnsupported(`${reducer} of ${x.dtype.name}`);
  const params = new Params().u32(L.outer, L.count, L.keptShape.length, L.redShape.length);
  const keptShapeBase = params.length; params.u32(...L.keptShape);
  const keptStrideBase = params.length; params.u32(...L.keptStrides);
  const redShapeBase = params.length; params.u32(...L.redShape);
  const redStrideBase = params.length; params.u32(...L.redStrides);
  const corrBase = params.length; params.f32(opts.correction ?? 0);
  const xs = input(x);
  const ys = output(out);
  if (L.outer === 0) return;
  const key = `reduce:${reducer}:${inFormat}>${acc}>${outFormat}:${L.keptShape.length}:${L.redShape.length}:${opts.sqrtResult === true}`;
  const load = (off: string): string => convert(`X[${off}]`, inFormat, acc);
  const code = (): string => {
    let s = paramsDecl(params.length) + storageDecl(1, 'X', inFormat) + storageDecl(2, 'Y', outFormat, true);
    s += mathPrelude;
    let body = '  if (gid >= pu(0u)) { return; }\n  let count = pu(1u);\n';
    body += offsetCode('base', 'gid', L.keptShape.length, keptShapeBase, keptStrideBase);
    const walk = (inner: string): string => `  for (var r = 0u; r < count; r = r + 1u) {\n${offsetCode('off', 'r', L.redShape.length, redShapeBase, redStrideBase).replace(/^/gm, '  ')}    let v = ${load('base + off')};\n${inner}\n  }\n`;
    const zero = acc === 'f32' ? '0.0' : acc === 'i32' ? '0i' : '0u';
    let result: string;
    switch (reducer) {
      case 'sum': case 'mean':
        if (acc === 'f32') {
          body += '  var sum = 0.0;\n  var comp = 0.0;\n';
          body += walk('    let yk = v - comp;\n    let t = sum + yk;\n    comp = (t - sum) - yk;\n    sum = t;');
          result = reducer === 'mean' ? 'sum / f32(count)' : 'sum';
        } else {
          body += `  var sum = ${zero};\n` + walk('    sum = sum + v;');
          result = 'sum';
        }
        break;
      case 'prod':
        body += `  var p = ${acc === 'f32' ? '1.0' : acc === 'i32' ? '1i' : '1u'};\n` + walk('    p = p * v;');
        result = 'p';
        break;
      case 'max': case 'min': {
        const better = reducer === 'max' ? '>' : '<';
        body += `  var best = ${load('base')};\n`;
        const nan = acc === 'f32' ? ' || nn_isnan(v)' : '';
        body += walk(`    if ((v ${better} best${nan}) && !(${acc === 'f32' ? 'nn_isnan(best)' : 'false'})) { best = v; }`);
        result = 'best';
        break;
      }
      case 'argmax': case 'argmin': {
        const better = reducer === 'argmax' ? '>' : '<';
        body += `  var best = ${load('base')};\n  var bestIdx = 0i;\n`;
        const nan = acc === 'f32' ? ' || nn_isnan(v)' : '';
        body += walk(`    if ((v ${better} best${nan}) && !(${acc === 'f32' ? 'nn_isnan(best)' : 'false'})) { best = v; bestIdx = i32(r); }`);
        result = 'best';
        break;
      }
      case 'all':
        body += '  var ok = 1u;\n' + walk('    if (v == 0u) { ok = 0u; }');
        result = 'ok';
        break;
      case 'any':
        body += '  var ok = 0u;\n' + walk('    if (v != 0u) { ok = 1u; }');
        result = 'ok';
        break;
      case 'count':
        body += '  var c = 0u;\n' + walk('    if (v != 0u) { c = c + 1u; }');
        result = 'c';
        break;
      case 'var':
        body += '  var sum = 0.0;\n' + walk('    sum = sum + v;') + '  let mean = sum / f32(count);\n  var sq = 0.0;\n';
        body += walk('    let c = v - mean;\n    sq = sq + c * c;');
        result = `sq / max(f32(count) - pf(${corrBase}u), 0.0)`;
        if (opts.sqrtResult) result = `sqrt(${result})`;
        break;
      case 'logsumexp':
        body += `  var m = ${load('base')};\n` + walk('    m = max(m, v);') + '  var s = 0.0;\n' + walk('    s = s + exp(v - m);');
        result = 'select(m + log(s), m, nn_isinf(m))';
        break;
    }
    const outAcc: GpuFormat = reducer === 'argmax' || reducer === 'argmin' ? 'i32' : acc;
    if (reducer === 'argmax' || reducer === 'argmin') body += '  Y[gid] = bestIdx;\n';
    else body += `  Y[gid] = ${convert(result, outAcc, outFormat)};\n`;
    return s + entryPoint(WG, body);
  };
  dispatch(key, code, params, [xs, ys], grid(L.outer, WG));
}

/** Large reductions to few outputs: per-chunk partial sums (or maxima), then a reduction of those. */
function twoPassReduce(x: Tensor, out: Tensor, reducer: 'sum' | 'mean' | 'max' | 'min'): boolean {
  const n = x.numel();
  if (n < 65536 || out.numel() !== 1 || x.dtype.name !== 'float32' || out.dtype.name !== 'float32') return false;
  const chunk = 4096;
  const parts = Math.ceil(n / chunk);
  const xs = input(x);
  const partial = allocStorage(parts, 'f32', 'partial reduction');
  const ys = output(out);
  const op = reducer === 'mean' ? 'sum' : reducer;
  const combine = op === 'sum' ? 'acc = acc + v;' : `acc = ${op}(acc, v);`;
  const init = (src: string): string => (op === 'sum' ? '0.0' : `${src}[start]`);
  const p1 = new Params().u32(parts, n, chunk);
  dispatch(`reduce2:${op}:1`, () => `${paramsDecl(3)}${storageDecl(1, 'X', 'f32')}${storageDecl(2, 'Pt', 'f32', true)}${entryPoint(WG, `
  if (gid >= pu(0u)) { return; }
  let start = gid * pu(2u);
  let end = min(start + pu(2u), pu(1u));
  var acc = ${init('X')};
  var comp = 0.0;
  for (var i = start; i < end; i = i + 1u) {
    let v = X[i];
    ${op === 'sum' ? 'let yk = v - comp; let t = acc + yk; comp = (t - acc) - yk; acc = t;' : combine}
  }
  Pt[gid] = acc;`)}`, p1, [xs, partial], grid(parts, WG));
  const p2 = new Params().u32(parts).f32(reducer === 'mean' ? 1 / n : 1);
  dispatch(`reduce2:${op}:2`, () => `${paramsDecl(2)}${storageDecl(1, 'Pt', 'f32')}${storageDecl(2, 'Y', 'f32', true)}${entryPoint(1, `
  if (gid > 0u) { return; }
  let start = 0u;
  var acc = ${init('Pt')};
  for (var i = 0u; i < pu(0u); i = i + 1u) { let v = Pt[i]; ${combine} }
  Y[0] = acc${op === 'sum' ? ' * pf(1u)' : ''};`)}`, p2, [partial, ys], [1, 1, 1]);
  return true;
}

interface ReduceAttrs { dims: readonly number[] | null; keepdim: boolean; dtype?: unknown }

function reduction(reducer: Reducer) {
  return (inputs: readonly Tensor[], attrs: unknown, outputs: Tensor[]): void => {
    const x = inputs[0]!;
    const a = attrs as ReduceAttrs;
    const out = outputs[0]!;
    if (x.dtype.name === 'float64' || out.dtype.name === 'float64') throw new KernelUnsupported('float64 reduction');
    const dims = reducedDims(x, a.dims);
    if ((reducer === 'sum' || reducer === 'mean' || reducer === 'max' || reducer === 'min') && dims.length === x.ndim && twoPassReduce(x, out, reducer)) return;
    let correction = 0;
    if (reducer === 'var') correction = numAttr(attrs, ['correction'], attr<boolean>(attrs, ['unbiased'], true) ? 1 : 0);
    encodeReduce(x, dims, out, reducer, { correction, sqrtResult: (attrs as { __std?: boolean }).__std === true });
  };
}

function amaxKernel(inputs: readonly Tensor[], attrs: unknown, outputs: Tensor[]): void {
  const a = attrs as ReduceAttrs & { fn: string };
  const fn = a.fn;
  if (fn === 'median') throw new KernelUnsupported('median');
  const reducer: Reducer = fn === 'amin' || fn === 'min' ? 'min' : 'max';
  reduction(reducer)(inputs, attrs, outputs);
}

function argmaxKernel(inputs: readonly Tensor[], attrs: unknown, outputs: Tensor[]): void {
  const a = attrs as { dim: number | null; keepdim: boolean; fn: string };
  const x = inputs[0]!;
  const reducer: Reducer = a.fn === 'argmin' ? 'argmin' : 'argmax';
  encodeReduce(x, a.dim === null ? x.shape.map((_, i) => i) : reducedDims(x, [a.dim]), outputs[0]!, reducer);
}

function valuesIndicesKernel(inputs: readonly Tensor[], attrs: unknown, outputs: Tensor[]): void {
  const a = attrs as { dim: number; keepdim: boolean; fn: string };
  if (a.fn !== 'max' && a.fn !== 'min') throw new KernelUnsupported(`${a.fn} along a dim`);
  const x = inputs[0]!;
  const dims = reducedDims(x, [a.dim]);
  // values through max/min, indices through argmax/argmin: two passes, same first-wins rule.
  encodeReduce(x, dims, outputs[0]!, a.fn);
  encodeReduce(x, dims, outputs[1]!, a.fn === 'max' ? 'argmax' : 'argmin');
}

// ------------------------------------------------------------------ softmax

function softmaxKernel(inputs: readonly Tensor[], attrs: unknown, outputs: Tensor[]): void {
  const a = attrs as { dim: number; log: boolean; dtype?: unknown };
  const x = inputs[0]!;
  const out = outputs[0]!;
  requireFloat32(x, out);
  const rank = Math.max(x.ndim, 1);
  const dim = a.dim < 0 ? a.dim + rank : a.dim;
  const shape = x.ndim === 0 ? [1] : x.shape;
  const size = shape[dim]!;
  const inner = shape.slice(dim + 1).reduce((p, q) => p * q, 1);
  const outer = shape.slice(0, dim).reduce((p, q) => p * q, 1);
  const params = new Params().u32(outer * inner, size, inner);
  const xs = input(x);
  const ys = output(out);
  if (out.numel() === 0) return;
  dispatch(`softmax:${a.log}`, () => `${paramsDecl(3)}${storageDecl(1, 'X', 'f32')}${storageDecl(2, 'Y', 'f32', true)}${entryPoint(WG, `
  if (gid >= pu(0u)) { return; }
  let size = pu(1u); let inner = pu(2u);
  let base = (gid / inner) * size * inner + gid % inner;
  var m = X[base];
  for (var i = 1u; i < size; i = i + 1u) { m = max(m, X[base + i * inner]); }
  var s = 0.0;
  for (var i = 0u; i < size; i = i + 1u) { s = s + exp(X[base + i * inner] - m); }
  ${a.log ? 'let ls = log(s);' : 'let inv = 1.0 / s;'}
  for (var i = 0u; i < size; i = i + 1u) {
    let v = X[base + i * inner] - m;
    Y[base + i * inner] = ${a.log ? 'v - ls' : 'exp(v) * inv'};
  }`)}`, params, [xs, ys], grid(outer * inner, WG));
}

/** cumsum / cumprod along a dim: one invocation per (outer, inner) position walks the dim. */
function scanKernel(inputs: readonly Tensor[], attrs: unknown, outputs: Tensor[]): void {
  const a = attrs as { dim: number; kind?: 'cumsum' | 'cumprod' };
  const x = inputs[0]!;
  const out = outputs[0]!;
  const inFormat = gpuFormat(x.dtype);
  const outFormat = gpuFormat(out.dtype);
  if (inFormat === null || outFormat === null || outFormat === 'u32') throw new KernelUnsupported(`scan of ${x.dtype.name} into ${out.dtype.name}`);
  const rank = Math.max(x.ndim, 1);
  const dim = a.dim < 0 ? a.dim + rank : a.dim;
  const shape = x.ndim === 0 ? [1] : x.shape;
  const size = shape[dim]!;
  const inner = shape.slice(dim + 1).reduce((p, q) => p * q, 1);
  const outer = shape.slice(0, dim).reduce((p, q) => p * q, 1);
  const prod = a.kind === 'cumprod';
  const params = new Params().u32(outer * inner, size, inner);
  const xs = input(x);
  const ys = output(out);
  if (out.numel() === 0) return;
  const one = outFormat === 'f32' ? (prod ? '1.0' : '0.0') : (prod ? '1i' : '0i');
  dispatch(`scan:${prod}:${inFormat}>${outFormat}`, () => `${paramsDecl(3)}${storageDecl(1, 'X', inFormat)}${storageDecl(2, 'Y', outFormat, true)}${entryPoint(WG, `
  if (gid >= pu(0u)) { return; }
  let size = pu(1u); let inner = pu(2u);
  let base = (gid / inner) * size * inner + gid % inner;
  var acc = ${one};
  for (var i = 0u; i < size; i = i + 1u) {
    acc = acc ${prod ? '*' : '+'} ${convert(`X[base + i * inner]`, inFormat, outFormat)};
    Y[base + i * inner] = acc;
  }`)}`, params, [xs, ys], grid(outer * inner, WG));
}

export function registerReduceKernels(): void {
  const reg = (name: string, k: (i: readonly Tensor[], a: unknown, o: Tensor[]) => void): void => {
    const op = getOp(name);
    if (op) registerKernel(op as OpDef<unknown>, 'webgpu', k);
  };
  reg('sum', reduction('sum'));
  reg('mean', reduction('mean'));
  reg('prod', reduction('prod'));
  reg('all', reduction('all'));
  reg('any', reduction('any'));
  reg('count_nonzero', reduction('count'));
  reg('var', reduction('var'));
  reg('std', (inputs, attrs, outputs) => reduction('var')(inputs, { ...(attrs as object), __std: true }, outputs));
  reg('logsumexp', reduction('logsumexp'));
  reg('amax', amaxKernel);
  reg('argmax', argmaxKernel);
  reg('reduce_with_indices', valuesIndicesKernel);
  reg('softmax', softmaxKernel);
  reg('scan', scanKernel);
}


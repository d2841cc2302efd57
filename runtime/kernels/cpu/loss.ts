// Loss kernels: the elementwise losses (broadcast operands, then 'none'/'mean'/'sum'), nll_loss
// (and cross_entropy with class targets: log_softmax first, label smoothing, class weights,
// ignore_index) and cross_entropy with class-probability targets. Formulas are ATen 1.13's.
import type { ElementwiseLossAttrs, NllLossAttrs, Reduction } from '../../ops/loss.ts';
import { type Tensor, shapeNumel } from '../../tensor.ts';
import { broadcastAll } from '../../ops/broadcast.ts';
import { indexError, notImplementedError, runtimeError } from '../../python/index.ts';
import { type NumberArray, broadcastMap, commit, numbers } from './util.ts';
import { valuesAs } from './elementwise.ts';
import { registerCpu } from './register.ts';

function reduce(values: Float64Array, reduction: Reduction, out: Tensor): void {
  if (reduction === 'none') { commit(out, values); return; }
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i]!;
  commit(out, [reduction === 'mean' ? s / values.length : s]);
}

const clampLog = (v: number): number => Math.max(Math.log(v), -100);

function elementwiseLossKernel(inputs: readonly Tensor[], a: ElementwiseLossAttrs, [out]: Tensor[]): void {
  const o = out!;
  if (a.name === 'binary_cross_entropy') {
    const x = numbers(inputs[0]!);
    for (let i = 0; i < x.length; i++) if (!(x[i]! >= 0 && x[i]! <= 1)) throw runtimeError('all elements of input should be between 0 and 1');
  }
  const p = a.params ?? {};
  const extra = (p.weighted ? 1 : 0) + (p.posWeighted ? 1 : 0);
  const operands = inputs.slice(0, inputs.length - extra);
  const shape = broadcastAll(operands.map((t) => t.shape));
  const n = shapeNumel(shape);
  const vals = operands.map((t) => valuesAs(t, o.dtype));
  const maps = operands.map((t) => broadcastMap(t.shape, shape));
  const at = (k: number, i: number): number => vals[k]![maps[k] ? maps[k]![i]! : i]!;
  const weight = p.weighted ? inputs[operands.length]! : null;
  const posWeight = p.posWeighted ? inputs[inputs.length - 1]! : null;
  const wv = weight ? valuesAs(weight, o.dtype) : null;
  const wm = weight ? broadcastMap(weight.shape, shape) : null;
  const pv = posWeight ? valuesAs(posWeight, o.dtype) : null;
  const pm = posWeight ? broadcastMap(posWeight.shape, shape) : null;
  const res = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = at(0, i);
    const y = operands.length > 1 ? at(1, i) : 0;
    let v: number;
    switch (a.name) {
      case 'mse_loss': v = (x - y) * (x - y); break;
      case 'l1_loss': v = Math.abs(x - y); break;
      case 'smooth_l1_loss': {
        const beta = p.beta ?? 1;
        const d = Math.abs(x - y);
        v = beta === 0 ? d : d < beta ? (0.5 * d * d) / beta : d - 0.5 * beta;
        break;
      }
      case 'huber_loss': {
        const delta = p.delta ?? 1;
        const d = Math.abs(x - y);
        v = d < delta ? 0.5 * d * d : delta * (d - 0.5 * delta);
        break;
      }
      case 'soft_margin_loss': v = Math.log1p(Math.exp(-y * x)); break;
      case 'binary_cross_entropy': v = -(y * clampLog(x) + (1 - y) * clampLog(1 - x)); break;
      case 'binary_cross_entropy_with_logits': {
        if (pv) {
          const logWeight = (pv[pm ? pm[i]! : i]! - 1) * y + 1;
          v = (1 - y) * x + logWeight * (Math.log1p(Math.exp(-Math.abs(x))) + Math.max(-x, 0));
        } else {
          const m = Math.max(-x, 0);
          v = (1 - y) * x + m + Math.log(Math.exp(-m) + Math.exp(-x - m));
        }
        break;
      }
      case 'kl_div':
        v = p.logTarget ? Math.exp(y) * (y - x) : (y === 0 ? 0 : y * Math.log(y)) - y * x;
        if (!p.logTarget && y !== y) v = NaN;
        break;
      case 'hinge_embedding_loss': {
        const margin = p.margin ?? 1;
        v = (y !== 1 ? Math.max(margin - x, 0) : 0) + (y !== -1 ? x : 0);
        break;
      }
      case 'poisson_nll_loss': {
        const eps = p.eps ?? 1e-8;
        v = (p.logInput ?? true) ? Math.exp(x) - y * x : x - y * Math.log(x + eps);
        if (p.full && y > 1) v += y * Math.log(y) - y + 0.5 * Math.log(2 * Math.PI * y);
        break;
      }
      case 'margin_ranking_loss': v = Math.max(0, -at(2, i) * (x - y) + (p.margin ?? 0)); break;
      case 'cosine_embedding_loss': v = y === 1 ? 1 - x : y === -1 ? Math.max(0, x - (p.margin ?? 0)) : 0; break;
      case 'triplet_margin_loss': v = Math.max(x - y + (p.margin ?? 1), 0); break;
      default: throw notImplementedError(`no cpu kernel for ${a.name}`);
    }
    res[i] = wv ? v * wv[wm ? wm[i]! : i]! : v;
  }
  reduce(res, a.reduction, o);
}

/** log_softmax over the class dim (1, or 0 for a 1-D input) of a [N, C, rest] layout. */
function logSoftmax(x: NumberArray, n: number, c: number, rest: number): Float64Array {
  const out = new Float64Array(x.length);
  for (let i = 0; i < n; i++) {
    for (let r = 0; r < rest; r++) {
      let m = -Infinity;
      for (let k = 0; k < c; k++) { const v = x[(i * c + k) * rest + r]!; if (v > m || v !== v) m = v; }
      let s = 0;
      for (let k = 0; k < c; k++) s += Math.exp(x[(i * c + k) * rest + r]! - m);
      const ls = Math.log(s);
      for (let k = 0; k < c; k++) out[(i * c + k) * rest + r] = x[(i * c + k) * rest + r]! - m - ls;
    }
  }
  return out;
}

/** [N, C, rest] of an nll/cross-entropy input (1-D input: N = 1). */
function layout(input: Tensor): [number, number, number] {
  if (input.ndim === 1) return [1, input.shape[0]!, 1];
  return [input.shape[0]!, input.shape[1]!, shapeNumel(input.shape.slice(2))];
}

function nllLossKernel(inputs: readonly Tensor[], a: NllLossAttrs, [out]: Tensor[]): void {
  const [input, target] = inputs as [Tensor, Tensor];
  const weight = a.hasWeight ? valuesAs(inputs[2]!, out!.dtype) : null;
  const [n, c, rest] = layout(input);
  let x: NumberArray = valuesAs(input, out!.dtype);
  if (a.logSoftmax) x = logSoftmax(x, n, c, rest);
  const t = numbers(target);
  const count = n * rest;
  const losses = new Float64Array(count);
  const smooth = new Float64Array(count);
  let weightSum = 0;
  let kept = 0;
  const eps = a.labelSmoothing ?? 0;
  for (let i = 0; i < n; i++) {
    for (let r = 0; r < rest; r++) {
      const j = i * rest + r;
      const cls = t[j]!;
      if (cls === a.ignoreIndex) continue;
      if (cls < 0 || cls >= c) throw indexError(`Target ${cls} is out of bounds.`);
      const w = weight ? weight[cls]! : 1;
      losses[j] = -w * x[(i * c + cls) * rest + r]!;
      weightSum += w;
      kept++;
      if (eps > 0) {
        let s = 0;
        for (let k = 0; k < c; k++) s -= (weight ? weight[k]! : 1) * x[(i * c + k) * rest + r]!;
        smooth[j] = s;
      }
    }
  }
  const total = (v: Float64Array): number => v.reduce((s, y) => s + y, 0);
  let result: Float64Array | number[];
  if (a.reduction === 'none') {
    result = eps > 0 ? losses.map((l, j) => (1 - eps) * l + (eps / c) * smooth[j]!) : losses;
  } else if (a.reduction === 'sum') {
    result = [(1 - eps) * total(losses) + (eps > 0 ? (eps / c) * total(smooth) : 0)];
  } else {
    const nll = total(losses) / weightSum;
    const sm = eps > 0 ? total(smooth) / (weight ? weightSum : kept) : 0;
    result = [(1 - eps) * nll + (eps / c) * sm];
  }
  commit(out!, result);
}

function softCrossEntropyKernel(inputs: readonly Tensor[], a: { reduction: Reduction; labelSmoothing?: number; hasWeight?: boolean }, [out]: Tensor[]): void {
  const [input, target] = inputs as [Tensor, Tensor];
  const weight = a.hasWeight ? valuesAs(inputs[2]!, out!.dtype) : null;
  const [n, c, rest] = layout(input);
  const x = logSoftmax(valuesAs(input, out!.dtype), n, c, rest);
  const y = valuesAs(target, out!.dtype);
  const eps = a.labelSmoothing ?? 0;
  const losses = new Float64Array(n * rest);
  for (let i = 0; i < n; i++) {
    for (let r = 0; r < rest; r++) {
      let s = 0;
      for (let k = 0; k < c; k++) {
        const idx = (i * c + k) * rest + r;
        const yt = eps > 0 ? y[idx]! * (1 - eps) + eps / c : y[idx]!;
        s -= (weight ? weight[k]! : 1) * yt * x[idx]!;
      }
      losses[i * rest + r] = s;
    }
  }
  reduce(losses, a.reduction, out!);
}

export function registerLossKernels(): void {
  registerCpu<ElementwiseLossAttrs>('elementwise_loss', elementwiseLossKernel);
  registerCpu<NllLossAttrs>('nll_loss', nllLossKernel);
  registerCpu('soft_cross_entropy', softCrossEntropyKernel);
}

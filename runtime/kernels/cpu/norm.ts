// Normalisation kernels: batch_norm (eval with running statistics; training with batch statistics
// and the running-statistics update, written into the running tensors as ATen does), layer_norm,
// group_norm and instance_norm. Statistics are computed in double (two-pass mean/variance; the
// biased variance normalises, the unbiased one updates running_var).
import type { BatchNormAttrs, InstanceNormAttrs } from '../../ops/norm.ts';
import { type Tensor, shapeNumel } from '../../tensor.ts';
import { type NumberArray, commit } from './util.ts';
import { valuesAs } from './elementwise.ts';
import { registerCpu } from './register.ts';

/** Mean and biased variance of `count` values of `x` at `base + i * stride + j` for i < outer, j < inner. */
function moments(x: NumberArray, starts: ArrayLike<number>, inner: number): [number, number] {
  let sum = 0;
  let n = 0;
  for (let s = 0; s < starts.length; s++) {
    const b = starts[s]!;
    for (let j = 0; j < inner; j++) sum += x[b + j]!;
    n += inner;
  }
  const mean = sum / n;
  let ss = 0;
  for (let s = 0; s < starts.length; s++) {
    const b = starts[s]!;
    for (let j = 0; j < inner; j++) { const d = x[b + j]! - mean; ss += d * d; }
  }
  return [mean, ss / n];
}

/** Moves running statistics toward a batch's: r = (1 - m) r + m v, written into the tensor's storage. */
function updateRunning(t: Tensor, values: readonly number[], momentum: number): void {
  const old = valuesAs(t, t.dtype);
  const next = values.map((v, c) => (1 - momentum) * old[c]! + momentum * v);
  commit(t, next);
}

function batchNormKernel(inputs: readonly Tensor[], a: BatchNormAttrs, [out]: Tensor[]): void {
  const input = inputs[0]!;
  let k = 1;
  const runningMean = a.hasRunningMean ? inputs[k++] : undefined;
  const runningVar = a.hasRunningVar ? inputs[k++] : undefined;
  const weight = a.hasWeight ? inputs[k++] : undefined;
  const bias = a.hasBias ? inputs[k++] : undefined;
  const o = out!;
  if (o.numel() === 0) return;
  const eps = a.eps ?? 1e-5;
  const x = valuesAs(input, o.dtype);
  const n = input.shape[0]!;
  const c = input.ndim >= 2 ? input.shape[1]! : 1;
  const plane = shapeNumel(input.shape.slice(2));
  const w = weight ? valuesAs(weight, o.dtype) : null;
  const b = bias ? valuesAs(bias, o.dtype) : null;
  const res = new Float64Array(o.numel());
  const means: number[] = [];
  const vars: number[] = [];
  for (let ch = 0; ch < c; ch++) {
    let mean: number;
    let variance: number;
    if (a.training) {
      const starts = Array.from({ length: n }, (_, i) => (i * c + ch) * plane);
      [mean, variance] = moments(x, starts, plane);
      const count = n * plane;
      means.push(mean);
      vars.push(count > 1 ? (variance * count) / (count - 1) : NaN);
    } else {
      mean = valuesAs(runningMean!, o.dtype)[ch]!;
      variance = valuesAs(runningVar!, o.dtype)[ch]!;
    }
    const invstd = 1 / Math.sqrt(variance + eps);
    const alpha = (w ? w[ch]! : 1) * invstd;
    const beta = (b ? b[ch]! : 0) - mean * alpha;
    for (let i = 0; i < n; i++) {
      const base = (i * c + ch) * plane;
      for (let j = 0; j < plane; j++) res[base + j] = x[base + j]! * alpha + beta;
    }
  }
  commit(o, res);
  if (a.training) {
    const m = a.momentum ?? 0.1;
    if (runningMean) updateRunning(runningMean, means, m);
    if (runningVar) updateRunning(runningVar, vars, m);
  }
}

function layerNormKernel(inputs: readonly Tensor[], a: { normalizedShape: readonly number[]; hasWeight: boolean; hasBias: boolean; eps?: number }, [out]: Tensor[]): void {
  const [input] = inputs;
  const weight = a.hasWeight ? inputs[1] : undefined;
  const bias = a.hasBias ? inputs[a.hasWeight ? 2 : 1] : undefined;
  const o = out!;
  const eps = a.eps ?? 1e-5;
  const inner = shapeNumel(a.normalizedShape);
  const x = valuesAs(input!, o.dtype);
  const w = weight ? valuesAs(weight, o.dtype) : null;
  const b = bias ? valuesAs(bias, o.dtype) : null;
  const rows = inner === 0 ? 0 : x.length / inner;
  const res = new Float64Array(o.numel());
  for (let r = 0; r < rows; r++) {
    const base = r * inner;
    const [mean, variance] = moments(x, [base], inner);
    const invstd = 1 / Math.sqrt(variance + eps);
    for (let j = 0; j < inner; j++) {
      const v = (x[base + j]! - mean) * invstd;
      res[base + j] = w ? v * w[j]! + (b ? b[j]! : 0) : v + (b ? b[j]! : 0);
    }
  }
  commit(o, res);
}

function groupNormKernel(inputs: readonly Tensor[], a: { groups: number; hasWeight: boolean; hasBias: boolean; eps?: number }, [out]: Tensor[]): void {
  const [input] = inputs;
  const weight = a.hasWeight ? inputs[1] : undefined;
  const bias = a.hasBias ? inputs[a.hasWeight ? 2 : 1] : undefined;
  const o = out!;
  const eps = a.eps ?? 1e-5;
  const x = valuesAs(input!, o.dtype);
  const n = input!.shape[0]!;
  const c = input!.shape[1]!;
  const plane = shapeNumel(input!.shape.slice(2));
  const per = c / a.groups;
  const w = weight ? valuesAs(weight, o.dtype) : null;
  const b = bias ? valuesAs(bias, o.dtype) : null;
  const res = new Float64Array(o.numel());
  for (let i = 0; i < n; i++) {
    for (let g = 0; g < a.groups; g++) {
      const base = (i * c + g * per) * plane;
      const [mean, variance] = moments(x, [base], per * plane);
      const invstd = 1 / Math.sqrt(variance + eps);
      for (let ch = 0; ch < per; ch++) {
        const channel = g * per + ch;
        const scale = (w ? w[channel]! : 1) * invstd;
        const shift = (b ? b[channel]! : 0) - mean * scale;
        const cb = base + ch * plane;
        for (let j = 0; j < plane; j++) res[cb + j] = x[cb + j]! * scale + shift;
      }
    }
  }
  commit(o, res);
}

function instanceNormKernel(inputs: readonly Tensor[], a: InstanceNormAttrs, [out]: Tensor[]): void {
  const input = inputs[0]!;
  let k = 1;
  const weight = a.hasWeight ? inputs[k++] : undefined;
  const bias = a.hasBias ? inputs[k++] : undefined;
  const runningMean = a.hasRunningMean ? inputs[k++] : undefined;
  const runningVar = a.hasRunningVar ? inputs[k++] : undefined;
  const o = out!;
  if (o.numel() === 0) return;
  const eps = a.eps ?? 1e-5;
  const x = valuesAs(input, o.dtype);
  // ATen's instance_norm reads sizes 0 and 1 as batch and channels whatever the rank.
  const n = input.shape[0]!;
  const c = input.shape[1] ?? 1;
  const plane = shapeNumel(input.shape.slice(2));
  const w = weight ? valuesAs(weight, o.dtype) : null;
  const b = bias ? valuesAs(bias, o.dtype) : null;
  const rm = runningMean ? valuesAs(runningMean, o.dtype) : null;
  const rv = runningVar ? valuesAs(runningVar, o.dtype) : null;
  const res = new Float64Array(o.numel());
  const meanSum = new Array<number>(c).fill(0);
  const varSum = new Array<number>(c).fill(0);
  for (let i = 0; i < n; i++) {
    for (let ch = 0; ch < c; ch++) {
      const base = (i * c + ch) * plane;
      let mean: number;
      let variance: number;
      if (a.useInputStats) {
        [mean, variance] = moments(x, [base], plane);
        meanSum[ch] += mean;
        varSum[ch] += plane > 1 ? (variance * plane) / (plane - 1) : NaN;
      } else {
        mean = rm![ch]!;
        variance = rv![ch]!;
      }
      const scale = (w ? w[ch]! : 1) / Math.sqrt(variance + eps);
      const shift = (b ? b[ch]! : 0) - mean * scale;
      for (let j = 0; j < plane; j++) res[base + j] = x[base + j]! * scale + shift;
    }
  }
  commit(o, res);
  if (a.useInputStats) {
    const m = a.momentum ?? 0.1;
    if (runningMean) updateRunning(runningMean, meanSum.map((s) => s / n), m);
    if (runningVar) updateRunning(runningVar, varSum.map((s) => s / n), m);
  }
}

export function registerNormKernels(): void {
  registerCpu<BatchNormAttrs>('batch_norm', batchNormKernel);
  registerCpu('layer_norm', layerNormKernel);
  registerCpu('group_norm', groupNormKernel);
  registerCpu<InstanceNormAttrs>('instance_norm', instanceNormKernel);
}

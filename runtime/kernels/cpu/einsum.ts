// torch.einsum: subscripts (with `...`, repeated subscripts taking diagonals, size-1 broadcasting,
// implicit output) evaluated by one loop over every label combination, accumulating in double.
// Two-operand contractions without repeated or broadcast labels (the common bmm-like case) are
// permuted into a batched matrix product instead.
import { type Tensor, contiguousStrides, shapeNumel } from '../../tensor.ts';
import { type NumberArray, commit } from './util.ts';
import { valuesAs } from './elementwise.ts';
import { matmulInto } from './gemm.ts';
import { registerCpu } from './register.ts';

interface Term { labels: string[] }

/** Splits the equation into per-operand label lists, `...` expanded into ellipsis labels `0`, `1`, ... (right-aligned). */
function parse(equation: string, operands: readonly Tensor[]): { inputs: Term[]; output: string[] } {
  const eq = equation.replace(/ /g, '');
  const arrow = eq.indexOf('->');
  const lhs = arrow >= 0 ? eq.slice(0, arrow) : eq;
  const raw = lhs.split(',');
  let ellipsisRank = 0;
  raw.forEach((term, k) => {
    if (term.includes('...')) ellipsisRank = Math.max(ellipsisRank, operands[k]!.ndim - term.replace('...', '').length);
  });
  const ellipsis = (rank: number): string[] => Array.from({ length: rank }, (_, i) => String(ellipsisRank - rank + i));
  const inputs = raw.map((term, k) => {
    if (!term.includes('...')) return { labels: [...term] };
    const [before, after] = term.split('...') as [string, string];
    const rank = operands[k]!.ndim - before.length - after.length;
    return { labels: [...before, ...ellipsis(rank), ...after] };
  });
  let output: string[];
  if (arrow >= 0) {
    const rhs = eq.slice(arrow + 2);
    if (rhs.includes('...')) {
      const [before, after] = rhs.split('...') as [string, string];
      output = [...before, ...ellipsis(ellipsisRank), ...after];
    } else output = [...rhs];
  } else {
    const counts = new Map<string, number>();
    for (const t of inputs) for (const l of t.labels) if (!/^\d+$/.test(l)) counts.set(l, (counts.get(l) ?? 0) + 1);
    const once = [...counts.entries()].filter(([, n]) => n === 1).map(([l]) => l).sort();
    output = [...ellipsis(ellipsisRank), ...once];
  }
  return { inputs, output };
}

function einsumKernel(operands: readonly Tensor[], { equation }: { equation: string }, [out]: Tensor[]): void {
  const o = out!;
  const { inputs, output } = parse(equation, operands);
  const sizes = new Map<string, number>();
  inputs.forEach((t, k) => t.labels.forEach((l, d) => {
    const s = operands[k]!.shape[d]!;
    if (!sizes.has(l) || sizes.get(l) === 1) sizes.set(l, s);
  }));
  const summed = [...sizes.keys()].filter((l) => !output.includes(l));
  const values = operands.map((t) => valuesAs(t, o.dtype));
  if (operands.length === 2 && tryBatchedProduct(operands, inputs, output, summed, sizes, values, o)) return;
  const all = [...output, ...summed];
  // Per operand, the stride each label advances by (summed over repeats: diagonals; 0 when broadcast).
  const strides = operands.map((t, k) => {
    const st = contiguousStrides(t.shape);
    return all.map((l) => inputs[k]!.labels.reduce((s, x, d) => (x === l && !(t.shape[d] === 1 && sizes.get(l)! > 1) ? s + st[d]! : s), 0));
  });
  const dims = all.map((l) => sizes.get(l)!);
  const outCount = shapeNumel(output.map((l) => sizes.get(l)!));
  const sumCount = shapeNumel(summed.map((l) => sizes.get(l)!));
  const res = new Float64Array(outCount);
  if (outCount === 0) { commit(o, res); return; }
  const rank = all.length;
  const index = new Array<number>(rank).fill(0);
  const offs = new Array<number>(operands.length).fill(0);
  // One odometer over every label, output labels major and summed labels minor.
  for (let i = 0; i < outCount; i++) {
    let acc = 0;
    for (let j = 0; j < sumCount; j++) {
      let prod = 1;
      for (let k = 0; k < operands.length; k++) prod *= values[k]![offs[k]!]!;
      acc += prod;
      for (let d = rank - 1; d >= 0; d--) {
        index[d]!++;
        for (let k = 0; k < operands.length; k++) offs[k] = offs[k]! + strides[k]![d]!;
        if (index[d]! < dims[d]!) break;
        for (let k = 0; k < operands.length; k++) offs[k] = offs[k]! - strides[k]![d]! * dims[d]!;
        index[d] = 0;
      }
    }
    res[i] = acc;
  }
  commit(o, res);
}

/**
 * `a[batch, m, k] · b[batch, k, n]`-shaped contractions: each label in exactly one output/summed
 * role, no repeats or broadcasting. Permutes both operands and runs the batched GEMM.
 */
function tryBatchedProduct(operands: readonly Tensor[], inputs: Term[], output: string[], summed: string[], sizes: Map<string, number>,
  values: NumberArray[], out: Tensor): boolean {
  const [la, lb] = [inputs[0]!.labels, inputs[1]!.labels];
  if (new Set(la).size !== la.length || new Set(lb).size !== lb.length) return false;
  if (operands.some((t, k) => t.shape.some((s, d) => s !== sizes.get(inputs[k]!.labels[d]!)))) return false;
  const batch = output.filter((l) => la.includes(l) && lb.includes(l));
  const m = output.filter((l) => la.includes(l) && !lb.includes(l));
  const n = output.filter((l) => lb.includes(l) && !la.includes(l));
  const k = summed.filter((l) => la.includes(l) && lb.includes(l));
  // Labels summed over in only one operand would need a reduction first: leave those to the loop.
  if (summed.length !== k.length) return false;
  const size = (ls: string[]): number => shapeNumel(ls.map((l) => sizes.get(l)!));
  const permuted = (fromShape: readonly number[], labels: string[], order: string[], v: NumberArray): NumberArray => {
    const st = contiguousStrides(fromShape);
    const shape = order.map((l) => sizes.get(l)!);
    const strides = order.map((l) => st[labels.indexOf(l)]!);
    const outArr = new Float64Array(shapeNumel(shape));
    const idx = new Array<number>(order.length).fill(0);
    for (let i = 0; i < outArr.length; i++) {
      let off = 0;
      for (let d = 0; d < order.length; d++) off += idx[d]! * strides[d]!;
      outArr[i] = v[off]!;
      for (let d = order.length - 1; d >= 0; d--) { if (++idx[d]! < shape[d]!) break; idx[d] = 0; }
    }
    return outArr;
  };
  const A = permuted(operands[0]!.shape, la, [...batch, ...m, ...k], values[0]!);
  const B = permuted(operands[1]!.shape, lb, [...batch, ...k, ...n], values[1]!);
  const [B0, M, N, K] = [size(batch), size(m), size(n), size(k)];
  const C = new Float64Array(B0 * M * N);
  for (let t = 0; t < B0; t++) matmulInto(M, N, K, { data: A, offset: t * M * K, t: false }, { data: B, offset: t * K * N, t: false }, C, t * M * N);
  // C is laid out [batch, m, n]; the output wants `output`'s order.
  const cLabels = [...batch, ...m, ...n];
  const final = permuted(cLabels.map((l) => sizes.get(l)!), cLabels, output, C);
  commit(out, final);
  return true;
}

export function registerEinsumKernels(): void {
  registerCpu('einsum', einsumKernel);
}

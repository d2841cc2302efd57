// torch.einsum's shape rule (at::einsum in 1.13): subscripts [a-zA-Z], spaces ignored, one
// optional `...` per operand whose dims broadcast across operands, repeated subscripts take a
// diagonal, and without `->` the output is the ellipsis dims followed by the subscripts that
// appear once, in sorted order (A-Z before a-z).
import { resultType } from '../dtype.ts';
import { type Tensor } from '../tensor.ts';
import { runtimeError } from '../python/index.ts';
import { defineOp, runOp } from './registry.ts';

const ELLIPSIS = -1;

interface ParsedOperand { labels: number[]; hasEllipsis: boolean }

const labelIndex = (c: string): number => (c >= 'A' && c <= 'Z' ? c.charCodeAt(0) - 65 : c.charCodeAt(0) - 97 + 26);
const labelChar = (i: number): string => String.fromCharCode(i < 26 ? 65 + i : 97 + i - 26);

/** Splits `equation` into per-operand label lists (ELLIPSIS marks `...`), with einsum's messages. */
function parseTerms(equation: string, start: number, text: string, forOutput: boolean): ParsedOperand[] {
  const terms: ParsedOperand[] = [{ labels: [], hasEllipsis: false }];
  let dots = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    const current = terms[terms.length - 1]!;
    const where = forOutput ? 'output' : `operand ${terms.length - 1}`;
    if (c === ' ') continue;
    if (c === '.') {
      if (current.hasEllipsis) throw runtimeError(`einsum(): found '.' for ${where} for which an ellipsis was already found`);
      dots++;
      if (dots === 3) { current.labels.push(ELLIPSIS); current.hasEllipsis = true; dots = 0; }
      continue;
    }
    if (dots > 0) {
      throw runtimeError(forOutput ? "einsum(): found '.' for output that is not part of any ellipsis (...)" : `einsum(): found '.' for ${where} that is not part of any ellipsis`);
    }
    if (c === ',' && !forOutput) { terms.push({ labels: [], hasEllipsis: false }); continue; }
    if (!/[a-zA-Z]/.test(c)) {
      throw runtimeError(`einsum(): invalid subscript given at index ${start + i} in the equation string, subscripts must be in [a-zA-Z]`);
    }
    current.labels.push(labelIndex(c));
  }
  if (dots > 0) {
    const where = forOutput ? 'output' : `operand ${terms.length - 1}`;
    throw runtimeError(forOutput ? "einsum(): found '.' for output that is not part of any ellipsis (...)" : `einsum(): found '.' for ${where} that is not part of any ellipsis`);
  }
  return terms;
}

/** The output shape of `torch.einsum(equation, *operands)`. */
export function einsumShape(equation: string, operands: readonly Tensor[]): number[] {
  const arrow = equation.indexOf('->');
  const lhs = arrow >= 0 ? equation.slice(0, arrow) : equation;
  const inputs = parseTerms(equation, 0, lhs, false);
  if (inputs.length > operands.length) throw runtimeError('einsum(): fewer operands were provided than specified in the equation');
  if (inputs.length < operands.length) throw runtimeError('einsum(): more operands were provided than specified in the equation');

  const sizes = new Map<number, number>();
  let ellipsisShape: number[] = [];
  const counts = new Map<number, number>();
  // For the implicit output, a subscript counts once per appearance, repeats within an operand included.
  const occurrences = new Map<number, number>();
  inputs.forEach((term, k) => {
    const t = operands[k]!;
    const named = term.labels.filter((l) => l !== ELLIPSIS).length;
    if (!term.hasEllipsis && named !== t.ndim) {
      throw runtimeError(`einsum(): the number of subscripts in the equation (${named}) does not match the number of dimensions (${t.ndim}) for operand ${k} and no ellipsis was given`);
    }
    if (term.hasEllipsis && named > t.ndim) {
      throw runtimeError(`einsum(): the number of subscripts in the equation (${named}) is more than the number of dimensions (${t.ndim}) for operand ${k}`);
    }
    const ellipsisRank = t.ndim - named;
    const seenHere = new Map<number, number>();
    let dim = 0;
    for (const label of term.labels) {
      if (label === ELLIPSIS) {
        const part = t.shape.slice(dim, dim + ellipsisRank);
        ellipsisShape = broadcastEllipsis(ellipsisShape, part, k);
        dim += ellipsisRank;
        continue;
      }
      const size = t.shape[dim]!;
      const before = seenHere.get(label);
      if (before !== undefined && before !== size) {
        throw runtimeError(`einsum(): subscript ${labelChar(label)} is repeated for operand ${k} but the sizes don't match, ${size} != ${before}`);
      }
      seenHere.set(label, size);
      occurrences.set(label, (occurrences.get(label) ?? 0) + 1);
      dim++;
    }
    for (const [label, size] of seenHere) {
      counts.set(label, (counts.get(label) ?? 0) + 1);
      const previous = sizes.get(label);
      if (previous === undefined || previous === 1) sizes.set(label, size);
      else if (size !== 1 && size !== previous) {
        throw runtimeError(`einsum(): subscript ${labelChar(label)} has size ${size} for operand ${k} which does not broadcast with previously seen size ${previous}`);
      }
    }
  });

  if (arrow < 0) {
    // Implicit output: the ellipsis, then labels that appear exactly once, sorted.
    const once = [...occurrences.entries()].filter(([, n]) => n === 1).map(([l]) => l).sort((a, b) => a - b);
    return [...ellipsisShape, ...once.map((l) => sizes.get(l)!)];
  }
  const [output] = parseTerms(equation, arrow + 2, equation.slice(arrow + 2), true);
  const shape: number[] = [];
  const seen = new Set<number>();
  for (const label of output!.labels) {
    if (label === ELLIPSIS) { shape.push(...ellipsisShape); continue; }
    if (seen.has(label)) throw runtimeError(`einsum(): output subscript ${labelChar(label)} appears more than once in the output`);
    if (!sizes.has(label)) throw runtimeError(`einsum(): output subscript ${labelChar(label)} does not appear in the equation for any input operand`);
    seen.add(label);
    shape.push(sizes.get(label)!);
  }
  return shape;
}

/** Broadcasts one operand's ellipsis dims into the running ellipsis shape (right-aligned). */
function broadcastEllipsis(seen: number[], part: readonly number[], operand: number): number[] {
  const n = Math.max(seen.length, part.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const s = seen[i - (n - seen.length)] ?? 1;
    const pIndex = i - (n - part.length);
    const p = part[pIndex] ?? 1;
    if (s !== p && s !== 1 && p !== 1) {
      throw runtimeError(`einsum(): dimension ${pIndex} covered by ellipsis in operand ${operand}has size ${p} which does not broadcast with previously seen ellipsis with size ${s} for the respective dimension`);
    }
    out[i] = s === 1 ? p : s;
  }
  return out;
}

const einsumOp = defineOp<{ equation: string }>('einsum', (operands, { equation }) => {
  const shape = einsumShape(equation, operands);
  const dtypes = operands.map((t) => t.dtype);
  // The contraction runs through bmm, which needs one dtype.
  const first = dtypes[0]!;
  const other = dtypes.find((d) => d !== first);
  if (other) throw runtimeError(`expected scalar type ${first.scalarTypeName} but found ${other.scalarTypeName}`);
  return { shape, dtype: resultType(operands.map((t) => ({ dtype: t.dtype, ndim: t.ndim }))) };
});

export const einsum = (equation: string, operands: readonly Tensor[]): Tensor => runOp(einsumOp, operands, { equation });

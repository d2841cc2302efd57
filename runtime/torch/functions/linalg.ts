// Matrix products as torch.* and Tensor methods, plus einsum/tensordot/kron/cdist.
import { Tensor } from '../../tensor.ts';
import { PyFloat, PyList, PyTuple, type PyValue, runtimeError, typeError, valueError, pyTypeName } from '../../python/index.ts';
import * as mat from '../../ops/matmul.ts';
import { einsum } from '../../ops/einsum.ts';
import { binary } from '../../ops/elementwise.ts';
import { cdist } from '../../ops/nn-ops.ts';
import { view, permute } from '../../ops/shape-ops.ts';
import type { ParsedArgs } from '../arg-parser.ts';
import { type Namespace, defNative, defPython } from '../registry.ts';
import { callRegistered } from '../registry.ts';
import { toInt } from '../py-convert.ts';

const both: Namespace[] = ['torch', 'tensor'];
const input = (a: ParsedArgs): Tensor => a.tensor('input');

defNative(both, 'matmul', (a) => mat.matmul(input(a), a.tensor('other')));
defNative(both, 'mm', (a) => mat.mm(input(a), a.tensor('mat2')));
defNative(both, 'bmm', (a) => mat.bmm(input(a), a.tensor('mat2')));
defNative(both, 'mv', (a) => mat.mv(input(a), a.tensor('vec')));
defNative(both, ['dot', 'inner'], (a) => mat.dot(input(a), a.tensor(a.has('tensor') ? 'tensor' : 'other')));
defNative(both, ['outer', 'ger'], (a) => mat.outer(input(a), a.tensor('vec2')));
/** beta/alpha of the add-products (Scalars; 1 when absent). */
const scale = (a: ParsedArgs): mat.ScaleAttrs => ({ alpha: a.has('alpha') ? a.scalar('alpha').value ?? 1 : 1, beta: a.has('beta') ? a.scalar('beta').value ?? 1 : 1 });
defNative(both, 'addmm', (a) => mat.addmm(input(a), a.tensor('mat1'), a.tensor('mat2'), scale(a)));
defNative(both, 'baddbmm', (a) => mat.baddbmm(input(a), a.tensor('batch1'), a.tensor('batch2'), scale(a)));
defNative(both, 'addbmm', (a) => mat.addbmm(input(a), a.tensor('batch1'), a.tensor('batch2'), scale(a)));
defNative(both, 'addmv', (a) => mat.addmv(input(a), a.tensor('mat'), a.tensor('vec'), scale(a)));
defNative(['torch', 'nn'], 'linear', (a) => mat.linear(input(a), a.tensor('weight'), a.optTensor('bias')));
defNative('torch', 'bilinear', (a) => mat.bilinear(a.tensor('input1'), a.tensor('input2'), a.tensor('weight'), a.optTensor('bias')));
defNative('torch', 'kron', (a) => {
  const x = input(a);
  const y = a.tensor('other');
  const n = Math.max(x.ndim, y.ndim);
  const pad = (s: readonly number[]): number[] => [...new Array<number>(n - s.length).fill(1), ...s];
  const xs = pad(x.shape);
  const ys = pad(y.shape);
  // result[i0*b0 + j0, i1*b1 + j1, ...] = x[i0, i1, ...] * y[j0, j1, ...]: interleave the dims, multiply, merge.
  const xi = view(x, xs.flatMap((s) => [s, 1]));
  const yi = view(y, ys.flatMap((s) => [1, s]));
  if (x.dtype !== y.dtype) mat.outer(view(x, [x.numel()]), view(y, [y.numel()])); // outer's promotion check
  return view(binary.mul!(xi, yi), xs.map((s, i) => s * ys[i]!));
});

/** torch.einsum(equation, *operands) (Python in torch/functional.py). */
defPython('torch', 'einsum', (a, interop) => {
  const args = [...(a.get('args') as PyTuple).items];
  if (args.length < 2) {
    throw valueError('einsum(): must specify the equation string and at least one operand, or at least one operand and its subscripts list');
  }
  const [equation, ...operands] = args;
  if (typeof equation !== 'string') throw typeError('einsum(): the sublist format is not supported by NN Lens');
  // The old interface passes the operands as one list.
  if (operands.length === 1 && (operands[0] instanceof PyList || operands[0] instanceof PyTuple)) {
    return callRegistered('torch', 'einsum', [equation, ...(operands[0] as PyList).items], new Map(), interop);
  }
  operands.forEach((t, i) => {
    if (!(t instanceof Tensor)) throw typeError(`expected Tensor as element ${i} in argument 1, but got ${pyTypeName(t)}`);
  });
  return einsum(equation, operands as Tensor[]);
});

/** torch.tensordot(a, b, dims): contract the last `dims` of a with the first of b (or explicit lists). */
defPython('torch', 'tensordot', (a) => {
  const x = a.get('a') as Tensor;
  const y = a.get('b') as Tensor;
  const dims = a.get('dims');
  let dimsA: number[];
  let dimsB: number[];
  if (typeof dims === 'number') {
    if (dims < 0) throw runtimeError(`tensordot expects dims >= 0, but got dims=${dims}`);
    dimsA = Array.from({ length: dims }, (_, i) => x.ndim - dims + i);
    dimsB = Array.from({ length: dims }, (_, i) => i);
  } else {
    const [da, db] = (dims as PyTuple).items as PyValue[];
    dimsA = typeof da === 'number' ? [da] : (da as PyList).items.map(toInt);
    dimsB = typeof db === 'number' ? [db] : (db as PyList).items.map(toInt);
  }
  const norm = (d: number, n: number): number => (d < 0 ? d + n : d);
  dimsA = dimsA.map((d) => norm(d, x.ndim));
  dimsB = dimsB.map((d) => norm(d, y.ndim));
  dimsA.forEach((d, i) => {
    if (x.shape[d] !== y.shape[dimsB[i]!]) {
      throw runtimeError(`contracted dimensions need to match, but first has size ${x.shape[d]} in dim ${d} and second has size ${y.shape[dimsB[i]!]} in dim ${dimsB[i]}`);
    }
  });
  const freeA = x.shape.map((_, i) => i).filter((i) => !dimsA.includes(i));
  const freeB = y.shape.map((_, i) => i).filter((i) => !dimsB.includes(i));
  const k = dimsA.reduce((p, d) => p * x.shape[d]!, 1);
  const left = view(permute(x, [...freeA, ...dimsA]), [freeA.reduce((p, d) => p * x.shape[d]!, 1), k]);
  const right = view(permute(y, [...dimsB, ...freeB]), [k, freeB.reduce((p, d) => p * y.shape[d]!, 1)]);
  return view(mat.mm(left, right), [...freeA.map((d) => x.shape[d]!), ...freeB.map((d) => y.shape[d]!)]);
});

defPython('torch', 'cdist', (a) => {
  const p = a.get('p');
  return cdist(a.get('x1') as Tensor, a.get('x2') as Tensor, typeof p === 'number' ? p : p instanceof PyFloat ? p.value : 2);
});

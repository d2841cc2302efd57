// Matrix products with PyTorch 1.13's dispatch and messages: matmul picks dot/mv/mm/bmm by rank
// and folds batch dims into rows (so [2, 5, 48] @ [40, 10] reports "10x48 and 40x10"), linear
// goes through addmm for 2-D (and contiguous 3-D) inputs, and each kernel checks dtypes equal.
import { type DType, resultType } from '../dtype.ts';
import { type Tensor, formatShape, shapeNumel } from '../tensor.ts';
import { runtimeError } from '../python/index.ts';
import { broadcastShapes, expandShape } from './broadcast.ts';
import { type TensorSpec, defineOp, runOp } from './registry.ts';

type Shape = readonly number[];
/** What the shape rules read from a tensor (linear also feeds them derived operands like weight.t()). */
interface Operand { readonly shape: Shape; readonly dtype: DType }
const rank = (t: Operand): number => t.shape.length;

/** BLAS kernels need one dtype: `expected scalar type Float but found Long`. */
function sameDType(expected: DType, found: DType): void {
  if (expected !== found) throw runtimeError(`expected scalar type ${expected.scalarTypeName} but found ${found.scalarTypeName}`);
}

const cannotMultiply = (a: Shape, b: Shape): Error =>
  runtimeError(`mat1 and mat2 shapes cannot be multiplied (${a[0]}x${a[1]} and ${b[0]}x${b[1]})`);

// ------------------------------------------------------------------ shape rules (pure)

function dotRule(a: Operand, b: Operand): TensorSpec {
  if (rank(a) !== 1 || rank(b) !== 1) throw runtimeError(`1D tensors expected, but got ${rank(a)}D and ${rank(b)}D tensors`);
  if (a.shape[0] !== b.shape[0]) {
    throw runtimeError(`inconsistent tensor size, expected tensor [${a.shape[0]}] and src [${b.shape[0]}] to have the same number of elements, but got ${a.shape[0]} and ${b.shape[0]} elements respectively`);
  }
  if (a.dtype !== b.dtype) throw runtimeError(`dot : expected both vectors to have same dtype, but found ${a.dtype.scalarTypeName} and ${b.dtype.scalarTypeName}`);
  return { shape: [], dtype: a.dtype };
}

/** mv on (possibly folded) shapes: `size mismatch, got 2, 2x3,4`. */
function mvShapes(m: Shape, v: Shape, mDtype: DType, vDtype: DType): number[] {
  if (m[1] !== v[0]) throw runtimeError(`size mismatch, got ${m[0]}, ${m[0]}x${m[1]},${v[0]}`);
  sameDType(mDtype, vDtype);
  return [m[0]!];
}

function mmShapes(a: Shape, b: Shape, aDtype: DType, bDtype: DType): number[] {
  if (a[1] !== b[0]) throw cannotMultiply(a, b);
  sameDType(aDtype, bDtype);
  return [a[0]!, b[1]!];
}

function bmmShapes(a: Shape, b: Shape, aDtype: DType, bDtype: DType): number[] {
  if (a.length !== 3) throw runtimeError('batch1 must be a 3D tensor');
  if (b.length !== 3) throw runtimeError('batch2 must be a 3D tensor');
  if (b[0] !== a[0] || b[1] !== a[2]) {
    throw runtimeError(`Expected size for first two dimensions of batch2 tensor to be: [${a[0]}, ${a[2]}] but got: [${b[0]}, ${b[1]}].`);
  }
  sameDType(aDtype, bDtype);
  return [a[0]!, a[1]!, b[2]!];
}

/** at::matmul's shape rule. */
export function matmulShape(a: Operand, b: Operand): number[] {
  const da = rank(a);
  const db = rank(b);
  if (da === 0 || db === 0) throw runtimeError(`both arguments to matmul need to be at least 1D, but they are ${da}D and ${db}D`);
  if (da === 1 && db === 1) return [...dotRule(a, b).shape];
  if (da === 2 && db === 1) return mvShapes(a.shape, b.shape, a.dtype, b.dtype);
  if (da === 1 && db === 2) return [mmShapes([1, a.shape[0]!], b.shape, a.dtype, b.dtype)[1]!];
  if (da === 2 && db === 2) return mmShapes(a.shape, b.shape, a.dtype, b.dtype);
  if (da >= 3 && (db === 1 || db === 2)) {
    // Fold the batch dims of `a` into rows.
    const folded = [shapeNumel(a.shape.slice(0, -1)), a.shape[da - 1]!];
    if (db === 1) { mvShapes(folded, b.shape, a.dtype, b.dtype); return [...a.shape.slice(0, -1)]; }
    mmShapes(folded, b.shape, a.dtype, b.dtype);
    return [...a.shape.slice(0, -1), b.shape[1]!];
  }
  if ((da === 1 || da === 2) && db >= 3) {
    // Transpose the problem so `b`'s batch dims fold into rows: (b^T folded) @ a^T.
    const folded = [shapeNumel(b.shape.slice(0, -2)) * b.shape[db - 1]!, b.shape[db - 2]!];
    if (da === 1) { mvShapes(folded, a.shape, b.dtype, a.dtype); return [...b.shape.slice(0, -2), b.shape[db - 1]!]; }
    mmShapes(folded, [a.shape[1]!, a.shape[0]!], b.dtype, a.dtype);
    return [...b.shape.slice(0, -2), a.shape[0]!, b.shape[db - 1]!];
  }
  // Both batched: broadcast the batch dims, then bmm.
  const n = da > 1 ? a.shape[da - 2]! : 1;
  const m1 = a.shape[da - 1]!;
  const m2 = db > 1 ? b.shape[db - 2]! : 1;
  const p = b.shape[db - 1]!;
  const batch = broadcastShapes(a.shape.slice(0, Math.max(da - 2, 0)), b.shape.slice(0, Math.max(db - 2, 0)));
  const count = shapeNumel(batch);
  bmmShapes([count, n, m1], [count, m2, p], a.dtype, b.dtype);
  return [...batch, ...(da > 1 ? [n] : []), ...(db > 1 ? [p] : [])];
}

// ------------------------------------------------------------------ ops

type NoAttrs = Record<string, never>;

const matmulOp = defineOp<NoAttrs>('matmul', ([a, b]) => ({ shape: matmulShape(a!, b!), dtype: a!.dtype }));
export const matmul = (a: Tensor, b: Tensor): Tensor => runOp(matmulOp, [a, b], {});

const dotOp = defineOp<NoAttrs>('dot', ([a, b]) => dotRule(a!, b!));
export const dot = (a: Tensor, b: Tensor): Tensor => runOp(dotOp, [a, b], {});

const mvOp = defineOp<NoAttrs>('mv', ([m, v]) => {
  if (m!.ndim !== 2 || v!.ndim !== 1) throw runtimeError(`vector + matrix @ vector expected, got 1, ${m!.ndim}, ${v!.ndim}`);
  return { shape: mvShapes(m!.shape, v!.shape, m!.dtype, v!.dtype), dtype: m!.dtype };
});
export const mv = (m: Tensor, v: Tensor): Tensor => runOp(mvOp, [m, v], {});

const mmOp = defineOp<NoAttrs>('mm', ([a, b]) => {
  if (a!.ndim !== 2) throw runtimeError('self must be a matrix');
  if (b!.ndim !== 2) throw runtimeError('mat2 must be a matrix');
  return { shape: mmShapes(a!.shape, b!.shape, a!.dtype, b!.dtype), dtype: a!.dtype };
});
export const mm = (a: Tensor, b: Tensor): Tensor => runOp(mmOp, [a, b], {});

const bmmOp = defineOp<NoAttrs>('bmm', ([a, b]) => ({ shape: bmmShapes(a!.shape, b!.shape, a!.dtype, b!.dtype), dtype: a!.dtype }));
export const bmm = (a: Tensor, b: Tensor): Tensor => runOp(bmmOp, [a, b], {});

/** The matrix checks of addmm (linear's 2-D path): messages differ slightly from mm's. */
function addmmRule(self: Operand, m1: Operand, m2: Operand): TensorSpec {
  if (rank(m1) !== 2) throw runtimeError(`mat1 must be a matrix, got ${rank(m1)}-D tensor`);
  if (rank(m2) !== 2) throw runtimeError(`mat2 must be a matrix, got ${rank(m2)}-D tensor`);
  if (m1.shape[1] !== m2.shape[0]) throw cannotMultiply(m1.shape, m2.shape);
  sameDType(m1.dtype, m2.dtype);
  if (self.dtype !== m2.dtype) throw runtimeError('self and mat2 must have the same dtype');
  const shape = [m1.shape[0]!, m2.shape[1]!];
  expandShape(self.shape, shape, self.dtype.legacyTypeName);
  return { shape, dtype: m1.dtype };
}

/** `beta * self + alpha * (product)` of addmm/baddbmm/addbmm/addmv (both 1 when absent). */
export interface ScaleAttrs { alpha?: number; beta?: number }

/** `beta * self + alpha * (m1 @ m2)`; alpha/beta do not affect shapes. */
const addmmOp = defineOp<ScaleAttrs>('addmm', ([self, m1, m2]) => addmmRule(self!, m1!, m2!));
export const addmm = (self: Tensor, m1: Tensor, m2: Tensor, scale: ScaleAttrs = {}): Tensor => runOp(addmmOp, [self, m1, m2], scale);

const baddbmmOp = defineOp<ScaleAttrs>('baddbmm', ([self, b1, b2]) => {
  const shape = bmmShapes(b1!.shape, b2!.shape, b1!.dtype, b2!.dtype);
  expandShape(self!.shape, shape, self!.dtype.legacyTypeName);
  return { shape, dtype: b1!.dtype };
});
export const baddbmm = (self: Tensor, b1: Tensor, b2: Tensor, scale: ScaleAttrs = {}): Tensor => runOp(baddbmmOp, [self, b1, b2], scale);

const addbmmOp = defineOp<ScaleAttrs>('addbmm', ([self, b1, b2]) => {
  const [, n, p] = bmmShapes(b1!.shape, b2!.shape, b1!.dtype, b2!.dtype);
  const shape = [n!, p!];
  expandShape(self!.shape, shape, self!.dtype.legacyTypeName);
  return { shape, dtype: b1!.dtype };
});
export const addbmm = (self: Tensor, b1: Tensor, b2: Tensor, scale: ScaleAttrs = {}): Tensor => runOp(addbmmOp, [self, b1, b2], scale);

const addmvOp = defineOp<ScaleAttrs>('addmv', ([self, m, v]) => {
  if (m!.ndim !== 2 || v!.ndim !== 1) throw runtimeError(`vector + matrix @ vector expected, got ${self!.ndim}, ${m!.ndim}, ${v!.ndim}`);
  const shape = mvShapes(m!.shape, v!.shape, m!.dtype, v!.dtype);
  expandShape(self!.shape, shape, self!.dtype.legacyTypeName);
  return { shape, dtype: m!.dtype };
});
export const addmv = (self: Tensor, m: Tensor, v: Tensor, scale: ScaleAttrs = {}): Tensor => runOp(addmvOp, [self, m, v], scale);

const outerOp = defineOp<NoAttrs>('outer', ([a, b]) => {
  if (a!.ndim !== 1) throw runtimeError(`outer: Expected 1-D argument self, but got ${a!.ndim}-D`);
  if (b!.ndim !== 1) throw runtimeError(`outer: Expected 1-D argument vec2, but got ${b!.ndim}-D`);
  return { shape: [a!.shape[0]!, b!.shape[0]!], dtype: resultType([a!, b!].map((t) => ({ dtype: t.dtype, ndim: t.ndim }))) };
});
export const outer = (a: Tensor, b: Tensor): Tensor => runOp(outerOp, [a, b], {});

/**
 * `F.linear(input, weight, bias)` as at::linear computes it: addmm for 2-D input with bias (and
 * for contiguous 3-D input, viewed as 2-D), otherwise matmul(input, weight.t()) then `+= bias`.
 */
export function linearShape(input: Tensor, weight: Tensor, bias: Tensor | null): number[] {
  if (weight.ndim > 2) throw runtimeError(`t() expects a tensor with <= 2 dimensions, but self is ${weight.ndim}D`);
  const weightT = weight.ndim === 2 ? [weight.shape[1]!, weight.shape[0]!] : [...weight.shape];
  const wT: Operand = { shape: weightT, dtype: weight.dtype };
  if (bias && (input.ndim === 2 || input.ndim === 3)) {
    const rows = input.ndim === 3 ? [input.shape[0]! * input.shape[1]!, input.shape[2]!] : [...input.shape];
    const m1: Operand = { shape: rows, dtype: input.dtype };
    const spec = addmmRule(bias, m1, wT);
    return input.ndim === 3 ? [input.shape[0]!, input.shape[1]!, spec.shape[1]!] : [...spec.shape];
  }
  const out = matmulShape(input, wT);
  if (bias) {
    const shape = broadcastShapes(out, bias.shape);
    if (shape.length !== out.length || shape.some((s, i) => s !== out[i])) {
      throw runtimeError(`output with shape ${formatShape(out)} doesn't match the broadcast shape ${formatShape(shape)}`);
    }
  }
  return out;
}

const linearOp = defineOp<NoAttrs>('linear', ([input, weight, bias]) =>
  ({ shape: linearShape(input!, weight!, bias ?? null), dtype: input!.dtype }));
export const linear = (input: Tensor, weight: Tensor, bias: Tensor | null): Tensor =>
  runOp(linearOp, bias ? [input, weight, bias] : [input, weight], {});

const bilinearOp = defineOp<NoAttrs>('bilinear', ([x1, x2, w, bias]) => {
  if (x1!.ndim !== x2!.ndim) throw runtimeError(`bilinear(): input dimensions do not match: got ${x1!.ndim} and ${x2!.ndim}`);
  for (let i = 0; i < x1!.ndim - 1; i++) {
    if (x1!.shape[i] !== x2!.shape[i]) {
      throw runtimeError(`bilinear(): input batch dimensions do not match at dim ${i}: got ${x1!.shape[i]} and ${x2!.shape[i]}`);
    }
  }
  if (x1!.shape[x1!.ndim - 1] !== w!.shape[1]) {
    throw runtimeError(`bilinear(): input1 size does not match weight size: got ${x1!.shape[x1!.ndim - 1]} but expected ${w!.shape[1]}`);
  }
  if (x2!.shape[x2!.ndim - 1] !== w!.shape[2]) {
    throw runtimeError(`bilinear(): input2 size does not match weight size: got ${x2!.shape[x2!.ndim - 1]} but expected ${w!.shape[2]}`);
  }
  if (bias && bias.shape[0] !== w!.shape[0]) {
    throw runtimeError(`bilinear(): bias size does not match weight size: got ${bias.shape[0]} but expected ${w!.shape[0]}`);
  }
  return { shape: [...x1!.shape.slice(0, -1), w!.shape[0]!], dtype: x1!.dtype };
});
export const bilinear = (x1: Tensor, x2: Tensor, weight: Tensor, bias: Tensor | null): Tensor =>
  runOp(bilinearOp, bias ? [x1, x2, weight, bias] : [x1, x2, weight], {});

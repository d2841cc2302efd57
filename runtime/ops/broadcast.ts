// NumPy-style broadcasting with PyTorch's messages: shapes align from the right, and each pair
// of sizes must be equal or contain a 1.
import { runtimeError } from '../python/index.ts';
import { formatShape } from '../tensor.ts';

/** The broadcast shape of two shapes (`infer_size`), or the RuntimeError torch raises. */
export function broadcastShapes(a: readonly number[], b: readonly number[]): number[] {
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = n - 1; i >= 0; i--) {
    const offset = n - 1 - i;
    const da = a.length - 1 - offset;
    const db = b.length - 1 - offset;
    const sa = da >= 0 ? a[da]! : 1;
    const sb = db >= 0 ? b[db]! : 1;
    if (sa !== sb && sa !== 1 && sb !== 1) {
      throw runtimeError(`The size of tensor a (${sa}) must match the size of tensor b (${sb}) at non-singleton dimension ${i}`);
    }
    out[i] = sa === 1 ? sb : sa;
  }
  return out;
}

/** The broadcast shape of any number of shapes, folded left to right as TensorIterator does. */
export function broadcastAll(shapes: readonly (readonly number[])[]): number[] {
  return shapes.reduce<number[]>((acc, s) => broadcastShapes(acc, s), []);
}

/**
 * `expand`: sizes of -1 keep the existing size; new leading dims are allowed, but an existing
 * dim can only grow from 1. `legacyName` is the `torch.FloatTensor` in expand's rank message.
 */
export function expandShape(shape: readonly number[], sizes: readonly number[], legacyName: string): number[] {
  if (sizes.length < shape.length) {
    throw runtimeError(`expand(${legacyName}{${formatShape(shape)}}, size=${formatShape(sizes)}): the number of sizes provided (${sizes.length}) must be greater or equal to the number of dimensions in the tensor (${shape.length})`);
  }
  const lead = sizes.length - shape.length;
  return sizes.map((size, i) => {
    if (i < lead) {
      if (size < 0) throw runtimeError(`The expanded size of the tensor (${size}) isn't allowed in a leading, non-existing dimension ${i}`);
      return size;
    }
    const existing = shape[i - lead]!;
    if (size === -1) return existing;
    if (existing !== size && existing !== 1) {
      throw runtimeError(`The expanded size of the tensor (${size}) must match the existing size (${existing}) at non-singleton dimension ${i}.  Target sizes: ${formatShape(sizes)}.  Tensor sizes: ${formatShape(shape)}`);
    }
    return size;
  });
}

// The in-place tensor fills behind torch.nn.init and the layers' reset_parameters: the one place
// where "fill this tensor" happens. Every fill first makes the checks PyTorch makes on any device
// (so the shape tier reports `normal expects std >= 0.0, but found std -1` too); on `meta`
// that is all. With data, deterministic fills (constant, eye, dirac) are done here; fills that
// draw from the global generator go to the `RandomFiller`: by default the bit-exact RNG of
// ../shared/RNG.md (runtime/random/) drawing from torch's default generator; tests may install
// another (a recorder of the calls) and `setRandomFiller(null)` puts the default back.
import type { Tensor } from '../tensor.ts';
import { runtimeError } from '../python/index.ts';
import { formatCppDouble } from './py-helpers.ts';
import { generatorFiller } from '../random/filler.ts';
import { castNumber } from '../random/element.ts';
import { defaultEngine } from '../torch/random.ts';

/** Fills that consume random numbers, in PyTorch's draw order. Implemented by the value tier. */
export interface RandomFiller {
  uniform(t: Tensor, from: number, to: number): void;
  normal(t: Tensor, mean: number, std: number): void;
  /** `trunc_normal_`: uniform_(2l-1, 2u-1), erfinv_, mul_(std*sqrt(2)), add_(mean), clamp_(a, b). */
  truncNormal(t: Tensor, mean: number, std: number, a: number, b: number): void;
  /** `orthogonal_`: normal_ on a (rows, cols) tensor, QR, sign correction, times gain. */
  orthogonal(t: Tensor, gain: number): void;
  /** `sparse_`: normal_(0, std), then per column a randperm(rows) and zeros in the first num_zeros rows. */
  sparse(t: Tensor, numZeros: number, std: number): void;
}

/** The fills drawing from torch's default generator (what `torch.manual_seed` reseeds). */
export const defaultRandomFiller: RandomFiller = generatorFiller(defaultEngine);

let randomFiller: RandomFiller = defaultRandomFiller;

/** Replaces the random fills (tests record calls this way); null restores the default generator's. */
export function setRandomFiller(filler: RandomFiller | null): void { randomFiller = filler ?? defaultRandomFiller; }

export function uniformFill(t: Tensor, from: number, to: number): Tensor {
  if (!t.dtype.isFloatingPoint) throw runtimeError(`"check_uniform_bounds" not implemented for '${t.dtype.scalarTypeName}'`);
  if (from > to) {
    throw runtimeError(`uniform_ expects to return a [from, to) range, but found from=${formatCppDouble(from)} > to=${formatCppDouble(to)}`);
  }
  if (t.data !== null && t.numel() > 0) randomFiller.uniform(t, from, to);
  return t;
}

export function normalFill(t: Tensor, mean: number, std: number): Tensor {
  if (!(std >= 0)) throw runtimeError(`normal expects std >= 0.0, but found std ${formatCppDouble(std)}`);
  if (!t.dtype.isFloatingPoint) throw runtimeError(`"normal_kernel_cpu" not implemented for '${t.dtype.scalarTypeName}'`);
  if (t.data !== null && t.numel() > 0) randomFiller.normal(t, mean, std);
  return t;
}

export function truncNormalFill(t: Tensor, mean: number, std: number, a: number, b: number): Tensor {
  if (t.data !== null && t.numel() > 0) randomFiller.truncNormal(t, mean, std, a, b);
  return t;
}

export function orthogonalFill(t: Tensor, gain: number): Tensor {
  if (t.data !== null && t.numel() > 0) randomFiller.orthogonal(t, gain);
  return t;
}

export function sparseFill(t: Tensor, numZeros: number, std: number): Tensor {
  if (t.data !== null && t.numel() > 0) randomFiller.sparse(t, numZeros, std);
  return t;
}

/** `fill_(value)` / `zero_()`. */
export function constantFill(t: Tensor, value: number): Tensor {
  const data = t.data;
  if (data instanceof BigInt64Array) data.fill(BigInt(Math.trunc(value)));
  else if (data) data.fill(castNumber(t.dtype, value));
  return t;
}

/** `torch.eye(rows, cols, out=t)`. */
export function eyeFill(t: Tensor): Tensor {
  constantFill(t, 0);
  const data = t.data;
  if (!data) return t;
  const [rows, cols] = t.shape as [number, number];
  for (let i = 0; i < Math.min(rows, cols); i++) setFlat(data, i * cols + i, 1);
  return t;
}

/** `dirac_`: zeros, then a 1 at the centre of the kernel for each of the first min(out/groups, in) channels. */
export function diracFill(t: Tensor, groups: number): Tensor {
  constantFill(t, 0);
  const data = t.data;
  if (!data) return t;
  const [out, inCh, ...kernel] = t.shape as number[];
  const outPerGroup = Math.floor(out! / groups);
  const minDim = Math.min(outPerGroup, inCh!);
  const centre = kernel.map((k) => Math.floor(k / 2));
  const strides: number[] = [];
  let s = 1;
  for (let i = t.shape.length - 1; i >= 0; i--) { strides[i] = s; s *= t.shape[i]!; }
  for (let g = 0; g < groups; g++) {
    for (let d = 0; d < minDim; d++) {
      const index = [g * outPerGroup + d, d, ...centre];
      setFlat(data, index.reduce((acc, x, i) => acc + x * strides[i]!, 0), 1);
    }
  }
  return t;
}

function setFlat(data: NonNullable<Tensor['data']>, i: number, v: number): void {
  if (data instanceof BigInt64Array) data[i] = BigInt(v);
  else data[i] = v;
}

/** `t[index].fill_(value)` on the first dimension (Embedding's padding row). */
export function rowFill(t: Tensor, index: number, value: number): Tensor {
  const data = t.data;
  if (!data) return t;
  const rowSize = t.shape.slice(1).reduce((a, b) => a * b, 1);
  for (let i = index * rowSize; i < (index + 1) * rowSize; i++) setFlat(data, i, value);
  return t;
}

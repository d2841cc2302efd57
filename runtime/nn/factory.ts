// Creating the tensors that layers own (`Parameter(torch.empty(shape, **factory_kwargs))`,
// `torch.zeros(num_features)`), with the argument checks and messages of torch's factories:
// `Linear(3.5, 2)` fails inside `torch.empty` in PyTorch, so it fails here in the same words.
//
// Tensors are created on `runtimeContext().device`, whatever `device=` says: the shape tier
// evaluates on `meta`, the value tier on its own device. Without `dtype=`, tensors get the default
// dtype (torch.set_default_dtype).
import { DType, defaultFloatDType, float32, float64, int64, int32, uint8, bool as boolDtype } from '../dtype.ts';
import { Parameter, Tensor } from '../tensor.ts';
import { PyList, PyTuple, type PyValue, notImplementedError, pyTypeName, runtimeError, typeError } from '../python/index.ts';
import { runtimeContext } from '../context.ts';
import { parseDevice } from '../torch/objects.ts';

/** The `device=`/`dtype=` keyword arguments every layer forwards to its factories. */
export interface FactoryKwargs { device: PyValue; dtype: PyValue }

export function factoryKwargs(bound: Map<string, PyValue>): FactoryKwargs {
  return { device: bound.get('device') ?? null, dtype: bound.get('dtype') ?? null };
}

export const noFactoryKwargs: FactoryKwargs = { device: null, dtype: null };

type FactoryName = 'empty' | 'zeros' | 'ones';

// torch 1.13's overload lists, printed when no overload of the factory matches.
const overloads: Record<FactoryName, string> = {
  empty: ' * (tuple of ints size, *, tuple of names names, torch.memory_format memory_format, torch.dtype dtype, torch.layout layout, torch.device device, bool pin_memory, bool requires_grad)\n'
    + ' * (tuple of SymInts size, *, torch.memory_format memory_format, Tensor out, torch.dtype dtype, torch.layout layout, torch.device device, bool pin_memory, bool requires_grad)\n',
  zeros: ' * (tuple of ints size, *, tuple of names names, torch.dtype dtype, torch.layout layout, torch.device device, bool pin_memory, bool requires_grad)\n'
    + ' * (tuple of SymInts size, *, Tensor out, torch.dtype dtype, torch.layout layout, torch.device device, bool pin_memory, bool requires_grad)\n',
  ones: ' * (tuple of ints size, *, tuple of names names, torch.dtype dtype, torch.layout layout, torch.device device, bool pin_memory, bool requires_grad)\n'
    + ' * (tuple of SymInts size, *, Tensor out, torch.dtype dtype, torch.layout layout, torch.device device, bool pin_memory, bool requires_grad)\n',
};

/** The type name torch's argument parser prints for a value (`torch.dtype`, `torch.device`, `tuple`). */
function parserTypeName(v: PyValue): string {
  if (v instanceof DType) return 'torch.dtype';
  const name = pyTypeName(v);
  return name === 'device' ? 'torch.device' : name;
}

const isSizeInt = (v: PyValue): boolean => (typeof v === 'number' && Number.isInteger(v)) || typeof v === 'boolean';

function invalidCombination(fn: FactoryName, size: PyValue, fk: FactoryKwargs): never {
  throw typeError(`${fn}() received an invalid combination of arguments - got (${parserTypeName(size)}, `
    + `dtype=${parserTypeName(fk.dtype)}, device=${parserTypeName(fk.device)}), but expected one of:\n${overloads[fn]}`);
}

/** Parses `size` the way torch's `tuple of SymInts` parameter does, raising its messages. */
function parseSize(fn: FactoryName, size: PyValue, fk: FactoryKwargs): number[] {
  if (fk.dtype !== null && !(fk.dtype instanceof DType)) invalidCombination(fn, size, fk);
  // A device string is parsed (and rejected) as torch would; which device it names does not matter.
  if (typeof fk.device === 'string') parseDevice(fk.device);
  if (size instanceof PyTuple || size instanceof PyList) {
    const items = size.items;
    // The parser decides from the first element whether this overload applies at all.
    if (items.length > 0 && !isSizeInt(items[0])) invalidCombination(fn, size, fk);
    const shape: number[] = [];
    for (let i = 0; i < items.length; i++) {
      const v = items[i];
      if (!isSizeInt(v)) {
        throw typeError(`${fn}(): argument 'size' must be tuple of SymInts, but found element of type ${pyTypeName(v)} at pos ${i + 1}`);
      }
      shape.push(Number(v));
    }
    return shape;
  }
  if (isSizeInt(size)) return [Number(size)];
  return invalidCombination(fn, size, fk);
}

/** The checks every tensor allocation makes (negative sizes, byte count overflowing int64). */
export function checkShape(shape: readonly number[], dtype: DType): void {
  // Every allocation runs this (hundreds of parameters per analysis): the byte count is computed in
  // doubles while it stays exact (safe integers), which is the same answer as the BigInt product
  // below without its allocations; only huge or odd shapes take the exact path.
  let bytes = dtype.itemSize;
  let exact = true;
  for (let i = 0; i < shape.length; i++) {
    const d = shape[i]!;
    if (d < 0 || !Number.isSafeInteger(d)) { exact = false; break; }
    bytes *= d;
    if (bytes > Number.MAX_SAFE_INTEGER) { exact = false; break; }
  }
  if (exact) return;
  const negative = shape.find((d) => d < 0);
  if (negative !== undefined) {
    throw runtimeError(`Trying to create tensor with negative dimension ${negative}: [${shape.join(', ')}]`);
  }
  let big = BigInt(dtype.itemSize);
  for (const d of shape) big *= BigInt(d);
  if (big > 2n ** 63n - 1n) throw runtimeError(`Storage size calculation overflowed with sizes=[${shape.join(', ')}]`);
}

/** `torch.empty/zeros/ones(size, dtype=..., device=...)` on the evaluation's device. */
export function factoryTensor(fn: FactoryName, size: PyValue, fk: FactoryKwargs): Tensor {
  const shape = parseSize(fn, size, fk);
  const dtype = fk.dtype instanceof DType ? fk.dtype : defaultFloatDType();
  return allocate(shape, dtype, fn === 'ones' ? 1 : 0);
}

/** A tensor of `shape` on the current device; value devices get zero- (or `fill`-) initialised storage. */
export function allocate(shape: readonly number[], dtype: DType, fill = 0): Tensor {
  checkShape(shape, dtype);
  const device = runtimeContext().device;
  if (device === 'meta') return new Tensor(shape, dtype, device);
  const n = shape.reduce((a, b) => a * b, 1);
  return new Tensor(shape, dtype, device, typedArray(dtype, n, fill));
}

function typedArray(dtype: DType, n: number, fill: number): NonNullable<Tensor['data']> {
  const data = zeroedArray(dtype, n);
  // New typed arrays are zeroed already: a second pass costs 150 MB of writes for a GPT-2 embedding.
  if (!Object.is(fill, 0)) {
    if (data instanceof BigInt64Array) data.fill(BigInt(fill));
    else data.fill(fill);
  }
  return data;
}

function zeroedArray(dtype: DType, n: number): NonNullable<Tensor['data']> {
  if (dtype === float32) return new Float32Array(n);
  if (dtype === float64) return new Float64Array(n);
  if (dtype === int64) return new BigInt64Array(n);
  if (dtype === int32) return new Int32Array(n);
  if (dtype === uint8 || dtype === boolDtype) return new Uint8Array(n);
  throw notImplementedError(`tensors of dtype torch.${dtype.name} are not supported on the ${runtimeContext().device} device yet`);
}

/** `nn.Parameter(t, requires_grad)`: shares `t`'s storage; integer tensors cannot require grad. */
export function makeParameter(t: Tensor, requiresGrad = true): Parameter {
  if (requiresGrad && !t.dtype.isFloatingPoint && !t.dtype.isComplex) {
    throw runtimeError('Only Tensors of floating point and complex dtype can require gradients');
  }
  return Parameter.fromTensor(t, requiresGrad);
}

/** `Parameter(torch.empty(size, **factory_kwargs))`, the way layers create their weights. */
export function emptyParameter(size: PyValue, fk: FactoryKwargs): Parameter {
  // factoryTensor + makeParameter in one step, with their checks in their order: the Parameter is
  // made directly instead of copied from a tensor made first (every layer weight, on every edit).
  const shape = parseSize('empty', size, fk);
  const dtype = fk.dtype instanceof DType ? fk.dtype : defaultFloatDType();
  checkShape(shape, dtype);
  const device = runtimeContext().device;
  const data = device === 'meta' ? null : typedArray(dtype, shape.reduce((a, b) => a * b, 1), 0);
  if (!dtype.isFloatingPoint && !dtype.isComplex) throw runtimeError('Only Tensors of floating point and complex dtype can require gradients');
  return new Parameter(shape, dtype, device, data, true);
}

/** `torch.tensor(0, dtype=torch.long)` (BatchNorm's `num_batches_tracked`). */
export const longScalarZero = (): Tensor => allocate([], int64);

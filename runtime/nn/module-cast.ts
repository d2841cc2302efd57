// `Module._apply` for dtype conversions (`model.double()`, `model.to(torch.float16)`): PyTorch
// replaces `param.data` in place, so every reference to a parameter (tied weights, optimizer
// lists) sees the new dtype. Devices are not modelled: `.cuda()`/`.to('cpu')` change nothing,
// because the evaluation's device is chosen by the tier, not by the model code.
import { type DType, float32, float64 } from '../dtype.ts';
import { Tensor } from '../tensor.ts';
import { notImplementedError } from '../python/index.ts';
import type { Module } from './module.ts';

/** Every parameter and buffer of `m` and its submodules, each once. */
function ownedTensors(m: Module): Tensor[] {
  const seen = new Set<Tensor>();
  for (const [, sub] of m.namedModules()) {
    for (const d of [sub.parametersDict, sub.buffersDict]) {
      for (const v of d?.values() ?? []) if (v instanceof Tensor) seen.add(v);
    }
  }
  return [...seen];
}

/** Converts a tensor's dtype in place, keeping its identity (what `param.data = param.data.to(dtype)` does). */
export function castTensorInPlace(t: Tensor, dtype: DType): void {
  if (t.dtype === dtype) return;
  if (t.data !== null) {
    if (dtype === float64) t.data = Float64Array.from(t.data as Float32Array);
    else if (dtype === float32) t.data = Float32Array.from(t.data as Float64Array);
    else throw notImplementedError(`converting tensors with values to torch.${dtype.name}`);
  }
  (t as { dtype: DType }).dtype = dtype;
}

/** Casts the floating-point parameters and buffers (what `.float()`, `.double()`, `.half()`, `.to(dtype)` do). */
export function castFloatingPoint(m: Module, dtype: DType): void {
  for (const t of ownedTensors(m)) if (t.dtype.isFloatingPoint) castTensorInPlace(t, dtype);
}

/** Casts every parameter and buffer (what `.type(dst_type)` does). */
export function castAll(m: Module, dtype: DType): void {
  for (const t of ownedTensors(m)) castTensorInPlace(t, dtype);
}

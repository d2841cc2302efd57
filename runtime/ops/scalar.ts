// Python numbers inside tensor ops. Like PyTorch, a Python scalar operand (`x + 2.5`) becomes a
// 0-dim "wrapped number" tensor, which type promotion ranks below every real tensor. Its value
// is remembered even on `meta`, for the few rules that depend on it (`int_tensor ** -1`).
import { type DType, bool, complex128, float64, int64 } from '../dtype.ts';
import { Tensor } from '../tensor.ts';
import { runtimeContext } from '../context.ts';

export type ScalarKind = 'int' | 'float' | 'bool' | 'complex';

/** A Python number as an op attribute: its value and which Python type it was. */
export interface Scalar {
  readonly kind: ScalarKind;
  /** null when the number came from a tensor whose value the shape tier does not know. */
  readonly value: number | null;
}

export const intScalar = (value: number): Scalar => ({ kind: 'int', value });
export const floatScalar = (value: number): Scalar => ({ kind: 'float', value });

/** The dtype torch gives a Python scalar of this kind before promotion (int -> int64, float -> float64). */
export function scalarDType(kind: ScalarKind): DType {
  switch (kind) {
    case 'int': return int64;
    case 'bool': return bool;
    case 'complex': return complex128;
    default: return float64;
  }
}

const wrappedValues = new WeakMap<Tensor, Scalar>();

/** Wraps a Python number as a 0-dim tensor on the evaluation's device. */
export function wrapScalar(s: Scalar): Tensor {
  const device = runtimeContext().device;
  const t = new Tensor([], scalarDType(s.kind), device);
  t.isWrappedNumber = true;
  wrappedValues.set(t, s);
  if (device !== 'meta' && s.value !== null) {
    // Value devices hold the number itself (one element) so kernels treat it like any tensor.
    t.data = s.kind === 'int' ? new BigInt64Array([BigInt(s.value)])
      : s.kind === 'bool' ? new Uint8Array([s.value ? 1 : 0])
        : new Float64Array([s.value]);
  }
  return t;
}

/** The Python number a wrapped tensor came from, if it is one. */
export function wrappedScalar(t: Tensor): Scalar | undefined { return wrappedValues.get(t); }

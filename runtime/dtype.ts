// torch.dtype values. One object per dtype so identity comparison (`x.dtype == torch.long`) works.
export class DType {
  readonly pyTypeName = 'dtype';
  constructor(
    /** torch's own name: `float32`, `int64`, ... */
    readonly name: string,
    readonly isFloatingPoint: boolean,
    readonly isComplex: boolean,
    readonly itemSize: number,
    /** c10's ScalarType name, used in messages: `Float`, `Long`, `ComplexFloat`. */
    readonly scalarTypeName: string,
    /** The legacy tensor type, `torch.FloatTensor` (what `x.type()` and some messages print). */
    readonly legacyTypeName: string,
  ) {}
  pyRepr(): string { return `torch.${this.name}`; }
  get isSigned(): boolean { return this !== bool && this !== uint8; }
}

export const float32 = new DType('float32', true, false, 4, 'Float', 'torch.FloatTensor');
export const float64 = new DType('float64', true, false, 8, 'Double', 'torch.DoubleTensor');
export const float16 = new DType('float16', true, false, 2, 'Half', 'torch.HalfTensor');
export const bfloat16 = new DType('bfloat16', true, false, 2, 'BFloat16', 'torch.BFloat16Tensor');
export const int64 = new DType('int64', false, false, 8, 'Long', 'torch.LongTensor');
export const int32 = new DType('int32', false, false, 4, 'Int', 'torch.IntTensor');
export const int16 = new DType('int16', false, false, 2, 'Short', 'torch.ShortTensor');
export const int8 = new DType('int8', false, false, 1, 'Char', 'torch.CharTensor');
export const uint8 = new DType('uint8', false, false, 1, 'Byte', 'torch.ByteTensor');
export const bool = new DType('bool', false, false, 1, 'Bool', 'torch.BoolTensor');
export const complex64 = new DType('complex64', false, true, 8, 'ComplexFloat', 'torch.ComplexFloatTensor');
export const complex128 = new DType('complex128', false, true, 16, 'ComplexDouble', 'torch.ComplexDoubleTensor');

/** Every spelling torch accepts as an attribute (`torch.long` is `torch.int64`). */
export const dtypeAliases: Record<string, DType> = {
  float32, float: float32, float64, double: float64, float16, half: float16, bfloat16,
  int64, long: int64, int32, int: int32, int16, short: int16, int8, uint8, bool,
  complex64, cfloat: complex64, complex128, cdouble: complex128,
};

export const allDTypes: readonly DType[] = [bool, uint8, int8, int16, int32, int64, float16, bfloat16, float32, float64, complex64, complex128];

/** `at::isIntegralType(t, includeBool)`. */
export function isIntegral(dtype: DType, includeBool: boolean): boolean {
  if (dtype === bool) return includeBool;
  return !dtype.isFloatingPoint && !dtype.isComplex;
}

// ------------------------------------------------------------------ default dtype

let defaultFloat: DType = float32;

/** `torch.get_default_dtype()`: the dtype of float tensors created from Python floats. */
export function defaultFloatDType(): DType { return defaultFloat; }
export function setDefaultFloatDType(dtype: DType): void { defaultFloat = dtype; }
/** The complex counterpart of the default dtype (complex64 for float32). */
export function defaultComplexDType(): DType { return defaultFloat === float64 ? complex128 : complex64; }

// ------------------------------------------------------------------ promotion

const integerOrder = [uint8, int8, int16, int32, int64];

/** `torch.promote_types(a, b)` (c10's promoteTypes table). */
export function promoteTypes(a: DType, b: DType): DType {
  if (a === b) return a;
  if (a === bool) return b;
  if (b === bool) return a;
  if (a.isComplex || b.isComplex) {
    const wide = a === complex128 || b === complex128 || a === float64 || b === float64;
    return wide ? complex128 : complex64;
  }
  if (a.isFloatingPoint && b.isFloatingPoint) {
    if ((a === float16 && b === bfloat16) || (a === bfloat16 && b === float16)) return float32;
    return a.itemSize >= b.itemSize ? a : b;
  }
  if (a.isFloatingPoint) return a;
  if (b.isFloatingPoint) return b;
  // Both integers: uint8 with a signed type needs the next wider signed type (uint8 + int8 = int16).
  if (a === uint8 || b === uint8) {
    const other = a === uint8 ? b : a;
    return other === int8 ? int16 : other;
  }
  return integerOrder.indexOf(a) >= integerOrder.indexOf(b) ? a : b;
}

/** c10's combine_categories: a higher-priority category wins unless the lower one is a float kind. */
function combineCategories(higher: DType | null, lower: DType | null): DType | null {
  if (higher === null) return lower;
  if (lower === null) return higher;
  if (higher.isComplex) return higher;
  if (lower.isComplex) {
    // Preserve the value type of `higher` if it is a floating type.
    if (higher.isFloatingPoint) return higher === float64 ? complex128 : complex64;
    return lower;
  }
  if (higher.isFloatingPoint) return higher;
  if (higher === bool || lower.isFloatingPoint) return promoteTypes(higher, lower);
  return higher;
}

/** One participant of type promotion: a tensor (its rank matters) or a Python number. */
export interface PromotionOperand {
  dtype: DType;
  /** 0 for 0-dim tensors; Python numbers are `wrapped`. */
  ndim: number;
  /** A Python scalar (torch wraps it in a 0-dim tensor flagged as a wrapped number). */
  wrapped?: boolean;
}

/**
 * `at::result_type`: dimensioned tensors decide first, then 0-dim tensors, then Python numbers,
 * and a lower-priority participant only matters when it brings a higher category
 * (int tensor + 2.5 -> float32, but uint8 tensor + 1000 -> uint8, float16 tensor + 2.5 -> float16).
 */
export function resultType(operands: readonly PromotionOperand[]): DType {
  let dimResult: DType | null = null;
  let zeroResult: DType | null = null;
  let wrappedResult: DType | null = null;
  for (const op of operands) {
    let current = op.dtype;
    if (op.wrapped) {
      // A wrapped Python float/complex counts as the default dtype, not as float64.
      if (current.isComplex) current = defaultComplexDType();
      else if (current.isFloatingPoint) current = defaultFloatDType();
    }
    if (op.wrapped) wrappedResult = wrappedResult ? promoteTypes(wrappedResult, current) : current;
    else if (op.ndim > 0) dimResult = dimResult ? promoteTypes(dimResult, current) : current;
    else zeroResult = zeroResult ? promoteTypes(zeroResult, current) : current;
  }
  return combineCategories(dimResult, combineCategories(zeroResult, wrappedResult)) ?? defaultFloatDType();
}

/** `torch.can_cast(from, to)`: whether an in-place op may write a `from` result into a `to` tensor. */
export function canCast(from: DType, to: DType): boolean {
  if (from.isComplex && !to.isComplex) return false;
  if (from.isFloatingPoint && isIntegral(to, false)) return false;
  if (from !== bool && to === bool) return false;
  return true;
}

/** The dtype unary float functions (exp, sin, sigmoid...) produce: integers become the default float. */
export function floatResultType(dtype: DType): DType {
  return isIntegral(dtype, true) ? defaultFloatDType() : dtype;
}

/** For complex `c`, its real counterpart (abs() of complex64 is float32). */
export function toRealType(dtype: DType): DType {
  if (dtype === complex64) return float32;
  if (dtype === complex128) return float64;
  return dtype;
}

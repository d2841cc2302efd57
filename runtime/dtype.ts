// torch.dtype values. One object per dtype so identity comparison (`x.dtype == torch.long`) works.
export class DType {
  readonly pyTypeName = 'dtype';
  constructor(
    /** torch's own name: `float32`, `int64`, ... */
    readonly name: string,
    readonly isFloatingPoint: boolean,
    readonly isComplex: boolean,
    readonly itemSize: number,
  ) {}
  pyRepr(): string { return `torch.${this.name}`; }
}

export const float32 = new DType('float32', true, false, 4);
export const float64 = new DType('float64', true, false, 8);
export const float16 = new DType('float16', true, false, 2);
export const bfloat16 = new DType('bfloat16', true, false, 2);
export const int64 = new DType('int64', false, false, 8);
export const int32 = new DType('int32', false, false, 4);
export const int16 = new DType('int16', false, false, 2);
export const int8 = new DType('int8', false, false, 1);
export const uint8 = new DType('uint8', false, false, 1);
export const bool = new DType('bool', false, false, 1);
export const complex64 = new DType('complex64', false, true, 8);

/** Every spelling torch accepts as an attribute (`torch.long` is `torch.int64`). */
export const dtypeAliases: Record<string, DType> = {
  float32, float: float32, float64, double: float64, float16, half: float16, bfloat16,
  int64, long: int64, int32, int: int32, int16, short: int16, int8, uint8, bool, complex64, cfloat: complex64,
};

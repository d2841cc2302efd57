// Elementwise torch functions and Tensor methods: math functions, arithmetic with `alpha`,
// comparisons, logical/bitwise ops, clamp, where, masked_fill, lerp/addcmul, activations and
// dropout as torch.* / torch._C._nn.* builtins, plus their in-place `_` forms.
import { Tensor } from '../../tensor.ts';
import { NeedsValuesError, runtimeError } from '../../python/index.ts';
import { canCast, isIntegral } from '../../dtype.ts';
import { formatShape } from '../../tensor.ts';
import {
  addcdiv, addcmul, binary, binaryInplace, clamp, clampInplace, lerp, maskedFill, maskedFillInplace, unary, unaryInplace, where,
} from '../../ops/elementwise.ts';
import { type Scalar, wrapScalar } from '../../ops/scalar.ts';
import { glu, prelu } from '../../ops/nn-ops.ts';
import type { ParsedArgs } from '../arg-parser.ts';
import { type Namespace, defNative, defNoArgs } from '../registry.ts';

const both: Namespace[] = ['torch', 'tensor'];
const input = (a: ParsedArgs): Tensor => a.tensor('input');

/** A Tensor-or-Scalar parameter as a tensor (Python numbers become wrapped numbers). */
export function operand(a: ParsedArgs, name: string): Tensor {
  const v = a.raw(name);
  return v instanceof Tensor ? v : wrapScalar(v as Scalar);
}
/** What runOpInplace checks, for in-place forms computed out of place. */
function checkInplaceResult(self: Tensor, out: Tensor): void {
  const same = out.ndim === self.ndim && out.shape.every((s, i) => s === self.shape[i]);
  if (!same) throw runtimeError(`output with shape ${formatShape(self.shape)} doesn't match the broadcast shape ${formatShape(out.shape)}`);
  if (!canCast(out.dtype, self.dtype)) {
    throw runtimeError(`result type ${out.dtype.scalarTypeName} can't be cast to the desired output type ${self.dtype.scalarTypeName}`);
  }
}
const optOperand = (a: ParsedArgs, name: string): Tensor | null => (a.raw(name) === null ? null : operand(a, name));

// ------------------------------------------------------------------ unary math

const unaryNames = [
  'exp', 'exp2', 'expm1', 'log', 'log2', 'log10', 'log1p', 'sqrt', 'rsqrt', 'sin', 'cos', 'tan', 'asin', 'acos', 'atan',
  'sinh', 'cosh', 'tanh', 'asinh', 'acosh', 'atanh', 'sigmoid', 'erf', 'erfc', 'erfinv', 'reciprocal', 'lgamma', 'digamma',
  'deg2rad', 'rad2deg', 'abs', 'neg', 'relu', 'floor', 'ceil', 'trunc', 'frac', 'sign', 'sgn', 'square', 'isnan', 'isinf',
  'isfinite', 'signbit', 'logical_not', 'bitwise_not', 'positive',
];
const aliases: Record<string, string> = { absolute: 'abs', negative: 'neg', arcsin: 'asin', arccos: 'acos', arctan: 'atan', fix: 'trunc' };

for (const name of [...unaryNames, ...Object.keys(aliases)]) {
  const op = unary[aliases[name] ?? name]!;
  defNative(both, name, (a) => op(input(a)));
  defNoArgs(name, (self) => op(self));
  const inplaceName = `${aliases[name] ?? name}`;
  defNative(['torch', 'tensor'], `${name}_`, (a) => unaryInplace(inplaceName, input(a)));
  defNoArgs(`${name}_`, (self) => unaryInplace(inplaceName, self));
}
defNative(both, 'round', (a) => unary.round!(input(a)));
defNoArgs('round', (self) => unary.round!(self));
defNative(both, 'logit', (a) => unary.logit!(input(a)));
defNative(both, 'nan_to_num', (a) => unary.nan_to_num!(input(a)));

// ------------------------------------------------------------------ binary arithmetic

/** add/sub with `alpha`: a float alpha is rejected for integer results, as in ATen. */
function withAlpha(kind: 'add' | 'sub', a: ParsedArgs, inplace: boolean): Tensor {
  const x = input(a);
  const y = operand(a, 'other');
  const alpha = a.has('alpha') ? a.scalar('alpha') : null;
  const op = kind === 'add' ? 'add' : 'sub';
  const out = inplace ? binaryInplace(op, x, y) : binary[op]!(x, y);
  if (alpha && alpha.kind === 'float' && isIntegral(out.dtype, true)) {
    throw runtimeError('For integral input tensors, argument alpha must not be a floating point number.');
  }
  return out;
}
defNative(both, 'add', (a) => withAlpha('add', a, false));
defNative(both, ['sub', 'subtract'], (a) => withAlpha('sub', a, false));
defNative('tensor', 'add_', (a) => withAlpha('add', a, true));
defNative('tensor', ['sub_', 'subtract_'], (a) => withAlpha('sub', a, true));

/** div with `rounding_mode`: None is true division, 'trunc'/'floor' keep integer dtypes. */
function divide(a: ParsedArgs, inplace: boolean): Tensor {
  const mode = a.has('rounding_mode') ? a.optString('rounding_mode') : null;
  if (mode !== null && mode !== 'trunc' && mode !== 'floor') {
    throw runtimeError(`div expected rounding_mode to be one of None, 'trunc', or 'floor' but found '${mode}'`);
  }
  const name = mode === null ? 'div' : mode === 'trunc' ? 'div_trunc' : 'div_floor';
  return inplace ? binaryInplace(name, input(a), operand(a, 'other')) : binary[name]!(input(a), operand(a, 'other'));
}
defNative(both, ['div', 'divide', 'true_divide'], (a) => divide(a, false));
defNative('tensor', ['div_', 'divide_', 'true_divide_'], (a) => divide(a, true));

const simpleBinary: Record<string, string> = {
  mul: 'mul', multiply: 'mul', floor_divide: 'div_floor', remainder: 'remainder', fmod: 'fmod', pow: 'pow',
  float_power: 'float_power', atan2: 'atan2', arctan2: 'atan2', hypot: 'hypot', copysign: 'copysign', maximum: 'maximum',
  minimum: 'minimum', fmax: 'fmax', fmin: 'fmin', eq: 'eq', ne: 'ne', not_equal: 'ne', lt: 'lt', less: 'lt', le: 'le',
  less_equal: 'le', gt: 'gt', greater: 'gt', ge: 'ge', greater_equal: 'ge', logical_and: 'logical_and',
  logical_or: 'logical_or', logical_xor: 'logical_xor', bitwise_and: 'bitwise_and', bitwise_or: 'bitwise_or',
  bitwise_xor: 'bitwise_xor', bitwise_left_shift: 'bitwise_left_shift', bitwise_right_shift: 'bitwise_right_shift',
};
for (const [name, op] of Object.entries(simpleBinary)) {
  defNative(both, name, (a) => {
    // pow(Scalar self, Tensor exponent) and friends: the number may come first.
    const x = operand(a, a.has('input') ? 'input' : 'self');
    const y = operand(a, a.has('other') ? 'other' : 'exponent');
    return binary[op]!(x, y);
  });
  defNative('tensor', `${name}_`, (a) => binaryInplace(op, input(a), operand(a, a.has('other') ? 'other' : 'exponent')));
}

// ------------------------------------------------------------------ ternary

defNative(both, ['clamp', 'clip'], (a) => clamp(input(a), optOperand(a, 'min'), optOperand(a, 'max')));
defNative('tensor', ['clamp_', 'clip_'], (a) => clampInplace(input(a), optOperand(a, 'min'), optOperand(a, 'max')));
defNative(both, 'clamp_min', (a) => clamp(input(a), operand(a, 'min'), null));
defNative(both, 'clamp_max', (a) => clamp(input(a), null, operand(a, 'max')));
defNative('tensor', 'clamp_min_', (a) => clampInplace(input(a), operand(a, 'min'), null));
defNative('tensor', 'clamp_max_', (a) => clampInplace(input(a), null, operand(a, 'max')));

defNative(both, 'where', (a) => {
  if (!a.has('other') && !a.has('input') && !a.has('self')) throw new NeedsValuesError('torch.where(condition) (its size depends on values)');
  const x = a.has('input') ? operand(a, 'input') : operand(a, 'self');
  return where(a.tensor('condition'), x, operand(a, 'other'));
});
defNative(both, 'masked_fill', (a) => maskedFill(input(a), a.tensor('mask'), operand(a, 'value')));
defNative('tensor', 'masked_fill_', (a) => maskedFillInplace(input(a), a.tensor('mask'), operand(a, 'value')));
defNative(both, 'lerp', (a) => lerp(input(a), a.tensor('end'), operand(a, 'weight')));
defNative(both, 'addcmul', (a) => addcmul(input(a), a.tensor('tensor1'), a.tensor('tensor2')));
defNative(both, 'addcdiv', (a) => addcdiv(input(a), a.tensor('tensor1'), a.tensor('tensor2')));
/** The in-place forms: the result must keep self's shape and dtype. */
const inplaceOf = (compute: (a: ParsedArgs) => Tensor) => (a: ParsedArgs): Tensor => {
  const self = input(a);
  const out = compute(a);
  checkInplaceResult(self, out);
  return self;
};
defNative('tensor', 'lerp_', inplaceOf((a) => lerp(input(a), a.tensor('end'), operand(a, 'weight'))));
defNative('tensor', 'addcmul_', inplaceOf((a) => addcmul(input(a), a.tensor('tensor1'), a.tensor('tensor2'))));
defNative('tensor', 'addcdiv_', inplaceOf((a) => addcdiv(input(a), a.tensor('tensor1'), a.tensor('tensor2'))));
defNative('tensor', 'round_', (a) => unaryInplace('round', input(a)));
defNative('torch', 'rsub', (a) => {
  const out = binary.sub!(operand(a, 'other'), input(a));
  const alpha = a.has('alpha') ? a.scalar('alpha') : null;
  if (alpha && alpha.kind === 'float' && isIntegral(out.dtype, true)) {
    throw runtimeError('For integral input tensors, argument alpha must not be a floating point number.');
  }
  return out;
});

// ------------------------------------------------------------------ activations and dropout

const activation = (op: string) => (a: ParsedArgs): Tensor => unary[op]!(input(a));
const activationInplace = (op: string) => (a: ParsedArgs): Tensor => unaryInplace(op, input(a));

defNative(['torch', 'nn'], 'gelu', (a) => {
  const approximate = a.has('approximate') ? a.string('approximate') : 'none';
  if (approximate !== 'none' && approximate !== 'tanh') throw runtimeError('approximate argument must be either none or tanh.');
  return unary.gelu!(input(a));
});
defNative('nn', 'gelu_', activationInplace('gelu'));
for (const [name, op] of [['silu', 'silu'], ['mish', 'mish'], ['elu', 'elu'], ['softplus', 'softplus'], ['leaky_relu', 'leaky_relu'],
  ['log_sigmoid', 'log_sigmoid'], ['hardswish', 'hardswish'], ['hardsigmoid', 'hardsigmoid'], ['softshrink', 'softshrink'],
  ['hardtanh', 'hardtanh'], ['relu6', 'hardtanh']] as const) {
  defNative('nn', name, activation(op));
  defNative('nn', `${name}_`, activationInplace(op));
}
defNative('nn', 'rrelu_with_noise', activation('leaky_relu'));
defNative('torch', ['selu', 'celu'], activation('elu'));
defNative('torch', ['selu_', 'celu_'], activationInplace('elu'));
defNative('torch', 'rrelu', activation('leaky_relu'));
defNative('torch', 'rrelu_', activationInplace('leaky_relu'));
defNative('torch', 'hardshrink', activation('hardshrink'));
defNative('tensor', 'hardshrink', activation('hardshrink'));
defNative('torch', 'threshold', activation('threshold'));
defNative('torch', 'threshold_', activationInplace('threshold'));
defNative('torch', 'relu_', activationInplace('relu'));
defNative('torch', ['sigmoid_', 'tanh_'], (a) => unaryInplace(a.signature.name.replace(/_$/, ''), input(a)));
defNative('nn', 'glu', (a) => glu(input(a), a.int('dim')));
defNative(['torch', 'tensor'], 'prelu', (a) => prelu(input(a), a.tensor('weight')));

const dropoutFn = (a: ParsedArgs): Tensor => unary.dropout!(input(a));
const dropoutInplace = (a: ParsedArgs): Tensor => unaryInplace('dropout', input(a));
defNative('torch', ['dropout', 'feature_dropout', 'alpha_dropout', 'feature_alpha_dropout'], dropoutFn);
defNative('torch', ['dropout_', 'feature_dropout_', 'alpha_dropout_', 'feature_alpha_dropout_'], dropoutInplace);


// Elementwise torch functions and Tensor methods: math functions, arithmetic with `alpha`,
// comparisons, logical/bitwise ops, clamp, where, masked_fill, lerp/addcmul, activations and
// dropout as torch.* / torch._C._nn.* builtins, plus their in-place `_` forms.
import { Tensor } from '../../tensor.ts';
import { NeedsValuesError, PyTuple, runtimeError } from '../../python/index.ts';
import { nonzero, select } from '../../ops/index-ops.ts';
import { canCast, isIntegral } from '../../dtype.ts';
import { formatShape } from '../../tensor.ts';
import {
  type UnaryAttrs, addcdiv, addcdivInplace, addcmul, addcmulInplace, binary, binaryInplace, clamp, clampInplace, lerp, lerpInplace, maskedFill,
  maskedFillInplace, unary, unaryInplace, where,
} from '../../ops/elementwise.ts';
import { type Scalar, wrapScalar } from '../../ops/scalar.ts';
import { create } from '../../ops/creation.ts';
import { writeInto } from '../../ops/registry.ts';
import { defaultGenerator } from '../random.ts';
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
/** A Scalar (or double) parameter's number, undefined when absent or unknown (kernels then use torch's default). */
function num(a: ParsedArgs, name: string): number | undefined {
  if (!a.has(name)) return undefined;
  const v = a.raw(name);
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  const s = v as Scalar;
  return s.value ?? undefined;
}

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
defNative(both, 'round', (a) => unary.round!(input(a), { decimals: num(a, 'decimals') }));
defNoArgs('round', (self) => unary.round!(self));
defNative(both, 'logit', (a) => unary.logit!(input(a), { eps: a.optFloat('eps') }));
const nanToNumAttrs = (a: ParsedArgs): UnaryAttrs => ({ nan: num(a, 'nan'), posinf: a.optFloat('posinf'), neginf: a.optFloat('neginf') });
defNative(both, 'nan_to_num', (a) => unary.nan_to_num!(input(a), nanToNumAttrs(a)));

// ------------------------------------------------------------------ binary arithmetic

/** add/sub with `alpha`: a float alpha is rejected for integer results, as in ATen. */
function withAlpha(kind: 'add' | 'sub', a: ParsedArgs, inplace: boolean): Tensor {
  const x = input(a);
  const y = operand(a, 'other');
  const alpha = a.has('alpha') ? a.scalar('alpha') : null;
  const op = kind === 'add' ? 'add' : 'sub';
  const attrs = { alpha: alpha?.value ?? 1 };
  const out = inplace ? binaryInplace(op, x, y, attrs) : binary[op]!(x, y, attrs);
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
  if (!a.has('other') && !a.has('input') && !a.has('self')) {
    // torch.where(condition) is nonzero(condition, as_tuple=True).
    const condition = a.tensor('condition');
    if (condition.device === 'meta') throw new NeedsValuesError('torch.where(condition) (its size depends on values)');
    const coords = nonzero(condition);
    return new PyTuple(Array.from({ length: Math.max(condition.ndim, 1) }, (_, d) => select(coords, 1, d)));
  }
  const x = a.has('input') ? operand(a, 'input') : operand(a, 'self');
  return where(a.tensor('condition'), x, operand(a, 'other'));
});
defNative(both, 'masked_fill', (a) => maskedFill(input(a), a.tensor('mask'), operand(a, 'value')));
defNative('tensor', 'masked_fill_', (a) => maskedFillInplace(input(a), a.tensor('mask'), operand(a, 'value')));
defNative(both, 'lerp', (a) => lerp(input(a), a.tensor('end'), operand(a, 'weight')));
defNative(both, 'addcmul', (a) => addcmul(input(a), a.tensor('tensor1'), a.tensor('tensor2'), num(a, 'value') ?? 1));
defNative(both, 'addcdiv', (a) => addcdiv(input(a), a.tensor('tensor1'), a.tensor('tensor2'), num(a, 'value') ?? 1));
/** The in-place forms: the result must keep self's shape and dtype (checked before writing). */
const inplaceOf = (compute: (a: ParsedArgs) => Tensor, write: (a: ParsedArgs) => Tensor) => (a: ParsedArgs): Tensor => {
  const self = input(a);
  const out = compute(a);
  checkInplaceResult(self, out);
  return self.device === 'meta' ? self : write(a);
};
defNative('tensor', 'lerp_', inplaceOf((a) => lerp(input(a), a.tensor('end'), operand(a, 'weight')),
  (a) => lerpInplace(input(a), a.tensor('end'), operand(a, 'weight'))));
defNative('tensor', 'addcmul_', inplaceOf((a) => addcmul(input(a), a.tensor('tensor1'), a.tensor('tensor2')),
  (a) => addcmulInplace(input(a), a.tensor('tensor1'), a.tensor('tensor2'), num(a, 'value') ?? 1)));
defNative('tensor', 'addcdiv_', inplaceOf((a) => addcdiv(input(a), a.tensor('tensor1'), a.tensor('tensor2')),
  (a) => addcdivInplace(input(a), a.tensor('tensor1'), a.tensor('tensor2'), num(a, 'value') ?? 1)));
defNative('tensor', 'round_', (a) => unaryInplace('round', input(a), { decimals: num(a, 'decimals') }));
defNative('torch', 'rsub', (a) => {
  const out = binary.sub!(operand(a, 'other'), input(a), { alpha: num(a, 'alpha') ?? 1 });
  const alpha = a.has('alpha') ? a.scalar('alpha') : null;
  if (alpha && alpha.kind === 'float' && isIntegral(out.dtype, true)) {
    throw runtimeError('For integral input tensors, argument alpha must not be a floating point number.');
  }
  return out;
});

// ------------------------------------------------------------------ activations and dropout

/** The numbers each activation builtin passes to its kernel (torch's parameter names). */
const activationAttrs: Record<string, (a: ParsedArgs) => UnaryAttrs> = {
  elu: (a) => ({ alpha: num(a, 'alpha'), scale: num(a, 'scale'), inputScale: num(a, 'input_scale') }),
  selu: () => ({ alpha: 1.6732632423543772, scale: 1.0507009873554805 }),
  celu: (a) => { const alpha = num(a, 'alpha') ?? 1; return { alpha, inputScale: 1 / alpha }; },
  softplus: (a) => ({ beta: num(a, 'beta'), threshold: num(a, 'threshold') }),
  leaky_relu: (a) => ({ negativeSlope: num(a, 'negative_slope') }),
  rrelu: (a) => {
    if (a.bool('training')) throw new NeedsValuesError('rrelu in training mode (random slopes)');
    return { negativeSlope: ((num(a, 'lower') ?? 0.125) + (num(a, 'upper') ?? 1 / 3)) / 2 };
  },
  hardtanh: (a) => ({ min: num(a, 'min_val'), max: num(a, 'max_val') }),
  relu6: () => ({ min: 0, max: 6 }),
  softshrink: (a) => ({ lambd: num(a, 'lambd') }),
  hardshrink: (a) => ({ lambd: num(a, 'lambd') }),
  threshold: (a) => ({ threshold: num(a, 'threshold'), value: num(a, 'value') }),
};
const attrsOf = (name: string, a: ParsedArgs): UnaryAttrs => activationAttrs[name.replace(/_$/, '')]?.(a) ?? {};
const activation = (op: string) => (a: ParsedArgs): Tensor => unary[op]!(input(a), attrsOf(a.signature.name, a));
const activationInplace = (op: string) => (a: ParsedArgs): Tensor => unaryInplace(op, input(a), attrsOf(a.signature.name, a));

defNative(['torch', 'nn'], 'gelu', (a) => {
  const approximate = a.has('approximate') ? a.string('approximate') : 'none';
  if (approximate !== 'none' && approximate !== 'tanh') throw runtimeError('approximate argument must be either none or tanh.');
  return unary.gelu!(input(a), { approximate });
});
defNative('nn', 'gelu_', (a) => unaryInplace('gelu', input(a), { approximate: a.has('approximate') ? a.string('approximate') as 'none' | 'tanh' : 'none' }));
for (const [name, op] of [['silu', 'silu'], ['mish', 'mish'], ['elu', 'elu'], ['softplus', 'softplus'], ['leaky_relu', 'leaky_relu'],
  ['log_sigmoid', 'log_sigmoid'], ['hardswish', 'hardswish'], ['hardsigmoid', 'hardsigmoid'], ['softshrink', 'softshrink'],
  ['hardtanh', 'hardtanh'], ['relu6', 'hardtanh']] as const) {
  defNative('nn', name, activation(op));
  defNative('nn', `${name}_`, activationInplace(op));
}
defNative('nn', 'rrelu_with_noise', (a) => {
  if (a.bool('training')) throw new NeedsValuesError('rrelu in training mode (random slopes)');
  return unary.leaky_relu!(input(a), { negativeSlope: ((num(a, 'lower') ?? 0.125) + (num(a, 'upper') ?? 1 / 3)) / 2 });
});
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

/** dropout and its variants: p and the mode (the kernel is the identity outside training). */
const dropoutAttrs = (a: ParsedArgs): UnaryAttrs => ({
  p: a.has('p') ? a.float('p') : 0.5, training: a.has('train') ? a.optBool('train') !== false : true,
  variant: a.signature.name.replace(/_$/, '') as UnaryAttrs['variant'],
});

/**
 * ATen's `_dropout_impl` on values: the identity when not training (or p == 0), `input * 0` for
 * p == 1, otherwise a bernoulli(1 - p) noise tensor drawn from the default generator (one value
 * per element, or per (N, C) channel for the feature variants), scaled by 1/(1 - p) — or, for
 * the alpha variants, `input * a·noise + b` keeping SELU's mean and variance.
 */
export function applyDropout(x: Tensor, attrs: UnaryAttrs): Tensor {
  const p = attrs.p ?? 0.5;
  const variant = attrs.variant ?? 'dropout';
  if (x.device === 'meta' || attrs.training === false || p === 0 || x.numel() === 0) return unary.dropout!(x, { ...attrs, training: false });
  if (p === 1) return binary.mul!(x, wrapScalar({ kind: 'int', value: 0 }));
  const feature = variant.startsWith('feature');
  const shape = feature ? x.shape.map((s, i) => (i < 2 ? s : 1)) : x.shape;
  let noise = create({ shape, dtype: x.dtype, fill: { kind: 'random', distribution: { kind: 'bernoulli', p: 1 - p }, generator: defaultGenerator() } });
  if (!variant.includes('alpha')) return binary.mul!(x, binary.div!(noise, wrapScalar({ kind: 'float', value: 1 - p })));
  const alpha = 1.7580993408473766;
  const a = 1 / Math.sqrt((alpha * alpha * p + 1) * (1 - p));
  const b = binary.add!(binary.mul!(binary.add!(noise, wrapScalar({ kind: 'int', value: -1 })), wrapScalar({ kind: 'float', value: alpha * a })),
    wrapScalar({ kind: 'float', value: alpha * a * p }));
  noise = binary.mul!(noise, wrapScalar({ kind: 'float', value: a }));
  return binary.add!(binary.mul!(x, noise), b);
}

const dropoutFn = (a: ParsedArgs): Tensor => applyDropout(input(a), dropoutAttrs(a));
const dropoutInplace = (a: ParsedArgs): Tensor => {
  const self = input(a);
  const attrs = dropoutAttrs(a);
  if (self.device === 'meta' || attrs.training === false) return unaryInplace('dropout', self, attrs);
  writeInto(self, applyDropout(self, attrs));
  return self;
};
defNative('torch', ['dropout', 'feature_dropout', 'alpha_dropout', 'feature_alpha_dropout'], dropoutFn);
defNative('torch', ['dropout_', 'feature_dropout_', 'alpha_dropout_', 'feature_alpha_dropout_'], dropoutInplace);

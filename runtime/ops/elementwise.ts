// Elementwise ops: shape = the inputs broadcast together, dtype = a per-op rule over PyTorch's
// type promotion. Unary float functions turn integer tensors into the default float dtype,
// comparisons produce bool, and ops without an integer (or bool) kernel raise the same
// "not implemented for 'Long'" error the CPU kernels do.
import {
  type DType, bool, float64, complex128, floatResultType, isIntegral, resultType, toRealType,
} from '../dtype.ts';
import { type Tensor } from '../tensor.ts';
import { runtimeError } from '../python/index.ts';
import { broadcastAll } from './broadcast.ts';
import { type OpDef, type TensorSpec, defineOp, runOp, runOpInplace } from './registry.ts';
import { wrappedScalar } from './scalar.ts';

// ------------------------------------------------------------------ dtype rules

/** How an op's output dtype follows from its (promoted) input dtype. */
export type DTypeRule =
  | 'same'    // promoted input dtype (add, relu, floor)
  | 'float'   // integers become the default float (exp, sigmoid, true division)
  | 'bool'    // comparisons, isnan, logical ops
  | 'real'    // complex becomes its real dtype (abs)
  | 'float64'; // float_power

function applyRule(rule: DTypeRule, promoted: DType): DType {
  switch (rule) {
    case 'same': return promoted;
    case 'float': return floatResultType(promoted);
    case 'bool': return bool;
    case 'real': return toRealType(promoted);
    case 'float64': return promoted.isComplex ? complex128 : float64;
  }
}

/** `"abs_cpu" not implemented for 'Bool'`: what a CPU kernel without this dtype says. */
export const notImplementedFor = (kernel: string, dtype: DType): Error =>
  runtimeError(`"${kernel}" not implemented for '${dtype.scalarTypeName}'`);

/** Which dtypes an op's kernels lack, by kernel name: rejects bool, or everything not integral, ... */
export type DTypeSupport = 'all' | 'no-bool' | 'integral' | 'floating' | 'no-complex';

function checkSupport(support: DTypeSupport, kernel: string, dtype: DType): void {
  const ok = support === 'all'
    || (support === 'no-bool' && dtype !== bool)
    || (support === 'integral' && isIntegral(dtype, true))
    || (support === 'floating' && (dtype.isFloatingPoint || dtype.isComplex))
    || (support === 'no-complex' && !dtype.isComplex);
  if (!ok) throw notImplementedFor(kernel, dtype);
}

// ------------------------------------------------------------------ unary

export interface UnaryOptions {
  rule?: DTypeRule;
  support?: DTypeSupport;
  /** The CPU kernel's name in "not implemented" errors (default `<op>_cpu`). */
  kernel?: string;
  /** An extra check with a specific message (neg on bool). */
  check?: (t: Tensor) => void;
  /** Whether results carry gradients (false for detach). */
  differentiable?: boolean;
}

/**
 * The numbers some unary ops compute with (they do not change shapes or dtypes): activation
 * parameters, rounding digits, dropout's probability. Absent fields take PyTorch's defaults.
 */
export interface UnaryAttrs {
  /** elu: negcoef = alpha * scale, poscoef = scale, negiptcoef = inputScale (selu/celu are elus). */
  alpha?: number;
  scale?: number;
  inputScale?: number;
  /** leaky_relu (and rrelu in eval mode). */
  negativeSlope?: number;
  /** softplus. */
  beta?: number;
  threshold?: number;
  /** threshold: the replacement value. */
  value?: number;
  /** hardtanh (relu6 is hardtanh(0, 6)). */
  min?: number;
  max?: number;
  /** softshrink / hardshrink. */
  lambd?: number;
  /** gelu. */
  approximate?: 'none' | 'tanh';
  /** logit's clamp. */
  eps?: number | null;
  /** nan_to_num. */
  nan?: number;
  posinf?: number | null;
  neginf?: number | null;
  /** round(decimals=). */
  decimals?: number;
  /** dropout family: probability, mode, variant. */
  p?: number;
  training?: boolean;
  variant?: 'dropout' | 'feature_dropout' | 'alpha_dropout' | 'feature_alpha_dropout';
}

export type UnaryFn = (t: Tensor, attrs?: UnaryAttrs) => Tensor;

/** Defines a shape-preserving unary op and returns the function that runs it. */
export function defineUnary(name: string, options: UnaryOptions = {}): UnaryFn {
  const rule = options.rule ?? 'same';
  const op = defineOp<UnaryAttrs>(name, ([t]) => {
    options.check?.(t!);
    checkSupport(options.support ?? 'all', options.kernel ?? `${name}_cpu`, t!.dtype);
    return { shape: t!.shape, dtype: applyRule(rule, t!.dtype) };
  }, { differentiable: options.differentiable ?? rule !== 'bool' });
  unaryOps.set(name, op);
  return (t, attrs = {}) => runOp(op, [t], attrs);
}

const unaryOps = new Map<string, OpDef<UnaryAttrs>>();

/** The in-place form (`x.exp_()`): the result must be castable back to `t`'s dtype. */
export function unaryInplace(name: string, t: Tensor, attrs: UnaryAttrs = {}): Tensor {
  const op = unaryOps.get(name);
  if (!op) throw new Error(`no unary op ${name}`);
  return runOpInplace(op, t, [t], attrs);
}

const negCheck = (t: Tensor): void => {
  if (t.dtype === bool) {
    throw runtimeError('Negation, the `-` operator, on a bool tensor is not supported. If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.');
  }
};

const floatFunctions = [
  'exp', 'exp2', 'expm1', 'log', 'log2', 'log10', 'log1p', 'sqrt', 'rsqrt', 'sin', 'cos', 'tan', 'asin', 'acos',
  'atan', 'sinh', 'cosh', 'tanh', 'asinh', 'acosh', 'atanh', 'sigmoid', 'erf', 'erfc', 'erfinv', 'reciprocal',
  'lgamma', 'digamma', 'deg2rad', 'rad2deg', 'logit', 'i0',
] as const;

export const unary: Record<string, UnaryFn> = {
  ...Object.fromEntries(floatFunctions.map((n) => [n, defineUnary(n, { rule: 'float' })])),
  abs: defineUnary('abs', { rule: 'real', support: 'no-bool' }),
  neg: defineUnary('neg', { check: negCheck }),
  relu: defineUnary('relu', { support: 'no-bool', kernel: 'clamp_min_scalar_cpu' }),
  floor: defineUnary('floor'),
  ceil: defineUnary('ceil'),
  round: defineUnary('round'),
  trunc: defineUnary('trunc'),
  frac: defineUnary('frac', { support: 'floating' }),
  sign: defineUnary('sign'),
  sgn: defineUnary('sgn'),
  square: defineUnary('square'),
  positive: defineUnary('positive'),
  isnan: defineUnary('isnan', { rule: 'bool' }),
  isinf: defineUnary('isinf', { rule: 'bool' }),
  isfinite: defineUnary('isfinite', { rule: 'bool' }),
  isneginf: defineUnary('isneginf', { rule: 'bool' }),
  isposinf: defineUnary('isposinf', { rule: 'bool' }),
  signbit: defineUnary('signbit', { rule: 'bool' }),
  logical_not: defineUnary('logical_not', { rule: 'bool' }),
  bitwise_not: defineUnary('bitwise_not', { support: 'integral' }),
  nan_to_num: defineUnary('nan_to_num'),
  // Activations with float-only CPU kernels keep the dtype.
  gelu: defineUnary('gelu', { support: 'floating', kernel: 'GeluKernelImpl' }),
  silu: defineUnary('silu', { support: 'floating' }),
  mish: defineUnary('mish', { support: 'floating' }),
  elu: defineUnary('elu', { support: 'floating' }),
  softplus: defineUnary('softplus', { support: 'floating' }),
  leaky_relu: defineUnary('leaky_relu', { support: 'floating' }),
  log_sigmoid: defineUnary('log_sigmoid', { support: 'floating' }),
  hardswish: defineUnary('hardswish', { support: 'floating' }),
  hardsigmoid: defineUnary('hardsigmoid', { support: 'floating' }),
  softshrink: defineUnary('softshrink', { support: 'floating' }),
  hardshrink: defineUnary('hardshrink', { support: 'floating' }),
  hardtanh: defineUnary('hardtanh', { support: 'no-bool', kernel: 'clamp_scalar_cpu' }),
  threshold: defineUnary('threshold', { support: 'no-bool' }),
  // Dropout in any mode keeps shape and dtype (values are the value tier's business).
  dropout: defineUnary('dropout'),
  // Copies and gradient-free views keep shape and dtype.
  clone: defineUnary('clone'),
  detach: defineUnary('detach', { differentiable: false }),
};

// ------------------------------------------------------------------ binary

export interface BinaryOptions {
  rule?: DTypeRule;
  support?: DTypeSupport;
  kernel?: string;
  /** Checks on the two input dtypes before promotion (sub on bools). */
  check?: (a: Tensor, b: Tensor) => void;
}

/** `alpha` of add/sub (`a + alpha * b`); absent means 1. */
export interface BinaryAttrs { alpha?: number }

export type BinaryFn = (a: Tensor, b: Tensor, attrs?: BinaryAttrs) => Tensor;

export interface BinarySpec { shape: number[]; promoted: DType }

/** Broadcast shape and promoted dtype of two operands (scalars are wrapped-number tensors). */
export function binarySpec(a: Tensor, b: Tensor): BinarySpec {
  const shape = broadcastAll([a.shape, b.shape]);
  const promoted = resultType([a, b].map((t) => ({ dtype: t.dtype, ndim: t.ndim, wrapped: t.isWrappedNumber })));
  return { shape, promoted };
}

const binaryOps = new Map<string, OpDef<BinaryAttrs>>();

export function defineBinary(name: string, options: BinaryOptions = {}): BinaryFn {
  const rule = options.rule ?? 'same';
  const op = defineOp<BinaryAttrs>(name, ([a, b]) => {
    options.check?.(a!, b!);
    const { shape, promoted } = binarySpec(a!, b!);
    checkSupport(options.support ?? 'all', options.kernel ?? `${name}_cpu`, promoted);
    return { shape, dtype: applyRule(rule, promoted) };
  }, { differentiable: rule !== 'bool' });
  binaryOps.set(name, op);
  return (a, b, attrs = {}) => runOp(op, [a, b], attrs);
}

/** `a.op_(b)`: b broadcasts to a's shape, and the result dtype must cast to a's dtype. */
export function binaryInplace(name: string, a: Tensor, b: Tensor, attrs: BinaryAttrs = {}): Tensor {
  const op = binaryOps.get(name);
  if (!op) throw new Error(`no binary op ${name}`);
  return runOpInplace(op, a, [a, b], attrs);
}

const subCheck = (a: Tensor, b: Tensor): void => {
  if (a.dtype === bool && b.dtype === bool) {
    throw runtimeError('Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` or `logical_xor()` operator instead.');
  }
  if (a.dtype === bool || b.dtype === bool) {
    throw runtimeError('Subtraction, the `-` operator, with a bool tensor is not supported. If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.');
  }
};

const powCheck = (a: Tensor, b: Tensor): void => {
  const exponent = wrappedScalar(b);
  if (isIntegral(a.dtype, true) && exponent && exponent.kind === 'int' && exponent.value !== null && exponent.value < 0) {
    throw runtimeError('Integers to negative integer powers are not allowed.');
  }
};

export const binary: Record<string, BinaryFn> = {
  add: defineBinary('add'),
  sub: defineBinary('sub', { check: subCheck }),
  mul: defineBinary('mul'),
  div: defineBinary('div', { rule: 'float' }),
  div_trunc: defineBinary('div_trunc', { kernel: 'div_trunc_cpu' }),
  div_floor: defineBinary('div_floor', { support: 'no-complex', kernel: 'div_floor_cpu' }),
  remainder: defineBinary('remainder', { support: 'no-complex' }),
  fmod: defineBinary('fmod', { support: 'no-complex' }),
  pow: defineBinary('pow', { check: powCheck }),
  float_power: defineBinary('float_power', { rule: 'float64' }),
  atan2: defineBinary('atan2', { rule: 'float' }),
  hypot: defineBinary('hypot', { rule: 'float' }),
  copysign: defineBinary('copysign', { rule: 'float' }),
  maximum: defineBinary('maximum'),
  minimum: defineBinary('minimum'),
  fmax: defineBinary('fmax'),
  fmin: defineBinary('fmin'),
  eq: defineBinary('eq', { rule: 'bool' }),
  ne: defineBinary('ne', { rule: 'bool' }),
  lt: defineBinary('lt', { rule: 'bool' }),
  le: defineBinary('le', { rule: 'bool' }),
  gt: defineBinary('gt', { rule: 'bool' }),
  ge: defineBinary('ge', { rule: 'bool' }),
  logical_and: defineBinary('logical_and', { rule: 'bool' }),
  logical_or: defineBinary('logical_or', { rule: 'bool' }),
  logical_xor: defineBinary('logical_xor', { rule: 'bool' }),
  bitwise_and: defineBinary('bitwise_and', { support: 'integral' }),
  bitwise_or: defineBinary('bitwise_or', { support: 'integral' }),
  bitwise_xor: defineBinary('bitwise_xor', { support: 'integral' }),
  bitwise_left_shift: defineBinary('bitwise_left_shift', { support: 'integral', kernel: 'lshift_cpu' }),
  bitwise_right_shift: defineBinary('bitwise_right_shift', { support: 'integral', kernel: 'rshift_cpu' }),
};

// ------------------------------------------------------------------ n-ary

/**
 * What n-ary kernels need besides their operands: addcmul/addcdiv's `value` (default 1) and
 * which of clamp's bounds are present (its inputs are [input, min?, max?]).
 */
export interface NaryAttrs { value?: number; hasMin?: boolean; hasMax?: boolean }

/** Broadcast shape and promoted dtype of any number of operands (clamp, addcmul, where's values). */
export function naryOp(name: string, rule: DTypeRule = 'same'): OpDef<NaryAttrs> {
  return defineOp<NaryAttrs>(name, (inputs) => {
    const shape = broadcastAll(inputs.map((t) => t.shape));
    const promoted = resultType(inputs.map((t) => ({ dtype: t.dtype, ndim: t.ndim, wrapped: t.isWrappedNumber })));
    return { shape, dtype: applyRule(rule, promoted) };
  });
}

const clampOp = naryOp('clamp');
const addcmulOp = naryOp('addcmul');
const addcdivOp = naryOp('addcdiv', 'float');
const lerpOp = naryOp('lerp');

/** `clamp(input, min, max)`: min/max are tensors or wrapped numbers; at least one is given. */
export function clamp(input: Tensor, min: Tensor | null, max: Tensor | null): Tensor {
  if (!min && !max) throw runtimeError("torch.clamp: At least one of 'min' or 'max' must not be None");
  return runOp(clampOp, [input, ...(min ? [min] : []), ...(max ? [max] : [])], { hasMin: min !== null, hasMax: max !== null });
}

export const addcmul = (input: Tensor, t1: Tensor, t2: Tensor, value = 1): Tensor => runOp(addcmulOp, [input, t1, t2], { value });
export const addcdiv = (input: Tensor, t1: Tensor, t2: Tensor, value = 1): Tensor => runOp(addcdivOp, [input, t1, t2], { value });
export const lerp = (start: Tensor, end: Tensor, weight: Tensor): Tensor => runOp(lerpOp, [start, end, weight], {});

/** addcmul_/addcdiv_/lerp_: the result must keep self's shape and cast to its dtype. */
export const addcmulInplace = (input: Tensor, t1: Tensor, t2: Tensor, value = 1): Tensor => runOpInplace(addcmulOp, input, [input, t1, t2], { value });
export const addcdivInplace = (input: Tensor, t1: Tensor, t2: Tensor, value = 1): Tensor => runOpInplace(addcdivOp, input, [input, t1, t2], { value });
export const lerpInplace = (start: Tensor, end: Tensor, weight: Tensor): Tensor => runOpInplace(lerpOp, start, [start, end, weight], {});

/** The n-ary ops' in-place forms (`clamp_`). */
export function clampInplace(input: Tensor, min: Tensor | null, max: Tensor | null): Tensor {
  if (!min && !max) throw runtimeError("torch.clamp: At least one of 'min' or 'max' must not be None");
  return runOpInplace(clampOp, input, [input, ...(min ? [min] : []), ...(max ? [max] : [])], { hasMin: min !== null, hasMax: max !== null });
}

const whereOp = defineOp<Record<string, never>>('where', ([cond, a, b]) => {
  if (cond!.dtype !== bool && cond!.dtype.name !== 'uint8') {
    throw runtimeError(`where expected condition to be a boolean tensor, but got a tensor with dtype ${cond!.dtype.scalarTypeName}`);
  }
  const shape = broadcastAll([cond!.shape, a!.shape, b!.shape]);
  const dtype = resultType([a!, b!].map((t) => ({ dtype: t.dtype, ndim: t.ndim, wrapped: t.isWrappedNumber })));
  return { shape, dtype };
});

export const where = (cond: Tensor, a: Tensor, b: Tensor): Tensor => runOp(whereOp, [cond, a, b], {});

// ------------------------------------------------------------------ masked_fill

function maskedFillSpec(self: Tensor, mask: Tensor, value: Tensor): TensorSpec {
  // Non-bool masks are accepted when all their values are 0 or 1: a value check the shape tier
  // leaves out, as PyTorch's own meta device does.
  if (value.ndim !== 0) {
    throw runtimeError(`masked_fill_ only supports a 0-dimensional value tensor, but got tensor with ${value.ndim} dimension(s).`);
  }
  return { shape: broadcastAll([mask.shape, self.shape]), dtype: self.dtype };
}

const maskedFillOp = defineOp<Record<string, never>>('masked_fill', ([self, mask, value]) => maskedFillSpec(self!, mask!, value!));

/** `masked_fill(self, mask, value)`: value is a 0-dim tensor or a wrapped number; output keeps self's dtype. */
export const maskedFill = (self: Tensor, mask: Tensor, value: Tensor): Tensor => runOp(maskedFillOp, [self, mask, value], {});
export const maskedFillInplace = (self: Tensor, mask: Tensor, value: Tensor): Tensor =>
  runOpInplace(maskedFillOp, self, [self, mask, value], {});

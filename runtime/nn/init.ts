// torch.nn.init: the TypeScript functions layers call from reset_parameters (in PyTorch's order,
// because on the value tier the order decides which random numbers each tensor gets), and the
// same functions as Python-callable builtins for `nn.init.kaiming_normal_(m.weight, ...)`.
// The bound formulas are evaluated in doubles exactly as torch/nn/init.py does; the fills
// themselves live in init-fill.ts.
import {
  BuiltinFunction, PyError, PyFloat, PyTuple, type PyValue, attributeError, bindArguments,
  float, pyStr, pyTypeName, sig, type Signature, toNumber, typeError, valueError,
} from '../python/index.ts';
import { Tensor } from '../tensor.ts';
import { pyEquals } from './py-helpers.ts';
import {
  constantFill, diracFill, eyeFill, normalFill, orthogonalFill, sparseFill, truncNormalFill, uniformFill,
} from './init-fill.ts';

/** The tensor argument, or the AttributeError Python raises when the first tensor method is looked up. */
function tensorArg(v: PyValue, firstMethod: string): Tensor {
  if (v instanceof Tensor) return v;
  throw attributeError(`'${pyTypeName(v)}' object has no attribute '${firstMethod}'`);
}

/** A float argument of a tensor method (`uniform_(): argument 'from' (position 1) must be float, not str`). */
function floatArg(v: PyValue, method: string, name: string, position: number): number {
  if (typeof v === 'number' || typeof v === 'boolean' || v instanceof PyFloat) return toNumber(v);
  throw typeError(`${method}(): argument '${name}' (position ${position}) must be float, not ${pyTypeName(v)}`);
}

/** A Python number used in init's own arithmetic; anything else fails as the arithmetic would. */
function num(v: PyValue, what: string): number {
  if (typeof v === 'number' || typeof v === 'boolean' || v instanceof PyFloat) return toNumber(v);
  throw typeError(`unsupported operand type(s) for ${what}: '${pyTypeName(v)}'`);
}

const linearFns = ['linear', 'conv1d', 'conv2d', 'conv3d', 'conv_transpose1d', 'conv_transpose2d', 'conv_transpose3d'];

/** `calculate_gain(nonlinearity, param=None)`: an int 1 for linear functions, else a float. */
export function calculateGain(nonlinearity: PyValue, param: PyValue = null): PyValue {
  if (linearFns.some((f) => pyEquals(nonlinearity, f)) || pyEquals(nonlinearity, 'sigmoid')) return 1;
  if (pyEquals(nonlinearity, 'tanh')) return float(5.0 / 3);
  if (pyEquals(nonlinearity, 'relu')) return float(Math.sqrt(2.0));
  if (pyEquals(nonlinearity, 'leaky_relu')) {
    let slope: number;
    if (param === null || param === undefined) slope = 0.01;
    else if (typeof param === 'number' || param instanceof PyFloat) slope = toNumber(param);
    else throw valueError(`negative_slope ${pyStr(param)} not a valid number`);
    return float(Math.sqrt(2.0 / (1 + slope ** 2)));
  }
  if (pyEquals(nonlinearity, 'selu')) return float(3.0 / 4);
  throw valueError(`Unsupported nonlinearity ${pyStr(nonlinearity)}`);
}

/** `_calculate_fan_in_and_fan_out(tensor)`. */
export function calculateFanInAndFanOut(tensorValue: PyValue): [number, number] {
  const t = tensorArg(tensorValue, 'dim');
  if (t.ndim < 2) throw valueError('Fan in and fan out can not be computed for tensor with fewer than 2 dimensions');
  const receptive = t.shape.slice(2).reduce((a, b) => a * b, 1);
  return [t.shape[1]! * receptive, t.shape[0]! * receptive];
}

/** `_calculate_correct_fan(tensor, mode)`. */
export function calculateCorrectFan(t: Tensor, modeValue: PyValue): number {
  if (typeof modeValue !== 'string') throw attributeError(`'${pyTypeName(modeValue)}' object has no attribute 'lower'`);
  const mode = modeValue.toLowerCase();
  if (mode !== 'fan_in' && mode !== 'fan_out') {
    throw valueError(`Mode ${mode} not supported, please use one of ['fan_in', 'fan_out']`);
  }
  const [fanIn, fanOut] = calculateFanInAndFanOut(t);
  return mode === 'fan_in' ? fanIn : fanOut;
}

export function uniform_(tensor: PyValue, a: PyValue = float(0), b: PyValue = float(1)): Tensor {
  const t = tensorArg(tensor, 'uniform_');
  return uniformFill(t, floatArg(a, 'uniform_', 'from', 1), floatArg(b, 'uniform_', 'to', 2));
}

export function normal_(tensor: PyValue, mean: PyValue = float(0), std: PyValue = float(1)): Tensor {
  const t = tensorArg(tensor, 'normal_');
  return normalFill(t, floatArg(mean, 'normal_', 'mean', 1), floatArg(std, 'normal_', 'std', 2));
}

export function truncNormal_(tensor: PyValue, mean: PyValue = float(0), std: PyValue = float(1), a: PyValue = float(-2), b: PyValue = float(2)): Tensor {
  const [m, s, lo, hi] = [num(mean, '-'), num(std, '*'), num(a, '-'), num(b, '-')];
  const t = tensorArg(tensor, 'uniform_');
  return truncNormalFill(t, m, s, lo, hi);
}

export function constant_(tensor: PyValue, val: PyValue): Tensor {
  return constantFill(tensorArg(tensor, 'fill_'), num(val, 'fill_'));
}
export const ones_ = (tensor: PyValue): Tensor => constantFill(tensorArg(tensor, 'fill_'), 1);
export const zeros_ = (tensor: PyValue): Tensor => constantFill(tensorArg(tensor, 'zero_'), 0);

export function eye_(tensor: PyValue): Tensor {
  const t = tensorArg(tensor, 'ndimension');
  if (t.ndim !== 2) throw valueError('Only tensors with 2 dimensions are supported');
  return eyeFill(t);
}

export function dirac_(tensor: PyValue, groups: PyValue = 1): Tensor {
  const t = tensorArg(tensor, 'ndimension');
  if (![3, 4, 5].includes(t.ndim)) throw valueError('Only tensors with 3, 4, or 5 dimensions are supported');
  const g = num(groups, '%');
  if (t.shape[0]! % g !== 0) throw valueError('dim 0 must be divisible by groups');
  return diracFill(t, g);
}

function xavierStd(t: Tensor, gain: PyValue): number {
  const [fanIn, fanOut] = calculateFanInAndFanOut(t);
  if (fanIn + fanOut === 0) throw new PyError('ZeroDivisionError', 'float division by zero');
  return num(gain, '*') * Math.sqrt(2.0 / (fanIn + fanOut));
}

export function xavierUniform_(tensor: PyValue, gain: PyValue = float(1)): Tensor {
  const t = tensorArg(tensor, 'dim');
  const a = Math.sqrt(3.0) * xavierStd(t, gain);
  return uniformFill(t, -a, a);
}

export function xavierNormal_(tensor: PyValue, gain: PyValue = float(1)): Tensor {
  const t = tensorArg(tensor, 'dim');
  return normalFill(t, 0, xavierStd(t, gain));
}

/** `std = gain / sqrt(fan)` of the kaiming initialisers, or null for zero-element tensors (a no-op). */
function kaimingStd(t: Tensor, a: PyValue, mode: PyValue, nonlinearity: PyValue): number | null {
  if (t.shape.includes(0)) return null; // torch warns "Initializing zero-element tensors is a no-op"
  const fan = calculateCorrectFan(t, mode);
  const gain = toNumber(calculateGain(nonlinearity, a));
  return gain / Math.sqrt(fan);
}

export function kaimingUniform_(tensor: PyValue, a: PyValue = 0, mode: PyValue = 'fan_in', nonlinearity: PyValue = 'leaky_relu'): Tensor {
  const t = tensorArg(tensor, 'shape');
  const std = kaimingStd(t, a, mode, nonlinearity);
  if (std === null) return t;
  const bound = Math.sqrt(3.0) * std;
  return uniformFill(t, -bound, bound);
}

export function kaimingNormal_(tensor: PyValue, a: PyValue = 0, mode: PyValue = 'fan_in', nonlinearity: PyValue = 'leaky_relu'): Tensor {
  const t = tensorArg(tensor, 'shape');
  const std = kaimingStd(t, a, mode, nonlinearity);
  if (std === null) return t;
  return normalFill(t, 0, std);
}

export function orthogonal_(tensor: PyValue, gain: PyValue = 1): Tensor {
  const t = tensorArg(tensor, 'ndimension');
  if (t.ndim < 2) throw valueError('Only tensors with 2 or more dimensions are supported');
  if (t.numel() === 0) return t;
  return orthogonalFill(t, num(gain, '*'));
}

export function sparse_(tensor: PyValue, sparsity: PyValue, std: PyValue = float(0.01)): Tensor {
  const t = tensorArg(tensor, 'ndimension');
  if (t.ndim !== 2) throw valueError('Only tensors with 2 dimensions are supported');
  const numZeros = Math.ceil(num(sparsity, '*') * t.shape[0]!);
  return sparseFill(t, numZeros, num(std, 'normal_'));
}

// ------------------------------------------------------------------ Python-visible table

function builtin(signature: Signature, impl: (a: Map<string, PyValue>) => PyValue): BuiltinFunction {
  return new BuiltinFunction(signature.qualname, (args, kwargs) => impl(bindArguments(signature, args, kwargs)));
}

const entries: [string, BuiltinFunction][] = [
  ['calculate_gain', builtin(sig('calculate_gain', ['nonlinearity', ['param', null]]), (a) => calculateGain(a.get('nonlinearity'), a.get('param')))],
  ['uniform_', builtin(sig('uniform_', ['tensor', ['a', float(0)], ['b', float(1)]]), (a) => uniform_(a.get('tensor'), a.get('a'), a.get('b')))],
  ['normal_', builtin(sig('normal_', ['tensor', ['mean', float(0)], ['std', float(1)]]), (a) => normal_(a.get('tensor'), a.get('mean'), a.get('std')))],
  ['trunc_normal_', builtin(sig('trunc_normal_', ['tensor', ['mean', float(0)], ['std', float(1)], ['a', float(-2)], ['b', float(2)]]),
    (a) => truncNormal_(a.get('tensor'), a.get('mean'), a.get('std'), a.get('a'), a.get('b')))],
  ['constant_', builtin(sig('constant_', ['tensor', 'val']), (a) => constant_(a.get('tensor'), a.get('val')))],
  ['ones_', builtin(sig('ones_', ['tensor']), (a) => ones_(a.get('tensor')))],
  ['zeros_', builtin(sig('zeros_', ['tensor']), (a) => zeros_(a.get('tensor')))],
  ['eye_', builtin(sig('eye_', ['tensor']), (a) => eye_(a.get('tensor')))],
  ['dirac_', builtin(sig('dirac_', ['tensor', ['groups', 1]]), (a) => dirac_(a.get('tensor'), a.get('groups')))],
  ['xavier_uniform_', builtin(sig('xavier_uniform_', ['tensor', ['gain', float(1)]]), (a) => xavierUniform_(a.get('tensor'), a.get('gain')))],
  ['xavier_normal_', builtin(sig('xavier_normal_', ['tensor', ['gain', float(1)]]), (a) => xavierNormal_(a.get('tensor'), a.get('gain')))],
  ['kaiming_uniform_', builtin(sig('kaiming_uniform_', ['tensor', ['a', 0], ['mode', 'fan_in'], ['nonlinearity', 'leaky_relu']]),
    (a) => kaimingUniform_(a.get('tensor'), a.get('a'), a.get('mode'), a.get('nonlinearity')))],
  ['kaiming_normal_', builtin(sig('kaiming_normal_', ['tensor', ['a', 0], ['mode', 'fan_in'], ['nonlinearity', 'leaky_relu']]),
    (a) => kaimingNormal_(a.get('tensor'), a.get('a'), a.get('mode'), a.get('nonlinearity')))],
  ['orthogonal_', builtin(sig('orthogonal_', ['tensor', ['gain', 1]]), (a) => orthogonal_(a.get('tensor'), a.get('gain')))],
  ['sparse_', builtin(sig('sparse_', ['tensor', 'sparsity', ['std', float(0.01)]]), (a) => sparse_(a.get('tensor'), a.get('sparsity'), a.get('std')))],
  ['_calculate_fan_in_and_fan_out', builtin(sig('_calculate_fan_in_and_fan_out', ['tensor']),
    (a) => new PyTuple(calculateFanInAndFanOut(a.get('tensor'))))],
  ['_calculate_correct_fan', builtin(sig('_calculate_correct_fan', ['tensor', 'mode']),
    (a) => calculateCorrectFan(tensorArg(a.get('tensor'), 'dim'), a.get('mode')))],
];

// The deprecated spellings without the trailing underscore (`nn.init.xavier_uniform`) warn and delegate.
const deprecated = ['uniform', 'normal', 'constant', 'eye', 'dirac', 'xavier_uniform', 'xavier_normal', 'kaiming_uniform',
  'kaiming_normal', 'orthogonal', 'sparse'];

/** `torch.nn.init` as a name → builtin table. */
export const nnInit: Map<string, BuiltinFunction> = new Map(entries);
for (const old of deprecated) {
  const target = nnInit.get(`${old}_`)!;
  nnInit.set(old, new BuiltinFunction(old, (args, kwargs, interop) => target.impl(args, kwargs, interop)));
}

// Elementwise kernels: unary math and activations, binary arithmetic/comparison/logical ops with
// broadcasting, where, masked_fill, clamp, addcmul/addcdiv/lerp, casts, tril/triu and the identity
// ops (clone, detach, eval-mode dropout), which share the input's storage: GPU storages are never
// written after they are produced, so sharing is safe.
//
// One generator covers them all. Each operand is read one of four ways, which is part of the
// pipeline key: `c` contiguous with the output's shape (index = output index), `s` broadcast
// (strides in the uniform block, 0 along broadcast dims, the output index decomposed by the
// output's shape), `o` a single GPU element, `u` a host scalar passed as a uniform (Python numbers
// in `x * 0.5`, which are never uploaded). Values are converted to the op's compute format
// (f32, i32 or u32) before the op and to the output's format after it.
import type { DType } from '../../dtype.ts';
import type { Tensor } from '../../tensor.ts';
import { getOp, registerKernel, type OpDef } from '../../ops/registry.ts';
import { binarySpec } from '../../ops/elementwise.ts';
import { resultType } from '../../dtype.ts';
import { gpuFormat, hostScalar } from '../../devices/webgpu-storage.ts';
import {
  type GpuFormat, KernelUnsupported, Params, attr, convert, dispatch, entryPoint, grid, input, mathPrelude, numAttr, output,
  paramsDecl, storageDecl, stridesOf,
} from './common.ts';

const WG = 64;

type Mode = 'c' | 's' | 'o' | 'u';

export interface ElementwiseSpec {
  /** Pipeline key part naming the computation (the op and its variant). */
  name: string;
  /** The computation on converted operand values `v0, v1, ...`; `a(j)` reads the j-th attribute. */
  body: (v: string[], a: (j: number) => string) => string;
  /** Format the operands are converted to (default: `compute`); per operand. */
  operandFormats?: (GpuFormat | null)[];
  compute: GpuFormat;
  /** Format of what `body` yields (default: `compute`). */
  result?: GpuFormat;
  /** Attribute values (f32 uniforms). */
  attrs?: number[];
  /** Extra WGSL functions the body uses. */
  prelude?: string;
}

/** Element formats of an operand as stored (host scalars: their dtype's format). */
function storedFormat(t: Tensor): GpuFormat {
  const f = gpuFormat(t.dtype);
  if (f !== null) return f;
  // A float64 Python number (wrapped) becomes a uniform; real float64 tensors have no GPU form.
  if (t.dtype.name === 'float64' && hostScalar(t) !== null) return 'f32';
  throw new KernelUnsupported(`${t.dtype.name} has no WGSL type`);
}

/** Encodes `out = body(operands)` over out's shape. */
export function runElementwise(operands: readonly Tensor[], out: Tensor, spec: ElementwiseSpec): void {
  const shape = out.shape;
  const rank = shape.length;
  const n = out.numel();
  const outFormat = gpuFormat(out.dtype);
  if (outFormat === null) throw new KernelUnsupported(`${out.dtype.name} output has no WGSL type`);
  const modes: Mode[] = operands.map((t) => {
    if (hostScalar(t) !== null) return 'u';
    if (t.numel() === 1) return 'o';
    const same = t.ndim === rank && t.shape.every((s, i) => s === shape[i]);
    return same ? 'c' : 's';
  });
  const formats = operands.map((t, i) => (modes[i] === 'u' ? spec.operandFormats?.[i] ?? spec.compute : storedFormat(t)));
  const targets = operands.map((_, i) => spec.operandFormats?.[i] ?? spec.compute);
  const result = spec.result ?? spec.compute;

  // Validate everything before creating any storage.
  const params = new Params().u32(n);
  const strided = modes.some((m) => m === 's');
  if (strided) params.u32(...shape);
  const strideBase: number[] = [];
  operands.forEach((t, i) => {
    if (modes[i] !== 's') return;
    strideBase[i] = params.length;
    const own = stridesOf(t.shape);
    const lead = rank - t.ndim;
    params.u32(...shape.map((_, d) => (d < lead || t.shape[d - lead] === 1 ? 0 : own[d - lead]!)));
  });
  const scalarBase: number[] = [];
  operands.forEach((t, i) => {
    if (modes[i] !== 'u') return;
    scalarBase[i] = params.length;
    params.value(targets[i]!, hostScalar(t)!);
  });
  const attrBase = params.length;
  params.f32(...(spec.attrs ?? []));

  const buffers = operands.map((t, i) => (modes[i] === 'u' ? null : input(t))).filter((b) => b !== null);
  const outStorage = output(out);
  if (n === 0) return;

  const key = `ew:${spec.name}:${rank}:${modes.join('')}:${formats.join(',')}>${targets.join(',')}:${result}>${outFormat}:${params.length}`;
  dispatch(key, () => {
    let decl = paramsDecl(params.length);
    let binding = 1;
    const names: string[] = [];
    operands.forEach((_, i) => {
      if (modes[i] === 'u') return;
      decl += storageDecl(binding++, `in${i}`, formats[i]!);
      names[i] = `in${i}`;
    });
    decl += storageDecl(binding, 'out', outFormat, true);
    let body = '  if (gid >= pu(0u)) { return; }\n';
    if (strided) {
      body += '  var rem = gid;\n';
      for (let d = rank - 1; d >= 0; d--) {
        body += `  let c${d} = rem % pu(${1 + d}u);\n`;
        if (d > 0) body += `  rem = rem / pu(${1 + d}u);\n`;
      }
    }
    const values = operands.map((_, i) => {
      const from = formats[i]!;
      const to = targets[i]!;
      switch (modes[i]) {
        case 'u': {
          const raw = to === 'f32' ? `pf(${scalarBase[i]}u)` : to === 'i32' ? `pi(${scalarBase[i]}u)` : `pu(${scalarBase[i]}u)`;
          return raw;
        }
        case 'o': return convert(`${names[i]}[0]`, from, to);
        case 'c': return convert(`${names[i]}[gid]`, from, to);
        default: {
          const terms = shape.map((_, d) => `c${d} * pu(${strideBase[i]! + d}u)`);
          return convert(`${names[i]}[${terms.join(' + ') || '0u'}]`, from, to);
        }
      }
    });
    values.forEach((v, i) => { body += `  let v${i} = ${v};\n`; });
    const expr = spec.body(values.map((_, i) => `v${i}`), (j) => `pf(${attrBase + j}u)`);
    body += `  out[gid] = ${convert(`(${expr})`, result, outFormat)};\n`;
    return `${decl}${mathPrelude}${spec.prelude ?? ''}${entryPoint(WG, body)}`;
  }, params, [...buffers, outStorage], grid(n, WG));
}

// ------------------------------------------------------------------ unary

type Body = (x: string, a: (j: number) => string) => string;
interface UnaryDef {
  f32?: Body;
  i32?: Body;
  u32?: Body;
  /** Output is bool (computed on the input's own format). */
  bool?: boolean;
  /** Attribute values read from the op's attrs, with torch's defaults. */
  attrs?: (attrs: unknown) => number[];
}

const unaryDefs: Record<string, UnaryDef> = {
  exp: { f32: (x) => `exp(${x})` },
  exp2: { f32: (x) => `exp2(${x})` },
  expm1: { f32: (x) => `nn_expm1(${x})` },
  log: { f32: (x) => `nn_log(${x})` },
  log2: { f32: (x) => `nn_log(${x}) * 1.4426950408889634` },
  log10: { f32: (x) => `nn_log(${x}) * 0.4342944819032518` },
  log1p: { f32: (x) => `select(nn_log1p(${x}), nn_nan(), ${x} < -1.0)` },
  sqrt: { f32: (x) => `select(sqrt(${x}), nn_nan(), ${x} < 0.0)` },
  rsqrt: { f32: (x) => `select(1.0 / sqrt(${x}), nn_nan(), ${x} < 0.0)` },
  sin: { f32: (x) => `nn_sincos(${x}).x` },
  cos: { f32: (x) => `nn_sincos(${x}).y` },
  tan: { f32: (x) => `nn_sincos(${x}).x / nn_sincos(${x}).y` },
  // Through atan2: software adapters' asin/acos lose precision near ±1.
  asin: { f32: (x) => `select(atan2(${x}, sqrt((1.0 - ${x}) * (1.0 + ${x}))), nn_nan(), !(abs(${x}) <= 1.0))` },
  acos: { f32: (x) => `select(atan2(sqrt((1.0 - ${x}) * (1.0 + ${x})), ${x}), nn_nan(), !(abs(${x}) <= 1.0))` },
  atan: { f32: (x) => `atan(${x})` },
  sinh: { f32: (x) => `select(sinh(${x}), ${x}, abs(${x}) < 1e-4)` },
  cosh: { f32: (x) => `cosh(${x})` },
  tanh: { f32: (x) => `nn_tanh(${x})` },
  asinh: { f32: (x) => `select(sign(${x}) * log(abs(${x}) + sqrt(${x} * ${x} + 1.0)), ${x}, abs(${x}) < 1e-4)` },
  acosh: { f32: (x) => `select(log(${x} + sqrt(${x} * ${x} - 1.0)), nn_nan(), ${x} < 1.0)` },
  atanh: { f32: (x) => `select(0.5 * log((1.0 + ${x}) / (1.0 - ${x})), ${x}, abs(${x}) < 1e-4)` },
  sigmoid: { f32: (x) => `nn_sigmoid(${x})` },
  erf: { f32: (x) => `nn_erf(${x})` },
  erfc: { f32: (x) => `nn_erfc(${x})` },
  reciprocal: { f32: (x) => `1.0 / ${x}` },
  deg2rad: { f32: (x) => `${x} * 0.017453292519943295` },
  rad2deg: { f32: (x) => `${x} * 57.29577951308232` },
  logit: { f32: (x, a) => `log(select(${x}, clamp(${x}, ${a(0)}, 1.0 - ${a(0)}), ${a(0)} >= 0.0) / (1.0 - select(${x}, clamp(${x}, ${a(0)}, 1.0 - ${a(0)}), ${a(0)} >= 0.0)))`,
    attrs: (at) => [numAttr(at, ['eps'], -1)] },
  abs: { f32: (x) => `abs(${x})`, i32: (x) => `abs(${x})`, u32: (x) => x },
  neg: { f32: (x) => `-${x}`, i32: (x) => `-${x}` },
  relu: { f32: (x) => `select(${x}, 0.0, ${x} < 0.0)`, i32: (x) => `max(${x}, 0i)`, u32: (x) => x },
  floor: { f32: (x) => `floor(${x})`, i32: (x) => x, u32: (x) => x },
  ceil: { f32: (x) => `ceil(${x})`, i32: (x) => x, u32: (x) => x },
  round: { f32: (x, a) => `select(round(${x}), round(${x} * ${a(0)}) / ${a(0)}, ${a(0)} != 1.0)`, i32: (x) => x, u32: (x) => x,
    attrs: (at) => [10 ** numAttr(at, ['decimals'], 0)] },
  trunc: { f32: (x) => `trunc(${x})`, i32: (x) => x, u32: (x) => x },
  frac: { f32: (x) => `${x} - trunc(${x})` },
  sign: { f32: (x) => `sign(${x})`, i32: (x) => `sign(${x})`, u32: (x) => `min(${x}, 1u)` },
  sgn: { f32: (x) => `sign(${x})`, i32: (x) => `sign(${x})`, u32: (x) => `min(${x}, 1u)` },
  square: { f32: (x) => `${x} * ${x}`, i32: (x) => `${x} * ${x}` },
  isnan: { bool: true, f32: (x) => `select(0u, 1u, nn_isnan(${x}))`, i32: () => '0u', u32: () => '0u' },
  isinf: { bool: true, f32: (x) => `select(0u, 1u, nn_isinf(${x}))`, i32: () => '0u', u32: () => '0u' },
  isfinite: { bool: true, f32: (x) => `select(1u, 0u, nn_isinf(${x}) || nn_isnan(${x}))`, i32: () => '1u', u32: () => '1u' },
  isposinf: { bool: true, f32: (x) => `select(0u, 1u, nn_isinf(${x}) && ${x} > 0.0)`, i32: () => '0u', u32: () => '0u' },
  isneginf: { bool: true, f32: (x) => `select(0u, 1u, nn_isinf(${x}) && ${x} < 0.0)`, i32: () => '0u', u32: () => '0u' },
  signbit: { bool: true, f32: (x) => `bitcast<u32>(${x}) >> 31u`, i32: (x) => `select(0u, 1u, ${x} < 0i)`, u32: () => '0u' },
  logical_not: { bool: true, f32: (x) => `select(0u, 1u, ${x} == 0.0)`, i32: (x) => `select(0u, 1u, ${x} == 0i)`, u32: (x) => `select(0u, 1u, ${x} == 0u)` },
  bitwise_not: { i32: (x) => `~${x}`, u32: (x) => `1u - min(${x}, 1u)` },
  gelu: { f32: (x, a) => `select(0.5 * ${x} * (1.0 + nn_erf(${x} * 0.7071067811865476)), 0.5 * ${x} * (1.0 + nn_tanh(0.7978845608028654 * (${x} + 0.044715 * ${x} * ${x} * ${x}))), ${a(0)} != 0.0)`,
    attrs: (at) => [attr<string>(at, ['approximate'], 'none') === 'tanh' ? 1 : 0] },
  silu: { f32: (x) => `${x} / (1.0 + exp(-${x}))` },
  mish: { f32: (x) => `${x} * nn_tanh(nn_softplus(${x}, 1.0, 20.0))` },
  elu: { f32: (x, a) => `select(${a(1)} * ${a(0)} * nn_expm1(${x} * ${a(2)}), ${a(1)} * ${x}, ${x} > 0.0)`,
    attrs: (at) => [numAttr(at, ['alpha'], 1), numAttr(at, ['scale'], 1), numAttr(at, ['inputScale', 'input_scale'], 1)] },
  softplus: { f32: (x, a) => `nn_softplus(${x}, ${a(0)}, ${a(1)})`, attrs: (at) => [numAttr(at, ['beta'], 1), numAttr(at, ['threshold'], 20)] },
  leaky_relu: { f32: (x, a) => `select(${x} * ${a(0)}, ${x}, ${x} > 0.0)`, attrs: (at) => [numAttr(at, ['negativeSlope', 'negative_slope', 'slope'], 0.01)] },
  log_sigmoid: { f32: (x) => `min(${x}, 0.0) - nn_log1p(exp(-abs(${x})))` },
  hardswish: { f32: (x) => `${x} * clamp(${x} + 3.0, 0.0, 6.0) / 6.0` },
  hardsigmoid: { f32: (x) => `clamp(${x} + 3.0, 0.0, 6.0) / 6.0` },
  softshrink: { f32: (x, a) => `select(select(0.0, ${x} + ${a(0)}, ${x} < -${a(0)}), ${x} - ${a(0)}, ${x} > ${a(0)})`, attrs: (at) => [numAttr(at, ['lambd', 'lambda'], 0.5)] },
  hardshrink: { f32: (x, a) => `select(0.0, ${x}, abs(${x}) > ${a(0)})`, attrs: (at) => [numAttr(at, ['lambd', 'lambda'], 0.5)] },
  hardtanh: { f32: (x, a) => `min(max(${x}, ${a(0)}), ${a(1)})`, i32: (x, a) => `min(max(${x}, i32(${a(0)})), i32(${a(1)}))`,
    attrs: (at) => [numAttr(at, ['minVal', 'min_val', 'min'], -1), numAttr(at, ['maxVal', 'max_val', 'max'], 1)] },
  threshold: { f32: (x, a) => `select(${a(1)}, ${x}, ${x} > ${a(0)})`, i32: (x, a) => `select(i32(${a(1)}), ${x}, f32(${x}) > ${a(0)})`,
    attrs: (at) => [numAttr(at, ['threshold'], 0), numAttr(at, ['value'], 0)] },
};

/** Ops whose result is their input: the output shares the input's storage. */
const identityOps = ['clone', 'detach', 'positive', 'contiguous', 'alias'];

/** Runs an identity op: shares GPU storage, copies host values (host arrays may be written in place). */
export function shareValues(x: Tensor, out: Tensor): void {
  if (x.dtype !== out.dtype) throw new KernelUnsupported('identity op with a dtype change');
  if (x.gpu) { out.gpu = x.gpu; out.data = null; return; }
  if (x.data) { out.gpu = input(x); out.data = null; return; }
  throw new Error('identity op on a tensor without values');
}

function unaryKernel(name: string, def: UnaryDef) {
  return (inputs: readonly Tensor[], attrs: unknown, outputs: Tensor[]): void => {
    const x = inputs[0]!;
    const out = outputs[0]!;
    const inFormat = storedFormat(x);
    const outFormat = gpuFormat(out.dtype);
    if (outFormat === null) throw new KernelUnsupported(`${out.dtype.name} output`);
    if (x.dtype.name === 'float64' || x.dtype.name === 'float16' || x.dtype.name === 'bfloat16') throw new KernelUnsupported(`${x.dtype.name} input`);
    // Float results compute in f32; same-dtype integer ops in the integer format; bool tests on the input's.
    const compute: GpuFormat = def.bool ? inFormat : outFormat;
    const fn = def[compute];
    if (!fn) throw new KernelUnsupported(`no ${compute} form of ${name} for ${x.dtype.name}`);
    runElementwise([x], out, {
      name, compute, result: def.bool ? 'u32' : compute,
      body: (v, a) => fn(v[0]!, a), attrs: def.attrs?.(attrs) ?? [],
    });
  };
}

// ------------------------------------------------------------------ binary

type Bin = (a: string, b: string) => string;
interface BinaryDef { f32?: Bin; i32?: Bin; u32?: Bin; bool?: boolean; uint8?: Bin; boolArith?: Bin }

const cmp = (o: string): BinaryDef => ({ bool: true, f32: (a, b) => `select(0u, 1u, ${a} ${o} ${b})`, i32: (a, b) => `select(0u, 1u, ${a} ${o} ${b})`, u32: (a, b) => `select(0u, 1u, ${a} ${o} ${b})` });
const logical = (o: string): BinaryDef => {
  const f = (zero: string): Bin => (a, b) => `select(0u, 1u, (${a} != ${zero}) ${o} (${b} != ${zero}))`;
  return { bool: true, f32: f('0.0'), i32: f('0i'), u32: f('0u') };
};

const binaryDefs: Record<string, BinaryDef> = {
  add: { f32: (a, b) => `${a} + ${b}`, i32: (a, b) => `${a} + ${b}`, uint8: (a, b) => `(${a} + ${b}) & 255u`, boolArith: (a, b) => `${a} | ${b}` },
  sub: { f32: (a, b) => `${a} - ${b}`, i32: (a, b) => `${a} - ${b}`, uint8: (a, b) => `(${a} - ${b}) & 255u` },
  mul: { f32: (a, b) => `${a} * ${b}`, i32: (a, b) => `${a} * ${b}`, uint8: (a, b) => `(${a} * ${b}) & 255u`, boolArith: (a, b) => `${a} & ${b}` },
  div: { f32: (a, b) => `${a} / ${b}` },
  div_trunc: { f32: (a, b) => `trunc(${a} / ${b})`, i32: (a, b) => `${a} / ${b}` },
  div_floor: { f32: (a, b) => `floor(${a} / ${b})`, i32: (a, b) => `(${a} / ${b}) - select(0i, 1i, (${a} % ${b} != 0i) && ((${a} < 0i) != (${b} < 0i)))` },
  remainder: {
    f32: (a, b) => `${a} - floor(${a} / ${b}) * ${b}`,
    i32: (a, b) => `(${a} % ${b}) + select(0i, ${b}, (${a} % ${b} != 0i) && ((${a} % ${b} < 0i) != (${b} < 0i)))`,
  },
  fmod: { f32: (a, b) => `${a} - trunc(${a} / ${b}) * ${b}`, i32: (a, b) => `${a} % ${b}` },
  pow: { f32: (a, b) => `nn_pow(${a}, ${b})`, i32: (a, b) => `nn_ipow(${a}, ${b})` },
  atan2: { f32: (a, b) => `atan2(${a}, ${b})` },
  hypot: { f32: (a, b) => `sqrt(${a} * ${a} + ${b} * ${b})` },
  copysign: { f32: (a, b) => `bitcast<f32>((bitcast<u32>(${a}) & 0x7fffffffu) | (bitcast<u32>(${b}) & 0x80000000u))` },
  maximum: { f32: (a, b) => `select(max(${a}, ${b}), nn_nan(), nn_isnan(${a}) || nn_isnan(${b}))`, i32: (a, b) => `max(${a}, ${b})`, u32: (a, b) => `max(${a}, ${b})` },
  minimum: { f32: (a, b) => `select(min(${a}, ${b}), nn_nan(), nn_isnan(${a}) || nn_isnan(${b}))`, i32: (a, b) => `min(${a}, ${b})`, u32: (a, b) => `min(${a}, ${b})` },
  fmax: { f32: (a, b) => `select(select(max(${a}, ${b}), ${a}, nn_isnan(${b})), ${b}, nn_isnan(${a}))`, i32: (a, b) => `max(${a}, ${b})`, u32: (a, b) => `max(${a}, ${b})` },
  fmin: { f32: (a, b) => `select(select(min(${a}, ${b}), ${a}, nn_isnan(${b})), ${b}, nn_isnan(${a}))`, i32: (a, b) => `min(${a}, ${b})`, u32: (a, b) => `min(${a}, ${b})` },
  eq: cmp('=='), ne: cmp('!='), lt: cmp('<'), le: cmp('<='), gt: cmp('>'), ge: cmp('>='),
  logical_and: logical('&&'), logical_or: logical('||'), logical_xor: logical('!='),
  bitwise_and: { i32: (a, b) => `${a} & ${b}`, u32: (a, b) => `${a} & ${b}` },
  bitwise_or: { i32: (a, b) => `${a} | ${b}`, u32: (a, b) => `${a} | ${b}` },
  bitwise_xor: { i32: (a, b) => `${a} ^ ${b}`, u32: (a, b) => `${a} ^ ${b}` },
  bitwise_left_shift: { i32: (a, b) => `${a} << u32(${b})` },
  bitwise_right_shift: { i32: (a, b) => `${a} >> u32(${b})` },
};

function promotedOf(inputs: readonly Tensor[]): DType {
  if (inputs.length === 2) return binarySpec(inputs[0]!, inputs[1]!).promoted;
  return resultType(inputs.map((t) => ({ dtype: t.dtype, ndim: t.ndim, wrapped: t.isWrappedNumber })));
}

function computeFormatOf(dtype: DType): GpuFormat {
  const f = gpuFormat(dtype);
  if (f === null) throw new KernelUnsupported(`${dtype.name} compute type`);
  return f;
}

function binaryKernel(name: string, def: BinaryDef) {
  return (inputs: readonly Tensor[], attrs: unknown, outputs: Tensor[]): void => {
    const out = outputs[0]!;
    const promoted = promotedOf(inputs);
    const compute = computeFormatOf(def.bool ? promoted : out.dtype);
    let fn: Bin | undefined = def[compute];
    if (compute === 'u32' && !def.bool) fn = out.dtype.name === 'bool' ? def.boolArith ?? def.u32 : def.uint8 ?? def.u32;
    if (!fn) throw new KernelUnsupported(`no ${compute} form of ${name} for ${out.dtype.name}`);
    // add/sub with alpha (when the op carries it): b scaled first.
    const alpha = numAttr(attrs, ['alpha'], 1);
    if (alpha !== 1 && (name === 'add' || name === 'sub')) {
      if (compute !== 'f32') throw new KernelUnsupported('integer add with alpha');
      runElementwise(inputs, out, { name: `${name}_alpha`, compute, body: (v, a) => fn!(v[0]!, `(${v[1]} * ${a(0)})`), attrs: [alpha] });
      return;
    }
    // The body differs for bool and uint8 results in the same u32 format: part of the key.
    const variant = compute === 'u32' && !def.bool ? `:${out.dtype.name}` : '';
    runElementwise(inputs, out, { name: `${name}${variant}`, compute, result: def.bool ? 'u32' : compute, body: (v) => fn!(v[0]!, v[1]!) });
  };
}

// ------------------------------------------------------------------ n-ary

function whereKernel(inputs: readonly Tensor[], _attrs: unknown, outputs: Tensor[]): void {
  const out = outputs[0]!;
  const compute = computeFormatOf(out.dtype);
  runElementwise(inputs, out, { name: 'where', compute, operandFormats: ['u32', compute, compute], body: (v) => `select(${v[2]}, ${v[1]}, ${v[0]} != 0u)` });
}

function maskedFillKernel(inputs: readonly Tensor[], _attrs: unknown, outputs: Tensor[]): void {
  const out = outputs[0]!;
  const [self, mask, value] = inputs;
  if (mask!.dtype.name !== 'bool') throw new KernelUnsupported(`masked_fill with a ${mask!.dtype.name} mask (values must be checked)`);
  const compute = computeFormatOf(out.dtype);
  runElementwise([self!, mask!, value!], out, { name: 'masked_fill', compute, operandFormats: [compute, 'u32', compute], body: (v) => `select(${v[0]}, ${v[2]}, ${v[1]} != 0u)` });
}

function clampKernel(inputs: readonly Tensor[], attrs: unknown, outputs: Tensor[]): void {
  const out = outputs[0]!;
  const compute = computeFormatOf(out.dtype);
  let hasMin: boolean;
  let hasMax: boolean;
  if (inputs.length === 3) { hasMin = true; hasMax = true; } else {
    const min = attr<boolean | undefined>(attrs, ['hasMin'], undefined);
    const max = attr<boolean | undefined>(attrs, ['hasMax'], undefined);
    if (min === undefined && max === undefined) throw new KernelUnsupported('clamp with one bound (the op does not say which)');
    hasMin = min ?? !max;
    hasMax = max ?? !min;
  }
  const nan = compute === 'f32';
  runElementwise(inputs, out, {
    name: `clamp${hasMin ? 'L' : ''}${hasMax ? 'H' : ''}`, compute,
    body: (v) => {
      let e = v[0]!;
      let k = 1;
      if (hasMin) e = `max(${e}, ${v[k++]})`;
      if (hasMax) e = `min(${e}, ${v[k]})`;
      return nan ? `select(${e}, ${v[0]}, nn_isnan(${v[0]}))` : e;
    },
  });
}

const ternary = (name: string, body: (v: string[], a: (j: number) => string) => string, attrs: (a: unknown) => number[]) =>
  (inputs: readonly Tensor[], at: unknown, outputs: Tensor[]): void => {
    const out = outputs[0]!;
    const compute = computeFormatOf(out.dtype);
    if (compute !== 'f32') throw new KernelUnsupported(`${name} on ${out.dtype.name}`);
    runElementwise(inputs, out, { name, compute, body, attrs: attrs(at) });
  };

// ------------------------------------------------------------------ cast, tril/triu

function castKernel(inputs: readonly Tensor[], _attrs: unknown, outputs: Tensor[]): void {
  const x = inputs[0]!;
  const out = outputs[0]!;
  if (x.dtype === out.dtype) { shareValues(x, out); return; }
  const from = storedFormat(x);
  const to = computeFormatOf(out.dtype);
  const target = out.dtype.name;
  const body = (v: string[]): string => {
    const c = convert(v[0]!, from, to === 'u32' && target === 'uint8' ? 'i32' : to);
    if (target === 'uint8') return from === 'u32' ? v[0]! : `u32(${c}) & 255u`;
    if (target === 'int8') return `(${c} << 24u) >> 24u`;
    if (target === 'int16') return `(${c} << 16u) >> 16u`;
    return c;
  };
  runElementwise([x], out, { name: `cast_${target}`, compute: from, result: to, body });
}

function triangularKernel(lower: boolean) {
  return (inputs: readonly Tensor[], attrs: unknown, outputs: Tensor[]): void => {
    const x = inputs[0]!;
    const out = outputs[0]!;
    const format = storedFormat(x);
    const rows = x.shape[x.ndim - 2]!;
    const cols = x.shape[x.ndim - 1]!;
    const diagonal = numAttr(attrs, ['diagonal'], 0);
    const n = out.numel();
    const params = new Params().u32(n, rows, cols).i32(diagonal);
    const src = input(x);
    const dst = output(out);
    if (n === 0) return;
    const zero = format === 'f32' ? '0.0' : format === 'i32' ? '0i' : '0u';
    const keep = lower ? 'c - r <= pi(3u)' : 'c - r >= pi(3u)';
    dispatch(`tri:${lower}:${format}`, () => `${paramsDecl(4)}${storageDecl(1, 'x', format)}${storageDecl(2, 'out', format, true)}${entryPoint(WG, `
  if (gid >= pu(0u)) { return; }
  let c = i32(gid % pu(2u));
  let r = i32((gid / pu(2u)) % pu(1u));
  out[gid] = select(${zero}, x[gid], ${keep});`)}`, params, [src, dst], grid(n, WG));
  };
}

// ------------------------------------------------------------------ prelu, glu

/** prelu: x > 0 ? x : w[c] * x, with c the channel (dim 1) or one shared weight. */
function preluKernel(inputs: readonly Tensor[], _attrs: unknown, outputs: Tensor[]): void {
  const [x, w] = inputs;
  const out = outputs[0]!;
  if (x!.dtype.name !== 'float32' || w!.dtype.name !== 'float32') throw new KernelUnsupported('prelu on non-float32');
  const channels = w!.numel();
  const inner = x!.ndim >= 2 ? x!.shape.slice(2).reduce((a, b) => a * b, 1) : 1;
  const n = out.numel();
  const params = new Params().u32(n, inner, channels);
  const buffers = [input(x!), input(w!), output(out)];
  if (n === 0) return;
  dispatch('prelu', () => `${paramsDecl(3)}${storageDecl(1, 'X', 'f32')}${storageDecl(2, 'Wt', 'f32')}${storageDecl(3, 'Y', 'f32', true)}${entryPoint(WG, `
  if (gid >= pu(0u)) { return; }
  let c = select(0u, (gid / pu(1u)) % pu(2u), pu(2u) > 1u);
  let v = X[gid];
  Y[gid] = select(Wt[c] * v, v, v > 0.0);`)}`, params, buffers, grid(n, WG));
}

/** glu: first half * sigmoid(second half) along `dim`. */
function gluKernel(inputs: readonly Tensor[], attrs: unknown, outputs: Tensor[]): void {
  const x = inputs[0]!;
  const out = outputs[0]!;
  if (x.dtype.name !== 'float32') throw new KernelUnsupported('glu on non-float32');
  const dim = numAttr(attrs, ['dim'], -1);
  const d = dim < 0 ? dim + x.ndim : dim;
  const half = out.shape[d]!;
  const inner = x.shape.slice(d + 1).reduce((a, b) => a * b, 1);
  const n = out.numel();
  const params = new Params().u32(n, inner, half);
  const buffers = [input(x), output(out)];
  if (n === 0) return;
  dispatch('glu', () => `${paramsDecl(3)}${storageDecl(1, 'X', 'f32')}${storageDecl(2, 'Y', 'f32', true)}${mathPrelude}${entryPoint(WG, `
  if (gid >= pu(0u)) { return; }
  let inner = pu(1u); let half = pu(2u);
  let j = gid % inner;
  let k = (gid / inner) % half;
  let o = gid / (inner * half);
  let a = X[(o * 2u * half + k) * inner + j];
  let b = X[(o * 2u * half + half + k) * inner + j];
  Y[gid] = a * nn_sigmoid(b);`)}`, params, buffers, grid(n, WG));
}

// ------------------------------------------------------------------ registration

function register(name: string, kernel: (inputs: readonly Tensor[], attrs: unknown, outputs: Tensor[]) => void): void {
  const op = getOp(name);
  if (op) registerKernel(op as OpDef<unknown>, 'webgpu', kernel);
}

export function registerElementwiseKernels(): void {
  for (const [name, def] of Object.entries(unaryDefs)) register(name, unaryKernel(name, def));
  for (const name of identityOps) register(name, (inputs, _a, outputs) => shareValues(inputs[0]!, outputs[0]!));
  register('dropout', (inputs, attrs, outputs) => {
    const training = attr<boolean>(attrs, ['training', 'train'], false);
    const p = numAttr(attrs, ['p'], 0.5);
    if (training && p > 0) throw new KernelUnsupported('dropout in training mode draws random numbers (the CPU\'s RNG)');
    shareValues(inputs[0]!, outputs[0]!);
  });
  for (const [name, def] of Object.entries(binaryDefs)) register(name, binaryKernel(name, def));
  register('where', whereKernel);
  register('masked_fill', maskedFillKernel);
  register('clamp', clampKernel);
  register('addcmul', ternary('addcmul', (v, a) => `${v[0]} + ${a(0)} * ${v[1]} * ${v[2]}`, (at) => [numAttr(at, ['value'], 1)]));
  register('addcdiv', ternary('addcdiv', (v, a) => `${v[0]} + ${a(0)} * ${v[1]} / ${v[2]}`, (at) => [numAttr(at, ['value'], 1)]));
  register('lerp', ternary('lerp', (v) => `${v[0]} + ${v[2]} * (${v[1]} - ${v[0]})`, () => []));
  register('cast', castKernel);
  register('prelu', preluKernel);
  register('glu', gluKernel);
  register('tril', triangularKernel(true));
  register('triu', triangularKernel(false));
}


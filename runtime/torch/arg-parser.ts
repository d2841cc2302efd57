// torch's PythonArgParser, re-implemented: binds Python call arguments to one of a builtin's
// signature strings ("sum(Tensor input, IntArrayRef[1]? dim, bool keepdim=False, *, ...)"),
// trying overloads in order, converting values (an int for `IntArrayRef[2]` becomes [k, k]), and
// raising exactly the TypeErrors torch 1.13 raises (torch/csrc/utils/python_arg_parser.cpp and
// invalid_arguments.cpp), including their quirks.
import { DType, float64, int64, bool as boolDtype, complex128, isIntegral } from '../dtype.ts';
import { Tensor } from '../tensor.ts';
import {
  BuiltinClass, type Kwargs, NeedsValuesError, PyFloat, PyList, PyTuple, type PyValue, pyTypeName, typeError,
} from '../python/index.ts';
import { type Scalar, wrapScalar } from '../ops/scalar.ts';
import { TorchDevice, TorchEnumValue, TorchGenerator, TorchSize, parseDevice } from './objects.ts';
import { formatInvalidArgs } from './invalid-args.ts';

type ParamType =
  | 'Tensor' | 'Scalar' | 'int64_t' | 'SymInt' | 'double' | 'complex' | 'TensorList' | 'IntArrayRef' | 'SymIntArrayRef'
  | 'ArrayRef<double>' | 'Generator' | 'bool' | 'Storage' | 'PyObject*' | 'ScalarType' | 'Layout' | 'MemoryFormat'
  | 'QScheme' | 'Device' | 'Stream' | 'string' | 'Dimname' | 'DimnameList' | 'ScalarList';

const typeAliases: Record<string, ParamType> = {
  'c10::List<c10::optional<Tensor>>': 'TensorList', 'c10::string_view': 'string', 'std::string': 'string',
};

/** FunctionParameter::type_name(), as printed in messages (1.13 says "tuple of SymInts"). */
const typeNames: Record<ParamType, string> = {
  Tensor: 'Tensor', Scalar: 'Number', int64_t: 'int', SymInt: 'SymInt', double: 'float', complex: 'complex',
  TensorList: 'tuple of Tensors', IntArrayRef: 'tuple of ints', SymIntArrayRef: 'tuple of SymInts',
  'ArrayRef<double>': 'tuple of floats', Generator: 'torch.Generator', bool: 'bool', Storage: 'torch.Storage',
  'PyObject*': 'object', ScalarType: 'torch.dtype', Layout: 'torch.layout', MemoryFormat: 'torch.memory_format',
  QScheme: 'torch.qscheme', Device: 'torch.device', Stream: 'torch.Stream', string: 'str', Dimname: 'name',
  DimnameList: 'tuple of names', ScalarList: 'tuple of Scalars',
};

/** Functions whose Tensor parameters also take Python numbers (torch's should_allow_numbers_as_tensors). */
const numbersAsTensors = new Set([
  'add', 'add_', 'div', 'div_', 'divide', 'divide_', 'mul', 'mul_', 'multiply', 'multiply_', 'sub', 'sub_',
  'subtract', 'subtract_', 'true_divide', 'true_divide_', 'to', '_to_copy', 'copy_', 'floor_divide', 'floor_divide_',
]);

/** NumPy spellings the parser also accepts as keyword names. */
const numpyNames: Record<string, string[]> = { dim: ['axis'], keepdim: ['keepdims'], input: ['x', 'a', 'x1'], other: ['x2'] };

export interface NativeParam {
  readonly name: string;
  readonly type: ParamType;
  /** `IntArrayRef[2]`: a single int is accepted and repeated. */
  readonly size: number;
  readonly optional: boolean;
  readonly allowNone: boolean;
  readonly keywordOnly: boolean;
  readonly defaultText: string | null;
  readonly allowNumbersAsTensors: boolean;
}

export interface NativeSignature {
  readonly name: string;
  readonly text: string;
  readonly params: readonly NativeParam[];
  readonly minArgs: number;
  readonly maxArgs: number;
  readonly maxPosArgs: number;
  readonly hidden: boolean;
  /** Each parameter's position in `params`, by name (ParsedArgs reads values by name). */
  readonly index: ReadonlyMap<string, number>;
}

const signatureCache = new Map<string, NativeSignature>();

/** Parses one signature string the way FunctionSignature's constructor does. */
export function parseSignature(text: string): NativeSignature {
  const cached = signatureCache.get(text);
  if (cached) return cached;
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  const name = text.slice(0, open);
  const body = text.slice(open + 1, close);
  const suffix = text.slice(close + 1);
  const allowNumbers = numbersAsTensors.has(name);
  const params: NativeParam[] = [];
  let keywordOnly = false;
  for (const part of body === '' ? [] : body.split(', ')) {
    if (part === '*') { keywordOnly = true; continue; }
    const space = part.indexOf(' ');
    let typeStr = part.slice(0, space);
    const rest = part.slice(space + 1);
    let allowNone = false;
    if (typeStr.includes('?')) { allowNone = true; typeStr = typeStr.replace('?', ''); }
    let size = 0;
    const bracket = /^(.*)\[(\d*)\]$/.exec(typeStr);
    if (bracket) { typeStr = bracket[1]!; size = Number(bracket[2] || 0); }
    const type = (typeAliases[typeStr] ?? typeStr) as ParamType;
    const eq = rest.indexOf('=');
    const defaultText = eq >= 0 ? rest.slice(eq + 1) : null;
    if (defaultText === 'None') allowNone = true;
    params.push({
      name: eq >= 0 ? rest.slice(0, eq) : rest, type, size, optional: eq >= 0, allowNone, keywordOnly, defaultText,
      allowNumbersAsTensors: allowNumbers,
    });
  }
  const sig: NativeSignature = {
    name, text, params,
    minArgs: params.filter((p) => !p.optional).length,
    maxArgs: params.length,
    maxPosArgs: params.filter((p) => !p.keywordOnly).length,
    hidden: suffix === '|deprecated' || suffix === '|hidden',
    index: new Map(params.map((p, i) => [p.name, i])),
  };
  signatureCache.set(text, sig);
  return sig;
}

/** FunctionSignature::toString(): `(Tensor input, *, torch.dtype dtype)`. */
export function signatureDisplay(sig: NativeSignature): string {
  let marked = false;
  return `(${sig.params.map((p) => {
    const prefix = p.keywordOnly && !marked ? '*, ' : '';
    if (p.keywordOnly) marked = true;
    return `${prefix}${typeNames[p.type]} ${p.name}`;
  }).join(', ')})`;
}

// ------------------------------------------------------------------ Python value checks

/** CPython's tp_name for a value, as the parser prints it. */
export function tpName(v: PyValue): string {
  if (v instanceof TorchSize) return 'torch.Size';
  if (v instanceof Tensor) return v.pyTypeName;
  if (v instanceof DType) return 'torch.dtype';
  if (v instanceof TorchDevice) return 'torch.device';
  if (v instanceof TorchEnumValue) return v.pyTypeName;
  if (v instanceof TorchGenerator) return 'torch._C.Generator';
  if (v instanceof BuiltinClass) return 'type';
  return pyTypeName(v);
}

const isInt = (v: PyValue): boolean => typeof v === 'number';
const isNumber = (v: PyValue): boolean => typeof v === 'number' || typeof v === 'boolean' || v instanceof PyFloat;
const isSequence = (v: PyValue): v is PyTuple | PyList => v instanceof PyTuple || v instanceof PyList;
/** THPUtils_checkIndex: an int (not a bool) or something with `__index__` (an integer 0-dim tensor). */
const isIndex = (v: PyValue): boolean => isInt(v) || (v instanceof Tensor && isIntegral(v.dtype, false) && v.numel() === 1);
const isZeroDimNoGrad = (v: PyValue): boolean => v instanceof Tensor && v.ndim === 0 && !v.requiresGrad;
/** Python `float`, `int`, `bool`, `complex` used as a dtype (`torch.zeros(2, dtype=float)`). */
const pythonTypeDType = (v: PyValue): DType | undefined => {
  if (!(v instanceof BuiltinClass)) return undefined;
  return ({ float: float64, int: int64, bool: boolDtype, complex: complex128 } as Record<string, DType>)[v.name];
};
const isDimname = (v: PyValue): boolean => v === null || typeof v === 'string';

function isIntList(v: PyValue, size: number): boolean {
  if (isSequence(v)) return v.items.length === 0 || isIndex(v.items[0]);
  return size > 0 && isInt(v);
}

/** FunctionParameter::check. TensorList errors on a non-tensor element even while matching. */
function check(p: NativeParam, v: PyValue, argnum: number): boolean {
  switch (p.type) {
    case 'Tensor': return v instanceof Tensor || (p.allowNumbersAsTensors && isNumber(v));
    case 'Scalar': case 'complex': case 'double': return isNumber(v) || isZeroDimNoGrad(v);
    case 'int64_t': return isInt(v) || (v instanceof Tensor && isIntegral(v.dtype, false) && !v.requiresGrad && v.ndim === 0);
    case 'SymInt': return isIndex(v);
    case 'Dimname': return isDimname(v);
    case 'DimnameList': return (isSequence(v) && (v.items.length === 0 || isDimname(v.items[0]))) || (p.size === 1 && isDimname(v));
    case 'TensorList': {
      if (!isSequence(v)) return false;
      // A loop, not forEach: a callback capturing `argnum` would allocate a context on every check.
      for (let i = 0; i < v.items.length; i++) {
        const item = v.items[i];
        if (!(item instanceof Tensor)) throw typeError(`expected Tensor as element ${i} in argument ${argnum}, but got ${tpName(item)}`);
      }
      return true;
    }
    case 'IntArrayRef': case 'SymIntArrayRef': return isIntList(v, p.size);
    case 'ArrayRef<double>': return isSequence(v) && (v.items.length === 0 || isNumber(v.items[0]));
    case 'ScalarList': return isSequence(v) && v.items.every(isNumber);
    case 'Generator': return v instanceof TorchGenerator;
    case 'bool': return typeof v === 'boolean';
    case 'PyObject*': return true;
    case 'ScalarType': return v instanceof DType || pythonTypeDType(v) !== undefined;
    case 'Layout': return v instanceof TorchEnumValue && v.pyTypeName === 'torch.layout';
    case 'MemoryFormat': return v instanceof TorchEnumValue && v.pyTypeName === 'torch.memory_format';
    case 'Device': return isInt(v) || typeof v === 'string' || v instanceof TorchDevice;
    case 'string': return typeof v === 'string';
    default: return false;
  }
}

// ------------------------------------------------------------------ parsing

/**
 * The result of binding a call: the matched overload and each parameter's converted value.
 * Values sit in parameter order (the signature's `index` finds them by name): a torch call binds
 * its arguments on every layer forward, so this avoids making maps per call.
 */
export class ParsedArgs {
  constructor(
    readonly signature: NativeSignature,
    /** Per parameter: its converted value, null for None, or its default. */
    private readonly slots: readonly unknown[],
    /** Per parameter: whether the caller passed a value (not None, not the default). */
    private readonly passed: readonly boolean[],
    /** A method's self, which is the value of `input` whatever the signature says. */
    private readonly self?: Tensor,
  ) {}

  private value(name: string): unknown {
    if (this.self && name === 'input') return this.self;
    const i = this.signature.index.get(name);
    return i === undefined ? undefined : this.slots[i];
  }

  /** Whether the matched overload has this parameter (`max(dim)` vs `max(other)`). */
  has(name: string): boolean { return (!!this.self && name === 'input') || this.signature.index.has(name); }
  /** Whether the caller passed a value (not None, not the default). */
  given(name: string): boolean {
    const i = this.signature.index.get(name);
    return i !== undefined && this.passed[i]!;
  }
  /** The names of the parameters the caller passed a value for. */
  get explicit(): Set<string> {
    return new Set(this.signature.params.filter((_, i) => this.passed[i]).map((p) => p.name));
  }

  raw(name: string): unknown { return this.value(name); }
  tensor(name: string): Tensor { return this.value(name) as Tensor; }
  optTensor(name: string): Tensor | null { return (this.value(name) ?? null) as Tensor | null; }
  tensors(name: string): Tensor[] { return this.value(name) as Tensor[]; }
  int(name: string): number { return this.value(name) as number; }
  optInt(name: string): number | null { return (this.value(name) ?? null) as number | null; }
  float(name: string): number { return this.value(name) as number; }
  optFloat(name: string): number | null { return (this.value(name) ?? null) as number | null; }
  bool(name: string): boolean { return this.value(name) as boolean; }
  optBool(name: string): boolean | null { return (this.value(name) ?? null) as boolean | null; }
  intList(name: string): number[] { return this.value(name) as number[]; }
  optIntList(name: string): number[] | null { return (this.value(name) ?? null) as number[] | null; }
  dtype(name: string): DType | null { return (this.value(name) ?? null) as DType | null; }
  device(name: string): TorchDevice | null { return (this.value(name) ?? null) as TorchDevice | null; }
  string(name: string): string { return this.value(name) as string; }
  optString(name: string): string | null { return (this.value(name) ?? null) as string | null; }
  scalar(name: string): Scalar { return this.value(name) as Scalar; }
  optScalar(name: string): Scalar | null { return (this.value(name) ?? null) as Scalar | null; }
  /** A Scalar parameter as a 0-dim wrapped-number tensor, for ops that take tensors. */
  scalarTensor(name: string): Tensor { return wrapScalar(this.scalar(name)); }
  floatList(name: string): number[] | null { return (this.value(name) ?? null) as number[] | null; }
}

/** Binds `args`/`kwargs` to one of `overloads`, or throws torch's TypeError. `self` is bound as `input`. */
export function parseNativeArgs(
  name: string, overloads: readonly string[], hidden: number, args: readonly PyValue[], kwargs: Kwargs, self?: Tensor,
): ParsedArgs {
  const signatures = signaturesOf(overloads);
  const total = signatures.length + hidden;
  if (total === 1) return convertAll(signatures[0]!, bindOrThrow(signatures[0]!, args, kwargs, true)!, self);
  for (const sig of signatures) {
    const bound = bindOrThrow(sig, args, kwargs, false);
    if (bound) return convertAll(sig, bound, self);
  }
  // No overload matched: if exactly one is plausible by argument count, its own error is clearer.
  const numArgs = args.length + kwargs.size;
  const plausible = signatures.filter((s) => numArgs >= s.minArgs && numArgs <= s.maxArgs && !s.hidden);
  if (plausible.length === 1) bindOrThrow(plausible[0]!, args, kwargs, true);
  // torch formats its TypeError into a 2048-byte buffer: long messages are cut at 2047 characters.
  throw typeError(formatInvalidArgs(args, kwargs, `${name}()`, signatures.filter((s) => !s.hidden).map(signatureDisplay)).slice(0, 2047));
}

/**
 * The parsed overloads of a signature table entry. The tables are static (signatures.generated.ts),
 * so each entry's list is parsed once rather than on every call.
 */
const overloadSignatures = new WeakMap<readonly string[], readonly NativeSignature[]>();

function signaturesOf(overloads: readonly string[]): readonly NativeSignature[] {
  let signatures = overloadSignatures.get(overloads);
  if (!signatures) {
    signatures = overloads.map(parseSignature);
    overloadSignatures.set(overloads, signatures);
  }
  return signatures;
}

/**
 * FunctionSignature::parse: which Python value goes to which parameter, in parameter order
 * (undefined = use the default).
 */
function bindOrThrow(sig: NativeSignature, args: readonly PyValue[], kwargs: Kwargs, raise: boolean): (PyValue | undefined)[] | null {
  const nargs = args.length;
  let remainingKwargs = kwargs.size;
  let argPos = 0;
  const first = sig.params[0];
  const allowVarargsIntList = sig.maxPosArgs === 1 && (first?.type === 'IntArrayRef' || first?.type === 'SymIntArrayRef');
  // A failure throws torch's TypeError when this overload is the one to blame, else means no match.
  // (Plain statements, not callbacks: a closure over the loop's variables would allocate per call.)
  if (nargs > sig.maxPosArgs && !allowVarargsIntList) { if (raise) throw extraArgs(sig, nargs); return null; }

  const bound = new Array<PyValue | undefined>(sig.params.length);
  let i = 0;
  for (const p of sig.params) {
    let obj: PyValue | undefined;
    let isKwd = false;
    if (argPos < nargs) {
      if (p.keywordOnly) { if (raise) throw extraArgs(sig, nargs); return null; }
      obj = args[argPos];
    } else {
      obj = kwargs.size > 0 ? kwargs.get(p.name) : undefined;
      if (obj === undefined && kwargs.size > 0) {
        const alternatives = numpyNames[p.name];
        if (alternatives) for (const alt of alternatives) if (obj === undefined) obj = kwargs.get(alt);
      }
      isKwd = true;
    }
    const varargsEligible = allowVarargsIntList && argPos === 0 && !isKwd;
    if ((obj === undefined && p.optional) || (obj === null && p.allowNone)) {
      bound[i] = obj === null ? null : undefined;
    } else if (obj === undefined) {
      if (raise) throw missingArgs(sig, i);
      return null;
    } else if (check(p, obj, i)) {
      bound[i] = obj;
    } else if (varargsEligible && isIntList(new PyTuple(args), p.size)) {
      // expand(5, 3) means expand((5, 3)): all positional arguments become this parameter.
      bound[i] = new PyTuple(args);
      argPos = nargs;
      i++;
      continue;
    } else {
      if (raise) throw wrongType(sig, p, obj, isKwd ? null : argPos + 1);
      return null;
    }
    i++;
    if (!isKwd) argPos++;
    else if (obj !== undefined) remainingKwargs--;
  }
  if (remainingKwargs > 0) { if (raise) throw extraKwargs(sig, kwargs, nargs); return null; }
  return bound;
}

/** An argument of the wrong type, passed by keyword (position null) or at a 1-based position. */
function wrongType(sig: NativeSignature, p: NativeParam, obj: PyValue, position: number | null): Error {
  return position === null
    ? typeError(`${sig.name}(): argument '${p.name}' must be ${typeNames[p.type]}, not ${tpName(obj)}`)
    : typeError(`${sig.name}(): argument '${p.name}' (position ${position}) must be ${typeNames[p.type]}, not ${tpName(obj)}`);
}

function extraArgs(sig: NativeSignature, nargs: number): Error {
  if (sig.minArgs !== sig.maxPosArgs) {
    return typeError(`${sig.name}() takes from ${sig.minArgs} to ${sig.maxPosArgs} positional arguments but ${nargs} were given`);
  }
  return typeError(`${sig.name}() takes ${sig.maxPosArgs} positional argument${sig.maxPosArgs === 1 ? '' : 's'} but ${nargs} ${nargs === 1 ? 'was' : 'were'} given`);
}

function missingArgs(sig: NativeSignature, from: number): Error {
  const missing = sig.params.slice(from).filter((p) => !p.optional).map((p) => `"${p.name}"`);
  // torch's pluralisation is inverted (1 -> "arguments"), and we say what it says.
  return typeError(`${sig.name}() missing ${missing.length} required positional argument${missing.length === 1 ? 's' : ''}: ${missing.join(', ')}`);
}

function extraKwargs(sig: NativeSignature, kwargs: Kwargs, nargs: number): Error {
  for (const key of kwargs.keys()) {
    const index = sig.params.findIndex((p) => p.name === key);
    if (index < 0) return typeError(`${sig.name}() got an unexpected keyword argument '${key}'`);
    if (index < nargs) return typeError(`${sig.name}() got multiple values for argument '${key}'`);
  }
  return typeError('invalid keyword arguments');
}

// ------------------------------------------------------------------ conversion

/** Each parameter's value (converted, None, or its default); `self` is bound as `input`. */
function convertAll(sig: NativeSignature, bound: (PyValue | undefined)[], self: Tensor | undefined): ParsedArgs {
  const params = sig.params;
  const values = new Array<unknown>(params.length);
  const passed = new Array<boolean>(params.length);
  for (let i = 0; i < params.length; i++) {
    const p = params[i]!;
    const v = bound[i];
    passed[i] = false;
    if (v === undefined) values[i] = defaultValue(p);
    else if (v === null) values[i] = null;
    else { values[i] = convert(sig, p, v); passed[i] = true; }
  }
  return new ParsedArgs(sig, values, passed, self);
}

/** Each parameter's default, parsed from its text once (parameters are cached with their signature). */
const parsedDefaults = new WeakMap<NativeParam, { value: unknown }>();

function defaultValue(p: NativeParam): unknown {
  let parsed = parsedDefaults.get(p);
  if (!parsed) {
    parsed = { value: parseDefault(p) };
    parsedDefaults.set(p, parsed);
  }
  const v = parsed.value;
  // Lists and Scalars are handed out fresh, as before: an implementation may keep or change what it gets.
  if (Array.isArray(v)) return [...v];
  if (typeof v === 'object' && v !== null && !(v instanceof DType)) return { ...(v as Scalar) };
  return v;
}

function parseDefault(p: NativeParam): unknown {
  const text = p.defaultText;
  if (text === null || text === 'None') return null;
  const reduction = /^at::Reduction::(None|Mean|Sum)$/.exec(text);
  if (reduction) return { None: 0, Mean: 1, Sum: 2 }[reduction[1] as 'None' | 'Mean' | 'Sum'];
  switch (p.type) {
    case 'int64_t': case 'SymInt': return parseInt(text, 10);
    case 'double': return parseFloat(text);
    case 'bool': return text === 'True' || text === 'true';
    case 'Scalar': return /^-?\d+$/.test(text) ? { kind: 'int', value: parseInt(text, 10) } : { kind: 'float', value: parseFloat(text) };
    case 'IntArrayRef': case 'SymIntArrayRef': {
      if (text.startsWith('{')) return text.slice(1, -1).split(',').filter((x) => x !== '').map((x) => parseInt(x, 10));
      return new Array<number>(p.size).fill(parseInt(text, 10));
    }
    case 'ScalarType': return text === 'torch.int64' ? int64 : null;
    case 'string': return text.slice(1, -1);
    default: return null;
  }
}

/** Reads an int the parser accepted; a 0-dim tensor would need its value. */
function toInt(v: PyValue): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v instanceof Tensor) throw new NeedsValuesError('a tensor used as an int argument');
  throw typeError(`expected an int, got ${tpName(v)}`);
}

function toScalar(v: PyValue): Scalar {
  if (typeof v === 'number') return { kind: 'int', value: v };
  if (typeof v === 'boolean') return { kind: 'bool', value: v ? 1 : 0 };
  if (v instanceof PyFloat) return { kind: 'float', value: v.value };
  if (v instanceof Tensor) {
    const kind = v.dtype === boolDtype ? 'bool' : v.dtype.isComplex ? 'complex' : v.dtype.isFloatingPoint ? 'float' : 'int';
    return { kind, value: null };
  }
  throw typeError(`expected a number, got ${tpName(v)}`);
}

function convert(sig: NativeSignature, p: NativeParam, v: PyValue): unknown {
  switch (p.type) {
    case 'Tensor': return v instanceof Tensor ? v : wrapScalar(toScalar(v));
    case 'Scalar': case 'complex': return toScalar(v);
    case 'double': {
      if (v instanceof Tensor) throw new NeedsValuesError('a tensor used as a float argument');
      return v instanceof PyFloat ? v.value : toInt(v);
    }
    case 'int64_t': case 'SymInt': return toInt(v);
    case 'IntArrayRef': case 'SymIntArrayRef': {
      if (!isSequence(v)) return new Array<number>(p.size).fill(toInt(v));
      return v.items.map((item, idx) => {
        if (typeof item === 'number' || typeof item === 'boolean') return toInt(item);
        if (item instanceof Tensor && isIntegral(item.dtype, false) && item.numel() === 1) return toInt(item);
        throw typeError(`${sig.name}(): argument '${p.name}' must be ${typeNames[p.type]}, but found element of type ${tpName(item)} at pos ${idx + 1}`);
      });
    }
    case 'ArrayRef<double>': return (v as PyTuple).items.map((x) => (x instanceof PyFloat ? x.value : toInt(x)));
    case 'ScalarList': return (v as PyTuple).items.map(toScalar);
    case 'TensorList': return [...(v as PyTuple).items];
    case 'ScalarType': return v instanceof DType ? v : pythonTypeDType(v);
    case 'Device': return parseDevice(v);
    case 'Dimname': return v;
    case 'DimnameList': return isSequence(v) ? [...v.items] : [v];
    default: return v;
  }
}

// Where torch's Python-visible callables are defined: each implementation registers under its
// namespace (`torch.cat`, `Tensor.view`, `torch._C._nn.linear`, `torch.nn.functional.relu`) and
// is bound to PyTorch's own signature from signatures.generated.ts, so names, defaults, overload
// choice and argument TypeErrors are torch's.
import { Tensor } from '../tensor.ts';
import {
  type BoundArgs, BuiltinFunction, type Interop, type Kwargs, type PyValue, type Signature, bindArguments, notImplementedError,
  runtimeError, typeError,
} from '../python/index.ts';
import { type ParsedArgs, parseNativeArgs } from './arg-parser.ts';
import type { PythonEntry, SignatureEntry, SignatureTable } from './signature-table.ts';
import { functionalSignatures, nnSignatures, tensorMethodSignatures, torchSignatures } from './signatures.generated.ts';

export type Namespace = 'torch' | 'tensor' | 'nn' | 'F';

/** A builtin parsed by torch's argument parser; for methods, `input` is self. */
export type NativeImpl = (a: ParsedArgs, interop: Interop) => PyValue;
/** A function written in Python in torch; gets CPython-bound arguments (`self` for methods). */
export type PythonImpl = (a: BoundArgs, interop: Interop) => PyValue;

type Impl = { kind: 'native'; fn: NativeImpl } | { kind: 'python'; fn: PythonImpl } | { kind: 'noargs'; fn: (self: Tensor) => PyValue };

const tables: Record<Namespace, SignatureTable> = {
  torch: torchSignatures, tensor: tensorMethodSignatures, nn: nnSignatures, F: functionalSignatures,
};
const impls: Record<Namespace, Map<string, Impl>> = { torch: new Map(), tensor: new Map(), nn: new Map(), F: new Map() };
/** Signatures for callables torch does not parse with PythonArgParser (hand-written here). */
const extraSignatures: Record<Namespace, Map<string, SignatureEntry>> = { torch: new Map(), tensor: new Map(), nn: new Map(), F: new Map() };

function entryOf(ns: Namespace, name: string): SignatureEntry {
  const entry = extraSignatures[ns].get(name) ?? tables[ns][name];
  if (!entry) throw new Error(`no PyTorch signature recorded for ${ns}.${name}; add it to make-signatures.py`);
  return entry;
}

/**
 * What a call of `ns.name` needs, looked up once per name: the implementation, its signature entry
 * and, for natively parsed ones, the overloads to parse against (tensor ops run hundreds of times
 * per analysis). Registering anything empties the namespace's cache.
 */
interface Resolved {
  readonly impl: Impl;
  readonly entry: SignatureEntry;
  readonly native: { readonly name: string; readonly overloads: readonly string[]; readonly hidden: number };
}
const resolvedCalls: Record<Namespace, Map<string, Resolved>> = { torch: new Map(), tensor: new Map(), nn: new Map(), F: new Map() };

function resolve(ns: Namespace, name: string): Resolved | undefined {
  let r = resolvedCalls[ns].get(name);
  if (r === undefined) {
    const impl = impls[ns].get(name);
    if (!impl) return undefined;
    const entry = entryOf(ns, name);
    r = { impl, entry, native: entry.kind === 'native' ? entry : { name, overloads: [`${name}()`], hidden: 0 } };
    resolvedCalls[ns].set(name, r);
  }
  return r;
}

/** Registers a builtin (natively parsed) under one or more names of a namespace. */
export function defNative(ns: Namespace | readonly Namespace[], names: string | string[], fn: NativeImpl): void {
  for (const n of [ns].flat()) for (const name of [names].flat()) impls[n].set(name, { kind: 'native', fn });
  for (const n of [ns].flat()) resolvedCalls[n].clear();
}

/** Registers a Python-level function (its arguments bound by CPython's rules). */
export function defPython(ns: Namespace | readonly Namespace[], names: string | string[], fn: PythonImpl, signature?: PythonEntry): void {
  for (const n of [ns].flat()) {
    for (const name of [names].flat()) {
      impls[n].set(name, { kind: 'python', fn });
      if (signature) extraSignatures[n].set(name, signature);
    }
    resolvedCalls[n].clear();
  }
}

/** Registers a Tensor method that takes no arguments (a C METH_NOARGS method in torch). */
export function defNoArgs(names: string | string[], fn: (self: Tensor) => PyValue): void {
  for (const name of [names].flat()) impls.tensor.set(name, { kind: 'noargs', fn });
  resolvedCalls.tensor.clear();
}

export function hasImpl(ns: Namespace, name: string): boolean { return impls[ns].has(name); }
export function implNames(ns: Namespace): string[] { return [...impls[ns].keys()].sort(); }

/** Calls `ns.name(*args, **kwargs)`, binding `self` for Tensor methods. */
export function callRegistered(ns: Namespace, name: string, args: readonly PyValue[], kwargs: Kwargs, interop: Interop, self?: Tensor): PyValue {
  const resolved = resolve(ns, name);
  if (!resolved) throw notImplementedError(`${ns === 'tensor' ? 'Tensor' : ns}.${name} is not available in NN Lens yet`);
  const { impl, entry, native } = resolved;
  if (impl.kind === 'noargs') {
    const qualname = entry.kind === 'noargs' ? entry.qualname : `Tensor.${name}`;
    if (kwargs.size > 0) throw typeError(`${qualname}() takes no keyword arguments`);
    if (args.length > 0) throw typeError(`${qualname}() takes no arguments (${args.length} given)`);
    return impl.fn(self!);
  }
  if (impl.kind === 'python') {
    if (entry.kind !== 'python') throw new Error(`${ns}.${name}: a Python implementation needs a Python signature`);
    const bound = bindArguments(pythonSignature(entry), args, kwargs);
    if (self) bound.set('self', self);
    return impl.fn(bound, interop);
  }
  if (entry.kind === 'noargs') {
    if (kwargs.size > 0) throw typeError(`${entry.qualname}() takes no keyword arguments`);
    if (args.length > 0) throw typeError(`${entry.qualname}() takes no arguments (${args.length} given)`);
  }
  const parsed = parseNativeArgs(native.name, native.overloads, native.hidden, args, kwargs, self);
  rejectUnsupported(parsed);
  return impl.fn(parsed, interop);
}

/** A Python entry as a CPython signature (a plain function unless marked a method); made once per entry. */
const pythonSignatures = new WeakMap<PythonEntry, Signature>();

function pythonSignature(entry: PythonEntry): Signature {
  let signature = pythonSignatures.get(entry);
  if (!signature) {
    signature = { ...entry, isMethod: entry.isMethod ?? false };
    pythonSignatures.set(entry, signature);
  }
  return signature;
}

/** Named tensors and `out=` are outside what the runtime models; say so with torch's words where it has them. */
function rejectUnsupported(a: ParsedArgs): void {
  // torch resolves the last name argument first (transpose(x, 'a', 'b') complains about 'b').
  let last: ParsedArgs['signature']['params'][number] | undefined;
  for (const p of a.signature.params) {
    if ((p.type === 'Dimname' || p.type === 'DimnameList') && a.raw(p.name) !== null && a.raw(p.name) !== undefined) last = p;
  }
  if (last) {
    const input = a.raw('input');
    const first = [a.raw(last.name)].flat()[0];
    if (input instanceof Tensor) {
      throw runtimeError(`Name '${String(first)}' not found in Tensor[${input.shape.map(() => 'None').join(', ')}].`);
    }
    throw notImplementedError('named tensors are not supported by NN Lens');
  }
  if (a.has('out') && a.raw('out') !== null) throw notImplementedError('out= is not supported by NN Lens yet');
}

/** The BuiltinFunction the evaluator sees for `torch.X`, `F.X`, ... */
export function builtin(ns: Namespace, name: string, displayName = name): BuiltinFunction {
  return new BuiltinFunction(displayName, (args, kwargs, interop) => callRegistered(ns, name, args, kwargs, interop));
}

/** A bound Tensor method (`x.view`). */
export function boundMethod(self: Tensor, name: string): BuiltinFunction {
  return new BuiltinFunction(name, (args, kwargs, interop) => callRegistered('tensor', name, args, kwargs, interop, self));
}

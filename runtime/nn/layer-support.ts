// Shared plumbing for built-in layers: their `__init__`/`forward` signatures (CPython counts
// `self`, hence `isMethod`), forward argument binding, and the `reset_parameters` method.
import { type BoundArgs, type Interop, type Kwargs, type PyValue, bindArguments, sig, type Signature } from '../python/index.ts';
import type { Module, ModuleClass, ModuleMethod } from './module.ts';

type Params = Parameters<typeof sig>[1];

/** The trailing `device=None, dtype=None` of layers that own tensors. */
export const factoryParams: Params = [['device', null], ['dtype', null]];

export const initSignature = (cls: string, params: Params, more: Partial<Signature> = {}): Signature =>
  sig(`${cls}.__init__`, params, { isMethod: true, ...more });

export const forwardSignature = (cls: string, params: Params, more: Partial<Signature> = {}): Signature =>
  sig(`${cls}.forward`, params, { isMethod: true, ...more });

/**
 * `forward(self, input)` of `cls`, made once per class name: most layers' forward takes only the
 * input, and a layer is called hundreds of times per analysis (signatures are never changed).
 */
const inputSignatures = new Map<string, Signature>();

export function inputForwardSignature(cls: string): Signature {
  let signature = inputSignatures.get(cls);
  if (signature === undefined) inputSignatures.set(cls, signature = forwardSignature(cls, ['input']));
  return signature;
}

/** The `input` of an input-only forward call, bound (and its errors raised) as CPython would. */
export function bindInput(cls: string, args: PyValue[], kwargs: Kwargs): PyValue {
  // `layer(x)`: what binding `(input)` gives without building the bound-arguments Map; any other
  // call goes through the binder for CPython's errors.
  if (args.length === 1 && kwargs.size === 0) return args[0];
  return bindArguments(inputForwardSignature(cls), args, kwargs).get('input');
}

/** Binds a forward call; the input-only forwards of most layers use `bindInput(cls, ...)`. */
export function bindForward(signature: Signature, args: PyValue[], kwargs: Kwargs): BoundArgs {
  return bindArguments(signature, args, kwargs);
}

/** A layer whose parameters can be re-initialised (`m.reset_parameters()`). */
export interface Resettable { resetParameters(): void }

/** The Python-visible `reset_parameters(self)` of a layer class. */
export function resetParametersMethod(cls: string): ModuleMethod {
  const signature = sig(`${cls}.reset_parameters`, [], { isMethod: true });
  return (self: Module, args, kwargs) => {
    bindArguments(signature, args, kwargs);
    (self as unknown as Resettable).resetParameters();
    return null;
  };
}

/**
 * The built-in class a module is an instance of (`LSTM` also for a user subclass of it): the
 * qualname CPython prints for its methods (`LSTM.forward() missing 1 required positional argument`).
 */
export const builtinClassName = (m: Module): string => (m.constructor as ModuleClass).pyName;

/**
 * A classmethod or staticmethod of a built-in layer class, reached through the class
 * (`nn.Embedding.from_pretrained(w)`, `nn.Transformer.generate_square_subsequent_mask(5)`).
 * Classes list them in `static pyClassMethods`; `cls` is the class the attribute was read from.
 */
export type ModuleClassMethod = (cls: ModuleClass, args: PyValue[], kwargs: Kwargs, interop: Interop) => PyValue;

/** Finds a classmethod/staticmethod along a built-in class's TS chain. */
export function lookupPyClassMethod(cls: ModuleClass, name: string): ModuleClassMethod | undefined {
  for (let c: unknown = cls; c && c !== Function.prototype; c = Object.getPrototypeOf(c)) {
    const table = Object.prototype.hasOwnProperty.call(c, 'pyClassMethods')
      ? (c as { pyClassMethods: Record<string, ModuleClassMethod> }).pyClassMethods : undefined;
    if (table && Object.prototype.hasOwnProperty.call(table, name)) return table[name];
  }
  return undefined;
}

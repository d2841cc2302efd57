// Built-in callables and namespaces (`torch`, `torch.nn.functional`) as the evaluator sees them.
import type { PyValue } from './values.ts';
import type { Kwargs } from './signature.ts';
import type { Interop } from './interop.ts';

export type BuiltinImpl = (args: PyValue[], kwargs: Kwargs, interop: Interop) => PyValue;

/** A function implemented in TypeScript (`torch.cat`, `F.relu`, a bound tensor method). */
export class BuiltinFunction {
  readonly pyTypeName = 'builtin_function_or_method';
  constructor(readonly name: string, readonly impl: BuiltinImpl) {}
  pyRepr(): string { return `<built-in method ${this.name}>`; }
}

/** A Python module implemented in TypeScript (`torch`, `torch.nn`, `math`). */
export class PyNamespace {
  readonly pyTypeName = 'module';
  constructor(readonly name: string, readonly attrs: Map<string, PyValue> = new Map()) {}
  pyRepr(): string { return `<module '${this.name}'>`; }
}

/** A built-in class other than a Module class (`torch.Tensor`, `torch.Size`), for isinstance and calls. */
export class BuiltinClass {
  readonly pyTypeName = 'type';
  constructor(
    readonly name: string,
    /** Whether a value is an instance (isinstance). */
    readonly isInstance: (v: PyValue) => boolean,
    /** Calling the class, if it can be called. */
    readonly construct?: BuiltinImpl,
  ) {}
  pyRepr(): string { return `<class '${this.name}'>`; }
}

/** Thrown when an answer depends on tensor values that the shape tier does not have. */
export class NeedsValuesError extends Error {
  constructor(readonly what: string) {
    super(`${what} depends on tensor values, which the shape tier does not compute`);
  }
}

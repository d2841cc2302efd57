// Python exceptions raised by the runtime, as data: the exception class name PyTorch/CPython
// would raise and its exact message. The evaluator turns them into catchable Python exceptions
// and attaches the source range of the statement that was running.

export class PyError extends Error {
  constructor(readonly pyType: string, message: string) {
    super(message);
    this.name = pyType;
  }
}

export const typeError = (message: string): PyError => new PyError('TypeError', message);
export const valueError = (message: string): PyError => new PyError('ValueError', message);
export const runtimeError = (message: string): PyError => new PyError('RuntimeError', message);
export const indexError = (message: string): PyError => new PyError('IndexError', message);
export const attributeError = (message: string): PyError => new PyError('AttributeError', message);
export const keyError = (message: string): PyError => new PyError('KeyError', message);
export const notImplementedError = (message: string): PyError => new PyError('NotImplementedError', message);

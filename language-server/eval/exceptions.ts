// Python exceptions inside the evaluator. A raised exception travels as a JS `PyException`
// carrying the Python exception object; the innermost user-code location is recorded once, the
// way a traceback's last frame in the user's file points at the failing line.
import { PyError, type PyValue, PyTuple, pyStr, pyRepr } from '../../runtime/python/index.ts';
import type { Range } from '../syntax/ast.ts';
import { PyClass, PyInstance } from './objects.ts';

export interface TracebackFrame { line: number; functionName: string; range: Range }

export class PyException extends Error {
  /** Innermost location in the evaluated file (set once, where the exception first met user code). */
  range: Range | null = null;
  /** Frames in the user's file, innermost first while unwinding (reversed for reporting). */
  readonly frames: TracebackFrame[] = [];
  constructor(readonly exc: PyInstance) {
    super(exceptionMessage(exc));
  }
  get typeName(): string { return this.exc.cls.name; }
}

/** Control-flow signal: the evaluation ran out of its step or memory budget. Not catchable by `except`. */
export class BudgetExceeded extends Error {
  range: Range | null = null;
  constructor(readonly what: 'steps' | 'memory' | 'recursion', message: string) { super(message); }
}

// ------------------------------------------------------------------ built-in exception classes

const hierarchy: [string, string | null][] = [
  ['BaseException', null], ['Exception', 'BaseException'], ['KeyboardInterrupt', 'BaseException'], ['SystemExit', 'BaseException'],
  ['ArithmeticError', 'Exception'], ['ZeroDivisionError', 'ArithmeticError'], ['OverflowError', 'ArithmeticError'],
  ['AssertionError', 'Exception'], ['AttributeError', 'Exception'], ['LookupError', 'Exception'],
  ['IndexError', 'LookupError'], ['KeyError', 'LookupError'], ['NameError', 'Exception'], ['UnboundLocalError', 'NameError'],
  ['RuntimeError', 'Exception'], ['NotImplementedError', 'RuntimeError'], ['RecursionError', 'RuntimeError'],
  ['TypeError', 'Exception'], ['ValueError', 'Exception'], ['ImportError', 'Exception'], ['ModuleNotFoundError', 'ImportError'],
  ['StopIteration', 'Exception'], ['MemoryError', 'Exception'], ['OSError', 'Exception'], ['PermissionError', 'OSError'],
  ['FileNotFoundError', 'OSError'], ['UnicodeError', 'ValueError'], ['Warning', 'Exception'], ['UserWarning', 'Warning'],
  ['DeprecationWarning', 'Warning'],
];

export const builtinExceptions = new Map<string, PyClass>();
for (const [name, base] of hierarchy) {
  const bases = base ? [builtinExceptions.get(base)!] : [];
  const cls = new PyClass(name, bases, new Map(), null);
  cls.mro = [cls, ...(base ? builtinExceptions.get(base)!.mro : [])];
  builtinExceptions.set(name, cls);
}

export function exceptionClass(name: string): PyClass {
  return builtinExceptions.get(name) ?? builtinExceptions.get('RuntimeError')!;
}

export function isExceptionClass(v: PyValue): v is PyClass {
  return v instanceof PyClass && v.mro.includes(builtinExceptions.get('BaseException')!);
}

export function newException(cls: PyClass, args: PyValue[]): PyInstance {
  const exc = new PyInstance(cls);
  exc.dict.set('args', new PyTuple(args));
  return exc;
}

export function raise(typeName: string, message: string): PyException {
  return new PyException(newException(exceptionClass(typeName), [message]));
}

/**
 * `KeyError(key)`: the key itself is the argument (its repr is the message), so `{1: 'a'}[2]`
 * says `KeyError: 2` and `{}['k']` says `KeyError: 'k'`, not the repr of a repr.
 */
export function keyError(key: PyValue): PyException {
  return new PyException(newException(exceptionClass('KeyError'), [key]));
}

/** The last line of a traceback: `Type: message`, or just `Type` when the message is empty (`assert x`). */
export function formatException(e: PyException): string {
  return e.message === '' ? e.typeName : `${e.typeName}: ${e.message}`;
}

/** `repr(exc)`: `ValueError('bad')`, `KeyError('k')`, `ValueError()`, `ValueError('a', 2)`. */
export function exceptionRepr(exc: PyInstance, repr: (v: PyValue) => string): string {
  const args = exc.dict.get('args');
  const items = args instanceof PyTuple ? args.items : [];
  return `${exc.cls.name}(${items.map(repr).join(', ')})`;
}

/** `str(exc)`: the single argument, or the args tuple; KeyError shows its argument's repr. */
export function exceptionMessage(exc: PyInstance): string {
  const args = exc.dict.get('args');
  const items = args instanceof PyTuple ? args.items : [];
  if (items.length === 0) return '';
  if (items.length === 1) return exc.cls.mro.some((c) => c === builtinExceptions.get('KeyError')) ? pyRepr(items[0]) : pyStr(items[0]);
  return pyRepr(args);
}

/** Converts a runtime PyError (PyTorch's message) into a Python exception. */
export function fromRuntimeError(e: PyError): PyException {
  return new PyException(newException(exceptionClass(e.pyType), [e.message]));
}

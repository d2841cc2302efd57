// The shape of signatures.generated.ts: how PyTorch 1.13 itself declares each callable, so
// argument binding (names, defaults, overloads) and its TypeErrors match torch's.
import type { PyValue } from '../python/index.ts';

/** A builtin parsed by torch's PythonArgParser: its signature strings, in the order tried. */
export interface NativeEntry {
  kind: 'native';
  /** The name the parser prints (`sum`, `conv2d`). */
  name: string;
  overloads: string[];
  /** 1 when the parser also holds hidden (deprecated) overloads, which changes its error format. */
  hidden: number;
}

/** A function written in Python (F.relu, torch.split, Tensor.unflatten): CPython binds it. */
export interface PythonEntry {
  kind: 'python';
  qualname: string;
  params: { name: string; default?: PyValue; positionalOnly?: boolean }[];
  kwonly?: { name: string; default?: PyValue }[];
  varargs?: string;
  varkw?: string;
  isMethod?: boolean;
}

/** A C method that takes no arguments (`Tensor.relu()`): CPython's METH_NOARGS messages. */
export interface NoArgsEntry {
  kind: 'noargs';
  qualname: string;
}

export type SignatureEntry = NativeEntry | PythonEntry | NoArgsEntry;
export type SignatureTable = Record<string, SignatureEntry>;

/** A Python default the runtime does not model as a value (a function, `torch.contiguous_format`). */
export class OpaqueDefault {
  constructor(readonly repr: string) {}
  pyRepr(): string { return this.repr; }
}
export const opaque = (repr: string): OpaqueDefault => new OpaqueDefault(repr);

// Python's argument binding (positional, keyword, defaults, *args, **kwargs, keyword-only) with
// CPython 3.11's TypeError messages. Used for built-in layers (`Conv2d.__init__()`) and by the
// evaluator for user functions, so both report argument mistakes in the same words.
import { PyDict, type PyValue, PyTuple } from './values.ts';
import { typeError } from './errors.ts';

export type Kwargs = Map<string, PyValue>;

export interface ParamSpec {
  name: string;
  /** Absent means required. */
  default?: PyValue;
  /** Only accepted by position (before `/`). */
  positionalOnly?: boolean;
}

export interface Signature {
  /** Qualified name as CPython prints it, e.g. `Conv2d.__init__` or `Net.forward`. */
  qualname: string;
  params: ParamSpec[];
  /** Name of `*args`, if any. */
  varargs?: string;
  kwonly?: ParamSpec[];
  /** Name of `**kwargs`, if any. */
  varkw?: string;
  /** A method: `self` is bound already but CPython counts it in "takes N positional arguments". */
  isMethod?: boolean;
}

export type BoundArgs = Map<string, PyValue>;

/** Binds call arguments to a signature; throws a `TypeError` PyError exactly as CPython would. */
export function bindArguments(sig: Signature, args: readonly PyValue[], kwargs: Kwargs = new Map()): BoundArgs {
  const bound: BoundArgs = new Map();
  const selfCount = sig.isMethod ? 1 : 0;
  const positional = sig.params;
  const fn = `${sig.qualname}()`;

  if (args.length > positional.length && !sig.varargs) {
    const required = positional.filter((p) => !('default' in p)).length;
    const takes = required === positional.length
      ? `${positional.length + selfCount}`
      : `from ${required + selfCount} to ${positional.length + selfCount}`;
    const plural = positional.length + selfCount === 1 && required === positional.length ? 'argument' : 'arguments';
    const given = args.length + selfCount;
    throw typeError(`${fn} takes ${takes} positional ${plural} but ${given} ${given === 1 ? 'was' : 'were'} given`);
  }
  positional.forEach((p, i) => { if (i < args.length) bound.set(p.name, args[i]); });
  if (sig.varargs) bound.set(sig.varargs, new PyTuple(args.slice(positional.length)));

  const kwonly = sig.kwonly ?? [];
  const extra = new PyDict();
  for (const [name, value] of kwargs) {
    const p = positional.find((q) => q.name === name) ?? kwonly.find((q) => q.name === name);
    if (p && !p.positionalOnly) {
      if (bound.has(name)) throw typeError(`${fn} got multiple values for argument '${name}'`);
      bound.set(name, value);
    } else if (sig.varkw) {
      extra.set(name, value);
    } else if (p?.positionalOnly) {
      throw typeError(`${fn} got some positional-only arguments passed as keyword arguments: '${name}'`);
    } else {
      throw typeError(`${fn} got an unexpected keyword argument '${name}'`);
    }
  }
  if (sig.varkw) bound.set(sig.varkw, extra);

  const missingPositional = positional.filter((p) => !bound.has(p.name) && !('default' in p)).map((p) => p.name);
  if (missingPositional.length) throw typeError(`${fn} missing ${missingMessage(missingPositional, 'positional')}`);
  const missingKwonly = kwonly.filter((p) => !bound.has(p.name) && !('default' in p)).map((p) => p.name);
  if (missingKwonly.length) throw typeError(`${fn} missing ${missingMessage(missingKwonly, 'keyword-only')}`);

  for (const p of [...positional, ...kwonly]) if (!bound.has(p.name)) bound.set(p.name, p.default);
  return bound;
}

function missingMessage(names: string[], kind: string): string {
  const quoted = names.map((n) => `'${n}'`);
  const list = quoted.length === 1 ? quoted[0]
    : quoted.length === 2 ? `${quoted[0]} and ${quoted[1]}`
      : `${quoted.slice(0, -1).join(', ')}, and ${quoted[quoted.length - 1]}`;
  return `${names.length} required ${kind} argument${names.length === 1 ? '' : 's'}: ${list}`;
}

/** Shorthand for built-in signatures: `sig('Linear.__init__', ['in_features', 'out_features', ['bias', true]])`. */
export function sig(qualname: string, params: (string | [string, PyValue])[], more: Partial<Signature> = {}): Signature {
  return {
    qualname,
    params: params.map((p) => (typeof p === 'string' ? { name: p } : { name: p[0], default: p[1] })),
    ...more,
  };
}

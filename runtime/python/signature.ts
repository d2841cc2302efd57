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

/** A Kwargs that refuses changes, so one instance can stand for every call without keywords. */
class FrozenKwargs extends Map<string, PyValue> {
  override set(): this { throw new Error('internal: the shared empty keyword arguments were modified'); }
  override delete(): boolean { throw new Error('internal: the shared empty keyword arguments were modified'); }
  override clear(): void { throw new Error('internal: the shared empty keyword arguments were modified'); }
}

/**
 * The keyword arguments of a call that has none: shared rather than a new Map per call (most calls
 * pass no keywords). Callees only read their kwargs (those that add some copy them first); a write
 * would throw rather than leak into other calls.
 */
export const noKwargs: Kwargs = new FrozenKwargs();

/**
 * Binds call arguments to a signature; throws a `TypeError` PyError exactly as CPython would.
 * Runs on every call the evaluator makes (user functions, built-in layers), so it allocates only
 * the result on the success path; the messages are built when a call fails.
 */
export function bindArguments(sig: Signature, args: readonly PyValue[], kwargs: Kwargs = noKwargs): BoundArgs {
  const bound: BoundArgs = new Map();
  const positional = sig.params;
  const nPositional = positional.length;

  if (args.length > nPositional && !sig.varargs) throw tooManyPositional(sig, args.length);
  const nGiven = Math.min(args.length, nPositional);
  for (let i = 0; i < nGiven; i++) bound.set(positional[i]!.name, args[i]);
  if (sig.varargs) bound.set(sig.varargs, new PyTuple(args.slice(nPositional)));

  const kwonly = sig.kwonly;
  let extra: PyDict | undefined;
  if (kwargs.size > 0) {
    for (const [name, value] of kwargs) {
      const p = findParam(positional, name) ?? (kwonly ? findParam(kwonly, name) : undefined);
      if (p && !p.positionalOnly) {
        if (bound.has(name)) throw typeError(`${sig.qualname}() got multiple values for argument '${name}'`);
        bound.set(name, value);
      } else if (sig.varkw) {
        (extra ??= new PyDict()).set(name, value);
      } else if (p?.positionalOnly) {
        throw typeError(`${sig.qualname}() got some positional-only arguments passed as keyword arguments: '${name}'`);
      } else {
        throw typeError(`${sig.qualname}() got an unexpected keyword argument '${name}'`);
      }
    }
  }
  if (sig.varkw) bound.set(sig.varkw, extra ?? new PyDict());

  // Missing required arguments are reported before defaults are filled in (positional first, then
  // keyword-only); filling a default while scanning is harmless, as a failed bind is discarded.
  let missing: string[] | undefined;
  for (let i = nGiven; i < nPositional; i++) {
    const p = positional[i]!;
    if (bound.has(p.name)) continue;
    if ('default' in p) bound.set(p.name, p.default);
    else (missing ??= []).push(p.name);
  }
  if (missing) throw typeError(`${sig.qualname}() missing ${missingMessage(missing, 'positional')}`);
  if (kwonly) {
    for (const p of kwonly) {
      if (bound.has(p.name)) continue;
      if ('default' in p) bound.set(p.name, p.default);
      else (missing ??= []).push(p.name);
    }
    if (missing) throw typeError(`${sig.qualname}() missing ${missingMessage(missing, 'keyword-only')}`);
  }
  return bound;
}

function findParam(params: readonly ParamSpec[], name: string): ParamSpec | undefined {
  for (const p of params) if (p.name === name) return p;
  return undefined;
}

function tooManyPositional(sig: Signature, nArgs: number): Error {
  const selfCount = sig.isMethod ? 1 : 0;
  const positional = sig.params;
  const required = positional.filter((p) => !('default' in p)).length;
  const takes = required === positional.length
    ? `${positional.length + selfCount}`
    : `from ${required + selfCount} to ${positional.length + selfCount}`;
  const plural = positional.length + selfCount === 1 && required === positional.length ? 'argument' : 'arguments';
  const given = nArgs + selfCount;
  return typeError(`${sig.qualname}() takes ${takes} positional ${plural} but ${given} ${given === 1 ? 'was' : 'were'} given`);
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

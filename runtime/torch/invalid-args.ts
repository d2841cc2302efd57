// torch's "X() received an invalid combination of arguments" message
// (torch/csrc/utils/invalid_arguments.cpp), quirks included: a bare `*` counts as an argument
// when matching arity, tuples list their element types, and mismatched arguments are `!marked!`.
import { PyList, PyTuple, type Kwargs, type PyValue, runtimeError } from '../python/index.ts';
import { tpName } from './arg-parser.ts';
import { TorchSize } from './objects.ts';

interface OptionArg { name: string; type: string; nullable: boolean }

/** invalid_arguments.cpp's _parseOption: note that a bare `*` counts as an argument. */
function parseOption(option: string): OptionArg[] {
  const body = option.slice(1, -1);
  return body.split(', ').map((arg) => {
    let nullable = false;
    let text = arg;
    if (text.startsWith('[')) { nullable = true; text = text.slice(1, -' or None]'.length); }
    const space = text.lastIndexOf(' ');
    return { name: text.slice(space + 1), type: space < 0 ? text : text.slice(0, space), nullable };
  });
}

function typeMatches(type: string, nullable: boolean, v: PyValue): boolean {
  if (nullable && v === null) return true;
  const name = tpName(v);
  if (type === 'float') return ['float', 'int', 'long'].includes(name);
  if (type === 'int') return ['int', 'long'].includes(name);
  return name === type;
}

function describeValue(v: PyValue): string {
  if (v instanceof PyTuple && !(v instanceof TorchSize)) {
    const inner = v.items.map(tpName).join(', ');
    return `tuple of (${inner}${v.items.length === 1 ? ',' : ''})`;
  }
  if (v instanceof PyList) return `list of [${v.items.map(tpName).join(', ')}]`;
  return tpName(v);
}

function formattedArgDesc(option: OptionArg[], args: readonly PyValue[], kwargs: Kwargs): string {
  const parts: string[] = [];
  const total = args.length + kwargs.size;
  for (let i = 0; i < total; i++) {
    const isKwarg = i >= args.length;
    let arg: PyValue;
    if (isKwarg) {
      const key = option[i]?.name ?? '';
      if (!kwargs.has(key)) throw runtimeError('_Map_base::at');
      arg = kwargs.get(key);
    } else {
      arg = args[i];
    }
    const spec = i < option.length ? option[i]! : null;
    const matching = spec ? typeMatches(spec.type, spec.nullable, arg) : false;
    const text = `${isKwarg ? `${option[i]!.name}=` : ''}${describeValue(arg)}`;
    parts.push(matching ? text : `!${text}!`);
  }
  return `(${parts.join(', ')})`;
}

function argDesc(args: readonly PyValue[], kwargs: Kwargs): string {
  return `(${[...args.map(tpName), ...[...kwargs].map(([k, v]) => `${k}=${tpName(v)}`)].join(', ')})`;
}

function unmatchedKwargs(option: OptionArg[], kwargs: Kwargs): string[] {
  const start = Math.max(0, option.length - kwargs.size);
  const tail = option.slice(start).map((a) => a.name);
  return [...kwargs.keys()].filter((k) => !tail.includes(k));
}

/** format_invalid_args: "X() received an invalid combination of arguments - got (...), but expected ...". */
export function formatInvalidArgs(args: readonly PyValue[], kwargs: Kwargs, fn: string, options: readonly string[]): string {
  let msg = `${fn} received an invalid combination of arguments - `;
  const hasKwargs = kwargs.size > 0;
  const countMatches = (o: OptionArg[]): boolean => o.length === args.length + kwargs.size;
  if (options.length === 1) {
    const option = parseOption(options[0]!);
    const unmatched = hasKwargs ? unmatchedKwargs(option, kwargs) : [];
    if (unmatched.length) return `${msg}got unrecognized keyword arguments: ${unmatched.join(', ')}`;
    msg += `got ${countMatches(option) ? formattedArgDesc(option, args, kwargs) : argDesc(args, kwargs)}`;
    return `${msg}, but expected ${options[0]}`;
  }
  msg += `got ${argDesc(args, kwargs)}, but expected one of:\n`;
  for (const text of options) {
    const option = parseOption(text);
    msg += ` * ${text}\n`;
    if (countMatches(option)) {
      const unmatched = hasKwargs ? unmatchedKwargs(option, kwargs) : [];
      msg += unmatched.length
        ? `      didn't match because some of the keywords were incorrect: ${unmatched.join(', ')}\n`
        : `      didn't match because some of the arguments have invalid types: ${formattedArgDesc(option, args, kwargs)}\n`;
    }
  }
  return msg;
}


// Python's string formatting: the format-spec mini-language (f-strings, str.format, format())
// and printf-style `%` formatting, for the int/float/str values model code formats.
import { PyFloat, PyTuple, PyDict, type PyValue, pyTypeName, type Kwargs, formatFloat } from '../../runtime/python/index.ts';
import { raise } from './exceptions.ts';
import type { Interpreter } from './interpreter.ts';

const SPEC = /^(?:(.)?([<>=^]))?([+\- ])?(#)?(0)?(\d+)?([,_])?(?:\.(\d+))?([bcdeEfFgGnosxX%])?$/;

/** `format(value, spec)`. */
export function formatValue(it: Interpreter, v: PyValue, spec: string): string {
  if (spec === '') return it.str(v);
  const m = SPEC.exec(spec);
  if (!m) throw raise('ValueError', `Invalid format specifier '${spec}' for object of type '${pyTypeName(v)}'`);
  const [, fillChar, align, sign, , zero, widthText, grouping, precisionText, type] = m;
  const precision = precisionText === undefined ? undefined : Number(precisionText);
  let body: string;
  const isNumber = typeof v === 'number' || typeof v === 'boolean' || v instanceof PyFloat;
  if (isNumber) {
    const x = v instanceof PyFloat ? v.value : Number(v);
    const isFloat = v instanceof PyFloat;
    body = formatNumber(x, isFloat, type, precision);
    if (grouping) {
      const [intPart, frac] = body.replace('-', '').split('.');
      body = (x < 0 ? '-' : '') + intPart!.replace(/\B(?=(\d{3})+(?!\d))/g, grouping) + (frac !== undefined ? `.${frac}` : '');
    }
    if (sign === '+' && x >= 0) body = `+${body}`;
    if (sign === ' ' && x >= 0) body = ` ${body}`;
  } else {
    if (type && type !== 's') throw raise('ValueError', `Unknown format code '${type}' for object of type '${pyTypeName(v)}'`);
    body = it.str(v);
    if (precision !== undefined) body = body.slice(0, precision);
  }
  const width = widthText ? Number(widthText) : 0;
  if (body.length >= width) return body;
  const fill = fillChar ?? (zero && isNumber ? '0' : ' ');
  const alignment = align ?? (zero && isNumber ? '=' : isNumber ? '>' : '<');
  const pad = width - body.length;
  switch (alignment) {
    case '<': return body + fill.repeat(pad);
    case '>': return fill.repeat(pad) + body;
    case '^': return fill.repeat(Math.floor(pad / 2)) + body + fill.repeat(Math.ceil(pad / 2));
    default: {
      const signChar = /^[+\- ]/.test(body) ? body[0] : '';
      return signChar + fill.repeat(pad) + body.slice(signChar!.length);
    }
  }
}

function formatNumber(x: number, isFloat: boolean, type: string | undefined, precision: number | undefined): string {
  switch (type) {
    case 'd': case 'n':
      if (isFloat) throw raise('ValueError', "Unknown format code 'd' for object of type 'float'");
      return String(x);
    case 'f': case 'F': return x.toFixed(precision ?? 6);
    case 'e': case 'E': {
      const s = x.toExponential(precision ?? 6).replace(/e([+-])(\d)$/, 'e$10$2');
      return type === 'E' ? s.toUpperCase() : s;
    }
    case '%': return `${(x * 100).toFixed(precision ?? 6)}%`;
    case 'g': case 'G': {
      const p = precision === 0 ? 1 : precision ?? 6;
      const exp = x === 0 ? 0 : Math.floor(Math.log10(Math.abs(x)));
      if (exp < -4 || exp >= p) return x.toExponential(p - 1).replace(/\.?0+e/, 'e').replace(/e([+-])(\d)$/, 'e$10$2');
      return String(Number(x.toPrecision(p)));
    }
    case 'x': return x.toString(16);
    case 'X': return x.toString(16).toUpperCase();
    case 'o': return x.toString(8);
    case 'b': return x.toString(2);
    case 'c': return String.fromCodePoint(x);
    default:
      if (!isFloat) return String(x);
      return precision === undefined ? formatFloat(x) : String(Number(x.toPrecision(precision)));
  }
}

/** `str.format(*args, **kwargs)` with `{}`, `{0}`, `{name}`, `{name.attr}`, `{0[1]}`, `!r`, and specs. */
export function formatString(it: Interpreter, template: string, args: PyValue[], kwargs: Kwargs): string {
  let auto = 0;
  return template.replace(/\{\{|\}\}|\{([^{}]*)\}/g, (whole, field: string | undefined) => {
    if (whole === '{{') return '{';
    if (whole === '}}') return '}';
    const m = /^([^!:]*)(?:!([rsa]))?(?::(.*))?$/.exec(field ?? '')!;
    const [, ref, conversion, spec] = m;
    const path = ref!.match(/^[^.[]*|\.[^.[]+|\[[^\]]+\]/g) ?? [''];
    const head = path[0] ?? '';
    let value: PyValue;
    if (head === '') value = args[auto++];
    else if (/^\d+$/.test(head)) value = args[Number(head)];
    else {
      if (!kwargs.has(head)) throw raise('KeyError', `'${head}'`);
      value = kwargs.get(head);
    }
    if (value === undefined) throw raise('IndexError', `Replacement index ${head || auto - 1} out of range for positional args tuple`);
    for (const part of path.slice(1)) {
      value = part.startsWith('.') ? it.getAttr(value, part.slice(1)) : it.getItem(value, /^\d+$/.test(part.slice(1, -1)) ? Number(part.slice(1, -1)) : part.slice(1, -1));
    }
    if (conversion === 'r' || conversion === 'a') value = it.repr(value);
    else if (conversion === 's') value = it.str(value);
    return formatValue(it, value, spec ?? '');
  });
}

/** printf-style `"%d items" % n`. */
export function percentFormat(it: Interpreter, template: string, arg: PyValue): string {
  const values = arg instanceof PyTuple ? [...arg.items] : [arg];
  let index = 0;
  const out = template.replace(/%(\(([^)]+)\))?([-+ 0#]*)(\d+|\*)?(?:\.(\d+))?([diouxXeEfFgGcrsa%])/g,
    (_w, _k, key: string | undefined, flags: string, width: string | undefined, precision: string | undefined, type: string) => {
      if (type === '%') return '%';
      const v = key !== undefined && arg instanceof PyDict ? arg.get(key) : values[index++];
      if (v === undefined) throw raise('TypeError', 'not enough arguments for format string');
      let body: string;
      if (type === 's') body = it.str(v);
      else if (type === 'r' || type === 'a') body = it.repr(v);
      else {
        const x = v instanceof PyFloat ? v.value : Number(v);
        if (type === 'd' || type === 'i' || type === 'u') body = String(Math.trunc(x));
        else body = formatNumber(x, true, type, precision === undefined ? undefined : Number(precision));
        if (flags.includes('+') && x >= 0) body = `+${body}`;
      }
      const w = width ? Number(width) : 0;
      if (body.length < w) body = flags.includes('-') ? body.padEnd(w) : body.padStart(w, flags.includes('0') && type !== 's' ? '0' : ' ');
      return body;
    });
  if (!(arg instanceof PyDict) && index < values.length) throw raise('TypeError', 'not all arguments converted during string formatting');
  return out;
}

// Python's string formatting: the format-spec mini-language (f-strings, str.format, format())
// and printf-style `%` formatting, for the int/float/str values model code formats.
import { PyFloat, PyTuple, PyDict, type PyValue, pyTypeName, type Kwargs, formatFloat } from '../../runtime/python/index.ts';
import { keyError, raise } from './exceptions.ts';
import type { Interpreter } from './interpreter.ts';

const SPEC = /^(?:(.)?([<>=^]))?([+\- ])?(#)?(0)?(\d+)?([,_])?(?:\.(\d+))?([bcdeEfFgGnosxX%])?$/;

/** `format(value, spec)`. */
export function formatValue(it: Interpreter, v: PyValue, spec: string): string {
  if (spec === '') return it.str(v);
  const m = SPEC.exec(spec);
  if (!m) throw raise('ValueError', `Invalid format specifier '${spec}' for object of type '${pyTypeName(v)}'`);
  const [, fillChar, align, sign, alternate, zero, widthText, grouping, precisionText, type] = m;
  const precision = precisionText === undefined ? undefined : Number(precisionText);
  let body: string;
  /** Sign and `0x` prefix: `=` alignment pads between them and the digits. */
  let lead = '';
  const isNumber = typeof v === 'number' || typeof v === 'boolean' || v instanceof PyFloat;
  if (isNumber) {
    const x = v instanceof PyFloat ? v.value : Number(v);
    const isFloat = v instanceof PyFloat;
    const raw = formatNumber(x, isFloat, type, precision);
    const negative = raw.startsWith('-');
    body = negative ? raw.slice(1) : raw;
    if (grouping) {
      const [intPart, frac] = body.split('.');
      body = intPart!.replace(/\B(?=(\d{3})+(?!\d))/g, grouping) + (frac !== undefined ? `.${frac}` : '');
    }
    lead = negative ? '-' : sign === '+' ? '+' : sign === ' ' ? ' ' : '';
    // `#` (alternate form): `0x`/`0o`/`0b` prefixes for integers.
    if (alternate && !isFloat && type && 'xXob'.includes(type)) lead += type === 'X' ? '0X' : `0${type}`;
  } else {
    if (type && type !== 's') throw raise('ValueError', `Unknown format code '${type}' for object of type '${pyTypeName(v)}'`);
    body = it.str(v);
    if (precision !== undefined) body = body.slice(0, precision);
  }
  const width = widthText ? Number(widthText) : 0;
  const whole = lead + body;
  if (whole.length >= width) return whole;
  const fill = fillChar ?? (zero && isNumber ? '0' : ' ');
  const alignment = align ?? (zero && isNumber ? '=' : isNumber ? '>' : '<');
  const pad = width - whole.length;
  switch (alignment) {
    case '<': return whole + fill.repeat(pad);
    case '>': return fill.repeat(pad) + whole;
    case '^': return fill.repeat(Math.floor(pad / 2)) + whole + fill.repeat(Math.ceil(pad / 2));
    default: return lead + fill.repeat(pad) + body;
  }
}

function formatNumber(x: number, isFloat: boolean, type: string | undefined, precision: number | undefined): string {
  if (!Number.isFinite(x) && type !== undefined && 'eEfFgG%'.includes(type)) {
    const text = Number.isNaN(x) ? 'nan' : x > 0 ? 'inf' : '-inf';
    return (type === type.toUpperCase() && type !== '%' ? text.toUpperCase() : text) + (type === '%' ? '%' : '');
  }
  switch (type) {
    case 'd': case 'n':
      if (isFloat) throw raise('ValueError', "Unknown format code 'd' for object of type 'float'");
      return String(x);
    case 'f': case 'F': { const t = fixedHalfEven(x, precision ?? 6); return type === 'F' ? t.toUpperCase() : t; }
    case 'e': case 'E': {
      const s = x.toExponential(precision ?? 6).replace(/e([+-])(\d)$/, 'e$10$2');
      return type === 'E' ? s.toUpperCase() : s;
    }
    case '%': return `${fixedHalfEven(x * 100, precision ?? 6)}%`;
    case 'g': case 'G': { const t = generalFormat(x, precision); return type === 'G' ? t.toUpperCase() : t; }
    case 'x': return x.toString(16);
    case 'X': return x.toString(16).toUpperCase();
    case 'o': return x.toString(8);
    case 'b': return x.toString(2);
    case 'c': return String.fromCodePoint(x);
    default: {
      if (!isFloat) return String(x);
      if (precision === undefined) return formatFloat(x);
      // No type with a precision: like 'g', but a fixed-point result keeps one decimal (`f'{3.0:.3}'` is 3.0).
      const t = generalFormat(x, precision);
      return /[.en]/.test(t) ? t : `${t}.0`;
    }
  }
}

/** The 'g' presentation: exponent form outside [1e-4, 10**precision), trailing zeros removed. */
function generalFormat(x: number, precision: number | undefined): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? 'nan' : x > 0 ? 'inf' : '-inf';
  const p = precision === 0 ? 1 : precision ?? 6;
  // The exponent after rounding to p digits decides (999999.5 with 6 digits is 1e+06).
  const [mantissa, expText] = x.toExponential(p - 1).split('e');
  const exp = Number(expText);
  if (exp < -4 || exp >= p) {
    const m = mantissa!.includes('.') ? mantissa!.replace(/\.?0+$/, '') : mantissa!;
    return `${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  const fixed = fixedHalfEven(x, Math.max(0, p - 1 - exp));
  return fixed.includes('.') ? fixed.replace(/\.?0+$/, '') : fixed;
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
      if (!kwargs.has(head)) throw keyError(head);
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
      let lead = '';
      if (type === 's') body = it.str(v);
      else if (type === 'r' || type === 'a') body = it.repr(v);
      else if (type === 'c') {
        if (typeof v === 'number') body = String.fromCodePoint(v);
        else if (typeof v === 'string' && [...v].length === 1) body = v;
        else throw raise('TypeError', '%c requires int or char');
      } else {
        // CPython's TypeErrors for a value that is not a number.
        const isNum = typeof v === 'number' || typeof v === 'boolean' || v instanceof PyFloat;
        if ('diu'.includes(type) && !isNum) throw raise('TypeError', `%${type} format: a real number is required, not ${pyTypeName(v)}`);
        if ('xXo'.includes(type) && !(typeof v === 'number' || typeof v === 'boolean')) throw raise('TypeError', `%${type} format: an integer is required, not ${pyTypeName(v)}`);
        if (!isNum) throw raise('TypeError', `must be real number, not ${pyTypeName(v)}`);
        const x = v instanceof PyFloat ? v.value : Number(v);
        const raw = 'diu'.includes(type) ? String(Math.trunc(x)) : formatNumber(x, true, type, precision === undefined ? undefined : Number(precision));
        body = raw.startsWith('-') ? raw.slice(1) : raw;
        lead = raw.startsWith('-') ? '-' : flags.includes('+') ? '+' : flags.includes(' ') ? ' ' : '';
        if (flags.includes('#') && 'xXo'.includes(type)) lead += type === 'X' ? '0X' : `0${type}`;
      }
      const w = width ? Number(width) : 0;
      const pad = Math.max(0, w - lead.length - body.length);
      if (flags.includes('-')) return lead + body + ' '.repeat(pad);
      // Zero padding goes between the sign and the digits (`'%05d' % -42` is -0042).
      if (flags.includes('0') && !'srac'.includes(type)) return lead + '0'.repeat(pad) + body;
      return ' '.repeat(pad) + lead + body;
    });
  if (!(arg instanceof PyDict) && index < values.length) throw raise('TypeError', 'not all arguments converted during string formatting');
  return out;
}

// ------------------------------------------------------------------ exact decimal rounding

/** A finite double as `num / 2**shift` exactly (num a signed bigint). */
function exactBinary(x: number): { num: bigint; shift: bigint } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const negative = bits >> 63n === 1n;
  const exponent = Number((bits >> 52n) & 0x7ffn);
  let mantissa = bits & 0xfffffffffffffn;
  let power: number;
  if (exponent === 0) power = -1074; else { mantissa |= 1n << 52n; power = exponent - 1075; }
  let num = negative ? -mantissa : mantissa;
  if (power >= 0) { num <<= BigInt(power); return { num, shift: 0n }; }
  return { num, shift: BigInt(-power) };
}

/**
 * `x * 10**digits` rounded to an integer, ties to even, computed on the exact binary value of x:
 * how CPython rounds in `round(x, n)` and `'%.nf'`/`f'{x:.nf}'` (JS's toFixed rounds ties away
 * from zero, so `f'{2.5:.0f}'` would be 3 instead of Python's 2, and `'%.1f' % 2.25` 2.3 not 2.2).
 */
export function scaledRoundHalfEven(x: number, digits: number): bigint {
  const { num, shift } = exactBinary(x);
  let numer = num < 0n ? -num : num;
  let denom = 1n << shift;
  if (digits >= 0) numer *= 10n ** BigInt(digits); else denom *= 10n ** BigInt(-digits);
  let q = numer / denom;
  const twice = 2n * (numer - q * denom);
  if (twice > denom || (twice === denom && q % 2n === 1n)) q += 1n;
  return num < 0n ? -q : q;
}

/** `format(x, '.{digits}f')` as CPython writes it (sign kept for negative zero, no exponent for huge values). */
export function fixedHalfEven(x: number, digits: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  const negative = x < 0 || Object.is(x, -0);
  const q = scaledRoundHalfEven(Math.abs(x), digits);
  let text = q.toString().padStart(digits + 1, '0');
  if (digits > 0) text = `${text.slice(0, text.length - digits)}.${text.slice(text.length - digits)}`;
  return (negative ? '-' : '') + text;
}

/** Python's `round(x, digits)` for a float: the exact value rounded half to even, then the nearest double. */
export function roundFloat(x: number, digits: number): number {
  if (!Number.isFinite(x) || digits > 330) return x;
  if (digits < -330) return x < 0 || Object.is(x, -0) ? -0 : 0;
  const q = scaledRoundHalfEven(x, digits);
  const r = Number.parseFloat(`${q}e${-digits}`);
  return r === 0 && (x < 0 || Object.is(x, -0)) ? -0 : r;
}

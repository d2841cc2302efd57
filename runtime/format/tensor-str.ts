// `repr(tensor)` as PyTorch 1.13 prints it (torch/_tensor_str.py): precision 4, scientific
// notation when the non-zero finite magnitudes span more than 1000x, exceed 1e8 or go below 1e-4,
// integer-valued floats as `1.`, summarisation with `...` above 1000 elements (3 edge items),
// 80-column lines, the `dtype=`/`device=`/`requires_grad=True`/`grad_fn=` suffixes, and
// `Parameter containing:` for parameters. Meta tensors print `tensor(..., device='meta', size=...)`.
import { type DType, defaultComplexDType, defaultFloatDType } from '../dtype.ts';
import { Parameter, type Tensor } from '../tensor.ts';
import { formatExponent, formatFixed } from './python-float.ts';

export interface PrintOptions {
  precision: number;
  threshold: number;
  edgeitems: number;
  linewidth: number;
  /** null: decided per tensor (the default). */
  sciMode: boolean | null;
}

export const defaultPrintOptions: Readonly<PrintOptions> = { precision: 4, threshold: 1000, edgeitems: 3, linewidth: 80, sciMode: null };

/** torch.set_printoptions's state. */
export const printOptions: PrintOptions = { ...defaultPrintOptions };

export function setPrintOptions(options: Partial<PrintOptions>): void { Object.assign(printOptions, options); }

/** An element: a float (also the halves of a complex), an integer (int64 as bigint) or a bool. */
type Elem = number | bigint;

/** The float formatter or the '{}' formatter of `_Formatter`, over the values that will print. */
class Formatter {
  intMode = true;
  sciMode = false;
  maxWidth = 1;

  constructor(values: readonly Elem[], private readonly floating: boolean, private readonly isBool: boolean) {
    const p = printOptions.precision;
    if (!floating) {
      for (const v of values) this.maxWidth = Math.max(this.maxWidth, this.plain(v).length);
    } else {
      const finite = (values as number[]).filter((v) => Number.isFinite(v) && v !== 0);
      if (finite.length) {
        let min = Infinity;
        let max = 0;
        for (const v of finite) { const a = Math.abs(v); if (a < min) min = a; if (a > max) max = a; }
        this.intMode = finite.every((v) => v === Math.ceil(v));
        if (this.intMode) {
          if (max / min > 1000 || max > 1e8) {
            this.sciMode = true;
            for (const v of finite) this.maxWidth = Math.max(this.maxWidth, formatExponent(v, p).length);
          } else {
            for (const v of finite) this.maxWidth = Math.max(this.maxWidth, formatFixed(v, 0).length + 1);
          }
        } else if (max / min > 1000 || max > 1e8 || min < 1e-4) {
          this.sciMode = true;
          for (const v of finite) this.maxWidth = Math.max(this.maxWidth, formatExponent(v, p).length);
        } else {
          for (const v of finite) this.maxWidth = Math.max(this.maxWidth, formatFixed(v, p).length);
        }
      }
    }
    if (printOptions.sciMode !== null) this.sciMode = printOptions.sciMode;
  }

  private plain(v: Elem): string {
    if (this.isBool) return v ? 'True' : 'False';
    return typeof v === 'bigint' ? v.toString() : String(v);
  }

  width(): number { return this.maxWidth; }

  format(v: Elem): string {
    let ret: string;
    if (this.floating) {
      const x = v as number;
      if (this.sciMode) ret = formatExponent(x, printOptions.precision);
      else if (this.intMode) ret = formatFixed(x, 0) + (Number.isFinite(x) ? '.' : '');
      else ret = formatFixed(x, printOptions.precision);
    } else {
      ret = this.plain(v);
    }
    return ' '.repeat(Math.max(0, this.maxWidth - ret.length)) + ret;
  }
}

/** Row-major element access to a tensor's values (a complex element is its real or imaginary part). */
class Values {
  readonly strides: number[];
  constructor(readonly t: Tensor, readonly part: 'real' | 'imag' | null) {
    this.strides = [];
    let s = 1;
    for (let i = t.shape.length - 1; i >= 0; i--) { this.strides[i] = s; s *= t.shape[i]!; }
  }

  at(flat: number): Elem {
    const d = this.t.data!;
    if (this.part) return d[2 * flat + (this.part === 'imag' ? 1 : 0)] as number;
    const v = d[flat]!;
    return v;
  }
}

/** `get_summarized_data`: the flat values of the edge items (all of them when a dim is short). */
function summarizedValues(v: Values, dim: number, offset: number, out: Elem[]): void {
  const shape = v.t.shape;
  if (dim === shape.length) { out.push(v.at(offset)); return; }
  const size = shape[dim]!;
  const e = printOptions.edgeitems;
  const indices = size > 2 * e ? [...range(0, e), ...range(size - e, size)] : range(0, size);
  for (const i of indices) summarizedValues(v, dim + 1, offset + i * v.strides[dim]!, out);
}

function range(a: number, b: number): number[] {
  const out: number[] = [];
  for (let i = a; i < b; i++) out.push(i);
  return out;
}

function allValues(v: Values): Elem[] {
  const n = v.t.numel();
  const out: Elem[] = new Array(n);
  for (let i = 0; i < n; i++) out[i] = v.at(i);
  return out;
}

interface Fmt { real: Formatter; realValues: Values; imag: Formatter | null; imagValues: Values | null }

function formatElement(f: Fmt, flat: number): string {
  const re = f.real.format(f.realValues.at(flat));
  if (!f.imag) return re;
  const im = `${f.imag.format(f.imagValues!.at(flat))}j`.trimStart();
  return im[0] === '+' || im[0] === '-' ? re + im : `${re}+${im}`;
}

function vectorStr(f: Fmt, offset: number, size: number, stride: number, indent: number, summarize: boolean): string {
  let elementLength = f.real.width() + 2;
  if (f.imag) elementLength += f.imag.width() + 1;
  const perLine = Math.max(1, Math.floor((printOptions.linewidth - indent) / elementLength));
  const e = printOptions.edgeitems;
  let data: string[];
  if (summarize && !e) data = ['...'];
  else if (summarize && size > 2 * e) {
    data = [...range(0, e).map((i) => formatElement(f, offset + i * stride)), ' ...', ...range(size - e, size).map((i) => formatElement(f, offset + i * stride))];
  } else {
    data = range(0, size).map((i) => formatElement(f, offset + i * stride));
  }
  const lines: string[] = [];
  for (let i = 0; i < data.length; i += perLine) lines.push(data.slice(i, i + perLine).join(', '));
  return `[${lines.join(`,\n${' '.repeat(indent + 1)}`)}]`;
}

function tensorStrWithFormatter(f: Fmt, dim: number, offset: number, indent: number, summarize: boolean): string {
  const shape = f.realValues.t.shape;
  const strides = f.realValues.strides;
  const ndim = shape.length - dim;
  if (ndim === 0) return formatElement(f, offset);
  if (ndim === 1) return vectorStr(f, offset, shape[dim]!, strides[dim]!, indent, summarize);
  const size = shape[dim]!;
  const e = printOptions.edgeitems;
  const sub = (i: number): string => tensorStrWithFormatter(f, dim + 1, offset + i * strides[dim]!, indent + 1, summarize);
  const slices = summarize && size > 2 * e
    ? [...range(0, e).map(sub), '...', ...range(size - e, size).map(sub)]
    : range(0, size).map(sub);
  return `[${slices.join(`,${'\n'.repeat(ndim - 1)}${' '.repeat(indent + 1)}`)}]`;
}

/** `_tensor_str(self, indent)` for a tensor with values. */
export function tensorBody(t: Tensor, indent: number): string {
  if (t.numel() === 0) return '[]';
  const summarize = t.numel() > printOptions.threshold;
  const floating = t.dtype.isFloatingPoint;
  const isBool = t.dtype.name === 'bool';
  const makeFormatter = (v: Values, fl: boolean): Formatter => new Formatter(summarize ? summarizedOf(v) : allValues(v), fl, isBool);
  if (t.dtype.isComplex) {
    const re = new Values(t, 'real');
    const im = new Values(t, 'imag');
    return tensorStrWithFormatter({ real: makeFormatter(re, true), realValues: re, imag: makeFormatter(im, true), imagValues: im }, 0, 0, indent, summarize);
  }
  const v = new Values(t, null);
  return tensorStrWithFormatter({ real: makeFormatter(v, floating), realValues: v, imag: null, imagValues: null }, 0, 0, indent, summarize);
}

function summarizedOf(v: Values): Elem[] {
  const out: Elem[] = [];
  summarizedValues(v, 0, 0, out);
  return out;
}

/** `_add_suffixes`. */
function addSuffixes(tensorStr: string, suffixes: string[], indent: number): string {
  const parts = [tensorStr];
  let lastLineLen = tensorStr.length - tensorStr.lastIndexOf('\n') + 1;
  for (const suffix of suffixes) {
    if (lastLineLen + suffix.length + 2 > printOptions.linewidth) {
      parts.push(`,\n${' '.repeat(indent)}${suffix}`);
      lastLineLen = indent + suffix.length;
    } else {
      parts.push(`, ${suffix}`);
      lastLineLen += suffix.length + 2;
    }
  }
  parts.push(')');
  return parts.join('');
}

const dtypeText = (d: DType): string => d.pyRepr();

const sizeText = (shape: readonly number[]): string => `(${shape.join(', ')}${shape.length === 1 ? ',' : ''})`;

/** `_str_intern`: `tensor(...)` with its suffixes. */
export function tensorStrIntern(t: Tensor): string {
  const prefix = 'tensor(';
  const indent = prefix.length;
  const suffixes: string[] = [];
  if (t.device === 'meta') suffixes.push("device='meta'");
  const defaultFloat = defaultFloatDType();
  const hasDefaultDtype = t.dtype === defaultFloat || t.dtype === defaultComplexDType() || t.dtype.name === 'int64' || t.dtype.name === 'bool';
  let body: string;
  if (t.device === 'meta' || t.data === null) {
    suffixes.push(`size=${sizeText(t.shape)}`);
    if (t.dtype !== defaultFloat) suffixes.push(`dtype=${dtypeText(t.dtype)}`);
    body = '...';
  } else if (t.numel() === 0) {
    if (t.shape.length !== 1) suffixes.push(`size=${sizeText(t.shape)}`);
    if (t.dtype !== defaultFloat) suffixes.push(`dtype=${dtypeText(t.dtype)}`);
    body = '[]';
  } else {
    if (!hasDefaultDtype) suffixes.push(`dtype=${dtypeText(t.dtype)}`);
    body = tensorBody(t, indent);
  }
  if (t.gradFn) suffixes.push(`grad_fn=<${t.gradFn}>`);
  else if (t.requiresGrad) suffixes.push('requires_grad=True');
  return addSuffixes(prefix + body, suffixes, indent);
}

/** `repr(t)` (= `str(t)`): parameters print `Parameter containing:` on a line of its own first. */
export function formatTensor(t: Tensor): string {
  const text = tensorStrIntern(t);
  return t instanceof Parameter ? `Parameter containing:\n${text}` : text;
}

// Python's operators on the evaluator's values, with CPython's results and error messages:
// int/float/bool arithmetic (`//` floors, `%` takes the divisor's sign, `/` is always float),
// sequence concatenation and repetition, comparisons, and tensors through the runtime.
import {
  PyDict, PyFloat, PyList, PyTuple, type PyValue, NeedsValuesError, dictKey, pyTypeName,
} from '../../runtime/python/index.ts';
import { Tensor } from '../../runtime/tensor.ts';
import { Module } from '../../runtime/nn/module.ts';
import { tensorBinaryOp, tensorCompare, tensorUnaryOp } from '../../runtime/torch/index.ts';
import type { BinOperator, CmpOperator, UnaryOperator } from '../syntax/ast.ts';
import { raise } from './exceptions.ts';
import { Opaque, PyInstance, PyRange, PySet } from './objects.ts';
import type { Interpreter } from './interpreter.ts';

const isNum = (v: PyValue): v is number | boolean | PyFloat => typeof v === 'number' || typeof v === 'boolean' || v instanceof PyFloat;
const num = (v: number | boolean | PyFloat): number => (v instanceof PyFloat ? v.value : typeof v === 'boolean' ? (v ? 1 : 0) : v);
const isFloatish = (v: PyValue): boolean => v instanceof PyFloat;

/** Wraps an int-typed JS result; keeps float typing when either operand was a float. */
function numResult(x: number, asFloat: boolean): PyValue {
  return asFloat ? new PyFloat(x) : x;
}

function pyFloorMod(a: number, b: number): number {
  const r = a % b;
  return r !== 0 && (r < 0) !== (b < 0) ? r + b : r;
}

export function binaryOp(it: Interpreter, op: BinOperator, a: PyValue, b: PyValue): PyValue {
  if (a instanceof Opaque || b instanceof Opaque) return a instanceof Opaque ? a : b;
  if (a instanceof Tensor || b instanceof Tensor) return tensorBinaryOp(op, a, b);
  if (isNum(a) && isNum(b)) return numericOp(op, a, b);
  const user = it.tryUserBinaryOp(op, a, b);
  if (user !== undefined) return user;

  if (op === '+') {
    if (typeof a === 'string' && typeof b === 'string') return it.budget.checkString(a + b);
    if (a instanceof PyList && b instanceof PyList) return new PyList(it.budget.checkArray([...a.items, ...b.items]));
    if (a instanceof PyTuple && b instanceof PyTuple) return new PyTuple(it.budget.checkArray([...a.items, ...b.items]));
    // CPython's words for `"dim: " + 512` and `[1] + (2,)`.
    const seqName = typeof a === 'string' ? 'str' : a instanceof PyList ? 'list' : a instanceof PyTuple ? 'tuple' : null;
    if (seqName) throw raise('TypeError', `can only concatenate ${seqName} (not "${pyTypeName(b)}") to ${seqName}`);
  }
  if (op === '*') {
    const seq = typeof b === 'number' || typeof b === 'boolean' ? a : b;
    const times = seq === a ? b : a;
    if (typeof times === 'number' || typeof times === 'boolean') {
      const n = Math.max(0, num(times));
      if (typeof seq === 'string') return it.budget.checkString(seq.repeat(it.budget.checkCount(seq.length * n, n)));
      if (seq instanceof PyList) return new PyList(repeat(it, seq.items, n));
      if (seq instanceof PyTuple) return new PyTuple(repeat(it, seq.items, n));
    }
    const isSeq = (v: PyValue): boolean => typeof v === 'string' || v instanceof PyList || v instanceof PyTuple;
    if (isSeq(a) || isSeq(b)) throw raise('TypeError', `can't multiply sequence by non-int of type '${pyTypeName(isSeq(a) ? b : a)}'`);
  }
  if (op === '%' && typeof a === 'string') return it.percentFormat(a, b);
  if (op === '|' && a instanceof PyDict && b instanceof PyDict) return new PyDict([...a.items(), ...b.items()]);
  if (a instanceof PySet && b instanceof PySet && ['|', '&', '-', '^'].includes(op)) return setOp(op, a, b);
  throw raise('TypeError', `unsupported operand type(s) for ${op === '**' ? '** or pow()' : op}: '${pyTypeName(a)}' and '${pyTypeName(b)}'`);
}

function repeat(it: Interpreter, items: readonly PyValue[], n: number): PyValue[] {
  it.budget.checkCount(items.length * n, items.length * n);
  const out: PyValue[] = [];
  for (let i = 0; i < n; i++) out.push(...items);
  return out;
}

function numericOp(op: BinOperator, a: number | boolean | PyFloat, b: number | boolean | PyFloat): PyValue {
  const x = num(a), y = num(b);
  const asFloat = isFloatish(a) || isFloatish(b);
  switch (op) {
    case '+': return numResult(x + y, asFloat);
    case '-': return numResult(x - y, asFloat);
    case '*': return numResult(x * y, asFloat);
    case '/':
      if (y === 0) throw raise('ZeroDivisionError', asFloat ? 'float division by zero' : 'division by zero');
      return new PyFloat(x / y);
    case '//':
      if (y === 0) throw raise('ZeroDivisionError', asFloat ? 'float floor division by zero' : 'integer division or modulo by zero');
      return numResult(Math.floor(x / y), asFloat);
    case '%':
      if (y === 0) throw raise('ZeroDivisionError', asFloat ? 'float modulo' : 'integer modulo by zero');
      return numResult(pyFloorMod(x, y), asFloat);
    case '**':
      if (x === 0 && y < 0) throw raise('ZeroDivisionError', asFloat ? '0.0 cannot be raised to a negative power' : '0.0 cannot be raised to a negative power');
      return numResult(x ** y, asFloat || y < 0);
    case '@': break;
    default: {
      if (asFloat) break;
      switch (op) {
        case '&': return Number(BigInt(x) & BigInt(y));
        case '|': return Number(BigInt(x) | BigInt(y));
        case '^': return Number(BigInt(x) ^ BigInt(y));
        case '<<': return Number(BigInt(x) << BigInt(y));
        case '>>': return Number(BigInt(x) >> BigInt(y));
      }
    }
  }
  throw raise('TypeError', `unsupported operand type(s) for ${op}: '${pyTypeName(a)}' and '${pyTypeName(b)}'`);
}

function setOp(op: BinOperator, a: PySet, b: PySet): PySet {
  const out = new PySet(a.frozen);
  const add = (k: string, v: PyValue): void => { out.items.set(k, v); };
  if (op === '|') { a.items.forEach((v, k) => add(k, v)); b.items.forEach((v, k) => add(k, v)); }
  if (op === '&') a.items.forEach((v, k) => { if (b.items.has(k)) add(k, v); });
  if (op === '-') a.items.forEach((v, k) => { if (!b.items.has(k)) add(k, v); });
  if (op === '^') {
    a.items.forEach((v, k) => { if (!b.items.has(k)) add(k, v); });
    b.items.forEach((v, k) => { if (!a.items.has(k)) add(k, v); });
  }
  return out;
}

export function unaryOp(it: Interpreter, op: UnaryOperator, v: PyValue): PyValue {
  if (op === 'not') return !it.truthy(v);
  if (v instanceof Opaque) return v;
  if (v instanceof Tensor) return tensorUnaryOp(op, v);
  if (isNum(v)) {
    const x = num(v);
    if (op === '-') return numResult(-x, isFloatish(v));
    if (op === '+') return numResult(x, isFloatish(v));
    if (op === '~' && !isFloatish(v)) return ~x;
  }
  throw raise('TypeError', `bad operand type for unary ${op}: '${pyTypeName(v)}'`);
}

// ------------------------------------------------------------------ comparisons

export function compare(it: Interpreter, op: CmpOperator, a: PyValue, b: PyValue): PyValue {
  switch (op) {
    case 'is': return identical(a, b);
    case 'is not': return !identical(a, b);
    case 'in': return contains(it, b, a);
    case 'not in': return !contains(it, b, a);
  }
  if (a instanceof Tensor || b instanceof Tensor) return tensorCompare(op, a, b);
  if (a instanceof Opaque || b instanceof Opaque) return a instanceof Opaque ? a : b;
  if (op === '==') return equals(it, a, b);
  if (op === '!=') return !equals(it, a, b);
  if (isUserObject(it, a) || isUserObject(it, b)) return richCompare(it, op, a, b);
  const c = order(it, op, a, b);
  switch (op) {
    case '<': return c < 0;
    case '<=': return c <= 0;
    case '>': return c > 0;
    case '>=': return c >= 0;
  }
}

/** `is`: identity for objects, value identity for the immutable singletons and small values. */
function identical(a: PyValue, b: PyValue): boolean {
  if (a === undefined) a = null;
  if (b === undefined) b = null;
  if (a instanceof PyFloat && b instanceof PyFloat) return a.value === b.value;
  return a === b;
}

export function equals(it: Interpreter, a: PyValue, b: PyValue): boolean {
  if (a === b) return true;
  if (isNum(a) && isNum(b)) return num(a) === num(b);
  if (typeof a === 'string' || typeof b === 'string') return a === b;
  if ((a instanceof PyTuple && b instanceof PyTuple) || (a instanceof PyList && b instanceof PyList)) {
    return a.items.length === b.items.length && a.items.every((x, i) => equals(it, x, b.items[i]));
  }
  if (a instanceof PyDict && b instanceof PyDict) {
    return a.size === b.size && a.items().every(([k, v]) => b.has(k) && equals(it, v, b.get(k)));
  }
  if (a instanceof PySet && b instanceof PySet) return a.items.size === b.items.size && [...a.items.keys()].every((k) => b.items.has(k));
  if (a instanceof PyRange && b instanceof PyRange) return a.length === b.length && (a.length === 0 || (a.start === b.start && (a.length === 1 || a.step === b.step)));
  if (a instanceof PyInstance) {
    const r = it.callDunder(a, '__eq__', [b]);
    if (r !== undefined) return it.truthy(r);
    // @dataclass generates __eq__: same class and equal fields.
    if (b instanceof PyInstance && a.cls === b.cls && a.cls.dataclassFields) {
      return a.cls.dataclassFields.every((f) => equals(it, a.dict.get(f.name), b.dict.get(f.name)));
    }
  }
  return false;
}

const isUserObject = (it: Interpreter, v: PyValue): boolean => v instanceof PyInstance || (v instanceof Module && it.userClassOf(v) !== undefined);
const reflected: Record<string, [string, string]> = { '<': ['__lt__', '__gt__'], '<=': ['__le__', '__ge__'], '>': ['__gt__', '__lt__'], '>=': ['__ge__', '__le__'] };

/**
 * `a < b` with user classes: `a.__lt__(b)`, else the reflection `b.__gt__(a)` (NotImplemented
 * passes on), else a @dataclass(order=True) compares its fields as a tuple; else CPython's TypeError.
 */
function richCompare(it: Interpreter, op: CmpOperator, a: PyValue, b: PyValue): PyValue {
  const [forward, backward] = reflected[op]!;
  const notImplemented = (r: PyValue): boolean => r === undefined || (r instanceof Opaque && r.description === 'NotImplemented');
  let r = it.callDunder(a, forward, [b]);
  if (notImplemented(r)) r = it.callDunder(b, backward, [a]);
  if (!notImplemented(r)) return r;
  if (a instanceof PyInstance && b instanceof PyInstance && a.cls === b.cls && a.cls.dataclassOrder) {
    const fields = (x: PyInstance): PyTuple => new PyTuple(a.cls.dataclassFields!.map((f) => x.dict.get(f.name)));
    return compare(it, op, fields(a), fields(b));
  }
  throw raise('TypeError', `'${op}' not supported between instances of '${pyTypeName(a)}' and '${pyTypeName(b)}'`);
}

function order(it: Interpreter, op: CmpOperator, a: PyValue, b: PyValue): number {
  if (isUserObject(it, a) || isUserObject(it, b)) {
    // Sorting and min/max use `<` only, as Python's do.
    if (it.truthy(richCompare(it, '<', a, b))) return -1;
    return it.truthy(richCompare(it, '<', b, a)) ? 1 : 0;
  }
  if (isNum(a) && isNum(b)) {
    const x = num(a), y = num(b);
    if (Number.isNaN(x) || Number.isNaN(y)) return Number.NaN;
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if ((a instanceof PyTuple && b instanceof PyTuple) || (a instanceof PyList && b instanceof PyList)) {
    const n = Math.min(a.items.length, b.items.length);
    for (let i = 0; i < n; i++) {
      if (!equals(it, a.items[i], b.items[i])) return order(it, op, a.items[i], b.items[i]);
    }
    return a.items.length - b.items.length;
  }
  throw raise('TypeError', `'${op}' not supported between instances of '${pyTypeName(a)}' and '${pyTypeName(b)}'`);
}

/** Three-way comparison for sorting (`sorted`, `min`, `max`). */
export function compareForSort(it: Interpreter, a: PyValue, b: PyValue): number {
  return order(it, '<', a, b);
}

export function contains(it: Interpreter, container: PyValue, item: PyValue): boolean {
  if (typeof container === 'string') {
    if (typeof item !== 'string') throw raise('TypeError', `'in <string>' requires string as left operand, not ${pyTypeName(item)}`);
    return container.includes(item);
  }
  if (container instanceof PyDict) { checkHashable(item); return container.has(item); }
  if (container instanceof PySet) { checkHashable(item); return container.items.has(dictKey(item)); }
  if (container instanceof PyList || container instanceof PyTuple) return container.items.some((x) => equals(it, x, item));
  if (container instanceof PyRange) {
    if (!isNum(item)) return false;
    const x = num(item);
    const i = (x - container.start) / container.step;
    return Number.isInteger(i) && i >= 0 && i < container.length;
  }
  if (container instanceof Tensor) throw new NeedsValuesError('`in` on a tensor');
  if (container instanceof Module || container instanceof PyInstance) {
    const r = it.callDunder(container, '__contains__', [item]);
    if (r !== undefined) return it.truthy(r);
  }
  return it.iterate(container).some((x) => equals(it, x, item));
}

/** Dict keys and set members must be hashable: lists, dicts and sets (also inside tuples) are not. */
export function checkHashable(v: PyValue): void {
  if (v instanceof PyList || v instanceof PyDict || (v instanceof PySet && !v.frozen)) throw raise('TypeError', `unhashable type: '${pyTypeName(v)}'`);
  if (v instanceof PyTuple) v.items.forEach(checkHashable);
}

// Python operators on tensors (`x + 1`, `2 ** x`, `a @ b`, `x < y`, `-x`, `x += y`): the other
// operand may be a tensor or a Python number (which ranks below tensors in type promotion).
import { Tensor } from '../tensor.ts';
import { PyFloat, type PyValue, pyTypeName, runtimeError, typeError } from '../python/index.ts';
import { binary, binaryInplace, unary } from '../ops/elementwise.ts';
import { matmul } from '../ops/matmul.ts';
import { wrapScalar } from '../ops/scalar.ts';
import { bool, isIntegral } from '../dtype.ts';

export type BinaryOperator = '+' | '-' | '*' | '/' | '//' | '%' | '**' | '@' | '&' | '|' | '^' | '<<' | '>>';
export type CompareOperator = '<' | '<=' | '>' | '>=' | '==' | '!=';

const opNames: Record<Exclude<BinaryOperator, '@'>, string> = {
  '+': 'add', '-': 'sub', '*': 'mul', '/': 'div', '//': 'div_floor', '%': 'remainder', '**': 'pow',
  '&': 'bitwise_and', '|': 'bitwise_or', '^': 'bitwise_xor', '<<': 'bitwise_left_shift', '>>': 'bitwise_right_shift',
};

/** A Python number as a wrapped 0-dim tensor; anything else is not an operand. */
function asOperand(v: PyValue): Tensor | null {
  if (v instanceof Tensor) return v;
  if (typeof v === 'number') return wrapScalar({ kind: 'int', value: v });
  if (typeof v === 'boolean') return wrapScalar({ kind: 'bool', value: v ? 1 : 0 });
  if (v instanceof PyFloat) return wrapScalar({ kind: 'float', value: v.value });
  return null;
}

function unsupported(op: string, a: PyValue, b: PyValue): Error {
  return typeError(`unsupported operand type(s) for ${op === '**' ? '** or pow()' : op}: '${pyTypeName(a)}' and '${pyTypeName(b)}'`);
}

/** `a <op> b` where at least one side is a tensor. */
export function tensorBinaryOp(op: BinaryOperator, a: PyValue, b: PyValue): PyValue {
  const x = asOperand(a);
  const y = asOperand(b);
  if (!x || !y) throw unsupported(op, a, b);
  if (op === '@') {
    if (x.isWrappedNumber || y.isWrappedNumber) {
      throw typeError(`matmul(): argument 'other' (position 1) must be Tensor, not ${pyTypeName(x.isWrappedNumber ? a : b)}`);
    }
    return matmul(x, y);
  }
  return binary[opNames[op]]!(x, y);
}

/** `a <op>= b`: in place when `a` is a tensor (its shape and dtype cannot change). */
export function tensorInplaceBinaryOp(op: BinaryOperator, a: PyValue, b: PyValue): PyValue {
  if (!(a instanceof Tensor) || op === '@') return tensorBinaryOp(op, a, b);
  const y = asOperand(b);
  if (!y) throw unsupported(`${op}=`, a, b);
  return binaryInplace(opNames[op], a, y);
}

const compareNames: Record<CompareOperator, string> = { '<': 'lt', '<=': 'le', '>': 'gt', '>=': 'ge', '==': 'eq', '!=': 'ne' };

/** `a <op> b`: a bool tensor; `==`/`!=` with a non-number fall back to identity as Python does. */
export function tensorCompare(op: CompareOperator, a: PyValue, b: PyValue): PyValue {
  const x = asOperand(a);
  const y = asOperand(b);
  if (!x || !y) {
    if (op === '==') return a === b;
    if (op === '!=') return a !== b;
    throw typeError(`'${op}' not supported between instances of '${pyTypeName(a)}' and '${pyTypeName(b)}'`);
  }
  return binary[compareNames[op]]!(x, y);
}

/** `-t`, `+t`, `~t`. */
export function tensorUnaryOp(op: '-' | '+' | '~', t: Tensor): Tensor {
  if (op === '-') return unary.neg!(t);
  if (op === '+') {
    if (t.dtype === bool) throw runtimeError('The `+` operator, on a bool tensor is not supported.');
    return unary.positive!(t);
  }
  if (!isIntegral(t.dtype, true)) throw typeError('~ (operator.invert) is only implemented on integer and Boolean-type tensors');
  return unary.bitwise_not!(t);
}

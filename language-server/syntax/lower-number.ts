// Numeric literal values. Ints become bigint so that `2**64`-sized literals stay exact.

import type { ConstantValue } from './ast.ts';

export function numberValue(text: string): ConstantValue {
  const clean = text.replace(/_/g, '');
  const last = clean[clean.length - 1];
  if (last === 'j' || last === 'J') return { type: 'complex', value: Number(clean.slice(0, -1)) };
  if (/^0[xob]/i.test(clean)) return { type: 'int', value: BigInt(clean.toLowerCase()) };
  if (/^\d+$/.test(clean)) return { type: 'int', value: BigInt(clean) };
  return { type: 'float', value: Number(clean) };
}

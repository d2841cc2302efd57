// Records what each name is bound to while a forward runs (assignments, loop targets, parameters),
// so the editor can show `x: [1, 16, 5, 5] float32` when hovering a variable in `forward`.
import { PyFloat, type PyValue } from '../../runtime/python/index.ts';
import { Tensor } from '../../runtime/tensor.ts';
import type { BindingObserver } from '../eval/interpreter.ts';
import type { Range } from '../syntax/ast.ts';
import { shapeStruct } from './trace.ts';
import type { ShapeStruct } from './report.ts';

export interface BindingRecord {
  name: string;
  line: number;
  range: Range;
  /** The value's shape structure (tensor shapes, tuples of them), or `{value: repr}` for plain numbers. */
  value: ShapeStruct;
  dtype?: string;
}

/** Keeps at most `limit` bindings (a loop of 10,000 iterations must not grow the report unboundedly). */
export class BindingRecorder implements BindingObserver {
  readonly records: BindingRecord[] = [];
  private readonly seen = new Set<string>();
  constructor(private readonly repr: (v: PyValue) => string, private readonly limit = 5000) {}

  bound(name: string, range: Range, value: PyValue): void {
    if (this.records.length >= this.limit || !isShown(value)) return;
    const record: BindingRecord = { name, line: range.start.line + 1, range, value: shapeStruct(value, this.repr) };
    if (value instanceof Tensor) record.dtype = value.dtype.name;
    // The same binding site with the same result (a loop) is recorded once.
    const key = `${range.start.line}:${range.start.column}:${JSON.stringify(record.value)}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.records.push(record);
  }
}

function isShown(v: PyValue): boolean {
  if (v instanceof Tensor || typeof v === 'number' || typeof v === 'boolean' || v instanceof PyFloat) return true;
  const items = (v as { items?: unknown })?.items;
  return Array.isArray(items) && items.length > 0 && items.every((x) => x instanceof Tensor);
}

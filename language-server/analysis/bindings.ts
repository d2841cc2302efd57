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
  /** What each binding site (start line, then column) has recorded: the JSON of each value's shape struct. */
  private readonly seen = new Map<number, Map<number, Set<string>>>();
  constructor(private readonly repr: (v: PyValue) => string, private readonly limit = 5000) {}

  bound(name: string, range: Range, value: PyValue): void {
    if (this.records.length >= this.limit || !isShown(value)) return;
    // The same binding site with the same result (a loop) is recorded once. A tensor's key is built
    // from its shape directly (what JSON.stringify of its shape struct gives), and sites are looked
    // up by number: every assignment in every traced forward comes through here.
    const struct = value instanceof Tensor ? null : shapeStruct(value, this.repr);
    const key = struct === null ? shapeJson((value as Tensor).shape) : JSON.stringify(struct);
    const { line, column } = range.start;
    let atLine = this.seen.get(line);
    if (!atLine) { atLine = new Map(); this.seen.set(line, atLine); }
    let atSite = atLine.get(column);
    if (!atSite) { atSite = new Set(); atLine.set(column, atSite); }
    if (atSite.has(key)) return;
    atSite.add(key);
    const record: BindingRecord = { name, line: range.start.line + 1, range, value: struct ?? shapeStruct(value, this.repr) };
    if (value instanceof Tensor) record.dtype = value.dtype.name;
    this.records.push(record);
  }
}

/** `JSON.stringify` of a shape (integer sizes). */
function shapeJson(shape: readonly number[]): string {
  for (const n of shape) if (!Number.isFinite(n)) return JSON.stringify([...shape]);
  return `[${shape.join(',')}]`;
}

function isShown(v: PyValue): boolean {
  if (v instanceof Tensor || typeof v === 'number' || typeof v === 'boolean' || v instanceof PyFloat) return true;
  const items = (v as { items?: unknown })?.items;
  return Array.isArray(items) && items.length > 0 && items.every((x) => x instanceof Tensor);
}

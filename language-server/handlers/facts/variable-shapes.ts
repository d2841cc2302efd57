// The shape (and dtype) a local variable of a traced method holds at a point. The analysis records
// every name bound while forward runs (`bindings`: the target's range, the value's shape, dtype);
// a name read somewhere holds what its last assignment above bound. Where a report has no bindings
// (older analyses), module calls still tell: forward's parameters hold the inputs, and
// `x = self.conv1(x)` holds that call's recorded output, followed through plain copies (`t = t`).
import type * as ast from '../../syntax/ast.ts';
import type { ForwardReport, ShapeStruct } from '../../analysis/report.ts';
import type { ClassIndex, LayerUse, MethodIndex, NameAssignment } from './source-index.ts';
import { type ModelContext, forwardOf, fullPath } from './model-context.ts';
import { callsOf } from './layer-facts.ts';
import { distinctShapes } from './format.ts';
import { contains, sameRange, startsBefore } from './ranges.ts';

export interface VariableShape {
  name: string;
  /** Distinct shapes, in the order they were bound (a loop can bind several). */
  shapes: ShapeStruct[];
  dtype?: string;
  /** In words: `the forward input`, `assigned on line 23`, `the output of self.conv1 (line 23)`. */
  origin: string;
}

/** A binding as the analysis records it (analysis/bindings.ts). */
interface RecordedBinding { name: string; range: ast.Range; value: ShapeStruct; dtype?: string }

/** The shape of the name at `occurrence` (a Name or parameter range inside `method`), or null when unknown. */
export function variableShapeAt(ctx: ModelContext, cls: ClassIndex, method: MethodIndex, occurrence: ast.Range): VariableShape | null {
  const param = method.params.find((p) => contains(p.range, occurrence.start));
  if (param) return parameterShape(ctx, method, param);
  const use = method.names.find((n) => sameRange(n.range, occurrence));
  if (!use) return null;
  const assigned = method.assignments.find((a) => sameRange(a.target, occurrence));
  if (assigned) return assignedShape(ctx, cls, method, assigned, 0);
  return shapeBefore(ctx, cls, method, use.name, use.statement, 0);
}

/** The shape of a layer call's first argument, when it is a variable whose shape is known. */
export function firstArgumentShape(ctx: ModelContext, cls: ClassIndex, use: LayerUse): VariableShape | null {
  const name = use.argNames[0];
  const method = cls.methods.find((m) => m.name === use.method);
  return name && method ? shapeBefore(ctx, cls, method, name, use.statement, 0) : null;
}

const maxCopies = 16;

/** The name's shape just before `statement` runs: its last assignment above, else the parameter. */
function shapeBefore(ctx: ModelContext, cls: ClassIndex, method: MethodIndex, name: string, statement: ast.Range, depth: number): VariableShape | null {
  const earlier = method.assignments.filter((a) => a.name === name && startsBefore(a.statement, statement) && !contains(a.statement, statement.start));
  const last = earlier[earlier.length - 1];
  if (last) return assignedShape(ctx, cls, method, last, depth);
  const param = method.params.find((p) => p.name === name);
  return param ? parameterShape(ctx, method, param) : null;
}

function assignedShape(ctx: ModelContext, cls: ClassIndex, method: MethodIndex, a: NameAssignment, depth: number): VariableShape | null {
  const recorded = boundAt(ctx, a.name, a.target, `assigned on line ${a.statement.start.line + 1}`);
  if (recorded) return recorded;
  const value = a.value;
  if (!value || depth > maxCopies) return null;
  if (value.kind === 'Name') {
    const copied = shapeBefore(ctx, cls, method, value.id, a.statement, depth + 1);
    return copied && { ...copied, name: a.name };
  }
  if (value.kind !== 'Call') return null;
  const use = cls.layerUses.find((u) => sameRange(u.call, value.range));
  if (!use) return null;
  const calls = callsOf(ctx, fullPath(ctx, use.path), use.exact).filter((c) => c.range && sameRange(c.range, a.statement));
  if (!calls.length) return null;
  const line = a.statement.start.line + 1;
  return { name: a.name, shapes: distinct(calls.map((c) => c.output)), origin: `the output of ${use.exact ? `self.${use.path}` : use.path} (line ${line})` };
}

function parameterShape(ctx: ModelContext, method: MethodIndex, param: { name: string; range: ast.Range }): VariableShape | null {
  const isInput = ctx.path === '' && method.name === 'forward';
  const recorded = boundAt(ctx, param.name, param.range, isInput ? 'the forward input' : `an argument of ${method.name}`);
  if (recorded) return recorded;
  // Without bindings: forward's parameters hold the inputs the analysis created (own instance only).
  const forward = forwardOf(ctx);
  if (!isInput || !forward) return null;
  const index = method.params.findIndex((p) => p.name === param.name);
  const input = forward.inputs[index];
  if (index < 0 || !input || forward.inputs.length > method.params.length) return null;
  return { name: param.name, shapes: [input.shape], dtype: input.dtype, origin: 'the forward input' };
}

/** What the analysis recorded for the binding at `target`. */
function boundAt(ctx: ModelContext, name: string, target: ast.Range, origin: string): VariableShape | null {
  const forward = forwardOf(ctx) as (ForwardReport & { bindings?: RecordedBinding[] }) | null;
  const records = (forward?.bindings ?? []).filter((b) => b.name === name && sameRange(b.range, target));
  if (!records.length) return null;
  const dtypes = new Set(records.map((r) => r.dtype));
  const dtype = dtypes.size === 1 ? records[0]!.dtype : undefined;
  return { name, shapes: distinct(records.map((r) => r.value)), ...(dtype ? { dtype } : {}), origin };
}

function distinct(shapes: ShapeStruct[]): ShapeStruct[] {
  const texts = distinctShapes(shapes);
  return texts.map((t) => shapes.find((s) => distinctShapes([s])[0] === t)!);
}

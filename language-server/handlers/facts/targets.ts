// What the cursor is on, in editor terms: a model class's name, a layer use (`self.conv1` of
// `self.conv1(x)`), a local variable of a method, or a layer assignment (`self.conv1 = ...`).
// Several can apply at once (a name inside an assignment); they come innermost first.
import type * as ast from '../../syntax/ast.ts';
import type { ClassReport, FileReport } from '../../analysis/report.ts';
import type { ClassIndex, LayerAssignment, LayerUse, MethodIndex, SourceIndex } from './source-index.ts';
import { contains } from './ranges.ts';

export type Target =
  | { kind: 'class'; cls: ClassReport; index: ClassIndex }
  | { kind: 'layer-use'; cls: ClassReport; index: ClassIndex; use: LayerUse }
  | { kind: 'variable'; cls: ClassReport; index: ClassIndex; method: MethodIndex; name: string; range: ast.Range }
  | { kind: 'layer-assignment'; cls: ClassReport; index: ClassIndex; assignment: LayerAssignment };

export function targetsAt(report: FileReport, source: SourceIndex, p: ast.Position): Target[] {
  const index = source.classes.find((c) => contains(c.range, p));
  const cls = index && report.classes.find((c) => c.name === index.name && c.nameRange.start.line === index.nameRange.start.line);
  if (!index || !cls) return [];
  if (contains(index.nameRange, p)) return [{ kind: 'class', cls, index }];
  const out: Target[] = [];
  const use = innermost(index.layerUses.filter((u) => contains(u.func, p)), (u) => u.func);
  if (use) out.push({ kind: 'layer-use', cls, index, use });
  const assignment = index.layerAssignments.find((a) => contains(a.statement, p));
  if (assignment && contains(assignment.target, p)) out.push({ kind: 'layer-assignment', cls, index, assignment });
  const method = index.methods.find((m) => contains(m.range, p));
  const name = method && (method.params.find((x) => contains(x.range, p)) ?? method.names.find((n) => contains(n.range, p)));
  if (method && name && !use) out.push({ kind: 'variable', cls, index, method, name: name.name, range: name.range });
  if (assignment && !contains(assignment.target, p)) out.push({ kind: 'layer-assignment', cls, index, assignment });
  return out;
}

function innermost<T>(items: T[], range: (t: T) => ast.Range): T | undefined {
  return items.sort((a, b) => {
    const ra = range(a);
    const rb = range(b);
    return (ra.end.line - ra.start.line) - (rb.end.line - rb.start.line) || (ra.end.column - ra.start.column) - (rb.end.column - rb.start.column);
  })[0];
}

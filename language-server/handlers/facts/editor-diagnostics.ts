// The problems of one analysed file as the editor shows them: the analysis's own diagnostics
// (syntax, Python errors, forward errors, unsupported constructs), construction errors, the call
// that supplied a failing forward's input, and layers that forward never calls. Plain data with
// AST ranges; the LSP conversion is elsewhere.
import type * as ast from '../../syntax/ast.ts';
import type { Severity } from '../../eval/diagnostics.ts';
import type { ClassReport, FileReport } from '../../analysis/report.ts';
import type { SourceIndex } from './source-index.ts';
import { contextFor } from './model-context.ts';
import { layerFacts } from './layer-facts.ts';
import { formatCount, formatShape } from './format.ts';
import { sameRange } from './ranges.ts';
import { lineRange } from './source-lines.ts';

export interface EditorDiagnostic {
  code: string;
  severity: Severity;
  message: string;
  range: ast.Range;
  related?: { range: ast.Range; message: string }[];
  /** Code that has no effect (rendered faded). */
  unnecessary?: boolean;
}

export interface DiagnosticOptions { layersNotCalled: boolean }

export function editorDiagnostics(report: FileReport, index: SourceIndex, source: string, options: DiagnosticOptions): EditorDiagnostic[] {
  const out: EditorDiagnostic[] = [];
  const add = (d: EditorDiagnostic): void => {
    const twin = out.find((o) => o.message === d.message && sameRange(o.range, d.range));
    if (!twin) out.push(d);
    else if (d.related && !twin.related) twin.related = d.related;
  };
  for (const cls of report.classes) {
    const failure = forwardFailure(cls, source);
    if (failure) add(failure);
    const construct = constructFailure(cls);
    if (construct) add(construct);
  }
  for (const d of report.diagnostics) add({ code: d.code, severity: d.severity, message: d.message, range: d.range });
  if (options.layersNotCalled) out.push(...layersNotCalled(report, index));
  return out;
}

function forwardFailure(cls: ClassReport, source: string): EditorDiagnostic | null {
  const forward = cls.instance?.forward;
  const error = forward?.status === 'error' ? forward.error : undefined;
  if (!forward || !error?.range) return null;
  const d: EditorDiagnostic = { code: 'forward-error', severity: 'error', message: `${error.type}: ${error.message}`, range: error.range };
  if (forward.input_source.kind === 'file') {
    const inputs = forward.inputs.map((i) => formatShape(i.shape)).join(', ');
    d.related = [{ range: lineRange(source, forward.input_source.line - 1), message: `${cls.name}'s forward input ${inputs} comes from this call` }];
  }
  return d;
}

function constructFailure(cls: ClassReport): EditorDiagnostic | null {
  const inst = cls.instance;
  if (inst?.status !== 'construct_error' || !inst.error) return null;
  const range = inst.error.range ?? cls.nameRange;
  return { code: 'construct-error', severity: 'error', message: `${inst.error.type}: ${inst.error.message}`, range };
}

/** Layers assigned in a class whose forward ran to the end without calling them. */
function layersNotCalled(report: FileReport, index: SourceIndex): EditorDiagnostic[] {
  const out: EditorDiagnostic[] = [];
  for (const cls of report.classes) {
    const classIndex = index.classes.find((c) => c.name === cls.name && c.nameRange.start.line === cls.nameRange.start.line);
    const ctx = contextFor(report, cls);
    if (!classIndex || !ctx || ctx.instance.forward?.status !== 'ok') continue;
    const usedOtherwise = new Set(classIndex.layerUses.map((u) => u.path.split('.')[0]));
    const seen = new Set<string>();
    for (const a of classIndex.layerAssignments) {
      if (seen.has(a.attr)) continue;
      seen.add(a.attr);
      const facts = layerFacts(ctx, a.attr);
      if (!facts || facts.kind !== 'module' || facts.used || usedOtherwise.has(a.attr) || referencedOutsideInit(classIndex, a.attr)) continue;
      out.push({
        code: 'layer-not-called', severity: 'hint', unnecessary: true, range: a.target,
        message: `${facts.typeName} '${a.attr}' is defined but forward never calls it${facts.parameterCount ? ` (${formatCount(facts.parameterCount)} parameters unused)` : ''}`,
      });
    }
  }
  return out;
}

/** `self.fc.weight` or `F.linear(x, self.fc.weight)` uses a layer without calling it. */
function referencedOutsideInit(cls: SourceIndex['classes'][number], attr: string): boolean {
  return cls.selfReads.some((r) => r.attr === attr && r.method !== '__init__');
}

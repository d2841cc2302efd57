// The CodeLenses of an analysed document as plain data: above each evaluated model class its
// parameter count, `input → output` and the Run forward / Weights actions; above each layer
// assignment its parameter shapes, count and output shape. A class that cannot be evaluated gets
// one hint instead.
import type * as ast from '../../syntax/ast.ts';
import type { ClassReport } from '../../analysis/report.ts';
import type { NnLensSettings } from '../../protocol/settings.ts';
import { commandIds } from '../../protocol/settings.ts';
import type { AnalysedDocument } from './analysed-document.ts';
import type { ClassIndex } from './source-index.ts';
import { type ModelContext, contextFor } from './model-context.ts';
import { type LayerFacts, layerFacts } from './layer-facts.ts';
import { modelStatus } from './model-summary.ts';
import { distinctShapes, formatCount, formatParamCount, formatShape } from './format.ts';

export interface Lens {
  range: ast.Range;
  title: string;
  /** A client command and its arguments; absent for a plain label. */
  command?: { id: string; args: unknown[] };
}

const maxListedParameters = 4;
const maxListedShapes = 3;

export function lensesFor(doc: AnalysedDocument, settings: NnLensSettings['codeLens']): Lens[] {
  if (!settings.enabled) return [];
  const out: Lens[] = [];
  for (const cls of doc.report.classes) {
    const index = doc.index.classes.find((c) => c.name === cls.name && c.nameRange.start.line === cls.nameRange.start.line);
    if (!index) continue;
    const ctx = contextFor(doc.report, cls);
    const line: ast.Range = { start: index.range.start, end: index.range.start };
    if (settings.models || settings.actions) out.push(...classLenses(doc, cls, ctx, line, settings));
    if (settings.layers && ctx) out.push(...layerLenses(ctx, index));
  }
  return out;
}

function classLenses(doc: AnalysedDocument, cls: ClassReport, ctx: ModelContext | null, range: ast.Range, settings: NnLensSettings['codeLens']): Lens[] {
  const args = [doc.uri, cls.name];
  const inst = cls.instance;
  if (inst?.status !== 'ok') return settings.models ? [{ range, title: notEvaluatedHint(cls, ctx) }] : [];
  const out: Lens[] = [];
  if (settings.models) {
    out.push({ range, title: formatParamCount(inst.num_params ?? 0) });
    out.push({ range, title: inputOutputTitle(cls, doc.inputChoices.get(cls.name)?.setting !== undefined), command: { id: commandIds.setInputShape, args } });
  }
  if (settings.actions) {
    out.push({ range, title: '▶ Run forward', command: { id: commandIds.runForward, args } });
    out.push({ range, title: '▦ Weights', command: { id: commandIds.showWeights, args } });
  }
  return out;
}

/** `fromSetting`: the input is an nnLens.inputShapes entry, which the lens says (the hover names the key). */
function inputOutputTitle(cls: ClassReport, fromSetting: boolean): string {
  const f = cls.instance?.forward;
  const input = f?.inputs.length ? `input ${f.inputs.map((i) => formatShape(i.shape)).join(', ')}${fromSetting ? ' (setting)' : ''}`
    : f?.input_source.kind === 'file' ? `input (line ${f.input_source.line})` : 'input ?';
  if (!f || (f.status === 'unsupported' && !f.unsupported)) return `${input} — set an input shape`;
  if (f.status === 'error') return `${input} → ✖ ${f.error?.type ?? 'error'} (line ${f.error?.line})`;
  if (f.status === 'unsupported') return `${input} → not traced (line ${f.unsupported?.line})`;
  return `${input} → output ${formatShape(f.output_shape ?? null)}`;
}

function notEvaluatedHint(cls: ClassReport, ctx: ModelContext | null): string {
  const { status } = modelStatus(cls);
  switch (status) {
    case 'needs-arguments':
      return ctx
        ? `needs ${cls.required_args.join(', ')} · shown as ${ctx.path} in ${ctx.owner.name}`
        : `not evaluated: needs ${cls.required_args.join(', ')} (build one in the file to see it)`;
    case 'construct-error': return `✖ construction fails: ${cls.instance?.error?.type} (line ${cls.instance?.error?.line})`;
    default: return `not evaluated: ${cls.instance?.error?.message ?? 'unsupported'}`;
  }
}

function layerLenses(ctx: ModelContext, index: ClassIndex): Lens[] {
  const out: Lens[] = [];
  const seen = new Set<string>();
  for (const a of index.layerAssignments) {
    if (seen.has(a.attr)) continue;
    const facts = layerFacts(ctx, a.attr);
    if (!facts || facts.kind === 'buffer') continue;
    seen.add(a.attr);
    out.push({ range: { start: a.statement.start, end: a.statement.start }, title: layerTitle(ctx, facts) });
  }
  return out;
}

/** `weight [6, 1, 5, 5] · bias [6] · 156 params · → [1, 6, 24, 24]`; a container counts its tensors instead. */
export function layerTitle(ctx: ModelContext, facts: LayerFacts): string {
  const parts: string[] = [];
  if (facts.kind === 'parameter') parts.push(`parameter ${formatShape(facts.parameters[0]?.shape ?? [])}`);
  else if (facts.parameters.length > maxListedParameters || facts.parameters.some((p) => p.name.includes('.'))) parts.push(`${facts.parameters.length} tensor${facts.parameters.length === 1 ? '' : 's'}`);
  else parts.push(...facts.parameters.map((p) => `${p.name} ${formatShape(p.shape)}`));
  parts.push(facts.parameterCount ? formatParamCount(facts.parameterCount) : 'no params');
  if (facts.kind === 'module') {
    const output = outputText(ctx, facts);
    if (output) parts.push(output);
  }
  return parts.join(' · ');
}

function outputText(ctx: ModelContext, facts: LayerFacts): string | null {
  const forward = ctx.instance.forward;
  if (!forward || (forward.status === 'unsupported' && !forward.calls.length)) return null;
  if (!facts.calls.length) {
    if (facts.used) return null; // only its children were called (a container)
    return forward.status === 'ok' ? 'not called in forward' : 'not reached';
  }
  const returned = facts.calls.filter((c) => c.output !== null).map((c) => c.output);
  const raised = returned.length < facts.calls.length ? ['✖ raised'] : [];
  const shapes = distinctShapes(returned);
  const listed = shapes.length > maxListedShapes ? [...shapes.slice(0, maxListedShapes), `… ${formatCount(shapes.length - maxListedShapes)} more`] : shapes;
  return `→ ${[...listed, ...raised].join(' · ')}`;
}

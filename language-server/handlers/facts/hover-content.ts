// The hover at a position of an analysed document, as Markdown and the range it describes: the
// error Python would raise there (if any), then the innermost model class, layer or variable.
import type * as ast from '../../syntax/ast.ts';
import type { AnalysedDocument } from './analysed-document.ts';
import { type Target, targetsAt } from './targets.ts';
import { contextFor } from './model-context.ts';
import { layerFacts } from './layer-facts.ts';
import { variableShapeAt } from './variable-shapes.ts';
import { layerHover, variableHover } from './hover-layer.ts';
import { weightsLinks } from './weights-link.ts';
import { modelHover } from './hover-model.ts';
import { editorDiagnostics } from './editor-diagnostics.ts';
import { contains } from './ranges.ts';
import { escapeMarkdown } from './format.ts';

export interface HoverContent { markdown: string; range: ast.Range }

export function hoverAt(doc: AnalysedDocument, p: ast.Position): HoverContent | null {
  const errors = errorsAt(doc, p);
  let found: HoverContent | null = null;
  for (const target of targetsAt(doc.report, doc.index, p)) {
    found = describe(doc, target);
    if (found) break;
  }
  if (!errors.length) return found;
  const markdown = [...errors.map((e) => e.markdown), ...(found ? ['---', found.markdown] : [])].join('\n\n');
  return { markdown, range: found?.range ?? errors[0]!.range };
}

function describe(doc: AnalysedDocument, t: Target): HoverContent | null {
  if (t.kind === 'class') return { markdown: modelHover(doc.report, t.cls, doc.inputChoices.get(t.cls.name)), range: t.index.nameRange };
  const ctx = contextFor(doc.report, t.cls);
  if (!ctx) return null;
  if (t.kind === 'variable') {
    const shape = variableShapeAt(ctx, t.index, t.method, t.range);
    return shape && { markdown: variableHover(shape), range: t.range };
  }
  const path = t.kind === 'layer-use' ? t.use.path : t.assignment.attr;
  const facts = layerFacts(ctx, path, t.kind === 'layer-use' ? t.use.exact : true);
  if (!facts) return null;
  const range = t.kind === 'layer-use' ? t.use.func : t.assignment.target;
  return { markdown: layerHover(ctx, t.index, facts, t.kind === 'layer-use' ? t.use : null, weightsLinks(doc.uri, ctx.owner.name, facts)), range };
}

/** Errors Python would raise at this position (forward, construction, module level). */
function errorsAt(doc: AnalysedDocument, p: ast.Position): HoverContent[] {
  return editorDiagnostics(doc.report, doc.index, doc.text, { layersNotCalled: false })
    .filter((d) => d.severity === 'error' && contains(d.range, p))
    .map((d) => {
      const [type, ...rest] = d.message.split(': ');
      const message = rest.length ? `**${escapeMarkdown(type!)}**: ${escapeMarkdown(rest.join(': '))}` : escapeMarkdown(d.message);
      const where = d.related?.[0] ? `\n\n${escapeMarkdown(d.related[0].message)} (line ${d.related[0].range.start.line + 1}).` : '';
      return { markdown: `${message}${where}`, range: d.range };
    });
}

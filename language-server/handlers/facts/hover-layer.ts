// Hover on a layer (its assignment `self.conv1 = ...` or a use `self.conv1(x)`): the layer's
// repr, its parameters, and the shapes in and out wherever forward called it; and hover on a
// local variable of a traced method: its shape at that point.
import type { ClassIndex, LayerUse } from './source-index.ts';
import type { LayerCall, LayerFacts } from './layer-facts.ts';
import type { ModelContext } from './model-context.ts';
import { type VariableShape, firstArgumentShape } from './variable-shapes.ts';
import { parameterTable } from './hover-model.ts';
import { codeBlock, formatCount, formatShape, formatShapes, inlineCode } from './format.ts';
import { sameRange } from './ranges.ts';

const maxCallLines = 8;

/** `links`: the weights-panel links of the layer (weights-link.ts), shown after its parameters. */
export function layerHover(ctx: ModelContext, cls: ClassIndex, facts: LayerFacts, use: LayerUse | null, links = ''): string {
  if (facts.kind !== 'module') {
    const p = facts.parameters[0];
    const shape = p ? formatShape(p.shape) : '';
    return [codeBlock(`${facts.path}: ${facts.kind === 'parameter' ? 'Parameter' : 'buffer'} ${shape}`, 'python'), facts.kind === 'parameter' ? `${formatCount(facts.parameterCount)} parameters` : '', links].filter(Boolean).join('\n\n');
  }
  const parts = [codeBlock(facts.repr ?? facts.typeName ?? facts.path, 'python')];
  if (ctx.path) parts.push(`as ${inlineCode(facts.path)} in **${ctx.owner.name}**`);
  if (facts.parameters.length) {
    parts.push(...parameterTable(facts.parameters.map((p): [string, number[]] => [p.name, p.shape])), `**${formatCount(facts.parameterCount)}** parameters`);
  } else {
    parts.push('No parameters.');
  }
  parts.push(links, callsSection(ctx, cls, facts, use));
  return parts.filter(Boolean).join('\n\n');
}

function callsSection(ctx: ModelContext, cls: ClassIndex, facts: LayerFacts, use: LayerUse | null): string {
  const forward = ctx.instance.forward;
  if (!forward || forward.status === 'unsupported' && !forward.calls.length) return 'Forward not traced (no input).';
  // A use shows its own calls; an assignment every call of the layer.
  const calls = use ? facts.calls.filter((c) => c.range && sameRange(c.range, use.statement)) : facts.calls;
  if (!calls.length) return facts.used ? '' : forward.status === 'ok' ? '**Not called** in forward.' : '**Not reached**: forward fails before calling it.';
  const lines = calls.slice(0, maxCallLines).map((c) => `- ${callLine(ctx, cls, c, use)}`);
  if (calls.length > maxCallLines) lines.push(`- … ${calls.length - maxCallLines} more calls`);
  return ['**Forward:**', ...lines].join('\n');
}

function callLine(ctx: ModelContext, cls: ClassIndex, call: LayerCall, use: LayerUse | null): string {
  const site = use ?? (call.range ? cls.layerUses.find((u) => sameRange(u.statement, call.range!)) ?? null : null);
  const input = site ? firstArgumentShape(ctx, cls, site) : null;
  const inText = input && input.shapes.length === 1 ? `${inlineCode(formatShape(input.shapes[0]!))} → ` : '→ ';
  const outText = call.output === null ? '✖ (raised)' : inlineCode(formatShape(call.output));
  const where = call.range ? ` (line ${call.range.start.line + 1}${call.path !== (site?.path ?? call.path) ? `, ${inlineCode(call.path)}` : ''})` : '';
  return `${inText}${outText}${where}`;
}

export function variableHover(v: VariableShape): string {
  const shapes = formatShapes(v.shapes);
  const dtype = v.dtype ? ` ${v.dtype}` : '';
  const runs = v.shapes.length > 1 ? ' (the line ran more than once, with these shapes)' : '';
  return [codeBlock(`${v.name}: ${shapes}${dtype}`, 'python'), `${capitalize(v.origin)}${runs}`].join('\n\n');
}

const capitalize = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

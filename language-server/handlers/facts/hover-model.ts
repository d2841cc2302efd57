// Hover on a model class's name: `print(model)` exactly, the parameter table, totals and size,
// the forward input and where it came from, the output shape; or why the class is not evaluated.
import type { ClassReport, FileReport, InstanceReport } from '../../analysis/report.ts';
import { contextFor } from './model-context.ts';
import type { InputChoice } from './analysed-document.ts';
import { describeInputSource, modelStatus } from './model-summary.ts';
import { codeBlock, escapeMarkdown, formatBytes, formatCount, formatShape, inlineCode, product } from './format.ts';

const maxTableRows = 40;

export function modelHover(report: FileReport, cls: ClassReport, choice: InputChoice | undefined): string {
  const inst = cls.instance;
  if (inst?.status === 'ok') return [codeBlock(inst.repr ?? '', 'python'), ...parameterSection(inst), ...forwardSection(inst, choice)].join('\n\n');
  const parts = [`**${cls.name}** — ${escapeMarkdown(modelStatus(cls).problem ?? 'not evaluated')}`];
  const ctx = !inst ? contextFor(report, cls) : null;
  const sub = ctx?.instance.submodules?.find(([path]) => path === ctx.path);
  if (ctx && sub) {
    parts.push(`Shown as ${inlineCode(ctx.path)} inside **${ctx.owner.name}**:`, codeBlock(sub[2], 'python'));
    const params = (ctx.instance.parameters ?? []).filter(([n]) => n.startsWith(`${ctx.path}.`)).map(([n, s]): [string, number[]] => [n.slice(ctx.path.length + 1), s]);
    parts.push(...parameterTable(params), totalsLine(params.reduce((s, [, shape]) => s + product(shape), 0), null));
  }
  return parts.join('\n\n');
}

function parameterSection(inst: InstanceReport): string[] {
  const params = inst.parameters ?? [];
  const out = [...parameterTable(params), totalsLine(inst.num_params ?? 0, inst.num_trainable_params ?? 0)];
  const buffers = inst.buffers ?? [];
  if (buffers.length) out.push(`Buffers: ${buffers.map(([n, s]) => `${inlineCode(n)} ${formatShape(s)}`).join(', ')}`);
  return out;
}

export function parameterTable(params: readonly [string, number[]][]): string[] {
  if (!params.length) return ['No parameters.'];
  const rows = params.slice(0, maxTableRows).map(([name, shape]) => `| ${inlineCode(name)} | ${formatShape(shape)} | ${formatCount(product(shape))} |`);
  if (params.length > maxTableRows) rows.push(`| … ${formatCount(params.length - maxTableRows)} more | | |`);
  return [['| parameter | shape | count |', '|:--|:--|--:|', ...rows].join('\n')];
}

/** `**32,998** parameters (32,998 trainable) · 128.9 KiB as float32`. */
function totalsLine(total: number, trainable: number | null): string {
  const trainableText = trainable === null ? '' : ` (${formatCount(trainable)} trainable)`;
  return `**${formatCount(total)}** parameters${trainableText} · ${formatBytes(total * 4)} as float32`;
}

function forwardSection(inst: InstanceReport, choice: InputChoice | undefined): string[] {
  const f = inst.forward;
  if (!f) return [];
  const source = describeInputSource(f.input_source, choice).text;
  const out: string[] = [];
  if (f.inputs.length) {
    const inputs = f.inputs.map((i) => `${inlineCode(formatShape(i.shape))} ${i.dtype} (${describeInputKind(i)})`).join(', ');
    out.push(`**Input:** ${inputs} — ${escapeMarkdown(source)}`);
  } else if (f.input_source.kind === 'file') {
    out.push(`**Input:** ${escapeMarkdown(source)}`);
  } else {
    out.push(`**Input:** unknown — ${escapeMarkdown(source)}`);
  }
  if (f.status === 'ok') out.push(`**Output:** ${inlineCode(formatShape(f.output_shape ?? null))}`);
  else if (f.status === 'error' && f.error) out.push(`**Forward fails** at line ${f.error.line}: ${escapeMarkdown(`${f.error.type}: ${f.error.message}`)}`);
  else if (f.unsupported) out.push(`**Forward not traced** (line ${f.unsupported.line}): ${escapeMarkdown(f.unsupported.message)}`);
  return [out.join('  \n')];
}

function describeInputKind(i: { kind: string; low?: number; high?: number }): string {
  if (i.kind === 'randint') return `randint ${i.low ?? 0}..${(i.high ?? 1) - 1}`;
  return i.kind;
}

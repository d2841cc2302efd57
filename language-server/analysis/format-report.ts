// Human-readable `nnlens inspect` output: print(model), a parameter table, totals, the forward
// trace with shapes, and errors as file:line.
import type { ClassReport, FileReport, ForwardReport, InputSource, ShapeStruct } from './report.ts';

export function formatShape(s: ShapeStruct): string {
  if (s === null) return 'None';
  if (Array.isArray(s)) return `[${s.join(', ')}]`;
  if ('tuple' in s) return `(${s.tuple.map(formatShape).join(', ')}${s.tuple.length === 1 ? ',' : ''})`;
  if ('list' in s) return `[${s.list.map(formatShape).join(', ')}]`;
  if ('dict' in s) return `{${Object.entries(s.dict).map(([k, v]) => `${k}: ${formatShape(v)}`).join(', ')}}`;
  return s.value;
}

const count = (n: number): string => n.toLocaleString('en-US');

function describeSource(s: InputSource): string {
  switch (s.kind) {
    case 'spec': return 'from the spec';
    case 'cli': return 'from --input';
    case 'file': return `from the call on line ${s.line}`;
    case 'inferred': return `inferred: ${s.rule}`;
    case 'none': return s.reason;
  }
}

export function formatReport(report: FileReport, file: string): string {
  const out: string[] = [];
  if (report.import.status === 'error') {
    const e = report.import.error;
    out.push(`${file}:${e.line}: ${e.type}: ${e.message}`);
  }
  if (!report.classes.length) out.push(report.import.status === 'ok' ? 'no nn.Module classes found' : 'no nn.Module classes could be read');
  for (const cls of report.classes) out.push(formatClass(cls, file));
  const hints = report.diagnostics.filter((d) => d.severity === 'hint' || d.severity === 'warning');
  if (hints.length) {
    out.push('notes:');
    for (const d of hints) out.push(`  ${file}:${d.line}: ${d.message} [${d.code}]`);
  }
  return `${out.join('\n\n')}\n`;
}

function formatClass(cls: ClassReport, file: string): string {
  const lines = [`== ${cls.name} (${file}:${cls.line})`];
  const inst = cls.instance;
  if (!inst) {
    lines.push(`not constructed: __init__ needs ${cls.required_args.join(', ')} (pass them with --spec)`);
    return lines.join('\n');
  }
  if (inst.status !== 'ok') {
    lines.push(`${file}:${inst.error!.line}: ${inst.error!.type}: ${inst.error!.message}`);
    return lines.join('\n');
  }
  lines.push(inst.repr!, '');
  const rows = inst.parameters!.map(([name, shape]) => [name, `[${shape.join(', ')}]`, count(shape.reduce((a, b) => a * b, 1))]);
  if (rows.length) {
    const header = ['parameter', 'shape', 'count'];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    const fmt = (r: string[]): string => `${r[0]!.padEnd(widths[0]!)}  ${r[1]!.padEnd(widths[1]!)}  ${r[2]!.padStart(widths[2]!)}`;
    lines.push(fmt(header), ...rows.map(fmt));
  }
  const trainable = inst.num_trainable_params!;
  lines.push(`total: ${count(inst.num_params!)} parameters${trainable !== inst.num_params ? ` (${count(trainable)} trainable)` : ''}, ${formatBytes(inst.num_params! * 4)} as float32`);
  if (inst.buffers!.length) lines.push(`buffers: ${inst.buffers!.map(([n, s]) => `${n} [${s.join(', ')}]`).join(', ')}`);
  if (inst.forward) lines.push('', ...formatForward(inst.forward, file));
  return lines.join('\n');
}

function formatForward(f: ForwardReport, file: string): string[] {
  const lines: string[] = [];
  const inputs = f.inputs.map((i) => `${i.kind === 'randint' ? 'int64 ' : ''}[${i.shape.join(', ')}]`).join(', ');
  lines.push(`forward(${inputs || '?'})  — input ${describeSource(f.input_source)}`);
  for (const [pathName, className, shape] of f.calls) {
    lines.push(`  ${(pathName || '(model)').padEnd(28)} ${className.padEnd(22)} → ${shape === null ? '✗' : formatShape(shape)}`);
  }
  if (f.status === 'ok') {
    lines.push(`output: ${formatShape(f.output_shape ?? null)}`);
    // Value devices: what `print(model(x))` shows (seeded as the oracle: manual_seed(0) init, manual_seed(1) inputs).
    if (f.output_repr !== undefined) lines.push(f.output_repr);
    if (f.values_error) lines.push(`values: ${f.values_error}`);
  }
  else if (f.status === 'error') lines.push(`${file}:${f.error!.line}: ${f.error!.type}: ${f.error!.message}`);
  else if (f.unsupported) lines.push(`not traced: ${f.unsupported.message} (${file}:${f.unsupported.line})`);
  return lines;
}

function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  let x = n;
  while (x >= 1024 && i < units.length - 1) { x /= 1024; i++; }
  return `${i === 0 ? x : x.toFixed(1)} ${units[i]}`;
}

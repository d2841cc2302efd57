// Small text formats shared by hover, CodeLens and diagnostics: counts with thousands separators,
// shapes as PyTorch users write them, sizes in memory.
import type { ShapeStruct } from '../../analysis/report.ts';
import { formatShape } from '../../analysis/format-report.ts';

export { formatShape };

export const product = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** 32998 → `32,998` (independent of the machine's locale). */
export function formatCount(n: number): string {
  const digits = String(Math.trunc(Math.abs(n)));
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return n < 0 ? `-${grouped}` : grouped;
}

/** `1 param`, `32,998 params`. */
export function formatParamCount(n: number): string {
  return `${formatCount(n)} ${n === 1 ? 'param' : 'params'}`;
}

/** 131992 → `128.9 KiB` (binary units, as `nnlens inspect` prints). */
export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  let x = n;
  while (x >= 1024 && i < units.length - 1) { x /= 1024; i++; }
  return `${i === 0 ? x : x.toFixed(1)} ${units[i]}`;
}

/** Distinct shapes in order, as text. */
export function distinctShapes(shapes: readonly ShapeStruct[]): string[] {
  return [...new Set(shapes.map(formatShape))];
}

/** Distinct shapes in order, joined: `[1, 16, 16, 16] · [1, 32, 8, 8]`. */
export function formatShapes(shapes: readonly ShapeStruct[]): string {
  return distinctShapes(shapes).join(' · ');
}

/** Inline code for Markdown, safe for any content. */
export function inlineCode(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((m) => m.length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

/** A fenced Markdown code block whose fence cannot clash with the content. */
export function codeBlock(text: string, language = ''): string {
  const longest = Math.max(2, ...(text.match(/`+/g) ?? []).map((m) => m.length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${language}\n${text}\n${fence}`;
}

/** Plain text inside a Markdown paragraph: `Conv2d.__init__()` must not turn bold. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_<>|~]/g, (c) => `\\${c}`);
}

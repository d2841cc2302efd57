// The `nnLens.inputShapes` setting: the forward input of a model class, typed in settings.json.
// Shared by the server (which analyses with it) and the extension (whose Set Input Shape… writes
// it), so both read an entry the same way. Types and pure functions only, no imports.
//
//   "nnLens.inputShapes": {
//     "LeNet": "1, 1, 28, 28",                                 // torch.randn(1, 1, 28, 28)
//     "Net": [8, 3, 32, 32],                                   // the same as a list
//     "GPT": { "shape": [2, 16], "dtype": "int64", "high": 50257 },   // torch.randint(0, 50257, (2, 16))
//     "models/vit.py:Block": "1, 197, 768"                     // only in files named so (path suffix)
//   }
//
// A key is a class name, or `FILE:Class` where FILE is the file's name or the end of its path
// (`vit.py`, `models/vit.py`); a `FILE:Class` key that matches beats a plain `Class` key.

export type InputDtype = 'float32' | 'int64';

/** One entry as parsed: `torch.randn(shape)` (float32) or `torch.randint(low, high, shape)` (int64). */
export interface InputShape {
  shape: number[];
  dtype: InputDtype;
  /** int64 only: the token id range, low inclusive, high exclusive (default 0..2). */
  low?: number;
  high?: number;
}

/** The valid entries by key, and one sentence per invalid entry (which is ignored). */
export interface ParsedInputShapes {
  entries: Record<string, InputShape>;
  problems: string[];
}

export const maxDims = 8;
const maxSize = 1 << 30;

/** `1, 3, 32, 32`, `[1, 3, 32, 32]`, `(1, 3, 32, 32)`, `1x3x32x32`: the sizes, or null if it is not a shape. */
export function parseShapeText(text: string): number[] | null {
  const inner = text.trim().replace(/^[[(]\s*/, '').replace(/\s*[\])]$/, '');
  // Sizes (digits only: Number('1e3') is 1000) with one separator between each two, a trailing comma allowed.
  if (!/^\d+(\s*[,x×]\s*\d+|\s+\d+)*\s*,?$/.test(inner)) return null;
  return shapeOf(inner.match(/\d+/g)!.map(Number));
}

function shapeOf(value: unknown): number[] | null {
  if (!Array.isArray(value) || value.length === 0 || value.length > maxDims) return null;
  return value.every((n) => typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= maxSize) ? value as number[] : null;
}

const describe = (v: unknown): string => {
  const text = JSON.stringify(v);
  return text === undefined ? String(v) : text.length > 60 ? `${text.slice(0, 59)}…` : text;
};

/** One entry, or why it is not one. */
export function parseInputShape(value: unknown): InputShape | string {
  const expected = 'expected sizes like "1, 3, 32, 32", a list [1, 3, 32, 32], or { "shape": …, "dtype": "float32" | "int64" }';
  if (typeof value === 'string') return shapeFromText(value) ?? `${describe(value)} is not a shape (${expected})`;
  if (Array.isArray(value)) return shapeOf(value) ? { shape: value as number[], dtype: 'float32' } : `${describe(value)} is not a shape: 1 to ${maxDims} non-negative integers`;
  if (typeof value !== 'object' || value === null) return `${describe(value)} is not a shape (${expected})`;
  const o = value as Record<string, unknown>;
  const unknownKeys = Object.keys(o).filter((k) => !['shape', 'dtype', 'low', 'high'].includes(k));
  if (unknownKeys.length) return `unknown field${unknownKeys.length > 1 ? 's' : ''} ${unknownKeys.map((k) => `"${k}"`).join(', ')} (known: shape, dtype, low, high)`;
  const shape = typeof o.shape === 'string' ? parseShapeText(o.shape) : shapeOf(o.shape);
  if (!shape) return `"shape" ${o.shape === undefined ? 'is missing' : `${describe(o.shape)} is not a shape`} (sizes like "1, 3, 32, 32" or [1, 3, 32, 32])`;
  const dtype = o.dtype ?? 'float32';
  if (dtype !== 'float32' && dtype !== 'int64') return `"dtype" must be "float32" or "int64", not ${describe(o.dtype)}`;
  if (dtype === 'float32') {
    if (o.low !== undefined || o.high !== undefined) return '"low" and "high" are for "dtype": "int64" (token ids)';
    return { shape, dtype };
  }
  const int = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);
  if (o.low !== undefined && !int(o.low)) return `"low" must be an integer, not ${describe(o.low)}`;
  if (o.high !== undefined && !int(o.high)) return `"high" must be an integer, not ${describe(o.high)}`;
  const low = (o.low as number | undefined) ?? 0;
  const high = (o.high as number | undefined) ?? Math.max(2, low + 1);
  if (high <= low) return `"high" (${high}) must be greater than "low" (${low}): token ids are drawn from low to high - 1`;
  return { shape, dtype, low, high };
}

function shapeFromText(text: string): InputShape | null {
  const shape = parseShapeText(text);
  return shape && { shape, dtype: 'float32' };
}

/** The whole setting, from untrusted JSON: every entry parsed, every bad one named once. */
export function parseInputShapes(raw: unknown): ParsedInputShapes {
  const entries: Record<string, InputShape> = {};
  const problems: string[] = [];
  if (raw === undefined || raw === null) return { entries, problems };
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    return { entries, problems: [`nnLens.inputShapes must be an object of class name → shape, not ${describe(raw)}`] };
  }
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    const parsed = splitKey(key) ? parseInputShape(value) : 'the key is not a class name or FILE:Class';
    if (typeof parsed === 'string') problems.push(`nnLens.inputShapes["${key}"]: ${parsed}; the entry is ignored`);
    else entries[key] = parsed;
  }
  return { entries, problems };
}

/** `Class` → { className }; `path/file.py:Class` → { file, className }; null when it is neither. */
export function splitKey(key: string): { file?: string; className: string } | null {
  const colon = key.lastIndexOf(':');
  const className = key.slice(colon + 1).trim();
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(className)) return null;
  if (colon < 0) return { className };
  const file = key.slice(0, colon).trim().replace(/\\/g, '/');
  return file ? { file, className } : null;
}

/** Whether `file` (a key's FILE part) names the document at `filePath`: its name or the end of its path. */
function fileMatches(file: string, filePath: string): boolean {
  const path = filePath.replace(/\\/g, '/');
  const suffix = file.replace(/^\.\//, '');
  return path === suffix || path.endsWith(`/${suffix}`);
}

/**
 * The entries that apply to one document, by class name, each with the key it came from: a
 * `FILE:Class` key naming this file wins over a plain `Class` key.
 */
export function inputShapesForFile(entries: Record<string, InputShape>, filePath: string): Map<string, { input: InputShape; key: string }> {
  const out = new Map<string, { input: InputShape; key: string; qualified: boolean }>();
  for (const [key, input] of Object.entries(entries)) {
    const k = splitKey(key);
    if (!k) continue;
    if (k.file !== undefined && !fileMatches(k.file, filePath)) continue;
    const qualified = k.file !== undefined;
    const had = out.get(k.className);
    if (!had || (qualified && !had.qualified)) out.set(k.className, { input, key, qualified });
  }
  return new Map([...out].map(([cls, { input, key }]) => [cls, { input, key }]));
}

/** The value Set Input Shape… writes: the short text for a float input, the object form for token ids. */
export function inputShapeSettingValue(input: InputShape): string | { shape: number[]; dtype: 'int64'; low?: number; high?: number } {
  if (input.dtype === 'float32') return input.shape.join(', ');
  return { shape: input.shape, dtype: 'int64', ...(input.low !== undefined ? { low: input.low } : {}), ...(input.high !== undefined ? { high: input.high } : {}) };
}

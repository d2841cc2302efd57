// How Set Input Shape… changes the nnLens.inputShapes object of one settings scope: pure, so that
// it is tested without VS Code (test/extension/). The entry that applies to the file is the one
// changed: a `FILE:Class` key naming this file if there is one, else the plain class name.
import { inputShapesForFile, parseInputShapes } from '../language-server/protocol/input-shapes.ts';

export interface UpdatedInputShapes {
  /** The new setting value; undefined removes the setting from the scope (no entries left). */
  value: Record<string, unknown> | undefined;
  changed: boolean;
}

/**
 * `current`: the scope's value (anything: it is hand-edited JSON). `entry` null removes every key
 * of this scope that applies to the class in this file. Entries for other classes, and invalid
 * ones, are kept as they are: they are the user's to fix.
 */
export function updatedInputShapes(current: unknown, filePath: string, className: string, entry: unknown): UpdatedInputShapes {
  const base: Record<string, unknown> = typeof current === 'object' && current !== null && !Array.isArray(current) ? { ...current as Record<string, unknown> } : {};
  const applying = keysFor(base, filePath, className);
  if (entry === null) {
    if (!applying.length) return { value: current === undefined ? undefined : base, changed: false };
    for (const k of applying) delete base[k];
    return { value: Object.keys(base).length ? base : undefined, changed: true };
  }
  // The key that wins for this file (a qualified one), else the class name.
  const key = applying.find((k) => k.includes(':')) ?? className;
  if (JSON.stringify(base[key]) === JSON.stringify(entry)) return { value: base, changed: false };
  base[key] = entry;
  return { value: base, changed: true };
}

/** Every key of `shapes` that names `className` for this file: the plain name, and `FILE:Class` keys matching the file. */
function keysFor(shapes: Record<string, unknown>, filePath: string, className: string): string[] {
  const keys: string[] = [];
  for (const key of Object.keys(shapes)) {
    // Match by key alone, valid entry or not: parse a stand-in value so a bad entry can still be replaced.
    const probe = parseInputShapes({ [key]: '1' }).entries;
    if (inputShapesForFile(probe, filePath).has(className)) keys.push(key);
  }
  return keys;
}

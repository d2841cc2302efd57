// What the user types as an input shape: `1, 3, 32, 32`, `[1, 3, 32, 32]`, `1x3x32x32`.

export function parseShape(text: string): number[] | null {
  const parts = text.replace(/[[\]()]/g, '').split(/[\s,x×]+/).filter(Boolean);
  const dims = parts.map(Number);
  return dims.length > 0 && dims.length <= 8 && dims.every((n) => Number.isInteger(n) && n >= 0) ? dims : null;
}

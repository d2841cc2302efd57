// The heatmap colours: diverging (blue < 0 < red, white at 0, symmetric scale ±scale) or sequential
// (viridis from min to max). Pure, so tests compute the colour a pixel must have.

export type ColorMode = 'diverging' | 'sequential';
export type Rgb = [number, number, number];

const negative: Rgb = [33, 102, 172];
const centre: Rgb = [247, 247, 247];
const positive: Rgb = [178, 24, 43];
const viridis: Rgb[] = [[68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [253, 231, 37]];
/** NaN and ±inf cells. */
export const notFinite: Rgb = [255, 0, 255];

const lerp = (a: Rgb, b: Rgb, t: number): Rgb => [
  Math.round(a[0] + (b[0] - a[0]) * t), Math.round(a[1] + (b[1] - a[1]) * t), Math.round(a[2] + (b[2] - a[2]) * t),
];

/** The scale of a tensor: [lo, hi] mapped to the ends of the map (diverging: ±max|x|). */
export function colorScale(mode: ColorMode, min: number, max: number): [number, number] {
  if (mode === 'diverging') {
    const s = Math.max(Math.abs(min), Math.abs(max)) || 1;
    return [-s, s];
  }
  return max > min ? [min, max] : [min - 1, min + 1];
}

export function colorOf(value: number, mode: ColorMode, [lo, hi]: [number, number]): Rgb {
  if (!Number.isFinite(value)) return notFinite;
  const t = Math.max(0, Math.min(1, (value - lo) / (hi - lo)));
  if (mode === 'diverging') return t < 0.5 ? lerp(negative, centre, t * 2) : lerp(centre, positive, (t - 0.5) * 2);
  const x = t * (viridis.length - 1);
  const i = Math.min(viridis.length - 2, Math.floor(x));
  return lerp(viridis[i]!, viridis[i + 1]!, x - i);
}

/** Steps of `colorTable`: fine enough that a table colour is within 1 of `colorOf` in every channel. */
export const tableSize = 4096;

/**
 * The map sampled at `tableSize` steps from lo to hi, as RGBA packed for a little-endian Uint32Array
 * view of ImageData (what the painter writes: one table lookup per cell instead of three lerps and
 * an array allocation). Entry `tableSize` is the not-finite colour.
 */
export function colorTable(mode: ColorMode): Uint32Array {
  const table = new Uint32Array(tableSize + 1);
  const pack = ([r, g, b]: Rgb): number => ((255 << 24) | (b << 16) | (g << 8) | r) >>> 0;
  for (let i = 0; i < tableSize; i++) table[i] = pack(colorOf(i / (tableSize - 1), mode, [0, 1]));
  table[tableSize] = pack(notFinite);
  return table;
}

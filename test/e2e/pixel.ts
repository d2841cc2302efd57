// One pixel of the screen as the user sees it: a 1×1 screenshot of the page (what Chromium
// composited, webviews included), decoded here. A 1×1 PNG needs no unfiltering: every PNG filter
// of the first (only) pixel of the first row adds zero, so the decompressed scanline is a filter
// byte followed by the pixel's samples.
import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import type { Page } from 'playwright-core';

export interface Rgb { r: number; g: number; b: number }

export function decodeOnePixelPng(png: Buffer): Rgb {
  assert.equal(png.readUInt32BE(0), 0x89504e47, 'a PNG');
  let at = 8;
  let colorType = -1;
  let bitDepth = -1;
  const data: Buffer[] = [];
  while (at < png.length) {
    const length = png.readUInt32BE(at);
    const type = png.toString('latin1', at + 4, at + 8);
    const body = png.subarray(at + 8, at + 8 + length);
    if (type === 'IHDR') {
      assert.equal(body.readUInt32BE(0), 1, 'width 1');
      assert.equal(body.readUInt32BE(4), 1, 'height 1');
      bitDepth = body[8]!;
      colorType = body[9]!;
    } else if (type === 'IDAT') data.push(body);
    at += 12 + length;
  }
  assert.equal(bitDepth, 8, 'an 8-bit PNG');
  assert.ok(colorType === 2 || colorType === 6, `an RGB or RGBA PNG (colour type ${colorType})`);
  const line = zlib.inflateSync(Buffer.concat(data));
  return { r: line[1]!, g: line[2]!, b: line[3]! };
}

/** The colour on screen at page coordinates (x, y). */
export async function pixelAt(page: Page, x: number, y: number): Promise<Rgb> {
  return decodeOnePixelPng(await page.screenshot({ clip: { x: Math.round(x), y: Math.round(y), width: 1, height: 1 }, type: 'png' }));
}

/** `#1f1f1f`, `rgb(31, 31, 31)` → its channels. */
export function parseCssColor(text: string): Rgb {
  const t = text.trim();
  const hex = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})/i.exec(t);
  if (hex) return { r: parseInt(hex[1]!, 16), g: parseInt(hex[2]!, 16), b: parseInt(hex[3]!, 16) };
  const rgb = /^rgba?\((\d+),\s*(\d+),\s*(\d+)/.exec(t);
  assert.ok(rgb, `a CSS colour: ${JSON.stringify(text)}`);
  return { r: Number(rgb[1]), g: Number(rgb[2]), b: Number(rgb[3]) };
}

/** Relative luminance, 0 (black) … 1 (white), sRGB approximated by a plain weighted sum. */
export const luminance = (c: Rgb): number => (0.2126 * c.r + 0.7152 * c.g + 0.0722 * c.b) / 255;

export const sameColor = (a: Rgb, b: Rgb, tolerance = 2): boolean =>
  Math.abs(a.r - b.r) <= tolerance && Math.abs(a.g - b.g) <= tolerance && Math.abs(a.b - b.b) <= tolerance;

export const colorText = (c: Rgb): string => `rgb(${c.r}, ${c.g}, ${c.b})`;

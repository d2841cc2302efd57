// The weights panel (webviews/weights/) as the end-to-end test sees it inside the workbench: found
// by the model it shows (body[data-model]), its tree, the heatmap canvas read back pixel by pixel,
// the readout under the pointer and the statistics table. Every wait is on a condition, with what
// the panel showed instead in the failure message.
import assert from 'node:assert/strict';
import type { Frame, Page } from 'playwright-core';

/** Polls `probe` every 100 ms until it returns something other than undefined; fails with `what` and the last `seen()`. */
export async function until<T>(what: string, probe: () => Promise<T | undefined>, seen: () => Promise<string> | string, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}; the panel showed:\n${await Promise.resolve(seen()).catch((e) => String(e))}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The heatmap canvas as pixels: where the view is drawn, its colours, and a hash of the whole image. */
export interface CanvasPicture {
  width: number; height: number;
  /** The rectangle of opaque pixels (the drawn view), in CSS pixels; null when nothing is drawn. */
  drawn: { x: number; y: number; w: number; h: number } | null;
  /** Distinct opaque colours. */
  colours: number;
  hash: string;
  /** The separator colour (the editor background, as the panel reads it). */
  separator: string;
}

export class WeightsPanel {
  constructor(readonly page: Page, readonly frame: Frame, readonly model: string) {}

  /** The panel of `model`: the webview frame whose body says so (a hidden panel has no frame; a shown one gets a new frame). */
  static async find(page: Page, model: string, timeoutMs = 60_000): Promise<WeightsPanel> {
    const frame = await until(`the weights panel of ${model}`, async () => {
      for (const f of page.frames()) {
        if (f.isDetached()) continue;
        const shown = await f.evaluate(() => (document.getElementById('tree') ? document.body.dataset.model ?? '' : null)).catch(() => null);
        if (shown === model) return f;
      }
      return undefined;
    }, async () => {
      const bodies = await Promise.all(page.frames().map((f) => f.evaluate(() => document.body?.innerText.slice(0, 300) ?? '').catch(() => '')));
      return bodies.filter((b) => b.trim()).join('\n---\n') || '(no webview frame with text)';
    }, timeoutMs);
    return new WeightsPanel(page, frame, model);
  }

  async text(): Promise<string> {
    return this.frame.locator('body').innerText({ timeout: 5_000 }).catch(() => '<no panel body>');
  }

  title(): Promise<string> { return this.frame.locator('#title').innerText(); }

  /** The id of the last repaint (body[data-painted]: the newest request id drawn), 0 before the first. */
  async paintedId(): Promise<number> {
    return Number(await this.frame.locator('body').getAttribute('data-painted') ?? 0);
  }

  /** Waits until the panel painted something after `since` (a paintedId) with `title` as its title, and nothing is loading. */
  async painted(title: string, since: number): Promise<void> {
    await until(`${title} painted (a repaint after #${since}, nothing loading)`, async () => {
      const [id, t, status] = await Promise.all([this.paintedId(), this.title(), this.frame.locator('#status').innerText()]);
      return id > since && t === title && status === '' ? true : undefined;
    }, () => this.text());
  }

  /** Clicks the tree entry `id` (`parameter/conv1.weight`, `activation/conv1#1`) and waits for its picture. */
  async select(id: string, title: string): Promise<void> {
    const since = await this.paintedId();
    await this.frame.locator(`#tree li[data-id="${id}"]`).click();
    await this.painted(title, since);
    assert.equal(await this.frame.locator(`#tree li[data-id="${id}"]`).getAttribute('aria-selected'), 'true', `${id} is selected in the tree`);
  }

  /** The tree's leaves of one kind: [name or label, detail] in the order shown. */
  async leaves(kind: 'parameter' | 'activation'): Promise<{ id: string; label: string; detail: string }[]> {
    return this.frame.locator(`#tree li[data-id^="${kind}/"]`).evaluateAll((lis) => lis.map((li) => ({
      id: (li as HTMLElement).dataset.id ?? '',
      label: li.querySelector('.name')?.textContent ?? '',
      detail: li.querySelector('.detail')?.textContent ?? '',
    })));
  }

  async readout(): Promise<string> { return this.frame.locator('#readout').innerText(); }

  /** Moves the pointer to (x, y) of the canvas (CSS pixels) and returns the readout once it says something. */
  async readAt(x: number, y: number): Promise<string> {
    await this.frame.locator('#heatmap').hover({ position: { x, y } });
    return until(`a readout at (${x.toFixed(1)}, ${y.toFixed(1)})`, async () => {
      const text = await this.readout();
      return text ? text : undefined;
    }, () => this.text(), 10_000);
  }

  /** The statistics table: { mean: '-0.006823', ... }. */
  async stats(): Promise<Record<string, string>> {
    return this.frame.locator('#stats td[data-stat]').evaluateAll((tds) =>
      Object.fromEntries(tds.map((td) => [(td as HTMLElement).dataset.stat!, td.textContent ?? ''])));
  }

  /** The canvas as pixels (read in the webview: the backing store is CSS size × devicePixelRatio). */
  async picture(): Promise<CanvasPicture> {
    return this.frame.locator('#heatmap').evaluate((el) => {
      const canvas = el as HTMLCanvasElement;
      const dpr = window.devicePixelRatio || 1;
      const { width, height } = canvas;
      const data = canvas.getContext('2d')!.getImageData(0, 0, width, height).data;
      let x0 = width; let y0 = height; let x1 = -1; let y1 = -1;
      const colours = new Set<number>();
      let hash = 0x811c9dc5;
      for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
          const i = (y * width + x) * 4;
          for (let k = 0; k < 4; k++) hash = Math.imul(hash ^ data[i + k]!, 0x01000193);
          if (data[i + 3] === 0) continue;
          colours.add((data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!);
          if (x < x0) x0 = x; if (x > x1) x1 = x; if (y < y0) y0 = y; if (y > y1) y1 = y;
        }
      }
      return {
        width: width / dpr, height: height / dpr,
        drawn: x1 < 0 ? null : { x: x0 / dpr, y: y0 / dpr, w: (x1 - x0 + 1) / dpr, h: (y1 - y0 + 1) / dpr },
        colours: colours.size, hash: (hash >>> 0).toString(16) + `-${width}x${height}`,
        separator: getComputedStyle(document.body).getPropertyValue('--vscode-editor-background').trim(),
      };
    });
  }

  /** The canvas colours (#rrggbb, or 'transparent') at CSS pixel points. */
  async coloursAt(points: { x: number; y: number }[]): Promise<string[]> {
    return this.frame.locator('#heatmap').evaluate((el, pts) => {
      const canvas = el as HTMLCanvasElement;
      const dpr = window.devicePixelRatio || 1;
      const ctx = canvas.getContext('2d')!;
      return pts.map(({ x, y }) => {
        const [r, g, b, a] = ctx.getImageData(Math.floor(x * dpr), Math.floor(y * dpr), 1, 1).data;
        return a === 0 ? 'transparent' : `#${[r, g, b].map((v) => v!.toString(16).padStart(2, '0')).join('')}`;
      });
    }, points);
  }

  /**
   * Where the separator lines between tiles cross a line through the drawn view: runs of the
   * separator colour along x = `at` (direction 'down') or y = `at` ('across'), as offsets from the
   * view's edge in CSS pixels.
   */
  async separatorsAlong(direction: 'down' | 'across', at: number, from: number, length: number, separator: string): Promise<number[]> {
    const points = Array.from({ length: Math.floor(length) }, (_, i) => (direction === 'down' ? { x: at, y: from + i } : { x: from + i, y: at }));
    const colours = await this.coloursAt(points);
    const want = cssHex(separator);
    const runs: number[] = [];
    let start = -1;
    colours.forEach((c, i) => {
      if (c === want && start < 0) start = i;
      if ((c !== want || i === colours.length - 1) && start >= 0) {
        const end = c === want ? i : i - 1;
        runs.push((start + end + 1) / 2);
        start = -1;
      }
    });
    return runs;
  }

  /** The panel's iframe in the workbench page (for screenshots and pixels of the whole panel). */
  async iframeBox(): Promise<{ x: number; y: number; width: number; height: number }> {
    const outer = this.frame.parentFrame();
    assert.ok(outer, 'the panel frame sits inside the webview host frame');
    const element = await outer.frameElement();
    const box = await element.boundingBox();
    assert.ok(box, 'the panel is on screen');
    return box;
  }

  async screenshot(path: string): Promise<void> {
    const box = await this.iframeBox();
    await this.page.screenshot({ path, clip: box });
  }
}

/** `#1F1F1F` or `rgb(31, 31, 31)` → `#1f1f1f`. */
export function cssHex(colour: string): string {
  const t = colour.trim().toLowerCase();
  if (/^#[0-9a-f]{6}/.test(t)) return t.slice(0, 7);
  const m = /^rgba?\((\d+),\s*(\d+),\s*(\d+)/.exec(t);
  assert.ok(m, `a CSS colour: ${JSON.stringify(colour)}`);
  return `#${[m[1], m[2], m[3]].map((v) => Number(v).toString(16).padStart(2, '0')).join('')}`;
}

/** A readout `conv1.weight[2, 0, 3, 4] = -0.1234 · …`: the first name, index and printed value; null when it says otherwise. */
export function parseReadout(text: string): { name: string; index: number[]; exact: boolean; value: string; rest: string } | null {
  const m = /^(.+?)\[([\d, ]+)\] (=|≈) (\S+)(.*)$/.exec(text.trim());
  if (!m) return null;
  return { name: m[1]!, index: m[2]!.split(',').map((s) => Number(s.trim())), exact: m[3] === '=', value: m[4]!, rest: m[5]! };
}

/**
 * Asserts that `printed` (the panel's number: 4 significant digits, or exponent form) is `truth`
 * to the printed precision: within half a unit of its last printed digit.
 */
export function assertPrinted(printed: string, truth: number, what: string): void {
  const value = Number(printed);
  assert.ok(Number.isFinite(value), `${what}: ${JSON.stringify(printed)} is a number`);
  if (value === 0) { assert.ok(Math.abs(truth) < 1e-4, `${what}: printed 0, PyTorch has ${truth}`); return; }
  const mantissa = printed.replace(/^-/, '').split('e')[0]!;
  const decimals = mantissa.includes('.') ? mantissa.split('.')[1]!.length : 0;
  const exponent = printed.includes('e') ? Number(printed.split('e')[1]) : 0;
  const unit = 10 ** (exponent - decimals);
  assert.ok(Math.abs(value - truth) <= unit / 2 + Math.abs(truth) * 1e-6,
    `${what}: the panel prints ${printed}, PyTorch has ${truth} (allowed: ±${unit / 2})`);
}

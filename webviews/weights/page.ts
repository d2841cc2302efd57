// The weights panel's HTML: the strict CSP (no inline script or style; the script by nonce, the
// stylesheet from the webview's own origin), the page skeleton main.ts fills. The host and the
// browser test harness both use this, so the test loads exactly what VS Code loads.
import { type PageOptions, escapeHtml, panelPage } from '../shared/page.ts';

export type { PageOptions };

export function weightsPanelHtml(o: PageOptions): string {
  return panelPage(o, `<nav aria-label="Tensors"><h2>Parameters</h2><ul id="tree" role="tree" aria-label="Parameters, buffers and module outputs: arrows move, Enter selects, C compares the selection with this tensor"></ul></nav>
<section>
<div class="toolbar">
<h1 id="title">${escapeHtml(o.title)}</h1>
<label>cells <select id="reduction" aria-label="Cell reduction"><option value="mean">mean</option><option value="min">min</option><option value="max">max</option></select></label>
<label>colours <select id="colormap" aria-label="Colour map"><option value="diverging">diverging (0 centred)</option><option value="sequential">sequential</option></select></label>
<label><input type="checkbox" id="per-channel"> per channel</label>
<label id="sample-label" hidden>sample <select id="sample" aria-label="Sample of the batch"></select></label>
<button id="run-forward" type="button">▶ Run forward</button>
</div>
<div class="toolbar">
<label>compare with <select id="compare-with" aria-label="Compare with another tensor of the same shape"></select></label>
<select id="compare-mode" aria-label="Comparison"><option value="side">side by side</option><option value="difference">difference</option></select>
<span id="compare-message" role="alert"></span>
</div>
<div id="caption"></div>
<canvas id="heatmap" tabindex="0" role="img" aria-label="Heatmap: arrow keys pan, + and - zoom, 0 resets"></canvas>
<div class="legend"><span id="legend-lo"></span><canvas id="legend" aria-hidden="true"></canvas><span id="legend-hi"></span><span id="legend-note"></span></div>
<div id="readout" aria-live="polite"></div>
<div id="status" role="status"></div>
<div class="bottom"><table id="stats" aria-label="Statistics"></table><canvas id="histogram" role="img" aria-label="histogram"></canvas></div>
</section>`, `img-src ${o.cspSource} data:`);
}

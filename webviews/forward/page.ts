// The forward results panel's HTML: the same strict CSP as the weights panel (no inline script or
// style; the script by nonce, the stylesheet from the webview's own origin). The host and the
// browser test harness both use this.
import { type PageOptions, escapeHtml, panelPage } from '../shared/page.ts';

export type { PageOptions };

export function forwardPanelHtml(o: PageOptions): string {
  return panelPage(o, `<div class="toolbar"><h1 id="title">${escapeHtml(o.title)}</h1><button id="rerun" type="button">▶ Run again</button></div>
<div id="status" role="status" aria-live="polite"></div>
<dl id="device"></dl>
<div id="error" role="alert" hidden></div>
<h2>Output</h2>
<pre id="printed" aria-label="Output as PyTorch prints it"></pre>
<h2>Module calls</h2>
<table id="calls" aria-label="Module calls">
<thead><tr><th scope="col">module</th><th scope="col">class</th><th scope="col">output shape</th><th scope="col" class="num">ms</th><th scope="col" class="num">mean</th><th scope="col" class="num">std</th><th scope="col" class="num">min</th><th scope="col" class="num">max</th></tr></thead>
<tbody></tbody>
</table>
<div id="total"></div>`);
}

// The placeholder page of the weights panel: a clear "not available yet" and the parameter
// shapes. No scripts; CSP `default-src 'none'`; theming only through --vscode-* variables.
import { randomBytes } from 'node:crypto';
import type { ModelSummary } from '../../language-server/protocol/requests.ts';

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function weightsPlaceholderHtml(model: ModelSummary, _cspSource: string): string {
  const nonce = randomBytes(16).toString('base64');
  const rows = (model.parameters ?? [])
    .map((p) => `<tr><td><code>${escapeHtml(p.name)}</code></td><td>[${p.shape.join(', ')}]</td><td class="n">${p.count.toLocaleString('en-US')}</td></tr>`)
    .join('');
  const table = rows
    ? `<table><thead><tr><th>parameter</th><th>shape</th><th class="n">count</th></tr></thead><tbody>${rows}</tbody></table>`
    : `<p>${escapeHtml(model.problem ?? 'This model has no parameters.')}</p>`;
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'nonce-${nonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1">
<style nonce="${nonce}">
body { font-family: var(--vscode-font-family); color: var(--vscode-foreground); background: var(--vscode-editor-background); padding: 1em; }
.notice { border-left: 3px solid var(--vscode-notificationsInfoIcon-foreground); padding: .5em 1em; background: var(--vscode-textBlockQuote-background); }
table { border-collapse: collapse; margin-top: 1em; } td, th { padding: 2px 12px; text-align: left; } .n { text-align: right; }
code { font-family: var(--vscode-editor-font-family); }
</style></head>
<body>
<h2>Weights of ${escapeHtml(model.className)}</h2>
<p class="notice" id="not-available">Weight heatmaps are <strong>not available yet</strong>: this panel will show the weights as <code>torch.manual_seed(0); ${escapeHtml(model.className)}()</code> initialises them, in a later version. The shapes below are what the analysis knows now.</p>
${table}
</body></html>`;
}

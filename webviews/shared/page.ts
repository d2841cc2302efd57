// The HTML shell every panel shares: the strict CSP (no inline script or style; the script by
// nonce, the stylesheet from the webview's own origin), the head, and the script tag around a
// panel's own skeleton. The host and the browser test harness both build pages with it, so the
// tests load exactly what VS Code loads.

export interface PageOptions {
  /** The webview's `cspSource` (origin of its local resources). */
  cspSource: string;
  nonce: string;
  scriptUri: string;
  styleUri: string;
  title: string;
}

export const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A full page: `extraCsp` adds directives (e.g. `img-src ...`) to the shared policy; `body` goes inside `<main>`. */
export function panelPage(o: PageOptions, body: string, extraCsp = ''): string {
  const csp = `default-src 'none'; script-src 'nonce-${o.nonce}'; style-src ${o.cspSource}${extraCsp ? `; ${extraCsp}` : ''}`;
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="${escapeHtml(o.styleUri)}">
<title>${escapeHtml(o.title)}</title>
</head><body>
<main>
${body}
</main>
<script nonce="${escapeHtml(o.nonce)}" src="${escapeHtml(o.scriptUri)}"></script>
</body></html>`;
}

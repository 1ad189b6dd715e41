/**
 * The panel's HTML shell, shared by the extension (real webview URIs) and the browser tests
 * (file URLs), so that what is tested in Chromium is what VS Code shows. A strict Content
 * Security Policy: nothing remote, no inline script or style, the one script by nonce.
 */
export interface PanelHtmlOptions {
  /** `webview.cspSource` in VS Code; the origin the test page is served from in tests. */
  cspSource: string;
  nonce: string;
  scriptUri: string;
  styleUris: string[];
  title: string;
  /** The state the webview starts from (embedded as JSON data, never run as script). */
  initialState?: unknown;
}

/** JSON that can sit inside a `<script type="application/json">` element: nothing in it can close the element or start markup. */
export function jsonForHtml(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

function escapeAttr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `img-src ${cspSource} data: blob:`,
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
}

export function renderPanelHtml(o: PanelHtmlOptions): string {
  const styles = o.styleUris.map((u) => `<link rel="stylesheet" href="${escapeAttr(u)}">`).join('\n    ');
  return `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="UTF-8">
    <meta http-equiv="Content-Security-Policy" content="${escapeAttr(contentSecurityPolicy(o.cspSource, o.nonce))}">
    <meta name="viewport" content="width=device-width, initial-scale=1.0">
    ${styles}
    <title>${escapeAttr(o.title)}</title>
  </head>
  <body>
    <main id="app" aria-live="polite"><p class="empty">Waiting for the reproduction to start...</p></main>
    ${o.initialState === undefined ? '' : `<script type="application/json" id="initial-state">${jsonForHtml(o.initialState)}</script>`}
    <script nonce="${escapeAttr(o.nonce)}" src="${escapeAttr(o.scriptUri)}"></script>
  </body>
</html>`;
}

/** 32 characters from [A-Za-z0-9], for the CSP nonce. */
export function makeNonce(random: () => number = Math.random): string {
  const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let out = '';
  for (let i = 0; i < 32; i++) out += chars.charAt(Math.floor(random() * chars.length));
  return out;
}

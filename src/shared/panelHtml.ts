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
  /**
   * The script and the style sheets themselves, put in the page under the same nonce instead of
   * loaded from `scriptUri` and `styleUris`: a new webview then fetches nothing before it draws.
   */
  inline?: { script: string; styles: string[] };
}

/** Text that can sit inside a `<script>` or `<style>` element without closing it. */
function inlineSafe(text: string, element: 'script' | 'style'): string {
  // `</script` would end the element; `<!--` would switch the HTML parser into a mode where it may not.
  return text.replace(new RegExp(`</(${element})`, 'gi'), '<\\/$1').replace(/<!--/g, '<\\!--');
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
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `font-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
}

export function renderPanelHtml(o: PanelHtmlOptions): string {
  const nonce = escapeAttr(o.nonce);
  const styles = o.inline
    ? o.inline.styles.map((css) => `<style nonce="${nonce}">${inlineSafe(css, 'style')}</style>`).join('\n    ')
    : o.styleUris.map((u) => `<link rel="stylesheet" href="${escapeAttr(u)}">`).join('\n    ');
  const script = o.inline ? `<script nonce="${nonce}">${inlineSafe(o.inline.script, 'script')}</script>` : `<script nonce="${nonce}" src="${escapeAttr(o.scriptUri)}"></script>`;
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
    ${script}
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

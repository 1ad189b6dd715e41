/**
 * Serves the real panel HTML (src/shared/panelHtml.ts) with the built webview bundle on a
 * loopback port and opens it in Debian's Chromium through playwright-core. A stand-in for
 * VS Code's `acquireVsCodeApi` records what the panel posts.
 */
import { createServer, type Server } from 'node:http';
import { existsSync, readFileSync } from 'node:fs';
import { extname, join, normalize } from 'node:path';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Page } from 'playwright-core';
import { makeNonce, renderPanelHtml } from '../../src/shared/panelHtml';

export const ROOT = join(__dirname, '..', '..');

/** VS Code's own variable names, with values close to its Dark+, Light+ and High Contrast themes. */
export const THEMES: Record<string, { bodyClass: string; vars: Record<string, string> }> = {
  dark: {
    bodyClass: 'vscode-dark',
    vars: {
      '--vscode-foreground': '#cccccc', '--vscode-editor-background': '#1e1e1e', '--vscode-descriptionForeground': '#9d9d9d',
      '--vscode-charts-blue': '#3794ff', '--vscode-charts-orange': '#d18616', '--vscode-charts-green': '#89d185', '--vscode-charts-purple': '#b180d7',
      '--vscode-charts-red': '#f14c4c', '--vscode-charts-yellow': '#cca700', '--vscode-button-background': '#0e639c', '--vscode-button-foreground': '#ffffff',
      '--vscode-button-secondaryBackground': '#3a3d41', '--vscode-button-secondaryForeground': '#ffffff', '--vscode-errorForeground': '#f48771',
      '--vscode-editorWidget-border': '#454545', '--vscode-textBlockQuote-background': '#222222', '--vscode-inputValidation-errorBackground': '#5a1d1d',
      '--vscode-font-family': 'sans-serif', '--vscode-font-size': '13px', '--vscode-focusBorder': '#007fd4', '--vscode-editorWarning-foreground': '#cca700',
    },
  },
  light: {
    bodyClass: 'vscode-light',
    vars: {
      '--vscode-foreground': '#616161', '--vscode-editor-background': '#ffffff', '--vscode-descriptionForeground': '#717171',
      '--vscode-charts-blue': '#1a85ff', '--vscode-charts-orange': '#d18616', '--vscode-charts-green': '#388a34', '--vscode-charts-purple': '#652d90',
      '--vscode-charts-red': '#e51400', '--vscode-charts-yellow': '#bf8803', '--vscode-button-background': '#007acc', '--vscode-button-foreground': '#ffffff',
      '--vscode-button-secondaryBackground': '#5f6a79', '--vscode-button-secondaryForeground': '#ffffff', '--vscode-errorForeground': '#a1260d',
      '--vscode-editorWidget-border': '#c8c8c8', '--vscode-textBlockQuote-background': '#f2f2f2', '--vscode-inputValidation-errorBackground': '#f2dede',
      '--vscode-font-family': 'sans-serif', '--vscode-font-size': '13px', '--vscode-focusBorder': '#0090f1', '--vscode-editorWarning-foreground': '#bf8803',
    },
  },
  'high-contrast': {
    bodyClass: 'vscode-high-contrast',
    vars: {
      '--vscode-foreground': '#ffffff', '--vscode-editor-background': '#000000', '--vscode-descriptionForeground': '#ffffff',
      '--vscode-charts-blue': '#3794ff', '--vscode-charts-orange': '#ff8c00', '--vscode-charts-green': '#89d185', '--vscode-charts-purple': '#b180d7',
      '--vscode-charts-red': '#f14c4c', '--vscode-charts-yellow': '#ffff00', '--vscode-button-background': '#000000', '--vscode-button-foreground': '#ffffff',
      '--vscode-button-border': '#6fc3df', '--vscode-button-secondaryBackground': '#000000', '--vscode-button-secondaryForeground': '#ffffff',
      '--vscode-errorForeground': '#f48771', '--vscode-editorWidget-border': '#6fc3df', '--vscode-textBlockQuote-background': '#000000',
      '--vscode-inputValidation-errorBackground': '#5a1d1d', '--vscode-font-family': 'sans-serif', '--vscode-font-size': '13px', '--vscode-focusBorder': '#f38518',
      '--vscode-editorWarning-foreground': '#ffd370',
    },
  },
};

const TYPES: Record<string, string> = { '.js': 'text/javascript', '.css': 'text/css', '.html': 'text/html' };

export interface PanelHarness {
  browser: Browser;
  server: Server;
  /** `start`: the state embedded in the page by the extension and the one the webview saved before, as after a reload. */
  open(theme: keyof typeof THEMES, start?: { initialState?: unknown; savedState?: unknown }): Promise<Page>;
  close(): Promise<void>;
}

export function chromiumPath(): string | undefined {
  return ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
}

/** The script and style sheets put in the page, as the extension does (src/extension/reproduce/panel.ts). */
function inlineAssets(): { script: string; styles: string[] } {
  const read = (...p: string[]) => readFileSync(join(ROOT, ...p), 'utf8');
  return { script: read('dist', 'webview.js'), styles: [read('media', 'uPlot.min.css'), read('media', 'panel.css')] };
}

export async function startHarness(): Promise<PanelHarness> {
  const bundle = join(ROOT, 'dist', 'webview.js');
  if (!existsSync(bundle)) throw new Error('dist/webview.js is missing: run `npm run build` first');
  let theme = THEMES.dark;
  let start: { initialState?: unknown; savedState?: unknown } = {};
  const nonce = makeNonce();
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/') {
      const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const html = renderPanelHtml({ cspSource: origin, nonce, scriptUri: `${origin}/dist/webview.js`, styleUris: [`${origin}/media/uPlot.min.css`, `${origin}/media/panel.css`], title: 'nanguard', initialState: start.initialState, inline: inlineAssets() })
        // VS Code's own webview preamble sets the theme class and variables and provides acquireVsCodeApi.
                .replace('<script nonce', `<script nonce="${nonce}" src="${origin}/test-api.js"></script>\n    <script nonce`);
      res.writeHead(200, { 'content-type': 'text/html' }).end(html);
      return;
    }
    if (url.pathname === '/test-api.js') {
      // Like VS Code's preamble: the theme class and variables are set from script (the CSP forbids style attributes).
      res.writeHead(200, { 'content-type': 'text/javascript' }).end(
        `document.body.className = ${JSON.stringify(theme.bodyClass)};\n` +
          `for (const [k, v] of Object.entries(${JSON.stringify(theme.vars)})) document.body.style.setProperty(k, v);\n` +
          `window.posted = []; let saved = ${JSON.stringify(start.savedState ?? null)} ?? undefined; window.acquireVsCodeApi = () => ({ postMessage: (m) => window.posted.push(m), getState: () => saved, setState: (s) => { saved = s; } });`,
      );
      return;
    }
    const file = normalize(join(ROOT, url.pathname));
    if (!file.startsWith(join(ROOT, 'dist')) && !file.startsWith(join(ROOT, 'media'))) {
      res.writeHead(404).end();
      return;
    }
    if (!existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
  const port = (server.address() as AddressInfo).port;
  return {
    browser,
    server,
    async open(name, startWith = {}) {
      theme = THEMES[name];
      start = startWith;
      const page = await browser.newPage({ viewport: { width: 960, height: 900 } });
      const cspErrors: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') cspErrors.push(m.text());
      });
      (page as unknown as { cspErrors: string[] }).cspErrors = cspErrors;
      await page.goto(`http://127.0.0.1:${port}/`);
      await page.waitForFunction(() => (window as unknown as { posted: { type: string }[] }).posted?.some((m) => m.type === 'ready'));
      return page;
    },
    async close() {
      await browser.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Posts protocol messages to the panel as VS Code would, then waits for a render. */
export async function feed(page: Page, messages: unknown[]): Promise<void> {
  await page.evaluate((msgs) => {
    for (const m of msgs) window.postMessage(m, '*');
  }, messages);
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

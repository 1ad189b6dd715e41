// Drives the VS Code workbench in Chromium the way a person does: quick open, the Problems panel,
// the mouse over a flagged layer, Ctrl+. for quick fixes. Every wait is on a condition in the page.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test, type TestContext } from 'node:test';
import { chromium, type Browser, type FrameLocator, type Page } from 'playwright-core';
import { ensureCodeServer, freshProfile, installVsix, removeProfile, repoRoot, startCodeServer, type Profile, type RunningServer, type ServerOptions } from './code-server';
import { extensionLog } from './extension-log';
import { packageVsix, type PackagedVsix } from './vsix';

export const CHROMIUM = process.env.NANGUARD_CHROMIUM ?? '/usr/bin/chromium';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

/** One row of the Problems panel. Lines and columns are 1-based, as the panel shows them. */
export interface ProblemRow {
  file: string;
  message: string;
  source: string;
  code: string;
  line: number;
  column: number;
  severity: string;
}

const isMac = process.platform === 'darwin';
const mod = isMac ? 'Meta' : 'Control';

export class Workbench {
  private shotIndex = 0;

  private constructor(
    readonly page: Page,
    private readonly shotsDir: string,
  ) {}

  static async open(browser: Browser, url: string, workspace: string, shotsDir: string): Promise<Workbench> {
    mkdirSync(shotsDir, { recursive: true });
    const page = await browser.newPage({ viewport: { width: 1400, height: 1300 } });
    await page.goto(`${url}/?folder=${encodeURIComponent(workspace)}`, { waitUntil: 'domcontentloaded', timeout: 120_000 });
    await page.waitForSelector('.monaco-workbench', { timeout: 90_000 });
    await page.waitForSelector('.explorer-folders-view .monaco-list-row', { timeout: 90_000 });
    return new Workbench(page, shotsDir);
  }

  /** Saves a numbered screenshot and returns its path. */
  async shot(name: string): Promise<string> {
    const path = join(this.shotsDir, `${String(++this.shotIndex).padStart(2, '0')}-${name}.png`);
    await this.page.screenshot({ path });
    return path;
  }

  /** Opens a workspace file through Quick Open (Ctrl+P) and waits for its editor tab to be active. */
  async openFile(name: string): Promise<void> {
    const page = this.page;
    await page.keyboard.press('Escape');
    await page.keyboard.press(`${mod}+P`);
    await page.waitForSelector('.quick-input-widget:not([style*="display: none"]) input');
    await page.keyboard.type(name);
    await page.waitForSelector(`.quick-input-list .monaco-list-row.focused[aria-label*="${name}"]`);
    await page.keyboard.press('Enter');
    await page.waitForSelector(`.tab.active[aria-label*="${name}"]`);
    if (name.endsWith('.ipynb')) {
      await page.waitForSelector('.notebook-editor .cell-list-container .monaco-list-row .monaco-editor .view-lines');
    } else {
      await page.waitForSelector('.editor-instance .monaco-editor.focused .view-lines');
    }
  }

  async runCommand(title: string): Promise<void> {
    const page = this.page;
    await page.keyboard.press('Escape');
    await page.keyboard.press('F1');
    await page.waitForSelector('.quick-input-widget:not([style*="display: none"]) input');
    await page.keyboard.type(title);
    await page.waitForSelector(`.quick-input-list .monaco-list-row.focused[aria-label*="${title}" i]`);
    // The command whose title is exactly this one, not a longer one that starts with it and that the
    // palette may list first ("nanguard: Reproduce Training in Your Keras" once recently used).
    const exact = page.locator('.quick-input-list .monaco-list-row', { has: page.locator('.label-name', { hasText: new RegExp(`^${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'i') }) });
    if ((await exact.count()) > 0) await exact.first().click();
    else await page.keyboard.press('Enter');
  }

  async closeAllEditors(): Promise<void> {
    await this.page.keyboard.press('Escape');
    await this.runCommand('View: Close All Editors');
    // A dirty editor asks whether to save: a test never wants its edits kept on disk here.
    const dontSave = this.page.getByRole('button', { name: "Don't Save" });
    if (await dontSave.isVisible().catch(() => false)) await dontSave.click();
    await this.page.waitForFunction(() => document.querySelectorAll('.tabs-container .tab').length === 0);
  }

  async showProblems(): Promise<void> {
    await this.runCommand('View: Focus Problems');
    await this.page.waitForSelector('.markers-panel');
  }

  /** The rows of the Problems panel (file rows give the file of the markers below them). */
  async problems(): Promise<ProblemRow[]> {
    return this.page.$$eval('.markers-panel .monaco-list-row', (rows) => {
      const out: ProblemRow[] = [];
      let file = '';
      const sorted = [...rows].sort((a, b) => Number(a.getAttribute('data-index')) - Number(b.getAttribute('data-index')));
      for (const row of sorted) {
        const el = row as HTMLElement;
        const fileRow = /problems? in file (.*) of folder/.exec(el.getAttribute('aria-label') ?? '');
        if (fileRow) {
          file = el.querySelector('.label-name')?.textContent ?? fileRow[1];
          continue;
        }
        const aria = el.getAttribute('aria-label') ?? '';
        const position = /\[Ln (\d+), Col (\d+)\]/.exec(el.innerText);
        out.push({
          file,
          message: el.querySelector('.marker-message')?.textContent ?? '',
          source: el.querySelector('.marker-source')?.textContent ?? '',
          code: el.querySelector('.marker-code')?.textContent?.replace(/[()]/g, '') ?? '',
          line: position ? Number(position[1]) : 0,
          column: position ? Number(position[2]) : 0,
          severity: aria.split(':')[0] ?? '',
        });
      }
      return out;
    });
  }

  /** Waits until the Problems panel satisfies `accept`, and returns its rows then. */
  async waitForProblems(accept: (rows: ProblemRow[]) => boolean, what: string, timeoutMs = 30_000): Promise<ProblemRow[]> {
    const deadline = Date.now() + timeoutMs;
    let rows: ProblemRow[] = [];
    for (;;) {
      rows = await this.problems();
      if (accept(rows)) return rows;
      if (Date.now() > deadline) {
        await this.shot(`timeout-${what.replace(/\W+/g, '-')}`);
        throw new Error(`timed out waiting for the Problems panel: ${what}; it shows (rows past its bottom edge are not rendered) ${JSON.stringify(rows, null, 1)}`);
      }
      // The panel re-renders on a marker change; wait for the next change of its rows, not a fixed time.
      await this.page
        .waitForFunction(
          (before) => Array.from(document.querySelectorAll('.markers-panel .monaco-list-row')).map((r) => (r as HTMLElement).innerText).join('|') !== before,
          await this.page.$$eval('.markers-panel .monaco-list-row', (rs) => rs.map((r) => (r as HTMLElement).innerText).join('|')),
          { timeout: Math.max(1, Math.min(2000, deadline - Date.now())), polling: 'raf' },
        )
        .catch(() => undefined);
    }
  }

  /** Moves the cursor with Go to Line (Ctrl+G); line and column are 1-based. */
  async goTo(line: number, column: number): Promise<void> {
    const page = this.page;
    await page.keyboard.press('Escape');
    await page.keyboard.press(`${mod}+G`);
    await page.waitForSelector('.quick-input-widget:not([style*="display: none"]) input');
    await page.keyboard.type(`${line}:${column}`);
    await page.keyboard.press('Enter');
    await page.waitForSelector('.quick-input-widget', { state: 'hidden' });
  }

  /** The active text editor's visible text, line by line as Monaco renders it. */
  async visibleEditorLines(): Promise<string[]> {
    return this.page.$$eval('.editor-instance .monaco-editor.focused .view-line', (lines) =>
      [...lines]
        .sort((a, b) => parseFloat((a as HTMLElement).style.top) - parseFloat((b as HTMLElement).style.top))
        .map((l) => (l.textContent ?? '').replace(/\u00a0/g, ' ')),
    );
  }

  /**
   * Puts the mouse over `column` (0-based) of the rendered line whose text is `lineText`, in the
   * focused editor, and returns the hover's text once it shows content beyond "Loading...".
   */
  async hoverAt(lineText: string, column: number, expect: (text: string) => boolean): Promise<string> {
    const page = this.page;
    const line = page.locator('.editor-instance .monaco-editor .view-line').filter({ hasText: lineText.trim() }).first();
    await line.waitFor();
    const box = await line.boundingBox();
    const charWidth = await line.evaluate((el) => {
      const text = (el.textContent ?? '').length;
      const span = el.firstElementChild as HTMLElement | null;
      return span && text > 0 ? span.getBoundingClientRect().width / text : 8;
    });
    if (!box) throw new Error(`line "${lineText}" is not on the screen`);
    const x = box.x + (column + 1.5) * charWidth;
    const y = box.y + box.height / 2;
    // Approach from elsewhere so that the editor sees a fresh mouse move onto the token.
    await page.mouse.move(x, y + 200);
    await page.mouse.move(x, y, { steps: 4 });
    const hoverText = () =>
      page.$$eval('.monaco-hover:not(.hidden)', (hs) => hs.map((h) => (h as HTMLElement).innerText).join('\n'));
    const deadline = Date.now() + 20_000;
    for (;;) {
      const text = await hoverText();
      if (expect(text)) return text;
      if (Date.now() > deadline) throw new Error(`hover over "${lineText}" did not show the expected text; it shows:\n${text}`);
      await page
        .waitForFunction(
          (before) => Array.from(document.querySelectorAll('.monaco-hover:not(.hidden)')).map((h) => (h as HTMLElement).innerText).join('\n') !== before,
          text,
          { timeout: 2000, polling: 'raf' },
        )
        .catch(() => undefined);
    }
  }

  /** Opens the quick-fix menu (Ctrl+.) at a position and returns the titles it offers. */
  async openQuickFixMenu(line: number, column: number): Promise<string[]> {
    await this.goTo(line, column);
    await this.page.keyboard.press(`${mod}+.`);
    await this.page.waitForSelector('.action-widget .monaco-list-row.action', { timeout: 15_000 });
    return this.page.$$eval('.action-widget .monaco-list-row.action', (rows) => rows.map((r) => r.getAttribute('aria-label') ?? (r as HTMLElement).innerText));
  }

  /** Picks an entry of the open quick-fix menu with the keyboard (the menu owns the pointer while open). */
  async chooseQuickFix(title: string): Promise<void> {
    const page = this.page;
    const titles = await page.$$eval('.action-widget .monaco-list-row.action', (rows) => rows.map((r) => r.getAttribute('aria-label') ?? ''));
    if (!titles.some((t) => t.includes(title))) throw new Error(`"${title}" is not in the quick-fix menu: ${titles.join(' | ')}`);
    for (let i = 0; i <= titles.length; i++) {
      const focused = await page.$eval('.action-widget .monaco-list-row.action.focused', (r) => r.getAttribute('aria-label') ?? '').catch(() => '');
      if (focused.includes(title)) break;
      await page.keyboard.press('ArrowDown');
    }
    await page.keyboard.press('Enter');
    await page.waitForSelector('.action-widget', { state: 'hidden' });
  }

  async save(): Promise<void> {
    await this.page.keyboard.press(`${mod}+S`);
    await this.page.waitForSelector('.tab.active:not(.dirty)');
  }

  /** Texts of the notification toasts on the screen. */
  async toasts(): Promise<string[]> {
    return this.page.$$eval('.notifications-toasts .notification-toast', (ts) => ts.map((t) => (t as HTMLElement).innerText));
  }

  /**
   * The editor layout the workbench has stored for this workspace (what a reload restores): the
   * browser workbench keeps it in IndexedDB, written when it flushes its storage (on losing
   * focus, at shutdown, and about once a minute), not at each change.
   */
  async storedEditorState(): Promise<string> {
    // Given as source text: the test runner's transpiler would add helpers to a function that the page does not have.
    return this.page.evaluate<string>(`(async () => {
      const request = (r) => new Promise((resolve, reject) => { r.onsuccess = () => resolve(r.result); r.onerror = () => reject(r.error); });
      let stored = '';
      for (const { name } of await indexedDB.databases()) {
        // The workspace's database; the global and profile ones hold no editors.
        if (!name || !name.startsWith('vscode-web-state-db-') || name.startsWith('vscode-web-state-db-global')) continue;
        const db = await request(indexedDB.open(name));
        try {
          if (!db.objectStoreNames.contains('ItemTable')) continue;
          const value = await request(db.transaction('ItemTable', 'readonly').objectStore('ItemTable').get('memento/workbench.parts.editor'));
          if (typeof value === 'string') stored += value;
        } finally {
          db.close();
        }
      }
      return stored;
    })()`);
  }

  /**
   * Reloads the window once the stored editor layout has `text` in it (an editor's title): a
   * reload restores what was stored, and the flush at unload is not awaited by the browser, so a
   * reload right after a change may bring back an older layout (a panel under its previous title,
   * or none). The page never loses the focus under Playwright, so the wait is for the periodic flush.
   * Returns how long the wait took.
   */
  async reloadOnceStored(text: string, timeoutMs = 150_000): Promise<number> {
    const started = Date.now();
    while (!(await this.storedEditorState()).includes(text)) {
      if (Date.now() - started > timeoutMs) throw new Error(`the workbench did not store an editor layout with "${text}" in it within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 250));
    }
    const waitedMs = Date.now() - started;
    await this.page.reload({ waitUntil: 'domcontentloaded' });
    await this.page.waitForSelector('.monaco-workbench', { timeout: 90_000 });
    return waitedMs;
  }

  /** nanguard's loss-curve panel: the webview's inner frame inside the workbench's webview iframe (other webviews may be open). */
  panel(): FrameLocator {
    return this.page.frameLocator('iframe.webview.ready[src*="extensionId=nanguard.nanguard"]').frameLocator('iframe#active-frame');
  }

  /** Points per run, the verdict lines and the whole text as the panel shows them, or undefined before it has loaded (or while hidden). */
  async panelView(): Promise<PanelView | undefined> {
    for (const frame of this.page.frames()) {
      const view = await frame
        .evaluate(() => {
          const g = window as unknown as { nanguardPanel?: { state(): { runs: { points: unknown[] }[] } } };
          if (!g.nanguardPanel) return undefined;
          return {
            points: g.nanguardPanel.state().runs.map((r) => r.points.length),
            verdicts: Array.from(document.querySelectorAll('.verdict')).map((p) => p.textContent ?? ''),
            text: document.body.innerText,
          };
        })
        .catch(() => undefined);
      if (view) return view;
    }
    return undefined;
  }

  /** Waits until the panel shows what `accept` wants; the error says what it showed instead. */
  async waitForPanel(accept: (v: PanelView) => boolean, what: string, timeoutMs = 90_000, pollMs = 5): Promise<PanelView> {
    const deadline = Date.now() + timeoutMs;
    let last: PanelView | undefined;
    for (;;) {
      last = await this.panelView();
      if (last && accept(last)) return last;
      if (Date.now() > deadline) throw new Error(`timed out waiting for the panel: ${what}; it shows ${JSON.stringify({ ...last, text: last?.text.slice(0, 800) })}`);
      await new Promise((r) => setTimeout(r, pollMs));
    }
  }
}

/** What the loss-curve panel shows. */
export interface PanelView {
  /** Epoch points drawn, per run. */
  points: number[];
  /** The verdict lines, one per run that has one. */
  verdicts: string[];
  /** The panel's whole text. */
  text: string;
}

/**
 * `step(name, body)`: a test that leaves a screenshot behind when it fails, saved by `shot`
 * under a name made from the test's.
 */
export function stepWithScreenshot(shot: (name: string) => Promise<unknown>): (name: string, body: (t: TestContext) => void | Promise<void>) => void {
  return (name, body) =>
    test(name, async (t) => {
      try {
        await body(t);
      } catch (err) {
        await shot(`FAILED-${name.slice(0, 40).replace(/\W+/g, '-')}`).catch(() => undefined);
        throw err;
      }
    });
}

/** Where the suites leave screenshots, logs and measurements. */
export const outputDir = join(repoRoot, 'test-output', 'vscode');

export interface OpenWorkbenchOptions {
  /** Prefix of the files the suite leaves in test-output/vscode (`NAME-code-server.log`, `NAME-nanguard.log`); none when empty. */
  name: string;
  /** User settings on top of freshProfile's. */
  settings?: Record<string, unknown>;
  /** Fills the (empty, existing) workspace folder before the workbench opens it. */
  prepare?: (workspace: string) => void;
  server?: ServerOptions;
  /** Runs once the workbench shows the workspace. */
  opened?: (opened: OpenedWorkbench) => void;
  /** Runs after the suite's tests, while the profile (and its logs) still exist. */
  closing?: (opened: OpenedWorkbench) => void;
}

export interface OpenedWorkbench {
  wb: Workbench;
  profile: Profile;
  server: RunningServer;
  browser: Browser;
  workspace: string;
  vsix: PackagedVsix;
  /** How long each part of the set-up took. */
  timings: { setupCheckMs: number; installMs: number; workbenchLoadMs: number };
}

/**
 * The set-up every suite shares, as `before` and `after` hooks of the enclosing `describe`: the
 * packaged VSIX installed into a fresh profile, code-server on the workspace, Chromium showing
 * it. Afterwards the extension's log is kept beside the screenshots and everything started is
 * stopped (the profile is kept when NANGUARD_E2E_KEEP is set).
 */
export function openWorkbench(options: OpenWorkbenchOptions): void {
  const prefix = options.name ? `${options.name}-` : '';
  let opened: OpenedWorkbench | undefined;
  let profile: Profile | undefined;
  let server: RunningServer | undefined;
  let browser: Browser | undefined;

  before(async () => {
    mkdirSync(outputDir, { recursive: true });
    const setupStarted = Date.now();
    ensureCodeServer();
    const setupCheckMs = Date.now() - setupStarted;
    const vsix = packageVsix();
    profile = freshProfile(options.settings);
    const workspace = join(profile.dir, 'workspace');
    mkdirSync(workspace, { recursive: true });
    options.prepare?.(workspace);
    const installStarted = Date.now();
    installVsix(profile, vsix.path);
    const installMs = Date.now() - installStarted;
    const serverStarted = Date.now();
    server = await startCodeServer(profile, workspace, join(outputDir, `${prefix}code-server.log`), options.server);
    browser = await launchChromium();
    const wb = await Workbench.open(browser, server.url, workspace, outputDir);
    opened = { wb, profile, server, browser, workspace, vsix, timings: { setupCheckMs, installMs, workbenchLoadMs: Date.now() - serverStarted } };
    options.opened?.(opened);
  });

  after(async () => {
    try {
      if (opened) options.closing?.(opened);
    } finally {
      if (profile) writeFileSync(join(outputDir, `${prefix}nanguard.log`), extensionLog(profile.userDataDir));
      await browser?.close().catch(() => undefined);
      await server?.stop();
      if (profile && !process.env.NANGUARD_E2E_KEEP) removeProfile(profile);
    }
  });
}

// The packaged extension in a real VS Code workbench (code-server) driven through Chromium, as a
// person uses it: findings in the Problems panel, a hover over the flagged layer, a quick fix,
// a notebook, a half-typed file, and the time from a keystroke to updated diagnostics.
// What the workbench must show is what the analysis core finds for the same text (the CLI twin).
// Screenshots of every step go to test-output/vscode/.
import assert from 'node:assert/strict';
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe } from 'node:test';
import * as core from '../../src/core/index';
import type { Profile } from './code-server';
import { extensionLog, lintedVersions, waitForLog } from './extension-log';
import { zipEntries, type PackagedVsix } from './vsix';
import { median } from '../../bench/harness';
import { openWorkbench, outputDir as outDir, stepWithScreenshot, type ProblemRow, type Workbench } from './workbench';

type Finding = core.Finding;

const fixtureWorkspace = join(__dirname, 'workspace');
const metrics: Record<string, unknown> = {};

let vsix: PackagedVsix;
let profile: Profile | undefined;
let wb: Workbench;
let workspace: string;

// Keystrokes map one-to-one to document versions and to characters on the screen.
const editorSettings = {
  'editor.autoClosingBrackets': 'never',
  'editor.autoClosingQuotes': 'never',
  'editor.autoSurround': 'never',
  'editor.quickSuggestions': { other: 'off', comments: 'off', strings: 'off' },
  'editor.suggestOnTriggerCharacters': false,
  'editor.wordBasedSuggestions': 'off',
  'editor.parameterHints.enabled': false,
  'editor.inlineSuggest.enabled': false,
  'editor.formatOnType': false,
  'editor.codeLens': true,
};

async function expectedFindings(name: string): Promise<Finding[]> {
  const path = join(workspace, name);
  const { findings } = await core.checkFile(path, readFileSync(path, 'utf8'), core.NO_FILES, core.DEFAULT_SETTINGS);
  return findings.filter((f) => f.path === path);
}

/** `CODE@line` keys, sorted: what the Problems panel must list (lines 1-based; cell-relative in notebooks). */
function keysOfFindings(findings: Finding[]): string[] {
  return findings.map((f) => `${f.rule}@${f.range.start.line + 1}`).sort();
}
function keysOfRows(rows: ProblemRow[], file: string): string[] {
  return rows.filter((r) => r.file === file && r.source === 'nanguard').map((r) => `${r.code}@${r.line}`).sort();
}



/** A test that leaves a screenshot of the workbench behind when it fails. */
const step = stepWithScreenshot(async (name) => wb?.shot(name));

describe('nanguard in a real VS Code workbench', { timeout: 900_000 }, () => {
  // The first suite of a run: the screenshots and logs of an earlier run go.
  before(() => rmSync(outDir, { recursive: true, force: true }));
  openWorkbench({
    name: '',
    settings: editorSettings,
    prepare: (folder) => cpSync(fixtureWorkspace, folder, { recursive: true }),
    opened: (opened) => {
      ({ wb, profile, workspace, vsix } = opened);
      Object.assign(metrics, opened.timings, { vsixBytes: vsix.bytes, packageMs: vsix.packageMs });
    },
    closing: () => writeFileSync(join(outDir, 'metrics.json'), JSON.stringify(metrics, null, 2) + '\n'),
  });

  step('the VSIX holds the bundle, the grammar .wasm, docs and the manifest, and no sources or tests', () => {
    const entries = zipEntries(vsix.path);
    for (const needed of ['extension/package.json', 'extension/dist/extension.js', 'extension/dist/tree-sitter.wasm', 'extension/dist/tree-sitter-python.wasm', 'extension/readme.md', 'extension/LICENSE.txt']) {
      assert.ok(entries.some((e) => e.toLowerCase() === needed.toLowerCase()), `${needed} missing from the VSIX: ${entries.join(', ')}`);
    }
    const unwanted = entries.filter((e) => /\.(ts|map|tsbuildinfo)$/.test(e) || /^extension\/(src|test|scripts|node_modules|\.cache|test-output|examples)\//.test(e));
    assert.deepEqual(unwanted, [], 'sources, tests or maps in the VSIX');
  });

  step('Example 1 shows its findings in the Problems panel, with the rule codes', async (t) => {
    const file = 'seed1_unscaled.py';
    const expected = await expectedFindings(file);
    assert.ok(expected.some((f) => f.rule === 'NAN101'), `the core finds no NAN101 (unscaled input) in Example 1: ${keysOfFindings(expected).join(', ')}`);
    const opened = Date.now();
    await wb.openFile(file);
    await wb.showProblems();
    const rows = await wb.waitForProblems((r) => keysOfRows(r, file).join() === keysOfFindings(expected).join(), `the findings of ${file}: ${keysOfFindings(expected).join(', ')}`, 180_000);
    metrics.firstDiagnosticsAfterOpenMs = Date.now() - opened;
    for (const row of rows.filter((r) => r.file === file && r.source === 'nanguard')) assert.match(row.code, /^NAN\d{3}$/);
    const activation = await waitForLog(profile!.userDataDir, (log) => /activated in ([\d.]+) ms/.exec(log)?.[1], "'activated in N ms'");
    metrics.activationMs = Number(activation);
    t.diagnostic(`Problems panel: ${keysOfRows(rows, file).join(', ')}; activation ${activation} ms`);
    await wb.shot('example1-problems');
  });

  step('hovering the flagged layer shows the explanation with the numbers', async (t) => {
    const file = 'seed1_unscaled.py';
    const lines = readFileSync(join(workspace, file), 'utf8').split('\n');
    const layerFinding = (await expectedFindings(file)).find((f) => /Dense\(/.test(lines[f.range.start.line] ?? ''));
    assert.ok(layerFinding, 'the core flags no Dense layer in Example 1');
    await wb.openFile(file);
    // The hover must carry the rule, the message's numbers and the explanation's numbers (the mechanism with this model's numbers).
    const numbersIn = (text: string) => text.match(/\d+(?:\.\d+)?(?:e[+-]?\d+)?/gi) ?? [];
    const numbers = [...new Set([...numbersIn(layerFinding.message), ...numbersIn(layerFinding.explanation ?? '')])];
    assert.ok(numbers.length > 0, `the finding ${layerFinding.rule} carries no numbers: ${layerFinding.message}`);
    assert.ok(layerFinding.explanation, `the finding ${layerFinding.rule} has no explanation`);
    const lineText = lines[layerFinding.range.start.line];
    const hoverColumn = Math.max(layerFinding.range.start.character, lineText.indexOf('Dense'));
    const hover = await wb.hoverAt(lineText, hoverColumn, (text) => text.includes(layerFinding.rule) && numbers.every((n) => text.includes(n)));
    assert.match(hover, /fix/i, 'the hover says nothing about the fix');
    t.diagnostic(`hover over ${layerFinding.rule} shows the numbers ${numbers.join(', ')}: ${hover.replace(/\s+/g, ' ').slice(0, 600)}`);
    await wb.shot('hover-flagged-layer');
    await wb.page.keyboard.press('Escape');
  });

  step('hovering a binary cross-entropy loss on grey targets tells how low it can go', async (t) => {
    const file = 'bce_grey.py';
    const lines = readFileSync(join(workspace, file), 'utf8').split('\n');
    const lineText = lines.find((l) => l.includes('binary_crossentropy'))!;
    await wb.openFile(file);
    const hover = await wb.hoverAt(lineText, lineText.indexOf('binary_crossentropy') + 4, (text) => /cannot reach 0/.test(text) && /cannot go below 0\.6\d/.test(text));
    t.diagnostic(`hover over the loss: ${hover.replace(/\s+/g, ' ').slice(0, 400)}`);
    await wb.shot('hover-bce-floor');
    await wb.page.keyboard.press('Escape');
  });

  step('applying a quick fix changes the code and its finding disappears', async (t) => {
    const file = 'seed1_quickfix.py';
    const path = join(workspace, file);
    const before = readFileSync(path, 'utf8');
    const expected = await expectedFindings(file);
    const target = expected.find((f) => f.rule === 'NAN101' && f.fixes.length > 0) ?? expected.find((f) => f.fixes.length > 0);
    assert.ok(target, `no finding with a fix in ${file}: ${keysOfFindings(expected).join(', ')}`);
    const fix = target.fixes.find((f) => f.preferred) ?? target.fixes[0];
    await wb.closeAllEditors();
    await wb.openFile(file);
    await wb.showProblems();
    await wb.waitForProblems((r) => keysOfRows(r, file).join() === keysOfFindings(expected).join(), `the findings of ${file}`, 60_000);
    // Back to the editor, cursor on the diagnostic, Ctrl+. as a person does.
    await wb.openFile(file);
    const offered = await wb.openQuickFixMenu(target.range.start.line + 1, target.range.start.character + 1);
    t.diagnostic(`quick fixes offered on ${target.rule}: ${offered.join(' | ')}`);
    await wb.shot('quickfix-menu');
    assert.ok(offered.some((o) => o.includes(fix.title)), `"${fix.title}" not offered: ${offered.join(' | ')}`);
    await wb.chooseQuickFix(fix.title);
    const remaining = expected.filter((f) => f !== target).length;
    await wb.showProblems();
    const rows = await wb.waitForProblems(
      (r) => keysOfRows(r, file).filter((k) => k.startsWith(`${target.rule}@`)).length < expected.filter((f) => f.rule === target.rule).length,
      `${target.rule} to disappear after "${fix.title}"`,
    );
    await wb.shot('quickfix-applied');
    await wb.openFile(file);
    await wb.save();
    const after = readFileSync(path, 'utf8');
    assert.notEqual(after, before, 'the quick fix did not change the file');
    for (const edit of fix.edits) assert.ok(after.includes(edit.newText.trim()), `the file lacks the fix's text ${JSON.stringify(edit.newText)}`);
    const recheck = await core.checkFile(path, after, core.NO_FILES, core.DEFAULT_SETTINGS);
    assert.ok(!recheck.findings.some((f) => f.rule === target.rule && f.range.start.line === target.range.start.line), `${target.rule} still found after the fix`);
    assert.ok(!recheck.analysis.problems.some((p) => p.severity === 'error'), `the fixed file does not parse: ${JSON.stringify(recheck.analysis.problems)}`);
    t.diagnostic(`after "${fix.title}": Problems panel ${keysOfRows(rows, file).join(', ') || '(empty)'} (${remaining} other findings before)`);
  });

  step('a notebook with the model split over two cells gets its diagnostics on the right cell', async (t) => {
    const file = 'split_model.ipynb';
    const expected = await expectedFindings(file);
    assert.ok(expected.length > 0, 'the core finds nothing in the split notebook');
    assert.ok(expected.every((f) => f.cell !== undefined), 'notebook findings without a cell');
    await wb.closeAllEditors();
    await wb.openFile(file);
    await wb.showProblems();
    const rows = await wb.waitForProblems((r) => keysOfRows(r, file).join() === keysOfFindings(expected).join(), `the findings of ${file}: ${keysOfFindings(expected).join(', ')}`, 60_000);
    // Each finding's squiggle on its own line of its own cell's editor (cells by their index in the
    // notebook; the editor's overlay rows are its lines, top to bottom).
    const wanted = expected.map((f) => ({ cell: f.cell ?? -1, line: f.range.start.line, rule: f.rule }));
    const placed = await wb.page.waitForFunction(
      (wanted: { cell: number; line: number; rule: string }[]) => {
        const cells = new Map<number, Element>();
        for (const row of Array.from(document.querySelectorAll('.notebook-editor .cell-list-container .monaco-list-row.code-cell-row'))) {
          cells.set(Number(row.getAttribute('data-index')), row);
        }
        const perCell: Record<string, number> = {};
        for (const [index, row] of cells) perCell[index] = row.querySelectorAll('.view-overlays [class*="squiggly-"]').length;
        // No named helper functions in here: the page must not see the transpiler's naming helper.
        for (const w of wanted) {
          const lineRow = cells.get(w.cell)?.querySelector('.monaco-editor .view-overlays')?.children[w.line];
          if (!lineRow?.querySelector('[class*="squiggly-"]')) return undefined;
        }
        return perCell;
      },
      wanted,
      { timeout: 30_000, polling: 'raf' },
    ).catch(async (err: unknown) => {
      await wb.shot('notebook-squiggles-missing');
      throw new Error(`squiggles not on the expected cell lines ${JSON.stringify(wanted)}: ${String(err)}`);
    });
    const counts = (await placed.jsonValue()) as Record<string, number>;
    const cellsWithFindings = new Set(wanted.map((w) => w.cell));
    for (const [cell, count] of Object.entries(counts)) {
      if (!cellsWithFindings.has(Number(cell))) assert.equal(count, 0, `cell ${Number(cell) + 1} has squiggles but no findings`);
    }
    // The model is built in the second cell from data defined in the first: the layer findings belong to cell 2.
    assert.ok(wanted.some((w) => w.cell === 1 && w.rule.startsWith('NAN2')), `no model finding in the second cell: ${JSON.stringify(wanted)}`);
    t.diagnostic(
      `notebook: ${keysOfRows(rows, file).join(', ')}; on the screen: ${wanted.map((w) => `${w.rule} cell ${w.cell + 1} line ${w.line + 1}`).join(', ')}; squiggles per cell ${JSON.stringify(counts)}`,
    );
    await wb.shot('notebook-cells');
  });

  step('a model built where nanguard cannot follow: the fit line says it was not checked, instead of a silent nothing', async (t) => {
    const file = 'built_elsewhere.py';
    await wb.openFile(file);
    await wb.showProblems();
    const rows = await wb.waitForProblems((r) => r.some((row) => row.file === file && row.source === 'nanguard' && /did not find/.test(row.message)), `the not-understood note of ${file}`, 60_000);
    const note = rows.find((row) => row.file === file && row.source === 'nanguard')!;
    assert.equal(note.line, 6, 'on the fit line');
    assert.equal(note.code, 'not-understood');
    assert.match(note.severity, /info/i);
    t.diagnostic(`Problems panel: ${note.severity} ${note.code}@${note.line}: ${note.message}`);
    await wb.shot('not-understood-note');
  });

  step('a half-typed file shows no spurious findings and no error toast', async (t) => {
    const file = 'mid_typing.py';
    const path = join(workspace, file);
    const expected = await expectedFindings(file);
    assert.deepEqual(keysOfFindings(expected), [], 'the healthy model already has findings in the core');
    await wb.closeAllEditors();
    await wb.openFile(file);
    const opened = await waitForLog(profile!.userDataDir, (log) => lintedVersions(log, file).at(-1), `a lint of ${file}`);
    // Mid-typing: a new line with an unclosed call, right before the model is built.
    const lines = readFileSync(path, 'utf8').split('\n');
    const at = lines.findIndex((l) => l.startsWith('autoencoder = keras.Model'));
    await wb.goTo(at + 1, 1);
    const typed = 'bottleneck = Dense(2, activation=';
    await wb.page.keyboard.press('Enter');
    await wb.page.keyboard.press('ArrowUp');
    await wb.page.keyboard.type(typed);
    const finalVersion = opened + 1 + typed.length;
    await waitForLog(profile!.userDataDir, (log) => (lintedVersions(log, file).includes(finalVersion) ? true : undefined), `a lint of ${file} at v${finalVersion} (after the last keystroke)`);
    const broken = lines.slice(0, at).concat(typed, lines.slice(at)).join('\n');
    const coreOnBroken = await core.checkFile(path, broken, core.NO_FILES, core.DEFAULT_SETTINGS);
    await wb.showProblems();
    const rows = await wb.problems();
    await wb.shot('mid-typing-no-findings');
    const toasts = await wb.toasts();
    assert.deepEqual(keysOfRows(rows, file), [], `findings on a half-typed healthy file: ${JSON.stringify(rows)}`);
    assert.deepEqual(coreOnBroken.findings.map((f) => f.rule), [], 'the core reports findings on the half-typed file');
    assert.deepEqual(toasts.filter((x) => /nanguard|error|failed/i.test(x)), [], `notification toasts: ${toasts.join(' | ')}`);
    assert.doesNotMatch(extensionLog(profile!.userDataDir), /analysis of mid_typing\.py failed/);
    t.diagnostic(`typed ${JSON.stringify(typed)}; linted up to v${finalVersion}; Problems panel empty for ${file}; toasts: ${toasts.length}`);
    await wb.closeAllEditors();
  });

  step('a keystroke updates the diagnostics of a 300-line file quickly', async (t) => {
    const file = 'long_training.py';
    const path = join(workspace, file);
    const lines = readFileSync(path, 'utf8').split('\n');
    assert.ok(lines.length >= 300, `${file} has ${lines.length} lines`);
    const expected = await expectedFindings(file);
    assert.ok(expected.length > 0, `the core finds nothing in ${file}`);
    // Suppressing one line: typing the last letter of `# nanguard: ignore` hides its findings,
    // Backspace brings them back; both are keystrokes that change what the panel lists.
    const line = expected[expected.length - 1].range.start.line;
    const onLine = expected.filter((f) => f.range.start.line === line).length;
    const total = expected.length;
    await wb.closeAllEditors();
    await wb.openFile(file);
    await wb.showProblems();
    await wb.waitForProblems((r) => keysOfRows(r, file).join() === keysOfFindings(expected).join(), `the findings of ${file}`, 60_000);
    await wb.openFile(file);
    await wb.goTo(line + 1, lines[line].length + 1);
    await wb.page.keyboard.type('  # nanguard: ignor');
    await wb.waitForProblems((r) => keysOfRows(r, file).length === total, 'all findings while the comment is incomplete');

    // Runs in the page: the nanguard rows under the file's row of the Problems panel. A string, so
    // that no transpiler helper ends up in what the page evaluates.
    const countInPage = `(name) => {
      let file = '';
      let count = 0;
      const rows = [...document.querySelectorAll('.markers-panel .monaco-list-row')].sort((a, b) => Number(a.getAttribute('data-index')) - Number(b.getAttribute('data-index')));
      for (const row of rows) {
        const fileRow = /problems? in file (.*) of folder/.exec(row.getAttribute('aria-label') || '');
        if (fileRow) file = (row.querySelector('.label-name') || {}).textContent || fileRow[1];
        else if (file === name && (row.querySelector('.marker-source') || {}).textContent === 'nanguard') count++;
      }
      return count;
    }`;
    const squigglesInPage = `() => document.querySelectorAll('.editor-instance .monaco-editor.focused .view-overlays [class*="squiggly-"]').length`;
    // The echo of the keystroke itself (the edited line re-rendered) is the workbench's own floor on this machine.
    const echoInPage = `() => Array.from(document.querySelectorAll('.editor-instance .monaco-editor.focused .view-line')).some((l) => /# nanguard: ignore$/.test((l.textContent || '').replace(/\\u00a0/g, ' ')))`;
    /** Milliseconds from the keydown to the Problems panel listing `want` findings, to the squiggles changing, and to the echo. */
    const measure = async (key: string, want: number): Promise<{ panel: number; squiggles?: number; echo?: number }> => {
      await wb.page.evaluate((src) => {
        const w = window as unknown as { __keyAt?: number; __squiggleBase?: number; __squiggleAt?: number; __echoAt?: number };
        w.__keyAt = undefined;
        w.__squiggleAt = undefined;
        w.__echoAt = undefined;
        w.__squiggleBase = ((0, eval)(src) as () => number)();
        window.addEventListener('keydown', () => (w.__keyAt ??= performance.now()), { capture: true, once: true });
      }, squigglesInPage);
      await wb.page.keyboard.press(key);
      const handle = await wb.page.waitForFunction(
        ({ name, want, count, squiggles, echo, suppressed }) => {
          const w = window as unknown as { __keyAt?: number; __squiggleBase?: number; __squiggleAt?: number; __echoAt?: number };
          if (w.__keyAt === undefined) return undefined;
          const now = performance.now();
          if (w.__squiggleAt === undefined && ((0, eval)(squiggles) as () => number)() !== w.__squiggleBase) w.__squiggleAt = now;
          if (w.__echoAt === undefined && ((0, eval)(echo) as () => boolean)() === suppressed) w.__echoAt = now;
          if (((0, eval)(count) as (n: string) => number)(name) !== want) return undefined;
          return {
            panel: now - w.__keyAt,
            squiggles: w.__squiggleAt === undefined ? undefined : w.__squiggleAt - w.__keyAt,
            echo: w.__echoAt === undefined ? undefined : w.__echoAt - w.__keyAt,
          };
        },
        { name: file, want, count: countInPage, squiggles: squigglesInPage, echo: echoInPage, suppressed: key === 'e' },
        { timeout: 10_000, polling: 'raf' },
      );
      return (await handle.jsonValue()) as { panel: number; squiggles?: number; echo?: number };
    };

    const panel: number[] = [];
    const squiggles: number[] = [];
    const echoes: number[] = [];
    for (let i = 0; i < 6; i++) {
      for (const [key, want] of [['e', total - onLine], ['Backspace', total]] as const) {
        const m = await measure(key, want);
        panel.push(m.panel);
        if (m.squiggles !== undefined) squiggles.push(m.squiggles);
        if (m.echo !== undefined) echoes.push(m.echo);
        if (i === 0 && key === 'e') await wb.shot('latency-suppressed');
      }
    }
    const summary = (xs: number[]) => ({ median: Math.round(median(xs)), max: Math.round(Math.max(...xs)), samples: xs.map((x) => Math.round(x)) });
    metrics.keystrokeLatency = { lines: lines.length, problemsPanelMs: summary(panel), editorSquigglesMs: squiggles.length ? summary(squiggles) : null, keystrokeEchoMs: echoes.length ? summary(echoes) : null };
    const published = [...extensionLog(profile!.userDataDir).matchAll(new RegExp(`linted ${file.replace('.', '\\.')} \\(v\\d+\\): \\d+ findings, analysis ([\\d.]+) ms, published ([\\d.]+) ms after the request`, 'g'))];
    const reported = published.slice(-panel.length).map((m) => ({ analysisMs: Number(m[1]), publishedMs: Number(m[2]) }));
    metrics.extensionReported = {
      analysisMs: summary(reported.map((r) => r.analysisMs)),
      publishedAfterKeystrokeMs: summary(reported.map((r) => r.publishedMs)),
    };
    t.diagnostic(
      `keystroke on ${lines.length} lines -> Problems panel: median ${median(panel).toFixed(0)} ms, max ${Math.max(...panel).toFixed(0)} ms; ` +
        `-> squiggles: median ${squiggles.length ? median(squiggles).toFixed(0) : '?'} ms; the keystroke's own echo: median ${echoes.length ? median(echoes).toFixed(0) : '?'} ms; extension published after ${JSON.stringify(metrics.extensionReported)} (target 150 ms incl. debounce)`,
    );
    await wb.shot('latency-restored');
    // Every keystroke reached the screen within the 10 s wait above. What the extension controls (debounce +
    // analysis + publish, measured in the extension host) is held to the target with a margin for a loaded
    // machine; the on-screen numbers also carry the workbench's own delay (see the echo) and are reported.
    assert.equal(reported.length, panel.length, 'the extension logged fewer lints than keystrokes');
    assert.ok(median(reported.map((r) => r.publishedMs)) < 250, `the extension published ${median(reported.map((r) => r.publishedMs)).toFixed(0)} ms after a keystroke (median)`);
  });
});

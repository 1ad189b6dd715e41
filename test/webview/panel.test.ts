/**
 * The loss-curve panel's bundle in headless Chromium, fed recorded reproduction events.
 * Screenshots go to test-output/webview/ (look at them).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { feed, ROOT, startHarness, THEMES, type PanelHarness } from './harness';

const shots = join(ROOT, 'test-output', 'webview');
mkdirSync(shots, { recursive: true });

// Recorded from real reproductions by scripts/record-panel-events.ts: examples/nan_sgd_linear.py
// (seed 2, NaN in the first epoch) and its suggested fix; examples/seed1_unscaled.py and its fix.
type Recorded = { type: string; runId?: string; info?: { label: string }; result?: { verdict: string; verdictText: string }; at?: { recentLosses?: { batch: number; loss: number | string }[] } }[];
const fixture = (name: string) => JSON.parse(readFileSync(join(__dirname, 'fixtures', `${name}.json`), 'utf8')) as Recorded;
const nanRun = fixture('nan-run');
const nanRunFixed = fixture('nan-run-fixed');
const seed1Run = fixture('seed1-run');
const seed1RunFixed = fixture('seed1-run-fixed');
// test/fixtures/repro/sgd_relu_coinflip.py over seeds 0-7 (NaN in some seeds, exploded in others) and its fix.
const seedsRun = fixture('seeds-run');
const seedsRunFixed = fixture('seeds-run-fixed');
const resultOf = (messages: Recorded) => {
  const done = messages.find((m) => m.type === 'done');
  assert.ok(done?.result, 'the recording ends with a result');
  return done.result;
};
const labelOf = (messages: Recorded) => messages.find((m) => m.type === 'runStarted')?.info?.label ?? '';

interface PanelGlobals {
  posted: { type: string; [k: string]: unknown }[];
  nanguardPanel: { receive(msg: unknown): void; renderNow(): number; state(): { runs: unknown[] } };
}

let harness: PanelHarness;

before(async () => {
  harness = await startHarness();
});
after(async () => {
  await harness?.close();
});

async function canvasStats(page: Page): Promise<{ width: number; colored: number }> {
  return page.evaluate(() => {
    const c = document.querySelector('#chart canvas') as HTMLCanvasElement | null;
    if (!c) return { width: 0, colored: 0 };
    const ctx = c.getContext('2d')!;
    const d = ctx.getImageData(0, 0, c.width, c.height).data;
    let colored = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i + 3] > 0) colored++;
    return { width: c.width, colored };
  });
}

describe('loss-curve panel in Chromium', () => {
  for (const theme of Object.keys(THEMES)) {
    it(`draws a NaN run with its marker, verdict and layer table (${theme} theme)`, async () => {
      const page = await harness.open(theme);
      await feed(page, nanRun);
      const verdict = await page.textContent('#verdict');
      assert.equal(verdict, resultOf(nanRun).verdictText);
      // What the real run did: the output of dense_1 overflowed at the third batch of the first epoch.
      assert.match(verdict ?? '', /^Loss became NaN at epoch 0, batch 2: the output of dense_1 overflowed first\./);
      const marker = await page.textContent('.nan-marker');
      assert.match(marker ?? '', /epoch 0, batch 2 \(activation of dense_1\); no epoch ended with a finite loss, so the chart has no line: the batch losses are below$/);
      const stats = await canvasStats(page);
      assert.ok(stats.width > 0 && stats.colored > 1000, `chart drew ${stats.colored} pixels`);
      // The offending layer is highlighted in the first-non-finite table.
      const offending = await page.$$eval('table.layers:not(.batch-losses) tr.offending th', (ths) => ths.map((t) => t.textContent));
      assert.deepEqual(offending, ['dense_1']);
      // How the loss ran away, batch by batch, up to the NaN (the recorded run's own numbers).
      const trail = await page.$$eval('table.batch-losses tbody tr', (trs) => trs.map((tr) => Array.from(tr.querySelectorAll('th, td'), (c) => c.textContent)));
      const recorded = nanRun.find((m) => m.type === 'nonFinite')?.at?.recentLosses ?? [];
      assert.deepEqual(trail.map((r) => r[0]), recorded.map((l) => `epoch 0, batch ${l.batch}`));
      assert.equal(trail.at(-1)![1], 'NaN');
      assert.match(trail[1][2] ?? '', /^×\d(\.\d+)?e\d+$/, 'the jump of the second batch is shown as a factor');
      assert.equal(await page.$$eval('table.batch-losses tr.offending', (trs) => trs.length), 1);
      // Theme variables reach the controls.
      const buttonBg = await page.$eval('#export-csv', (b) => getComputedStyle(b).backgroundColor);
      const expected = THEMES[theme].vars['--vscode-button-secondaryBackground'];
      const hex = (rgb: string) => '#' + (rgb.match(/\d+/g) ?? []).slice(0, 3).map((n) => Number(n).toString(16).padStart(2, '0')).join('');
      assert.equal(hex(buttonBg), expected);
      assert.deepEqual((page as unknown as { cspErrors: string[] }).cspErrors.filter((e) => /Content Security Policy/i.test(e)), []);
      await page.screenshot({ path: join(shots, `nan-run-${theme}.png`), fullPage: true });
      await page.close();
    });
  }

  it('after a reload, starts from the newer of the state the extension embedded and the one the webview saved', async () => {
    const run = (runId: string, epochs: number) => ({
      info: { runId, label: 'original', model: `model-${runId}`, file: 'long_run.py', seed: 0, epochs: 150, data: 'literal', synthetic: false, findings: [] },
      points: Array.from({ length: epochs }, (_, epoch) => ({ epoch, loss: 1 / (epoch + 1) })),
      batchesSeen: 0,
      cancelled: true,
    });
    // The workbench kept an older state for the webview (the run before); the extension's copy is newer.
    const older = { runs: [run('first', 4)], logScale: true, revision: 9 };
    const newer = { runs: [run('second', 2)], logScale: true, revision: 14 };
    let page = await harness.open('dark', { initialState: newer, savedState: older });
    let shown = await page.evaluate(() => (window as unknown as PanelGlobals).nanguardPanel.state().runs as { info: { runId: string }; points: unknown[] }[]);
    assert.deepEqual(shown.map((r) => [r.info.runId, r.points.length]), [['second', 2]]);
    assert.equal(await page.locator('#verdict').textContent(), 'Cancelled.');
    assert.equal(await page.locator('h1').evaluate((h) => h.firstChild?.textContent), 'model-second');
    assert.deepEqual((page as unknown as { cspErrors: string[] }).cspErrors, [], 'the embedded state breaks no CSP rule');
    await page.close();
    // Shown again after being hidden: the page is the one built earlier, the webview's own state is the newer.
    page = await harness.open('dark', { initialState: older, savedState: newer });
    shown = await page.evaluate(() => (window as unknown as PanelGlobals).nanguardPanel.state().runs as { info: { runId: string }; points: unknown[] }[]);
    assert.deepEqual(shown.map((r) => [r.info.runId, r.points.length]), [['second', 2]]);
    await page.close();
  });

  it('puts the NaN marker at the epoch where the loss stopped being finite', async () => {
    const page = await harness.open('dark');
    // With the fix's 20 epochs beside it, the x axis spans epochs 0..19.
    await feed(page, [...nanRun, ...nanRunFixed]);
    // The marker is drawn in the chart's own coordinates: a vertical red line (dashed), found as
    // the column with the most red pixels, must sit where epoch 0 is.
    const red = await page.evaluate(() => {
      const c = document.querySelector('#chart canvas') as HTMLCanvasElement;
      const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      const counts = new Array<number>(c.width).fill(0);
      for (let y = 0; y < c.height; y++) {
        for (let x = 0; x < c.width; x++) {
          const i = (y * c.width + x) * 4;
          if (d[i] > 200 && d[i + 1] < 110 && d[i + 2] < 110) counts[x]++;
        }
      }
      const best = counts.indexOf(Math.max(...counts));
      return { best, count: counts[best], width: c.width, height: c.height };
    });
    assert.ok(red.count > red.height / 4, `a red marker line is drawn (${red.count} red pixels in its column)`);
    // Epoch 0 is the left edge of the plot (the y axis takes the first ~70 CSS pixels).
    const x = red.best / red.width;
    assert.ok(x < 0.15, `marker at ${(x * 100).toFixed(0)}% of the width`);
    await page.close();
  });

  it('draws a run over several seeds as a band around its median, with each seed\'s NaN marked on the top edge', async () => {
    const page = await harness.open('dark');
    await feed(page, seedsRun);
    const result = resultOf(seedsRun) as { verdict: string; verdictText: string; seeds?: { nan: number; statement: string } };
    assert.equal(await page.textContent('#verdict'), result.verdictText);
    assert.match(result.verdictText, /^\w+ over 8 seeds \(\d of 8; a coin flip: the outcome depends on the seed\)\.$/);
    // The statement in words, under the verdict.
    assert.equal(await page.textContent('#seeds-statement'), result.seeds?.statement);
    assert.match(result.seeds?.statement ?? '', /^NaN in \d of 8 seeds, all in epoch 0; /);
    // One marker per seed that went NaN, each with its words as a tooltip.
    const nanSeeds = seedsRun.filter((m) => m.type === 'seedNonFinite') as unknown as { seed: number; at: { epoch: number; batch: number } }[];
    assert.equal(nanSeeds.length, result.seeds?.nan);
    const titles = await page.$$eval('#chart .seed-nan', (ms) => ms.map((m) => m.getAttribute('title')));
    assert.deepEqual(titles, nanSeeds.map((m) => `seed ${m.seed}: NaN at epoch ${m.at.epoch}, batch ${m.at.batch}`));
    // The markers stack down the top edge at epoch 0 (the plot's left edge).
    const boxes = await page.$$eval('#chart .seed-nan', (ms) => ms.map((m) => { const r = m.getBoundingClientRect(); const o = m.parentElement!.getBoundingClientRect(); return { x: r.left + r.width / 2 - o.left, y: r.top - o.top }; }));
    for (const b of boxes) assert.ok(Math.abs(b.x) < 2, `a marker at x ${b.x}`);
    assert.ok(boxes.length < 2 || boxes[1].y > boxes[0].y, 'markers at the same epoch stack');
    // The band: the legend names its edges, and the canvas has the band's translucent fill between them.
    const legend = await page.$$eval('.u-legend .u-label', (ls) => ls.map((l) => l.textContent));
    assert.ok(legend.includes('original: loss (median of 8 seeds)') && legend.includes('original: max over seeds') && legend.includes('original: min over seeds'), legend.join(', '));
    const band = await page.evaluate(() => {
      const c = document.querySelector('#chart canvas') as HTMLCanvasElement;
      const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      // The band's fill: the theme's blue at 20% over the dark background, neither the line nor the background.
      let filled = 0;
      for (let i = 0; i < d.length; i += 4) if (d[i + 3] > 0 && d[i + 2] > d[i] + 25 && d[i + 2] < 140) filled++;
      return filled;
    });
    assert.ok(band > 2000, `band fill covers ${band} pixels`);
    // The seeds table: one row per seed, those that went NaN highlighted.
    const rows = await page.$$eval('table.seeds tbody tr', (trs) => trs.map((tr) => [tr.querySelector('th')?.textContent, tr.className]));
    assert.equal(rows.length, 8);
    assert.deepEqual(rows.filter((r) => r[1] === 'offending').map((r) => Number(r[0])), nanSeeds.map((m) => m.seed));
    await page.screenshot({ path: join(shots, 'seeds-band-dark.png'), fullPage: true });
    // With its fix beside it (the same 8 seeds on scaled inputs), each run its own band.
    await feed(page, seedsRunFixed);
    const statements = await page.$$eval('.seeds-statement', (ps) => ps.map((p) => p.textContent));
    assert.equal(statements.length, 2);
    await page.screenshot({ path: join(shots, 'seeds-band-fix-dark.png'), fullPage: true });
    await page.close();
  });

  it('draws a running multi-seed run live: the band grows seed by seed', async () => {
    const page = await harness.open('light');
    const firstSeeds = seedsRun.slice(0, seedsRun.findIndex((m) => m.type === 'seedDone' && (m as unknown as { seed: number }).seed === 2) + 1);
    await feed(page, firstSeeds);
    const headline = await page.textContent('#verdict');
    assert.match(headline ?? '', /^Training autoencoder: seed 2 \(3 of 8\), epoch 3 of 3, loss /);
    const state = await page.evaluate(() => (window as unknown as PanelGlobals).nanguardPanel.state().runs[0] as { seedRuns: { seed: number }[]; points: { epoch: number }[] });
    assert.deepEqual(state.seedRuns.map((t) => t.seed), [0, 1, 2]);
    assert.deepEqual(state.points.map((p) => p.epoch), [0, 1, 2]);
    await page.screenshot({ path: join(shots, 'seeds-band-running-light.png'), fullPage: true });
    await page.close();
  });

  it('sends typed messages for the user actions', async () => {
    const page = await harness.open('dark');
    await feed(page, nanRun);
    await page.click('#try-fix');
    await page.click('#export-csv');
    await page.click('#export-png');
    await page.click('label[for="log-scale"]');
    const posted = await page.evaluate(() => (window as unknown as PanelGlobals).posted);
    const types = posted.map((m) => m.type);
    assert.deepEqual(types, ['ready', 'tryFix', 'export', 'exportPng', 'setLogScale']);
    assert.deepEqual(posted[1], { type: 'tryFix', runId: 'r1', fixId: 'scale-inputs:NAN101' });
    assert.match(String(posted[3].dataUrl), /^data:image\/png;base64,/);
    assert.deepEqual(posted[4], { type: 'setLogScale', value: false });
    await page.close();
  });

  it('overlays a fixed run beside the original, labelled', async () => {
    const page = await harness.open('light');
    await feed(page, [...nanRun, ...nanRunFixed]);
    const fixLabel = labelOf(nanRunFixed);
    assert.equal(fixLabel, 'scale the inputs with StandardScaler');
    const legend = await page.$$eval('.u-legend .u-label', (ls) => ls.map((l) => l.textContent));
    assert.ok(legend.includes('original: loss') && legend.includes(`${fixLabel}: loss`), legend.join(', '));
    assert.equal(resultOf(nanRunFixed).verdict, 'healthy');
    assert.equal(await page.textContent('#verdict'), `${fixLabel}: ${resultOf(nanRunFixed).verdictText}`);
    const verdicts = await page.$$eval('.verdict', (ps) => ps.map((p) => p.textContent));
    assert.equal(verdicts[0], `original: ${resultOf(nanRun).verdictText}`);
    await page.screenshot({ path: join(shots, 'fix-overlay-light.png'), fullPage: true });
    await page.close();
  });

  it('shows the seed example stalling far above zero, and its fix far lower', async () => {
    const page = await harness.open('dark');
    await feed(page, [...seed1Run, ...seed1RunFixed]);
    const verdicts = await page.$$eval('.verdict', (ps) => ps.map((p) => p.textContent ?? ''));
    assert.equal(resultOf(seed1Run).verdict, 'stalled');
    assert.match(verdicts[0], /^original: Stalled: .*2\.33\de\+6/);
    const stats = await canvasStats(page);
    assert.ok(stats.colored > 1000, `chart drew ${stats.colored} pixels`);
    // The last-finite-step table is there (no NaN here), with no highlighted layer.
    assert.ok((await page.$$('table.layers caption')).length >= 1);
    assert.equal((await page.$$('tr.offending')).length, 0);
    await page.screenshot({ path: join(shots, 'seed1-fix-overlay-dark.png'), fullPage: true });
    await page.close();
  });

  it('keeps the same buttons while a run reports epochs, so a click spanning two frames is not lost', async () => {
    const page = await harness.open('dark');
    const running = nanRunFixed.filter((m) => m.type === 'runStarted' || m.type === 'backend' || m.type === 'epoch').slice(0, 4);
    await feed(page, running);
    const same = await page.evaluate((rest) => {
      const g = window as unknown as PanelGlobals;
      const cancel = document.getElementById('cancel');
      (document.getElementById('cancel') as HTMLButtonElement).focus();
      for (const m of rest) {
        g.nanguardPanel.receive(m);
        g.nanguardPanel.renderNow();
      }
      return { kept: cancel !== null && document.getElementById('cancel') === cancel, focused: document.activeElement?.id };
    }, nanRunFixed.filter((m) => m.type === 'epoch').slice(3, 8));
    assert.deepEqual(same, { kept: true, focused: 'cancel' });
    await page.close();
  });

  // The target is 16 ms (one frame) per update; this machine is shared, so the test fails only
  // at three frames and prints the median for the record (the bench reports it too).
  it('keeps an update near one frame with 100,000 points on the chart', async () => {
    const page = await harness.open('dark');
    const n = 100_000;
    const timings = await page.evaluate((count) => {
      const points = Array.from({ length: count }, (_, e) => ({ epoch: e, loss: 1 + 1000 / (e + 1), valLoss: 2 + 1000 / (e + 1) }));
      const info = { runId: 'big', label: 'long run', model: 'm', file: 'f.py', seed: 0, epochs: count + 100, data: 'synthetic', synthetic: true, findings: [] };
      const run = { info, points, batchesSeen: 0 };
      window.postMessage({ type: 'state', state: { runs: [run], logScale: true } }, '*');
      return new Promise<number[]>((resolve) => {
        setTimeout(() => {
          const g = window as unknown as PanelGlobals;
          g.nanguardPanel.renderNow(); // the first render builds the chart
          const times: number[] = [];
          // One update = one new epoch reduced into the state, then one render, timed together.
          for (let i = 0; i < 25; i++) {
            const t0 = performance.now();
            g.nanguardPanel.receive({ type: 'epoch', runId: 'big', point: { epoch: count + i, loss: 1.5, valLoss: 2.5 } });
            g.nanguardPanel.renderNow();
            times.push(performance.now() - t0);
          }
          resolve(times);
        }, 50);
      });
    }, n);
    timings.sort((a, b) => a - b);
    const median = timings[Math.floor(timings.length / 2)];
    console.log(`panel update with ${n.toLocaleString('en')} points: median ${median.toFixed(2)} ms over ${timings.length} updates`);
    assert.ok(median < 48, `median update ${median.toFixed(2)} ms`);
    await page.close();
  });
});

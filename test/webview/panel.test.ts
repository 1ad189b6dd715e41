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

const nanRun = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'nan-run.json'), 'utf8')) as unknown[];

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
      assert.equal(verdict, 'Loss became NaN at epoch 3, batch 2: the gradient of dense_1 overflowed first.');
      const marker = await page.textContent('.nan-marker');
      assert.match(marker ?? '', /epoch 3, batch 2 \(gradient of dense_1\)/);
      const stats = await canvasStats(page);
      assert.ok(stats.width > 0 && stats.colored > 1000, `chart drew ${stats.colored} pixels`);
      // The offending layer is highlighted in the first-non-finite table.
      const offending = await page.$$eval('tr.offending th', (ths) => ths.map((t) => t.textContent));
      assert.deepEqual(offending, ['dense_1']);
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

  it('puts the NaN marker at the epoch where the loss stopped being finite', async () => {
    const page = await harness.open('dark');
    await feed(page, nanRun);
    // The marker is drawn in the chart's own coordinates: the pixel column of epoch 3 is red.
    const red = await page.evaluate(() => {
      const c = document.querySelector('#chart canvas') as HTMLCanvasElement;
      const ctx = c.getContext('2d')!;
      const w = c.width;
      const reds: number[] = [];
      const d = ctx.getImageData(0, Math.floor(c.height / 2), w, 1).data;
      for (let x = 0; x < w; x++) {
        const [r, g, b] = [d[x * 4], d[x * 4 + 1], d[x * 4 + 2]];
        if (r > 200 && g < 110 && b < 110) reds.push(x);
      }
      return { reds, width: w };
    });
    assert.ok(red.reds.length > 0, 'a red marker line is drawn');
    // Epochs 0..3 span the plot; the marker sits at the right edge, past 80% of the width.
    const x = red.reds[0] / red.width;
    assert.ok(x > 0.8, `marker at ${(x * 100).toFixed(0)}% of the width`);
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
    assert.deepEqual(posted[1], { type: 'tryFix', runId: 'r1', fixId: 'scale-inputs' });
    assert.match(String(posted[3].dataUrl), /^data:image\/png;base64,/);
    assert.deepEqual(posted[4], { type: 'setLogScale', value: false });
    await page.close();
  });

  it('overlays a fixed run beside the original, labelled', async () => {
    const page = await harness.open('light');
    const fixed = [
      { type: 'runStarted', info: { runId: 'r2', label: 'inputs scaled', model: 'autoencoder', file: 'examples/nan_sgd_linear.py', seed: 0, epochs: 10, data: 'same data, standardised', synthetic: false, findings: [] } },
      ...Array.from({ length: 10 }, (_, e) => ({ type: 'epoch', runId: 'r2', point: { epoch: e, loss: 1.2 * Math.exp(-e / 3), valLoss: 1.3 * Math.exp(-e / 3) } })),
      { type: 'done', runId: 'r2', result: { verdict: 'healthy', verdictText: 'Healthy: loss fell from 1.2 to 0.06 in 10 epochs.', timings: { totalMs: 300 } } },
    ];
    await feed(page, [...nanRun, ...fixed]);
    const legend = await page.$$eval('.u-legend .u-label', (ls) => ls.map((l) => l.textContent));
    assert.ok(legend.includes('original: loss') && legend.includes('inputs scaled: loss'), legend.join(', '));
    assert.equal(await page.textContent('#verdict'), 'inputs scaled: Healthy: loss fell from 1.2 to 0.06 in 10 epochs.');
    const verdicts = await page.$$eval('.verdict', (ps) => ps.map((p) => p.textContent));
    assert.equal(verdicts[0], 'original: Loss became NaN at epoch 3, batch 2: the gradient of dense_1 overflowed first.');
    await page.screenshot({ path: join(shots, 'fix-overlay-light.png'), fullPage: true });
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

// A reproduction over several seeds in a real VS Code workbench (code-server + Chromium), with the
// packaged extension: `nanguard.reproduction.seeds` at 8, the unscaled SGD relu autoencoder
// (test/fixtures/repro/sgd_relu_coinflip.py) from the command palette. The panel draws the seeds'
// spread as a band around their median, marks each seed that went NaN on the chart's top edge,
// and states the outcome under the verdict. Screenshots: test-output/vscode/seeds-*.png.
import assert from 'node:assert/strict';
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { describe } from 'node:test';
import { repoRoot } from './code-server';
import { openWorkbench, outputDir as outDir, stepWithScreenshot, type Workbench } from './workbench';

let wb: Workbench;

async function shot(name: string): Promise<void> {
  await wb.page.screenshot({ path: join(outDir, `seeds-${name}.png`) });
}

const step = stepWithScreenshot(shot);


describe('Reproduce training over several seeds in a real VS Code workbench', { timeout: 600_000 }, () => {
  openWorkbench({
    name: 'seeds',
    // The plain JavaScript backend: this model trains on nanguard's dense kernels, the same numbers as the CLI's.
    settings: { 'nanguard.reproduction.seeds': 8, 'nanguard.reproduction.backend': 'cpu', 'workbench.editor.enablePreview': false },
    prepare: (workspace) => cpSync(join(repoRoot, 'test', 'fixtures', 'repro', 'sgd_relu_coinflip.py'), join(workspace, 'sgd_relu_coinflip.py')),
    opened: (opened) => ({ wb } = opened),
  });

  step('eight seeds of the unscaled SGD relu autoencoder: a band, the NaN seeds marked, the share in words', async () => {
    await wb.openFile('sgd_relu_coinflip.py');
    await wb.runCommand('nanguard: Reproduce Training');
    const p = wb.panel();
    const verdict = p.locator('#verdict');
    await verdict.filter({ hasText: /over 8 seeds/ }).waitFor({ timeout: 120_000 });
    assert.match((await verdict.textContent()) ?? '', /^\w+ over 8 seeds \(\d of 8; a coin flip: the outcome depends on the seed\)\.$/);
    const statement = (await p.locator('#seeds-statement').textContent()) ?? '';
    assert.match(statement, /^NaN in \d of 8 seeds, all in epoch 0; /);
    const nan = Number(/^NaN in (\d)/.exec(statement)![1]);
    // One marker per NaN seed, each with its words.
    const titles = await p.locator('#chart .seed-nan').evaluateAll((ms) => ms.map((m) => m.getAttribute('title')));
    assert.equal(titles.length, nan);
    for (const t of titles) assert.match(t ?? '', /^seed \d: NaN at epoch 0, batch \d+$/);
    assert.equal(await p.locator('table.seeds tbody tr').count(), 8);
    await p.locator('#chart').scrollIntoViewIfNeeded();
    await shot('band');
  });
});

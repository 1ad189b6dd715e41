// nanguard in a restricted (untrusted) workspace, in a real VS Code workbench (code-server with
// workspace trust on, driven through Chromium): linting works from the source alone, data files
// are not read, "Reproduce training" explains what a restricted workspace allows instead of
// failing silently, and trusting the workspace brings the data-file findings in.
// Screenshots: test-output/vscode/restricted-*.png.
import assert from 'node:assert/strict';
import { copyFileSync, cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe } from 'node:test';
import { repoRoot, type Profile } from './code-server';
import { extensionLog, lintedVersions, waitForLog } from './extension-log';
import { openWorkbench, outputDir as outDir, stepWithScreenshot, type Workbench } from './workbench';


let profile: Profile | undefined;
let wb: Workbench;

async function shot(name: string): Promise<void> {
  await wb.page.screenshot({ path: join(outDir, `restricted-${name}.png`) });
}

const step = stepWithScreenshot(shot);


describe('nanguard in a restricted (untrusted) workspace', { timeout: 600_000 }, () => {
  openWorkbench({
    name: 'restricted',
    // Trust on, and no start-up dialog: the folder opens in Restricted Mode, as it does for a
    // user who picked "Don't Trust" or has not answered yet.
    settings: { 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never', 'security.workspace.trust.banner': 'never' },
    server: { workspaceTrust: true },
    prepare: (workspace) => {
      cpSync(join(repoRoot, 'examples', 'seed1_unscaled.py'), join(workspace, 'seed1_unscaled.py'));
      // A model trained on a CSV with empty cells: NAN104 needs the file's contents.
      copyFileSync(join(repoRoot, 'test', 'fixtures', 'data-rules', 'NAN104_fire.py'), join(workspace, 'sensors_model.py'));
      copyFileSync(join(repoRoot, 'test', 'fixtures', 'data-rules', 'sensors.csv'), join(workspace, 'sensors.csv'));
      // An array of an .npz archive with a NaN cell: read through the editor's byte reader once trusted.
      copyFileSync(join(repoRoot, 'test', 'fixtures', 'data-rules', 'recordings.npz'), join(workspace, 'recordings.npz'));
      writeFileSync(
        join(workspace, 'npz_model.py'),
        "import numpy as np\nfrom keras.layers import Input, Dense\nfrom keras.models import Model\n\nX = np.load('recordings.npz')['x_train']\ninputs = Input(shape=(X.shape[1],))\nmodel = Model(inputs, Dense(6)(Dense(3, activation='relu')(inputs)))\nmodel.compile(optimizer='adam', loss='mse')\nmodel.fit(X, X, epochs=5)\n",
      );
      writeFileSync(join(workspace, 'README.md'), 'A workspace nobody has trusted yet.\n');
    },
    opened: (opened) => ({ wb, profile } = opened),
  });

  step('the workspace opens in Restricted Mode and the extension activates there', async () => {
    await wb.page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).first().waitFor({ timeout: 60_000 });
    await wb.openFile('seed1_unscaled.py');
    await waitForLog(profile!.userDataDir, (l) => (/activated in [\d.]+ ms \(workspace restricted\)/.test(l) ? true : undefined), 'activation in a restricted workspace');
  });

  step('linting works from the source alone: the seed example 1 has its findings in the Problems panel', async () => {
    await wb.showProblems();
    const rows = await wb.waitForProblems((r) => r.some((p) => p.file === 'seed1_unscaled.py' && p.code.startsWith('NAN')), 'the findings of seed1_unscaled.py', 60_000);
    const codes = new Set(rows.filter((p) => p.file === 'seed1_unscaled.py').map((p) => p.code));
    assert.ok(codes.has('NAN201') && codes.has('NAN101'), `output-range-mismatch and unscaled-input among ${[...codes].join(', ')}`);
    await shot('problems');
  });

  step('the data file is not read: no finding about the empty cells of sensors.csv', async () => {
    await wb.openFile('sensors_model.py');
    await waitForLog(profile!.userDataDir, (l) => (lintedVersions(l, 'sensors_model.py').length > 0 ? true : undefined), 'the lint of sensors_model.py');
    await wb.showProblems();
    const rows = await wb.problems();
    assert.ok(!rows.some((p) => p.code === 'NAN104'), `no NAN104 while restricted: ${JSON.stringify(rows)}`);
  });

  step('"Reproduce Training" says what a restricted workspace allows, offers to manage trust, and opens no panel', async () => {
    await wb.openFile('seed1_unscaled.py');
    await wb.runCommand('nanguard: Reproduce Training');
    const toast = wb.page.locator('.notifications-toasts .notification-toast', { hasText: 'restricted workspace does not allow' });
    await toast.waitFor({ timeout: 30_000 });
    const text = await toast.innerText();
    assert.match(text, /Linting, hovers and quick fixes keep working/);
    await toast.locator('.monaco-button', { hasText: 'Manage Workspace Trust' }).waitFor();
    assert.equal(await wb.page.locator('.tab[aria-label*="Loss:"]').count(), 0, 'no loss-curve panel');
    await shot('reproduce-refused');
  });

  step('"Reproduce Training in Your Keras" is refused with the trust button: nothing runs, no interpreter is asked for', async () => {
    await wb.page.keyboard.press('Escape');
    await wb.openFile('seed1_unscaled.py');
    await wb.runCommand('nanguard: Reproduce Training in Your Keras');
    const toast = wb.page.locator('.notifications-toasts .notification-toast', { hasText: 'executes the program' });
    await toast.waitFor({ timeout: 30_000 });
    assert.match(await toast.innerText(), /restricted workspace does not allow/);
    await toast.locator('.monaco-button', { hasText: 'Manage Workspace Trust' }).waitFor();
    assert.equal(await wb.page.locator('.monaco-dialog-box').count(), 0, 'no consent dialog: it is refused before');
    assert.equal(await wb.page.locator('.tab[aria-label*="Loss:"]').count(), 0, 'no loss-curve panel');
    assert.match(extensionLog(profile!.userDataDir), /running seed1_unscaled\.py in your Keras refused: the workspace is not trusted/);
    // The toast slides in: let it settle before the picture.
    await new Promise((r) => setTimeout(r, 600));
    await shot('keras-refused');
    await wb.page.keyboard.press('Escape');
    await wb.runCommand('Notifications: Clear All Notifications');
    // The next step starts from "Reproduce Training"'s own message.
    await wb.openFile('seed1_unscaled.py');
    await wb.runCommand('nanguard: Reproduce Training');
    await wb.page.locator('.notifications-toasts .notification-toast', { hasText: 'restricted workspace does not allow' }).waitFor({ timeout: 30_000 });
  });

  step('trusting the workspace from that message brings the data-file finding in', async () => {
    const toast = wb.page.locator('.notifications-toasts .notification-toast', { hasText: 'restricted workspace does not allow' });
    await toast.locator('.monaco-button', { hasText: 'Manage Workspace Trust' }).click();
    const trustButton = wb.page.locator('.workspace-trust-editor .monaco-button', { hasText: /^Trust$/ }).first();
    await trustButton.waitFor({ timeout: 30_000 });
    await shot('trust-editor');
    await trustButton.click();
    await wb.page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).first().waitFor({ state: 'detached', timeout: 30_000 });
    await wb.showProblems();
    const rows = await wb.waitForProblems((r) => r.some((p) => p.file === 'sensors_model.py' && p.code === 'NAN104'), 'NAN104 once trusted', 60_000);
    assert.match(rows.find((p) => p.code === 'NAN104')!.message, /empty cells/);
    assert.match(extensionLog(profile!.userDataDir), /workspace trusted/);
    await shot('trusted');
  });

  step('once trusted, an array of an .npz archive is read in chunks too: its NaN cell is found', async () => {
    await wb.openFile('npz_model.py');
    await wb.showProblems();
    const rows = await wb.waitForProblems((r) => r.some((p) => p.file === 'npz_model.py' && p.code === 'NAN104'), 'NAN104 of the .npz array', 60_000);
    assert.match(rows.find((p) => p.file === 'npz_model.py' && p.code === 'NAN104')!.message, /has 1 NaN value out of 200 rows of .*recordings\.npz/);
    await shot('npz-finding');
  });
});

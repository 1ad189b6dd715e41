// The native backend in a real VS Code workbench (code-server + Chromium), with the packaged
// extension: "nanguard: Set Up the Native Backend" builds @tensorflow/tfjs-node into the
// extension's global storage from the TensorFlow of the workspace's chosen Python interpreter
// (`python.defaultInterpreterPath`: here the Keras environment's), with progress in a
// notification; then "Reproduce Training" of a conv autoencoder runs on it under `auto`, and the
// panel says "TensorFlow (tfjs-node)". Screenshots: test-output/vscode/native-*.png.
import assert from 'node:assert/strict';
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe } from 'node:test';
import { bindingOf, tfjsNodePackageIn } from '../../src/repro/native/locate';
import { which } from '../../src/repro/native/setup';
import { kerasEnv } from '../fidelity/keras-harness';
import { repoRoot, type Profile } from './code-server';
import { extensionLog, waitForLog } from './extension-log';
import { openWorkbench, outputDir as outDir, stepWithScreenshot, type Workbench } from './workbench';

const env = kerasEnv();
const skip = !('python' in env) ? env.reason : !which(['c++', 'g++', 'clang++']) ? 'no C++ compiler to build the native backend with' : false;

let profile: Profile | undefined;
let wb: Workbench;
const metrics: Record<string, unknown> = {};

async function shot(name: string): Promise<void> {
  await wb.page.screenshot({ path: join(outDir, `native-${name}.png`) });
}

const step = stepWithScreenshot(shot);

/** Waits until the panel's text matches `pattern`; that text. */
async function waitForPanelText(pattern: RegExp, what: string, timeoutMs = 180_000): Promise<string> {
  return (await wb.waitForPanel((v) => pattern.test(v.text), what, timeoutMs, 100)).text;
}

describe('The native backend in a real VS Code workbench', { skip, timeout: 900_000 }, () => {
  openWorkbench({
    name: 'native',
    // The user's Python environment, chosen for the workspace: the Keras environment's interpreter (the Python
    // extension's setting; the extension itself is not installed here, so nanguard reads the setting).
    settings: { 'nanguard.reproduction.backend': 'auto', 'workbench.editor.enablePreview': false, 'python.defaultInterpreterPath': (env as { python: string }).python },
    prepare: (workspace) => {
      cpSync(join(repoRoot, 'test', 'fixtures', 'repro', 'conv_autoencoder.py'), join(workspace, 'conv_autoencoder.py'));
      writeFileSync(join(workspace, 'README.md'), 'A conv autoencoder to reproduce on native TensorFlow.\n');
    },
    opened: (opened) => ({ wb, profile } = opened),
    closing: () => writeFileSync(join(outDir, 'native-metrics.json'), JSON.stringify(metrics, null, 2) + '\n'),
  });

  step('"Set Up the Native Backend" builds tfjs-node against the TensorFlow of the chosen Python interpreter, with progress', async () => {
    await wb.openFile('conv_autoencoder.py');
    const started = Date.now();
    await wb.runCommand('nanguard: Set Up the Native Backend');
    const progress = wb.page.locator('.notifications-toasts .notification-toast', { hasText: 'setting up the native backend' });
    await progress.waitFor({ timeout: 30_000 });
    // The toast slides in: wait until its step text is there before the screenshot.
    await progress.locator('.notification-list-item-message', { hasText: /Compiling|Linking|Fetching|Checking|Looking/ }).first().waitFor({ timeout: 60_000 }).catch(() => undefined);
    await shot('setup-progress');
    const ready = wb.page.locator('.notifications-toasts .notification-toast', { hasText: 'the native backend is ready' });
    await ready.waitFor({ timeout: 300_000 });
    metrics.setupMs = Date.now() - started;
    const text = (await ready.textContent()) ?? '';
    assert.match(text, /TensorFlow \(tfjs-node\), built against TensorFlow 2\.\d+/);
    await shot('setup-ready');
    const log = extensionLog(profile!.userDataDir);
    assert.match(log, /native backend: setting up in .*tfjs-node, TensorFlow from .*keras-env.*python \(python\.defaultInterpreterPath\)/);
    assert.match(log, /native backend: Compiling the TensorFlow binding/);
    // Built into the extension's global storage, not into the extension.
    const storage = join(profile!.userDataDir, 'User', 'globalStorage', 'nanguard.nanguard', 'tfjs-node');
    const pkg = tfjsNodePackageIn(storage);
    assert.ok(pkg && bindingOf(pkg), `no built tfjs-node in ${storage}`);
  });

  step('a conv autoencoder reproduces on it under auto: the panel says "TensorFlow (tfjs-node)"', async () => {
    await wb.page.keyboard.press('Escape');
    await wb.openFile('conv_autoencoder.py');
    const clickedAt = Date.now();
    await wb.runCommand('nanguard: Reproduce Training');
    await waitForPanelText(/TensorFlow \(tfjs-node\)/, 'the native backend named');
    metrics.backendShownMs = Date.now() - clickedAt;
    await shot('conv-running');
    const done = await waitForPanelText(/Stalled|Healthy|Loss became NaN|Diverging/, 'a verdict');
    metrics.verdictMs = Date.now() - clickedAt;
    assert.match(done, /TensorFlow \(tfjs-node\)/);
    const log = await waitForLog(profile!.userDataDir, (l) => /reproduction original of autoencoder: (\w+) after (\d+) epochs on (\w+)/.exec(l) ?? undefined, 'the run summary in the log');
    assert.equal(log[3], 'node');
    assert.equal(log[2], '3');
    await shot('conv-verdict');
  });

  step('the setting and the command are contributed as documented', () => {
    const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
      contributes: { commands: { command: string; title: string; category: string }[]; configuration: { properties: Record<string, { scope?: string; markdownDescription?: string }> } };
      capabilities: { untrustedWorkspaces: { restrictedConfigurations: string[] } };
    };
    const command = manifest.contributes.commands.find((c) => c.command === 'nanguard.setUpNativeBackend');
    assert.deepEqual(command && { title: command.title, category: command.category }, { title: 'Set Up the Native Backend', category: 'nanguard' });
    const setting = manifest.contributes.configuration.properties['nanguard.reproduction.nativeBackendPath'];
    assert.equal(setting.scope, 'machine');
    assert.ok(setting.markdownDescription && /tfjs-node/.test(setting.markdownDescription));
    assert.ok(manifest.capabilities.untrustedWorkspaces.restrictedConfigurations.includes('nanguard.reproduction.nativeBackendPath'));
    assert.ok(existsSync(join(outDir, 'native-setup-ready.png')));
  });
});

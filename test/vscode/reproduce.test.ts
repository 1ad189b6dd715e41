// "Reproduce training" in a real VS Code workbench (code-server + Chromium), with the packaged
// extension: the CodeLens and the command palette start it, the loss-curve panel (a webview,
// inside two iframes of the workbench) fills with the real run, "Try the suggested fix" overlays
// a second curve, "Apply to code" edits the file. The time from the click to the first point on
// the chart is measured in the page. Screenshots: test-output/vscode/reproduce-*.png.
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe } from 'node:test';
import type { FrameLocator } from 'playwright-core';
import { repoRoot, type Profile } from './code-server';
import { extensionLog, waitForLog } from './extension-log';
import { openWorkbench, outputDir as outDir, stepWithScreenshot, type PanelView, type Workbench } from './workbench';

const metrics: Record<string, unknown> = {};
let workspaceDir = '';

/** A healthy model that trains for long enough to be cancelled. */
const LONG_RUN = `import numpy as np
from tensorflow import keras

X = np.random.uniform(0, 1, (4000, 32))

model = keras.Sequential([
    keras.Input(shape=(32,)),
    keras.layers.Dense(64, activation="relu"),
    keras.layers.Dense(8, activation="relu"),
    keras.layers.Dense(64, activation="relu"),
    keras.layers.Dense(32, activation="sigmoid"),
])
model.compile(optimizer="adam", loss="mse")
model.fit(X, X, epochs=150, batch_size=32)
`;

/** Two models in one file: a quick pick asks which, the one at the cursor first. */
const TWO_MODELS = `import numpy as np
from tensorflow import keras

X = np.random.uniform(0, 1, (200, 6))

small = keras.Sequential([keras.Input(shape=(6,)), keras.layers.Dense(3, activation="relu"), keras.layers.Dense(6)])
small.compile(optimizer="adam", loss="mse")
small.fit(X, X, epochs=5, batch_size=32)

wide = keras.Sequential([keras.Input(shape=(6,)), keras.layers.Dense(16, activation="relu"), keras.layers.Dense(6)])
wide.compile(optimizer="adam", loss="mse")
wide.fit(X, X, epochs=7, batch_size=32)
`;

// A script that rebuilds `autoencoder`: two models of one name, told apart by the line they are defined on.
/** MNIST's shape and scale: 60,000 images, too many for an epoch of seconds, so the run trains each epoch's first rows. */
const MNIST_CONV = `# A convolutional autoencoder on MNIST-shaped images: 60,000 of 28 x 28 pixels, one channel,
# brought from 0-255 to [0, 1] as the Keras tutorial does.
import numpy as np
from tensorflow import keras
from tensorflow.keras import layers

x_train = np.random.randint(0, 256, size=(60000, 28, 28, 1)).astype("float32") / 255.0

inputs = keras.Input(shape=(28, 28, 1))
x = layers.Conv2D(32, (3, 3), activation="relu", padding="same")(inputs)
x = layers.MaxPooling2D((2, 2), padding="same")(x)
x = layers.Conv2D(32, (3, 3), activation="relu", padding="same")(x)
x = layers.MaxPooling2D((2, 2), padding="same")(x)
x = layers.Conv2DTranspose(32, (3, 3), strides=2, activation="relu", padding="same")(x)
x = layers.Conv2DTranspose(32, (3, 3), strides=2, activation="relu", padding="same")(x)
outputs = layers.Conv2D(1, (3, 3), activation="sigmoid", padding="same")(x)

autoencoder = keras.Model(inputs, outputs)
autoencoder.compile(optimizer="adam", loss="binary_crossentropy")
autoencoder.fit(x_train, x_train, epochs=2, batch_size=128, shuffle=True)
`;

const REBUILT = `import numpy as np
from tensorflow import keras

X = np.random.uniform(0, 1, (200, 6))

autoencoder = keras.Sequential([keras.Input(shape=(6,)), keras.layers.Dense(3, activation="relu"), keras.layers.Dense(6)])
autoencoder.compile(optimizer="adam", loss="mse")
autoencoder.fit(X, X, epochs=5, batch_size=32)

autoencoder = keras.Sequential([keras.Input(shape=(6,)), keras.layers.Dense(16, activation="relu"), keras.layers.Dense(6)])
autoencoder.compile(optimizer="adam", loss="mse")
autoencoder.fit(X, X, epochs=7, batch_size=32)
`;

// The anomaly detector of many tutorials, whose CSV is not in the workspace: its width is x.shape[1].
const UNSEEN_SIZES = `import pandas as pd
from tensorflow import keras
from tensorflow.keras.layers import Dense

df = pd.read_csv("anomaly.csv")
x = df.values
model = keras.Sequential()
model.add(Dense(10, input_dim=x.shape[1], activation="relu"))
model.add(Dense(3, activation="relu"))
model.add(Dense(x.shape[1]))
model.compile(loss="mean_squared_error", optimizer="adam")
model.fit(x, x, epochs=4)
`;

// Layers of layers, as the TensorFlow 2 books write autoencoders: each part a keras.layers.Layer holding Dense layers.
const LAYERS_OF_LAYERS = `import numpy as np
import tensorflow as tf

(x_train, _), (x_test, _) = tf.keras.datasets.mnist.load_data()
x_train = x_train.reshape(-1, 784).astype("float32") / 255.0


class Encoder(tf.keras.layers.Layer):
    def __init__(self, intermediate_dim):
        super(Encoder, self).__init__()
        self.hidden_layer = tf.keras.layers.Dense(units=intermediate_dim, activation=tf.nn.relu)
        self.output_layer = tf.keras.layers.Dense(units=intermediate_dim, activation=tf.nn.relu)

    def call(self, input_features):
        activation = self.hidden_layer(input_features)
        return self.output_layer(activation)


class Decoder(tf.keras.layers.Layer):
    def __init__(self, intermediate_dim, original_dim):
        super(Decoder, self).__init__()
        self.hidden_layer = tf.keras.layers.Dense(units=intermediate_dim, activation=tf.nn.relu)
        self.output_layer = tf.keras.layers.Dense(units=original_dim, activation=tf.nn.sigmoid)

    def call(self, code):
        activation = self.hidden_layer(code)
        return self.output_layer(activation)


class Autoencoder(tf.keras.Model):
    def __init__(self, intermediate_dim, original_dim):
        super(Autoencoder, self).__init__()
        self.encoder = Encoder(intermediate_dim=intermediate_dim)
        self.decoder = Decoder(intermediate_dim=intermediate_dim, original_dim=original_dim)

    def call(self, input_features):
        code = self.encoder(input_features)
        return self.decoder(code)


autoencoder = Autoencoder(intermediate_dim=64, original_dim=784)
autoencoder.compile(loss="mse", optimizer="adam")
autoencoder.fit(x_train, x_train, batch_size=256, epochs=4)
`;

/** Accepts VS Code's save dialog (the workbench's own, in a browser) at the suggested path. */
async function acceptSaveDialog(expectedName: string): Promise<void> {
  const input = wb.page.locator('.quick-input-widget:not([style*="display: none"]) input');
  await input.waitFor();
  // The dialog fills in the suggested path once it has read the folder.
  const deadline = Date.now() + 15_000;
  let value = '';
  while (!(value = await input.inputValue()).endsWith(expectedName)) {
    if (Date.now() > deadline) throw new Error(`the save dialog suggests ${value}, not ${expectedName}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  await wb.page.keyboard.press('Enter');
}

/**
 * The file's text once it is written: the save creates the file before it writes the bytes, so
 * an empty file or one still growing is not yet the export.
 */
async function waitForFile(path: string, timeoutMs = 20_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let previous: string | undefined;
  for (;;) {
    const text = existsSync(path) ? readFileSync(path, 'utf8') : undefined;
    if (text && text === previous) return text;
    if (Date.now() > deadline) throw new Error(text === undefined ? `${path} was not written` : `${path} is still being written: ${text.length} characters`);
    previous = text;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** How long the user looks at a file before asking for a reproduction. */
const READING_MS = 3000;

let profile: Profile | undefined;
let wb: Workbench;

async function shot(name: string): Promise<void> {
  await wb.page.screenshot({ path: join(outDir, `reproduce-${name}.png`) });
}

const step = stepWithScreenshot(shot);


const panel = (): FrameLocator => wb.panel();
const panelView = (): Promise<PanelView | undefined> => wb.panelView();
const waitForPanel = (accept: (v: PanelView) => boolean, what: string, timeoutMs = 90_000): Promise<PanelView> => wb.waitForPanel(accept, what, timeoutMs);

/** Milliseconds from `clickedAt` (Date.now()) until the panel has drawn its first point. */
async function timeToFirstPoint(clickedAt: number): Promise<number> {
  await waitForPanel((v) => (v.points[0] ?? 0) > 0, 'the first point');
  return Date.now() - clickedAt;
}

describe('Reproduce training in a real VS Code workbench', { timeout: 900_000 }, () => {
  openWorkbench({
    name: 'reproduce',
    // Seed 2 (the SGD example goes NaN at epoch 0, batch 2 on every seed: docs of examples/nan_sgd_linear.py); the WebAssembly backend.
    settings: { 'editor.codeLens': true, 'nanguard.reproduction.seed': 2, 'nanguard.reproduction.backend': 'wasm', 'workbench.editor.enablePreview': false },
    prepare: (workspace) => {
      cpSync(join(__dirname, 'workspace'), workspace, { recursive: true });
      cpSync(join(repoRoot, 'examples', 'nan_sgd_linear.py'), join(workspace, 'nan_sgd_linear.py'));
      writeFileSync(join(workspace, 'long_run.py'), LONG_RUN);
      writeFileSync(join(workspace, 'two_models.py'), TWO_MODELS);
      writeFileSync(join(workspace, 'rebuilt_autoencoder.py'), REBUILT);
      writeFileSync(join(workspace, 'mnist_conv.py'), MNIST_CONV);
      writeFileSync(join(workspace, 'unseen_sizes.py'), UNSEEN_SIZES);
      writeFileSync(join(workspace, 'layers_of_layers.py'), LAYERS_OF_LAYERS);
      // Written before the workbench opens: a file created in the middle of the run reached Quick Open late on a busy machine.
      writeFileSync(join(workspace, 'bn_chain.py'), readFileSync(join(repoRoot, 'examples', 'seed2_batchnorm.py'), 'utf8').replace(/autoencoder/g, 'bn_autoencoder'));
      cpSync(join(repoRoot, 'examples', 'keras_topology_sigmoid.json'), join(workspace, 'keras_topology_sigmoid.json'));
    },
    opened: (opened) => ({ wb, profile, workspace: workspaceDir } = opened),
    closing: ({ profile }) => {
      metrics.hostFirstPointMs = [...extensionLog(profile.userDataDir).matchAll(/reproduction (.*) of \w+: first point on the chart (\d+) ms/g)].map((m) => ({ run: m[1], ms: Number(m[2]) }));
      writeFileSync(join(outDir, 'reproduce-metrics.json'), JSON.stringify(metrics, null, 2) + '\n');
    },
  });

  step('the seed example 1 from the CodeLens: the panel opens, fills, and says the loss stalls far above zero', async () => {
    await wb.openFile('seed1_unscaled.py');
    const lens = wb.page.locator('.codelens-decoration a', { hasText: 'Reproduce training' }).first();
    await lens.waitFor({ timeout: 60_000 });
    await shot('seed1-codelens');
    // A person reads the file and its findings before clicking; meanwhile the extension forks a
    // spare worker (nanguard.reproduction.prewarm), which has this long to load TensorFlow.js.
    await waitForLog(profile!.userDataDir, (l) => (/forked ahead of time/.test(l) ? true : undefined), 'the spare worker');
    await new Promise((r) => setTimeout(r, READING_MS));
    const clickedAt = Date.now();
    await lens.click();
    const firstPointMs = await timeToFirstPoint(clickedAt);
    metrics.seed1FirstPointMs = firstPointMs;
    await wb.page.waitForSelector('.tab[aria-label*="Loss: autoencoder"]');
    const done = await waitForPanel((v) => v.verdicts.length === 1 && /^Stalled/.test(v.verdicts[0]), 'the stalled verdict');
    assert.equal(done.points[0], 100);
    assert.match(done.verdicts[0], /2\.33\de\+6/);
    // The run's facts and the findings with how the run bears them out.
    const p = panel();
    await p.locator('dd', { hasText: 'literal arrays written in the code' }).first().waitFor();
    await p.locator('.bearing', { hasText: 'borne out: the loss stalled' }).first().waitFor();
    assert.ok(await p.locator('#chart canvas').count() > 0);
    const log = await waitForLog(profile!.userDataDir, (l) => /first point on the chart (\d+) ms after the click/.exec(l)?.[1], 'the first point time');
    metrics.seed1FirstPointHostMs = Number(log);
    assert.match(extensionLog(profile!.userDataDir), /reproduction original of autoencoder: worker \d+, forked ahead of time/);
    await shot('seed1-stalled');
  });

  step('the seed example 1: "Try the suggested fix" scales the inputs and overlays the second curve', async () => {
    const p = panel();
    const button = p.locator('#try-fix');
    assert.match((await button.textContent()) ?? '', /MinMaxScaler/);
    const clickedAt = Date.now();
    await button.click();
    await waitForPanel((v) => v.points.length === 2 && v.points[1] > 0, 'the fix run\'s first point');
    metrics.seed1FixFirstPointMs = Date.now() - clickedAt;
    const done = await waitForPanel((v) => v.verdicts.length === 2 && !/Training/.test(v.verdicts[1]), 'the fix run\'s verdict');
    assert.match(done.verdicts[1], /^scale the inputs with MinMaxScaler: /);
    const legend = await p.locator('.u-legend .u-label').allTextContents();
    assert.ok(legend.includes('scale the inputs with MinMaxScaler: loss'), legend.join(', '));
    await shot('seed1-fix-overlay');
  });

  step('the SGD example from the command palette: NaN in the first epoch, where and why', async () => {
    await wb.openFile('nan_sgd_linear.py');
    await new Promise((r) => setTimeout(r, READING_MS));
    // The command palette, timed from the Enter that runs the command.
    const page = wb.page;
    await page.keyboard.press('Escape');
    await page.keyboard.press('F1');
    await page.waitForSelector('.quick-input-widget:not([style*="display: none"]) input');
    await page.keyboard.type('nanguard: Reproduce Training');
    await page.waitForSelector('.quick-input-list .monaco-list-row.focused[aria-label*="Reproduce Training" i]');
    const clickedAt = Date.now();
    await page.keyboard.press('Enter');
    const firstPointMs = await timeToFirstPoint(clickedAt);
    metrics.nanFirstPointMs = firstPointMs;
    const done = await waitForPanel((v) => v.verdicts.length === 1 && /^Loss became NaN/.test(v.verdicts[0]), 'the NaN verdict');
    assert.match(done.verdicts[0], /^Loss became NaN at epoch 0, batch 2: the \w+ of dense_1/);
    const p = panel();
    await p.locator('.nan-marker').first().waitFor();
    await p.locator('tr.offending').first().waitFor();
    // The batch losses up to the NaN: finite numbers, then NaN at batch 2.
    const steps = await p.locator('table.batch-losses tbody th').allTextContents();
    assert.deepEqual(steps, ['epoch 0, batch 0', 'epoch 0, batch 1', 'epoch 0, batch 2']);
    assert.equal(await p.locator('table.batch-losses tbody tr:last-child td').first().textContent(), 'NaN');
    await shot('nan-verdict');
  });

  step('the SGD example: the scaled fix trains, then "Apply to code" inserts the StandardScaler', async () => {
    const p = panel();
    await p.locator('#try-fix').click();
    const done = await waitForPanel((v) => v.verdicts.length === 2 && /^scale the inputs with StandardScaler: (Healthy|Stalled)/.test(v.verdicts[1]), 'the fix run\'s verdict');
    assert.ok(!/NaN/.test(done.verdicts[1].split(':')[1] ?? ''), done.verdicts[1]);
    await shot('nan-fix-overlay');
    await p.locator('#apply-fix').click();
    await wb.page.waitForSelector('.tab.active.dirty[aria-label*="nan_sgd_linear.py"]', { timeout: 20_000 });
    const lines = await wb.visibleEditorLines();
    assert.ok(lines.some((l) => l.includes('X = scaler.fit_transform(X)')), lines.join('\n'));
    await shot('nan-applied');
  });

  step('Export CSV and Export JSON save the history of both runs and the run summaries', async () => {
    const p = panel();
    await p.locator('#export-csv').click();
    await acceptSaveDialog('autoencoder-loss.csv');
    const csv = await waitForFile(join(workspaceDir, 'autoencoder-loss.csv'));
    const rows = csv.trim().split('\n');
    assert.equal(rows[0], 'epoch,original loss,original val_loss,scale the inputs with StandardScaler loss,scale the inputs with StandardScaler val_loss');
    assert.equal(rows.length, 21);
    assert.match(rows[1], /^0,NaN,NaN,\d/);
    await p.locator('#export-json').click();
    await acceptSaveDialog('autoencoder-loss.json');
    const json = JSON.parse(await waitForFile(join(workspaceDir, 'autoencoder-loss.json'))) as { runs: { label: string; summary?: { verdict: string } }[] };
    assert.deepEqual(json.runs.map((r) => [r.label, r.summary?.verdict]), [['original', 'nan'], ['scale the inputs with StandardScaler', 'healthy']]);
  });

  step('the panel is rebuilt from the kept state after being hidden and shown again', async () => {
    const before = await panelView();
    assert.ok(before && before.points.length === 2);
    // Another editor in the panel's group hides it; the webview is not retained.
    // Clicking the panel's tab makes its group the active one; a file opened from the Explorer goes there.
    await wb.page.locator('.tab[aria-label*="Loss: autoencoder"]').click();
    await wb.page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'long_training.py' }).click();
    await wb.page.waitForSelector('.editor-group-container.active .tab.active[aria-label*="long_training.py"]');
    assert.equal(await panelView(), undefined, 'the hidden webview is gone');
    await wb.page.locator('.tab[aria-label*="Loss: autoencoder"]').click();
    const after = await waitForPanel((v) => v.points.length === 2 && v.verdicts.length === 2, 'the restored panel');
    assert.deepEqual(after.points, before.points);
    assert.deepEqual(after.verdicts, before.verdicts);
  });

  step('a long run is cancelled from the panel, and another from the progress notification', async () => {
    await wb.openFile('long_run.py');
    await wb.runCommand('nanguard: Reproduce Training');
    await waitForPanel((v) => v.points.length === 1 && v.points[0] >= 2, 'two epochs of the long run');
    const toast = wb.page.locator('.notifications-toasts .notification-toast', { hasText: 'reproducing model' });
    await toast.waitFor();
    await shot('long-run-progress');
    await panel().locator('#cancel').click();
    await waitForPanel((v) => v.verdicts[0] === 'Cancelled.', 'the cancelled verdict');
    await toast.waitFor({ state: 'detached', timeout: 15_000 });

    // Keyboard focus is in the webview after the click: give it back to the editor.
    await wb.page.locator('.tab', { hasText: 'long_run.py' }).click();
    await wb.runCommand('nanguard: Reproduce Training');
    await waitForPanel((v) => v.points.length === 1 && v.points[0] >= 2 && v.verdicts[0] !== 'Cancelled.', 'two epochs of the second long run');
    await toast.locator('.monaco-button', { hasText: 'Cancel' }).click();
    const cancelled = await waitForPanel((v) => v.verdicts[0] === 'Cancelled.', 'the run cancelled from the notification');
    assert.ok(cancelled.points[0] < 150, `stopped after ${cancelled.points[0]} epochs`);
    await shot('long-run-cancelled');
  });

  step('after a window reload the panel is restored by its serializer, with the last run and its verdict', async () => {
    const before = await panelView();
    assert.ok(before && before.verdicts[0] === 'Cancelled.');
    const restoresBefore = extensionLog(profile!.userDataDir).split('restoring the panel after a reload').length;
    // The title the panel has now, not an older one the workbench stored before the last run.
    metrics.reloadStoredWaitMs = await wb.reloadOnceStored('Loss: model');
    // The tab comes back from the stored layout with the workbench; the webview in it only once the
    // extension host has started and nanguard's serializer has run (activation on the panel's view type).
    const tab = wb.page.locator('.tab[aria-label*="Loss: model"]');
    await tab.waitFor({ timeout: 90_000 });
    await tab.click();
    await waitForLog(profile!.userDataDir, (log) => (log.split('restoring the panel after a reload').length > restoresBefore ? true : undefined), 'the serializer restoring the panel', 120_000);
    const after = await waitForPanel((v) => v.verdicts.length === 1 && v.points[0] > 0, `the restored panel (before the reload: ${JSON.stringify(before)})`, 60_000);
    assert.deepEqual(after.points, before.points);
    assert.deepEqual(after.verdicts, before.verdicts);
    await shot('restored-after-reload');
  });

  step('a notebook: the model defined in one cell and fitted in another is reproduced from the command palette', async () => {
    await wb.openFile('split_model.ipynb');
    await wb.runCommand('nanguard: Reproduce Training');
    await wb.page.waitForSelector('.tab[aria-label*="Loss: autoencoder"]', { timeout: 30_000 });
    const done = await waitForPanel((v) => v.verdicts.length === 1 && /^Stalled/.test(v.verdicts[0]), 'the notebook run\'s verdict');
    assert.ok(done.points[0] > 0);
    await panel().locator('.subtitle', { hasText: 'split_model.ipynb' }).waitFor();
    await shot('notebook');
  });

  step('a Keras JSON topology from the editor context menu', async () => {
    await wb.openFile('keras_topology_sigmoid.json');
    const item = wb.page.locator('.context-view .action-item', { hasText: 'Reproduce Training' });
    // Focus can still sit in the panel opened by the step before: click into the JSON editor of the
    // active group first, then open its context menu; try again if the menu opened elsewhere.
    const line = wb.page.locator('.editor-group-container.active .editor-instance .monaco-editor .view-line').first();
    for (let attempt = 1; ; attempt++) {
      await line.click();
      await line.click({ button: 'right' });
      try {
        await item.waitFor({ timeout: 10_000 });
        break;
      } catch (error) {
        if (attempt === 3) throw error;
        await wb.page.keyboard.press('Escape');
      }
    }
    await shot('json-context-menu');
    await item.click();
    const done = await waitForPanel((v) => v.verdicts.length === 1 && !/^Training/.test(v.verdicts[0]) && v.points[0] > 0, 'the JSON model\'s verdict');
    assert.doesNotMatch(done.verdicts[0], /failed/);
    await panel().locator('.subtitle', { hasText: 'keras_topology_sigmoid.json' }).waitFor();
    await shot('json');
  });

  step('two models in one file: the quick pick offers both, the one at the cursor first, and runs the one picked', async () => {
    await wb.openFile('two_models.py');
    await wb.goTo(12, 1); // wide.fit(...)
    await wb.runCommand('nanguard: Reproduce Training');
    const rows = wb.page.locator('.quick-input-widget:not([style*="display: none"]) .quick-input-list .monaco-list-row');
    await rows.nth(1).waitFor({ timeout: 30_000 });
    const labels = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
    assert.equal(labels.length, 2, `two models offered: ${JSON.stringify(labels)}`);
    assert.match(labels[0], /^wide\b.*at the cursor/);
    assert.match(labels[1], /^small\b/);
    await shot('two-models-pick');
    // Not the default: the other one, to see that the pick is what runs.
    await wb.page.keyboard.press('ArrowDown');
    await wb.page.keyboard.press('Enter');
    await wb.page.waitForSelector('.tab[aria-label*="Loss: small"]', { timeout: 30_000 });
    const done = await waitForPanel((v) => v.verdicts.length === 1 && !/^Training/.test(v.verdicts[0]) && v.points[0] === 5, 'the verdict of model small (5 epochs)');
    assert.doesNotMatch(done.verdicts[0], /failed/);
    await shot('two-models-small');
  });

  step('a script that rebuilds autoencoder: the quick pick tells the two apart by line, and the one picked runs', async () => {
    await wb.openFile('rebuilt_autoencoder.py');
    await wb.goTo(12, 1); // the second autoencoder.fit(...)
    await wb.runCommand('nanguard: Reproduce Training');
    const rows = wb.page.locator('.quick-input-widget:not([style*="display: none"]) .quick-input-list .monaco-list-row');
    await rows.nth(1).waitFor({ timeout: 30_000 });
    const labels = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
    assert.equal(labels.length, 2, `two models offered: ${JSON.stringify(labels)}`);
    assert.match(labels[0], /^autoencoder:10\b.*defined on line 10.*at the cursor/);
    assert.match(labels[1], /^autoencoder:6\b.*defined on line 6/);
    await shot('rebuilt-pick');
    // The first definition, not the default, to see that the pick is what runs.
    await wb.page.keyboard.press('ArrowDown');
    await wb.page.keyboard.press('Enter');
    await wb.page.waitForSelector('.tab[aria-label*="Loss: autoencoder:6"]', { timeout: 30_000 });
    const done = await waitForPanel((v) => v.verdicts.length === 1 && !/^Training/.test(v.verdicts[0]) && v.points[0] === 5, 'the verdict of the first autoencoder (5 epochs)');
    assert.doesNotMatch(done.verdicts[0], /failed/);
    await shot('rebuilt-first');
  });

  step('a model sized by a CSV that is not in the workspace: trained at an assumed size, on stand-in data, and the panel says so', async () => {
    await wb.closeAllEditors();
    await wb.openFile('unseen_sizes.py');
    await wb.runCommand('nanguard: Reproduce Training');
    const note = /the model's sizes come from data nanguard could not see: `x\.shape` \(line 8\); the training data is read from anomaly\.csv, which is not in the workspace\. Each unseen dimension is assumed to be 32/;
    const done = await waitForPanel((v) => note.test(v.text) && v.verdicts.length === 1 && !/^Training/.test(v.verdicts[0]), 'the assumed-size note and the verdict', 120_000);
    assert.match(done.verdicts[0], /on stand-in data/);
    assert.equal(done.points[0], 4);
    await wb.page.mouse.move(700, 1200);
    await shot('assumed-sizes');
  });

  step('a subclassed autoencoder of custom layers that hold Dense layers: reproduced with their weights', async () => {
    await wb.closeAllEditors();
    await wb.openFile('layers_of_layers.py');
    await wb.runCommand('nanguard: Reproduce Training');
    const done = await waitForPanel((v) => v.verdicts.length === 1 && !/^Training/.test(v.verdicts[0]) && v.points[0] === 4, 'the verdict of the layers-of-layers autoencoder', 120_000);
    // MNIST is not in the workspace: stand-in digits, said as such.
    assert.match(done.verdicts[0], /on stand-in data/);
    // 784 x 64 + 64, 64 x 64 + 64 twice, 64 x 784 + 784: 109,520 weights, as Keras counts them.
    assert.match(done.text, /109,520|109520/);
    await wb.page.mouse.move(700, 1200);
    await shot('layers-of-layers');
  });

  step('a conv autoencoder on 60,000 MNIST-shaped images: the panel says each epoch trains on its first rows', async () => {
    // The file alone in the editor, the panel beside it, as a user who opens it and asks sees them.
    await wb.closeAllEditors();
    await wb.openFile('mnist_conv.py');
    await wb.runCommand('nanguard: Reproduce Training');
    const note = /[Ee]ach epoch trains on the first [\d,]+ of the 60,000 training samples/;
    const shown = await waitForPanel((v) => note.test(v.text), 'the shortened-epoch note', 120_000);
    // Beside the data it is about, in the run's facts, where a reader of the curve looks.
    const data = await panel().locator('dl.facts dt:text-is("Data") + dd').first().textContent();
    assert.match(data ?? '', note, shown.text.slice(0, 600));
    // The run ends within the time limit (nanguard.reproduction.maxSeconds, 60 s here).
    const done = await waitForPanel((v) => v.verdicts.length === 1 && !/^Training/.test(v.verdicts[0]), 'the verdict of the MNIST-shaped run', 180_000);
    // A run the time limit ends before its first epoch has no curve to judge, and says so.
    if (done.points[0] === 0) assert.match(done.verdicts[0], /^No verdict: the time limit came before the first epoch ended/);
    else assert.doesNotMatch(done.verdicts[0], /No epoch finished/);
    // No tooltip of a tab the pointer happens to rest on.
    await wb.page.mouse.move(700, 1200);
    await wb.page.screenshot({ path: join(outDir, 'mnist-conv-shortened.png') });
  });

  step('on the default backend a Dense/BatchNormalization chain trains on the dense kernels, and the panel says so', async () => {
    // The workspace's settings take the backend back to the default for this folder.
    const before = extensionLog(profile!.userDataDir).split('(settings changed)').length;
    mkdirSync(join(workspaceDir, '.vscode'), { recursive: true });
    writeFileSync(join(workspaceDir, '.vscode', 'settings.json'), JSON.stringify({ 'nanguard.reproduction.backend': 'auto' }));
    await wb.openFile('bn_chain.py');
    // VS Code notices the settings file through its file watcher, which took over 5 s on a busy
    // machine: wait until the extension has seen the change, as a person would see the file saved.
    await waitForLog(profile!.userDataDir, (log) => (log.split('(settings changed)').length > before ? true : undefined), 'the extension seeing the new workspace settings');
    await wb.runCommand('nanguard: Reproduce Training');
    await wb.page.waitForSelector('.tab[aria-label*="Loss: bn_autoencoder"]', { timeout: 30_000 });
    await waitForPanel((v) => v.verdicts.length === 1 && /^Healthy/.test(v.verdicts[0]) && v.points[0] === 100, 'the verdict of bn_autoencoder (100 epochs)');
    assert.match(extensionLog(profile!.userDataDir), /reproducing bn_autoencoder .*backend auto/);
    const backend = await panel().locator('dl.facts dt:text-is("Backend") + dd').first().textContent();
    assert.equal(backend, 'plain JavaScript (cpu), dense kernels');
    await shot('dense-kernels');
  });
});

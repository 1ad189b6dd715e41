// `nanguard reproduce` killed from outside (a timeout's SIGTERM, or SIGKILL) never leaves its
// training worker running on its own: on SIGTERM the command kills it; on SIGKILL the worker
// sees at its next batch that its parent is gone (process.ppid changed) and stops.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';

const main = join(__dirname, '../../src/cli/main.ts');
const tsxLoader = pathToFileURL(require.resolve('tsx')).href;
const linux = process.platform === 'linux';

// A run that takes far longer than the test, on TensorFlow.js's plain JavaScript kernels, where a
// batch of a convolutional model keeps the worker busy for seconds without an event-loop turn.
const LONG = `import numpy as np
from tensorflow import keras
from tensorflow.keras import layers
X = np.random.rand(2000, 28, 28, 1)
inputs = keras.Input(shape=(28, 28, 1))
x = layers.Conv2D(16, (3, 3), activation="relu", padding="same")(inputs)
outputs = layers.Conv2D(1, (3, 3), activation="sigmoid", padding="same")(x)
model = keras.Model(inputs, outputs)
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(X, X, epochs=50, batch_size=200)
`;

function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

function alive(pid: number): boolean {
  try {
    // A zombie still answers kill(0); its state says it is gone.
    return !/^\d+ \([^)]*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

async function until(condition: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (condition()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return condition();
}

for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
  test(`the worker does not outlive a reproduce command killed with ${signal}`, { skip: linux ? false : 'reads /proc', timeout: 120_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nanguard-orphan-'));
    try {
      writeFileSync(join(dir, 'long.py'), LONG);
      const cli = spawn(process.execPath, ['--import', tsxLoader, main, 'reproduce', 'long.py', '--backend', 'cpu'], { cwd: dir, stdio: 'ignore' });
      // The worker is the command's child that loads TensorFlow.js.
      let worker: number | undefined;
      assert.ok(await until(() => (worker = childrenOf(cli.pid!).find(alive)) !== undefined, 30_000), 'the worker started');
      await new Promise((r) => setTimeout(r, 1500)); // training is under way
      cli.kill(signal);
      // One batch (seconds on a busy machine) may finish first; then the worker sees it is orphaned.
      assert.ok(await until(() => !alive(worker!), 45_000), `the worker ${worker} still runs after the command got ${signal}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

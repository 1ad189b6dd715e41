// A throw-away workspace for the CLI tests, and a way to run the CLI in-process against it.
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { CliIO } from '../../src/cli/io';

/** The seed's Example 1: unscaled two-feature data into a sigmoid autoencoder. */
export const SEED_EXAMPLE_1 = readFileSync(join(__dirname, '..', '..', 'examples', 'seed1_unscaled.py'), 'utf8');

/** The seed's Example 3: random data in [0, 1], relu, linear output, early stopping. */
export const SEED_EXAMPLE_3 = `import numpy as np
from tensorflow import keras
from tensorflow.keras.layers import Input, Dense
from tensorflow.keras.callbacks import EarlyStopping

X_train = np.random.rand(100, 10)
X_val = np.random.rand(20,10)

input_dim = X_train.shape[1]
encoding_dim = 5

input_layer = Input(shape=(input_dim,))
encoder = Dense(encoding_dim, activation='relu')(input_layer)
decoder = Dense(input_dim, activation='linear')(encoder)

autoencoder = keras.Model(inputs=input_layer, outputs=decoder)
autoencoder.compile(optimizer='adam', loss='mse')
early_stopping = EarlyStopping(monitor='val_loss', patience=10, restore_best_weights=True)
autoencoder.fit(X_train, X_train, epochs=500, validation_data=(X_val, X_val), callbacks=[early_stopping])
`;

export function makeWorkspace(files: Record<string, string | Uint8Array>): { root: string; cleanup(): void } {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'nanguard-cli-')));
  for (const [rel, content] of Object.entries(files)) {
    const full = join(root, rel);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, content);
  }
  return { root, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runCli(argv: string[], cwd: string, options: { isTTY?: boolean; env?: Record<string, string> } = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = {
    cwd,
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    isTTY: options.isTTY ?? false,
    env: options.env ?? {},
  };
  // Loaded on first use, so tests of the file helpers do not load the analysis core.
  const { run } = await import('../../src/cli/app.js');
  const code = await run(argv, io);
  return { code, stdout, stderr };
}

/** Text-form finding lines: `path:line:col: ID [severity] message` (or with `:cell N`). */
export const FINDING_LINE = /^(?<path>[^:\s][^:]*?)(?::cell (?<cell>\d+))?:(?<line>\d+):(?<col>\d+): (?<rule>NAN\d{3}) \[(?<severity>error|warning|info)\] (?<message>.+)$/;

export function findingLines(stdout: string): RegExpMatchArray[] {
  return stdout
    .split('\n')
    .map((l) => l.match(FINDING_LINE))
    .filter((m): m is RegExpMatchArray => m !== null);
}

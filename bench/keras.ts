/**
 * Keras bench: what a user waits for without nanguard. For the seed's three examples, the same
 * plan the reproduction trains is run as a plain Keras script (test/fidelity/keras_runner.py in
 * the Keras environment of scripts/keras-env.sh), one fresh Python process per run, and timed
 * from spawn to result. The runner also reports TensorFlow's import time and each epoch's fit
 * time. Returns medians, so the bench can print them beside the reproduction's.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeFile, NO_FILES } from '../src/core/index';
import { pickModel } from '../src/core/modelHandles';
import { toFidelityCase } from '../src/repro/fidelity';
import { buildPlan } from '../src/repro/plan';
import { kerasEnv, median, runKeras, type KerasFidelityCase } from '../test/fidelity/keras-harness';

export const KERAS_BENCH_EXAMPLES = ['examples/seed1_unscaled.py', 'examples/seed2_batchnorm.py', 'examples/seed3_early_stopping.py'];

export interface KerasBenchRow {
  file: string;
  verdict: string;
  epochs: number;
  /** Spawn of python to the parsed result, milliseconds (median over runs). */
  endToEndMs: number;
  /** Of which importing TensorFlow and Keras (median). */
  importMs: number;
  /** `model.fit` per epoch, the first epoch (tracing) excluded (median over epochs and runs). */
  fitPerEpochMs: number;
  /** The first epoch, which includes tracing the training function (median over runs). */
  firstEpochMs: number;
}

export type KerasBenchResult = { rows: KerasBenchRow[]; versions: { keras: string; tensorflow: string } } | { skipped: string };

export interface KerasBenchOptions {
  runs?: number;
  root?: string;
  files?: string[];
  log?: (line: string) => void;
}

async function fidelityCaseFor(root: string, file: string): Promise<KerasFidelityCase> {
  const analysis = await analyzeFile(file, readFileSync(join(root, file), 'utf8'), NO_FILES);
  const model = pickModel(analysis.models, undefined);
  if (typeof model === 'string') throw new Error(`${file}: ${model}`);
  const planned = buildPlan(model, { workspaceRoot: root });
  if ('refused' in planned) throw new Error(`${file}: ${planned.refused}`);
  return toFidelityCase(planned.plan, file);
}

export async function runKerasBench(options: KerasBenchOptions = {}): Promise<KerasBenchResult> {
  const root = options.root ?? join(__dirname, '..');
  const runs = options.runs ?? 3;
  const env = kerasEnv();
  if (!('python' in env)) return { skipped: env.reason };
  const rows: KerasBenchRow[] = [];
  let versions = { keras: '?', tensorflow: '?' };
  for (const file of options.files ?? KERAS_BENCH_EXAMPLES) {
    const fidelityCase = await fidelityCaseFor(root, file);
    const wall: number[] = [];
    const imports: number[] = [];
    const firstEpochs: number[] = [];
    const laterEpochs: number[] = [];
    let verdict = '?';
    let epochs = 0;
    for (let run = 0; run < runs; run++) {
      // One case per process: the user's script pays the TensorFlow import every time.
      const { results, wallSeconds } = await runKeras(env.python, [fidelityCase]);
      const result = results[0];
      if (result.error) throw new Error(`${file}: Keras failed: ${result.error}`);
      wall.push(wallSeconds * 1000);
      imports.push(result.seconds.import * 1000);
      const [first, ...later] = result.seconds.epochs;
      if (first !== undefined) firstEpochs.push(first * 1000);
      laterEpochs.push(...later.map((s) => s * 1000));
      verdict = result.verdict;
      epochs = result.epochsRun;
      versions = result.versions;
      options.log?.(`keras ${file} run ${run + 1}/${runs}: ${(wallSeconds * 1000).toFixed(0)} ms`);
    }
    rows.push({ file, verdict, epochs, endToEndMs: median(wall), importMs: median(imports), fitPerEpochMs: median(laterEpochs), firstEpochMs: median(firstEpochs) });
  }
  return { rows, versions };
}

/** A plain-text table of the Keras bench. */
export function formatKerasBench(result: KerasBenchResult): string {
  if ('skipped' in result) return `Keras script: skipped (${result.skipped})\n`;
  const lines = [`Keras script (Keras ${result.versions.keras}, TensorFlow ${result.versions.tensorflow}, CPU), medians:`];
  lines.push('file | verdict | epochs | spawn to result ms | import ms | first epoch ms | fit per epoch ms');
  for (const r of result.rows) {
    lines.push(`${r.file} | ${r.verdict} | ${r.epochs} | ${r.endToEndMs.toFixed(0)} | ${r.importMs.toFixed(0)} | ${r.firstEpochMs.toFixed(0)} | ${r.fitPerEpochMs.toFixed(2)}`);
  }
  return `${lines.join('\n')}\n`;
}

if (require.main === module) {
  const runs = Number(process.argv.find((a) => a.startsWith('--runs='))?.slice(7) ?? 3);
  runKerasBench({ runs, log: (line) => console.error(line) })
    .then((result) => process.stdout.write(formatKerasBench(result)))
    .catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
}

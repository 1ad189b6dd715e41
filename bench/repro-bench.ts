/**
 * The reproduction half of `npm run bench`: time to verdict and per-epoch cost of the tfjs
 * reproduction, side by side in one run with a plain tfjs `model.fit` and with the Keras
 * script a user would otherwise run (skipped, and said so, where Keras is not installed).
 */
import { benchReproduction } from './repro';
import { formatKerasBench, runKerasBench } from './keras';

export async function runReproBench(options: { quick: boolean }): Promise<void> {
  const runs = options.quick ? 1 : 3;
  const ours = await benchReproduction({ runs });
  const keras = await runKerasBench({ runs, log: (line) => console.error(line) });
  process.stdout.write(formatKerasBench(keras));
  if ('skipped' in keras) return;
  console.log('\nnanguard against the Keras script (medians; ratio = Keras / nanguard):');
  console.log('file | nanguard spawn->verdict ms | Keras spawn->result ms | ratio | nanguard loop/epoch ms | Keras fit/epoch ms | ratio');
  for (const row of ours) {
    const k = keras.rows.find((r) => r.file === row.file);
    if (!k) continue;
    console.log(
      `${row.file} | ${row.timeToVerdictMs.toFixed(0)} | ${k.endToEndMs.toFixed(0)} | ${(k.endToEndMs / row.timeToVerdictMs).toFixed(1)}x | ${row.loopPerEpochMs.toFixed(2)} | ${k.fitPerEpochMs.toFixed(2)} | ${(k.fitPerEpochMs / row.loopPerEpochMs).toFixed(1)}x`,
    );
  }
}

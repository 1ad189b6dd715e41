/**
 * Kernel census of one reproduction: how many TensorFlow.js kernels each part of the loop
 * runs, per epoch, for the seed's examples (per-kernel overhead dominates these models).
 * `node --import tsx bench/repro-kernels.ts [--backend=wasm] [--stacks=Identity]`
 */
import { runReproduction } from '../src/repro/engine/train';
import { tf } from '../src/repro/engine/tf';
import type { BackendChoice } from '../src/repro/protocol';
import { planFor, SEED_EXAMPLES } from './repro';

async function main(): Promise<void> {
  const backend = (process.argv.find((a) => a.startsWith('--backend='))?.slice(10) ?? 'wasm') as BackendChoice;
  const stacksOf = process.argv.find((a) => a.startsWith('--stacks='))?.slice(9);
  const root = `${__dirname}/..`;
  for (const file of SEED_EXAMPLES) {
    const plan = await planFor(root, file);
    // Warm up (loads the backend), then count.
    await runReproduction({ ...plan, fit: { ...plan.fit, epochs: 2, earlyStopping: null } }, backend, { emit: () => undefined, cancelled: () => false }, performance.now());
    const engine = tf.engine() as unknown as { runKernel: (...args: unknown[]) => unknown };
    const original = engine.runKernel.bind(engine);
    const counts = new Map<string, number>();
    const stacks = new Map<string, number>();
    engine.runKernel = (name: unknown, ...rest: unknown[]) => {
      counts.set(String(name), (counts.get(String(name)) ?? 0) + 1);
      if (stacksOf && name === stacksOf) {
        const s = (new Error().stack ?? '').split('\n').slice(2, 9).map((l) => l.trim().replace(/\(.*node_modules\//, '(')).join(' < ');
        stacks.set(s, (stacks.get(s) ?? 0) + 1);
      }
      return original(name, ...rest);
    };
    const epochs = 20;
    const summary = await runReproduction({ ...plan, fit: { ...plan.fit, epochs, earlyStopping: null } }, backend, { emit: () => undefined, cancelled: () => false }, performance.now());
    engine.runKernel = original;
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    console.log(`${file} (${summary.backend}): ${(total / epochs).toFixed(0)} kernels/epoch, ${summary.timings.perEpochMs} ms/epoch`);
    console.log('  ' + [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${(v / epochs).toFixed(0)}`).join(', '));
    for (const [s, c] of [...stacks.entries()].sort((a, b) => b[1] - a[1]).slice(0, 12)) console.log(`   ${(c / epochs).toFixed(1)}  ${s}`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

// Records what the loss-curve panel receives for real reproductions of the example files:
// the analysis, the plan and the worker exactly as the extension runs them, translated by the
// extension's own translation (src/extension/reproduce/runEvents.ts). The browser tests of the
// panel replay these files. Per-batch progress is left out (its timing varies from run to run).
// Usage: node scripts/build.mjs && node --import tsx scripts/record-panel-events.ts [NAME...]
// (names: only those recordings, e.g. seeds-run).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_SETTINGS, NO_FILES, checkFile } from '../src/core/index';
import { pickModel } from '../src/core/modelHandles';
import { applyPlanFix, planFixes } from '../src/repro/fixPlan';
import { buildPlan } from '../src/repro/plan';
import { startReproduction } from '../src/repro/runner';
import { RunTranslator, findingBearings, runInfo } from '../src/extension/reproduce/runEvents';
import type { ExtensionToPanel } from '../src/shared/panelProtocol';

const root = join(__dirname, '..');
const worker = join(root, 'dist', 'worker.js');

interface Recording {
  name: string;
  file: string;
  seed: number;
  /** Also record the run with the suggested fix, as the second run of the same panel. */
  withFix: boolean;
  /** Seeds trained one after the other (the panel's band); default one. */
  seeds?: number;
  /** Default wasm. */
  backend?: 'wasm' | 'cpu';
}

const RECORDINGS: Recording[] = [
  // Seed 2, as the VS Code end-to-end test sets it (the example goes NaN at epoch 0, batch 2 on every seed, in Keras too).
  { name: 'nan-run', file: 'examples/nan_sgd_linear.py', seed: 2, withFix: true },
  { name: 'seed1-run', file: 'examples/seed1_unscaled.py', seed: 0, withFix: true },
  // An unscaled SGD autoencoder with relu layers over 8 seeds: NaN in some, exploded in others (a coin flip, in Keras too).
  { name: 'seeds-run', file: 'test/fixtures/repro/sgd_relu_coinflip.py', seed: 0, withFix: true, seeds: 8, backend: 'cpu' },
];

/** The original run's messages, and the fix's run (to feed after them: the panel overlays it). */
async function record(r: Recording): Promise<{ original: ExtensionToPanel[]; fixed: ExtensionToPanel[] }> {
  const text = readFileSync(join(root, r.file), 'utf8');
  const checked = await checkFile(r.file, text, NO_FILES, DEFAULT_SETTINGS);
  const model = pickModel(checked.analysis.models, undefined);
  if (typeof model === 'string') throw new Error(`${r.file}: ${model}`);
  const planned = buildPlan(model, { seed: r.seed, shorten: true, workspaceRoot: root });
  if ('refused' in planned) throw new Error(`${r.file}: ${planned.refused}`);
  const findings = checked.findings.filter((f) => f.model === undefined || f.model === model.name);
  const fixes = planFixes(findings.map((f) => ({ rule: f.rule, cause: f.cause, severity: f.severity, fixTitle: f.fixes[0]?.title })));
  const run = async (runId: string, label: string, plan: typeof planned.plan, offerFix: boolean): Promise<ExtensionToPanel[]> => {
    const messages: ExtensionToPanel[] = [];
    const translator = new RunTranslator(runId, performance.now());
    // A fix's run lists no findings: they are the original's.
    messages.push({ type: 'runStarted', info: runInfo({ runId, label, plan, file: r.file, findings: offerFix ? findings : [], suggestedFix: offerFix ? fixes[0] : undefined, seeds: r.seeds }) });
    const summary = await startReproduction(plan, {
      workerPath: worker,
      backend: r.backend ?? 'wasm',
      ...(r.seeds && r.seeds > 1 ? { seeds: { mode: 'count' as const, count: r.seeds } } : {}),
      onEvent: (e) => {
        for (const m of translator.translate(e)) if (m.type !== 'batch') messages.push(m);
      },
    }).done;
    const bearings = findingBearings(findings, summary);
    process.stdout.write(`${r.file} ${label}: ${summary.verdict} after ${summary.epochsRun} epochs, first point ${translator.firstPointMs} ms after the start; bearings: ${bearings.filter(Boolean).join(' | ')}\n`);
    return messages;
  };

  const original = await run('r1', 'original', planned.plan, true);
  if (!r.withFix || !fixes[0]) return { original, fixed: [] };
  const fixedPlan = applyPlanFix(planned.plan, fixes[0]);
  if ('problem' in fixedPlan) throw new Error(`${r.file}: ${fixedPlan.problem}`);
  return { original, fixed: await run('r2', fixes[0].title, fixedPlan.plan, false) };
}

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  for (const r of RECORDINGS.filter((x) => only.length === 0 || only.includes(x.name))) {
    const { original, fixed } = await record(r);
    for (const [name, messages] of [[r.name, original], [`${r.name}-fixed`, fixed]] as const) {
      if (messages.length === 0) continue;
      const out = join(root, 'test', 'webview', 'fixtures', `${name}.json`);
      writeFileSync(out, `${JSON.stringify(messages, null, 1)}\n`);
      process.stdout.write(`wrote ${out.slice(root.length + 1)} (${messages.length} messages)\n`);
    }
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});

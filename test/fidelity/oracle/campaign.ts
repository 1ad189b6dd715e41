/**
 * The oracle's big run (`node scripts/oracle.mjs --runs 2000 --seed S`): every generated program
 * through numpy and through nanguard, then the counts (programs, arrays compared, contradictions
 * by kind and by the idiom where they first appear, how often nanguard said "unknown" per idiom),
 * and for each kind of contradiction one program shrunk by fast-check to a minimal one.
 *
 *   --runs N      programs (default 2000)
 *   --seed S      fast-check seed (default 1)
 *   --shrink K    shrink and print up to K distinct contradictions (default 8; 0 for none)
 *   --json FILE   also write the counts as JSON
 */
import { writeFileSync } from 'node:fs';
import fc from 'fast-check';
import { kerasEnv } from '../keras-harness';
import { checkProgram, describeFailure, PythonOracle, type ProgramVerdict } from './oracle';
import { programArb, type Program } from './programs';

interface IdiomCount {
  arrays: number;
  statsUnknown: number;
  shapeUnknown: number;
  /** Arrays whose input had statistics and whose output has none: the idiom lost them. */
  lost: number;
  knownInput: number;
  contradicted: number;
}

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] !== undefined ? Number(process.argv[i + 1]) : fallback;
}

function jsonPath(): string | undefined {
  const i = process.argv.indexOf('--json');
  return i > 0 ? process.argv[i + 1] : undefined;
}

/** The first contradiction's kind and the idiom of the chunk it appears at: one "category". */
function category(program: Program, verdict: ProgramVerdict): string | undefined {
  const first = verdict.contradictions[0];
  if (!first) return undefined;
  const chunk = /after chunk (\d+)/.exec(first.where);
  const idiom = chunk ? program.chunks[Number(chunk[1])]?.idiom : 'validation';
  return `${first.kind} @ ${idiom ?? '?'}`;
}

async function main(): Promise<void> {
  const runs = option('runs', 2000);
  const seed = option('seed', 1);
  const shrinkCount = option('shrink', 8);
  // An exception inside the evaluator counts as a contradiction, not a silent "unknown".
  process.env.NANGUARD_STRICT_EVALUATOR = '1';
  const env = kerasEnv();
  if (!('python' in env)) throw new Error(env.reason);
  const oracle = new PythonOracle(env.python);
  const started = Date.now();
  const programs = fc.sample(programArb, { seed, numRuns: runs });
  const idioms = new Map<string, IdiomCount>();
  const kinds = new Map<string, number>();
  const categories = new Map<string, { index: number; count: number }>();
  let arrays = 0;
  let contradicted = 0;
  let contradictions = 0;
  let pythonErrors = 0;
  let noModel = 0;
  const errorSamples: string[] = [];
  for (let index = 0; index < programs.length; index++) {
    const program = programs[index];
    const verdict = await checkProgram(oracle, program);
    if (verdict.pythonError) {
      pythonErrors++;
      if (errorSamples.length < 3) errorSamples.push(`${verdict.pythonError}\n${program.chunks.map((c) => c.code).join('')}`);
      continue;
    }
    if (verdict.noModel.length > 0) noModel++;
    arrays += verdict.arrays.length + (verdict.validation ? 1 : 0);
    for (const { idiom, comparison, before } of verdict.arrays) {
      if (!idiom) continue;
      const count = idioms.get(idiom) ?? { arrays: 0, statsUnknown: 0, shapeUnknown: 0, lost: 0, knownInput: 0, contradicted: 0 };
      count.arrays++;
      if (!comparison.statsKnown) count.statsUnknown++;
      if (!comparison.shapeComplete) count.shapeUnknown++;
      if (before?.statsKnown) {
        count.knownInput++;
        if (!comparison.statsKnown) count.lost++;
      }
      if (comparison.contradictions.length > 0) count.contradicted++;
      idioms.set(idiom, count);
    }
    if (verdict.contradictions.length > 0) {
      contradicted++;
      contradictions += verdict.contradictions.length;
      for (const c of verdict.contradictions) kinds.set(c.kind, (kinds.get(c.kind) ?? 0) + 1);
      const cat = category(program, verdict)!;
      const seen = categories.get(cat);
      if (seen) seen.count++;
      else categories.set(cat, { index, count: 1 });
    }
  }
  const seconds = (Date.now() - started) / 1000;
  const pct = (a: number, b: number): string => (b === 0 ? '-' : `${((100 * a) / b).toFixed(1)}%`);
  console.log(`oracle: seed ${seed}, ${runs} programs in ${seconds.toFixed(0)} s (${pythonErrors} raised in Python and were skipped)`);
  console.log(`  arrays compared: ${arrays}`);
  console.log(`  programs with a contradiction: ${contradicted}; contradictions: ${contradictions}`);
  console.log(`  programs where a prefix had no model with fit: ${noModel}`);
  for (const [k, n] of [...kinds].sort((a, b) => b[1] - a[1])) console.log(`    ${k.padEnd(14)} ${n}`);
  console.log('  first contradiction of a program, by kind @ idiom (programs):');
  for (const [c, { count }] of [...categories].sort((a, b) => b[1].count - a[1].count)) console.log(`    ${String(count).padStart(5)}  ${c}`);
  console.log('  per idiom: arrays, statistics unknown, lost here (of those with known input), shape not complete, contradicted');
  const rows = [...idioms].sort((a, b) => a[0].localeCompare(b[0]));
  for (const [idiom, c] of rows) {
    console.log(`    ${idiom.padEnd(30)} ${String(c.arrays).padStart(5)}  stats unknown ${pct(c.statsUnknown, c.arrays).padStart(6)}  lost ${pct(c.lost, c.knownInput).padStart(6)}  shape ${pct(c.shapeUnknown, c.arrays).padStart(6)}  contradicted ${pct(c.contradicted, c.arrays).padStart(6)}`);
  }
  for (const e of errorSamples) console.log(`\n  raised in Python:\n${e}`);

  // One shrunk program per category, by replaying its run and letting fast-check shrink it.
  const shrunk: string[] = [];
  for (const [cat, { index }] of [...categories].sort((a, b) => b[1].count - a[1].count).slice(0, shrinkCount)) {
    let minimal: { program: Program; verdict: ProgramVerdict } | undefined;
    await fc.check(
      fc.asyncProperty(programArb, async (program) => {
        const verdict = await checkProgram(oracle, program);
        if (verdict.pythonError || category(program, verdict) !== cat) return true;
        minimal = { program, verdict };
        return false;
      }),
      { seed, path: String(index), numRuns: runs, endOnFailure: false },
    );
    if (minimal) shrunk.push(`### ${cat}\n${describeFailure(minimal.program, minimal.verdict)}`);
  }
  for (const s of shrunk) console.log(`\n${s}`);
  oracle.close();
  const out = jsonPath();
  if (out) {
    writeFileSync(
      out,
      JSON.stringify(
        { seed, runs, seconds, pythonErrors, arrays, contradicted, contradictions, kinds: Object.fromEntries(kinds), categories: Object.fromEntries([...categories].map(([k, v]) => [k, v.count])), idioms: Object.fromEntries(idioms) },
        null,
        2,
      ),
    );
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});

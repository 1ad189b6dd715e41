// The differential oracle: generated data-preparation programs (the idioms of test/fidelity/oracle/
// programs.ts) run in real numpy, pandas and scikit-learn, and analysed by nanguard without
// running them. nanguard may say "unknown", never something numpy contradicts: a shape, a
// statistic (exact ones within float tolerance, bounds containing numpy's range), a NaN count.
// Every array each program builds is compared (the program cut after each step), and the
// validation array of the full program. A contradiction fails with the program, shrunk by
// fast-check to a minimal one. One Python process serves all programs.
//
//   NANGUARD_ORACLE_RUNS (default 2000), NANGUARD_ORACLE_SEED (default fixed) replay a run;
//   `node scripts/oracle.mjs --runs N --seed S` runs a campaign with the counts per idiom.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { kerasEnv } from './keras-harness';
import { checkProgram, describeFailure, PythonOracle } from './oracle/oracle';
import { programArb } from './oracle/programs';

const RUNS = Number(process.env.NANGUARD_ORACLE_RUNS ?? 2000);
const SEED = Number(process.env.NANGUARD_ORACLE_SEED ?? 20_260_412);
const env = kerasEnv();
const skip = 'python' in env ? false : env.reason;

describe('the differential oracle: nanguard against numpy, pandas and scikit-learn', { skip }, () => {
  let oracle: PythonOracle;
  before(() => {
    // An exception inside the evaluator is a failure here, not a silent "unknown".
    process.env.NANGUARD_STRICT_EVALUATOR = '1';
    if ('python' in env) oracle = new PythonOracle(env.python);
  });
  after(() => oracle?.close());

  it(`${RUNS} generated programs: no shape, statistic or NaN count that numpy contradicts`, { timeout: 600_000 }, async () => {
    let programs = 0;
    let arrays = 0;
    let raised = 0;
    try {
      await fc.assert(
        fc.asyncProperty(programArb, async (program) => {
          const verdict = await checkProgram(oracle, program);
          if (verdict.pythonError) {
            raised++;
            return;
          }
          programs++;
          arrays += verdict.arrays.length + (verdict.validation ? 1 : 0);
          if (verdict.contradictions.length > 0) throw new Error(describeFailure(program, verdict));
        }),
        { seed: SEED, numRuns: RUNS },
      );
    } catch (error) {
      // fast-check's message names the shrunk program; the contradictions are in its cause.
      const cause = error instanceof Error && error.cause instanceof Error ? `\n${error.cause.message}` : '';
      const replay = `replay: NANGUARD_ORACLE_SEED=${SEED} NANGUARD_ORACLE_RUNS=${RUNS} node --import tsx --test test/fidelity/oracle.test.ts`;
      throw new Error(`${replay}\n${error instanceof Error ? error.message : String(error)}${cause}`);
    }
    // The generator makes programs numpy runs: one that raises is a generator bug.
    assert.equal(raised, 0, `${raised} generated programs raised in Python`);
    assert.ok(arrays >= 3 * programs, `${arrays} arrays compared over ${programs} programs`);
  });
});

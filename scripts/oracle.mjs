// The differential oracle's big run: generated data-preparation programs through real numpy,
// pandas and scikit-learn and through nanguard's analysis, with the counts (programs, arrays
// compared, contradictions, how often nanguard said "unknown" per idiom) and each kind of
// contradiction shrunk to a minimal program. CI runs a smaller fixed-seed share of it
// (test/fidelity/oracle.test.ts).
//
//   node scripts/oracle.mjs --runs 2000 --seed 1 [--shrink 8] [--json out.json]
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const result = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'test', 'fidelity', 'oracle', 'campaign.ts'), ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
process.exit(result.status ?? 1);

/**
 * Lists the Keras models the analysis finds in each file, as JSON lines
 * `{"file", "models": [{name, kind, layers, compiled, fitted, definitionProblem}]}`, for the
 * corpus measurements ("model found" counted from the analysis itself, not from findings).
 *
 *   node --import tsx scripts/list-models.ts FILE...
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { createFileSystemHost } from '../src/cli/fs-host';
import { analyzeFile } from '../src/core/index';

async function listModels(file: string) {
  const host = createFileSystemHost({ cwd: process.cwd(), workspaceRoot: resolve(dirname(file)) });
  const analysis = await analyzeFile(file, readFileSync(file, 'utf8'), host);
  return analysis.models.map((m) => ({
    name: m.name,
    kind: m.kind,
    layers: m.layers.length,
    compiled: m.compile !== undefined,
    fitted: m.fit !== undefined,
    definitionProblem: m.definitionProblem ?? null,
  }));
}

async function main(): Promise<void> {
  for (const file of process.argv.slice(2)) {
    // null: the analysis itself failed on the file
    const models = await listModels(file).catch(() => null);
    process.stdout.write(`${JSON.stringify({ file, models })}\n`);
  }
}

void main();

// The Keras engine's program output for the log: a pipe may cut a line anywhere, and an
// unbuffered print writes its words one by one, so the log must get whole lines, not pieces.
// A small stand-in bootstrap writes through the engine's real pipes; no Keras is needed.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { startKerasReproduction } from '../../src/repro/keras/engine';

const python = ['python3', 'python'].find((p) => spawnSync(p, ['--version']).status === 0);

describe('the Keras engine\'s output lines', { skip: python ? false : 'no Python on this machine' }, () => {
  it('joins the pieces of a line, drops blank lines and strips a Windows line ending', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ng-lines-'));
    try {
      const bootstrap = join(dir, 'bootstrap.py');
      writeFileSync(
        bootstrap,
        [
          'import sys, time',
          // The words of print("loaded", x.shape) under -u, with a pause so they arrive as separate chunks.
          'for piece in ["loaded", " ", "(600, 6)", "\\n"]:',
          '    sys.stdout.write(piece); sys.stdout.flush(); time.sleep(0.05)',
          'sys.stdout.write("\\n\\nwindows line\\r\\n")',
          'sys.stderr.write("a warning\\nno newline at the end")',
        ].join('\n'),
      );
      const lines: string[] = [];
      const chunks: string[] = [];
      const run = startKerasReproduction(
        { file: join(dir, 'model.py'), mode: 'observe', seed: 1, caps: { maxEpochs: 1, maxStepsPerEpoch: null, maxSeconds: 30 }, datasetBatches: 1 },
        { python: python!, bootstrapPath: bootstrap, onOutput: (_s, c) => chunks.push(c), onOutputLine: (s, l) => lines.push(`${s}: ${l}`) },
      );
      await run.done.catch(() => undefined); // The stand-in sends no events: the run ends as a failure.
      assert.ok(chunks.filter((c) => c.includes('loaded') || c.includes('(600, 6)')).length >= 2, `the pipe delivered the line in pieces: ${JSON.stringify(chunks)}`);
      assert.deepEqual(
        lines.filter((l) => l.startsWith('stdout')),
        ['stdout: loaded (600, 6)', 'stdout: windows line'],
      );
      assert.deepEqual(
        lines.filter((l) => l.startsWith('stderr')),
        ['stderr: a warning', 'stderr: no newline at the end'],
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

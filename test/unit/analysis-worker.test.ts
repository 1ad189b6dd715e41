// The analysis worker: same findings as in-thread analysis, the editor's thread stays responsive
// while a 10 MB Python file is analysed, and a crashed worker is reported and replaced.
// The worker runs as the real bundle (built here with esbuild, as scripts/build.mjs builds it).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { after, before, describe, it } from 'node:test';
import { generateScript } from '../../bench/corpus';
import { createFileSystemHost } from '../../src/cli/fs-host';
import { checkFile, DEFAULT_SETTINGS, type AnalysisHost, type CheckResult } from '../../src/core/index';
import { createAnalysisClient } from '../../src/analysis-worker/client';
import { buildAnalysisWorker, type AnalysisWorkerBundle } from './support/analysisWorkerBundle';

const ROOT = resolve(__dirname, '..', '..');
const MAX_STALL_MS = 50;
let workerPath = '';
const host = createFileSystemHost({ cwd: ROOT, workspaceRoot: ROOT });
let bundle: AnalysisWorkerBundle | undefined;

before(async () => {
  bundle = await buildAnalysisWorker('nanguard-analysis-worker-');
  workerPath = bundle.path;
});
after(() => bundle?.remove());

function summary(result: CheckResult): string[] {
  return result.findings.map((f) => `${f.rule} ${f.path}:${f.range.start.line}:${f.range.start.character}-${f.range.end.line}:${f.range.end.character} ${f.message}`);
}

interface Probe<T> {
  value: T;
  /** Longest event-loop delay seen by monitorEventLoopDelay (wall clock: includes time the OS gave the CPU to others). */
  maxStallMs: number;
  /** Longest time the event loop was busy running code between two 5 ms ticks (event-loop utilization): the synchronous stretch. */
  maxBusyMs: number;
}

/** Runs `work` while sampling the event loop; returns its result, the longest stall and the longest busy stretch. */
async function withStallProbe<T>(work: () => Promise<T>): Promise<Probe<T>> {
  const histogram = monitorEventLoopDelay({ resolution: 5 });
  histogram.enable();
  // On a loaded machine a tick can be late because the process was not scheduled; the busy time
  // between ticks counts only time spent running code on this thread.
  let previous = performance.eventLoopUtilization();
  let maxBusyMs = 0;
  const sample = (): void => {
    const now = performance.eventLoopUtilization();
    maxBusyMs = Math.max(maxBusyMs, performance.eventLoopUtilization(now, previous).active);
    previous = now;
  };
  const timer = setInterval(sample, 5);
  try {
    const value = await work();
    // A stall shows when the thread is next free: let the probes fire once more before reading them.
    await new Promise((r) => setTimeout(r, 20));
    sample();
    return { value, maxStallMs: histogram.max / 1e6, maxBusyMs };
  } finally {
    clearInterval(timer);
    histogram.disable();
  }
}

/** Generated model scripts up to `chars`, joined once: an editor hands over a flat string, not a rope of appends. */
function generatedPython(chars: number): string {
  const parts: string[] = [];
  for (let seed = 1, length = 0; length < chars; seed++) {
    const script = `${generateScript(seed, 200)}\n`;
    parts.push(script);
    length += script.length;
  }
  return parts.join('');
}

/**
 * A 10 MB module: 40 model scripts, then generated helper functions. (10 MB of model scripts
 * alone takes minutes to lint in either thread; the stall measured here is the same.)
 */
function largeModule(chars: number): string {
  const parts = [generatedPython(1)];
  for (let seed = 2; seed <= 40; seed++) parts.push(`${generateScript(seed, 200)}\n`);
  for (let i = 0, length = parts.join('').length; length < chars; i++) {
    const helper = `def helper_${i}(x, scale=${(i % 7) + 1}.5):\n    """Generated helper ${i}."""\n    return (x * scale + ${i}) / 3\n\n`;
    parts.push(helper);
    length += helper.length;
  }
  return parts.join('');
}

describe('analysis worker', () => {
  it('gives the same findings as in-thread analysis, with config reads forwarded to the host', async () => {
    const reads: string[] = [];
    const recording: AnalysisHost = {
      readText: async (rel, from) => {
        reads.push(rel);
        return host.readText(rel, from);
      },
      readBytes: (rel, from, range) => host.readBytes!(rel, from, range),
    };
    const client = createAnalysisClient(workerPath, recording);
    try {
      for (const file of ['examples/seed1_unscaled.py', 'examples/train_with_config.py']) {
        const text = readFileSync(join(ROOT, file), 'utf8');
        const inThread = await checkFile(file, text, host, DEFAULT_SETTINGS);
        const inWorker = await client.check(file, text, DEFAULT_SETTINGS);
        assert.ok(inThread.findings.length > 0, `${file}: the in-thread analysis finds something`);
        assert.deepEqual(summary(inWorker), summary(inThread), file);
        assert.deepEqual(inWorker.findings, inThread.findings, file);
      }
      assert.ok(reads.includes('config.json'), `config.json read through the host (reads: ${reads.join(', ')})`);
    } finally {
      client.dispose();
    }
  });

  it(`keeps the thread responsive while a 10 MB Python file is analysed (longest stall under ${MAX_STALL_MS} ms)`, async () => {
    const text = largeModule(10 * 1024 * 1024);
    const path = 'big.py';
    const client = createAnalysisClient(workerPath, host);
    try {
      await client.ready();
      // Warm the worker's parser so the measure is of the analysis, as in a running editor.
      await client.check('warm.py', 'x = 1\n', DEFAULT_SETTINGS);
      // The busy time is wall time on this thread: on a loaded 2-core machine the OS can preempt a
      // short task and stretch it. A real synchronous stretch shows in every attempt; preemption
      // rarely twice. So the best of up to three attempts is what is asserted (all are printed).
      const attempts: Probe<CheckResult>[] = [];
      do attempts.push(await withStallProbe(() => client.check(path, text, DEFAULT_SETTINGS)));
      while (attempts.length < 3 && attempts[attempts.length - 1].maxBusyMs >= MAX_STALL_MS);
      const inWorker = attempts.reduce((best, a) => (a.maxBusyMs < best.maxBusyMs ? a : best));
      await checkFile('warm.py', 'x = 1\n', host, DEFAULT_SETTINGS);
      const inThread = await withStallProbe(() => checkFile(path, text, host, DEFAULT_SETTINGS));
      console.log(
        `10 MB Python file (${text.length} chars): worker client: longest busy stretch ${inWorker.maxBusyMs.toFixed(1)} ms (attempts: ${attempts.map((a) => a.maxBusyMs.toFixed(1)).join(', ')}), longest event-loop delay ${inWorker.maxStallMs.toFixed(1)} ms, ` +
          `${inWorker.value.findings.length} findings; in-thread checkFile: longest busy stretch ${inThread.maxBusyMs.toFixed(1)} ms, longest event-loop delay ${inThread.maxStallMs.toFixed(1)} ms, ` +
          `${inThread.value.findings.length} findings`,
      );
      assert.ok(inWorker.value.findings.length > 0, 'the worker analysed the file');
      assert.ok(inThread.maxBusyMs > MAX_STALL_MS, `the probe sees the in-thread stretch (${inThread.maxBusyMs.toFixed(1)} ms)`);
      assert.ok(inWorker.maxBusyMs < MAX_STALL_MS, `longest busy stretch with the worker ${inWorker.maxBusyMs.toFixed(1)} ms`);
    } finally {
      client.dispose();
    }
  });

  it('rejects the request in flight when the worker dies, and the next request works', async () => {
    const client = createAnalysisClient(workerPath, host);
    try {
      await client.ready();
      const text = generatedPython(1024 * 1024);
      const inFlight = client.check('crash.py', text, DEFAULT_SETTINGS);
      client.crashForTest();
      await assert.rejects(inFlight, /analysis worker stopped \(exit code 70\) while analysing crash\.py/);
      const file = 'examples/seed1_unscaled.py';
      const src = readFileSync(join(ROOT, file), 'utf8');
      const next = await client.check(file, src, DEFAULT_SETTINGS);
      assert.deepEqual(summary(next), summary(await checkFile(file, src, host, DEFAULT_SETTINGS)));
    } finally {
      client.dispose();
    }
  });

  it('reports a worker that cannot start', async () => {
    const client = createAnalysisClient(join(dirname(workerPath), 'missing.js'), host);
    try {
      await assert.rejects(client.ready(), /analysis worker could not start/);
      await assert.rejects(client.check('a.py', 'x = 1\n', DEFAULT_SETTINGS), /could not start/);
    } finally {
      client.dispose();
    }
  });
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isDataFile, PathFrame, resolveInside } from '../../src/extension/logic/paths';
import { notebookJson } from '../../src/extension/logic/notebook';
import { LintScheduler, type LintTicket } from '../../src/extension/logic/scheduler';

test('paths named by code resolve beside the file and never outside the workspace', () => {
  const roots = ['/ws/project'];
  assert.equal(resolveInside('config.json', '/ws/project/train/model.py', roots), '/ws/project/train/config.json');
  assert.equal(resolveInside('../data/x.csv', '/ws/project/train/model.py', roots), '/ws/project/data/x.csv');
  assert.equal(resolveInside('../../secret.json', '/ws/project/train/model.py', roots), undefined);
  assert.equal(resolveInside('/etc/passwd', '/ws/project/model.py', roots), undefined);
  assert.equal(resolveInside('/ws/project-other/a.json', '/ws/project/model.py', roots), undefined);
  assert.equal(resolveInside('/ws/project/a.json', '/ws/project/model.py', roots), '/ws/project/a.json');
  assert.equal(resolveInside('', '/ws/project/model.py', roots), undefined);
  // With no folder open, only the file's own folder (and below) is readable.
  assert.equal(resolveInside('cfg/a.json', '/loose/model.py', []), '/loose/cfg/a.json');
  assert.equal(resolveInside('../a.json', '/loose/model.py', []), undefined);
});

test('data files are told apart from configs and code', () => {
  for (const p of ['/w/x.csv', '/w/x.npy', '/w/x.npz', '/w/data.txt', '/w/x.parquet', '/w/noext']) assert.equal(isDataFile(p), true, p);
  for (const p of ['/w/config.json', '/w/model.py', '/w/nb.ipynb', '/w/params.YAML']) assert.equal(isDataFile(p), false, p);
});

test('a notebook keeps every cell in order so that cell indices match the editor', () => {
  const text = notebookJson([
    { kind: 'markup', language: 'markdown', text: '# Title' },
    { kind: 'code', language: 'python', text: 'import numpy as np\nX = np.ones((3, 2))\n' },
    { kind: 'code', language: 'shellscript', text: 'ls' },
    { kind: 'code', language: 'python', text: '' },
  ]);
  const nb = JSON.parse(text);
  assert.equal(nb.nbformat, 4);
  assert.deepEqual(
    nb.cells.map((c: { cell_type: string }) => c.cell_type),
    ['markdown', 'code', 'raw', 'code'],
  );
  assert.deepEqual(nb.cells[1].source, ['import numpy as np\n', 'X = np.ones((3, 2))\n']);
  assert.equal(nb.cells[1].source.join(''), 'import numpy as np\nX = np.ones((3, 2))\n');
  assert.deepEqual(nb.cells[3].source, []);
  assert.deepEqual(nb.cells[1].outputs, []);
});

function recordingScheduler() {
  const runs: { key: string; ticket: LintTicket }[] = [];
  let clock = 0;
  const scheduler = new LintScheduler<string>(
    async (key, ticket) => {
      runs.push({ key, ticket });
    },
    () => clock,
  );
  return { scheduler, runs, tick: (ms: number) => (clock += ms) };
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('a burst of keystrokes lints once, after the quiet period, with the last request', async () => {
  const { scheduler, runs, tick } = recordingScheduler();
  scheduler.schedule('a', 20);
  tick(5);
  scheduler.schedule('a', 20);
  tick(5);
  scheduler.schedule('a', 20);
  scheduler.schedule('b', 20);
  await wait(60);
  assert.deepEqual(
    runs.map((r) => r.key).sort(),
    ['a', 'b'],
  );
  const a = runs.find((r) => r.key === 'a')!;
  assert.equal(a.ticket.requestedAt, 10);
  assert.ok(scheduler.isCurrent('a', a.ticket));
  scheduler.dispose();
});

test('a result for an older request is stale; closing a document drops pending work', async () => {
  const { scheduler, runs } = recordingScheduler();
  await scheduler.runNow('a');
  const first = runs[0].ticket;
  scheduler.schedule('a', 10);
  assert.equal(scheduler.isCurrent('a', first), false);
  scheduler.cancel('a');
  await wait(30);
  assert.equal(runs.length, 1, 'the cancelled request never ran');
  await scheduler.runNow('a');
  assert.equal(runs.length, 2);
  assert.ok(scheduler.isCurrent('a', runs[1].ticket));
  scheduler.dispose();
});

test('a zero delay runs at once', () => {
  const { scheduler, runs } = recordingScheduler();
  scheduler.schedule('a', 0);
  assert.equal(runs.length, 1);
  scheduler.dispose();
});

test('the core sees workspace-relative paths, and they map back to the same files', () => {
  const frame = new PathFrame('/ws/project');
  assert.equal(frame.toCore('/ws/project/train/model.py'), 'train/model.py');
  assert.equal(frame.toAbsolute('train/config.json'), '/ws/project/train/config.json');
  assert.equal(frame.toCore('/elsewhere/x.py'), '/elsewhere/x.py');
  assert.equal(frame.toAbsolute('/elsewhere/x.py'), '/elsewhere/x.py');
  // A relative path read beside a relative analysed file resolves inside the folder.
  assert.equal(resolveInside('config.json', frame.toAbsolute('train/model.py'), ['/ws/project']), '/ws/project/train/config.json');
  const loose = new PathFrame(undefined);
  assert.equal(loose.toCore('/loose/model.py'), '/loose/model.py');
});

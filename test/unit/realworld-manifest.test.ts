// test/realworld/manifest.json is what the corpora are measured against: its fresh parts (fresh,
// fresh2, fresh3, fresh4, fresh5, fresh6, fresh7, fresh8, fresh9, fresh10, fresh11, fresh12 and fresh13) must hold what they say (sources no other part uses, pinned programs, complete reports)
// and every entry's expected causes must be tags the analysis knows. Only the manifest and the
// fresh folders are read; the held-out folders are not opened.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { isCause } from '../../src/core/causes';

const REALWORLD = join(__dirname, '..', 'realworld');

interface KerasRun {
  outcome: string;
}

interface Entry {
  name: string;
  kind: 'program' | 'report';
  part: string;
  path: string;
  source: string;
  license?: string;
  sha256?: string;
  fixedPath?: string;
  expectedCauses?: string[];
  dataFiles?: string[];
  note?: string;
  keras: KerasRun;
  kerasFixed?: KerasRun;
  reproducedInKeras?: boolean;
  fixTrainsInKeras?: boolean;
}

interface Manifest {
  split: { programs: Record<string, string[]>; reports: Record<string, string[]>; fresh: string; fresh2: string; fresh3: string; fresh4: string; fresh5: string; fresh6: string; fresh7: string; fresh8: string; fresh9: string; fresh10: string; fresh11: string; fresh12: string; fresh13: string };
  entries: Entry[];
}

const manifest = JSON.parse(readFileSync(join(REALWORLD, 'manifest.json'), 'utf8')) as Manifest;
/** The parts gathered from sources no other part uses, each measured once. */
const FRESH_PARTS = ['fresh', 'fresh2', 'fresh3', 'fresh4', 'fresh5', 'fresh6', 'fresh7', 'fresh8', 'fresh9', 'fresh10', 'fresh11', 'fresh12', 'fresh13'] as const;

/** The repository of a GitHub address (owner/name), or the address itself for any other site. */
function origin(url: string): string {
  const github = /^https:\/\/github\.com\/([^/]+\/[^/]+)/.exec(url);
  return github ? github[1].toLowerCase() : url.toLowerCase();
}

test('every entry has a known part, a unique name and expected causes the analysis knows', () => {
  const names = new Set<string>();
  for (const entry of manifest.entries) {
    assert.ok(['tune', 'heldout', 'fresh', 'fresh2', 'fresh3', 'fresh4', 'fresh5', 'fresh6', 'fresh7', 'fresh8', 'fresh9', 'fresh10', 'fresh11', 'fresh12', 'fresh13'].includes(entry.part), `${entry.name}: part ${entry.part}`);
    assert.ok(!names.has(entry.name), `${entry.name} twice`);
    names.add(entry.name);
    for (const cause of entry.expectedCauses ?? []) assert.ok(isCause(cause), `${entry.name}: unknown cause ${cause}`);
  }
});

for (const part of FRESH_PARTS) {
  const fresh = manifest.entries.filter((e) => e.part === part);
  const earlier = manifest.entries.filter((e) => e.part !== part);

  test(`the ${part} part takes its programs from repositories, and its reports from threads, no other part uses`, () => {
    assert.ok(fresh.some((e) => e.kind === 'program') && fresh.some((e) => e.kind === 'report'));
    const repositories = new Set(earlier.map((e) => origin(e.source)));
    const threads = new Set(earlier.map((e) => e.source.toLowerCase()));
    for (const entry of fresh) {
      // Another thread of a repository already used (keras-team/keras issues) is a new report; another file of it is not a new program.
      const used = entry.kind === 'program' ? repositories.has(origin(entry.source)) : threads.has(entry.source.toLowerCase());
      assert.ok(!used, `${entry.name}: ${entry.source} is already a source`);
    }
    if (part !== 'fresh') {
      // fresh2 to fresh13 also take each program from a repository of its own, and each report from a thread of its own.
      const programs = fresh.filter((e) => e.kind === 'program').map((e) => origin(e.source));
      assert.equal(new Set(programs).size, programs.length, `two ${part} programs from one repository`);
      const reports = fresh.filter((e) => e.kind === 'report').map((e) => e.source.toLowerCase());
      assert.equal(new Set(reports).size, reports.length, `two ${part} reports from one thread`);
    }
  });

  test(`the split lists the ${part} part's programs and reports`, () => {
    const names = (kind: Entry['kind']) =>
      fresh
        .filter((e) => e.kind === kind)
        .map((e) => e.name)
        .sort();
    assert.deepEqual([...manifest.split.programs[part]].sort(), names('program'));
    assert.deepEqual([...manifest.split.reports[part]].sort(), names('report'));
    assert.match(manifest.split[part], /before any nanguard run/);
  });

  test(`each ${part} program is pinned by a SOURCE.json that agrees with its entry, under a permissive licence`, () => {
    for (const entry of fresh.filter((e) => e.kind === 'program')) {
      const folder = join(REALWORLD, 'programs', part, entry.name);
      const source = JSON.parse(readFileSync(join(folder, 'SOURCE.json'), 'utf8'));
      assert.equal(entry.path, `programs/${part}/${entry.name}/${source.file}`);
      assert.equal(entry.sha256, source.sha256, entry.name);
      assert.equal(entry.license, source.license, entry.name);
      assert.ok(entry.source.includes(source.commit) && origin(entry.source) === source.repository.toLowerCase(), entry.name);
      assert.match(source.license, /^(MIT|Apache-2\.0|BSD-[23]-Clause)$/, entry.name);
      // The repository's own modules the program imports, kept beside it, are pinned too.
      for (const module of (source.modules ?? []) as { path: string; sha256: string }[]) {
        assert.match(module.sha256, /^[0-9a-f]{64}$/, `${entry.name}: ${module.path}`);
        assert.ok(!module.path.startsWith('/') && !module.path.split(/[\\/]/).includes('..'), `${entry.name}: ${module.path}`);
      }
    }
  });

  test(`each ${part} report has its repro, its fix and its data (or the script that writes it)`, () => {
    for (const entry of fresh.filter((e) => e.kind === 'report')) {
      const folder = join(REALWORLD, 'reports', part, entry.name);
      assert.equal(entry.path, `reports/${part}/${entry.name}/repro.py`);
      assert.equal(entry.fixedPath, `reports/${part}/${entry.name}/fixed.py`);
      assert.ok(existsSync(join(folder, 'repro.py')) && existsSync(join(folder, 'fixed.py')), entry.name);
      assert.ok((entry.expectedCauses ?? []).length > 0, `${entry.name}: no expected cause`);
      for (const data of entry.dataFiles ?? []) {
        // A file too large to commit is written by make_data.py, and the entry's note says so.
        if (!existsSync(join(folder, data))) assert.ok(existsSync(join(folder, 'make_data.py')) && /make_data\.py/.test(entry.note ?? ''), `${entry.name}: ${data} missing`);
      }
    }
  });
}

test("a report's reproducedInKeras and fixTrainsInKeras follow the recorded Keras outcomes", () => {
  const failing = ['nan', 'diverging', 'stalled', 'invalid'];
  for (const entry of manifest.entries.filter((e) => e.kind === 'report')) {
    assert.equal(entry.reproducedInKeras, failing.includes(entry.keras.outcome), entry.name);
    assert.equal(entry.fixTrainsInKeras, entry.kerasFixed?.outcome === 'trains', entry.name);
  }
});

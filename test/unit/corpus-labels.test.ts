// The corpus labels were checked against real Keras (test/corpus/verify_labels.py wrote
// labels-verified.json): every corpus file has a verified entry for its current content, every
// failing file failed in Keras the way its header says, its fixed variant trained, and every
// healthy file trained.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isCause } from '../../src/core/causes';

const corpus = join(__dirname, '..', 'corpus');
const OUTCOMES = ['nan', 'diverging', 'stalled', 'invalid'];

interface Entry {
  kind: 'healthy' | 'failing' | 'fixed';
  sha256: string;
  cause: string | null;
  expectedOutcome: string | null;
  observedOutcome: string;
  confirmed: boolean;
  error: string | null;
}

const verified = JSON.parse(readFileSync(join(corpus, 'labels-verified.json'), 'utf8')) as { files: Record<string, Entry> };
const files = (kind: string) => readdirSync(join(corpus, kind)).filter((f) => f.endsWith('.py')).sort().map((f) => `${kind}/${f}`);
const header = (relative: string, field: string) => readFileSync(join(corpus, relative), 'utf8').match(new RegExp(`^# nanguard-${field}: (.+)$`, 'm'))?.[1].trim();
const sha256 = (relative: string) => createHash('sha256').update(readFileSync(join(corpus, relative))).digest('hex');

describe('corpus labels verified in Keras', () => {
  const healthy = files('healthy');
  const failing = files('failing');
  const fixed = files('fixed');

  it('has at least twenty healthy and twenty failing autoencoders', () => {
    assert.ok(healthy.length >= 20, `${healthy.length} healthy`);
    assert.ok(failing.length >= 20, `${failing.length} failing`);
  });

  it('every corpus file has an entry for its current content, and no entry is stale', () => {
    for (const relative of [...healthy, ...failing, ...fixed]) {
      const entry = verified.files[relative];
      assert.ok(entry, `${relative} was never run in Keras: run test/corpus/verify_labels.py ${relative}`);
      assert.equal(entry.sha256, sha256(relative), `${relative} changed since it was verified: run test/corpus/verify_labels.py ${relative}`);
    }
    for (const relative of Object.keys(verified.files)) assert.ok(existsSync(join(corpus, relative)), `${relative} is listed but gone`);
  });

  it('every failing file names a known cause, its failure mode and a fix, and has a fixed variant', () => {
    for (const relative of failing) {
      const cause = header(relative, 'expect');
      assert.ok(cause && isCause(cause), `${relative}: nanguard-expect "${cause}" is not a cause tag`);
      assert.ok(OUTCOMES.includes(header(relative, 'outcome') ?? ''), `${relative}: nanguard-outcome must be one of ${OUTCOMES.join(', ')}`);
      assert.ok((header(relative, 'fix') ?? '').length > 10, `${relative}: nanguard-fix missing`);
      assert.ok(fixed.includes(relative.replace('failing/', 'fixed/')), `${relative} has no fixed variant`);
      assert.equal(verified.files[relative].cause, cause);
    }
  });

  it('every failing file really failed in Keras, the way its header says', () => {
    for (const relative of failing) {
      const entry = verified.files[relative];
      assert.equal(entry.error, null, `${relative} crashed: ${entry.error}`);
      assert.notEqual(entry.observedOutcome, 'trains', `${relative} trained fine in Keras: its label is wrong`);
      assert.equal(entry.observedOutcome, header(relative, 'outcome'), `${relative}: Keras says ${entry.observedOutcome}`);
      assert.ok(entry.confirmed);
    }
  });

  it('every fix trains in Keras, and every healthy file trains', () => {
    for (const relative of [...fixed, ...healthy]) {
      const entry = verified.files[relative];
      assert.equal(entry.error, null, `${relative} crashed: ${entry.error}`);
      assert.equal(entry.observedOutcome, 'trains', `${relative}: Keras says ${entry.observedOutcome}`);
      assert.ok(entry.confirmed);
    }
  });
});

// The batch losses carried by the first non-finite point: the last few, oldest first, across epochs.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RECENT_BATCH_LOSSES } from '../../src/repro/protocol';
import { RecentLosses } from '../../src/repro/engine/train';

test('keeps the last batch losses in order, across an epoch boundary, non-finite ones as strings', () => {
  const recent = new RecentLosses();
  assert.deepEqual(recent.list(), []);
  recent.push(0, 0, 2);
  assert.deepEqual(recent.list(), [{ epoch: 0, batch: 0, loss: 2 }]);
  for (let b = 1; b < 10; b++) recent.push(0, b, 2 + b);
  recent.push(1, 0, 1e30);
  recent.push(1, 1, Infinity);
  recent.push(1, 2, NaN);
  const list = recent.list();
  assert.equal(list.length, RECENT_BATCH_LOSSES);
  assert.deepEqual(list.slice(-4), [{ epoch: 0, batch: 9, loss: 11 }, { epoch: 1, batch: 0, loss: 1e30 }, { epoch: 1, batch: 1, loss: 'Infinity' }, { epoch: 1, batch: 2, loss: 'NaN' }]);
  assert.deepEqual(list[0], { epoch: 0, batch: 13 - RECENT_BATCH_LOSSES, loss: 15 - RECENT_BATCH_LOSSES });
});

// The suite's last check, run by scripts/test.mjs after every test file (whatever their outcome): nothing the suite
// made may still run, be mounted or be on disk. DOCKHAND_SUITE_SINCE (ms since the epoch) limits it to this run, so
// another run's leftovers, or another user's, are not this one's failure.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { suiteLeftovers } from './support/leftovers';

test('the suite left nothing running, mounted or on disk', () => {
  const since = Number(process.env.DOCKHAND_SUITE_SINCE ?? 0);
  const left = suiteLeftovers(Number.isFinite(since) ? since : 0);
  assert.deepEqual(left.processes, [], 'processes of the suite still running (a daemon, a shim, a container, sshd, Chromium)');
  assert.deepEqual(left.mounts, [], 'mounts of the suite still in place');
  assert.deepEqual(left.dirs, [], 'temporary directories of the suite still on disk');
});

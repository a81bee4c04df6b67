import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FixPlan } from '../../shared/fix';
import type { RestartImpact } from '../../shared/restart-impact';
import { containersAfterSummary, impactSummary } from '../../shared/restart-impact-words';
import { unifiedDiff } from './plan';
import { fateOf, liveRestoreAfter, textBefore } from './restart-impact';

const FILE = '/etc/docker/daemon.json';
const change = (before: string | null, after: string | null): Pick<FixPlan, 'operations' | 'files'> => ({
  operations: [{ op: 'daemon-json.set', file: FILE, path: ['live-restore'], value: true }, { op: 'daemon.restart' }],
  files: [{ path: FILE, existed: before !== null, beforeSha256: null, after, diff: unifiedDiff(FILE, before, after) }],
});

test('a restart keeps containers only with live-restore on before and after; otherwise always and unless-stopped come back, on-failure only after an error exit', () => {
  for (const policy of ['no', '', 'on-failure', 'always', 'unless-stopped'])
    assert.equal(fateOf(policy, { now: true, after: true }), 'keeps-running');
  assert.deepEqual(
    ['no', 'on-failure', 'always', 'unless-stopped'].map((p) => fateOf(p, { now: true, after: false })),
    ['stays-down', 'restarts-if-failed', 'restarts-by-policy', 'stays-down'],
    'live-restore turned off by the restart',
  );
  for (const liveRestore of [
    { now: false, after: false },
    { now: false, after: true },
  ]) {
    assert.deepEqual(
      ['no', '', 'on-failure', 'always', 'unless-stopped'].map((p) => fateOf(p, liveRestore)),
      ['stays-down', 'stays-down', 'restarts-if-failed', 'restarts-by-policy', 'restarts-by-policy'],
    );
  }
});

test('live-restore after the restart: the flag wins, else the daemon.json the plan (or its undo) leaves, else unchanged', () => {
  const off = '{\n    "debug": false\n}\n';
  const on = '{\n    "debug": false,\n    "live-restore": true\n}\n';
  assert.equal(liveRestoreAfter(change(off, on), 'apply', false, []), true);
  assert.equal(liveRestoreAfter(change(off, on), 'undo', true, []), false, 'the undo puts back the file without it');
  assert.equal(liveRestoreAfter(change(null, on), 'undo', true, []), false, 'the undo removes a file the fix created');
  assert.equal(liveRestoreAfter(change(on, off), 'undo', false, []), true);
  assert.equal(liveRestoreAfter(change(off, on), 'undo', true, ['--live-restore']), true, 'a flag is not undone');
  assert.equal(
    liveRestoreAfter({ operations: [{ op: 'daemon.restart' }], files: [] }, 'apply', true, null),
    true,
    'no daemon.json written: as now',
  );
  assert.equal(textBefore(change(off, on).files[0]!), off, 'the original bytes, from what was written and the diff');
});

const impact = (liveRestore: RestartImpact['liveRestore'], running: RestartImpact['running']): RestartImpact => ({
  daemon: { endpoint: 'unix:///run/docker.sock', pid: 42, proof: 'p' },
  liveRestore,
  running,
  error: null,
  at: '2026-01-01T00:00:00Z',
});
const c = (name: string, restartPolicy: string, fate: RestartImpact['running'][number]['fate']) => ({
  id: `${name.charCodeAt(0).toString(16)}`.padEnd(12, '0'),
  name,
  image: 'busybox',
  restartPolicy,
  fate,
});

test('the impact in words: what stops, what comes back by itself, what stays down; none with live-restore', () => {
  assert.equal(
    impactSummary(
      impact({ now: false, after: false }, [
        c('web', 'always', 'restarts-by-policy'),
        c('db', 'no', 'stays-down'),
        c('job', 'on-failure', 'restarts-if-failed'),
        c('x', 'no', 'stays-down'),
      ]),
    ),
    'With live-restore off, all 4 running containers stop when the daemon restarts: 1 comes back by itself (restart policy always or unless-stopped), 1 comes back only if stopping it makes it exit with an error (restart policy on-failure), 2 stay down unless started again.',
  );
  assert.equal(
    impactSummary(impact({ now: true, after: true }, [c('web', 'no', 'keeps-running')])),
    'With live-restore on, the running container keeps running: none stops.',
  );
  assert.equal(impactSummary(impact({ now: false, after: false }, [])), 'No container is running: none stops.');
  assert.equal(
    containersAfterSummary({
      startAgain: false,
      error: null,
      containers: [{ id: 'a'.repeat(12), name: 'db', restartPolicy: 'no', state: 'exited', how: 'left-stopped', error: null }],
    }),
    '1 container that was running before is down now: db (not started again, as chosen).',
  );
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DiskUsage } from '../../../shared/api';
import type { PruneOutcome, PruneResult } from '../../../shared/prune';
import { partialPruneGuidance, usageRows } from './disk-model';

test('usage rows scale to the largest type and never show more reclaimable than the type holds', () => {
  const usage: DiskUsage = {
    report: {
      kind: 'dockhand.disk',
      collectedAt: '2026-01-01T00:00:00Z',
      endpoint: 'unix:///x.sock',
      engineVersion: '20.10',
      rows: [
        { type: 'images', count: 3, bytes: 1000, unknown: 0, note: null },
        { type: 'containers', count: 2, bytes: 10, unknown: 0, note: '1 running' },
        { type: 'volumes', count: 0, bytes: 0, unknown: 0, note: null },
        { type: 'build-cache', count: 0, bytes: 0, unknown: 0, note: null },
        { type: 'container-logs', count: 2, bytes: null, unknown: 0, note: 'remote' },
      ],
      total: 1010,
      dataRoot: null,
    },
    reclaimable: { images: 400, containers: 50, volumes: 0, buildCache: 0, containerLogs: 7 },
  };
  const rows = usageRows(usage);
  assert.deepEqual(rows.map((r) => [r.type, r.share, r.reclaimable]), [
    ['images', 1, 400],
    ['containers', 0.01, 10],
    ['volumes', 0, 0],
    ['build-cache', 0, 0],
    ['container-logs', 0, 7],
  ]);
  assert.equal(rows[0]!.reclaimShare, 0.4);
});

/** A result as main/prune/apply.ts words one that stopped part-way. */
function stopped(error: string, statuses: [PruneOutcome['status'], string | null][], engineBytes: number | null = null): PruneResult {
  const outcomes = statuses.map(([status, reason], i) => ({ type: 'container' as const, id: `c${i}`, name: `c${i}`, status, reason, predicted: 1024 * 1024 }));
  const count = (s: PruneOutcome['status']) => outcomes.filter((o) => o.status === s).length;
  return {
    kind: 'dockhand.prune-result',
    planId: 'p',
    startedAt: '2026-01-01T00:00:00Z',
    finishedAt: '2026-01-01T00:00:01Z',
    complete: false,
    error,
    outcomes,
    counts: { removed: count('removed'), skipped: count('skipped'), failed: count('failed'), unconfirmed: count('unconfirmed'), notAttempted: count('not-attempted') },
    predicted: { removed: count('removed') * 1024 * 1024, plan: outcomes.length * 1024 * 1024 },
    freed: { before: null as never, after: null, engineBytes, containerLogs: 0 },
  };
}

test('a prune stopped by a daemon that went away: how far it got, an estimate of what was freed, what is left, start it', () => {
  const g = partialPruneGuidance(
    stopped('connection refused at unix:///x.sock: the Docker daemon is not running', [
      ['removed', null],
      ['removed', null],
      ['failed', 'the daemon stopped answering before it was removed: it is still there — connection refused'],
      ['not-attempted', 'the daemon stopped answering: connection refused'],
    ]),
  );
  assert.equal(g.kind, 'daemon-down');
  assert.equal(g.title, 'The prune stopped part-way: 2 of 4 objects removed');
  assert.deepEqual(g.steps, [
    'The Docker daemon stopped answering: it was stopped or it crashed.',
    'About 2.0 MiB freed by what was removed: an estimate from the plan, because the daemon could not be asked to measure it.',
    '2 objects not removed are still there.',
    'Start the daemon: sudo systemctl start docker (or start Docker Desktop, or your rootless daemon).',
    'Then Preview again: the new plan lists only what is left, and nothing is removed twice.',
  ]);
});

test('a prune stopped by a hung daemon: the removal under way may or may not be gone; check the daemon', () => {
  const g = partialPruneGuidance(
    stopped('the Docker daemon at unix:///x.sock (DELETE /containers/c1) did not answer within 6 s', [
      ['removed', null],
      ['unconfirmed', 'the daemon stopped answering while removing it: it may or may not be gone (preview again to see) — did not answer'],
      ['not-attempted', 'x'],
    ]),
  );
  assert.equal(g.kind, 'timeout');
  assert.equal(g.title, 'The prune stopped part-way: 1 of 3 objects removed');
  assert.equal(g.steps[0], 'The Docker daemon stopped answering in time: it may be hung.');
  assert.equal(g.steps[2], '1 object not removed is still there; 1 object whose removal was under way may or may not be gone.');
  assert.match(g.steps[3]!, /systemctl status docker/);
  assert.equal(partialPruneGuidance(stopped('did not answer', [['removed', null], ['not-attempted', 'x']], null)).steps[1], 'About 1.0 MiB freed by what was removed: an estimate from the plan, because the daemon could not be asked to measure it.');
  const empty = stopped('did not answer', [['not-attempted', 'x']]);
  assert.equal(partialPruneGuidance(empty).steps[1], 'What was removed held no data the plan could count (0 B); the daemon could not be asked to measure it.');
  assert.match(g.detail, /did not answer within 6 s/);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DiskSummary } from '../../../shared/api';
import type { PruneOutcome, PruneResult } from '../../../shared/prune';
import { partialPruneGuidance, usageRows } from './disk-model';

test('usage rows scale to the largest type and never show more reclaimable than the type holds', () => {
  const disk: DiskSummary = {
    collectedAt: '2026-01-01T00:00:00Z',
    categories: [
      { kind: 'images', count: 3, active: 1, bytes: 1000, reclaimableBytes: 400, note: null },
      { kind: 'containers', count: 2, active: 1, bytes: 10, reclaimableBytes: 10, note: '1 running' },
      { kind: 'volumes', count: 0, active: 0, bytes: 0, reclaimableBytes: 0, note: null },
      { kind: 'build-cache', count: 0, active: 0, bytes: 0, reclaimableBytes: 0, note: null },
      { kind: 'container-logs', count: 2, active: 2, bytes: 0, reclaimableBytes: 7, note: 'remote', unknown: true },
    ],
    totalBytes: 1010,
    reclaimableBytes: 417,
    dataRoot: null,
    error: null,
  };
  const rows = usageRows(disk);
  assert.deepEqual(
    rows.map((r) => [r.type, r.share, r.reclaimable, r.bytes]),
    [
      ['images', 1, 400, 1000],
      ['containers', 0.01, 10, 10],
      ['volumes', 0, 0, 0],
      ['build-cache', 0, 0, 0],
      ['container-logs', 0, 7, null],
    ],
  );
  assert.equal(rows[0]!.reclaimShare, 0.4);
  assert.equal(rows[4]!.reclaimShare, 0, 'a bar never reaches past its own length');
});

/** A result as main/prune/apply.ts words one that stopped part-way. */
function stopped(error: string, statuses: [PruneOutcome['status'], string | null][], engineBytes: number | null = null): PruneResult {
  const outcomes = statuses.map(([status, reason], i) => ({
    type: 'container' as const,
    id: `c${i}`,
    name: `c${i}`,
    status,
    reason,
    predicted: 1024 * 1024,
  }));
  const count = (s: PruneOutcome['status']) => outcomes.filter((o) => o.status === s).length;
  return {
    kind: 'dockhand.prune-result',
    planId: 'p',
    startedAt: '2026-01-01T00:00:00Z',
    finishedAt: '2026-01-01T00:00:01Z',
    complete: false,
    error,
    outcomes,
    counts: {
      removed: count('removed'),
      skipped: count('skipped'),
      failed: count('failed'),
      unconfirmed: count('unconfirmed'),
      notAttempted: count('not-attempted'),
    },
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
  assert.equal(
    partialPruneGuidance(
      stopped(
        'did not answer',
        [
          ['removed', null],
          ['not-attempted', 'x'],
        ],
        null,
      ),
    ).steps[1],
    'About 1.0 MiB freed by what was removed: an estimate from the plan, because the daemon could not be asked to measure it.',
  );
  const empty = stopped('did not answer', [['not-attempted', 'x']]);
  assert.equal(
    partialPruneGuidance(empty).steps[1],
    'What was removed held no data the plan could count (0 B); the daemon could not be asked to measure it.',
  );
  assert.match(g.detail, /did not answer within 6 s/);
});

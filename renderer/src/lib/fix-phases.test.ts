import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FixPlan, FixStep } from '../../../shared/fix';
import { phaseStates, plannedPhases } from './fix-phases';

const plan = {
  files: [{ path: '/etc/docker/daemon.json', existed: true, beforeSha256: null, after: '{}', diff: '' }],
  operations: [{ op: 'daemon-json.set', file: '/etc/docker/daemon.json', path: ['live-restore'], value: true }, { op: 'daemon.restart' }],
  restart: true,
  verification: { kind: 'finding', checkId: 'daemon.live-restore', target: null },
} as Pick<FixPlan, 'files' | 'operations' | 'restart' | 'verification'>;
const step = (kind: FixStep['step'], ok = true): FixStep => ({ at: '2026-01-01T00:00:00Z', step: kind, ok, message: kind });
const statuses = (steps: FixStep[], working = true) =>
  phaseStates(plannedPhases(plan, { work: 'apply', elevated: true, restartContainers: true }), steps, working).phases.map(
    (p) => `${p.key}:${p.status}`,
  );

test('every step of the plan is listed from the start: the first one runs, the rest are pending', () => {
  assert.deepEqual(statuses([]), [
    'root:running',
    'backup:pending',
    'write:pending',
    'restart:pending',
    'wait:pending',
    'verify:pending',
    'containers:pending',
  ]);
});

test('a step reported completes its phase and the next one runs (the restart wait is a step of its own)', () => {
  assert.deepEqual(statuses([step('note'), step('backup'), step('write'), step('restart')]), [
    'root:done',
    'backup:done',
    'write:done',
    'restart:done',
    'wait:running',
    'verify:pending',
    'containers:pending',
  ]);
});

test('a failed step fails its phase, nothing runs after it, and a rollback is shown apart', () => {
  const { phases, extra } = phaseStates(
    plannedPhases(plan, { work: 'apply', elevated: false, restartContainers: false }),
    [step('backup'), step('write'), step('restart'), step('wait', false), step('rollback')],
    true,
  );
  assert.deepEqual(
    phases.map((p) => `${p.key}:${p.status}`),
    ['backup:done', 'write:done', 'restart:done', 'wait:failed', 'verify:pending', 'containers:pending'],
  );
  assert.equal(phases.at(-1)!.label, 'Check the containers');
  assert.deepEqual(
    extra.map((s) => s.step),
    ['rollback'],
  );
});

test('an undo restores, restarts, finishes, then starts the containers again', () => {
  const phases = plannedPhases(plan, { work: 'undo', elevated: false, restartContainers: true });
  assert.deepEqual(
    phases.map((p) => p.key),
    ['restore', 'restart', 'wait', 'undo', 'containers'],
  );
  assert.deepEqual(
    phaseStates(phases, [step('restore'), step('restart'), step('wait')], true).phases.map((p) => p.status),
    ['done', 'done', 'done', 'running', 'pending'],
  );
});

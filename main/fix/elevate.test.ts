// The hand-off to the root helper, with a stand-in helper (the real one is exercised as root in elevation.test.ts):
// steps arrive while the helper still works, chatter is ignored, and a helper that dies says how far it got.
import assert from 'node:assert/strict';
import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { FIX_PLAN_SCHEMA_VERSION, type FixPlan, type FixRecord, type FixStep } from '../../shared/fix';
import { cliSelf } from '../util/self-command';
import { applyElevated, ElevationError, undoElevated } from './elevate';

const plan: FixPlan = {
  schemaVersion: FIX_PLAN_SCHEMA_VERSION,
  id: 'plan-0001',
  createdAt: '2026-11-22T23:00:00.000Z',
  fixId: 'daemon.live-restore',
  checkId: 'daemon.live-restore',
  findingId: null,
  title: 'Turn on live-restore',
  params: {},
  endpoint: null,
  engineVersion: '20.10.24',
  operations: [{ op: 'daemon-json.set', file: '/etc/docker/daemon.json', path: ['live-restore'], value: true }],
  files: [],
  commands: [],
  controller: { kind: 'none', detail: 'none' },
  elevation: { needed: true, why: 'daemon.json is not writable by you' },
  restart: false,
  verification: { kind: 'finding', checkId: 'daemon.live-restore', target: null },
  notes: [],
};

const record = (outcome: FixRecord['outcome']): FixRecord => ({
  id: '20261122T230000Z-abcdef',
  plan,
  startedAt: '2026-11-22T23:00:00.000Z',
  finishedAt: '2026-11-22T23:00:01.000Z',
  outcome,
  backups: [],
  steps: [],
  before: 'fail',
  after: 'pass',
  message: 'applied',
});

// A helper that reports a step, then waits until the parent has seen it (the parent's onStep creates `go`), then
// answers. The record can only come after the step was delivered: the test fails by timing out if steps are buffered.
const FAKE_HELPER = `
const fs = require('node:fs');
const [dir, mode] = [process.env.FAKE_DIR, process.env.FAKE_MODE];
fs.writeFileSync(dir + '/argv', JSON.stringify(process.argv.slice(2)));
let input = '';
process.stdin.on('data', (c) => (input += c));
process.stdin.on('end', () => {
  fs.writeFileSync(dir + '/stdin', input);
  const step = { at: new Date().toISOString(), step: 'write', ok: true, message: 'wrote daemon.json' };
  process.stdout.write('sudo: some chatter that is not the protocol\\n');
  process.stdout.write(JSON.stringify({ type: 'step', step }) + '\\n');
  if (mode === 'die') {
    process.stderr.write('helper: the disk caught fire\\n');
    process.exit(7);
  }
  const wait = setInterval(() => {
    if (!fs.existsSync(dir + '/go')) return;
    clearInterval(wait);
    process.stdout.write(JSON.stringify(JSON.parse(process.env.FAKE_FINAL)) + '\\n');
  }, 20);
});
`;

describe('elevated helper hand-off', () => {
  let dir: string;
  let savedPath: string | undefined;
  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'dkh-elevate-'));
    await fs.writeFile(path.join(dir, 'helper.cjs'), FAKE_HELPER);
    // sudo stands in as "run it as is": the protocol is what is under test here.
    await fs.writeFile(path.join(dir, 'sudo'), '#!/bin/sh\nexec "$@"\n', { mode: 0o755 });
    savedPath = process.env.PATH;
    process.env.PATH = `${dir}:${savedPath}`;
    process.env.FAKE_DIR = dir;
  });
  after(async () => {
    process.env.PATH = savedPath;
    await fs.rm(dir, { recursive: true, force: true });
  });
  const self = () => ({ ok: true as const, argv: [process.execPath, path.join(dir, 'helper.cjs')], path: path.join(dir, 'helper.cjs') });

  test('steps arrive one by one while the helper works; the record comes last; chatter is ignored', async () => {
    await fs.rm(path.join(dir, 'go'), { force: true });
    process.env.FAKE_MODE = 'ok';
    process.env.FAKE_FINAL = JSON.stringify({ type: 'record', record: record('applied') });
    const steps: FixStep[] = [];
    const result = await applyElevated(plan, self(), {
      stderr: 'pipe',
      onStep: (step) => {
        steps.push(step);
        void fs.writeFile(path.join(dir, 'go'), '');
      },
    });
    assert.equal(result.outcome, 'applied');
    assert.deepEqual(
      steps.map((s) => s.message),
      ['wrote daemon.json'],
    );
    assert.deepEqual(JSON.parse(await fs.readFile(path.join(dir, 'argv'), 'utf8')), ['fix', 'helper']);
    assert.equal(JSON.parse(await fs.readFile(path.join(dir, 'stdin'), 'utf8')).id, 'plan-0001', 'the plan went in on stdin');
  });

  test('undo asks the helper for that id (and --force), with nothing on stdin', async () => {
    await fs.writeFile(path.join(dir, 'go'), '');
    process.env.FAKE_FINAL = JSON.stringify({
      type: 'undo',
      result: { record: record('undone'), conflicts: [], undone: true, message: 'undone' },
    });
    const result = await undoElevated('20261122T230000Z-abcdef', true, self(), { stderr: 'pipe' });
    assert.equal(result.undone, true);
    assert.deepEqual(JSON.parse(await fs.readFile(path.join(dir, 'argv'), 'utf8')), [
      'fix',
      'helper',
      '--undo',
      '20261122T230000Z-abcdef',
      '--force',
    ]);
    assert.equal(await fs.readFile(path.join(dir, 'stdin'), 'utf8'), '');
  });

  test('an answer of the wrong kind is refused', async () => {
    await fs.writeFile(path.join(dir, 'go'), '');
    process.env.FAKE_FINAL = JSON.stringify({
      type: 'undo',
      result: { record: record('undone'), conflicts: [], undone: true, message: 'undone' },
    });
    await assert.rejects(applyElevated(plan, self(), { stderr: 'pipe' }), /answered with undo, not the record of the apply/);
  });

  test('a helper that dies says its exit code, its last error line and the last step it reported', async () => {
    process.env.FAKE_MODE = 'die';
    const error = await applyElevated(plan, self(), { stderr: 'pipe' }).catch((e: Error) => e);
    assert.ok(error instanceof ElevationError);
    assert.match(
      error.message,
      /the elevated helper \(sudo\) ended with code 7 \(helper: the disk caught fire\) and no result; its last step: wrote daemon\.json/,
    );
    process.env.FAKE_MODE = 'ok';
  });

  test('no way to start the helper: says why and what to run instead, and starts nothing', async () => {
    await fs.rm(path.join(dir, 'argv'), { force: true });
    const error = await applyElevated(plan, { ok: false, why: 'the AppImage cannot start its root helper' }).catch((e: Error) => e);
    assert.equal(
      (error as Error).message,
      'this fix (daemon.json is not writable by you) needs root and the AppImage cannot start its root helper: run `dockhand fix apply daemon.live-restore` as root instead',
    );
    assert.equal(existsSync(path.join(dir, 'argv')), false);
  });
});

test('cliSelf: this node and bin, or the desktop launcher that names itself', () => {
  assert.deepEqual(cliSelf(['/usr/bin/node', '/opt/dockhand/bin/dockhand.cjs'], {}, '/usr/bin/node'), {
    ok: true,
    argv: ['/usr/bin/node', '/opt/dockhand/bin/dockhand.cjs'],
    path: '/opt/dockhand/bin/dockhand.cjs',
  });
  assert.deepEqual(
    cliSelf(['/x/dockhand-desktop', '/x/resources/app.asar.unpacked/bin/dockhand.cjs'], { DOCKHAND_SELF: '/x/resources/bin/dockhand' }),
    { ok: true, argv: ['/x/resources/bin/dockhand'], path: '/x/resources/bin/dockhand' },
  );
  assert.equal(cliSelf(['/usr/bin/node', '/tmp/something-else.js'], {}).ok, false);
  assert.equal(
    cliSelf(['/usr/bin/node', '/opt/dockhand/bin/dockhand.cjs'], { DOCKHAND_SELF: 'relative/dockhand' }).ok,
    true,
    'a relative DOCKHAND_SELF is ignored',
  );
});

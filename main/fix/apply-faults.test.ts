// The apply engine when the daemon fails around a restart, with a scripted controller under a temporary root: every
// step reaches the caller as it happens, a daemon that answers once but not the verifying audit is rolled back, and one
// that cannot start even with the original files is reported as failed with what to do (the file back byte for byte).
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FixStep } from '../../shared/fix';
import { collectFacts } from '../collect/collect';
import { RootfsHost } from '../host/rootfs-host';
import { put } from '../../test/support/rootfs';
import { validatePlan } from './allowlist';
import { type ApplyDeps, applyPlan, type Verified } from './apply';
import type { DaemonController } from './controllers';
import { type FixEnv, planOperations } from './plan';

const DAEMON_JSON = '{\n  "debug": false\n}\n';

/** What each start of the daemon does: answer, or exit before it answers. */
type Start = 'up' | 'exits';

/** A daemon under a scripted controller: each restart takes the next scripted start; ping answers while it is up. */
function scriptedDaemon(starts: Start[]) {
  const state = { up: true, exited: false, restarts: 0 };
  const controller: DaemonController = {
    kind: 'process',
    detail: 'a scripted test daemon',
    canRestart: true,
    commands: () => [{ argv: ['restart-it'], why: 'restart' }],
    reload: async () => undefined,
    async restart() {
      const next = starts[state.restarts++] ?? 'up';
      state.up = next === 'up';
      state.exited = next === 'exits';
    },
    exited: () => state.exited,
    diagnose: async () => (state.exited ? 'level=fatal msg="failed to start daemon: scripted"' : null),
  };
  return { state, controller, ping: async () => state.up };
}

describe('fix apply: the daemon fails around the restart', () => {
  let root: string;
  let env: FixEnv;
  const daemonJson = () => path.join(root, 'etc/docker/daemon.json');

  before(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'dkh-faultroot-'));
    env = { root, home: '/root' };
  });
  after(async () => fs.rm(root, { recursive: true, force: true }));

  /** Plans the log-rotation fix against the temporary root and applies it with the given daemon and verification. */
  async function apply(name: string, starts: Start[], verify: (daemon: ReturnType<typeof scriptedDaemon>) => Promise<Verified>) {
    await put(root, '/etc/docker/daemon.json', DAEMON_JSON, 0o644);
    const facts = await collectFacts({ host: new RootfsHost(root), mode: 'offline-root', root, timeoutMs: 5000 });
    const daemon = scriptedDaemon(starts);
    const plan = await planOperations(
      facts,
      {
        fixId: 'daemon.log-rotation',
        checkId: 'daemon.log-rotation',
        findingId: 'daemon.log-rotation',
        target: null,
        params: { 'max-size': '10m', 'max-file': '3' },
      },
      daemon.controller,
      env,
    );
    assert.equal(plan.restart, true);
    const { plan: valid, files } = await validatePlan(plan, env, new Set(['/etc/docker/daemon.json']));
    const seen: FixStep[] = [];
    const deps: ApplyDeps = {
      env,
      stateDir: path.join(root, `.state-${name}`),
      controller: daemon.controller,
      ping: daemon.ping,
      verify: () => verify(daemon),
      statusBefore: () => 'fail',
      timeouts: { restartMs: 1000, upMs: 1000, lockWaitMs: 1000 },
      onStep: (s) => seen.push(s),
    };
    const record = await applyPlan(valid, files, deps);
    return { record, seen, daemon };
  }

  test('every step, backup, restart and wait included, reaches the caller as it happens, in the journal order', async () => {
    const { record, seen } = await apply('live', ['up'], async () => ({ status: 'pass', daemonError: null }));
    assert.equal(record.outcome, 'applied', record.message);
    assert.deepEqual(seen, record.steps);
    assert.deepEqual(
      seen.map((s) => s.step),
      ['backup', 'write', 'restart', 'wait', 'verify'],
    );
    assert.match(seen[2]!.message, /waiting up to 1 s for it to answer/);
  });

  test('the daemon answers after the restart but not the audit that verifies it: rolled back, not called fixed', async () => {
    const { record, daemon } = await apply('verify', ['up', 'up'], async (d) => {
      if (d.state.restarts === 1) {
        // It died between answering the ping and the verifying audit; judged from the file, the finding would pass.
        d.state.up = false;
        return { status: 'pass', daemonError: 'connection refused at unix:///run/docker.sock: the Docker daemon is not running' };
      }
      return { status: 'fail', daemonError: null };
    });
    assert.equal(record.outcome, 'rolled-back', record.message);
    assert.match(record.message, /the daemon stopped answering after it came back \(connection refused/);
    assert.equal(daemon.state.restarts, 2, 'restarted again with the original files');
    assert.equal(await fs.readFile(daemonJson(), 'utf8'), DAEMON_JSON, 'the original bytes');
    assert.deepEqual(
      record.steps.map((s) => `${s.step}:${s.ok}`),
      [
        'backup:true',
        'write:true',
        'restart:true',
        'wait:true',
        'verify:false',
        'rollback:true',
        'restore:true',
        'restart:true',
        'wait:true',
      ],
    );
    assert.equal(record.after, null, 'no verdict from an audit that could not ask the daemon');
  });

  test('the daemon starts neither with the change nor with the original files: failed, the file restored, and what to do', async () => {
    const { record, daemon } = await apply('neither', ['exits', 'exits'], async () => ({ status: 'pass', daemonError: null }));
    assert.equal(record.outcome, 'failed', record.message);
    assert.equal(daemon.state.restarts, 2);
    assert.equal(await fs.readFile(daemonJson(), 'utf8'), DAEMON_JSON, 'the original bytes, although the daemon is down');
    assert.match(
      record.message,
      /did not come back with the change \(the daemon exited [\d.]+ s after it was started again\), nor with the original files/,
    );
    assert.match(record.message, /failed to start daemon: scripted/, 'why, from the daemon log');
    assert.match(record.message, /The original files are back in place, but the daemon is not running: start it/);
  });
});

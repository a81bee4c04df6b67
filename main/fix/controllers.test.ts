// test-needs: root — a process record counts only when root writes it
// How each kind of daemon is reloaded and restarted. systemd and SysV init cannot run on these machines (systemd is not
// PID 1), so `systemctl` and `service` are stand-ins first on PATH that record their arguments and answer as the real
// tools do; the process controller is exercised against a real dockerd in fix-apply.test.ts.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Facts } from '../../shared/facts';
import {
  ControllerError,
  desktopController,
  detectController,
  noController,
  systemdController,
  systemdUserController,
  sysvController,
} from './controllers';

let bin: string;
let log: string;
const originalPath = process.env.PATH;

async function stub(name: string, body: string): Promise<void> {
  await fs.writeFile(path.join(bin, name), `#!/bin/sh\necho "${name} $*" >> ${log}\n${body}\n`, { mode: 0o755 });
}

before(async () => {
  bin = await fs.mkdtemp(path.join(os.tmpdir(), 'dkh-ctl-'));
  log = path.join(bin, 'calls.log');
  await stub(
    'systemctl',
    'if [ "$FAIL_RESTART" = 1 ] && [ "$1" != daemon-reload ]; then echo "Job for docker.service failed because the control process exited with error code." >&2; exit 1; fi',
  );
  await stub('service', 'exit 0');
  process.env.PATH = `${bin}:${originalPath}`;
});
after(async () => {
  process.env.PATH = originalPath;
  await fs.rm(bin, { recursive: true, force: true });
});

const calls = async () => (await fs.readFile(log, 'utf8').catch(() => '')).trim().split('\n').filter(Boolean);

describe('daemon controllers', () => {
  test('systemd: daemon-reload after drop-in changes, then restart the unit; the plan lists the same commands', async () => {
    await fs.rm(log, { force: true });
    const c = systemdController('docker.service');
    assert.deepEqual(
      c.commands(true).map((x) => x.argv.join(' ')),
      ['systemctl daemon-reload', 'systemctl restart docker.service'],
    );
    await c.reload(5000);
    await c.restart(5000);
    assert.deepEqual(await calls(), ['systemctl daemon-reload', 'systemctl restart docker.service']);
  });

  test('systemd --user for rootless, `service docker restart` without systemd', async () => {
    await fs.rm(log, { force: true });
    await systemdUserController().reload(5000);
    await systemdUserController().restart(5000);
    await sysvController().restart(5000);
    assert.deepEqual(await calls(), [
      'systemctl --user daemon-reload',
      'systemctl --user restart docker.service',
      'service docker restart',
    ]);
    assert.deepEqual(
      sysvController()
        .commands(true)
        .map((x) => x.argv.join(' ')),
      ['service docker restart'],
      'no reload without systemd',
    );
  });

  test('a failed restart says what systemctl said', async () => {
    process.env.FAIL_RESTART = '1';
    try {
      await assert.rejects(
        systemdController().restart(5000),
        (e: Error) =>
          e instanceof ControllerError && /systemctl restart docker\.service failed: Job for docker\.service failed/.test(e.message),
      );
    } finally {
      delete process.env.FAIL_RESTART;
    }
  });

  test('Docker Desktop and unknown daemons cannot be restarted silently: they say what to do', async () => {
    assert.equal(desktopController().canRestart, false);
    await assert.rejects(desktopController().restart(1000), /restart it from its menu/);
    await assert.rejects(noController('nothing manages it').restart(1000), /cannot restart the daemon: nothing manages it/);
  });

  test("detection: a process record is only root's (this user's) word about a proven daemon; a malformed one is a clear error", async () => {
    const record = path.join(bin, 'record.json');
    await fs.writeFile(record, JSON.stringify({ pidfile: '/run/x.pid', argv: ['dockerd', '-H', 'unix:///run/x.sock'] }));
    const facts = {} as Facts;
    const unproven = { ok: false as const, why: 'nothing listens on /run/x.sock' };
    await assert.rejects(
      detectController(facts, { override: `process:${record}`, daemon: unproven }),
      /refused DOCKHAND_DAEMON_CONTROLLER=process:.*the daemon it would restart is not proven: nothing listens/,
    );
    await fs.chmod(record, 0o666);
    await assert.rejects(
      detectController(facts, { override: `process:${record}`, daemon: unproven }),
      /record\.json is writable by others \(mode 666\)/,
    );
    await fs.chmod(record, 0o644);
    await fs.writeFile(record, JSON.stringify({ pidfile: 1 }));
    await assert.rejects(detectController(facts, { override: `process:${record}` }), /is not a process record/);
    await assert.rejects(detectController(facts, { override: 'systemd' }), /must be process:/);
  });
});

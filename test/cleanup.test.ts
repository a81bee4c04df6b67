// The harness cleans up after a daemon whose containers outlive it (live-restore, a process that ignores SIGTERM),
// and the suite's last check sees what a test leaves behind.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { importBusybox, runningDockerd } from './support/dockerd';
import { daemonTree, mountsUnder, SUITE_PREFIX, suiteLeftovers } from './support/leftovers';
import { until } from './support/poll';

test('stop() leaves nothing of a live-restore daemon whose container ignores SIGTERM: no process, no mount, no directory', async () => {
  const daemon = await runningDockerd({ daemonJson: { 'live-restore': true } });
  const image = await importBusybox(daemon);
  await daemon.docker(['run', '-d', '--name', 'stubborn', image, 'sh', '-c', "trap '' TERM; while :; do sleep 1; done"]);
  const tree = daemonTree(daemon.dir);
  assert.ok(
    tree.some((pid) => pid !== daemon.pid),
    `the daemon runs containerd, a shim and the container (${tree.join(' ')})`,
  );
  assert.ok(mountsUnder(daemon.dir).length > 0, "the container's root filesystem is mounted under the daemon's directory");
  await daemon.stop();
  assert.deepEqual(daemonTree(daemon.dir), [], 'nothing of the daemon runs');
  assert.deepEqual(mountsUnder(daemon.dir), [], 'nothing of it is mounted');
  assert.equal(existsSync(daemon.dir), false, 'its directory is gone');
});

test("the suite's last check finds a process and a directory a test left, and not once they are gone", async () => {
  const since = Date.now();
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), `${SUITE_PREFIX}left-`));
  // A stand-in for a forgotten daemon: a program the check knows (node), started on a path of the suite.
  const child = spawn(process.execPath, ['-e', 'setInterval(() => undefined, 1 << 30)', path.join(dir, 'sock')], { stdio: 'ignore' });
  try {
    const mine = () => {
      const left = suiteLeftovers(since);
      return { processes: left.processes.filter((p) => p.includes(dir)), dirs: left.dirs.filter((d) => d === dir) };
    };
    const seen = await until(() => mine().processes.length > 0 && mine(), { what: 'the check to see the forgotten process' });
    assert.deepEqual(seen.dirs, [dir]);
    child.kill('SIGKILL');
    await fs.rm(dir, { recursive: true, force: true });
    await until(() => mine().processes.length === 0, { what: 'the process to be gone' });
    assert.deepEqual(mine(), { processes: [], dirs: [] });
  } finally {
    child.kill('SIGKILL');
    await fs.rm(dir, { recursive: true, force: true });
  }
});

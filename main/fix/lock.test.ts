import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { acquireFixLock, LockBusyError } from './lock';

test('a second holder waits, then gives up naming the first; a lock left by a dead process is taken over', async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'dkh-lock-'));
  try {
    const release = await acquireFixLock(dir, 'daemon.icc (plan 1)', 1000);
    const t0 = Date.now();
    await assert.rejects(acquireFixLock(dir, 'daemon.mtu (plan 2)', 300), (e: Error) => e instanceof LockBusyError && /daemon\.icc \(plan 1\), pid \d+/.test(e.message));
    assert.ok(Date.now() - t0 >= 250, 'it waited before giving up');
    // The first holder finishes while the second waits: the second gets it.
    const waiting = acquireFixLock(dir, 'daemon.mtu (plan 2)', 5000);
    setTimeout(() => void release(), 200);
    await (await waiting)();
    // A holder killed mid-apply leaves its lock behind: its pid no longer exists.
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
    await fs.writeFile(path.join(dir, 'fix.lock'), JSON.stringify({ pid: Number(dead), what: 'killed', since: new Date().toISOString() }));
    await (await acquireFixLock(dir, 'after a crash', 100))();
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
});

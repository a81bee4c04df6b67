// The fix lock against real contenders: separate processes (bundled once with esbuild so two dozen of them start
// quickly on a busy machine), a holder killed with SIGKILL, and the waiting and "who holds it" behaviour.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { build } from 'esbuild';
import { acquireFixLock, LockBusyError } from './lock';
import { until } from '../../test/support/poll';

/**
 * A contender: takes the lock, logs `enter ID`, does a read-modify-write of a shared counter with awaits in between
 * (two holders at once would lose an update), logs `exit ID`, releases. With HOLD set it takes the lock, says so on
 * stdout and keeps it until killed.
 */
const WORKER = `
import { promises as fs } from 'node:fs';
import { acquireFixLock } from './lock';
import { until } from '../../test/support/poll';
const [state, log, counter, id] = process.argv.slice(2);
(async () => {
  // Started, then all at once: each says it is ready and waits for the test's go (so they contend, not queue up).
  if (process.env.BARRIER) {
    await fs.writeFile(process.env.BARRIER + '/ready-' + id, '');
    await until(() => fs.stat(process.env.BARRIER + '/go').catch(() => null), { what: 'the go', timeoutMs: 120000, intervalMs: 2 });
  }
  const release = await acquireFixLock(state, 'contender ' + id, 120000);
  if (process.env.HOLD) { process.stdout.write('held\\n'); setInterval(() => undefined, 1 << 30); return; }
  await fs.appendFile(log, 'enter ' + id + '\\n');
  const n = Number(await fs.readFile(counter, 'utf8'));
  await new Promise((r) => setImmediate(r));
  await fs.writeFile(counter, String(n + 1));
  await fs.appendFile(log, 'exit ' + id + '\\n');
  await release();
})().catch((e) => { console.error(e); process.exit(1); });
`;

/** Above Linux's largest pid (pid_max is at most 2^22): no process has it. */
const DEAD_PID = 2 ** 22 + 1;

describe('the fix lock', () => {
  let dir: string;
  let worker: string;
  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'dkh-lock-'));
    worker = path.join(dir, 'worker.cjs');
    await build({
      stdin: { contents: WORKER, resolveDir: import.meta.dirname, loader: 'ts' },
      bundle: true,
      platform: 'node',
      format: 'cjs',
      outfile: worker,
      logLevel: 'warning',
    });
  });
  after(async () => fs.rm(dir, { recursive: true, force: true }));

  const contender = (state: string, id: string, env: NodeJS.ProcessEnv = process.env) => {
    const child = spawn(process.execPath, [worker, state, path.join(state, 'log'), path.join(state, 'counter'), id], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (c) => (stderr += c));
    const exited = new Promise<{ code: number | null; stderr: string }>((resolve) =>
      child.on('close', (code) => resolve({ code, stderr })),
    );
    return { child, exited };
  };

  test('24 processes contending over a lock a killed holder left: every one gets in, never two at once, no update lost', async () => {
    const state = path.join(dir, 'many');
    await fs.mkdir(state);
    // What a holder killed mid-apply left: every contender sees a dead pid at once (the old takeover raced on this).
    await fs.writeFile(path.join(state, 'fix.lock'), JSON.stringify({ pid: DEAD_PID, what: 'killed', since: new Date().toISOString() }));
    await fs.writeFile(path.join(state, 'counter'), '0');
    await fs.writeFile(path.join(state, 'log'), '');
    const ids = Array.from({ length: 24 }, (_, i) => `w${i}`);
    const barrier = path.join(dir, 'barrier');
    await fs.mkdir(barrier);
    const running = ids.map((id) => contender(state, id, { ...process.env, BARRIER: barrier }).exited);
    await until(async () => (await fs.readdir(barrier)).length === ids.length, { what: 'every contender to start', timeoutMs: 120_000 });
    await fs.writeFile(path.join(barrier, 'go'), '');
    const results = await Promise.all(running);
    for (const r of results) assert.equal(r.code, 0, r.stderr);
    const lines = (await fs.readFile(path.join(state, 'log'), 'utf8')).trim().split('\n');
    assert.equal(lines.length, ids.length * 2);
    for (let i = 0; i < lines.length; i += 2) {
      const [enter, exit] = [lines[i]!.split(' '), lines[i + 1]!.split(' ')];
      assert.deepEqual(
        [enter[0], exit[0], exit[1]],
        ['enter', 'exit', enter[1]],
        `overlap at line ${i}: ${lines.slice(i, i + 2).join(' | ')}`,
      );
    }
    assert.deepEqual(new Set(lines.map((l) => l.split(' ')[1])), new Set(ids));
    assert.equal(await fs.readFile(path.join(state, 'counter'), 'utf8'), String(ids.length));
  });

  test('a holder killed with SIGKILL releases the lock; while it lives, a waiter gives up naming it', async () => {
    const state = path.join(dir, 'killed');
    await fs.mkdir(state);
    const holder = contender(state, 'holder', { ...process.env, HOLD: '1' });
    await new Promise<void>((resolve, reject) => {
      holder.child.stdout.on('data', (c: Buffer) => c.toString().includes('held') && resolve());
      holder.exited.then((r) => reject(new Error(`the holder exited: ${r.stderr}`)), reject);
    });
    await assert.rejects(
      acquireFixLock(state, 'second', 300),
      (e: Error) => e instanceof LockBusyError && new RegExp(`contender holder, pid ${holder.child.pid}`).test(e.message),
    );
    holder.child.kill('SIGKILL');
    await holder.exited;
    // No wait at all: the kernel released it when the holder died, there is nothing stale to take over.
    const release = await acquireFixLock(state, 'after the kill', 0);
    await release();
  });

  test('a second holder in the same process waits, and gets the lock when the first releases', async () => {
    const state = path.join(dir, 'same-process');
    const release = await acquireFixLock(state, 'daemon.icc (plan 1)', 1000);
    await assert.rejects(
      acquireFixLock(state, 'daemon.mtu (plan 2)', 300),
      (e: Error) => e instanceof LockBusyError && /daemon\.icc \(plan 1\), pid \d+/.test(e.message),
    );
    let got = false;
    const waiting = acquireFixLock(state, 'daemon.mtu (plan 2)', 60000).then((r) => {
      got = true;
      return r;
    });
    // Still waiting while the first holds it (flock(1) is blocked in the kernel, not polling).
    await new Promise((r) => setImmediate(r));
    assert.equal(got, false);
    await release();
    await (
      await waiting
    )();
  });

  test("what an older Dockhand left in fix.lock (a dead pid) does not block: the lock is the kernel's, not the file", async () => {
    const state = path.join(dir, 'old-file');
    await fs.mkdir(state);
    await fs.writeFile(path.join(state, 'fix.lock'), JSON.stringify({ pid: DEAD_PID, what: 'killed', since: new Date().toISOString() }));
    await (
      await acquireFixLock(state, 'after a crash', 0)
    )();
  });
});

import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Host } from './host';
import { HostError } from './host';
import { ReadOnceHost } from './read-once-host';
import { RootfsHost } from './rootfs-host';

let root: string;
before(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'dkh-once-'));
  await fs.mkdir(path.join(root, 'etc/cron.d'), { recursive: true });
  await fs.writeFile(path.join(root, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\n');
  await fs.writeFile(path.join(root, 'etc/cron.d/a'), '');
  await fs.writeFile(path.join(root, 'etc/cron.d/b'), '');
});
after(() => fs.rm(root, { recursive: true, force: true }));

/** A real host over a directory, counting what reaches it. */
function counted(): { host: Host; calls: string[] } {
  const inner = new RootfsHost(root);
  const calls: string[] = [];
  const host = new Proxy(inner, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        calls.push(`${String(key)} ${args.filter((a) => a !== undefined && typeof a !== 'object').join(' ')}`);
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { host, calls };
}

test('each file, directory and stat reaches the host once, however many ask at once or later', async () => {
  const { host, calls } = counted();
  const once = new ReadOnceHost(host);
  const [a, b] = await Promise.all([once.readFile('/etc/passwd'), once.readFile('/etc/passwd')]);
  assert.equal(a.toString(), b.toString());
  await once.readFile('/etc/passwd');
  await Promise.all([once.readDir('/etc/cron.d'), once.readDir('/etc/cron.d'), once.stat('/etc/passwd'), once.stat('/etc/passwd')]);
  assert.deepEqual(calls.sort(), ['readDir /etc/cron.d', 'readFile /etc/passwd', 'stat /etc/passwd']);
});

test('a different size limit is a different read', async () => {
  const { host, calls } = counted();
  const once = new ReadOnceHost(host);
  await once.readFile('/etc/passwd', 4096);
  await once.readFile('/etc/passwd', 4096);
  await assert.rejects(once.readFile('/etc/passwd', 4), (e: unknown) => e instanceof HostError && e.code === 'too-large');
  assert.deepEqual(calls, ['readFile /etc/passwd 4096', 'readFile /etc/passwd 4']);
});

test('every caller gets its own copy: sorting a listing or editing a buffer changes nothing for the next', async () => {
  const once = new ReadOnceHost(new RootfsHost(root));
  const listing = await once.readDir('/etc/cron.d');
  listing.reverse().push('planted');
  assert.deepEqual((await once.readDir('/etc/cron.d')).sort(), ['a', 'b']);
  const buffer = await once.readFile('/etc/passwd');
  buffer.fill(0);
  assert.match((await once.readFile('/etc/passwd')).toString(), /^root:/);
  const st = await once.stat('/etc/passwd');
  st.mode = 0o777;
  assert.notEqual((await once.stat('/etc/passwd')).mode, 0o777);
});

test('a failed read fails the same way for every caller, and is not retried', async () => {
  const { host, calls } = counted();
  const once = new ReadOnceHost(host);
  for (let i = 0; i < 2; i++)
    await assert.rejects(once.readFile('/etc/missing'), (e: unknown) => e instanceof HostError && e.code === 'not-found');
  assert.deepEqual(calls, ['readFile /etc/missing']);
});

test('the account is looked up once; each caller gets its own copy', () => {
  const { host, calls } = counted();
  const once = new ReadOnceHost(host);
  const first = once.user();
  first.processGroups.push(12345);
  first.home = '/planted';
  const second = once.user();
  assert.notEqual(second.home, '/planted');
  assert.ok(!second.processGroups.includes(12345));
  assert.deepEqual(calls, ['user ']);
});

test('what is not a read passes straight through', () => {
  const once = new ReadOnceHost(new RootfsHost(root));
  assert.equal(once.kind, 'rootfs');
  assert.equal(once.displayPath('/etc/passwd'), new RootfsHost(root).displayPath('/etc/passwd'));
});

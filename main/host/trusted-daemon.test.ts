// test-needs: root — files owned by other users (chown)
// The pieces of the daemon proof that read kernel text and owners; the proof against real and fake daemons is in
// test/security/untrusted-daemon.test.ts.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { listeningSockets, untrustedChain, untrustedDirectory, untrustedFile } from './trusted-daemon';

const HEADER = 'Num       RefCount Protocol Flags    Type St Inode Path';

describe('the daemon proof', () => {
  test('listening unix stream sockets from /proc/PID/net/unix; a path that forges a line with a newline proves nothing', () => {
    const table = [
      HEADER,
      '0000000000000000: 00000002 00000000 00010000 0001 01 1001 /run/docker.sock',
      '0000000000000000: 00000003 00000000 00000000 0001 03 1002 /run/docker.sock',
      '0000000000000000: 00000002 00000000 00010000 0002 01 1003 /run/dgram.sock',
      '0000000000000000: 00000002 00000000 00010000 0001 01 1004 @abstract',
      // An attacker binds a path holding a newline and a whole forged line claiming inode 1002 listens on the socket.
      '0000000000000000: 00000002 00000000 00010000 0001 01 1005 /tmp/x',
      '0000000000000000: 00000002 00000000 00010000 0001 01 1002 /run/docker.sock',
    ].join('\n');
    assert.deepEqual(listeningSockets(table), [
      { inode: 1001, path: '/run/docker.sock' },
      { inode: 1005, path: '/tmp/x' },
    ]);
  });

  test('owners and modes: a place only root (or the user) can change, a sticky /tmp, and what is not', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'dkh-chain-'));
    try {
      const file = path.join(dir, 'f');
      await fs.writeFile(file, 'x', { mode: 0o644 });
      assert.equal(await untrustedFile(file, [0]), null, "/tmp is sticky and the next component is root's");
      await fs.chmod(file, 0o664);
      assert.equal(await untrustedFile(file, [0]), `${file} is writable by others (mode 664)`);
      await fs.chmod(file, 0o644);
      await fs.chmod(dir, 0o777);
      assert.equal(await untrustedFile(file, [0]), `${dir} is writable by others (mode 777)`);
      await fs.chmod(dir, 0o755);
      await fs.chown(dir, 65534, 65534);
      assert.equal(await untrustedFile(file, [0]), `${dir} belongs to uid 65534`);
      assert.equal(await untrustedChain(dir, [0, 65534]), null, "the user's own directory, for the user");
      await fs.symlink(dir, `${dir}-link`);
      assert.equal(await untrustedChain(`${dir}-link`, [0, 65534]), `${dir}-link is a symbolic link (resolve it first)`);
      assert.equal(
        await untrustedDirectory(path.join(dir, 'not', 'yet'), [0]),
        `${dir} belongs to uid 65534`,
        'judged by its nearest existing ancestor',
      );
    } finally {
      await fs.rm(`${dir}-link`, { force: true });
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});

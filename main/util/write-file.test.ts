// The one writer against every kind of thing that can sit at a path: real FIFOs, a private character device made with
// mknod (c 1 3, a null device; never the host's /dev/null), sockets, directories, symlink chains and dangling links.
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { fifoWithReader } from '../../test/support/fifo';
import { processStartTicks } from './process';
import { readFileState, removeFile, writeFile, WriteTargetError } from './write-file';

const run = promisify(execFile);
const isRoot = process.getuid?.() === 0;

describe('writeFile: the one writer', () => {
  let dir: string;
  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'dkh-write-'));
    await fs.chmod(dir, 0o755); // an unprivileged user's directory goes below it
  });
  after(async () => fs.rm(dir, { recursive: true, force: true }));

  const leftovers = async (d = dir) => (await fs.readdir(d)).filter((n) => n.endsWith('.tmp'));

  test('a regular file is replaced atomically, keeping its mode and owner; no temporary file is left', async () => {
    const file = path.join(dir, 'kept.json');
    await fs.writeFile(file, 'old', { mode: 0o640 });
    await fs.chmod(file, 0o640);
    if (isRoot) await fs.chown(file, 65534, 65534);
    const inodeBefore = (await fs.stat(file)).ino;
    await writeFile(file, 'new');
    const stat = await fs.stat(file);
    assert.equal(await fs.readFile(file, 'utf8'), 'new');
    assert.equal(stat.mode & 0o7777, 0o640);
    if (isRoot) assert.deepEqual([stat.uid, stat.gid], [65534, 65534]);
    assert.notEqual(stat.ino, inodeBefore, 'replaced by rename, not rewritten in place');
    assert.deepEqual(await leftovers(), []);
  });

  test('a new file is 0644 unless asked; parent directories are made only when asked', async () => {
    const file = path.join(dir, 'new', 'deeper', 'f.txt');
    await assert.rejects(writeFile(file, 'x'), /ENOENT/);
    await writeFile(file, 'x', { mkdirMode: 0o700 });
    assert.equal((await fs.stat(file)).mode & 0o777, 0o644);
    assert.equal((await fs.stat(path.dirname(file))).mode & 0o777, 0o700);
    await writeFile(file, 'y', { mode: 0o600 });
    assert.equal((await fs.stat(file)).mode & 0o777, 0o600);
  });

  test('a symlink (through a relative chain) keeps being the same link; its target gets the bytes, its mode kept', async () => {
    const real = path.join(dir, 'etc-real');
    await fs.mkdir(real);
    const target = path.join(real, 'daemon.json');
    await fs.writeFile(target, '{}', { mode: 0o600 });
    await fs.chmod(target, 0o600);
    await fs.symlink('etc-real/daemon.json', path.join(dir, 'hop.json'));
    const link = path.join(dir, 'daemon.json');
    await fs.symlink('hop.json', link);
    await writeFile(link, '{"debug":true}');
    assert.ok((await fs.lstat(link)).isSymbolicLink());
    assert.equal(await fs.readlink(link), 'hop.json');
    assert.equal(await fs.readlink(path.join(dir, 'hop.json')), 'etc-real/daemon.json');
    assert.equal(await fs.readFile(target, 'utf8'), '{"debug":true}');
    assert.equal((await fs.stat(target)).mode & 0o777, 0o600);
    assert.deepEqual(await leftovers(real), []);
    assert.deepEqual((await readFileState(link)).bytes?.toString(), '{"debug":true}');
  });

  test('a dangling link gets its target created when the directory exists, and is refused when it does not', async () => {
    const link = path.join(dir, 'dangling.json');
    await fs.symlink(path.join(dir, 'made-by-write.json'), link);
    await writeFile(link, 'created');
    assert.ok((await fs.lstat(link)).isSymbolicLink());
    assert.equal(await fs.readFile(path.join(dir, 'made-by-write.json'), 'utf8'), 'created');

    const nowhere = path.join(dir, 'nowhere.json');
    await fs.symlink(path.join(dir, 'no-such-dir', 'x.json'), nowhere);
    await assert.rejects(
      writeFile(nowhere, 'x', { mkdirMode: 0o755 }),
      (e: Error) => e instanceof WriteTargetError && /symlink to .*no-such-dir\/x\.json, whose directory does not exist/.test(e.message),
    );
    await assert.rejects(fs.stat(path.join(dir, 'no-such-dir')), /ENOENT/, "no directory made on a link's say-so");
  });

  test('a symlink loop is refused, not followed forever', async () => {
    await fs.symlink('loop-b', path.join(dir, 'loop-a'));
    await fs.symlink('loop-a', path.join(dir, 'loop-b'));
    await assert.rejects(
      writeFile(path.join(dir, 'loop-a'), 'x'),
      (e: Error) => e instanceof WriteTargetError && /too many levels of symbolic links/.test(e.message),
    );
  });

  test(
    'as root, a link another user planted is followed only to a file that user owns; own state refuses links',
    { skip: !isRoot && 'root only' },
    async () => {
      const userDir = path.join(dir, 'nobody-dir');
      await fs.mkdir(userDir);
      await fs.chown(userDir, 65534, 65534);
      const system = path.join(dir, 'system-file');
      await fs.writeFile(system, 'root bytes');
      const asNobody = (cmd: string) => run('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', 'sh', '-c', cmd]);
      await asNobody(
        `ln -s ${system} ${userDir}/report.json && echo mine > ${userDir}/own && ln -s own ${userDir}/own-link && ln -s ${dir}/not-there ${userDir}/dangling`,
      );
      await assert.rejects(
        writeFile(path.join(userDir, 'report.json'), 'report'),
        (e: Error) =>
          e instanceof WriteTargetError &&
          /symlink owned by uid 65534 .*owned by uid 0: root does not follow a link another user controls/.test(e.message),
      );
      assert.equal(await fs.readFile(system, 'utf8'), 'root bytes');
      await assert.rejects(writeFile(path.join(userDir, 'dangling'), 'x'), WriteTargetError);
      await assert.rejects(fs.stat(path.join(dir, 'not-there')), /ENOENT/);
      await writeFile(path.join(userDir, 'own-link'), 'report');
      assert.equal(await fs.readFile(path.join(userDir, 'own'), 'utf8'), 'report');
      assert.equal((await fs.stat(path.join(userDir, 'own'))).uid, 65534, "the user's file stays theirs");

      await fs.symlink(system, path.join(dir, 'record.json'));
      await assert.rejects(writeFile(path.join(dir, 'record.json'), 'x', { followLinks: false }), /is a symlink: not followed/);
      assert.equal(await fs.readFile(system, 'utf8'), 'root bytes');
    },
  );

  test('a FIFO is written through and stays a FIFO', async () => {
    const fifo = path.join(dir, 'pipe');
    const { read } = await fifoWithReader(fifo);
    await writeFile(fifo, 'through the pipe\n');
    assert.equal(await read, 'through the pipe\n');
    assert.ok((await fs.lstat(fifo)).isFIFO());
    assert.deepEqual(await leftovers(), []);
  });

  test('pieces are written in order, as one file replaced atomically or through a FIFO', async () => {
    const pieces = function* (): Generator<string> {
      for (let i = 0; i < 1000; i++) yield `{"n":${i},"é":"${'x'.repeat(i % 97)}"}\n`;
    };
    const whole = [...pieces()].join('');
    const file = path.join(dir, 'pieces.json');
    await fs.writeFile(file, 'old');
    await writeFile(file, pieces());
    assert.equal(await fs.readFile(file, 'utf8'), whole);
    const fifo = path.join(dir, 'pieces-pipe');
    const { read } = await fifoWithReader(fifo);
    await writeFile(fifo, pieces());
    assert.equal(await read, whole);
    assert.deepEqual(await leftovers(), []);
  });

  test(
    'a character device is written through and stays that device (a private null device, c 1 3)',
    { skip: !isRoot && 'mknod needs root' },
    async () => {
      const dev = path.join(dir, 'null');
      await run('mknod', ['-m', '0666', dev, 'c', '1', '3']);
      const before = await fs.lstat(dev);
      await writeFile(dev, 'discarded');
      const after = await fs.lstat(dev);
      assert.ok(after.isCharacterDevice());
      assert.deepEqual([after.ino, after.rdev, after.mode], [before.ino, before.rdev, before.mode]);
      assert.deepEqual(await leftovers(), []);
    },
  );

  test('through a symlink to a device, the device is written and the link kept', { skip: !isRoot && 'mknod needs root' }, async () => {
    const dev = path.join(dir, 'null2');
    await run('mknod', ['-m', '0666', dev, 'c', '1', '3']);
    await fs.symlink(dev, path.join(dir, 'to-null'));
    await writeFile(path.join(dir, 'to-null'), 'x');
    assert.ok((await fs.lstat(path.join(dir, 'to-null'))).isSymbolicLink());
    assert.ok((await fs.lstat(dev)).isCharacterDevice());
  });

  test('a directory and a socket are refused with what they are; nothing is created beside them', async () => {
    const sub = path.join(dir, 'a-dir');
    await fs.mkdir(sub);
    await assert.rejects(
      writeFile(sub, 'x'),
      (e: Error) => e instanceof WriteTargetError && /a-dir: it is a directory, not a file/.test(e.message),
    );
    await fs.symlink(sub, path.join(dir, 'to-dir'));
    await assert.rejects(
      writeFile(path.join(dir, 'to-dir'), 'x'),
      (e: Error) => e instanceof WriteTargetError && /a-dir is a directory/.test(e.message),
    );
    const sock = path.join(dir, 'sock');
    const server = net.createServer().listen(sock);
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      await assert.rejects(writeFile(sock, 'x'), (e: Error) => e instanceof WriteTargetError && /is a socket/.test(e.message));
      assert.ok((await fs.lstat(sock)).isSocket());
    } finally {
      server.close();
    }
    assert.deepEqual(await leftovers(), []);
    assert.deepEqual(await fs.readdir(sub), []);
  });

  test("a killed writer's temporary file goes with the next write; a live writer's, another user's and another file's stay", async () => {
    const work = path.join(dir, 'leftovers');
    await fs.mkdir(work);
    const file = path.join(work, 'daemon.json');
    const live = spawn('sleep', ['3600'], { stdio: 'ignore' });
    const dead = spawn('true', [], { stdio: 'ignore' });
    await Promise.all([new Promise((resolve) => live.once('spawn', resolve)), new Promise((resolve) => dead.once('exit', resolve))]);
    try {
      const liveStart = processStartTicks(live.pid!);
      assert.ok(liveStart, 'the start time of a live process is readable');
      const names = {
        liveWriter: `.daemon.json.dockhand-${live.pid}-${liveStart}-aaaaaaaa.tmp`,
        // The pid is alive, but the process that has it started at another time: its writer is gone.
        reusedPid: `.daemon.json.dockhand-${live.pid}-${Number(liveStart) + 1}-bbbbbbbb.tmp`,
        // An older writer's name carries no start time: a live pid keeps it.
        noStartTime: `.daemon.json.dockhand-${live.pid}-cccccccc.tmp`,
        deadWriter: `.daemon.json.dockhand-${dead.pid}-1-dddddddd.tmp`,
        otherFile: `.other.json.dockhand-${dead.pid}-1-eeeeeeee.tmp`,
        othersOwn: `.daemon.json.dockhand-${dead.pid}-1-ffffffff.tmp`,
      };
      for (const name of Object.values(names)) await fs.writeFile(path.join(work, name), 'partial');
      if (isRoot) await fs.chown(path.join(work, names.othersOwn), 65534, 65534);
      await writeFile(file, '{}');
      const kept = [names.liveWriter, names.noStartTime, names.otherFile, ...(isRoot ? [names.othersOwn] : [])];
      assert.deepEqual((await fs.readdir(work)).filter((n) => n.endsWith('.tmp')).sort(), kept.sort());
    } finally {
      live.kill('SIGKILL');
    }
  });

  test('removeFile through a symlink removes the target and keeps the link (the shape before the target was made)', async () => {
    const link = path.join(dir, 'rm-link');
    const target = path.join(dir, 'rm-target');
    await fs.writeFile(target, 'x');
    await fs.symlink(target, link);
    await removeFile(link);
    assert.ok((await fs.lstat(link)).isSymbolicLink());
    await assert.rejects(fs.lstat(target), /ENOENT/);
    await removeFile(link); // absent is fine
    const fifo = path.join(dir, 'rm-fifo');
    await run('mkfifo', [fifo]);
    await assert.rejects(removeFile(fifo), WriteTargetError);
    assert.ok((await fs.lstat(fifo)).isFIFO());
  });
});

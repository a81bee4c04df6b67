// test-needs: root — asks as root and as nobody (setpriv)
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { localHostFacts, recordingHostFacts, replayHostFacts } from './host-facts';
import { preflight } from './preflight';

let dir: string;
before(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'dkh-hostfacts-'));
  await fs.chmod(dir, 0o755);
  await fs.mkdir(path.join(dir, 'open'), { mode: 0o755 });
  await fs.mkdir(path.join(dir, 'closed'), { mode: 0o700 });
  await fs.writeFile(path.join(dir, 'open/key.pem'), '-----BEGIN PRIVATE KEY----- s3cret-key-bytes', { mode: 0o600 });
  await fs.writeFile(path.join(dir, 'open/proxy'), '#!/bin/sh\n', { mode: 0o700 });
  await fs.writeFile(path.join(dir, 'open/profile.json'), '{"defaultAction": "SCMP_ACT_ERRNO"}', { mode: 0o644 });
  await fs.writeFile(path.join(dir, 'closed/cert.pem'), 'cert', { mode: 0o644 });
});
after(() => fs.rm(dir, { recursive: true, force: true }));

/** The answers localHostFacts gives to `questions`, asked by a process running as nobody. */
function asNobody(questions: [string, string][]): unknown[] {
  const script = `import { localHostFacts } from ${JSON.stringify(path.resolve('main/preflight/host-facts.ts'))};
const h = localHostFacts({ pid: null });
process.stdout.write(JSON.stringify(${JSON.stringify(questions)}.map(([q, a]) => h[q](a))));`;
  const out = execFileSync(
    'setpriv',
    ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, '--import', 'tsx', '--input-type=module', '-e', script],
    { encoding: 'utf8', cwd: path.resolve('.') },
  );
  return JSON.parse(out) as unknown[];
}

describe('host facts: what dockerd (root) will find, asked as root and as another user', () => {
  test("as nobody: root's 0600 key and 0700 program count for root; a path nobody may even stat is unknown, not missing", () => {
    const answers = asNobody([
      ['readable', path.join(dir, 'open/key.pem')],
      ['isExecutable', path.join(dir, 'open/proxy')],
      ['isExecutable', path.join(dir, 'open/key.pem')],
      ['readable', path.join(dir, 'closed/cert.pem')],
      ['readable', path.join(dir, 'open/missing.pem')],
      ['holdsJson', path.join(dir, 'open/profile.json')],
      ['holdsJson', path.join(dir, 'closed/cert.pem')],
    ]);
    assert.deepEqual(answers, [true, true, false, null, false, true, null]);
  });
  test('as root the same paths are all known', () => {
    const h = localHostFacts();
    assert.equal(h.readable(path.join(dir, 'open/key.pem')), true);
    assert.equal(h.readable(path.join(dir, 'closed/cert.pem')), true);
    assert.equal(h.readable(path.join(dir, 'open')), false, 'a directory is not a file dockerd can read');
    assert.equal(h.isExecutable(path.join(dir, 'open/proxy')), true);
    assert.equal(h.holdsJson(path.join(dir, 'closed/cert.pem')), false);
  });
  test('an offline root: symlinks resolve inside it, ".." never climbs out, and what only a kernel knows is unknown', async () => {
    const root = path.join(dir, 'root');
    await fs.mkdir(path.join(root, 'usr/libexec/docker'), { recursive: true });
    await fs.mkdir(path.join(root, 'usr/sbin'), { recursive: true });
    await fs.writeFile(path.join(root, 'usr/libexec/docker/docker-proxy'), '', { mode: 0o755 });
    await fs.symlink('/usr/libexec/docker/docker-proxy', path.join(root, 'usr/sbin/docker-proxy'));
    await fs.symlink('/etc/hostname', path.join(root, 'usr/sbin/escape'));
    await fs.symlink('loop', path.join(root, 'usr/sbin/loop'));
    const h = localHostFacts({ root });
    assert.equal(h.isExecutable('/usr/sbin/docker-proxy'), true);
    assert.equal(h.readable('/usr/sbin/escape'), false, "the link names the root's /etc/hostname, which it does not hold");
    assert.equal(h.readable('/../../../etc/hostname'), false);
    assert.equal(h.readable('/usr/sbin/loop'), false);
    assert.deepEqual(
      [h.systemd, h.journald, h.kernelFilesystems, h.canRaiseLimits, h.realtimeBudget, h.filesystemOf('/'), h.hardLimit('nofile')],
      [null, null, null, null, null, null, null],
    );
  });
});

describe('host facts kept in a snapshot', () => {
  const tls = () =>
    `{"tls": true, "tlscert": ${JSON.stringify(path.join(dir, 'open/key.pem'))}, "tlskey": ${JSON.stringify(path.join(dir, 'open/key.pem'))}, "seccomp-profile": ${JSON.stringify(path.join(dir, 'open/profile.json'))}}`;
  const input = (host: ReturnType<typeof localHostFacts> | null) => ({
    text: tls(),
    path: 'daemon.json',
    explicit: true,
    flags: null,
    engineVersion: '28.5.2',
    platform: 'linux' as const,
    host,
  });

  test("holds the answers to the questions the pre-flight asked, never a file's contents", () => {
    const { facts, snapshot } = recordingHostFacts(localHostFacts());
    assert.equal(preflight(input(facts)).willStart, true);
    assert.deepEqual(snapshot.readable, { [path.join(dir, 'open/key.pem')]: true, [path.join(dir, 'open/profile.json')]: true });
    assert.deepEqual(snapshot.holdsJson, { [path.join(dir, 'open/profile.json')]: true });
    assert.doesNotMatch(JSON.stringify(snapshot), /s3cret|BEGIN|SCMP_ACT/);
    // Replayed, the same verdict; a question the snapshot was never asked is unknown (a warning), or an error when strict.
    assert.deepEqual(preflight(input(replayHostFacts(snapshot))), preflight(input(facts)));
    const other = '{"userland-proxy-path": "/usr/sbin/docker-proxy"}';
    const loose = preflight({ ...input(replayHostFacts(snapshot, { strict: false })), text: other });
    assert.match(loose.problems[0]!.message, /must be an executable file \(dockerd checks this on the host when it starts/);
    assert.throws(
      () => preflight({ ...input(replayHostFacts(snapshot)), text: other }),
      /do not say isExecutable\("\/usr\/sbin\/docker-proxy"\)/,
    );
  });
});

import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import type { Facts } from '../../shared/facts';
import { forEachEngine, importBusybox, type PrivateDockerd, runningDockerd } from '../../test/support/dockerd';
import { LocalHost } from '../host/local-host';
import { RootfsHost } from '../host/rootfs-host';
import { collectFacts } from './collect';
import { measureDataRootFs } from './disk';
import { filesystemOf, longestMount, parseMountInfo } from './mount-table';
import { findPrune, findPruneCommand } from './scheduled-cleanup';

const run = promisify(execFile);
const NOBODY = 65534;

async function writeAt(root: string, p: string, text: string, mode = 0o644): Promise<void> {
  await fs.mkdir(path.join(root, path.dirname(p)), { recursive: true });
  await fs.writeFile(path.join(root, p), text, { mode });
  await fs.chmod(path.join(root, p), mode);
}

/** Collects facts in a child process running as `nobody`, to meet the permission errors a non-root user meets. */
function collectAsNobody(args: { host?: string; root?: string }): Promise<Pick<Facts, 'containerLogs' | 'scheduledCleanup'>> {
  const here = import.meta.dirname;
  const code = `
    const { collectFacts } = await import(${JSON.stringify(path.join(here, 'collect.ts'))});
    const { LocalHost } = await import(${JSON.stringify(path.join(here, '../host/local-host.ts'))});
    const { RootfsHost } = await import(${JSON.stringify(path.join(here, '../host/rootfs-host.ts'))});
    const [host, root] = process.argv.slice(1);
    const facts = root ? await collectFacts({ host: new RootfsHost(root) }) : await collectFacts({ host: new LocalHost(), endpoint: { host } });
    process.stdout.write(JSON.stringify({ containerLogs: facts.containerLogs, scheduledCleanup: facts.scheduledCleanup }));`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code, args.host ?? '', args.root ?? ''], {
      uid: NOBODY,
      gid: NOBODY,
      env: { PATH: process.env.PATH, HOME: '/nonexistent' },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (err += c));
    child.on('close', (status) => (status === 0 ? resolve(JSON.parse(out)) : reject(new Error(`child exited ${status}: ${err}`))));
  });
}

forEachEngine("the filesystem holding a running daemon's data root", (engine, test) => {
  let daemon: PrivateDockerd;
  before(async () => {
    daemon = await runningDockerd({ engine, daemonJson: {} });
  });
  after(async () => {
    await daemon?.stop();
  });

  test("live: the running daemon's DockerRootDir, measured, with the filesystem really holding it", async () => {
    const facts = await collectFacts({ host: new LocalHost(), endpoint: { host: daemon.host } });
    const fact = facts.dataRootFs;
    assert.ok(fact.ok, JSON.stringify(fact));
    assert.equal(fact.value.path, path.join(daemon.dir, 'data'));
    assert.deepEqual(fact.sources[0], { kind: 'api', call: 'GET /info' });
    assert.ok(fact.value.totalBytes > 0 && fact.value.availableBytes > 0 && fact.value.freeInodes > 0);
    const mp = fact.value.mountPoint!;
    assert.ok(mp === '/' || fact.value.path.startsWith(`${mp}/`), `${mp} holds ${fact.value.path}`);
    // dockerd bind-mounts its data root onto itself when / is not shared: that is not a separate filesystem.
    assert.notEqual(mp, fact.value.path);
    assert.ok(fact.value.fsType);
  });
});

describe('the filesystem holding the data root', () => {
  let tmp: string;
  const mounted: string[] = [];
  before(async () => {
    tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'dkh-fs-'));
  });
  after(async () => {
    for (const m of mounted.reverse()) await run('umount', [m]).catch(() => undefined);
    await fs.rm(tmp, { recursive: true, force: true });
  });

  test('a tmpfs is its own filesystem; a self bind mount is not', async () => {
    const small = path.join(tmp, 'small');
    await fs.mkdir(small);
    await run('mount', ['-t', 'tmpfs', '-o', 'size=8m', 'tmpfs', small]);
    mounted.push(small);
    await fs.mkdir(path.join(small, 'docker'));
    const onTmpfs = await measureDataRootFs(new LocalHost(), path.join(small, 'docker'));
    assert.ok(onTmpfs.ok, JSON.stringify(onTmpfs));
    assert.equal(onTmpfs.value.mountPoint, small);
    assert.equal(onTmpfs.value.fsType, 'tmpfs');
    assert.equal(onTmpfs.value.totalBytes, 8 * 1024 * 1024);

    const bound = path.join(tmp, 'bound');
    await fs.mkdir(bound);
    await run('mount', ['--bind', bound, bound]);
    mounted.push(bound);
    const onBind = await measureDataRootFs(new LocalHost(), bound);
    assert.ok(onBind.ok, JSON.stringify(onBind));
    assert.notEqual(onBind.value.mountPoint, bound);
    assert.ok(onBind.sources.some((s) => s.kind === 'default' && /bind mount or subvolume/.test(s.detail)));
  });

  test('offline root: data-root from daemon.json, a data root not created yet, the mount point from fstab', async () => {
    const root = path.join(tmp, 'image');
    await writeAt(root, '/etc/docker/daemon.json', '{\n  "data-root": "/srv/docker"\n}\n');
    await writeAt(
      root,
      '/etc/fstab',
      '# <file system> <mount point> <type> <options> <dump> <pass>\nUUID=1111 / ext4 errors=remount-ro 0 1\nUUID=2222 /srv xfs defaults 0 2\nUUID=3333 none swap sw 0 0\n',
    );
    await fs.mkdir(path.join(root, 'srv'));
    const facts = await collectFacts({ host: new RootfsHost(root) });
    const fact = facts.dataRootFs;
    assert.ok(fact.ok, JSON.stringify(fact));
    assert.equal(fact.value.path, '/srv/docker');
    assert.equal(fact.value.mountPoint, '/srv');
    assert.equal(fact.value.fsType, 'xfs');
    assert.deepEqual(
      fact.sources.find((s) => s.kind === 'file' && s.path === '/etc/fstab'),
      { kind: 'file', path: '/etc/fstab', line: 3 },
    );
    assert.ok(fact.sources.some((s) => s.kind === 'file' && s.path === '/etc/docker/daemon.json'));
    assert.ok(fact.sources.some((s) => s.kind === 'default' && /\/srv\/docker does not exist yet; measured \/srv/.test(s.detail)));
  });

  test('offline root: --data-root in docker.service wins over daemon.json; without either, /var/lib/docker', async () => {
    const root = path.join(tmp, 'image-flags');
    await writeAt(root, '/lib/systemd/system/docker.service', '[Service]\nExecStart=/usr/bin/dockerd -H fd:// --data-root=/data/docker\n');
    await writeAt(root, '/etc/docker/daemon.json', '{"data-root": "/srv/docker"}');
    const withFlag = (await collectFacts({ host: new RootfsHost(root) })).dataRootFs;
    assert.ok(withFlag.ok, JSON.stringify(withFlag));
    assert.equal(withFlag.value.path, '/data/docker');
    assert.equal(withFlag.value.mountPoint, null, 'no fstab in this image');

    const bare = path.join(tmp, 'image-bare');
    await fs.mkdir(bare);
    const byDefault = (await collectFacts({ host: new RootfsHost(bare) })).dataRootFs;
    assert.ok(byDefault.ok, JSON.stringify(byDefault));
    assert.equal(byDefault.value.path, '/var/lib/docker');
    assert.ok(byDefault.sources.some((s) => s.kind === 'default' && /dockerd's default/.test(s.detail)));
  });

  test('mountinfo: escaped blanks, stacked mounts, bind mounts and btrfs subvolumes of the root device', () => {
    const mountinfo = [
      '22 1 254:0 / / rw,relatime shared:1 - ext4 /dev/vda1 rw',
      '40 22 254:0 /var/lib/docker /var/lib/docker rw,relatime - ext4 /dev/vda1 rw',
      '41 22 8:17 / /mnt/big\\040disk rw,relatime shared:5 - xfs /dev/sdb1 rw',
      '42 41 8:17 /docker /srv/docker rw - xfs /dev/sdb1 rw',
      '50 22 0:45 /@ / rw - btrfs /dev/nvme0n1p2 rw',
      '51 22 0:46 /@docker /var/lib/containers rw - btrfs /dev/nvme0n1p3 rw',
      '52 22 0:46 /@home /home rw - btrfs /dev/nvme0n1p3 rw',
    ].join('\n');
    const entries = parseMountInfo(mountinfo);
    const owner = (p: string) => filesystemOf(entries, longestMount(entries, p)!).mountPoint;
    assert.equal(owner('/var/lib/docker'), '/', 'self bind of the root device');
    assert.equal(longestMount(entries, '/mnt/big disk/x')!.mountPoint, '/mnt/big disk');
    assert.equal(owner('/srv/docker'), '/mnt/big disk', 'bind of a subtree of another disk');
    assert.equal(owner('/var/lib/containers'), '/var/lib/containers', 'a subvolume of a device with no whole mount stays as is');
  });
});

forEachEngine('container log files', (engine, test) => {
  let daemon: PrivateDockerd;
  before(async () => {
    daemon = await runningDockerd({ engine, daemonJson: {} });
    const image = await importBusybox(daemon);
    // 200 kB of output, rotated every 50 kB into 3 files: the figure must count the rotated ones.
    const write = 'i=0; while [ $i -lt 4000 ]; do echo "line $i of a chatty container, padded to fifty bytes"; i=$((i+1)); done';
    await daemon.docker(['run', '--name', 'rotated', '--log-opt', 'max-size=50k', '--log-opt', 'max-file=3', image, 'sh', '-c', write]);
    await daemon.docker(['run', '--name', 'plain', image, 'sh', '-c', 'echo hello']);
    await daemon.docker(['run', '--name', 'gone', image, 'sh', '-c', 'echo bye']);
    await daemon.docker(['run', '--name', 'nolog', '--log-driver', 'none', image, 'true']);
    const gone = await daemon.docker(['inspect', '-f', '{{.LogPath}}', 'gone']);
    await fs.rm(gone);
  });
  after(async () => {
    await daemon?.stop();
  });

  test('each log with its rotated files; a deleted log is skipped; no log path, no entry', async () => {
    const facts = await collectFacts({ host: new LocalHost(), endpoint: { host: daemon.host } });
    const logs = facts.containerLogs;
    assert.ok(logs.ok, JSON.stringify(logs));
    const byName = new Map(logs.value.map((l) => [l.container, l]));
    assert.deepEqual([...byName.keys()].sort(), ['plain', 'rotated']);
    const rotated = byName.get('rotated')!;
    const current = (await fs.stat(rotated.path)).size;
    assert.ok(current <= 51 * 1024, `current file ${current} is capped by max-size`);
    assert.ok(rotated.bytes > 100 * 1024, `with rotated files: ${rotated.bytes}`);
    assert.ok(byName.get('plain')!.bytes > 0);
  });

  test('a log the user may not read fails the fact with the path, instead of understating the total', async () => {
    // Let nobody reach the socket, but not the data root (dockerd keeps it 0710 root).
    await fs.chmod(daemon.dir, 0o755);
    await fs.chmod(daemon.socket, 0o666);
    const facts = await collectAsNobody({ host: daemon.host });
    const logs = facts.containerLogs;
    assert.ok(!logs.ok, JSON.stringify(logs));
    assert.equal(logs.error.code, 'permission-denied');
    assert.match(logs.error.message, /-json\.log: permission denied/);
  });
});

describe('scheduled cleanup', () => {
  let root: string;
  before(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'dkh-cron-'));
    await fs.chmod(root, 0o755);
    await writeAt(root, '/etc/debian_version', '12.7\n');
    // Debian's /etc/crontab, with a prune someone commented out.
    await writeAt(
      root,
      '/etc/crontab',
      '# /etc/crontab: system-wide crontab\nSHELL=/bin/sh\nPATH=/usr/local/sbin:/usr/local/bin:/sbin:/bin:/usr/sbin:/usr/bin\n\n17 *\t* * *\troot\tcd / && run-parts --report /etc/cron.hourly\n25 6\t* * *\troot\ttest -x /usr/sbin/anacron || { cd / && run-parts --report /etc/cron.daily; }\n#30 2 * * * root docker system prune -af\n',
    );
    await writeAt(
      root,
      '/etc/cron.d/docker-cleanup',
      '# weekly cleanup of unused images\nMAILTO=ops@example.com\n0 3 * * 0 root /bin/sh -c "/usr/bin/docker image prune -a -f --filter until=168h >/var/log/docker-prune.log 2>&1"\n',
    );
    await writeAt(
      root,
      '/etc/cron.d/e2scrub_all',
      '30 3 * * 0 root test -e /run/systemd/system || SERVICE_MODE=1 /usr/lib/x86_64-linux-gnu/e2fsprogs/e2scrub_all_cron\n',
    );
    await writeAt(
      root,
      '/var/spool/cron/crontabs/ci',
      '# DO NOT EDIT THIS FILE - edit the master and reinstall.\n@daily docker -H unix:///run/user/1000/docker.sock builder prune -f\n',
      0o600,
    );
    await writeAt(
      root,
      '/etc/cron.daily/dockhand',
      '#!/bin/sh\n# prune what Dockhand plans\nexec /usr/local/bin/dockhand prune --yes\n',
      0o755,
    );
    await writeAt(root, '/etc/cron.daily/docker-prune.sh', '#!/bin/sh\ndocker system prune -af\n', 0o755);
    await writeAt(root, '/etc/cron.weekly/docker-gc', '#!/bin/sh\ndocker container prune -f\n', 0o644);
    await writeAt(
      root,
      '/etc/systemd/system/docker-prune.timer',
      '[Unit]\nDescription=Prune Docker daily\n\n[Timer]\nOnCalendar=daily\nPersistent=true\n\n[Install]\nWantedBy=timers.target\n',
    );
    await writeAt(
      root,
      '/etc/systemd/system/docker-prune.service',
      '[Unit]\nDescription=Prune Docker\n\n[Service]\nType=oneshot\nExecStart=/usr/bin/docker system prune -af --filter "until=168h"\n',
    );
    await fs.mkdir(path.join(root, '/etc/systemd/system/timers.target.wants'), { recursive: true });
    await fs.symlink(
      '/etc/systemd/system/docker-prune.timer',
      path.join(root, '/etc/systemd/system/timers.target.wants/docker-prune.timer'),
    );
    await writeAt(root, '/lib/systemd/system/old-gc.timer', '[Timer]\nOnCalendar=weekly\nUnit=old-gc-run.service\n');
    await writeAt(root, '/lib/systemd/system/old-gc-run.service', '[Service]\nExecStart=/usr/bin/docker image prune -f\n');
  });
  after(async () => {
    await fs.rm(root, { recursive: true, force: true });
  });

  test('cron tables, cron scripts and enabled timers that prune, with file and line; what never runs is not counted', async () => {
    const fact = (await collectFacts({ host: new RootfsHost(root) })).scheduledCleanup;
    assert.ok(fact.ok, JSON.stringify(fact));
    const entries = fact.value.entries.map((e) => `${e.kind} ${e.path}:${e.line}`).sort();
    assert.deepEqual(entries, [
      'cron /etc/cron.d/docker-cleanup:3',
      'cron /etc/cron.daily/dockhand:3',
      'cron /var/spool/cron/crontabs/ci:2',
      'systemd-timer /etc/systemd/system/docker-prune.service:6',
    ]);
    const timer = fact.value.entries.find((e) => e.kind === 'systemd-timer')!;
    assert.equal(timer.command, '/usr/bin/docker system prune -af --filter until=168h (timer docker-prune.timer)');
    assert.deepEqual(timer.scope, { volumes: false, wholeBuildCache: false, cleans: true }, 'bounded by age: it keeps recent cache');
    const looked = fact.value.looked.join('\n');
    assert.match(looked, /docker-prune\.sh \(runs a prune, but is never run: Debian's run-parts ignores names/);
    assert.match(looked, /docker-gc \(runs a prune, but is never run: not executable/);
    assert.match(looked, /old-gc\.timer \(runs a prune, but is not enabled/);
    assert.match(looked, /\/etc\/crontab/);
  });

  test('an empty root has no cleanup; a crontab directory nobody may read makes the answer an error, not a guess', async () => {
    const empty = await fs.mkdtemp(path.join(os.tmpdir(), 'dkh-cron-empty-'));
    try {
      const none = (await collectFacts({ host: new RootfsHost(empty) })).scheduledCleanup;
      assert.ok(none.ok, JSON.stringify(none));
      assert.deepEqual(none.value.entries, []);

      await fs.chmod(empty, 0o755);
      await writeAt(empty, '/var/spool/cron/crontabs/root', '@hourly docker system prune -f\n', 0o600);
      await fs.chmod(path.join(empty, '/var/spool/cron/crontabs'), 0o730);
      const hidden = (await collectAsNobody({ root: empty })).scheduledCleanup;
      assert.ok(!hidden.ok, JSON.stringify(hidden));
      assert.equal(hidden.error.code, 'permission-denied');
      assert.match(hidden.error.message, /\/var\/spool\/cron\/crontabs/);
    } finally {
      await fs.rm(empty, { recursive: true, force: true });
    }
  });

  test('prune commands are recognised through sudo, global options, sh -c and chains, and nothing else is', () => {
    assert.equal(
      findPruneCommand('sudo /usr/bin/docker --context prod system prune -af'),
      '/usr/bin/docker --context prod system prune -af',
    );
    assert.equal(findPruneCommand(`bash -lc 'cd /srv && docker compose pull && docker image prune -f'`), 'docker image prune -f');
    assert.equal(findPruneCommand('docker buildx prune -f --keep-storage 10gb'), 'docker buildx prune -f --keep-storage 10gb');
    assert.equal(findPruneCommand('docker ps -a | grep Exited'), null);
    assert.equal(findPruneCommand('echo docker system prune'), null);
    assert.equal(findPruneCommand('docker run --rm alpine echo volume prune'), null);
    // The word as the shell sees it once quotes and backslashes are gone, however the line spells it.
    assert.equal(findPruneCommand(`docker system "prune" -f`), 'docker system prune -f');
    assert.equal(findPruneCommand(`docker image pr'u'ne -f`), 'docker image prune -f');
    assert.equal(findPruneCommand('docker system pr\\une -f'), 'docker system prune -f');
    assert.equal(findPruneCommand('docker system df'), null);
  });

  test('what a prune removes is read from its flags: volumes, the whole build cache, or only what rebuilds cheaply', () => {
    const scope = (line: string) => findPrune(line)?.scope;
    assert.deepEqual(scope('docker volume prune -f'), { volumes: true, wholeBuildCache: false, cleans: false });
    assert.deepEqual(scope('docker system prune -af --volumes'), { volumes: true, wholeBuildCache: true, cleans: true });
    assert.deepEqual(scope('docker system prune --all --volumes=false -f'), { volumes: false, wholeBuildCache: true, cleans: true });
    assert.deepEqual(scope('docker system prune -af --filter "until=168h"'), { volumes: false, wholeBuildCache: false, cleans: true });
    assert.deepEqual(scope('docker builder prune -a -f --keep-storage 20gb'), { volumes: false, wholeBuildCache: false, cleans: true });
    assert.deepEqual(scope('docker buildx prune --all --force'), { volumes: false, wholeBuildCache: true, cleans: true });
    assert.deepEqual(scope('docker image prune -af'), { volumes: false, wholeBuildCache: false, cleans: true });
    assert.deepEqual(scope('dockhand prune apply --until 168h --yes'), { volumes: false, wholeBuildCache: false, cleans: true });
    assert.deepEqual(scope('dockhand prune apply --volumes all --yes'), { volumes: true, wholeBuildCache: false, cleans: false });
    assert.equal(findPruneCommand('docker run --rm alpine echo prune'), null);
  });
});

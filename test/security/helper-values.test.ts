// Hostile plans handed to the real root helper (`dockhand fix helper`, run through a stand-in sudo that really becomes
// root) by an unprivileged caller: a drop-in smuggling an ExecStartPre= past the proxy values, subordinate id ranges
// for the wrong user or over real ids, a docker-group membership for someone other than the caller, and Docker
// Desktop settings through root. Each must be refused with a clear message, change nothing on the host (the files
// and directories the operations name are compared byte for byte), and run no command as root (gpasswd, usermod and
// systemctl on root's PATH are recording wrappers). One plan the helper must accept: the caller joining the docker
// group, done with gpasswd on this live host and undone with gpasswd -d.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { type FileChange, type FixOperation, type FixPlan, type HelperMessage } from '../../shared/fix';
import { sha256 } from '../../main/util/write-file';
import { addSubIdRange } from '../../main/fix/operations';
import { type PrivateDockerd, runningDockerd } from '../support/dockerd';
import { installRootSudo, NOBODY, type RootSudo, runHelperAs } from '../support/elevation';
import { handMadePlan } from '../support/fix-plan';

const run = promisify(execFile);
const WATCHED_FILES = ['/etc/group', '/etc/gshadow', '/etc/passwd', '/etc/shadow', '/etc/subuid', '/etc/subgid', '/etc/docker/daemon.json'];
const WATCHED_DIRS = ['/etc/systemd/system', '/etc/docker'];
/** A throwaway account the attacks name; created here, removed after. */
const VICTIM = 'dkh-victim';
/** A throwaway account that really asks to join the docker group. */
const JOINER = 'dkh-joiner';

type Snapshot = Map<string, string | null>;

/** Every watched file's bytes (null: absent) and, recursively, every entry under the watched directories. */
async function snapshot(extra: readonly string[] = []): Promise<Snapshot> {
  const out: Snapshot = new Map();
  const visit = async (p: string): Promise<void> => {
    const st = await fs.lstat(p).catch(() => null);
    if (!st) return void out.set(p, null);
    if (st.isDirectory()) {
      out.set(p, `dir ${st.mode.toString(8)} ${st.uid}`);
      for (const entry of (await fs.readdir(p)).sort()) await visit(path.join(p, entry));
    } else if (st.isSymbolicLink()) out.set(p, `link ${await fs.readlink(p)}`);
    else out.set(p, `file ${st.mode.toString(8)} ${st.uid}:${st.gid} ${sha256(await fs.readFile(p))}`);
  };
  for (const p of [...WATCHED_FILES, ...WATCHED_DIRS, ...extra]) await visit(p);
  return out;
}

/** Undoes whatever a regression wrote to the real /etc: each file back to its bytes, new entries removed. */
async function restore(saved: Map<string, Buffer | null>, dirsBefore: Snapshot): Promise<void> {
  for (const [file, bytes] of saved) {
    if (bytes === null) await fs.rm(file, { force: true });
    else if (!(await fs.readFile(file).catch(() => null))?.equals(bytes)) await fs.writeFile(file, bytes);
  }
  const now = await snapshot();
  for (const p of [...now.keys()].reverse()) if (!dirsBefore.has(p)) await fs.rm(p, { recursive: true, force: true });
}

/** The real daemon the plans name: the helper proves it before it judges anything that touches a daemon. */
let daemon: PrivateDockerd;

function planOf(operations: FixOperation[], files: FileChange[], extra: Partial<FixPlan> = {}): FixPlan {
  return handMadePlan(operations, files, {
    id: 'hostile-plan-0001',
    fixId: 'hand-made',
    title: 'hand-made',
    endpoint: daemon.host,
    elevation: { needed: true, why: 'root' },
    verification: { kind: 'none', why: 'hand-made' },
    ...extra,
  });
}

async function fileChange(file: string, after: (before: string) => string): Promise<FileChange> {
  const before = await fs.readFile(file, 'utf8').catch(() => null);
  return {
    path: file,
    existed: before !== null,
    beforeSha256: before === null ? null : sha256(before),
    after: after(before ?? ''),
    diff: '',
  };
}

describe('the root helper against hand-written plans (proxy values, subordinate ids, group membership, Desktop settings)', () => {
  let dir: string;
  let sudo: RootSudo;
  let commandLog: string;
  let rootState: string;
  let savedFiles: Map<string, Buffer | null>;
  let dirsBefore: Snapshot;
  let victimUid: number;

  /** Runs the helper as `who` (nobody by default) through the stand-in sudo, handing it `plan` on stdin. */
  const helper = (plan: unknown, args: string[] = [], who = NOBODY) =>
    runHelperAs(sudo, typeof plan === 'string' ? plan : JSON.stringify(plan), { who, args, cwd: dir, path: `${sudo.dir}:/usr/bin:/bin` });

  /** Hands `plan` to the helper as nobody and proves it was refused, nothing changed and no command ran. */
  async function refused(plan: FixPlan, why: RegExp, extraWatched: readonly string[] = []): Promise<void> {
    const beforeState = await snapshot(extraWatched);
    const r = await helper(plan);
    assert.equal(r.code, 2, `refused as a usage error, not a crash (exit ${r.code}): ${r.stderr}`);
    assert.match(r.stderr, why);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    assert.deepEqual(await snapshot(extraWatched), beforeState, 'nothing on the host changed');
    assert.equal(await fs.readFile(commandLog, 'utf8'), '', 'no command ran as root');
  }

  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'dkh-sec-values-'));
    await fs.chmod(dir, 0o755);
    // Root's PATH starts with recording stand-ins for the tools a group or unit change would run; they then run the real one.
    const trap = path.join(dir, 'trap');
    await fs.mkdir(trap, { mode: 0o755 });
    commandLog = path.join(dir, 'commands.log');
    await fs.writeFile(commandLog, '');
    for (const tool of ['gpasswd', 'usermod', 'systemctl', 'service', 'useradd', 'groupadd']) {
      const real = (
        await run('sh', ['-c', `command -v ${tool} || true`], { env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin' } })
      ).stdout.trim();
      await fs.writeFile(
        path.join(trap, tool),
        `#!/bin/sh\necho "${tool} $*" >> ${commandLog}\n${real ? `exec ${real} "$@"` : 'exit 127'}\n`,
        { mode: 0o755 },
      );
    }
    rootState = path.join(dir, 'root-state');
    sudo = await installRootSudo(path.join(dir, 'sudo'), { PATH: `${trap}:/usr/sbin:/usr/bin:/sbin:/bin`, DOCKHAND_STATE_DIR: rootState });

    savedFiles = new Map();
    for (const file of WATCHED_FILES) savedFiles.set(file, await fs.readFile(file).catch(() => null));
    await run('useradd', ['--no-create-home', '--shell', '/usr/sbin/nologin', VICTIM]);
    await run('useradd', ['--no-create-home', '--shell', '/usr/sbin/nologin', JOINER]);
    victimUid = Number((await run('id', ['-u', VICTIM])).stdout.trim());
    dirsBefore = await snapshot();
    daemon = await runningDockerd({ daemonJson: {} });
  });

  after(async () => {
    await daemon?.stop();
    await run('gpasswd', ['-d', JOINER, 'docker']).catch(() => undefined);
    await run('userdel', [JOINER]).catch(() => undefined);
    await run('userdel', [VICTIM]).catch(() => undefined);
    if (savedFiles && dirsBefore) await restore(savedFiles, dirsBefore);
    await sudo?.remove();
    await fs.rm(dir, { recursive: true, force: true });
  });

  test('a drop-in smuggling ExecStartPre= after a NUL, a newline, a CR, U+2028 or a space in a proxy value is refused', async () => {
    const dropIn = '/etc/systemd/system/docker.service.d/zz-dockhand-proxy.conf';
    const smuggled = [
      ['[Service]\nEnvironment="HTTP_PROXY=http://p:3128\u0000"\nExecStartPre=/bin/touch /tmp/dkh-pwned\n', /line 3 is "ExecStartPre=/],
      [
        '[Service]\nEnvironment="HTTP_PROXY=http://p:3128\u0000ExecStartPre=/bin/touch /tmp/dkh-pwned"\n',
        /HTTP_PROXY: a proxy URL cannot hold the character U\+0000/,
      ],
      ['[Service]\nEnvironment="HTTP_PROXY=http://p:3128\rExecStartPre=/bin/touch /tmp/dkh-pwned"\n', /cannot hold the character U\+000D/],
      [
        '[Service]\nEnvironment="NO_PROXY=localhost\u2028ExecStartPre=/bin/touch"\n',
        /NO_PROXY: a NO_PROXY list cannot hold the character U\+2028/,
      ],
      ['[Service]\nEnvironment="HTTP_PROXY=http://p:3128" \\\nExecStartPre=/bin/touch /tmp/dkh-pwned\n', /line 2 is/],
      ['[Service]\nEnvironment="HTTP_PROXY=http://%u:3128"\n', /specifier/],
    ] as const;
    for (const [content, why] of smuggled) {
      const op: FixOperation = {
        op: 'systemd-dropin.write',
        scope: 'system',
        unit: 'docker.service',
        name: 'zz-dockhand-proxy.conf',
        content,
      };
      await refused(planOf([op, { op: 'daemon.reload' }], [await fileChange(dropIn, () => content)]), why);
    }
    // The same value through daemon.json "proxies" (Engine 23.0+) is refused by the same grammar.
    const proxies: FixOperation = {
      op: 'daemon-json.set',
      file: daemon.configPath,
      path: ['proxies'],
      value: { 'http-proxy': 'http://p:3128\nx' },
    };
    await refused(
      planOf([proxies], [await fileChange(daemon.configPath, () => '{"proxies":{"http-proxy":"http://p:3128\\nx"}}\n')]),
      /"proxies"."http-proxy": a proxy URL cannot hold the character U\+000A/,
    );
  });

  test("subordinate ids: another user, a system id, a real account's uid, an existing range, or no userns-remap at all are refused", async () => {
    const remap: FixOperation = { op: 'daemon-json.set', file: daemon.configPath, path: ['userns-remap'], value: 'default' };
    const attempt = async (
      ops: FixOperation[],
      file: '/etc/subuid' | '/etc/subgid',
      user: string,
      start: number,
      count: number,
      why: RegExp,
    ) => {
      const subid: FixOperation = { op: 'subid.add', file, user, start, count };
      const files = [await fileChange(file, (b) => addSubIdRange(b, user, start, count))];
      if (ops.length) files.unshift(await fileChange(daemon.configPath, () => '{\n  "userns-remap": "default"\n}\n'));
      await refused(planOf([...ops, subid], files), why);
    };
    // useradd gave the victim a range of its own: read it, to aim at it.
    const victimRange = (await fs.readFile('/etc/subuid', 'utf8')).split('\n').find((l) => l.startsWith(`${VICTIM}:`));
    await attempt(
      [remap],
      '/etc/subuid',
      VICTIM,
      1_000_000_000,
      65536,
      /may go to dockremap only \(the user userns-remap names\), not dkh-victim/,
    );
    await attempt([remap], '/etc/subgid', 'root', 1_000_000_000, 65536, /may go to dockremap only/);
    await attempt(
      [remap],
      '/etc/subgid',
      'dockremap',
      105,
      65536,
      /starts at SUB_GID_MIN \(100000, from \/etc\/login\.defs\) or above, not 105/,
    );
    await attempt([remap], '/etc/subuid', 'dockremap', 0, 65536, /not a valid fix plan|or above, not 0/);
    await attempt([remap], '/etc/subuid', 'dockremap', 600_000_000, 1_000_000, /ends at SUB_UID_MAX/);
    await attempt([remap], '/etc/subuid', 'dockremap', 100_000, 4_294_967_295, /ends at SUB_UID_MAX|ends below/);
    assert.ok(victimRange, 'useradd gives a new user a subordinate range');
    await attempt(
      [remap],
      '/etc/subuid',
      'dockremap',
      Number(victimRange.split(':')[1]) + 10,
      65536,
      new RegExp(`overlaps ${VICTIM}'s subordinate uid range`),
    );
    // A real account above SUB_UID_MIN (LDAP-style ids): its uid must not fall inside a new range.
    await run('usermod', ['-u', '300000', VICTIM]);
    try {
      await attempt([remap], '/etc/subuid', 'dockremap', 299_000, 65536, /holds uid 300000, which a real user on this host has/);
    } finally {
      await run('usermod', ['-u', String(victimUid), VICTIM]);
    }
    // No userns-remap in the plan and none in the daemon's configuration: nobody is owed a range.
    await attempt(
      [],
      '/etc/subuid',
      'dockremap',
      1_000_000_000,
      65536,
      /neither this plan nor the daemon's configuration sets userns-remap/,
    );
  });

  test('the docker group: a user who is not the caller is refused; the caller joins through gpasswd and leaves through gpasswd -d', async () => {
    const join = (user: string) =>
      planOf([{ op: 'group.add-user', group: 'docker', user }], [], { verification: { kind: 'group-member', group: 'docker', user } });
    const withFiles = async (user: string) => ({
      ...join(user),
      files: [
        await fileChange('/etc/group', (b) =>
          b.replace(/^(docker:[^:]*:[^:]*:)(.*)$/m, (_m, head: string, members: string) => `${head}${members ? `${members},` : ''}${user}`),
        ),
      ],
    });
    await refused(await withFiles(VICTIM), /the helper adds the user who ran it \(nobody\) to the docker group, not dkh-victim/);
    await refused(await withFiles('root'), /not root/);

    // The joiner asks for itself: gpasswd does it (the shadow lock taken, /etc/gshadow kept in step), not a file edit.
    const joiner = {
      uid: Number((await run('id', ['-u', JOINER])).stdout.trim()),
      gid: Number((await run('id', ['-g', JOINER])).stdout.trim()),
    };
    const gshadowBefore = await fs.readFile('/etc/gshadow', 'utf8');
    const applied = await helper(await withFiles(JOINER), [], joiner);
    assert.equal(applied.code, 0, applied.stderr);
    const record = (
      applied.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as HelperMessage)
        .find((m) => m.type === 'record') as Extract<HelperMessage, { type: 'record' }>
    ).record;
    assert.equal(record.outcome, 'applied', record.message);
    assert.match(await fs.readFile(commandLog, 'utf8'), new RegExp(`^gpasswd -a ${JOINER} docker\n$`));
    assert.match((await run('getent', ['group', 'docker'])).stdout, new RegExp(`[:,]${JOINER}\\b`));
    assert.notEqual(await fs.readFile('/etc/gshadow', 'utf8'), gshadowBefore, '/etc/gshadow follows /etc/group');
    assert.match(await fs.readFile('/etc/gshadow', 'utf8'), new RegExp(`^docker:.*[:,]${JOINER}$`, 'm'));

    const undone = await helper('', ['--undo', record.id], joiner);
    assert.equal(undone.code, 0, undone.stderr);
    assert.match(await fs.readFile(commandLog, 'utf8'), new RegExp(`gpasswd -d ${JOINER} docker\n$`));
    assert.doesNotMatch((await run('getent', ['group', 'docker'])).stdout, new RegExp(`[:,]${JOINER}\\b`));
    assert.equal(await fs.readFile('/etc/gshadow', 'utf8'), gshadowBefore, 'gshadow back as it was');
    await fs.writeFile(commandLog, '');
  });

  test("Docker Desktop settings through the root helper are refused, symlinked or not: they are the user's files", async () => {
    const home = path.join(dir, 'home');
    const settings = path.join(home, '.docker/desktop/settings.json');
    await fs.mkdir(path.dirname(settings), { recursive: true });
    await fs.writeFile(settings, '{\n  "exposeDockerAPIOnTCP2375": false\n}\n');
    // The attack: the "settings file" is a link to a root-owned file.
    const linked = path.join(home, 'Library/Group Containers/group.com.docker/settings.json');
    await fs.mkdir(path.dirname(linked), { recursive: true });
    await fs.symlink('/etc/docker/daemon.json', linked);
    for (const file of [settings, linked]) {
      const op: FixOperation = { op: 'desktop-settings.set', file, key: 'exposeDockerAPIOnTCP2375', value: true };
      await refused(
        planOf([op], [await fileChange(file, (b) => b.replace('false', 'true'))]),
        /Docker Desktop settings belong to you, not root: apply this fix without elevation/,
        [home],
      );
    }
  });
});

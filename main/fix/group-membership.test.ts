// test-needs: root — gpasswd and usermod on this host, as a throwaway user
// Joining the docker group on this live host with shadow-utils, as a throwaway user: gpasswd first; where gpasswd is
// missing (a runner that cannot find it), usermod -aG; leaving goes through gpasswd -d. /etc/gshadow follows each time.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { runCommand } from './controllers';
import { isGroupMember, joinGroup, leaveGroup } from './group-membership';

const run = promisify(execFile);
const USER = 'dkh-groupjoin';
const op = { op: 'group.add-user' as const, group: 'docker' as const, user: USER };
const member = async () => [
  isGroupMember(await fs.readFile('/etc/group', 'utf8'), 'docker', USER),
  isGroupMember((await fs.readFile('/etc/gshadow', 'utf8')).replace(/^([^:]*):[^:]*:[^:]*:(.*)$/gm, '$1:x:0:$2'), 'docker', USER),
];

before(async () => run('useradd', ['--no-create-home', '--shell', '/usr/sbin/nologin', USER]));
after(async () => {
  await run('gpasswd', ['-d', USER, 'docker']).catch(() => undefined);
  await run('userdel', [USER]).catch(() => undefined);
});

test('gpasswd -a joins and gpasswd -d leaves, /etc/group and /etc/gshadow together', async () => {
  assert.deepEqual(await joinGroup(op, runCommand, 30_000), ['gpasswd', '-a', USER, 'docker']);
  assert.deepEqual(await member(), [true, true]);
  assert.deepEqual(await leaveGroup(op, runCommand, 30_000), ['gpasswd', '-d', USER, 'docker']);
  assert.deepEqual(await member(), [false, false]);
});

test('without gpasswd, usermod -aG does the join; a host with neither says what each said', async () => {
  const noGpasswd = (argv: string[], t: number) =>
    argv[0] === 'gpasswd' ? Promise.reject(new Error('gpasswd is not installed')) : runCommand(argv, t);
  assert.deepEqual(await joinGroup(op, noGpasswd, 30_000), ['usermod', '-aG', 'docker', USER]);
  assert.deepEqual(await member(), [true, true]);
  await leaveGroup(op, runCommand, 30_000);
  await assert.rejects(
    joinGroup(op, async (argv) => Promise.reject(new Error(`${argv[0]} is not installed`)), 30_000),
    /gpasswd -a dkh-groupjoin docker: gpasswd is not installed; usermod -aG docker dkh-groupjoin: usermod is not installed/,
  );
});

// The subordinate id rules on real-format files: login.defs limits, the remap user and group (user:group, default),
// overlaps with any user's range and with ids real accounts hold, and ranges that would run past the last valid id.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FixOperation } from '../../shared/fix';
import { loadSubIdPolicy, parseLoginDefs, remapNames, type SubIdPolicy, subIdProblem } from './subid-policy';

const PASSWD =
  'root:x:0:0:root:/root:/bin/bash\nnobody:x:65534:65534::/nonexistent:/usr/sbin/nologin\nldap:x:250000:250001::/home/ldap:/bin/sh\n';
const GROUP = 'root:x:0:\ndocker:x:999:\nbig:x:400000:\n';

async function policy(operations: FixOperation[], files: Record<string, string> = {}): Promise<SubIdPolicy> {
  const all: Record<string, string> = { '/etc/passwd': PASSWD, '/etc/group': GROUP, ...files };
  return loadSubIdPolicy(operations, { read: async (f) => all[f] ?? null, daemonJsonFiles: ['/etc/docker/daemon.json'] });
}
const remap = (value: string): FixOperation => ({ op: 'daemon-json.set', file: '/etc/docker/daemon.json', path: ['userns-remap'], value });
const add = (file: '/etc/subuid' | '/etc/subgid', user: string, start: number, count = 65536) => ({
  op: 'subid.add' as const,
  file,
  user,
  start,
  count,
});

test("login.defs limits are read with its spacing; missing ones keep shadow-utils' defaults", () => {
  assert.deepEqual(parseLoginDefs('SUB_UID_MIN\t\t   200000\n# SUB_GID_MIN 1\nSUB_GID_MAX 900000000\n'), {
    SUB_UID_MIN: 200000,
    SUB_UID_MAX: 600100000,
    SUB_GID_MIN: 100000,
    SUB_GID_MAX: 900000000,
  });
  assert.deepEqual(remapNames('default'), { user: 'dockremap', group: 'dockremap' });
  assert.deepEqual(remapNames('alice:ops'), { user: 'alice', group: 'ops' });
  assert.deepEqual(remapNames('alice'), { user: 'alice', group: 'alice' });
  assert.equal(remapNames(''), null);
});

test("only the remap user (subuid) and group (subgid), from the plan or else the daemon's configuration", async () => {
  const p = await policy([remap('alice:ops')]);
  assert.equal(subIdProblem(add('/etc/subuid', 'alice', 1_000_000), '', p), null);
  assert.equal(subIdProblem(add('/etc/subgid', 'ops', 1_000_000), '', p), null);
  assert.match(
    subIdProblem(add('/etc/subgid', 'alice', 1_000_000), '', p)!,
    /may go to ops only \(the group userns-remap names\), not alice/,
  );
  const current = await policy([], { '/etc/docker/daemon.json': '{"userns-remap": "default"}' });
  assert.equal(subIdProblem(add('/etc/subuid', 'dockremap', 1_000_000), '', current), null);
  assert.match(
    subIdProblem(add('/etc/subuid', 'dockremap', 1_000_000), '', await policy([]))!,
    /neither this plan nor the daemon's configuration sets userns-remap/,
  );
});

test('ranges below the minimum, past the maximum or the last id, over another range or a real id are refused', async () => {
  const p = await policy([remap('default')], { '/etc/login.defs': 'SUB_UID_MIN 200000\n' });
  const subuid = 'alice:300000:65536\n';
  const problem = (start: number, count = 65536, file: '/etc/subuid' | '/etc/subgid' = '/etc/subuid') =>
    subIdProblem(add(file, 'dockremap', start, count), subuid, p);
  assert.match(problem(100000)!, /starts at SUB_UID_MIN \(200000/);
  assert.match(problem(600_000_000, 200_000)!, /ends at SUB_UID_MAX \(600100000/);
  assert.match(
    subIdProblem(add('/etc/subuid', 'dockremap', 4_294_000_000, 1_000_000), '', { ...p, limits: { ...p.limits, SUB_UID_MAX: 2 ** 33 } })!,
    /ends below 4294967295/,
  );
  assert.match(problem(330000)!, /330000-395535 overlaps alice's subordinate uid range 300000-365535/);
  assert.match(problem(240000, 20000)!, /holds uid 250000, which a real user/);
  assert.match(problem(390000, 65536, '/etc/subgid')!, /holds gid 400000, which a real group/);
  assert.match(problem(200000, 65536, '/etc/subgid')!, /holds gid 250001/, 'a primary group id from passwd counts too');
  assert.equal(problem(1_000_000), null);
  assert.equal(
    subIdProblem(add('/etc/subuid', 'alice', 300000), subuid, await policy([remap('alice')])),
    null,
    'the very same entry already there: nothing to add',
  );
});

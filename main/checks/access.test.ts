import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import type { Check } from '../../shared/check';
import { type Facts, FactsSchema } from '../../shared/facts';
import type { Finding } from '../../shared/finding';
import { runningDockerd, type PrivateDockerd } from '../../test/support/dockerd';
import { closeSockets, put, dir, socket } from '../../test/support/rootfs';
import { collectFacts } from '../collect/collect';
import { LocalHost } from '../host/local-host';
import { RootfsHost } from '../host/rootfs-host';
import {
  ACCESS_CHECKS,
  accessDockerGroup,
  accessDockerGroupSession,
  accessDockerSocketDenied,
  accessSocketWorld,
  clientContentTrust,
  clientDockerHostInsecure,
  clientPlaintextCredentials,
  hostAuditd,
  isolationUsernsRemap,
} from './access';
import { FILE_CHECKS } from './files';
import { evaluateChecks } from './runner';
import { validateRegistry } from './validate-registry';

const run = promisify(execFile);
const SECRET = 'dXNlcjpodW50ZXIy'; // base64("user:hunter2")
const ALICE = 1000;
const BOB = 1001;
const DOCKER_GID = 998;

const roots: string[] = [];

async function newRoot(): Promise<string> {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'dkh-acc-'));
  roots.push(root);
  return root;
}

const PASSWD = [
  'root:x:0:0:root:/root:/bin/bash',
  'daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin',
  'nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin',
  'alice:x:1000:1000:Alice,,,:/home/alice:/bin/bash',
  'bob:x:1001:1001:Bob,,,:/home/bob:/bin/bash',
  'carol:x:1002:998:Carol,,,:/home/carol:/bin/bash',
  'dockremap:x:999:997::/home/dockremap:/bin/false',
  '',
].join('\n');

const UNIT =
  '[Unit]\nDescription=Docker Application Container Engine\n\n[Service]\nType=notify\nExecStart=/usr/sbin/dockerd -H fd:// --containerd=/run/containerd/containerd.sock\n';
const SOCKET_UNIT = '[Socket]\nListenStream=/run/docker.sock\nSocketMode=0660\nSocketUser=root\nSocketGroup=docker\n';
const TLS_CONFIG = {
  tlsverify: true,
  tlscacert: '/etc/docker/tls/ca.pem',
  tlscert: '/etc/docker/tls/server-cert.pem',
  tlskey: '/etc/docker/tls/server-key.pem',
};
const CERTS = '/etc/docker/certs.d/registry.example.com:5000';

/** A host where every file is wrong in some way, each chosen to exercise one verdict. */
async function weakRoot(): Promise<string> {
  const r = await newRoot();
  await put(r, '/etc/passwd', PASSWD);
  await put(
    r,
    '/etc/group',
    ['root:x:0:', 'daemon:x:1:', 'nogroup:x:65534:', 'alice:x:1000:', 'bob:x:1001:', 'docker:x:998:alice,bob', 'dockremap:x:997:', ''].join(
      '\n',
    ),
  );
  // dockremap: too short a subuid range; its subgid range (by uid) overlaps alice's.
  await put(r, '/etc/subuid', 'alice:100000:65536\ndockremap:165536:1000\ngarbage\n');
  await put(r, '/etc/subgid', 'alice:100000:65536\n999:150000:65536\n');
  await put(r, '/lib/systemd/system/docker.service', UNIT, 0o666, ALICE, ALICE);
  await put(r, '/etc/systemd/system/docker.service.d/override.conf', '[Service]\nLimitNOFILE=1048576\n', 0o644);
  await put(r, '/lib/systemd/system/docker.socket', SOCKET_UNIT, 0o664, 0, ALICE);
  await dir(r, '/etc/docker', 0o775, 0, ALICE);
  // 0606 passes docker-bench's `-le 644` (decimal 606 < 644) although everyone can write it.
  await put(r, '/etc/docker/daemon.json', JSON.stringify({ 'userns-remap': 'default', ...TLS_CONFIG }, null, 2), 0o606, ALICE, 0);
  await dir(r, '/etc/docker/tls', 0o755);
  await put(r, '/etc/docker/tls/ca.pem', 'ca', 0o664, BOB, 0);
  await put(r, '/etc/docker/tls/server-cert.pem', 'cert', 0o646, ALICE, ALICE);
  await put(r, '/etc/docker/tls/server-key.pem', 'key', 0o640, ALICE, ALICE);
  await put(r, `${CERTS}/ca.crt`, 'ca', 0o644, 0, ALICE);
  await put(r, `${CERTS}/client.cert`, 'cert', 0o444, ALICE, 0);
  await put(r, `${CERTS}/client.key`, 'key', 0o666);
  await put(r, '/etc/default/docker', 'DOCKER_OPTS=""\n', 0o622, BOB, 0);
  await put(r, '/etc/sysconfig/docker', 'OPTIONS=""\n', 0o620, 0, ALICE);
  await socket(r, '/run/docker.sock', 0o666, 0, DOCKER_GID);
  await socket(r, '/run/containerd/containerd.sock', 0o666, ALICE, ALICE);
  await binaries(r);
  await put(
    r,
    '/root/.docker/config.json',
    JSON.stringify(
      {
        auths: { 'registry.example.com': { auth: SECRET }, 'ghcr.io': { auth: 'Z2g6b2xkLXRva2Vu' } },
        credHelpers: { 'ghcr.io': 'ghcr-login' },
      },
      null,
      2,
    ),
  );
  // A rule for dockerd-rootless.sh is not a rule for dockerd (docker-bench greps substrings).
  await put(r, '/etc/audit/audit.rules', '-D\n-b 8192\n-w /usr/bin/dockerd-rootless.sh -k docker\n');
  await put(
    r,
    '/etc/audit/rules.d/docker.rules',
    '-w /etc/docker -p wa -k docker\n-a always,exit -F path=/usr/bin/containerd -F perm=x -k docker\n',
  );
  return r;
}

async function binaries(r: string): Promise<void> {
  for (const b of ['/usr/sbin/dockerd', '/usr/bin/containerd', '/usr/bin/containerd-shim-runc-v2', '/usr/sbin/runc'])
    await put(r, b, '#!/bin/sh\n', 0o755);
  await dir(r, '/var/lib/docker', 0o710);
}

/** The same host done right. */
async function goodRoot(): Promise<string> {
  const r = await newRoot();
  await put(r, '/etc/passwd', PASSWD.replace('carol:x:1002:998:', 'carol:x:1002:1002:'));
  await put(
    r,
    '/etc/group',
    [
      'root:x:0:',
      'daemon:x:1:',
      'nogroup:x:65534:',
      'alice:x:1000:',
      'bob:x:1001:',
      'carol:x:1002:',
      'docker:x:998:',
      'dockremap:x:997:',
      '',
    ].join('\n'),
  );
  await put(r, '/etc/subuid', 'alice:100000:65536\ndockremap:165536:65536\n');
  await put(r, '/etc/subgid', 'alice:100000:65536\ndockremap:165536:65536\n');
  await put(r, '/lib/systemd/system/docker.service', UNIT);
  await put(r, '/etc/systemd/system/docker.service.d/override.conf', '[Service]\nLimitNOFILE=1048576\n', 0o600);
  await put(r, '/lib/systemd/system/docker.socket', SOCKET_UNIT);
  await dir(r, '/etc/docker', 0o755);
  await put(r, '/etc/docker/daemon.json', JSON.stringify({ 'userns-remap': 'default', ...TLS_CONFIG }, null, 2));
  await dir(r, '/etc/docker/tls', 0o700);
  await put(r, '/etc/docker/tls/ca.pem', 'ca', 0o444);
  await put(r, '/etc/docker/tls/server-cert.pem', 'cert', 0o444);
  await put(r, '/etc/docker/tls/server-key.pem', 'key', 0o400);
  await put(r, `${CERTS}/ca.crt`, 'ca', 0o444);
  await put(r, `${CERTS}/client.cert`, 'cert', 0o444);
  await put(r, `${CERTS}/client.key`, 'key', 0o400);
  await put(r, '/etc/default/docker', 'DOCKER_OPTS=""\n');
  await put(r, '/etc/sysconfig/docker', 'OPTIONS=""\n', 0o600);
  await socket(r, '/run/docker.sock', 0o660, 0, DOCKER_GID);
  await socket(r, '/run/containerd/containerd.sock', 0o660, 0, 0);
  await binaries(r);
  await put(r, '/root/.docker/config.json', JSON.stringify({ auths: { 'registry.example.com': {} }, credsStore: 'pass' }, null, 2));
  const watched = [
    '/usr/sbin/dockerd',
    '/run/containerd',
    '/var/lib/docker',
    '/etc/docker',
    '/lib/systemd/system/docker.service',
    '/lib/systemd/system/docker.socket',
    '/etc/default/docker',
    '/etc/sysconfig/docker',
    '/usr/bin/containerd',
    '/usr/bin/containerd-shim-runc-v2',
    '/usr/sbin/runc',
  ];
  await put(r, '/etc/audit/rules.d/docker.rules', watched.map((w) => `-w ${w} -p rwxa -k docker`).join('\n'));
  return r;
}

/** A root with accounts and nothing of Docker's. */
async function bareRoot(): Promise<string> {
  const r = await newRoot();
  await put(r, '/etc/passwd', PASSWD);
  await put(r, '/etc/group', 'root:x:0:\n');
  return r;
}

const byId = (findings: Finding[]) => Object.fromEntries(findings.map((f) => [f.id, f]));
const statuses = (findings: Finding[]) => Object.fromEntries(findings.map((f) => [f.id, f.result.status]));
const evaluate = (checks: readonly Check[], facts: Facts, options: Record<string, unknown> = {}) =>
  evaluateChecks(checks, facts, { options });

/** The snapshot as a login session of `user` would see it: same files, a live host, that user's process groups. */
function asSession(facts: Facts, user: { username: string; uid: number; gid: number; processGroups: number[] }): Facts {
  const host = { platform: 'linux' as const, arch: 'x64', hostname: 'test', osName: 'test', kernel: 'test', user };
  return { ...facts, mode: 'live', host: { ok: true, value: host, sources: [] } };
}

function asRootless(facts: Facts): Facts {
  return {
    ...facts,
    endpoint: {
      ok: true,
      value: {
        host: 'unix:///run/user/1000/docker.sock',
        transport: 'unix',
        tls: null,
        context: null,
        reason: 'test',
        flavour: 'rootless',
      },
      sources: [],
    },
  };
}

let weak: Facts;
let good: Facts;
let bare: Facts;

before(async () => {
  const [w, g, b] = await Promise.all([weakRoot(), goodRoot(), bareRoot()]);
  const collectRoot = (r: string) => collectFacts({ host: new RootfsHost(r) });
  weak = await collectRoot(w);
  good = await collectRoot(g);
  bare = await collectRoot(b);
});

after(async () => {
  await closeSockets();
  await Promise.all(roots.map((r) => fs.rm(r, { recursive: true, force: true })));
});

describe('file ownership and permissions (CIS 3.x)', () => {
  test('every file check fails (or warns) on the weak host, file by file', () => {
    const cert = (f: string) => `${CERTS}/${f}`;
    assert.deepEqual(statuses(evaluate(FILE_CHECKS, weak)), {
      'files.docker-service.owner:/lib/systemd/system/docker.service': 'fail',
      'files.docker-service.owner:/etc/systemd/system/docker.service.d/override.conf': 'pass',
      'files.docker-service.mode:/lib/systemd/system/docker.service': 'fail',
      'files.docker-service.mode:/etc/systemd/system/docker.service.d/override.conf': 'pass',
      'files.docker-socket-unit.owner:/lib/systemd/system/docker.socket': 'fail',
      'files.docker-socket-unit.mode:/lib/systemd/system/docker.socket': 'fail',
      'files.etc-docker.owner:/etc/docker': 'fail',
      'files.etc-docker.mode:/etc/docker': 'fail',
      [`files.registry-certs.owner:${cert('ca.crt')}`]: 'warn',
      [`files.registry-certs.owner:${cert('client.cert')}`]: 'fail',
      [`files.registry-certs.owner:${cert('client.key')}`]: 'pass',
      [`files.registry-certs.mode:${cert('ca.crt')}`]: 'warn',
      [`files.registry-certs.mode:${cert('client.cert')}`]: 'pass',
      [`files.registry-certs.mode:${cert('client.key')}`]: 'fail',
      'files.tls-ca.owner:/etc/docker/tls/ca.pem': 'fail',
      'files.tls-ca.mode:/etc/docker/tls/ca.pem': 'fail',
      'files.tls-cert.owner:/etc/docker/tls/server-cert.pem': 'fail',
      'files.tls-cert.mode:/etc/docker/tls/server-cert.pem': 'fail',
      'files.tls-key.owner:/etc/docker/tls/server-key.pem': 'fail',
      'files.tls-key.mode:/etc/docker/tls/server-key.pem': 'fail',
      'files.docker-sock.owner:/run/docker.sock': 'pass',
      'files.docker-sock.mode:/run/docker.sock': 'fail',
      'files.daemon-json.owner:/etc/docker/daemon.json': 'fail',
      'files.daemon-json.mode:/etc/docker/daemon.json': 'fail',
      'files.default-docker.owner:/etc/default/docker': 'fail',
      'files.default-docker.mode:/etc/default/docker': 'fail',
      'files.sysconfig-docker.owner:/etc/sysconfig/docker': 'fail',
      'files.sysconfig-docker.mode:/etc/sysconfig/docker': 'fail',
      'files.containerd-sock.owner:/run/containerd/containerd.sock': 'fail',
      'files.containerd-sock.mode:/run/containerd/containerd.sock': 'fail',
    });
  });

  test('every file check passes on the hardened host', () => {
    const findings = evaluate(FILE_CHECKS, good);
    assert.deepEqual(
      findings.filter((f) => f.result.status !== 'pass').map((f) => `${f.id}=${f.result.status}: ${f.result.message}`),
      [],
    );
    // One finding per file, so each can be waived on its own.
    assert.equal(findings.filter((f) => f.checkId === 'files.registry-certs.mode').length, 3);
    assert.equal(new Set(FILE_CHECKS.map((c) => c.cis)).size, 24);
  });

  test('modes are compared bit by bit: 0606 is not "644 or stricter"', () => {
    const f = byId(evaluate(FILE_CHECKS, weak))['files.daemon-json.mode:/etc/docker/daemon.json']!;
    assert.match(f.result.message, /mode 0606: others write is more than 0644 allows/);
    assert.deepEqual(f.result.fix, { id: 'files.chmod', params: { path: '/etc/docker/daemon.json', mode: '0604' } });
    assert.deepEqual(
      f.result.evidence.find((e) => e.label === 'mode'),
      { label: 'mode', value: '0606', source: { kind: 'file', path: '/etc/docker/daemon.json' } },
    );
  });

  test('bits only the owner (root) has give a warning; a non-root owner or a writing group fails', () => {
    const found = byId(evaluate(FILE_CHECKS, weak));
    assert.match(
      found[`files.registry-certs.mode:${CERTS}/ca.crt`]!.result.message,
      /owner write is more than 0444 allows \(no other user gains access/,
    );
    assert.match(found[`files.registry-certs.owner:${CERTS}/ca.crt`]!.result.message, /belongs to group alice \(the group cannot write it/);
    assert.match(found['files.etc-docker.owner:/etc/docker']!.result.message, /group alice, which can write it/);
    const owner = found['files.docker-service.owner:/lib/systemd/system/docker.service']!;
    assert.match(owner.result.message, /owned by alice, not root/);
    assert.deepEqual(owner.result.fix, {
      id: 'files.chown',
      params: { path: '/lib/systemd/system/docker.service', owner: 'root', group: 'root' },
    });
  });

  test('sockets: root:docker is right, execute bits are ignored, and no chmod fix is offered (the service re-creates them)', () => {
    const found = byId(evaluate(FILE_CHECKS, weak));
    assert.match(found['files.docker-sock.owner:/run/docker.sock']!.result.message, /root:docker/);
    assert.equal(found['files.docker-sock.mode:/run/docker.sock']!.result.fix, null);
    assert.equal(found['files.containerd-sock.owner:/run/containerd/containerd.sock']!.result.fix, null);
  });

  test('missing files are skipped with the reason, never failed', () => {
    const results = evaluate(FILE_CHECKS, bare);
    assert.ok(
      results.every((f) => f.result.status === 'skipped'),
      JSON.stringify(statuses(results)),
    );
    const why = (id: string) => byId(results)[id]!.result.reason;
    assert.match(why('files.docker-service.owner')!, /docker\.service is not installed/);
    assert.match(why('files.tls-key.mode')!, /not configured for TLS/);
    assert.match(why('files.docker-sock.mode')!, /no Docker socket at \/var\/run\/docker\.sock/);
    assert.match(why('files.sysconfig-docker.mode')!, /RHEL/);
  });

  test('the socket checks do not apply to a rootless daemon', () => {
    const found = byId(evaluate(FILE_CHECKS, asRootless(weak)));
    assert.match(found['files.docker-sock.mode']!.result.reason!, /rootless/);
    assert.match(found['files.daemon-json.owner']!.result.reason!, /rootless/);
    assert.equal(found['files.daemon-json.mode:/etc/docker/daemon.json']!.result.status, 'fail');
  });
});

describe('access.socket-world', () => {
  test('a socket writable by others fails, with owner, group and mode as evidence', () => {
    const [f] = evaluate([accessSocketWorld], weak);
    assert.equal(f!.id, 'access.socket-world:/run/docker.sock');
    assert.equal(f!.result.status, 'fail');
    assert.equal(f!.severity, 'critical');
    assert.deepEqual(
      f!.result.evidence.slice(1).map((e) => e.value),
      ['root:docker (uid 0, gid 998)', '0666'],
    );
  });
  test('0660 passes', () => {
    assert.equal(evaluate([accessSocketWorld], good)[0]!.result.status, 'pass');
  });
});

describe('access.docker-group', () => {
  test('lists every member, from /etc/group and primary groups in /etc/passwd, with the /etc/group line', () => {
    const findings = evaluate([accessDockerGroup], weak);
    assert.deepEqual(statuses(findings), {
      'access.docker-group:alice': 'info',
      'access.docker-group:bob': 'info',
      'access.docker-group:carol': 'info',
    });
    assert.deepEqual(findings[0]!.result.evidence[1], {
      label: 'group docker in /etc/group',
      value: 'docker:x:998:alice,bob',
      source: { kind: 'file', path: '/etc/group', line: 6 },
    });
    assert.match(byId(findings)['access.docker-group:carol']!.result.message, /has docker as primary group/);
  });
  test('with a trusted list, untrusted members fail (exact names, not substrings)', () => {
    const findings = evaluate([accessDockerGroup], weak, { trustedDockerUsers: ['alice', 'bo'] });
    assert.deepEqual(statuses(findings), {
      'access.docker-group:alice': 'pass',
      'access.docker-group:bob': 'fail',
      'access.docker-group:carol': 'fail',
    });
  });
  test('an empty docker group passes', () => {
    assert.deepEqual(statuses(evaluate([accessDockerGroup], good)), { 'access.docker-group': 'pass' });
  });
});

describe('access.docker-group-session', () => {
  test('in the docker group in /etc/group but not in this session: log out and back in, or newgrp', () => {
    const [f] = evaluate(
      [accessDockerGroupSession],
      asSession(weak, { username: 'alice', uid: ALICE, gid: ALICE, processGroups: [ALICE] }),
    );
    assert.equal(f!.result.status, 'fail');
    assert.match(f!.result.message, /log out and back in, or run `newgrp docker`/);
    assert.deepEqual(f!.result.evidence[1]!.source, { kind: 'command', command: 'id -G' });
  });
  test('passes once the session has the group', () => {
    const [f] = evaluate(
      [accessDockerGroupSession],
      asSession(weak, { username: 'alice', uid: ALICE, gid: ALICE, processGroups: [ALICE, DOCKER_GID] }),
    );
    assert.equal(f!.result.status, 'pass');
  });
  test('an offline root has no session', () => {
    assert.match(evaluate([accessDockerGroupSession], weak)[0]!.result.reason!, /offline root/);
  });
});

describe('access.docker-socket-denied', () => {
  const denied = (facts: Facts): Facts => ({
    ...facts,
    engine: {
      ok: false,
      error: { code: 'permission-denied', message: 'permission denied on unix:///run/docker.sock: run as a member of the docker group' },
      sources: [{ kind: 'api', call: 'GET /version' }],
    },
  });
  test('permission denied and not in the docker group: fails, with the fix that adds this user', () => {
    const [f] = evaluate(
      [accessDockerSocketDenied],
      denied(asSession(good, { username: 'carol', uid: 1002, gid: 1002, processGroups: [1002] })),
    );
    assert.equal(f!.result.status, 'fail');
    assert.match(f!.result.message, /carol cannot reach the Docker socket \(permission denied\): it is not in the docker group/);
    assert.deepEqual(f!.result.fix, { id: 'docker-group.add-user', params: { user: 'carol', group: 'docker' } });
  });
  test('already in the group in /etc/group: points at the session instead of adding it again', () => {
    const [f] = evaluate(
      [accessDockerSocketDenied],
      denied(asSession(weak, { username: 'alice', uid: ALICE, gid: ALICE, processGroups: [ALICE] })),
    );
    assert.equal(f!.result.status, 'info');
    assert.match(f!.result.message, /newgrp docker/);
    assert.equal(f!.result.fix, null);
  });
  test('passes when the daemon answers; root and offline roots are not judged', () => {
    const reachable: Facts = {
      ...asSession(good, { username: 'carol', uid: 1002, gid: 1002, processGroups: [1002] }),
      engine: {
        ok: true,
        value: {
          version: '20.10.24',
          apiVersion: '1.41',
          minApiVersion: '1.12',
          os: 'linux',
          arch: 'amd64',
          kernelVersion: 'x',
          platformName: null,
        },
        sources: [],
      },
    };
    assert.equal(evaluate([accessDockerSocketDenied], reachable)[0]!.result.status, 'pass');
    assert.match(
      evaluate([accessDockerSocketDenied], denied(asSession(good, { username: 'root', uid: 0, gid: 0, processGroups: [0] })))[0]!.result
        .reason!,
      /runs as root/,
    );
    assert.match(evaluate([accessDockerSocketDenied], good)[0]!.result.reason!, /offline root/);
  });
});

describe('isolation.userns-remap (CIS 2.9)', () => {
  test("fails when the remap user's ranges are too short or overlap another user's", () => {
    const [f] = evaluate([isolationUsernsRemap], weak);
    assert.equal(f!.result.status, 'fail');
    assert.match(f!.result.message, /subuid ranges hold 1000 ids, fewer than 65536/);
    assert.match(f!.result.message, /\/etc\/subgid:2 \(999:150000:65536\) overlaps alice's range at line 1/);
    const labels = f!.result.evidence.map((e) => `${e.label}=${JSON.stringify(e.value)}@${JSON.stringify(e.source)}`);
    assert.ok(labels.includes('subuid range="dockremap:165536:1000"@{"kind":"file","path":"/etc/subuid","line":2}'), labels.join('\n'));
    assert.ok(labels.includes('malformed line (ignored)="garbage"@{"kind":"file","path":"/etc/subuid","line":3}'), labels.join('\n'));
    assert.ok(labels.some((l) => l.startsWith('userns-remap (daemon.json)="default"')));
  });
  test('passes with "default" and sound dockremap ranges in both files', () => {
    const [f] = evaluate([isolationUsernsRemap], good);
    assert.equal(f!.result.status, 'pass', f!.result.message);
  });
  test('warns, with a fix, when not configured', () => {
    const [f] = evaluate([isolationUsernsRemap], bare);
    assert.equal(f!.result.status, 'warn');
    assert.deepEqual(f!.result.fix, { id: 'daemon.userns-remap', params: { value: 'default' } });
  });
  test('does not apply to a rootless daemon', () => {
    assert.match(evaluate([isolationUsernsRemap], asRootless(bare))[0]!.result.reason!, /rootless/);
  });
});

describe('client.plaintext-credentials', () => {
  test('names each registry with an inline credential, never the secret', () => {
    const findings = evaluate([clientPlaintextCredentials], weak);
    assert.deepEqual(statuses(findings), {
      'client.plaintext-credentials:registry.example.com': 'fail',
      'client.plaintext-credentials:ghcr.io': 'warn',
    });
    assert.deepEqual(findings[0]!.result.evidence[0], {
      label: 'auths entry with an inline credential',
      value: 'registry.example.com',
      source: { kind: 'file', path: '/root/.docker/config.json', line: 3 },
    });
    assert.match(
      byId(findings)['client.plaintext-credentials:ghcr.io']!.result.message,
      /"ghcr-login" helper, but an old plaintext credential/,
    );
    assert.ok(!JSON.stringify(findings).includes(SECRET));
  });
  test('a credential store and no inline auth passes', () => {
    const [f] = evaluate([clientPlaintextCredentials], good);
    assert.equal(f!.result.status, 'pass');
    assert.match(f!.result.message, /"pass" store/);
  });
});

describe('host.auditd-docker (CIS 1.1.3-1.1.18)', () => {
  test('one result per path, matched exactly or under a watched directory, never by substring', () => {
    assert.deepEqual(statuses(evaluate([hostAuditd], weak)), {
      'host.auditd-docker:/usr/sbin/dockerd': 'fail',
      'host.auditd-docker:/run/containerd': 'fail',
      'host.auditd-docker:/var/lib/docker': 'fail',
      'host.auditd-docker:/etc/docker': 'pass',
      'host.auditd-docker:/lib/systemd/system/docker.service': 'fail',
      'host.auditd-docker:/run/containerd/containerd.sock': 'fail',
      'host.auditd-docker:/lib/systemd/system/docker.socket': 'fail',
      'host.auditd-docker:/etc/default/docker': 'fail',
      'host.auditd-docker:/etc/docker/daemon.json': 'pass',
      'host.auditd-docker:/etc/containerd/config.toml': 'skipped',
      'host.auditd-docker:/etc/sysconfig/docker': 'fail',
      'host.auditd-docker:/usr/bin/containerd': 'pass',
      'host.auditd-docker:/usr/bin/containerd-shim': 'skipped',
      'host.auditd-docker:/usr/bin/containerd-shim-runc-v1': 'skipped',
      'host.auditd-docker:/usr/bin/containerd-shim-runc-v2': 'fail',
      'host.auditd-docker:/usr/sbin/runc': 'fail',
    });
    const dockerd = byId(evaluate([hostAuditd], weak))['host.auditd-docker:/usr/sbin/dockerd']!;
    assert.deepEqual(dockerd.result.fix, { id: 'auditd.watch', params: { path: '/usr/sbin/dockerd', key: 'docker' } });
  });
  test('every existing path watched passes, with the rule as evidence', () => {
    const findings = evaluate([hostAuditd], good);
    assert.deepEqual(
      findings.filter((f) => !['pass', 'skipped'].includes(f.result.status)).map((f) => f.id),
      [],
    );
    assert.deepEqual(byId(findings)['host.auditd-docker:/usr/sbin/runc']!.result.evidence[0], {
      label: 'audit watch',
      value: '-w /usr/sbin/runc',
      source: { kind: 'file', path: '/etc/audit/rules.d/docker.rules', line: 11 },
    });
  });
});

test('metadata is valid, ids are unique, and every CIS id is one docker-bench prints', () => {
  validateRegistry(ACCESS_CHECKS);
  const cisIds = ACCESS_CHECKS.flatMap((c) => (c.cis ? [c.cis] : []));
  assert.deepEqual(
    cisIds.filter((id) => !/^(1\.1\.\d+(-1\.1\.\d+)?|2\.9|3\.\d+|4\.5)$/.test(id)),
    [],
  );
  for (const c of ACCESS_CHECKS)
    if (c.cis && !c.cis.includes('-'))
      assert.ok(
        c.references.some((r) => r.id === c.cis),
        `${c.id} cites CIS ${c.cis}`,
      );
});

describe('checks with no facts', () => {
  function nothingCollected(code: 'unreachable' | 'unsupported'): Facts {
    const failed = { ok: false as const, error: { code, message: `${code} for the test` }, sources: [] };
    const meta = ['schemaVersion', 'toolVersion', 'collectedAt', 'mode', 'root', 'collectors'];
    const keys = Object.keys(FactsSchema.shape).filter((k) => !meta.includes(k));
    return {
      schemaVersion: 1,
      toolVersion: 'test',
      collectedAt: new Date(0).toISOString(),
      mode: code === 'unsupported' ? 'offline-root' : 'live',
      root: null,
      ...Object.fromEntries(keys.map((k) => [k, failed])),
      collectors: [],
    } as unknown as Facts;
  }
  test('are errors (unreachable) or skipped (unsupported), one finding each, naming why', () => {
    for (const [code, status] of [
      ['unreachable', 'error'],
      ['unsupported', 'skipped'],
    ] as const) {
      const findings = evaluate(ACCESS_CHECKS, nothingCollected(code));
      assert.equal(findings.length, ACCESS_CHECKS.length);
      for (const f of findings) {
        assert.equal(f.result.status, status, `${f.id}: ${f.result.message}`);
        assert.match(f.result.reason ?? '', new RegExp(code));
      }
    }
  });
});

describe('against a real private dockerd (userns-remap, socket, client environment)', () => {
  // A throw-away account with its own subordinate ranges on this machine; userdel removes the ranges too.
  const REMAP_USER = 'dkhremap';
  let daemon: PrivateDockerd;
  let dockerDir: string;
  let dockerGid: number;
  const cleanEnv = () => {
    const env = { ...process.env };
    for (const k of ['DOCKER_HOST', 'DOCKER_TLS_VERIFY', 'DOCKER_TLS', 'DOCKER_CERT_PATH', 'DOCKER_CONTEXT', 'DOCKER_CONTENT_TRUST'])
      delete env[k];
    return env;
  };
  const collect = (env: NodeJS.ProcessEnv = cleanEnv()) => collectFacts({ host: new LocalHost(env), endpoint: { host: daemon.host } });

  before(async () => {
    await run('userdel', [REMAP_USER]).catch(() => undefined);
    await run('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', REMAP_USER]);
    await run('usermod', ['--add-subuids', '400000-465535', '--add-subgids', '400000-465535', REMAP_USER]);
    // The remapped root must be able to traverse the daemon's directory (dockerd checks o+x on every parent).
    dockerDir = await fs.mkdtemp(path.join(os.tmpdir(), 'dkh-'));
    await fs.chmod(dockerDir, 0o711);
    daemon = await runningDockerd({ daemonJson: { 'userns-remap': REMAP_USER }, dir: dockerDir });
    dockerGid = (await fs.stat(daemon.socket)).gid;
  });
  after(async () => {
    await daemon?.stop();
    await run('userdel', [REMAP_USER]).catch(() => undefined);
    const mounts = (await fs.readFile('/proc/self/mounts', 'utf8'))
      .split('\n')
      .map((l) => l.split(' ')[1] ?? '')
      .filter((m) => m.startsWith(`${dockerDir}/`));
    for (const m of mounts.sort((a, b) => b.length - a.length)) await run('umount', ['-l', m]).catch(() => undefined);
    await fs.rm(dockerDir, { recursive: true, force: true });
  });

  test('userns-remap passes: the running daemon reports name=userns and the ranges in /etc/subuid and /etc/subgid are sound', async () => {
    const facts = await collect();
    const [f] = evaluate([isolationUsernsRemap], facts);
    assert.equal(f!.result.status, 'pass', f!.result.message);
    assert.ok(
      f!.result.evidence.some((e) => e.label === 'security options (running daemon)' && JSON.stringify(e.value).includes('name=userns')),
    );
    assert.ok(f!.result.evidence.some((e) => e.label === 'subuid range' && e.value === `${REMAP_USER}:400000:65536`));
  });

  test('the Docker socket: root:docker 0660 passes; chmod 666 fails; a non-root owner fails', async () => {
    const socketFindings = (facts: Facts) =>
      byId(evaluate([accessSocketWorld, ...FILE_CHECKS.filter((c) => c.id.startsWith('files.docker-sock.'))], facts));
    const key = (id: string) => `${id}:${daemon.socket}`;
    let found = socketFindings(await collect());
    assert.equal(found[key('files.docker-sock.owner')]!.result.status, 'pass', found[key('files.docker-sock.owner')]!.result.message);
    assert.equal(found[key('files.docker-sock.mode')]!.result.status, 'pass');
    assert.equal(found[key('access.socket-world')]!.result.status, 'pass');
    try {
      await fs.chmod(daemon.socket, 0o666);
      found = socketFindings(await collect());
      assert.equal(found[key('files.docker-sock.mode')]!.result.status, 'fail');
      assert.equal(found[key('access.socket-world')]!.result.status, 'fail');
      assert.equal(found[key('files.docker-sock.owner')]!.result.status, 'pass');
      await fs.chown(daemon.socket, ALICE, ALICE);
      found = socketFindings(await collect());
      assert.equal(found[key('files.docker-sock.owner')]!.result.status, 'fail');
    } finally {
      await fs.chown(daemon.socket, 0, dockerGid);
      await fs.chmod(daemon.socket, 0o660);
    }
  });

  test('DOCKER_HOST over plain TCP fails and content trust off warns; TLS verification and DOCKER_CONTENT_TRUST=1 pass', async () => {
    const insecure = await collect({ ...cleanEnv(), DOCKER_HOST: 'tcp://203.0.113.7:2375' });
    assert.deepEqual(statuses(evaluate([clientDockerHostInsecure, clientContentTrust], insecure)), {
      'client.docker-host-insecure': 'fail',
      'client.content-trust': 'warn',
    });
    const secure = await collect({
      ...cleanEnv(),
      DOCKER_HOST: 'tcp://203.0.113.7:2376',
      DOCKER_TLS_VERIFY: '1',
      DOCKER_CONTENT_TRUST: '1',
    });
    assert.deepEqual(statuses(evaluate([clientDockerHostInsecure, clientContentTrust], secure)), {
      'client.docker-host-insecure': 'pass',
      'client.content-trust': 'pass',
    });
  });

  test('auditd: a live host without audit rules is skipped with the reason, unless it is declared a server', async () => {
    const facts = await collect();
    assert.ok(facts.auditRules.ok && facts.auditRules.value.files.length === 0, 'this test machine has no auditd rules');
    assert.match(evaluate([hostAuditd], facts)[0]!.result.reason!, /auditd is not set up on this host/);
    const asServer = byId(evaluate([hostAuditd], facts, { server: true }));
    // The dockerd binary the running daemon was started from (for the engines under /opt, not /usr/sbin/dockerd).
    assert.equal(asServer[`host.auditd-docker:${daemon.args[0]}`]!.result.status, 'fail');
  });
});

import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { closeSockets, put, socket } from '../../test/support/rootfs';
import { type Facts, FactsSchema } from '../../shared/facts';
import { LocalHost } from '../host/local-host';
import { RootfsHost } from '../host/rootfs-host';
import { collectFacts } from './collect';
import type { CollectContext } from './context';
import { FILE_ROLES } from '../../shared/facts/file-roles';
import { parseGroup, parsePasswd } from '../util/account-files';
import { parseAuditRules } from './audit-rules';
import { collectProcessEnv } from './process-env';
import { parseSubIds } from './sub-ids';

const SECRET = 'dXNlcjpodW50ZXIy'; // base64("user:hunter2")

let root: string;
let broken: string;

before(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'dkh-hf-'));
  await put(
    root,
    '/etc/passwd',
    [
      'root:x:0:0:root:/root:/bin/bash',
      'daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin',
      '+@nisusers::::::',
      'alice:x:1000:1000:Alice,,,:/home/alice:/bin/bash',
      'dockremap:x:999:997::/home/dockremap:/bin/false',
      '',
    ].join('\n'),
  );
  await put(
    root,
    '/etc/group',
    ['root:x:0:', 'daemon:x:1:', 'alice:x:1000:', 'docker:x:998:alice, bob', 'dockremap:x:997:', ''].join('\n'),
  );
  await put(
    root,
    '/etc/subuid',
    ['# ranges for userns-remap', 'alice:100000:65536', 'dockremap:165536:65536', 'broken-line', ''].join('\n'),
  );
  await put(root, '/etc/subgid', ['alice:100000:65536', '999:165536:65536', 'dockremap:x:65536', ''].join('\n'));
  await put(
    root,
    '/lib/systemd/system/docker.service',
    '[Service]\nExecStart=/usr/sbin/dockerd -H fd:// --containerd=/run/containerd/containerd.sock\n',
  );
  await put(root, '/etc/systemd/system/docker.service.d/10-opts.conf', '[Service]\nEnvironment=DOCKER_CERT_PATH=/etc/docker/tls\n', 0o600);
  await put(root, '/lib/systemd/system/docker.socket', '[Socket]\nListenStream=/run/docker.sock\nSocketMode=0660\nSocketGroup=docker\n');
  await put(
    root,
    '/etc/docker/daemon.json',
    JSON.stringify({ 'userns-remap': 'default', tlsverify: true, tlskey: '/etc/docker/tls/server-key.pem' }, null, 2),
    0o640,
  );
  await put(root, '/etc/docker/tls/ca.pem', 'ca', 0o444);
  await put(root, '/etc/docker/tls/cert.pem', 'cert', 0o444);
  await put(root, '/etc/docker/tls/server-key.pem', 'key', 0o400);
  await put(root, '/etc/docker/certs.d/registry.example.com:5000/ca.crt', 'ca', 0o644, 1000, 1000);
  await put(root, '/etc/docker/certs.d/registry.example.com:5000/client.key', 'key', 0o600);
  await put(root, '/etc/default/docker', 'DOCKER_OPTS=""\n');
  await put(root, '/usr/sbin/dockerd', '', 0o755);
  await put(root, '/usr/bin/containerd', '', 0o755);
  await socket(root, '/run/docker.sock', 0o660, 0, 998);
  await put(
    root,
    '/root/.docker/config.json',
    [
      '{',
      '  "auths": {',
      `    "registry.example.com": { "auth": "${SECRET}" },`,
      '    "ghcr.io": { "identitytoken": "secret-token" },',
      '    "https://index.docker.io/v1/": {}',
      '  },',
      '  "credHelpers": { "ghcr.io": "ghcr" },',
      '  "proxies": { "default": { "httpProxy": "http://proxyuser:proxypass@proxy.corp:3128", "noProxy": "localhost" } },',
      '  "currentContext": "default"',
      '}',
    ].join('\n'),
  );
  await put(root, '/etc/audit/audit.rules', '-D\n-b 8192\n-w /usr/bin/dockerd-rootless.sh -k docker\n');
  await put(
    root,
    '/etc/audit/rules.d/docker.rules',
    '# Docker\n-w /etc/docker -p wa -k docker\n-a always,exit -F path=/usr/bin/containerd -F perm=x -k docker\n-w /var/lib/docker/ -k docker # trailing comment\n',
  );
  await put(root, '/etc/audit/rules.d/README', 'not a rules file\n');

  broken = await fs.mkdtemp(path.join(os.tmpdir(), 'dkh-hf-broken-'));
  await put(broken, '/etc/group', 'root:x:0:\n');
  await put(broken, '/root/.docker/config.json', '{\n  "auths": {},\n}\n');
});

after(async () => {
  await closeSockets();
  await fs.rm(root, { recursive: true, force: true });
  await fs.rm(broken, { recursive: true, force: true });
});

describe('host files collectors on an offline root', () => {
  let facts: Facts;
  before(async () => {
    facts = await collectFacts({ host: new RootfsHost(root) });
  });

  test('accounts: passwd and group parsed, NIS entries skipped, group line numbers kept', () => {
    assert.ok(facts.accounts.ok, JSON.stringify(facts.accounts));
    assert.deepEqual(
      facts.accounts.value.users.map((u) => u.name),
      ['root', 'daemon', 'alice', 'dockremap'],
    );
    assert.deepEqual(facts.accounts.value.users[2], { name: 'alice', uid: 1000, gid: 1000, home: '/home/alice', shell: '/bin/bash' });
    assert.deepEqual(
      facts.accounts.value.groups.find((g) => g.name === 'docker'),
      { name: 'docker', gid: 998, members: ['alice', 'bob'], line: 4 },
    );
  });

  test('subIds: ranges by name or uid, malformed lines with file and line', () => {
    assert.ok(facts.subIds.ok, JSON.stringify(facts.subIds));
    assert.deepEqual(facts.subIds.value.subuid, [
      { user: 'alice', start: 100000, count: 65536, line: 2 },
      { user: 'dockremap', start: 165536, count: 65536, line: 3 },
    ]);
    assert.deepEqual(facts.subIds.value.subgid[1], { user: '999', start: 165536, count: 65536, line: 2 });
    assert.deepEqual(facts.subIds.value.malformed, [
      { path: '/etc/subuid', line: 4, text: 'broken-line' },
      { path: '/etc/subgid', line: 3, text: 'dockremap:x:65536' },
    ]);
  });

  test('files: units, socket from docker.socket, daemon.json, TLS paths, certs.d, owner names; missing paths are exists:false', () => {
    assert.ok(facts.files.ok, JSON.stringify(facts.files));
    const files = facts.files.value;
    const byPath = (p: string) => files.find((f) => f.path === p);
    assert.deepEqual(byPath('/lib/systemd/system/docker.service'), {
      path: '/lib/systemd/system/docker.service',
      role: FILE_ROLES.serviceUnit,
      exists: true,
      kind: 'file',
      mode: 0o644,
      uid: 0,
      gid: 0,
      owner: 'root',
      group: 'root',
      error: null,
    });
    assert.equal(byPath('/etc/systemd/system/docker.service.d/10-opts.conf')?.role, FILE_ROLES.serviceDropIn);
    assert.equal(byPath('/etc/systemd/system/docker.service.d/10-opts.conf')?.mode, 0o600);
    const sock = byPath('/run/docker.sock')!;
    assert.equal(sock.role, FILE_ROLES.dockerSocket);
    assert.deepEqual([sock.kind, sock.mode, sock.owner, sock.group], ['socket', 0o660, 'root', 'docker']);
    assert.equal(byPath('/etc/docker/daemon.json')?.mode, 0o640);
    // tlsverify: the CA and certificate default to DOCKER_CERT_PATH (from the unit), the key is given in daemon.json.
    assert.equal(byPath('/etc/docker/tls/ca.pem')?.role, FILE_ROLES.tlsCa);
    assert.equal(byPath('/etc/docker/tls/cert.pem')?.role, FILE_ROLES.tlsCert);
    assert.equal(byPath('/etc/docker/tls/server-key.pem')?.role, FILE_ROLES.tlsKey);
    const ca = byPath('/etc/docker/certs.d/registry.example.com:5000/ca.crt')!;
    assert.deepEqual([ca.role, ca.owner, ca.group, ca.mode], [FILE_ROLES.registryCert, 'alice', 'alice', 0o644]);
    assert.equal(byPath('/etc/docker/certs.d/registry.example.com:5000')?.role, FILE_ROLES.certsDir);
    assert.deepEqual(byPath('/etc/sysconfig/docker'), {
      path: '/etc/sysconfig/docker',
      role: FILE_ROLES.sysconfigDocker,
      exists: false,
      kind: null,
      mode: null,
      uid: null,
      gid: null,
      owner: null,
      group: null,
      error: null,
    });
    assert.equal(byPath('/run/containerd/containerd.sock')?.exists, false);
    assert.equal(byPath('/usr/sbin/dockerd')?.role, FILE_ROLES.dockerdBinary);
    assert.equal(byPath('/usr/bin/containerd')?.exists, true);
    assert.equal(byPath('/var/lib/docker')?.role, FILE_ROLES.dataRoot);
  });

  test('clientConfig: registries and helpers with lines, proxies masked, no secret stored anywhere', () => {
    assert.ok(facts.clientConfig.ok, JSON.stringify(facts.clientConfig));
    const config = facts.clientConfig.value;
    assert.equal(config.path, '/root/.docker/config.json');
    assert.deepEqual(config.auths, [
      { registry: 'registry.example.com', hasInlineAuth: true, hasIdentityToken: false, line: 3 },
      { registry: 'ghcr.io', hasInlineAuth: false, hasIdentityToken: true, line: 4 },
      { registry: 'https://index.docker.io/v1/', hasInlineAuth: false, hasIdentityToken: false, line: 5 },
    ]);
    assert.deepEqual(config.credHelpers, { 'ghcr.io': 'ghcr' });
    assert.equal(config.credsStore, null);
    assert.deepEqual(config.proxies, { default: { httpProxy: 'http://****@proxy.corp:3128', noProxy: 'localhost' } });
    assert.equal(config.currentContext, 'default');
    const all = JSON.stringify(facts);
    for (const secret of [SECRET, 'secret-token', 'proxypass']) assert.ok(!all.includes(secret), `${secret} leaked into the facts`);
  });

  test('auditRules: -w and -F path= watches from audit.rules and rules.d/*.rules, with file and line', () => {
    assert.ok(facts.auditRules.ok, JSON.stringify(facts.auditRules));
    assert.deepEqual(facts.auditRules.value.files, ['/etc/audit/audit.rules', '/etc/audit/rules.d/docker.rules']);
    assert.deepEqual(facts.auditRules.value.watches, [
      { path: '/usr/bin/dockerd-rootless.sh', file: '/etc/audit/audit.rules', line: 3 },
      { path: '/etc/docker', file: '/etc/audit/rules.d/docker.rules', line: 2 },
      { path: '/usr/bin/containerd', file: '/etc/audit/rules.d/docker.rules', line: 3 },
      { path: '/var/lib/docker/', file: '/etc/audit/rules.d/docker.rules', line: 4 },
    ]);
  });

  test('every fact of this area matches its schema (snapshots round-trip)', () => {
    for (const key of ['files', 'accounts', 'subIds', 'clientConfig', 'processEnv', 'auditRules'] as const)
      FactsSchema.shape[key].parse(facts[key]);
  });

  test('processEnv: an offline root has no environment, and says so', () => {
    assert.ok(!facts.processEnv.ok);
    assert.equal(facts.processEnv.error.code, 'unsupported');
  });
});

describe('bad input becomes fact errors, not throws', () => {
  let facts: Facts;
  before(async () => {
    facts = await collectFacts({ host: new RootfsHost(broken) });
  });
  test('a missing /etc/passwd is a not-found error naming the file', () => {
    assert.ok(!facts.accounts.ok);
    assert.equal(facts.accounts.error.code, 'not-found');
    assert.match(facts.accounts.error.message, /\/etc\/passwd/);
  });
  test('a config.json the docker CLI cannot parse is malformed, with file, line and column', () => {
    assert.ok(!facts.clientConfig.ok);
    assert.equal(facts.clientConfig.error.code, 'malformed');
    assert.match(facts.clientConfig.error.message, /^\/root\/\.docker\/config\.json:3:1: trailing comma/);
  });
  test('missing subuid/subgid and audit rules are empty facts, and files still lists what it looked for', () => {
    assert.deepEqual(facts.subIds, { ok: true, value: { subuid: [], subgid: [], malformed: [] }, sources: [] });
    assert.deepEqual(facts.auditRules, { ok: true, value: { files: [], watches: [] }, sources: [] });
    assert.ok(facts.files.ok);
    assert.ok(
      facts.files.value.every((f) => !f.exists && f.owner === null),
      'nothing exists in this root',
    );
    assert.ok(facts.files.value.some((f) => f.role === FILE_ROLES.dockerSocket && f.path === '/var/run/docker.sock'));
  });
});

describe('parsers', () => {
  test('passwd and group lines that are not accounts are skipped', () => {
    assert.deepEqual(parsePasswd('# comment\nbad:line\nu:x:notanumber:1::/:/bin/sh\nok:x:5:6:g:/h:/bin/sh:extra\n'), [
      { name: 'ok', uid: 5, gid: 6, home: '/h', shell: '/bin/sh:extra' },
    ]);
    assert.deepEqual(parseGroup('g:x:10:\n-nis\ng2:x:11:a,,b\n'), [
      { name: 'g', gid: 10, members: [], line: 1 },
      { name: 'g2', gid: 11, members: ['a', 'b'], line: 3 },
    ]);
  });
  test('subuid needs exactly user:start:count with integers', () => {
    const parsed = parseSubIds('a:1:2\na:1\n:1:2\na:-1:2\na:1:2:3\n', '/etc/subuid');
    assert.deepEqual(parsed.ranges, [{ user: 'a', start: 1, count: 2, line: 1 }]);
    assert.deepEqual(
      parsed.malformed.map((m) => m.line),
      [2, 3, 4, 5],
    );
  });
  test('audit rules: -W removals and unrelated fields are not watches', () => {
    assert.deepEqual(parseAuditRules('-W /etc/docker\n-a always,exit -F arch=b64 -F dir=/etc/docker/ -k d\n-w/usr/bin/runc\n', 'f'), [
      { path: '/etc/docker/', file: 'f', line: 2 },
      { path: '/usr/bin/runc', file: 'f', line: 3 },
    ]);
  });
});

describe('processEnv on a live host', () => {
  const ctx = (env: NodeJS.ProcessEnv) => ({ host: new LocalHost(env) }) as unknown as CollectContext;
  test('Docker and proxy variables, with credentials in URLs masked', async () => {
    const fact = await collectProcessEnv(
      ctx({ DOCKER_HOST: 'tcp://10.0.0.5:2375', HTTPS_PROXY: 'http://u:s3cret@proxy:3128', DOCKER_CONTENT_TRUST: '1', PATH: '/bin' }),
    );
    assert.ok(fact.ok);
    assert.deepEqual(fact.value.vars, [
      { name: 'DOCKER_HOST', value: 'tcp://10.0.0.5:2375' },
      { name: 'DOCKER_CONTENT_TRUST', value: '1' },
      { name: 'HTTPS_PROXY', value: 'http://****@proxy:3128' },
    ]);
    assert.deepEqual(fact.sources[0], { kind: 'env', name: 'DOCKER_HOST' });
  });
});

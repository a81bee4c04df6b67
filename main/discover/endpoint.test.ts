import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { LocalHost } from '../host/local-host';
import { daemonElsewhere } from '../../shared/endpoint-place';
import { discoverEndpoint } from './endpoint';

let home: string;
const servers: net.Server[] = [];

/** A real unix socket file, as dockerd would leave one. */
async function socketAt(p: string): Promise<void> {
  await fs.mkdir(path.dirname(p), { recursive: true });
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(p, r));
  servers.push(server);
}

async function writeContext(name: string, host: string, tls: false | true | readonly string[] = false): Promise<void> {
  const digest = createHash('sha256').update(name).digest('hex');
  const meta = path.join(home, '.docker', 'contexts', 'meta', digest);
  await fs.mkdir(meta, { recursive: true });
  await fs.writeFile(
    path.join(meta, 'meta.json'),
    JSON.stringify({ Name: name, Metadata: {}, Endpoints: { docker: { Host: host, SkipTLSVerify: false } } }),
  );
  if (tls) {
    const dir = path.join(home, '.docker', 'contexts', 'tls', digest, 'docker');
    await fs.mkdir(dir, { recursive: true });
    for (const file of tls === true ? ['ca.pem'] : tls)
      await fs.writeFile(path.join(dir, file), 'not real TLS material: only its presence matters here');
  }
}

const discover = (env: NodeJS.ProcessEnv, request = {}) => discoverEndpoint(new LocalHost({ HOME: home, ...env }), request);

before(async () => {
  home = await fs.mkdtemp(path.join(os.tmpdir(), 'dkh-home-'));
});
after(async () => {
  for (const s of servers) s.close();
  await fs.rm(home, { recursive: true, force: true });
});

describe('endpoint discovery, like the docker CLI', () => {
  test('--host wins, and says so', async () => {
    const r = await discover({ DOCKER_HOST: 'unix:///ignored.sock' }, { host: 'tcp://10.1.2.3:2375' });
    assert.ok(r.ok);
    assert.deepEqual(
      [r.value.host, r.value.transport, r.value.flavour, r.value.reason],
      ['tcp://10.1.2.3:2375', 'tcp', 'remote', 'given with --host'],
    );
  });
  test("an endpoint chosen elsewhere (the app) says where in the asker's words, not with a flag it has not", async () => {
    const r = await discover({}, { host: 'tcp://10.1.2.3:2375', origin: 'set in Settings' });
    assert.ok(r.ok);
    assert.equal(r.value.reason, 'set in Settings');
    const none = await discover({}, { origin: 'set in Settings' });
    assert.ok(none.ok);
    assert.match(none.value.reason, /^no endpoint set in Settings, no DOCKER_HOST or context: /);
    assert.doesNotMatch(none.value.reason, /--/);
  });
  test('DOCKER_HOST with TLS material from DOCKER_CERT_PATH and DOCKER_TLS_VERIFY', async () => {
    const r = await discover({ DOCKER_HOST: 'tcp://build.example.com:2376', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: '/certs' });
    assert.ok(r.ok);
    assert.deepEqual(r.value.tls, { verify: true, certPath: '/certs' });
    assert.equal(r.value.reason, 'DOCKER_HOST is set');
  });
  test('DOCKER_TLS without DOCKER_TLS_VERIFY is TLS that does not verify the daemon, as with the docker CLI', async () => {
    const r = await discover({ DOCKER_HOST: 'tcp://build.example.com:2376', DOCKER_TLS: '1' });
    assert.ok(r.ok);
    assert.deepEqual(r.value.tls, { verify: false, certPath: path.join(home, '.docker') });
    const plain = await discover({ DOCKER_HOST: 'tcp://build.example.com:2375' });
    assert.ok(plain.ok && plain.value.tls === null, 'no TLS variable: plain TCP');
  });
  test("a context's client certificate without a ca.pem (a daemon with a public CA) is still TLS", async () => {
    await writeContext('public-ca', 'tcp://docker.example.com:2376', ['cert.pem', 'key.pem']);
    const r = await discover({}, { context: 'public-ca' });
    assert.ok(r.ok);
    assert.equal(r.value.tls?.verify, true);
    assert.match(r.value.tls?.certPath ?? '', /contexts\/tls\/[0-9a-f]{64}\/docker$/);
  });
  test('ssh and npipe addresses are understood; garbage is refused', async () => {
    const ssh = await discover({ DOCKER_HOST: 'ssh://deploy@box' });
    assert.ok(ssh.ok && ssh.value.transport === 'ssh');
    const bad = await discover({ DOCKER_HOST: 'fd://' });
    assert.ok(!bad.ok);
    assert.match(bad.error.message, /unsupported scheme fd:\/\//);
  });
  test('DOCKER_HOST beats DOCKER_CONTEXT; --context beats both', async () => {
    await writeContext('colima', `unix://${home}/.colima/docker.sock`);
    const env = { DOCKER_HOST: 'unix:///from-env.sock', DOCKER_CONTEXT: 'colima' };
    const r1 = await discover(env);
    assert.ok(r1.ok && r1.value.host === 'unix:///from-env.sock');
    const r2 = await discover(env, { context: 'colima' });
    assert.ok(r2.ok);
    assert.equal(r2.value.host, `unix://${home}/.colima/docker.sock`);
    assert.equal(r2.value.context, 'colima');
  });
  test('the current context in config.json, with its TLS directory', async () => {
    await writeContext('prod', 'tcp://prod.example.com:2376', true);
    await fs.writeFile(path.join(home, '.docker', 'config.json'), JSON.stringify({ currentContext: 'prod' }));
    try {
      const r = await discover({});
      assert.ok(r.ok);
      assert.match(r.value.reason, /current context 'prod'/);
      assert.equal(r.value.tls?.verify, true);
      assert.match(r.value.tls?.certPath ?? '', /contexts\/tls\/[0-9a-f]{64}\/docker$/);
    } finally {
      await fs.rm(path.join(home, '.docker', 'config.json'));
    }
  });
  test('a context that does not exist is an error naming it', async () => {
    const r = await discover({ DOCKER_CONTEXT: 'ghost' });
    assert.ok(!r.ok);
    assert.equal(r.error.code, 'not-found');
    assert.match(r.error.message, /context 'ghost' \(DOCKER_CONTEXT=ghost\) does not exist/);
  });
  test('a broken config.json is reported, not ignored', async () => {
    await fs.writeFile(path.join(home, '.docker', 'config.json'), '{"currentContext": ');
    try {
      const r = await discover({});
      assert.ok(!r.ok);
      assert.match(r.error.message, /config\.json is not valid JSON/);
    } finally {
      await fs.rm(path.join(home, '.docker', 'config.json'));
    }
  });
  test('--host and --context together are refused', async () => {
    const r = await discover({}, { host: 'unix:///a.sock', context: 'b' });
    assert.ok(!r.ok);
    assert.match(r.error.message, /either --host or --context/);
  });
  test('with nothing set: the rootless socket, then Docker Desktop, when the default socket is absent', async () => {
    const defaultExists = await fs.stat('/var/run/docker.sock').then(
      () => true,
      () => false,
    );
    if (defaultExists) {
      // A system daemon on this machine takes precedence, exactly as for the docker CLI.
      const r = await discover({ XDG_RUNTIME_DIR: path.join(home, 'run') });
      assert.ok(r.ok && r.value.host === 'unix:///var/run/docker.sock');
      return;
    }
    const runtime = path.join(home, 'run');
    await socketAt(path.join(home, '.docker', 'desktop', 'docker.sock'));
    const desktop = await discover({ XDG_RUNTIME_DIR: runtime });
    assert.ok(desktop.ok);
    assert.equal(desktop.value.flavour, 'desktop');
    assert.match(desktop.value.reason, /Docker Desktop's socket \(\/var\/run\/docker\.sock, .* not found\)/);
    await socketAt(path.join(runtime, 'docker.sock'));
    const rootless = await discover({ XDG_RUNTIME_DIR: runtime });
    assert.ok(rootless.ok);
    assert.equal(rootless.value.host, `unix://${runtime}/docker.sock`);
    assert.equal(rootless.value.flavour, 'rootless');
  });
});

describe("whether the daemon's host is this machine", () => {
  test('ssh:// is always another machine, even to 127.0.0.1; tcp:// is unless the address is loopback', async () => {
    const cases: [string, 'remote' | 'unknown'][] = [
      ['ssh://user@127.0.0.1:2222', 'remote'],
      ['ssh://localhost', 'remote'],
      ['tcp://10.1.2.3:2376', 'remote'],
      ['tcp://build.example.com:2376', 'remote'],
      ['tcp://127.0.0.1:2376', 'unknown'],
      ['tcp://127.1:2375', 'unknown'],
      ['tcp://localhost:2375', 'unknown'],
      ['tcp://[::1]:2376', 'unknown'],
      ['tcp://[::ffff:127.0.0.1]:2376', 'unknown'],
    ];
    for (const [host, flavour] of cases) {
      const r = await discover({}, { host });
      assert.ok(r.ok, host);
      assert.equal(r.value.flavour, flavour, host);
      assert.equal(daemonElsewhere(r.value) !== null, flavour === 'remote', host);
    }
  });
  test('the reason names the endpoint and what to do', () => {
    assert.equal(
      daemonElsewhere({ transport: 'ssh', host: 'ssh://user@127.0.0.1:2222' }),
      'the daemon runs on another machine reached over ssh (ssh://user@127.0.0.1:2222): its files are not readable from here; run dockhand on that host',
    );
    assert.equal(
      daemonElsewhere({ transport: 'tcp', host: 'tcp://10.1.2.3:2376' }),
      'the daemon runs on another machine reached over tcp (tcp://10.1.2.3:2376): its files are not readable from here; run dockhand on that host',
    );
    assert.equal(daemonElsewhere({ transport: 'unix', host: 'unix:///var/run/docker.sock' }), null);
    assert.equal(daemonElsewhere({ transport: 'npipe', host: 'npipe:////./pipe/docker_engine' }), null);
  });
});

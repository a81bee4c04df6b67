// The ssh:// request path, for real: a test OpenSSH server on 127.0.0.1, the client's key in a real ssh-agent, and
// `docker system dial-stdio` on the "remote" side reaching a private dockerd. Before the fix, every query string lost
// its last character on this path (`?all=1` -> `?all=`): listing saw only running containers, and an image removal's
// `noprune=1` was dropped, so untagged parents went too. The same assertions run through the identical modem code
// over the daemon's unix socket, which separates "the modem's query handling" from "the ssh tunnel".
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Endpoint } from '../../shared/endpoint';
import { importBusybox, type PrivateDockerd, runningDockerd } from '../../test/support/dockerd';
import { startTestSshd, type TestSshd } from '../../test/support/sshd';
import { LocalHost } from '../host/local-host';
import type { Host } from '../host/host';
import { createEngineApi, type EngineApi, engineApiOver, type Modem, modemDialOptions, modemTransport } from './engine-api';

/** A LocalHost whose SSH_AUTH_SOCK is the test agent's (the process environment is not changed). */
class AgentHost extends LocalHost {
  constructor(private readonly agentSocket: string) {
    super();
  }
  override env(name: string): string | undefined {
    return name === 'SSH_AUTH_SOCK' ? this.agentSocket : super.env(name);
  }
}

const sshEndpoint = (host: string): Endpoint => ({ host, transport: 'ssh', tls: null, context: null, reason: 'test', flavour: 'remote' });

interface Fixture {
  daemon: PrivateDockerd;
  /** A created (never started) container. */
  createdId: string;
  /** An image whose parent is untagged: removing it without noprune=1 removes the parent too. */
  childRef: string;
  parentId: string;
}

async function fixture(): Promise<Fixture> {
  const daemon = await runningDockerd({ daemonJson: {} });
  await importBusybox(daemon, 'base:1');
  const createdId = await daemon.docker(['create', '--name', 'made-not-started', '--label', 'probe=a b{c}', 'base:1']);
  // A parent that only its child keeps: tag it, commit a child on it, untag it.
  await daemon.docker(['tag', 'base:1', 'parent:1']);
  await daemon.docker(['run', '--name', 'layer', 'parent:1', 'sh', '-c', 'echo x > /x']);
  await daemon.docker(['commit', 'layer', 'child:1']);
  await daemon.docker(['rm', 'layer']);
  const parentId = await daemon.docker(['image', 'inspect', '--format', '{{.Parent}}', 'child:1']);
  assert.match(parentId, /^sha256:/, 'the committed image has a parent');
  return { daemon, createdId, childRef: 'child:1', parentId };
}

/** What the query must carry, run against one client: all=1, JSON filters with braces and spaces, noprune=1. */
function queryContract(name: string, f: () => Fixture, client: () => EngineApi): void {
  test(`${name}: all=1 lists the created container`, async () => {
    const list = await client().get<{ Id: string }[]>('/containers/json', { all: '1' });
    assert.ok(list.some((c) => c.Id === f().createdId), 'the created container is listed with all=1');
    const running = await client().get<{ Id: string }[]>('/containers/json', {});
    assert.ok(!running.some((c) => c.Id === f().createdId), 'and not without it');
  });

  test(`${name}: a JSON filter with braces and spaces arrives whole`, async () => {
    const hit = await client().get<{ Id: string }[]>('/containers/json', { all: '1', filters: JSON.stringify({ label: ['probe=a b{c}'] }) });
    assert.deepEqual(hit.map((c) => c.Id), [f().createdId]);
    const miss = await client().get<{ Id: string }[]>('/containers/json', { all: '1', filters: JSON.stringify({ label: ['probe=a b{c'] }) });
    assert.deepEqual(miss, []);
  });

  test(`${name}: DELETE with noprune=1 keeps the untagged parent`, async () => {
    await client().request('DELETE', `/images/${encodeURIComponent(f().childRef)}`, { noprune: '1' });
    await assert.rejects(client().get(`/images/${encodeURIComponent(f().childRef)}/json`), (e: Error & { statusCode?: number }) => e.statusCode === 404);
    const parent = await client().get<{ Id: string }>(`/images/${encodeURIComponent(f().parentId)}/json`);
    assert.equal(parent.Id, f().parentId, 'noprune=1 reached the daemon: the parent is still there');
  });
}

describe('docker-modem dial options (the ssh transport hands these to the modem)', () => {
  test('the path ends at "?" and the query travels whole in _query; no body for a POST', () => {
    const signal = new AbortController().signal;
    const withQuery = modemDialOptions('/containers/json', { all: '1' }, 'GET', signal);
    assert.equal(withQuery.path, '/containers/json?');
    assert.deepEqual(withQuery.options, { _query: { all: '1' }, _body: {} });
    const without = modemDialOptions('/info', {}, 'GET', signal);
    assert.equal(without.path, '/info', 'no "?" for the modem to cut');
  });
});

describe('the modem path over the daemon unix socket', () => {
  let f: Fixture;
  let api: EngineApi;
  before(async () => {
    f = await fixture();
    const { default: Docker } = await import('dockerode');
    const modem = (new Docker({ socketPath: f.daemon.socket }) as unknown as { modem: Modem }).modem;
    const endpoint: Endpoint = { host: f.daemon.host, transport: 'unix', tls: null, context: null, reason: 'test', flavour: 'unknown' };
    api = engineApiOver(endpoint, { transport: modemTransport(modem), requestPath: 'docker-modem', close: () => undefined }, 20_000);
  });
  after(async () => {
    api?.close();
    await f?.daemon.stop();
  });
  queryContract('unix socket through the modem', () => f, () => api);
});

describe('ssh:// through a real sshd and docker system dial-stdio', () => {
  let f: Fixture;
  let sshd: TestSshd;
  let api: EngineApi;
  before(async () => {
    f = await fixture();
    sshd = await startTestSshd(f.daemon.host);
    const host: Host = new AgentHost(sshd.agentSocket);
    api = await createEngineApi(host, sshEndpoint(sshd.host), 20_000);
    await api.ping();
  });
  after(async () => {
    api?.close();
    await sshd?.stop();
    await f?.daemon.stop();
  });
  queryContract('ssh', () => f, () => api);
});

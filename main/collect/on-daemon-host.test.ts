// Which machine the daemon's files are on decides what the audit reads here: over ssh:// (even to 127.0.0.1) and
// tcp:// to another address they are not this machine's, so every collector of the daemon's host is not applicable
// with one reason, and no check judges this machine's daemon.json, units or TLS files as that daemon's. tcp:// to a
// loopback address keeps the local proof. The endpoints here refuse the connection: only the host side is looked at.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { daemonElsewhere } from '../../shared/endpoint-place';
import type { Fact } from '../../shared/fact';
import { evaluateFacts } from '../audit';
import { LocalHost } from '../host/local-host';
import { collectFacts } from './collect';
import type { FactKey } from './context';
import { matchDaemon } from './daemon-process';

/** Every collector that reads the daemon's host rather than its API or this machine's client side. */
const DAEMON_HOST: readonly FactKey[] = [
  'daemonProcess',
  'serviceUnit',
  'daemonFlags',
  'daemonConfig',
  'daemonHostFacts',
  'files',
  'accounts',
  'subIds',
  'auditRules',
  'hostNetwork',
  'dns',
  'iptables',
  'dataRootFs',
  'containerLogs',
  'scheduledCleanup',
  'binfmt',
];

let dir: string;
let closedPort: number;
before(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'dkh-elsewhere-'));
  // A port that was free a moment ago and has nothing listening: the connection is refused at once.
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closedPort = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
});
after(() => fs.rm(dir, { recursive: true, force: true }));

test('over ssh:// to 127.0.0.1 the daemon host is another machine: its collectors are skipped with one reason, its file checks too', async () => {
  const endpoint = `ssh://nobody@127.0.0.1:${closedPort}`;
  const reason = daemonElsewhere({ transport: 'ssh', host: endpoint });
  assert.ok(reason);
  const facts = await collectFacts({ host: new LocalHost(), endpoint: { host: endpoint }, timeoutMs: 20_000 });
  for (const key of DAEMON_HOST) {
    const fact: Fact<unknown> | undefined = facts[key];
    assert.ok(fact && !fact.ok, `${key} is not collected from this machine`);
    assert.deepEqual(fact.error, { code: 'unsupported', message: reason }, key);
    assert.equal(facts.collectors.find((c) => c.name === key)?.status, 'skipped', key);
  }
  // This machine's client side still applies to whichever daemon it talks to.
  assert.notEqual(facts.collectors.find((c) => c.name === 'processEnv')?.status, 'skipped');

  const report = evaluateFacts(facts);
  const fileFindings = report.findings.filter((f) => f.checkId.startsWith('files.'));
  assert.ok(fileFindings.length > 0);
  for (const f of fileFindings) {
    assert.equal(f.result.status, 'skipped', f.id);
    assert.ok(f.result.reason?.endsWith(reason), `${f.id}: ${f.result.reason}`);
  }
  const config = report.findings.find((f) => f.checkId === 'daemon.config.valid');
  assert.equal(config?.result.status, 'skipped');
  assert.ok(config?.result.reason?.endsWith(reason), config?.result.reason ?? '');
});

test('over ssh:// a daemon.json and flags the user names are still judged: they are read from here as asked', async () => {
  const file = path.join(dir, 'daemon.json');
  await fs.writeFile(file, '{"icc": false}\n');
  const facts = await collectFacts({
    host: new LocalHost(),
    endpoint: { host: `ssh://nobody@127.0.0.1:${closedPort}` },
    configFile: file,
    flags: ['--live-restore'],
    timeoutMs: 20_000,
  });
  assert.ok(facts.daemonConfig.ok && facts.daemonConfig.value.exists);
  assert.equal(facts.daemonConfig.value.path, file);
  assert.ok(facts.daemonFlags.ok);
  assert.deepEqual(facts.daemonFlags.value, { args: ['--live-restore'], from: 'user' });
  assert.ok(!facts.files.ok && facts.files.error.code === 'unsupported');
});

test('tcp:// to a loopback address keeps the local proof: the host side is collected here', async () => {
  const endpoint = `tcp://127.0.0.1:${closedPort}`;
  assert.equal(daemonElsewhere({ transport: 'tcp', host: endpoint }), null);
  const facts = await collectFacts({ host: new LocalHost(), endpoint: { host: endpoint }, timeoutMs: 20_000 });
  assert.ok(facts.files.ok, 'the host files are stat-ed here');
  assert.ok(facts.daemonConfig.ok, 'a daemon.json is located here');
  // No dockerd listens on that port: a local search that found none, not "another machine".
  assert.ok(!facts.daemonProcess.ok);
  assert.equal(facts.daemonProcess.error.code, 'not-found');
});

test('a tcp:// endpoint is matched to a local dockerd by its port only when the address is loopback', () => {
  const processes = [{ pid: 42, argv: ['/usr/sbin/dockerd', '-H', 'tcp://0.0.0.0:2376', '--tlsverify'] }];
  const tcp = (host: string) => ({
    host,
    transport: 'tcp' as const,
    tls: { verify: true, certPath: null },
    context: null,
    reason: 'test',
    flavour: 'unknown' as const,
  });
  for (const host of ['tcp://127.0.0.1:2376', 'tcp://127.0.0.2:2376', 'tcp://localhost:2376', 'tcp://[::1]:2376']) {
    assert.equal(matchDaemon(processes, tcp(host))?.pid, 42, host);
  }
  // The same port on another machine is that machine's daemon, whatever listens on it here.
  for (const host of ['tcp://10.1.2.3:2376', 'tcp://build.example.com:2376']) assert.equal(matchDaemon(processes, tcp(host)), null, host);
});

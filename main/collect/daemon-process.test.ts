// test-needs: root — reads /proc as root and as nobody (setpriv)
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Endpoint } from '../../shared/endpoint';
import { type PrivateDockerd, runningDockerd } from '../../test/support/dockerd';
import { freePort } from '../../test/support/sshd';
import { makeTlsMaterial, type TlsMaterial } from '../../test/support/tls';
import { LocalHost } from '../host/local-host';
import { proveDaemon } from '../host/trusted-daemon';
import { collectDaemonProcess, pidfileCandidates } from './daemon-process';

describe('finding the dockerd that serves the endpoint without reading every process', () => {
  let daemon: PrivateDockerd;
  let endpoint: Endpoint;
  before(async () => {
    daemon = await runningDockerd({ daemonJson: {} });
    endpoint = { host: daemon.host, transport: 'unix', tls: null, context: null, reason: 'test', flavour: 'rootful' };
  });
  after(() => daemon?.stop());

  test('docker.pid beside the socket is where to look first; a stale or foreign pid there proves nothing and costs nothing', async () => {
    const host = new LocalHost();
    const pidfile = path.join(path.dirname(daemon.socket), 'docker.pid');
    await fs.writeFile(pidfile, `${daemon.pid}\n`);
    try {
      assert.ok((await pidfileCandidates(host, endpoint)).includes(daemon.pid));
      const fact = await collectDaemonProcess(host, endpoint);
      assert.ok(fact.ok, JSON.stringify(fact));
      assert.equal(fact.value.pid, daemon.pid);
      assert.match(fact.value.matchedBy, /holds the socket listening on/);
      // This test's own process named as the daemon: proven not to be, and the real one is still found by the scan.
      await fs.writeFile(pidfile, `${process.pid}\n`);
      const misled = await proveDaemon(daemon.host, { candidates: await pidfileCandidates(host, endpoint) });
      assert.ok(misled.ok, misled.ok ? '' : misled.why);
      assert.equal(misled.daemon.pid, daemon.pid);
      await fs.writeFile(pidfile, 'not a pid\n');
      assert.ok(!(await pidfileCandidates(host, endpoint)).includes(process.pid));
    } finally {
      await fs.rm(pidfile, { force: true });
    }
  });

  test('without any pidfile the ascending scan proves the same daemon', async () => {
    const proof = await proveDaemon(daemon.host, { candidates: [] });
    assert.ok(proof.ok, proof.ok ? '' : proof.why);
    assert.equal(proof.daemon.pid, daemon.pid);
    const none = await proveDaemon(`unix://${path.join(daemon.dir, 'no-such.sock')}`);
    assert.ok(!none.ok);
  });
});

describe('a tcp:// endpoint: no socket to prove and no pidfile, so every process is looked at', () => {
  let daemon: PrivateDockerd;
  let tls: TlsMaterial;
  let endpoint: Endpoint;
  before(async () => {
    tls = await makeTlsMaterial();
    const tcpHost = `tcp://127.0.0.1:${await freePort()}`;
    daemon = await runningDockerd({
      daemonJson: {},
      flags: ['-H', tcpHost, '--tlsverify', '--tlscacert', tls.server.ca, '--tlscert', tls.server.cert, '--tlskey', tls.server.key],
    });
    endpoint = { host: tcpHost, transport: 'tcp', tls: null, context: null, reason: 'test', flavour: 'rootful' };
  });
  after(async () => {
    await daemon?.stop();
    await tls?.remove();
  });

  test('as root: found by the program the kernel says each process runs, and matched by its -H flag', async () => {
    const fact = await collectDaemonProcess(new LocalHost(), endpoint);
    assert.ok(fact.ok, JSON.stringify(fact));
    assert.equal(fact.value.pid, daemon.pid);
    assert.match(fact.value.matchedBy, /tcp port/);
  });

  test("as nobody: root's program links are closed, so the daemon is found by its name, the same one", () => {
    const script = `import { collectDaemonProcess } from ${JSON.stringify(path.resolve('main/collect/daemon-process.ts'))};
import { LocalHost } from ${JSON.stringify(path.resolve('main/host/local-host.ts'))};
process.stdout.write(JSON.stringify(await collectDaemonProcess(new LocalHost(), ${JSON.stringify(endpoint)})));`;
    const out = execFileSync(
      'setpriv',
      ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, '--import', 'tsx', '--input-type=module', '-e', script],
      { encoding: 'utf8', cwd: path.resolve('.') },
    );
    const fact = JSON.parse(out) as Awaited<ReturnType<typeof collectDaemonProcess>>;
    assert.ok(fact.ok, out);
    assert.equal(fact.value.pid, daemon.pid);
    assert.match(fact.value.matchedBy, /tcp port/);
  });
});

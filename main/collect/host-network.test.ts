// test-needs: root — network namespaces made with unshare
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import type { CommandResult, Host, RunOptions } from '../host/host';
import { HostError } from '../host/host';
import { LocalHost } from '../host/local-host';
import { RootfsHost } from '../host/rootfs-host';
import type { CollectContext } from './context';
import { collectDns, collectHostNetwork, collectIptables, decodeProcAddress, parseProcNetRoute } from './host-network';

const run = promisify(execFile);
const FIXTURES = path.join(import.meta.dirname, '../../test/fixtures/network');
const fixture = (name: string) => fs.readFile(path.join(FIXTURES, name), 'utf8');

/** The collectors only use the host; the rest of the context belongs to the full collection. */
/** A context whose only facts are `facts` (dockerd's flags and daemon.json, for iptables); any other is not collected. */
function ctxFor(host: Host, facts: Record<string, unknown> = {}): CollectContext {
  const unused = () => {
    throw new Error('not used by the host-network collectors');
  };
  const get = (key: string) =>
    Promise.resolve(facts[key] ?? { ok: false, error: { code: 'unsupported', message: `${key} not collected here` }, sources: [] });
  return { host, request: {}, timeoutMs: 10_000, get, api: unused, endpoint: unused } as unknown as CollectContext;
}

/** Recorded files of another machine, read like a live host's (kind 'fixture': no systeminformation, no commands). */
function fixtureHost(root: string): Host {
  const files = new RootfsHost(root);
  return {
    kind: 'fixture',
    platform: 'linux',
    readFile: (p, max) => files.readFile(p, max),
    stat: (p) => files.stat(p),
    readDir: (p) => files.readDir(p),
    statfs: (p) => files.statfs(p),
    run: (command) => Promise.reject(new HostError('unsupported', `cannot run ${command} on recorded fixtures`)),
    env: () => undefined,
    user: () => files.user(),
    hostname: () => 'fixture',
    displayPath: (p) => p,
  };
}

/** The local machine, with each command replaced by another real program (to meet real failures of iptables). */
class RedirectingHost extends LocalHost {
  constructor(private readonly redirect: (command: string, args: string[]) => [string, string[]]) {
    super();
  }
  override run(command: string, args: string[], options: RunOptions): Promise<CommandResult> {
    const [c, a] = this.redirect(command, args);
    return super.run(c, a, options);
  }
}

let tmp: string;
const makeRoot = async (files: Record<string, string | { symlink: string }>) => {
  const root = await fs.mkdtemp(path.join(tmp, 'root-'));
  for (const [p, content] of Object.entries(files)) {
    await fs.mkdir(path.join(root, path.dirname(p)), { recursive: true });
    if (typeof content === 'string') await fs.writeFile(path.join(root, p), content);
    else await fs.symlink(content.symlink, path.join(root, p));
  }
  return root;
};

before(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'dkh-net-'));
});
after(async () => {
  await fs.rm(tmp, { recursive: true, force: true });
});

describe('/proc/net/route', () => {
  test("addresses are the kernel's host-order hex: little-endian here", () => {
    assert.equal(decodeProcAddress('000011AC', true), '172.17.0.0');
    assert.equal(decodeProcAddress('0101A8C0', true), '192.168.1.1');
    assert.equal(decodeProcAddress('AC110000', false), '172.17.0.0');
    assert.equal(decodeProcAddress('11AC', true), null);
  });

  test('a VPN laptop: routes, gateways, the lowest-metric default route, reject routes left out', async () => {
    const parsed = parseProcNetRoute(await fixture('route-vpn-laptop.txt'), '/proc/net/route', true);
    assert.deepEqual(parsed.defaultRoute, { iface: 'tun0', gateway: '10.8.0.1' });
    assert.deepEqual(parsed.routes, [
      { destination: '0.0.0.0/0', iface: 'tun0', gateway: '10.8.0.1' },
      { destination: '0.0.0.0/0', iface: 'wlp2s0', gateway: '192.168.1.1' },
      { destination: '10.0.0.0/8', iface: 'tun0', gateway: '10.8.0.1' },
      { destination: '10.8.0.0/16', iface: 'tun0', gateway: null },
      { destination: '192.168.1.0/24', iface: 'wlp2s0', gateway: null },
      { destination: '172.17.0.0/16', iface: 'docker0', gateway: null },
      { destination: '172.18.0.0/16', iface: 'br-0123456789ab', gateway: null },
      { destination: '192.168.122.0/24', iface: 'virbr0', gateway: null },
    ]);
  });

  test('no default route is null, not a guess', async () => {
    assert.equal(parseProcNetRoute(await fixture('route-no-default.txt'), '/proc/net/route', true).defaultRoute, null);
  });

  test('recorded files of another machine: interfaces with MTU, routes; a malformed line and a missing file are fact errors', async () => {
    const routes = await fixture('route-vpn-laptop.txt');
    const good = await makeRoot({
      '/proc/net/route': routes,
      '/sys/class/net/tun0/mtu': '1380\n',
      '/sys/class/net/wlp2s0/mtu': '1500\n',
      '/sys/class/net/docker0/mtu': '1500\n',
      '/sys/class/net/lo/mtu': '65536\n',
    });
    const fact = await collectHostNetwork(ctxFor(fixtureHost(good)));
    assert.ok(fact.ok, JSON.stringify(fact));
    assert.deepEqual(fact.value.defaultRoute, { iface: 'tun0', gateway: '10.8.0.1' });
    assert.deepEqual(
      fact.value.interfaces.map((i) => [i.name, i.mtu]),
      [
        ['docker0', 1500],
        ['lo', 65536],
        ['tun0', 1380],
        ['wlp2s0', 1500],
      ],
    );
    assert.equal(fact.value.routes.length, 8);

    const broken = routes.split('\n');
    broken[4] = 'tun0\t0000080A\tnot-hex\t0001\t0\t0\t50\t0000FFFF\t0\t0\t0';
    const malformed = await collectHostNetwork(
      ctxFor(fixtureHost(await makeRoot({ '/proc/net/route': broken.join('\n'), '/sys/class/net/lo/mtu': '65536\n' }))),
    );
    assert.ok(!malformed.ok);
    assert.equal(malformed.error.code, 'malformed');
    assert.match(malformed.error.message, /\/proc\/net\/route line 5: not a route entry/);

    const missing = await collectHostNetwork(ctxFor(fixtureHost(await makeRoot({ '/sys/class/net/lo/mtu': '65536\n' }))));
    assert.ok(!missing.ok);
    assert.equal(missing.error.code, 'not-found');
    assert.match(missing.error.message, /\/proc\/net\/route/);
  });

  test('on an offline root there are no interfaces to read: unsupported', async () => {
    const fact = await collectHostNetwork(
      ctxFor(new RootfsHost(await makeRoot({ '/proc/net/route': await fixture('route-vpn-laptop.txt') }))),
    );
    assert.ok(!fact.ok);
    assert.equal(fact.error.code, 'unsupported');
  });

  test('this machine: the default route, its MTU and address agree with ip(8) and /sys', async () => {
    const fact = await collectHostNetwork(ctxFor(new LocalHost()));
    assert.ok(fact.ok, JSON.stringify(fact));
    const defaultDev = /\bdev (\S+)/.exec((await run('ip', ['-4', 'route', 'show', 'default'])).stdout)?.[1];
    assert.ok(defaultDev, 'this machine has an IPv4 default route');
    assert.equal(fact.value.defaultRoute?.iface, defaultDev);
    const uplink = fact.value.interfaces.find((i) => i.name === defaultDev);
    assert.equal(uplink?.mtu, Number((await fs.readFile(`/sys/class/net/${defaultDev}/mtu`, 'utf8')).trim()));
    const addr = /\binet (\S+)/.exec((await run('ip', ['-4', '-o', 'addr', 'show', 'dev', defaultDev])).stdout)?.[1];
    assert.ok(addr && uplink?.addresses.includes(addr), `${addr} in ${JSON.stringify(uplink?.addresses)}`);
    assert.deepEqual(fact.value.interfaces.map((i) => i.name).sort(), (await fs.readdir('/sys/class/net')).sort());
  });
});

describe('a live network namespace set up for the test', () => {
  test('uplink MTU, default route and every IPv4 address of an interface, read from the kernel', async () => {
    // A private network namespace: a veth uplink with MTU 1380, two addresses and a default route through it. sysfs
    // shows the interfaces of the namespace that mounted it, so the test mounts its own in a private mount namespace.
    const setup = [
      'mount -t sysfs sysfs /sys',
      'ip link set lo up',
      'ip link add up0 type veth peer name up0-peer',
      'ip link set up0 mtu 1380 up',
      'ip link set up0-peer up',
      'ip addr add 10.77.0.2/24 dev up0',
      'ip addr add 10.77.1.2/24 dev up0',
      'ip route add default via 10.77.0.1 dev up0',
    ].join(' && ');
    const code = `
      const { collectHostNetwork } = await import(${JSON.stringify(path.join(import.meta.dirname, 'host-network.ts'))});
      const { LocalHost } = await import(${JSON.stringify(path.join(import.meta.dirname, '../host/local-host.ts'))});
      process.stdout.write(JSON.stringify(await collectHostNetwork({ host: new LocalHost() })));`;
    const { stdout } = await run('unshare', [
      '-n',
      '-m',
      'sh',
      '-c',
      `${setup} && exec "$0" --import tsx --input-type=module -e "$1"`,
      process.execPath,
      code,
    ]);
    const fact = JSON.parse(stdout);
    assert.ok(fact.ok, stdout);
    assert.deepEqual(fact.value.defaultRoute, { iface: 'up0', gateway: '10.77.0.1' });
    const up0 = fact.value.interfaces.find((i: { name: string }) => i.name === 'up0');
    assert.deepEqual(up0, { name: 'up0', mtu: 1380, addresses: ['10.77.0.2/24', '10.77.1.2/24'] });
    assert.deepEqual(
      fact.value.routes.filter((r: { iface: string }) => r.iface === 'up0'),
      [
        { destination: '0.0.0.0/0', iface: 'up0', gateway: '10.77.0.1' },
        { destination: '10.77.0.0/24', iface: 'up0', gateway: null },
        { destination: '10.77.1.0/24', iface: 'up0', gateway: null },
      ],
    );
  });
});

describe('resolv.conf', () => {
  test('systemd-resolved: /etc/resolv.conf is a symlink to the stub file; the upstream list is read too', async () => {
    const root = await makeRoot({
      '/run/systemd/resolve/stub-resolv.conf': await fixture('stub-resolv.conf'),
      '/run/systemd/resolve/resolv.conf': await fixture('resolved-upstream.conf'),
      '/etc/resolv.conf': { symlink: '../run/systemd/resolve/stub-resolv.conf' },
    });
    const fact = await collectDns(ctxFor(new RootfsHost(root)));
    assert.ok(fact.ok, JSON.stringify(fact));
    assert.deepEqual(fact.value.resolvConf, {
      path: '/etc/resolv.conf',
      nameservers: [{ address: '127.0.0.53', line: 21 }],
      search: ['corp.example'],
      options: ['edns0', 'trust-ad'],
    });
    assert.deepEqual(fact.value.upstream?.nameservers, [
      { address: '10.20.0.2', line: 17 },
      { address: '10.20.0.3', line: 18 },
    ]);
    assert.deepEqual(
      fact.sources.map((s) => (s.kind === 'file' ? s.path : s.kind)),
      ['/etc/resolv.conf', '/run/systemd/resolve/resolv.conf'],
    );
  });

  test('; comments, domain then search (the last wins), options accumulate, an empty nameserver line is ignored', async () => {
    const fact = await collectDns(ctxFor(new RootfsHost(await makeRoot({ '/etc/resolv.conf': await fixture('legacy.conf') }))));
    assert.ok(fact.ok, JSON.stringify(fact));
    assert.deepEqual(fact.value.resolvConf.nameservers, [
      { address: '192.0.2.53', line: 3 },
      { address: 'fd00::53', line: 4 },
    ]);
    assert.deepEqual(fact.value.resolvConf.search, ['corp.example', 'lab.corp.example']);
    assert.deepEqual(fact.value.resolvConf.options, ['ndots:2', 'timeout:1', 'rotate']);
    assert.equal(fact.value.upstream, null);
  });

  test('a dangling /etc/resolv.conf on an offline root is unsupported there (it appears at boot); missing on a live host, not-found', async () => {
    const root = await makeRoot({ '/etc/resolv.conf': { symlink: '../run/systemd/resolve/stub-resolv.conf' } });
    const offline = await collectDns(ctxFor(new RootfsHost(root)));
    assert.ok(!offline.ok);
    assert.equal(offline.error.code, 'unsupported');
    assert.match(offline.error.message, /\/etc\/resolv\.conf does not exist in this offline root.*\/run, which is empty until boot/);
    const recorded = await collectDns(ctxFor(fixtureHost(root)));
    assert.ok(!recorded.ok);
    assert.equal(recorded.error.code, 'not-found');
    assert.match(recorded.error.message, /\/etc\/resolv\.conf: no such file or directory/);
  });
});

describe('the firewall rules (iptables-save, nft list ruleset)', () => {
  test('a live network namespace with a DROP policy and a jump into a user chain: read with the real iptables-save', async () => {
    const setup = [
      'iptables -P FORWARD DROP',
      'iptables -N DOCKER-USER',
      'iptables -A FORWARD -j DOCKER-USER',
      'iptables -t nat -N DOCKER',
      'iptables -t nat -A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER',
    ].join(' && ');
    const code = `
      const { collectIptables } = await import(${JSON.stringify(path.join(import.meta.dirname, 'host-network.ts'))});
      const { LocalHost } = await import(${JSON.stringify(path.join(import.meta.dirname, '../host/local-host.ts'))});
      const get = (key) => Promise.resolve({ ok: false, error: { code: 'unsupported', message: key + ' not collected here' }, sources: [] });
      process.stdout.write(JSON.stringify(await collectIptables({ host: new LocalHost(), get })));`;
    const { stdout } = await run('unshare', [
      '-n',
      'sh',
      '-c',
      `${setup} && exec "$0" --import tsx --input-type=module -e "$1"`,
      process.execPath,
      code,
    ]);
    const fact = JSON.parse(stdout);
    assert.ok(fact.ok, stdout);
    assert.equal(fact.value.forwardPolicy, 'DROP');
    assert.equal(fact.value.command, 'iptables-save');
    assert.equal(fact.value.format, 'iptables-save');
    assert.equal(fact.value.netns, null, "no daemon process known: the rules of this process's namespace");
    assert.deepEqual(
      fact.value.tables.filter.find((c: { name: string }) => c.name === 'FORWARD'),
      { name: 'FORWARD', policy: 'DROP', targets: ['DOCKER-USER'] },
    );
    assert.deepEqual(fact.value.tables.nat.find((c: { name: string }) => c.name === 'PREROUTING').targets, ['DOCKER']);
  });

  test('without root the real iptables refuses: a permission-denied fact error', async () => {
    const host = new RedirectingHost((c, a) => ['setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', c, ...a]]);
    const fact = await collectIptables(ctxFor(host));
    assert.ok(!fact.ok);
    assert.equal(fact.error.code, 'permission-denied');
    assert.match(fact.error.message, /iptables-save needs root.*Permission denied/);
  });

  test('neither iptables-save nor nft installed: a not-found fact error; iptables-save missing: nft is read instead', async () => {
    const fact = await collectIptables(ctxFor(new RedirectingHost((_c, a) => [path.join(tmp, 'no-such-dir', 'iptables'), a])));
    assert.ok(!fact.ok);
    assert.equal(fact.error.code, 'not-found');
    assert.match(fact.error.message, /neither iptables-save nor nft is installed or on PATH/);
    const nftOnly = await collectIptables(
      ctxFor(
        new RedirectingHost((c, a) =>
          c === 'nft' ? ['cat', [path.join(FIXTURES, 'nft-ruleset-28.5.txt')]] : [path.join(tmp, 'no-such-dir', c), a],
        ),
      ),
    );
    assert.ok(nftOnly.ok, JSON.stringify(nftOnly));
    assert.equal(nftOnly.value.format, 'nft');
    assert.equal(nftOnly.value.command, 'nft list ruleset');
    assert.equal(nftOnly.value.forwardPolicy, 'DROP');
  });

  test('an iptables that hangs is stopped and reported as a timeout', async () => {
    const script = path.join(tmp, 'hung-iptables');
    await fs.writeFile(script, '#!/bin/sh\nexec sleep 60\n', { mode: 0o755 });
    const fact = await collectIptables(ctxFor(new RedirectingHost((_c, a) => [script, a])));
    assert.ok(!fact.ok);
    assert.equal(fact.error.code, 'timeout');
    assert.match(fact.error.message, /did not finish within 3 s/);
  });

  test('dockerd told not to manage iptables (flag or daemon.json): iptables is not run at all', async () => {
    const marker = path.join(tmp, 'iptables-ran');
    const script = path.join(tmp, 'marking-iptables');
    await fs.writeFile(script, `#!/bin/sh\ntouch ${marker}\nprintf '*filter\\n:FORWARD ACCEPT [0:0]\\nCOMMIT\\n'\n`, { mode: 0o755 });
    const host = new RedirectingHost((_c, a) => [script, a]);
    const byFlag = await collectIptables(
      ctxFor(host, {
        daemonFlags: { ok: true, value: { args: ['-H', 'unix:///run/x.sock', '--iptables=false'], from: 'process' }, sources: [] },
      }),
    );
    assert.ok(!byFlag.ok);
    assert.equal(byFlag.error.code, 'unsupported');
    assert.match(byFlag.error.message, /does not manage iptables \(--iptables=false\)/);
    const byFile = await collectIptables(
      ctxFor(host, { daemonConfig: { ok: true, value: { path: '/etc/docker/daemon.json', text: '{"iptables": false}' }, sources: [] } }),
    );
    assert.ok(!byFile.ok);
    assert.match(byFile.error.message, /"iptables": false in \/etc\/docker\/daemon.json/);
    assert.equal(
      await fs.stat(marker).then(
        () => true,
        () => false,
      ),
      false,
      'iptables was run',
    );
    // Managed (the default): the same command is run.
    const managed = await collectIptables(
      ctxFor(host, { daemonConfig: { ok: true, value: { path: '/etc/docker/daemon.json', text: '{"iptables": true}' }, sources: [] } }),
    );
    assert.ok(managed.ok, JSON.stringify(managed));
    assert.equal(
      await fs.stat(marker).then(
        () => true,
        () => false,
      ),
      true,
    );
  });

  test("the daemon in this process's own namespace is read without nsenter; a daemon whose namespace cannot be read is an error, never another namespace's rules", async () => {
    const daemonProcess = (pid: number) => ({
      daemonProcess: { ok: true, value: { pid, argv: ['dockerd'], matchedBy: 'test' }, sources: [] },
    });
    const seen: string[][] = [];
    const host = new RedirectingHost((c, a) => {
      seen.push([c, ...a]);
      return ['cat', [path.join(FIXTURES, 'iptables-save-28.5.txt')]];
    });
    const same = await collectIptables(ctxFor(host, daemonProcess(process.pid)));
    assert.ok(same.ok, JSON.stringify(same));
    assert.deepEqual(seen, [['iptables-save']]);
    assert.equal(same.value.netns?.daemonNetns, same.value.netns?.ownNetns);
    const gone = await collectIptables(ctxFor(host, daemonProcess(2 ** 22 + 7)));
    assert.ok(!gone.ok);
    assert.equal(gone.error.code, 'not-found');
    assert.match(gone.error.message, /the daemon's network namespace \(\/proc\/4194311\/ns\/net\) cannot be read/);
    assert.equal(seen.length, 1, 'nothing was run for a namespace that could not be proven');
  });

  test('on an offline root nothing can run: unsupported', async () => {
    const fact = await collectIptables(ctxFor(new RootfsHost(tmp)));
    assert.ok(!fact.ok);
    assert.equal(fact.error.code, 'unsupported');
  });
});

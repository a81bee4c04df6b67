import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import type { Facts } from '../../shared/facts';
import type { ClientConfigFact } from '../../shared/facts/host-files';
import type { Finding } from '../../shared/finding';
import { type PrivateDockerd, runningDockerd } from '../../test/support/dockerd';
import { collectFacts } from '../collect/collect';
import { parseProcNetRoute } from '../collect/host-network';
import { LocalHost } from '../host/local-host';
import { RootfsHost } from '../host/rootfs-host';
import { dnsHostResolvers, networkAddressPools, networkForwardPolicy, networkMtu } from './network';
import { desktopProxyExclusions } from './desktop';
import { goBypassesProxy } from '../check-kit/no-proxy';
import { proxyConsistent, proxyNoProxy } from './proxy';
import { evaluateChecks } from './runner';

const run = promisify(execFile);
const FIXTURES = path.join(import.meta.dirname, '../../test/fixtures/network');
const fixture = (name: string) => fs.readFile(path.join(FIXTURES, name), 'utf8');

const PROXY_PASSWORD = 's3cret-pw';
const RUNNING_PROXY = `http://dkh-user:${PROXY_PASSWORD}@proxy.internal:3128`;

let proxied: PrivateDockerd;
let plain: PrivateDockerd;
/** A daemon started with HTTP_PROXY/NO_PROXY in its environment, "mtu": 9000 and a bip on a network this host routes. */
let proxiedFacts: Facts;
/** A daemon with "mtu" set to the uplink's and its own address pool. */
let plainFacts: Facts;
let uplink: { iface: string; mtu: number };
let hostNet: { destination: string; bip: string };
let tmp: string;

function ipToInt(ip: string): number {
  return ip.split('.').reduce((n, o) => n * 256 + Number(o), 0);
}
const intToIp = (n: number) => [n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff].join('.');

/** This machine's uplink and one of its on-link networks outside Docker, read with ip(8) (not with Dockhand's parser). */
async function readHostNetwork(): Promise<void> {
  const iface = /\bdev (\S+)/.exec((await run('ip', ['-4', 'route', 'show', 'default'])).stdout)?.[1];
  assert.ok(iface, 'this machine needs an IPv4 default route');
  uplink = { iface, mtu: Number((await fs.readFile(`/sys/class/net/${iface}/mtu`, 'utf8')).trim()) };
  const onLink = (await run('ip', ['-4', 'route', 'show', 'scope', 'link'])).stdout
    .split('\n')
    .map((l) => /^(\d+\.\d+\.\d+\.\d+\/(\d+)) dev (\S+)/.exec(l))
    .find((m) => m && !/^(docker0|br-)/.test(m[3]!) && Number(m[2]) <= 30);
  assert.ok(onLink, 'this machine needs an on-link IPv4 route outside Docker');
  const [net, prefix] = onLink[1]!.split('/');
  hostNet = { destination: onLink[1]!, bip: `${intToIp(ipToInt(net!) + 1)}/${prefix}` };
}

async function start(daemonJson: object, env: Record<string, string> = {}): Promise<PrivateDockerd> {
  // startDockerd gives dockerd a copy of this process's environment when it spawns it.
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  try {
    return await runningDockerd({ daemonJson });
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

const collect = (daemon: PrivateDockerd) => collectFacts({ host: new LocalHost(), endpoint: { host: daemon.host } });

async function rootfsFacts(files: Record<string, string | { symlink: string }>): Promise<Facts> {
  const root = await fs.mkdtemp(path.join(tmp, 'root-'));
  for (const [p, content] of Object.entries(files)) {
    await fs.mkdir(path.join(root, path.dirname(p)), { recursive: true });
    if (typeof content === 'string') await fs.writeFile(path.join(root, p), content);
    else await fs.symlink(content.symlink, path.join(root, p));
  }
  return collectFacts({ host: new RootfsHost(root), root });
}

function clientConfig(proxies: ClientConfigFact['proxies']): Facts['clientConfig'] {
  const value: ClientConfigFact = {
    path: '/root/.docker/config.json',
    exists: true,
    auths: [],
    credsStore: null,
    credHelpers: {},
    proxies,
    currentContext: null,
  };
  return { ok: true, value, sources: [{ kind: 'file', path: value.path }] };
}

/** Host routes and interfaces recorded on another machine, parsed by Dockhand's own parser. */
async function recordedNetwork(routeFile: string, interfaces: string[]): Promise<Facts['hostNetwork']> {
  const parsed = parseProcNetRoute(await fixture(routeFile), '/proc/net/route', true);
  return {
    ok: true,
    value: { ...parsed, interfaces: interfaces.map((name) => ({ name, mtu: 1500, addresses: [] })) },
    sources: [{ kind: 'file', path: '/proc/net/route' }],
  };
}

function withDaemonJson(facts: Facts, text: string): Facts {
  assert.ok(facts.daemonConfig.ok);
  return { ...facts, daemonConfig: { ...facts.daemonConfig, value: { ...facts.daemonConfig.value, text, exists: true } } };
}

const byTarget = (findings: Finding[], target: string | null) => {
  const found = findings.find((f) => f.result.target === target);
  assert.ok(found, `no finding for ${target}; have ${findings.map((f) => `${f.id}=${f.result.status}`).join(', ')}`);
  return found;
};

const DEBIAN_UNIT = `[Unit]
Description=Docker Application Container Engine

[Service]
Type=notify
ExecStart=/usr/sbin/dockerd -H fd:// --containerd=/run/containerd/containerd.sock
ExecReload=/bin/kill -s HUP $MAINPID
`;

before(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'dkh-netchk-'));
  await readHostNetwork();
  proxied = await start({ mtu: 9000, bip: hostNet.bip }, { HTTP_PROXY: RUNNING_PROXY, NO_PROXY: 'localhost,.corp.example' });
  plain = await start({ mtu: uplink.mtu, 'default-address-pools': [{ base: '10.123.0.0/16', size: 24 }] });
  [proxiedFacts, plainFacts] = await Promise.all([collect(proxied), collect(plain)]);
});
after(async () => {
  await Promise.all([proxied?.stop(), plain?.stop()]);
  if (tmp) await fs.rm(tmp, { recursive: true, force: true });
});

describe('proxy.consistent', () => {
  test("the running daemon's proxy, the same in the client config: pass, with the credentials masked", () => {
    const facts = {
      ...proxiedFacts,
      clientConfig: clientConfig({
        default: { httpProxy: 'http://dkh-user:****@proxy.internal:3128', noProxy: 'localhost,.corp.example' },
      }),
    };
    const findings = evaluateChecks([proxyConsistent], facts);
    assert.equal(findings.length, 1, JSON.stringify(findings));
    const [f] = findings;
    assert.equal(f!.result.status, 'pass');
    assert.match(f!.result.message, /HTTP_PROXY=http:\/\/\*\*\*\*@proxy\.internal:3128/);
    assert.match(f!.result.message, /NO_PROXY=localhost,\.corp\.example/);
    assert.deepEqual(f!.result.evidence[0]!.source, { kind: 'api', call: 'GET /info' });
    assert.ok(!JSON.stringify(findings).includes(PROXY_PASSWORD));
  });

  test('no proxy anywhere: pass', () => {
    const [f, ...rest] = evaluateChecks([proxyConsistent], { ...plainFacts, clientConfig: clientConfig({}) });
    assert.equal(rest.length, 0);
    assert.equal(f!.result.status, 'pass');
    assert.match(f!.result.message, /No proxy is set/);
  });

  test('docker.service gives another proxy than the running daemon uses: a pending restart, both values as evidence', async () => {
    const unitFacts = await rootfsFacts({
      '/lib/systemd/system/docker.service': DEBIAN_UNIT,
      '/etc/systemd/system/docker.service.d/http-proxy.conf':
        '[Service]\nEnvironment="HTTP_PROXY=http://dkh-user:unit-secret@proxy.corp.example:3128"\n',
    });
    // The unit is what starts the daemon: no other dockerd process to compare its command line with.
    const facts: Facts = {
      ...proxiedFacts,
      serviceUnit: unitFacts.serviceUnit,
      daemonProcess: { ok: false, error: { code: 'not-found', message: 'no dockerd process' }, sources: [] },
    };
    const findings = evaluateChecks([proxyConsistent], facts);
    const pending = byTarget(findings, 'running-vs-configured');
    assert.equal(pending.result.status, 'warn');
    assert.match(pending.result.message, /HTTP_PROXY, NO_PROXY differ/);
    const unitValue = pending.result.evidence.find((e) => e.label === 'HTTP_PROXY (configured)')!;
    assert.equal(unitValue.value, 'http://****@proxy.corp.example:3128');
    assert.deepEqual(unitValue.source, { kind: 'file', path: '/etc/systemd/system/docker.service.d/http-proxy.conf', line: 2 });
    assert.equal(byTarget(findings, null).result.status, 'info');
    const text = JSON.stringify(findings);
    assert.ok(!text.includes('unit-secret') && !text.includes(PROXY_PASSWORD));
  });

  test('daemon.json "proxies" against the unit, HTTP_PROXY against http_proxy: each disagreement is a warning; no password leaks', async () => {
    const facts = await rootfsFacts({
      '/lib/systemd/system/docker.service': DEBIAN_UNIT,
      '/etc/systemd/system/docker.service.d/http-proxy.conf':
        '[Service]\nEnvironment="HTTP_PROXY=http://dkh-user:unit-secret@proxy.corp.example:3128"\nEnvironment="http_proxy=http://old-proxy.corp.example:8080"\nEnvironment="NO_PROXY=localhost,127.0.0.1,.corp.example"\n',
      '/etc/docker/daemon.json':
        '{\n  "proxies": {\n    "http-proxy": "http://dkh-admin:json-secret@proxy2.corp.example:3128",\n    "no-proxy": "localhost,127.0.0.1,.corp.example"\n  }\n}\n',
    });
    const findings = evaluateChecks([proxyConsistent], facts);
    const summary = byTarget(findings, null);
    assert.equal(summary.result.status, 'info');
    assert.match(summary.result.message, /HTTP_PROXY=http:\/\/\*\*\*\*@proxy2\.corp\.example:3128.*judged from its configuration/);
    const overridden = byTarget(findings, 'daemon-json-vs-service-unit');
    assert.equal(overridden.result.status, 'warn');
    assert.match(overridden.result.message, /daemon\.json sets http-proxy differently/);
    assert.deepEqual(overridden.result.evidence[0]!.source, { kind: 'file', path: '/etc/docker/daemon.json', line: 3, column: 5 });
    const cases = byTarget(findings, 'service-unit-case:HTTP_PROXY');
    assert.equal(cases.result.status, 'warn');
    assert.match(cases.result.message, /dockerd \(Go\) uses HTTP_PROXY/);
    const text = JSON.stringify(findings);
    assert.ok(!text.includes('unit-secret') && !text.includes('json-secret'), text);
  });

  test('the client config gives containers another proxy than the daemon uses: a warning', () => {
    const facts = { ...proxiedFacts, clientConfig: clientConfig({ default: { httpProxy: 'http://other-proxy.internal:8080' } }) };
    const findings = evaluateChecks([proxyConsistent], facts);
    const client = byTarget(findings, 'client-vs-daemon');
    assert.equal(client.result.status, 'warn');
    assert.ok(client.result.evidence.some((e) => e.value === 'http://other-proxy.internal:8080'));
  });
});

describe('Docker Desktop proxy settings', () => {
  /** The running daemon's answers, seen as Docker Desktop's engine with a manual proxy in its settings. */
  const desktopFacts = (proxy: { http: string | null; exclude: string | null }): Facts => {
    assert.ok(proxiedFacts.engine.ok);
    return {
      ...proxiedFacts,
      engine: { ...proxiedFacts.engine, value: { ...proxiedFacts.engine.value, platformName: 'Docker Desktop 4.30.0 (149282)' } },
      desktop: {
        ok: true,
        value: {
          settingsPath: '/root/.docker/desktop/settings-store.json',
          version: '4.30.0',
          wslEngineEnabled: null,
          fileSharingImplementation: null,
          cpus: null,
          memoryMiB: null,
          swapMiB: null,
          diskSizeMiB: null,
          proxy: { mode: 'manual', https: null, ...proxy },
          diskImage: null,
          hostCpus: null,
          hostMemoryMiB: null,
        },
        sources: [],
      },
    };
  };

  test('settings that differ from what the engine reports: a warning to apply and restart; the same: pass', () => {
    const stale = evaluateChecks(
      [proxyConsistent],
      desktopFacts({ http: 'http://new-proxy.internal:3128', exclude: 'localhost,.corp.example' }),
    );
    const pending = byTarget(stale, 'running-vs-configured');
    assert.equal(pending.result.status, 'warn');
    assert.match(pending.result.message, /Apply & restart in Docker Desktop/);
    assert.ok(pending.result.evidence.some((e) => e.value === 'http://new-proxy.internal:3128' && e.source.kind === 'file'));
    const current = evaluateChecks([proxyConsistent], {
      ...desktopFacts({ http: 'http://proxy.internal:3128', exclude: 'localhost,.corp.example' }),
      clientConfig: clientConfig({}),
    });
    assert.ok(!current.some((f) => f.result.target === 'running-vs-configured'), JSON.stringify(current.map((f) => f.id)));
  });

  test("Desktop's bypass list must cover host.docker.internal and the internal domains: judged once, by desktop.proxy-exclusions", () => {
    const facts = desktopFacts({ http: 'http://proxy.internal:3128', exclude: 'localhost,127.0.0.1' });
    const [desktop, ...rest] = evaluateChecks([desktopProxyExclusions], facts, { options: { internalDomains: ['corp.example'] } });
    assert.equal(rest.length, 0);
    assert.equal(desktop!.result.status, 'fail');
    assert.match(desktop!.result.message, /does not cover host\.docker\.internal, names under corp\.example/);
    assert.deepEqual(desktop!.result.fix, {
      id: 'desktop.settings',
      params: {
        file: '/root/.docker/desktop/settings-store.json',
        key: 'overrideProxyExclude',
        value: 'localhost,127.0.0.1,host.docker.internal,corp.example',
      },
    });
    assert.ok(
      !evaluateChecks([proxyNoProxy], facts, { options: { internalDomains: ['corp.example'] } }).some((f) => f.result.target === 'desktop'),
      'proxy.no-proxy does not repeat it',
    );
    const covered = evaluateChecks(
      [desktopProxyExclusions],
      desktopFacts({ http: 'http://proxy.internal:3128', exclude: 'localhost;127.0.0.1; host.docker.internal,.corp.example' }),
      { options: { internalDomains: ['corp.example'] } },
    );
    assert.equal(covered[0]!.result.status, 'pass', covered[0]!.result.message);
  });
});

describe('proxy.no-proxy', () => {
  test('Go semantics: "corp.example" covers it and its subdomains, ".corp.example" only subdomains, loopback is always direct', () => {
    assert.ok(goBypassesProxy('corp.example', 'corp.example'));
    assert.ok(goBypassesProxy('corp.example', 'registry.corp.example'));
    assert.ok(goBypassesProxy('.corp.example', 'registry.corp.example'));
    assert.ok(!goBypassesProxy('.corp.example', 'corp.example'));
    assert.ok(goBypassesProxy('*.corp.example', 'a.b.corp.example'));
    assert.ok(!goBypassesProxy('corp.example', 'notcorp.example'));
    assert.ok(goBypassesProxy('10.0.0.0/8', '10.1.2.3'));
    assert.ok(!goBypassesProxy('10.0.0.0/8', 'ten.example'));
    assert.ok(goBypassesProxy('', 'localhost') && goBypassesProxy('', '127.0.0.1'));
    assert.ok(goBypassesProxy('*', 'anything.example'));
    assert.ok(goBypassesProxy(' Registry.Corp.Example:5000 ', 'registry.corp.example'));
  });

  test("the daemon's NO_PROXY covers the internal domain given: pass", () => {
    const findings = evaluateChecks(
      [proxyNoProxy],
      { ...proxiedFacts, clientConfig: clientConfig({}) },
      { options: { internalDomains: ['corp.example'] } },
    );
    const daemon = byTarget(findings, 'daemon');
    assert.equal(daemon.result.status, 'pass', daemon.result.message);
    assert.match(daemon.result.message, /covers names under corp\.example/);
  });

  test("an internal domain missing from the daemon's NO_PROXY fails, with the value to write", () => {
    const findings = evaluateChecks([proxyNoProxy], proxiedFacts, { options: { internalDomains: ['corp.internal', '.corp.example'] } });
    const daemon = byTarget(findings, 'daemon');
    assert.equal(daemon.result.status, 'fail');
    assert.match(daemon.result.message, /does not cover names under corp\.internal/);
    assert.deepEqual(daemon.result.fix, {
      id: 'daemon.proxy',
      params: { no: 'localhost,.corp.example,corp.internal', add: ['corp.internal'] },
    });
    assert.ok(!JSON.stringify(findings).includes(PROXY_PASSWORD));
  });

  test('containers: localhost alone is not enough; a CIDR is only partial cover; "*" disables the proxy', () => {
    const check = (noProxy: string) =>
      byTarget(
        evaluateChecks([proxyNoProxy], {
          ...plainFacts,
          clientConfig: clientConfig({ default: { httpsProxy: 'http://proxy.internal:3128', noProxy } }),
        }),
        'containers',
      ).result;
    const missing = check('localhost');
    assert.equal(missing.status, 'fail');
    assert.match(missing.message, /does not cover 127\.0\.0\.1, host\.docker\.internal/);
    assert.equal(missing.fix, null, 'the client config is not a file a fix may write');
    assert.equal(missing.evidence.find((e) => e.label.startsWith('NO_PROXY to write'))?.value, 'localhost,127.0.0.1,host.docker.internal');
    assert.equal(check('localhost,127.0.0.0/8,host.docker.internal').status, 'warn');
    assert.equal(check('localhost,127.0.0.1,.docker.internal').status, 'pass');
    assert.match(check('*').message, /bypassed for every host/);
  });

  test('the docker CLI reaching a tcp:// daemon through the proxy in its environment: fail for the CLI scope', () => {
    assert.ok(plainFacts.endpoint.ok);
    const facts: Facts = {
      ...plainFacts,
      endpoint: {
        ...plainFacts.endpoint,
        value: { ...plainFacts.endpoint.value, host: 'tcp://build-box.corp.example:2375', transport: 'tcp', flavour: 'remote' },
      },
      processEnv: {
        ok: true,
        value: {
          vars: [
            { name: 'HTTP_PROXY', value: 'http://proxy.internal:3128' },
            { name: 'NO_PROXY', value: 'localhost' },
          ],
        },
        sources: [{ kind: 'env', name: 'HTTP_PROXY' }],
      },
    };
    const cli = byTarget(evaluateChecks([proxyNoProxy], facts), 'cli');
    assert.equal(cli.result.status, 'fail');
    assert.match(
      cli.result.message,
      /the docker CLI reaching tcp:\/\/build-box\.corp\.example:2375 does not cover build-box\.corp\.example/,
    );
    assert.deepEqual(cli.result.evidence[0]!.source, { kind: 'env', name: 'HTTP_PROXY' });
  });

  test('no proxy set anywhere: pass', () => {
    const [f, ...rest] = evaluateChecks([proxyNoProxy], { ...plainFacts, clientConfig: clientConfig({}) });
    assert.equal(rest.length, 0);
    assert.equal(f!.result.status, 'pass');
    assert.match(f!.result.message, /nothing for NO_PROXY to bypass/);
  });
});

describe('dns.host-resolvers', () => {
  const resolved = async () => ({
    '/run/systemd/resolve/stub-resolv.conf': await fixture('stub-resolv.conf'),
    '/run/systemd/resolve/resolv.conf': await fixture('resolved-upstream.conf'),
  });

  test('systemd-resolved stub only: dockerd reads the upstream list, containers get real servers', async () => {
    const facts = await rootfsFacts({ ...(await resolved()), '/etc/resolv.conf': { symlink: '../run/systemd/resolve/stub-resolv.conf' } });
    const [f] = evaluateChecks([dnsHostResolvers], facts);
    assert.equal(f!.result.status, 'pass', f!.result.message);
    assert.match(f!.result.message, /use 10\.20\.0\.2, 10\.20\.0\.3 from \/run\/systemd\/resolve\/resolv\.conf/);
  });

  test('a local dnsmasq (127.0.1.1) only: containers fall back to 8.8.8.8, fix with the upstream servers', async () => {
    const facts = await rootfsFacts({ ...(await resolved()), '/etc/resolv.conf': await fixture('networkmanager-dnsmasq.conf') });
    const [f] = evaluateChecks([dnsHostResolvers], facts);
    assert.equal(f!.result.status, 'fail');
    assert.match(f!.result.message, /8\.8\.8\.8.*lists only 127\.0\.1\.1/);
    assert.deepEqual(f!.result.fix, { id: 'daemon.dns', params: { servers: ['10.20.0.2', '10.20.0.3'] } });
    assert.ok(f!.result.evidence.some((e) => e.value === '127.0.1.1' && e.source.kind === 'file' && e.source.line === 3));
  });

  test('the same host with "dns" in daemon.json: pass', async () => {
    const facts = await rootfsFacts({
      ...(await resolved()),
      '/etc/resolv.conf': await fixture('networkmanager-dnsmasq.conf'),
      '/etc/docker/daemon.json': '{"dns": ["10.20.0.2"]}\n',
    });
    const [f] = evaluateChecks([dnsHostResolvers], facts);
    assert.equal(f!.result.status, 'pass');
    assert.deepEqual(f!.result.evidence[0]!.source, { kind: 'file', path: '/etc/docker/daemon.json', line: 1, column: 2 });
  });

  test('"dns" pointing at the loopback stub fails', async () => {
    const facts = await rootfsFacts({
      ...(await resolved()),
      '/etc/resolv.conf': { symlink: '../run/systemd/resolve/stub-resolv.conf' },
      '/etc/docker/daemon.json': '{"dns": ["127.0.0.53"]}\n',
    });
    const [f] = evaluateChecks([dnsHostResolvers], facts);
    assert.equal(f!.result.status, 'fail');
    assert.match(f!.result.message, /only loopback addresses/);
  });

  test('the stub without its upstream file: fallback, and no servers to suggest', async () => {
    const facts = await rootfsFacts({ '/etc/resolv.conf': await fixture('stub-resolv.conf') });
    const [f] = evaluateChecks([dnsHostResolvers], facts);
    assert.equal(f!.result.status, 'fail');
    assert.match(f!.result.message, /does not exist/);
    assert.equal(f!.result.fix, null);
  });
});

describe('network.mtu', () => {
  test('"mtu": 9000 on the bridge of a real daemon is larger than the uplink: fail, fix with the uplink MTU', () => {
    const [f] = evaluateChecks([networkMtu], proxiedFacts);
    assert.equal(f!.result.status, 'fail', f!.result.message);
    assert.match(f!.result.message, new RegExp(`bridge MTU \\(9000\\) is larger than the uplink ${uplink.iface}'s \\(${uplink.mtu}\\)`));
    assert.deepEqual(f!.result.fix, { id: 'daemon.mtu', params: { mtu: uplink.mtu } });
    assert.ok(f!.result.evidence.some((e) => e.value === 9000 && e.source.kind === 'api'));
  });

  test('"mtu" equal to the uplink\'s: pass', () => {
    const [f] = evaluateChecks([networkMtu], plainFacts);
    assert.equal(f!.result.status, 'pass', f!.result.message);
  });

  test('no default route: skipped, not guessed', async () => {
    const [f] = evaluateChecks([networkMtu], {
      ...plainFacts,
      hostNetwork: await recordedNetwork('route-no-default.txt', ['eth0', 'docker0', 'lo']),
    });
    assert.equal(f!.result.status, 'skipped');
    assert.match(f!.result.reason ?? '', /no IPv4 default route/);
  });
});

describe('network.forward-policy', () => {
  const policy = (facts: Facts, forwardPolicy: string): Facts => ({
    ...facts,
    iptables: { ok: true, value: { forwardPolicy, command: 'iptables -S FORWARD' }, sources: [] },
  });

  test("DROP on a host with VM and LXD bridges: a warning naming them (not Docker's own bridges)", async () => {
    const net = await recordedNetwork('route-vpn-laptop.txt', [
      'docker0',
      'br-0123456789ab',
      'virbr0',
      'br0',
      'lxdbr0',
      'tun0',
      'wlp2s0',
      'lo',
    ]);
    const [f] = evaluateChecks([networkForwardPolicy], policy({ ...plainFacts, hostNetwork: net }, 'DROP'));
    assert.equal(f!.result.status, 'warn');
    assert.match(f!.result.message, /forwards for virbr0, br0, lxdbr0:/);
    assert.ok(!/docker0|br-0123456789ab|tun0/.test(f!.result.message));
  });

  test("this machine's real policy and interfaces: pass (nothing but Docker forwards here)", () => {
    assert.ok(plainFacts.iptables.ok, JSON.stringify(plainFacts.iptables));
    const [f] = evaluateChecks([networkForwardPolicy], plainFacts);
    assert.equal(f!.result.status, 'pass', f!.result.message);
    // The daemon runs in a network namespace of its own: its rules are read there.
    assert.ok(plainFacts.daemonProcess.ok);
    assert.deepEqual(f!.result.evidence[0]!.source, {
      kind: 'command',
      command: `nsenter --net=/proc/${plainFacts.daemonProcess.value.pid}/ns/net -- iptables-save`,
    });
  });

  test('ACCEPT: pass', () => {
    assert.equal(evaluateChecks([networkForwardPolicy], policy(plainFacts, 'ACCEPT'))[0]!.result.status, 'pass');
  });

  test('"iptables": false: Docker does not touch the policy, so the check does not apply', () => {
    const [f] = evaluateChecks([networkForwardPolicy], withDaemonJson(policy(plainFacts, 'DROP'), '{"iptables": false}'));
    assert.equal(f!.result.status, 'skipped');
    assert.match(f!.result.reason ?? '', /does not manage iptables/);
  });
});

describe('network.address-pools', () => {
  test('a bip on a network this host routes: fail, per overlapping route, naming the running bridge and the settings behind it', () => {
    const findings = evaluateChecks([networkAddressPools], proxiedFacts);
    const f = byTarget(findings, `${hostNet.destination}:${hostNet.destination}`);
    assert.equal(f.result.status, 'fail');
    assert.match(
      f.result.message,
      new RegExp(`overlaps the host route to ${hostNet.destination.replace(/\./g, '\\.')} via ${uplink.iface}`),
    );
    assert.deepEqual(
      f.result.evidence.map((e) => e.label),
      ['default bridge subnet', 'bip (daemon.json)', `host route via ${uplink.iface} (on-link)`],
    );
    const [net, prefix] = hostNet.destination.split('/');
    const withFixedCidr = withDaemonJson(proxiedFacts, JSON.stringify({ bip: hostNet.bip, 'fixed-cidr': `${net}/${Number(prefix) + 1}` }));
    const merged = evaluateChecks([networkAddressPools], withFixedCidr);
    assert.equal(merged.length, 1, 'fixed-cidr inside the bridge subnet is the same conflict, not a second one');
    assert.ok(merged[0]!.result.evidence.some((e) => e.label === 'fixed-cidr (daemon.json)'));
  });

  test('the default bridge and a private pool away from the host routes: pass', () => {
    const [f, ...rest] = evaluateChecks([networkAddressPools], plainFacts);
    assert.equal(rest.length, 0);
    assert.equal(f!.result.status, 'pass', f!.result.message);
  });

  test('under a VPN route through a gateway: the existing bridge fails, a pool it may allocate from warns', async () => {
    assert.ok(plainFacts.bridgeNetwork.ok);
    // With "default-address-pools" and no bip, dockerd takes docker0's subnet from the pool too.
    const bridge = plainFacts.bridgeNetwork.value.subnets[0]!;
    assert.match(bridge, /^10\.123\./);
    const net = await recordedNetwork('route-vpn-laptop.txt', ['docker0', 'br-0123456789ab', 'virbr0', 'tun0', 'wlp2s0', 'lo']);
    const facts = withDaemonJson({ ...plainFacts, hostNetwork: net }, '{"default-address-pools": [{"base": "10.200.0.0/16", "size": 24}]}');
    const findings = evaluateChecks([networkAddressPools], facts);
    assert.deepEqual(
      findings.map((f) => [f.result.target, f.result.status]),
      [
        [`${bridge}:10.0.0.0/8`, 'fail'],
        ['10.200.0.0/16:10.0.0.0/8', 'warn'],
      ],
    );
    assert.match(
      byTarget(findings, '10.200.0.0/16:10.0.0.0/8').result.message,
      /through gateway 10\.8\.0\.1 \(tun0\): dockerd avoids only on-link routes/,
    );
  });

  test("judged from the configuration alone, Docker's default pools over on-link LAN routes pass: dockerd skips those subnets", async () => {
    const net = await recordedNetwork('route-vpn-laptop.txt', ['docker0', 'br-0123456789ab', 'virbr0', 'tun0', 'wlp2s0', 'lo']);
    const down: Facts['bridgeNetwork'] = { ok: false, error: { code: 'unreachable', message: 'the daemon is down' }, sources: [] };
    const [f, ...rest] = evaluateChecks(
      [networkAddressPools],
      withDaemonJson({ ...plainFacts, bridgeNetwork: down, hostNetwork: net }, '{}'),
    );
    assert.equal(rest.length, 0);
    assert.equal(f!.result.status, 'pass', f!.result.message);
    assert.ok(f!.result.evidence.some((e) => /pool 192\.168\.0\.0\/16 overlaps on-link route 192\.168\.1\.0\/24/.test(e.label)));
  });
});

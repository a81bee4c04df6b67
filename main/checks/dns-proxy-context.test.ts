import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Facts } from '../../shared/facts';
import type { Finding } from '../../shared/finding';
import { importBusybox, type PrivateDockerd, runningDockerd } from '../../test/support/dockerd';
import { collectFacts } from '../collect/collect';
import { LocalHost } from '../host/local-host';
import { RootfsHost } from '../host/rootfs-host';
import { dnsPublicForInternal, isPublicAddress } from './dns-public';
import { CHECKS } from './registry';
import { proxyConsistent, proxyNoProxy } from './proxy';
import { evaluateChecks } from './runner';

const FIXTURES = path.join(import.meta.dirname, '../../test/fixtures/network');
const fixture = (name: string) => fs.readFile(path.join(FIXTURES, name), 'utf8');

/** The corporate network of the recorded resolv.conf files: systemd-resolved, upstream 10.20.0.2 and .3, search corp.example. */
const CORP_RESOLVERS = ['10.20.0.2', '10.20.0.3'];
const PROXY = 'http://proxy.corp.example:3128';
/** What proxy.no-proxy's remediation asks for: the internal domain written as "corp.example" for the daemon (Go never proxies loopback)… */
const DAEMON_NO_PROXY = 'corp.example';
/** …and this machine's names plus the internal domain for containers and builds. */
const CLIENT_NO_PROXY = 'localhost,127.0.0.1,host.docker.internal,corp.example';
const CONTEXT = { options: { internalDomains: ['corp.example'] } };

let tmp: string;
let publicDns: PrivateDockerd;
let recommended: PrivateDockerd;
/** "dns": ["8.8.8.8"] in daemon.json, and a container run with --dns 1.1.1.1 --dns 10.20.0.2. */
let publicFacts: Facts;
/** Proxy and DNS exactly as the remediation texts recommend, and the client's config.json to match. */
let recommendedFacts: Facts;
let corpDns: Facts['dns'];
let publicHostDns: Facts['dns'];

/** The host's resolv.conf as a recorded machine has it, collected by Dockhand's own collector from a root directory. */
async function recordedDns(files: Record<string, string | { symlink: string }>): Promise<Facts['dns']> {
  const root = await fs.mkdtemp(path.join(tmp, 'root-'));
  for (const [p, content] of Object.entries(files)) {
    await fs.mkdir(path.join(root, path.dirname(p)), { recursive: true });
    if (typeof content === 'string') await fs.writeFile(path.join(root, p), content);
    else await fs.symlink(content.symlink, path.join(root, p));
  }
  return (await collectFacts({ host: new RootfsHost(root), root })).dns;
}

const byTarget = (findings: Finding[], target: string | null) => {
  const found = findings.find((f) => f.result.target === target);
  assert.ok(found, `no finding for ${target}; have ${findings.map((f) => `${f.result.target}=${f.result.status}`).join(', ')}`);
  return found;
};

before(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'dkh-dnsprx-'));
  corpDns = await recordedDns({
    '/run/systemd/resolve/stub-resolv.conf': await fixture('stub-resolv.conf'),
    '/run/systemd/resolve/resolv.conf': await fixture('resolved-upstream.conf'),
    '/etc/resolv.conf': { symlink: '../run/systemd/resolve/stub-resolv.conf' },
  });
  publicHostDns = await recordedDns({ '/etc/resolv.conf': await fixture('public-resolvers.conf') });
  const clientDir = path.join(tmp, 'client');
  await fs.mkdir(clientDir);
  await fs.writeFile(
    path.join(clientDir, 'config.json'),
    JSON.stringify({ proxies: { default: { httpProxy: PROXY, httpsProxy: PROXY, noProxy: CLIENT_NO_PROXY } } }, null, 2),
  );
  [publicDns, recommended] = await Promise.all([
    runningDockerd({ daemonJson: { dns: ['8.8.8.8'] } }),
    runningDockerd({
      daemonJson: { dns: CORP_RESOLVERS, proxies: { 'http-proxy': PROXY, 'https-proxy': PROXY, 'no-proxy': DAEMON_NO_PROXY } },
    }),
  ]);
  const image = await importBusybox(publicDns);
  await publicDns.docker(['create', '--name', 'own-dns', '--dns', '1.1.1.1', '--dns', '10.20.0.2', image]);
  const host = (env: NodeJS.ProcessEnv) => new LocalHost({ ...process.env, ...env });
  [publicFacts, recommendedFacts] = await Promise.all([
    collectFacts({ host: host({}), endpoint: { host: publicDns.host } }),
    collectFacts({
      host: host({
        DOCKER_CONFIG: clientDir,
        HTTP_PROXY: '',
        HTTPS_PROXY: '',
        NO_PROXY: '',
        http_proxy: '',
        https_proxy: '',
        no_proxy: '',
      }),
      endpoint: { host: recommended.host },
    }),
  ]);
});
after(async () => {
  await Promise.all([publicDns?.stop(), recommended?.stop()]);
  if (tmp) await fs.rm(tmp, { recursive: true, force: true });
});

describe('dns.public-for-internal', () => {
  test('public and private addresses', () => {
    for (const a of ['8.8.8.8', '1.1.1.1', '9.9.9.9', '2001:4860:4860::8888']) assert.ok(isPublicAddress(a), a);
    for (const a of [
      '10.20.0.2',
      '172.16.5.5',
      '192.168.1.1',
      '100.100.100.100',
      '169.254.169.254',
      '127.0.0.53',
      'fd00::53',
      'fe80::1',
      'dns.corp.example',
    ])
      assert.ok(!isPublicAddress(a), a);
  });

  test('the daemon\'s "dns": ["8.8.8.8"] and a container\'s --dns 1.1.1.1 on a corporate resolver host: a failure and a warning, each with its source', () => {
    const findings = evaluateChecks([dnsPublicForInternal], { ...publicFacts, dns: corpDns });
    const daemon = byTarget(findings, 'daemon');
    assert.equal(daemon.result.status, 'fail');
    assert.match(
      daemon.result.message,
      /sends every lookup to public DNS \(8\.8\.8\.8\), but the host resolves through 10\.20\.0\.2, 10\.20\.0\.3 on its own network; its resolv\.conf searches corp\.example/,
    );
    assert.deepEqual(daemon.result.fix, { id: 'daemon.dns', params: { servers: CORP_RESOLVERS } });
    assert.equal(daemon.result.evidence[0]!.source.kind, 'file', 'the daemon.json line');
    const container = byTarget(findings, 'container:own-dns');
    assert.equal(container.result.status, 'warn', 'an internal server is listed too: only some lookups fail');
    assert.match(container.result.message, /Container own-dns \(--dns\) lists public DNS \(1\.1\.1\.1\) besides internal servers/);
    assert.deepEqual(container.result.evidence[0]!.value, ['1.1.1.1', '10.20.0.2'], 'HostConfig.Dns as the real daemon reports it');
  });

  test('--internal-domain alone makes public DNS a failure; on a host that itself uses public resolvers and names no internal domain: pass', () => {
    const internalOnly = evaluateChecks([dnsPublicForInternal], { ...publicFacts, dns: publicHostDns }, CONTEXT);
    assert.equal(byTarget(internalOnly, 'daemon').result.status, 'fail');
    assert.match(byTarget(internalOnly, 'daemon').result.message, /corp\.example is an internal domain \(--internal-domain\)/);
    assert.equal(byTarget(internalOnly, 'daemon').result.fix, null, 'no internal resolver known to suggest');
    const [healthy, ...rest] = evaluateChecks([dnsPublicForInternal], { ...publicFacts, dns: publicHostDns });
    assert.equal(rest.length, 0);
    assert.equal(healthy!.result.status, 'pass');
    assert.match(healthy!.result.message, /and so does the host/);
  });

  test('"dns" set to the network\'s own resolvers: pass', () => {
    const [f, ...rest] = evaluateChecks([dnsPublicForInternal], { ...recommendedFacts, dns: corpDns }, CONTEXT);
    assert.equal(rest.length, 0);
    assert.equal(f!.result.status, 'pass', f!.result.message);
    assert.match(
      f!.result.message,
      /No public DNS server is configured for containers \(the daemon's "dns" \(every container that sets none of its own\): 10\.20\.0\.2, 10\.20\.0\.3\)/,
    );
  });
});

describe('a host configured as the proxy and DNS guidance recommends', () => {
  test('no proxy or DNS finding: every proxy and dns check passes', () => {
    const facts = { ...recommendedFacts, dns: corpDns };
    assert.ok(
      facts.info.ok && facts.info.value.httpProxy === PROXY && facts.info.value.noProxy === DAEMON_NO_PROXY,
      'the running daemon took the proxies from daemon.json',
    );
    assert.ok(facts.clientConfig.ok && facts.clientConfig.value.proxies.default?.noProxy === CLIENT_NO_PROXY);
    const findings = evaluateChecks(
      CHECKS.filter((c) => c.category === 'proxy' || c.category === 'dns'),
      facts,
      CONTEXT,
    );
    assert.ok(findings.length >= 4, findings.map((f) => f.id).join(', '));
    for (const f of findings) assert.equal(f.result.status, 'pass', `${f.id}: ${f.result.message}`);
  });

  test('the daemon and containers differ only in NO_PROXY (as recommended): proxy.consistent passes, and a NO_PROXY gap is one proxy.no-proxy finding', () => {
    const consistent = evaluateChecks([proxyConsistent], recommendedFacts);
    assert.deepEqual(
      consistent.map((f) => f.result.status),
      ['pass'],
      JSON.stringify(consistent.map((f) => f.result.message)),
    );
    // The same host, with the client's NO_PROXY lacking host.docker.internal: one finding, about NO_PROXY, for containers.
    assert.ok(recommendedFacts.clientConfig.ok);
    const gap: Facts = {
      ...recommendedFacts,
      clientConfig: {
        ...recommendedFacts.clientConfig,
        value: {
          ...recommendedFacts.clientConfig.value,
          proxies: { default: { httpProxy: PROXY, httpsProxy: PROXY, noProxy: 'localhost,127.0.0.1,corp.example' } },
        },
      },
    };
    assert.deepEqual(
      evaluateChecks([proxyConsistent], gap).map((f) => f.result.status),
      ['pass'],
    );
    const noProxy = evaluateChecks([proxyNoProxy], gap, CONTEXT).filter((f) => f.result.status !== 'pass');
    assert.equal(noProxy.length, 1, JSON.stringify(noProxy.map((f) => f.result.message)));
    assert.equal(noProxy[0]!.result.target, 'containers');
    assert.match(noProxy[0]!.result.message, /NO_PROXY for containers and builds .* does not cover host\.docker\.internal/);
    // A different proxy is still a different proxy, with the NO_PROXY difference shown beside it.
    const other: Facts = {
      ...gap,
      clientConfig: {
        ...recommendedFacts.clientConfig,
        value: {
          ...recommendedFacts.clientConfig.value,
          proxies: { default: { httpProxy: 'http://old-proxy.corp.example:8080', noProxy: 'localhost' } },
        },
      },
    };
    const differs = byTarget(evaluateChecks([proxyConsistent], other), 'client-vs-daemon');
    assert.equal(differs.result.status, 'warn');
    assert.ok(
      differs.result.evidence.some((e) => e.label.startsWith('proxies.default.noProxy') && e.value === 'localhost'),
      JSON.stringify(differs.result.evidence),
    );
  });
});

import { DAEMON_OPTIONS, type OptionType } from './daemon-options';

/**
 * daemon.json variants for the pre-flight oracle, generated from the option table (daemon-options.ts) plus families
 * written by hand: each is started on every real engine by scripts/oracle-record.ts, and the recording
 * (oracle-recording.json) is what preflight.oracle.test.ts compares the pre-flight against. `flags` are extra dockerd
 * flags on top of the recorder's own (--data-root, --exec-root, --pidfile, -H unix://…, --config-file).
 */
export interface OracleVariant {
  /** Unique: the recording is keyed by it. */
  name: string;
  family: 'curated' | 'valid' | 'wrong-type' | 'value' | 'number' | 'conflict' | 'nested' | 'malformed';
  /** The file's bytes: text (written as UTF-8) or raw bytes for encoding cases. */
  text: string | Buffer;
  flags?: string[];
}

/**
 * One value per Linux key that a working host accepts (a value dockerd checks against the host is chosen so that it
 * passes here: an existing group, a bridge-free setting, the engine's own docker-proxy), so the "valid" family tests
 * the key's presence and version range, not the host. Keys the recorder itself sets by flag are the conflict family.
 */
const VALID: Record<string, unknown> = {
  'allow-direct-routing': true,
  'allow-nondistributable-artifacts': ['reg.local:5000'],
  'api-cors-header': '*',
  'authorization-plugins': [],
  bip: '172.31.0.1/24',
  bip6: 'fd00:1::1/64',
  bridge: 'none',
  builder: { gc: { enabled: true, defaultKeepStorage: '10GB' } },
  'cdi-spec-dirs': ['/etc/cdi'],
  'cgroup-parent': 'dockhand-oracle',
  'cluster-advertise': '127.0.0.1:2376',
  'cluster-store': 'consul://127.0.0.1:8500',
  'cluster-store-opts': { 'kv.path': '/docker' },
  containerd: '',
  'containerd-namespace': 'dockhand-oracle',
  'cpu-rt-period': 0,
  'cpu-rt-runtime': 0,
  'cri-containerd': false,
  debug: true,
  'default-address-pools': [{ base: '10.123.0.0/16', size: 24 }],
  'default-cgroupns-mode': 'private',
  'default-gateway': '',
  'default-gateway-v6': '',
  'default-ipc-mode': 'shareable',
  'default-network-opts': { bridge: { 'com.docker.network.driver.mtu': '1400' } },
  'default-runtime': 'runc',
  'default-shm-size': '128M',
  'default-ulimits': { nofile: { Name: 'nofile', Hard: 65536, Soft: 65536 } },
  'deprecated-key-path': '/tmp/dockhand-oracle-key.json',
  dns: ['1.1.1.1'],
  'dns-opts': ['ndots:2'],
  'dns-search': ['example.com'],
  'exec-opts': ['native.cgroupdriver=cgroupfs'],
  experimental: true,
  features: { buildkit: true },
  'fixed-cidr': '172.17.0.0/24',
  'fixed-cidr-v6': 'fd00:2::/64',
  graph: '/tmp/dockhand-oracle-graph',
  group: 'docker',
  'host-gateway-ip': '172.17.0.1',
  'host-gateway-ips': ['172.17.0.1'],
  icc: false,
  init: true,
  'init-path': '/usr/bin/docker-init',
  'insecure-registries': ['reg.local:5000'],
  ip: '0.0.0.0',
  'ip-forward': true,
  'ip-forward-no-drop': true,
  'ip-masq': true,
  ip6tables: false,
  iptables: true,
  ipv6: false,
  labels: ['env=oracle'],
  'live-restore': true,
  'log-driver': 'local',
  'log-format': 'json',
  'log-level': 'warn',
  'log-opts': { 'max-size': '10m', 'max-file': '3' },
  'max-concurrent-downloads': 5,
  'max-concurrent-uploads': 5,
  'max-download-attempts': 5,
  // The recorder's network namespace has loopback down: an address on all interfaces is what a host can bind.
  'metrics-addr': '0.0.0.0:9323',
  mtu: 1400,
  'network-control-plane-mtu': 1400,
  'network-diagnostic-port': 0,
  'no-new-privileges': true,
  'node-generic-resources': ['ssd=1'],
  'oom-score-adjust': -500,
  proxies: { 'http-proxy': 'http://proxy.local:3128' },
  'raw-logs': true,
  'registry-mirrors': ['https://mirror.example.com'],
  rootless: false,
  runtimes: { alt: { path: 'runc' } },
  'seccomp-profile': 'builtin',
  'selinux-enabled': false,
  'shutdown-timeout': 15,
  'storage-driver': 'overlay2',
  'storage-opts': [],
  'swarm-default-advertise-addr': '127.0.0.1',
  tls: false,
  tlscacert: '/nonexistent/ca.pem',
  tlscert: '/nonexistent/cert.pem',
  tlskey: '/nonexistent/key.pem',
  tlsverify: false,
  'userland-proxy': true,
  'userland-proxy-path': '/usr/sbin/docker-proxy',
  'userns-remap': '',
};

/** Keys the recorder passes as flags: any value in the file is a flag/file conflict. */
const SET_BY_RECORDER: Record<string, unknown> = {
  'data-root': '/tmp/dockhand-oracle-data',
  'exec-root': '/tmp/dockhand-oracle-exec',
  pidfile: '/tmp/dockhand-oracle.pid',
  hosts: ['unix:///tmp/dockhand-oracle.sock'],
};

/** A value of the wrong JSON type for each Go type (what a user writes when they quote a number or forget the list). */
const WRONG_TYPE: Record<OptionType, unknown> = {
  string: 42,
  boolean: 'true',
  integer: '3',
  number: 'three',
  'string[]': 'one-value',
  'map<string,string>': ['key=value'],
  object: ['value'],
  'ulimit-map': [],
  'array<object>': { base: '10.0.0.0/8', size: 24 },
  any: null,
};

/** Values dockerd resolves or range-checks at start (per key): names, CIDRs, URLs, paths, sizes. */
const VALUES: Record<string, unknown[]> = {
  'storage-driver': ['vfs', 'no-such-driver', 'aufs', 'devicemapper', 'overlay', 'btrfs', 'zfs', 'OVERLAY2', ''],
  'exec-opts': [
    ['native.cgroupdriver=systemd'],
    ['native.cgroupdriver=bogus'],
    ['native.cgroupdriver'],
    ['unknown.option=1'],
    ['isolation=hyperv'],
    ['native.cgroupdriver=cgroupfs', 'native.cgroupdriver=systemd'],
    [' Native.CgroupDriver = cgroupfs '],
  ],
  'default-runtime': ['no-such-runtime', 'io.containerd.runc.v2', 'io.containerd.runtime.v1.linux', 'io.containerd.kata.v2', 'crun', ''],
  runtimes: [
    { runc: { path: 'runc' } },
    { alt: {} },
    { alt: { path: 'runc', runtimeType: 'io.containerd.runc.v2' } },
    { alt: { runtimeType: 'io.containerd.runc.v2', runtimeArgs: ['--debug'] } },
    { alt: { path: 'runc', options: { BinaryName: 'runc' } } },
    { alt: { runtimeType: 'io.containerd.runc.v2', options: { BinaryName: 'runc' } } },
    { alt: 'runc' },
  ],
  'default-address-pools': [
    [{ base: '10.123.0.0', size: 24 }],
    [{ base: '10.123.0.0/16', size: 8 }],
    [{ base: '10.123.0.0/16', size: 33 }],
    [{ base: '10.123.0.0/16' }],
    [{ base: 'not-a-cidr/16', size: 24 }],
    [{ Base: '10.123.0.0/16', Size: 24 }],
    [{ base: '10.123.0.0/16', size: '24' }],
    [{ base: '10.123.0.0/16', size: 24, extra: true }],
    ['10.0.0.0/8'],
    [],
  ],
  bip: ['172.31.0.1', 'not-a-cidr', '172.31.0.0/24', '172.31.0.1/33', '', 'fd00::1/64'],
  'fixed-cidr': ['not-a-cidr', '10.99.0.0/16'],
  'fixed-cidr-v6': ['not-a-cidr', 'fe80::/64', '10.0.0.0/24'],
  'registry-mirrors': [
    ['ftp://mirror.example.com'],
    ['https://mirror.example.com/path'],
    ['https://user:pw@mirror.example.com'],
    ['https://mirror.example.com?x=1'],
    ['http://mirror.example.com:5000'],
    ['mirror.example.com:5000'],
    [''],
  ],
  'insecure-registries': [['http://reg.local'], ['-bad-.example.com'], ['10.0.0.0/8'], ['reg.local:99999']],
  'seccomp-profile': ['unconfined', '/nonexistent/seccomp.json', '/etc/hostname', ''],
  'log-driver': ['no-such-driver', 'none', 'journald', 'fluentd', 'JSON-FILE'],
  'log-opts': [
    { 'max-file': '0' },
    { 'max-file': 'three' },
    { 'max-size': '10m', 'max-file': '-1' },
    { 'max-file': '3' },
    { mode: 'bogus' },
    { mode: 'non-blocking', 'max-buffer-size': '4m' },
    { 'max-size': '-1' },
    { 'max-size': '' },
    { compress: 'maybe' },
  ],
  'default-shm-size': ['not-a-size', 67108864, '', '64M'],
  'default-cgroupns-mode': ['bogus', 'host', 'Private'],
  'default-ipc-mode': ['host', 'none', 'bogus', 'private'],
  dns: [[''], ['::1'], ['1.1.1.1:53']],
  'dns-search': [['-bad-'], ['.'], ['123']],
  labels: [['com.docker.reserved=1'], ['a=1', 'a=2'], ['a=1', 'a=1'], ['=value']],
  'node-generic-resources': [['bad'], ['gpu=-1'], ['gpu=abc']],
  'host-gateway-ip': ['not-an-ip', '::1'],
  'host-gateway-ips': [['172.17.0.1', '172.17.0.2'], ['not-an-ip'], ['172.17.0.1', '::1']],
  'log-level': ['warning', 'WARN', 'trace', '', 'Fatal'],
  'log-format': ['xml', 'JSON'],
  'api-cors-header': [''],
  'oom-score-adjust': [0],
  'cluster-store': [''],
  'cpu-rt-period': [1000000],
  'userland-proxy-path': ['relative/docker-proxy', '/nonexistent/docker-proxy', ''],
  'cgroup-parent': ['bad-slice', 'system.slice'],
  'default-gateway': ['not-an-ip'],
  ip: ['not-an-ip'],
  'network-diagnostic-port': [70000, -1],
  'init-path': ['/nonexistent/init'],
  group: ['no-such-group'],
  'containerd-namespace': ['plugins.moby'],
  'metrics-addr': ['not-an-address'],
  proxies: ['http://proxy.local:3128', { 'http-proxy': 1 }, { bogus: 'x' }, { 'no-proxy': 'localhost' }],
  features: [{ buildkit: 'true' }, { 'no-such-feature': true }, { 'windows-dns-proxy': true }, { 'containerd-snapshotter': true }, {}],
  builder: [
    { gc: { defaultKeepStorage: 'not-a-size' } },
    { gc: { policy: [{ filter: ['unused-for'] }] } },
    { history: { maxAge: '48h' } },
    { history: { maxAge: 172800 } },
    { gc: 'on' },
  ],
  'default-ulimits': [
    { nofile: { Name: 'nofile', Hard: 10, Soft: 20 } },
    { bogus: { Name: 'bogus', Hard: 1, Soft: 1 } },
    { nofile: { Name: 'nofile', Hard: '10', Soft: 10 } },
  ],
  'default-network-opts': [{ bridge: { 'com.docker.network.driver.mtu': 1400 } }, { bridge: 'mtu' }],
};

/** Numbers as Go's encoding/json sees them: overflow of the field's int, fractions and exponents in integer fields. */
const NUMBERS: Record<string, string[]> = {
  mtu: ['-1', '0', '1e400', '99999999999999999999', '2147483648', '9223372036854775808', '1e3', '1.0', '-0', '65536'],
  'max-concurrent-downloads': ['0', '2147483648', '9223372036854775808', '1e400', '-9223372036854775809'],
  'max-concurrent-uploads': ['-1', '1e2'],
  'max-download-attempts': ['-1', '99999999999999999999'],
  'shutdown-timeout': ['-1', '2147483648', '1.5'],
  'network-control-plane-mtu': ['0', '-1', '1e400'],
  'cpu-rt-runtime': ['-1', '9223372036854775807'],
  'oom-score-adjust': ['-1001', '1e400'],
};
const CURATED: Omit<OracleVariant, 'family'>[] = [
  // valid
  { name: 'empty object', text: '{}' },
  {
    name: 'rotation, live-restore, icc',
    text: '{\n  "log-driver": "json-file",\n  "log-opts": {"max-size": "10m", "max-file": "3"},\n  "live-restore": true,\n  "icc": false\n}\n',
  },
  {
    name: 'registries and dns',
    text: '{"insecure-registries": ["reg.local:5000"], "dns": ["10.0.0.2", "1.1.1.1"], "registry-mirrors": ["https://mirror.example.com"]}',
  },
  { name: 'null value leaves the default', text: '{"debug": null}' },
  { name: 'duplicate key (last wins)', text: '{"debug": true, "debug": false}' },
  { name: 'flag name used as key is ignored', text: '{"insecure-registry": ["reg.local:5000"]}' },
  { name: 'null top level', text: 'null' },
  { name: 'local log driver', text: '{"log-driver": "local", "log-opts": {"max-size": "20m"}}' },
  {
    name: 'labels and default-address-pools',
    text: '{"labels": ["env=ci"], "default-address-pools": [{"base": "10.99.0.0/16", "size": 24}]}',
  },
  // malformed
  { name: 'empty file', text: '' },
  { name: 'whitespace only', text: '  \n\t\n' },
  { name: 'UTF-8 BOM', text: '\uFEFF{"debug": true}' },
  { name: 'trailing comma', text: '{\n  "debug": true,\n}\n' },
  { name: 'comment', text: '{\n  // enable debug\n  "debug": true\n}\n' },
  { name: 'single quotes', text: "{'debug': true}" },
  { name: 'array top level', text: '[{"debug": true}]' },
  { name: 'string top level', text: '"debug"' },
  { name: 'unterminated object', text: '{"debug": true' },
  { name: 'trailing data after the object', text: '{"debug": false} trailing' },
  {
    name: 'invalid UTF-8 byte in a value',
    text: Buffer.concat([Buffer.from('{"labels": ["owner=caf'), Buffer.from([0xe9]), Buffer.from('"]}')]),
  },
  { name: 'UTF-16 with BOM', text: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('{"debug": false}', 'utf16le')]) },
  { name: 'log-level WARNING (logrus, any case)', text: '{"log-level": "WARNING"}' },
  { name: 'max-download-attempts 0', text: '{"max-download-attempts": 0}' },
  // unknown keys
  { name: 'typo log-driverr', text: '{"log-driverr": "json-file"}' },
  { name: 'wrong case Debug', text: '{"Debug": true}' },
  { name: 'proxies before 23.0', text: '{"proxies": {"http-proxy": "http://proxy:3128"}}' },
  { name: 'struct tag without flag (resolv-conf)', text: '{"resolv-conf": "/etc/resolv.conf"}' },
  // wrong types
  { name: 'boolean as string', text: '{"live-restore": "true"}' },
  { name: 'log-opts number value', text: '{"log-opts": {"max-size": "10m", "max-file": 3}}' },
  { name: 'integer as string', text: '{"max-concurrent-downloads": "3"}' },
  { name: 'list as string', text: '{"dns": "8.8.8.8"}' },
  { name: 'fractional integer', text: '{"mtu": 1500.5}' },
  // invalid values
  { name: 'log-level verbose', text: '{"log-level": "verbose"}' },
  { name: 'dns not an IP', text: '{"dns": ["dns.example.com"]}' },
  { name: 'max-size not a size (checked at container create)', text: '{"log-opts": {"max-size": "10 parsecs"}}' },
  { name: 'negative downloads', text: '{"max-concurrent-downloads": -1}' },
  { name: 'label without =', text: '{"labels": ["nokeyvalue"]}' },
  { name: 'unknown log opt', text: '{"log-opts": {"max-sise": "10m"}}' },
  { name: 'seccomp-profile unconfined before 23.0', text: '{"seccomp-profile": "unconfined"}' },
  { name: 'mirror not a URL', text: '{"registry-mirrors": ["mirror.example.com"]}' },
  { name: 'validate key before 23.0', text: '{"validate": true}' },
  { name: 'unknown object key with known children is ignored', text: '{"tls-options": {"debug": true}}' },
  { name: 'windows service flag name on linux', text: '{"service-name": "docker"}' },
  // flag/file conflicts (the harness passes --data-root and -H)
  { name: 'data-root in file and flag', text: '{"data-root": "/tmp/elsewhere"}' },
  { name: 'hosts in file and -H', text: '{"hosts": ["unix:///tmp/other.sock"]}' },
  { name: 'debug in file and --debug', text: '{"debug": true}', flags: ['--debug'] },
  { name: 'same value still conflicts', text: '{"log-level": "info"}', flags: ['--log-level=info'] },
];

/** Pairs of keys (or a key and a flag) with a cross rule. */
const CONFLICTS: { name: string; json: Record<string, unknown>; flags?: string[] }[] = [
  { name: 'icc false with iptables false', json: { icc: false, iptables: false } },
  { name: 'icc false with --iptables=false', json: { icc: false }, flags: ['--iptables=false'] },
  { name: 'icc true with iptables false', json: { icc: true, iptables: false } },
  { name: 'icc false, ipv6, ip6tables false', json: { icc: false, ipv6: true, 'fixed-cidr-v6': 'fd00:3::/64', ip6tables: false } },
  { name: 'bip with bridge', json: { bip: '172.31.0.1/24', bridge: 'br-oracle' } },
  { name: 'bip with bridge none', json: { bip: '172.31.0.1/24', bridge: 'none' } },
  { name: 'bip with --bridge', json: { bip: '172.31.0.1/24' }, flags: ['--bridge=none'] },
  { name: 'bip6 with bridge', json: { bip6: 'fd00:1::1/64', bridge: 'none' } },
  { name: 'bridge that does not exist', json: { bridge: 'br-oracle-missing' } },
  { name: 'tls without cert files', json: { tls: true } },
  { name: 'tlsverify without cert files', json: { tlsverify: true } },
  { name: 'tls with missing cert files', json: { tls: true, tlscert: '/nonexistent/cert.pem', tlskey: '/nonexistent/key.pem' } },
  { name: 'tlsverify false with tls true', json: { tls: true, tlsverify: false } },
  { name: 'tlscacert alone', json: { tlscacert: '/nonexistent/ca.pem' } },
  { name: 'graph and data-root in the file', json: { graph: '/tmp/dockhand-oracle-graph', 'data-root': '/tmp/dockhand-oracle-data' } },
  { name: 'graph with --data-root', json: { graph: '/tmp/dockhand-oracle-graph' } },
  { name: 'host-gateway-ip with host-gateway-ips', json: { 'host-gateway-ip': '172.17.0.1', 'host-gateway-ips': ['172.17.0.1'] } },
  { name: 'ip6tables without experimental', json: { ip6tables: true } },
  { name: 'ip6tables with experimental', json: { ip6tables: true, experimental: true } },
  { name: 'ipv6 without fixed-cidr-v6', json: { ipv6: true } },
  { name: 'ipv6 with fixed-cidr-v6', json: { ipv6: true, 'fixed-cidr-v6': 'fd00:4::/64' } },
  { name: 'default-runtime names a runtime of runtimes', json: { 'default-runtime': 'alt', runtimes: { alt: { path: 'runc' } } } },
  { name: 'runtimes with --add-runtime (merged)', json: { runtimes: { alt: { path: 'runc' } } }, flags: ['--add-runtime', 'other=runc'] },
  {
    name: 'systemd cgroup driver with cgroup-parent not a slice',
    json: { 'exec-opts': ['native.cgroupdriver=systemd'], 'cgroup-parent': 'dockhand' },
  },
  { name: 'log-driver none with log-opts', json: { 'log-driver': 'none', 'log-opts': { 'max-size': '10m' } } },
  { name: 'log-driver local with json-file opts', json: { 'log-driver': 'local', 'log-opts': { labels: 'a' } } },
  { name: 'log-driver no-such with log-opts', json: { 'log-driver': 'no-such-driver', 'log-opts': { 'max-size': '10m' } } },
  { name: 'max-file 3 with max-size', json: { 'log-opts': { 'max-size': '1m', 'max-file': '3' } } },
  { name: 'labels with --label', json: { labels: ['a=1'] }, flags: ['--label', 'b=2'] },
  { name: 'features with --feature', json: { features: { buildkit: true } }, flags: ['--feature', 'buildkit=true'] },
  { name: 'proxies with --http-proxy', json: { proxies: { 'http-proxy': 'http://a:3128' } }, flags: ['--http-proxy', 'http://b:3128'] },
  { name: 'userland-proxy false with bad path', json: { 'userland-proxy': false, 'userland-proxy-path': 'relative/docker-proxy' } },
  { name: 'fixed-cidr outside bip', json: { bip: '172.31.0.1/24', 'fixed-cidr': '10.99.0.0/24' } },
  { name: 'default-gateway outside the bridge', json: { 'default-gateway': '10.99.0.1' } },
];

/** The malformed-JSON family: what editors and hands produce. */
const MALFORMED: { name: string; text: string }[] = [
  { name: 'trailing comma', text: '{"debug": true,}' },
  { name: 'line comment', text: '{\n  // comment\n  "debug": true\n}' },
  { name: 'block comment', text: '{/* c */ "debug": true}' },
  { name: 'single quotes', text: "{'debug': true}" },
  { name: 'unquoted key', text: '{debug: true}' },
  { name: 'NaN', text: '{"mtu": NaN}' },
  { name: 'Infinity', text: '{"mtu": Infinity}' },
  { name: 'top-level array', text: '[{"debug": true}]' },
  { name: 'top-level string', text: '"debug"' },
  { name: 'top-level number', text: '42' },
  { name: 'unclosed object', text: '{"debug": true' },
  { name: 'leading zero', text: '{"mtu": 01500}' },
  { name: 'hex number', text: '{"mtu": 0x5dc}' },
  { name: 'plus sign', text: '{"mtu": +1500}' },
  { name: 'leading dot', text: '{"mtu": .5}' },
  { name: 'True capitalised', text: '{"debug": True}' },
  { name: 'escaped key', text: '{"de\\u0062ug": true}' },
  { name: 'bad escape', text: '{"labels": ["a=\\x"]}' },
  { name: 'raw newline in string', text: '{"labels": ["a=b\nc"]}' },
  { name: 'two objects', text: '{"debug": true}{"debug": false}' },
  { name: 'deep nesting', text: `{"features": ${'['.repeat(200)}${']'.repeat(200)}}` },
  { name: 'key empty string', text: '{"": true}' },
];

const json = (value: unknown) => JSON.stringify(value);
const file = (key: string, value: unknown) => `{${json(key)}: ${json(value)}}`;

function generate(): OracleVariant[] {
  const out: OracleVariant[] = CURATED.map((v) => ({ ...v, family: 'curated' as const }));
  const linux = DAEMON_OPTIONS.filter((o) => o.platforms.includes('linux'));
  const keys = [...new Set(linux.map((o) => o.key))];
  for (const key of keys) {
    const option = linux.find((o) => o.key === key)!;
    if (key in SET_BY_RECORDER) {
      out.push({ name: `${key}: set by flag and file`, family: 'conflict', text: file(key, SET_BY_RECORDER[key]) });
    } else if (key in VALID) {
      out.push({ name: `${key}: valid ${json(VALID[key])}`, family: 'valid', text: file(key, VALID[key]) });
    }
    const wrong = WRONG_TYPE[option.type];
    if (wrong !== null) out.push({ name: `${key}: wrong type ${json(wrong)}`, family: 'wrong-type', text: file(key, wrong) });
    for (const value of VALUES[key] ?? []) {
      out.push({
        name: `${key}: ${json(value)}`,
        family: option.type === 'array<object>' || option.type === 'object' || option.type === 'ulimit-map' ? 'nested' : 'value',
        text: file(key, value),
      });
    }
    for (const raw of NUMBERS[key] ?? []) out.push({ name: `${key}: number ${raw}`, family: 'number', text: `{${json(key)}: ${raw}}` });
  }
  for (const c of CONFLICTS)
    out.push({ name: `conflict: ${c.name}`, family: 'conflict', text: json(c.json), ...(c.flags ? { flags: c.flags } : {}) });
  for (const m of MALFORMED) out.push({ name: `malformed: ${m.name}`, family: 'malformed', text: m.text });
  const names = new Set<string>();
  for (const v of out) {
    if (names.has(v.name)) throw new Error(`duplicate oracle variant name: ${v.name}`);
    names.add(v.name);
  }
  return out;
}

export const ORACLE_VARIANTS: readonly OracleVariant[] = generate();

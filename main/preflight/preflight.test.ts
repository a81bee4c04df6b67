import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type HostAnswers, replayHostFacts } from './host-facts';
import { preflight, type PreflightInput } from './preflight';

/** A host that answers nothing unless a test says so. */
const EMPTY_FACTS: HostAnswers = {
  systemd: true,
  journald: true,
  kernelFilesystems: [],
  canRaiseLimits: true,
  realtimeBudget: 'none',
  readable: {},
  isExecutable: {},
  holdsJson: {},
  filesystemOf: {},
  hardLimit: {},
  hasCommand: {},
  groupExists: {},
  hasSubordinateIds: {},
};

const check = (text: string | null, extra: Partial<PreflightInput> = {}) =>
  preflight({
    text,
    path: '/etc/docker/daemon.json',
    explicit: false,
    flags: null,
    engineVersion: '20.10.24',
    platform: 'linux',
    ...extra,
  });

describe('pre-flight: parsing', () => {
  test('an empty object starts', () => {
    assert.deepEqual(check('{}'), { willStart: true, engineVersion: '20.10', platform: 'linux', problems: [] });
  });
  test('a missing default file starts; a missing explicit one does not', () => {
    assert.equal(check(null).willStart, true);
    const r = check(null, { explicit: true });
    assert.equal(r.willStart, false);
    assert.match(r.problems[0]!.message, /does not exist/);
  });
  test('trailing comma is reported at the closing brace', () => {
    const r = check('{\n  "debug": true,\n}\n');
    assert.equal(r.willStart, false);
    assert.deepEqual([r.problems[0]!.line, r.problems[0]!.column], [3, 1]);
    assert.match(r.problems[0]!.message, /trailing comma/);
  });
  test('comments are refused with their position', () => {
    const r = check('{\n  // hi\n  "debug": true\n}');
    assert.deepEqual([r.problems[0]!.line, r.problems[0]!.column, r.problems[0]!.kind], [2, 3, 'syntax']);
    assert.match(r.problems[0]!.message, /comments are not allowed/);
  });
  test('a BOM is refused on 20.10 and skipped from 23.0', () => {
    assert.equal(check('\uFEFF{}').willStart, false);
    assert.match(check('\uFEFF{}').problems[0]!.message, /byte-order mark/);
    assert.equal(check('\uFEFF{}', { engineVersion: '27.3.1' }).willStart, true);
  });
  test('empty, non-object and UTF-16 files', () => {
    assert.match(check('').problems[0]!.message, /empty/);
    assert.match(check('[1]').problems[0]!.message, /top level must be a JSON object, not an array/);
    assert.equal(check('null').willStart, true);
    assert.match(check('{\u0000"\u0000').problems[0]!.message, /UTF-16/);
  });
  test('a duplicate key is a warning naming both lines', () => {
    const r = check('{\n"debug": true,\n"debug": false\n}');
    assert.equal(r.willStart, true);
    assert.equal(r.problems[0]!.kind, 'duplicate-key');
    assert.match(r.problems[0]!.message, /first at line 2/);
  });
});

describe('pre-flight: keys and types', () => {
  test('typos get a suggestion', () => {
    const r = check('{"log-driverr": "local"}');
    assert.equal(r.willStart, false);
    assert.match(r.problems[0]!.message, /did you mean 'log-driver'/);
    assert.deepEqual([r.problems[0]!.line, r.problems[0]!.column, r.problems[0]!.key], [1, 2, 'log-driverr']);
  });
  test('a flag name used as a key starts but is ignored, and names the real key', () => {
    const r = check('{"insecure-registry": ["r:5000"]}');
    assert.equal(r.willStart, true);
    assert.equal(r.problems[0]!.severity, 'warning');
    assert.match(r.problems[0]!.message, /use 'insecure-registries'/);
  });
  test('proxies needs 23.0; its children are checked as keys', () => {
    const text = '{"proxies": {"http-proxy": "http://p:3128", "no-proxy": "localhost"}}';
    const old = check(text);
    assert.equal(old.willStart, false);
    assert.match(old.problems[0]!.message, /needs Docker Engine 23.0/);
    assert.equal(check(text, { engineVersion: '24.0.9' }).willStart, true);
    const bad = check('{"proxies": {"http_proxy": "x"}}', { engineVersion: '24.0' });
    assert.equal(bad.willStart, false);
    assert.equal(bad.problems[0]!.key, 'proxies.http_proxy');
  });
  test('wrong types say what was expected', () => {
    assert.match(check('{"live-restore": "true"}').problems[0]!.message, /true or false/);
    assert.match(check('{"log-opts": {"max-file": 3}}').problems[0]!.message, /"max-file" is the number 3/);
    assert.match(check('{"mtu": 1500.0}').problems[0]!.message, /whole number/);
    assert.match(check('{"dns": "8.8.8.8"}').problems[0]!.message, /list of strings/);
  });
  test('invalid values', () => {
    assert.match(check('{"log-level": "verbose"}').problems[0]!.message, /log-level/);
    assert.match(check('{"dns": ["dns.example.com"]}').problems[0]!.message, /IP address/);
    assert.equal(check('{"log-opts": {"max-sise": "1m"}}').willStart, false);
    const lazy = check('{"log-opts": {"max-size": "ten"}}');
    assert.equal(lazy.willStart, true);
    assert.match(lazy.problems[0]!.message, /containers will fail to start/);
  });
  test('"validate": true makes 23.0+ exit instead of starting', () => {
    assert.equal(check('{"validate": true}', { engineVersion: '25.0' }).willStart, false);
    assert.equal(check('{"validate": false}', { engineVersion: '25.0' }).willStart, true);
  });
  test('windows-only options are refused on linux', () => {
    assert.equal(check('{"service-name": "docker"}').willStart, false);
    assert.equal(check('{"service-name": "docker"}', { platform: 'windows' }).willStart, true);
  });
});

describe('pre-flight: version-dependent reading', () => {
  test('20.10 ignores trailing data; 23.0 refuses it', () => {
    const old = check('{"debug": false} junk');
    assert.equal(old.willStart, true);
    assert.equal(old.problems[0]!.severity, 'warning');
    assert.equal(check('{"debug": false} junk', { engineVersion: '23.0' }).willStart, false);
  });
  test('empty files and UTF-16 are fine from 23.0 only', () => {
    assert.equal(check('', { engineVersion: '24.0' }).willStart, true);
    assert.equal(check('{}', { encoding: 'utf16' }).willStart, false);
    assert.equal(check('{}', { encoding: 'utf16', engineVersion: '26.1' }).willStart, true);
    assert.equal(check('{}', { encoding: 'invalid-utf8' }).willStart, true);
    assert.equal(check('{}', { encoding: 'invalid-utf8', engineVersion: '26.1' }).willStart, false);
  });
  test('log-level "warning" and max-download-attempts 0 changed meaning', () => {
    assert.equal(check('{"log-level": "Warning"}').willStart, true);
    assert.equal(check('{"log-level": "warning"}', { engineVersion: '25.0' }).willStart, false);
    assert.equal(check('{"max-download-attempts": 0}').willStart, false);
    assert.equal(check('{"max-download-attempts": 0}', { engineVersion: '23.0' }).willStart, true);
  });
  test('"seccomp-profile": "unconfined" is a file path on 20.10 and a keyword from 23.0', () => {
    assert.equal(check('{"seccomp-profile": "unconfined"}').willStart, false);
    assert.equal(check('{"seccomp-profile": "unconfined"}', { engineVersion: '23.0' }).willStart, true);
  });
  test('an unknown object whose children are known keys is ignored, not refused', () => {
    const r = check('{"tls-options": {"debug": true}}');
    assert.equal(r.willStart, true);
    assert.match(r.problems[0]!.message, /ignores it/);
    assert.equal(check('{"tls-options": {"nope": 1}}').willStart, false);
  });
});

describe('pre-flight: flags', () => {
  test('a flag and the same key in the file conflict even when equal', () => {
    const r = check('{"log-level": "info"}', { flags: ['--log-level=info'] });
    assert.equal(r.willStart, false);
    assert.equal(r.problems[0]!.kind, 'flag-conflict');
  });
  test('systemd -H fd:// against "hosts" in the file', () => {
    const r = check('{\n  "hosts": ["tcp://0.0.0.0:2375"]\n}', { flags: ['-H', 'fd://', '--containerd=/run/containerd/containerd.sock'] });
    assert.equal(r.willStart, false);
    assert.deepEqual([r.problems[0]!.line, r.problems[0]!.key], [2, 'hosts']);
    assert.match(r.problems[0]!.message, /--host \(fd:\/\/\)/);
  });
  test('short flags, booleans and unknown flags', () => {
    assert.equal(check('{"debug": true}', { flags: ['-D'] }).willStart, false);
    assert.equal(check('{}', { flags: ['--live-restore', '-l', 'warn'] }).willStart, true);
    const r = check('{}', { flags: ['--no-such-flag'] });
    assert.equal(r.willStart, false);
    assert.equal(r.problems[0]!.kind, 'unknown-flag');
  });
  test('runtimes may be given both ways (dockerd merges them)', () => {
    assert.equal(check('{"runtimes": {"crun": {"path": "/usr/bin/crun"}}}', { flags: ['--add-runtime', 'x=/usr/bin/x'] }).willStart, true);
  });
});

describe('pre-flight: numbers as Go decodes them', () => {
  test('a number beyond float64 anywhere in the file refuses it, even inside an object dockerd would ignore', () => {
    for (const text of ['{"mtu": 1e400}', '{"features": {"buildkit": 1e400}}']) {
      const r = check(text, { engineVersion: '28.5.2' });
      assert.equal(r.willStart, false, text);
      assert.match(r.problems[0]!.message, /too large .* 64-bit float/);
    }
  });
  test('an integer option takes a whole number that fits 64 bits: no exponent, no fraction, no overflow', () => {
    assert.equal(check('{"max-concurrent-downloads": 9223372036854775807}').willStart, true);
    for (const raw of ['99999999999999999999', '9223372036854775808', '1e3', '1.0']) {
      const r = check(`{"max-concurrent-downloads": ${raw}}`);
      assert.equal(r.willStart, false, raw);
      assert.equal(r.problems[0]!.kind, 'wrong-type');
    }
    assert.equal(check('{"max-concurrent-downloads": -0}').willStart, true);
  });
  test('nested integers are judged the same way (default-address-pools size)', () => {
    assert.equal(check('{"default-address-pools": [{"base": "10.1.0.0/16", "size": 24}]}').willStart, true);
    assert.equal(check('{"default-address-pools": [{"base": "10.1.0.0/16", "size": "24"}]}').willStart, false);
    assert.equal(check('{"default-address-pools": [{"base": "10.1.0.0/16", "size": 99999999999999999999}]}').willStart, false);
  });
});

describe('pre-flight: start-up rules', () => {
  test('cross rules: icc=false needs iptables, from the file or the flag', () => {
    assert.equal(check('{"icc": false, "iptables": false}').willStart, false);
    assert.equal(check('{"icc": false}', { flags: ['--iptables=false'] }).willStart, false);
    assert.equal(check('{"icc": true, "iptables": false}').willStart, true);
  });
  test('a value the engine accepts but that makes every docker run fail keeps willStart and says why', () => {
    const r = check('{"log-opts": {"max-file": "0"}}', { engineVersion: '28.5.2' });
    assert.equal(r.willStart, true);
    assert.equal(r.problems.length, 1);
    assert.equal(r.problems[0]!.severity, 'warning');
    assert.match(r.problems[0]!.message, /containers will fail to start: log-opts max-file cannot be less than 1/);
  });
  test('without the host facts a host rule is a warning that says what dockerd will check; with them, a verdict', () => {
    const noHost = check('{"seccomp-profile": "/nonexistent/profile.json"}', { engineVersion: '28.5.2' });
    assert.equal(noHost.willStart, true);
    assert.match(noHost.problems[0]!.message, /dockerd checks this on the host when it starts; otherwise dockerd refuses to start/);
    const host = { ...replayHostFacts(EMPTY_FACTS), readable: (f: string) => f !== '/nonexistent/profile.json', holdsJson: () => true };
    assert.equal(check('{"seccomp-profile": "/nonexistent/profile.json"}', { engineVersion: '28.5.2', host }).willStart, false);
    assert.equal(check('{"seccomp-profile": "/etc/profile.json"}', { engineVersion: '28.5.2', host }).willStart, true);
  });
  test('version ranges: IPv6 on the default bridge needs fixed-cidr-v6 before 28.0 only', () => {
    assert.equal(check('{"ipv6": true}', { engineVersion: '26.1.5' }).willStart, false);
    assert.equal(check('{"ipv6": true}', { engineVersion: '28.5.2' }).willStart, true);
  });
  test('version ranges: a cgroup driver given twice, the first wins before 28.0 and the last from 28.0', () => {
    const opts = '{"exec-opts": ["native.cgroupdriver=cgroupfs", "native.cgroupdriver=systemd"]}';
    const host = { ...replayHostFacts(EMPTY_FACTS), systemd: false };
    assert.equal(check(opts, { engineVersion: '26.1.5', host }).problems.length, 0);
    assert.match(
      check(opts, { engineVersion: '28.5.2', host }).problems[0]!.message,
      /containers will fail to start: the systemd cgroup driver/,
    );
  });
  test('an option ignored from a version is not even type-checked there', () => {
    assert.equal(check('{"deprecated-key-path": 42}', { engineVersion: '20.10.24' }).willStart, false);
    assert.equal(check('{"deprecated-key-path": 42}', { engineVersion: '26.1.5' }).willStart, true);
  });
});

test('a registry mirror with credentials is refused without quoting the password', () => {
  const r = check('{"registry-mirrors": ["https://user:s3cret@mirror.example.com"]}', { engineVersion: '28.5.2' });
  assert.equal(r.willStart, false);
  assert.match(r.problems[0]!.message, /username\/password not allowed in "https:\/\/\*\*\*\*@mirror\.example\.com"/);
  assert.doesNotMatch(JSON.stringify(r), /s3cret/);
});

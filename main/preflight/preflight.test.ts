import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { preflight, type PreflightInput } from './preflight';

const check = (text: string | null, extra: Partial<PreflightInput> = {}) =>
  preflight({ text, path: '/etc/docker/daemon.json', explicit: false, flags: null, engineVersion: '20.10.24', platform: 'linux', ...extra });

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

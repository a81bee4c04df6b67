import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parse as parseYaml } from 'yaml';
import { parsePolicy, PolicyError } from './load';

/** The problems of a policy text, as "LINE: message" strings. */
function problems(text: string): string[] {
  try {
    parsePolicy(text, 'policy.yaml');
  } catch (error) {
    assert.ok(error instanceof PolicyError, String(error));
    return error.problems.map((p) => `${p.line}: ${p.message}`);
  }
  assert.fail('the policy was accepted');
}

export const EXAMPLE = `# yaml-language-server: $schema=../docs/schema/policy.schema.json
version: 1
description: golden image baseline
checks:
  categories: [daemon-config, logging, registry]
  include: ["files.*", access.docker-group]
  exclude: [daemon.swarm]
severity:
  daemon.live-restore: high
require:
  daemon:
    log-driver: journald
    storage-driver: { oneOf: [overlay2] }
    dns: [10.20.0.2, 10.20.0.3]
    userns-remap: { present: true }
    log-opts: { includes: { max-size: 10m } }
  no-proxy: [corp.example.com]
thresholds:
  disk-free-percent: 20
waivers:
  - check: daemon.insecure-registries
    reason: lab mirror until its certificate lands
    owner: platform-team
    expires: 2099-12-31
  - check: container.privileged
    target: "build-*"
    reason: image builders
    owner: ci-team
    expires: 2030-06-30
`;

describe('policy files', () => {
  test('a full policy loads, with the line of each waiver and requirement for evidence', () => {
    const loaded = parsePolicy(EXAMPLE, 'policy.yaml');
    assert.equal(loaded.policy.version, 1);
    assert.deepEqual(loaded.policy.require?.daemon?.dns, ['10.20.0.2', '10.20.0.3']);
    assert.equal(loaded.policy.waivers?.[1]?.expires, '2030-06-30', 'an unquoted YAML date stays the date string');
    assert.deepEqual(loaded.waiverLines, [21, 25]);
    assert.equal(loaded.requireLines['log-driver'], 12);
    assert.equal(loaded.requireLines['userns-remap'], 15);
    assert.equal(loaded.requireLines['no-proxy'], 17);
  });

  test('the published policy JSON Schema accepts the example and refuses an unknown key', () => {
    const schema = JSON.parse(readFileSync('docs/schema/policy.schema.json', 'utf8'));
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    const validate = ajv.compile(schema);
    assert.ok(validate(parseYaml(EXAMPLE)), ajv.errorsText(validate.errors));
    assert.equal(validate({ version: 1, wavers: [] }), false);
  });

  test('unknown keys: the line, the key, a suggestion and what is allowed', () => {
    assert.deepEqual(problems('version: 1\nwavers: []\n'), [
      "2: unknown key 'wavers' (did you mean 'waivers'?); expected one of: $schema, version, description, checks, severity, require, thresholds, waivers",
    ]);
    const nested = problems(
      'version: 1\nwaivers:\n  - check: daemon.icc\n    reason: r\n    owner: o\n    expires: 2030-01-01\n    expiry: 2030-01-01\n',
    );
    assert.equal(nested.length, 1);
    assert.match(nested[0]!, /^7: unknown key 'expiry' in waivers\[0\] \(did you mean 'expires'\?\)/);
  });

  test('wrong types and values: the line and the path of the value', () => {
    assert.deepEqual(problems('version: 1\nthresholds:\n  disk-free-percent: lots\n'), [
      '3: thresholds.disk-free-percent: Invalid input: expected number, received string',
    ]);
    assert.deepEqual(problems('version: 1\nseverity:\n  daemon.icc: severe\n'), [
      '3: severity.daemon.icc: Invalid option: expected one of "critical"|"high"|"medium"|"low"|"info"',
    ]);
    assert.deepEqual(problems('version: 2\n'), ['1: version: Invalid input: expected 1']);
    const date = problems('version: 1\nwaivers:\n  - check: daemon.icc\n    reason: r\n    owner: o\n    expires: 2030-02-30\n');
    assert.deepEqual(date, ['6: waivers[0].expires: not a calendar date']);
    const missing = problems('version: 1\nwaivers:\n  - check: daemon.icc\n    reason: r\n    expires: 2030-01-01\n');
    assert.deepEqual(missing, ['3: waivers[0].owner: required, and missing (expected string)']);
    const matcher = problems('version: 1\nrequire:\n  daemon:\n    log-opts: { max-size: 10m }\n');
    assert.deepEqual(matcher, [
      '4: require.daemon.log-opts: expected a value, a list, or one of {present: true}, {equals: …}, {includes: […]}, {oneOf: […]}',
    ]);
  });

  test('names that match nothing: unknown checks (with a suggestion), empty globs, daemon.json keys that do not exist', () => {
    const text = [
      'version: 1',
      'checks:',
      '  include: [daemon.log-rotaton, "nothing.*"]',
      'severity:',
      '  daemon.live-restor: high',
      'require:',
      '  daemon:',
      '    log-drivr: journald',
      'waivers:',
      '  - check: container.privileged',
      '    reason: r',
      '    owner: o',
      '    expires: 2030-01-01',
      '  - check: container.privileged',
      '    reason: again',
      '    owner: o',
      '    expires: 2030-01-01',
    ].join('\n');
    assert.deepEqual(problems(text), [
      "3: checks.include[0]: unknown check 'daemon.log-rotaton' (did you mean 'daemon.log-rotation'?)",
      "3: checks.include[1]: 'nothing.*' matches no check",
      "5: severity.daemon.live-restor: unknown check 'daemon.live-restor' (did you mean 'daemon.live-restore'?)",
      "8: require.daemon: 'log-drivr' is not a daemon.json key (did you mean 'log-driver'?)",
      '14: waivers[1] waives the same check and target as waivers[0]: keep one',
    ]);
  });

  test('YAML that does not parse, and an empty file', () => {
    const broken = problems('version: 1\nwaivers: [\n  - check: x\n');
    assert.ok(broken.length >= 1);
    assert.match(broken[0]!, /^\d+: YAML: /);
    assert.deepEqual(problems('version: 1\nversion: 1\n'), ['2: YAML: Map keys must be unique']);
    assert.deepEqual(problems(''), ['1: Invalid input: expected object, received null']);
  });

  test('PolicyError reads as FILE:LINE: reason, one line per problem', () => {
    const error = new PolicyError('ci/policy.yaml', [
      { line: 2, message: 'a' },
      { line: 9, message: 'b' },
    ]);
    assert.equal(error.message, 'ci/policy.yaml:2: a\nci/policy.yaml:9: b');
  });
});

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { evaluateFacts, runAudit } from '../main/audit';
import { parsePolicy } from '../main/policy/load';
import { LocalHost } from '../main/host/local-host';
import { preflight } from '../main/preflight/preflight';
import { publishedSchemas } from './schemas';

test('the published JSON Schemas are generated from shared/ and up to date (npm run generate)', () => {
  for (const [name, schema] of Object.entries(publishedSchemas())) {
    const onDisk = JSON.parse(readFileSync(`docs/schema/${name}`, 'utf8'));
    assert.deepEqual(onDisk, JSON.parse(JSON.stringify(schema)), `docs/schema/${name} is stale: run npm run generate`);
  }
});

test('real reports, facts and pre-flight results validate against the published schemas', async () => {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  const schemas = publishedSchemas();
  const { facts, report } = await runAudit({
    host: new LocalHost(),
    endpoint: { host: 'unix:///nonexistent/docker.sock' },
    timeoutMs: 2000,
  });
  const validate = (name: string, value: unknown) => {
    const ok = ajv.validate(schemas[name]!, JSON.parse(JSON.stringify(value)));
    assert.ok(ok, `${name}: ${ajv.errorsText()}`);
  };
  validate('report.schema.json', report);
  const policy = parsePolicy(
    'version: 1\nrequire:\n  daemon:\n    log-driver: journald\nwaivers:\n  - check: daemon.experimental\n    reason: r\n    owner: o\n    expires: 2000-01-01\n',
    'policy.yaml',
  );
  const baseline = {
    path: 'old.json',
    schemaVersion: '1.0.0',
    findings: [{ id: 'gone.check', checkId: 'gone.check', severity: 'low' as const, result: { status: 'fail' as const, message: 'x' } }],
  };
  const withPolicy = evaluateFacts(facts, { policy, baseline });
  assert.ok(withPolicy.policy && withPolicy.baseline && withPolicy.summary.waived !== undefined);
  validate('report.schema.json', withPolicy);
  validate('facts.schema.json', facts);
  validate(
    'preflight.schema.json',
    preflight({ text: '{"debug": 1}', path: 'x', explicit: true, flags: null, engineVersion: '27.0', platform: 'linux' }),
  );
  assert.equal(ajv.validate(schemas['report.schema.json']!, { ...report, schemaVersion: '0.9' }), false, 'a wrong version is refused');
});

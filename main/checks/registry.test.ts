import { fixIds } from '../fix/builders';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type Facts, FactsSchema } from '../../shared/facts';
import { readFileSync } from 'node:fs';
import { renderCatalogue } from '../report/catalogue';
import { CHECKS } from './registry';
import { evaluateChecks } from './runner';
import { validateRegistry } from './validate-registry';

test('every check has valid metadata and a unique id', () => {
  validateRegistry();
  assert.throws(() => validateRegistry([CHECKS[0]!, CHECKS[0]!]), /duplicate check id/);
});

test('docs/checks.md is generated from the registry and current (npm run generate)', () => {
  assert.equal(
    readFileSync('docs/checks.md', 'utf8'),
    renderCatalogue(CHECKS, new Set(fixIds())),
    'docs/checks.md is stale: run npm run generate',
  );
});

test('the ids the audit-pipeline issue names exist', () => {
  const ids = CHECKS.map((c) => c.id);
  for (const id of [
    'daemon.config.valid',
    'daemon.log-rotation',
    'daemon.live-restore',
    'daemon.insecure-registries',
    'daemon.icc',
    'container.privileged',
    'container.docker-socket-mount',
  ]) {
    assert.ok(ids.includes(id), id);
  }
});

/** A snapshot where nothing could be collected: every check must answer skipped or error, never throw. */
function nothingCollected(code: 'unreachable' | 'unsupported'): Facts {
  const failed = { ok: false as const, error: { code, message: `${code} for the test` }, sources: [] };
  const meta = ['schemaVersion', 'toolVersion', 'collectedAt', 'mode', 'root', 'collectors'];
  const factKeys = Object.keys(FactsSchema.shape).filter((k) => !meta.includes(k));
  return {
    schemaVersion: 1,
    toolVersion: 'test',
    collectedAt: new Date(0).toISOString(),
    mode: code === 'unsupported' ? 'offline-root' : 'live',
    root: null,
    ...Object.fromEntries(factKeys.map((k) => [k, failed])),
    collectors: [],
  } as unknown as Facts;
}

test('with no facts at all, checks are errors (daemon unreachable) or skipped (not available here), never a throw', () => {
  for (const [code, status] of [
    ['unreachable', 'error'],
    ['unsupported', 'skipped'],
  ] as const) {
    const findings = evaluateChecks(CHECKS, nothingCollected(code));
    assert.equal(findings.length, CHECKS.length);
    for (const f of findings) {
      assert.equal(f.result.status, status, `${f.id}: ${f.result.message}`);
      assert.match(f.result.reason ?? '', new RegExp(code));
    }
  }
});

test('a check that throws becomes an error finding naming the failure', () => {
  const broken = {
    ...CHECKS[0]!,
    evaluate: () => {
      throw new Error('boom');
    },
  };
  const [finding] = evaluateChecks([broken], nothingCollected('unreachable'));
  assert.equal(finding!.result.status, 'error');
  assert.match(finding!.result.reason ?? '', /boom/);
});

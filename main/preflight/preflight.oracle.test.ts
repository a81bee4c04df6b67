import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { replayHostFacts } from './host-facts';
import { engineVersionOf, type OracleRecording, preflightVariant, RECORDING_PATH, variantDigest } from './oracle-recording';
import { ORACLE_VARIANTS } from './oracle-variants';
import { CONTAINERS_FAIL } from './preflight';

/**
 * The real engines are the oracle: scripts/oracle-record.ts started each of them on every generated variant and
 * recorded whether dockerd started and whether a container then ran (oracle-recording.json). The pre-flight must give
 * the same answer for the same engine version: willStart, and a "containers will fail" warning exactly when no
 * container could run. Host-dependent rules are given the recorder host's facts, kept in the recording, so the
 * comparison does not depend on the machine the test runs on.
 */
const recording = JSON.parse(readFileSync(RECORDING_PATH, 'utf8')) as OracleRecording;

test('the recording covers every generated variant on every engine, for the same bytes', () => {
  assert.ok(ORACLE_VARIANTS.length >= 200, `only ${ORACLE_VARIANTS.length} variants`);
  assert.deepEqual(Object.keys(recording.engines).sort(), ['20.10', '26.1', '28.5']);
  for (const [name, engine] of Object.entries(recording.engines)) {
    const stale = ORACLE_VARIANTS.filter((v) => engine.results[v.name]?.digest !== variantDigest(v)).map((v) => v.name);
    assert.deepEqual(stale, [], `engine ${name}: variants not recorded for their current content (run npm run oracle:record)`);
    const timedOut = Object.entries(engine.results)
      .filter(([, r]) => r.started === 'timeout')
      .map(([n]) => n);
    assert.deepEqual(timedOut, [], `engine ${name}: variants that never answered, even alone`);
  }
});

for (const [name, engine] of Object.entries(recording.engines)) {
  test(`pre-flight agrees with the recorded engine ${name} (${engine.version}) on every variant`, () => {
    const version = engineVersionOf(engine.version);
    assert.ok(recording.host, "the recording keeps the recorder host's facts");
    const host = replayHostFacts(recording.host);
    const rows = ORACLE_VARIANTS.filter((v) => engine.results[v.name]).map((variant) => {
      const actual = engine.results[variant.name]!;
      const result = preflightVariant(variant, version, host);
      const warnsRunFails = result.problems.some((p) => p.severity === 'warning' && p.message.includes(CONTAINERS_FAIL));
      const startAgrees = result.willStart === (actual.started === true);
      const runAgrees = actual.started !== true || warnsRunFails === (actual.containerRuns === false);
      return { variant, actual, result, startAgrees, runAgrees, warnsRunFails };
    });
    const bad = rows.filter((r) => !r.startAgrees || !r.runAgrees);
    const lines = bad.map(
      (r) =>
        `DIFF ${r.variant.name}: dockerd ${r.actual.started === true ? `started${r.actual.containerRuns ? '' : ', no container ran'}` : 'refused'}${r.actual.detail ? ` (${r.actual.detail.split('\n')[0]})` : ''}; ` +
        `pre-flight ${r.result.willStart ? 'start' : 'refuse'}${r.warnsRunFails ? ', containers fail' : ''}: ${r.result.problems.map((p) => `[${p.severity}] ${p.message}`).join(' | ') || 'no problems'}`,
    );
    const started = rows.filter((r) => r.actual.started === true).length;
    const report = `engine ${name} (${engine.version}): start agreed on ${rows.filter((r) => r.startAgrees).length}/${rows.length}, container outcome on ${rows.filter((r) => r.startAgrees && r.runAgrees).length}/${rows.length} (${started} started, ${rows.length - started} refused)\n${lines.join('\n')}\n`;
    process.stdout.write(`${report.split('\n')[0]}\n`);
    assert.equal(bad.length, 0, report);
  });
}

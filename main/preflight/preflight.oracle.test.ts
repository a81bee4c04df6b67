import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { test } from 'node:test';
import { startDockerd } from '../../test/support/dockerd';
import { mapLimit } from '../util/timeout';
import { ORACLE_VARIANTS } from './oracle-variants';
import { decodeConfigBytes } from './decode';
import { preflight } from './preflight';

/** The real dockerd is the oracle: start it with each variant and compare with the pre-flight's answer. */
test('pre-flight agrees with a real dockerd on every variant', { timeout: 15 * 60_000 }, async () => {
  const version = /version v?(\d+\.\d+\.\d+)/i.exec(execFileSync('dockerd', ['--version'], { encoding: 'utf8' }))![1]!;
  assert.ok(ORACLE_VARIANTS.length >= 20);
  const rows = await mapLimit(ORACLE_VARIANTS, 3, async (variant) => {
    const outcome = await startDockerd({ daemonJson: variant.text, flags: variant.flags, timeoutMs: 45_000 });
    let actual: boolean;
    let log = '';
    if (outcome.started) {
      actual = true;
      await outcome.daemon.stop();
    } else {
      actual = false;
      log = outcome.log.split('\n').filter((l) => /^(unable to|failed to start daemon)/.test(l)).slice(-1).join('').replace(/\/tmp\/dkh-\w+\//g, '…/');
    }
    // The harness's own flags, as dockerd saw them (paths do not matter to the pre-flight).
    const flags = ['--data-root', '/d', '--exec-root', '/e', '--pidfile', '/p', '-H', 'unix:///s', '--config-file', '/c', ...(variant.flags ?? [])];
    const decoded = decodeConfigBytes(Buffer.isBuffer(variant.text) ? variant.text : Buffer.from(variant.text, 'utf8'));
    const predicted = preflight({ ...decoded, path: 'daemon.json', explicit: true, flags, engineVersion: version, platform: 'linux' });
    return { variant, actual, predicted: predicted.willStart, problems: predicted.problems.map((p) => p.message), log };
  });
  const agree = rows.filter((r) => r.actual === r.predicted).length;
  const summary = rows.map((r) => `${r.actual === r.predicted ? 'ok  ' : 'DIFF'} ${r.variant.name}: dockerd ${r.actual ? 'started' : 'refused'}, pre-flight ${r.predicted ? 'start' : 'refuse'}${r.log ? ` — ${r.log}` : ''}`);
  const report = `dockerd ${version}: pre-flight agreed on ${agree}/${rows.length} variants\n${summary.join('\n')}\n`;
  process.stdout.write(report);
  if (process.env.DOCKHAND_ORACLE_OUT) writeFileSync(process.env.DOCKHAND_ORACLE_OUT, report);
  assert.equal(agree, rows.length, report);
});

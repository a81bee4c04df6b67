import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ReportSchema } from '../../shared/report';
import { dockhand } from '../support/cli';
import { runningDockerd } from '../support/dockerd';

/** How often a text occurs in another. */
const occurrences = (text: string, part: string) => text.split(part).length - 1;

/**
 * The text report of an audit whose daemon could not be reached: the cause once at the top and once at the end, the
 * checks it kept from running listed once under it (not one error block each), and the score marked incomplete; the
 * JSON report carries the same completeness.
 */
describe('the audit report with the daemon down', () => {
  test('a daemon that was stopped: the cause at the top and at the end, the checks it blocked grouped under it, the score incomplete', async () => {
    const daemon = await runningDockerd({ daemonJson: { 'log-level': 'warn' } });
    await daemon.stop();

    const text = await dockhand(['audit', '--host', daemon.host, '--no-color', '--timeout', '5000']);
    assert.equal(text.code, 4, `incomplete exit code\n${text.stderr}`);
    const json = await dockhand(['audit', '--host', daemon.host, '--format', 'json', '--timeout', '5000']);
    const report = ReportSchema.parse(JSON.parse(json.stdout));
    assert.ok(report.engineError, 'the report says why the daemon could not be asked');
    const incomplete = report.summary.incomplete;
    assert.ok(incomplete, 'the JSON report marks the score incomplete');
    assert.equal(incomplete.cause, 'daemon-unreachable');
    assert.equal(incomplete.message, report.engineError);
    assert.ok(incomplete.checks.length >= 20, `the checks that need the daemon are listed: ${incomplete.checks.length}`);
    assert.ok(incomplete.checks.includes('container.privileged'));
    assert.ok(!incomplete.checks.includes('daemon.log-rotation'), 'a check judged from daemon.json ran and is not listed');

    const out = text.stdout;
    const lines = out.trimEnd().split('\n');
    // The cause (the Engine's own message) is said exactly twice: at the top and on the last line; evidence that quoted
    // it points to the top.
    assert.equal(occurrences(out, report.engineError), 2, out);
    assert.match(out, /unavailable: the daemon could not be reached \(see the top\)/);
    assert.match(lines[1]!, /^The Docker daemon could not be reached: /);
    assert.ok(lines[1]!.includes(report.engineError));
    assert.match(
      lines.at(-1)!,
      /^INCOMPLETE: the Docker daemon could not be reached \(.*\); \d+ checks could not run and the score \d+\/100 covers only the rest/,
    );
    assert.ok(lines.at(-1)!.includes(report.engineError));
    assert.match(out, new RegExp(`Score \\d+/100 \\(INCOMPLETE: ${incomplete.checks.length} checks could not run\\)`));

    // One group, one line per blocked check; none of them is an error block of its own.
    assert.equal(occurrences(out, 'NOT RUN'), 1);
    assert.match(out, new RegExp(`NOT RUN  ${incomplete.checks.length} checks, because the daemon could not be reached`));
    for (const id of incomplete.checks)
      assert.equal(lines.filter((l) => l.trim().startsWith(`${id} `) || l.trim() === id).length, 1, `${id} listed once`);
    assert.doesNotMatch(out, /^ERROR .*container\.privileged/m);
    assert.doesNotMatch(out, /Could not evaluate: .*unavailable/);
    // The daemon.json the stopped daemon used is still judged (the file audit ran).
    assert.match(out, /(PASS|FAIL|WARN) +(\w+ +)?daemon\.log-rotation/);
  });

  test('with no daemon at all the same shape, and a reachable daemon gives a complete report with none of it', async () => {
    const down = await dockhand(['audit', '--host', 'unix:///nonexistent/docker.sock', '--no-color', '--timeout', '3000']);
    assert.equal(down.code, 4);
    assert.match(down.stdout.split('\n')[1]!, /^The Docker daemon could not be reached: /);
    assert.match(down.stdout.trimEnd().split('\n').at(-1)!, /^INCOMPLETE: /);

    const daemon = await runningDockerd({ daemonJson: {} });
    try {
      const json = await dockhand(['audit', '--host', daemon.host, '--format', 'json']);
      const report = ReportSchema.parse(JSON.parse(json.stdout));
      assert.equal(report.summary.incomplete, null, 'complete: nothing was kept from running');
      const text = await dockhand(['audit', '--host', daemon.host, '--no-color']);
      assert.doesNotMatch(text.stdout, /INCOMPLETE|NOT RUN|could not be reached/);
    } finally {
      await daemon.stop();
    }
  });
});

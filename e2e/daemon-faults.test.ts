// The daemon fails while the app changes it: Debian's Chromium driving the real `dockhand serve` against a private
// dockerd that is killed while a fix waits for it to come back, cannot start at all, is killed part-way through a
// prune, and hangs (SIGSTOP) part-way through one. The faults are timed by the app's own progress events (read from
// its event socket), and a restart is held at a gate the test opens, so each lands in the same window on every run.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { promises as fs, openSync, closeSync } from 'node:fs';
import path from 'node:path';
import { after, before } from 'node:test';
import type { Browser, Locator, Page } from 'playwright-core';
import type { Settings } from '../shared/api';
import { ENGINES, forEachEngine, importBusybox, pidIn, ping, type PrivateDockerd, runningDockerd } from '../test/support/dockerd';
import { processAlive } from '../main/util/process';
import { callApi, lastReport } from './support/api';
import { axeViolations, screenshot } from './support/artifacts';
import { openApp, openFixDialog } from './support/app-page';
import { type EventStream, openEvents } from './support/events';
import { listedRemovals } from './support/prune-grid';
import { type Served, startServe } from './support/serve';
import { until } from '../test/support/poll';

/** No log rotation: daemon.log-rotation fails, and its fix edits this file and restarts the daemon. */
const ORIGINAL = '{\n    "debug": false,\n    "insecure-registries": ["10.0.0.5:5000"]\n}\n';

forEachEngine(
  'the daemon fails mid-fix and mid-prune, in the app, against a real dockerd',
  (engine, test) => {
    let daemon: PrivateDockerd;
    let served: Served;
    let browser: Browser;
    let page: Page;
    let events: EventStream;
    let image: string;
    /** The controller record the app restarts the daemon with: the harness's command behind the gate script. */
    let record: { pidfile: string; argv: string[]; log: string };
    /** Marker files the gate script reads on every start of the daemon. */
    let hold: string;
    let broken: string;
    let launchPid: string;

    before(async () => {
      daemon = await runningDockerd({ engine, daemonJson: ORIGINAL });
      image = await importBusybox(daemon);
      hold = path.join(daemon.dir, 'hold');
      broken = path.join(daemon.dir, 'broken');
      launchPid = path.join(daemon.dir, 'launch.pid');
      // Every start of the daemon goes through this gate: it records its pid (the one dockerd keeps: exec), waits while
      // `hold` exists (so a fault can land while Dockhand waits, before the daemon could answer), and while `broken`
      // exists starts dockerd with a storage driver this kernel refuses, so dockerd itself fails at start.
      const gate = path.join(daemon.dir, 'gate.sh');
      await fs.writeFile(
        gate,
        `#!/bin/sh\necho $$ > ${launchPid}\nwhile [ -e ${hold} ]; do sleep 0.05; done\nif [ -e ${broken} ]; then exec "$@" --storage-driver btrfs; fi\nexec "$@"\n`,
        { mode: 0o755 },
      );
      const harness = JSON.parse(await fs.readFile(await daemon.controllerRecord(), 'utf8')) as typeof record;
      record = { ...harness, argv: [gate, ...harness.argv] };
      const recordFile = path.join(daemon.dir, 'gated-controller.json');
      await fs.writeFile(recordFile, JSON.stringify(record));
      served = await startServe(['-H', daemon.host], {
        env: { DOCKHAND_DAEMON_CONTROLLER: `process:${recordFile}`, DOCKHAND_STATE_DIR: path.join(daemon.dir, 'state') },
      });
      const app = await openApp(served.url);
      ({ browser, page } = app);
      events = await openEvents(served, await app.context.cookies());
    });
    after(async () => {
      const pid = pidIn(daemon?.pidfile ?? '');
      if (pid && processAlive(pid)) process.kill(pid, 'SIGCONT');
      events?.close();
      await browser?.close();
      await served?.stop();
      await daemon?.stop();
    });

    /** Starts the daemon again as its user would by hand (the recorded command), and waits for it to answer. */
    async function startByHand(): Promise<void> {
      const out = openSync(record.log, 'a');
      const child = spawn(record.argv[0]!, record.argv.slice(1), { detached: true, stdio: ['ignore', out, out] });
      child.unref();
      closeSync(out);
      // A daemon that exits instead of answering is a failure now, with what it said, not after the whole wait.
      let exited: string | null = null;
      child.once('exit', (code, signal) => (exited = `exited (${code ?? signal})`));
      const tail = async () => (await fs.readFile(record.log, 'utf8').catch(() => '')).slice(-3000);
      try {
        await until(async () => exited !== null || (await ping(daemon.socket)), {
          what: 'the daemon started by hand answers',
          timeoutMs: 90_000,
        });
      } catch (error) {
        throw new Error(`${(error as Error).message}; its log ends:\n${await tail()}`, { cause: error });
      }
      if (exited !== null) throw new Error(`the daemon started by hand ${exited}; its log ends:\n${await tail()}`);
    }

    /** The Fix dialog of daemon.log-rotation, at its preview. */
    async function openLogRotationFix(): Promise<Locator> {
      return (await openFixDialog(page, served.origin, 'daemon.log-rotation')).dialog;
    }

    /** Waits for the dialog's outcome: a heading and a verdict, with no spinner left anywhere in it. */
    async function outcomeOf(dialog: Locator): Promise<{ kind: string; text: string; title: string }> {
      const outcome = dialog.getByTestId('fix-outcome');
      await outcome.waitFor({ timeout: 240_000 });
      assert.equal(await dialog.locator('.spinner').count(), 0, 'no spinner once the outcome is shown');
      return {
        kind: (await outcome.getAttribute('data-outcome')) ?? '',
        text: await outcome.innerText(),
        title: await dialog.locator('#fix-dialog-title').innerText(),
      };
    }

    async function closeDialog(dialog: Locator): Promise<void> {
      await dialog.getByRole('button', { name: 'Close' }).last().click();
      await dialog.waitFor({ state: 'detached' });
    }

    async function logRotationStatus(): Promise<string | undefined> {
      return (await lastReport(page)).findings.find((f) => f.checkId === 'daemon.log-rotation')?.result.status;
    }

    /** Clicks a Re-run audit button and waits until a newer report than the one before is the last one. */
    async function rerunAudit(button: Locator): Promise<void> {
      const before = (await lastReport(page)).generatedAt;
      await button.click();
      await until(async () => (await lastReport(page)).generatedAt !== before, { what: 'a new report', timeoutMs: 120_000 });
    }

    test('fix: the restarted daemon is killed while Dockhand waits for it: rolled back with why, original bytes, in History; Re-run shows the finding still failing', async () => {
      await fs.writeFile(hold, '');
      await fs.rm(launchPid, { force: true });
      const dialog = await openLogRotationFix();
      try {
        const restarted = events.next('fix.progress', (p) => p.step.step === 'restart' && p.step.ok);
        await dialog.getByRole('button', { name: 'Apply fix' }).click();
        await restarted;
        // The old daemon is gone and the new one is held at the gate: Dockhand is waiting for it to answer. Kill it there.
        const pid = await until(() => pidIn(launchPid), { what: 'the restarted daemon is launched' });
        await dialog.getByTestId('fix-progress').locator('[data-phase="restart"][data-status="done"]').waitFor();
        await screenshot(page, `fault-fix-waiting-${engine}`);
        process.kill(pid, 'SIGKILL');
      } finally {
        // Let the rollback's start through the gate.
        await fs.rm(hold, { force: true });
      }

      const outcome = await outcomeOf(dialog);
      assert.equal(outcome.kind, 'rolled-back', outcome.text);
      assert.equal(outcome.title, 'Rolled back: nothing changed');
      assert.match(outcome.text, /The daemon did not come back with the change \(the daemon exited [\d.]+ s after it was started again\)/);
      assert.match(outcome.text, /the original files were restored and the daemon is up again/);
      assert.match(
        outcome.text,
        /Wait for the daemon\s+\(failed\)[\s\S]*Roll back[\s\S]*Restore\s+\(done\)[\s\S]*Wait for the daemon\s+\(done\)/,
        'step by step',
      );
      await screenshot(page, `fault-fix-rolled-back-${engine}`);
      assert.deepEqual(await axeViolations(page), [], 'rolled-back outcome');
      assert.equal(await fs.readFile(daemon.configPath, 'utf8'), ORIGINAL, 'daemon.json byte for byte');
      assert.ok(await ping(daemon.socket), 'the rollback started it again');
      await closeDialog(dialog);

      await page.goto(`${served.origin}/#/history`);
      const row = page.locator('.history-table tbody tr').first();
      await row.waitFor();
      assert.match(await row.innerText(), /Rolled back[\s\S]*daemon\.log-rotation/);
      assert.equal(await row.getByRole('button', { name: /^Undo / }).count(), 0, 'nothing of it is in place to undo');

      await rerunAudit(page.locator('.topbar').getByRole('button', { name: 'Re-run audit' }));
      assert.equal((await lastReport(page)).engineError, null);
      assert.equal(await logRotationStatus(), 'fail', 'the fix did not land');
    });

    test('fix: the daemon cannot start, with the change or without: failed, with what to do; original bytes; started again, Re-run recovers and the finding still fails', async () => {
      await fs.writeFile(broken, '');
      try {
        const dialog = await openLogRotationFix();
        await dialog.getByRole('button', { name: 'Apply fix' }).click();
        const outcome = await outcomeOf(dialog);
        assert.equal(outcome.kind, 'failed', outcome.text);
        assert.equal(outcome.title, 'The fix failed');
        assert.match(
          outcome.text,
          /did not come back with the change \(the daemon exited [\d.]+ s after it was started again[^)]*\), nor with the original files/,
        );
        assert.match(outcome.text, /graphdriver|btrfs/i, "why, from the daemon's own log");
        assert.match(outcome.text, /The original files are back in place, but the daemon is not running: start it/);
        await screenshot(page, `fault-fix-failed-${engine}`);
        assert.deepEqual(await axeViolations(page), [], 'failed outcome');
        assert.equal(await fs.readFile(daemon.configPath, 'utf8'), ORIGINAL, 'daemon.json byte for byte');
        assert.equal(await ping(daemon.socket), false, 'the daemon is down, as the outcome says');
        await closeDialog(dialog);
      } finally {
        await fs.rm(broken, { force: true });
      }

      // The dialog audited again on its way out: the app says the daemon is down, and what to do.
      await page.goto(`${served.origin}/#/overview`);
      const banner = page.getByRole('alert').filter({ hasText: 'The Docker daemon is not running' });
      await banner.waitFor({ timeout: 90_000 });
      await screenshot(page, `fault-fix-failed-overview-${engine}`);

      await page.goto(`${served.origin}/#/history`);
      const rows = page.locator('.history-table tbody tr');
      await rows.first().waitFor();
      assert.match(await rows.nth(0).innerText(), /Failed[\s\S]*daemon\.log-rotation/);
      assert.match(await rows.nth(1).innerText(), /Rolled back[\s\S]*daemon\.log-rotation/);

      await startByHand();
      await page.goto(`${served.origin}/#/overview`);
      await rerunAudit(page.getByRole('alert').getByRole('button', { name: 'Re-run audit' }));
      await banner.waitFor({ state: 'detached', timeout: 90_000 });
      assert.equal((await lastReport(page)).engineError, null, 'Re-run recovers');
      assert.equal(await logRotationStatus(), 'fail', 'the fix did not land');
    });

    /**
     * Stopped containers and unused volumes for a prune to take, created a few at a time. The oldest few have written
     * 256 KiB each, and a plan takes the oldest containers first: what the first removals free is not nothing.
     */
    async function createJunk(prefix: string, containers: number, volumes: number): Promise<void> {
      for (let i = 0; i < 4; i++)
        await daemon.docker([
          'run',
          '--name',
          `${prefix}-c${i}`,
          image,
          '/bin/busybox',
          'dd',
          'if=/dev/zero',
          'of=/blob',
          'bs=65536',
          'count=4',
        ]);
      const jobs = [
        ...Array.from({ length: containers - 4 }, (_, i) => ['create', '--name', `${prefix}-c${i + 4}`, image]),
        ...Array.from({ length: volumes }, (_, i) => ['volume', 'create', `${prefix}-v${i}`]),
      ];
      for (let i = 0; i < jobs.length; i += 4) await Promise.all(jobs.slice(i, i + 4).map((args) => daemon.docker(args)));
    }

    /** Container names, volume names and image tags the daemon has now. */
    async function present(): Promise<Set<string>> {
      const names = [
        ...(await daemon.docker(['ps', '-a', '--format', '{{.Names}}'])).split('\n'),
        ...(await daemon.docker(['volume', 'ls', '-q'])).split('\n'),
        ...(await daemon.docker(['images', '--format', '{{.Repository}}:{{.Tag}}'])).split('\n'),
      ];
      return new Set(names.filter(Boolean));
    }

    /** Previews with the form as it is and returns the plan's rows: id and name of each object to remove. */
    async function preview(): Promise<{ id: string; name: string }[]> {
      await page.getByRole('button', { name: 'Preview' }).click();
      const plan = page.getByTestId('prune-plan');
      await plan.waitFor({ timeout: 90_000 });
      return listedRemovals(page);
    }

    /**
     * Applies the previewed plan and brings `fault` on the daemon once `after` objects are done; returns the partial
     * result as the UI shows it: the banner, and each object's fate from the not-removed table.
     */
    async function pruneWithFault(rows: { id: string; name: string }[], after: number, fault: (pid: number) => void) {
      const pid = pidIn(daemon.pidfile)!;
      const struck = events.next('prune.progress', (p) => p.phase === 'removing' && p.done >= after).then(() => fault(pid));
      await page
        .getByTestId('prune-plan')
        .getByRole('button', { name: new RegExp(`^Remove ${rows.length} objects$`) })
        .click();
      await page
        .getByTestId('prune-confirm')
        .getByRole('button', { name: new RegExp(`^Remove ${rows.length} objects$`) })
        .click();
      await page.getByTestId('prune-progress').waitFor();
      await struck;
      const result = page.getByTestId('prune-result');
      await result.waitFor({ timeout: 120_000 });
      assert.equal(await result.getAttribute('data-complete'), 'false');
      assert.equal(await page.getByTestId('prune-progress').count(), 0, 'the progress bar is gone');
      assert.equal(await page.getByRole('progressbar').count(), 0);
      const fates = new Map(
        await result
          .locator('tr[data-object-id]:not([data-status="removed"])')
          .evaluateAll((trs) =>
            trs.map(
              (tr) =>
                [
                  tr.getAttribute('data-object-id') ?? '',
                  `${tr.getAttribute('data-status')}: ${tr.lastElementChild?.textContent ?? ''}`,
                ] as [string, string],
            ),
          ),
      );
      const removed = rows.filter((r) => !fates.has(r.id)).map((r) => r.name);
      const maybe = rows.filter((r) => /^unconfirmed: .*may or may not be gone/.test(fates.get(r.id) ?? '')).map((r) => r.name);
      const kept = rows.filter((r) => fates.has(r.id) && !maybe.includes(r.name)).map((r) => r.name);
      const banner = result.getByRole('alert');
      const text = await banner.innerText();
      assert.match(text, new RegExp(`The prune stopped part-way: ${removed.length} of ${rows.length} objects removed`));
      assert.ok(removed.length >= after && removed.length < rows.length, `stopped part-way: ${removed.length} of ${rows.length}`);
      // Measured it cannot be: the daemon is gone. An estimate from the plan, said to be one.
      assert.match(
        text,
        /About [\d.]+ (B|KiB|MiB) freed by what was removed: an estimate from the plan|held no data the plan could count \(0 B\)/,
      );
      assert.match(text, /the daemon could not be asked to measure it/);
      assert.match(text, new RegExp(`${kept.length} objects? not removed (is|are) still there`));
      assert.match(text, /Then Preview again/);
      assert.match(
        await result.getByRole('heading', { level: 2 }).first().innerText(),
        /^Stopped part-way: freed about [\d.]+ (B|KiB|MiB)$/,
      );
      return { result, banner, text, removed, maybe, kept };
    }

    /** After the daemon is back: what the UI said was removed is gone, what it said is still there is there. */
    async function assertFates(removed: string[], kept: string[]): Promise<void> {
      const now = await present();
      assert.deepEqual(
        removed.filter((n) => now.has(n)),
        [],
        'reported removed, still there',
      );
      assert.deepEqual(
        kept.filter((n) => !now.has(n)),
        [],
        'reported still there, gone',
      );
    }

    /** Re-plans: the new plan holds exactly the junk that is still there, none of what went. */
    async function assertReplan(prefix: string, removed: string[]): Promise<void> {
      const now = await present();
      const names = (await preview()).map((r) => r.name).filter((n) => n.startsWith(`${prefix}-`));
      assert.deepEqual(new Set(names), new Set([...now].filter((n) => n.startsWith(`${prefix}-`))));
      assert.deepEqual(
        names.filter((n) => removed.includes(n)),
        [],
      );
    }

    test('prune: the daemon is killed part-way: a partial result says how far it got and what to do; once it is back, exactly that is true, and re-planning works', async () => {
      await createJunk('junk', 30, 10);
      await page.goto(`${served.origin}/#/disk`);
      await page.locator('.usage-table').waitFor({ timeout: 60_000 });
      await page.getByLabel('Volumes', { exact: true }).selectOption('all');
      const rows = await preview();
      assert.ok(rows.filter((r) => r.name.startsWith('junk-')).length === 40, `the plan takes the 40 junk objects: ${rows.length} rows`);

      const { text, removed, maybe, kept } = await pruneWithFault(rows, 3, (pid) => process.kill(pid, 'SIGKILL'));
      assert.match(text, /The Docker daemon stopped answering: it was stopped or it crashed/);
      assert.match(text, /Start the daemon: sudo systemctl start docker/);
      await screenshot(page, `fault-prune-killed-${engine}`, { fullPage: true });
      assert.deepEqual(await axeViolations(page), [], 'partial prune (killed)');
      assert.equal(await page.getByRole('alert').count(), 1, 'one banner: the usage reload that failed does not add or replace one');

      await startByHand();
      await assertFates(removed, kept);
      console.log(`mid-prune kill: removed ${removed.length} of ${rows.length}, in flight ${maybe.length}, still there ${kept.length}`);
      await assertReplan('junk', removed);
    });

    test('prune: the daemon hangs (SIGSTOP) part-way: the app times out with a clear message instead of waiting forever; after SIGCONT the rest is still there', async () => {
      const settings = await callApi<Settings>(page, 'settings.set', { timeoutMs: 2000 });
      assert.equal(settings.timeoutMs, 2000);
      let stopped: number | null = null;
      try {
        await createJunk('hung', 20, 0);
        await page.goto(`${served.origin}/#/disk`);
        await page.locator('.usage-table').waitFor({ timeout: 60_000 });
        const rows = await preview();
        const { text, removed, maybe, kept } = await pruneWithFault(rows, 3, (pid) => {
          stopped = pid;
          process.kill(pid, 'SIGSTOP');
        });
        assert.match(text, /The Docker daemon stopped answering in time: it may be hung/);
        assert.match(text, /sudo systemctl status docker/);
        await page.getByTestId('prune-result').getByRole('alert').getByText('Details').click();
        assert.match(await page.getByTestId('prune-result').locator('.banner-detail').innerText(), /did not answer within \d+ s/);
        await screenshot(page, `fault-prune-hung-${engine}`, { fullPage: true });
        assert.deepEqual(await axeViolations(page), [], 'partial prune (hung)');

        process.kill(stopped!, 'SIGCONT');
        stopped = null;
        await until(() => ping(daemon.socket), { what: 'the daemon answers after SIGCONT' });
        await assertFates(removed, kept);
        console.log(`mid-prune hang: removed ${removed.length} of ${rows.length}, in flight ${maybe.length}, still there ${kept.length}`);
        await assertReplan('hung', removed);
      } finally {
        if (stopped) process.kill(stopped, 'SIGCONT');
        await callApi(page, 'settings.set', { timeoutMs: 10_000 });
      }
    });
  },
  ENGINES,
  { oneAtATime: true },
);

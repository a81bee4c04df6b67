// What a fix's daemon restart does to the running containers, told before the click and shown after it: Chromium on
// the real `dockhand serve` against a private dockerd with running containers with and without restart policies. The
// Fix dialog and History's Undo list the containers that will stop, which come back by themselves and which stay
// down; after the work each container's state is listed, and the ones the restart left down run again, unless "start
// them again" was unchecked. The restarted daemon is held at a gate so the progress is looked at while it waits.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { after, before } from 'node:test';
import type { Browser, Locator, Page } from 'playwright-core';
import { DEFAULT_ENGINE, forEachEngine, importBusybox, type PrivateDockerd, runningDockerd } from '../test/support/dockerd';
import { axeViolations, screenshot } from './support/artifacts';
import { openApp, openFixDialog } from './support/app-page';
import { type Served, startServe } from './support/serve';

/** No log rotation: daemon.log-rotation fails, and its fix edits this file and restarts the daemon. */
const ORIGINAL = '{\n    "debug": false\n}\n';
/** The containers, by restart policy: what a daemon stop does to each (main/fix/restart-engines.test.ts, every engine). */
const CONTAINERS: Record<string, { flags: string[]; fate: string }> = {
  web: { flags: ['--restart', 'always'], fate: 'restarts-by-policy' },
  worker: { flags: ['--restart', 'unless-stopped'], fate: 'restarts-by-policy' },
  db: { flags: [], fate: 'stays-down' },
  // Its sleep is killed at the stop timeout (exit 137): an error, so on-failure brings it back.
  job: { flags: ['--restart', 'on-failure'], fate: 'restarts-if-failed' },
};
const TITLE = 'Rotate container logs (max-size 10m, max-file 3)';

async function runningNames(daemon: PrivateDockerd): Promise<string[]> {
  return (await daemon.docker(['ps', '--format', '{{.Names}}'])).split('\n').filter(Boolean).sort();
}

/** Each row's data attribute `attr`, by container name. */
async function rows(table: Locator, attr: string): Promise<Record<string, string | null>> {
  const found = await table
    .locator('tbody tr')
    .evaluateAll((trs, a) => trs.map((tr) => [tr.getAttribute('data-container'), tr.getAttribute(a)]), attr);
  return Object.fromEntries(found);
}

/** The elements inside `root` that scroll (content taller than the box, with overflow auto or scroll). */
function scrollers(root: Locator): Promise<string[]> {
  return root.evaluate((el) =>
    [el, ...el.querySelectorAll('*')]
      .filter((e) => e.scrollHeight > e.clientHeight + 1 && /auto|scroll/.test(getComputedStyle(e).overflowY))
      .map((e) => `${e.tagName.toLowerCase()}.${[...e.classList].join('.')}`),
  );
}

forEachEngine(
  'the restart impact before Apply and Undo, and the containers after them, in the app',
  (engine, test) => {
    let daemon: PrivateDockerd;
    let served: Served;
    let browser: Browser;
    let page: Page;
    let gate: string;

    before(async () => {
      daemon = await runningDockerd({ engine, daemonJson: ORIGINAL });
      const image = await importBusybox(daemon);
      // The busybox sleep ignores SIGTERM as pid 1: a short stop timeout keeps each daemon stop to a second or two.
      for (const [name, { flags }] of Object.entries(CONTAINERS))
        await daemon.docker(['run', '-d', '--name', name, '--stop-timeout', '1', ...flags, image]);
      // The daemon starts again only once `gate` exists: the test looks at the progress while Dockhand waits for it.
      gate = path.join(daemon.dir, 'gate');
      await fs.writeFile(gate, '');
      const record = JSON.parse(await fs.readFile(await daemon.controllerRecord(), 'utf8')) as { argv: string[] };
      const gated = path.join(daemon.dir, 'controller-gated.json');
      await fs.writeFile(
        gated,
        JSON.stringify({ ...record, argv: ['sh', '-c', `while [ ! -e ${gate} ]; do sleep 0.1; done; exec "$@"`, 'gate', ...record.argv] }),
      );
      served = await startServe(['-H', daemon.host], {
        env: { DOCKHAND_DAEMON_CONTROLLER: `process:${gated}`, DOCKHAND_STATE_DIR: path.join(daemon.dir, 'state') },
      });
      ({ browser, page } = await openApp(served.url, { width: 1440, height: 900 }));
    });
    after(async () => {
      await browser?.close();
      await served?.stop();
      await fs.writeFile(gate, '').catch(() => undefined);
      await daemon?.stop();
    });

    test('the Fix dialog names the running containers that stop, which come back and which stay down; one scroll area with the diff in view at 1440×900 and 1024×700', async () => {
      const { dialog, preview } = await openFixDialog(page, served.origin, 'daemon.log-rotation');
      const impact = preview.getByTestId('restart-impact');
      assert.match(
        await preview.innerText(),
        /With live-restore off, all 4 running containers stop when the daemon restarts: 2 come back by themselves \(restart policy always or unless-stopped\), 1 comes back only if stopping it makes it exit with an error \(restart policy on-failure\), 1 stays down unless started again\./,
      );
      assert.deepEqual(await rows(impact, 'data-fate'), Object.fromEntries(Object.entries(CONTAINERS).map(([name, c]) => [name, c.fate])));
      assert.equal(await dialog.getByLabel('Start the stopped containers again afterwards').isChecked(), true, 'on by default');
      assert.doesNotMatch(await preview.innerText(), /stop and start again/);

      for (const size of [
        { width: 1440, height: 900 },
        { width: 1024, height: 700 },
      ]) {
        await page.setViewportSize(size);
        const body = dialog.locator('.dialog-body');
        assert.deepEqual(
          await scrollers(dialog),
          (await body.evaluate((e) => e.scrollHeight > e.clientHeight + 1)) ? ['div.dialog-body'] : [],
          `only the dialog's body scrolls at ${size.width}×${size.height}`,
        );
        const [area, diff] = [await body.boundingBox(), await preview.locator('.diff-body').first().boundingBox()];
        assert.ok(
          area && diff && diff.y >= area.y && diff.y + 40 <= area.y + area.height,
          `the diff starts in view at ${size.width}×${size.height}`,
        );
        await screenshot(page, `fix-impact-${size.width}x${size.height}-${engine}`);
      }
      await page.setViewportSize({ width: 1440, height: 900 });
      assert.deepEqual(await axeViolations(page), [], 'fix preview with the restart impact');
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      await dialog.waitFor({ state: 'detached' });
    });

    test('Apply: every step listed from the start, the wait timed while the daemon is held; after it every container runs again, each one listed', async () => {
      const { dialog } = await openFixDialog(page, served.origin, 'daemon.log-rotation');
      await fs.rm(gate);
      await dialog.getByRole('button', { name: /Apply fix/ }).click();
      const progress = dialog.getByTestId('fix-progress');
      await progress.waitFor();
      assert.deepEqual(
        await progress.locator('[data-phase]').evaluateAll((li) => li.map((l) => l.getAttribute('data-phase'))),
        ['backup', 'write', 'restart', 'wait', 'verify', 'containers'],
        'all the steps, from the start',
      );
      // Held at the gate: the restart is done and the wait runs, with its clock.
      const wait = progress.locator('[data-phase="wait"][data-status="running"]');
      await wait.waitFor({ timeout: 60_000 });
      await wait.locator('.phase-clock').waitFor();
      assert.deepEqual(
        await progress
          .locator('[data-phase]')
          .evaluateAll((li) => li.map((l) => `${l.getAttribute('data-phase')}:${l.getAttribute('data-status')}`)),
        ['backup:done', 'write:done', 'restart:done', 'wait:running', 'verify:pending', 'containers:pending'],
      );
      assert.equal(await progress.locator('details.work-commands').count(), 1, 'the commands once, in one detail');
      assert.equal(await progress.locator('details.work-commands').getAttribute('open'), null, 'closed until asked');
      assert.equal(
        await progress.locator('.phase-detail').filter({ hasText: daemon.args[0]! }).count(),
        0,
        'no step repeats the command line',
      );
      await screenshot(page, `fix-progress-waiting-${engine}`);
      assert.deepEqual(await axeViolations(page), [], 'apply progress');
      await fs.writeFile(gate, '');

      const outcome = dialog.getByTestId('fix-outcome');
      await outcome.waitFor({ timeout: 180_000 });
      assert.equal(await outcome.getAttribute('data-outcome'), 'applied', await outcome.innerText());
      assert.equal(await dialog.getByRole('heading', { level: 2 }).innerText(), 'Fixed and verified');
      const after = outcome.getByTestId('containers-after');
      assert.match(await after.innerText(), /All 4 containers that were running before run again\./);
      assert.deepEqual(await rows(after, 'data-state'), { web: 'running', worker: 'running', db: 'running', job: 'running' });
      assert.match(await after.locator('tr', { hasText: 'db' }).innerText(), /started again by Dockhand/);
      assert.match(await after.locator('tr', { hasText: 'web' }).innerText(), /started again by the daemon \(restart policy\)/);
      assert.deepEqual(await runningNames(daemon), Object.keys(CONTAINERS).sort(), 'the engine agrees: all four run');
      await screenshot(page, `fix-outcome-containers-${engine}`);
      assert.deepEqual(await axeViolations(page), [], 'fix outcome with the containers');
      await dialog.getByRole('button', { name: 'Close' }).last().click();
      await dialog.waitFor({ state: 'detached' });
    });

    test('Undo asks first with the same impact and names the fix; its progress is headed by the fix title; the containers run again after it', async () => {
      await page.keyboard.press('Control+3');
      await page.getByRole('heading', { name: 'History', level: 1 }).waitFor();
      const row = page.locator('.history-table tbody tr').first();
      await row.getByRole('button', { name: /^Undo / }).click();
      const confirm = page.getByTestId('undo-confirm');
      await confirm.getByTestId('restart-impact').waitFor({ timeout: 90_000 });
      assert.equal(await confirm.getByRole('heading').innerText(), `Undo: ${TITLE}`);
      assert.match(await confirm.innerText(), /1 stays down unless started again/);
      assert.deepEqual(
        await rows(confirm.getByTestId('restart-impact'), 'data-fate'),
        Object.fromEntries(Object.entries(CONTAINERS).map(([name, c]) => [name, c.fate])),
      );
      assert.equal(await confirm.getByLabel('Start the stopped containers again afterwards').isChecked(), true);
      assert.equal(
        await fs.readFile(daemon.configPath, 'utf8').then((t) => t === ORIGINAL),
        false,
        'nothing undone before the confirmation',
      );
      await screenshot(page, `history-undo-confirm-${engine}`, { fullPage: true });
      assert.deepEqual(await axeViolations(page), [], 'undo confirmation');

      await fs.rm(gate);
      await confirm.getByRole('button', { name: 'Undo fix' }).click();
      const progress = page.getByTestId('undo-progress');
      await progress.locator('[data-phase="wait"][data-status="running"]').waitFor({ timeout: 60_000 });
      assert.equal(await progress.getByRole('heading').innerText(), `Undoing: ${TITLE}`);
      assert.doesNotMatch(await progress.innerText(), /\d{8}T\d{6}Z-[0-9a-f]{6}/, 'not the journal id');
      await screenshot(page, `history-undo-progress-${engine}`, { fullPage: true });
      await fs.writeFile(gate, '');
      const result = page.getByTestId('undo-result');
      await result.waitFor({ timeout: 180_000 });
      assert.match(await result.getByRole('heading').first().innerText(), /^Undone$/);
      assert.deepEqual(await rows(result.getByTestId('containers-after'), 'data-state'), {
        web: 'running',
        worker: 'running',
        db: 'running',
        job: 'running',
      });
      assert.equal(await fs.readFile(daemon.configPath, 'utf8'), ORIGINAL);
      assert.deepEqual(await runningNames(daemon), Object.keys(CONTAINERS).sort());
    });

    test('"start them again" unchecked: the container without a policy stays down, and the outcome says so', async () => {
      const { dialog } = await openFixDialog(page, served.origin, 'daemon.log-rotation');
      await dialog.getByLabel('Start the stopped containers again afterwards').uncheck();
      await dialog.getByRole('button', { name: /Apply fix/ }).click();
      const outcome = dialog.getByTestId('fix-outcome');
      await outcome.waitFor({ timeout: 180_000 });
      assert.equal(await outcome.getAttribute('data-outcome'), 'applied', await outcome.innerText());
      assert.equal(await dialog.getByRole('heading', { level: 2 }).innerText(), 'Fixed and verified; 1 container is down');
      const after = outcome.getByTestId('containers-after');
      assert.equal(await after.getAttribute('data-down'), '1');
      assert.match(await after.innerText(), /1 container that was running before is down now: db \(not started again, as chosen\)\./);
      assert.deepEqual(await rows(after, 'data-state'), { web: 'running', worker: 'running', db: 'exited', job: 'running' });
      assert.match(await after.locator('tr', { hasText: 'db' }).innerText(), /left stopped, as chosen/);
      assert.match(await after.locator('tr', { hasText: 'job' }).innerText(), /started again by the daemon \(restart policy\)/);
      assert.deepEqual(await runningNames(daemon), ['job', 'web', 'worker'], 'the engine agrees: db stays down');
      await screenshot(page, `fix-outcome-left-down-${engine}`);
      assert.deepEqual(await axeViolations(page), [], 'fix outcome with containers down');
    });
  },
  [DEFAULT_ENGINE],
  { oneAtATime: true },
);

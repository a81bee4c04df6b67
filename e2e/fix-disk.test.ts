// The Fix flow, History and Disk screens end to end: Debian's Chromium driving the real `dockhand serve`, which fixes
// and prunes a private dockerd (restarted through the process controller, as a hand-started daemon would be).
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { after, before } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { formatBytes } from '../shared/format';
import type { PrunePlan } from '../shared/prune';
import { dockhand } from '../test/support/cli';
import {
  DEFAULT_ENGINE,
  ENGINES,
  type EngineTest,
  forEachEngine,
  importBusybox,
  type PrivateDockerd,
  runningDockerd,
} from '../test/support/dockerd';
import { lastReport } from './support/api';
import { axeViolations, screenshot } from './support/artifacts';
import { openApp } from './support/app-page';
import { type Served, startServe } from './support/serve';

/** No log rotation: daemon.log-rotation fails, and its fix edits this file and restarts the daemon. */
const ORIGINAL = '{\n    "debug": false,\n    "insecure-registries": ["10.0.0.5:5000"]\n}\n';
const pidOf = async (d: PrivateDockerd) => Number((await fs.readFile(d.pidfile, 'utf8')).trim());

/** Presses Tab until the focused element's text or label matches, as a keyboard user would; fails if it never does. */
async function tabTo(page: Page, name: RegExp, max = 60): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const label = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      return `${el?.getAttribute('aria-label') ?? ''} ${el?.innerText ?? ''}`.trim();
    });
    if (name.test(label)) return;
  }
  throw new Error(`Tab never reached ${name}`);
}

/** A rendered diff's lines as they read on screen (markers and text), without the screen-reader-only labels. */
function diffText(diff: import('playwright-core').Locator): Promise<string> {
  return diff.locator('.diff-line').evaluateAll((lines) =>
    lines
      .map((l) =>
        [...l.childNodes]
          .filter((n) => !(n instanceof HTMLElement && n.classList.contains('visually-hidden')))
          .map((n) => n.textContent)
          .join('')
          .replace(/\n$/, ''),
      )
      .join('\n'),
  );
}

/** The usage table's figures as the screen shows them, row by row. */
function diskFigures(
  page: Page,
  scope: string,
): Promise<{ kind: string; count: string; active: string; bytes: string; reclaimable: string }[]> {
  return page.locator(`${scope} .usage-table tbody tr`).evaluateAll((rows) =>
    // No named function inside: the test's compiler would wrap it in a helper the page does not have (__name).
    rows.map((tr) => {
      const [count, active, bytes, reclaimable] = ['count', 'active', 'bytes', 'reclaimable'].map(
        (name) => tr.querySelector(`[data-figure="${name}"]`)?.textContent ?? '',
      );
      return { kind: tr.getAttribute('data-kind') ?? '', count: count!, active: active!, bytes: bytes!, reclaimable: reclaimable! };
    }),
  );
}

/** The plan's total as the app writes it. */

async function noSidewaysScroll(page: Page, what: string): Promise<void> {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `${what} scrolls sideways by ${overflow}px`);
}

forEachEngine(
  'fix, history and disk in the app, against a real dockerd',
  (engine, test) => {
    // A test of screen layout only, the same whatever the engine, runs on the default engine alone.
    const onDefaultEngine: EngineTest = engine === DEFAULT_ENGINE ? test : () => undefined;
    let daemon: PrivateDockerd;
    let served: Served;
    let browser: Browser;
    let context: BrowserContext;
    let page: Page;
    let state: string;

    before(async () => {
      daemon = await runningDockerd({ engine, daemonJson: ORIGINAL });
      const image = await importBusybox(daemon);
      // A stopped container with 4 MiB in its writable layer, an unused image made from it, an unused network: what a
      // default cleanup removes. A running container and a named volume: what it keeps.
      await daemon.docker(['run', '--name', 'writer', image, '/bin/busybox', 'dd', 'if=/dev/zero', 'of=/blob', 'bs=1048576', 'count=4']);
      await daemon.docker(['commit', 'writer', 'dockhand-test/fat:1']);
      await daemon.docker(['run', '-d', '--name', 'keeper', image]);
      await daemon.docker(['network', 'create', 'scratch']);
      await daemon.docker(['volume', 'create', 'data']);
      state = path.join(daemon.dir, 'state');
      served = await startServe(['-H', daemon.host], {
        env: { DOCKHAND_DAEMON_CONTROLLER: `process:${await daemon.controllerRecord()}`, DOCKHAND_STATE_DIR: state },
      });
      ({ browser, context, page } = await openApp(served.url));
    });
    after(async () => {
      await browser?.close();
      await served?.stop();
      await daemon?.stop();
    });

    test('disk: usage by type as a chart and a table; the preview lists exactly the engine plan; apply frees the bytes and the objects are gone', async () => {
      await page.keyboard.press('Control+4');
      await page.getByRole('heading', { name: 'Disk', level: 1 }).waitFor();
      const usage = page.locator('.usage-table');
      await usage.waitFor({ timeout: 60_000 });
      const rows = await usage.locator('tbody th').allInnerTexts();
      assert.deepEqual(rows, ['Images', 'Containers', 'Volumes', 'Build cache', 'Container logs']);
      assert.match(
        await usage.locator('tbody tr', { hasText: 'Containers' }).innerText(),
        /Containers\s+2\s+1\s+4\.\d MiB\s+4\.\d MiB/,
        'the stopped writer is reclaimable',
      );

      // The engine's own plan, from the CLI, with the same (default) options.
      const cli = await dockhand(['prune', 'plan', '--format', 'json', '-H', daemon.host]);
      assert.equal(cli.code, 0, cli.stderr);
      const enginePlan = JSON.parse(cli.stdout) as PrunePlan;
      assert.deepEqual(new Set(enginePlan.remove.map((r) => r.name)), new Set(['writer', 'dockhand-test/fat:1', 'scratch']));

      // Keyboard only: Tab to Preview, Enter.
      await page.getByLabel('Only older than').focus();
      await tabTo(page, /^Preview$/);
      await page.keyboard.press('Enter');
      const plan = page.getByTestId('prune-plan');
      await plan.waitFor({ timeout: 60_000 });
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'plan-title', 'focus moves to the preview');
      const removeTable = plan.getByTestId('prune-remove');
      const listed = await removeTable
        .locator('[role="row"][data-object-id]')
        .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-object-id')));
      assert.deepEqual(
        listed,
        enginePlan.remove.map((r) => r.id),
        'the preview lists exactly the engine plan, in its order',
      );
      const kept = await plan.getByTestId('prune-keep').innerText();
      assert.match(kept, /keeper[\s\S]*running/);
      assert.match(await removeTable.innerText(), /writer[\s\S]*exited container/);
      await screenshot(page, `disk-preview-light-${engine}`, { fullPage: true });
      assert.deepEqual(await axeViolations(page), [], 'disk preview (light)');
      // The default preview and the usage on screen come from one snapshot: the same bytes by type.
      const previewed = await plan
        .getByTestId('prune-plan-bytes')
        .locator('[data-kind]')
        .evaluateAll((spans) =>
          Object.fromEntries(spans.map((s) => [s.getAttribute('data-kind'), s.querySelector('[data-figure]')?.textContent])),
        );
      const reclaimable = Object.fromEntries((await diskFigures(page, '[data-testid="disk-usage"]')).map((r) => [r.kind, r.reclaimable]));
      assert.deepEqual(previewed, reclaimable, 'the preview frees what the usage calls reclaimable, type by type');

      // Apply asks first: the count, the bytes, and that no volume (no data) goes; the button that removes is red.
      await plan.getByRole('button', { name: /^Remove 3 objects$/ }).click();
      const confirm = page.getByTestId('prune-confirm');
      await confirm.waitFor();
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'confirm-title', 'focus moves to the question');
      const question = await confirm.getByRole('heading').innerText();
      assert.equal(question, `Remove 3 objects and free ${formatBytes(enginePlan.predicted.total)}?`);
      assert.match(
        await confirm.innerText(),
        /1 container, 1 image, 1 network will be removed from the Docker host\. This cannot be undone\./,
      );
      assert.match(await confirm.innerText(), /No volume is removed: the data in volumes stays\./);
      const red = confirm.getByRole('button', { name: /^Remove 3 objects$/ });
      assert.equal(
        await red.evaluate((b) => getComputedStyle(b).backgroundColor),
        await page.evaluate(() => {
          const probe = document.createElement('span');
          probe.style.color = 'var(--critical)';
          document.body.append(probe);
          const colour = getComputedStyle(probe).color;
          probe.remove();
          return colour;
        }),
        'the removing button is red',
      );
      await screenshot(page, `disk-confirm-light-${engine}`, { fullPage: true });
      assert.deepEqual(await axeViolations(page), [], 'disk confirm (light)');
      await red.click();
      const result = page.getByTestId('prune-result');
      await result.waitFor({ timeout: 120_000 });
      // Every planned object with its outcome.
      const outcomes = await result
        .getByTestId('prune-outcomes')
        .locator('tr[data-object-id]')
        .evaluateAll((rows) => rows.map((r) => [r.getAttribute('data-object-id'), r.getAttribute('data-status')]));
      assert.deepEqual(
        outcomes,
        enginePlan.remove.map((r) => [r.id, 'removed']),
      );
      assert.match(await result.getByTestId('prune-outcomes').innerText(), /writer[\s\S]*Removed/);
      const heading = await result.getByRole('heading', { level: 2 }).innerText();
      const m = /^Freed ([\d.]+) (MiB|KiB|GiB|B)$/.exec(heading);
      assert.ok(m, heading);
      assert.ok(m[2] === 'MiB' && Number(m[1]) >= 4, `at least the 4 MiB written: ${heading}`);
      assert.match(await result.innerText(), /Removed 3 objects/);
      await screenshot(page, `disk-result-light-${engine}`, { fullPage: true });

      assert.equal(await daemon.docker(['ps', '-a', '--filter', 'name=^/writer$', '--format', '{{.Names}}']), '', 'the container is gone');
      assert.equal(await daemon.docker(['images', '-q', 'dockhand-test/fat:1']), '', 'the image is gone');
      assert.equal(await daemon.docker(['network', 'ls', '-q', '--filter', 'name=^scratch$']), '', 'the network is gone');
      assert.equal(
        await daemon.docker(['ps', '--filter', 'name=^/keeper$', '--format', '{{.Names}}']),
        'keeper',
        'the running container stays',
      );
      assert.equal(await daemon.docker(['volume', 'ls', '-q', '--filter', 'name=^data$']), 'data', 'volumes stay unless asked for');

      // The picture after the prune (published by the prune itself): Disk and Overview read the same figures.
      await page.waitForFunction(
        () => document.querySelector('[data-testid="disk-usage"] tr[data-kind="containers"] [data-figure="count"]')?.textContent === '1',
        null,
        { timeout: 60_000 },
      );
      const onDisk = await diskFigures(page, '[data-testid="disk-usage"]');
      const measuredAt = await page.locator('[data-testid="disk-usage"] .usage-table').getAttribute('data-collected-at');
      assert.deepEqual(
        onDisk.find((r) => r.kind === 'containers'),
        { kind: 'containers', count: '1', active: '1', bytes: onDisk.find((r) => r.kind === 'containers')!.bytes, reclaimable: '0 B' },
        'the writer is gone: nothing of the containers is reclaimable',
      );
      await page.keyboard.press('Control+1');
      const overview = page.getByTestId('overview-disk');
      await overview.waitFor();
      assert.equal(await overview.locator('.usage-table').getAttribute('data-collected-at'), measuredAt, 'the same measurement');
      assert.deepEqual(await diskFigures(page, '[data-testid="overview-disk"]'), onDisk, 'Overview shows the figures Disk shows');
      await screenshot(page, `overview-after-prune-light-${engine}`, { fullPage: true });
      await page.keyboard.press('Control+4');
      await page.getByRole('heading', { name: 'Disk', level: 1 }).waitFor();
    });

    test('fix: preview shows the exact diff, restart and verification; Apply restarts the daemon, and the finding passes', async () => {
      await page.goto(`${served.origin}/#/findings`);
      await page.getByLabel('Search findings').fill('daemon.log-rotation');
      await page.locator('[role="treeitem"][data-finding-id="daemon.log-rotation"]').click();
      const detail = page.getByTestId('finding-detail');
      await detail.getByRole('button', { name: 'Fix…' }).focus();
      await page.keyboard.press('Enter');
      const dialog = page.getByRole('dialog');
      const preview = dialog.getByTestId('fix-preview');
      await preview.waitFor({ timeout: 60_000 });
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'fix-dialog-title', 'focus moves into the dialog');
      const diff = await diffText(preview.locator('.diff-body'));
      assert.match(diff, /\+ {4}"log-opts": \{\n\+ {8}"max-size": "10m",\n\+ {8}"max-file": "3"\n\+ {4}\}/);
      assert.match(diff, /− {4}"insecure-registries": \["10\.0\.0\.5:5000"\]\n\+ {4}"insecure-registries": \["10\.0\.0\.5:5000"\],/);
      assert.ok((await preview.locator('figcaption').innerText()).includes(daemon.configPath));
      const text = await preview.innerText();
      assert.match(text, /Restarts the Docker daemon/);
      assert.match(text, /No password needed/);
      assert.match(text, /dockerd/, 'the restart command is listed');
      assert.match(text, /audits again: daemon\.log-rotation must pass/);
      await screenshot(page, `fix-preview-light-${engine}`);
      assert.deepEqual(await axeViolations(page), [], 'fix preview (light)');
      await page.emulateMedia({ colorScheme: 'dark' });
      await screenshot(page, `fix-preview-dark-${engine}`);
      assert.deepEqual(await axeViolations(page), [], 'fix preview (dark)');
      await page.emulateMedia({ colorScheme: 'light' });

      const pidBefore = await pidOf(daemon);
      await tabTo(page, /Apply fix/);
      await page.keyboard.press('Enter');
      await dialog.getByTestId('fix-progress').waitFor();
      const outcome = dialog.getByTestId('fix-outcome');
      await outcome.waitFor({ timeout: 180_000 });
      assert.equal(await outcome.getAttribute('data-outcome'), 'applied', await outcome.innerText());
      assert.match(await outcome.innerText(), /was fail before and is pass now/);
      assert.notEqual(await pidOf(daemon), pidBefore, 'the daemon was restarted');
      await screenshot(page, `fix-outcome-light-${engine}`);
      assert.match(await fs.readFile(daemon.configPath, 'utf8'), /"max-size": "10m"/);

      await dialog.getByRole('button', { name: 'Close' }).last().click();
      await dialog.waitFor({ state: 'detached' });
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'detail-title', 'focus returns to the finding');
      // The report refreshes after the fix: the finding passes there too.
      await page.getByRole('button', { name: 'Re-run audit' }).first().waitFor();
      await page.waitForFunction(() => !document.querySelector('.topbar button[disabled]'), undefined, { timeout: 90_000 });
      const report = await lastReport(page);
      assert.equal(report.findings.find((f) => f.checkId === 'daemon.log-rotation')?.result.status, 'pass');
    });

    test('history: the fix is listed; an undo refused over a hand edit shows both diffs; Undo anyway restores the original bytes', async () => {
      await page.keyboard.press('Control+3');
      await page.getByRole('heading', { name: 'History', level: 1 }).waitFor();
      const row = page.locator('.history-table tbody tr').first();
      await row.waitFor();
      assert.match(await row.innerText(), /Applied[\s\S]*daemon\.log-rotation[\s\S]*(just now|seconds? ago|minutes? ago)/);
      await screenshot(page, `history-light-${engine}`);
      assert.deepEqual(await axeViolations(page), [], 'history (light)');

      // Someone edits the file by hand after the fix.
      const fixed = await fs.readFile(daemon.configPath, 'utf8');
      await fs.writeFile(daemon.configPath, fixed.replace('"debug": false', '"debug": true'));
      await row.getByRole('button', { name: /^Undo / }).focus();
      await page.keyboard.press('Enter');
      // Undo asks first (what its restart stops), as Apply does.
      await page.getByTestId('undo-confirm').getByRole('button', { name: 'Undo fix' }).click({ timeout: 90_000 });
      const undo = page.getByTestId('undo-result');
      await undo.waitFor({ timeout: 60_000 });
      assert.match(await undo.getByRole('heading').first().innerText(), /Not undone: the files were edited since the fix/);
      const diffs = [await diffText(undo.locator('.diff-body').nth(0)), await diffText(undo.locator('.diff-body').nth(1))];
      assert.equal(await undo.locator('.diff-body').count(), 2);
      assert.match(diffs[0]!, /\+ {4}"log-opts"/, 'what the fix changed');
      assert.match(diffs[1]!, /− {4}"debug": false,\n\+ {4}"debug": true,/, 'what changed since');
      await screenshot(page, `history-undo-conflict-light-${engine}`, { fullPage: true });
      assert.deepEqual(await axeViolations(page), [], 'history conflict (light)');

      const pidBefore = await pidOf(daemon);
      await undo.getByRole('button', { name: 'Undo anyway' }).click();
      await page.getByRole('heading', { name: 'Undone', exact: true }).waitFor({ timeout: 120_000 });
      assert.equal(await fs.readFile(daemon.configPath, 'utf8'), ORIGINAL, 'the original bytes, exactly');
      assert.notEqual(await pidOf(daemon), pidBefore, 'the daemon was restarted');
      await page.locator('.history-table tbody tr').first().getByText('Undone', { exact: true }).waitFor();
      await screenshot(page, `history-undone-light-${engine}`, { fullPage: true });
    });

    onDefaultEngine(
      'axe: History and Disk in the dark theme; every new screen at 200% zoom reflows without sideways scrolling',
      async () => {
        await page.emulateMedia({ colorScheme: 'dark' });
        for (const [screen, ready] of [
          ['history', '.history-table'],
          ['disk', '.usage-table'],
        ] as const) {
          await page.goto(`${served.origin}/#/${screen}`);
          await page.locator(ready).waitFor({ timeout: 60_000 });
          await screenshot(page, `${screen}-dark-${engine}`, { fullPage: true });
          assert.deepEqual(await axeViolations(page), [], `${screen} (dark)`);
        }
        await page.emulateMedia({ colorScheme: 'light' });

        const zoomed = await browser.newContext({ viewport: { width: 640, height: 430 }, deviceScaleFactor: 2 });
        await zoomed.addCookies(await context.cookies());
        const z = await zoomed.newPage();
        for (const [screen, ready] of [
          ['history', '.history-table'],
          ['disk', '.usage-table'],
        ] as const) {
          await z.goto(`${served.origin}/#/${screen}`);
          await z.locator(ready).waitFor({ timeout: 60_000 });
          await noSidewaysScroll(z, screen);
          await screenshot(z, `${screen}-zoom200-${engine}`);
          assert.deepEqual(await axeViolations(z), [], `${screen} at 200%`);
        }
        await z.goto(`${served.origin}/#/findings`);
        await z.getByLabel('Search findings').fill('daemon.live-restore');
        await z.locator('[role="treeitem"][data-finding-id="daemon.live-restore"]').click();
        await z.getByRole('button', { name: 'Fix…' }).click();
        await z.getByTestId('fix-preview').waitFor({ timeout: 60_000 });
        await noSidewaysScroll(z, 'fix preview');
        await screenshot(z, `fix-preview-zoom200-${engine}`);
        assert.deepEqual(await axeViolations(z), [], 'fix preview at 200%');
        await z.keyboard.press('Escape');
        await z.getByRole('dialog').waitFor({ state: 'detached' });
        await zoomed.close();
      },
    );
  },
  ENGINES,
  { oneAtATime: true },
);

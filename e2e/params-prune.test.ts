// Fix parameters and the prune options end to end: Debian's Chromium driving the real `dockhand serve` against a
// private dockerd; what the app plans is compared with what the CLI plans with the same options, and what it applies
// with what is on disk and in the daemon afterwards.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { after, before } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { FixPlan } from '../shared/fix';
import type { PrunePlan } from '../shared/prune';
import { post } from '../bench/engine-post';
import { mapLimit } from '../main/util/timeout';
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
import { axeViolations, screenshot } from './support/artifacts';
import { openApp, openFixDialog } from './support/app-page';
import { listedRemovals } from './support/prune-grid';
import { type Served, startServe } from './support/serve';

/** No log rotation: daemon.log-rotation fails, and its fix takes max-size and max-file. */
const ORIGINAL = '{\n    "debug": false\n}\n';
/** Enough volumes that the preview can only show them virtualized, few enough to create in seconds. */
const BULK = 300;

async function noSidewaysScroll(page: Page, what: string): Promise<void> {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `${what} scrolls sideways by ${overflow}px`);
}

/** axe in the light and the dark theme, with a screenshot of each. */
async function axeBothThemes(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<void> {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await screenshot(page, `${name}-${scheme}`, options);
    assert.deepEqual(await axeViolations(page), [], `${name} (${scheme})`);
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

/** The preview heading once it reads `expected` and is not being planned again. */
async function previewReads(page: Page, expected: RegExp): Promise<void> {
  const plan = page.getByTestId('prune-plan');
  await plan.getByRole('heading', { name: expected }).waitFor({ timeout: 60_000 });
  await page.waitForFunction(() => document.querySelector('[data-testid="prune-plan"]')?.getAttribute('aria-busy') === 'false', undefined, {
    timeout: 60_000,
  });
}

forEachEngine(
  'fix parameters and prune options in the app, against a real dockerd',
  (engine, test) => {
    // A test of the grid's virtualization only, the same whatever the engine, runs on the default engine alone.
    const onDefaultEngine: EngineTest = engine === DEFAULT_ENGINE ? test : () => undefined;
    let daemon: PrivateDockerd;
    let served: Served;
    let browser: Browser;
    let context: BrowserContext;
    let page: Page;

    before(async () => {
      daemon = await runningDockerd({ engine, daemonJson: ORIGINAL });
      const image = await importBusybox(daemon);
      // A running container and the volume it uses: never removed. Stopped containers labelled for the filter, one of
      // them protected by a label the form names, named volumes, and many labelled volumes for the virtualized list.
      await daemon.docker(['volume', 'create', 'vol-used']);
      await daemon.docker(['run', '-d', '--name', 'runner', '-v', 'vol-used:/data', image]);
      for (const [name, labels] of [
        ['dev-1', ['env=dev']],
        ['dev-2', ['env=dev']],
        ['prod-1', ['env=prod']],
        ['dev-keep', ['env=dev', 'team.keep=true']],
      ] as const) {
        await daemon.docker(['create', '--name', name, ...labels.flatMap((l) => ['--label', l]), image]);
      }
      await daemon.docker(['volume', 'create', '--label', 'env=dev', 'vol-a']);
      await daemon.docker(['volume', 'create', '--label', 'env=dev', 'vol-b']);
      await mapLimit(
        Array.from({ length: BULK }, (_, i) => i),
        8,
        async (i) => {
          const res = await post(daemon.socket, '/volumes/create', { Name: `bulk-${String(i).padStart(3, '0')}`, Labels: { bulk: 'yes' } });
          if (res.status !== 201) throw new Error(`volume create failed: ${JSON.stringify(res.json)}`);
        },
      );
      served = await startServe(['-H', daemon.host], {
        env: {
          DOCKHAND_DAEMON_CONTROLLER: `process:${await daemon.controllerRecord()}`,
          DOCKHAND_STATE_DIR: path.join(daemon.dir, 'state'),
        },
      });
      ({ browser, context, page } = await openApp(served.url, { width: 1280, height: 800 }));
    });
    after(async () => {
      await browser?.close();
      await served?.stop();
      await daemon?.stop();
    });

    test('fix: the parameters show their defaults; a bad one is explained and blocks Apply; a changed one re-plans the diff, and Apply writes it', async () => {
      const { dialog, preview } = await openFixDialog(page, served.origin, 'daemon.log-rotation');
      const maxSize = dialog.getByLabel(/Largest log file/);
      const maxFile = dialog.getByLabel(/Files kept per container/);
      assert.equal(await maxSize.inputValue(), '10m', 'the value the finding gives');
      assert.equal(await maxFile.inputValue(), '3');
      assert.match(await dialog.getByTestId('fix-params').innerText(), /Default: 10m\.[\s\S]*Default: 3\./);
      assert.match(await preview.locator('.diff-body').innerText(), /"max-size": "10m"/);
      const apply = dialog.getByRole('button', { name: 'Apply fix' });

      await maxSize.fill('huge');
      const help = dialog.locator('#fix-param-max-size-help');
      assert.equal(await help.innerText(), 'max-size must look like 10m, 100k or 1g, not huge', 'the same words as the planner and --set');
      assert.equal(await maxSize.getAttribute('aria-invalid'), 'true');
      assert.ok(await apply.isDisabled(), 'a plan for other parameters cannot be applied');
      await axeBothThemes(page, `fix-params-invalid-${engine}`);

      await maxSize.fill('50m');
      await maxFile.fill('5');
      // Planned again after typing stops: the diff now holds the new values.
      await preview.locator('.diff-body', { hasText: '"max-size": "50m"' }).waitFor({ timeout: 60_000 });
      await dialog.locator('[role="status"]', { hasText: 'Planning again' }).waitFor({ state: 'detached', timeout: 60_000 });
      assert.match(await preview.locator('.diff-body').innerText(), /"max-file": "5"/);
      assert.ok(await apply.isEnabled());
      await axeBothThemes(page, `fix-params-replanned-${engine}`);

      // The CLI plans the same file with the same overrides.
      const cli = await dockhand([
        'fix',
        'plan',
        'daemon.log-rotation',
        '--set',
        'max-size=50m',
        '--set',
        'max-file=5',
        '--format',
        'json',
        '-H',
        daemon.host,
      ]);
      assert.equal(cli.code, 0, cli.stderr);
      const cliPlan = JSON.parse(cli.stdout) as FixPlan;

      await apply.click();
      const outcome = dialog.getByTestId('fix-outcome');
      await outcome.waitFor({ timeout: 180_000 });
      assert.equal(await outcome.getAttribute('data-outcome'), 'applied', await outcome.innerText());
      const written = await fs.readFile(daemon.configPath, 'utf8');
      assert.equal(written, cliPlan.files[0]!.after, 'the file holds what the CLI planned with --set max-size=50m --set max-file=5');
      assert.match(written, /"max-size": "50m",\n\s+"max-file": "5"/);
      await dialog.getByRole('button', { name: 'Close' }).last().click();
      await dialog.waitFor({ state: 'detached' });
    });

    test('prune: a label filter, a protection label and a named volume plan exactly what the CLI plans with the same flags, and Apply removes exactly those', async () => {
      await page.goto(`${served.origin}/#/disk`);
      await page.locator('.usage-table').waitFor({ timeout: 60_000 });
      await page.getByRole('button', { name: 'Preview' }).click();
      await previewReads(page, /^Preview: \d+ to remove/);

      // Change the options with the preview open: it follows them.
      await page.getByLabel('Images').selectOption('none');
      await page.getByLabel('Build cache not in use').uncheck();
      await page.getByLabel('Unused networks').uncheck();
      await page.getByLabel('Named volumes to remove').fill('vol-a');
      await page.getByLabel('Protection label').fill('team.keep');
      await page.getByRole('button', { name: 'Add a label filter' }).click();
      await page.getByLabel('Filter 1: label key').fill('env');
      await page.getByLabel('Filter 1: value (empty: any value)').fill('dev');
      await previewReads(page, /^Preview: 3 to remove/);

      const cli = await dockhand([
        'prune',
        'plan',
        '--format',
        'json',
        '-H',
        daemon.host,
        '--containers',
        '--volume',
        'vol-a',
        '--filter',
        'label=env=dev',
        '--protect-label',
        'team.keep',
      ]);
      assert.equal(cli.code, 0, cli.stderr);
      const cliPlan = JSON.parse(cli.stdout) as PrunePlan;
      assert.deepEqual(new Set(cliPlan.remove.map((r) => r.name)), new Set(['dev-1', 'dev-2', 'vol-a']));
      assert.deepEqual(
        (await listedRemovals(page)).map((r) => r.id),
        cliPlan.remove.map((r) => r.id),
        'exactly the CLI plan, in its order',
      );
      const kept = await page.getByTestId('prune-keep').innerText();
      assert.match(kept, /dev-keep[\s\S]*protected[\s\S]*labelled team\.keep=true/);
      assert.match(kept, /prod-1[\s\S]*filtered[\s\S]*label=env=dev/);
      // Reasons name the form's options, not the CLI's flags.
      assert.doesNotMatch(`${kept}\n${await page.getByTestId('prune-plan').innerText()}`, /--[a-z]/, 'no CLI flag in the preview');
      assert.match(kept, /does not match the label filter label=env=dev/);
      await axeBothThemes(page, `disk-prune-options-${engine}`, { fullPage: true });

      // A label key with = in it is explained, and nothing can be previewed until it is corrected.
      await page.getByLabel('Filter 1: label key').fill('env=dev');
      assert.match(await page.locator('#label-error-1').innerText(), /A label key has no = or spaces/);
      assert.ok(await page.getByRole('button', { name: 'Preview' }).isDisabled());
      assert.ok(
        await page.getByRole('button', { name: /^Remove 3 objects$/ }).isDisabled(),
        'a preview for other options cannot be applied',
      );
      await page.getByLabel('Filter 1: label key').fill('env');
      await previewReads(page, /^Preview: 3 to remove/);

      await page.getByRole('button', { name: /^Remove 3 objects$/ }).click();
      // The confirm step says, in words of its own, that a volume goes with its data, and names it.
      const confirm = page.getByTestId('prune-confirm');
      await confirm.waitFor();
      assert.match(await confirm.getByRole('heading').innerText(), /^Remove 3 objects and free .+\?$/);
      const goingVolumes = confirm.getByTestId('prune-confirm-volumes');
      assert.match(await goingVolumes.innerText(), /^1 volume will be deleted with the data in it[\s\S]*gone for good[\s\S]*vol-a$/);
      await axeBothThemes(page, `disk-prune-confirm-volume-${engine}`, { fullPage: true });
      await confirm.getByRole('button', { name: 'Cancel' }).click();
      await previewReads(page, /^Preview: 3 to remove/);
      assert.equal(await daemon.docker(['volume', 'ls', '-q', '--filter', 'name=^vol-a$']), 'vol-a', 'Cancel removes nothing');
      await page.getByRole('button', { name: /^Remove 3 objects$/ }).click();
      await confirm.getByRole('button', { name: /^Remove 3 objects$/ }).click();
      const result = page.getByTestId('prune-result');
      await result.waitFor({ timeout: 120_000 });
      assert.match(await result.innerText(), /Removed 3 objects/);
      const fates = await result
        .getByTestId('prune-outcomes')
        .locator('tr[data-object-id]')
        .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-status')));
      assert.deepEqual(fates, ['removed', 'removed', 'removed'], 'each object with its outcome');
      const names = (await daemon.docker(['ps', '-a', '--format', '{{.Names}}'])).split('\n').sort();
      assert.deepEqual(names, ['dev-keep', 'prod-1', 'runner'], 'the filtered, the protected and the running containers stay');
      const volumes = (await daemon.docker(['volume', 'ls', '-q']))
        .split('\n')
        .filter((v) => !v.startsWith('bulk-'))
        .sort();
      assert.deepEqual(volumes, ['vol-b', 'vol-used'], 'only the named volume went');
    });

    onDefaultEngine(
      `prune: ${BULK} volumes in the preview, virtualized: the grid says how many rows, scrolls, and the keyboard reaches the last one`,
      async () => {
        // A fresh Disk screen (the same address would keep the last test's form).
        await page.goto(`${served.origin}/#/disk`);
        await page.reload();
        await page.locator('.usage-table').waitFor({ timeout: 60_000 });
        await page.getByLabel('Stopped containers').uncheck();
        await page.getByLabel('Images').selectOption('none');
        await page.getByLabel('Build cache not in use').uncheck();
        await page.getByLabel('Unused networks').uncheck();
        await page.getByLabel('Volumes', { exact: true }).selectOption('all');
        await page.getByRole('button', { name: 'Add a label filter' }).click();
        await page.getByLabel('Filter 1: label key').fill('bulk');
        await page.getByRole('button', { name: 'Preview' }).click();
        await previewReads(page, new RegExp(`^Preview: ${BULK} to remove`));

        const grid = page.getByTestId('prune-remove');
        assert.equal(await grid.getAttribute('role'), 'grid');
        assert.equal(await grid.getAttribute('aria-rowcount'), String(BULK + 1), 'the header row and every object, though few are drawn');
        const drawn = await grid.locator('[role="row"][data-object-id]').count();
        assert.ok(drawn > 5 && drawn < 60, `only the rows in view (and a few more) exist: ${drawn}`);
        const cli = await dockhand(['prune', 'plan', '--format', 'json', '-H', daemon.host, '--volumes', 'all', '--filter', 'label=bulk']);
        const ids = (JSON.parse(cli.stdout) as PrunePlan).remove.map((r) => r.id);
        assert.equal(ids.length, BULK);

        // Keyboard: Tab from the Remove button lands on the grid; End goes to the last object, which is drawn and active.
        await page.getByRole('button', { name: `Remove ${BULK} objects` }).focus();
        await page.keyboard.press('Tab');
        assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'prune-remove');
        await page.keyboard.press('End');
        const activeRow = () =>
          page.evaluate(() => {
            const grid = document.activeElement!;
            const cell = document.getElementById(grid.getAttribute('aria-activedescendant') ?? '');
            const row = cell?.closest('[role="row"]') as HTMLElement | null;
            return {
              index: row?.getAttribute('aria-rowindex') ?? null,
              id: row?.dataset.objectId ?? null,
              role: cell?.getAttribute('role') ?? null,
              scrollTop: grid.scrollTop,
            };
          });
        await page.waitForFunction(
          (n) =>
            document.getElementById(document.activeElement?.getAttribute('aria-activedescendant') ?? '') !== null &&
            document.activeElement?.getAttribute('aria-activedescendant')?.includes(`-r${n - 1}-`),
          BULK,
        );
        const last = await activeRow();
        assert.equal(last.index, String(BULK + 1));
        assert.equal(last.id, ids.at(-1), 'the last object of the plan');
        assert.ok(last.scrollTop > 0, 'the grid scrolled to it');
        await page.keyboard.press('ArrowRight');
        assert.equal((await activeRow()).role, 'rowheader', 'Right moves to the name cell');
        await page.keyboard.press('Home');
        await page.keyboard.press('PageDown');
        await page.waitForFunction(() => {
          const active = document.activeElement?.getAttribute('aria-activedescendant') ?? '';
          return active.includes('-r10-') && document.getElementById(active) !== null;
        });
        assert.equal((await activeRow()).id, ids[10], 'PageDown: ten rows on');
        await screenshot(page, `disk-preview-many-light-${engine}`);
        assert.deepEqual(await axeViolations(page), [], 'many-object preview (light)');

        // 200% zoom: the grid stacks its cells instead of scrolling sideways, and still scrolls.
        const zoomed = await browser.newContext({ viewport: { width: 640, height: 400 }, deviceScaleFactor: 2 });
        await zoomed.addCookies(await context.cookies());
        const z = await zoomed.newPage();
        await z.goto(`${served.origin}/#/disk`);
        await z.locator('.usage-table').waitFor({ timeout: 60_000 });
        await z.getByLabel('Stopped containers').uncheck();
        await z.getByLabel('Images').selectOption('none');
        await z.getByLabel('Volumes', { exact: true }).selectOption('all');
        await z.getByRole('button', { name: 'Add a label filter' }).click();
        await z.getByLabel('Filter 1: label key').fill('bulk');
        await screenshot(z, `disk-prune-options-zoom200-${engine}`, { fullPage: true });
        await z.getByRole('button', { name: 'Preview' }).click();
        await previewReads(z, /^Preview: \d+ to remove/);
        await noSidewaysScroll(z, 'disk preview at 200%');
        const zgrid = z.getByTestId('prune-remove');
        await zgrid.scrollIntoViewIfNeeded();
        await zgrid.evaluate((g) => (g.scrollTop = 400));
        await screenshot(z, `disk-preview-many-zoom200-${engine}`);
        assert.deepEqual(await axeViolations(z), [], 'many-object preview at 200%');
        await zoomed.close();
      },
    );

    onDefaultEngine(
      'prune: what the prune itself left unused is listed after it, and "Run again" previews it with the option that removes it',
      async () => {
        // An image only a stopped container uses: a prune of containers alone leaves it unused.
        await daemon.docker(['commit', 'runner', 'spare:1']);
        await daemon.docker(['create', '--name', 'spare-user', 'spare:1']);
        await page.goto(`${served.origin}/#/disk`);
        await page.reload();
        await page.locator('.usage-table').waitFor({ timeout: 60_000 });
        await page.getByLabel('Images').selectOption('none');
        await page.getByLabel('Build cache not in use').uncheck();
        await page.getByLabel('Unused networks').uncheck();
        await page.getByRole('button', { name: 'Preview' }).click();
        await previewReads(page, /^Preview: \d+ to remove/);
        await page.getByRole('button', { name: /^Remove \d+ objects?$/ }).click();
        await page
          .getByTestId('prune-confirm')
          .getByRole('button', { name: /^Remove \d+ objects?$/ })
          .click();
        const next = page.getByTestId('prune-now-reclaimable');
        await next.waitFor({ timeout: 120_000 });
        const text = await next.innerText();
        assert.match(text, /^Reclaimable now: 1 more object, /i, 'the heading (set in capitals by the style)');
        assert.match(text, /Image spare:1: image no container uses[\s\S]*\(kept before: not selected\)/);
        assert.match(text, /with Images: "All unused images" included, a new preview removes them/);
        assert.doesNotMatch(text, /--[a-z]/, 'no CLI flag');
        await next.scrollIntoViewIfNeeded();
        await screenshot(page, `disk-prune-now-reclaimable-${engine}`);

        await next.getByRole('button', { name: 'Run again: preview them' }).click();
        await previewReads(page, /^Preview: 1 to remove/);
        assert.equal(await page.getByLabel('Images').inputValue(), 'unused', 'the form shows the option the second preview adds');
        const spare = await daemon.docker(['image', 'inspect', '--format', '{{.Id}}', 'spare:1']);
        assert.deepEqual(
          (await listedRemovals(page)).map((r) => r.id),
          [spare],
        );
      },
    );
  },
  ENGINES,
  { oneAtATime: true },
);

// A fix that needs root, from the app run by an ordinary user: `dockhand serve` runs as nobody, the UI applies the fix,
// the root helper does the work (through a stand-in sudo that really becomes root) and its steps reach the page as
// they happen; History marks the fix as applied as root and Undo goes back through the helper.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { after, before } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { ENGINES, forEachEngine, type PrivateDockerd, runningDockerd } from '../test/support/dockerd';
import { installRootSudo, NOBODY, type RootSudo } from '../test/support/elevation';
import { axeViolations, screenshot } from './support/artifacts';
import { openApp, openFixDialog } from './support/app-page';
import { type Served, startServe } from './support/serve';

/** Root's file (nobody can read, not write it), without live-restore: daemon.live-restore fails and needs root to fix. */
const ORIGINAL = '{\n    "debug": false\n}\n';

forEachEngine(
  'a fix that needs root, applied and undone from the app by an ordinary user',
  (engine, test) => {
    let daemon: PrivateDockerd;
    let served: Served;
    let browser: Browser;
    let page: Page;
    let sudo: RootSudo;
    let gate: string;
    let rootState: string;

    before(async () => {
      daemon = await runningDockerd({ engine, daemonJson: ORIGINAL });
      // The daemon starts again only once `gate` exists: the apply is held after its restart, so the test can see the
      // steps that came before arrive while the helper is still at work (deterministically, not by timing).
      gate = path.join(daemon.dir, 'gate');
      const record = JSON.parse(await fs.readFile(await daemon.controllerRecord(), 'utf8')) as { argv: string[] };
      const gated = path.join(daemon.dir, 'controller-gated.json');
      await fs.writeFile(
        gated,
        JSON.stringify({ ...record, argv: ['sh', '-c', `while [ ! -e ${gate} ]; do sleep 0.1; done; exec "$@"`, 'gate', ...record.argv] }),
      );
      rootState = path.join(daemon.dir, 'root-state');
      sudo = await installRootSudo(path.join(daemon.dir, 'fakebin'), {
        DOCKHAND_STATE_DIR: rootState,
        DOCKHAND_DAEMON_CONTROLLER: `process:${gated}`,
      });
      // nobody may use the daemon (its socket) and its own directories, nothing more.
      await fs.chmod(daemon.dir, 0o755);
      await fs.chmod(daemon.socket, 0o666);
      const userDir = path.join(daemon.dir, 'user');
      await fs.mkdir(path.join(userDir, 'config'), { recursive: true });
      await fs.mkdir(path.join(userDir, 'state'), { recursive: true });
      for (const dir of [userDir, path.join(userDir, 'config'), path.join(userDir, 'state')]) await fs.chown(dir, NOBODY.uid, NOBODY.gid);
      served = await startServe(['-H', daemon.host], {
        configDir: path.join(userDir, 'config'),
        user: NOBODY,
        env: {
          PATH: `${sudo.dir}:${process.env.PATH}`,
          HOME: '/nonexistent',
          DOCKHAND_STATE_DIR: path.join(userDir, 'state'),
          DOCKHAND_DAEMON_CONTROLLER: `process:${gated}`,
        },
      });
      ({ browser, page } = await openApp(served.url));
    });
    after(async () => {
      await browser?.close();
      await served?.stop();
      await sudo?.remove();
      await fs.writeFile(gate, '').catch(() => undefined);
      await daemon?.stop();
    });

    test("the preview says a password is needed; Apply shows the helper's steps while it works; the fix lands as root", async () => {
      const { dialog, preview } = await openFixDialog(page, served.origin, 'daemon.live-restore');
      assert.match(await preview.innerText(), /Needs administrator rights \(.*daemon\.json is not writable by you\)/);
      await screenshot(page, `fix-elevated-preview-light-${engine}`);
      assert.deepEqual(await axeViolations(page), [], 'elevated fix preview');

      await dialog.getByRole('button', { name: /Apply fix/ }).click();
      const progress = dialog.getByTestId('fix-progress');
      await progress.waitFor();
      // The daemon cannot come back until the gate opens, so these steps can only have arrived while the helper runs.
      await progress.locator('[data-phase="restart"][data-status="done"]').waitFor({ timeout: 60_000 });
      const seen = await progress.locator('[data-phase]').allInnerTexts();
      assert.match(seen[0]!, /Ask for root[\s\S]*Asking for root through sudo/);
      assert.ok(
        seen.some((s) => /Back up[\s\S]*saved the original .*daemon\.json/.test(s)),
        seen.join('\n'),
      );
      assert.ok(
        seen.some((s) => /Write[\s\S]*wrote .*daemon\.json/.test(s)),
        seen.join('\n'),
      );
      assert.equal(await dialog.getByTestId('fix-outcome').count(), 0, 'still applying');
      assert.match(await progress.innerText(), /The system asks for your password in a separate prompt/);
      await screenshot(page, `fix-elevated-progress-light-${engine}`);

      await fs.writeFile(gate, '');
      const outcome = dialog.getByTestId('fix-outcome');
      await outcome.waitFor({ timeout: 120_000 });
      assert.equal(await outcome.getAttribute('data-outcome'), 'applied', await outcome.innerText());
      assert.match(await outcome.innerText(), /was fail before and is pass now/);
      assert.match(await fs.readFile(daemon.configPath, 'utf8'), /"live-restore": true/);
      const stat = await fs.stat(daemon.configPath);
      assert.equal(stat.uid, 0, "still root's file");
      assert.match(await fs.readFile(sudo.argvLog, 'utf8'), /bin\/dockhand\.cjs fix helper\n$/);
      await dialog.getByRole('button', { name: 'Close' }).last().click();
      await dialog.waitFor({ state: 'detached' });
    });

    test('History marks the fix as applied as root; Undo asks through the helper and restores the original bytes', async () => {
      await page.keyboard.press('Control+3');
      await page.getByRole('heading', { name: 'History', level: 1 }).waitFor();
      const row = page.locator('.history-table tbody tr').first();
      await row.waitFor();
      assert.match(await row.innerText(), /Applied[\s\S]*daemon\.live-restore[\s\S]*Applied as root: Undo asks for your password\./);
      await screenshot(page, `history-elevated-light-${engine}`);
      assert.deepEqual(await axeViolations(page), [], 'history with an elevated fix');
      const id = await row.getAttribute('data-record-id');
      assert.ok(id);
      // Root's journal holds the backup; the user's, only the copy.
      assert.deepEqual((await fs.readdir(path.join(rootState, 'fixes', id))).sort(), ['0.orig', 'record.json']);

      // Held at the gate again: the undo's steps so far show while the helper waits for the daemon.
      await fs.rm(gate);
      await row.getByRole('button', { name: /^Undo / }).click();
      await page.getByTestId('undo-confirm').getByRole('button', { name: 'Undo fix' }).click({ timeout: 90_000 });
      const progress = page.getByTestId('undo-progress');
      await progress.locator('[data-phase="restart"][data-status="done"]').waitFor({ timeout: 60_000 });
      assert.match(
        await progress.innerText(),
        /applied as root: the system asks for your password[\s\S]*Restore[\s\S]*restored .*daemon\.json/,
      );
      await screenshot(page, `history-elevated-undoing-light-${engine}`);
      assert.deepEqual(await axeViolations(page), [], 'history while undoing');
      await fs.writeFile(gate, '');
      const undo = page.getByTestId('undo-result');
      await undo.waitFor({ timeout: 120_000 });
      assert.match(await undo.innerText(), /Undone/);
      assert.equal(await fs.readFile(daemon.configPath, 'utf8'), ORIGINAL, 'the original bytes');
      assert.match(await fs.readFile(sudo.argvLog, 'utf8'), new RegExp(`fix helper --undo ${id}\\n$`));
      await page.locator('.history-table tbody tr').first().filter({ hasText: 'Undone' }).waitFor();
    });
  },
  ENGINES,
  { oneAtATime: true },
);

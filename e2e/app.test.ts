// The whole app as a user meets it: Debian's Chromium driving the real `dockhand serve` against a private dockerd with
// a weak daemon.json and risky containers. Screenshots of every screen land in e2e/artifacts/.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { importBusybox, type PrivateDockerd, runningDockerd } from '../test/support/dockerd';
import { lastReport } from './support/api';
import { axeViolations, screenshot } from './support/artifacts';
import { launchChromium } from './support/browser';
import { findingRow } from './support/app-page';
import { CATEGORY_LABEL } from '../renderer/src/lib/labels';
import { type Served, startServe } from './support/serve';

const WEAK_CONFIG = { 'insecure-registries': ['reg.local:5000'], debug: true };

async function start(dir: string): Promise<PrivateDockerd> {
  return runningDockerd({ dir, daemonJson: WEAK_CONFIG, privilegedWrapper: true });
}

describe('the app over dockhand serve, against a real dockerd', () => {
  let dir: string;
  let daemon: PrivateDockerd;
  let served: Served;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let engineVersion: string;

  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'dkh-'));
    daemon = await start(dir);
    const image = await importBusybox(daemon);
    await daemon.docker(['run', '-d', '--name', 'priv-running', '--privileged', image]);
    await daemon.docker(['create', '--name', 'priv-created', '--privileged', image]);
    await daemon.docker(['run', '-d', '--name', 'sock', '-v', `${daemon.socket}:/var/run/docker.sock`, image]);
    await daemon.docker(['run', '-d', '--name', 'plain', image]);
    engineVersion = await daemon.docker(['version', '--format', '{{.Server.Version}}']);
    served = await startServe(['-H', daemon.host]);
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'light' });
    page = await context.newPage();
    page.on('pageerror', (e) => console.error(`page error: ${e.message}`));
  });
  after(async () => {
    await browser?.close();
    await served?.stop();
    await daemon?.stop();
    await fs.rm(dir, { recursive: true, force: true }).catch(() => undefined);
  });

  test('the first visit signs in with the printed link and audits at once, with live progress per collector', async () => {
    // Count collectors as they finish, from inside the page, however fast the audit is.
    await context.addInitScript(() => {
      const w = window as unknown as { __collectorsSeen: number; __progressSeen: boolean };
      w.__collectorsSeen = 0;
      w.__progressSeen = false;
      new MutationObserver(() => {
        if (document.querySelector('[aria-label="Audit progress"]')) w.__progressSeen = true;
        w.__collectorsSeen = Math.max(w.__collectorsSeen, document.querySelectorAll('[data-collector]:not(.collector-running)').length);
      }).observe(document, { subtree: true, childList: true, attributes: true });
    });
    await page.goto(served.url);
    assert.equal(new URL(page.url()).search, '', 'the token left the address bar');
    await page.getByRole('heading', { name: 'Score' }).waitFor({ timeout: 60_000 });
    const seen = await page.evaluate(() => {
      const w = window as unknown as { __collectorsSeen: number; __progressSeen: boolean };
      return { collectors: w.__collectorsSeen, progress: w.__progressSeen };
    });
    assert.ok(seen.progress, 'the progress panel was shown');
    assert.ok(seen.collectors >= 20, `collectors shown as they finished: ${seen.collectors}`);
  });

  test('overview: host and endpoint summary, score, counts by severity, top problems, last audit time', async () => {
    const report = await lastReport(page);
    const host = page.locator('.host-card');
    await host.getByText(`Docker ${engineVersion}`).waitFor();
    assert.match(await host.innerText(), new RegExp(`Storage driver\\s+${report.host.storageDriver}`));
    assert.match(await host.innerText(), /Logging driver\s+json-file/);
    assert.match(await host.innerText(), /Rootless\s+no/);
    assert.match(await host.innerText(), /Docker Desktop\s+no/);
    assert.match(await host.innerText(), /WSL 2\s+no/);
    assert.ok((await host.innerText()).includes(daemon.host), 'the endpoint');
    assert.ok((await host.innerText()).includes(daemon.configPath), 'the daemon.json in use');
    assert.equal(
      await page.getByRole('img', { name: /^Score \d+ out of 100$/ }).getAttribute('aria-label'),
      `Score ${report.summary.score} out of 100`,
    );
    for (const sev of ['critical', 'high', 'medium', 'low'] as const) {
      const tile = page.locator(`.tile.severity-${sev} .tile-count`);
      assert.equal(await tile.innerText(), String(report.summary.bySeverity[sev]), sev);
    }
    const top = page.locator('.top-list');
    assert.match(await top.innerText(), /Docker socket/i, 'the socket mount is a top problem');
    // Relative time of the last audit, not a timing assertion: on a loaded host the audit may finish seconds before this read.
    assert.match(await page.locator('.topbar').innerText(), /Last audit (just now|\d+ seconds? ago|\d+ minutes? ago)/);
    await screenshot(page, 'overview-light');
  });

  test('findings: the expected failures are listed, grouped by category', async () => {
    await page.getByRole('link', { name: 'Findings', exact: true }).click();
    const tree = page.getByRole('tree', { name: 'Findings by category' });
    await tree.waitFor();
    for (const id of [
      'container.docker-socket-mount:sock',
      'container.privileged:priv-running',
      'daemon.insecure-registries:reg.local:5000',
      'daemon.log-rotation',
      'daemon.live-restore',
    ]) {
      // The list is virtualized: search brings a finding into view.
      await page.getByLabel('Search findings').fill(id);
      const row = findingRow(page, id);
      await row.waitFor();
      assert.match(await row.innerText(), /Failed/, id);
    }
    await page.getByLabel('Search findings').fill('');
    const report = await lastReport(page);
    // Folded, every category header fits in the (virtualized) view.
    await page.getByRole('button', { name: 'Collapse all' }).click();
    const groups = (await page.locator('[role="treeitem"][aria-level="1"]').allInnerTexts()).map((g) => g.split('\n')[0]);
    const privileged = report.checks.find((c) => c.id === 'container.privileged')!;
    assert.ok(groups.length >= 3, groups.join(', '));
    assert.ok(groups.includes(CATEGORY_LABEL[privileged.category]), groups.join(', '));
    await page.getByRole('button', { name: 'Expand all' }).click();
  });

  test('findings: filter by status, severity and category, and search', async () => {
    const count = () => page.locator('.result-count').innerText();
    const shown = async () => Number(/Showing ([\d,]+) of/.exec(await count())![1]!.replace(/,/g, ''));
    const problems = await shown();
    await page.getByRole('button', { name: /^Passed/ }).click();
    assert.ok((await shown()) > problems, 'passed findings added');
    await page.getByRole('button', { name: /^Passed/ }).click();
    assert.equal(await shown(), problems);

    await page
      .getByRole('group', { name: 'Severity' })
      .getByRole('button', { name: /^Critical/ })
      .click();
    const withoutCritical = await shown();
    assert.ok(withoutCritical < problems, 'critical findings hidden');
    await page.getByLabel('Search findings').fill('sock');
    assert.equal(await findingRow(page, 'container.docker-socket-mount:sock').count(), 0, 'the critical socket mount is filtered out');
    await page
      .getByRole('group', { name: 'Severity' })
      .getByRole('button', { name: /^Critical/ })
      .click();
    await findingRow(page, 'container.docker-socket-mount:sock').waitFor();

    await page.getByLabel('Search findings').fill('privileged priv-running');
    await findingRow(page, 'container.privileged:priv-running').waitFor();
    assert.equal(await page.locator('[role="treeitem"][aria-level="2"]').count(), 1, await count());
    await page.getByLabel('Search findings').fill('');

    await page
      .getByLabel('Category', { exact: true })
      .selectOption((await page.locator('#category-filter option', { hasText: 'Registries' }).getAttribute('value'))!);
    const ids = await page
      .locator('[role="treeitem"][aria-level="2"]')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-finding-id')));
    assert.ok(
      ids.length > 0 && ids.every((id) => id?.startsWith('daemon.insecure-registries') || id?.startsWith('registry')),
      ids.join(', '),
    );
    await page.getByLabel('Category', { exact: true }).selectOption('');

    await page.getByLabel('Search findings').fill('no finding has this text');
    await page.getByText('No finding matches these filters.').waitFor();
    await page.getByRole('button', { name: 'Show everything' }).click();
    assert.equal(await page.getByLabel('Search findings').inputValue(), '');
  });

  test('findings: the detail pane shows the message, rationale, evidence with its source, CIS reference and the fix', async () => {
    await page
      .getByRole('group', { name: 'Status' })
      .getByRole('button', { name: /^Passed/ })
      .click();
    await page.getByLabel('Search findings').fill('reg.local');
    await findingRow(page, 'daemon.insecure-registries:reg.local:5000').click();
    const detail = page.getByTestId('finding-detail');
    await detail.getByRole('heading', { level: 2 }).waitFor();
    const text = await detail.innerText();
    assert.match(text, /reg\.local:5000/);
    assert.match(text, /WHY IT MATTERS|Why it matters/i);
    const evidence = detail.locator('.evidence-table');
    const sources = await evidence.locator('.source').allInnerTexts();
    assert.ok(
      sources.some((s) => s.includes('File') && s.includes(`${daemon.configPath}:`)),
      `a file:line source: ${sources.join(' | ')}`,
    );
    assert.ok(
      sources.some((s) => s.includes('Engine API') && s.includes('GET /info')),
      `an API source: ${sources.join(' | ')}`,
    );
    assert.match(text, /CIS Docker Benchmark/);
    assert.match(
      await detail.locator('.fix-box').innerText(),
      /Registry to stop trusting[\s\S]*reg\.local:5000/,
      'the fix values by their form labels, not internal names',
    );
    await screenshot(page, 'findings-detail-light');
    await page.getByLabel('Search findings').fill('');
    await page
      .getByRole('group', { name: 'Status' })
      .getByRole('button', { name: /^Passed/ })
      .click();
  });

  test('findings: keyboard only — / to search, arrows through the tree, Left to the category, Enter to fold', async () => {
    await page.keyboard.press('Escape');
    await page.locator('body').click({ position: { x: 5, y: 790 } });
    await page.keyboard.press('/');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'finding-search');
    await page.keyboard.press('Tab'); // status chips
    const tree = page.getByRole('tree');
    await tree.focus();
    await page.keyboard.press('Home');
    const active = () => tree.getAttribute('aria-activedescendant');
    const first = await active();
    assert.equal(await page.locator(`#${first}`).getAttribute('aria-level'), '1');
    await page.keyboard.press('ArrowDown');
    const second = await active();
    const row = page.locator(`#${second}`);
    assert.equal(await row.getAttribute('aria-level'), '2');
    const id = await row.getAttribute('data-finding-id');
    assert.ok((await page.getByTestId('finding-detail').innerText()).includes(id!), 'the detail follows the keyboard');
    await page.keyboard.press('ArrowLeft');
    assert.equal(await active(), first);
    await page.keyboard.press('Enter');
    assert.equal(await page.locator(`#${first}`).getAttribute('aria-expanded'), 'false');
    await page.keyboard.press('Enter');
    assert.equal(await page.locator(`#${first}`).getAttribute('aria-expanded'), 'true');
    await page.keyboard.press('End');
    await page.keyboard.press('PageUp');
    assert.notEqual(await active(), first);
  });

  test('settings: a theme choice and check options are saved to the settings file and applied', async () => {
    await page.getByRole('link', { name: 'Settings', exact: true }).click();
    await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();
    await screenshot(page, 'settings-light');
    await page.getByLabel('Dark').check();
    await page.getByLabel('Internal domains').fill('corp.example\n.lan');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Saved.').waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
    const saved = JSON.parse(await fs.readFile(path.join(served.configDir, 'settings.json'), 'utf8'));
    assert.equal(saved.theme, 'dark');
    assert.deepEqual(saved.internalDomains, ['corp.example', '.lan']);
    await page.getByLabel('Host', { exact: true }).fill('http://not-docker');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByRole('alert').filter({ hasText: 'Not saved' }).waitFor();
    assert.match(await page.getByRole('alert').filter({ hasText: 'Not saved' }).innerText(), /a Docker endpoint such as unix:\/\//);
    await page.getByLabel('Host', { exact: true }).fill('');
    await page.getByLabel('Follow the system').check();
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Saved.').waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), undefined);
  });

  test('axe: no violations on any screen, in the light and the dark theme', async () => {
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      for (const [screen, ready] of [
        ['overview', '.host-card'],
        ['findings', '[data-testid="finding-detail"]'],
        ['settings', '.settings-form'],
      ] as const) {
        await page.goto(`${served.origin}/#/${screen}`);
        await page.locator(ready).waitFor();
        await screenshot(page, `${screen}-${scheme}`);
        const violations = await axeViolations(page);
        assert.deepEqual(violations, [], `${screen} (${scheme})`);
      }
    }
    await page.emulateMedia({ colorScheme: 'light' });
  });

  test('200% zoom (640×400 CSS pixels): every screen reflows without sideways scrolling; the detail opens in place of the list', async () => {
    const zoomed = await browser.newContext({ viewport: { width: 640, height: 400 }, deviceScaleFactor: 2 });
    await zoomed.addCookies(await context.cookies());
    const z = await zoomed.newPage();
    for (const screen of ['overview', 'findings', 'settings']) {
      await z.goto(`${served.origin}/#/${screen}`);
      await z.locator('main h1, main h2').first().waitFor();
      const overflow = await z.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(overflow <= 0, `${screen} scrolls sideways by ${overflow}px`);
      await screenshot(z, `${screen}-zoom200`);
    }
    await z.goto(`${served.origin}/#/findings`);
    await z.getByRole('tree').focus();
    await z.keyboard.press('ArrowDown');
    await z.keyboard.press('Enter');
    await z.getByRole('button', { name: 'Back to the list' }).waitFor();
    await screenshot(z, 'findings-detail-zoom200');
    assert.deepEqual(await axeViolations(z), [], 'detail at 200%');
    await z.keyboard.press('Escape');
    await z.getByRole('tree').waitFor();
    await zoomed.close();
  });

  test('a stopped daemon shows a banner saying what to do; Re-run after restarting it recovers', async () => {
    await page.goto(`${served.origin}/#/overview`);
    await page.locator('.host-card').waitFor();
    await daemon.stop();
    await page.getByRole('button', { name: 'Re-run audit' }).first().click();
    const banner = page.getByRole('alert').filter({ hasText: 'The Docker daemon is not running' });
    await banner.waitFor({ timeout: 60_000 });
    assert.match(await banner.innerText(), new RegExp(`not running at ${daemon.host.replace(/[/.]/g, '\\$&')}`));
    assert.match(await banner.innerText(), /systemctl start docker/);
    assert.match(await page.locator('.host-card').innerText(), /Engine\s+not reachable/, 'the rest of the screen is still there');
    const scoreCard = await page.locator('.score-card').innerText();
    assert.match(scoreCard, /Incomplete: the daemon did not answer/, 'a score without the daemon is not called good');
    const down = await lastReport(page);
    const incomplete = down.summary.incomplete;
    assert.ok(incomplete && incomplete.checks.length > 0, 'the report marks the score incomplete, with the checks that could not run');
    assert.match(
      scoreCard,
      new RegExp(`covers only what Dockhand could read without the daemon: ${incomplete.checks.length} checks could not run`),
    );
    // Greyed: the ring says incomplete and is not drawn in the colour of a healthy host.
    const ring = page.locator('.score-card svg.score-ring');
    assert.equal(await ring.getAttribute('aria-label'), `Score ${down.summary.score} out of 100, incomplete`);
    assert.equal(await ring.getAttribute('data-incomplete'), 'true');
    const colours = await page.evaluate(() => {
      const value = document.querySelector('.score-card .score-value')!;
      const probe = document.createElement('span');
      probe.style.color = 'var(--pass)';
      document.body.append(probe);
      const pass = getComputedStyle(probe).color;
      probe.style.color = 'var(--muted)';
      const muted = getComputedStyle(probe).color;
      probe.remove();
      return { stroke: getComputedStyle(value).stroke, pass, muted };
    });
    assert.notEqual(colours.stroke, colours.pass, 'not green');
    assert.equal(colours.stroke, colours.muted, 'grey');
    // The daemon.json the daemon was last seen using is still the one judged, and the screen says so.
    assert.equal(down.daemonConfig?.path, daemon.configPath);
    assert.equal(down.daemonConfig?.foundBy, 'last-seen');
    const hostCard = await page.locator('.host-card').innerText();
    assert.ok(hostCard.includes(daemon.configPath), hostCard);
    assert.match(hostCard, /last seen/);
    await screenshot(page, 'overview-daemon-down');
    await page.getByRole('link', { name: 'Findings', exact: true }).click();
    await page.getByRole('alert').filter({ hasText: 'The Docker daemon is not running' }).waitFor();
    await screenshot(page, 'findings-daemon-down');

    daemon = await start(dir);
    await page.getByRole('alert').getByRole('button', { name: 'Re-run audit' }).click();
    await page.getByRole('alert').filter({ hasText: 'The Docker daemon is not running' }).waitFor({ state: 'detached', timeout: 60_000 });
    const report = await lastReport(page);
    assert.equal(report.engineError, null);
    assert.equal(report.host.engineVersion, engineVersion);
    await page.getByLabel('Search findings').fill('sock');
    await findingRow(page, 'container.docker-socket-mount:sock').waitFor();
  });
});

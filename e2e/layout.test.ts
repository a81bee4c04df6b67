// One picture on every screen, and findings that lead to the fix: Debian's Chromium driving the real `dockhand serve`
// against a private dockerd with a weak daemon.json and risky containers. Every screen at 1440×900 and 1024×700, in
// the light and the dark theme: the page itself never scrolls (the document is exactly the viewport; only panes
// scroll), and a screenshot of each lands in e2e/artifacts/layout-*.png for a person to look at.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { attentionRank } from '../shared/finding-order';
import type { Report } from '../shared/report';
import { importBusybox, type PrivateDockerd, runningDockerd } from '../test/support/dockerd';
import { lastReport } from './support/api';
import { screenshot } from './support/artifacts';
import { findingRow, newAppPage } from './support/app-page';
import { type Served, startServe } from './support/serve';

const SIZES = [
  { width: 1440, height: 900 },
  { width: 1024, height: 700 },
] as const;
const THEMES = ['light', 'dark'] as const;

/** The document's own scroll size against the viewport: equal when only the panes inside the shell scroll. */
async function pageScroll(page: Page): Promise<{ scrollHeight: number; scrollWidth: number; innerHeight: number; innerWidth: number }> {
  return page.evaluate(() => ({
    scrollHeight: document.documentElement.scrollHeight,
    scrollWidth: document.documentElement.scrollWidth,
    innerHeight: window.innerHeight,
    innerWidth: window.innerWidth,
  }));
}

describe('layout and findings over dockhand serve, against a real dockerd', () => {
  let dir: string;
  let daemon: PrivateDockerd;
  let served: Served;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let report: Report;

  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'dkh-layout-'));
    daemon = await runningDockerd({ dir, daemonJson: { 'insecure-registries': ['reg.local:5000'], debug: true }, privilegedWrapper: true });
    const image = await importBusybox(daemon);
    for (const name of ['priv-a', 'priv-b', 'priv-c']) await daemon.docker(['create', '--name', name, '--privileged', image]);
    await daemon.docker(['run', '-d', '--name', 'sock', '-v', `${daemon.socket}:/var/run/docker.sock`, image]);
    served = await startServe(['-H', daemon.host]);
    ({ browser, context, page } = await newAppPage(SIZES[0]));
  });
  after(async () => {
    await browser?.close();
    await served?.stop();
    await daemon?.stop();
    await fs.rm(dir, { recursive: true, force: true }).catch(() => undefined);
  });

  test('first open: the shell and a progress state at once (before any script ran), then live progress with readable collector names', async () => {
    // What the collectors showed while the first audit ran, recorded from inside the page however fast it is.
    await context.addInitScript(() => {
      const w = window as unknown as { __collectors: Record<string, string> };
      w.__collectors = {};
      new MutationObserver(() => {
        for (const li of document.querySelectorAll('[data-collector]')) {
          w.__collectors[li.getAttribute('data-collector')!] = `${li.className}|${li.querySelector('.collector-name')?.textContent ?? ''}`;
        }
      }).observe(document, { subtree: true, childList: true, attributes: true });
    });
    // The first bytes already hold the frame: the response itself, before the page runs a script.
    const response = await page.goto(served.url, { waitUntil: 'commit' });
    const html = await response!.text();
    assert.match(
      html,
      /<nav class="sidebar"[^]*Dockhand[^]*role="status"[^]*Starting Dockhand/,
      'index.html carries the shell and a progress line',
    );
    await page.locator('nav.sidebar').waitFor();
    await page.getByRole('heading', { name: 'Score' }).waitFor({ timeout: 90_000 });
    report = await lastReport(page);
    const seen = await page.evaluate(() => (window as unknown as { __collectors: Record<string, string> }).__collectors);
    const names = Object.entries(seen);
    assert.ok(names.length >= 20, `collectors shown: ${names.length}`);
    for (const [key, value] of names) {
      const [className, label] = value.split('|');
      assert.ok(label && label !== key && !/[a-z][A-Z]/.test(label), `collector ${key} is shown as "${label}"`);
      // What is not applicable here (Desktop, WSL on Linux) is not a red failure.
      const run = report.timings.find((t) => t.name === key);
      if (run?.status === 'skipped') assert.match(className!, /collector-skipped/, key);
    }
  });

  for (const theme of THEMES) {
    for (const size of SIZES) {
      const tag = `${size.width}x${size.height}-${theme}`;
      test(`no page-level scroll on any screen at ${size.width}×${size.height} in the ${theme} theme (screenshots layout-*-${tag}.png)`, async () => {
        await page.emulateMedia({ colorScheme: theme });
        await page.setViewportSize(size);
        const screens: { name: string; open: () => Promise<void> }[] = [
          { name: 'overview', open: () => page.getByRole('heading', { name: 'Score' }).waitFor() },
          { name: 'findings', open: () => page.getByRole('tree', { name: 'Findings by category' }).waitFor() },
          { name: 'history', open: () => page.getByRole('heading', { name: 'History', level: 1 }).waitFor() },
          { name: 'disk', open: () => page.getByRole('heading', { name: 'Disk', level: 1 }).waitFor() },
          { name: 'settings', open: () => page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor() },
        ];
        for (const screen of screens) {
          await page.goto(`${served.origin}/#/${screen.name}`);
          await screen.open();
          if (screen.name === 'findings') await page.getByTestId('finding-detail').waitFor();
          // The screenshot shows the measured disk, not the moment before.
          if (screen.name === 'disk') await page.getByText("Measuring Docker's disk usage").waitFor({ state: 'hidden', timeout: 60_000 });
          const scroll = await pageScroll(page);
          assert.equal(scroll.scrollHeight, scroll.innerHeight, `${screen.name} at ${tag}: the document is the viewport's height`);
          assert.equal(scroll.scrollWidth, scroll.innerWidth, `${screen.name} at ${tag}: no sideways page scroll`);
          // The shell stays put: the sidebar and the top bar are where they were, whatever the pane holds.
          const bar = await page.locator('.topbar').boundingBox();
          assert.equal(bar?.y, 0, `${screen.name} at ${tag}: the top bar is at the top`);
          await screenshot(page, `layout-${screen.name}-${tag}`);
        }
      });
    }
  }

  test('at 1024 px the longest check title is shown whole in the list (its row grows), not cut after a few words', async () => {
    await page.emulateMedia({ colorScheme: 'light' });
    await page.setViewportSize(SIZES[1]);
    await page.goto(`${served.origin}/#/findings`);
    const longest = [...report.findings]
      .filter((f) => f.result.status === 'fail' || f.result.status === 'warn')
      .map((f) => ({ f, title: report.checks.find((c) => c.id === f.checkId)!.title }))
      .sort((a, b) => b.title.length - a.title.length)[0]!;
    await page.getByLabel('Search findings').fill(longest.f.id);
    const title = findingRow(page, longest.f.id).locator('.finding-title');
    await title.waitFor();
    const fits = await title.evaluate((el) => ({
      clipped: el.scrollHeight > el.clientHeight + 1,
      lines: Math.round(el.clientHeight / parseFloat(getComputedStyle(el).lineHeight)),
    }));
    assert.ok(!fits.clipped, `"${longest.title}" is not cut off (${fits.lines} lines)`);
    await page.getByLabel('Search findings').fill('');
  });

  test('findings: fixable ones are marked in the list and in the top problems; Fix sits at the top of the detail', async () => {
    await page.setViewportSize(SIZES[0]);
    const fixable = report.findings.find((f) => f.result.fix && (f.result.status === 'fail' || f.result.status === 'warn'))!;
    const notFixable = report.findings.find((f) => !f.result.fix && f.result.status === 'fail')!;
    assert.ok(fixable && notFixable, 'the daemon has both kinds of problem');
    await page.goto(`${served.origin}/#/findings`);
    await page.getByLabel('Search findings').fill(fixable.id);
    await findingRow(page, fixable.id).getByTestId('fixable-mark').waitFor();
    await findingRow(page, fixable.id).click();
    const detail = page.getByTestId('finding-detail');
    const fix = detail.getByTestId('detail-fix');
    const evidence = detail.getByRole('heading', { name: 'Evidence' });
    assert.ok(
      (await fix.boundingBox())!.y < (await detail.getByRole('heading', { level: 2 }).boundingBox())!.y,
      'Fix is above the title, at the top of the pane',
    );
    assert.ok((await fix.boundingBox())!.y < (await evidence.boundingBox())!.y);
    await page.getByLabel('Search findings').fill(notFixable.id);
    await findingRow(page, notFixable.id).waitFor();
    assert.equal(await findingRow(page, notFixable.id).getByTestId('fixable-mark').count(), 0, `${notFixable.id} has no fix to offer`);
    await page.getByLabel('Search findings').fill('');

    await page.goto(`${served.origin}/#/overview`);
    const items = page.locator('.top-list .top-item');
    await items.first().waitFor();
    const hrefs = await items.evaluateAll((els) =>
      els.map((a) => ({
        id: new URLSearchParams(a.getAttribute('href')!.split('?')[1]).get('focus'),
        marked: a.querySelector('[data-testid="fixable-mark"]') !== null,
      })),
    );
    for (const { id, marked } of hrefs) {
      const f = report.findings.find((x) => x.id === id)!;
      assert.equal(marked, f.result.fix !== null, `top problem ${id}: marked fixable exactly when it is`);
    }
    assert.ok(
      hrefs.some((h) => h.marked),
      'at least one top problem is fixable',
    );
  });

  test('findings: sorted by what matters, one "Info" chip, a finding the search excludes leaves the detail, a hit in a folded group shows', async () => {
    await page.goto(`${served.origin}/#/findings`);
    const tree = page.getByRole('tree', { name: 'Findings by category' });
    await tree.waitFor();
    assert.equal(
      await page
        .locator('.filters button')
        .filter({ hasText: /^Info\b/ })
        .count(),
      1,
      'one Info chip: the status; the severity reads Note',
    );

    // Within each category, the shown findings are in attention order (a critical warning above a medium failure).
    const ids = await page
      .locator('[role="treeitem"]')
      .evaluateAll((rows) => rows.map((r) => (r.getAttribute('aria-level') === '1' ? '#' : r.getAttribute('data-finding-id')!)));
    const byId = new Map(report.findings.map((f) => [f.id, f]));
    let last = -Infinity;
    for (const id of ids) {
      if (id === '#') last = -Infinity;
      else {
        const rank = attentionRank(byId.get(id)!);
        assert.ok(rank >= last, `${id} is below a finding that matters less`);
        last = rank;
      }
    }

    // Select a container's finding, then search for another container: the first one is no longer open.
    const search = page.getByLabel('Search findings');
    await search.fill('priv-a');
    await findingRow(page, 'container.privileged:priv-a').click();
    const detail = page.getByTestId('finding-detail');
    assert.match(await detail.innerText(), /container\.privileged:priv-a/);
    await search.fill('priv-b');
    await findingRow(page, 'container.privileged:priv-b').waitFor();
    await page.waitForFunction(() => !document.querySelector('[data-testid="finding-detail"]')?.textContent?.includes('priv-a'));

    // Fold every group, then search: the group holding the hit opens.
    await search.fill('');
    await page.getByRole('button', { name: 'Collapse all' }).click();
    assert.equal(await page.locator('[role="treeitem"][aria-level="2"]').count(), 0, 'every group folded');
    await search.fill('priv-c');
    await findingRow(page, 'container.privileged:priv-c').waitFor();
    await search.fill('');
  });

  test('no CLI flags or internal names: readable fix values, backticks shown as code, no doubled words on the findings', async () => {
    await page.goto(`${served.origin}/#/findings?status=fail,warn,error,info,pass,skipped`);
    await page.getByRole('tree', { name: 'Findings by category' }).waitFor();
    const texts: string[] = [];
    for (const f of report.findings.filter((x) => x.result.status !== 'pass').slice(0, 40)) {
      await page.getByLabel('Search findings').fill(f.id);
      await findingRow(page, f.id).click();
      const detail = page.getByTestId('finding-detail');
      await detail.getByText(f.id, { exact: true }).waitFor();
      texts.push(await detail.innerText());
    }
    const all = texts.join('\n');
    assert.doesNotMatch(all, /`/, 'no literal backticks: they render as code');
    const doubled = [...all.matchAll(/\b([A-Za-z]{2,})\s+\1\b/g)].map((m) => m[0]);
    assert.deepEqual(doubled, [], 'no doubled words');
    await page.getByLabel('Search findings').fill('');
  });
});

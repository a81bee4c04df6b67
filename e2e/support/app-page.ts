import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { launchChromium } from './browser';

export interface AppPage {
  browser: Browser;
  context: BrowserContext;
  page: Page;
}

/**
 * Chromium with one page on `dockhand serve`'s printed link, light theme, page errors logged, once the Overview shows
 * a score (the first visit audits, which may take a while on a loaded machine).
 */
export async function openApp(url: string, viewport: { width: number; height: number } = { width: 1280, height: 860 }): Promise<AppPage> {
  const app = await newAppPage(viewport);
  const { page } = app;
  await page.goto(url);
  await page.getByRole('heading', { name: 'Score' }).waitFor({ timeout: 90_000 });
  return app;
}

/** Chromium with one blank page (light theme, page errors logged), for a test that opens the app its own way. */
export async function newAppPage(viewport: { width: number; height: number }): Promise<AppPage> {
  const browser = await launchChromium();
  const context = await browser.newContext({ viewport, colorScheme: 'light' });
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error(`page error: ${e.message}`));
  return { browser, context, page };
}

/** The Fix dialog of a finding, found by searching for its id on the Findings screen, once its preview is shown. */
export async function openFixDialog(page: Page, origin: string, findingId: string): Promise<{ dialog: Locator; preview: Locator }> {
  await page.goto(`${origin}/#/findings`);
  await page.getByLabel('Search findings').fill(findingId);
  await page.locator(`[role="treeitem"][data-finding-id="${findingId}"]`).click();
  await page.getByTestId('finding-detail').getByRole('button', { name: 'Fix…' }).click();
  const dialog = page.getByRole('dialog');
  const preview = dialog.getByTestId('fix-preview');
  await preview.waitFor({ timeout: 60_000 });
  return { dialog, preview };
}

/** A finding's row in the Findings tree, by its stable id. */
export const findingRow = (page: Page, id: string): Locator => page.locator(`[role="treeitem"][data-finding-id="${id}"]`);

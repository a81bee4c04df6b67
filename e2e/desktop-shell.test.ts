// The desktop app's real bundles, wired as Electron would wire them, around a stand-in for Electron itself (its binary
// cannot be downloaded here): dist/electron/main.cjs runs under Node against a real private dockerd; the page is the
// real renderer in Debian's Chromium, served by the app's own app:// protocol handler (with its CSP), talking to the
// main process only through the real preload bundle over the IPC handlers main.cjs registered.
import assert from 'node:assert/strict';
import { promises as fs, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { CHANNEL_NAME_LIST, IPC_PREFIX } from '../shared/api-names';
import { type PrivateDockerd, runningDockerd } from '../test/support/dockerd';
import { screenshot } from './support/artifacts';
import { launchChromium } from './support/browser';
import {
  createElectronStandIn,
  loadWithElectron,
  type MenuItem,
  preloadInitScript,
  type StandInState,
  type StandInWindow,
} from './support/electron-standin';
import { until } from '../test/support/poll';

const ROOT = path.resolve(import.meta.dirname, '..');
const PAGE_ORIGIN = 'http://dockhand.test';

const findItem = (items: MenuItem[], label: string): MenuItem | undefined => {
  for (const item of items) {
    if (item.label === label) return item;
    const inner = item.submenu && findItem(item.submenu, label);
    if (inner) return inner;
  }
  return undefined;
};

describe('the desktop shell: main process, preload and renderer bundles together', () => {
  let daemon: PrivateDockerd;
  let state: StandInState;
  let win: StandInWindow;
  let browser: Browser;
  let page: Page;
  let configDir: string;
  const apiRequests: string[] = [];
  const cspViolations: string[] = [];

  before(async () => {
    daemon = await runningDockerd({ daemonJson: { debug: false } });
    configDir = await fs.mkdtemp(path.join(os.tmpdir(), 'dkh-shell-'));
    // What Electron and the user's session would provide: the resources directory of a packaged app, the endpoint.
    process.env.DOCKHAND_CONFIG_DIR = configDir;
    process.env.DOCKER_HOST = daemon.host;
    (process as { resourcesPath?: string }).resourcesPath = path.join(configDir, 'resources');

    const standIn = createElectronStandIn({ isPackaged: true, appPath: ROOT });
    state = standIn.state;
    loadWithElectron(path.join(ROOT, 'dist/electron/main.cjs'), standIn.electron);
    win = await until(() => state.windows.find((w) => w.url), { what: 'the app window to load its page', timeoutMs: 30_000 });

    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
    });
    const handler = state.protocolHandlers.get('app')!;
    await page.route(`${PAGE_ORIGIN}/**`, async (route) => {
      const url = new URL(route.request().url());
      if (url.pathname.startsWith('/api/')) apiRequests.push(url.pathname);
      const response = await handler(new Request(`app://dockhand${url.pathname}`));
      await route.fulfill({
        status: response.status,
        headers: Object.fromEntries(response.headers),
        body: Buffer.from(await response.arrayBuffer()),
      });
    });
    // The page's IPC goes to the handlers main.cjs registered, as from the main frame of its window.
    await page.exposeFunction('__standInInvoke', (channel: string, input: unknown) => {
      const h = state.ipcHandlers.get(channel);
      if (!h) throw new Error(`no handler for ${channel}`);
      return h({ sender: win.webContents, senderFrame: win.webContents.mainFrame }, input);
    });
    state.onSend = (channel, message) =>
      void page
        .evaluate(([c, m]) => (window as unknown as { __standInEmit(c: string, m: unknown): void }).__standInEmit(c, m), [
          channel,
          message,
        ] as const)
        .catch(() => undefined);
    await page.addInitScript(preloadInitScript(await fs.readFile(path.join(ROOT, 'dist/electron/preload.cjs'), 'utf8')));
    await page.goto(`${PAGE_ORIGIN}/index.html`);
  });
  after(async () => {
    await browser?.close();
    await daemon?.stop();
    await fs.rm(configDir, { recursive: true, force: true });
  });

  test('start-up: app:// is a standard, secure scheme; one sandboxed, isolated window loads app://dockhand/index.html; every channel has a handler', () => {
    assert.deepEqual(state.privilegedSchemes, [{ scheme: 'app', privileges: { standard: true, secure: true } }]);
    assert.equal(state.windows.length, 1);
    assert.equal(win.url, 'app://dockhand/index.html');
    const prefs = win.options.webPreferences;
    assert.deepEqual(
      {
        contextIsolation: prefs.contextIsolation,
        sandbox: prefs.sandbox,
        nodeIntegration: prefs.nodeIntegration,
        webSecurity: prefs.webSecurity,
        webviewTag: prefs.webviewTag,
        devTools: prefs.devTools,
      },
      { contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, webviewTag: false, devTools: false },
    );
    assert.equal(prefs.preload, path.join(ROOT, 'dist/electron/preload.cjs'));
    assert.deepEqual([...state.ipcHandlers.keys()].sort(), CHANNEL_NAME_LIST.map((c) => `${IPC_PREFIX}${c}`).sort());
  });

  test('the real renderer runs on the preload bridge: the audit of the real daemon shows, with no HTTP API and no CSP violation', async () => {
    await page.getByRole('heading', { name: 'Score' }).waitFor({ timeout: 90_000 });
    const host = await page.locator('.host-card').innerText();
    assert.match(host, /20\.10|2\d\.\d+/, 'the engine version from the real daemon');
    assert.deepEqual(apiRequests, [], 'everything went over IPC');
    assert.deepEqual(cspViolations, []);
    const index = await state.protocolHandlers.get('app')!(new Request('app://dockhand/index.html'));
    assert.match(index.headers.get('content-security-policy') ?? '', /default-src 'none'|script-src 'self'/);
    assert.equal((await state.protocolHandlers.get('app')!(new Request('app://dockhand/../../etc/passwd'))).status, 404);
    assert.equal((await state.protocolHandlers.get('app')!(new Request('app://evil/index.html'))).status, 404);
    await screenshot(page, 'desktop-shell-overview');
  });

  test('IPC: a call from another frame or another webContents is refused before its input is read', async () => {
    const handler = state.ipcHandlers.get(`${IPC_PREFIX}settings.get`)!;
    const foreign = (await handler({ sender: win.webContents, senderFrame: { url: 'https://evil.example/' } }, {})) as {
      ok: boolean;
      error?: { code: string };
    };
    assert.deepEqual([foreign.ok, foreign.error?.code], [false, 'forbidden']);
    const other = new (win.webContents.constructor as new (id: number, send: () => void) => typeof win.webContents)(999, () => undefined);
    const stranger = (await handler({ sender: other, senderFrame: { url: 'app://dockhand/index.html' } }, {})) as {
      ok: boolean;
      error?: { code: string };
    };
    assert.deepEqual([stranger.ok, stranger.error?.code], [false, 'forbidden']);
  });

  test("the native menu opens History and Disk in the page; the tray shows the last audit's state", async () => {
    findItem(state.applicationMenu!, 'History')!.click!();
    await page.getByRole('heading', { name: 'History', level: 1 }).waitFor();
    findItem(state.applicationMenu!, 'Disk')!.click!();
    await page.getByRole('heading', { name: 'Disk', level: 1 }).waitFor();
    const tray = await until(() => state.tray && /score \d+\/100/.test(state.tray.tooltip) && state.tray, {
      what: 'the tray to show the audit',
      timeoutMs: 30_000,
    });
    assert.match(tray.tooltip, /^Dockhand: score \d+\/100/);
    assert.ok(existsSync(tray.image.path), `the tray icon exists: ${tray.image.path}`);
    assert.equal(findItem(tray.menu, 'Re-run Audit')?.enabled, true);
  });

  test('navigation away, new windows, remote requests and permissions are refused; https links open in the system browser', async () => {
    const navigation = {
      prevented: false,
      preventDefault() {
        this.prevented = true;
      },
    };
    win.webContents.emit('will-navigate', navigation, 'https://evil.example/');
    assert.equal(navigation.prevented, true);
    const inApp = {
      prevented: false,
      preventDefault() {
        this.prevented = true;
      },
    };
    win.webContents.emit('will-navigate', inApp, 'app://dockhand/index.html#/findings');
    assert.equal(inApp.prevented, false);
    assert.deepEqual(win.webContents.windowOpenHandler!({ url: 'https://docs.docker.com/engine/' }), { action: 'deny' });
    assert.deepEqual(win.webContents.windowOpenHandler!({ url: 'file:///etc/passwd' }), { action: 'deny' });
    assert.deepEqual(state.openedExternally, ['https://docs.docker.com/engine/']);
    const cancelled = (url: string) => new Promise<boolean>((resolve) => state.beforeRequest!({ url }, (r) => resolve(r.cancel)));
    assert.equal(await cancelled('https://evil.example/x.js'), true);
    assert.equal(await cancelled('app://dockhand/assets/x.js'), false);
    assert.equal(await cancelled('devtools://devtools/bundled/inspector.html'), true, 'no devtools in a packaged app');
    assert.equal(await new Promise<boolean>((resolve) => state.permissionRequest!({}, 'media', resolve)), false);
    assert.equal(state.permissionCheck!(), false);
  });

  test('a theme chosen in Settings reaches the native parts', async () => {
    await page.getByRole('link', { name: 'Settings', exact: true }).click();
    await page.getByLabel('Dark').check();
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Saved.').waitFor();
    await until(() => state.nativeTheme.themeSource === 'dark', { what: 'nativeTheme to follow', timeoutMs: 30_000 });
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
  });
});

// What of the desktop shell runs without Electron: the IPC sender and input checks, navigation policy, the app://
// protocol, window-state persistence, the tray's state and the menu. (Electron cannot run on this machine.)
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, mock, test } from 'node:test';
import { CHANNEL_NAMES } from '../../shared/api';
import { CHANNEL_NAME_LIST } from '../../shared/api-names';
import { createApi } from '../api/index';
import { LocalHost } from '../host/local-host';
import { appProtocolResponse } from './app-protocol';
import { handleInvoke } from './ipc';
import { menuTemplate } from './menu';
import { electronSelf } from './self-command';
import { APP_ENTRY, externalUrl, isAllowedRequest, isAppUrl, senderProblem } from './policy';
import { trayState } from './tray-state';
import { DEFAULT_WINDOW_STATE, fitToDisplays, loadWindowState, parseWindowState, WindowStateSaver } from './window-state';

const made: string[] = [];
const tempDir = async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'dkh-shell-'));
  made.push(dir);
  return dir;
};
after(async () => Promise.all(made.map((dir) => fs.rm(dir, { recursive: true, force: true }))));
const good = { frameUrl: APP_ENTRY, isMainFrame: true, webContentsId: 1 };

test('IPC: only the main frame of an app window showing app://dockhand may call; everything else is refused', () => {
  const trusted = new Set([1]);
  assert.equal(senderProblem(good, trusted), null);
  assert.equal(senderProblem({ ...good, frameUrl: 'app://dockhand/index.html#/findings' }, trusted), null);
  assert.match(senderProblem({ ...good, webContentsId: 2 }, trusted)!, /not one of Dockhand/);
  assert.match(senderProblem({ ...good, isMainFrame: false }, trusted)!, /sub-frame/);
  for (const url of [
    'https://evil.example/',
    'file:///etc/passwd',
    'app://evil/index.html',
    'app://dockhand:1/x',
    'app://user@dockhand/x',
    'devtools://devtools',
    null,
    undefined,
    '',
  ]) {
    assert.ok(senderProblem({ ...good, frameUrl: url }, trusted), String(url));
  }
});

test('IPC: a refused sender gets a forbidden envelope and the handler never runs; a good one gets validated input and output', async () => {
  const api = createApi({ transport: 'electron', host: new LocalHost(), configDir: await tempDir() });
  const refused = await handleInvoke(api, { ...good, frameUrl: 'https://evil.example/' }, new Set([1]), 'settings.set', { theme: 'dark' });
  assert.equal(!refused.ok && refused.error.code, 'forbidden');
  assert.equal((await api.handlers['settings.get']({})).theme, 'system');
  const invalid = await handleInvoke(api, good, new Set([1]), 'settings.set', { theme: 'neon' });
  assert.equal(!invalid.ok && invalid.error.code, 'invalid-input');
  const ok = await handleInvoke(api, good, new Set([1]), 'settings.set', { theme: 'dark' });
  assert.ok(ok.ok && (ok.result as { theme: string }).theme === 'dark');
  const info = await handleInvoke(api, good, new Set([1]), 'app.info', {});
  assert.ok(info.ok && (info.result as { transport: string }).transport === 'electron');
});

test('the preload builds its API from exactly the channel map', () => {
  assert.deepEqual([...CHANNEL_NAME_LIST].sort(), [...CHANNEL_NAMES].sort());
});

test('navigation: app:// only; https links go to the system browser; no other request leaves the app', () => {
  assert.ok(isAppUrl('app://dockhand/index.html'));
  assert.ok(!isAppUrl('app://dockhand.evil/index.html'));
  assert.ok(!isAppUrl('http://dockhand/index.html'));
  assert.equal(externalUrl('https://docs.docker.com/engine/'), 'https://docs.docker.com/engine/');
  for (const url of [
    'http://example.com',
    'file:///etc/passwd',
    'javascript:alert(1)',
    'app://dockhand/x',
    'https://user:pw@example.com/',
    'not a url',
  ])
    assert.equal(externalUrl(url), null, url);
  assert.ok(isAllowedRequest('app://dockhand/assets/index.js', false));
  assert.ok(!isAllowedRequest('https://cdn.example/x.js', false));
  assert.ok(!isAllowedRequest('devtools://devtools/bundled/x', false));
  assert.ok(isAllowedRequest('devtools://devtools/bundled/x', true));
});

test('app:// protocol: the renderer with the CSP, nothing outside it, nothing of another host', async () => {
  const root = path.join(await tempDir(), 'renderer');
  await fs.mkdir(root);
  await fs.writeFile(path.join(root, 'index.html'), '<!doctype html>');
  await fs.writeFile(path.join(root, '..', 'secret'), 'secret');
  const index = await appProtocolResponse(root, 'app://dockhand/index.html');
  assert.equal(index.status, 200);
  assert.equal(await index.text(), '<!doctype html>');
  assert.match(index.headers.get('content-security-policy')!, /^default-src 'none'; script-src 'self'; style-src 'self'/);
  assert.equal(index.headers.get('content-type'), 'text/html; charset=utf-8');
  assert.equal((await appProtocolResponse(root, 'app://dockhand/../secret')).status, 404);
  assert.equal((await appProtocolResponse(root, 'app://dockhand/%2e%2e/secret')).status, 404);
  assert.equal((await appProtocolResponse(root, 'app://other/index.html')).status, 404);
});

test('window state: saved bounds come back, fitted to the screens there are now', async () => {
  const screen = { x: 0, y: 0, width: 1920, height: 1040 };
  assert.deepEqual(fitToDisplays({ width: 1400, height: 900, x: 100, y: 50, maximized: false }, [screen]), {
    width: 1400,
    height: 900,
    x: 100,
    y: 50,
    maximized: false,
  });
  assert.deepEqual(
    fitToDisplays({ width: 1400, height: 900, x: 2500, y: 50, maximized: false }, [screen]),
    { width: 1400, height: 900, maximized: false },
    'a window on an unplugged monitor is centred',
  );
  assert.deepEqual(fitToDisplays({ width: 4000, height: 3000, maximized: true }, [screen]), { width: 1920, height: 1040, maximized: true });
  assert.deepEqual(
    fitToDisplays({ width: 1400, height: 900, x: 2000, y: 0, maximized: false }, [screen, { x: 1920, y: 0, width: 1280, height: 1024 }]).x,
    2000,
    'the second screen is still there',
  );
  assert.deepEqual(parseWindowState({ width: 'x' }), DEFAULT_WINDOW_STATE);
  assert.deepEqual(parseWindowState({ width: 10, height: 10, maximized: false }), DEFAULT_WINDOW_STATE, 'too small to be a real window');

  const file = path.join(await tempDir(), 'window-state.json');
  assert.deepEqual(await loadWindowState(file), DEFAULT_WINDOW_STATE);
  // The debounce's timer runs on a clock the test moves: written() then says when the write it started has landed.
  mock.timers.enable({ apis: ['setTimeout'] });
  const saver = new WindowStateSaver(file, 500);
  try {
    saver.update({ width: 1000, height: 700, x: 5, y: 6, maximized: false });
    mock.timers.tick(499);
    saver.update({ width: 1100, height: 720, x: 5, y: 6, maximized: true });
    mock.timers.tick(499);
    await saver.written();
    assert.equal(await fs.stat(file).catch(() => null), null, 'nothing written while the bounds keep changing');
    mock.timers.tick(1);
    await saver.written();
  } finally {
    mock.timers.reset();
  }
  assert.deepEqual(
    await loadWindowState(file),
    { width: 1100, height: 720, x: 5, y: 6, maximized: true },
    'debounced: the last bounds win',
  );
  saver.update({ width: 1200, height: 760, maximized: false });
  await saver.flush();
  assert.deepEqual(await loadWindowState(file), { width: 1200, height: 760, maximized: false }, 'flushed at once on close');
});

test('tray: red for a critical or high failure, amber for other problems, grey without an answer from the daemon', () => {
  const report = (findings: { severity: string; status: string }[], extra: object = {}) =>
    ({
      engineError: null,
      endpointError: null,
      summary: { score: 70, byStatus: { warn: findings.filter((f) => f.status === 'warn').length } },
      findings: findings.map((f) => ({ severity: f.severity, result: { status: f.status } })),
      ...extra,
    }) as never;
  assert.equal(trayState(null, false).icon, 'unknown');
  assert.equal(trayState(report([{ severity: 'high', status: 'fail' }]), false).icon, 'fail');
  assert.equal(trayState(report([{ severity: 'low', status: 'fail' }]), false).icon, 'warn');
  assert.equal(trayState(report([{ severity: 'high', status: 'pass' }]), false).icon, 'ok');
  assert.equal(trayState(report([], { engineError: 'connection refused' }), false).icon, 'unknown');
  assert.match(trayState(report([{ severity: 'low', status: 'fail' }]), false).tooltip, /score 70\/100 · 1 failed/);
  assert.equal(trayState(null, true).tooltip, 'Dockhand: auditing…');
});

test("menu: re-run and every screen have accelerators, the same keys as the page's; Quit is under File except on macOS", () => {
  const calls: string[] = [];
  const actions = {
    rerun: () => calls.push('rerun'),
    navigate: (s: string) => calls.push(s),
    openConfigDir: () => calls.push('dir'),
    about: () => calls.push('about'),
  };
  const linux = menuTemplate('linux', actions, false);
  const file = linux.find((m) => m.label === '&File')!;
  const items = file.submenu as { label?: string; role?: string; accelerator?: string; click?: () => void }[];
  assert.equal(items[0]!.accelerator, 'CmdOrCtrl+R');
  items[0]!.click!();
  assert.ok(items.some((i) => i.role === 'quit'));
  const view = (linux.find((m) => m.label === '&View')!.submenu as typeof items).filter((i) => i.accelerator?.match(/CmdOrCtrl\+\d/));
  view.forEach((i) => i.click!());
  assert.deepEqual(calls, ['rerun', 'overview', 'findings', 'history', 'disk', 'settings']);
  assert.deepEqual(
    view.map((i) => [i.label, i.accelerator]),
    [
      ['Overview', 'CmdOrCtrl+1'],
      ['Findings', 'CmdOrCtrl+2'],
      ['History', 'CmdOrCtrl+3'],
      ['Disk', 'CmdOrCtrl+4'],
      ['Settings', 'CmdOrCtrl+5'],
    ],
  );
  assert.ok(!JSON.stringify(linux).includes('toggleDevTools'), 'no devtools in a packaged app');
  assert.equal(menuTemplate('darwin', actions, false)[0]!.role, 'appMenu');
});

test('self command: the packaged app starts its helper through its launcher; a checkout through env(1); an AppImage and other systems refuse with why', () => {
  const layout = {
    platform: 'linux' as const,
    packaged: true,
    resourcesPath: '/opt/Dockhand/resources',
    execPath: '/opt/Dockhand/dockhand-desktop',
    appPath: '/opt/Dockhand/resources/app.asar',
  };
  assert.deepEqual(electronSelf(layout), {
    ok: true,
    argv: ['/opt/Dockhand/resources/bin/dockhand'],
    path: '/opt/Dockhand/resources/bin/dockhand',
  });
  assert.deepEqual(electronSelf({ ...layout, packaged: false, execPath: '/src/node_modules/electron/dist/electron', appPath: '/src' }), {
    ok: true,
    argv: ['/usr/bin/env', 'ELECTRON_RUN_AS_NODE=1', '/src/node_modules/electron/dist/electron', '/src/bin/dockhand.cjs'],
    path: '/src/bin/dockhand.cjs',
  });
  const appImage = electronSelf({ ...layout, appImage: '/home/u/Dockhand.AppImage' });
  assert.equal(appImage.ok, false);
  assert.match(!appImage.ok ? appImage.why : '', /AppImage cannot start its root helper .* install the \.deb or \.rpm/);
  assert.equal(electronSelf({ ...layout, platform: 'darwin' }).ok, false);
});

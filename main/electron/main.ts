// The desktop app's main process: a thin shell around the same API `dockhand serve` offers. Everything here is
// Electron wiring (window, protocol, IPC, tray, menu, lifecycle); the work is done by main/api.
import { app, BrowserWindow, ipcMain, Menu, nativeImage, nativeTheme, protocol, screen, session, shell, Tray, dialog } from 'electron';
import os from 'node:os';
import path from 'node:path';
import type { Screen } from '../../shared/api';
import { configDir as defaultConfigDir, WINDOW_STATE_FILE } from '../api/config-dir';
import { createApi } from '../api/index';
import { LocalHost } from '../host/local-host';
import { VERSION } from '../version';
import { appProtocolResponse } from './app-protocol';
import { registerIpc } from './ipc';
import { menuTemplate } from './menu';
import { electronSelf } from './self-command';
import { APP_ENTRY, APP_SCHEME, externalUrl, isAllowedRequest, isAppUrl } from './policy';
import { trayState } from './tray-state';
import { fitToDisplays, loadWindowState, WindowStateSaver } from './window-state';

// Bundled to dist/electron/main.cjs: the renderer and the tray icons sit beside it.
const HERE = __dirname;
const RENDERER_DIR = path.join(HERE, '..', 'renderer');
const PRELOAD = path.join(HERE, 'preload.cjs');
const TRAY_DIR = path.join(HERE, 'tray');
const devtools = !app.isPackaged;

// Before ready: app:// is a standard, secure scheme (a real origin, no mixed-content downgrade).
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true } }]);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  void start();
}

async function start(): Promise<void> {
  const configDir = defaultConfigDir(process.platform, process.env, os.homedir());
  const api = createApi({
    transport: 'electron',
    host: new LocalHost(),
    configDir,
    runtime: { electron: process.versions.electron ?? null, chrome: process.versions.chrome ?? null },
    // eslint-disable-next-line no-console -- the desktop shell's own log: stderr, where Electron's is.
    log: (m) => console.error(`dockhand: ${m}`),
    self: electronSelf({
      platform: process.platform,
      packaged: app.isPackaged,
      resourcesPath: process.resourcesPath,
      execPath: process.execPath,
      appPath: app.getAppPath(),
      appImage: process.env.APPIMAGE,
    }),
  });
  let window: BrowserWindow | null = null;
  let tray: Tray | null = null;
  let auditRunning = false;

  app.on('second-instance', () => {
    if (!window) return;
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
  });

  // Every web contents, present and future: no navigation away from the app, no new windows (https links go to the
  // system browser), no <webview>.
  app.on('web-contents-created', (_e, contents) => {
    contents.on('will-navigate', (event, url) => {
      if (!isAppUrl(url)) event.preventDefault();
    });
    contents.on('will-redirect', (event, url) => {
      if (!isAppUrl(url)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      const external = externalUrl(url);
      if (external) void shell.openExternal(external);
      return { action: 'deny' };
    });
  });

  await app.whenReady();
  app.setAppUserModelId('dev.dockhand.app');

  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.setDevicePermissionHandler(() => false);
  ses.webRequest.onBeforeRequest((details, callback) => callback({ cancel: !isAllowedRequest(details.url, devtools) }));
  ses.protocol.handle(APP_SCHEME, (request) => appProtocolResponse(RENDERER_DIR, request.url));

  const windows = () => (window && !window.isDestroyed() ? [window.webContents] : []);
  registerIpc(ipcMain, api, windows);

  const navigate = (screen: Screen) => {
    if (!window) createWindow();
    api.events.emit('app.navigate', { screen });
  };
  const rerun = () => {
    void api.dispatch('audit.run', {});
  };

  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      menuTemplate(
        process.platform,
        {
          rerun,
          navigate,
          openConfigDir: () => void shell.openPath(configDir),
          about: () =>
            void dialog.showMessageBox({
              type: 'info',
              title: 'About Dockhand',
              message: `Dockhand ${VERSION}`,
              detail: `Audit and harden a Docker host, and clean its disk.\nElectron ${process.versions.electron}, Chromium ${process.versions.chrome}, Node ${process.versions.node}`,
            }),
        },
        devtools,
      ),
    ),
  );

  async function updateTray(): Promise<void> {
    const last = await api.dispatch('report.last', {});
    const { icon, tooltip } = trayState(last.ok ? last.result : null, auditRunning);
    if (!tray) {
      tray = new Tray(nativeImage.createFromPath(path.join(TRAY_DIR, `${icon}.png`)));
      tray.on('click', () => (window ? window.show() : createWindow()));
    } else {
      tray.setImage(nativeImage.createFromPath(path.join(TRAY_DIR, `${icon}.png`)));
    }
    tray.setToolTip(tooltip);
    tray.setContextMenu(
      Menu.buildFromTemplate([
        { label: tooltip.replace(/^Dockhand: /, ''), enabled: false },
        { type: 'separator' },
        { label: 'Open Dockhand', click: () => (window ? window.show() : createWindow()) },
        { label: 'Re-run Audit', click: rerun, enabled: !auditRunning },
        { type: 'separator' },
        { label: 'Quit Dockhand', role: 'quit' },
      ]),
    );
  }
  // The native parts (title bar, menus, dialogs) follow the theme chosen in Settings, like the page does.
  const settings = await api.dispatch('settings.get', {});
  if (settings.ok) nativeTheme.themeSource = settings.result.theme;
  api.events.subscribe((message) => {
    if (message.event === 'settings.changed') nativeTheme.themeSource = message.payload.theme;
    if (message.event !== 'audit.progress') return;
    const phase = message.payload.phase;
    if (phase === 'started' || phase === 'finished' || phase === 'failed') {
      auditRunning = phase === 'started';
      void updateTray();
    }
  });

  const stateFile = path.join(configDir, WINDOW_STATE_FILE);
  const saver = new WindowStateSaver(stateFile);

  async function createWindowAsync(): Promise<void> {
    const saved = fitToDisplays(
      await loadWindowState(stateFile),
      screen.getAllDisplays().map((d) => d.workArea),
    );
    const win = new BrowserWindow({
      width: saved.width,
      height: saved.height,
      ...(saved.x !== undefined && saved.y !== undefined ? { x: saved.x, y: saved.y } : {}),
      minWidth: 800,
      minHeight: 560,
      show: false,
      title: 'Dockhand',
      backgroundColor: nativeTheme.shouldUseDarkColors ? '#0e1116' : '#f4f6f9',
      icon: path.join(TRAY_DIR, 'app.png'),
      webPreferences: {
        preload: PRELOAD,
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        nodeIntegrationInWorker: false,
        nodeIntegrationInSubFrames: false,
        webSecurity: true,
        allowRunningInsecureContent: false,
        webviewTag: false,
        navigateOnDragDrop: false,
        spellcheck: false,
        devTools: devtools,
      },
    });
    window = win;
    if (saved.maximized) win.maximize();
    win.once('ready-to-show', () => win.show());
    const remember = () => {
      if (!win.isDestroyed() && !win.isMinimized()) saver.update({ ...win.getNormalBounds(), maximized: win.isMaximized() });
    };
    win.on('resize', remember);
    win.on('move', remember);
    win.on('maximize', remember);
    win.on('unmaximize', remember);
    win.on('close', () => {
      remember();
      void saver.flush();
    });
    win.on('closed', () => {
      window = null;
    });
    await win.loadURL(APP_ENTRY);
  }
  function createWindow(): void {
    void createWindowAsync();
  }

  createWindow();
  await updateTray();

  app.on('activate', () => {
    if (!window) createWindow();
  });
  // The tray keeps the app alive on Linux and Windows too; quitting is explicit (menu, tray, Ctrl+Q).
  app.on('window-all-closed', () => {
    if (!tray) app.quit();
  });
}

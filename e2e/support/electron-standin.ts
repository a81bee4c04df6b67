// A stand-in for the `electron` module, for running the desktop app's real main-process bundle under plain Node:
// Electron's binary cannot be downloaded on these machines. It implements only what dist/electron/main.cjs uses, and
// records what the app asks of it (window options, handlers, menus, tray) so the test can check and drive them.
import { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';

export interface MenuItem {
  label?: string;
  role?: string;
  accelerator?: string;
  enabled?: boolean;
  type?: string;
  click?: () => void;
  submenu?: MenuItem[];
}

type IpcHandler = (event: { sender: StandInWebContents; senderFrame: { url: string } | null }, input: unknown) => Promise<unknown>;
type WindowOpenHandler = (details: { url: string }) => { action: 'allow' | 'deny' };

export class StandInWebContents extends EventEmitter {
  readonly mainFrame = { url: '' };
  windowOpenHandler: WindowOpenHandler | null = null;
  constructor(
    readonly id: number,
    private readonly onSend: (channel: string, message: unknown) => void,
  ) {
    super();
  }
  isDestroyed(): boolean {
    return false;
  }
  send(channel: string, message: unknown): void {
    this.onSend(channel, message);
  }
  setWindowOpenHandler(handler: WindowOpenHandler): void {
    this.windowOpenHandler = handler;
  }
}

export interface StandInState {
  privilegedSchemes: { scheme: string; privileges: Record<string, boolean> }[];
  ipcHandlers: Map<string, IpcHandler>;
  protocolHandlers: Map<string, (request: Request) => Promise<Response>>;
  permissionRequest: ((wc: unknown, permission: string, callback: (granted: boolean) => void) => void) | null;
  permissionCheck: (() => boolean) | null;
  beforeRequest: ((details: { url: string }, callback: (response: { cancel: boolean }) => void) => void) | null;
  windows: StandInWindow[];
  applicationMenu: MenuItem[] | null;
  tray: StandInTray | null;
  openedExternally: string[];
  nativeTheme: { themeSource: string; shouldUseDarkColors: boolean };
  /** Where webContents.send goes: the test forwards it to the page. */
  onSend: (channel: string, message: unknown) => void;
}

export class StandInWindow extends EventEmitter {
  readonly webContents: StandInWebContents;
  url: string | null = null;
  constructor(
    readonly options: Record<string, unknown> & { webPreferences: Record<string, unknown> },
    webContents: StandInWebContents,
  ) {
    super();
    this.webContents = webContents;
  }
  async loadURL(url: string): Promise<void> {
    this.url = url;
    this.webContents.mainFrame.url = url;
  }
  isDestroyed = () => false;
  isMinimized = () => false;
  isMaximized = () => false;
  getNormalBounds = () => ({ x: 10, y: 10, width: Number(this.options.width), height: Number(this.options.height) });
  show = () => undefined;
  focus = () => undefined;
  restore = () => undefined;
  maximize = () => undefined;
}

export class StandInTray extends EventEmitter {
  tooltip = '';
  menu: MenuItem[] = [];
  constructor(public image: { path: string }) {
    super();
  }
  setImage(image: { path: string }): void {
    this.image = image;
  }
  setToolTip(text: string): void {
    this.tooltip = text;
  }
  setContextMenu(menu: { template: MenuItem[] }): void {
    this.menu = menu.template;
  }
}

export function createElectronStandIn(options: { isPackaged: boolean; appPath: string }): {
  electron: Record<string, unknown>;
  state: StandInState;
} {
  const state: StandInState = {
    privilegedSchemes: [],
    ipcHandlers: new Map(),
    protocolHandlers: new Map(),
    permissionRequest: null,
    permissionCheck: null,
    beforeRequest: null,
    windows: [],
    applicationMenu: null,
    tray: null,
    openedExternally: [],
    nativeTheme: { themeSource: 'system', shouldUseDarkColors: false },
    onSend: () => undefined,
  };
  let ids = 0;
  const app = Object.assign(new EventEmitter(), {
    isPackaged: options.isPackaged,
    requestSingleInstanceLock: () => true,
    whenReady: () => Promise.resolve(),
    setAppUserModelId: () => undefined,
    getAppPath: () => options.appPath,
    quit: () => undefined,
  });
  class BrowserWindow extends StandInWindow {
    constructor(windowOptions: StandInWindow['options']) {
      super(windowOptions, new StandInWebContents(++ids, (channel, message) => state.onSend(channel, message)));
      state.windows.push(this);
      app.emit('web-contents-created', {}, this.webContents);
    }
  }
  const electron = {
    app,
    BrowserWindow,
    Tray: class extends StandInTray {
      constructor(image: { path: string }) {
        super(image);
        state.tray = this;
      }
    },
    ipcMain: {
      handle: (channel: string, handler: IpcHandler) => state.ipcHandlers.set(channel, handler),
      removeHandler: (channel: string) => state.ipcHandlers.delete(channel),
    },
    Menu: {
      buildFromTemplate: (template: MenuItem[]) => ({ template }),
      setApplicationMenu: (menu: { template: MenuItem[] }) => (state.applicationMenu = menu.template),
    },
    nativeImage: { createFromPath: (path: string) => ({ path }) },
    nativeTheme: state.nativeTheme,
    protocol: { registerSchemesAsPrivileged: (schemes: StandInState['privilegedSchemes']) => state.privilegedSchemes.push(...schemes) },
    screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (handler: StandInState['permissionRequest']) => (state.permissionRequest = handler),
        setPermissionCheckHandler: (handler: StandInState['permissionCheck']) => (state.permissionCheck = handler),
        setDevicePermissionHandler: () => undefined,
        webRequest: { onBeforeRequest: (handler: StandInState['beforeRequest']) => (state.beforeRequest = handler) },
        protocol: {
          handle: (scheme: string, handler: (request: Request) => Promise<Response>) => state.protocolHandlers.set(scheme, handler),
        },
      },
    },
    shell: {
      openExternal: async (url: string) => void state.openedExternally.push(url),
      openPath: async () => '',
    },
    dialog: { showMessageBox: async () => ({ response: 0 }) },
  };
  return { electron, state };
}

/** Loads a bundle that requires 'electron' with the stand-in in its place. */
export function loadWithElectron(bundle: string, electron: Record<string, unknown>): unknown {
  const require = createRequire(bundle);
  const key = require.resolve('electron');
  require.cache[key] = { id: key, filename: key, loaded: true, exports: electron } as NodeJS.Module;
  return require(bundle);
}

/**
 * The preload, as the page sees it: its real bundle, evaluated in the page with `electron` answered by a bridge to the
 * test (a sandboxed preload may require 'electron' and nothing else: anything more throws). Returns an init script.
 */
export function preloadInitScript(preloadSource: string): string {
  return `(() => {
  const listeners = new Map();
  const electron = {
    contextBridge: { exposeInMainWorld: (key, value) => Object.defineProperty(window, key, { value: Object.freeze(value) }) },
    ipcRenderer: {
      invoke: (channel, input) => window.__standInInvoke(channel, input),
      on: (channel, handler) => listeners.set(channel, [...(listeners.get(channel) || []), handler]),
      removeListener: (channel, handler) => listeners.set(channel, (listeners.get(channel) || []).filter((h) => h !== handler)),
    },
  };
  window.__standInEmit = (channel, message) => { for (const h of listeners.get(channel) || []) h({}, message); };
  const module = { exports: {} };
  const require = (id) => { if (id === 'electron') return electron; throw new Error('a sandboxed preload cannot require ' + id); };
  (function (require, module, exports) { ${preloadSource}\n })(require, module, module.exports);
})();`;
}

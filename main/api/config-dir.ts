import path from 'node:path';

/**
 * Where Dockhand keeps its settings and state, per platform's convention. The same directory for `dockhand serve` and
 * the desktop app, so both see the same settings and last report. DOCKHAND_CONFIG_DIR overrides it (portable installs,
 * tests).
 */
export function configDir(platform: NodeJS.Platform, env: NodeJS.ProcessEnv, home: string): string {
  if (env.DOCKHAND_CONFIG_DIR) return path.resolve(env.DOCKHAND_CONFIG_DIR);
  if (platform === 'win32') return path.win32.join(env.APPDATA || path.win32.join(home, 'AppData', 'Roaming'), 'Dockhand');
  if (platform === 'darwin') return path.posix.join(home, 'Library', 'Application Support', 'Dockhand');
  // XDG says a relative XDG_CONFIG_HOME is invalid and must be ignored.
  const xdg = env.XDG_CONFIG_HOME && path.isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : path.posix.join(home, '.config');
  return path.posix.join(xdg, 'dockhand');
}

export const SETTINGS_FILE = 'settings.json';
export const LAST_AUDIT_FILE = 'last-audit.json';
export const WINDOW_STATE_FILE = 'window-state.json';

import type { MenuItemConstructorOptions } from 'electron';
import { type Screen, SCREENS } from '../../shared/screens';

export interface MenuActions {
  rerun: () => void;
  navigate: (screen: Screen) => void;
  /** Where settings, the last report and the window state are kept. */
  openConfigDir: () => void;
  about: () => void;
}

/** The native menu. On macOS the first menu is the app's own; elsewhere Quit lives under File. */
export function menuTemplate(platform: NodeJS.Platform, actions: MenuActions, devtools: boolean): MenuItemConstructorOptions[] {
  const mac = platform === 'darwin';
  const screens = SCREENS.map(({ label, screen, shortcut }): MenuItemConstructorOptions => ({
    label,
    accelerator: `CmdOrCtrl+${shortcut}`,
    click: () => actions.navigate(screen),
  }));
  return [
    ...(mac ? [{ role: 'appMenu' as const }] : []),
    {
      label: '&File',
      submenu: [
        { label: 'Re-run Audit', accelerator: 'CmdOrCtrl+R', click: actions.rerun },
        { type: 'separator' },
        mac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: '&View',
      submenu: [
        ...screens,
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
        ...(devtools ? [{ role: 'toggleDevTools' as const }] : []),
      ],
    },
    { role: 'windowMenu' },
    {
      role: 'help',
      submenu: [
        { label: 'Open Settings Folder', click: actions.openConfigDir },
        ...(mac ? [] : [{ label: 'About Dockhand', click: actions.about }]),
      ],
    },
  ];
}

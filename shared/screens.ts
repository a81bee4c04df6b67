// The app's screens, in order: the sidebar, the Ctrl/Cmd+digit shortcuts and the native menu all come from this list,
// so a key means the same screen in the page and in the menu. No zod here: the Electron menu imports it.
export const SCREENS = [
  { screen: 'overview', label: 'Overview', shortcut: '1' },
  { screen: 'findings', label: 'Findings', shortcut: '2' },
  { screen: 'history', label: 'History', shortcut: '3' },
  { screen: 'disk', label: 'Disk', shortcut: '4' },
  { screen: 'settings', label: 'Settings', shortcut: '5' },
] as const;

export type Screen = (typeof SCREENS)[number]['screen'];
export const SCREEN_IDS = SCREENS.map((s) => s.screen) as [Screen, ...Screen[]];

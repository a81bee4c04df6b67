/**
 * What the desktop app's page may do, as pure functions of URLs (unit-tested without Electron). The page is served
 * from app://dockhand/ only; anything else is remote content and is refused.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'dockhand';
const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY = `${APP_ORIGIN}/index.html`;

export function isAppUrl(url: string | undefined | null): boolean {
  if (!url) return false;
  try {
    const u = new URL(url);
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST && u.username === '' && u.password === '' && u.port === '';
  } catch {
    return false;
  }
}

/** A link the user clicked that may open in the system browser: https only (references, docs); null otherwise. */
export function externalUrl(url: string): string | null {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' && u.username === '' && u.password === '' ? u.href : null;
  } catch {
    return null;
  }
}

/** Requests the page's session may make at all: its own app:// files (devtools aside, which only run unpackaged). */
export function isAllowedRequest(url: string, devtools: boolean): boolean {
  if (isAppUrl(url)) return true;
  return devtools && (url.startsWith('devtools://') || url.startsWith('chrome-extension://'));
}

export interface SenderInfo {
  /** The URL of the frame that sent the message (null once it navigated away or was destroyed). */
  frameUrl: string | null | undefined;
  /** Sub-frames never get the API, even same-origin ones. */
  isMainFrame: boolean;
  /** The webContents the message came from, which must be one of the app's own windows. */
  webContentsId: number;
}

/** Why an IPC message is refused, or null when its sender is the app's own page in one of its windows. */
export function senderProblem(sender: SenderInfo, trustedWebContents: ReadonlySet<number>): string | null {
  if (!trustedWebContents.has(sender.webContentsId)) return 'not one of Dockhand’s windows';
  if (!sender.isMainFrame) return 'a sub-frame';
  if (!isAppUrl(sender.frameUrl)) return `a page outside ${APP_ORIGIN} (${String(sender.frameUrl).slice(0, 100)})`;
  return null;
}

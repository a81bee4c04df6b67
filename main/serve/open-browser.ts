import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The command that opens a file or URL with the desktop's default handler. */
export function openerCommand(platform: NodeJS.Platform): { command: string; args: (target: string) => string[] } {
  if (platform === 'darwin') return { command: 'open', args: (t) => [t] };
  if (platform === 'win32') return { command: 'cmd', args: (t) => ['/c', 'start', '""', t] };
  return { command: 'xdg-open', args: (t) => [t] };
}

/** A page that sends the browser on to the URL: the file is private (0600), the URL is not in any command line. */
export function redirectPage(url: string): string {
  const escaped = url.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  return `<!doctype html><html><head><meta charset="utf-8"><meta http-equiv="refresh" content="0;url=${escaped}"><title>Dockhand</title></head><body><a href="${escaped}">Open Dockhand</a></body></html>\n`;
}

/**
 * Opens the UI in the user's browser. The token-bearing URL is passed through a private redirect file, as Jupyter
 * does: a command line is readable by every local user (ps), a 0600 file is not. Returns false when no opener
 * could be started (a headless server); the printed URL still works.
 */
export async function openBrowser(url: string): Promise<boolean> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'dockhand-open-'));
  const file = path.join(dir, 'open.html');
  await fs.writeFile(file, redirectPage(url), { mode: 0o600 });
  const { command, args } = openerCommand(process.platform);
  const started = await new Promise<boolean>((resolve) => {
    const child = spawn(command, args(file), { stdio: 'ignore', detached: true });
    child.once('error', () => resolve(false));
    child.once('spawn', () => {
      child.unref();
      resolve(true);
    });
  });
  // The browser reads the file within seconds; do not leave the token on disk for long.
  setTimeout(() => void fs.rm(dir, { recursive: true, force: true }), 60_000).unref();
  if (!started) await fs.rm(dir, { recursive: true, force: true });
  return started;
}

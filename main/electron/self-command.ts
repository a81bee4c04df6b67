// How the desktop app runs its own command line from outside the app process: for the root helper (pkexec or sudo run
// it as root) and for a scheduled prune. No Electron import here, so it is tested under plain Node.
import path from 'node:path';
import type { SelfCommand } from '../util/self-command';

export interface AppLayout {
  platform: NodeJS.Platform;
  /** app.isPackaged: installed (deb, rpm, dmg, …) rather than run from a checkout. */
  packaged: boolean;
  /** process.resourcesPath: where electron-builder put app.asar, app.asar.unpacked and bin/dockhand. */
  resourcesPath: string;
  /** process.execPath: the app's Electron binary. */
  execPath: string;
  /** app.getAppPath(): the checkout when not packaged. */
  appPath: string;
  /** $APPIMAGE, set by the AppImage runtime. */
  appImage?: string;
}

export function electronSelf(layout: AppLayout): SelfCommand {
  if (layout.platform !== 'linux') {
    return {
      ok: false,
      why: 'the desktop app asks for root through pkexec or sudo on Linux only; on this system, use the dockhand command in a terminal as an administrator',
    };
  }
  if (layout.appImage) {
    // The AppImage's files live in a FUSE mount only its user can read: root cannot run anything from it.
    return {
      ok: false,
      why: "the AppImage cannot start its root helper (root cannot read the AppImage's private mount); install the .deb or .rpm package to apply such fixes from the app",
    };
  }
  if (layout.packaged) {
    // build/bin/dockhand, shipped as an extra resource: runs the unpacked CLI under this Electron as Node.
    const launcher = path.join(layout.resourcesPath, 'bin', 'dockhand');
    return { ok: true, argv: [launcher], path: launcher };
  }
  // From a checkout (`npm run app`): the repository's bin, under this Electron as Node. pkexec and sudo clear the
  // environment, so the variable goes on the command line through env(1).
  const bin = path.join(layout.appPath, 'bin', 'dockhand.cjs');
  return { ok: true, argv: ['/usr/bin/env', 'ELECTRON_RUN_AS_NODE=1', layout.execPath, bin], path: bin };
}

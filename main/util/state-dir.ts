import os from 'node:os';
import path from 'node:path';

/**
 * Where Dockhand keeps its state (the fix journal, the prune plan key): system-wide for root (it changes system files),
 * per user otherwise.
 */
export function stateDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.DOCKHAND_STATE_DIR) return env.DOCKHAND_STATE_DIR;
  if (process.getuid?.() === 0) return '/var/lib/dockhand';
  return path.join(env.XDG_STATE_HOME || path.join(os.homedir(), '.local', 'state'), 'dockhand');
}

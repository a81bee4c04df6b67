import { lstatSync, readlinkSync } from 'node:fs';
import path from 'node:path';

/** Linux's own limit on symlinks followed in one lookup (ELOOP). */
const MAX_LINKS = 40;

/**
 * `file` as a process chrooted at `root` would see it: symlinks are followed, an absolute one from the root, and `..`
 * never climbs out of it. Null after too many links. A missing component is not an error here: the caller's own
 * operation on the result reports it, with the path the user knows.
 */
export function resolveInRoot(root: string, file: string): string | null {
  const parts = path.posix.normalize(`/${file}`).split('/').filter(Boolean);
  const resolved: string[] = [];
  let links = 0;
  while (parts.length > 0) {
    const part = parts.shift()!;
    if (part === '..') {
      resolved.pop();
      continue;
    }
    if (part === '.') continue;
    const candidate = path.join(root, ...resolved, part);
    let target: string | null = null;
    try {
      if (lstatSync(candidate).isSymbolicLink()) target = readlinkSync(candidate);
    } catch {
      // missing: see above
    }
    if (target === null) {
      resolved.push(part);
      continue;
    }
    if (++links > MAX_LINKS) return null;
    if (target.startsWith('/')) resolved.length = 0;
    parts.unshift(...target.split('/').filter(Boolean));
  }
  return path.join(root, ...resolved);
}

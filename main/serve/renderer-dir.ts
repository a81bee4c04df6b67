import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * The built renderer (dist/renderer), found from where this code runs: the bundle in dist/ and the sources under
 * main/serve/ sit at different depths, so walk up until a dist/renderer/index.html appears.
 */
export function findRendererDir(from: string): string | null {
  let dir = path.resolve(from);
  for (;;) {
    for (const candidate of [path.join(dir, 'renderer'), path.join(dir, 'dist', 'renderer')]) {
      if (existsSync(path.join(candidate, 'index.html')) && path.basename(path.dirname(candidate)) === 'dist') return candidate;
    }
    const parent = path.dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

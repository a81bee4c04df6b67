// Where a Docker Desktop settings edit may land. The path a plan names is a string; what gets written is whatever the
// kernel resolves it to, so the check is on the resolved path: the real parent directory must be one of Desktop's
// own settings directories under the user's (real) home, and the file itself a regular file, not a link, owned by
// the home's owner (who must be this process's user unless it is root working on an offline root). A symlinked
// directory or an odd name can no longer redirect the write.
import { promises as fs } from 'node:fs';
import path from 'node:path';

/** Desktop's settings directories, relative to the home directory, and the file names it reads there. */
const SETTINGS_DIRS = ['Library/Group Containers/group.com.docker', '.docker/desktop', 'AppData/Roaming/Docker'];
const SETTINGS_NAMES = new Set(['settings.json', 'settings-store.json']);

/**
 * Why `file` (on the host: `hostFile`, under a test's root) is not a Desktop settings file this user may have edited,
 * or null when it is one. `home` is the user's home on the host.
 */
export async function desktopSettingsProblem(file: string, hostFile: string, home: string): Promise<string | null> {
  if (!SETTINGS_NAMES.has(path.basename(hostFile)))
    return `${file} is not a Docker Desktop settings file (settings.json or settings-store.json)`;
  let realParent: string;
  let realHome: string;
  try {
    realParent = await fs.realpath(path.dirname(hostFile));
    realHome = await fs.realpath(home);
  } catch (error) {
    return `${file} cannot be resolved: ${(error as Error).message}`;
  }
  const uid = (await fs.stat(realHome)).uid;
  const self = process.getuid?.() ?? uid;
  if (self !== 0 && self !== uid) return `${home} is not your home directory (it belongs to uid ${uid})`;
  const known = SETTINGS_DIRS.map((d) => path.join(realHome, d));
  if (!known.includes(realParent))
    return `${file} is not in one of Docker Desktop's settings directories under ${home} (it resolves to ${path.join(realParent, path.basename(hostFile))})`;
  const real = path.join(realParent, path.basename(hostFile));
  let st: Awaited<ReturnType<typeof fs.lstat>>;
  try {
    st = await fs.lstat(real);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null; // the operation says to start Desktop once
    return `${file} cannot be read: ${(error as Error).message}`;
  }
  if (st.isSymbolicLink()) return `${file} is a symbolic link: Dockhand edits Docker Desktop's own settings file only`;
  if (!st.isFile()) return `${file} is not a regular file`;
  if (st.uid !== uid)
    return `${file} belongs to uid ${st.uid}, not to the owner of ${home} (uid ${uid}): Dockhand edits your own Docker Desktop settings only`;
  return null;
}

// Writes that can be interrupted at any instant (a kill, a power cut, a full disk) and leave either the old file or the
// new one, never a mix: a temporary file in the same directory, fsync, rename over the target, fsync the directory.
import { createHash } from 'node:crypto';
import { constants, promises as fs } from 'node:fs';
import path from 'node:path';

export const sha256 = (data: Buffer | string): string => createHash('sha256').update(data).digest('hex');

export interface FileState {
  exists: boolean;
  bytes: Buffer | null;
  sha256: string | null;
  mode: number | null;
  uid: number | null;
  gid: number | null;
}

/** The file's bytes and ownership now; a missing file is a state, not an error. */
export async function readFileState(file: string): Promise<FileState> {
  try {
    const [bytes, stat] = await Promise.all([fs.readFile(file), fs.stat(file)]);
    return { exists: true, bytes, sha256: sha256(bytes), mode: stat.mode & 0o7777, uid: stat.uid, gid: stat.gid };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { exists: false, bytes: null, sha256: null, mode: null, uid: null, gid: null };
    throw error;
  }
}

export interface WriteOptions {
  /** Mode and owner to give the file (the original's, to keep them); defaults: 0644, the process's owner. */
  mode?: number | null;
  uid?: number | null;
  gid?: number | null;
}

async function fsyncDirectory(dir: string): Promise<void> {
  const handle = await fs.open(dir, constants.O_RDONLY | (constants.O_DIRECTORY ?? 0));
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Atomically replaces `file` with `data`, keeping the given mode and owner. Creates parent directories when asked. */
export async function writeFileAtomic(file: string, data: Buffer | string, options: WriteOptions = {}, mkdirParents = false): Promise<void> {
  const dir = path.dirname(file);
  if (mkdirParents) await fs.mkdir(dir, { recursive: true, mode: 0o755 });
  const tmp = path.join(dir, `.${path.basename(file)}.dockhand-${process.pid}-${Date.now()}.tmp`);
  const handle = await fs.open(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
  try {
    try {
      await handle.writeFile(data);
      // Ownership first, mode second: chown clears setuid bits, and the mode must be the original's.
      if (options.uid != null && options.gid != null && process.getuid?.() === 0) await handle.chown(options.uid, options.gid);
      await handle.chmod(options.mode ?? 0o644);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(tmp, file);
  } catch (error) {
    await fs.rm(tmp, { force: true }).catch(() => undefined);
    throw error;
  }
  await fsyncDirectory(dir);
}

/** Removes `file` (absent is fine) and makes the removal durable. */
export async function removeFileDurably(file: string): Promise<void> {
  await fs.rm(file, { force: true });
  await fsyncDirectory(path.dirname(file)).catch(() => undefined);
}

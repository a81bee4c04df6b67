import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';

/**
 * Writes a file so that a reader (or a crash) sees the old content or the new, never half of it: a private temp file
 * in the same directory, fsync, rename over the target, fsync the directory. Mode 0600: settings and reports describe
 * the host's weak points and are nobody else's business.
 */
export async function writeFileAtomic(file: string, data: string | Uint8Array, mode = 0o600): Promise<void> {
  const dir = path.dirname(file);
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  const tmp = path.join(dir, `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(tmp, 'wx', mode);
    await handle.writeFile(data);
    await handle.sync();
    await handle.close();
    handle = undefined;
    await fs.rename(tmp, file);
  } catch (error) {
    await handle?.close().catch(() => undefined);
    await fs.rm(tmp, { force: true }).catch(() => undefined);
    throw new Error(`cannot write ${file}: ${(error as Error).message}`, { cause: error });
  }
  // The rename is durable only once the directory entry is; not every platform can open a directory (Windows).
  await fs
    .open(dir, 'r')
    .then(async (d) => {
      await d.sync().catch(() => undefined);
      await d.close();
    })
    .catch(() => undefined);
}

/** JSON for a file a person may read or edit. */
export function writeJsonAtomic(file: string, value: unknown): Promise<void> {
  return writeFileAtomic(file, `${JSON.stringify(value, null, 2)}\n`);
}

/** A promise chain that runs writes one at a time, in call order, so the last call's content is the one on disk. */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const next = this.tail.then(task, task);
    this.tail = next.catch(() => undefined);
    return next;
  }
}

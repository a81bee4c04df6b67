// test-needs: root — files owned by other users (chown)
import { promises as fs } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

/**
 * Builders for temporary root filesystems in tests: files, directories and unix sockets with exact modes and owners
 * (as root, the tests can chown). Sockets stay listening until closeSockets().
 */
const servers: net.Server[] = [];

/** Writes a file under `base`; the mode is set after writing because writeFile's goes through the umask. */
export async function put(base: string, p: string, text: string, mode = 0o644, uid = 0, gid = 0): Promise<void> {
  const full = path.join(base, p);
  await fs.mkdir(path.dirname(full), { recursive: true });
  await fs.writeFile(full, text);
  await fs.chmod(full, mode);
  await fs.chown(full, uid, gid);
}

export async function dir(base: string, p: string, mode: number, uid = 0, gid = 0): Promise<void> {
  const full = path.join(base, p);
  await fs.mkdir(full, { recursive: true });
  await fs.chmod(full, mode);
  await fs.chown(full, uid, gid);
}

/** A real listening unix socket, as dockerd or containerd would leave one. */
export async function socket(base: string, p: string, mode: number, uid: number, gid: number): Promise<void> {
  const full = path.join(base, p);
  await fs.mkdir(path.dirname(full), { recursive: true });
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(full, resolve));
  servers.push(server);
  await fs.chmod(full, mode);
  await fs.chown(full, uid, gid);
}

export async function closeSockets(): Promise<void> {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
}

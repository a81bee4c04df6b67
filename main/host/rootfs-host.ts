import path from 'node:path';
import { type CommandResult, type FileStat, type FsStat, type Host, HostError, type HostUser, type RunOptions } from './host';
import { resolveInRoot } from '../util/path-in-root';
import { listDir, readFileCapped, statFs, statPath } from './local-host';

/**
 * An offline root filesystem (an unpacked golden image, a mounted VM disk): paths are resolved inside the root,
 * absolute symlinks included, and nothing can run. Environment and user are those of the image's root user.
 */
export class RootfsHost implements Host {
  readonly kind = 'rootfs' as const;
  readonly platform = 'linux' as const;
  private readonly root: string;

  constructor(root: string) {
    this.root = path.resolve(root);
  }

  /** Resolves `p` as the image would see it, following symlinks without ever leaving the root. */
  async resolve(p: string): Promise<string> {
    const resolved = resolveInRoot(this.root, p);
    if (resolved === null) throw new HostError('failed', `${p}: too many levels of symbolic links`, p);
    return resolved;
  }

  async readFile(p: string, maxBytes?: number): Promise<Buffer> {
    return readFileCapped(await this.resolve(p), maxBytes, p);
  }
  async stat(p: string): Promise<FileStat> {
    return statPath(await this.resolve(p), p);
  }
  async readDir(p: string): Promise<string[]> {
    return listDir(await this.resolve(p), p);
  }
  async statfs(p: string): Promise<FsStat> {
    return statFs(await this.resolve(p), p);
  }
  run(command: string, _args: string[], _options: RunOptions): Promise<CommandResult> {
    return Promise.reject(new HostError('unsupported', `cannot run ${command}: auditing an offline root filesystem`));
  }
  env(_name: string): string | undefined {
    return undefined;
  }
  user(): HostUser {
    return { username: 'root', uid: 0, gid: 0, home: '/root', processGroups: [] };
  }
  hostname(): string {
    return `offline root ${this.root}`;
  }
  displayPath(p: string): string {
    return p;
  }
}

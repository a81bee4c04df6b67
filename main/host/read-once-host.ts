import type { CommandResult, FileStat, FsStat, Host, HostUser, RunOptions } from './host';

/**
 * One audit's view of a host: each file, directory and stat is read once and shared by every collector that asks, and
 * the account is looked up once. Several collectors look at the same places (the five systemd unit directories were
 * listed three times, docker.service read by two collectors, the account looked up in the passwd database four
 * times), and on a host with no containers those repeats were a large part of an audit's time. It also makes the
 * snapshot consistent: two collectors cannot see two versions of one file. Commands are not cached (each is asked for
 * what it prints now), nor is anything kept for longer than one collection.
 */
export class ReadOnceHost implements Host {
  readonly kind: Host['kind'];
  readonly platform: Host['platform'];
  private readonly files = new Map<string, Promise<Buffer>>();
  private readonly dirs = new Map<string, Promise<string[]>>();
  private readonly stats = new Map<string, Promise<FileStat>>();
  private account: HostUser | undefined;

  constructor(private readonly inner: Host) {
    this.kind = inner.kind;
    this.platform = inner.platform;
  }

  // Each caller gets its own copy: a collector that sorts a listing or edits a buffer must not change another's.
  async readFile(path: string, maxBytes?: number): Promise<Buffer> {
    return Buffer.from(await once(this.files, `${maxBytes ?? ''}:${path}`, () => this.inner.readFile(path, maxBytes)));
  }
  async readDir(path: string): Promise<string[]> {
    return [...(await once(this.dirs, path, () => this.inner.readDir(path)))];
  }
  async stat(path: string): Promise<FileStat> {
    return { ...(await once(this.stats, path, () => this.inner.stat(path))) };
  }
  statfs(path: string): Promise<FsStat> {
    return this.inner.statfs(path);
  }
  run(command: string, args: string[], options: RunOptions): Promise<CommandResult> {
    return this.inner.run(command, args, options);
  }
  env(name: string): string | undefined {
    return this.inner.env(name);
  }
  user(): HostUser {
    this.account ??= this.inner.user();
    return { ...this.account, processGroups: [...this.account.processGroups] };
  }
  hostname(): string {
    return this.inner.hostname();
  }
  displayPath(path: string): string {
    return this.inner.displayPath(path);
  }
}

function once<T>(cache: Map<string, Promise<T>>, key: string, read: () => Promise<T>): Promise<T> {
  let promise = cache.get(key);
  if (!promise) {
    promise = read();
    cache.set(key, promise);
  }
  return promise;
}

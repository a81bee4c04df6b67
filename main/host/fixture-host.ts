import { promises as fs } from 'node:fs';
import path from 'node:path';
import { type CommandResult, type FileStat, type FsStat, type Host, HostError, type HostUser, type RunOptions } from './host';
import { readFileCapped, runCommand } from './local-host';

/** A command as it was recorded on the real machine. */
export interface RecordedCommand {
  command: string;
  args: string[];
  /** File (relative to the manifest) holding stdout's bytes exactly as the program wrote them (UTF-16LE for wsl.exe). */
  stdout?: string;
  stderr?: string;
  code?: number;
  /** The program is not installed on the recorded machine (spawn fails with ENOENT). */
  missing?: boolean;
}

export type RecordedStat = Partial<FileStat> & { size: number };

/**
 * A recorded machine, described by a JSON manifest next to the recorded files:
 * - files: path on the recorded machine → file (relative to the manifest) with its real bytes;
 * - stats: path → recorded stat for files too large to keep (a 60 GB disk image);
 * - statfs: path → recorded statfs.
 */
export interface FixtureManifest {
  platform: 'win32' | 'darwin' | 'linux';
  hostname: string;
  user: HostUser;
  env: Record<string, string>;
  files?: Record<string, string>;
  stats?: Record<string, RecordedStat>;
  statfs?: Record<string, FsStat>;
  commands?: RecordedCommand[];
}

/** Replays the recorded bytes through LocalHost's runCommand, so decoding (UTF-16LE), caps and exit codes take the live path. */
const REPLAY = `const [f,e,c]=process.argv.slice(1);if(f)process.stdout.write(require('fs').readFileSync(f));if(e)process.stderr.write(e);process.exitCode=Number(c);`;

/**
 * A Host for machines that cannot run here (Windows, macOS): files, stats and command outputs recorded on a real one.
 * Paths follow the recorded platform's rules (Windows: case-insensitive, either slash).
 */
export class FixtureHost implements Host {
  readonly kind = 'fixture' as const;
  readonly platform: Host['platform'];
  private readonly files = new Map<string, string>();
  private readonly stats = new Map<string, RecordedStat>();
  private readonly fsStats = new Map<string, FsStat>();
  private readonly dirs = new Map<string, Set<string>>();

  constructor(
    private readonly manifest: FixtureManifest,
    private readonly baseDir: string,
  ) {
    this.platform = manifest.platform;
    for (const [p, file] of Object.entries(manifest.files ?? {}))
      this.addEntry(p, () => this.files.set(this.key(p), path.resolve(baseDir, file)));
    for (const [p, st] of Object.entries(manifest.stats ?? {})) this.addEntry(p, () => this.stats.set(this.key(p), st));
    for (const [p, st] of Object.entries(manifest.statfs ?? {})) this.fsStats.set(this.key(p), st);
  }

  static async load(manifestPath: string): Promise<FixtureHost> {
    const manifest = JSON.parse(await fs.readFile(manifestPath, 'utf8')) as FixtureManifest;
    return new FixtureHost(manifest, path.dirname(manifestPath));
  }

  private get pathApi() {
    return this.platform === 'win32' ? path.win32 : path.posix;
  }

  /** The lookup key of a path: normalised, and case-folded on Windows. */
  private key(p: string): string {
    const normal = this.pathApi.normalize(p).replace(/[\\/]+$/, '') || this.pathApi.sep;
    return this.platform === 'win32' ? normal.toLowerCase() : normal;
  }

  /** Registers a recorded path and every directory above it, so readDir answers as the real machine did. */
  private addEntry(p: string, register: () => void): void {
    register();
    let child = this.pathApi.normalize(p);
    for (let parent = this.pathApi.dirname(child); parent !== child; child = parent, parent = this.pathApi.dirname(parent)) {
      const names = this.dirs.get(this.key(parent)) ?? new Set<string>();
      names.add(this.pathApi.basename(child));
      this.dirs.set(this.key(parent), names);
    }
  }

  async readFile(p: string, maxBytes?: number): Promise<Buffer> {
    const file = this.files.get(this.key(p));
    if (file) return readFileCapped(file, maxBytes, p);
    if (this.dirs.has(this.key(p))) throw new HostError('malformed', `${p}: is a directory, not a file`, p);
    throw new HostError('not-found', `${p}: no such file or directory`, p);
  }

  async stat(p: string): Promise<FileStat> {
    const k = this.key(p);
    const base: FileStat = { mode: 0o100644, uid: 0, gid: 0, size: 0, isFile: true, isDirectory: false, isSocket: false, mtimeMs: 0 };
    const recorded = this.stats.get(k);
    if (recorded) return { ...base, ...recorded };
    const file = this.files.get(k);
    if (file) return { ...base, size: (await fs.stat(file)).size };
    if (this.dirs.has(k)) return { ...base, mode: 0o40755, isFile: false, isDirectory: true };
    throw new HostError('not-found', `${p}: no such file or directory`, p);
  }

  async readDir(p: string): Promise<string[]> {
    const names = this.dirs.get(this.key(p));
    if (names) return [...names].sort();
    if (this.files.has(this.key(p)) || this.stats.has(this.key(p))) throw new HostError('not-found', `${p}: not a directory`, p);
    throw new HostError('not-found', `${p}: no such file or directory`, p);
  }

  async statfs(p: string): Promise<FsStat> {
    const recorded = this.fsStats.get(this.key(p));
    if (recorded) return recorded;
    throw new HostError('unsupported', `${p}: no statfs was recorded for this fixture`, p);
  }

  run(command: string, args: string[], options: RunOptions): Promise<CommandResult> {
    const recorded = (this.manifest.commands ?? []).find(
      (c) => c.command === command && c.args.length === args.length && c.args.every((a, i) => a === args[i]),
    );
    if (!recorded) {
      // A test asking for something never recorded is a mistake in the test, not a machine without the program.
      return Promise.reject(new HostError('failed', `fixture host: no recording of ${[command, ...args].join(' ')}`));
    }
    if (recorded.missing)
      return Promise.resolve({ code: null, stdout: '', stderr: `spawn ${command} ENOENT`, timedOut: false, truncated: false });
    const stdoutFile = recorded.stdout ? path.resolve(this.baseDir, recorded.stdout) : '';
    return runCommand(process.execPath, ['-e', REPLAY, stdoutFile, recorded.stderr ?? '', String(recorded.code ?? 0)], options);
  }

  env(name: string): string | undefined {
    if (this.platform !== 'win32') return this.manifest.env[name];
    // Windows environment names are case-insensitive.
    const match = Object.keys(this.manifest.env).find((k) => k.toLowerCase() === name.toLowerCase());
    return match === undefined ? undefined : this.manifest.env[match];
  }

  user(): HostUser {
    return this.manifest.user;
  }

  hostname(): string {
    return this.manifest.hostname;
  }

  displayPath(p: string): string {
    return p;
  }
}

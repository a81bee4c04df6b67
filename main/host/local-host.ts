import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import { InputRefused, readRegularFile } from '../util/bounded-read';
import { type CommandResult, type FileStat, type FsStat, type Host, HostError, type HostUser, type RunOptions, toHostError } from './host';

const DEFAULT_MAX_OUTPUT = 4 * 1024 * 1024;
/** A read that names no cap still has one. */
const DEFAULT_MAX_FILE = 64 * 1024 * 1024;

/** A file's bytes through the one bounded reader (main/util/bounded-read.ts), its refusals as HostErrors. */
export async function readFileCapped(path: string, maxBytes: number | undefined, shownAs: string): Promise<Buffer> {
  try {
    return await readRegularFile(path, maxBytes ?? DEFAULT_MAX_FILE, shownAs);
  } catch (error) {
    if (error instanceof InputRefused) throw new HostError(error.kind === 'too-large' ? 'too-large' : 'malformed', error.message, shownAs);
    throw toHostError(error, shownAs);
  }
}

export async function statPath(path: string, shownAs: string): Promise<FileStat> {
  try {
    const s = await fs.stat(path);
    return {
      mode: s.mode,
      uid: s.uid,
      gid: s.gid,
      size: s.size,
      isFile: s.isFile(),
      isDirectory: s.isDirectory(),
      isSocket: s.isSocket(),
      mtimeMs: s.mtimeMs,
      ino: s.ino,
    };
  } catch (error) {
    throw toHostError(error, shownAs);
  }
}

export async function statFs(path: string, shownAs: string): Promise<FsStat> {
  try {
    const s = await fs.statfs(path);
    return { totalBytes: s.blocks * s.bsize, availableBytes: s.bavail * s.bsize, totalInodes: s.files, freeInodes: s.ffree };
  } catch (error) {
    throw toHostError(error, shownAs);
  }
}

export async function listDir(path: string, shownAs: string): Promise<string[]> {
  try {
    return (await fs.readdir(path)).sort();
  } catch (error) {
    throw toHostError(error, shownAs);
  }
}

/** Runs a program with a hard timeout and an output cap, so a hung or chatty tool cannot stall or flood an audit. */
export function runCommand(command: string, args: string[], options: RunOptions): Promise<CommandResult> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_OUTPUT;
  return new Promise((resolve) => {
    let child;
    try {
      child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
    } catch (error) {
      resolve({ code: null, stdout: '', stderr: String(error), timedOut: false, truncated: false });
      return;
    }
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let outBytes = 0;
    let errBytes = 0;
    let truncated = false;
    let timedOut = false;
    const collect = (chunks: Buffer[], size: number, chunk: Buffer): number => {
      if (size >= maxBytes) {
        truncated = true;
        return size;
      }
      const room = maxBytes - size;
      if (chunk.length > room) truncated = true;
      chunks.push(chunk.subarray(0, room));
      return size + Math.min(room, chunk.length);
    };
    child.stdout.on('data', (c: Buffer) => (outBytes = collect(out, outBytes, c)));
    child.stderr.on('data', (c: Buffer) => (errBytes = collect(err, errBytes, c)));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs);
    const finish = (code: number | null, spawnError?: Error) => {
      clearTimeout(timer);
      const decode = (b: Buffer) => (options.encoding === 'utf16le' ? decodeUtf16(b) : b.toString('utf8'));
      resolve({
        code: timedOut ? null : code,
        stdout: decode(Buffer.concat(out)),
        stderr: spawnError ? `${spawnError.message}` : Buffer.concat(err).toString('utf8'),
        timedOut,
        truncated,
      });
    };
    child.on('error', (e) => finish(null, e));
    child.on('close', (code) => finish(code));
  });
}

function decodeUtf16(buffer: Buffer): string {
  const text = buffer.toString('utf16le');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function currentUser(): HostUser {
  const info = os.userInfo();
  const groups = typeof process.getgroups === 'function' ? process.getgroups() : [];
  return {
    username: info.username,
    uid: info.uid >= 0 ? info.uid : null,
    gid: info.gid >= 0 ? info.gid : null,
    home: info.homedir,
    processGroups: groups,
  };
}

export class LocalHost implements Host {
  readonly kind = 'local' as const;
  readonly platform = (['linux', 'darwin', 'win32'].includes(process.platform) ? process.platform : 'linux') as Host['platform'];

  constructor(private readonly environment: NodeJS.ProcessEnv = process.env) {}

  readFile(path: string, maxBytes?: number): Promise<Buffer> {
    return readFileCapped(path, maxBytes, path);
  }
  stat(path: string): Promise<FileStat> {
    return statPath(path, path);
  }
  readDir(path: string): Promise<string[]> {
    return listDir(path, path);
  }
  statfs(path: string): Promise<FsStat> {
    return statFs(path, path);
  }
  run(command: string, args: string[], options: RunOptions): Promise<CommandResult> {
    return runCommand(command, args, options);
  }
  env(name: string): string | undefined {
    return this.environment[name];
  }
  user(): HostUser {
    const user = currentUser();
    // HOME wins over the passwd entry, as it does for the docker CLI (sudo -E, containers with a different HOME).
    const home = this.environment.HOME ?? this.environment.USERPROFILE;
    return home ? { ...user, home } : user;
  }
  hostname(): string {
    return os.hostname();
  }
  displayPath(path: string): string {
    return path;
  }
}

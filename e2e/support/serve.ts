// test-needs: build — bin/dockhand.cjs runs dist/cli.cjs
import { type ChildProcess, spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const BIN = path.resolve(import.meta.dirname, '../../bin/dockhand.cjs');

export interface Served {
  /** The printed link, token included. */
  url: string;
  origin: string;
  port: number;
  token: string;
  configDir: string;
  output(): string;
  stop(): Promise<void>;
}

/** Starts the built `dockhand serve` as a user would, with its own config dir, and reads the link it prints. */
export async function startServe(
  args: string[],
  options: { configDir?: string; env?: NodeJS.ProcessEnv; user?: { uid: number; gid: number } } = {},
): Promise<Served> {
  const configDir = options.configDir ?? (await fs.mkdtemp(path.join(os.tmpdir(), 'dkh-serve-')));
  const child: ChildProcess = spawn(process.execPath, [BIN, 'serve', '--no-open', '--port', '0', '--config-dir', configDir, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...options.env },
    ...options.user,
  });
  let out = '';
  child.stdout!.on('data', (c) => (out += c));
  child.stderr!.on('data', (c) => (out += c));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`dockhand serve printed no link in 20 s:\n${out}`)), 20_000);
    const check = () => {
      const m = /running at (http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`dockhand serve exited ${code}:\n${out}`));
    });
  });
  const parsed = new URL(url);
  return {
    url,
    origin: parsed.origin,
    port: Number(parsed.port),
    token: parsed.searchParams.get('token')!,
    configDir,
    output: () => out,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      if (!options.configDir) await fs.rm(configDir, { recursive: true, force: true });
    },
  };
}

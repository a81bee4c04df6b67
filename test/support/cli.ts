// test-needs: build — bin/dockhand.cjs runs dist/cli.cjs
import { spawn, type SpawnOptions } from 'node:child_process';
import path from 'node:path';

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

const BIN = path.resolve(import.meta.dirname, '../../bin/dockhand.cjs');

/** Runs the built `dockhand` command as a user would (npm test builds dist/ first). */
export function dockhand(args: string[], options: SpawnOptions & { input?: string } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { ...options, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (c) => (stdout += c));
    child.stderr!.on('data', (c) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin!.end(options.input);
  });
}

// test-needs: build — runs bin/dockhand.cjs
// A reader that stops early: the real CLI piped into the real `head -c 10` by bash, as a user types it. Each output is
// larger than a pipe's buffer (64 KiB), so the CLI is certainly still writing when head exits and closes the pipe.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

const BIN = path.resolve(import.meta.dirname, '../../bin/dockhand.cjs');

/** `dockhand ARGS | head -c 10`: what head printed, dockhand's stderr and dockhand's exit code (PIPESTATUS). */
export function runHead(args: string[]): Promise<{ code: number; head: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const script = '"$@" | head -c 10; echo " ${PIPESTATUS[0]}"';
    const child = spawn('bash', ['-c', script, 'bash', process.execPath, BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('error', reject);
    child.on('close', () => {
      const m = / (\d+)\n$/.exec(stdout);
      if (!m) return reject(new Error(`no exit status in ${JSON.stringify(stdout)}`));
      resolve({ code: Number(m[1]), head: stdout.slice(0, m.index), stderr });
    });
  });
}

test('a closed standard output ends quietly with 141, not a stack trace and the findings code', async () => {
  const result = await runHead(['checks', '--format', 'json']);
  assert.equal(result.head, '[\n  {\n    ');
  assert.equal(result.stderr, '', 'nothing on stderr');
  assert.equal(result.code, 141);
});

test('an audit cut short keeps a code that says more (incomplete: 4), still quietly', async () => {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'dkh-head-'));
  try {
    const result = await runHead(['audit', '--format', 'json', '--root', root]);
    assert.equal(result.head, '{"schemaVe');
    assert.equal(result.stderr, '');
    assert.equal(result.code, 4, 'an empty root cannot be audited completely');
  } finally {
    await fs.rm(root, { recursive: true, force: true });
  }
});

test('standard output on a full disk: one line on stderr and 74', async () => {
  const result = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
    void fs.open('/dev/full', 'w').then((full) => {
      const child = spawn(process.execPath, [BIN, 'checks', '--format', 'json'], { stdio: ['ignore', full.fd, 'pipe'] });
      let stderr = '';
      child.stderr!.on('data', (c) => (stderr += c));
      child.on('error', reject);
      child.on('close', (code) => void full.close().then(() => resolve({ code, stderr })));
    }, reject);
  });
  assert.equal(result.stderr, 'dockhand: cannot write to standard output: ENOSPC: no space left on device, write\n');
  assert.equal(result.code, 74);
});

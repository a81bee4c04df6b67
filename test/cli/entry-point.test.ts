// The `dockhand` entry point: runs the bundle from V8's code cache when it can, and never trusts a cache directory
// other users could write to (its contents are bytecode this process would run).
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { dockhand } from '../support/cli';

async function cacheFiles(dir: string): Promise<string[]> {
  return fs.readdir(path.join(dir, 'dockhand', 'compile-cache')).catch(() => []);
}

test('the first run writes a code cache, the next runs use it and behave the same', async () => {
  const xdg = await fs.mkdtemp(path.join(os.tmpdir(), 'dkh-cache-'));
  try {
    const env = { ...process.env, XDG_CACHE_HOME: xdg, DOCKHAND_NO_COMPILE_CACHE: '' };
    const first = await dockhand(['checks', '--format', 'json'], { env });
    assert.equal(first.code, 0, first.stderr);
    const files = await cacheFiles(xdg);
    assert.equal(files.length, 1, `one cache file: ${files.join(', ')}`);
    const stat = await fs.stat(path.join(xdg, 'dockhand', 'compile-cache', files[0]!));
    assert.equal(stat.mode & 0o077, 0, 'the cache is private to its user');
    const second = await dockhand(['checks', '--format', 'json'], { env });
    assert.equal(second.code, 0, second.stderr);
    assert.equal(second.stdout, first.stdout);
    assert.deepEqual(await cacheFiles(xdg), files, 'a matching cache is not rewritten');
  } finally {
    await fs.rm(xdg, { recursive: true, force: true });
  }
});

test('each command keeps its own cache, and caches of other builds are removed', async () => {
  const xdg = await fs.mkdtemp(path.join(os.tmpdir(), 'dkh-cache-'));
  try {
    const env = { ...process.env, XDG_CACHE_HOME: xdg, DOCKHAND_NO_COMPILE_CACHE: '' };
    const dir = path.join(xdg, 'dockhand', 'compile-cache');
    await fs.mkdir(dir, { recursive: true, mode: 0o700 });
    await fs.writeFile(path.join(dir, 'v0.0.0-x64-1-1-checks.bin'), 'an older build', { mode: 0o600 });
    assert.equal((await dockhand(['checks', '--format', 'json'], { env })).code, 0);
    const afterChecks = await cacheFiles(xdg);
    assert.equal(afterChecks.length, 1, `the older build's cache is gone: ${afterChecks.join(', ')}`);
    assert.match(afterChecks[0]!, /-checks\.bin$/);
    assert.equal((await dockhand(['--version'], { env })).code, 0);
    const both = (await cacheFiles(xdg)).sort();
    assert.equal(both.length, 2, both.join(', '));
    assert.ok(both.includes(afterChecks[0]!), 'the checks cache is kept beside the new one');
    assert.ok(
      both.some((f) => f.endsWith('-other.bin')),
      `a run with no command word: ${both.join(', ')}`,
    );
  } finally {
    await fs.rm(xdg, { recursive: true, force: true });
  }
});

test('the bundle is pure ASCII, as the entry point reads it (latin1)', async () => {
  const bytes = await fs.readFile(path.resolve(import.meta.dirname, '../../dist/cli.cjs'));
  const first = bytes.findIndex((b) => b > 0x7f);
  assert.equal(first, -1, `a byte above 0x7f at offset ${first}: ${bytes.subarray(Math.max(0, first - 60), first + 20).toString('utf8')}`);
});

test('a cache directory others can write to is not used', async () => {
  const xdg = await fs.mkdtemp(path.join(os.tmpdir(), 'dkh-cache-'));
  try {
    const dir = path.join(xdg, 'dockhand', 'compile-cache');
    await fs.mkdir(dir, { recursive: true });
    await fs.chmod(dir, 0o777);
    await fs.writeFile(path.join(dir, 'planted.bin'), 'not bytecode');
    const result = await dockhand(['--version'], { env: { ...process.env, XDG_CACHE_HOME: xdg, DOCKHAND_NO_COMPILE_CACHE: '' } });
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(await cacheFiles(xdg), ['planted.bin'], 'nothing written to or removed from an unsafe directory');
  } finally {
    await fs.rm(xdg, { recursive: true, force: true });
  }
});

import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { DEFAULT_SETTINGS } from '../../shared/api';
import { configDir } from './config-dir';
import { SettingsStore, settingsFromJson } from './settings-store';

const tempDir = () => fs.mkdtemp(path.join(os.tmpdir(), 'dkh-settings-'));

test('settings: defaults when no file, then saved atomically with mode 0600 and read back by a new store', async () => {
  const dir = await tempDir();
  const file = path.join(dir, 'nested', 'settings.json');
  const store = new SettingsStore(file);
  assert.deepEqual(await store.get(), DEFAULT_SETTINGS);
  const saved = await store.set({
    theme: 'dark',
    internalDomains: ['Corp.Example', '.lan'],
    endpoint: { host: 'unix:///tmp/d.sock', context: null },
  });
  assert.equal(saved.theme, 'dark');
  assert.deepEqual(saved.internalDomains, ['corp.example', '.lan'], 'domains are normalised to lower case');
  assert.equal((await fs.stat(file)).mode & 0o777, 0o600);
  assert.deepEqual(await new SettingsStore(file).get(), saved);
  assert.deepEqual((await fs.readdir(path.dirname(file))).sort(), ['settings.json'], 'no temp file is left behind');
  await fs.rm(dir, { recursive: true });
});

test('settings: concurrent writes are serialised; the last call wins on disk', async () => {
  const dir = await tempDir();
  const file = path.join(dir, 'settings.json');
  const store = new SettingsStore(file);
  await Promise.all([store.set({ theme: 'light' }), store.set({ theme: 'dark' }), store.set({ timeoutMs: 5000 })]);
  const onDisk = JSON.parse(await fs.readFile(file, 'utf8'));
  assert.equal(onDisk.theme, 'dark');
  assert.equal(onDisk.timeoutMs, 5000);
  await fs.rm(dir, { recursive: true });
});

test('settings: a bad field falls back to its default, the rest is kept; a file that is not JSON is moved aside', async () => {
  assert.deepEqual(settingsFromJson({ theme: 'purple', trustedUsers: ['alice'], timeoutMs: 'x' }), {
    ...DEFAULT_SETTINGS,
    trustedUsers: ['alice'],
  });
  assert.deepEqual(settingsFromJson([1, 2]), DEFAULT_SETTINGS);
  const dir = await tempDir();
  const file = path.join(dir, 'settings.json');
  await fs.writeFile(file, '{ not json');
  assert.deepEqual(await new SettingsStore(file).get(), DEFAULT_SETTINGS);
  assert.equal(await fs.readFile(`${file}.corrupt`, 'utf8'), '{ not json');
  await fs.rm(dir, { recursive: true });
});

test('settings: a directory that cannot be written gives an error naming the file', async () => {
  const dir = await tempDir();
  const blocker = path.join(dir, 'blocker');
  await fs.writeFile(blocker, '');
  const store = new SettingsStore(path.join(blocker, 'settings.json'));
  await assert.rejects(
    store.set({ theme: 'dark' }),
    (e: Error) => e.message.includes('Settings were not saved') && e.message.includes(blocker),
  );
  await fs.rm(dir, { recursive: true });
});

test('config dir follows each platform and XDG, and DOCKHAND_CONFIG_DIR wins', () => {
  assert.equal(configDir('linux', {}, '/home/a'), '/home/a/.config/dockhand');
  assert.equal(configDir('linux', { XDG_CONFIG_HOME: '/x' }, '/home/a'), '/x/dockhand');
  assert.equal(
    configDir('linux', { XDG_CONFIG_HOME: 'relative' }, '/home/a'),
    '/home/a/.config/dockhand',
    'a relative XDG_CONFIG_HOME is ignored',
  );
  assert.equal(configDir('darwin', {}, '/Users/a'), '/Users/a/Library/Application Support/Dockhand');
  assert.equal(
    configDir('win32', { APPDATA: 'C:\\Users\\a\\AppData\\Roaming' }, 'C:\\Users\\a'),
    'C:\\Users\\a\\AppData\\Roaming\\Dockhand',
  );
  assert.equal(configDir('linux', { DOCKHAND_CONFIG_DIR: '/opt/dh' }, '/home/a'), '/opt/dh');
});

import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Fact } from '../../shared/fact';
import type { EngineVersion } from '../../shared/facts';
import { FixtureHost, type FixtureManifest } from '../host/fixture-host';
import type { Host } from '../host/host';
import { RootfsHost } from '../host/rootfs-host';
import type { CollectContext } from './context';
import { parseWslSize, SYSTEMINFORMATION_SOURCE } from '../../shared/facts/vocabulary';
import { collectDesktop, collectWsl, parseIni, parseWslDefaultVersion, parseWslList } from './desktop';
import type { CheckResult } from '../../shared/finding';
import type { Facts } from '../../shared/facts';
import { desktopResources } from '../checks/desktop';
import { LocalHost } from '../host/local-host';

const FIXTURES = path.resolve(import.meta.dirname, '../../test/fixtures');
const load = (name: string) => FixtureHost.load(path.join(FIXTURES, 'desktop', name, 'host.json'));

const noEngine: Fact<EngineVersion> = { ok: false, error: { code: 'unreachable', message: 'no daemon in this test' }, sources: [] };

/** The two collectors ask the context only for the host and the engine version. */
function contextFor(host: Host, engine: Fact<EngineVersion> = noEngine): CollectContext {
  return {
    host,
    request: {},
    timeoutMs: 10_000,
    get: (async (key: string) =>
      key === 'engine'
        ? engine
        : { ok: false, error: { code: 'failed', message: `${key} not needed` }, sources: [] }) as CollectContext['get'],
    api: () => Promise.reject(new Error('no daemon in this test')),
    endpoint: async () => null,
  };
}

let scratch: string;
before(async () => {
  scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'dkh-desk-'));
});
after(async () => {
  await fs.rm(scratch, { recursive: true, force: true });
});

/** A Windows machine whose wsl.exe printed `text` (UTF-16LE, as it does) with `code`. */
async function windowsWithWslOutput(text: string, code: number, env: Record<string, string> = {}): Promise<FixtureHost> {
  const file = path.join(scratch, `wsl-${Math.random().toString(36).slice(2)}.out`);
  await fs.writeFile(file, Buffer.from(text, env.WSL_UTF8 === '1' ? 'utf8' : 'utf16le'));
  const manifest: FixtureManifest = {
    platform: 'win32',
    hostname: 'PC',
    user: { username: 'ada', uid: null, gid: null, home: 'C:\\Users\\ada', processGroups: [] },
    env: { USERPROFILE: 'C:\\Users\\ada', ...env },
    commands: [
      { command: 'wsl.exe', args: ['-l', '-v'], stdout: file, code },
      { command: 'wsl.exe', args: ['--status'], stdout: file, code },
    ],
  };
  return new FixtureHost(manifest, scratch);
}

describe('the fixture host', () => {
  test('replays recorded UTF-16LE output through the live decoding path, caps included', async () => {
    const host = await load('windows-wsl');
    const decoded = await host.run('wsl.exe', ['-l', '-v'], { timeoutMs: 5000, encoding: 'utf16le' });
    assert.equal(decoded.code, 0);
    assert.match(decoded.stdout, /^ {2}NAME {19}STATE {11}VERSION\r\n\* Ubuntu-22\.04/);
    const raw = await host.run('wsl.exe', ['-l', '-v'], { timeoutMs: 5000 });
    assert.ok(raw.stdout.includes('\0'), 'read as UTF-8, the recording shows its NUL bytes: it really is UTF-16LE');
    const capped = await host.run('wsl.exe', ['-l', '-v'], { timeoutMs: 5000, encoding: 'utf16le', maxBytes: 20 });
    assert.equal(capped.truncated, true);
    assert.equal(capped.stdout, '  NAME    ');
    await assert.rejects(host.run('wsl.exe', ['--list', '--online'], { timeoutMs: 5000 }), /no recording of wsl\.exe --list --online/);
  });
  test('Windows paths are case-insensitive and directories are listed from the recorded files', async () => {
    const host = await load('windows-wsl');
    assert.ok((await host.readFile('c:/users/ADA/appdata/roaming/docker/SETTINGS-STORE.JSON')).length > 100);
    assert.deepEqual(await host.readDir('C:\\Users\\ada\\AppData\\Roaming\\Docker'), ['settings-store.json']);
    assert.equal((await host.stat('C:\\Users\\ada\\AppData\\Local\\Docker\\wsl\\disk\\docker_data.vhdx')).size, 96 * 1024 ** 3);
    await assert.rejects(host.readFile('C:\\Users\\ada\\missing.txt'), (e: Error & { code?: string }) => e.code === 'not-found');
  });
});

describe('WSL 2 from wsl.exe and .wslconfig', () => {
  test('English: distros with their state and version, the default marked, the default version, .wslconfig', async () => {
    const fact = await collectWsl(contextFor(await load('windows-wsl')));
    assert.ok(fact.ok, JSON.stringify(fact));
    assert.deepEqual(fact.value.distros, [
      { name: 'Ubuntu-22.04', state: 'Running', version: 2, isDefault: true },
      { name: 'Legacy-Debian', state: 'Stopped', version: 1, isDefault: false },
      { name: 'docker-desktop', state: 'Stopped', version: 2, isDefault: false },
    ]);
    assert.equal(fact.value.defaultVersion, 1);
    assert.deepEqual(fact.value.wslconfig, {
      path: 'C:\\Users\\ada\\.wslconfig',
      memory: '64GB',
      processors: 16,
      swap: '8GB',
      sparseVhd: false,
    });
    assert.deepEqual(fact.sources, [
      { kind: 'command', command: 'wsl.exe -l -v' },
      { kind: 'command', command: 'wsl.exe --status' },
      { kind: 'file', path: 'C:\\Users\\ada\\.wslconfig' },
    ]);
  });
  test('German: localised states and status labels; a .wslconfig saved as UTF-16 by PowerShell', async () => {
    const fact = await collectWsl(contextFor(await load('windows-legacy')));
    assert.ok(fact.ok, JSON.stringify(fact));
    assert.deepEqual(
      fact.value.distros.map((d) => [d.name, d.state, d.version, d.isDefault]),
      [
        ['Ubuntu-24.04', 'Wird ausgeführt', 2, true],
        ['docker-desktop', 'Wird ausgeführt', 2, false],
      ],
    );
    assert.equal(fact.value.defaultVersion, 2);
    assert.deepEqual(fact.value.wslconfig, {
      path: 'C:\\Users\\ada\\.wslconfig',
      memory: '8GB',
      processors: 4,
      swap: '2GB',
      sparseVhd: true,
    });
  });
  test('no distributions installed is an empty list; no wsl.exe is unsupported; unexpected output is malformed; WSL_UTF8', async () => {
    const none = await collectWsl(
      contextFor(await windowsWithWslOutput(await fs.readFile(path.join(FIXTURES, 'wsl/no-distributions.en.utf16le'), 'utf16le'), -1)),
    );
    assert.ok(none.ok, JSON.stringify(none));
    assert.deepEqual(none.value.distros, []);

    const missing = await collectWsl(contextFor(await load('windows-hyperv')));
    assert.ok(!missing.ok);
    assert.equal(missing.error.code, 'unsupported');
    assert.match(missing.error.message, /wsl\.exe was not found/);

    const usage = await collectWsl(
      contextFor(
        await windowsWithWslOutput(
          'Copyright (c) Microsoft Corporation. All rights reserved.\r\n\r\nUsage: wsl.exe [Argument] [Options...] [CommandLine]\r\n',
          -1,
        ),
      ),
    );
    assert.ok(!usage.ok);
    assert.equal(usage.error.code, 'malformed');
    assert.match(usage.error.message, /wsl\.exe -l -v: unexpected output: Copyright/);

    const utf8 = await collectWsl(
      contextFor(await windowsWithWslOutput('  NAME      STATE      VERSION\r\n* Ubuntu    Running    2\r\n', 0, { WSL_UTF8: '1' })),
    );
    assert.ok(utf8.ok, JSON.stringify(utf8));
    assert.deepEqual(
      utf8.value.distros,
      [{ name: 'Ubuntu', state: 'Running', version: 2, isDefault: true }],
      'WSL_UTF8=1 switches wsl.exe to UTF-8',
    );

    const linux = await collectWsl(contextFor(await load('macos')));
    assert.ok(!linux.ok);
    assert.equal(linux.error.code, 'unsupported');
  });
  test('table rows are cut at the header columns: names and states with blanks, accented headers', () => {
    const text =
      '  NOM                      ÉTAT                     VERSION\r\n* Ubuntu Dev Box           En cours d’exécution     2\r\n  docker-desktop           Arrêté                   2\r\n';
    assert.deepEqual(parseWslList(text), [
      { name: 'Ubuntu Dev Box', state: 'En cours d’exécution', version: 2, isDefault: true },
      { name: 'docker-desktop', state: 'Arrêté', version: 2, isDefault: false },
    ]);
    assert.equal(parseWslList('Windows Subsystem for Linux has no installed distributions.\r\n'), null);
    assert.equal(parseWslDefaultVersion('Distribution par défaut : Ubuntu\r\nVersion par défaut : 2\r\n'), 2);
    assert.equal(parseWslDefaultVersion('Default Distribution: Ubuntu\r\nKernel version: 5.15.167.4-1\r\n'), null);
    assert.equal(parseWslSize('8GB'), 8 * 1024 ** 3);
    assert.equal(parseWslSize('4096MB'), 4 * 1024 ** 3);
    assert.equal(parseWslSize('lots'), null);
    assert.equal(parseIni('[WSL2]\nMemory = "6GB"\n# memory=1GB\n').get('wsl2.memory')?.value, '6GB');
  });
});

describe('Docker Desktop settings', () => {
  test('Windows 4.35+: settings-store.json (PascalCase), proxy credentials masked, the WSL data disk, the machine size', async () => {
    const fact = await collectDesktop(contextFor(await load('windows-wsl')));
    assert.ok(fact.ok, JSON.stringify(fact));
    const v = fact.value;
    assert.equal(v.settingsPath, 'C:\\Users\\ada\\AppData\\Roaming\\Docker\\settings-store.json');
    assert.equal(v.wslEngineEnabled, true);
    assert.deepEqual([v.cpus, v.memoryMiB, v.swapMiB, v.diskSizeMiB], [8, 8092, 1024, 1048576]);
    assert.deepEqual(v.proxy, {
      mode: 'manual',
      http: 'http://****@proxy.corp.example:3128',
      https: 'http://****@proxy.corp.example:3128',
      exclude: '',
    });
    assert.deepEqual(v.diskImage, { path: 'C:\\Users\\ada\\AppData\\Local\\Docker\\wsl\\disk\\docker_data.vhdx', bytes: 96 * 1024 ** 3 });
    assert.deepEqual([v.hostCpus, v.hostMemoryMiB], [12, 32768]);
    assert.equal(v.fileSharingImplementation, null);
    assert.ok(!JSON.stringify(fact).includes('s3cret'), 'the proxy password never leaves the collector');
  });
  test('Windows before 4.35: settings.json (camelCase) and the older ext4.vhdx; Hyper-V: its VHDX in dataFolder', async () => {
    const legacy = await collectDesktop(contextFor(await load('windows-legacy')));
    assert.ok(legacy.ok, JSON.stringify(legacy));
    assert.equal(legacy.value.settingsPath, 'C:\\Users\\ada\\AppData\\Roaming\\Docker\\settings.json');
    assert.deepEqual(
      [legacy.value.wslEngineEnabled, legacy.value.cpus, legacy.value.memoryMiB, legacy.value.proxy.mode],
      [true, 2, 2048, 'system'],
    );
    assert.equal(legacy.value.diskImage?.path, 'C:\\Users\\ada\\AppData\\Local\\Docker\\wsl\\data\\ext4.vhdx');
    const hyperv = await collectDesktop(contextFor(await load('windows-hyperv')));
    assert.ok(hyperv.ok, JSON.stringify(hyperv));
    assert.equal(hyperv.value.wslEngineEnabled, false);
    assert.equal(hyperv.value.diskImage?.path, 'D:\\DockerDesktop\\vm-data\\DockerDesktop.vhdx');
  });
  test('macOS: file sharing from the two switches, Docker.raw, sysctl; the version from the engine or the app bundle', async () => {
    const store = await collectDesktop(
      contextFor(await load('macos'), {
        ok: true,
        value: {
          version: '27.4.0',
          apiVersion: '1.47',
          minApiVersion: '1.24',
          os: 'linux',
          arch: 'arm64',
          kernelVersion: '6.10.14-linuxkit',
          platformName: 'Docker Desktop 4.37.1 (178610)',
        },
        sources: [],
      }),
    );
    assert.ok(store.ok, JSON.stringify(store));
    assert.deepEqual(
      [store.value.version, store.value.fileSharingImplementation, store.value.cpus, store.value.memoryMiB],
      ['4.37.1', 'grpcfuse', 12, 30720],
    );
    assert.deepEqual([store.value.hostCpus, store.value.hostMemoryMiB], [10, 32768]);
    assert.equal(store.value.diskImage?.path, '/Users/ada/Library/Containers/com.docker.docker/Data/vms/0/data/Docker.raw');
    assert.equal(store.value.wslEngineEnabled, null, 'no WSL on a Mac, whatever the file says');
    const legacy = await collectDesktop(contextFor(await load('macos-legacy')));
    assert.ok(legacy.ok, JSON.stringify(legacy));
    assert.deepEqual([legacy.value.version, legacy.value.fileSharingImplementation], ['4.27.2', 'virtiofs']);
    assert.ok(legacy.sources.some((s) => s.kind === 'file' && s.path === '/Applications/Docker.app/Contents/Info.plist'));
  });
  test("this machine's real CPUs and memory (systeminformation) are what Desktop's limits are held against", async () => {
    // Desktop for Linux cannot run here: its recorded settings file in a scratch HOME, the rest of the host real.
    const home = await fs.mkdtemp(path.join(scratch, 'home-'));
    await fs.mkdir(path.join(home, '.docker', 'desktop'), { recursive: true });
    const recorded = JSON.parse(await fs.readFile(path.join(FIXTURES, 'desktop', 'linux', 'settings-store.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    const memTotalMiB = Math.round(Number(/^MemTotal:\s+(\d+) kB/m.exec(await fs.readFile('/proc/meminfo', 'utf8'))![1]) / 1024);
    const judge = async (cpus: number, memoryMiB: number) => {
      await fs.writeFile(
        path.join(home, '.docker', 'desktop', 'settings-store.json'),
        JSON.stringify({ ...recorded, Cpus: cpus, MemoryMiB: memoryMiB }),
      );
      const fact = await collectDesktop(contextFor(new LocalHost({ ...process.env, HOME: home })));
      assert.ok(fact.ok, JSON.stringify(fact));
      return { fact, outcome: desktopResources.evaluate({ desktop: fact } as Facts, { options: {} }) as CheckResult };
    };
    const starving = await judge(os.cpus().length + 2, Math.round(memTotalMiB * 0.9));
    assert.deepEqual([starving.fact.value.hostCpus, starving.fact.value.hostMemoryMiB], [os.cpus().length, memTotalMiB]);
    assert.ok(starving.fact.sources.some((s) => s.kind === 'default' && s.detail === SYSTEMINFORMATION_SOURCE));
    assert.equal(starving.outcome.status, 'warn');
    assert.match(
      starving.outcome.message,
      new RegExp(`${os.cpus().length + 2} CPUs on a machine with ${os.cpus().length};.*of memory leaves the machine`),
    );
    const tooSmall = await judge(1, 1024);
    assert.equal(tooSmall.outcome.status, 'warn');
    assert.match(tooSmall.outcome.message, /1024 MiB of memory is too little for builds/);
    const fits = await judge(1, 2048);
    assert.equal(fits.outcome.status, memTotalMiB * 0.75 >= 2048 ? 'pass' : 'warn');
  });
  test('a broken settings file is a malformed fact naming it; Linux without Desktop is unsupported, saying where it looked', async () => {
    const broken = path.join(scratch, 'broken.json');
    await fs.writeFile(broken, '{\n  "MemoryMiB": 4096,\n');
    const host = new FixtureHost(
      {
        platform: 'darwin',
        hostname: 'mac',
        user: { username: 'ada', uid: 501, gid: 20, home: '/Users/ada', processGroups: [] },
        env: {},
        files: { '/Users/ada/Library/Group Containers/group.com.docker/settings-store.json': broken },
      },
      scratch,
    );
    const fact = await collectDesktop(contextFor(host));
    assert.ok(!fact.ok);
    assert.equal(fact.error.code, 'malformed');
    assert.match(fact.error.message, /settings-store\.json is not valid JSON/);

    const root = await fs.mkdtemp(path.join(scratch, 'linux-'));
    const linux = await collectDesktop(contextFor(new RootfsHost(root)));
    assert.ok(!linux.ok);
    assert.equal(linux.error.code, 'unsupported');
    assert.match(
      linux.error.message,
      /not a Docker Desktop host: no Desktop settings file \(looked for \/root\/\.docker\/desktop\/settings-store\.json, \/root\/\.docker\/desktop\/settings\.json\)/,
    );
  });
});

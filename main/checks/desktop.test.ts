import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Check, CheckContext } from '../../shared/check';
import type { Facts } from '../../shared/facts';
import type { Finding } from '../../shared/finding';
import { importBusybox, type PrivateDockerd, runningDockerd } from '../../test/support/dockerd';
import { collectFacts } from '../collect/collect';
import { FixtureHost } from '../host/fixture-host';
import { LocalHost } from '../host/local-host';
import {
  DESKTOP_CHECKS,
  desktopDiskImageSize,
  desktopDiskLimit,
  desktopFileSharing,
  desktopProxyExclusions,
  desktopResources,
  desktopWslEngine,
  wslConfigLimits,
  wslDefaultVersion,
  wslDistroVersion,
  wslDockerDesktopDistro,
  wslSparseVhd,
} from './desktop';
import { evaluateChecks } from './runner';

const FIXTURES = path.resolve(import.meta.dirname, '../../test/fixtures/desktop');
/** Nothing listens there: the recorded machines' engines are not running, and no real daemon is ever reached. */
const NO_DAEMON = 'unix:///nonexistent/dockhand-test.sock';

function run(check: Check, facts: Facts, options: CheckContext['options'] = {}): Finding[] {
  return evaluateChecks([check], facts, { options });
}
function one(check: Check, facts: Facts, options: CheckContext['options'] = {}): Finding {
  const findings = run(check, facts, options);
  assert.equal(findings.length, 1, findings.map((f) => `${f.id}=${f.result.status}`).join(', '));
  return findings[0]!;
}

describe('WSL 2 and Docker Desktop checks on recorded machines', () => {
  let daemon: PrivateDockerd;
  let linux: Facts;
  const machines = new Map<string, Facts>();
  const machine = (name: string) => machines.get(name)!;
  /** A recorded machine, with what a real engine stores (GET /system/df of a private dockerd) standing in for its VM's. */
  const withRealUsage = (name: string): Facts => ({ ...machine(name), diskUsage: linux.diskUsage });

  before(async () => {
    daemon = await runningDockerd({ daemonJson: {} });
    const image = await importBusybox(daemon);
    await daemon.docker(['run', '--name', 'stopped', image, 'true']);
    linux = await collectFacts({ host: new LocalHost(), endpoint: { host: daemon.host } });
    assert.ok(linux.diskUsage.ok, JSON.stringify(linux.diskUsage));
    for (const name of ['windows-wsl', 'windows-legacy', 'windows-hyperv', 'macos', 'macos-legacy']) {
      const host = await FixtureHost.load(path.join(FIXTURES, name, 'host.json'));
      machines.set(name, await collectFacts({ host, endpoint: { host: NO_DAEMON } }));
    }
  });
  after(async () => {
    await daemon?.stop();
  });

  test('wsl.distro-version: a WSL 1 distro warns, with the conversion fix; all on WSL 2 passes', () => {
    const bad = run(wslDistroVersion, machine('windows-wsl'));
    assert.deepEqual(
      bad.map((f) => [f.id, f.result.status]),
      [['wsl.distro-version:Legacy-Debian', 'warn']],
    );
    assert.deepEqual(bad[0]!.result.fix, { id: 'wsl.set-version', params: { distro: 'Legacy-Debian', version: 2 } });
    assert.deepEqual(bad[0]!.result.evidence[0]!.source, { kind: 'command', command: 'wsl.exe -l -v' });
    assert.equal(one(wslDistroVersion, machine('windows-legacy')).result.status, 'pass');
  });

  test('wsl.default-version: default 1 warns; default 2 (read from a German `wsl --status`) passes', () => {
    const bad = one(wslDefaultVersion, machine('windows-wsl'));
    assert.equal(bad.result.status, 'warn');
    assert.deepEqual(bad.result.fix, { id: 'wsl.set-default-version', params: { version: 2 } });
    assert.equal(one(wslDefaultVersion, machine('windows-legacy')).result.status, 'pass');
  });

  test('wsl.docker-desktop-distro: stopped with the engine down warns; running passes; Hyper-V is skipped', () => {
    const stopped = one(wslDockerDesktopDistro, machine('windows-wsl'));
    assert.equal(stopped.result.status, 'warn', stopped.result.message);
    assert.match(stopped.result.message, /stopped/);
    assert.equal(one(wslDockerDesktopDistro, machine('windows-legacy')).result.status, 'pass', 'Wird ausgeführt is running');
    assert.equal(one(wslDockerDesktopDistro, machine('windows-hyperv')).result.status, 'skipped');
  });

  test('.wslconfig: limits beyond the machine warn with the values to set; limits that fit pass', () => {
    const bad = one(wslConfigLimits, machine('windows-wsl'));
    assert.equal(bad.result.status, 'warn');
    assert.match(bad.result.message, /memory=64GB is more than the machine's 32\.0 GiB; processors=16 is more than the machine's 12 CPUs/);
    assert.deepEqual(bad.result.fix, { id: 'wsl.config', params: { section: 'wsl2', memory: '16GB', processors: 12 } });
    assert.deepEqual(bad.result.evidence[0]!.source, { kind: 'file', path: 'C:\\Users\\ada\\.wslconfig' });
    assert.equal(one(wslConfigLimits, machine('windows-legacy')).result.status, 'pass');
  });

  test('wsl.sparse-vhd: off warns (the VHDX never shrinks); on passes', () => {
    const bad = one(wslSparseVhd, machine('windows-wsl'));
    assert.equal(bad.result.status, 'warn');
    assert.match(bad.result.message, /never shrink/);
    assert.equal(one(wslSparseVhd, machine('windows-legacy')).result.status, 'pass');
  });

  test('desktop.wsl-engine: the Hyper-V backend warns; the WSL 2 engine passes; not judged on a Mac', () => {
    const bad = one(desktopWslEngine, machine('windows-hyperv'));
    assert.equal(bad.result.status, 'warn');
    assert.deepEqual(bad.result.fix, {
      id: 'desktop.settings',
      params: { file: 'C:\\Users\\ada\\AppData\\Roaming\\Docker\\settings.json', key: 'wslEngineEnabled', value: true },
    });
    assert.equal(one(desktopWslEngine, machine('windows-wsl')).result.status, 'pass');
    assert.equal(one(desktopWslEngine, machine('macos')).result.status, 'skipped');
  });

  test('desktop.file-sharing: gRPC FUSE warns; VirtioFS passes; not judged on Windows', () => {
    const bad = one(desktopFileSharing, machine('macos'));
    assert.equal(bad.result.status, 'warn');
    assert.match(bad.result.message, /gRPC FUSE/);
    assert.equal(one(desktopFileSharing, machine('macos-legacy')).result.status, 'pass');
    assert.equal(one(desktopFileSharing, machine('windows-wsl')).result.status, 'skipped');
  });

  test("desktop.resources: more CPUs and memory than the Mac can spare warn; limits that fit pass; WSL's come from .wslconfig", () => {
    const bad = one(desktopResources, machine('macos'));
    assert.equal(bad.result.status, 'warn');
    assert.match(bad.result.message, /12 CPUs on a machine with 10; 30\.0 GiB of memory leaves the machine 2\.0 GiB/);
    assert.deepEqual(bad.result.fix?.params, {
      file: '/Users/ada/Library/Group Containers/group.com.docker/settings-store.json',
      cpus: 10,
      memoryMiB: 16384,
    });
    assert.equal(one(desktopResources, machine('macos-legacy')).result.status, 'pass');
    assert.equal(one(desktopResources, machine('windows-hyperv')).result.status, 'pass');
    const wsl = one(desktopResources, machine('windows-wsl'));
    assert.equal(wsl.result.status, 'skipped');
    assert.match(wsl.result.reason ?? '', /\.wslconfig/);
  });

  test('desktop.proxy-exclusions: a manual proxy with no exclusions fails (credentials masked); the internal domains given must be bypassed too; the system proxy passes', () => {
    const bad = one(desktopProxyExclusions, machine('windows-wsl'));
    assert.equal(bad.result.status, 'fail');
    assert.match(bad.result.message, /does not cover localhost, 127\.0\.0\.1, host\.docker\.internal/);
    assert.equal(bad.result.evidence.find((e) => e.label === 'HTTP proxy')!.value, 'http://****@proxy.corp.example:3128');
    assert.deepEqual(bad.result.fix?.params, {
      file: 'C:\\Users\\ada\\AppData\\Roaming\\Docker\\settings-store.json',
      key: 'overrideProxyExclude',
      value: 'localhost,127.0.0.1,host.docker.internal',
    });
    // The Mac's list (localhost,127.0.0.1,.corp.example) covers the internal domain, not host.docker.internal.
    const mac = one(desktopProxyExclusions, machine('macos'), { internalDomains: ['corp.example'] });
    assert.equal(mac.result.status, 'fail');
    assert.match(mac.result.message, /does not cover host\.docker\.internal:/);
    const lab = one(desktopProxyExclusions, machine('macos'), { internalDomains: ['lab.example'] });
    assert.match(lab.result.message, /does not cover host\.docker\.internal, names under lab\.example/);
    assert.equal(one(desktopProxyExclusions, machine('windows-legacy')).result.status, 'pass');
  });

  test('desktop.disk-image-size: a VHDX far larger than what Docker stores warns with the compaction steps; one in line passes', () => {
    const bad = one(desktopDiskImageSize, withRealUsage('windows-wsl'));
    assert.equal(bad.result.status, 'warn', bad.result.message);
    assert.match(bad.result.message, /prune does not give the space back; compact the disk image/);
    assert.match(bad.result.message, /wsl --shutdown/);
    assert.match(
      bad.result.message,
      /Optimize-VHD -Path "C:\\Users\\ada\\AppData\\Local\\Docker\\wsl\\disk\\docker_data\.vhdx" -Mode Full/,
    );
    assert.match(bad.result.message, /compact vdisk/);
    assert.deepEqual(bad.result.fix, {
      id: 'desktop.compact-disk',
      params: { path: 'C:\\Users\\ada\\AppData\\Local\\Docker\\wsl\\disk\\docker_data.vhdx', platform: 'win32' },
    });
    assert.equal(one(desktopDiskImageSize, withRealUsage('windows-legacy')).result.status, 'pass');
    const mac = one(desktopDiskImageSize, withRealUsage('macos'));
    assert.equal(mac.result.status, 'skipped');
    assert.match(mac.result.reason ?? '', /sparse file/);
    const noEngine = one(desktopDiskImageSize, machine('windows-wsl'));
    assert.equal(noEngine.result.status, 'error', 'without the engine, what Docker stores is unknown: no guess');
  });

  test("desktop.disk-limit: Docker's data near the VM disk's limit warns; far from it passes", () => {
    assert.equal(one(desktopDiskLimit, withRealUsage('windows-hyperv')).result.status, 'pass');
    const full = one(desktopDiskLimit, withRealUsage('windows-hyperv'), { desktopDiskWarnPercent: 0.000001 });
    assert.equal(full.result.status, 'warn');
    assert.match(full.result.message, /limited to 64\.0 GiB/);
  });

  test('a Linux host without Docker Desktop: every WSL and Desktop check is skipped, with the reason', () => {
    for (const f of evaluateChecks(DESKTOP_CHECKS, linux)) {
      assert.equal(f.result.status, 'skipped', `${f.id}: ${f.result.message}`);
      assert.match(f.result.reason ?? '', /not applicable on linux|not a Docker Desktop host/);
    }
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Facts } from '../../shared/facts';
import type { Finding, Status } from '../../shared/finding';
import { type ContainerInspect, importBusybox, type PrivateDockerd, runningDockerd, waitForContainer } from '../../test/support/dockerd';
import { collectFacts } from '../collect/collect';
import { LocalHost } from '../host/local-host';
import { CONTAINER_CHECKS, imagePin, isRootUser } from './containers';
import { evaluateChecks } from './runner';

/**
 * Container checks against a real private dockerd: one container per problem (and a hardened one that has none),
 * one facts snapshot, every check evaluated over it. Passing results come from the same snapshot reduced to the
 * containers that do not offend. Daemon kinds this sandbox cannot run (userns-remap, rootless, AppArmor) are the
 * real snapshot with the daemon's /info security options changed, which is all these checks read of them.
 */

let daemon: PrivateDockerd;
let facts: Facts;
let findings: Finding[];
let image: string;
let imageId: string;

/** Containers to create: name → docker run arguments (before the image) and an optional command. */
const CONTAINERS: Record<string, { args: string[]; command?: string[]; create?: boolean; image?: 'latest' | 'untagged' | 'id' }> = {
  hardened: {
    args: [
      '--read-only',
      '--memory',
      '64m',
      '--pids-limit',
      '100',
      '--cpus',
      '0.5',
      '--user',
      '1000',
      '--security-opt',
      'no-new-privileges',
      '--restart',
      'on-failure:3',
      '--health-cmd',
      'true',
      '--health-interval',
      '1s',
      // A specific address: the private daemon's network namespace has no loopback up, so appnet's gateway.
      '--network',
      'appnet',
      '-p',
      'GATEWAY:8081:80',
      '-v',
      '/etc/localtime:/etc/localtime:ro',
      '--cap-drop',
      'ALL',
      '--cap-add',
      'CHOWN',
    ],
  },
  plain: { args: [] },
  hostnet: { args: ['--network', 'host'] },
  'created-hostnet': { args: ['--network', 'host'], create: true },
  hostpid: { args: ['--pid', 'host'] },
  hostipc: { args: ['--ipc', 'host'] },
  hostuts: { args: ['--uts', 'host'] },
  utsadmin: { args: ['--uts', 'host', '--cap-add', 'SYS_ADMIN'] },
  userns: { args: ['--userns', 'host'] },
  sysadmin: { args: ['--cap-add', 'SYS_ADMIN', '--cap-add', 'cap_net_admin'] },
  nice: { args: ['--cap-add', 'SYS_NICE'] },
  ports: { args: ['-p', '0.0.0.0:80:80', '-p', '[::]:8080:8080', '-p', '8082:80'] },
  secopts: { args: ['--security-opt', 'seccomp=unconfined', '--security-opt', 'apparmor=unconfined'] },
  nnpoff: { args: ['--security-opt', 'no-new-privileges=false'] },
  always: { args: ['--restart', 'always'] },
  onfail10: { args: ['--restart', 'on-failure:10'] },
  etcro: { args: ['-v', '/etc:/host-etc:ro'] },
  usrrw: { args: ['-v', '/usr/share/zoneinfo:/zoneinfo'] },
  devnull: { args: ['--device', '/dev/null:/dev/xnull'] },
  loopdev: { args: ['--device', '/dev/loop0'] },
  root0: { args: ['--user', '0:1000'] },
  latest: { args: [], image: 'latest' },
  untagged: { args: [], image: 'untagged' },
  byid: { args: [], image: 'id' },
  unhealthy: { args: ['--health-cmd', 'false', '--health-interval', '1s', '--health-retries', '1'] },
  loop: { args: ['--restart', 'always'], command: ['sh', '-c', 'exit 3'] },
  gaveup: { args: ['--restart', 'on-failure:2'], command: ['sh', '-c', 'exit 4'] },
};

function imageFor(kind: 'latest' | 'untagged' | 'id' | undefined): string {
  if (kind === 'latest') return 'dockhand-test/busybox:latest';
  if (kind === 'untagged') return 'dockhand-test/busybox';
  if (kind === 'id') return imageId;
  return image;
}

before(async () => {
  // --cap-add SYS_ADMIN needs the runc wrapper in this sandbox, as --privileged does.
  daemon = await runningDockerd({ daemonJson: {}, privilegedWrapper: true });
  image = await importBusybox(daemon);
  await daemon.docker(['tag', image, 'dockhand-test/busybox:latest']);
  imageId = await daemon.docker(['image', 'inspect', '--format', '{{.Id}}', image]);
  await daemon.docker(['network', 'create', 'appnet']);
  const gateway = await daemon.docker(['network', 'inspect', 'appnet', '--format', '{{(index .IPAM.Config 0).Gateway}}']);
  assert.match(gateway, /^\d+\.\d+\.\d+\.\d+$/, 'appnet has an IPv4 gateway');
  for (const [name, spec] of Object.entries(CONTAINERS)) {
    const args = spec.args.map((a) => a.replace('GATEWAY', gateway));
    await daemon.docker([
      spec.create ? 'create' : 'run',
      ...(spec.create ? [] : ['-d']),
      '--name',
      name,
      ...args,
      imageFor(spec.image),
      ...(spec.command ?? []),
    ]);
  }
  const waitFor = (name: string, reached: (c: ContainerInspect) => boolean) => waitForContainer(daemon, name, reached);
  await waitFor('unhealthy', (c) => c.State.Health?.Status === 'unhealthy');
  await waitFor('loop', (c) => c.RestartCount >= 3);
  await waitFor('gaveup', (c) => c.State.Status === 'exited' && c.RestartCount === 2);
  facts = await collectFacts({ host: new LocalHost(), endpoint: { host: daemon.host } });
  assert.ok(facts.containers.ok, JSON.stringify(facts.containers));
  findings = evaluateChecks(CONTAINER_CHECKS, facts);
});

after(async () => {
  await daemon?.stop();
});

/** The findings of one check over a snapshot (the collected one by default). */
function run(checkId: string, snapshot: Facts = facts): Finding[] {
  const check = CONTAINER_CHECKS.find((c) => c.id === checkId);
  assert.ok(check, `no check ${checkId}`);
  return evaluateChecks([check], snapshot);
}

function statusOf(list: Finding[], id: string): Status {
  const found = list.find((f) => f.id === id);
  assert.ok(found, `no finding ${id}; have: ${list.map((f) => `${f.id}=${f.result.status}`).join(', ')}`);
  return found.result.status;
}

function findingOf(list: Finding[], id: string): Finding {
  const found = list.find((f) => f.id === id);
  assert.ok(found, `no finding ${id}; have: ${list.map((f) => `${f.id}=${f.result.status}`).join(', ')}`);
  return found;
}

/**
 * No result of the check is about this container. (Every assert.ok here has a message: without one, node re-reads the
 * source to describe the failure, which hangs under tsx.)
 */
function assertNotReported(checkId: string, name: string, list: Finding[] = findings): void {
  assert.ok(!targets(checkId, list).includes(name), `${checkId} reports ${name}`);
}

const targets = (checkId: string, list: Finding[] = findings) => list.filter((f) => f.checkId === checkId).map((f) => f.result.target);

/** The snapshot reduced to some containers: what a host running only those would give. */
function only(names: string[], snapshot: Facts = facts): Facts {
  assert.ok(snapshot.containers.ok, 'containers collected');
  return { ...snapshot, containers: { ...snapshot.containers, value: snapshot.containers.value.filter((c) => names.includes(c.name)) } };
}

/** The snapshot as a daemon with other /info security options (and cgroup version) would report it. */
function asDaemon(change: { securityOptions: string[]; cgroupVersion?: string }, snapshot: Facts = facts): Facts {
  assert.ok(snapshot.info.ok, 'info collected');
  const value = {
    ...snapshot.info.value,
    securityOptions: change.securityOptions,
    cgroupVersion: change.cgroupVersion ?? snapshot.info.value.cgroupVersion,
  };
  return { ...snapshot, info: { ...snapshot.info, value } };
}

/** The snapshot with another daemon.json text, as if the file said so. */
function withDaemonJson(json: object, snapshot: Facts = facts): Facts {
  assert.ok(snapshot.daemonConfig.ok, 'daemon.json collected');
  return {
    ...snapshot,
    daemonConfig: { ...snapshot.daemonConfig, value: { ...snapshot.daemonConfig.value, exists: true, text: JSON.stringify(json) } },
  };
}

const USERNS = ['name=seccomp,profile=default', 'name=userns'];
const ROOTLESS = ['name=seccomp,profile=default', 'name=rootless', 'name=cgroupns'];

/** Asserts the check passes once only the given (non-offending) containers remain. */
function assertPasses(checkId: string, names: string[], snapshot: Facts = facts): Finding {
  const list = run(checkId, only(names, snapshot));
  assert.equal(list.length, 1, JSON.stringify(list.map((f) => f.result)));
  assert.equal(list[0]!.result.status, 'pass', list[0]!.result.message);
  return list[0]!;
}

describe('host namespaces', () => {
  test('container.host-network: running fails, created warns, rootless is only noted', () => {
    assert.equal(statusOf(findings, 'container.host-network:hostnet'), 'fail');
    assert.equal(statusOf(findings, 'container.host-network:created-hostnet'), 'warn');
    assert.deepEqual(targets('container.host-network').sort(), ['created-hostnet', 'hostnet']);
    const rootless = findingOf(run('container.host-network', asDaemon({ securityOptions: ROOTLESS })), 'container.host-network:hostnet');
    assert.equal(rootless.result.status, 'info');
    assert.match(rootless.result.message, /RootlessKit/);
    assertPasses('container.host-network', ['hardened', 'plain']);
  });

  test('container.host-pid fails, and only warns when root is remapped', () => {
    assert.equal(statusOf(findings, 'container.host-pid:hostpid'), 'fail');
    assert.deepEqual(targets('container.host-pid'), ['hostpid']);
    const remapped = findingOf(run('container.host-pid', asDaemon({ securityOptions: USERNS })), 'container.host-pid:hostpid');
    assert.equal(remapped.result.status, 'warn');
    assert.ok(
      remapped.result.evidence.some((e) => e.label === 'user namespace'),
      JSON.stringify(remapped.result.evidence),
    );
    assertPasses('container.host-pid', ['hardened', 'plain']);
  });

  test('container.host-ipc', () => {
    assert.equal(statusOf(findings, 'container.host-ipc:hostipc'), 'fail');
    assert.deepEqual(targets('container.host-ipc'), ['hostipc']);
    assertPasses('container.host-ipc', ['hardened', 'plain']);
  });

  test('container.host-uts fails only when the container can rename the host', () => {
    assert.equal(statusOf(findings, 'container.host-uts:utsadmin'), 'fail');
    assert.equal(statusOf(findings, 'container.host-uts:hostuts'), 'warn');
    assert.match(findingOf(findings, 'container.host-uts:hostuts').result.message, /cannot change it/);
    assertPasses('container.host-uts', ['hardened', 'plain']);
  });

  test('container.host-userns applies only to a userns-remap daemon', () => {
    const here = run('container.host-userns');
    assert.equal(here.length, 1);
    assert.equal(here[0]!.result.status, 'skipped');
    assert.match(here[0]!.result.reason ?? '', /does not remap users/);
    const remapped = run('container.host-userns', asDaemon({ securityOptions: USERNS }));
    assert.equal(statusOf(remapped, 'container.host-userns:userns'), 'fail');
    assert.deepEqual(targets('container.host-userns', remapped), ['userns']);
    assertPasses('container.host-userns', ['hardened', 'plain'], asDaemon({ securityOptions: USERNS }));
    assert.equal(run('container.host-userns', asDaemon({ securityOptions: ROOTLESS }))[0]!.result.status, 'skipped');
  });
});

describe('capabilities, devices and mounts', () => {
  test('container.capabilities.dangerous names SYS_ADMIN and NET_ADMIN (CAP_ prefix and case ignored)', () => {
    const f = findingOf(findings, 'container.capabilities.dangerous:sysadmin');
    assert.equal(f.result.status, 'fail');
    assert.equal(f.severity, 'high');
    assert.match(f.result.message, /NET_ADMIN/);
    assert.match(f.result.message, /SYS_ADMIN/);
    assert.deepEqual(targets('container.capabilities.dangerous').sort(), ['sysadmin', 'utsadmin']);
    assert.equal(
      statusOf(run('container.capabilities.dangerous', asDaemon({ securityOptions: USERNS })), 'container.capabilities.dangerous:sysadmin'),
      'warn',
    );
    assertPasses('container.capabilities.dangerous', ['hardened', 'plain', 'nice']);
  });

  test('container.capabilities.added reports other additions, not re-added defaults', () => {
    assert.equal(statusOf(findings, 'container.capabilities.added:nice'), 'fail');
    assert.match(findingOf(findings, 'container.capabilities.added:nice').result.message, /SYS_NICE/);
    assert.deepEqual(targets('container.capabilities.added'), ['nice']);
    assertPasses('container.capabilities.added', ['hardened', 'plain', 'sysadmin']);
  });

  test('container.sensitive-mounts: read-write fails, read-only warns, a read-only time zone file passes', () => {
    const rw = findingOf(findings, 'container.sensitive-mounts:usrrw');
    assert.equal(rw.result.status, 'fail');
    assert.equal(rw.result.evidence[0]!.value, '/usr/share/zoneinfo:/zoneinfo');
    const ro = findingOf(findings, 'container.sensitive-mounts:etcro');
    assert.equal(ro.result.status, 'warn');
    assert.match(ro.result.message, /read-only/);
    assert.deepEqual(targets('container.sensitive-mounts').sort(), ['etcro', 'usrrw']);
    assert.equal(
      statusOf(run('container.sensitive-mounts', asDaemon({ securityOptions: USERNS })), 'container.sensitive-mounts:usrrw'),
      'warn',
    );
    assertPasses('container.sensitive-mounts', ['hardened', 'plain']);
  });

  test('container.host-devices: a loop device fails, /dev/null is listed for review', () => {
    assert.equal(statusOf(findings, 'container.host-devices:loopdev'), 'fail');
    assert.match(findingOf(findings, 'container.host-devices:loopdev').result.message, /raw access to host devices \/dev\/loop0/);
    assert.equal(statusOf(findings, 'container.host-devices:devnull'), 'warn');
    assertPasses('container.host-devices', ['hardened', 'plain']);
  });
});

describe('seccomp, AppArmor and no-new-privileges', () => {
  test('container.seccomp-unconfined', () => {
    assert.equal(statusOf(findings, 'container.seccomp-unconfined:secopts'), 'fail');
    assert.deepEqual(targets('container.seccomp-unconfined'), ['secopts']);
    assertPasses('container.seccomp-unconfined', ['hardened', 'plain']);
  });

  test('container.apparmor-unconfined is skipped without AppArmor and fails an unconfined container where it exists', () => {
    const here = run('container.apparmor-unconfined');
    assert.equal(here[0]!.result.status, 'skipped');
    assert.match(here[0]!.result.reason ?? '', /does not report AppArmor/);
    const withAppArmor = asDaemon({ securityOptions: ['name=apparmor', 'name=seccomp,profile=default'] });
    assert.equal(statusOf(run('container.apparmor-unconfined', withAppArmor), 'container.apparmor-unconfined:secopts'), 'fail');
    assertPasses('container.apparmor-unconfined', ['hardened', 'plain'], withAppArmor);
  });

  test('container.no-new-privileges: unset and opted-out fail; the daemon default covers the unset ones only', () => {
    assert.equal(statusOf(findings, 'container.no-new-privileges:plain'), 'fail');
    assert.match(findingOf(findings, 'container.no-new-privileges:nnpoff').result.message, /explicitly turned off/);
    assertNotReported('container.no-new-privileges', 'hardened');
    const daemonDefault = run('container.no-new-privileges', withDaemonJson({ 'no-new-privileges': true }));
    assert.deepEqual(targets('container.no-new-privileges', daemonDefault), ['nnpoff']);
    assertPasses('container.no-new-privileges', ['hardened']);
  });
});

describe('user, filesystem and limits', () => {
  test('container.user-root: root fails (also "0:1000"), and is only noted under userns-remap', () => {
    assert.equal(statusOf(findings, 'container.user-root:plain'), 'fail');
    assert.equal(statusOf(findings, 'container.user-root:root0'), 'fail');
    assertNotReported('container.user-root', 'hardened');
    const remapped = findingOf(run('container.user-root', asDaemon({ securityOptions: USERNS })), 'container.user-root:plain');
    assert.equal(remapped.result.status, 'info');
    assert.match(remapped.result.message, /unprivileged host uid/);
    assertPasses('container.user-root', ['hardened']);
  });

  test('container.readonly-rootfs', () => {
    assert.equal(statusOf(findings, 'container.readonly-rootfs:plain'), 'warn');
    assertNotReported('container.readonly-rootfs', 'hardened');
    assertPasses('container.readonly-rootfs', ['hardened']);
  });

  test('container.memory-limit, cpu-limit and pids-limit; skipped on a rootless cgroup v1 daemon', () => {
    assert.equal(statusOf(findings, 'container.memory-limit:plain'), 'fail');
    assert.equal(statusOf(findings, 'container.pids-limit:plain'), 'fail');
    assert.equal(statusOf(findings, 'container.cpu-limit:plain'), 'warn');
    for (const id of ['container.memory-limit', 'container.cpu-limit', 'container.pids-limit']) {
      assertNotReported(id, 'hardened');
      assertPasses(id, ['hardened']);
      const rootless = run(id, asDaemon({ securityOptions: ROOTLESS, cgroupVersion: '1' }));
      assert.equal(rootless[0]!.result.status, 'skipped', id);
      assert.match(rootless[0]!.result.reason ?? '', /cgroup v1/);
    }
  });
});

describe('ports and networks', () => {
  test('container.ports-all-interfaces: 0.0.0.0, :: and the default address; a specific address passes', () => {
    const f = findingOf(findings, 'container.ports-all-interfaces:ports');
    assert.equal(f.result.status, 'fail');
    assert.deepEqual([...(f.result.evidence[0]!.value as string[])].sort(), [
      '0.0.0.0:80->80/tcp',
      '0.0.0.0:8082->80/tcp',
      '[::]:8080->8080/tcp',
    ]);
    assert.ok(
      f.result.evidence.some((e) => e.label === 'default bind address' && e.source.kind === 'default'),
      JSON.stringify(f.result.evidence),
    );
    assertNotReported('container.ports-all-interfaces', 'hardened');
    assertPasses('container.ports-all-interfaces', ['hardened', 'plain']);
  });

  test('container.ports-all-interfaces: "ip" in daemon.json changes where -p 8082:80 binds', () => {
    const f = findingOf(run('container.ports-all-interfaces', withDaemonJson({ ip: '127.0.0.1' })), 'container.ports-all-interfaces:ports');
    assert.deepEqual([...(f.result.evidence[0]!.value as string[])].sort(), ['0.0.0.0:80->80/tcp', '[::]:8080->8080/tcp']);
  });

  test('container.privileged-ports', () => {
    const f = findingOf(findings, 'container.privileged-ports:ports');
    assert.equal(f.result.status, 'fail');
    assert.deepEqual(f.result.evidence[0]!.value, ['80->80/tcp']);
    assert.deepEqual(targets('container.privileged-ports'), ['ports']);
    assertPasses('container.privileged-ports', ['hardened', 'plain']);
  });

  test('container.default-bridge: the default network warns, a user-defined one passes', () => {
    const f = findingOf(findings, 'container.default-bridge:plain');
    assert.equal(f.result.status, 'warn');
    assert.ok(
      f.result.evidence.some((e) => e.label === 'default bridge interface' && e.value === 'docker0'),
      JSON.stringify(f.result.evidence),
    );
    assertNotReported('container.default-bridge', 'hardened');
    assertNotReported('container.default-bridge', 'hostnet');
    assertPasses('container.default-bridge', ['hardened', 'hostnet']);
  });
});

describe('restart behaviour, health and image pinning', () => {
  test('container.restart-policy: always warns, on-failure:10 fails, on-failure:3 and no pass', () => {
    assert.equal(statusOf(findings, 'container.restart-policy:always'), 'warn');
    assert.equal(statusOf(findings, 'container.restart-policy:onfail10'), 'fail');
    assertNotReported('container.restart-policy', 'hardened');
    assertNotReported('container.restart-policy', 'plain');
    assertPasses('container.restart-policy', ['hardened', 'plain']);
  });

  test("container.restart-loop: a crash-looping container; one that gave up is container.exited-nonzero's", () => {
    const loop = findingOf(findings, 'container.restart-loop:loop');
    assert.ok(loop.result.status === 'fail' || loop.result.status === 'warn', loop.result.message);
    assert.ok(
      loop.result.evidence.some((e) => e.label === 'RestartCount' && typeof e.value === 'number' && e.value >= 3),
      JSON.stringify(loop.result.evidence),
    );
    assertNotReported('container.restart-loop', 'gaveup');
    const gaveUp = findingOf(findings, 'container.exited-nonzero:gaveup');
    assert.equal(gaveUp.result.status, 'fail');
    assert.match(gaveUp.result.message, /exited with code 4 .* stays down \(on-failure:2 gave up after 2 restarts\)/);
    assertNotReported('container.restart-loop', 'always');
    assertPasses('container.restart-loop', ['hardened', 'always']);
  });

  test('container.healthcheck', () => {
    assert.equal(statusOf(findings, 'container.healthcheck:plain'), 'warn');
    assertNotReported('container.healthcheck', 'hardened');
    assertPasses('container.healthcheck', ['hardened', 'unhealthy']);
  });

  test('container.unhealthy shows the failing streak and the last exit code', () => {
    const f = findingOf(findings, 'container.unhealthy:unhealthy');
    assert.equal(f.result.status, 'fail');
    const streak = f.result.evidence.find((e) => e.label === 'State.Health.FailingStreak')!;
    assert.ok(typeof streak.value === 'number' && streak.value >= 1, JSON.stringify(streak));
    assert.equal(f.result.evidence.find((e) => e.label === 'last check exit code')!.value, 1);
    assert.deepEqual(targets('container.unhealthy'), ['unhealthy']);
    assertPasses('container.unhealthy', ['hardened', 'plain']);
  });

  test('container.mutable-tag: :latest and no tag warn; a version tag and an image id pass', () => {
    assert.equal(statusOf(findings, 'container.mutable-tag:latest'), 'warn');
    assert.match(findingOf(findings, 'container.mutable-tag:untagged').result.message, /no tag: :latest/);
    assert.deepEqual(targets('container.mutable-tag').sort(), ['latest', 'untagged']);
    assertPasses('container.mutable-tag', ['hardened', 'byid']);
  });
});

describe('the whole catalogue over one snapshot', () => {
  test('every result about a container names it, and ids are unique', () => {
    const ids = findings.map((f) => f.id);
    assert.equal(new Set(ids).size, ids.length);
    for (const f of findings) {
      if (f.result.status === 'pass' || f.result.status === 'skipped') continue;
      assert.ok(f.result.target && f.result.target in CONTAINERS, `${f.id}: ${f.result.message}`);
    }
  });

  test('the hardened container offends no check', () => {
    const hits = findings.filter((f) => f.result.target === 'hardened').map((f) => `${f.id}=${f.result.status}`);
    assert.deepEqual(hits, []);
  });

  test('without the container list every check errors with the reason', () => {
    const broken: Facts = {
      ...facts,
      containers: { ok: false, error: { code: 'timeout', message: 'GET /containers/json did not answer' }, sources: [] },
    };
    for (const f of evaluateChecks(CONTAINER_CHECKS, broken)) {
      if (f.result.status === 'skipped') continue; // not applicable here (AppArmor, userns) before any container is looked at
      assert.equal(f.result.status, 'error', f.id);
      assert.match(f.result.reason ?? '', /container list unavailable: GET \/containers\/json did not answer/);
    }
  });
});

describe('parsing helpers', () => {
  test('isRootUser', () => {
    for (const u of ['', '0', 'root', '0:1000', 'root:root']) assert.equal(isRootUser(u), true, u);
    for (const u of ['1000', 'app', '1000:0', 'rooter']) assert.equal(isRootUser(u), false, u);
  });

  test('imagePin tells a registry port from a tag', () => {
    assert.equal(imagePin('nginx').kind, 'untagged');
    assert.equal(imagePin('localhost:5000/app').kind, 'untagged');
    assert.equal(imagePin('localhost:5000/app:latest').kind, 'latest');
    assert.deepEqual(imagePin('localhost:5000/app:1.2'), { kind: 'tag', tag: '1.2' });
    assert.equal(imagePin('nginx@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef').kind, 'digest');
    assert.equal(imagePin('sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef').kind, 'id');
  });
});

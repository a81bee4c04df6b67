import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before } from 'node:test';
import type { Facts } from '../../shared/facts';
import { forEachEngine, importBusybox, type PrivateDockerd, runningDockerd } from '../../test/support/dockerd';
import { LocalHost } from '../host/local-host';
import { inRange } from '../preflight/engine-version';
import { collectFacts } from './collect';
import type { Raw } from './raw';
import { until } from '../../test/support/poll';

/** A raw Engine API answer, unversioned as Dockhand asks it (the daemon answers in its own API version). */
function apiGet(socket: string, path: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    http
      .get({ socketPath: socket, path }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () =>
          res.statusCode === 200 ? resolve(JSON.parse(body) as unknown) : reject(new Error(`GET ${path}: ${res.statusCode} ${body}`)),
        );
      })
      .on('error', reject);
  });
}

/** Whether a dotted path (keys may hold dots: give them as one array element) exists in an API answer. */
function has(value: unknown, path: string[]): boolean {
  let at = value;
  for (const key of path) {
    if (at === null || typeof at !== 'object' || !Object.hasOwn(at, key)) return false;
    at = (at as Raw)[key];
  }
  return true;
}

/**
 * Fields the engines answer differently (seen on 20.10 / API 1.41, 26.1 / 1.45 and 28.5 / 1.51). The collectors read
 * none of them, so their facts have the same shape on every engine; this table proves the ranges on each engine, so a
 * collector that starts to read one knows where it is missing.
 */
const VERSIONED_FIELDS: {
  call: 'list' | 'inspect' | 'info' | 'df' | 'images';
  path: string[];
  since?: string;
  until?: string;
  why: string;
}[] = [
  { call: 'inspect', path: ['HostConfig', 'KernelMemory'], until: '23.0', why: 'kernel memory limits were removed in 23.0 (API 1.42)' },
  { call: 'inspect', path: ['NetworkSettings', 'Networks', 'bridge', 'DNSNames'], since: '25.0', why: 'added in 25.0 (API 1.44)' },
  { call: 'list', path: ['NetworkSettings', 'Networks', 'bridge', 'DNSNames'], since: '25.0', why: 'added in 25.0 (API 1.44)' },
  { call: 'inspect', path: ['NetworkSettings', 'Networks', 'bridge', 'GwPriority'], since: '28.0', why: 'added in 28.0 (API 1.48)' },
  { call: 'list', path: ['NetworkSettings', 'Networks', 'bridge', 'GwPriority'], since: '28.0', why: 'added in 28.0 (API 1.48)' },
  { call: 'info', path: ['KernelMemory'], until: '23.0', why: 'removed with kernel memory limits in 23.0' },
  { call: 'info', path: ['Runtimes', 'io.containerd.runtime.v1.linux'], until: '23.0', why: "containerd's v1 shim was removed in 23.0" },
  { call: 'df', path: ['BuilderSize'], until: '23.0', why: 'removed in 23.0 (API 1.42): the build cache is listed instead' },
  { call: 'images', path: ['VirtualSize'], until: '25.0', why: 'removed in 25.0 (API 1.44): it always equalled Size' },
];

forEachEngine('the containers, /info and /system/df collectors against a real dockerd', (engine, test) => {
  let daemon: PrivateDockerd;
  let facts: Facts;
  const raw: Record<(typeof VERSIONED_FIELDS)[number]['call'], unknown> = { list: null, inspect: null, info: null, df: null, images: null };

  before(async () => {
    daemon = await runningDockerd({ engine, daemonJson: {} });
    const image = await importBusybox(daemon);
    await daemon.docker(['volume', 'create', 'data']);
    await daemon.docker([
      'run',
      '-d',
      '--name',
      'web',
      '--label',
      'team=infra',
      '--user',
      '1000',
      '--read-only',
      '--memory',
      '64m',
      '--pids-limit',
      '50',
      '--restart',
      'on-failure:3',
      '--cap-drop',
      'ALL',
      '--security-opt',
      'no-new-privileges',
      '--health-cmd',
      'true',
      '--health-interval',
      '1s',
      '-p',
      '8080:80',
      '-v',
      'data:/data',
      image,
    ]);
    await daemon.docker(['create', '--name', 'idle', image]);
    await until(async () => (await daemon.docker(['inspect', '--format', '{{.State.Health.Status}}', 'web'])) === 'healthy', {
      what: 'web to be healthy',
      timeoutMs: 120_000,
    });
    facts = await collectFacts({ host: new LocalHost(), endpoint: { host: daemon.host } });
    const list = (await apiGet(daemon.socket, '/containers/json')) as Raw[];
    Object.assign(raw, {
      list: list.find((c) => (c.Names as string[]).includes('/web')),
      inspect: await apiGet(daemon.socket, '/containers/web/json'),
      info: await apiGet(daemon.socket, '/info'),
      df: await apiGet(daemon.socket, '/system/df'),
      images: ((await apiGet(daemon.socket, '/images/json')) as Raw[])[0],
    });
  });
  after(async () => daemon?.stop());

  test('containers: every field the checks read, collected the same way on each engine', () => {
    assert.ok(facts.containers.ok, JSON.stringify(facts.containers));
    const byName = new Map(facts.containers.value.map((c) => [c.name, c]));
    assert.deepEqual([...byName.keys()].sort(), ['idle', 'web']);
    const web = byName.get('web')!;
    assert.equal(web.image, 'dockhand-test/busybox:1');
    assert.match(web.imageId, /^sha256:[0-9a-f]{64}$/);
    assert.deepEqual(web.labels, { team: 'infra' });
    assert.equal(web.user, '1000');
    assert.equal(web.hasHealthcheck, true);
    assert.deepEqual(web.networks, ['bridge']);
    assert.deepEqual(
      { status: web.state.status, running: web.state.running, health: web.state.health?.status, streak: web.state.health?.failingStreak },
      { status: 'running', running: true, health: 'healthy', streak: 0 },
    );
    const hc = web.hostConfig;
    assert.deepEqual(
      {
        memory: hc.memory,
        pids: hc.pidsLimit,
        ro: hc.readonlyRootfs,
        restart: hc.restartPolicy,
        capDrop: hc.capDrop,
        secopt: hc.securityOpt,
        ports: hc.portBindings,
        log: hc.logConfig.type,
        net: hc.networkMode,
      },
      {
        memory: 64 * 1024 * 1024,
        pids: 50,
        ro: true,
        restart: { name: 'on-failure', maximumRetryCount: 3 },
        capDrop: ['ALL'],
        secopt: ['no-new-privileges'],
        ports: [{ containerPort: '80/tcp', hostIp: '', hostPort: '8080' }],
        log: 'json-file',
        // The default network is stored as "default" by 20.10 and by its name, "bridge", by 26.1 and 28.5 (23.0 to 26.0
        // were not recorded); the default-bridge check takes both.
        net: inRange(engine, '20.10', '26.1') ? 'default' : 'bridge',
      },
    );
    assert.deepEqual(
      web.mounts.map((m) => ({ type: m.type, name: m.name, destination: m.destination, rw: m.rw })),
      [{ type: 'volume', name: 'data', destination: '/data', rw: true }],
    );
    const idle = byName.get('idle')!;
    // No --pids-limit: null on every engine here (API 1.41 to 1.51), which the pids check reads as unlimited.
    assert.deepEqual(
      {
        status: idle.state.status,
        running: idle.state.running,
        health: idle.state.health,
        pids: idle.hostConfig.pidsLimit,
        restart: idle.hostConfig.restartPolicy.name,
      },
      { status: 'created', running: false, health: null, pids: null, restart: 'no' },
    );
  });

  for (const field of VERSIONED_FIELDS) {
    const range = `${field.since ? `from ${field.since}` : ''}${field.since && field.until ? ' ' : ''}${field.until ? `before ${field.until}` : ''}`;
    test(`${field.call} ${field.path.join('.')}: present ${range} only (${field.why})`, () => {
      assert.equal(has(raw[field.call], field.path), inRange(engine, field.since ?? '20.10', field.until), `Engine ${engine}`);
    });
  }

  test('/info: the engine, its runtimes (the v1 shim only before 23.0) and its seccomp profile name (builtin from 23.0)', () => {
    assert.ok(facts.info.ok, JSON.stringify(facts.info));
    const info = facts.info.value;
    assert.ok(info.serverVersion.startsWith(`${engine}.`), info.serverVersion);
    assert.deepEqual(
      info.runtimes,
      inRange(engine, '20.10', '23.0')
        ? ['io.containerd.runc.v2', 'io.containerd.runtime.v1.linux', 'runc']
        : ['io.containerd.runc.v2', 'runc'],
    );
    assert.equal(info.defaultRuntime, 'runc');
    assert.ok(
      info.securityOptions.includes(`name=seccomp,profile=${inRange(engine, '23.0') ? 'builtin' : 'default'}`),
      JSON.stringify(info.securityOptions),
    );
    assert.deepEqual([info.containers, info.containersRunning, info.images], [2, 1, 1]);
    assert.equal(info.dockerRootDir, `${daemon.dir}/data`);
  });

  test('/system/df: layers, the image and its two containers, the volume in use, no build cache', () => {
    assert.ok(facts.diskUsage.ok, JSON.stringify(facts.diskUsage));
    const df = facts.diskUsage.value;
    assert.ok(df.layersSize > 0, String(df.layersSize));
    assert.deepEqual(
      df.images.map((i) => ({ tags: i.repoTags, containers: i.containers, sized: i.size > 0 })),
      [{ tags: ['dockhand-test/busybox:1'], containers: 2, sized: true }],
    );
    assert.deepEqual(df.containers.map((c) => `${c.names.join(',')}:${c.state}`).sort(), ['idle:created', 'web:running']);
    assert.deepEqual(
      df.volumes.map((v) => ({ name: v.name, refCount: v.refCount })),
      [{ name: 'data', refCount: 1 }],
    );
    assert.deepEqual(df.buildCache, []);
  });
});

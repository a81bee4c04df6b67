// The container-outcome checks as pure functions of facts: inspect answers in the Engine's format, parsed by the
// collectors' own parsers, for the cases a real daemon here cannot show (Docker Desktop, a remote daemon, qemu
// registered, Windows images) and for every branch of the severity rules. The same checks against real containers
// are in container-outcomes.engine.test.ts.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { describe, test } from 'node:test';
import { outcomeOf } from '../../shared/container-exit';
import { type Facts, FactsSchema } from '../../shared/facts';
import type { ExitLogFact } from '../../shared/facts/container-outcomes';
import type { Finding } from '../../shared/finding';
import { collectBinfmt } from '../collect/binfmt';
import type { CollectContext } from '../collect/context';
import { parseContainer, parseInfo } from '../collect/engine';
import { parseImage } from '../collect/images';
import type { Raw } from '../collect/raw';
import { FixtureHost } from '../host/fixture-host';
import {
  containerExitedNonzero,
  containerLogRotation,
  containerLogsDiscarded,
  containerOomKilled,
  containerPlatformMismatch,
  goArch,
} from './containers';
import { evaluateChecks } from './runner';

const idOf = (name: string) => createHash('sha256').update(name).digest('hex');
const AMD64 = `sha256:${idOf('image-amd64')}`;
const ARM64 = `sha256:${idOf('image-arm64')}`;
const I386 = `sha256:${idOf('image-386')}`;
const WINDOWS = `sha256:${idOf('image-windows')}`;
const UNKNOWN = `sha256:${idOf('image-unknown')}`;

/** A container inspect as the Engine answers it (GET /containers/{id}/json), with the fields these checks read. */
function inspect(name: string, state: Raw, hostConfig: Raw = {}, extra: Raw = {}): Raw {
  return {
    Id: idOf(name),
    Name: `/${name}`,
    Image: AMD64,
    RestartCount: 0,
    Config: { Image: 'app:1', Tty: false },
    State: {
      Status: 'exited',
      Running: false,
      Restarting: false,
      OOMKilled: false,
      ExitCode: 0,
      Error: '',
      StartedAt: '2026-12-02T10:00:00.000000000Z',
      FinishedAt: '2026-12-02T10:00:00.400000000Z',
      ...state,
    },
    HostConfig: {
      Memory: 0,
      RestartPolicy: { Name: 'no', MaximumRetryCount: 0 },
      LogConfig: { Type: 'json-file', Config: {} },
      ...hostConfig,
    },
    ...extra,
  };
}

const image = (id: string, platform: Raw, tag: string) => parseImage({ Id: id, RepoTags: [tag] }, { Id: id, RepoTags: [tag], ...platform });
const IMAGES = [
  image(AMD64, { Os: 'linux', Architecture: 'amd64' }, 'app:1'),
  image(ARM64, { Os: 'linux', Architecture: 'arm64', Variant: 'v8' }, 'app:arm64'),
  image(I386, { Os: 'linux', Architecture: '386' }, 'app:i386'),
  image(WINDOWS, { Os: 'windows', Architecture: 'amd64' }, 'app:windows'),
  image(UNKNOWN, {}, 'app:unknown'),
];

const api = <T>(value: T, call: string) => ({ ok: true as const, value, sources: [{ kind: 'api' as const, call }] });

interface Parts {
  containers: Raw[];
  info?: Raw;
  daemonJson?: object;
  exitLogs?: ExitLogFact[] | null;
  binfmt?: Facts['binfmt'];
  platformName?: string;
}

/** A snapshot of a live Linux daemon on x86_64 holding these containers; every other fact was not collected. */
function factsOf(parts: Parts): Facts {
  const failed = { ok: false as const, error: { code: 'unsupported' as const, message: 'not collected for the test' }, sources: [] };
  const meta = ['schemaVersion', 'toolVersion', 'collectedAt', 'mode', 'root', 'collectors'];
  // exitLogs and binfmt are optional: absent, as in a snapshot from before they were collected, unless given.
  const none = Object.fromEntries(
    Object.keys(FactsSchema.shape)
      .filter((k) => ![...meta, 'exitLogs', 'binfmt'].includes(k))
      .map((k) => [k, failed]),
  );
  const daemonText = JSON.stringify(parts.daemonJson ?? {});
  return {
    ...none,
    schemaVersion: 1,
    toolVersion: 'test',
    collectedAt: '2026-12-02T10:05:00.400Z',
    mode: 'live',
    root: null,
    engine: api(
      {
        version: '28.5.2',
        apiVersion: '1.51',
        minApiVersion: '1.24',
        os: 'linux',
        arch: 'amd64',
        kernelVersion: '6.1.0',
        platformName: parts.platformName ?? null,
      },
      'GET /version',
    ),
    info: api(
      parseInfo({ OSType: 'linux', Architecture: 'x86_64', LoggingDriver: 'json-file', ServerVersion: '28.5.2', ...parts.info }),
      'GET /info',
    ),
    daemonConfig: api(
      {
        path: '/etc/docker/daemon.json',
        foundBy: 'default-rootful',
        reason: 'the default',
        explicit: false,
        exists: true,
        text: daemonText,
        encoding: 'utf8',
        bytes: daemonText.length,
      },
      'file',
    ),
    containers: api(parts.containers.map(parseContainer), 'GET /containers/json?all=1'),
    images: api(IMAGES, 'GET /images/json'),
    ...(parts.exitLogs === null ? {} : { exitLogs: api(parts.exitLogs ?? [], 'GET /containers/{id}/logs') }),
    ...(parts.binfmt ? { binfmt: parts.binfmt } : {}),
    collectors: [],
  } as unknown as Facts;
}

const run = (check: Parameters<typeof evaluateChecks>[0][number], facts: Facts) => evaluateChecks([check], facts);

function only(findings: Finding[], target: string): Finding {
  const hits = findings.filter((f) => f.result.target === target);
  assert.equal(hits.length, 1, `one finding for ${target}; have ${findings.map((f) => `${f.id}=${f.result.status}`).join(', ')}`);
  return hits[0]!;
}
const evidence = (f: Finding, label: string) => f.result.evidence.find((e) => e.label === label)?.value;
const passes = (findings: Finding[]) => {
  assert.equal(findings[0]?.result.status, 'pass', JSON.stringify(findings.map((f) => f.result.message)));
  assert.ok(
    findings.every((f) => f.result.status === 'pass' || f.result.status === 'info'),
    JSON.stringify(findings.map((f) => f.result.message)),
  );
};

const boomLog = (name: string): ExitLogFact => ({
  container: idOf(name),
  name,
  lines: [
    { stream: 'stdout', text: 'starting' },
    { stream: 'stderr', text: 'boom' },
  ],
  cutLines: 0,
  unreadable: null,
  streamProblem: null,
});

describe('outcomeOf: how a container ended', () => {
  test('exit codes, stop signals, OOM kills and failed starts', () => {
    const kind = (state: Raw) => outcomeOf(parseContainer(inspect('x', state))).kind;
    assert.equal(kind({ Status: 'running', Running: true }), 'up');
    assert.equal(kind({ Status: 'restarting', Restarting: true, ExitCode: 3 }), 'up');
    assert.equal(kind({ ExitCode: 0 }), 'completed');
    assert.equal(kind({ Status: 'created', ExitCode: 0 }), 'not-started');
    for (const code of [130, 137, 143]) assert.equal(kind({ ExitCode: code }), 'stopped', String(code));
    assert.equal(kind({ ExitCode: 137, OOMKilled: true }), 'oom-killed');
    assert.equal(kind({ ExitCode: 1 }), 'failed');
    assert.equal(kind({ ExitCode: 139 }), 'failed');
    assert.equal(kind({ Status: 'created', ExitCode: 127, Error: 'exec: "nope": executable file not found in $PATH' }), 'failed');
    const segv = outcomeOf(parseContainer(inspect('x', { ExitCode: 139 })));
    assert.ok(segv.kind === 'failed' && /segmentation fault/.test(segv.meaning ?? ''), JSON.stringify(segv));
  });
});

describe('container.exited-nonzero', () => {
  test('a crash with no restart policy fails: code, when, how long it ran, restarts, the verdict and the end of its log', () => {
    const f = only(
      run(containerExitedNonzero, factsOf({ containers: [inspect('boom', { ExitCode: 3 })], exitLogs: [boomLog('boom')] })),
      'boom',
    );
    assert.equal(f.result.status, 'fail');
    assert.equal(f.id, 'container.exited-nonzero:boom');
    assert.equal(
      f.result.message,
      'Container boom exited with code 3 400 ms after it started and stays down (it has no restart policy, so it stays down until someone starts it). Its log ends with: "boom".',
    );
    assert.equal(evidence(f, 'State.ExitCode'), 3);
    assert.equal(evidence(f, 'State.FinishedAt'), '2026-12-02T10:00:00.400000000Z');
    assert.equal(evidence(f, 'ran for'), '400 ms');
    assert.equal(evidence(f, 'down for'), '5 min');
    assert.equal(evidence(f, 'RestartCount'), 0);
    assert.deepEqual(evidence(f, 'last 20 log lines'), ['stdout: starting', 'stderr: boom']);
    assert.deepEqual(f.result.evidence.find((e) => e.label === 'last 20 log lines')?.source, {
      kind: 'api',
      call: `GET /containers/${idOf('boom').slice(0, 12)}/logs?stdout=1&stderr=1&tail=20`,
    });
  });

  test('on-failure:N that gave up fails and says so; a failed start names its exit code meaning and State.Error', () => {
    const facts = factsOf({
      containers: [
        inspect('gaveup', { ExitCode: 4 }, { RestartPolicy: { Name: 'on-failure', MaximumRetryCount: 2 } }, { RestartCount: 2 }),
        inspect('nocmd', {
          Status: 'created',
          ExitCode: 127,
          Error: 'failed to create task: exec: "nope": executable file not found in $PATH',
          StartedAt: '0001-01-01T00:00:00Z',
        }),
      ],
    });
    const findings = run(containerExitedNonzero, facts);
    assert.match(only(findings, 'gaveup').result.message, /exited with code 4 .* stays down \(on-failure:2 gave up after 2 restarts\)/);
    const nocmd = only(findings, 'nocmd');
    assert.equal(nocmd.result.status, 'fail');
    assert.match(nocmd.result.message, /^Container nocmd could not be started \(exit code 127\) and stays down/);
    assert.match(String(evidence(nocmd, 'exit code meaning')), /command was not found/);
    assert.match(String(evidence(nocmd, 'State.Error')), /executable file not found/);
    assert.equal(evidence(nocmd, 'ran for'), 'never started');
  });

  test('an exit stamped a few ms before the start (a process that exits at once, as Engine 20.10 records it) ran for 0 ms', () => {
    const f = only(
      run(
        containerExitedNonzero,
        factsOf({
          containers: [inspect('quick', { ExitCode: 3, StartedAt: '2026-12-02T10:00:00.020Z', FinishedAt: '2026-12-02T10:00:00.012Z' })],
        }),
      ),
      'quick',
    );
    assert.match(f.result.message, /exited with code 3 0 ms after it started/);
  });

  test('stopped by hand is not a crash: 137/143 with no OOM are not reported; a non-zero exit under a policy that had not given up is only noted', () => {
    const findings = run(
      containerExitedNonzero,
      factsOf({
        containers: [
          inspect('stopped-kill', { ExitCode: 137 }),
          inspect('stopped-term', { ExitCode: 143 }),
          inspect('stopped-unless', { ExitCode: 1 }, { RestartPolicy: { Name: 'unless-stopped', MaximumRetryCount: 0 } }),
          inspect('stopped-always', { ExitCode: 2 }, { RestartPolicy: { Name: 'always', MaximumRetryCount: 0 } }),
        ],
      }),
    );
    passes(findings);
    assert.deepEqual(
      findings.filter((f) => f.result.status === 'info').map((f) => f.result.target),
      ['stopped-unless', 'stopped-always'],
    );
    assert.match(only(findings, 'stopped-always').result.message, /only when the daemon restarts/);
  });

  test('healthy twin: running, completed (exit 0), never started and OOM-killed containers are not this check', () => {
    const findings = run(
      containerExitedNonzero,
      factsOf({
        containers: [
          inspect('web', { Status: 'running', Running: true }),
          inspect('job', { ExitCode: 0 }),
          inspect('idle', { Status: 'created' }),
          inspect('hog', { ExitCode: 137, OOMKilled: true }),
        ],
      }),
    );
    assert.equal(findings.length, 1);
    assert.equal(findings[0]!.result.status, 'pass');
    assert.equal(findings[0]!.result.message, 'None of the 4 containers failed and stays down.');
  });

  test('without a log: an older snapshot, a log that could not be read, a collector that failed, each says so', () => {
    const containers = [inspect('boom', { ExitCode: 3 })];
    assert.match(
      String(evidence(only(run(containerExitedNonzero, factsOf({ containers, exitLogs: null })), 'boom'), 'last 20 log lines')),
      /not in this snapshot/,
    );
    const none: ExitLogFact = {
      container: idOf('boom'),
      name: 'boom',
      lines: [],
      cutLines: 0,
      unreadable: 'its log driver is none: Docker kept nothing to read',
      streamProblem: null,
    };
    const f = only(run(containerExitedNonzero, factsOf({ containers, exitLogs: [none] })), 'boom');
    assert.equal(evidence(f, 'log'), 'unavailable: its log driver is none: Docker kept nothing to read');
    assert.doesNotMatch(f.result.message, /log ends/);
    const broken = {
      ...factsOf({ containers }),
      exitLogs: {
        ok: false as const,
        error: { code: 'timeout' as const, message: 'collector exitLogs did not finish in 10000 ms' },
        sources: [],
      },
    };
    assert.match(
      String(evidence(only(run(containerExitedNonzero, broken), 'boom'), 'last 20 log lines')),
      /unavailable: collector exitLogs did not finish/,
    );
  });
});

describe('container.oom-killed', () => {
  test('killed at its limit: fails with the limit; with no limit: the host ran out', () => {
    const findings = run(
      containerOomKilled,
      factsOf({
        containers: [
          inspect('hog', { ExitCode: 137, OOMKilled: true }, { Memory: 8 * 1024 * 1024 }),
          inspect('hog-nolimit', { ExitCode: 137, OOMKilled: true }),
        ],
      }),
    );
    const hog = only(findings, 'hog');
    assert.equal(hog.result.status, 'fail');
    assert.equal(
      hog.result.message,
      'Container hog was killed for lack of memory (its 8.0 MiB limit) 400 ms after it started and is down (will Docker start it again? no: it has no restart policy, so it stays down until someone starts it).',
    );
    assert.equal(evidence(hog, 'HostConfig.Memory'), '8.0 MiB (8388608 bytes)');
    const nolimit = only(findings, 'hog-nolimit');
    assert.equal(evidence(nolimit, 'HostConfig.Memory'), 'no limit: the host ran out of memory');
    assert.match(nolimit.result.message, /no limit: the host \(or the cgroup Docker runs in\) ran out of memory/);
  });

  test('killed and restarted by its policy: a warning with the restart count', () => {
    const f = only(
      run(
        containerOomKilled,
        factsOf({
          containers: [
            inspect('hog', { Status: 'running', Running: true, OOMKilled: true }, { Memory: 64 * 1024 * 1024 }, { RestartCount: 4 }),
          ],
        }),
      ),
      'hog',
    );
    assert.equal(f.result.status, 'warn');
    assert.match(f.result.message, /restarted 4 times since/);
  });

  test('healthy twin: crashes, stops and running containers are not OOM kills', () => {
    passes(
      run(
        containerOomKilled,
        factsOf({
          containers: [
            inspect('boom', { ExitCode: 3 }),
            inspect('stopped', { ExitCode: 137 }),
            inspect('web', { Status: 'running', Running: true }),
          ],
        }),
      ),
    );
  });
});

describe('container.platform-mismatch', () => {
  const fixtureBinfmt = async (name: string) =>
    collectBinfmt({
      host: await FixtureHost.load(path.join(import.meta.dirname, `../../test/fixtures/binfmt/${name}/host.json`)),
    } as unknown as CollectContext);
  const notMounted: Facts['binfmt'] = {
    ok: true,
    value: { status: 'not-mounted', handlers: [] },
    sources: [{ kind: 'file', path: '/proc/sys/fs/binfmt_misc' }],
  };
  const armExited = inspect('armapp', { ExitCode: 255 }, {}, { Image: ARM64, Config: { Image: 'app:arm64' } });
  const armRunning = inspect('armrun', { Status: 'running', Running: true }, {}, { Image: ARM64, Config: { Image: 'app:arm64' } });

  test('uname and Go names are one: x86_64 is amd64, aarch64 is arm64', () => {
    assert.deepEqual(['x86_64', 'aarch64', 'armv7l', 'i686', 'AMD64', 's390x'].map(goArch), [
      'amd64',
      'arm64',
      'arm',
      '386',
      'amd64',
      's390x',
    ]);
  });

  test('an arm64 image on an x86_64 host with no emulator fails: exec format error', () => {
    const f = only(run(containerPlatformMismatch, factsOf({ containers: [armExited], binfmt: notMounted })), 'armapp');
    assert.equal(f.result.status, 'fail');
    assert.equal(
      f.result.message,
      'Container armapp uses app:arm64, built for linux/arm64/v8, on this linux/amd64 host, and no emulator is registered for arm64: its programs fail with "exec format error".',
    );
    assert.equal(evidence(f, 'image platform'), 'linux/arm64/v8');
    assert.equal(evidence(f, 'host platform'), 'linux/amd64 (the daemon reports x86_64)');
    assert.match(String(evidence(f, 'emulation')), /binfmt_misc is not mounted/);
  });

  test('qemu registered with the F flag: it runs emulated, a warning; without F, containers cannot use it: a failure', async () => {
    const emulated = only(
      run(containerPlatformMismatch, factsOf({ containers: [armExited], binfmt: await fixtureBinfmt('qemu-user-static') })),
      'armapp',
    );
    assert.equal(emulated.result.status, 'warn');
    assert.match(emulated.result.message, /runs under emulation/);
    assert.equal(evidence(emulated, 'emulation'), 'qemu-aarch64: /usr/libexec/qemu-binfmt/aarch64-binfmt-P (flags POCF)');
    const unfixed = only(
      run(containerPlatformMismatch, factsOf({ containers: [armExited], binfmt: await fixtureBinfmt('no-fix-binary') })),
      'armapp',
    );
    assert.equal(unfixed.result.status, 'fail');
    assert.match(String(evidence(unfixed, 'emulation')), /qemu-aarch64 is registered without the F flag/);
  });

  test('binfmt_misc unreadable (a remote daemon): a warning that says exec format error will follow without an emulator; Docker Desktop emulates', () => {
    const remote: Facts['binfmt'] = {
      ok: false,
      error: { code: 'unsupported', message: 'the daemon runs on another machine' },
      sources: [],
    };
    const f = only(run(containerPlatformMismatch, factsOf({ containers: [armExited], binfmt: remote })), 'armapp');
    assert.equal(f.result.status, 'warn');
    assert.doesNotMatch(
      only(run(containerPlatformMismatch, factsOf({ containers: [armRunning], binfmt: remote })), 'armrun').result.message,
      /mislabelled/,
      'running there may be emulation',
    );
    assert.match(f.result.message, /unless an emulator is registered on the daemon's host, it fails with "exec format error"/);
    assert.equal(evidence(f, 'emulation'), 'unknown: the daemon runs on another machine');
    const desktop = only(
      run(containerPlatformMismatch, factsOf({ containers: [armExited], platformName: 'Docker Desktop 4.45.0 (203075)', binfmt: remote })),
      'armapp',
    );
    assert.equal(desktop.result.status, 'warn');
    assert.match(String(evidence(desktop, 'emulation')), /Docker Desktop registers qemu/);
    passes(
      run(
        containerPlatformMismatch,
        factsOf({
          containers: [armExited],
          platformName: 'Docker Desktop 4.45.0 (203075)',
          info: { Architecture: 'aarch64' },
          binfmt: remote,
        }),
      ),
    );
  });

  test('a running container whose image claims another architecture is mislabelled', () => {
    const f = only(run(containerPlatformMismatch, factsOf({ containers: [armRunning], binfmt: notMounted })), 'armrun');
    assert.equal(f.result.status, 'warn');
    assert.match(f.result.message, /mislabelled/);
  });

  test('a Windows image on a Linux daemon fails whatever is emulated', () => {
    const f = only(
      run(
        containerPlatformMismatch,
        factsOf({ containers: [inspect('win', { ExitCode: 1 }, {}, { Image: WINDOWS })], binfmt: notMounted }),
      ),
      'win',
    );
    assert.equal(f.result.status, 'fail');
    assert.match(f.result.message, /windows programs cannot run on linux/);
  });

  test('healthy twin: native, 32-bit x86 on amd64, 32-bit arm on arm64, and images that do not say are not reported', () => {
    const containers = [
      inspect('native', { Status: 'running', Running: true }),
      inspect('i386', { ExitCode: 0 }, {}, { Image: I386 }),
      inspect('unknown', { ExitCode: 0 }, {}, { Image: UNKNOWN }),
    ];
    const findings = run(containerPlatformMismatch, factsOf({ containers, binfmt: notMounted }));
    passes(findings);
    assert.equal(findings[0]!.result.message, 'All 3 containers use images built for this linux/amd64 host.');
    const armHost = factsOf({ containers: [armRunning], info: { Architecture: 'aarch64' }, binfmt: notMounted });
    passes(run(containerPlatformMismatch, armHost));
  });
});

describe('container.logs-discarded and container.log-rotation: per-container settings against the daemon default', () => {
  const running = { Status: 'running', Running: true };
  const nolog = inspect('nolog', running, { LogConfig: { Type: 'none', Config: {} } });
  const unbounded = inspect('unbounded', running);
  const bounded = inspect('bounded', running, { LogConfig: { Type: 'json-file', Config: { 'max-size': '10m', 'max-file': '3' } } });
  const local = inspect('local', running, { LogConfig: { Type: 'local', Config: {} } });
  const ROTATES = { 'log-opts': { 'max-size': '10m', 'max-file': '3' } };

  test('log driver none against a json-file daemon: a warning while it runs, a note when stopped; skipped when the daemon itself discards', () => {
    const findings = run(
      containerLogsDiscarded,
      factsOf({ containers: [nolog, inspect('nolog-stopped', {}, { LogConfig: { Type: 'none', Config: {} } }), bounded] }),
    );
    assert.equal(only(findings, 'nolog').result.status, 'warn');
    assert.match(
      only(findings, 'nolog').result.message,
      /keeps nothing `docker logs` can show \(log driver none; the daemon's default is json-file\)/,
    );
    assert.equal(only(findings, 'nolog-stopped').result.status, 'info');
    const skipped = run(containerLogsDiscarded, factsOf({ containers: [nolog], info: { LoggingDriver: 'none' } }));
    assert.equal(skipped[0]!.result.status, 'skipped');
    passes(run(containerLogsDiscarded, factsOf({ containers: [bounded, local] })));
  });

  test('a remote driver with its dual-logging cache disabled keeps nothing `docker logs` can show; with the cache it passes', () => {
    const uncached = inspect('uncached', running, {
      LogConfig: { Type: 'syslog', Config: { 'syslog-address': 'udp://logs:514', 'cache-disabled': 'true' } },
    });
    const cached = inspect('cached', running, { LogConfig: { Type: 'syslog', Config: { 'syslog-address': 'udp://logs:514' } } });
    const findings = run(containerLogsDiscarded, factsOf({ containers: [uncached, cached] }));
    assert.match(
      only(findings, 'uncached').result.message,
      /\(the syslog driver with its dual-logging cache disabled; the daemon's default is json-file\)/,
    );
    passes(run(containerLogsDiscarded, factsOf({ containers: [cached] })));
  });

  test('json-file without max-size while daemon.json rotates: fails, with the container and the daemon settings', () => {
    const f = only(run(containerLogRotation, factsOf({ containers: [unbounded, bounded, local], daemonJson: ROTATES })), 'unbounded');
    assert.equal(f.result.status, 'fail');
    assert.deepEqual(evidence(f, 'HostConfig.LogConfig'), { type: 'json-file' });
    assert.deepEqual({ ...(evidence(f, 'daemon log-opts (daemon.json)') as object) }, ROTATES['log-opts']);
    assert.equal(f.result.evidence.find((e) => e.label === 'daemon log-opts (daemon.json)')?.source.kind, 'file');
  });

  test('a daemon whose default is local rotates: a container given json-file without max-size fails', () => {
    const f = only(run(containerLogRotation, factsOf({ containers: [unbounded, local], info: { LoggingDriver: 'local' } })), 'unbounded');
    assert.match(f.result.message, /although the daemon's default \(local\) is bounded/);
  });

  test("skipped while the daemon's own default does not rotate (daemon.log-rotation reports that)", () => {
    const findings = run(containerLogRotation, factsOf({ containers: [unbounded] }));
    assert.equal(findings[0]!.result.status, 'skipped');
    assert.match(findings[0]!.result.reason ?? '', /daemon.log-rotation reports it/);
  });

  test('a daemon on another machine: its log-opts cannot be read, so containers are not judged against them', () => {
    const remote = {
      ...factsOf({ containers: [unbounded] }),
      daemonConfig: {
        ok: false as const,
        error: { code: 'unsupported' as const, message: 'the daemon runs on another machine' },
        sources: [],
      },
    };
    const findings = run(containerLogRotation, remote);
    assert.equal(findings[0]!.result.status, 'skipped');
    assert.match(findings[0]!.result.reason ?? '', /the daemon's log-opts cannot be read \(the daemon runs on another machine\)/);
  });

  test('healthy twin: every json-file log has max-size, or another driver', () => {
    passes(run(containerLogRotation, factsOf({ containers: [bounded, local, nolog], daemonJson: ROTATES })));
  });
});

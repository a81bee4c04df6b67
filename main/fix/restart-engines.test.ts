// What a daemon restart really does to running containers, on each engine, against what the impact says before it:
// containers with each restart policy on a real dockerd restarted the way a fix restarts it (the process controller),
// with live-restore off, on, and turned off by the restart (the undo of the live-restore fix).
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { after, before } from 'node:test';
import type { FixPlan } from '../../shared/fix';
import type { ContainerAfterHow, ContainerFate } from '../../shared/restart-impact';
import { runAudit } from '../audit';
import { LocalHost } from '../host/local-host';
import { forEachEngine, importBusybox, pidIn, type PrivateDockerd, runningDockerd } from '../../test/support/dockerd';
import { waitForDaemon } from './apply';
import { containersAfter, runningContainers, withEngine } from './containers-again';
import { processController, ProcessRecordSchema } from './controllers';
import { unifiedDiff } from './plan';
import { daemonOf, restartImpact } from './restart-impact';

/** By restart policy; onfail's sleep is killed at the stop timeout (exit 137), onfailclean exits 0 on SIGTERM. */
const CONTAINERS: Record<string, string[]> = {
  plain: ['--stop-timeout', '1'],
  always: ['--stop-timeout', '1', '--restart', 'always'],
  unless: ['--stop-timeout', '1', '--restart', 'unless-stopped'],
  onfail: ['--stop-timeout', '1', '--restart', 'on-failure'],
  onfailclean: ['--stop-timeout', '5', '--restart', 'on-failure'],
};
const COMMAND: Record<string, string[]> = { onfailclean: ['/bin/sh', '-c', 'trap "exit 0" TERM; while :; do sleep 1; done'] };
/** What a daemon that stops its containers predicts for each, and what really becomes of each. */
const STOPPING: Record<string, ContainerFate> = {
  always: 'restarts-by-policy',
  onfail: 'restarts-if-failed',
  onfailclean: 'restarts-if-failed',
  plain: 'stays-down',
  unless: 'restarts-by-policy',
};
const STOPPED: Record<string, ContainerAfterHow> = {
  always: 'restarted-by-policy',
  onfail: 'restarted-by-policy',
  onfailclean: 'left-stopped',
  plain: 'left-stopped',
  unless: 'restarted-by-policy',
};
/** live-restore turned off by the restart: kept through the stop, shut down by the new daemon; unless-stopped stays down. */
const SHUT: Record<string, ContainerFate> = { ...STOPPING, unless: 'stays-down' };
const SHUT_HOW: Record<string, ContainerAfterHow> = { ...STOPPED, unless: 'left-stopped' };
const KEPT: Record<string, ContainerAfterHow> = Object.fromEntries(Object.keys(CONTAINERS).map((name) => [name, 'kept-running']));
const OFF = '{}\n';
const ON = '{\n    "live-restore": true\n}\n';

/** The fate the impact predicts for each container, by name. */
async function predicted(daemon: PrivateDockerd, change: Pick<FixPlan, 'operations' | 'files'>): Promise<Record<string, ContainerFate>> {
  const { facts } = await runAudit({ host: new LocalHost(), endpoint: { host: daemon.host }, timeoutMs: 30_000 });
  const impact = restartImpact(facts, change, 'apply', daemonOf(daemon.host, null));
  assert.equal(impact.error, null);
  return Object.fromEntries(impact.running.map((c) => [c.name, c.fate]));
}

/** Restarts the daemon as a fix does (its process controller), with `config` as its daemon.json, and waits for it. */
async function restartWith(daemon: PrivateDockerd, config: string): Promise<void> {
  await fs.writeFile(daemon.configPath, config);
  const record = ProcessRecordSchema.parse(JSON.parse(await fs.readFile(await daemon.controllerRecord(), 'utf8')));
  const controller = processController(record, async () => pidIn(daemon.pidfile));
  await controller.restart(60_000);
  const api = () => withEngine(daemon.host, (a) => a.ping(2000)).then(() => true);
  assert.ok(await waitForDaemon(api, 60_000), 'the daemon answers again');
}

/** Restarts the daemon and compares each container's real state with `expected`; then starts the downed ones again. */
async function restartAndCompare(daemon: PrivateDockerd, expected: Record<string, ContainerAfterHow>, config: string): Promise<void> {
  const running = await withEngine(daemon.host, runningContainers);
  assert.deepEqual(running.map((c) => c.name).sort(), Object.keys(CONTAINERS).sort(), 'every test container runs before the restart');
  await restartWith(daemon, config);
  const seen = await withEngine(daemon.host, (api) => containersAfter(api, running, false));
  assert.deepEqual(Object.fromEntries(seen.containers.map((c) => [c.name, c.how])), expected, `on engine ${daemon.engine}`);
  const again = await withEngine(daemon.host, (api) => containersAfter(api, running, true));
  assert.deepEqual(
    Object.fromEntries(again.containers.map((c) => [c.name, [c.state, c.how]])),
    Object.fromEntries(Object.entries(expected).map(([name, how]) => [name, ['running', how === 'left-stopped' ? 'started-again' : how]])),
    'started again: every container runs; only the ones that were down were started by Dockhand',
  );
}

const daemonJsonChange = (before: string, after: string): Pick<FixPlan, 'operations' | 'files'> => ({
  operations: [{ op: 'daemon-json.set', file: '/x/daemon.json', path: ['live-restore'], value: after === ON }, { op: 'daemon.restart' }],
  files: [{ path: '/x/daemon.json', existed: true, beforeSha256: null, after, diff: unifiedDiff('/x/daemon.json', before, after) }],
});

forEachEngine('a daemon restart and the running containers, as the restart impact predicts', (engine, test) => {
  let daemon: PrivateDockerd;
  before(async () => {
    daemon = await runningDockerd({ engine, daemonJson: OFF });
    const image = await importBusybox(daemon);
    // The busybox sleep ignores SIGTERM as pid 1: a short stop timeout keeps each daemon stop to a second or two.
    for (const [name, flags] of Object.entries(CONTAINERS))
      await daemon.docker(['run', '-d', '--name', name, ...flags, image, ...(COMMAND[name] ?? [])]);
  });
  after(async () => {
    await daemon?.stop();
  });

  test('live-restore off: every container stops; always and unless-stopped come back, on-failure only after an error exit, no stays down', async () => {
    assert.deepEqual(await predicted(daemon, { operations: [{ op: 'daemon.restart' }], files: [] }), STOPPING);
    await restartAndCompare(daemon, STOPPED, OFF);
  });

  test('live-restore turned on by the restart: the containers still stop (the daemon that stops has it off)', async () => {
    assert.deepEqual(await predicted(daemon, daemonJsonChange(OFF, ON)), STOPPING);
    await restartAndCompare(daemon, STOPPED, ON);
  });

  test('live-restore on before and after: every container keeps running', async () => {
    const fates = await predicted(daemon, { operations: [{ op: 'daemon.restart' }], files: [] });
    assert.deepEqual(new Set(Object.values(fates)), new Set(['keeps-running']));
    await restartAndCompare(daemon, KEPT, ON);
  });

  test('live-restore turned off by the restart (the undo of the live-restore fix): the new daemon stops them; always and on-failure after an error come back, unless-stopped does not', async () => {
    assert.deepEqual(await predicted(daemon, daemonJsonChange(ON, OFF)), SHUT);
    await restartAndCompare(daemon, SHUT_HOW, OFF);
  });
});

import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { after, before } from 'node:test';
import type { Facts } from '../../shared/facts';
import type { Finding } from '../../shared/finding';
import path from 'node:path';
import { describe, test as nodeTest } from 'node:test';
import { type FixRecord, FixRecordSchema } from '../../shared/fix';
import { dockhand } from '../../test/support/cli';
import { forEachEngine, type PrivateDockerd, runningDockerd } from '../../test/support/dockerd';
import { collectFacts } from '../collect/collect';
import { createEngineApi } from '../collect/engine-api';
import { parseInfo } from '../collect/engine';
import { obj } from '../collect/raw';
import { LocalHost } from '../host/local-host';
import { daemonRestartPending } from './daemon-drift';
import { evaluateChecks } from './runner';

const STARTED_WITH = {
  labels: ['dockhand.test=one'],
  'live-restore': false,
  'registry-mirrors': ['https://mirror.example.com'],
  'insecure-registries': ['10.20.0.0/16', 'registry.internal:5000'],
  'log-driver': 'json-file',
};

function drift(facts: Facts): Finding {
  const [finding] = evaluateChecks([daemonRestartPending], facts);
  return finding!;
}

const labelsOf = (f: Finding) => f.result.evidence.map((e) => e.label);

forEachEngine('daemon.restart-pending against a real dockerd whose daemon.json is edited without a restart', (engine, test) => {
  let daemon: PrivateDockerd;
  const audit = () => collectFacts({ host: new LocalHost(), endpoint: { host: daemon.host } });
  const rewrite = (json: object) => fs.writeFile(daemon.configPath, JSON.stringify(json, null, 2));

  before(async () => {
    daemon = await runningDockerd({ engine, daemonJson: STARTED_WITH });
  });
  after(async () => {
    await daemon?.stop();
  });

  test('healthy twin: the file it started with is what it runs', async () => {
    const facts = await audit();
    assert.ok(facts.daemonConfig.ok && facts.daemonConfig.value.path === daemon.configPath, JSON.stringify(facts.daemonConfig));
    const f = drift(facts);
    assert.equal(f.result.status, 'pass', f.result.message);
    assert.match(f.result.message, /reports what .* configures/);
  });

  test('reloadable keys changed: "a reload is pending" names them; after SIGHUP the daemon uses them and the check passes', async () => {
    await rewrite({
      ...STARTED_WITH,
      labels: ['dockhand.test=two'],
      'live-restore': true,
      debug: true,
      'insecure-registries': ['10.30.1.2/16', 'registry.internal:5000'],
    });
    const pending = drift(await audit());
    assert.equal(pending.result.status, 'warn', pending.result.message);
    assert.match(
      pending.result.message,
      /^A reload is pending: .* for live-restore, debug, labels, insecure-registries\. dockerd applies these on a reload: `systemctl reload docker` or `kill -HUP \d+`/,
    );
    assert.deepEqual(
      pending.result.evidence.find((e) => e.label === 'insecure-registries (daemon.json)')?.value,
      ['10.30.0.0/16', 'registry.internal:5000'],
      "the file's CIDR as dockerd stores it",
    );
    assert.deepEqual(pending.result.evidence.find((e) => e.label === 'labels (running daemon)')?.value, ['dockhand.test=one']);

    process.kill(daemon.pid, 'SIGHUP');
    const api = await createEngineApi(
      new LocalHost(),
      { host: daemon.host, transport: 'unix', tls: null, context: null, reason: 'test', flavour: 'unknown' },
      5000,
    );
    try {
      // The reload is asynchronous: wait until /info shows the new labels (a condition, not a delay).
      for (;;) {
        const info = parseInfo(obj(await api.get('/info')));
        if (info.labels.includes('dockhand.test=two')) break;
        await new Promise((r) => setImmediate(r));
      }
    } finally {
      api.close();
    }
    const applied = drift(await audit());
    assert.equal(applied.result.status, 'pass', applied.result.message);
  });

  test('a key only a restart applies, and a key removed from the file: "a restart is pending" with both', async () => {
    const { labels: _removed, ...rest } = { ...STARTED_WITH, labels: ['dockhand.test=two'] };
    await rewrite({
      ...rest,
      'live-restore': true,
      debug: true,
      'insecure-registries': ['10.30.1.2/16', 'registry.internal:5000'],
      'log-driver': 'local',
      experimental: true,
    });
    const f = drift(await audit());
    assert.equal(f.result.status, 'fail', f.result.message);
    assert.match(
      f.result.message,
      /^A restart is pending: .* for labels, log-driver, experimental \(log-driver, experimental only on a restart: `systemctl restart docker`\)\./,
    );
    assert.ok(labelsOf(f).includes("labels (not in daemon.json: dockerd's default)"), labelsOf(f).join('; '));
    const logDriver = f.result.evidence.find((e) => e.label === 'log-driver (daemon.json)')!;
    assert.equal(logDriver.value, 'local');
    assert.equal(logDriver.source.kind, 'file');
    assert.equal(f.result.evidence.find((e) => e.label === 'log-driver (running daemon)')?.value, 'json-file');
  });

  test('a cgroup driver given twice is compared as this engine resolves it (the first before 28.0, the last from 28.0): no drift', async () => {
    const own = await runningDockerd({
      engine,
      daemonJson: { 'exec-opts': ['native.cgroupdriver=cgroupfs', 'native.cgroupdriver=systemd'] },
    });
    try {
      const facts = await collectFacts({ host: new LocalHost(), endpoint: { host: own.host } });
      assert.equal(facts.info.ok && facts.info.value.cgroupDriver, engine === '28.5' ? 'systemd' : 'cgroupfs');
      const f = drift(facts);
      assert.equal(f.result.status, 'pass', f.result.message);
    } finally {
      await own.stop();
    }
  });

  test('an unreachable daemon is never reported as drift', async () => {
    const facts = await collectFacts({ host: new LocalHost(), endpoint: { host: `unix://${daemon.dir}/no-such.sock` } });
    assert.ok(!facts.info.ok);
    const f = drift(facts);
    assert.ok(f.result.status === 'error' || f.result.status === 'skipped', `${f.result.status}: ${f.result.message}`);
    assert.doesNotMatch(f.result.message, /pending/);
  });
});

describe('the daemon.restart-pending fix: a restart that makes dockerd read the file it already has', () => {
  let daemon: PrivateDockerd;
  before(async () => {
    daemon = await runningDockerd({ daemonJson: STARTED_WITH });
  });
  after(async () => {
    await daemon?.stop();
  });

  nodeTest(
    'fix apply restarts dockerd (pre-flight first), verifies the finding passes, and the daemon runs the new log driver',
    async () => {
      await fs.writeFile(daemon.configPath, JSON.stringify({ ...STARTED_WITH, 'log-driver': 'local' }, null, 2));
      const env = {
        ...process.env,
        DOCKHAND_DAEMON_CONTROLLER: `process:${await daemon.controllerRecord()}`,
        DOCKHAND_STATE_DIR: path.join(daemon.dir, 'state'),
      };
      const r = await dockhand(['fix', 'apply', 'daemon.restart-pending', '--host', daemon.host, '--yes', '--format', 'json'], { env });
      assert.equal(r.code, 0, r.stderr);
      const record: FixRecord = FixRecordSchema.parse(JSON.parse(r.stdout));
      assert.equal(record.outcome, 'applied');
      assert.deepEqual([record.before, record.after], ['fail', 'pass']);
      const info = JSON.parse(await daemon.docker(['info', '--format', '{{json .}}'])) as { LoggingDriver: string };
      assert.equal(info.LoggingDriver, 'local');
    },
  );
});

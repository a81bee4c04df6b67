import assert from 'node:assert/strict';
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { promises as fs, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import type { Facts } from '../../shared/facts';
import { FixRecordSchema } from '../../shared/fix';
import type { Finding } from '../../shared/finding';
import { dockhand } from '../../test/support/cli';
import {
  DEFAULT_ENGINE,
  type EngineName,
  forEachEngine,
  pidIn,
  type PrivateDockerd,
  removeDir,
  runningDockerd,
} from '../../test/support/dockerd';
import { collectFacts } from '../collect/collect';
import { parseNftRuleset } from '../collect/firewall-rules';
import { LocalHost } from '../host/local-host';
import { networkDockerChains } from './docker-chains';
import { evaluateChecks } from './runner';
import { until } from '../../test/support/poll';

const run = promisify(execFile);

/** What each engine creates at start in its namespace, as recorded from the real engines (iptables-save -t filter/nat). */
const CREATED: Record<EngineName, { filter: string[]; forward: string[]; nat: string[] }> = {
  '20.10': {
    filter: ['INPUT', 'FORWARD', 'OUTPUT', 'DOCKER', 'DOCKER-ISOLATION-STAGE-1', 'DOCKER-ISOLATION-STAGE-2', 'DOCKER-USER'],
    forward: ['DOCKER-USER', 'DOCKER-ISOLATION-STAGE-1', 'ACCEPT', 'DOCKER'],
    nat: ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING', 'DOCKER'],
  },
  '26.1': {
    filter: ['INPUT', 'FORWARD', 'OUTPUT', 'DOCKER', 'DOCKER-ISOLATION-STAGE-1', 'DOCKER-ISOLATION-STAGE-2', 'DOCKER-USER'],
    forward: ['DOCKER-USER', 'DOCKER-ISOLATION-STAGE-1', 'ACCEPT', 'DOCKER'],
    nat: ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING', 'DOCKER'],
  },
  '28.5': {
    filter: [
      'INPUT',
      'FORWARD',
      'OUTPUT',
      'DOCKER',
      'DOCKER-BRIDGE',
      'DOCKER-CT',
      'DOCKER-FORWARD',
      'DOCKER-ISOLATION-STAGE-1',
      'DOCKER-ISOLATION-STAGE-2',
      'DOCKER-USER',
    ],
    forward: ['DOCKER-USER', 'DOCKER-FORWARD'],
    nat: ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING', 'DOCKER'],
  },
};

const collect = (daemon: PrivateDockerd): Promise<Facts> => collectFacts({ host: new LocalHost(), endpoint: { host: daemon.host } });

function verdict(facts: Facts): Finding {
  const findings = evaluateChecks([networkDockerChains], facts);
  assert.equal(findings.length, 1, JSON.stringify(findings));
  return findings[0]!;
}

const evidence = (f: Finding, label: string) => f.result.evidence.filter((e) => e.label === label).map((e) => e.value);

/** Runs a command in the daemon's network namespace, as a firewall reload on that host would. */
const inNetns = (pid: number, argv: string[]) => run('nsenter', [`--net=/proc/${pid}/ns/net`, '--', ...argv]);

const netnsInode = (pid: number) => statSync(`/proc/${pid}/ns/net`).ino;

forEachEngine("network.docker-chains-missing: a real dockerd's own network namespace", (engine, test) => {
  let dir: string;
  let daemon: PrivateDockerd;
  let holder: ChildProcess | undefined;
  let netns: number;

  before(async () => {
    // A directory of the test's, so the daemon can be restarted over the same data after it is stopped.
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'dkh-'));
    daemon = await runningDockerd({ engine, dir, daemonJson: {} });
    netns = netnsInode(daemon.pid);
  });
  after(async () => {
    await daemon?.stop();
    holder?.kill('SIGKILL');
    if (dir) await removeDir(dir);
  });

  test("as started: the rules are read in the daemon's namespace, every chain and jump of this engine is there: pass", async () => {
    assert.notEqual(netns, statSync('/proc/self/ns/net').ino, 'the test daemon runs in a namespace of its own');
    const facts = await collect(daemon);
    assert.ok(facts.iptables.ok, JSON.stringify(facts.iptables));
    const fw = facts.iptables.value;
    assert.equal(fw.command, `nsenter --net=/proc/${daemon.pid}/ns/net -- iptables-save`);
    assert.equal(fw.format, 'iptables-save');
    assert.deepEqual(fw.netns, { daemonPid: daemon.pid, daemonNetns: netns, ownNetns: statSync('/proc/self/ns/net').ino });
    assert.equal(fw.forwardPolicy, 'DROP', 'dockerd turned on forwarding in a fresh namespace, so it set DROP');
    assert.deepEqual(
      fw.tables!.filter.map((c) => c.name),
      CREATED[engine].filter,
    );
    assert.deepEqual(fw.tables!.filter.find((c) => c.name === 'FORWARD')!.targets, CREATED[engine].forward);
    assert.deepEqual(
      fw.tables!.nat.map((c) => c.name),
      CREATED[engine].nat,
    );
    // The same namespace read with nft (what the collector falls back to): the chains iptables-nft created, the same jumps.
    const nft = parseNftRuleset((await inNetns(daemon.pid, ['nft', 'list', 'ruleset'])).stdout);
    const used = fw.tables!.filter.filter((c) => c.policy === null || c.targets.length > 0);
    assert.deepEqual(nft.filter.map((c) => c.name).sort(), used.map((c) => c.name).sort());
    assert.deepEqual(
      nft.filter.find((c) => c.name === 'FORWARD'),
      { name: 'FORWARD', policy: 'DROP', targets: CREATED[engine].forward.filter((t) => t.startsWith('DOCKER')) },
    );
    const f = verdict(facts);
    assert.equal(f.result.status, 'pass', f.result.message);
    assert.match(
      f.result.message,
      new RegExp(`^Every chain Engine ${engine.replace('.', '\\.')} creates is in place, with the jumps into it \\(filter/DOCKER-USER, `),
    );
    assert.match(String(evidence(f, 'network namespace read')[0]), new RegExp(`^net:\\[${netns}\\], dockerd's \\(pid ${daemon.pid}\\)`));
  });

  test('after `iptables -F` there: the FORWARD jumps are gone with the policy still DROP: fail, fix by restart; a reload (SIGHUP) does not bring them back', async () => {
    await inNetns(daemon.pid, ['iptables', '-F']);
    const flushed = verdict(await collect(daemon));
    assert.equal(flushed.result.status, 'fail');
    assert.match(flushed.result.message, /the FORWARD policy is DROP, so containers have no network at all/);
    const jumps =
      engine === '28.5'
        ? ['filter/FORWARD -> DOCKER-USER', 'filter/FORWARD -> DOCKER-FORWARD']
        : ['filter/FORWARD -> DOCKER-USER', 'filter/FORWARD -> DOCKER-ISOLATION-STAGE-1'];
    assert.deepEqual(evidence(flushed, 'missing jump'), jumps);
    assert.deepEqual(evidence(flushed, 'missing chain'), [], '-F empties the chains, it does not delete them');
    assert.deepEqual(flushed.result.fix, { id: 'daemon.restart', params: {} });

    const logLength = (await daemon.logs()).length;
    process.kill(daemon.pid, 'SIGHUP');
    // The reload is done when dockerd says so ("Reloaded configuration" on every engine).
    await until(async () => /Reloaded configuration/.test((await daemon.logs()).slice(logLength)), {
      what: 'dockerd to say it reloaded',
      timeoutMs: 30_000,
    });
    const reloaded = verdict(await collect(daemon));
    assert.equal(reloaded.result.status, 'fail', 'a reload leaves the rules as they are');
    assert.deepEqual(evidence(reloaded, 'missing jump'), jumps);
  });

  test('after `nft flush ruleset` there: every chain is gone: fail; the daemon restarted in the same namespace recreates them: pass', async () => {
    await inNetns(daemon.pid, ['nft', 'flush', 'ruleset']);
    const flushed = verdict(await collect(daemon));
    assert.equal(flushed.result.status, 'fail');
    assert.match(
      flushed.result.message,
      /containers' outgoing connections are no longer masqueraded \(they reach nothing beyond this host\), published ports do not answer/,
    );
    assert.ok(
      evidence(flushed, 'missing chain').includes('filter/DOCKER-USER') && evidence(flushed, 'missing chain').includes('nat/DOCKER'),
      JSON.stringify(flushed.result.evidence),
    );

    // The namespace outlives the daemon while something is in it: a process that only waits.
    holder = spawn('nsenter', [`--net=/proc/${daemon.pid}/ns/net`, '--', 'sleep', '3600'], { stdio: 'ignore' });
    await until(
      async () =>
        holder?.pid &&
        (await fs.stat(`/proc/${holder.pid}/ns/net`).then(
          (s) => s.ino,
          () => 0,
        )) === netns,
      { what: "the holder to be in the daemon's network namespace" },
    );
    await daemon.stop();
    daemon = await runningDockerd({ engine, dir, netnsOf: holder.pid });
    assert.equal(netnsInode(daemon.pid), netns, 'the restarted daemon runs in the namespace whose rules were flushed');
    const restarted = verdict(await collect(daemon));
    assert.equal(restarted.result.status, 'pass', restarted.result.message);
  });
});

describe('network.docker-chains-missing fixed by `dockhand fix apply`: the daemon restarted in its namespace', () => {
  let holder: ChildProcess;
  let daemon: PrivateDockerd;
  before(async () => {
    // The namespace belongs to a process that only waits, as a host's does to the machine: dockerd comes and goes in it.
    holder = spawn('unshare', ['-n', 'sleep', '3600'], { stdio: 'ignore' });
    await until(
      async () =>
        holder.pid &&
        ![0, statSync('/proc/self/ns/net').ino].includes(
          await fs.stat(`/proc/${holder.pid}/ns/net`).then(
            (s) => s.ino,
            () => 0,
          ),
        ),
      { what: 'the holder to be in a network namespace of its own' },
    );
    daemon = await runningDockerd({ engine: DEFAULT_ENGINE, daemonJson: {}, netnsOf: holder.pid });
  });
  after(async () => {
    await daemon?.stop();
    holder?.kill('SIGKILL');
  });

  test('after a flush: apply restarts the daemon through the fix engine, the chains are back and the finding passes', async () => {
    await inNetns(holder.pid!, ['iptables', '-F']);
    const env = {
      ...process.env,
      DOCKHAND_DAEMON_CONTROLLER: `process:${await daemon.controllerRecord()}`,
      DOCKHAND_STATE_DIR: path.join(daemon.dir, 'state'),
    };
    const before = pidIn(daemon.pidfile);
    const r = await dockhand(['fix', 'apply', 'network.docker-chains-missing', '--host', daemon.host, '--yes', '--format', 'json'], {
      env,
    });
    assert.equal(r.code, 0, `${r.stderr}\n${r.stdout}`);
    const record = FixRecordSchema.parse(JSON.parse(r.stdout));
    assert.deepEqual(record.plan.operations, [{ op: 'daemon.restart' }]);
    assert.equal(record.outcome, 'applied', record.message);
    assert.deepEqual([record.before, record.after], ['fail', 'pass'], 'verified by collecting again');
    const after = pidIn(daemon.pidfile);
    assert.ok(after && after !== before, 'a new dockerd process');
    assert.equal(netnsInode(after), netnsInode(holder.pid!), 'in the same network namespace');
    const forward = (await inNetns(holder.pid!, ['iptables', '-S', 'FORWARD'])).stdout;
    assert.match(forward, /^-A FORWARD -j DOCKER-USER$/m);
    assert.match(forward, /^-A FORWARD -j DOCKER-FORWARD$/m);
  });
});

// The daemon proxy fix, planned from temporary roots holding real docker.service units, drop-ins and daemon.json files:
// a drop-in for engines before 23.0 (or where the unit already holds the proxy), daemon.json "proxies" from 23.0.
// systemd cannot run here, so the restart is not exercised; the re-audit of the files proves NO_PROXY now covers it.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import type { Facts } from '../../shared/facts';
import { evaluateFacts } from '../audit';
import { collectFacts } from '../collect/collect';
import { RootfsHost } from '../host/rootfs-host';
import { put } from '../../test/support/rootfs';
import { validatePlan } from './allowlist';
import { applyPlan } from './apply';
import { noController, systemdController } from './controllers';
import { type FixEnv, planFix } from './plan';
import { environmentLine } from './proxy-dropin';
import { PROXY_DROPIN } from './proxy-fix';
import { findingStatus } from './session';

const UNIT = '[Unit]\nDescription=Docker\n[Service]\nExecStart=/usr/bin/dockerd -H fd:// --containerd=/run/containerd/containerd.sock\n';
const CONTEXT = { options: { internalDomains: ['corp.internal'] } };
const roots: string[] = [];

async function rootWith(files: Record<string, string>): Promise<{ root: string; env: FixEnv }> {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'dkh-proxyfix-'));
  roots.push(root);
  await put(root, '/etc/passwd', 'root:x:0:0:root:/root:/bin/bash\n');
  await put(root, '/etc/group', 'root:x:0:\ndocker:x:999:\n');
  await put(root, '/lib/systemd/system/docker.service', UNIT);
  for (const [p, text] of Object.entries(files)) await put(root, p, text);
  return { root, env: { root, home: '/root' } };
}

/** The root's facts as a live daemon of `version` would give them (an offline root has no engine to ask). */
async function factsOf(root: string, version: string): Promise<Facts> {
  const facts = await collectFacts({ host: new RootfsHost(root), root, timeoutMs: 5000 });
  return {
    ...facts,
    engine: {
      ok: true,
      value: { version, apiVersion: '1.41', minApiVersion: '1.12', os: 'linux', arch: 'amd64', kernelVersion: null, platformName: null },
      sources: [],
    },
  };
}

after(async () => Promise.all(roots.map((r) => fs.rm(r, { recursive: true, force: true }))));

describe('daemon.proxy (from proxy.no-proxy)', () => {
  test('systemd quoting: % doubled so systemd does not read a specifier; a value outside the proxy grammar is refused, not quoted', () => {
    assert.equal(environmentLine('HTTP_PROXY', 'http://bob:p%40ss@proxy:3128'), 'Environment="HTTP_PROXY=http://bob:p%%40ss@proxy:3128"');
    assert.throws(() => environmentLine('HTTP_PROXY', 'http://bob:p"w\\d@proxy:3128'), /cannot hold a quote/);
    assert.throws(() => environmentLine('LD_PRELOAD', '/tmp/x.so'), /not a proxy variable/);
  });

  test('Engine 20.10: a drop-in that keeps the proxy and completes NO_PROXY, sorted after the existing one; the re-audit passes', async () => {
    const { root, env } = await rootWith({
      '/etc/systemd/system/docker.service.d/http-proxy.conf':
        '[Service]\nEnvironment="HTTP_PROXY=http://bob:p%%40ss@proxy.corp:3128" "NO_PROXY=localhost"\n',
      '/etc/docker/daemon.json': '{\n  "log-driver": "json-file"\n}\n',
    });
    const facts = await factsOf(root, '20.10.24');
    const report = evaluateFacts(facts, { context: CONTEXT });
    const finding = report.findings.find((f) => f.id === 'proxy.no-proxy:daemon')!;
    assert.equal(finding.result.status, 'fail', finding.result.message);
    const plan = await planFix(facts, report, { checkId: 'proxy.no-proxy', target: 'daemon' }, systemdController(), env);
    assert.deepEqual(
      plan.operations.map((o) => o.op),
      ['systemd-dropin.write', 'daemon.reload', 'daemon.restart'],
    );
    assert.deepEqual(
      plan.files.map((f) => f.path),
      [`/etc/systemd/system/docker.service.d/${PROXY_DROPIN}`],
    );
    assert.match(
      plan.files[0]!.after!,
      /^\[Service\]\n# Written by Dockhand: .*\nEnvironment="HTTP_PROXY=http:\/\/bob:p%%40ss@proxy\.corp:3128"\nEnvironment="NO_PROXY=localhost,corp\.internal"\n$/,
    );
    assert.deepEqual(
      plan.commands.map((c) => c.argv.join(' ')),
      ['systemctl daemon-reload', 'systemctl restart docker.service'],
    );
    assert.ok(plan.notes.some((n) => /predates daemon.json "proxies"/.test(n)));
    assert.ok(plan.notes.some((n) => /holds a password/.test(n)));

    // Apply the files only (nothing can restart a daemon in a temporary root), then audit the files again.
    const filesOnly = { ...plan, restart: false, operations: plan.operations.filter((o) => o.op === 'systemd-dropin.write') };
    const { plan: valid, files } = await validatePlan(filesOnly, env, new Set());
    const record = await applyPlan(valid, files, {
      env,
      stateDir: path.join(root, '.state'),
      controller: noController('a temporary root'),
      ping: async () => false,
      verify: async (p) => ({
        status: findingStatus(evaluateFacts(await factsOf(root, '20.10.24'), { context: CONTEXT }), p),
        daemonError: null,
      }),
      timeouts: { restartMs: 1000, upMs: 1000, lockWaitMs: 1000 },
    });
    assert.equal(record.outcome, 'applied', record.message);
    const written = await fs.stat(path.join(root, 'etc/systemd/system/docker.service.d', PROXY_DROPIN));
    assert.equal(written.mode & 0o777, 0o600, 'a drop-in holding a password is root-only');
  });

  test('Engine 24.0 with the proxy in daemon.json: "proxies" rewritten in place, no drop-in, no reload', async () => {
    const { root, env } = await rootWith({
      '/etc/docker/daemon.json': '{\n  "proxies": {\n    "https-proxy": "http://proxy.corp:3128",\n    "no-proxy": "localhost"\n  }\n}\n',
    });
    const facts = await factsOf(root, '24.0.7');
    const report = evaluateFacts(facts, { context: CONTEXT });
    const plan = await planFix(facts, report, { checkId: 'proxy.no-proxy', target: 'daemon' }, systemdController(), env);
    assert.deepEqual(
      plan.operations.map((o) => o.op),
      ['daemon-json.set', 'daemon.restart'],
    );
    assert.equal(
      plan.files[0]!.after,
      '{\n  "proxies": {\n    "https-proxy": "http://proxy.corp:3128",\n    "no-proxy": "localhost,corp.internal"\n  }\n}\n',
    );
    assert.deepEqual(
      plan.commands.map((c) => c.argv.join(' ')),
      ['systemctl restart docker.service'],
    );
  });

  test('no proxy to keep and none given: refused with what to pass', async () => {
    const { root, env } = await rootWith({});
    const facts = await factsOf(root, '20.10.24');
    const report = evaluateFacts(facts, { context: CONTEXT });
    await assert.rejects(
      (async () => {
        const { planOperations } = await import('./plan');
        return planOperations(
          facts,
          { fixId: 'daemon.proxy', checkId: 'proxy.no-proxy', findingId: null, target: 'daemon', params: { no: 'localhost' } },
          systemdController(),
          env,
        );
      })(),
      /no daemon proxy is configured to keep: give it with --set http=/,
    );
    assert.ok(report);
  });

  test('a smuggled value is refused with words, given (--set) or kept from the host; nothing reaches a drop-in', async () => {
    const { planOperations } = await import('./plan');
    const { root, env } = await rootWith({});
    const facts = await factsOf(root, '20.10.24');
    const plan = (params: Record<string, string>) =>
      planOperations(
        facts,
        { fixId: 'daemon.proxy', checkId: 'proxy.no-proxy', findingId: null, target: 'daemon', params },
        systemdController(),
        env,
      );
    await assert.rejects(
      plan({ http: 'http://p:3128\u0000ExecStartPre=/tmp/evil' }),
      /http: a proxy URL cannot hold the character U\+0000/,
    );
    await assert.rejects(
      plan({ http: 'http://p:3128', no: 'localhost\nExecStartPre=/tmp/evil' }),
      /no: a NO_PROXY list cannot hold the character U\+000A/,
    );
    await assert.rejects(plan({ http: 'http://p:3128', no: 'localhost ExecStartPre=/tmp/evil' }), /cannot hold a space/);

    // The host's own unit already holds a value outside the grammar: it is not carried into Dockhand's drop-in.
    const hostile = await rootWith({
      '/etc/systemd/system/docker.service.d/http-proxy.conf': '[Service]\nEnvironment="HTTP_PROXY=http://p:3128;x"\n',
    });
    const hostileFacts = await factsOf(hostile.root, '20.10.24');
    await assert.rejects(
      planOperations(
        hostileFacts,
        { fixId: 'daemon.proxy', checkId: 'proxy.no-proxy', findingId: null, target: 'daemon', params: { no: 'localhost' } },
        systemdController(),
        hostile.env,
      ),
      /the HTTP_PROXY configured now cannot be written back: a proxy URL's port is a number from 1 to 65535, not "3128;x"; give it with --set http=/,
    );
  });
});

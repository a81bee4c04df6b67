// What the boundary refuses even in a well-formed plan: the changes that would let a plan handed to the elevated
// helper run code as root (a TCP socket, a runtime binary, LD_PRELOAD, another program on a timer).
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { type FixOperation, type FixPlan } from '../../shared/fix';
import { validatePlan } from './allowlist';
import { computeFileChanges } from './plan';
import { handMadePlan } from '../../test/support/fix-plan';

async function planWith(operations: FixOperation[], root: string): Promise<FixPlan> {
  return handMadePlan(operations, await computeFileChanges(operations, { root, home: '/root' }));
}

test('daemon.json keys no fix uses, drop-ins setting anything but the proxy, and foreign programs on a timer are refused', async () => {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'dkh-allow-'));
  try {
    const env = { root, home: '/root' };
    const allowed = new Set(['/etc/docker/daemon.json']);
    const refuse = async (ops: FixOperation[], why: RegExp) =>
      assert.rejects(validatePlan(await planWith(ops, root), env, allowed, '/usr/bin/dockhand'), why);
    await refuse(
      [{ op: 'daemon-json.set', file: '/etc/docker/daemon.json', path: ['hosts'], value: ['tcp://0.0.0.0:2375'] }],
      /no fix sets the daemon.json key "hosts"/,
    );
    await refuse(
      [{ op: 'daemon-json.set', file: '/etc/docker/daemon.json', path: ['runtimes'], value: { x: { path: '/tmp/evil' } } }],
      /"runtimes"/,
    );
    await refuse(
      [
        {
          op: 'systemd-dropin.write',
          scope: 'system',
          unit: 'docker.service',
          name: 'x.conf',
          content: '[Service]\nEnvironment="LD_PRELOAD=/tmp/evil.so"\n',
        },
      ],
      /proxy variables only/,
    );
    await refuse(
      [
        {
          op: 'systemd-dropin.write',
          scope: 'system',
          unit: 'docker.service',
          name: 'x.conf',
          content: '[Service]\nExecStartPre=/tmp/evil\n',
        },
      ],
      /one quoted Environment="NAME=value" per line only; line 2 is "ExecStartPre/,
    );
    await refuse(
      [{ op: 'systemd-dropin.write', scope: 'system', unit: 'docker.service', name: 'x.conf', content: '[Unit]\nDescription=x\n' }],
      /must start with \[Service\]/,
    );
    await refuse(
      [
        {
          op: 'cleanup-schedule.write',
          file: 'cron',
          dockhand: '/tmp/evil',
          until: '168h',
          protectLabel: 'dockhand.protect',
          endpoint: null,
        },
      ],
      /may run this dockhand \(\/usr\/bin\/dockhand\) only/,
    );
    // What fixes do write passes.
    const ok = await planWith(
      [
        {
          op: 'systemd-dropin.write',
          scope: 'system',
          unit: 'docker.service',
          name: 'zz-dockhand-proxy.conf',
          content: '[Service]\n# why\nEnvironment="HTTP_PROXY=http://p:3128"\nEnvironment="NO_PROXY=localhost"\n',
        },
      ],
      root,
    );
    await validatePlan(ok, env, allowed, '/usr/bin/dockhand');
  } finally {
    await fs.rm(root, { recursive: true, force: true });
  }
});

test('a drop-in is parsed, not scanned: control characters, separators, specifiers, continuations and other sections are refused', async () => {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'dkh-allow-'));
  try {
    const env = { root, home: '/root' };
    const dropIn = (content: string): FixOperation[] => [
      { op: 'systemd-dropin.write', scope: 'system', unit: 'docker.service', name: 'x.conf', content },
    ];
    const refuse = async (ops: FixOperation[], why: RegExp) =>
      assert.rejects(validatePlan(await planWith(ops, root), env, new Set(['/etc/docker/daemon.json'])), why);
    await refuse(dropIn('[Service]\nEnvironment="HTTP_PROXY=http://p:3128\u0000"\nExecStartPre=/tmp/evil\n'), /line 3 is "ExecStartPre/);
    await refuse(
      dropIn('[Service]\nEnvironment="HTTP_PROXY=http://p:3128\u0000ExecStartPre=/tmp/evil"\n'),
      /cannot hold the character U\+0000/,
    );
    await refuse(
      dropIn('[Service]\nEnvironment="HTTP_PROXY=http://p:3128\rExecStartPre=/tmp/evil"\n'),
      /cannot hold the character U\+000D/,
    );
    await refuse(dropIn('[Service]\nEnvironment="HTTP_PROXY=http://p:3128\u2028ExecStartPre=/tmp/evil"\n'), /U\+2028/);
    await refuse(dropIn('[Service]\nEnvironment="HTTP_PROXY=http://p:3128 LD_PRELOAD=/tmp/x.so"\n'), /cannot hold a space/);
    await refuse(dropIn('[Service]\nEnvironment="HTTP_PROXY=http://%h:3128"\n'), /specifier/);
    await refuse(dropIn('[Service]\nEnvironment="NO_PROXY=localhost" \\\nExecStartPre=/tmp/evil\n'), /line 2 is/);
    await refuse(dropIn('[Service]\nEnvironment="NO_PROXY=localhost"\n[Unit]\nDescription=x\n'), /line 3 is "\[Unit\]"/);
    await refuse(dropIn('[Service]\n#\u0085comment\n'), /line 2 is/);
    await refuse(dropIn('[Service]\nEnvironment="NO_PROXY=a" \n'), /line 2 is/);
    await refuse(
      [{ op: 'daemon-json.set', file: '/etc/docker/daemon.json', path: ['proxies'], value: { 'http-proxy': 'http://p:3128\nx' } }],
      /"proxies"."http-proxy": a proxy URL cannot hold the character U\+000A/,
    );
    await refuse(
      [{ op: 'daemon-json.set', file: '/etc/docker/daemon.json', path: ['proxies'], value: { 'ftp-proxy': 'http://p:3128' } }],
      /not "ftp-proxy"/,
    );
  } finally {
    await fs.rm(root, { recursive: true, force: true });
  }
});

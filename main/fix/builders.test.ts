// Builders are pure: parameters in, operations out. What each refuses, and why, without touching a host.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Facts } from '../../shared/facts';
import { buildFix } from './builders';
import { FixUnavailableError } from './draft';

const FILE = '/etc/docker/daemon.json';
/** Just enough facts for daemon.json builders: the file, no flags, a 20.10 engine. */
function factsWith(text: string | null, flags: string[] = []): Facts {
  return {
    daemonConfig: {
      ok: true,
      value: {
        path: FILE,
        foundBy: 'default-rootful',
        reason: 'test',
        explicit: false,
        exists: text !== null,
        text,
        encoding: 'utf-8',
        bytes: text?.length ?? 0,
      },
      sources: [],
    },
    daemonFlags: { ok: true, value: { args: flags, from: 'process' }, sources: [{ kind: 'process', pid: 1 }] },
    engine: {
      ok: true,
      value: {
        version: '20.10.24',
        apiVersion: '1.41',
        minApiVersion: '1.12',
        os: 'linux',
        arch: 'amd64',
        kernelVersion: null,
        platformName: null,
      },
      sources: [],
    },
    info: { ok: false, error: { code: 'unreachable', message: 'x' }, sources: [] },
  } as unknown as Facts;
}
const build = (fixId: string, params: Record<string, unknown>, facts = factsWith('{}')) =>
  buildFix(fixId, { facts, params: params as never, checkId: 'x.y', target: null });

test('dns takes IP addresses (a list or a comma-separated string) and nothing else', () => {
  const draft = build('daemon.dns', { servers: '10.0.0.2, 10.0.0.3' });
  assert.deepEqual(draft.operations[0], { op: 'daemon-json.set', file: FILE, path: ['dns'], value: ['10.0.0.2', '10.0.0.3'] });
  assert.throws(() => build('daemon.dns', { servers: ['dns.corp'] }), /IP addresses only/);
  assert.throws(() => build('daemon.dns', {}), /--set servers=/);
});

test('restart only: nothing is edited, the daemon is restarted (it recreates its iptables chains only when it starts)', () => {
  const draft = build('daemon.restart', {});
  assert.deepEqual(draft.operations, [{ op: 'daemon.restart' }]);
  assert.deepEqual(draft.verification, { kind: 'finding', checkId: 'x.y', target: null });
});

test('mtu must be a sane whole number; log rotation values are validated and written as strings', () => {
  assert.deepEqual(build('daemon.mtu', { mtu: 1400 }).operations[0], { op: 'daemon-json.set', file: FILE, path: ['mtu'], value: 1400 });
  assert.throws(() => build('daemon.mtu', { mtu: 100 }), /between 576 and 65535/);
  const rotation = build('daemon.log-rotation', { 'max-size': '50m', 'max-file': 5 });
  assert.deepEqual(
    rotation.operations.slice(0, 2).map((o) => (o as { value: unknown }).value),
    ['50m', '5'],
  );
  assert.throws(() => build('daemon.log-rotation', { 'max-size': 'huge' }), /max-size must look like 10m/);
});

test('an option a dockerd flag already sets is refused: setting it in the file too would stop dockerd', () => {
  assert.throws(
    () => build('daemon.live-restore', {}, factsWith('{}', ['--live-restore'])),
    (e: Error) => e instanceof FixUnavailableError && /set by a dockerd flag/.test(e.message),
  );
  assert.throws(
    () => build('daemon.insecure-registries', { remove: 'r:5000' }, factsWith('{}', ['--insecure-registry', 'r:5000'])),
    /remove --insecure-registry r:5000/,
  );
});

test('an insecure registry not in the file is not silently "removed"; other entries stay', () => {
  assert.throws(
    () => build('daemon.insecure-registries', { remove: 'r:5000' }, factsWith('{"insecure-registries": ["other:5000"]}')),
    /not in daemon.json/,
  );
  const draft = build('daemon.insecure-registries', { remove: 'r:5000' }, factsWith('{"insecure-registries": ["r:5000", "other:5000"]}'));
  assert.deepEqual(draft.operations[0], { op: 'daemon-json.set', file: FILE, path: ['insecure-registries'], value: ['other:5000'] });
});

test('an unknown fix id says there is no automatic fix', () => {
  assert.throws(() => build('files.chmod', {}), /no automatic fix for files.chmod yet/);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Endpoint } from '../../shared/endpoint';
import type { Fact } from '../../shared/fact';
import type { DaemonProcess, ServiceUnit } from '../../shared/facts';
import type { Report } from '../../shared/report';
import { failure } from '../collect/context';
import { locateDaemonConfig } from '../collect/daemon-config';
import { HostError } from '../host/host';
import { LocalHost } from '../host/local-host';
import { rememberConfig } from './last-audit-store';

const ENDPOINT = { host: 'unix:///run/test.sock', flavour: 'rootful' } as Endpoint;
const seenAt = '2026-12-02T10:00:00.000Z';
const report = (daemonConfig: Report['daemonConfig'], engineError: string | null = null) => ({
  endpoint: ENDPOINT,
  daemonConfig,
  engineError,
  generatedAt: seenAt,
});

test('the daemon.json a running daemon names is remembered for its endpoint; a daemon down keeps it; one without --config-file drops it', () => {
  const running = report({
    path: '/srv/docker/daemon.json',
    foundBy: 'process-flag',
    reason: 'the running dockerd (pid 7) was started with --config-file /srv/docker/daemon.json',
    exists: true,
  });
  const seen = rememberConfig({}, running);
  assert.deepEqual(seen, { [ENDPOINT.host]: { path: '/srv/docker/daemon.json', seenAt } });
  const down = report(
    { path: '/srv/docker/daemon.json', foundBy: 'last-seen', reason: 'last seen', exists: true },
    'the Docker socket does not exist',
  );
  assert.deepEqual(rememberConfig(seen, down), seen, 'an audit that could not reach the daemon keeps what was seen');
  const plain = report({
    path: '/etc/docker/daemon.json',
    foundBy: 'default-rootful',
    reason: 'the running dockerd (pid 8) has no --config-file',
    exists: true,
  });
  assert.deepEqual(rememberConfig(seen, plain), {}, 'the daemon now runs without one: the default is right again');
});

test('a daemon that is not running is judged by the file it was last seen with, said so; a running one by its own flag', () => {
  const host = new LocalHost();
  const lastSeen = {
    path: '/srv/docker/daemon.json',
    reason: `the daemon is not running: it was last seen started with --config-file /srv/docker/daemon.json (audit of ${seenAt})`,
  };
  const notRunning: Fact<DaemonProcess> = failure(new HostError('not-found', 'no dockerd process serves unix:///run/test.sock'));
  const noUnit: Fact<ServiceUnit> = failure(new HostError('not-found', 'no docker.service'));
  const down = locateDaemonConfig(host, { endpoint: ENDPOINT, process: notRunning, unit: noUnit, lastSeen });
  assert.deepEqual(down, { path: lastSeen.path, foundBy: 'last-seen', reason: lastSeen.reason, explicit: true });
  assert.equal(
    locateDaemonConfig(host, { endpoint: ENDPOINT, process: notRunning, unit: noUnit, lastSeen: null }).foundBy,
    'default-rootful',
    'nothing remembered: the default',
  );

  const process = {
    ok: true as const,
    value: { pid: 9, argv: ['dockerd', '--config-file', '/etc/other.json'] } as unknown as DaemonProcess,
    sources: [],
  };
  assert.equal(
    locateDaemonConfig(host, { endpoint: ENDPOINT, process, unit: noUnit, lastSeen }).path,
    '/etc/other.json',
    'a running daemon says itself',
  );
  const unit = {
    ok: true as const,
    value: {
      execStart: { argv: ['dockerd', '--config-file', '/etc/unit.json'], path: '/lib/systemd/system/docker.service', line: 3 },
    } as unknown as ServiceUnit,
    sources: [],
  };
  assert.equal(
    locateDaemonConfig(host, { endpoint: ENDPOINT, process: notRunning, unit, lastSeen }).foundBy,
    'service-unit-flag',
    'the unit that will start it next wins over memory',
  );
});

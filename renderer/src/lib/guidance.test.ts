import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Report } from '../../../shared/report';
import { apiErrorGuidance, engineGuidance } from './guidance';

const report = (engineError: string | null, endpointError: string | null = null) =>
  ({ mode: 'live', endpoint: { host: 'unix:///var/run/docker.sock' }, engineError, endpointError }) as unknown as Report;

// The messages main/collect/engine-api.ts writes, one per way the daemon can fail to answer.
test('engine errors become a title and steps the user can follow', () => {
  assert.equal(engineGuidance(report(null)), null);
  const cases: [string, string, RegExp][] = [
    ['the Docker socket unix:///var/run/docker.sock does not exist: is the daemon running?', 'daemon-down', /systemctl start docker/],
    ['connection refused at unix:///var/run/docker.sock: the Docker daemon is not running (or not listening there)', 'daemon-down', /Settings/],
    ['permission denied on unix:///var/run/docker.sock: run as a member of the docker group (or with sudo), or choose another endpoint', 'permission-denied', /usermod -aG docker/],
    ['the Docker daemon at unix:///x did not answer GET /_ping in time', 'timeout', /journalctl/],
    ['something answers at unix:///x, but not as a Docker Engine (GET /_ping returned HTTP 404)', 'not-docker', /endpoint/],
    ['TLS to tcp://h:2376 failed: self signed certificate', 'tls', /DOCKER_CERT_PATH/],
    ['GET /info on unix:///x returned HTTP 500: boom', 'engine', /Re-run/],
  ];
  for (const [message, kind, step] of cases) {
    const g = engineGuidance(report(message))!;
    assert.equal(g.kind, kind, message);
    assert.match(g.steps.join(' '), step, message);
    assert.equal(g.detail, message);
  }
  assert.equal(engineGuidance(report(null, 'DOCKER_HOST is not a valid address'))!.kind, 'no-endpoint');
  assert.equal(engineGuidance({ ...report('x'), mode: 'offline-root' } as Report), null, 'an offline audit has no daemon to miss');
});

test('API errors: a lost connection, a missing session and a failure read differently', () => {
  assert.equal(apiErrorGuidance({ code: 'transport', message: 'x' }, 'serve').kind, 'disconnected');
  assert.match(apiErrorGuidance({ code: 'transport', message: 'x' }, 'serve').steps[0]!, /dockhand serve/);
  assert.equal(apiErrorGuidance({ code: 'unauthorized', message: 'x' }, 'serve').kind, 'signed-out');
  assert.equal(apiErrorGuidance({ code: 'failed', message: 'disk full' }, 'electron').detail, 'disk full');
});

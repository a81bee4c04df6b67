import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Report } from '../../../shared/report';
import { apiErrorGuidance, engineGuidance, thrownGuidance } from './guidance';

const report = (engineError: string | null, endpointError: string | null = null) =>
  ({ mode: 'live', endpoint: { host: 'unix:///var/run/docker.sock' }, engineError, endpointError }) as unknown as Report;

// The messages main/collect/engine-api.ts writes, one per way the daemon can fail to answer.
test('engine errors become a title and steps the user can follow', () => {
  assert.equal(engineGuidance(report(null)), null);
  const cases: [string, string, RegExp][] = [
    ['the Docker socket unix:///var/run/docker.sock does not exist: is the daemon running?', 'daemon-down', /systemctl start docker/],
    [
      'connection refused at unix:///var/run/docker.sock: the Docker daemon is not running (or not listening there)',
      'daemon-down',
      /Settings/,
    ],
    [
      'permission denied on unix:///var/run/docker.sock: run as a member of the docker group (or with sudo), or choose another endpoint',
      'permission-denied',
      /usermod -aG docker/,
    ],
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

test('a fix or prune that failed because the daemon stopped answering says what to do; a refusal is shown as worded', () => {
  const down = thrownGuidance(
    { error: { code: 'failed', message: 'Cannot prune: the Docker daemon could not be used (connect ECONNREFUSED /run/docker.sock)' } },
    'prune',
    'serve',
  );
  assert.equal(down.kind, 'daemon-down');
  assert.equal(down.title, 'The Docker daemon stopped answering: could not prune');
  assert.match(down.steps.join(' '), /systemctl status docker/);
  const busy = thrownGuidance(
    { error: { code: 'failed', message: 'Cannot apply a fix now: prune is still running. Wait for it to finish, then try again.' } },
    'apply the fix',
    'serve',
  );
  assert.deepEqual([busy.kind, busy.title], ['failed', 'Could not apply the fix']);
  assert.equal(thrownGuidance(new Error('boom'), 'undo the fix', 'serve').detail, 'boom');
});

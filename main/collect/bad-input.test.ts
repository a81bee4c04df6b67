import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Report } from '../../shared/report';
import { dockhand } from '../../test/support/cli';
import { type PrivateDockerd, runningDockerd } from '../../test/support/dockerd';
import { finding } from '../../test/support/findings';

let tmp: string;
before(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'dkh-bad-'));
  await fs.chmod(tmp, 0o755);
});
after(async () => {
  await fs.rm(tmp, { recursive: true, force: true });
});

/** Checks that need the daemon itself; daemon.* checks fall back to the configuration and say so. */
const API_CHECKS = ['container.privileged', 'container.docker-socket-mount'];

async function auditJson(args: string[], env: NodeJS.ProcessEnv = {}, uid?: number) {
  const result = await dockhand(['audit', '--format', 'json', ...args], {
    env: { ...process.env, ...env },
    ...(uid !== undefined ? { uid, gid: uid } : {}),
  });
  assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
  return { ...result, report: result.stdout ? (JSON.parse(result.stdout) as Report) : null };
}

function assertApiErrors(report: Report, pattern: RegExp) {
  for (const id of API_CHECKS) {
    const f = finding(report, id);
    assert.equal(f.result.status, 'error', `${id}: ${f.result.message}`);
    assert.match(f.result.reason ?? '', pattern);
  }
}

describe('a daemon that is missing, down, hung or not Docker', () => {
  let daemon: PrivateDockerd;
  before(async () => {
    daemon = await runningDockerd({ daemonJson: { 'live-restore': true } });
  });
  after(async () => {
    process.kill(daemon.pid, 'SIGCONT');
    await daemon.stop();
  });

  test('missing socket: API checks are errors, file checks still run, exit 4', async () => {
    const socket = path.join(tmp, 'nothing.sock');
    const { code, report } = await auditJson(['--host', `unix://${socket}`, '--config-file', daemon.configPath]);
    assert.equal(code, 4);
    assertApiErrors(report!, /does not exist/);
    assert.match(report!.engineError ?? '', /the Docker socket .*nothing\.sock does not exist/);
    assert.equal(finding(report!, 'daemon.config.valid').result.status, 'pass');
    const liveRestore = finding(report!, 'daemon.live-restore');
    assert.equal(liveRestore.result.status, 'pass', 'judged from the file, which enables it');
    assert.match(String(liveRestore.result.evidence[0]!.value), /^unavailable: .*does not exist.*; judged from the configuration$/);
  });

  test('a hung daemon (SIGSTOP) times out instead of hanging the audit', async () => {
    process.kill(daemon.pid, 'SIGSTOP');
    try {
      const { code, report } = await auditJson(['--host', daemon.host, '--timeout', '1500']);
      assert.equal(code, 4);
      assertApiErrors(report!, /did not answer/);
      assert.ok(report!.timings.some((t) => t.status !== 'ok'));
    } finally {
      process.kill(daemon.pid, 'SIGCONT');
    }
  });

  test('a plain HTTP server on the socket is reported as not Docker', async () => {
    const socket = path.join(tmp, 'http.sock');
    const server = http.createServer((_req, res) => res.writeHead(404).end('not found'));
    await new Promise<void>((r) => server.listen(socket, r));
    try {
      const { code, report } = await auditJson(['--host', `unix://${socket}`]);
      assert.equal(code, 4);
      assertApiErrors(report!, /not as a Docker Engine/);
    } finally {
      server.close();
    }
  });

  test('a non-HTTP process on the socket is reported as not Docker', async () => {
    const socket = path.join(tmp, 'garbage.sock');
    const server = net.createServer((s) => s.end('SSH-2.0-OpenSSH_9.2\r\n'));
    await new Promise<void>((r) => server.listen(socket, r));
    try {
      const { report } = await auditJson(['--host', `unix://${socket}`]);
      assertApiErrors(report!, /not (with HTTP|as a Docker Engine)|closed/);
    } finally {
      server.close();
    }
  });

  test('a socket nobody listens on any more: connection refused', async () => {
    const socket = path.join(tmp, 'dead.sock');
    // A server killed with SIGKILL leaves its socket file behind, like a crashed dockerd.
    const { spawn } = await import('node:child_process');
    const child = spawn(process.execPath, [
      '-e',
      `require('net').createServer().listen(${JSON.stringify(socket)}, () => process.kill(process.pid, 'SIGKILL'))`,
    ]);
    await new Promise((r) => child.on('exit', r));
    const { report } = await auditJson(['--host', `unix://${socket}`]);
    assertApiErrors(report!, /connection refused/);
  });

  test('permission denied on the socket (as an unprivileged user)', async () => {
    const socket = path.join(tmp, 'root-only.sock');
    const server = http.createServer((_req, res) => res.end('OK'));
    await new Promise<void>((r) => server.listen(socket, r));
    await fs.chmod(socket, 0o600);
    try {
      const { code, report } = await auditJson(['--host', `unix://${socket}`], { HOME: tmp }, 65534);
      assert.equal(code, 4);
      assertApiErrors(report!, /permission denied.*docker group/);
    } finally {
      server.close();
    }
  });
});

describe('bad endpoints and files', () => {
  test('a context that does not exist is named in the error', async () => {
    const { code, report } = await auditJson([], { DOCKER_HOST: '', DOCKER_CONTEXT: 'nowhere', DOCKER_CONFIG: tmp });
    assert.equal(code, 4);
    assert.equal(report!.endpoint, null);
    assert.match(report!.endpointError ?? '', /context 'nowhere'.*does not exist/);
    assertApiErrors(report!, /context 'nowhere'/);
  });

  test('a malformed DOCKER_HOST is a clear error', async () => {
    const { report } = await auditJson([], { DOCKER_HOST: 'localhost:2375' });
    assert.match(report!.endpointError ?? '', /'localhost:2375' is not a Docker endpoint/);
  });

  test('a huge daemon.json is refused with its size, not loaded', async () => {
    const file = path.join(tmp, 'huge.json');
    await fs.writeFile(file, `{"labels": [${Array.from({ length: 500_000 }, (_, i) => `"k${i}=v"`).join(',')}]}`);
    const { report } = await auditJson(['--host', 'unix:///nonexistent.sock', '--config-file', file]);
    const valid = finding(report!, 'daemon.config.valid');
    assert.equal(valid.result.status, 'error');
    assert.match(valid.result.reason ?? '', /bytes, more than the 4194304-byte limit/);
  });

  test('an unreadable daemon.json is an error naming the file', async () => {
    const file = path.join(tmp, 'secret.json');
    await fs.writeFile(file, '{}', { mode: 0o600 });
    const { report } = await auditJson(['--host', 'unix:///nonexistent.sock', '--config-file', file], { HOME: tmp }, 65534);
    const valid = finding(report!, 'daemon.config.valid');
    assert.equal(valid.result.status, 'error');
    assert.match(valid.result.reason ?? '', new RegExp(`${file}: permission denied`));
  });

  test('a malformed daemon.json fails its check while the other file checks still run', async () => {
    const file = path.join(tmp, 'broken.json');
    await fs.writeFile(file, '{\n  "live-restore": true,\n}\n');
    const { report } = await auditJson(['--host', 'unix:///nonexistent.sock', '--config-file', file]);
    const valid = finding(report!, 'daemon.config.valid');
    assert.equal(valid.result.status, 'fail');
    assert.match(valid.result.message, /line 3: trailing comma/);
  });

  test('a directory given as daemon.json', async () => {
    const { report } = await auditJson(['--host', 'unix:///nonexistent.sock', '--config-file', tmp]);
    assert.match(finding(report!, 'daemon.config.valid').result.reason ?? '', /is a directory/);
  });

  test('usage errors exit 2 with a message, not a stack trace', async () => {
    const bad = await dockhand(['audit', '--format', 'yaml']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /yaml/);
    const timeout = await dockhand(['audit', '--timeout', 'soon']);
    assert.equal(timeout.code, 2);
    const both = await dockhand(['audit', '--format', 'json', '--host', 'unix:///x.sock', '--context', 'y']);
    assert.match(JSON.parse(both.stdout).endpointError, /either --host or --context/);
  });
});

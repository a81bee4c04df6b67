// Files that are not files, or are too big or too deep, given to every option that reads one, and found by the
// collectors: the real CLI must refuse each with one clear line (exit 2) or an error finding, in bounded time and
// memory, never exit 70, a stack trace or a hang. Every run has a kill timer, so a hang fails the test instead of
// stalling it; a FIFO here has no writer at all, so an open that blocks would never return.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Report } from '../../shared/report';
import { dockhand } from '../support/cli';

const NO_DAEMON = 'unix:///nonexistent/dockhand-bad-input.sock';
const KILL_AFTER_MS = 60_000;

let tmp: string;
let server: net.Server;
/** name -> path and the refusal it must get. */
const bad: Record<string, { file: string; says: RegExp }> = {};

before(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'dkh-badfile-'));
  const at = (name: string) => path.join(tmp, name);
  execFileSync('mkfifo', [at('fifo.json')]);
  await fs.mkdir(at('dir.json'));
  server = net.createServer();
  await new Promise<void>((resolve) => server.listen(at('socket.json'), resolve));
  // Sparse: its size is past every cap (the largest is 256 MiB) without using the disk.
  await (await fs.open(at('huge.json'), 'w')).close();
  await fs.truncate(at('huge.json'), 300 * 1024 * 1024);
  await fs.writeFile(at('deep.json'), `${'['.repeat(200_000)}${']'.repeat(200_000)}`);
  await fs.writeFile(at('deep.yaml'), `version: 1\nchecks:\n  include: ${'['.repeat(200_000)}${']'.repeat(200_000)}\n`);
  Object.assign(bad, {
    '/dev/zero': { file: '/dev/zero', says: /\/dev\/zero: is a character device, not a regular file/ },
    'a FIFO with no writer': { file: at('fifo.json'), says: /fifo\.json: is a FIFO \(named pipe\), not a regular file/ },
    'a directory': { file: at('dir.json'), says: /dir\.json: is a directory, not a regular file/ },
    'a socket': { file: at('socket.json'), says: /socket\.json: is a socket, not a regular file/ },
    'a huge file': { file: at('huge.json'), says: /huge\.json: 314572800 bytes, more than the \d+-byte limit/ },
    'a deeply nested file': { file: at('deep.json'), says: /deep\.json: nested more than 128 levels deep/ },
  });
});
after(async () => {
  await new Promise((resolve) => server.close(resolve));
  await fs.rm(tmp, { recursive: true, force: true });
});

/** The file-reading options, each as the arguments that give it FILE. */
const OPTIONS: Record<string, (file: string) => string[]> = {
  'daemon-config check FILE': (f) => ['daemon-config', 'check', f, '--engine-version', '26.1'],
  'audit --policy': (f) => ['audit', '--host', NO_DAEMON, '--policy', f],
  'audit --baseline': (f) => ['audit', '--host', NO_DAEMON, '--baseline', f],
  'audit --facts-in': (f) => ['audit', '--facts-in', f],
  'fix apply PLAN': (f) => ['fix', 'apply', f, '--yes'],
  'prune apply --plan': (f) => ['prune', 'apply', '--plan', f, '--host', NO_DAEMON],
};

describe('a file option given something that is not a readable file', () => {
  for (const [option, args] of Object.entries(OPTIONS)) {
    test(`${option}: /dev/zero, a FIFO, a directory, a socket, a huge and a deeply nested file are refused with exit 2`, async () => {
      for (const [kind, { file, says }] of Object.entries(bad)) {
        const input = option === 'audit --policy' && kind === 'a deeply nested file' ? path.join(tmp, 'deep.yaml') : file;
        const result = await dockhand(args(input), { timeout: KILL_AFTER_MS, killSignal: 'SIGKILL' });
        const what = `${option} ${kind}: exit ${result.code}, stderr ${JSON.stringify(result.stderr)}`;
        assert.equal(result.code, 2, what);
        assert.match(
          result.stderr,
          option === 'audit --policy' && kind === 'a deeply nested file' ? /deep\.yaml: nested more than 128 levels deep/ : says,
          what,
        );
        assert.doesNotMatch(result.stderr, /\n\s+at |internal error/, what);
        assert.equal(result.stderr.trim().split('\n').length, 1, `one line: ${what}`);
      }
    });
  }
});

describe('the collectors reading daemon.json and the unit files', () => {
  test('--config-file FIFO, /dev/zero or deeply nested: the daemon.json check is an error naming why, the audit still ends (exit 4)', async () => {
    for (const [kind, { file, says }] of Object.entries(bad)) {
      const result = await dockhand(['audit', '--format', 'json', '--host', NO_DAEMON, '--config-file', file], {
        timeout: KILL_AFTER_MS,
        killSignal: 'SIGKILL',
      });
      assert.equal(result.code, 4, `${kind}: ${result.stderr}`);
      const report = JSON.parse(result.stdout) as Report;
      const valid = report.findings.find((f) => f.checkId === 'daemon.config.valid')!;
      assert.equal(valid.result.status, 'error', kind);
      assert.match(valid.result.reason ?? '', says, kind);
    }
  });

  test('an offline root whose daemon.json is a zero device and whose docker.service is a FIFO', async () => {
    const root = path.join(tmp, 'root');
    await fs.mkdir(path.join(root, 'etc/docker'), { recursive: true });
    await fs.mkdir(path.join(root, 'etc/systemd/system'), { recursive: true });
    execFileSync('mknod', [path.join(root, 'etc/docker/daemon.json'), 'c', '1', '5']);
    execFileSync('mkfifo', [path.join(root, 'etc/systemd/system/docker.service')]);
    const factsOut = path.join(tmp, 'root-facts.json');
    const result = await dockhand(['audit', '--format', 'json', '--root', root, '--facts-out', factsOut], {
      timeout: KILL_AFTER_MS,
      killSignal: 'SIGKILL',
    });
    assert.equal(result.code, 4, result.stderr);
    const report = JSON.parse(result.stdout) as Report;
    const valid = report.findings.find((f) => f.checkId === 'daemon.config.valid')!;
    assert.match(valid.result.reason ?? '', /\/etc\/docker\/daemon\.json: is a character device, not a regular file/);
    // No check reports an unreadable unit by itself (it is judged as absent); the snapshot says why.
    const facts = JSON.parse(await fs.readFile(factsOut, 'utf8')) as { serviceUnit: { ok: boolean; error?: { message: string } } };
    assert.equal(facts.serviceUnit.ok, false);
    assert.match(
      facts.serviceUnit.error?.message ?? '',
      /\/etc\/systemd\/system\/docker\.service: is a FIFO \(named pipe\), not a regular file/,
    );
  });
});

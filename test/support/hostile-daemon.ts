// test-needs: root — started as nobody from files chowned to nobody
// An attacker's "dockerd": a real process an unprivileged user (nobody) starts from a directory of their own. Its
// executable is a copy of node named dockerd (so /proc/PID/comm says dockerd), its command line names whatever the
// attacker likes (--config-file VICTIM, --pidfile, -H the real daemon's socket), and it serves a fake Engine API on a
// socket it owns. It records every catchable signal it gets, and if it is ever started as root it leaves a marker:
// what the security tests assert never happens.
import { type ChildProcess, spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { processAlive } from '../../main/util/process';
import { ping } from './dockerd';
import { NOBODY } from './elevation';
import { until } from './poll';

export interface HostileDaemon {
  dir: string;
  /** Its own socket, unix:///… */
  host: string;
  socket: string;
  pid: number;
  pidfile: string;
  /** Created when anything of the attacker's runs as root (the fake restarted as root, or the marker script). */
  marker: string;
  /** A script of the attacker's that creates the marker: the argv[0] of the attacker's process record. */
  markerScript: string;
  /** Signals the fake received, one name a line. */
  signals(): Promise<string[]>;
  alive(): boolean;
  stop(): Promise<void>;
}

const FAKE_API = String.raw`
const http = require('http');
const fs = require('fs');
const path = require('path');
const dir = __dirname;
const args = process.argv.slice(2);
if (process.getuid() === 0) fs.writeFileSync(path.join(dir, 'ran-as-root'), 'the attacker\'s dockerd was started as root\n');
for (const sig of ['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2']) process.on(sig, () => fs.appendFileSync(path.join(dir, 'signals.log'), sig + '\n'));
const sock = path.join(dir, 'sock');
try { fs.unlinkSync(sock); } catch {}
const json = (res, value) => { res.setHeader('Content-Type', 'application/json'); res.end(JSON.stringify(value)); };
http.createServer((req, res) => {
  res.setHeader('Api-Version', '1.41');
  if (req.url.endsWith('/_ping')) return res.end('OK');
  if (/\/version$/.test(req.url)) return json(res, { Version: '20.10.24', ApiVersion: '1.41', Os: 'linux', Arch: 'amd64' });
  if (/\/info$/.test(req.url)) return json(res, { ID: 'fake', SecurityOptions: [], OperatingSystem: 'Not Docker', DockerRootDir: '/var/lib/docker' });
  json(res, []);
}).listen(sock, () => fs.writeFileSync(args[args.indexOf('--pidfile') + 1], String(process.pid)));
`;

/** Starts the fake as nobody with `claims` as its dockerd flags (they follow its script on the command line). */
export async function startHostileDaemon(claims: (self: { socket: string; pidfile: string }) => string[]): Promise<HostileDaemon> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'dkh-atk-'));
  const exe = path.join(dir, 'dockerd');
  const script = path.join(dir, 'fake-api.js');
  const socket = path.join(dir, 'sock');
  const pidfile = path.join(dir, 'pid');
  const marker = path.join(dir, 'ran-as-root');
  const markerScript = path.join(dir, 'evil.sh');
  await fs.copyFile(process.execPath, exe);
  await fs.writeFile(script, FAKE_API);
  await fs.writeFile(markerScript, `#!/bin/sh\nid -u > ${marker}\n`, { mode: 0o755 });
  for (const f of [dir, exe, script, markerScript]) await fs.chown(f, NOBODY.uid, NOBODY.gid);
  await fs.chmod(dir, 0o755);
  await fs.chmod(exe, 0o755);
  await fs.chmod(markerScript, 0o755);
  const child: ChildProcess = spawn(exe, [script, ...claims({ socket, pidfile })], {
    ...NOBODY,
    cwd: dir,
    detached: true,
    stdio: 'ignore',
  });
  let exited = false;
  child.once('exit', () => (exited = true));
  await until(
    async () => {
      if (exited) throw new Error('the hostile dockerd exited before it answered');
      return (
        (await fs.stat(pidfile).then(
          () => true,
          () => false,
        )) && ping(socket, 500)
      );
    },
    { what: 'the hostile dockerd to start', timeoutMs: 30_000 },
  );
  const pid = child.pid!;
  return {
    dir,
    host: `unix://${socket}`,
    socket,
    pid,
    pidfile,
    marker,
    markerScript,
    signals: async () => (await fs.readFile(path.join(dir, 'signals.log'), 'utf8').catch(() => '')).split('\n').filter(Boolean),
    alive: () => !exited && processAlive(pid),
    async stop() {
      if (!exited) {
        const gone = new Promise((r) => child.once('exit', r));
        child.kill('SIGKILL');
        await gone;
      }
      await fs.rm(dir, { recursive: true, force: true });
    },
  };
}

// A broken "Docker Engine" as a real process of its own: it answers /_ping like Docker, then misbehaves on purpose —
// a body that stops half-way and hangs, a connection closed half-way through a chunked body, responses held until
// enough requests wait at once (to see how many the client sends in parallel). It listens on a unix socket (reached
// directly, or over ssh through `docker system dial-stdio`) and with TLS on 127.0.0.1, and counts connections.
import { type ChildProcess, spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { ping } from '../support/dockerd';
import type { CertDir } from '../support/tls';
import { until } from '../support/poll';

const SCRIPT = String.raw`
const fs = require('fs');
const net = require('net');
const tls = require('tls');
const [sock, stats, port, certDir] = process.argv.slice(2);
let open = 0, total = 0;
const held = [];
// Per tag: the sockets with a /hold request not yet answered, and the most there ever were at once.
const waiting = new Map(), peaks = {};
function serve(socket) {
  total++; open++;
  socket.on('close', () => open--);
  socket.on('error', () => {});
  let buffer = '';
  socket.on('data', (chunk) => {
    buffer += chunk.toString('latin1');
    for (;;) {
      const end = buffer.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = buffer.slice(0, end);
      buffer = buffer.slice(end + 4);
      answer(head.split(' ')[1] || '', socket);
    }
  });
}
const ok = (socket, body) => socket.write('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ' + Buffer.byteLength(body) + '\r\n\r\n' + body);
function answer(url, socket) {
  const p = url.replace(/^\/v[0-9.]+/, '').split('?')[0];
  if (p === '/_ping') return socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nOK');
  if (p === '/hang') return socket.write('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n[{"Id":"');
  if (p === '/close') {
    socket.write('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n8\r\n[{"Id":"');
    return setImmediate(() => socket.destroy());
  }
  const hold = /^\/hold\/(\d+)\/(\w+)$/.exec(p);
  if (hold) {
    const tag = hold[2];
    const sockets = waiting.get(tag) || new Map();
    waiting.set(tag, sockets);
    sockets.set(socket, (sockets.get(socket) || 0) + 1);
    peaks[tag] = Math.max(peaks[tag] || 0, sockets.size);
    held.push({ socket, tag });
    // Released once this many requests wait at once: the client really sends that many in parallel.
    if (held.length >= Number(hold[1])) {
      for (const h of held.splice(0)) {
        const n = sockets.get(h.socket) - 1;
        if (n > 0) sockets.set(h.socket, n); else sockets.delete(h.socket);
        ok(h.socket, '{"held":true}');
      }
    }
    return;
  }
  ok(socket, '{"message":"not here"}');
}
try { fs.unlinkSync(sock); } catch {}
net.createServer(serve).listen(sock);
if (port) {
  const read = (n) => fs.readFileSync(certDir + '/' + n);
  tls.createServer({ ca: read('ca.pem'), cert: read('cert.pem'), key: read('key.pem'), requestCert: true, rejectUnauthorized: true }, serve).listen(Number(port), '127.0.0.1');
}
// Its counters, on a socket of their own (not counted).
try { fs.unlinkSync(stats); } catch {}
net.createServer((s) => { s.on('error', () => {}); s.end('HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Type: application/json\r\n\r\n' + JSON.stringify({ open, total, held: held.length, peaks })); }).listen(stats);
`;

export interface HostileEngine {
  host: string;
  socket: string;
  /** tcp://127.0.0.1:PORT with TLS (the server material of the test CA), when started with one. */
  tcpHost: string | null;
  /** peaks: per /hold/N/TAG tag, the most connections that had a request of that tag waiting at once. */
  stats(): Promise<{ open: number; total: number; held: number; peaks: Record<string, number> }>;
  stop(): Promise<void>;
}

export async function startHostileEngine(tlsServer?: CertDir, port?: number): Promise<HostileEngine> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'dkh-bad-'));
  const script = path.join(dir, 'engine.cjs');
  const socket = path.join(dir, 'sock');
  const statsSocket = path.join(dir, 'stats');
  await fs.writeFile(script, SCRIPT);
  const child: ChildProcess = spawn(process.execPath, [script, socket, statsSocket, port ? String(port) : '', tlsServer?.dir ?? ''], {
    stdio: 'ignore',
  });
  let exited = false;
  child.once('exit', () => (exited = true));
  await until(
    async () => {
      if (exited) throw new Error('the hostile engine exited before it answered');
      return ping(socket, 500);
    },
    { what: 'the hostile engine to start', timeoutMs: 30_000 },
  );
  return {
    host: `unix://${socket}`,
    socket,
    tcpHost: port ? `tcp://127.0.0.1:${port}` : null,
    stats: () =>
      new Promise((resolve, reject) => {
        http
          .get({ socketPath: statsSocket, path: '/' }, (res) => {
            let text = '';
            res.on('data', (c: Buffer) => (text += c));
            res.on('end', () => resolve(JSON.parse(text)));
          })
          .on('error', reject);
      }),
    async stop() {
      if (!exited) {
        const done = new Promise((r) => child.once('exit', r));
        child.kill('SIGKILL');
        await done;
      }
      await fs.rm(dir, { recursive: true, force: true });
    },
  };
}

// The pipelining client against a raw socket server that answers exactly the bytes each test writes: the protocol
// corners a real dockerd rarely shows (split packets, chunk extensions, trailers, interim responses, early close).
// The same client talks to the real private dockerd in every engine test.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { TimeoutError } from '../util/timeout';
import { ConnectionClosedError, Http1Pool, Http1ProtocolError } from './http1-pool';

type Handler = (request: string, socket: net.Socket, index: number) => void;

interface TestServer {
  path: string;
  /** Requests seen, in order, per connection. */
  connections: string[][];
  close(): Promise<void>;
}

/** A unix-socket server that splits the incoming byte stream into requests and hands each to `handler`. */
async function server(dir: string, handler: Handler): Promise<TestServer> {
  const socketPath = path.join(dir, `s${Math.random().toString(36).slice(2)}.sock`);
  const connections: string[][] = [];
  const srv = net.createServer((socket) => {
    const seen: string[] = [];
    connections.push(seen);
    let buffer = '';
    socket.on('data', (chunk) => {
      buffer += chunk.toString('latin1');
      for (;;) {
        const end = buffer.indexOf('\r\n\r\n');
        if (end < 0) return;
        let request = buffer.slice(0, end + 4);
        const length = /content-length: (\d+)/i.exec(request);
        const bodyLength = length ? Number(length[1]) : 0;
        if (buffer.length < end + 4 + bodyLength) return;
        request += buffer.slice(end + 4, end + 4 + bodyLength);
        buffer = buffer.slice(end + 4 + bodyLength);
        seen.push(request);
        handler(request, socket, seen.length - 1);
      }
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => srv.listen(socketPath, resolve));
  return { path: socketPath, connections, close: () => new Promise((resolve) => srv.close(() => resolve())) };
}

const pathOf = (request: string) => request.split(' ')[1]!;
const ok = (body: string) => `HTTP/1.1 200 OK\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;

function pool(socketPath: string, extra: Partial<ConstructorParameters<typeof Http1Pool>[0]> = {}): Http1Pool {
  return new Http1Pool({
    connect: () => net.connect({ path: socketPath }),
    host: 'docker',
    connections: 2,
    depth: 4,
    maxBodyBytes: 1024 * 1024,
    ...extra,
  });
}

const get = (p: Http1Pool, resource: string, timeoutMs = 5000) => p.get(resource, { timeoutMs, what: `GET ${resource}` });

describe('Http1Pool', () => {
  let dir: string;
  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'dkh-h1-'));
  });
  after(async () => fs.rm(dir, { recursive: true, force: true }));

  test('pipelines GETs on few connections and matches each response to its request, in order', async () => {
    const s = await server(dir, (req, socket) => socket.write(ok(`you asked ${pathOf(req)}`)));
    const p = pool(s.path, { connections: 2, depth: 4 });
    const paths = Array.from({ length: 20 }, (_, i) => `/r/${i}`);
    const bodies = await Promise.all(paths.map((r) => get(p, r).then((res) => res.body.toString())));
    assert.deepEqual(
      bodies,
      paths.map((r) => `you asked ${r}`),
    );
    assert.ok(s.connections.length <= 2, `${s.connections.length} connections`);
    assert.equal(s.connections.flat().length, 20);
    assert.match(s.connections[0]![0]!, /^GET \/r\/0 HTTP\/1\.1\r\nHost: docker\r\n\r\n$/);
    p.close();
    await s.close();
  });

  test('chunked bodies with extensions and trailers, and responses split at every byte', async () => {
    const response =
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nX-A: 1\r\n\r\n5;ext=1\r\nhello\r\n7\r\n, world\r\n0\r\nX-Trailer: t\r\n\r\n';
    const s = await server(dir, (_req, socket) => {
      // One byte per write, with a pause, so every parser state sees a partial buffer.
      let i = 0;
      const step = () => {
        if (i >= response.length) return;
        socket.write(response[i++]!);
        setImmediate(step);
      };
      step();
    });
    const p = pool(s.path);
    const [a, b] = await Promise.all([get(p, '/a'), get(p, '/b')]);
    assert.equal(a.body.toString(), 'hello, world');
    assert.equal(b.body.toString(), 'hello, world');
    assert.equal(a.headers.get('x-a'), '1');
    p.close();
    await s.close();
  });

  test('an interim 100 response is skipped; 204 and Content-Length: 0 have empty bodies', async () => {
    const s = await server(dir, (req, socket) => {
      if (pathOf(req) === '/interim') socket.write(`HTTP/1.1 100 Continue\r\n\r\n${ok('final')}`);
      else if (pathOf(req) === '/none') socket.write('HTTP/1.1 204 No Content\r\n\r\n');
      else socket.write('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n');
    });
    const p = pool(s.path, { connections: 1 });
    const [interim, none, empty] = await Promise.all([get(p, '/interim'), get(p, '/none'), get(p, '/empty')]);
    assert.deepEqual([interim.status, interim.body.toString()], [200, 'final']);
    assert.deepEqual([none.status, none.body.length], [204, 0]);
    assert.deepEqual([empty.status, empty.body.length], [200, 0]);
    p.close();
    await s.close();
  });

  test('`Connection: close` mid-pipeline: the requests behind it are sent again on a new connection', async () => {
    let closed = false;
    const s = await server(dir, (req, socket, index) => {
      if (index === 1 && !closed) {
        closed = true;
        socket.end(`HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: ${pathOf(req).length}\r\n\r\n${pathOf(req)}`);
        socket.destroySoon();
      } else if (!socket.writableEnded) socket.write(ok(pathOf(req)));
    });
    const p = pool(s.path, { connections: 1, depth: 8 });
    const paths = Array.from({ length: 6 }, (_, i) => `/x/${i}`);
    const bodies = await Promise.all(paths.map((r) => get(p, r).then((res) => res.body.toString())));
    assert.deepEqual(bodies, paths);
    assert.ok(s.connections.length >= 2, 'a second connection was opened');
    p.close();
    await s.close();
  });

  test('a server that accepts and closes without answering: retried once, then ConnectionClosedError', async () => {
    const s = await server(dir, (_req, socket) => socket.destroy());
    const p = pool(s.path, { connections: 1 });
    await assert.rejects(get(p, '/gone'), ConnectionClosedError);
    assert.equal(s.connections.length, 2, 'one retry');
    p.close();
    await s.close();
  });

  test('not HTTP, an oversized head, or an oversized body is a protocol error, not a hang or a crash', async () => {
    const s = await server(dir, (req, socket) => {
      if (pathOf(req) === '/ssh') socket.write('SSH-2.0-OpenSSH_9.2\r\n\r\n');
      else if (pathOf(req) === '/head') socket.write(`HTTP/1.1 200 OK\r\nX-Big: ${'a'.repeat(70 * 1024)}`);
      else socket.write('HTTP/1.1 200 OK\r\nContent-Length: 999999999\r\n\r\nxx');
    });
    const p = pool(s.path, { connections: 3, maxBodyBytes: 1024 });
    await assert.rejects(get(p, '/ssh'), (e: Error) => e instanceof Http1ProtocolError && /not an HTTP\/1\.1 response/.test(e.message));
    await assert.rejects(get(p, '/head'), (e: Error) => e instanceof Http1ProtocolError && /head longer/.test(e.message));
    await assert.rejects(get(p, '/big'), (e: Error) => e instanceof Http1ProtocolError && /body over 1024 bytes/.test(e.message));
    p.close();
    await s.close();
  });

  test('a hung server: the request times out and its connection is dropped; the pool still works after', async () => {
    const s = await server(dir, (req, socket) => {
      if (pathOf(req) !== '/hang') socket.write(ok('fine'));
    });
    const p = pool(s.path, { connections: 1 });
    await assert.rejects(get(p, '/hang', 200), TimeoutError);
    assert.equal((await get(p, '/after')).body.toString(), 'fine');
    assert.equal(s.connections.length, 2, 'the hung connection was replaced');
    p.close();
    await s.close();
  });

  test('read-only: it sends nothing but GET, and a path that would smuggle a second request is refused unsent', async () => {
    const s = await server(dir, (req, socket) => socket.write(ok(pathOf(req))));
    const p = pool(s.path);
    // No method, header or body can be given: the type has none, and extra fields from JavaScript are ignored.
    const sneaky = { timeoutMs: 5000, what: 'GET /x', method: 'DELETE', body: '{}' } as Parameters<Http1Pool['get']>[1];
    assert.equal((await p.get('/x', sneaky)).body.toString(), '/x');
    for (const bad of ['/x HTTP/1.1\r\nHost: docker\r\n\r\nDELETE /containers/c1', '/a b', 'containers/json', '/x\ty']) {
      await assert.rejects(p.get(bad, { timeoutMs: 5000, what: 'GET' }), TypeError);
    }
    assert.deepEqual(
      s.connections.flat().map((r) => r.split('\r\n')[0]),
      ['GET /x HTTP/1.1'],
      'one request went out, a GET',
    );
    assert.ok(
      s.connections.flat().every((r) => !/content-length/i.test(r)),
      'without a body',
    );
    p.close();
    await s.close();
  });

  test('a socket that does not exist fails at once with ENOENT (no retry)', async () => {
    const p = pool(path.join(dir, 'missing.sock'));
    await assert.rejects(get(p, '/_ping'), (e: NodeJS.ErrnoException) => e.code === 'ENOENT');
    p.close();
  });
});

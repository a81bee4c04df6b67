// A connection closed mid-call reads differently before and after a Docker Engine has answered: before, whatever is
// listening is probably not Docker; after, the daemon stopped or crashed (what a prune part-way must say).
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Endpoint } from '../../shared/endpoint';
import { LocalHost } from '../host/local-host';
import { createEngineApi, EngineApiError } from './engine-api';

let dir: string;
before(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'dkh-closed-'));
});
after(() => fs.rm(dir, { recursive: true, force: true }));

/** A socket that answers /_ping like Docker when `docker` is set, and closes every other request without a word. */
async function listen(name: string, docker: boolean): Promise<{ endpoint: Endpoint; close(): Promise<void> }> {
  const socketPath = path.join(dir, name);
  const srv = net.createServer((socket) => {
    socket.on('error', () => undefined);
    socket.on('data', (chunk) => {
      if (docker && chunk.toString('latin1').startsWith('GET /_ping ')) socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nOK');
      else socket.destroy();
    });
  });
  await new Promise<void>((resolve) => srv.listen(socketPath, resolve));
  const endpoint = {
    host: `unix://${socketPath}`,
    transport: 'unix',
    tls: null,
    context: null,
    reason: 'test',
    flavour: 'unknown',
  } as unknown as Endpoint;
  return { endpoint, close: () => new Promise((resolve) => srv.close(() => resolve())) };
}

test('after the Engine answered, a closed connection is the daemon stopping or crashing, not "is it a Docker Engine?"', async () => {
  const s = await listen('docker.sock', true);
  const api = await createEngineApi(new LocalHost(), s.endpoint, 2000);
  try {
    await api.ping();
    const error = await api.remove('container', 'abc').then(
      () => null,
      (e: unknown) => e,
    );
    assert.ok(error instanceof EngineApiError);
    assert.equal(error.code, 'unreachable');
    assert.match(
      error.message,
      /^the Docker daemon at unix:\/\/.*docker\.sock closed the connection during DELETE \/containers\/abc: it stopped or crashed$/,
    );
  } finally {
    api.close();
    await s.close();
  }
});

test('before anything answered, a closed connection still asks whether it is a Docker Engine', async () => {
  const s = await listen('other.sock', false);
  const api = await createEngineApi(new LocalHost(), s.endpoint, 2000);
  try {
    const error = await api.ping().then(
      () => null,
      (e: unknown) => e,
    );
    assert.ok(error instanceof EngineApiError);
    assert.equal(error.code, 'malformed');
    assert.match(error.message, /was closed during GET \/_ping: is it a Docker Engine\?/);
  } finally {
    api.close();
    await s.close();
  }
});

// The serve transport's defences, tested against the real `dockhand serve` process over raw HTTP and WebSocket:
// every way in without the token, from another origin or under another host name is refused, and no path leaves the
// renderer directory.
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, test } from 'node:test';
import WebSocket from 'ws';
import { type Served, startServe } from './support/serve';

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function request(
  port: number,
  options: { method?: string; path: string; headers?: Record<string, string>; body?: string },
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, method: options.method ?? 'GET', path: options.path, headers: options.headers },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** Opens the event socket; resolves to 'open' or the HTTP status the upgrade was refused with. */
function connectWs(port: number, headers: Record<string, string>, path = '/ws'): Promise<'open' | number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}${path}`, { headers });
    ws.on('open', () => {
      ws.close();
      resolve('open');
    });
    ws.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.on('error', () => undefined);
  });
}

describe('dockhand serve: transport security', () => {
  let served: Served;
  let host: string;
  let origin: string;
  let cookie: string;

  before(async () => {
    // No daemon is needed to test the transport: app.info and settings answer without one.
    served = await startServe(['-H', 'unix:///nonexistent/dockhand-e2e.sock']);
    host = `127.0.0.1:${served.port}`;
    origin = `http://${host}`;
    const exchange = await request(served.port, { path: `/?token=${served.token}`, headers: { Host: host } });
    assert.equal(exchange.status, 303, 'the token is exchanged for a session');
    cookie = String(exchange.headers['set-cookie']?.[0]).split(';')[0]!;
  });
  after(() => served?.stop());

  const api = (channel: string, headers: Record<string, string>, body = '{}') =>
    request(served.port, { method: 'POST', path: `/api/${channel}`, headers: { 'Content-Type': 'application/json', ...headers }, body });

  test('the printed link binds 127.0.0.1 only, and its token becomes an HttpOnly SameSite=Strict cookie named for the port', async () => {
    assert.match(served.url, /^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{40,}$/);
    const exchange = await request(served.port, { path: `/?token=${served.token}`, headers: { Host: host } });
    const setCookie = String(exchange.headers['set-cookie']?.[0]);
    assert.match(setCookie, new RegExp(`^dockhand-${served.port}=[\\w-]{40,}; HttpOnly; SameSite=Strict; Path=/$`));
    assert.equal(exchange.headers.location, '/', 'the token leaves the address bar');
    assert.ok(!setCookie.includes(served.token), 'the cookie is a session id, not the token');
  });

  test('API: the right session and Origin get an answer', async () => {
    const ok = await api('app.info', { Host: host, Origin: origin, Cookie: cookie });
    assert.equal(ok.status, 200);
    const body = JSON.parse(ok.body);
    assert.equal(body.ok, true);
    assert.equal(body.result.transport, 'serve');
    assert.equal(ok.headers['cache-control'], 'no-store');
    const bearer = await api('app.info', { Host: host, Origin: origin, Authorization: `Bearer ${served.token}` });
    assert.equal(bearer.status, 200, 'the token also works as a bearer header (scripts)');
  });

  test('API: no token, a wrong token, a forged session → 401', async () => {
    for (const headers of <Record<string, string>[]>[
      {},
      { Authorization: 'Bearer wrong-token' },
      { Authorization: `Bearer ${served.token}x` },
      { Cookie: `dockhand-${served.port}=forged` },
      { Cookie: `dockhand-1=${cookie.split('=')[1]}` },
    ]) {
      const res = await api('app.info', { Host: host, Origin: origin, ...headers });
      assert.equal(res.status, 401, JSON.stringify(headers));
      assert.deepEqual(JSON.parse(res.body).error.code, 'unauthorized');
    }
  });

  test('API: a wrong or missing Origin → 403, even with a valid session (CSRF)', async () => {
    for (const o of ['http://evil.example', `http://127.0.0.1:${served.port + 1}`, `https://${host}`, 'null', undefined]) {
      const res = await api('settings.set', { Host: host, Cookie: cookie, ...(o === undefined ? {} : { Origin: o }) }, '{"theme":"dark"}');
      assert.equal(res.status, 403, `Origin ${o}`);
    }
    const settings = await api('settings.get', { Host: host, Origin: origin, Cookie: cookie });
    assert.equal(JSON.parse(settings.body).result.theme, 'system', 'nothing was changed');
  });

  test('API and static files: a wrong Host (DNS rebinding) → 403, even with the token', async () => {
    for (const h of [
      'evil.example',
      `evil.example:${served.port}`,
      `127.0.0.1:${served.port + 1}`,
      `0.0.0.0:${served.port}`,
      `[::1]:${served.port}`,
    ]) {
      const res = await api('app.info', { Host: h, Origin: `http://${h}`, Authorization: `Bearer ${served.token}` });
      assert.equal(res.status, 403, `API with Host ${h}`);
      const page = await request(served.port, { path: `/?token=${served.token}`, headers: { Host: h } });
      assert.equal(page.status, 403, `page with Host ${h}`);
      assert.equal(page.headers['set-cookie'], undefined);
    }
    const localhost = await api('app.info', {
      Host: `localhost:${served.port}`,
      Origin: `http://localhost:${served.port}`,
      Authorization: `Bearer ${served.token}`,
    });
    assert.equal(localhost.status, 200, 'localhost:PORT is this server too');
  });

  test('API: only POST with JSON; bad input is refused by the contract', async () => {
    const get = await request(served.port, { path: '/api/app.info', headers: { Host: host, Origin: origin, Cookie: cookie } });
    assert.equal(get.status, 405);
    const form = await api(
      'settings.set',
      { Host: host, Origin: origin, Cookie: cookie, 'Content-Type': 'application/x-www-form-urlencoded' },
      'theme=dark',
    );
    assert.equal(form.status, 415, 'a cross-site form post cannot even be parsed');
    const notJson = await api('settings.set', { Host: host, Origin: origin, Cookie: cookie }, '{');
    assert.equal(notJson.status, 400);
    const invalid = await api(
      'settings.set',
      { Host: host, Origin: origin, Cookie: cookie },
      '{"endpoint":{"host":"http://evil","context":null}}',
    );
    assert.equal(JSON.parse(invalid.body).error.code, 'invalid-input');
    const unknown = await api('..%2F..%2Fetc%2Fpasswd', { Host: host, Origin: origin, Cookie: cookie });
    assert.equal(JSON.parse(unknown.body).error.code, 'unknown-channel');
    const malformed = await api('%E0%A4%A', { Host: host, Origin: origin, Cookie: cookie });
    assert.equal(JSON.parse(malformed.body).error.code, 'unknown-channel', 'a malformed escape is just an unknown channel');
  });

  test('WebSocket: refused without a session, with a wrong Origin or Host; accepted with all three right', async () => {
    assert.equal(await connectWs(served.port, { Host: host, Origin: origin, Cookie: cookie }), 'open');
    assert.equal(await connectWs(served.port, { Host: host, Origin: origin, Authorization: `Bearer ${served.token}` }), 'open');
    assert.equal(await connectWs(served.port, { Host: host, Origin: origin }), 401, 'no token');
    assert.equal(await connectWs(served.port, { Host: host, Origin: origin, Authorization: 'Bearer nope' }), 401, 'wrong token');
    assert.equal(await connectWs(served.port, { Host: host, Origin: 'http://evil.example', Cookie: cookie }), 403, 'wrong Origin');
    assert.equal(await connectWs(served.port, { Host: host, Cookie: cookie }), 403, 'no Origin');
    assert.equal(
      await connectWs(served.port, { Host: `evil.example:${served.port}`, Origin: `http://evil.example:${served.port}`, Cookie: cookie }),
      403,
      'wrong Host',
    );
    assert.equal(await connectWs(served.port, { Host: host, Origin: origin, Cookie: cookie }, '/other'), 404);
  });

  test('static files: need the session, carry a strict CSP, and never leave the renderer directory', async () => {
    const anonymous = await request(served.port, { path: '/', headers: { Host: host } });
    assert.equal(anonymous.status, 401);
    assert.match(anonymous.body, /Open the link dockhand serve printed/);
    const wrongToken = await request(served.port, { path: '/?token=guess', headers: { Host: host } });
    assert.equal(wrongToken.status, 401);

    const index = await request(served.port, { path: '/', headers: { Host: host, Cookie: cookie } });
    assert.equal(index.status, 200);
    assert.match(index.body, /<div id="root">/);
    const csp = String(index.headers['content-security-policy']);
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.ok(!csp.includes('unsafe-inline') && !csp.includes('unsafe-eval'), csp);
    assert.match(csp, new RegExp(`connect-src 'self' ws://127\\.0\\.0\\.1:${served.port}`));
    assert.equal(index.headers['x-content-type-options'], 'nosniff');
    assert.equal(index.headers['x-frame-options'], 'DENY');

    for (const path of [
      '/../../../../etc/passwd',
      '/%2e%2e/%2e%2e/%2e%2e/etc/passwd',
      '/assets/..%2f..%2f..%2f..%2fetc%2fpasswd',
      '/..%5c..%5cetc%5cpasswd',
      '/%00index.html',
      '/assets/%2e%2e/%2e%2e/package.json',
      '//etc/passwd',
      '/%252e%252e/%252e%252e/etc/passwd',
    ]) {
      const res = await request(served.port, { path, headers: { Host: host, Cookie: cookie } });
      assert.ok(res.status === 404 || res.status === 400, `${path} → ${res.status}`);
      assert.ok(!res.body.includes('root:') && !res.body.includes('"name": "dockhand"'), `${path} leaked a file`);
    }
  });
});

import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { isAllowedHost, isSameOrigin, parseCookies, Sessions } from './security';
import { readStaticFile, resolveStaticPath } from '../ui-assets/static-files';

test('static paths: "/" is index.html; dot segments, encoded or not, backslashes and NUL are refused', () => {
  const root = '/srv/ui';
  assert.equal(resolveStaticPath(root, '/'), '/srv/ui/index.html');
  assert.equal(resolveStaticPath(root, '/assets/index-1.js'), '/srv/ui/assets/index-1.js');
  assert.equal(resolveStaticPath(root, '/assets/a%20b.css'), '/srv/ui/assets/a b.css');
  for (const bad of [
    '/../etc/passwd',
    '/%2e%2e/etc/passwd',
    '/assets/..%2F..%2Fetc',
    '/a/./b',
    '/..\\etc',
    '/%5c..%5cetc',
    '/x%00.js',
    '/%E0%A4%A',
    'relative',
    '/assets/..',
  ]) {
    assert.equal(resolveStaticPath(root, bad), null, bad);
  }
});

test('static files: a symlink out of the root is not followed; directories are not files', async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'dkh-static-'));
  const root = path.join(dir, 'ui');
  await fs.mkdir(path.join(root, 'assets'), { recursive: true });
  await fs.writeFile(path.join(root, 'index.html'), '<html>');
  await fs.writeFile(path.join(dir, 'secret.txt'), 'secret');
  await fs.symlink(path.join(dir, 'secret.txt'), path.join(root, 'assets', 'leak.txt'));
  assert.equal((await readStaticFile(root, '/'))?.body.toString(), '<html>');
  assert.equal(await readStaticFile(root, '/assets/leak.txt'), null);
  assert.equal(await readStaticFile(root, '/assets'), null);
  assert.equal(await readStaticFile(root, '/missing.js'), null);
  await fs.rm(dir, { recursive: true });
});

test('Host and Origin: only this port on 127.0.0.1 or localhost, and the Origin of the same Host', () => {
  assert.ok(isAllowedHost('127.0.0.1:8080', 8080));
  assert.ok(isAllowedHost('localhost:8080', 8080));
  for (const h of [undefined, '127.0.0.1', '127.0.0.1:8081', 'evil.com:8080', 'LOCALHOST:8080', '127.0.0.2:8080'])
    assert.ok(!isAllowedHost(h, 8080), String(h));
  assert.ok(isSameOrigin('http://localhost:8080', 'localhost:8080', 8080));
  assert.ok(!isSameOrigin('http://127.0.0.1:8080', 'localhost:8080', 8080), 'the Origin must be the Host the request was sent to');
  assert.ok(!isSameOrigin(undefined, 'localhost:8080', 8080));
  assert.ok(!isSameOrigin('http://evil.com:8080', 'evil.com:8080', 8080));
});

test('sessions: cookies parse leniently; only issued session ids and the exact token authenticate', () => {
  assert.deepEqual(
    [...parseCookies('a=1; b = 2;;c')],
    [
      ['a', '1'],
      ['b', '2'],
    ],
  );
  const sessions = new Sessions(8080);
  const id = sessions.create();
  assert.equal(sessions.authenticate({ headers: { cookie: `other=1; dockhand-8080=${id}` } }), 'session');
  assert.equal(sessions.authenticate({ headers: { cookie: `dockhand-8081=${id}` } }), null);
  assert.equal(sessions.authenticate({ headers: { authorization: `Bearer ${sessions.token}` } }), 'bearer');
  assert.equal(sessions.authenticate({ headers: { authorization: `Basic ${sessions.token}` } }), null);
  assert.equal(sessions.authenticate({ headers: {} }), null);
  assert.notEqual(new Sessions(8080).token, sessions.token);
});

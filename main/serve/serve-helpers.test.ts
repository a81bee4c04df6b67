import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { contentSecurityPolicy } from '../ui-assets/csp';
import { openerCommand, redirectPage } from './open-browser';
import { findRendererDir } from './renderer-dir';

test('the built renderer is found from the bundle in dist/ and from the sources in main/serve/', async () => {
  const repo = await fs.mkdtemp(path.join(os.tmpdir(), 'dkh-repo-'));
  await fs.mkdir(path.join(repo, 'dist', 'renderer'), { recursive: true });
  await fs.mkdir(path.join(repo, 'main', 'serve'), { recursive: true });
  assert.equal(findRendererDir(path.join(repo, 'dist')), null, 'no index.html: not built');
  await fs.writeFile(path.join(repo, 'dist', 'renderer', 'index.html'), '');
  assert.equal(findRendererDir(path.join(repo, 'dist')), path.join(repo, 'dist', 'renderer'));
  assert.equal(findRendererDir(path.join(repo, 'main', 'serve')), path.join(repo, 'dist', 'renderer'));
  await fs.rm(repo, { recursive: true });
});

test('the browser is opened through a redirect page, the token never on a command line', () => {
  const url = 'http://127.0.0.1:4000/?token=abc&x="<y>';
  const page = redirectPage(url);
  assert.match(page, /http-equiv="refresh" content="0;url=http:\/\/127\.0\.0\.1:4000\/\?token=abc&amp;x=&quot;&lt;y>"/);
  assert.ok(!page.includes('"<y>'), 'escaped');
  assert.deepEqual(openerCommand('linux').args('/tmp/f.html'), ['/tmp/f.html']);
  assert.equal(openerCommand('darwin').command, 'open');
  assert.deepEqual(openerCommand('win32').args('C:\\f.html'), ['/c', 'start', '""', 'C:\\f.html']);
});

test('CSP: nothing inline, nothing remote; serve adds only its own WebSocket', () => {
  const csp = contentSecurityPolicy({ connect: ['ws://127.0.0.1:4000'] });
  assert.match(csp, /connect-src 'self' ws:\/\/127\.0\.0\.1:4000;/);
  assert.ok(!/unsafe|https?:|\*/.test(csp), csp);
});

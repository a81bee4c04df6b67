import assert from 'node:assert/strict';
import { test } from 'node:test';
import { maskSecrets, maskSecretsInText } from './mask';

test('credentials in URLs are masked, the rest is kept', () => {
  assert.equal(maskSecretsInText('HTTP_PROXY=http://bob:s3cr%40t@proxy.corp:3128 and https://ok.example.com'), 'HTTP_PROXY=http://bob:****@proxy.corp:3128 and https://ok.example.com');
  assert.equal(maskSecretsInText('socks5://u:p@h:1'), 'socks5://u:****@h:1');
});

test('values under secret keys are masked at any depth', () => {
  const masked = maskSecrets({ auths: { 'registry.example.com': { auth: 'Ym9iOmh1bnRlcjI=', email: 'bob@example.com' } }, list: ['http://a:b@c'] });
  assert.deepEqual(masked, { auths: { 'registry.example.com': { auth: '****', email: 'bob@example.com' } }, list: ['http://a:****@c'] });
});

test('masking copies only what changed and never mutates its input', () => {
  const clean = { a: [1, 'x', { b: 'http://proxy:3128' }], c: null };
  assert.equal(maskSecrets(clean), clean);
  const dirty = { keep: { n: 1 }, list: ['ok', 'http://u:p@h'], token: 't0k' };
  const masked = maskSecrets(dirty);
  assert.deepEqual(masked, { keep: { n: 1 }, list: ['ok', 'http://u:****@h'], token: '****' });
  assert.equal(masked.keep, dirty.keep);
  assert.deepEqual(dirty, { keep: { n: 1 }, list: ['ok', 'http://u:p@h'], token: 't0k' });
});

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

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { maskSecrets, maskSecretsInText } from './mask';
import { SECRET_SPELLINGS } from '../test/support/secret-spellings';

test('every credential spelling in the table is masked, and the text around it is kept', () => {
  for (const s of SECRET_SPELLINGS) {
    const masked = maskSecretsInText(s.value);
    assert.equal(masked, s.masked, s.name);
    for (const secret of s.secrets) assert.ok(!masked.includes(secret), `${s.name}: ${secret} in ${masked}`);
    // Quoted as a message quotes it (JSON.stringify escapes the quotes inside), and inside a sentence.
    const quoted = maskSecretsInText(`invalid mirror: ${JSON.stringify(s.value)} must be an http:// or https:// URL`);
    for (const secret of s.secrets)
      assert.ok(!quoted.includes(secret) && !quoted.includes(JSON.stringify(secret).slice(1, -1)), `${s.name} quoted: ${quoted}`);
    assert.equal(maskSecretsInText(masked), masked, `${s.name}: masking is idempotent`);
  }
});

test('what is not a credential is left alone', () => {
  for (const text of [
    'ssh://me@build-box',
    'bob@example.com',
    'docker.io/library/busybox:1.36@sha256:0123456789abcdef',
    'busybox:1.36@sha256:0123456789abcdef',
    'http://proxy.corp:3128',
    'http://****@proxy.corp:3128',
    'https://registry.example.com/v2/img@x',
    'localhost,127.0.0.1,.corp.example',
    'user@host:/path',
  ]) {
    assert.equal(maskSecretsInText(text), text);
  }
});

test('a long line of separators and colons is scanned quickly (bounded quantifiers), and still masked', () => {
  const long = `${'=a:'.repeat(20_000)}@host ${'x,'.repeat(20_000)} http://u:p@h`;
  const masked = maskSecretsInText(long);
  assert.ok(masked.endsWith(' http://****@h'));
});

test('values under secret keys are masked at any depth', () => {
  const masked = maskSecrets({
    auths: { 'registry.example.com': { auth: 'Ym9iOmh1bnRlcjI=', email: 'bob@example.com' } },
    list: ['http://a:b@c'],
  });
  assert.deepEqual(masked, { auths: { 'registry.example.com': { auth: '****', email: 'bob@example.com' } }, list: ['http://****@c'] });
});

test('masking copies only what changed and never mutates its input', () => {
  const clean = { a: [1, 'x', { b: 'http://proxy:3128' }], c: null };
  assert.equal(maskSecrets(clean), clean);
  const dirty = { keep: { n: 1 }, list: ['ok', 'http://u:p@h'], token: 't0k' };
  const masked = maskSecrets(dirty);
  assert.deepEqual(masked, { keep: { n: 1 }, list: ['ok', 'http://****@h'], token: '****' });
  assert.equal(masked.keep, dirty.keep);
  assert.deepEqual(dirty, { keep: { n: 1 }, list: ['ok', 'http://u:p@h'], token: 't0k' });
});

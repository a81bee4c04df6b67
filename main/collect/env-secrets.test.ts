import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ENV_SECRET_SPELLINGS } from '../../test/support/secret-spellings';
import { parseContainer } from './engine';
import { classifyEntry, classifyEnv, isCredentialName, SCAN_LIMIT } from './env-secrets';
import { parseImage } from './images';

describe('classifyEntry: what looks like a credential', () => {
  test('every spelling in the table has its kind and masked form, and the mask holds no fragment of it', () => {
    for (const s of ENV_SECRET_SPELLINGS) {
      const found = classifyEntry(s.entry);
      assert.deepEqual(found, { name: s.entry.slice(0, s.entry.indexOf('=')), kind: s.kind, masked: s.masked }, s.name);
      for (const secret of s.secrets) assert.ok(!found!.masked.includes(secret), `${s.name}: ${found!.masked}`);
    }
  });

  test('more value shapes, whatever the variable is called', () => {
    const cases: [string, string, string][] = [
      ['X=ASIAABCDEFGHIJKLMNOP', 'aws-access-key-id', 'ASIA****'],
      [
        'X=-----BEGIN OPENSSH PRIVATE KEY-----\nb3Blbn\n-----END OPENSSH PRIVATE KEY-----',
        'private-key',
        '-----BEGIN OPENSSH PRIVATE KEY-----****',
      ],
      ['X=-----BEGIN PGP PRIVATE KEY BLOCK-----', 'private-key', '-----BEGIN PGP PRIVATE KEY BLOCK-----****'],
      ['X=-----BEGIN ENCRYPTED PRIVATE KEY-----', 'private-key', '-----BEGIN ENCRYPTED PRIVATE KEY-----****'],
      ['X={"type": "service_account", "private_key": "trunc', 'gcp-service-account', 'service_account ****'],
      [`X=github_pat_${'A1'.repeat(20)}`, 'github-token', 'github_pat_****'],
      [`X=ghs_${'a'.repeat(36)}`, 'github-token', 'ghs_****'],
      ['X=xapp-1-A0000-0000-abcdef', 'slack-token', 'xapp-****'],
      [`X=AIza${'b'.repeat(35)}`, 'google-api-key', 'AIza****'],
      [`X=sk_live_${'c'.repeat(24)}`, 'stripe-key', 'sk_live_****'],
      [`X=npm_${'d'.repeat(36)}`, 'npm-token', 'npm_****'],
      ['X=https://oauth2:glsecret@gitlab.example.com/group/repo.git', 'url-credentials', 'https://****@gitlab.example.com/…'],
      ['X=amqp://guest:guest@rabbit:5672', 'url-credentials', 'amqp://****@rabbit:5672'],
      ['X=https://0123456789abcdefABCD@git.example.com', 'url-credentials', 'https://****@git.example.com'],
      ['X=redis://:onlypass@cache', 'url-credentials', 'redis://****@cache'],
      // The first URL with credentials in a list; the host stops where the authority does.
      ['X=http://proxy.example.com,http://u:p@h2.example.com,http://k', 'url-credentials', 'http://****@h2.example.com/…'],
    ];
    for (const [entry, kind, masked] of cases) assert.deepEqual(classifyEntry(entry), { name: 'X', kind, masked }, entry);
  });

  test('names alone: credential words at the end of the name, as a word where the word is short', () => {
    for (const name of [
      'SMTP_PASS',
      'PASS',
      'PGPASSWORD',
      'client_secret',
      'OPENAI_API_KEY',
      'APIKEY',
      'my-api-key',
      'SECRET_KEY_BASE',
      'AWS_SESSION_TOKEN',
      'app.secret',
      'GPG_PASSPHRASE',
      'DB_ENCRYPTION_KEY',
      'MYSQL_ROOT_PASSWORD',
    ]) {
      assert.ok(isCredentialName(name), name);
      assert.equal(classifyEntry(`${name}=s3cr3t-Value`)?.kind, 'name', name);
    }
    for (const name of [
      'BYPASS',
      'GIT_ASKPASS',
      'DB_PASSWORD_FILE',
      'API_TOKEN_FILE',
      'PASSWORD_MIN_LENGTH',
      'GPG_KEY',
      'KEY',
      'PUBLIC_KEY',
      'TOKEN_URL',
      'MAX_TOKENS',
      'PWD',
      'OLDPWD',
      'SSH_AUTH_SOCK',
      'AWS_ACCESS_KEY_ID',
      'COMPASS',
    ]) {
      assert.ok(!isCredentialName(name), name);
      assert.equal(classifyEntry(`${name}=s3cr3t-Value`), null, name);
    }
  });
});

describe('classifyEntry: what is not a credential', () => {
  test('the recommended practice, switches, paths, placeholders and well-known image variables', () => {
    for (const entry of [
      'DB_PASSWORD_FILE=/run/secrets/db',
      'POSTGRES_PASSWORD_FILE=/run/secrets/postgres-passwd',
      'API_TOKEN_FILE=/run/secrets/token',
      'GOOGLE_APPLICATION_CREDENTIALS=/var/secrets/google/key.json',
      // What the official python images set: a public key's fingerprint.
      'GPG_KEY=A035C8C19219BA821ECEA86B64E628F8D684696D',
      'PYTHON_SHA256=8fb5f9fbc7609fa822cb31549884575db7fd9657cbffb89510b5d7975963a83a',
      'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
      'HOME=/root',
      'PASSWORD_MIN_LENGTH=8',
      'MYSQL_ALLOW_EMPTY_PASSWORD=yes',
      'MYSQL_RANDOM_ROOT_PASSWORD=1',
      'REQUIRE_PASSWORD=false',
      'DB_PASSWORD=',
      'DB_PASSWORD=   ',
      'SSL_PRIVATE_KEY=/etc/ssl/private/server.key',
      'WIN_SECRET=C:\\secrets\\app.txt',
      'DB_PASSWORD=${DB_PASSWORD}',
      'API_TOKEN=$API_TOKEN',
      'REDIS_PASSWORD=****',
      'HTTP_PROXY=http://proxy.example.com:3128',
      'GIT_URL=https://git@github.com/org/repo.git',
      'HEALTH_URL=http://user:@host.example.com',
      'DOCKER_HOST=ssh://deploy@build-box',
      'IMAGE=busybox:1.36@sha256:0123456789abcdef',
      'SHA1=da39a3ee5e6b4b0d3255bfef95601890afd80709',
      // 40 characters of an AWS secret's alphabet, but no SECRET or AWS in the name: any hash looks like that.
      'CHECKSUM=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      'AWS_REGION=eu-west-1',
      'STRIPE_PUBLISHABLE_KEY=pk_live_0123456789abcdef',
      'PUBLIC_KEY=ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl',
      'NOTE=AKIA is how AWS access key ids start',
    ]) {
      assert.equal(classifyEntry(entry), null, entry);
    }
  });

  test('entries without = or without a name, and odd characters, are not credentials and do not throw', () => {
    // A NUL after the credential word: the name no longer ends in it.
    for (const entry of ['DB_PASSWORD', '', '=', '=C:=C:\\', '=hunter2', 'DB_PASSWORD\u0000=x\u0000y', '\uFFFF=\uD800'])
      assert.equal(classifyEntry(entry), null, JSON.stringify(entry));
    // A name with spaces or lower case is still judged by its end.
    assert.equal(classifyEntry('my password=x1y2z3')?.kind, 'name');
  });
});

describe('huge entries', () => {
  test('a key at the start of a 5 MB value is found; one past the scan limit is not (documented bound)', () => {
    const filler = 'x '.repeat(2_500_000);
    assert.equal(classifyEntry(`BLOB=AKIAABCDEFGHIJKLMNOP ${filler}`)?.kind, 'aws-access-key-id');
    assert.equal(classifyEntry(`BLOB=${'y'.repeat(SCAN_LIMIT)}AKIAABCDEFGHIJKLMNOP`), null);
  });

  test('a megabyte-long name ending in _PASSWORD, and long runs of URL-like characters, are judged without blowing up', () => {
    assert.equal(classifyEntry(`${'A'.repeat(1_000_000)}_PASSWORD=x1`)?.kind, 'name');
    assert.equal(classifyEntry(`X=${'a://'.repeat(50_000)}`), null);
    assert.equal(classifyEntry(`X=${'@:'.repeat(100_000)}`), null);
    assert.equal(classifyEntry(`X=http://${'u:'.repeat(30_000)}@`), null, 'no host after the @');
  });

  test('ten thousand entries are classified, keeping only the credentials', () => {
    const env = Array.from({ length: 10_000 }, (_, i) => (i % 1000 === 0 ? `K${i}_TOKEN=t${i}x` : `V${i}=${i}`));
    const found = classifyEnv(env);
    assert.equal(found.length, 10);
    assert.deepEqual(
      found.slice(0, 2).map((s) => s.name),
      ['K0_TOKEN', 'K1000_TOKEN'],
    );
  });
});

describe('fingerprints', () => {
  const key = Buffer.alloc(32, 7);
  test('equal for the same entry under one key, different for another value or another key, and never the value', () => {
    const [a] = classifyEnv(['DB_PASSWORD=hunter2'], key);
    const [b] = classifyEnv(['DB_PASSWORD=hunter2'], key);
    const [c] = classifyEnv(['DB_PASSWORD=hunter3'], key);
    const [d] = classifyEnv(['DB_PASSWORD=hunter2'], Buffer.alloc(32, 8));
    assert.equal(a!.fingerprint, b!.fingerprint);
    assert.notEqual(a!.fingerprint, c!.fingerprint);
    assert.notEqual(a!.fingerprint, d!.fingerprint);
    assert.match(a!.fingerprint, /^[0-9a-f]{16}$/);
  });

  test('the process key is the default: a container and its image classified in one collection agree', () => {
    assert.equal(classifyEnv(['API_TOKEN=abc123x'])[0]!.fingerprint, classifyEnv(['API_TOKEN=abc123x'])[0]!.fingerprint);
  });
});

describe('collected facts hold no raw value', () => {
  const env = [...ENV_SECRET_SPELLINGS.map((s) => s.entry), 'PATH=/bin', 42, null, { x: 1 }];
  test('parseContainer and parseImage keep only the credentials, masked, and ignore entries that are not strings', () => {
    const container = parseContainer({ Id: 'c1', Name: '/c', Config: { Env: env } });
    const image = parseImage({ Id: 'sha256:i1' }, { Config: { Env: env } });
    for (const fact of [container.envSecrets, image.envSecrets]) {
      assert.deepEqual(
        fact?.map((s) => s.name),
        ENV_SECRET_SPELLINGS.map((s) => s.entry.slice(0, s.entry.indexOf('='))),
      );
      const text = JSON.stringify(fact);
      for (const s of ENV_SECRET_SPELLINGS) for (const secret of s.secrets) assert.ok(!text.includes(secret), `${s.name}: ${secret}`);
    }
    assert.deepEqual(
      container.envSecrets?.map((s) => s.fingerprint),
      image.envSecrets?.map((s) => s.fingerprint),
      'same entries, same fingerprints',
    );
  });

  test('a missing or malformed Config.Env is no credentials, not an error', () => {
    assert.deepEqual(parseContainer({ Id: 'c1' }).envSecrets, []);
    assert.deepEqual(parseImage({ Id: 'x' }, { Config: { Env: 'DB_PASSWORD=x' } }).envSecrets, []);
  });
});

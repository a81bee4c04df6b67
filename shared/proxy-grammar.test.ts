// The proxy grammar on a table of hostile and honest values: every control character class, the separators systemd
// splits on, quotes, backslash, "%" and ";", over-long input; and the shapes real proxies and NO_PROXY lists take.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { noProxyProblem, proxyUrlProblem } from './proxy-grammar';

const HOSTILE: [string, string][] = [
  ['NUL', '\u0000'],
  ['CR', '\r'],
  ['LF', '\n'],
  ['tab', '\t'],
  ['NEL (C1)', '\u0085'],
  ['C1 CSI', '\u009b'],
  ['DEL', '\u007f'],
  ['line separator', '\u2028'],
  ['paragraph separator', '\u2029'],
  ['no-break space', '\u00a0'],
  ['ideographic space', '\u3000'],
  ['BOM', '\ufeff'],
  ['space', ' '],
  ['double quote', '"'],
  ['single quote', "'"],
  ['backtick', '`'],
  ['backslash', '\\'],
  ['bare percent', '%'],
  ['semicolon', ';'],
  ['dollar', '$'],
];

test('proxy URL: each hostile character refused wherever it sits (user, password, host, port, tail)', () => {
  for (const [name, c] of HOSTILE) {
    for (const value of [
      `http://u${c}x:pw@proxy:3128`,
      `http://u:p${c}w@proxy:3128`,
      `http://pro${c}xy:3128`,
      `http://proxy:31${c}28`,
      `http://proxy:3128${c}`,
      `http://proxy:3128/${c}`,
      `${c}http://proxy:3128`,
    ]) {
      assert.notEqual(proxyUrlProblem(value), null, `${name} in ${JSON.stringify(value)}`);
    }
  }
});

test('NO_PROXY: each hostile character refused, between entries or inside one', () => {
  for (const [name, c] of HOSTILE) {
    for (const value of [`localhost${c}`, `local${c}host,.corp`, `localhost,${c}.corp`, `localhost${c},.corp`, `10.0.0.0/8${c}`]) {
      assert.notEqual(noProxyProblem(value), null, `${name} in ${JSON.stringify(value)}`);
    }
  }
});

test('proxy URL: the shapes proxies take pass; other schemes, bad hosts and ports, long values do not', () => {
  for (const ok of [
    'http://proxy:3128',
    'https://proxy.corp.example:8443/',
    'socks5://10.0.0.1:1080',
    'socks5h://[fd00::1]:1080',
    'http://[::1]',
    'http://bob:p%40ss@proxy.corp:3128',
    'http://bob@proxy',
    'http://a-b.c_d'.replace('_', '-'),
  ]) {
    assert.equal(proxyUrlProblem(ok), null, ok);
  }
  const refused: [string, RegExp][] = [
    ['', /cannot be empty/],
    ['ftp://proxy:21', /starts with http/],
    ['HTTP://proxy', /starts with http/],
    ['proxy:3128', /starts with http/],
    ['http://proxy:0', /port is a number/],
    ['http://proxy:65536', /port is a number/],
    ['http://proxy:03128', /port is a number/],
    ['http://pro_xy', /host is a name/],
    ['http://-proxy', /host is a name/],
    ['http://256.1.1.1', /host is a name/],
    ['http://[fd00::g]', /host is a name/],
    ['http://fd00::1:3128', /host is a name|port/],
    ['http://proxy/path', /host is a name/],
    ['http://proxy:3128?x=1', /port|host/],
    ['http://bob:p@ss@proxy', /percent-encode/],
    ['http://bob:p%4@proxy', /percent-encode/],
    ['http://bob:p;w@proxy', /percent-encode/],
    [`http://${'a'.repeat(63)}.${'b'.repeat(64)}`, /host is a name/],
    [`http://${'a.'.repeat(1100)}x`, /at most 2048/],
  ];
  for (const [value, why] of refused) assert.match(proxyUrlProblem(value) ?? 'passed', why, JSON.stringify(value));
});

test('NO_PROXY: names, .domain, *.domain, *, addresses, CIDRs and ports pass; empty entries, spaces and junk do not', () => {
  assert.equal(noProxyProblem('localhost,127.0.0.1,::1,.corp.example,*.internal,10.0.0.0/8,fd00::/8,registry:5000,[fd00::1]:5000,*'), null);
  const refused: [string, RegExp][] = [
    ['', /cannot be empty/],
    ['a,,b', /no empty entries/],
    ['a,', /no empty entries/],
    ['localhost, .corp', /cannot hold a space/],
    ['10.0.0.0/33', /not "10.0.0.0\/33"/],
    ['fd00::/129', /CIDR/],
    ['a/8', /CIDR/],
    ['**.corp', /not "\*\*\.corp"/],
    ['corp.*', /not/],
    ['host:99999', /not/],
    [Array.from({ length: 600 }, (_, i) => `h${i}`).join(','), /at most 512 entries/],
    ['x'.repeat(9000), /at most 8192/],
  ];
  for (const [value, why] of refused) assert.match(noProxyProblem(value) ?? 'passed', why, value.slice(0, 40));
});

test('messages show a rejected value with its control characters escaped, so the message is one safe line', () => {
  const message = proxyUrlProblem('http://p:3128\u2028ExecStartPre=/x')!;
  // eslint-disable-next-line no-control-regex -- raw control characters are what must be absent.
  assert.doesNotMatch(message, /[\u0000-\u001f\u2028\u2029]/);
  assert.match(message, /U\+2028/);
});

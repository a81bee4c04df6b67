import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixIds } from '../main/fix/builders';
import { checkFixParam, FIX_PARAMS, fixParams } from './fix-params';
import { FixParamSchema } from './fix';

test('every fix Dockhand can plan declares its parameters, in the contract shape, with defaults its own rules accept', () => {
  assert.deepEqual(Object.keys(FIX_PARAMS).sort(), fixIds(), 'one entry per builder, no more');
  for (const [fixId, params] of Object.entries(FIX_PARAMS)) {
    for (const p of params) {
      const shape = FixParamSchema.safeParse(p);
      assert.ok(shape.success, `${fixId} ${p.key}: ${shape.error?.message}`);
      if (p.default !== null) assert.deepEqual(checkFixParam(p, undefined).ok, true, `${fixId} ${p.key}: its default passes its own check`);
      const fromExample = p.example.slice(p.example.indexOf('=') + 1);
      assert.ok(checkFixParam(p, fromExample).ok, `${fixId} ${p.key}: its example (${p.example}) is valid`);
    }
    assert.equal(new Set(params.map((p) => p.key)).size, params.length, `${fixId}: keys are unique`);
  }
  assert.deepEqual(fixParams('no.such-fix'), []);
  assert.deepEqual(fixParams('__proto__'), [], 'an id is looked up, never walked into the prototype');
});

test('values as a form or --set gives them (text) are read as the fix takes them; bad ones say why in words', () => {
  const [maxSize, maxFile] = FIX_PARAMS['daemon.log-rotation']!;
  assert.deepEqual(checkFixParam(maxSize!, undefined), { ok: true, value: '10m' }, 'the default');
  assert.deepEqual(checkFixParam(maxSize!, ' 50m '), { ok: true, value: '50m' });
  assert.deepEqual(checkFixParam(maxSize!, 'huge'), { ok: false, message: 'max-size must look like 10m, 100k or 1g, not huge' });
  assert.deepEqual(checkFixParam(maxFile!, '5'), { ok: true, value: 5 });
  assert.deepEqual(checkFixParam(maxFile!, '0'), { ok: false, message: 'max-file must be a whole number between 1 and 1000, not 0' });
  assert.deepEqual(checkFixParam(maxFile!, 2.5), { ok: false, message: 'max-file must be a whole number between 1 and 1000, not 2.5' });
  const [servers] = FIX_PARAMS['daemon.dns']!;
  assert.deepEqual(checkFixParam(servers!, '10.0.0.2, 10.0.0.3'), { ok: true, value: ['10.0.0.2', '10.0.0.3'] });
  assert.deepEqual(checkFixParam(servers!, ['dns.corp']), { ok: false, message: 'servers takes IP addresses only, not dns.corp' });
  assert.deepEqual(checkFixParam(servers!, ''), {
    ok: false,
    message: 'servers is needed and nothing gives it: --set servers=10.0.0.2,10.0.0.3',
  });
  const [value] = FIX_PARAMS['daemon.live-restore']!;
  assert.deepEqual(checkFixParam(value!, 'false'), { ok: true, value: false });
  assert.deepEqual(checkFixParam(value!, 'yes'), { ok: false, message: 'value must be true or false, not yes' });
  const kind = FIX_PARAMS['cleanup.schedule']!.find((p) => p.key === 'kind')!;
  assert.deepEqual(checkFixParam(kind, undefined), { ok: true, value: undefined }, 'optional and without a default: left to the builder');
  assert.deepEqual(checkFixParam(kind, 'at'), { ok: false, message: 'kind must be one of systemd, cron, not at' });
});

test("proxy parameters: the grammar's words reach the Fix dialog and --set, a smuggled control character never passes", () => {
  const [http, , no] = fixParams('daemon.proxy');
  assert.deepEqual(checkFixParam(http!, 'http://bob:p%40ss@proxy:3128'), { ok: true, value: 'http://bob:p%40ss@proxy:3128' });
  assert.deepEqual(checkFixParam(http!, 'http://p:3128\u0000x'), {
    ok: false,
    message: 'http: a proxy URL cannot hold the character U+0000: "http://p:3128\\u0000x"',
  });
  assert.match(
    (checkFixParam(no!, 'localhost,\u2028.corp') as { message: string }).message,
    /^no: a NO_PROXY list cannot hold the character U\+2028/,
  );
  assert.match((checkFixParam(no!, 'localhost;rm') as { message: string }).message, /^no: a NO_PROXY entry is a host name/);
});

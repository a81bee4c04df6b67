import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { FixtureHost } from '../host/fixture-host';
import type { Host } from '../host/host';
import { LocalHost } from '../host/local-host';
import { RootfsHost } from '../host/rootfs-host';
import { BINFMT_DIR } from '../../shared/facts/vocabulary';
import { collectBinfmt, parseBinfmtEntry } from './binfmt';
import type { CollectContext } from './context';

/** Recorded /proc/sys/fs/binfmt_misc trees, in the kernel's format (Documentation/admin-guide/binfmt-misc.rst). */
const FIXTURES = path.join(import.meta.dirname, '../../test/fixtures/binfmt');
const ctxFor = (host: Host) => ({ host }) as unknown as CollectContext;

describe('parseBinfmtEntry: the architecture comes from the magic the kernel compares, never from the name', () => {
  test('qemu-user-static entries: aarch64, 32-bit arm, big-endian s390x', () => {
    const aarch64 = parseBinfmtEntry(
      'qemu-aarch64',
      'enabled\ninterpreter /usr/libexec/qemu-binfmt/aarch64-binfmt-P\nflags: POCF\noffset 0\nmagic 7f454c460201010000000000000000000200b700\nmask ffffffffffffff00fffffffffffffffffeffffff\n',
    );
    assert.deepEqual(aarch64, {
      name: 'qemu-aarch64',
      enabled: true,
      interpreter: '/usr/libexec/qemu-binfmt/aarch64-binfmt-P',
      flags: 'POCF',
      arch: 'arm64',
    });
    assert.equal(parseBinfmtEntry('x', 'enabled\noffset 0\nmagic 7f454c4601010100000000000000000002002800\n').arch, 'arm');
    assert.equal(parseBinfmtEntry('x', 'enabled\noffset 0\nmagic 7f454c4602020100000000000000000000020016\n').arch, 's390x');
    assert.equal(parseBinfmtEntry('x', 'enabled\noffset 0\nmagic 7f454c4602010100000000000000000002003e00\n').arch, 'amd64');
  });

  test('a misleading name does not make a handler for that architecture', () => {
    assert.equal(
      parseBinfmtEntry('qemu-aarch64', 'enabled\ninterpreter /x\nflags: F\noffset 0\nmagic 7f454c4602010100000000000000000002003e00\n')
        .arch,
      'amd64',
    );
  });

  test('non-ELF handlers, extension matches, a non-zero offset and garbage have no architecture', () => {
    assert.equal(parseBinfmtEntry('wine', 'enabled\ninterpreter /usr/bin/wine\nflags: \noffset 0\nmagic 4d5a\n').arch, null);
    assert.equal(parseBinfmtEntry('jar', 'enabled\ninterpreter /usr/bin/jexec\nflags: \nextension .jar\n').arch, null);
    assert.equal(parseBinfmtEntry('x', 'enabled\noffset 2\nmagic 7f454c460201010000000000000000000200b700\n').arch, null);
    assert.deepEqual(parseBinfmtEntry('x', '\u0000\u0001 not an entry'), {
      name: 'x',
      enabled: false,
      interpreter: '',
      flags: '',
      arch: null,
    });
  });
});

describe('collectBinfmt', () => {
  test('a host with qemu-user-static: every handler, enabled or not, with its flags', async () => {
    const fact = await collectBinfmt(ctxFor(await FixtureHost.load(path.join(FIXTURES, 'qemu-user-static/host.json'))));
    assert.ok(fact.ok, JSON.stringify(fact));
    assert.equal(fact.value.status, 'enabled');
    assert.deepEqual(
      fact.value.handlers.map((h) => [h.name, h.arch, h.enabled, h.flags]),
      [
        ['jar', null, true, ''],
        ['qemu-aarch64', 'arm64', true, 'POCF'],
        ['qemu-arm', 'arm', true, 'POCF'],
        ['qemu-riscv64', 'riscv64', false, 'POCF'],
        ['qemu-s390x', 's390x', true, 'POCF'],
        ['wine', null, true, ''],
      ],
    );
    assert.deepEqual(fact.sources, [{ kind: 'file', path: BINFMT_DIR }]);
  });

  test('a handler registered without the F flag is collected as such', async () => {
    const fact = await collectBinfmt(ctxFor(await FixtureHost.load(path.join(FIXTURES, 'no-fix-binary/host.json'))));
    assert.ok(fact.ok, JSON.stringify(fact));
    assert.deepEqual(
      fact.value.handlers.map((h) => [h.name, h.flags]),
      [['qemu-aarch64', 'OC']],
    );
  });

  test('this machine: binfmt_misc read as it is (not mounted in this sandbox: no handler)', async () => {
    const fact = await collectBinfmt(ctxFor(new LocalHost()));
    assert.ok(fact.ok, JSON.stringify(fact));
    const mounted = existsSync(`${BINFMT_DIR}/status`);
    assert.equal(fact.value.status === 'not-mounted', !mounted);
    if (!mounted) assert.deepEqual(fact.value.handlers, []);
  });

  test('an offline root has no kernel to ask', async () => {
    const fact = await collectBinfmt(ctxFor(new RootfsHost('/')));
    assert.ok(!fact.ok && fact.error.code === 'unsupported', JSON.stringify(fact));
  });
});

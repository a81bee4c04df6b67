import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { checkNesting, InputRefused, readJsonFile, readRegularFile } from './bounded-read';

test('reads a regular file up to the cap exactly; one byte more is refused; /proc files (size 0) are read in full', async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'dkh-read-'));
  try {
    const file = path.join(dir, 'f');
    await fs.writeFile(file, 'x'.repeat(200_000));
    assert.equal((await readRegularFile(file, 200_000)).length, 200_000);
    await assert.rejects(
      readRegularFile(file, 199_999),
      (e: unknown) =>
        e instanceof InputRefused && e.kind === 'too-large' && /200000 bytes, more than the 199999-byte limit/.test(e.message),
    );
    const status = (await readRegularFile('/proc/self/status', 1024 * 1024)).toString('utf8');
    assert.match(status, /^Name:/m);
    assert.equal((await fs.stat('/proc/self/status')).size, 0, 'the size stat reports is not what is there');
    await assert.rejects(readRegularFile('/proc/self/status', 10), /more than 10 bytes/);
    await assert.rejects(readRegularFile(path.join(dir, 'none'), 10), { code: 'ENOENT' });
    await fs.writeFile(file, '\uFEFF{"a":[1,{"b":"[[[[["}]}');
    assert.deepEqual(await readJsonFile(file, 1000), { a: [1, { b: '[[[[[' }] });
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
});

test('nesting: brackets inside JSON strings do not count; in YAML every bracket does', () => {
  checkNesting(`${'['.repeat(128)}${']'.repeat(128)}`, 'x', 'json');
  assert.throws(
    () => checkNesting(`${'{"a":'.repeat(129)}1${'}'.repeat(129)}`, 'x.json', 'json'),
    /x\.json: nested more than 128 levels deep \(at character 641\)/,
  );
  checkNesting(JSON.stringify({ s: '['.repeat(1000), t: 'a\\"[[' }), 'x', 'json');
  assert.throws(() => checkNesting(`k: "${'['.repeat(200)}"`, 'p.yaml', 'yaml'), /p\.yaml: nested more than 128/);
  checkNesting(']]]]{}', 'x', 'json');
});

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { enough, notEnough, REQUIRED, REQUIRED_MAJOR } from './node-version.mjs';

test("the floor is package.json's engines.node, and versions compare as numbers, not text", () => {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { engines: { node: string } };
  assert.equal(REQUIRED, pkg.engines.node);
  const [major, minor, patch] = REQUIRED.replace(/^>=\s*/, '')
    .split('.')
    .map(Number) as [number, number, number];
  assert.equal(REQUIRED_MAJOR, major);
  assert.equal(enough(`${major}.${minor}.${patch}`), true, 'the floor itself');
  assert.equal(enough(`v${major}.${minor}.${patch + 1}`), true);
  assert.equal(enough(`${major}.100.0`), true, 'a minor of 100 is after 12 (numbers, not text)');
  assert.equal(enough(`${major + 1}.0.0`), true);
  assert.equal(enough(`${major - 2}.99.99`), false, 'an older major, whatever its minor');
  if (minor > 0) assert.equal(enough(`${major}.${minor - 1}.99`), false);
  assert.match(
    notEnough('20.20.2'),
    new RegExp(`needs Node.js ${REQUIRED} .*this is 20\\.20\\.2: install the newest Node.js ${major} or a later one`),
  );
});

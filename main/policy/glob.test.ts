import assert from 'node:assert/strict';
import { test } from 'node:test';
import { globMatcher, isGlob } from './glob';

test('globs: * any run, ? one character, the rest literal (regex metacharacters too)', () => {
  const cases: [string, string, boolean][] = [
    ['build-*', 'build-', true],
    ['build-*', 'build-x7', true],
    ['build-*', 'xbuild-1', false],
    ['*', '', true],
    ['', '', true],
    ['', 'a', false],
    ['?', '', false],
    ['?', '😀', true],
    ['a?c', 'abc', true],
    ['a?c', 'abbc', false],
    ['files.etc-docker.*', 'files.etc-docker.mode', true],
    ['files.etc-docker.*', 'filesXetc-docker.mode', false],
    ['a.b', 'axb', false],
    ['(x)+[y]', '(x)+[y]', true],
    ['*a*b*', 'xxaxxbxx', true],
    ['*a*b', 'xxaxxbxxc', false],
    ['**a**', 'a', true],
    ['a*b*c', 'abcbc', true],
    ['a*', 'line\nbreak', false],
    ['l*k', 'line\nbreak', true],
  ];
  for (const [pattern, text, want] of cases) assert.equal(globMatcher(pattern).test(text), want, `${pattern} vs ${JSON.stringify(text)}`);
  assert.equal(isGlob('a*'), true);
  assert.equal(isGlob('a.b'), false);
});

test('a 10k-character name against a pattern of 1k stars ends with the right answer and bounded work', () => {
  const name = 'a'.repeat(10_000);
  // The shape that makes a backtracking regex explode: many stars, then a literal the name does not end with.
  const miss = `${'*a'.repeat(1_000)}b`;
  const hit = `${'*a'.repeat(1_000)}*`;
  let steps = 0;
  const count = () => void steps++;
  assert.equal(globMatcher(miss, count).test(name), false);
  const bound = (name.length + 1) * (miss.length + 1);
  assert.ok(steps <= bound, `${steps} steps, more than (name + 1) × (pattern + 1) = ${bound}`);
  steps = 0;
  assert.equal(globMatcher(hit, count).test(name), true);
  assert.ok(steps <= (name.length + 1) * (hit.length + 1));
  assert.equal(globMatcher(`${'*'.repeat(1_000)}a`).test(name), true);
  assert.equal(globMatcher(`${'?'.repeat(10_000)}`).test(name), true);
  assert.equal(globMatcher(`${'?'.repeat(10_001)}`).test(name), false);
});

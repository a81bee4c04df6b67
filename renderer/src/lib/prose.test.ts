import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CHECKS } from '../../../main/checks/registry';
import { breakPieces, plainProse, proseParts } from './prose';

test('backticked commands become code spans; an unpaired backtick stays text', () => {
  assert.deepEqual(proseParts('Check it with `systemctl status docker` and `journalctl -u docker`.'), [
    { text: 'Check it with ', code: false },
    { text: 'systemctl status docker', code: true },
    { text: ' and ', code: false },
    { text: 'journalctl -u docker', code: true },
    { text: '.', code: false },
  ]);
  assert.deepEqual(proseParts('a ` alone'), [{ text: 'a ` alone', code: false }]);
  assert.equal(plainProse('steps of `docker build` get'), 'steps of docker build get');
});

test('no check says a word twice in a row ("the the") in its title, rationale or remediation', () => {
  const doubled = CHECKS.flatMap((c) =>
    [c.title, c.rationale, c.remediation].flatMap((t) => [...t.matchAll(/\b([A-Za-z]+)\s+\1\b/gi)].map((m) => `${c.id}: ${m[0]}`)),
  );
  assert.deepEqual(doubled, []);
});

test('values break after separators, never inside a word, and join back unchanged', () => {
  assert.deepEqual(breakPieces('/etc/docker/daemon.json'), ['/', 'etc/', 'docker/', 'daemon.json']);
  assert.deepEqual(breakPieces('["10.0.0.2","10.0.0.3"]'), ['["10.0.0.2",', '"10.0.0.3"]']);
  for (const v of ['http://****@proxy:3128/a?b=c&d=e', 'plain words only', '--bridge=none', '']) assert.equal(breakPieces(v).join(''), v);
});

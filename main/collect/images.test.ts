import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { ImageFact } from '../../shared/facts/images';
import { busyboxRootfsTar, forEachEngine, importBusybox, type PrivateDockerd, runningDockerd } from '../../test/support/dockerd';
import { LocalHost } from '../host/local-host';
import { collectFacts } from './collect';
import { parseImage } from './images';

forEachEngine('collectImages against a real dockerd', (engine, test) => {
  let daemon: PrivateDockerd;
  let images: ImageFact[];

  before(async () => {
    daemon = await runningDockerd({ engine, daemonJson: {} });
    await importBusybox(daemon);
    const tar = await busyboxRootfsTar();
    await daemon.docker(
      [
        'import',
        '--change',
        'USER app:app',
        '--change',
        'HEALTHCHECK CMD ["true"]',
        '--change',
        'LABEL team=infra',
        '-',
        'dockhand-test/good:1',
      ],
      tar,
    );
    await daemon.docker(['import', '--change', 'HEALTHCHECK NONE', '-', 'dockhand-test/none:1'], tar);
    // Importing a tag again leaves the first image dangling: no tags at all.
    await daemon.docker(['import', '-', 'dockhand-test/dangling:1'], tar);
    await daemon.docker(['import', '-', 'dockhand-test/dangling:1'], tar);
    const facts = await collectFacts({ host: new LocalHost(), endpoint: { host: daemon.host } });
    assert.ok(facts.images.ok, JSON.stringify(facts.images));
    assert.deepEqual(facts.images.sources, [{ kind: 'api', call: 'GET /images/json + GET /images/{id}/json' }]);
    images = facts.images.value;
  });

  after(async () => {
    await daemon?.stop();
  });

  const byTag = (tag: string) => {
    const found = images.find((i) => i.repoTags.includes(tag));
    assert.ok(found, `no image tagged ${tag}; have ${images.map((i) => i.repoTags.join(',') || i.id).join(' ')}`);
    return found;
  };

  test('every image is listed and inspected: USER, HEALTHCHECK, labels, created, size', () => {
    assert.equal(images.length, 5);
    const good = byTag('dockhand-test/good:1');
    assert.equal(good.user, 'app:app');
    assert.equal(good.hasHealthcheck, true);
    assert.deepEqual(good.labels, { team: 'infra' });
    assert.match(good.id, /^sha256:[0-9a-f]{64}$/);
    assert.ok(!Number.isNaN(Date.parse(good.created)), good.created);
    assert.ok(good.size > 0, String(good.size));
    assert.deepEqual(good.repoDigests, []);
    const base = byTag('dockhand-test/busybox:1');
    // Imported without --platform: the daemon's own platform (this machine is x86_64).
    assert.deepEqual([base.os, base.architecture, base.variant], ['linux', 'amd64', '']);
    assert.equal(base.user, '');
    assert.equal(base.hasHealthcheck, false);
  });

  test('HEALTHCHECK NONE is no health check', () => {
    assert.equal(byTag('dockhand-test/none:1').hasHealthcheck, false);
  });

  test('a dangling image has no tags rather than "<none>:<none>"', () => {
    const untagged = images.filter((i) => i.repoTags.length === 0);
    assert.equal(untagged.length, 1, JSON.stringify(images.map((i) => i.repoTags)));
  });
});

describe('collectImages without a daemon', () => {
  let dir: string;
  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'dkh-noimg-'));
  });
  after(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  test('a missing socket is a fact error naming it, not a throw', async () => {
    const socket = path.join(dir, 'missing.sock');
    const facts = await collectFacts({ host: new LocalHost(), endpoint: { host: `unix://${socket}` } });
    assert.equal(facts.images.ok, false);
    assert.ok(!facts.images.ok && facts.images.error.code === 'unreachable', JSON.stringify(facts.images));
    assert.ok(!facts.images.ok && facts.images.error.message.includes(socket), JSON.stringify(facts.images));
  });
});

describe('parseImage', () => {
  test('takes tags from the list when inspect lacks them, and tolerates fields of the wrong type', () => {
    const image = parseImage(
      { Id: 'sha256:abc', RepoTags: ['<none>:<none>'], RepoDigests: ['<none>@<none>'], Created: 0, Size: 42, Labels: { a: 'b', n: 1 } },
      { Config: 'not an object', Created: 17 },
    );
    assert.deepEqual(image, {
      id: 'sha256:abc',
      repoTags: [],
      repoDigests: [],
      created: '1970-01-01T00:00:00.000Z',
      size: 42,
      user: '',
      hasHealthcheck: false,
      labels: { a: 'b' },
      envSecrets: [],
      os: '',
      architecture: '',
      variant: '',
    });
  });

  test('an empty Test list is no health check; CMD-SHELL is one', () => {
    assert.equal(parseImage({ Id: 'x' }, { Config: { Healthcheck: { Test: [] } } }).hasHealthcheck, false);
    assert.equal(parseImage({ Id: 'x' }, { Config: { Healthcheck: { Test: ['CMD-SHELL', 'curl -f localhost'] } } }).hasHealthcheck, true);
  });
});

import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Facts } from '../../shared/facts';
import type { Finding } from '../../shared/finding';
import { busyboxRootfsTar, dockerCli, importBusybox, type PrivateDockerd, runningDockerd } from '../../test/support/dockerd';
import { finding, reducedTo, statuses } from '../../test/support/findings';
import { collectFacts } from '../collect/collect';
import { LocalHost } from '../host/local-host';
import { IMAGE_CHECKS } from './images';
import { evaluateChecks } from './runner';

/**
 * Image checks against a real private dockerd: images built with and without USER and HEALTHCHECK (by `docker import
 * --change` and by the classic `docker build`), used by running, stopped or no containers. Passing results come from
 * the snapshot reduced to the images and containers that do not offend; userns-remap is the snapshot with the
 * daemon's /info security options changed.
 */

let daemon: PrivateDockerd;
let facts: Facts;
let findings: Finding[];
let buildDir: string;

/** Imports the busybox root filesystem as `tag` with Dockerfile-style changes. */
async function importWith(tag: string, changes: string[]): Promise<void> {
  const args = ['import', ...changes.flatMap((c) => ['--change', c]), '--change', 'CMD ["/bin/sleep","3600"]', '-', tag];
  await daemon.docker(args, await busyboxRootfsTar());
}

before(async () => {
  daemon = await runningDockerd({ daemonJson: {} });
  const base = await importBusybox(daemon); // no USER, no HEALTHCHECK
  await importWith('dockhand-test/good:1', ['USER 1000', 'HEALTHCHECK CMD ["true"]']);
  await importWith('dockhand-test/covered:1', []);
  await importWith('dockhand-test/stopped:1', []);
  await importWith('dockhand-test/unused:1', []);
  // The classic builder, as a Dockerfile would: a USER, and HEALTHCHECK NONE (which disables a check, so none).
  buildDir = await fs.mkdtemp(path.join(os.tmpdir(), 'dkh-build-'));
  await fs.writeFile(path.join(buildDir, 'Dockerfile'), `FROM ${base}\nUSER 1000:1000\nHEALTHCHECK NONE\n`);
  await dockerCli(['build', '-q', '-t', 'dockhand-test/built:1', buildDir], {
    ...process.env,
    DOCKER_HOST: daemon.host,
    DOCKER_BUILDKIT: '0',
    DOCKER_CONFIG: path.join(daemon.dir, 'client'),
  });

  await daemon.docker(['run', '-d', '--name', 'rootapp', base]);
  await daemon.docker(['run', '-d', '--name', 'goodapp', 'dockhand-test/good:1']);
  await daemon.docker(['run', '-d', '--name', 'coveredapp', '--user', '1000', '--health-cmd', 'true', 'dockhand-test/covered:1']);
  await daemon.docker(['create', '--name', 'stoppedapp', 'dockhand-test/stopped:1']);
  await daemon.docker(['run', '-d', '--name', 'builtapp', 'dockhand-test/built:1']);
  facts = await collectFacts({ host: new LocalHost(), endpoint: { host: daemon.host } });
  assert.ok(facts.images.ok, JSON.stringify(facts.images));
  findings = evaluateChecks(IMAGE_CHECKS, facts);
});

after(async () => {
  await daemon?.stop();
  if (buildDir) await fs.rm(buildDir, { recursive: true, force: true });
});

const findingOf = (list: Finding[], id: string) => finding({ findings: list }, id);
const ids = (checkId: string, list: Finding[] = findings) => statuses({ findings: list }, checkId);
const only = (images: string[], containers: string[]) => reducedTo(facts, images, containers);

describe('image.user (CIS 4.1)', () => {
  test('judged by use: running root fails, stopped warns, --user everywhere and unused are noted, USER passes', () => {
    assert.deepEqual(ids('image.user'), [
      'image.user:dockhand-test/busybox:1=fail',
      'image.user:dockhand-test/covered:1=info',
      'image.user:dockhand-test/stopped:1=warn',
      'image.user:dockhand-test/unused:1=info',
    ]);
    const root = findingOf(findings, 'image.user:dockhand-test/busybox:1');
    assert.match(root.result.message, /running container rootapp runs it as root/);
    assert.deepEqual(root.result.evidence.find((e) => e.label === 'used by running containers')!.value, ['rootapp']);
    assert.match(
      findingOf(findings, 'image.user:dockhand-test/covered:1').result.message,
      /every container using it sets a non-root --user/,
    );
  });

  test('passes when the images in use set USER (unused root images are still noted)', () => {
    const list = evaluateChecks(
      [IMAGE_CHECKS[0]!],
      only(['dockhand-test/good:1', 'dockhand-test/built:1', 'dockhand-test/unused:1'], ['goodapp', 'builtapp']),
    );
    assert.deepEqual(
      list.map((f) => `${f.id}=${f.result.status}`),
      ['image.user=pass', 'image.user:dockhand-test/unused:1=info'],
    );
    assert.match(list[0]!.result.message, /All 2 images in use/);
  });

  test('under userns-remap a root image in use warns instead of failing, and says why', () => {
    assert.ok(facts.info.ok, 'info collected');
    const remapped: Facts = {
      ...facts,
      info: { ...facts.info, value: { ...facts.info.value, securityOptions: ['name=seccomp,profile=default', 'name=userns'] } },
    };
    const f = findingOf(evaluateChecks([IMAGE_CHECKS[0]!], remapped), 'image.user:dockhand-test/busybox:1');
    assert.equal(f.result.status, 'warn');
    assert.ok(
      f.result.evidence.some((e) => e.label === 'userns-remap'),
      JSON.stringify(f.result.evidence),
    );
  });
});

describe('image.healthcheck (CIS 4.6)', () => {
  test('HEALTHCHECK NONE counts as none; a run-time --health-cmd covers the image', () => {
    assert.deepEqual(ids('image.healthcheck'), [
      'image.healthcheck:dockhand-test/built:1=fail',
      'image.healthcheck:dockhand-test/busybox:1=fail',
      'image.healthcheck:dockhand-test/covered:1=info',
      'image.healthcheck:dockhand-test/stopped:1=warn',
      'image.healthcheck:dockhand-test/unused:1=info',
    ]);
    assert.match(
      findingOf(findings, 'image.healthcheck:dockhand-test/built:1').result.message,
      /running container builtapp adds none at run time/,
    );
  });

  test('passes when the images in use define a HEALTHCHECK', () => {
    const list = evaluateChecks([IMAGE_CHECKS[1]!], only(['dockhand-test/good:1'], ['goodapp']));
    assert.deepEqual(
      list.map((f) => `${f.id}=${f.result.status}`),
      ['image.healthcheck=pass'],
    );
  });
});

test('without the image list both checks error with the reason', () => {
  const broken: Facts = {
    ...facts,
    images: { ok: false, error: { code: 'timeout', message: 'GET /images/json did not answer' }, sources: [] },
  };
  for (const f of evaluateChecks(IMAGE_CHECKS, broken)) {
    assert.equal(f.result.status, 'error', f.id);
    assert.match(f.result.reason ?? '', /image list unavailable: GET \/images\/json did not answer/);
  }
});

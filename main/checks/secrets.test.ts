import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type Facts, FactsSchema } from '../../shared/facts';
import type { Finding } from '../../shared/finding';
import { busyboxRootfsTar, importBusybox, type PrivateDockerd, runningDockerd } from '../../test/support/dockerd';
import { finding, reducedTo, statuses } from '../../test/support/findings';
import { collectFacts } from '../collect/collect';
import { LocalHost } from '../host/local-host';
import { evaluateChecks } from './runner';
import { SECRET_CHECKS } from './secrets';

/**
 * container.env-secrets and image.env-secrets against a real private dockerd (the default engine: Config.Env is the
 * same on every engine): containers run with credentials in `-e`, images whose ENV holds them (by `docker import
 * --change`), containers that only inherit an image's, one that sets its own over the image's, and the healthy way,
 * a mounted secrets file named by `DB_PASSWORD_FILE`. Passing results come from the snapshot reduced to the healthy
 * objects; an older snapshot and a missing image list are the real snapshot changed.
 */

/** Every raw value set below: none may be in the facts or a finding. */
const RAW = {
  password: 'hunter2Chk0201',
  awsKeyId: 'AKIACHKSECRET0202XYZ',
  smtp: 'SmtpChk0203',
  imageToken: 'ImageTokChk0204',
  imageDefault: 'ImageDefaultChk0205',
  containerOwn: 'ContainerOwnChk0206',
  webhook: 'WebhookChk0207',
};

let daemon: PrivateDockerd;
let facts: Facts;
let findings: Finding[];
let tmp: string;
/** leaky's variable names in the order the daemon holds them (see inDaemonOrder). */
let leakyEnvOrder: string[];

async function importWith(tag: string, env: string[]): Promise<void> {
  const changes = [...env.map((e) => `ENV ${e}`), 'CMD ["/bin/sleep","3600"]'];
  await daemon.docker(['import', ...changes.flatMap((c) => ['--change', c]), '-', tag], await busyboxRootfsTar());
}

before(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'dkh-secrets-'));
  const secretFile = path.join(tmp, 'db');
  await fs.writeFile(secretFile, 'from-a-file\n', { mode: 0o400 });
  daemon = await runningDockerd({ daemonJson: {} });
  const base = await importBusybox(daemon);
  await importWith('dockhand-test/tokened:1', [`API_TOKEN=${RAW.imageToken}`, `APP_SECRET=${RAW.imageDefault}`]);
  await importWith('dockhand-test/hooked:1', [`NOTIFY_HOOK=https://hooks.slack.com/services/T0000/B0000/${RAW.webhook}`]);
  // The practice the checks recommend, and image variables that only look alike.
  await importWith('dockhand-test/clean:1', [
    'DB_PASSWORD_FILE=/run/secrets/db',
    'GPG_KEY=A035C8C19219BA821ECEA86B64E628F8D684696D',
    'MYSQL_ALLOW_EMPTY_PASSWORD=yes',
    'PASSWORD_MIN_LENGTH=8',
  ]);

  await daemon.docker([
    'run',
    '-d',
    '--name',
    'leaky',
    '-e',
    `DB_PASSWORD=${RAW.password}`,
    '-e',
    `AWS_ACCESS_KEY_ID=${RAW.awsKeyId}`,
    '-e',
    'AWS_REGION=eu-west-1',
    base,
  ]);
  leakyEnvOrder = (JSON.parse(await daemon.docker(['inspect', '--format', '{{json .Config.Env}}', 'leaky'])) as string[]).map(
    (e) => e.split('=')[0]!,
  );
  await daemon.docker(['create', '--name', 'named-only', '-e', `SMTP_PASS=${RAW.smtp}`, base]);
  await daemon.docker(['run', '-d', '--name', 'inherits', 'dockhand-test/tokened:1']);
  await daemon.docker(['run', '-d', '--name', 'overrides', '-e', `APP_SECRET=${RAW.containerOwn}`, 'dockhand-test/tokened:1']);
  await daemon.docker([
    'run',
    '-d',
    '--name',
    'healthy',
    '-e',
    'DB_PASSWORD_FILE=/run/secrets/db',
    '-v',
    `${secretFile}:/run/secrets/db:ro`,
    '-e',
    'DB_PASSWORD=',
    'dockhand-test/clean:1',
  ]);
  facts = await collectFacts({ host: new LocalHost(), endpoint: { host: daemon.host } });
  assert.ok(facts.containers.ok && facts.images.ok, JSON.stringify([facts.containers, facts.images]));
  findings = evaluateChecks(SECRET_CHECKS, facts);
});

after(async () => {
  await daemon?.stop();
  if (tmp) await fs.rm(tmp, { recursive: true, force: true });
});

const findingOf = (list: Finding[], id: string) => finding({ findings: list }, id);
const ids = (checkId: string) => statuses({ findings }, checkId);
const only = (images: string[], containers: string[]) => reducedTo(facts, images, containers);
const evidence = (f: Finding, label: string) => f.result.evidence.find((e) => e.label === label)?.value;
/**
 * What is listed per variable comes in the container's own Config.Env order, and the docker CLI does not always keep
 * the order of its `-e` flags (3 of 12 identical `docker create`s here held them in another order): expectations
 * are put in the order the daemon holds.
 */
const inDaemonOrder = <T>(items: T[], name: (item: T) => string): T[] =>
  [...items].sort((a, b) => leakyEnvOrder.indexOf(name(a)) - leakyEnvOrder.indexOf(name(b)));

test('the daemon really holds the raw values (docker inspect shows them)', async () => {
  assert.ok((await daemon.docker(['inspect', 'leaky'])).includes(RAW.password));
  assert.ok((await daemon.docker(['image', 'inspect', 'dockhand-test/tokened:1'])).includes(RAW.imageToken));
});

test('the facts hold the credentials masked, and no raw value', () => {
  const text = JSON.stringify(facts);
  for (const [what, raw] of Object.entries(RAW)) assert.ok(!text.includes(raw), `${what} (${raw}) is in the facts`);
  assert.ok(facts.containers.ok);
  const leaky = facts.containers.value.find((c) => c.name === 'leaky')!;
  assert.deepEqual(
    leaky.envSecrets?.map(({ name, kind, masked }) => ({ name, kind, masked })),
    inDaemonOrder(
      [
        { name: 'DB_PASSWORD', kind: 'name', masked: '****' },
        { name: 'AWS_ACCESS_KEY_ID', kind: 'aws-access-key-id', masked: 'AKIA****' },
      ],
      (e) => e.name,
    ),
  );
  // The saved snapshot validates, and keeps the classification.
  assert.deepEqual(FactsSchema.parse(JSON.parse(text)), JSON.parse(text));
});

describe('container.env-secrets', () => {
  test('value-shaped credentials fail, a name alone warns (stopped too); inherited ones are left to the image', () => {
    assert.deepEqual(ids('container.env-secrets'), [
      'container.env-secrets:leaky=fail',
      'container.env-secrets:named-only=warn',
      'container.env-secrets:overrides=warn',
    ]);
    const leaky = findingOf(findings, 'container.env-secrets:leaky');
    assert.equal(leaky.severity, 'high');
    const named = inDaemonOrder(
      [
        ['DB_PASSWORD', '****', 'a credential by its name'],
        ['AWS_ACCESS_KEY_ID', 'AKIA****', 'an AWS access key id'],
      ],
      ([name]) => name!,
    );
    assert.equal(
      leaky.result.message,
      `Container leaky holds credentials in its environment, readable by anyone who can inspect it: ${named.map(([name, , why]) => `${name} (${why})`).join(', ')}.`,
    );
    assert.deepEqual(
      evidence(leaky, 'Config.Env'),
      named.map(([name, masked, why]) => `${name}=${masked} (${why})`),
    );
    assert.equal(evidence(findingOf(findings, 'container.env-secrets:named-only'), 'state'), 'created');
  });

  test("a container's own value over the image's is its own; the image's other credential is named as inherited", () => {
    const f = findingOf(findings, 'container.env-secrets:overrides');
    assert.deepEqual(evidence(f, 'Config.Env'), ["APP_SECRET=**** (a credential by its name, set over the image's value)"]);
    assert.deepEqual(evidence(f, 'inherited from the image (reported by image.env-secrets)'), ['API_TOKEN']);
  });

  test('passes for a secrets file named by DB_PASSWORD_FILE, and for a container that only inherits', () => {
    const list = evaluateChecks([SECRET_CHECKS[0]!], only(['dockhand-test/clean:1', 'dockhand-test/tokened:1'], ['healthy', 'inherits']));
    assert.deepEqual(
      list.map((f) => `${f.id}=${f.result.status}`),
      ['container.env-secrets=pass'],
    );
    assert.equal(list[0]!.result.message, 'None of the 2 containers sets a credential in its own environment.');
  });

  test("without the image list, a container's inherited credentials are reported, saying they could not be told apart", () => {
    const noImages: Facts = {
      ...facts,
      images: { ok: false, error: { code: 'timeout', message: 'GET /images/json did not answer' }, sources: [] },
    };
    const f = findingOf(evaluateChecks([SECRET_CHECKS[0]!], noImages), 'container.env-secrets:inherits');
    assert.equal(f.result.status, 'warn');
    assert.match(String(evidence(f, 'image ENV')), /^not compared: the image list is unavailable \(GET \/images\/json did not answer\)/);
  });
});

describe('image.env-secrets (CIS 4.10)', () => {
  test('reported once on the image, used or not: a webhook URL fails, names alone warn', () => {
    assert.deepEqual(ids('image.env-secrets'), [
      'image.env-secrets:dockhand-test/hooked:1=fail',
      'image.env-secrets:dockhand-test/tokened:1=warn',
    ]);
    const tokened = findingOf(findings, 'image.env-secrets:dockhand-test/tokened:1');
    assert.deepEqual(evidence(tokened, 'Config.Env'), [
      'API_TOKEN=**** (a credential by its name)',
      'APP_SECRET=**** (a credential by its name)',
    ]);
    assert.deepEqual((evidence(tokened, 'containers from it, which inherit these') as string[]).sort(), ['inherits', 'overrides']);
    assert.deepEqual(evidence(findingOf(findings, 'image.env-secrets:dockhand-test/hooked:1'), 'Config.Env'), [
      'NOTIFY_HOOK=https://hooks.slack.com/services/**** (a Slack webhook URL)',
    ]);
  });

  test('passes for images whose ENV only looks alike (DB_PASSWORD_FILE, GPG_KEY, switches)', () => {
    const list = evaluateChecks([SECRET_CHECKS[1]!], only(['dockhand-test/clean:1', 'dockhand-test/busybox:1'], ['healthy']));
    assert.deepEqual(
      list.map((f) => `${f.id}=${f.result.status}`),
      ['image.env-secrets=pass'],
    );
  });
});

test('a snapshot saved before the classification is skipped with the reason, not passed', () => {
  const old = JSON.parse(JSON.stringify(facts)) as {
    containers: { value: Record<string, unknown>[] };
    images: { value: Record<string, unknown>[] };
  };
  for (const item of [...old.containers.value, ...old.images.value]) delete item.envSecrets;
  for (const f of evaluateChecks(SECRET_CHECKS, FactsSchema.parse(old))) {
    assert.equal(f.result.status, 'skipped', f.id);
    assert.match(f.result.reason ?? '', /did not classify environment variables/);
  }
});

// Issue 15, prune: a hand-edited plan, and the race between plan and apply, run for real: the built `dockhand` CLI
// against a private dockerd, each user's plan key in its own state directory. Nothing outside the plan may be removed.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type PrunePlan, PrunePlanSchema, PruneResultSchema } from '../../shared/prune';
import { planDigest } from '../../main/prune/plan-digest';
import { PLAN_KEY_FILE } from '../../main/prune/plan-signature';
import { dockhand } from '../support/cli';
import { importBusybox, type PrivateDockerd, runningDockerd } from '../support/dockerd';

const EXIT_USAGE = 2;

describe('prune: hand-edited plans are refused, created containers keep what they use', () => {
  let daemon: PrivateDockerd;
  let stateDir: string;
  let otherStateDir: string;
  const env = (state: string) => ({ ...process.env, DOCKHAND_STATE_DIR: state });
  const exists = (args: string[]) =>
    daemon.docker(args).then(
      () => true,
      () => false,
    );

  before(async () => {
    daemon = await runningDockerd({ daemonJson: {} });
    stateDir = await fs.mkdtemp(path.join(os.tmpdir(), 'dkh-state-'));
    otherStateDir = await fs.mkdtemp(path.join(os.tmpdir(), 'dkh-state-'));
    await importBusybox(daemon, 'base:1');
    await daemon.docker(['network', 'create', '--label', 'dockhand.protect=true', 'precious-net']);
    await daemon.docker(['network', 'create', 'idle-net']);
    await daemon.docker(['volume', 'create', '--label', 'dockhand.protect=true', 'precious-vol']);
    await daemon.docker(['volume', 'create', 'idle-vol']);
    await daemon.docker(['tag', 'base:1', 'spare:1']);
  });
  after(async () => {
    await daemon?.stop();
    for (const dir of [stateDir, otherStateDir]) if (dir) await fs.rm(dir, { recursive: true, force: true });
  });

  async function planFile(name: string, state = stateDir): Promise<{ file: string; plan: PrunePlan }> {
    const file = path.join(daemon.dir, name);
    const made = await dockhand(
      [
        'prune',
        'plan',
        '--host',
        daemon.host,
        '--containers',
        '--networks',
        '--volume',
        'idle-vol',
        '--volume',
        'precious-vol',
        '-o',
        file,
      ],
      { env: env(state) },
    );
    assert.equal(made.code, 0, made.stderr);
    return { file, plan: PrunePlanSchema.parse(JSON.parse(await fs.readFile(file, 'utf8'))) };
  }

  /** What an attacker who can write the plan file does: edit it, and recompute the digest (anyone can). */
  async function rewrite(
    file: string,
    plan: PrunePlan,
    edit: (body: Omit<PrunePlan, 'digest'>) => Omit<PrunePlan, 'digest'>,
  ): Promise<void> {
    const { digest: _digest, signature, ...rest } = plan;
    const body = edit(structuredClone(rest));
    await fs.writeFile(file, JSON.stringify({ ...body, digest: planDigest(body), signature }));
  }

  const everything = ['precious-net', 'idle-net']
    .map((n) => ['network', 'inspect', n])
    .concat(['precious-vol', 'idle-vol'].map((v) => ['volume', 'inspect', v]));

  async function assertNothingRemoved(): Promise<void> {
    for (const args of everything) assert.ok(await exists(args), `${args.join(' ')}: still there`);
  }

  test('the plan is signed, and the key file is 0600 in the state directory, never in the plan', async () => {
    const { plan } = await planFile('signed.json');
    assert.match(plan.signature ?? '', /^hmac-sha256:[0-9a-f]{16}:[0-9a-f]{64}$/);
    const keyFile = path.join(stateDir, PLAN_KEY_FILE);
    const stat = await fs.stat(keyFile);
    assert.equal(stat.mode & 0o777, 0o600);
    const key = (await fs.readFile(keyFile, 'utf8')).trim();
    assert.ok(!JSON.stringify(plan).includes(key), 'the key is not in the plan');
    assert.deepEqual(
      plan.keep
        .filter((k) => k.reason === 'protected')
        .map((k) => k.name)
        .sort(),
      ['precious-net', 'precious-vol'],
    );
  });

  test('a plan whose protection label was edited (and protected objects moved to remove) is refused; nothing is removed', async () => {
    const { file, plan } = await planFile('edited-label.json');
    await rewrite(file, plan, (body) => {
      const precious = body.keep.filter((k) => k.reason === 'protected');
      return {
        ...body,
        options: { ...body.options, protectLabel: 'nothing.protects' },
        keep: body.keep.filter((k) => k.reason !== 'protected'),
        remove: [
          ...body.remove,
          ...precious.map((k) => ({
            type: k.type,
            id: k.id,
            name: k.name,
            tags: [],
            size: k.size,
            reclaim: 0,
            created: null,
            lastUsed: null,
            why: 'edited in',
          })),
        ],
      };
    });
    const applied = await dockhand(['prune', 'apply', '--host', daemon.host, '--plan', file], { env: env(stateDir) });
    assert.equal(applied.code, EXIT_USAGE, applied.stderr);
    assert.match(
      applied.stderr,
      /was changed after it was planned \(its signature does not match its content: what it removes, keeps or protects was edited\): nothing was removed/,
    );
    assert.doesNotMatch(applied.stderr, /\n\s+at /, 'no stack trace');
    await assertNothingRemoved();
  });

  test('a plan whose label filters were edited is refused; nothing is removed', async () => {
    const { file, plan } = await planFile('edited-filters.json');
    await rewrite(file, plan, (body) => ({
      ...body,
      options: { ...body.options, labelFilters: [{ key: 'anything', value: null, negate: true }] },
    }));
    const applied = await dockhand(['prune', 'apply', '--host', daemon.host, '--plan', file], { env: env(stateDir) });
    assert.equal(applied.code, EXIT_USAGE, applied.stderr);
    assert.match(applied.stderr, /signature does not match its content/);
    await assertNothingRemoved();
  });

  test("an unsigned plan, and a plan signed with another user's key, are refused", async () => {
    const { file, plan } = await planFile('unsigned.json');
    const { signature: _s, ...unsigned } = plan;
    await fs.writeFile(file, JSON.stringify(unsigned));
    const refused = await dockhand(['prune', 'apply', '--host', daemon.host, '--plan', file], { env: env(stateDir) });
    assert.equal(refused.code, EXIT_USAGE, refused.stderr);
    assert.match(refused.stderr, /is not signed/);

    const other = await planFile('other-user.json', otherStateDir);
    const foreign = await dockhand(['prune', 'apply', '--host', daemon.host, '--plan', other.file], { env: env(stateDir) });
    assert.equal(foreign.code, EXIT_USAGE, foreign.stderr);
    assert.match(foreign.stderr, /was signed with another key/);
    await assertNothingRemoved();
  });

  test('a key file others can read is refused, not used', async () => {
    const { file } = await planFile('loose-key.json');
    const keyFile = path.join(stateDir, PLAN_KEY_FILE);
    await fs.chmod(keyFile, 0o644);
    try {
      const applied = await dockhand(['prune', 'apply', '--host', daemon.host, '--plan', file], { env: env(stateDir) });
      assert.equal(applied.code, EXIT_USAGE, applied.stderr);
      assert.match(applied.stderr, /has mode 644: others may read or change it/);
      await assertNothingRemoved();
    } finally {
      await fs.chmod(keyFile, 0o600);
    }
  });

  test('a network, volume and image used only by a container created (not started) after the plan are kept, and say why', async () => {
    await daemon.docker(['network', 'create', 'late-net']);
    await daemon.docker(['volume', 'create', 'late-vol']);
    await daemon.docker(['tag', 'base:1', 'late-image:1']);
    const file = path.join(daemon.dir, 'race.json');
    const made = await dockhand(
      ['prune', 'plan', '--host', daemon.host, '--networks', '--images', 'unused', '--volume', 'late-vol', '-o', file],
      { env: env(stateDir) },
    );
    assert.equal(made.code, 0, made.stderr);
    const plan = PrunePlanSchema.parse(JSON.parse(await fs.readFile(file, 'utf8')));
    const planned = plan.remove.map((r) => r.name);
    for (const name of ['late-net', 'late-vol']) assert.ok(planned.includes(name), `${name} is planned for removal`);
    const imageId = await daemon.docker(['image', 'inspect', '--format', '{{.Id}}', 'late-image:1']);
    assert.ok(
      plan.remove.some((r) => r.id === imageId),
      'the image is planned for removal',
    );

    // Between plan and apply: a container is created (never started) on that network, with that volume and image.
    const created = await daemon.docker(['create', '--name', 'made-late', '--network', 'late-net', '-v', 'late-vol:/data', imageId]);
    // Why the old re-check missed it: the Engine's own network filter does not see a created container's endpoint.
    const networkId = await daemon.docker(['network', 'inspect', '--format', '{{.Id}}', 'late-net']);
    const byFilter = await daemon.docker(['ps', '-aq', '--no-trunc', '--filter', `network=${networkId}`]);
    assert.ok(!byFilter.includes(created), 'the network=ID filter misses the created container (the rule the apply used before)');

    const applied = await dockhand(['prune', 'apply', '--host', daemon.host, '--plan', file, '--format', 'json'], { env: env(stateDir) });
    assert.ok(applied.code === 0, applied.stderr);
    const result = PruneResultSchema.parse(JSON.parse(applied.stdout));
    const outcome = (id: string) => result.outcomes.find((o) => o.id === id || o.name === id)!;
    assert.equal(outcome('late-net').status, 'skipped');
    assert.match(outcome('late-net').reason!, /^attached since the plan by container made-late \(created\)$/);
    assert.equal(outcome('late-vol').status, 'skipped');
    assert.match(outcome('late-vol').reason!, /^in use since the plan by container made-late \(created\)$/);
    assert.equal(outcome(imageId).status, 'skipped');
    assert.match(outcome(imageId).reason!, /^in use since the plan by container made-late \(created\)$/);
    for (const args of [
      ['network', 'inspect', 'late-net'],
      ['volume', 'inspect', 'late-vol'],
      ['image', 'inspect', imageId],
      ['container', 'inspect', 'made-late'],
    ]) {
      assert.ok(await exists(args), `${args.join(' ')}: kept`);
    }
    assert.equal(await exists(['network', 'inspect', 'idle-net']), false, 'what nothing uses still goes');
  });
});

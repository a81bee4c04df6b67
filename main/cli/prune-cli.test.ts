import assert from 'node:assert/strict';
import { mkdtempSync, promises as fs } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { DiskReportSchema, PrunePlanSchema, PruneResultSchema } from '../../shared/prune';
import { publishedSchemas } from '../../shared/schemas';
import { dockhand } from '../../test/support/cli';
import { importBusybox, type PrivateDockerd, runningDockerd } from '../../test/support/dockerd';
import { planDigest } from '../prune/plan-file';
import { planKey, signPlan } from '../prune/plan-signature';

describe('dockhand disk and prune (the commands)', () => {
  let daemon: PrivateDockerd;
  // Plans are signed with the user's key in the state directory: this test's own, not root's /var/lib/dockhand.
  const stateDir = mkdtempSync(path.join(os.tmpdir(), 'dkh-state-'));
  const run = (args: string[]) => dockhand(args, { env: { ...process.env, DOCKHAND_STATE_DIR: stateDir } });
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  const schemas = publishedSchemas();
  const valid = (name: string, value: unknown) => assert.ok(ajv.validate(schemas[name]!, value), `${name}: ${ajv.errorsText()}`);

  before(async () => {
    daemon = await runningDockerd({ daemonJson: {} });
    await importBusybox(daemon, 'base:1');
    await daemon.docker(['run', '-d', '--name', 'up', 'base:1']);
    await daemon.docker([
      'run',
      '--name',
      'chatty',
      'base:1',
      'sh',
      '-c',
      'i=0; while [ $i -lt 2000 ]; do echo "line $i"; i=$((i+1)); done',
    ]);
    await daemon.docker(['volume', 'create', 'data']);
  });
  after(async () => {
    await daemon?.stop();
    await fs.rm(stateDir, { recursive: true, force: true });
  });

  test('disk: usage by type, each byte once, text and JSON', async () => {
    const text = await run(['disk', '--host', daemon.host]);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /^images +1 +1\.9 MiB/m);
    assert.match(text.stdout, /^containers +2 +\S+ B +1 running/m);
    assert.match(text.stdout, /^container-logs +2 +\d+\.\d KiB/m);
    const json = await run(['disk', '--host', daemon.host, '--format', 'json']);
    const report = DiskReportSchema.parse(JSON.parse(json.stdout));
    valid('disk.schema.json', report);
    const logs = report.rows.find((r) => r.type === 'container-logs')!;
    assert.ok(logs.bytes! > 2000 * 10, 'the chatty container logged 2,000 lines');
    assert.equal(
      report.total,
      report.rows.reduce((a, r) => a + (r.bytes ?? 0), 0),
    );
  });

  test("disk: logs are measured from the data root's listing, but only a container the daemon lists is counted", async () => {
    const dataRoot = JSON.parse(await daemon.docker(['info', '--format', '{{json .DockerRootDir}}'])) as string;
    // A directory no container owns (what a container removed while `disk` ran leaves behind for a moment).
    const stray = 'f'.repeat(64);
    const dir = path.join(dataRoot, 'containers', stray);
    await fs.mkdir(dir, { recursive: true });
    await fs.writeFile(path.join(dir, `${stray}-json.log`), Buffer.alloc(4 * 1024 * 1024));
    try {
      const json = await run(['disk', '--host', daemon.host, '--format', 'json']);
      const report = DiskReportSchema.parse(JSON.parse(json.stdout));
      const logs = report.rows.find((r) => r.type === 'container-logs')!;
      assert.equal(logs.count, 2);
      assert.ok(logs.bytes! > 2000 * 10 && logs.bytes! < 4 * 1024 * 1024, `${logs.bytes} bytes: the stray log is not counted`);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  test('prune plan: text for a person, JSON for a file; apply --plan: progress on stderr, result on stdout', async () => {
    const text = await run(['prune', 'plan', '--host', daemon.host, '--containers']);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /^Containers: remove 1, keep 1$/m);
    assert.match(text.stdout, /^ {2}- [0-9a-f]{12} {2}chatty {2}frees .* · created /m);
    assert.match(text.stdout, /^ {2}= [0-9a-f]{12} {2}up {2}\[running\] /m);
    assert.match(text.stdout, /^Will free .*\(\+ logs \d+\.\d KiB\)/m);

    const file = path.join(daemon.dir, 'plan.json');
    const saved = await run(['prune', 'plan', '--host', daemon.host, '--containers', '-o', file]);
    assert.equal(saved.code, 0, saved.stderr);
    assert.match(saved.stdout, /Containers: remove 1/, 'the plan is also shown');
    const plan = PrunePlanSchema.parse(JSON.parse(await fs.readFile(file, 'utf8')));
    valid('prune-plan.schema.json', plan);
    assert.deepEqual(
      plan.remove.map((r) => r.name),
      ['chatty'],
    );

    const applied = await run(['prune', 'apply', '--host', daemon.host, '--plan', file, '--format', 'json']);
    assert.equal(applied.code, 0, applied.stderr);
    assert.match(applied.stderr, /^\[1\/1\] .* so far · container [0-9a-f]{12} chatty — removed$/m);
    const result = PruneResultSchema.parse(JSON.parse(applied.stdout));
    valid('prune-result.schema.json', result);
    assert.equal(result.counts.removed, 1);
    assert.ok(result.freed.containerLogs > 0);

    const again = await run(['prune', 'apply', '--host', daemon.host, '--plan', file, '--quiet']);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(again.stderr, '');
    assert.match(again.stdout, /skipped: container [0-9a-f]{12} chatty — the container no longer exists/);
  });

  test('prune apply --yes plans and applies in one go', async () => {
    await daemon.docker(['network', 'create', 'spare']);
    const r = await run(['prune', 'apply', '--yes', '--host', daemon.host, '--networks']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Networks: remove 1/m);
    assert.match(r.stdout, /^Prune done \(.*\): 1 removed, 0 skipped, 0 failed, 0 unconfirmed, 0 not attempted$/m);
    assert.match(r.stdout, /^Freed 0 B \(Engine disk usage/m);
  });

  test('apply says what the prune itself left unused (the image of the container it removed) and how to remove it', async () => {
    await daemon.docker(['commit', '--change', 'LABEL leftover=1', 'up', 'leftover:1']);
    await daemon.docker(['create', '--name', 'gone', 'leftover:1']);
    const r = await run(['prune', 'apply', '--yes', '--host', daemon.host, '--containers', '--quiet']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^ {2}- [0-9a-f]{12} {2}gone /m);
    assert.match(
      r.stdout,
      /^Now reclaimable because of this prune: 1 object, \S+ \S*B; to remove it, run the same command again with --images unused$/m,
    );
    assert.match(r.stdout, /^ {2}image leftover:1 \(\S+ \S*B\): image no container uses.*; kept before: not selected$/m);
    const json = await run(['prune', 'plan', '--host', daemon.host, '--containers', '--images', 'unused', '--format', 'json']);
    assert.deepEqual(
      PrunePlanSchema.parse(JSON.parse(json.stdout)).remove.map((x) => x.name),
      ['leftover:1'],
      'the second run removes what the first left unused',
    );
  });

  test('a malformed, changed or foreign plan file is refused with exit 2, before anything is removed', async () => {
    const file = path.join(daemon.dir, 'plan2.json');
    assert.equal((await run(['prune', 'plan', '--host', daemon.host, '--volume', 'data', '-o', file])).code, 0);
    const plan = PrunePlanSchema.parse(JSON.parse(await fs.readFile(file, 'utf8')));
    const write = async (name: string, text: string) => {
      const p = path.join(daemon.dir, name);
      await fs.writeFile(p, text);
      return p;
    };
    const cases: [string, RegExp][] = [
      [await write('garbage.json', '{"remove": ['), /is not JSON/],
      [await write('other.json', '{"kind": "dockhand.report"}'), /is not a Dockhand prune plan: kind/],
      [
        await write('tampered.json', JSON.stringify({ ...plan, remove: plan.remove.map((r) => ({ ...r, id: 'up' })) })),
        /was changed after it was planned/,
      ],
      [path.join(daemon.dir, 'missing.json'), /cannot read the plan/],
    ];
    const { digest: _d, signature: _s, ...body } = plan;
    const foreign = { ...body, engine: { ...body.engine, id: 'SOME:OTHER:DAEMON' } };
    // Signed with this user's key, as a plan made against another daemon would be: refused for the daemon it names.
    const signedForeign = signPlan({ ...foreign, digest: planDigest(foreign) }, await planKey(stateDir));
    cases.push([
      await write('foreign.json', JSON.stringify(signedForeign)),
      /the plan was made for the daemon .* \(ID SOME:OTHER:DAEMON\)/,
    ]);
    for (const [p, message] of cases) {
      const r = await run(['prune', 'apply', '--host', daemon.host, '--plan', p]);
      assert.equal(r.code, 2, `${p}: ${r.stderr}`);
      assert.match(r.stderr, message);
      assert.doesNotMatch(r.stderr, /internal error|at .*\.ts/);
    }
    assert.equal(await daemon.docker(['volume', 'inspect', '--format', '{{.Name}}', 'data']), 'data', 'nothing was removed');
  });

  test('bad options exit 2; a daemon that is down or hung exits 4 with the reason', async () => {
    const usage: [string[], RegExp][] = [
      [['prune', 'apply', '--host', daemon.host], /give --plan FILE/],
      [['prune', 'apply', '--plan', 'x.json', '--yes'], /do not go together/],
      [['prune', 'apply', '--plan', 'x.json', '--until', '1h'], /go with --yes/],
      [['prune', 'plan', '--host', daemon.host, '--until', 'a week'], /--until "a week": expected a duration/],
      [['prune', 'plan', '--host', daemon.host, '--filter', 'dangling=true'], /expected label=KEY/],
      [['prune', 'plan', '--images', 'everything'], /Allowed choices are dangling, unused/],
    ];
    for (const [args, message] of usage) {
      const r = await run(args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, message);
    }
    const down = await run(['prune', 'plan', '--host', 'unix:///nonexistent/docker.sock']);
    assert.equal(down.code, 4);
    assert.match(down.stderr, /^dockhand: cannot plan the prune: the Docker socket unix:\/\/\/nonexistent\/docker\.sock does not exist/);
    const diskDown = await run(['disk', '--host', 'unix:///nonexistent/docker.sock']);
    assert.equal(diskDown.code, 4);
    assert.match(diskDown.stderr, /cannot measure disk usage/);

    // A hung daemon: accepts the connection, never answers.
    const socket = path.join(daemon.dir, 'hung.sock');
    const held: net.Socket[] = [];
    const server = net.createServer((c) => held.push(c)).listen(socket);
    try {
      const hung = await run(['prune', 'apply', '--yes', '--host', `unix://${socket}`, '--timeout', '1000']);
      assert.equal(hung.code, 4);
      assert.match(
        hung.stderr,
        /^dockhand: cannot prune: the Docker daemon at unix:\/\/.*hung\.sock \(GET \/_ping\) did not answer within 1 s/,
      );
    } finally {
      for (const c of held) c.destroy();
      server.close();
    }
  });

  test('prune schedule prints the units it would install (and installs nothing)', async () => {
    const systemd = await run(['prune', 'schedule', '--dockhand', '/usr/bin/dockhand']);
    assert.equal(systemd.code, 0, systemd.stderr);
    assert.match(systemd.stdout, /^# \/etc\/systemd\/system\/dockhand-prune\.service$/m);
    assert.match(systemd.stdout, /^ExecStart=\/usr\/bin\/dockhand prune apply --until 168h --yes$/m);
    assert.match(systemd.stdout, /^# \/etc\/systemd\/system\/dockhand-prune\.timer$/m);
    const cron = await run(['prune', 'schedule', '--kind', 'cron', '--dockhand', '/usr/bin/dockhand', '--until', '72h']);
    assert.match(
      cron.stdout,
      /^17 3 \* \* \* root flock -n \/run\/dockhand-prune\.lock \/usr\/bin\/dockhand prune apply --until 72h --yes >> \/var\/log\/dockhand-prune\.log 2>&1$/m,
    );
    assert.equal((await run(['prune', 'schedule', '--dockhand', 'relative/dockhand'])).code, 2);
  });
});

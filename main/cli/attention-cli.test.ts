// The text report against a real dockerd started with --bridge=none and "mtu": 9000: the checks that judge the
// default bridge say there is none (no MTU failure, no DNS verdict about containers on it), three privileged
// containers are one group (the why and the fix once), --attention keeps only failures and warnings, and `checks`
// has a header row.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { dockhand } from '../../test/support/cli';
import { importBusybox, type PrivateDockerd, runningDockerd } from '../../test/support/dockerd';
import { ReportSchema } from '../../shared/report';

const PRIVILEGED = ['priv-a', 'priv-b', 'priv-c'];

describe('dockhand audit on a daemon without a default bridge (--bridge=none)', () => {
  let daemon: PrivateDockerd;
  before(async () => {
    daemon = await runningDockerd({ flags: ['--bridge=none'], daemonJson: { mtu: 9000 } });
    const image = await importBusybox(daemon);
    // No default bridge to attach to: the containers have no network; created is enough for the privileged check.
    for (const name of PRIVILEGED) await daemon.docker(['create', '--name', name, '--network', 'none', '--privileged', image]);
  });
  after(async () => daemon?.stop());

  test('network.mtu and dns.host-resolvers say there is no default bridge instead of a verdict about it', async () => {
    const r = await dockhand(['audit', '--host', daemon.host, '--format', 'json']);
    assert.ok(r.code === 0 || r.code === 1 || r.code === 3, r.stderr);
    const report = ReportSchema.parse(JSON.parse(r.stdout));
    for (const id of ['network.mtu', 'dns.host-resolvers']) {
      const f = report.findings.find((x) => x.checkId === id);
      assert.ok(f, `${id} is reported`);
      assert.equal(f.result.status, 'skipped', `${id}: ${f.result.status} ${f.result.message}`);
      assert.match(f.result.reason ?? '', /--bridge=none[^]*no default bridge network/, id);
      assert.doesNotMatch(JSON.stringify(f.result), /containers on the default bridge (use|get)/i, id);
    }
    assert.ok(
      !report.findings.some(
        (f) => f.result.status === 'fail' && f.result.evidence.some((e) => /bridge[^"]*not found/i.test(JSON.stringify(e.value))),
      ),
      'no failure whose own evidence says the bridge was not found',
    );
  });

  test('one check on many containers is one group: the why and the fix printed once, each container under them', async () => {
    const r = await dockhand(['audit', '--host', daemon.host, '--no-color']);
    const out = r.stdout;
    assert.match(out, /(FAIL|WARN)  HIGH +container\.privileged  .* \(3 targets\)/, 'created privileged containers warn');
    const group = out.slice(out.indexOf('container.privileged  '));
    const block = group.slice(0, group.search(/\n\n/));
    assert.equal(block.match(/Why: /g)?.length, 1, block);
    assert.equal(block.match(/Fix: /g)?.length, 1, block);
    for (const name of PRIVILEGED) assert.match(block, new RegExp(`- ${name}: Container ${name} `), block);
    assert.doesNotMatch(out, /container\.privileged:priv-b/, 'no per-container repetition of the check');
  });

  test('--attention shows only failures and warnings, and counts what it left out', async () => {
    const all = ReportSchema.parse(JSON.parse((await dockhand(['audit', '--host', daemon.host, '--format', 'json'])).stdout));
    const r = await dockhand(['audit', '--host', daemon.host, '--no-color', '--attention']);
    assert.ok(r.code === 0 || r.code === 1 || r.code === 3, r.stderr);
    const body = r.stdout.split('\n').filter((l) => /^(FAIL|WARN|ERROR|INFO|PASS|SKIPPED|SKIP) /.test(l));
    assert.ok(body.length > 0);
    assert.ok(
      body.every((l) => /^(FAIL|WARN) /.test(l)),
      body.join('\n'),
    );
    const hidden = all.findings.filter((f) => f.result.status !== 'fail' && f.result.status !== 'warn').length;
    assert.match(r.stdout, new RegExp(`${hidden} more findings .* not shown`));
    const json = await dockhand(['audit', '--host', daemon.host, '--attention', '--format', 'json']);
    assert.equal(json.code, 2, 'a filtered JSON report would read as a clean host');
    assert.match(json.stderr, /--attention applies to the text report/);
  });
});

test('dockhand checks prints a header row above the checks', async () => {
  const r = await dockhand(['checks']);
  assert.equal(r.code, 0, r.stderr);
  const [header, first] = r.stdout.split('\n');
  assert.match(header!, /^CHECK +SEVERITY +CIS +TITLE$/);
  assert.match(first!, /^[a-z-]+\.[a-z0-9.-]+ +(critical|high|medium|low|info) /);
});

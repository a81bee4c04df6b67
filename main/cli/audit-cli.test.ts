import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { REPORT_SCHEMA_VERSION, ReportSchema } from '../../shared/report';
import { dockhand } from '../../test/support/cli';
import { importBusybox, type PrivateDockerd, runningDockerd } from '../../test/support/dockerd';

describe('dockhand audit (the command)', () => {
  let daemon: PrivateDockerd;
  before(async () => {
    daemon = await runningDockerd({ daemonJson: '{\n  "insecure-registries": ["10.0.0.5:5000"]\n}\n' });
    const image = await importBusybox(daemon);
    await daemon.docker(['run', '-d', '--name', 'agent', '-v', `${daemon.socket}:/var/run/docker.sock`, image]);
  });
  after(async () => daemon?.stop());

  test('the text report shows each problem with severity, why, evidence with its source, and the fix', async () => {
    const r = await dockhand(['audit', '--host', daemon.host, '--no-color']);
    assert.equal(r.code, 0, r.stderr);
    const out = r.stdout;
    assert.match(out, new RegExp(`Endpoint: +${daemon.host}  \\(given with --host\\)`));
    assert.match(
      out,
      new RegExp(`daemon.json: ${daemon.configPath}  \\(the running dockerd \\(pid \\d+\\) was started with --config-file`),
    );
    assert.match(out, /FAIL  CRITICAL container\.docker-socket-mount:agent/);
    assert.match(out, /Why: Whoever can talk to the Docker socket/);
    assert.match(out, /- insecure registry: 10\.0\.0\.5:5000  \(Engine API GET \/info\)/);
    assert.match(out, new RegExp(`insecure-registries \\(daemon.json\\): \\["10.0.0.5:5000"\\]  \\(${daemon.configPath}:2:3\\)`));
    assert.match(out, /Fix: Remove the registry/);
    assert.match(out, /Ref: CIS Docker Benchmark v1\.6\.0 5\.32/);
    assert.match(out, /PASS  container\.privileged/);
    assert.match(out, /Score \d+\/100 · \d+ failed · \d+ warnings \(by severity: [^)]*critical/);
    // eslint-disable-next-line no-control-regex -- an ANSI escape is what must be absent.
    assert.doesNotMatch(out, /\u001b\[/, 'no colour codes when asked');
  });

  test('--format json --output writes a valid report to the file, nothing to stdout', async () => {
    const file = path.join(daemon.dir, 'report.json');
    const r = await dockhand(['audit', '--host', daemon.host, '--format', 'json', '--output', file]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '');
    const report = ReportSchema.parse(JSON.parse(await fs.readFile(file, 'utf8')));
    assert.equal(report.schemaVersion, REPORT_SCHEMA_VERSION);
    assert.ok(report.timings.length >= 10);
    assert.ok(report.summary.score < 100);
    assert.equal((await fs.readFile(file, 'utf8')).trimEnd().split('\n').length, 1, 'compact unless --pretty');
    const pretty = await dockhand(['audit', '--host', daemon.host, '--format', 'json', '--pretty']);
    assert.ok(pretty.stdout.startsWith(`{\n  "schemaVersion": "${REPORT_SCHEMA_VERSION}",\n`), pretty.stdout.slice(0, 80));
  });

  test('--fail-on: exit 1 at or above the threshold, 0 below it', async () => {
    assert.equal((await dockhand(['audit', '--host', daemon.host, '--fail-on', 'critical', '--format', 'json'])).code, 1);
    await daemon.docker(['rm', '-f', 'agent']);
    assert.equal((await dockhand(['audit', '--host', daemon.host, '--fail-on', 'critical', '--format', 'json'])).code, 0);
    assert.equal((await dockhand(['audit', '--host', daemon.host, '--fail-on', 'high', '--format', 'json'])).code, 1);
  });

  test('--facts-out saves the snapshot with proxy credentials masked', async () => {
    const file = path.join(daemon.dir, 'facts.json');
    const config = path.join(daemon.dir, 'with-secret.json');
    await fs.writeFile(config, '{"labels": ["proxy=http://bob:hunter2@proxy.corp:3128"]}');
    const r = await dockhand(['audit', '--host', daemon.host, '--config-file', config, '--format', 'json', '--facts-out', file]);
    assert.equal(r.code, 0, r.stderr);
    const text = await fs.readFile(file, 'utf8');
    assert.doesNotMatch(text, /hunter2/);
    assert.match(text, /http:\/\/\*\*\*\*@proxy\.corp/);
    assert.doesNotMatch(r.stdout, /hunter2/);
    const facts = JSON.parse(text);
    assert.equal(facts.schemaVersion, 1);
    assert.equal(facts.endpoint.value.host, daemon.host);
    assert.ok(facts.containers.ok);
  });
});

describe('options that checks are told', () => {
  test('--internal-domain, --trusted-user, --server and --option reach the checks', async () => {
    const { checkOptions } = await import('./program');
    assert.deepEqual(
      checkOptions({ internalDomain: ['corp.example', '.svc'], trustedUser: ['alice'], server: true, option: { diskWarnPercent: 20 } }),
      {
        diskWarnPercent: 20,
        internalDomains: ['corp.example', '.svc'],
        trustedDockerUsers: ['alice'],
        server: true,
      },
    );
    const r = await dockhand([
      'audit',
      '--host',
      'unix:///nonexistent.sock',
      '--format',
      'json',
      '--internal-domain',
      'corp.example,intra.example',
      '--option',
      'diskWarnPercent=20',
    ]);
    assert.equal(r.code, 4, r.stderr);
    assert.equal((await dockhand(['audit', '--option', 'novalue'])).code, 2);
  });
});

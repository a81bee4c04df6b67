import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { type AuditProgress, type EventMessage } from '../../shared/api';
import { ReportSchema } from '../../shared/report';
import { type AuditOptions, runAudit } from '../audit';
import { COLLECTOR_NAMES } from '../collect/collect';
import { LocalHost } from '../host/local-host';
import { createApi } from './index';

const dirs: string[] = [];
const tempDir = async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'dkh-api-'));
  dirs.push(dir);
  return dir;
};
after(() => Promise.all(dirs.map((d) => fs.rm(d, { recursive: true, force: true }))));

const NO_DAEMON = 'unix:///nonexistent/dockhand-test.sock';

test('audit.run: real audit, progress per collector, joined when already running, kept as the last report across restarts', async () => {
  const configDir = await tempDir();
  const api = createApi({ transport: 'serve', host: new LocalHost(), configDir });
  const events: EventMessage[] = [];
  api.events.subscribe((m) => events.push(m));
  assert.deepEqual(await api.dispatch('settings.set', { endpoint: { host: NO_DAEMON, context: null }, timeoutMs: 2000 }), {
    ok: true,
    result: { ...(await api.handlers['settings.get']({})), endpoint: { host: NO_DAEMON, context: null }, timeoutMs: 2000 },
  });
  assert.deepEqual(await api.dispatch('report.last', {}), { ok: true, result: null });
  assert.deepEqual(await api.dispatch('report.head', {}), { ok: true, result: null });
  assert.deepEqual(await api.dispatch('report.findings', { offset: 0, limit: 10 }), { ok: true, result: null });

  const [a, b] = await Promise.all([api.dispatch('audit.run', {}), api.dispatch('audit.run', {})]);
  assert.ok(a.ok && b.ok, JSON.stringify(a.ok ? b : a));
  assert.equal(a.result.generatedAt, b.result.generatedAt, 'the second call joined the first');
  const report = ReportSchema.parse(a.result);
  assert.equal(report.endpoint?.host, NO_DAEMON, 'the saved endpoint was used');
  assert.match(report.engineError ?? '', /nonexistent|ENOENT|no such/i);

  const progress = events.filter((e) => e.event === 'audit.progress').map((e) => e.payload as AuditProgress);
  assert.equal(progress[0]!.phase, 'started');
  assert.equal(progress.filter((p) => p.phase === 'started').length, 1, 'one audit ran');
  const collectors = progress.filter((p) => p.phase === 'collector');
  assert.equal(collectors.length, COLLECTOR_NAMES.length);
  assert.deepEqual(
    collectors.map((p) => p.phase === 'collector' && p.done),
    COLLECTOR_NAMES.map((_, i) => i + 1),
  );
  assert.deepEqual(
    progress.slice(-2).map((p) => p.phase),
    ['evaluating', 'finished'],
  );
  assert.ok(events.some((e) => e.event === 'settings.changed'));

  const disk = await api.dispatch('disk.summary', {});
  assert.ok(disk.ok && disk.result);
  assert.match(disk.result.error ?? '', /disk usage could not be read/);

  const reopened = createApi({ transport: 'serve', host: new LocalHost(), configDir });
  const last = await reopened.dispatch('report.last', {});
  assert.ok(last.ok);
  assert.equal(last.result?.generatedAt, report.generatedAt);

  // The same report in parts: the head without findings, then the findings a page at a time, in order.
  const head = await reopened.dispatch('report.head', {});
  assert.ok(head.ok && head.result);
  const { findings, ...rest } = report;
  assert.deepEqual(head.result, { ...rest, findingCount: findings.length });
  const pages = [];
  for (let offset = 0; offset < findings.length; offset += 7) {
    const page = await reopened.dispatch('report.findings', { offset, limit: 7 });
    assert.ok(page.ok && page.result);
    assert.equal(page.result.generatedAt, report.generatedAt);
    assert.equal(page.result.total, findings.length);
    pages.push(...page.result.findings);
  }
  assert.deepEqual(pages, findings);
  const past = await reopened.dispatch('report.findings', { offset: findings.length, limit: 7 });
  assert.ok(past.ok && past.result?.findings.length === 0, 'past the end: an empty page, not an error');
  const huge = await reopened.dispatch('report.findings', { offset: 0, limit: 1_000_000 });
  assert.ok(!huge.ok && huge.error.code === 'invalid-input', 'a page has a size limit');
});

test('dispatch: unknown channels and invalid inputs are refused with a readable reason, before any handler runs', async () => {
  const api = createApi({ transport: 'serve', host: new LocalHost(), configDir: await tempDir() });
  assert.deepEqual(await api.dispatch('fs.readFile', {}), {
    ok: false,
    error: { code: 'unknown-channel', message: 'No such channel: fs.readFile' },
  });
  assert.deepEqual(await api.dispatch('__proto__', {}), {
    ok: false,
    error: { code: 'unknown-channel', message: 'No such channel: __proto__' },
  });
  const extra = await api.dispatch('audit.run', { host: 'tcp://evil:2375' });
  assert.equal(!extra.ok && extra.error.code, 'invalid-input');
  const badHost = await api.dispatch('settings.set', { endpoint: { host: 'http://x', context: null } });
  assert.ok(!badHost.ok);
  assert.equal(badHost.error.code, 'invalid-input');
  assert.match(badHost.error.message, /^settings.set: endpoint.host: a Docker endpoint/);
  const unknownKey = await api.dispatch('settings.set', { thme: 'dark' });
  assert.ok(!unknownKey.ok && /thme/.test(unknownKey.error.message), 'a typo is refused, not ignored');
  const bad = await api.dispatch('settings.set', { theme: 'dark', timeoutMs: 5 });
  assert.ok(!bad.ok && bad.error.code === 'invalid-input');
  assert.equal((await api.handlers['settings.get']({})).theme, 'system', 'nothing was saved');
});

test('an audit that breaks gives a failed event and an error envelope; a handler outside the contract is a contract error', async () => {
  const broken = createApi({
    transport: 'serve',
    host: new LocalHost(),
    configDir: await tempDir(),
    audit: () => Promise.reject(new Error('collector table is empty')),
  });
  const events: EventMessage[] = [];
  broken.events.subscribe((m) => events.push(m));
  const out = await broken.dispatch('audit.run', {});
  assert.deepEqual(out, { ok: false, error: { code: 'failed', message: 'The audit could not run: collector table is empty' } });
  assert.deepEqual(events.at(-1)?.payload, {
    phase: 'failed',
    runId: (events.at(-1)?.payload as { runId: string }).runId,
    error: out.ok ? null : out.error,
  });

  const lying = createApi({
    transport: 'serve',
    host: new LocalHost(),
    configDir: await tempDir(),
    audit: async (options) => {
      const result = await runAudit({ ...options, endpoint: { host: NO_DAEMON }, timeoutMs: 1000 });
      return { ...result, report: { ...result.report, summary: { ...result.report.summary, score: 250 } } };
    },
  });
  const wrong = await lying.dispatch('audit.run', {});
  assert.ok(!wrong.ok);
  assert.equal(wrong.error.code, 'invalid-output');
  assert.match(wrong.error.message, /summary.score/);
});

test('the saved settings reach the audit: endpoint, time limit, internal domains, trusted users, server', async () => {
  let seen: AuditOptions | undefined;
  const api = createApi({
    transport: 'electron',
    host: new LocalHost(),
    configDir: await tempDir(),
    audit: (options) => {
      seen = options;
      return runAudit({ ...options, timeoutMs: 1000 });
    },
  });
  await api.dispatch('settings.set', {
    endpoint: { host: NO_DAEMON, context: null },
    internalDomains: ['corp.example'],
    trustedUsers: ['alice'],
    server: true,
    timeoutMs: 3000,
  });
  assert.ok((await api.dispatch('audit.run', {})).ok);
  assert.deepEqual(seen?.endpoint, { host: NO_DAEMON, context: undefined, origin: 'set in Settings' });
  assert.equal(seen?.timeoutMs, 3000);
  assert.deepEqual(seen?.context?.options, { internalDomains: ['corp.example'], trustedDockerUsers: ['alice'], server: true });

  const pinned = createApi({
    transport: 'serve',
    host: new LocalHost(),
    configDir: await tempDir(),
    endpointOverride: { host: null, context: 'ci' },
    audit: async (options) => {
      seen = options;
      return runAudit({ ...options, endpoint: { host: NO_DAEMON }, timeoutMs: 1000 });
    },
  });
  await pinned.dispatch('audit.run', {});
  assert.deepEqual(
    seen?.endpoint,
    { host: undefined, context: 'ci', origin: 'chosen when this Dockhand session was started' },
    'dockhand serve -c wins over the settings',
  );
});

test('app.info names the transport, the config paths and a command-line endpoint', async () => {
  const configDir = await tempDir();
  const api = createApi({ transport: 'serve', host: new LocalHost(), configDir, endpointOverride: { host: NO_DAEMON, context: null } });
  const info = await api.dispatch('app.info', {});
  assert.ok(info.ok);
  assert.equal(info.result.transport, 'serve');
  assert.equal(info.result.paths.settingsFile, path.join(configDir, 'settings.json'));
  assert.deepEqual(info.result.endpointOverride, { host: NO_DAEMON, context: null });
  assert.equal(info.result.auditRunning, false);
});

test('fix and disk channels: inputs validated, an empty journal, a daemon that is down as a failed envelope that says what could not be done', async () => {
  const state = await tempDir();
  const api = createApi({
    transport: 'serve',
    host: new LocalHost(),
    configDir: await tempDir(),
    fixStateDir: state,
    endpointOverride: { host: NO_DAEMON, context: null },
  });
  assert.deepEqual(await api.dispatch('fix.history', {}), { ok: true, result: { records: [], damaged: [] } });
  const disk = await api.dispatch('disk.usage', {});
  assert.ok(!disk.ok);
  assert.equal(disk.error.code, 'failed');
  assert.match(disk.error.message, /^Cannot measure disk usage: the Docker daemon could not be used \(.*nonexistent/);
  const week = await api.dispatch('prune.plan', {
    options: { until: 'a week', containers: true, images: 'unused', volumes: 'none', buildCache: true, networks: true },
  });
  assert.ok(
    !week.ok && week.error.code === 'invalid-input' && /options\.until: a duration such as 168h/.test(week.error.message),
    JSON.stringify(week),
  );
  const forged = await api.dispatch('fix.apply', { plan: { fixId: 'rm -rf /' } });
  assert.ok(
    !forged.ok && forged.error.code === 'invalid-input',
    'a plan from the caller never reaches the fix engine: only an id of one the API made',
  );
  const unknown = await api.dispatch('fix.apply', { planId: randomUUID() });
  assert.deepEqual(unknown, {
    ok: false,
    error: {
      code: 'failed',
      message:
        'Cannot apply the fix: this plan is no longer kept (Dockhand keeps the last 32 plans it made, until it restarts). Plan the fix again, then apply the new plan.',
    },
  });
  const undo = await api.dispatch('fix.undo', { force: false });
  assert.ok(!undo.ok);
  assert.match(undo.error.message, /^Cannot undo the fix: /);
});

test('one change at a time: a second fix or prune while one runs is refused with what is running', async () => {
  const { Exclusive } = await import('./exclusive');
  const slot = new Exclusive();
  let release!: () => void;
  const first = slot.run('apply a fix', () => new Promise<string>((r) => (release = () => r('done'))));
  await assert.rejects(
    slot.run('prune', async () => 'never'),
    { message: 'Cannot prune now: apply a fix is still running. Wait for it to finish, then try again.' },
  );
  release();
  assert.equal(await first, 'done');
  assert.equal(await slot.run('prune', async () => 'ran'), 'ran', 'free again once the first finished');
});

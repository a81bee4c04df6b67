// Every credential spelling in the table, fed for real: a private dockerd (Engine 26.1, which takes "proxies" in
// daemon.json and reports them through /info as written) whose daemon.json proxies and a container's environment hold
// them, Dockhand's own environment, and a second daemon.json whose registry mirrors, proxies and flags the pre-flight
// quotes; and every credential of the environment table (the second one) in that container's environment or in an
// image's ENV, which the environment checks report. Then the real CLI in every report format, the facts snapshot,
// `daemon-config check`, and every answer of the API (fix plans, the applied record, history and undo included), its
// events and what it saves on disk: no fragment of any secret may appear in any of them. Applying a masked plan by its
// id still writes the exact bytes.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { LocalHost } from '../../main/host/local-host';
import { createApi } from '../../main/api/index';
import { REPORT_FORMATS } from '../../main/report/render';
import { dockhand } from '../support/cli';
import { busyboxRootfsTar, importBusybox, type PrivateDockerd, runningDockerd } from '../support/dockerd';
import { ENV_SECRET_SPELLINGS, SECRET_SPELLINGS } from '../support/secret-spellings';

const values = SECRET_SPELLINGS.map((s) => s.value);
const byName = (name: string) => SECRET_SPELLINGS.find((s) => s.name === name)!.value;
const envEntries = (where: 'container' | 'image') => ENV_SECRET_SPELLINGS.filter((s) => s.in === where).map((s) => s.entry);
/** The image whose ENV holds the image spellings. */
const ENV_IMAGE = 'dockhand-test/env-secrets:1';

/** Each fragment as written, and as JSON, XML or HTML would escape its quotes. */
function forms(secret: string): string[] {
  return [
    ...new Set([
      secret,
      JSON.stringify(secret).slice(1, -1),
      secret.replace(/"/g, '&quot;').replace(/'/g, '&#39;'),
      secret.replace(/"/g, '&quot;').replace(/'/g, '&apos;'),
      secret.replace(/'/g, '&#x27;').replace(/"/g, '&quot;'),
    ]),
  ];
}

/** Fails naming the spelling, the output and the place, for the first fragment of any secret found in `text`. */
function assertNoSecret(where: string, text: string): void {
  for (const s of [...SECRET_SPELLINGS, ...ENV_SECRET_SPELLINGS]) {
    for (const secret of s.secrets) {
      for (const form of forms(secret)) {
        const at = text.indexOf(form);
        assert.equal(at, -1, `${where}: the secret of "${s.name}" (${form}) is shown: …${text.slice(Math.max(0, at - 80), at + 80)}…`);
      }
    }
  }
}

describe('credentials are masked in every output, for every spelling', () => {
  let daemon: PrivateDockerd;
  let tmp: string;
  let badConfig: string;
  /** Dockhand's own environment: proxy variables holding spellings too (the CLI's and the API host's). */
  const env = {
    ...process.env,
    HTTPS_PROXY: byName('a token as the user name'),
    http_proxy: byName('user:pass@host without a scheme'),
    NO_PROXY: values.join(','),
  };
  const flags = `--http-proxy=${byName('@ inside the password')} --no-proxy=${byName('several URLs in one list')}`;

  before(async () => {
    tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'dkh-mask-'));
    await fs.chmod(tmp, 0o755);
    // Engine 26.1 or later: 20.10 has no daemon.json "proxies" key.
    daemon = await runningDockerd({
      engine: '26.1',
      daemonJson: {
        proxies: {
          'http-proxy': byName('quotes inside the password'),
          'https-proxy': byName('user:pass@host without a scheme'),
          'no-proxy': values.join(','),
        },
      },
    });
    const image = await importBusybox(daemon);
    await daemon.docker([
      'create',
      '--name',
      'env-holder',
      ...values.flatMap((v, i) => ['-e', `PROXY_${i}=${v}`]),
      ...envEntries('container').flatMap((e) => ['-e', e]),
      image,
    ]);
    await daemon.docker(
      ['import', ...envEntries('image').flatMap((e) => ['--change', `ENV ${e}`]), '-', ENV_IMAGE],
      await busyboxRootfsTar(),
    );
    badConfig = path.join(tmp, 'daemon.json');
    await fs.writeFile(
      badConfig,
      JSON.stringify(
        {
          'registry-mirrors': values,
          'insecure-registries': values,
          proxies: { 'http-proxy': byName('an empty user name'), 'no-proxy': byName('percent-encoded password') },
          labels: values,
        },
        null,
        2,
      ),
    );
  });
  after(async () => {
    await daemon?.stop();
    await fs.rm(tmp, { recursive: true, force: true });
  });

  test('the inputs really hold the secrets (the daemon reports its proxies as written)', async () => {
    const info = await daemon.docker(['info', '--format', '{{.HTTPProxy}} {{.NoProxy}}']);
    assert.ok(info.includes('Quo0003b') && info.includes('Both0010'), info);
    assert.ok((await daemon.docker(['inspect', 'env-holder'])).includes('ListB0006'));
    const envOf = async (args: string[]) => (JSON.parse(await daemon.docker(args)) as { Config: { Env: string[] } }[])[0]!.Config.Env;
    const env = [...(await envOf(['inspect', 'env-holder'])), ...(await envOf(['image', 'inspect', ENV_IMAGE]))];
    for (const s of ENV_SECRET_SPELLINGS) assert.ok(env.includes(s.entry), `${s.name} is set as written`);
  });

  for (const format of REPORT_FORMATS) {
    test(`audit --format ${format} and --facts-out, of the running daemon and of a daemon.json with flags the pre-flight quotes`, async () => {
      const factsOut = path.join(tmp, `facts-${format}.json`);
      const running = await dockhand(['audit', '--host', daemon.host, '--format', format, '--facts-out', factsOut], { env });
      assert.ok(running.code === 0 || running.code === 4, `${running.code}: ${running.stderr}`);
      assert.ok(running.stdout.length > 1000, 'a report was written');
      assertNoSecret(`audit --format ${format}`, running.stdout + running.stderr);
      const facts = await fs.readFile(factsOut, 'utf8');
      assert.ok(facts.includes('proxy.example.com'), 'the snapshot holds the proxies, masked');
      assertNoSecret('--facts-out', facts);
      for (const s of ENV_SECRET_SPELLINGS)
        assert.ok(facts.includes(`"masked": ${JSON.stringify(s.masked)}`), `the snapshot holds ${s.name}, masked`);
      // Markdown shows a finding's message and file locations; every other format its evidence too.
      assert.ok(
        running.stdout.includes(format === 'markdown' ? 'container.env-secrets' : 'AWS_ACCESS_KEY_ID=AKIA****'),
        'the environment findings are in the report, masked',
      );
      if (format === 'json') {
        const byId = new Map(
          (JSON.parse(running.stdout) as { findings: { id: string; result: { status: string } }[] }).findings.map((f) => [
            f.id,
            f.result.status,
          ]),
        );
        assert.equal(byId.get('container.env-secrets:env-holder'), 'fail', 'the container environment is reported');
        assert.equal(byId.get(`image.env-secrets:${ENV_IMAGE}`), 'fail', 'the image ENV is reported');
      }

      const configured = await dockhand(
        ['audit', '--host', daemon.host, '--config-file', badConfig, '--flags', flags, '--format', format],
        { env },
      );
      assert.ok(configured.code === 0 || configured.code === 4, `${configured.code}: ${configured.stderr}`);
      if (format === 'json')
        assert.match(configured.stdout, /invalid mirror|registry-mirrors|both by the flag/, 'the pre-flight quoted the values');
      assertNoSecret(`audit --config-file --flags --format ${format}`, configured.stdout + configured.stderr);
    });
  }

  test('daemon-config check quotes the values in its messages, masked (text and JSON)', async () => {
    for (const format of ['text', 'json']) {
      const result = await dockhand(
        ['daemon-config', 'check', badConfig, '--flags', flags, '--engine-version', '26.1', '--format', format],
        { env },
      );
      assert.equal(result.code, 3, result.stderr);
      assert.match(result.stdout, /\*\*\*\*@/, 'a masked value is quoted');
      assertNoSecret(`daemon-config check --format ${format}`, result.stdout + result.stderr);
    }
  });

  test('fix plan shows the daemon.json diff with its context lines masked (the plan file keeps the exact bytes)', async () => {
    const result = await dockhand(['fix', 'plan', 'daemon.live-restore', '--host', daemon.host], { env });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /"http-proxy": "http:\/\/\*\*\*\*@proxy\.example\.com:3128"/, result.stdout);
    assertNoSecret('fix plan', result.stdout + result.stderr);
  });

  /** Every answer and event of `api`, and every file it saved under `configDir`: no fragment of any secret. */
  async function assertApiShowsNoSecret(answers: unknown[], events: unknown[], configDir: string): Promise<void> {
    const text = JSON.stringify(answers);
    assert.ok(text.includes('proxy.example.com'), 'the answers hold the proxies, masked');
    assertNoSecret('API answers', text);
    assertNoSecret('API events', JSON.stringify(events));
    for (const name of await fs.readdir(configDir, { recursive: true })) {
      const file = path.join(configDir, String(name));
      if ((await fs.stat(file)).isFile()) assertNoSecret(`saved ${name}`, await fs.readFile(file, 'utf8'));
    }
  }

  /** An API over the daemon, its answers and events so far; internal domains make proxy.no-proxy fail with a proxy fix. */
  async function openApi(name: string) {
    const configDir = path.join(tmp, name);
    await fs.mkdir(configDir);
    const api = createApi({ transport: 'serve', host: new LocalHost(env), configDir, fixStateDir: path.join(tmp, `${name}-journal`) });
    const events: unknown[] = [];
    api.events.subscribe((m) => events.push(m));
    const answers: unknown[] = [
      await api.dispatch('settings.set', { endpoint: { host: daemon.host, context: null }, internalDomains: ['corp.example'] }),
    ];
    return { api, configDir, events, answers };
  }

  /** proxy.no-proxy's finding for the daemon, whose fix writes daemon.json "proxies". */
  async function daemonProxyFinding(api: ReturnType<typeof createApi>): Promise<{ checkId: string; target?: string }> {
    const run = await api.dispatch('audit.run', {});
    assert.ok(run.ok, JSON.stringify(run));
    const finding = run.result.findings.find((f) => f.checkId === 'proxy.no-proxy' && f.result.fix?.id === 'daemon.proxy');
    assert.ok(finding, 'proxy.no-proxy fails for the daemon');
    return { checkId: finding.checkId, ...(finding.result.target !== null && { target: finding.result.target }) };
  }

  /** Proxy URLs in spellings the proxy grammar accepts, for the daemon.proxy fix's parameters. */
  const proxySet = { http: byName('percent-encoded password'), https: byName('a token as the user name'), no: 'localhost,corp.example' };

  test('every API answer (fix plans included), its events and the last audit it saves', async () => {
    const { api, configDir, events, answers } = await openApi('api');
    const run = await api.dispatch('audit.run', {});
    assert.ok(run.ok, JSON.stringify(run));
    answers.push(run);
    for (const [channel, input] of [
      ['report.last', {}],
      ['report.head', {}],
      ['report.findings', { offset: 0, limit: 1000 }],
      ['disk.summary', {}],
      ['app.info', {}],
      ['settings.get', {}],
      ['fix.history', {}],
    ] as const) {
      answers.push(await api.dispatch(channel, input));
    }
    // A plan's diff shows daemon.json's proxies as context; the proxy fix's operation value, title and parameters hold them.
    const liveRestore = await api.dispatch('fix.plan', { checkId: 'daemon.live-restore' });
    assert.ok(liveRestore.ok, JSON.stringify(liveRestore));
    assert.match(liveRestore.result.files[0]!.diff, /"http-proxy": "http:\/\/\*\*\*\*@proxy\.example\.com:3128"/);
    const proxy = await api.dispatch('fix.plan', { ...(await daemonProxyFinding(api)), set: proxySet });
    assert.ok(proxy.ok, JSON.stringify(proxy));
    assert.deepEqual(proxy.result.operations[0], {
      op: 'daemon-json.set',
      file: daemon.configPath,
      path: ['proxies'],
      value: {
        'http-proxy': 'http://****@proxy.example.com:3128',
        'https-proxy': 'https://****@github.example.com',
        'no-proxy': 'localhost,corp.example',
      },
    });
    answers.push(liveRestore, proxy);
    await assertApiShowsNoSecret(answers, events, configDir);
  });

  test('fix.apply by plan id writes the exact bytes the masked plan hid; the record, history, undo and steps are masked', async () => {
    const original = await fs.readFile(daemon.configPath, 'utf8');
    const controller = process.env.DOCKHAND_DAEMON_CONTROLLER;
    process.env.DOCKHAND_DAEMON_CONTROLLER = `process:${await daemon.controllerRecord()}`;
    try {
      const { api, configDir, events, answers } = await openApi('api-apply');
      const planned = await api.dispatch('fix.plan', { ...(await daemonProxyFinding(api)), set: proxySet });
      assert.ok(planned.ok, JSON.stringify(planned));
      assert.doesNotMatch(JSON.stringify(planned.result), /Enc0005|ghp_/, 'the plan shown is masked');

      const applied = await api.dispatch('fix.apply', { planId: planned.result.id });
      assert.ok(applied.ok, JSON.stringify(applied));
      assert.equal(applied.result.outcome, 'applied', applied.result.message);
      const written = await fs.readFile(daemon.configPath, 'utf8');
      assert.deepEqual(
        JSON.parse(written),
        { ...JSON.parse(original), proxies: { 'http-proxy': proxySet.http, 'https-proxy': proxySet.https, 'no-proxy': proxySet.no } },
        'the exact values, not ****',
      );
      assert.ok(written.includes(`"http-proxy": "${proxySet.http}"`) && written.includes(`"https-proxy": "${proxySet.https}"`), written);
      // The daemon hides the user information itself: the host is the written proxy's (it was proxy.example.com).
      assert.equal(
        (await daemon.docker(['info', '--format', '{{.HTTPSProxy}}'])).trim(),
        'https://xxxxx:xxxxx@github.example.com',
        'the restarted daemon runs with the written proxy',
      );

      const history = await api.dispatch('fix.history', {});
      assert.ok(history.ok && history.result.records.length === 1, JSON.stringify(history));
      // A hand edit since the fix: the undo answers with the conflict's diffs, which show daemon.json's proxies.
      await fs.writeFile(daemon.configPath, `${written.trimEnd()}\n`.replace('"no-proxy"', '"no-proxy"  '));
      const conflicted = await api.dispatch('fix.undo', { id: history.result.records[0]!.id, force: false });
      assert.ok(conflicted.ok && !conflicted.result.undone && conflicted.result.conflicts.length === 1, JSON.stringify(conflicted));
      const undone = await api.dispatch('fix.undo', { id: history.result.records[0]!.id, force: true });
      assert.ok(undone.ok && undone.result.undone, JSON.stringify(undone));
      assert.equal(await fs.readFile(daemon.configPath, 'utf8'), original, 'undo restores the original bytes');
      answers.push(planned, applied, history, conflicted, undone, await api.dispatch('fix.history', {}));
      assert.ok(
        events.some((e) => (e as { event: string }).event === 'fix.progress'),
        'the steps were sent',
      );
      await assertApiShowsNoSecret(answers, events, configDir);
    } finally {
      if (controller === undefined) delete process.env.DOCKHAND_DAEMON_CONTROLLER;
      else process.env.DOCKHAND_DAEMON_CONTROLLER = controller;
    }
  });
});

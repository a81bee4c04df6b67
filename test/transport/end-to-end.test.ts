// The built CLI over each endpoint kind a user has, against one real daemon: the audit, `disk`, `prune plan` and
// `prune apply` over TCP with mutual TLS (DOCKER_TLS_VERIFY, DOCKER_CERT_PATH) and over ssh:// (the system's ssh and
// `docker system dial-stdio`) find and remove exactly what they do over the unix socket.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before } from 'node:test';
import { PrunePlanSchema, PruneResultSchema } from '../../shared/prune';
import type { Report } from '../../shared/report';
import { dockhand } from '../support/cli';
import { DEFAULT_ENGINE, forEachEngine, importBusybox } from '../support/dockerd';
import { type EngineEndpoints, startEndpoints } from './endpoints';

const KINDS = ['unix', 'tls', 'ssh'] as const;
type Kind = (typeof KINDS)[number];

forEachEngine(
  'audit, disk and prune end to end over unix, TLS and ssh',
  (engine, test) => {
    let e: EngineEndpoints;
    let stateDir: string;
    const hostOf = (kind: Kind) => (kind === 'unix' ? e.unix.host : kind === 'tls' ? e.tcpHost : e.ssh.host);
    // The TLS variables only where a user sets them: the docker CLI would apply them to any endpoint.
    const envOf = (kind: Kind) =>
      kind === 'tls' ? e.cliEnv({ DOCKHAND_STATE_DIR: stateDir }) : e.sshd.clientEnv({ ...process.env, DOCKHAND_STATE_DIR: stateDir });
    const run = (kind: Kind, args: string[]) => dockhand([...args, '--host', hostOf(kind)], { env: envOf(kind) });

    /** What a prune finds: a stopped container, an unused tagged image, an unused named volume. */
    async function litter(): Promise<void> {
      const d = e.daemon;
      await importBusybox(d, 'unused:1');
      await d.docker(['run', '--network', 'none', '--name', 'stopped', 'base:1', 'true']);
      await d.docker(['volume', 'create', 'leftover']);
    }

    before(async () => {
      e = await startEndpoints(engine);
      stateDir = await fs.mkdtemp(path.join(os.tmpdir(), 'dkh-state-'));
      await importBusybox(e.daemon, 'base:1');
      // Something for the audit to judge per container: one privileged, one that keeps base:1 in use.
      // Protected from the prune (a created container is a stopped one to `docker container prune`): it keeps base:1 in use.
      await e.daemon.docker([
        'create',
        '--network',
        'none',
        '--name',
        'priv',
        '--privileged',
        '--label',
        'dockhand.protect=true',
        'base:1',
      ]);
    });
    after(async () => {
      await e?.stop();
      if (stateDir) await fs.rm(stateDir, { recursive: true, force: true });
    });

    test('the audit finds the same about the Engine and its containers over every endpoint', async () => {
      const reports = new Map<Kind, Report>();
      const perObject = new Map<Kind, Record<string, string>>();
      for (const kind of KINDS) {
        const out = await run(kind, ['audit', '--format', 'json', '--timeout', '60000']);
        const report = JSON.parse(out.stdout) as Report;
        const errors = report.findings.filter((f) => f.result.status === 'error').map((f) => `${f.id}: ${f.result.message}`);
        assert.ok(out.code === 0 || out.code === 1, `audit over ${kind} exited ${out.code}: ${out.stderr} ${errors.join('; ')}`);
        reports.set(kind, report);
        perObject.set(
          kind,
          Object.fromEntries(report.findings.filter((f) => f.result.target !== null).map((f) => [f.id, f.result.status])),
        );
      }
      const all = perObject.get('unix')!;
      assert.ok(
        Object.keys(all).some((id) => id.includes('priv')),
        `the privileged container is judged: ${Object.keys(all).join(', ')}`,
      );
      // The endpoint's own socket file is judged only when the endpoint is that socket: over TCP or ssh it is not the
      // endpoint, so its mode, owner and world-access findings are the one expected difference over TLS.
      const socketFindings = Object.keys(all).filter((id) => id.endsWith(`:${e.daemon.socket}`));
      assert.deepEqual(socketFindings.map((id) => id.split(':')[0]).sort(), [
        'access.socket-world',
        'files.docker-sock.mode',
        'files.docker-sock.owner',
      ]);
      const unix = Object.fromEntries(Object.entries(all).filter(([id]) => !socketFindings.includes(id)));
      // Over TLS to 127.0.0.1 the local dockerd is proven by its port: its daemon.json and TLS files are judged too.
      assert.deepEqual(perObject.get('tls'), unix, 'over TLS');
      assert.ok(
        Object.keys(unix).some((id) => id.startsWith('files.tls-key.')),
        `the daemon's TLS key is judged over unix and TLS: ${Object.keys(unix).join(', ')}`,
      );

      // The Engine and its containers, images and disk usage (what the API says) are the same over ssh; the daemon's
      // host files are not: ssh lands on another machine as far as Dockhand can know, even at 127.0.0.1.
      const engine = Object.fromEntries(Object.entries(unix).filter(([id]) => !id.startsWith('files.')));
      assert.ok(
        Object.keys(engine).some((id) => id.startsWith('disk.reclaimable:')) && Object.keys(engine).some((id) => id.startsWith('image.')),
      );
      assert.deepEqual(perObject.get('ssh'), engine, 'over ssh: the same Engine findings and no host-file finding');
      const elsewhere = `the daemon runs on another machine reached over ssh (${e.ssh.host}): its files are not readable from here; run dockhand on that host`;
      const hostSide = reports.get('ssh')!.findings.filter((f) => f.checkId.startsWith('files.') || f.checkId === 'daemon.config.valid');
      assert.ok(hostSide.some((f) => f.checkId === 'files.daemon-json.mode') && hostSide.some((f) => f.checkId === 'files.tls-key.mode'));
      for (const f of hostSide) {
        assert.equal(f.result.status, 'skipped', `${f.id} over ssh: ${f.result.message}`);
        assert.ok(f.result.reason?.endsWith(elsewhere), `${f.id} over ssh: ${f.result.reason}`);
      }
    });

    test('disk reports the same usage over every endpoint', async () => {
      const reports = new Map<Kind, unknown>();
      for (const kind of KINDS) {
        const out = await run(kind, ['disk', '--format', 'json', '--timeout', '60000']);
        assert.equal(out.code, 0, `disk over ${kind}: ${out.stderr}`);
        const report = JSON.parse(out.stdout) as { byType?: unknown; total?: unknown };
        reports.set(kind, { byType: report.byType, total: report.total });
      }
      assert.deepEqual(reports.get('tls'), reports.get('unix'));
      assert.deepEqual(reports.get('ssh'), reports.get('unix'));
    });

    test('prune plan and apply remove the same objects over every endpoint', async () => {
      const removed = new Map<Kind, string[]>();
      for (const kind of KINDS) {
        await litter();
        const file = path.join(stateDir, `plan-${kind}.json`);
        const made = await run(kind, [
          'prune',
          'plan',
          '--containers',
          '--images',
          'unused',
          '--volumes',
          'all',
          '-o',
          file,
          '--timeout',
          '60000',
        ]);
        assert.equal(made.code, 0, `plan over ${kind}: ${made.stderr}`);
        const plan = PrunePlanSchema.parse(JSON.parse(await fs.readFile(file, 'utf8')));
        assert.equal(plan.engine.endpoint, hostOf(kind));
        const applied = await run(kind, ['prune', 'apply', '--plan', file, '--format', 'json', '--timeout', '60000']);
        assert.equal(applied.code, 0, `apply over ${kind}: ${applied.stderr}`);
        const result = PruneResultSchema.parse(JSON.parse(applied.stdout));
        removed.set(
          kind,
          result.outcomes
            .filter((o) => o.status === 'removed')
            .map((o) => `${o.type} ${o.name}`)
            .sort(),
        );
        // Gone from the daemon itself, not only reported so.
        await assert.rejects(e.daemon.docker(['container', 'inspect', 'stopped']));
        await assert.rejects(e.daemon.docker(['volume', 'inspect', 'leftover']));
        assert.ok(await e.daemon.docker(['image', 'inspect', 'base:1']), 'the image the privileged container uses stays');
      }
      assert.deepEqual(removed.get('unix'), ['container stopped', 'image unused:1', 'volume leftover']);
      assert.deepEqual(removed.get('tls'), removed.get('unix'));
      assert.deepEqual(removed.get('ssh'), removed.get('unix'));
    });
  },
  [DEFAULT_ENGINE],
);

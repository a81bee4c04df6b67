// Compares Dockhand's verdicts with docker-bench-security's on the same host, for every CIS id both check.
//
//   DOCKER_BENCH_DIR=/path/to/docker-bench-security node --import tsx scripts/docker-bench-parity.ts
//
// Not a test: docker-bench is a shell script from GitHub that CI machines cannot download. The results are recorded
// in docs/docker-bench-parity.md. The script starts a private dockerd with a deliberately weak configuration and a set
// of risky containers, runs docker-bench (its -c list) and `dockhand audit` against it, and prints one row per CIS id.
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Report } from '../shared/report';
import { runAudit } from '../main/audit';
import { LocalHost } from '../main/host/local-host';
import { importBusybox, runningDockerd } from '../test/support/dockerd';

const benchDir = process.env.DOCKER_BENCH_DIR;
if (!benchDir) throw new Error('set DOCKER_BENCH_DIR to a docker-bench-security checkout');

interface BenchResult {
  id: string;
  desc: string;
  result: string;
  details?: string;
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv, cwd?: string): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (out += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out }));
  });
}

/** Dockhand's verdict for a CIS id in docker-bench's words: WARN when any result of a check with that id fails or warns. */
function dockhandVerdict(report: Report, cisId: string): { verdict: string; checks: string[] } | null {
  const ids = new Set(report.checks.filter((c) => c.cis === cisId).map((c) => c.id));
  const findings = report.findings.filter((f) => ids.has(f.checkId));
  if (findings.length === 0) return null;
  const statuses = new Set(findings.map((f) => f.result.status));
  const verdict =
    statuses.has('fail') || statuses.has('warn') ? 'WARN' : statuses.has('pass') ? 'PASS' : statuses.has('info') ? 'INFO' : 'SKIP';
  return { verdict, checks: [...new Set(findings.map((f) => f.checkId))] };
}

const daemon = await runningDockerd({
  daemonJson: { 'insecure-registries': ['reg.local:5000'], 'log-level': 'debug', experimental: true },
  privilegedWrapper: true,
  netns: false,
});
try {
  const image = await importBusybox(daemon);
  const containers: string[][] = [
    ['--name', 'priv', '--privileged'],
    ['--name', 'hostnet', '--network', 'host'],
    ['--name', 'hostpid', '--pid', 'host'],
    ['--name', 'hostipc', '--ipc', 'host'],
    ['--name', 'hostuts', '--uts', 'host'],
    ['--name', 'sock', '-v', `${daemon.socket}:/var/run/docker.sock`],
    ['--name', 'etc', '-v', '/etc:/host-etc:ro'],
    ['--name', 'caps', '--cap-add', 'NET_ADMIN'],
    ['--name', 'ports', '-p', '0.0.0.0:18080:80'],
    [
      '--name',
      'limited',
      '--memory',
      '64m',
      '--cpu-shares',
      '512',
      '--pids-limit',
      '100',
      '--read-only',
      '--user',
      '1000',
      '--security-opt',
      'no-new-privileges',
      '--restart',
      'on-failure:3',
    ],
  ];
  for (const args of containers) await daemon.docker(['run', '-d', ...args, image]);
  const env = { ...process.env, DOCKER_HOST: daemon.host };
  const logFile = path.join(daemon.dir, 'bench.log');
  const checks = process.env.DOCKER_BENCH_CHECKS ?? 'docker_daemon_configuration,container_runtime,container_images,docker_daemon_files';
  await run('sh', ['docker-bench-security.sh', '-l', logFile, '-c', checks], env, benchDir);
  const bench = JSON.parse(await fs.readFile(`${logFile}.json`, 'utf8')) as { tests: { results: BenchResult[] }[] };
  const { report } = await runAudit({ host: new LocalHost(), endpoint: { host: daemon.host } });
  const rows: string[] = [];
  let same = 0;
  let compared = 0;
  for (const result of bench.tests.flatMap((t) => t.results)) {
    const cisId = result.id.replace(/^check_/, '').replace(/_/g, '.');
    const ours = dockhandVerdict(report, cisId);
    if (!ours) continue;
    compared++;
    const agree = ours.verdict === result.result || (ours.verdict === 'INFO' && result.result === 'NOTE');
    if (agree) same++;
    rows.push(
      `| ${cisId} | ${result.desc.replace(/\|/g, '/')} | ${result.result} | ${ours.verdict} | ${ours.checks.join(', ')} | ${agree ? 'same' : 'DIFFERENT'} |`,
    );
  }
  console.log(`docker-bench-security vs Dockhand on the same private dockerd: ${same}/${compared} CIS ids agree\n`);
  console.log('| CIS | docker-bench title | docker-bench | Dockhand | Dockhand checks | |');
  console.log('| --- | --- | --- | --- | --- | --- |');
  console.log(rows.join('\n'));
} finally {
  await daemon.stop();
}

import type { Check } from '../../shared/check';
import { outcomeOf } from '../../shared/container-exit';
import type { ContainerFact, Facts } from '../../shared/facts';
import type { Evidence } from '../../shared/finding';
import { formatBytes, formatSpan } from '../../shared/format';
import type { Source } from '../../shared/source';
import { LOG_TAIL_LINES } from '../../shared/facts/vocabulary';
import { ALL_PLATFORMS, eachContainer, inspected } from './container-helpers';
import { docs } from './references';
import { fail, info, warn } from '../check-kit/result';

/**
 * How containers actually ended: the ones that failed and stay down, and the ones the kernel killed for memory, with
 * the end of their log (facts.exitLogs, read for those containers only).
 */

const RESTART_DOCS = docs('Start containers automatically', 'https://docs.docker.com/engine/containers/start-containers-automatically/');

/** dockerd's "never" time, which StartedAt/FinishedAt hold when the event did not happen. */
const time = (iso: string): number | null => {
  const t = Date.parse(iso);
  return Number.isNaN(t) || iso.startsWith('0001-') ? null : t;
};

function policyText(c: ContainerFact): string {
  const { name, maximumRetryCount } = c.hostConfig.restartPolicy;
  return name === 'on-failure' && maximumRetryCount > 0 ? `on-failure:${maximumRetryCount}` : name;
}

/**
 * Whether Docker will start a container that is down again. `always` and `unless-stopped` never give up on their own
 * and `on-failure` only after its maximum: a container under one of them that is down anyway was stopped by hand
 * (`docker stop`), which is when Docker stops applying the policy.
 */
function restartVerdict(c: ContainerFact): { byHand: boolean; text: string } {
  const { name, maximumRetryCount } = c.hostConfig.restartPolicy;
  if (name === 'no' || name === '')
    return { byHand: false, text: 'no: it has no restart policy, so it stays down until someone starts it' };
  if (name === 'on-failure' && maximumRetryCount > 0 && c.restartCount >= maximumRetryCount) {
    return { byHand: false, text: `no: on-failure:${maximumRetryCount} gave up after ${c.restartCount} restarts` };
  }
  if (name === 'always')
    return { byHand: true, text: 'only when the daemon restarts: "always" ignores a container stopped by hand until then' };
  return { byHand: true, text: `no: it was stopped by hand, and ${policyText(c)} does not apply to a container stopped by hand` };
}

const logSource = (c: ContainerFact): Source => ({
  kind: 'api',
  call: `GET /containers/${c.id.slice(0, 12)}/logs?stdout=1&stderr=1&tail=${LOG_TAIL_LINES}`,
});

/** The end of the container's log as collected, or why there is none; `last` is its last line, for the message. */
function logOf(facts: Facts, c: ContainerFact): { evidence: Evidence[]; last: string | null } {
  const label = `last ${LOG_TAIL_LINES} log lines`;
  const fact = facts.exitLogs;
  if (!fact)
    return {
      evidence: [
        {
          label,
          value: 'not in this snapshot (it was taken before Dockhand read logs)',
          source: { kind: 'default', detail: 'older facts snapshot' },
        },
      ],
      last: null,
    };
  if (!fact.ok) return { evidence: [{ label, value: `unavailable: ${fact.error.message}`, source: logSource(c) }], last: null };
  const log = fact.value.find((l) => l.container === c.id);
  if (!log) return { evidence: [{ label, value: 'not read', source: logSource(c) }], last: null };
  const lines = log.lines.map((l) => (l.stream === 'tty' ? l.text : `${l.stream}: ${l.text}`));
  const evidence: Evidence[] = [];
  if (log.unreadable) evidence.push({ label: 'log', value: `unavailable: ${log.unreadable}`, source: logSource(c) });
  if (lines.length > 0 || !log.unreadable)
    evidence.push({ label, value: lines.length > 0 ? lines : '(empty: it printed nothing)', source: logSource(c) });
  if (log.cutLines > 0) evidence.push({ label: 'log lines cut short', value: log.cutLines, source: logSource(c) });
  if (log.streamProblem) evidence.push({ label: 'log stream', value: log.streamProblem, source: logSource(c) });
  const last =
    [...log.lines]
      .reverse()
      .find((l) => l.text.trim() !== '')
      ?.text.trim() ?? null;
  return { evidence, last: last && last.length > 160 ? `${last.slice(0, 160)}…` : last };
}

/** When it stopped, how long it had run, how often Docker restarted it, and whether Docker will start it again. */
function endEvidence(
  facts: Facts,
  c: ContainerFact,
  verdict: ReturnType<typeof restartVerdict>,
): { evidence: Evidence[]; ranFor: string | null } {
  const started = time(c.state.startedAt);
  const finished = time(c.state.finishedAt);
  // A process that exits at once can be stamped finished a few ms before the daemon stamps it started (seen on 20.10).
  const ranFor = started !== null && finished !== null ? formatSpan(Math.max(0, finished - started)) : null;
  const audited = time(facts.collectedAt);
  const evidence: Evidence[] = [
    inspected(c, 'State.FinishedAt', c.state.finishedAt),
    inspected(c, 'ran for', ranFor ?? (started === null ? 'never started' : 'unknown')),
  ];
  if (finished !== null && audited !== null && audited >= finished) evidence.push(inspected(c, 'down for', formatSpan(audited - finished)));
  evidence.push(
    inspected(c, 'RestartCount', c.restartCount),
    inspected(c, 'HostConfig.RestartPolicy', policyText(c)),
    inspected(c, 'will Docker start it again?', verdict.text),
  );
  if (c.state.error) evidence.push(inspected(c, 'State.Error', c.state.error));
  return { evidence, ranFor };
}

const lastLine = (last: string | null) => (last ? ` Its log ends with: "${last}".` : '');

export const containerExitedNonzero: Check = {
  id: 'container.exited-nonzero',
  title: 'No container failed and stays down',
  category: 'container-runtime',
  severity: 'medium',
  rationale:
    'A container that exits with a non-zero code soon after it starts ("works on my machine, exits with code 1 in production") is a service that is down: a missing setting or file, a dependency it cannot reach, an image for another platform. Unless a restart policy brings it back, it stays down and `docker ps` no longer shows it. The exit code, the end of its log and State.Error usually say why. Exit codes 130, 137 and 143 without an OOM kill are SIGINT, SIGKILL and SIGTERM, what `docker stop`, `docker kill` and Ctrl-C leave, so they are not counted as crashes (a host-wide OOM kill also ends in 137; container.oom-killed reports the ones Docker saw). A container down under an always, unless-stopped or on-failure policy that had not given up was stopped by hand: its exit code is its answer to the stop, noted only. OOM-killed containers are container.oom-killed; containers still being restarted are container.restart-loop.',
  remediation:
    'Read why it stopped: the last log lines are shown (more with `docker logs --tail 50 NAME`), and `docker inspect --format "{{.State.Error}}" NAME` for a start that failed. Fix the cause, then `docker start NAME`. To have Docker retry real crashes a few times, `docker update --restart on-failure:5 NAME`. A leftover one-off run can go: `docker rm NAME`.',
  references: [RESTART_DOCS, docs('docker container logs', 'https://docs.docker.com/reference/cli/docker/container/logs/')],
  cis: null,
  platforms: ALL_PLATFORMS,
  fixId: null,
  evaluate(facts) {
    return eachContainer(
      facts,
      (c) => {
        const outcome = outcomeOf(c);
        if (outcome.kind !== 'failed') return null;
        const verdict = restartVerdict(c);
        const { evidence: end, ranFor } = endEvidence(facts, c, verdict);
        const log = logOf(facts, c);
        const evidence = [
          inspected(c, 'State.ExitCode', c.state.exitCode),
          ...(outcome.meaning ? [inspected(c, 'exit code meaning', outcome.meaning)] : []),
          inspected(c, 'state', c.state.status),
          ...end,
          ...log.evidence,
        ];
        const how =
          c.state.status === 'created'
            ? `could not be started (exit code ${c.state.exitCode})`
            : `exited with code ${c.state.exitCode}${ranFor ? ` ${ranFor} after it started` : ''}`;
        const verdictText = verdict.text.replace(/^no: /, '');
        if (verdict.byHand)
          return info(`Container ${c.name} ${how}, but was stopped by hand: ${verdictText}.`, { target: c.name, evidence });
        return fail(`Container ${c.name} ${how} and stays down (${verdictText}).${lastLine(log.last)}`, { target: c.name, evidence });
      },
      (n) => `None of the ${n} containers failed and stays down.`,
    );
  },
};

export const containerOomKilled: Check = {
  id: 'container.oom-killed',
  title: 'No container was killed for lack of memory',
  category: 'container-runtime',
  severity: 'high',
  rationale:
    "The kernel's OOM killer ended the container's main process (State.OOMKilled): it needed more memory than its limit (--memory), or, with no limit, than the host had. It exits with code 137 and loses whatever it held in memory. Under a restart policy it comes back and is killed again as it grows; without one it stays down.",
  remediation:
    'If its working set is legitimately larger, raise the limit and start it: `docker update --memory 1g --memory-swap 1g NAME && docker start NAME`. If it grows without bound, find the leak (`docker stats NAME` while it runs). With no limit the host itself ran out of memory: give the containers that grow a limit (container.memory-limit) so the kernel kills the one at fault, not another process.',
  references: [
    docs('Resource constraints: memory', 'https://docs.docker.com/engine/containers/resource_constraints/#memory'),
    RESTART_DOCS,
  ],
  cis: null,
  platforms: ALL_PLATFORMS,
  fixId: null,
  evaluate(facts) {
    return eachContainer(
      facts,
      (c) => {
        if (!c.state.oomKilled) return null;
        const memory = c.hostConfig.memory;
        const limit =
          memory > 0 ? `its ${formatBytes(memory)} limit` : 'no limit: the host (or the cgroup Docker runs in) ran out of memory';
        const evidence: Evidence[] = [
          inspected(c, 'State.OOMKilled', true),
          inspected(
            c,
            'HostConfig.Memory',
            memory > 0 ? `${formatBytes(memory)} (${memory} bytes)` : 'no limit: the host ran out of memory',
          ),
          inspected(c, 'State.ExitCode', c.state.exitCode),
          inspected(c, 'state', c.state.status),
        ];
        if (c.state.running || c.state.restarting) {
          return warn(`Container ${c.name} was killed for lack of memory (${limit}) and restarted ${c.restartCount} times since.`, {
            target: c.name,
            evidence: [...evidence, inspected(c, 'RestartCount', c.restartCount)],
          });
        }
        const verdict = restartVerdict(c);
        const { evidence: end, ranFor } = endEvidence(facts, c, verdict);
        return fail(
          `Container ${c.name} was killed for lack of memory (${limit})${ranFor ? ` ${ranFor} after it started` : ''} and is down (will Docker start it again? ${verdict.text}).`,
          {
            target: c.name,
            evidence: [...evidence, ...end, ...logOf(facts, c).evidence],
          },
        );
      },
      (n) => `None of the ${n} containers was killed for lack of memory.`,
    );
  },
};

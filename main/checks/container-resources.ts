import type { Check } from '../../shared/check';
import type { ContainerFact } from '../../shared/facts';
import type { Evidence } from '../../shared/finding';
import { maskSecretsInText } from '../../shared/mask';
import { cis, docs } from './references';
import { fail, warn } from '../check-kit/result';
import { ALL_PLATFORMS, inspected, Level, perContainer, now, limitsEnforceable, eachContainer } from './container-helpers';

// --- resource limits ---------------------------------------------------------------------------------------------

const RESOURCE_DOCS = docs('Resource constraints', 'https://docs.docker.com/engine/containers/resource_constraints/');

export const containerMemoryLimit: Check = {
  id: 'container.memory-limit',
  title: 'Every container has a memory limit',
  category: 'container-runtime',
  severity: 'medium',
  rationale:
    "A container without --memory can take all of the host's memory: a leak or a burst of load makes the kernel's OOM killer pick victims on the host, possibly dockerd or sshd, instead of only that container.",
  remediation:
    'Re-create the container with --memory (and usually --memory-swap equal to it), or set it with `docker update --memory 512m --memory-swap 512m NAME` on a running one.',
  references: [cis('5.11'), RESOURCE_DOCS],
  cis: '5.11',
  platforms: ALL_PLATFORMS,
  fixId: null,
  applies: limitsEnforceable,
  evaluate(facts) {
    return perContainer(
      facts,
      (c) => (c.hostConfig.memory > 0 ? null : { evidence: [inspected(c, 'HostConfig.Memory', c.hostConfig.memory)] }),
      {
        running: (c) => `Container ${c.name} has no memory limit: it can exhaust the host's memory.`,
        stopped: (c) => `Container ${c.name} has no memory limit ${now(c)}.`,
        none: (n) => `All ${n} containers have a memory limit.`,
      },
    );
  },
};

export const containerCpuLimit: Check = {
  id: 'container.cpu-limit',
  title: 'Every container has a CPU limit or weight',
  category: 'container-runtime',
  severity: 'low',
  rationale:
    'A container with no CPU quota (--cpus, --cpu-quota) and no weight (--cpu-shares) competes equally with everything on the host: one busy container slows every other one and the host itself.',
  remediation:
    'Re-create the container with --cpus (a hard cap) or --cpu-shares (a relative weight), or apply it live with `docker update --cpus 1.5 NAME`.',
  references: [cis('5.12'), RESOURCE_DOCS],
  cis: '5.12',
  platforms: ALL_PLATFORMS,
  fixId: null,
  applies: limitsEnforceable,
  evaluate(facts) {
    return perContainer(
      facts,
      (c) => {
        const { cpuShares, nanoCpus, cpuQuota, cpusetCpus } = c.hostConfig;
        if (cpuShares > 0 || nanoCpus > 0 || cpuQuota > 0 || cpusetCpus !== '') return null;
        return {
          level: 'low' as Level,
          evidence: [
            inspected(c, 'HostConfig.NanoCpus', nanoCpus),
            inspected(c, 'HostConfig.CpuShares', cpuShares),
            inspected(c, 'HostConfig.CpuQuota', cpuQuota),
            inspected(c, 'HostConfig.CpusetCpus', cpusetCpus),
          ],
        };
      },
      {
        running: (c) => `Container ${c.name} has no CPU quota or weight: it competes equally with the host for every CPU.`,
        stopped: (c) => `Container ${c.name} has no CPU quota or weight ${now(c)}.`,
        none: (n) => `All ${n} containers have a CPU quota or weight.`,
      },
    );
  },
};

export const containerPidsLimit: Check = {
  id: 'container.pids-limit',
  title: 'Every container has a PIDs limit',
  category: 'container-runtime',
  severity: 'medium',
  rationale:
    "Without --pids-limit, a fork bomb or a thread leak in one container fills the host's process table: nothing on the host, including sshd, can start a process until it is killed.",
  remediation:
    'Re-create the container with --pids-limit (a few hundred suits most services), or apply it live with `docker update --pids-limit 512 NAME`.',
  references: [cis('5.29'), RESOURCE_DOCS],
  cis: '5.29',
  platforms: ALL_PLATFORMS,
  fixId: null,
  applies: limitsEnforceable,
  evaluate(facts) {
    return perContainer(
      facts,
      // null, 0 and -1 all mean unlimited (the API has used each over the years).
      (c) =>
        c.hostConfig.pidsLimit !== null && c.hostConfig.pidsLimit > 0
          ? null
          : { evidence: [inspected(c, 'HostConfig.PidsLimit', c.hostConfig.pidsLimit)] },
      {
        running: (c) => `Container ${c.name} has no PIDs limit: a fork bomb in it can exhaust the host's process table.`,
        stopped: (c) => `Container ${c.name} has no PIDs limit ${now(c)}.`,
        none: (n) => `All ${n} containers have a PIDs limit.`,
      },
    );
  },
};

// --- restart behaviour and health --------------------------------------------------------------------------------

/** CIS 5.15: give up after at most this many crashes. */
const MAX_RETRIES = 5;

type RestartVerdict = { ok: true } | { ok: false; level: Level; why: string };

function judgeRestartPolicy(name: string, retries: number): RestartVerdict {
  if (name === '' || name === 'no') return { ok: true };
  if (name === 'on-failure') {
    if (retries === 0) return { ok: false, level: 'high', why: 'on-failure without a maximum retries forever' };
    if (retries > MAX_RETRIES) return { ok: false, level: 'high', why: `on-failure retries ${retries} times (more than ${MAX_RETRIES})` };
    return { ok: true };
  }
  // always / unless-stopped: a deliberate availability choice, but one that hides a crash loop forever.
  return { ok: false, level: 'low', why: `${name} restarts the container forever, even when it crashes at start-up` };
}

export const containerRestartPolicy: Check = {
  id: 'container.restart-policy',
  title: 'Restart policies give up after a few failures',
  category: 'container-runtime',
  severity: 'low',
  rationale:
    'A container that crashes at start-up under an unbounded restart policy restarts forever: the failure is hidden behind a running-looking container while it burns CPU, fills its log and hammers whatever it connects to. on-failure:5 restarts real crashes and then stops, so the failure shows. "always" and "unless-stopped" also bring a service back after a reboot or daemon restart, a fair reason to keep them: Dockhand warns rather than fails on them (docker-bench passes them because it only compares the retry count, which is 0 for these policies) and reports actual loops as container.restart-loop.',
  remediation:
    'Use --restart on-failure:5 (`docker update --restart on-failure:5 NAME` on an existing container). Keep "unless-stopped" for services that must survive reboots, and watch container.restart-loop for them.',
  references: [
    cis('5.15'),
    docs('Start containers automatically', 'https://docs.docker.com/engine/containers/start-containers-automatically/'),
  ],
  cis: '5.15',
  platforms: ALL_PLATFORMS,
  fixId: null,
  evaluate(facts) {
    return perContainer(
      facts,
      (c) => {
        const { name, maximumRetryCount } = c.hostConfig.restartPolicy;
        const verdict = judgeRestartPolicy(name, maximumRetryCount);
        if (verdict.ok) return null;
        return {
          level: verdict.level,
          why: verdict.why,
          evidence: [
            inspected(c, 'HostConfig.RestartPolicy.Name', name),
            inspected(c, 'HostConfig.RestartPolicy.MaximumRetryCount', maximumRetryCount),
          ],
        };
      },
      {
        running: (c, hit) => `Container ${c.name}: ${hit.why}.`,
        stopped: (c, hit) => `Container ${c.name}: ${hit.why} ${now(c)}.`,
        none: (n) => `All ${n} containers either do not restart or give up after at most ${MAX_RETRIES} failures.`,
      },
    );
  },
};

/** Restarts since the container was last started by hand (dockerd resets the count then) that suggest a loop. */
const LOOP_RESTARTS = 3;

function restartEvidence(c: ContainerFact): Evidence[] {
  return [
    inspected(c, 'RestartCount', c.restartCount),
    inspected(c, 'State.Status', c.state.status),
    inspected(c, 'State.ExitCode (last exit)', c.state.exitCode),
    inspected(c, 'State.OOMKilled', c.state.oomKilled),
    inspected(c, 'State.StartedAt', c.state.startedAt),
    inspected(
      c,
      'HostConfig.RestartPolicy',
      `${c.hostConfig.restartPolicy.name}${c.hostConfig.restartPolicy.maximumRetryCount ? `:${c.hostConfig.restartPolicy.maximumRetryCount}` : ''}`,
    ),
  ];
}

const exitDetail = (c: ContainerFact) => `last exit code ${c.state.exitCode}${c.state.oomKilled ? ', killed for lack of memory' : ''}`;

export const containerRestartLoop: Check = {
  id: 'container.restart-loop',
  title: 'No container is stuck in a restart loop',
  category: 'container-runtime',
  severity: 'high',
  rationale:
    'A container that keeps crashing and being restarted is a service that is down while looking up: `docker ps` shows it "Restarting" or freshly started. Its exit code and OOM flag usually say why (a bad configuration, a missing dependency, too little memory).',
  remediation:
    'Read `docker logs NAME` and the exit code shown; fix the cause (configuration, dependency, --memory). Stop it meanwhile with `docker update --restart no NAME && docker stop NAME` if the loop does harm.',
  references: [docs('Start containers automatically', 'https://docs.docker.com/engine/containers/start-containers-automatically/')],
  cis: null,
  platforms: ALL_PLATFORMS,
  fixId: null,
  evaluate(facts) {
    return eachContainer(
      facts,
      (c) => {
        const evidence = restartEvidence(c);
        if (c.state.restarting)
          return fail(`Container ${c.name} is in a restart loop: restarted ${c.restartCount} times, ${exitDetail(c)}.`, {
            target: c.name,
            evidence,
          });
        if (c.state.running && c.restartCount >= LOOP_RESTARTS)
          return warn(`Container ${c.name} has crashed and been restarted ${c.restartCount} times since it was started.`, {
            target: c.name,
            evidence,
          });
        // One that gave up and stays down is no longer looping: container.exited-nonzero and container.oom-killed report it.
        return null;
      },
      (n) => `None of the ${n} containers is restarting repeatedly.`,
    );
  },
};

export const containerHealthcheck: Check = {
  id: 'container.healthcheck',
  title: 'Every container has a health check',
  category: 'container-runtime',
  severity: 'low',
  rationale:
    'Without a health check Docker only knows whether the process exists, not whether it works: a hung web server stays "Up", orchestration and restart policies never react, and nobody is told.',
  remediation:
    'Add a HEALTHCHECK to the image, or re-create the container with --health-cmd (e.g. --health-cmd "wget -qO- http://localhost:8080/health || exit 1").',
  references: [cis('5.27'), docs('Dockerfile reference: HEALTHCHECK', 'https://docs.docker.com/reference/dockerfile/#healthcheck')],
  cis: '5.27',
  platforms: ALL_PLATFORMS,
  fixId: null,
  evaluate(facts) {
    return perContainer(
      facts,
      (c) => (c.hasHealthcheck ? null : { level: 'low' as Level, evidence: [inspected(c, 'Config.Healthcheck', 'none (or NONE)')] }),
      {
        running: (c) => `Container ${c.name} has no health check: Docker cannot tell whether it works.`,
        stopped: (c) => `Container ${c.name} has no health check ${now(c)}.`,
        none: (n) => `All ${n} containers have a health check.`,
      },
    );
  },
};

/** Health check output can hold anything the probe printed: masked and cut short. */
function healthOutput(output: string | null): string {
  if (!output) return '(no output)';
  const text = maskSecretsInText(output.trim());
  return text.length > 500 ? `${text.slice(0, 500)}…` : text;
}

export const containerUnhealthy: Check = {
  id: 'container.unhealthy',
  title: 'No running container is unhealthy',
  category: 'container-runtime',
  severity: 'medium',
  rationale:
    'An unhealthy container failed its own health check several times in a row: the service it provides is probably down or degraded. Plain Docker does not restart unhealthy containers, so it stays that way until someone acts (docker-bench only checks that a health check exists, so it passes these).',
  remediation:
    'Look at the last health check output shown and at `docker logs NAME`; fix the service or its health check, then restart it.',
  references: [cis('5.27'), docs('Dockerfile reference: HEALTHCHECK', 'https://docs.docker.com/reference/dockerfile/#healthcheck')],
  cis: null,
  platforms: ALL_PLATFORMS,
  fixId: null,
  evaluate(facts) {
    return perContainer(
      facts,
      (c) => {
        // A stopped container's health is stale: it is reset when the container starts again.
        const health = c.state.health;
        if (!c.state.running || health?.status !== 'unhealthy') return null;
        return {
          health,
          evidence: [
            inspected(c, 'State.Health.Status', health.status),
            inspected(c, 'State.Health.FailingStreak', health.failingStreak),
            inspected(c, 'last check exit code', health.lastExitCode),
            inspected(c, 'last check output', healthOutput(health.lastOutput)),
          ],
        };
      },
      {
        running: (c, hit) => `Container ${c.name} is unhealthy: its health check failed ${hit.health.failingStreak} times in a row.`,
        stopped: (c) => `Container ${c.name} is unhealthy ${now(c)}.`,
        none: (n) => `None of the ${n} containers is unhealthy.`,
      },
    );
  },
};

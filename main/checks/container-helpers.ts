import type { Check } from '../../shared/check';
import type { ContainerFact, Facts } from '../../shared/facts';
import type { CheckResult, Evidence } from '../../shared/finding';
import type { Source } from '../../shared/source';
import { hasSecurityOption, isDesktop } from '../check-kit/applicability';
import { INFO, fail, info, need, pass, warn } from '../check-kit/result';

/**
 * Shared by the container checks (container-*.ts): one result per offending container with target = container name,
 * or one pass; evidence citing the inspect call; and what kind of daemon (rootless, userns-remap, Desktop) the
 * containers run on.
 */

export const ALL_PLATFORMS: Check['platforms'] = ['linux', 'darwin', 'win32'];
export const LIST: Source = { kind: 'api', call: 'GET /containers/json?all=1' };

export const inspectSource = (c: ContainerFact): Source => ({ kind: 'api', call: `GET /containers/${c.id.slice(0, 12)}/json` });
export const inspected = (c: ContainerFact, label: string, value: Evidence['value']): Evidence => ({
  label,
  value,
  source: inspectSource(c),
});

/**
 * How much a finding matters for one container. `high`: a running container fails, a stopped one warns (it will be
 * exposed when started). `low`: a running one warns, a stopped one is info. `note`: info either way.
 */
export type Level = 'high' | 'low' | 'note';
export interface Hit {
  evidence: Evidence[];
  level?: Level;
}

function resultFor(c: ContainerFact, level: Level, message: string, evidence: Evidence[]): CheckResult {
  const make = level === 'note' ? info : level === 'low' ? (c.state.running ? warn : info) : c.state.running ? fail : warn;
  return make(message, { target: c.name, evidence });
}

/**
 * One result per offending container (target = container name, stable across re-creation), or one pass
 * naming how many containers were looked at.
 */
export function perContainer<H extends Hit>(
  facts: Facts,
  offending: (c: ContainerFact) => H | null,
  messages: {
    running: (c: ContainerFact, hit: H) => string;
    stopped: (c: ContainerFact, hit: H) => string;
    none: (count: number) => string;
  },
  passEvidence: Evidence[] = [],
): CheckResult | CheckResult[] {
  const containers = need(facts.containers, 'the container list');
  const results: CheckResult[] = [];
  for (const c of containers) {
    const hit = offending(c);
    if (!hit) continue;
    // A running container's state is why it fails rather than warns: evidence. A stopped one's message says its state
    // already, and on a host of thousands of stopped containers the repeat was a fifth of the report.
    const evidence = c.state.running ? [...hit.evidence, inspected(c, 'state', c.state.status)] : hit.evidence;
    results.push(resultFor(c, hit.level ?? 'high', c.state.running ? messages.running(c, hit) : messages.stopped(c, hit), evidence));
  }
  if (results.length > 0) return results;
  return pass(messages.none(containers.length), {
    evidence: [{ label: 'containers inspected', value: containers.length, source: LIST }, ...passEvidence],
  });
}

/**
 * Each container's own result (null: nothing to say about it). When none fails or warns, one pass naming how many
 * containers were looked at comes first, followed by the notes (info) about single containers.
 */
export function eachContainer(
  facts: Facts,
  judge: (c: ContainerFact) => CheckResult | null,
  none: (count: number) => string,
): CheckResult[] {
  const containers = need(facts.containers, 'the container list');
  const results = containers.map(judge).filter((r): r is CheckResult => r !== null);
  if (results.some((r) => r.status === 'fail' || r.status === 'warn')) return results;
  return [
    pass(none(containers.length), { evidence: [{ label: 'containers inspected', value: containers.length, source: LIST }] }),
    ...results,
  ];
}

/** "… (it is exited now)", for containers that are not running. */
export const now = (c: ContainerFact) => `(it is ${c.state.status || 'not running'} now)`;

// --- what kind of daemon the containers run on -----------------------------------------------------------------

/**
 * Whose uid 0 a container's root is. Under a rootless daemon, every container lives in the daemon user's namespace;
 * under userns-remap, each container that did not opt out with --userns=host is remapped. Either way root in the
 * container is an unprivileged uid on the host, which changes what several checks mean.
 */
export interface UserNamespace {
  kind: 'rootless' | 'remapped' | 'host';
  evidence: Evidence[];
}

export function securityOptions(facts: Facts): string[] | null {
  return facts.info.ok ? facts.info.value.securityOptions : null;
}

export function userNamespaceOf(facts: Facts, c: ContainerFact): UserNamespace {
  const options = securityOptions(facts);
  if (!options)
    return {
      kind: 'host',
      evidence: [
        { label: 'daemon security options', value: `unavailable: assuming no user namespace`, source: facts.info.sources[0] ?? INFO },
      ],
    };
  const daemon: Evidence = { label: 'daemon security options', value: options, source: INFO };
  if (hasSecurityOption(facts, 'rootless')) {
    return {
      kind: 'rootless',
      evidence: [
        daemon,
        {
          label: 'user namespace',
          value: "rootless daemon: uid 0 in the container is the daemon's unprivileged user on the host",
          source: INFO,
        },
      ],
    };
  }
  if (hasSecurityOption(facts, 'userns') && c.hostConfig.usernsMode !== 'host') {
    return {
      kind: 'remapped',
      evidence: [
        daemon,
        {
          label: 'user namespace',
          value: 'userns-remap: uid 0 in the container is an unprivileged subordinate uid on the host',
          source: INFO,
        },
      ],
    };
  }
  return { kind: 'host', evidence: [] };
}

export const isRootlessDaemon = (facts: Facts) => hasSecurityOption(facts, 'rootless');

/** On Docker Desktop the "host" a container reaches is Desktop's Linux VM; evidence says so rather than hiding the finding. */
export function desktopNote(facts: Facts): Evidence[] {
  return isDesktop(facts)
    ? [
        {
          label: 'Docker Desktop',
          value: "the host shared here is Desktop's Linux VM, which runs every container and holds every image",
          source: INFO,
        },
      ]
    : [];
}

/** Namespaces, capabilities, seccomp and AppArmor are Linux notions: Windows containers have none of them. */
export function linuxContainersOnly(facts: Facts): string | null {
  return facts.engine.ok && facts.engine.value.os === 'windows'
    ? 'the daemon runs Windows containers, which have no Linux namespaces, capabilities or seccomp'
    : null;
}

/** A rootless daemon on cgroup v1 cannot apply any resource limit (it needs cgroup v2 with systemd delegation). */
export function limitsEnforceable(facts: Facts): string | null {
  const windows = linuxContainersOnly(facts);
  if (windows) return windows;
  if (facts.info.ok && isRootlessDaemon(facts) && facts.info.value.cgroupVersion === '1') {
    return 'a rootless daemon on cgroup v1 cannot enforce resource limits (they need cgroup v2 with systemd delegation); see the daemon.rootless check';
  }
  return null;
}

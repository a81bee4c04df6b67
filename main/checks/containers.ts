import type { Check } from '../../shared/check';
import type { ContainerFact, Facts } from '../../shared/facts';
import type { CheckResult, Evidence } from '../../shared/finding';
import type { Source } from '../../shared/source';
import { cis } from './references';
import { fail, need, pass, warn } from './result';

const inspectSource = (c: ContainerFact): Source => ({ kind: 'api', call: `GET /containers/${c.id.slice(0, 12)}/json` });

/**
 * One result per offending container (target = container name, stable across re-creation), or one pass
 * naming how many containers were looked at.
 */
function perContainer(
  facts: Facts,
  offending: (c: ContainerFact) => { evidence: Evidence[] } | null,
  messages: { running: (c: ContainerFact) => string; stopped: (c: ContainerFact) => string; none: (count: number) => string },
): CheckResult | CheckResult[] {
  const containers = need(facts.containers, 'the container list');
  const results: CheckResult[] = [];
  for (const c of containers) {
    const hit = offending(c);
    if (!hit) continue;
    const state: Evidence = { label: 'state', value: c.state.status, source: inspectSource(c) };
    const evidence = [...hit.evidence, state];
    results.push(c.state.running ? fail(messages.running(c), { target: c.name, evidence }) : warn(messages.stopped(c), { target: c.name, evidence }));
  }
  return results.length > 0 ? results : pass(messages.none(containers.length), { evidence: [{ label: 'containers inspected', value: containers.length, source: { kind: 'api', call: 'GET /containers/json?all=1' } }] });
}

export const containerPrivileged: Check = {
  id: 'container.privileged',
  title: 'No container runs privileged',
  category: 'container-runtime',
  severity: 'high',
  rationale:
    'A privileged container gets every capability, every device and no seccomp or AppArmor confinement: root in it is root on the host (it can mount the host disk or load kernel modules). Stopped ones become privileged again when started.',
  remediation: 'Re-create the container without --privileged; grant only the capabilities (--cap-add) or devices (--device) it needs.',
  references: [cis('5.5')],
  cis: '5.5',
  platforms: ['linux', 'darwin', 'win32'],
  fixId: null,
  evaluate(facts) {
    return perContainer(
      facts,
      (c) => (c.hostConfig.privileged ? { evidence: [{ label: 'HostConfig.Privileged', value: true, source: inspectSource(c) }] } : null),
      {
        running: (c) => `Container ${c.name} runs privileged: root inside it is root on the host.`,
        stopped: (c) => `Container ${c.name} is privileged and will be when started (it is ${c.state.status} now).`,
        none: (n) => `None of the ${n} containers is privileged.`,
      },
    );
  },
};

/** Sockets that hand over the Docker API, and directories that contain them. */
function exposesDockerSocket(source: string, endpointSocket: string | null): boolean {
  const p = source.replace(/\/+$/, '') || '/';
  if (/(^|\/)docker\.sock$/.test(p)) return true;
  if (endpointSocket && (p === endpointSocket || endpointSocket.startsWith(p === '/' ? '/' : `${p}/`))) return true;
  return ['/', '/run', '/var/run', '/run/docker', '/var/run/docker'].includes(p);
}

export const containerDockerSocketMount: Check = {
  id: 'container.docker-socket-mount',
  title: 'No container mounts the Docker socket',
  category: 'container-runtime',
  severity: 'critical',
  rationale:
    'Whoever can talk to the Docker socket can start a privileged container that mounts the host filesystem: a container with docker.sock mounted (or a directory holding it, like /run) owns the host. CI runners and dashboards are the usual culprits.',
  remediation:
    'Remove the bind mount. If the container really needs the API, give it a socket proxy that allows only the calls it needs, or use rootless Docker for it.',
  references: [cis('5.32')],
  cis: '5.32',
  platforms: ['linux', 'darwin', 'win32'],
  fixId: null,
  evaluate(facts) {
    const endpoint = facts.endpoint.ok && facts.endpoint.value.transport === 'unix' ? facts.endpoint.value.host.slice('unix://'.length) : null;
    return perContainer(
      facts,
      (c) => {
        const mounts = c.mounts.filter((m) => m.type === 'bind' && exposesDockerSocket(m.source, endpoint));
        if (mounts.length === 0) return null;
        return { evidence: mounts.map((m) => ({ label: `bind mount${m.rw ? '' : ' (read-only, still full API access)'}`, value: `${m.source}:${m.destination}`, source: inspectSource(c) })) };
      },
      {
        running: (c) => `Container ${c.name} has the Docker socket mounted: it can take over the host.`,
        stopped: (c) => `Container ${c.name} mounts the Docker socket and can take over the host when started (it is ${c.state.status} now).`,
        none: (n) => `None of the ${n} containers mounts the Docker socket.`,
      },
    );
  },
};

export const CONTAINER_CHECKS: readonly Check[] = [containerPrivileged, containerDockerSocketMount];

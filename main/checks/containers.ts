import type { Check } from '../../shared/check';
import type { ContainerFact, Facts } from '../../shared/facts';
import type { CheckResult, Evidence } from '../../shared/finding';
import { maskSecretsInText } from '../../shared/mask';
import type { Source } from '../../shared/source';
import { daemonView } from './daemon-view';
import { cis, docs } from './references';
import { hasSecurityOption, isDesktop } from './applicability';
import { fail, info, need, pass, warn } from './result';

/**
 * Container runtime checks (CIS Docker Benchmark section 5, plus health and restart loops): pure functions of the one
 * inspect per container the audit collected (facts.containers). Each reports one result per offending container with
 * target = container name, or one pass.
 */

const ALL_PLATFORMS: Check['platforms'] = ['linux', 'darwin', 'win32'];
const INFO: Source = { kind: 'api', call: 'GET /info' };
const LIST: Source = { kind: 'api', call: 'GET /containers/json?all=1' };

const inspectSource = (c: ContainerFact): Source => ({ kind: 'api', call: `GET /containers/${c.id.slice(0, 12)}/json` });
const inspected = (c: ContainerFact, label: string, value: Evidence['value']): Evidence => ({ label, value, source: inspectSource(c) });

/**
 * How much a finding matters for one container. `high`: a running container fails, a stopped one warns (it will be
 * exposed when started). `low`: a running one warns, a stopped one is info. `note`: info either way.
 */
type Level = 'high' | 'low' | 'note';
interface Hit {
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
function perContainer<H extends Hit>(
  facts: Facts,
  offending: (c: ContainerFact) => H | null,
  messages: { running: (c: ContainerFact, hit: H) => string; stopped: (c: ContainerFact, hit: H) => string; none: (count: number) => string },
  passEvidence: Evidence[] = [],
): CheckResult | CheckResult[] {
  const containers = need(facts.containers, 'the container list');
  const results: CheckResult[] = [];
  for (const c of containers) {
    const hit = offending(c);
    if (!hit) continue;
    const evidence = [...hit.evidence, inspected(c, 'state', c.state.status)];
    results.push(resultFor(c, hit.level ?? 'high', c.state.running ? messages.running(c, hit) : messages.stopped(c, hit), evidence));
  }
  if (results.length > 0) return results;
  return pass(messages.none(containers.length), { evidence: [{ label: 'containers inspected', value: containers.length, source: LIST }, ...passEvidence] });
}

/** "… (it is exited now)", for containers that are not running. */
const now = (c: ContainerFact) => `(it is ${c.state.status || 'not running'} now)`;

// --- what kind of daemon the containers run on -----------------------------------------------------------------

/**
 * Whose uid 0 a container's root is. Under a rootless daemon, every container lives in the daemon user's namespace;
 * under userns-remap, each container that did not opt out with --userns=host is remapped. Either way root in the
 * container is an unprivileged uid on the host, which changes what several checks mean.
 */
interface UserNamespace {
  kind: 'rootless' | 'remapped' | 'host';
  evidence: Evidence[];
}

function securityOptions(facts: Facts): string[] | null {
  return facts.info.ok ? facts.info.value.securityOptions : null;
}

function userNamespaceOf(facts: Facts, c: ContainerFact): UserNamespace {
  const options = securityOptions(facts);
  if (!options) return { kind: 'host', evidence: [{ label: 'daemon security options', value: `unavailable: assuming no user namespace`, source: facts.info.sources[0] ?? INFO }] };
  const daemon: Evidence = { label: 'daemon security options', value: options, source: INFO };
  if (hasSecurityOption(facts, 'rootless')) {
    return { kind: 'rootless', evidence: [daemon, { label: 'user namespace', value: "rootless daemon: uid 0 in the container is the daemon's unprivileged user on the host", source: INFO }] };
  }
  if (hasSecurityOption(facts, 'userns') && c.hostConfig.usernsMode !== 'host') {
    return { kind: 'remapped', evidence: [daemon, { label: 'user namespace', value: 'userns-remap: uid 0 in the container is an unprivileged subordinate uid on the host', source: INFO }] };
  }
  return { kind: 'host', evidence: [] };
}

const isRootlessDaemon = (facts: Facts) => hasSecurityOption(facts, 'rootless');

/** On Docker Desktop the "host" a container reaches is Desktop's Linux VM; evidence says so rather than hiding the finding. */
function desktopNote(facts: Facts): Evidence[] {
  return isDesktop(facts) ? [{ label: 'Docker Desktop', value: "the host shared here is Desktop's Linux VM, which runs every container and holds every image", source: INFO }] : [];
}

/** Namespaces, capabilities, seccomp and AppArmor are Linux notions: Windows containers have none of them. */
function linuxContainersOnly(facts: Facts): string | null {
  return facts.engine.ok && facts.engine.value.os === 'windows' ? 'the daemon runs Windows containers, which have no Linux namespaces, capabilities or seccomp' : null;
}

/** A rootless daemon on cgroup v1 cannot apply any resource limit (it needs cgroup v2 with systemd delegation). */
function limitsEnforceable(facts: Facts): string | null {
  const windows = linuxContainersOnly(facts);
  if (windows) return windows;
  if (facts.info.ok && isRootlessDaemon(facts) && facts.info.value.cgroupVersion === '1') {
    return 'a rootless daemon on cgroup v1 cannot enforce resource limits (they need cgroup v2 with systemd delegation); see the daemon.rootless check';
  }
  return null;
}

// --- host namespaces ---------------------------------------------------------------------------------------------

export const containerHostNetwork: Check = {
  id: 'container.host-network',
  title: "No container shares the host's network namespace",
  category: 'isolation',
  severity: 'high',
  rationale:
    "With --network host a container sees every host interface, can bind any host port and reach every service the host only exposes on localhost (a Docker API on 127.0.0.1:2375, a database, a cloud metadata proxy). With the default NET_RAW capability it can also sniff the host's traffic.",
  remediation: 'Re-create the container on a bridge or user-defined network and publish only the ports it serves (-p 127.0.0.1:8080:80 for local-only access).',
  references: [cis('5.10'), docs('Host network driver', 'https://docs.docker.com/engine/network/drivers/host/')],
  cis: '5.10',
  platforms: ALL_PLATFORMS,
  fixId: null,
  applies: linuxContainersOnly,
  evaluate(facts) {
    const rootless = isRootlessDaemon(facts);
    return perContainer(
      facts,
      (c) => {
        if (c.hostConfig.networkMode !== 'host') return null;
        const evidence = [inspected(c, 'HostConfig.NetworkMode', 'host'), ...desktopNote(facts)];
        // RootlessKit gives the daemon its own network namespace: "host" there is that namespace, not the machine's.
        if (rootless) return { level: 'note' as Level, evidence: [...evidence, { label: 'rootless daemon', value: "--network host joins RootlessKit's network namespace, not the host's", source: INFO }] };
        return { evidence };
      },
      {
        running: (c, hit) =>
          hit.level === 'note'
            ? `Container ${c.name} uses --network host, which on this rootless daemon is RootlessKit's network namespace, not the host's.`
            : `Container ${c.name} shares the host's network namespace: it can reach every service listening on the host's localhost.`,
        stopped: (c, hit) =>
          hit.level === 'note'
            ? `Container ${c.name} uses --network host (RootlessKit's network namespace on this rootless daemon) ${now(c)}.`
            : `Container ${c.name} will share the host's network namespace when started ${now(c)}.`,
        none: (n) => `None of the ${n} containers shares the host's network namespace.`,
      },
    );
  },
};

export const containerHostPid: Check = {
  id: 'container.host-pid',
  title: "No container shares the host's process namespace",
  category: 'isolation',
  severity: 'high',
  rationale:
    "With --pid host a container sees every host process with its command line. Root in it is the same uid as the host's root processes, so it can read their environment (secrets passed as variables) and signal them, including dockerd itself.",
  remediation: 'Re-create the container without --pid host. Monitoring agents that need host processes are better run on the host or with a narrow, audited exception.',
  references: [cis('5.16')],
  cis: '5.16',
  platforms: ALL_PLATFORMS,
  fixId: null,
  applies: linuxContainersOnly,
  evaluate(facts) {
    return perContainer(
      facts,
      (c) => {
        if (c.hostConfig.pidMode !== 'host') return null;
        const userns = userNamespaceOf(facts, c);
        const evidence = [inspected(c, 'HostConfig.PidMode', 'host'), ...userns.evidence, ...desktopNote(facts)];
        // A remapped root is not the owner of host processes: it sees them but cannot read their environment or signal them.
        return { evidence, level: (userns.kind === 'host' ? 'high' : 'low') as Level };
      },
      {
        running: (c, hit) =>
          hit.level === 'low'
            ? `Container ${c.name} sees every host process (--pid host); its root is unprivileged on the host, so it cannot signal them.`
            : `Container ${c.name} shares the host's process namespace: its root can read host processes' environment and kill them.`,
        stopped: (c) => `Container ${c.name} will share the host's process namespace when started ${now(c)}.`,
        none: (n) => `None of the ${n} containers shares the host's process namespace.`,
      },
    );
  },
};

export const containerHostIpc: Check = {
  id: 'container.host-ipc',
  title: "No container shares the host's IPC namespace",
  category: 'isolation',
  severity: 'medium',
  rationale:
    "With --ipc host a container can attach to the host's System V shared memory, semaphores and message queues, and to /dev/shm: it can read or corrupt what host processes (databases, X servers) keep there.",
  remediation: 'Re-create the container without --ipc host; containers that must share memory can use --ipc shareable and --ipc container:<name>.',
  references: [cis('5.17')],
  cis: '5.17',
  platforms: ALL_PLATFORMS,
  fixId: null,
  applies: linuxContainersOnly,
  evaluate(facts) {
    return perContainer(
      facts,
      (c) => {
        if (c.hostConfig.ipcMode !== 'host') return null;
        const userns = userNamespaceOf(facts, c);
        // IPC objects are permission-checked by host uid: a remapped root only reaches world-accessible ones.
        return { evidence: [inspected(c, 'HostConfig.IpcMode', 'host'), ...userns.evidence], level: (userns.kind === 'host' ? 'high' : 'low') as Level };
      },
      {
        running: (c) => `Container ${c.name} shares the host's IPC namespace: it can reach host shared memory and message queues.`,
        stopped: (c) => `Container ${c.name} will share the host's IPC namespace when started ${now(c)}.`,
        none: (n) => `None of the ${n} containers shares the host's IPC namespace.`,
      },
    );
  },
};

/** Capabilities that let a container act on host namespaces it shares (sethostname needs SYS_ADMIN). */
const hasSysAdmin = (c: ContainerFact) => c.hostConfig.privileged || c.hostConfig.capAdd.map(normaliseCap).some((cap) => cap === 'SYS_ADMIN' || cap === 'ALL');

export const containerHostUts: Check = {
  id: 'container.host-uts',
  title: "No container shares the host's UTS namespace",
  category: 'isolation',
  severity: 'low',
  rationale:
    "With --uts host a container uses the host's hostname and domain name. With SYS_ADMIN (or --privileged) it can rename the host, which breaks logging, monitoring and anything keyed on the hostname; without it the container only learns the host's name.",
  remediation: 'Re-create the container without --uts host; set the name it should see with --hostname.',
  references: [cis('5.21')],
  cis: '5.21',
  platforms: ALL_PLATFORMS,
  fixId: null,
  applies: linuxContainersOnly,
  evaluate(facts) {
    return perContainer(
      facts,
      (c) => {
        if (c.hostConfig.utsMode !== 'host') return null;
        const userns = userNamespaceOf(facts, c);
        const canRename = hasSysAdmin(c) && userns.kind === 'host';
        const evidence = [
          inspected(c, 'HostConfig.UTSMode', 'host'),
          inspected(c, 'can change the host name (SYS_ADMIN in the host user namespace)', canRename),
          ...userns.evidence,
        ];
        return { evidence, level: (canRename ? 'high' : 'low') as Level, canRename };
      },
      {
        running: (c, hit) =>
          hit.canRename
            ? `Container ${c.name} shares the host's UTS namespace and has SYS_ADMIN: it can rename the host.`
            : `Container ${c.name} shares the host's UTS namespace (it sees the host name but cannot change it).`,
        stopped: (c) => `Container ${c.name} will share the host's UTS namespace when started ${now(c)}.`,
        none: (n) => `None of the ${n} containers shares the host's UTS namespace.`,
      },
    );
  },
};

export const containerHostUserns: Check = {
  id: 'container.host-userns',
  title: 'No container opts out of user-namespace remapping',
  category: 'isolation',
  severity: 'high',
  rationale:
    "This daemon remaps users (userns-remap): root in a container is an unprivileged uid on the host. A container started with --userns host opts out, and its root is the host's root again, undoing that protection for it.",
  remediation: 'Re-create the container without --userns host. If it needs host namespaces or --privileged, question that first: those are why --userns host exists.',
  references: [cis('5.31'), docs('Isolate containers with a user namespace', 'https://docs.docker.com/engine/security/userns-remap/')],
  cis: '5.31',
  platforms: ALL_PLATFORMS,
  fixId: null,
  applies(facts) {
    const windows = linuxContainersOnly(facts);
    if (windows) return windows;
    // Without /info the check cannot tell; evaluate() then reports the missing fact as an error.
    const options = securityOptions(facts);
    if (!options) return null;
    if (hasSecurityOption(facts, 'rootless')) return 'a rootless daemon runs every container inside its own user namespace, which --userns host cannot leave';
    if (!hasSecurityOption(facts, 'userns')) return 'the daemon does not remap users (no userns-remap), so every container already shares the host user namespace and --userns host changes nothing';
    return null;
  },
  evaluate(facts) {
    const options = need(facts.info, 'the daemon security options').securityOptions;
    return perContainer(
      facts,
      (c) => (c.hostConfig.usernsMode === 'host' ? { evidence: [inspected(c, 'HostConfig.UsernsMode', 'host'), { label: 'daemon security options', value: options, source: INFO }] } : null),
      {
        running: (c) => `Container ${c.name} opts out of user-namespace remapping (--userns host): its root is the host's root.`,
        stopped: (c) => `Container ${c.name} opts out of user-namespace remapping and will run as the host's root when started ${now(c)}.`,
        none: (n) => `All ${n} containers are remapped: none uses --userns host.`,
      },
      [{ label: 'daemon security options', value: options, source: INFO }],
    );
  },
};

// --- capabilities ------------------------------------------------------------------------------------------------

/** moby's default capability set (oci/caps/defaults.go). */
const DEFAULT_CAPS = new Set(['CHOWN', 'DAC_OVERRIDE', 'FSETID', 'FOWNER', 'MKNOD', 'NET_RAW', 'SETGID', 'SETUID', 'SETFCAP', 'SETPCAP', 'NET_BIND_SERVICE', 'SYS_CHROOT', 'KILL', 'AUDIT_WRITE']);

/** Capabilities that hand a container the host, or a direct path to it, and why. */
const DANGEROUS_CAPS: Readonly<Record<string, string>> = {
  ALL: 'every capability: nearly --privileged',
  SYS_ADMIN: 'mount filesystems and more: the classic escape through cgroup release_agent',
  SYS_MODULE: 'load kernel modules: arbitrary code in the host kernel',
  SYS_PTRACE: 'trace and inject code into other processes',
  SYS_RAWIO: 'raw access to I/O ports and devices',
  SYS_BOOT: 'reboot the host',
  SYS_TIME: "set the host's clock",
  DAC_READ_SEARCH: 'open any host file by handle (the "shocker" escape)',
  NET_ADMIN: 'change interfaces, routes and firewall rules',
  BPF: 'load eBPF programs into the kernel',
  PERFMON: 'read kernel performance data and addresses',
  MAC_ADMIN: 'change AppArmor or SELinux policy',
  MAC_OVERRIDE: 'bypass AppArmor or SELinux',
  LINUX_IMMUTABLE: 'set or clear immutable file flags',
  SYSLOG: 'read and clear the kernel log, with kernel addresses',
  AUDIT_CONTROL: 'turn the kernel audit log off',
};

function normaliseCap(cap: string): string {
  return cap.trim().toUpperCase().replace(/^CAP_/, '');
}

function addedCaps(c: ContainerFact): string[] {
  return [...new Set(c.hostConfig.capAdd.map(normaliseCap))].filter((cap) => cap !== '' && !DEFAULT_CAPS.has(cap));
}

export const containerDangerousCapabilities: Check = {
  id: 'container.capabilities.dangerous',
  title: 'No container is given a capability that reaches the host',
  category: 'isolation',
  severity: 'high',
  rationale:
    'Some capabilities undo container isolation on their own: SYS_ADMIN allows mounts and the cgroup release_agent escape, SYS_MODULE loads kernel code, SYS_PTRACE injects into processes, DAC_READ_SEARCH opens any host file, NET_ADMIN rewrites the firewall, ALL is nearly --privileged.',
  remediation: 'Re-create the container without these --cap-add entries; start from --cap-drop ALL and add back only the narrow capabilities it needs.',
  references: [cis('5.4'), docs('Runtime privilege and Linux capabilities', 'https://docs.docker.com/engine/containers/run/#runtime-privilege-and-linux-capabilities')],
  cis: '5.4',
  platforms: ALL_PLATFORMS,
  fixId: null,
  applies: linuxContainersOnly,
  evaluate(facts) {
    return perContainer(
      facts,
      (c) => {
        const dangerous = addedCaps(c).filter((cap) => cap in DANGEROUS_CAPS);
        if (dangerous.length === 0) return null;
        const userns = userNamespaceOf(facts, c);
        const evidence = [inspected(c, 'HostConfig.CapAdd', c.hostConfig.capAdd), ...dangerous.map((cap) => inspected(c, cap, DANGEROUS_CAPS[cap]!)), ...userns.evidence];
        // In a user namespace the capabilities only act on namespaces the container owns: still kernel attack surface, no longer host root.
        return { evidence, dangerous, level: (userns.kind === 'host' ? 'high' : 'low') as Level };
      },
      {
        running: (c, hit) => `Container ${c.name} has ${hit.dangerous.join(', ')}: ${hit.level === 'low' ? 'confined to its user namespace, but still broad kernel access' : 'enough to take over the host'}.`,
        stopped: (c, hit) => `Container ${c.name} is given ${hit.dangerous.join(', ')} and will have ${hit.dangerous.length > 1 ? 'them' : 'it'} when started ${now(c)}.`,
        none: (n) => `None of the ${n} containers adds a capability that reaches the host.`,
      },
    );
  },
};

export const containerAddedCapabilities: Check = {
  id: 'container.capabilities.added',
  title: "Containers add no capabilities beyond Docker's defaults",
  category: 'isolation',
  severity: 'low',
  rationale:
    "Every capability added beyond Docker's default set widens what root in the container may ask of the kernel. The ones that reach the host outright are reported by container.capabilities.dangerous; the rest (SYS_NICE, IPC_LOCK, SYS_RESOURCE, NET_BROADCAST...) should still be deliberate.",
  remediation: 'Confirm the container needs each listed capability; if not, re-create it without the --cap-add. --cap-drop ALL plus the few it needs is the tightest setting.',
  references: [cis('5.4'), docs('Runtime privilege and Linux capabilities', 'https://docs.docker.com/engine/containers/run/#runtime-privilege-and-linux-capabilities')],
  cis: '5.4',
  platforms: ALL_PLATFORMS,
  fixId: null,
  applies: linuxContainersOnly,
  evaluate(facts) {
    return perContainer(
      facts,
      (c) => {
        const extra = addedCaps(c).filter((cap) => !(cap in DANGEROUS_CAPS));
        return extra.length > 0 ? { evidence: [inspected(c, 'HostConfig.CapAdd', c.hostConfig.capAdd), inspected(c, 'beyond the defaults', extra)], extra } : null;
      },
      {
        running: (c, hit) => `Container ${c.name} adds ${hit.extra.join(', ')} beyond Docker's default capabilities.`,
        stopped: (c, hit) => `Container ${c.name} adds ${hit.extra.join(', ')} beyond Docker's default capabilities ${now(c)}.`,
        none: (n) => `None of the ${n} containers adds capabilities beyond Docker's defaults (other than those reported as dangerous).`,
      },
    );
  },
};

// --- resource limits ---------------------------------------------------------------------------------------------

const RESOURCE_DOCS = docs('Resource constraints', 'https://docs.docker.com/engine/containers/resource_constraints/');

export const containerMemoryLimit: Check = {
  id: 'container.memory-limit',
  title: 'Every container has a memory limit',
  category: 'container-runtime',
  severity: 'medium',
  rationale:
    "A container without --memory can take all of the host's memory: a leak or a burst of load makes the kernel's OOM killer pick victims on the host, possibly dockerd or sshd, instead of only that container.",
  remediation: 'Re-create the container with --memory (and usually --memory-swap equal to it), or set it with `docker update --memory 512m --memory-swap 512m NAME` on a running one.',
  references: [cis('5.11'), RESOURCE_DOCS],
  cis: '5.11',
  platforms: ALL_PLATFORMS,
  fixId: null,
  applies: limitsEnforceable,
  evaluate(facts) {
    return perContainer(facts, (c) => (c.hostConfig.memory > 0 ? null : { evidence: [inspected(c, 'HostConfig.Memory', c.hostConfig.memory)] }), {
      running: (c) => `Container ${c.name} has no memory limit: it can exhaust the host's memory.`,
      stopped: (c) => `Container ${c.name} has no memory limit ${now(c)}.`,
      none: (n) => `All ${n} containers have a memory limit.`,
    });
  },
};

export const containerCpuLimit: Check = {
  id: 'container.cpu-limit',
  title: 'Every container has a CPU limit or weight',
  category: 'container-runtime',
  severity: 'low',
  rationale:
    'A container with no CPU quota (--cpus, --cpu-quota) and no weight (--cpu-shares) competes equally with everything on the host: one busy container slows every other one and the host itself.',
  remediation: 'Re-create the container with --cpus (a hard cap) or --cpu-shares (a relative weight), or apply it live with `docker update --cpus 1.5 NAME`.',
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
  remediation: 'Re-create the container with --pids-limit (a few hundred suits most services), or apply it live with `docker update --pids-limit 512 NAME`.',
  references: [cis('5.29'), RESOURCE_DOCS],
  cis: '5.29',
  platforms: ALL_PLATFORMS,
  fixId: null,
  applies: limitsEnforceable,
  evaluate(facts) {
    return perContainer(
      facts,
      // null, 0 and -1 all mean unlimited (the API has used each over the years).
      (c) => (c.hostConfig.pidsLimit !== null && c.hostConfig.pidsLimit > 0 ? null : { evidence: [inspected(c, 'HostConfig.PidsLimit', c.hostConfig.pidsLimit)] }),
      {
        running: (c) => `Container ${c.name} has no PIDs limit: a fork bomb in it can exhaust the host's process table.`,
        stopped: (c) => `Container ${c.name} has no PIDs limit ${now(c)}.`,
        none: (n) => `All ${n} containers have a PIDs limit.`,
      },
    );
  },
};

// --- user, filesystem and mounts ---------------------------------------------------------------------------------

/** Config.User names root when empty, "0" or "root", with or without a group ("0:1000", "root:root"). */
export function isRootUser(user: string): boolean {
  const name = user.trim().split(':')[0] ?? '';
  return name === '' || name === '0' || name === 'root';
}

export const containerRunsAsRoot: Check = {
  id: 'container.user-root',
  title: 'Containers do not run as root',
  category: 'isolation',
  severity: 'medium',
  rationale:
    "A process running as root in a container is root on the host, held back only by namespaces, capabilities and seccomp: any escape (a kernel bug, a mounted host path, an added capability) lands as host root. A non-root user turns most of those escapes into an unprivileged foothold. Under userns-remap or rootless Docker, container root is already an unprivileged host uid, so it is only noted. (CIS 4.1 asks for a USER in the image; this checks what actually runs.)",
  remediation: 'Set a non-root USER in the image (see image.user), or re-create the container with --user 1000:1000 (any uid that owns what the process needs).',
  references: [docs('Dockerfile reference: USER', 'https://docs.docker.com/reference/dockerfile/#user'), docs('Isolate containers with a user namespace', 'https://docs.docker.com/engine/security/userns-remap/')],
  cis: null,
  platforms: ALL_PLATFORMS,
  fixId: null,
  applies: linuxContainersOnly,
  evaluate(facts) {
    return perContainer(
      facts,
      (c) => {
        if (!isRootUser(c.user)) return null;
        const userns = userNamespaceOf(facts, c);
        return { evidence: [inspected(c, 'Config.User', c.user === '' ? '(not set: root)' : c.user), ...userns.evidence], level: (userns.kind === 'host' ? 'high' : 'note') as Level, userns };
      },
      {
        running: (c, hit) =>
          hit.userns.kind === 'host'
            ? `Container ${c.name} runs as root, which is the host's root if it escapes.`
            : `Container ${c.name} runs as root in the container, which the ${hit.userns.kind === 'rootless' ? 'rootless daemon' : 'userns-remap daemon'} maps to an unprivileged host uid.`,
        stopped: (c) => `Container ${c.name} will run as root when started ${now(c)}.`,
        none: (n) => `None of the ${n} containers runs as root.`,
      },
    );
  },
};

export const containerReadonlyRootfs: Check = {
  id: 'container.readonly-rootfs',
  title: "Containers' root filesystems are read-only",
  category: 'container-runtime',
  severity: 'low',
  rationale:
    'A writable root filesystem lets an intruder replace binaries and plant tools that survive a process restart, and lets an application scatter state that is lost when the container is re-created. With --read-only, what the container may write is explicit (volumes, --tmpfs).',
  remediation: 'Re-create the container with --read-only, giving it --tmpfs /tmp (and volumes) for the paths it really writes.',
  references: [cis('5.13')],
  cis: '5.13',
  platforms: ALL_PLATFORMS,
  fixId: null,
  applies: linuxContainersOnly,
  evaluate(facts) {
    return perContainer(facts, (c) => (c.hostConfig.readonlyRootfs ? null : { level: 'low' as Level, evidence: [inspected(c, 'HostConfig.ReadonlyRootfs', false)] }), {
      running: (c) => `Container ${c.name} has a writable root filesystem.`,
      stopped: (c) => `Container ${c.name} has a writable root filesystem ${now(c)}.`,
      none: (n) => `All ${n} containers have a read-only root filesystem.`,
    });
  },
};

/** Host directories whose contents (or anything under them) control or reveal the host. "/" matches only itself. */
const SENSITIVE_TREES = ['/boot', '/dev', '/etc', '/lib', '/lib32', '/lib64', '/libx32', '/proc', '/sys', '/usr', '/bin', '/sbin', '/root', '/var/lib/docker', '/var/lib/containerd'];

/** Public, read-only files often shared for time zone, name resolution or CA trust: harmless when mounted read-only. */
const HARMLESS_READ_ONLY = ['/etc/localtime', '/etc/timezone', '/usr/share/zoneinfo', '/etc/ssl/certs', '/etc/ca-certificates', '/etc/pki/ca-trust/extracted', '/etc/machine-id', '/etc/os-release', '/usr/lib/os-release', '/etc/hostname', '/etc/hosts', '/etc/resolv.conf'];

const within = (p: string, tree: string) => p === tree || p.startsWith(`${tree}/`);

function normalisePath(p: string): string {
  return p.replace(/\/+/g, '/').replace(/(.)\/$/, '$1');
}

function isSensitiveSource(source: string, rw: boolean): boolean {
  const p = normalisePath(source);
  if (p === '/') return true;
  if (!rw && HARMLESS_READ_ONLY.some((h) => within(p, h))) return false;
  return SENSITIVE_TREES.some((t) => within(p, t));
}

export const containerSensitiveMounts: Check = {
  id: 'container.sensitive-mounts',
  title: 'No container mounts sensitive host directories',
  category: 'isolation',
  severity: 'high',
  rationale:
    "A bind mount of /, /etc, /boot, /usr, /lib, /proc, /sys, /dev or a file under them (/etc/shadow, /etc/sudoers) puts the host's configuration in the container: written to, it is a host takeover (a new root user, a cron job, a changed binary); read-only, it still leaks password hashes, keys and credentials. Time-zone, CA and resolver files mounted read-only are not reported.",
  remediation: 'Re-create the container without the mount; mount only the specific, non-sensitive files it needs, read-only (-v /etc/localtime:/etc/localtime:ro).',
  references: [cis('5.6')],
  cis: '5.6',
  platforms: ALL_PLATFORMS,
  fixId: null,
  applies: linuxContainersOnly,
  evaluate(facts) {
    return perContainer(
      facts,
      (c) => {
        const mounts = c.mounts.filter((m) => m.type === 'bind' && isSensitiveSource(m.source, m.rw));
        if (mounts.length === 0) return null;
        const writable = mounts.some((m) => m.rw);
        const userns = userNamespaceOf(facts, c);
        const evidence = [...mounts.map((m) => inspected(c, m.rw ? 'bind mount (read-write)' : 'bind mount (read-only)', `${m.source}:${m.destination}`)), ...userns.evidence, ...desktopNote(facts)];
        // A remapped root writes host files only where "others" may: the exposure drops to what any local user can do.
        const level: Level = userns.kind !== 'host' ? (writable ? 'low' : 'note') : writable ? 'high' : 'low';
        return { evidence, level, writable, paths: mounts.map((m) => m.source) };
      },
      {
        running: (c, hit) =>
          hit.writable
            ? `Container ${c.name} can write to sensitive host paths: ${hit.paths.join(', ')}.`
            : `Container ${c.name} can read sensitive host paths (read-only): ${hit.paths.join(', ')}.`,
        stopped: (c, hit) => `Container ${c.name} mounts sensitive host paths ${hit.paths.join(', ')}${hit.writable ? ' read-write' : ' read-only'} ${now(c)}.`,
        none: (n) => `None of the ${n} containers mounts a sensitive host directory.`,
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

/** Host device paths that give raw access to disks, memory or the kernel. */
const SENSITIVE_DEVICE = /^\/dev\/(sd[a-z]|hd[a-z]|vd[a-z]|xvd[a-z]|nvme\d|mmcblk\d|dm-\d|md\d|loop\d|sr\d|mapper\/|disk\/|mem$|kmem$|port$|kmsg$|cpu\/|snapshot$)/;

export const containerHostDevices: Check = {
  id: 'container.host-devices',
  title: 'No container is given raw host devices',
  category: 'isolation',
  severity: 'medium',
  rationale:
    'A device passed with --device is usable (read, write, mknod by default) from inside the container: a disk or loop device gives its filesystem raw, bypassing every permission; /dev/mem, /dev/kmsg or /dev/cpu/* reach the kernel. Other devices (GPUs, /dev/fuse, /dev/net/tun) are listed for review.',
  remediation: 'Re-create the container without the --device, or with the narrowest permissions (--device /dev/x:/dev/x:r). Prefer a volume or a host-side service to handing over a disk.',
  references: [cis('5.18')],
  cis: '5.18',
  platforms: ALL_PLATFORMS,
  fixId: null,
  applies: linuxContainersOnly,
  evaluate(facts) {
    return perContainer(
      facts,
      (c) => {
        if (c.hostConfig.devices.length === 0) return null;
        const sensitive = c.hostConfig.devices.filter((d) => SENSITIVE_DEVICE.test(d.split(':')[0] ?? ''));
        const userns = userNamespaceOf(facts, c);
        // Device nodes keep their host owner: a remapped root is "others" to them, so raw disks stay out of reach.
        const level: Level = sensitive.length > 0 ? (userns.kind === 'host' ? 'high' : 'low') : userns.kind === 'host' ? 'low' : 'note';
        const evidence = [inspected(c, 'HostConfig.Devices (host:container)', c.hostConfig.devices), ...(sensitive.length > 0 ? [inspected(c, 'raw disk, memory or kernel devices', sensitive)] : []), ...userns.evidence];
        return { evidence, level, sensitive, devices: c.hostConfig.devices.map((d) => d.split(':')[0] ?? d) };
      },
      {
        running: (c, hit) =>
          hit.sensitive.length > 0
            ? `Container ${c.name} has raw access to host devices ${hit.sensitive.map((d) => d.split(':')[0]).join(', ')}.`
            : `Container ${c.name} is given host devices ${hit.devices.join(', ')}: confirm it needs them.`,
        stopped: (c, hit) => `Container ${c.name} will get host devices ${hit.devices.join(', ')} when started ${now(c)}.`,
        none: (n) => `None of the ${n} containers is given host devices.`,
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
    "A container that crashes at start-up under an unbounded restart policy restarts forever: the failure is hidden behind a running-looking container while it burns CPU, fills its log and hammers whatever it connects to. on-failure:5 restarts real crashes and then stops, so the failure shows. \"always\" and \"unless-stopped\" also bring a service back after a reboot or daemon restart, a fair reason to keep them: Dockhand warns rather than fails on them (docker-bench passes them because it only compares the retry count, which is 0 for these policies) and reports actual loops as container.restart-loop.",
  remediation: 'Use --restart on-failure:5 (`docker update --restart on-failure:5 NAME` on an existing container). Keep "unless-stopped" for services that must survive reboots, and watch container.restart-loop for them.',
  references: [cis('5.15'), docs('Start containers automatically', 'https://docs.docker.com/engine/containers/start-containers-automatically/')],
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
        return { level: verdict.level, why: verdict.why, evidence: [inspected(c, 'HostConfig.RestartPolicy.Name', name), inspected(c, 'HostConfig.RestartPolicy.MaximumRetryCount', maximumRetryCount)] };
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
    inspected(c, 'HostConfig.RestartPolicy', `${c.hostConfig.restartPolicy.name}${c.hostConfig.restartPolicy.maximumRetryCount ? `:${c.hostConfig.restartPolicy.maximumRetryCount}` : ''}`),
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
  remediation: 'Read `docker logs NAME` and the exit code shown; fix the cause (configuration, dependency, --memory). Stop it meanwhile with `docker update --restart no NAME && docker stop NAME` if the loop does harm.',
  references: [docs('Start containers automatically', 'https://docs.docker.com/engine/containers/start-containers-automatically/')],
  cis: null,
  platforms: ALL_PLATFORMS,
  fixId: null,
  evaluate(facts) {
    const containers = need(facts.containers, 'the container list');
    const results: CheckResult[] = [];
    for (const c of containers) {
      const evidence = restartEvidence(c);
      if (c.state.restarting) {
        results.push(fail(`Container ${c.name} is in a restart loop: restarted ${c.restartCount} times, ${exitDetail(c)}.`, { target: c.name, evidence }));
      } else if (c.state.running && c.restartCount >= LOOP_RESTARTS) {
        results.push(warn(`Container ${c.name} has crashed and been restarted ${c.restartCount} times since it was started.`, { target: c.name, evidence }));
      } else if (!c.state.running && c.restartCount > 0 && c.state.exitCode !== 0) {
        results.push(warn(`Container ${c.name} gave up after ${c.restartCount} restarts (${exitDetail(c)}).`, { target: c.name, evidence }));
      }
    }
    if (results.length > 0) return results;
    return pass(`None of the ${containers.length} containers is restarting repeatedly.`, { evidence: [{ label: 'containers inspected', value: containers.length, source: LIST }] });
  },
};

export const containerHealthcheck: Check = {
  id: 'container.healthcheck',
  title: 'Every container has a health check',
  category: 'container-runtime',
  severity: 'low',
  rationale:
    'Without a health check Docker only knows whether the process exists, not whether it works: a hung web server stays "Up", orchestration and restart policies never react, and nobody is told.',
  remediation: 'Add a HEALTHCHECK to the image, or re-create the container with --health-cmd (e.g. --health-cmd "wget -qO- http://localhost:8080/health || exit 1").',
  references: [cis('5.27'), docs('Dockerfile reference: HEALTHCHECK', 'https://docs.docker.com/reference/dockerfile/#healthcheck')],
  cis: '5.27',
  platforms: ALL_PLATFORMS,
  fixId: null,
  evaluate(facts) {
    return perContainer(facts, (c) => (c.hasHealthcheck ? null : { level: 'low' as Level, evidence: [inspected(c, 'Config.Healthcheck', 'none (or NONE)')] }), {
      running: (c) => `Container ${c.name} has no health check: Docker cannot tell whether it works.`,
      stopped: (c) => `Container ${c.name} has no health check ${now(c)}.`,
      none: (n) => `All ${n} containers have a health check.`,
    });
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
    "An unhealthy container failed its own health check several times in a row: the service it provides is probably down or degraded. Plain Docker does not restart unhealthy containers, so it stays that way until someone acts (docker-bench only checks that a health check exists, so it passes these).",
  remediation: 'Look at the last health check output shown and at `docker logs NAME`; fix the service or its health check, then restart it.',
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

// --- images, ports and networks ----------------------------------------------------------------------------------

/** What a Config.Image reference pins: a digest or image id (immutable), a tag, or nothing (implicitly :latest). */
export function imagePin(ref: string): { kind: 'digest' | 'id' | 'latest' | 'untagged' | 'tag'; tag: string | null } {
  if (ref.includes('@')) return { kind: 'digest', tag: null };
  if (/^(sha256:)?[0-9a-f]{12,64}$/.test(ref)) return { kind: 'id', tag: null };
  const lastSlash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  // A colon before the last slash is a registry port (localhost:5000/app), not a tag.
  if (colon <= lastSlash) return { kind: 'untagged', tag: null };
  const tag = ref.slice(colon + 1);
  return { kind: tag === 'latest' ? 'latest' : 'tag', tag };
}

export const containerMutableTag: Check = {
  id: 'container.mutable-tag',
  title: 'Containers run a pinned image, not :latest',
  category: 'images',
  severity: 'low',
  rationale:
    'A container created from :latest (or from a name with no tag, which means :latest) cannot be reproduced: re-creating it later, or on another host, silently pulls whatever latest is then, including a breaking or compromised release. A version tag is better; a digest (@sha256:…) is immutable.',
  remediation: 'Re-create the container from a version tag or a digest, e.g. nginx:1.27.2 or nginx@sha256:<digest> (docker inspect --format "{{index .RepoDigests 0}}" IMAGE shows the digest in use).',
  references: [docs('docker image pull: pull an image by digest', 'https://docs.docker.com/reference/cli/docker/image/pull/#pull-an-image-by-digest-immutable-identifier')],
  cis: null,
  platforms: ALL_PLATFORMS,
  fixId: null,
  evaluate(facts) {
    return perContainer(
      facts,
      (c) => {
        const pin = imagePin(c.image);
        if (pin.kind !== 'latest' && pin.kind !== 'untagged') return null;
        return { level: 'low' as Level, pin, evidence: [inspected(c, 'Config.Image', c.image), inspected(c, 'image id in use', c.imageId)] };
      },
      {
        running: (c, hit) => `Container ${c.name} runs ${c.image}${hit.pin.kind === 'untagged' ? ' (no tag: :latest)' : ''}, a tag that moves: it cannot be re-created identically.`,
        stopped: (c) => `Container ${c.name} was created from the moving tag ${c.image} ${now(c)}.`,
        none: (n) => `All ${n} containers run an image pinned by a version tag, digest or id.`,
      },
    );
  },
};

const ALL_INTERFACES = new Set(['0.0.0.0', '::', '[::]']);

/** The address "-p 80:80" (no IP) binds to: dockerd's "ip" setting, 0.0.0.0 (and :: with IPv6) unless set. */
function defaultBindAddress(facts: Facts): { address: string; evidence: Evidence } {
  const setting = daemonView(facts).setting('ip');
  const value = Array.isArray(setting?.value) ? setting.value.at(-1) : setting?.value;
  if (setting && typeof value === 'string' && value !== '') {
    return { address: value, evidence: { label: `default bind address (${setting.origin === 'flag' ? 'dockerd --ip' : 'daemon.json "ip"'})`, value, source: setting.source } };
  }
  return { address: '0.0.0.0', evidence: { label: 'default bind address', value: '0.0.0.0', source: { kind: 'default', detail: 'dockerd binds published ports to every interface unless "ip" is set' } } };
}

const describeBinding = (b: ContainerFact['hostConfig']['portBindings'][number], address: string) => `${address.includes(':') && !address.startsWith('[') ? `[${address}]` : address}:${b.hostPort || '(random)'}->${b.containerPort}`;

export const containerPortsAllInterfaces: Check = {
  id: 'container.ports-all-interfaces',
  title: 'Published ports are bound to a specific interface',
  category: 'network',
  severity: 'medium',
  rationale:
    'A port published as -p 8080:80 listens on every interface of the host, IPv4 and IPv6, and Docker inserts its own iptables rules ahead of host firewalls such as ufw: an admin panel or database meant for localhost is reachable from the network.',
  remediation: 'Publish on the address that should be reachable, e.g. -p 127.0.0.1:8080:80 for local access, or set "ip": "127.0.0.1" in daemon.json to change the default for new containers.',
  references: [cis('5.14'), docs('Port publishing and mapping', 'https://docs.docker.com/engine/network/port-publishing/')],
  cis: '5.14',
  platforms: ALL_PLATFORMS,
  fixId: null,
  evaluate(facts) {
    const fallback = defaultBindAddress(facts);
    return perContainer(
      facts,
      (c) => {
        const open = c.hostConfig.portBindings
          .map((b) => ({ binding: b, address: b.hostIp === '' ? fallback.address : b.hostIp }))
          .filter(({ address }) => ALL_INTERFACES.has(address));
        if (open.length === 0) return null;
        const usesDefault = open.some(({ binding }) => binding.hostIp === '');
        return {
          ports: open.map(({ binding, address }) => describeBinding(binding, address)),
          evidence: [inspected(c, 'published on every interface', open.map(({ binding, address }) => describeBinding(binding, address))), ...(usesDefault ? [fallback.evidence] : [])],
        };
      },
      {
        running: (c, hit) => `Container ${c.name} publishes ${hit.ports.join(', ')} on every host interface.`,
        stopped: (c, hit) => `Container ${c.name} will publish ${hit.ports.join(', ')} on every host interface when started ${now(c)}.`,
        none: (n) => `None of the ${n} containers publishes a port on every interface.`,
      },
      [fallback.evidence],
    );
  },
};

/** The first host port of a binding ("80", "8000-8010"); null for a random port. */
function firstHostPort(hostPort: string): number | null {
  const first = Number.parseInt(hostPort.split('-')[0] ?? '', 10);
  return Number.isFinite(first) && first > 0 ? first : null;
}

export const containerPrivilegedPorts: Check = {
  id: 'container.privileged-ports',
  title: 'No container publishes a privileged host port (below 1024)',
  category: 'network',
  severity: 'low',
  rationale:
    'Ports below 1024 are reserved to root on the host, and clients trust them accordingly (SSH on 22, SMTP on 25, DNS on 53). Docker binds them for any container, so a container can take over a well-known service port. Publishing 80 or 443 from a reverse proxy is normal: waive those findings.',
  remediation: 'Publish on a port of 1024 or above (-p 8080:80), unless the container is the intended front end for that port.',
  references: [cis('5.8')],
  cis: '5.8',
  platforms: ALL_PLATFORMS,
  fixId: null,
  evaluate(facts) {
    return perContainer(
      facts,
      (c) => {
        const low = c.hostConfig.portBindings.filter((b) => {
          const port = firstHostPort(b.hostPort);
          return port !== null && port < 1024;
        });
        if (low.length === 0) return null;
        const ports = low.map((b) => `${b.hostPort}->${b.containerPort}`);
        return { ports, evidence: [inspected(c, 'privileged host ports', ports)] };
      },
      {
        running: (c, hit) => `Container ${c.name} publishes privileged host port${hit.ports.length > 1 ? 's' : ''} ${hit.ports.join(', ')}.`,
        stopped: (c, hit) => `Container ${c.name} will publish privileged host ports ${hit.ports.join(', ')} when started ${now(c)}.`,
        none: (n) => `None of the ${n} containers publishes a host port below 1024.`,
      },
    );
  },
};

export const containerDefaultBridge: Check = {
  id: 'container.default-bridge',
  title: "Containers use a user-defined network, not the default bridge (docker0)",
  category: 'network',
  severity: 'low',
  rationale:
    'Every container on the default bridge shares one flat network: unless icc is off, each can reach every port of every other, and they have no DNS for each other. A user-defined network per application isolates unrelated containers and gives them name resolution.',
  remediation: 'Create a network per application (docker network create app) and re-create its containers with --network app (compose does this by default).',
  references: [cis('5.30'), docs('Bridge network driver', 'https://docs.docker.com/engine/network/drivers/bridge/')],
  cis: '5.30',
  platforms: ALL_PLATFORMS,
  fixId: null,
  applies: linuxContainersOnly,
  evaluate(facts) {
    const bridge = facts.bridgeNetwork.ok ? facts.bridgeNetwork.value : null;
    const bridgeEvidence: Evidence[] = bridge
      ? [
          { label: 'default bridge interface', value: bridge.options['com.docker.network.bridge.name'] ?? 'docker0', source: { kind: 'api', call: 'GET /networks/bridge' } },
          { label: 'inter-container traffic on it (icc)', value: bridge.options['com.docker.network.bridge.enable_icc'] !== 'false', source: { kind: 'api', call: 'GET /networks/bridge' } },
        ]
      : [];
    return perContainer(
      facts,
      (c) => {
        const mode = c.hostConfig.networkMode;
        // Also a container put on a user-defined network and later connected to "bridge" with `docker network connect`.
        if (mode !== 'default' && mode !== 'bridge' && !c.networks.includes('bridge')) return null;
        return { level: 'low' as Level, evidence: [inspected(c, 'HostConfig.NetworkMode', mode), inspected(c, 'NetworkSettings.Networks', c.networks), ...bridgeEvidence] };
      },
      {
        running: (c) => `Container ${c.name} is on the default bridge network.`,
        stopped: (c) => `Container ${c.name} is attached to the default bridge network ${now(c)}.`,
        none: (n) => `None of the ${n} containers uses the default bridge network.`,
      },
    );
  },
};

// --- seccomp, AppArmor, no-new-privileges ------------------------------------------------------------------------

/** The value of a --security-opt key ("seccomp=unconfined" or the old "seccomp:unconfined"); null when absent. */
function securityOpt(c: ContainerFact, key: string): string | null {
  for (const opt of c.hostConfig.securityOpt) {
    const match = new RegExp(`^${key}(?:[=:](.*))?$`, 's').exec(opt);
    if (match) return match[1] ?? '';
  }
  return null;
}

export const containerSeccompUnconfined: Check = {
  id: 'container.seccomp-unconfined',
  title: 'No container disables the seccomp profile',
  category: 'isolation',
  severity: 'high',
  rationale:
    "Docker's default seccomp profile blocks system calls containers do not need and many kernel exploits use (keyctl, kexec, bpf, userfaultfd, new mount APIs). --security-opt seccomp=unconfined removes that filter: every kernel bug reachable by a system call is reachable from the container. (--privileged also drops seccomp; container.privileged reports those.)",
  remediation: 'Re-create the container without seccomp=unconfined. If it needs one blocked call, give it a profile that is the default plus that call (--security-opt seccomp=profile.json).',
  references: [cis('5.22'), docs('Seccomp security profiles for Docker', 'https://docs.docker.com/engine/security/seccomp/')],
  cis: '5.22',
  platforms: ALL_PLATFORMS,
  fixId: null,
  applies: linuxContainersOnly,
  evaluate(facts) {
    const daemonProfile = /profile=([^,]+)/.exec((securityOptions(facts) ?? []).find((o) => o.startsWith('name=seccomp')) ?? '')?.[1] ?? null;
    const daemonEvidence: Evidence[] = facts.info.ok ? [{ label: 'daemon security options', value: facts.info.value.securityOptions, source: INFO }] : [];
    return perContainer(
      facts,
      (c) => (securityOpt(c, 'seccomp') === 'unconfined' ? { evidence: [inspected(c, 'HostConfig.SecurityOpt', c.hostConfig.securityOpt)] } : null),
      {
        running: (c) => `Container ${c.name} runs without seccomp (seccomp=unconfined): the whole kernel system-call surface is open to it.`,
        stopped: (c) => `Container ${c.name} disables seccomp and will run without it when started ${now(c)}.`,
        // A daemon-wide unconfined default is the daemon.seccomp check's finding; the pass says so rather than hide it.
        none: (n) =>
          daemonProfile === 'unconfined'
            ? `None of the ${n} containers disables seccomp itself, but the daemon's default is unconfined (see daemon.seccomp).`
            : `None of the ${n} containers disables seccomp.`,
      },
      daemonEvidence,
    );
  },
};

export const containerAppArmorUnconfined: Check = {
  id: 'container.apparmor-unconfined',
  title: 'No container disables its AppArmor profile',
  category: 'isolation',
  severity: 'medium',
  rationale:
    "On an AppArmor host, Docker confines each container with the docker-default profile, which denies writes to /proc and /sys and mounts even to root that escaped its namespaces. --security-opt apparmor=unconfined removes that last layer. (docker-bench also fails containers on SELinux hosts, where AppArmor does not exist; this check applies only where the daemon reports AppArmor.)",
  remediation: 'Re-create the container without apparmor=unconfined; if docker-default blocks something it needs, write a profile that allows just that and use --security-opt apparmor=<profile>.',
  references: [cis('5.2'), docs('AppArmor security profiles for Docker', 'https://docs.docker.com/engine/security/apparmor/')],
  cis: '5.2',
  platforms: ['linux'],
  fixId: null,
  applies(facts) {
    const windows = linuxContainersOnly(facts);
    if (windows) return windows;
    const options = securityOptions(facts);
    if (!options) return null;
    if (hasSecurityOption(facts, 'rootless')) return 'a rootless daemon cannot apply AppArmor profiles to its containers';
    if (!hasSecurityOption(facts, 'apparmor')) return 'the daemon does not report AppArmor (an SELinux host, or a kernel without AppArmor)';
    return null;
  },
  evaluate(facts) {
    const options = need(facts.info, 'the daemon security options').securityOptions;
    return perContainer(
      facts,
      (c) => (securityOpt(c, 'apparmor') === 'unconfined' ? { evidence: [inspected(c, 'HostConfig.SecurityOpt', c.hostConfig.securityOpt)] } : null),
      {
        running: (c) => `Container ${c.name} runs without AppArmor confinement (apparmor=unconfined).`,
        stopped: (c) => `Container ${c.name} disables AppArmor and will run unconfined when started ${now(c)}.`,
        none: (n) => `None of the ${n} containers disables AppArmor.`,
      },
      [{ label: 'daemon security options', value: options, source: INFO }],
    );
  },
};

/** --security-opt no-new-privileges, :true, =true set it; :false or =false clear it; absent leaves the daemon default. */
function noNewPrivileges(c: ContainerFact): boolean | null {
  const value = securityOpt(c, 'no-new-privileges');
  if (value === null) return null;
  return value === '' || value === 'true';
}

export const containerNoNewPrivileges: Check = {
  id: 'container.no-new-privileges',
  title: 'Containers cannot gain privileges through setuid binaries',
  category: 'isolation',
  severity: 'medium',
  rationale:
    'Without no-new-privileges, a process in the container that runs a setuid or setgid binary (su, sudo, a planted setuid shell) gains that binary\'s privileges: an unprivileged foothold becomes root in the container. With it, the kernel refuses the elevation.',
  remediation: 'Re-create the container with --security-opt no-new-privileges, or set "no-new-privileges": true in daemon.json so that containers created from then on get it (see daemon.no-new-privileges).',
  references: [cis('5.26')],
  cis: '5.26',
  platforms: ALL_PLATFORMS,
  fixId: null,
  applies: linuxContainersOnly,
  evaluate(facts) {
    // dockerd copies its default into each container when it is created; the snapshot only has the configuration to go on.
    const configured = daemonView(facts).setting('no-new-privileges');
    const daemonDefault = configured?.value === true || configured?.value === 'true' || (Array.isArray(configured?.value) && configured.value.at(-1) === 'true');
    const defaultEvidence: Evidence = configured
      ? { label: `no-new-privileges (${configured.origin === 'flag' ? 'dockerd flag' : 'daemon.json'}), applies to containers created while set`, value: configured.value as Evidence['value'], source: configured.source }
      : { label: 'no-new-privileges (daemon default)', value: false, source: { kind: 'default', detail: 'off unless set in daemon.json or with --no-new-privileges' } };
    return perContainer(
      facts,
      (c) => {
        const own = noNewPrivileges(c);
        if (own === true || (own === null && daemonDefault)) return null;
        const evidence = [inspected(c, 'HostConfig.SecurityOpt', c.hostConfig.securityOpt), ...(own === false ? [] : [defaultEvidence])];
        return { evidence, optedOut: own === false };
      },
      {
        running: (c, hit) => `Container ${c.name} can gain privileges through setuid binaries (no-new-privileges ${hit.optedOut ? 'is explicitly turned off' : 'is not set'}).`,
        stopped: (c) => `Container ${c.name} runs without no-new-privileges when started ${now(c)}.`,
        none: (n) => `All ${n} containers run with no-new-privileges.`,
      },
      [defaultEvidence],
    );
  },
};

export const containerMountPropagation: Check = {
  id: 'container.mount-propagation',
  title: "No bind mount propagates mounts back to the host (shared propagation)",
  category: 'container-runtime',
  severity: 'medium',
  rationale:
    'A bind mount with shared or rshared propagation passes mounts both ways: a mount made inside the container appears on the host under that path, and a container that can mount (CAP_SYS_ADMIN) can then change what host processes see there.',
  remediation: 'Re-create the container without `:shared`/`:rshared` on the bind (the default rprivate), or use `slave`/`rslave` if it only needs to see new host mounts.',
  references: [cis('5.20'), docs('Bind propagation', 'https://docs.docker.com/engine/storage/bind-mounts/#configure-bind-propagation')],
  cis: '5.20',
  platforms: ALL_PLATFORMS,
  fixId: null,
  applies: linuxContainersOnly,
  evaluate(facts) {
    return perContainer(
      facts,
      (c) => {
        const shared = c.mounts.filter((m) => m.type === 'bind' && (m.propagation === 'shared' || m.propagation === 'rshared'));
        if (shared.length === 0) return null;
        return { level: 'medium' as Level, evidence: shared.map((m) => inspected(c, `Mounts[${m.destination}].Propagation`, `${m.source}:${m.destination} (${m.propagation})`)) };
      },
      {
        running: (c) => `Container ${c.name} has a bind mount with shared propagation: its mounts reach the host.`,
        stopped: (c) => `Container ${c.name} has a bind mount with shared propagation ${now(c)}.`,
        none: (n) => `None of the ${n} containers has a bind mount with shared propagation.`,
      },
    );
  },
};

export const CONTAINER_CHECKS: readonly Check[] = [
  containerPrivileged,
  containerDockerSocketMount,
  containerHostNetwork,
  containerHostPid,
  containerHostIpc,
  containerHostUts,
  containerHostUserns,
  containerDangerousCapabilities,
  containerAddedCapabilities,
  containerSensitiveMounts,
  containerMountPropagation,
  containerHostDevices,
  containerSeccompUnconfined,
  containerAppArmorUnconfined,
  containerNoNewPrivileges,
  containerRunsAsRoot,
  containerReadonlyRootfs,
  containerMemoryLimit,
  containerCpuLimit,
  containerPidsLimit,
  containerPortsAllInterfaces,
  containerPrivilegedPorts,
  containerDefaultBridge,
  containerRestartPolicy,
  containerRestartLoop,
  containerHealthcheck,
  containerUnhealthy,
  containerMutableTag,
];

import type { Check } from '../../shared/check';
import type { ContainerFact } from '../../shared/facts';
import type { Evidence } from '../../shared/finding';
import { daemonView } from '../check-kit/daemon-view';
import { cis, docs } from './references';
import { hasSecurityOption } from '../check-kit/applicability';
import { INFO, need } from '../check-kit/result';
import {
  ALL_PLATFORMS,
  inspected,
  Level,
  perContainer,
  now,
  securityOptions,
  userNamespaceOf,
  isRootlessDaemon,
  desktopNote,
  linuxContainersOnly,
} from './container-helpers';

// --- host namespaces ---------------------------------------------------------------------------------------------

export const containerHostNetwork: Check = {
  id: 'container.host-network',
  title: "No container shares the host's network namespace",
  category: 'isolation',
  severity: 'high',
  rationale:
    "With --network host a container sees every host interface, can bind any host port and reach every service the host only exposes on localhost (a Docker API on 127.0.0.1:2375, a database, a cloud metadata proxy). With the default NET_RAW capability it can also sniff the host's traffic.",
  remediation:
    'Re-create the container on a bridge or user-defined network and publish only the ports it serves (-p 127.0.0.1:8080:80 for local-only access).',
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
        if (rootless)
          return {
            level: 'note' as Level,
            evidence: [
              ...evidence,
              { label: 'rootless daemon', value: "--network host joins RootlessKit's network namespace, not the host's", source: INFO },
            ],
          };
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
  remediation:
    'Re-create the container without --pid host. Monitoring agents that need host processes are better run on the host or with a narrow, audited exception.',
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
  remediation:
    'Re-create the container without --ipc host; containers that must share memory can use --ipc shareable and --ipc container:<name>.',
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
        return {
          evidence: [inspected(c, 'HostConfig.IpcMode', 'host'), ...userns.evidence],
          level: (userns.kind === 'host' ? 'high' : 'low') as Level,
        };
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
const hasSysAdmin = (c: ContainerFact) =>
  c.hostConfig.privileged || c.hostConfig.capAdd.map(normaliseCap).some((cap) => cap === 'SYS_ADMIN' || cap === 'ALL');

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
  remediation:
    'Re-create the container without --userns host. If it needs host namespaces or --privileged, question that first: those are why --userns host exists.',
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
    if (hasSecurityOption(facts, 'rootless'))
      return 'a rootless daemon runs every container inside its own user namespace, which --userns host cannot leave';
    if (!hasSecurityOption(facts, 'userns'))
      return 'the daemon does not remap users (no userns-remap), so every container already shares the host user namespace and --userns host changes nothing';
    return null;
  },
  evaluate(facts) {
    const options = need(facts.info, 'the daemon security options').securityOptions;
    return perContainer(
      facts,
      (c) =>
        c.hostConfig.usernsMode === 'host'
          ? {
              evidence: [inspected(c, 'HostConfig.UsernsMode', 'host'), { label: 'daemon security options', value: options, source: INFO }],
            }
          : null,
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
const DEFAULT_CAPS = new Set([
  'CHOWN',
  'DAC_OVERRIDE',
  'FSETID',
  'FOWNER',
  'MKNOD',
  'NET_RAW',
  'SETGID',
  'SETUID',
  'SETFCAP',
  'SETPCAP',
  'NET_BIND_SERVICE',
  'SYS_CHROOT',
  'KILL',
  'AUDIT_WRITE',
]);

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
  remediation:
    'Re-create the container without these --cap-add entries; start from --cap-drop ALL and add back only the narrow capabilities it needs.',
  references: [
    cis('5.4'),
    docs(
      'Runtime privilege and Linux capabilities',
      'https://docs.docker.com/engine/containers/run/#runtime-privilege-and-linux-capabilities',
    ),
  ],
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
        const evidence = [
          inspected(c, 'HostConfig.CapAdd', c.hostConfig.capAdd),
          ...dangerous.map((cap) => inspected(c, cap, DANGEROUS_CAPS[cap]!)),
          ...userns.evidence,
        ];
        // In a user namespace the capabilities only act on namespaces the container owns: still kernel attack surface, no longer host root.
        return { evidence, dangerous, level: (userns.kind === 'host' ? 'high' : 'low') as Level };
      },
      {
        running: (c, hit) =>
          `Container ${c.name} has ${hit.dangerous.join(', ')}: ${hit.level === 'low' ? 'confined to its user namespace, but still broad kernel access' : 'enough to take over the host'}.`,
        stopped: (c, hit) =>
          `Container ${c.name} is given ${hit.dangerous.join(', ')} and will have ${hit.dangerous.length > 1 ? 'them' : 'it'} when started ${now(c)}.`,
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
  remediation:
    'Confirm the container needs each listed capability; if not, re-create it without the --cap-add. --cap-drop ALL plus the few it needs is the tightest setting.',
  references: [
    cis('5.4'),
    docs(
      'Runtime privilege and Linux capabilities',
      'https://docs.docker.com/engine/containers/run/#runtime-privilege-and-linux-capabilities',
    ),
  ],
  cis: '5.4',
  platforms: ALL_PLATFORMS,
  fixId: null,
  applies: linuxContainersOnly,
  evaluate(facts) {
    return perContainer(
      facts,
      (c) => {
        const extra = addedCaps(c).filter((cap) => !(cap in DANGEROUS_CAPS));
        return extra.length > 0
          ? { evidence: [inspected(c, 'HostConfig.CapAdd', c.hostConfig.capAdd), inspected(c, 'beyond the defaults', extra)], extra }
          : null;
      },
      {
        running: (c, hit) => `Container ${c.name} adds ${hit.extra.join(', ')} beyond Docker's default capabilities.`,
        stopped: (c, hit) => `Container ${c.name} adds ${hit.extra.join(', ')} beyond Docker's default capabilities ${now(c)}.`,
        none: (n) => `None of the ${n} containers adds capabilities beyond Docker's defaults (other than those reported as dangerous).`,
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
  remediation:
    'Re-create the container without seccomp=unconfined. If it needs one blocked call, give it a profile that is the default plus that call (--security-opt seccomp=profile.json).',
  references: [cis('5.22'), docs('Seccomp security profiles for Docker', 'https://docs.docker.com/engine/security/seccomp/')],
  cis: '5.22',
  platforms: ALL_PLATFORMS,
  fixId: null,
  applies: linuxContainersOnly,
  evaluate(facts) {
    const daemonProfile =
      /profile=([^,]+)/.exec((securityOptions(facts) ?? []).find((o) => o.startsWith('name=seccomp')) ?? '')?.[1] ?? null;
    const daemonEvidence: Evidence[] = facts.info.ok
      ? [{ label: 'daemon security options', value: facts.info.value.securityOptions, source: INFO }]
      : [];
    return perContainer(
      facts,
      (c) =>
        securityOpt(c, 'seccomp') === 'unconfined'
          ? { evidence: [inspected(c, 'HostConfig.SecurityOpt', c.hostConfig.securityOpt)] }
          : null,
      {
        running: (c) =>
          `Container ${c.name} runs without seccomp (seccomp=unconfined): the whole kernel system-call surface is open to it.`,
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
    'On an AppArmor host, Docker confines each container with the docker-default profile, which denies writes to /proc and /sys and mounts even to root that escaped its namespaces. --security-opt apparmor=unconfined removes that last layer. (docker-bench also fails containers on SELinux hosts, where AppArmor does not exist; this check applies only where the daemon reports AppArmor.)',
  remediation:
    'Re-create the container without apparmor=unconfined; if docker-default blocks something it needs, write a profile that allows just that and use --security-opt apparmor=<profile>.',
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
      (c) =>
        securityOpt(c, 'apparmor') === 'unconfined'
          ? { evidence: [inspected(c, 'HostConfig.SecurityOpt', c.hostConfig.securityOpt)] }
          : null,
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
    "Without no-new-privileges, a process in the container that runs a setuid or setgid binary (su, sudo, a planted setuid shell) gains that binary's privileges: an unprivileged foothold becomes root in the container. With it, the kernel refuses the elevation.",
  remediation:
    'Re-create the container with --security-opt no-new-privileges, or set "no-new-privileges": true in daemon.json so that containers created from then on get it (see daemon.no-new-privileges).',
  references: [cis('5.26')],
  cis: '5.26',
  platforms: ALL_PLATFORMS,
  fixId: null,
  applies: linuxContainersOnly,
  evaluate(facts) {
    // dockerd copies its default into each container when it is created; the snapshot only has the configuration to go on.
    const configured = daemonView(facts).setting('no-new-privileges');
    const daemonDefault =
      configured?.value === true ||
      configured?.value === 'true' ||
      (Array.isArray(configured?.value) && configured.value.at(-1) === 'true');
    const defaultEvidence: Evidence = configured
      ? {
          label: `no-new-privileges (${configured.origin === 'flag' ? 'dockerd flag' : 'daemon.json'}), applies to containers created while set`,
          value: configured.value as Evidence['value'],
          source: configured.source,
        }
      : {
          label: 'no-new-privileges (daemon default)',
          value: false,
          source: { kind: 'default', detail: 'off unless set in daemon.json or with --no-new-privileges' },
        };
    return perContainer(
      facts,
      (c) => {
        const own = noNewPrivileges(c);
        if (own === true || (own === null && daemonDefault)) return null;
        const evidence = [inspected(c, 'HostConfig.SecurityOpt', c.hostConfig.securityOpt), ...(own === false ? [] : [defaultEvidence])];
        return { evidence, optedOut: own === false };
      },
      {
        running: (c, hit) =>
          `Container ${c.name} can gain privileges through setuid binaries (no-new-privileges ${hit.optedOut ? 'is explicitly turned off' : 'is not set'}).`,
        stopped: (c) => `Container ${c.name} runs without no-new-privileges when started ${now(c)}.`,
        none: (n) => `All ${n} containers run with no-new-privileges.`,
      },
      [defaultEvidence],
    );
  },
};

export const containerMountPropagation: Check = {
  id: 'container.mount-propagation',
  title: 'No bind mount propagates mounts back to the host (shared propagation)',
  category: 'container-runtime',
  severity: 'medium',
  rationale:
    'A bind mount with shared or rshared propagation passes mounts both ways: a mount made inside the container appears on the host under that path, and a container that can mount (CAP_SYS_ADMIN) can then change what host processes see there.',
  remediation:
    'Re-create the container without `:shared`/`:rshared` on the bind (the default rprivate), or use `slave`/`rslave` if it only needs to see new host mounts.',
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
        return {
          level: 'medium' as Level,
          evidence: shared.map((m) =>
            inspected(c, `Mounts[${m.destination}].Propagation`, `${m.source}:${m.destination} (${m.propagation})`),
          ),
        };
      },
      {
        running: (c) => `Container ${c.name} has a bind mount with shared propagation: its mounts reach the host.`,
        stopped: (c) => `Container ${c.name} has a bind mount with shared propagation ${now(c)}.`,
        none: (n) => `None of the ${n} containers has a bind mount with shared propagation.`,
      },
    );
  },
};

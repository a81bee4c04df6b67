import type { Check } from '../../shared/check';
import { cis, docs } from './references';
import {
  ALL_PLATFORMS,
  inspectSource,
  inspected,
  Level,
  perContainer,
  now,
  userNamespaceOf,
  desktopNote,
  linuxContainersOnly,
} from './container-helpers';

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
    'A process running as root in a container is root on the host, held back only by namespaces, capabilities and seccomp: any escape (a kernel bug, a mounted host path, an added capability) lands as host root. A non-root user turns most of those escapes into an unprivileged foothold. Under userns-remap or rootless Docker, container root is already an unprivileged host uid, so it is only noted. (CIS 4.1 asks for a USER in the image; this checks what actually runs.)',
  remediation:
    'Set a non-root USER in the image (see image.user), or re-create the container with --user 1000:1000 (any uid that owns what the process needs).',
  references: [
    docs('Dockerfile reference: USER', 'https://docs.docker.com/reference/dockerfile/#user'),
    docs('Isolate containers with a user namespace', 'https://docs.docker.com/engine/security/userns-remap/'),
  ],
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
        return {
          evidence: [inspected(c, 'Config.User', c.user === '' ? '(not set: root)' : c.user), ...userns.evidence],
          level: (userns.kind === 'host' ? 'high' : 'note') as Level,
          userns,
        };
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
    return perContainer(
      facts,
      (c) => (c.hostConfig.readonlyRootfs ? null : { level: 'low' as Level, evidence: [inspected(c, 'HostConfig.ReadonlyRootfs', false)] }),
      {
        running: (c) => `Container ${c.name} has a writable root filesystem.`,
        stopped: (c) => `Container ${c.name} has a writable root filesystem ${now(c)}.`,
        none: (n) => `All ${n} containers have a read-only root filesystem.`,
      },
    );
  },
};

/** Host directories whose contents (or anything under them) control or reveal the host. "/" matches only itself. */
const SENSITIVE_TREES = [
  '/boot',
  '/dev',
  '/etc',
  '/lib',
  '/lib32',
  '/lib64',
  '/libx32',
  '/proc',
  '/sys',
  '/usr',
  '/bin',
  '/sbin',
  '/root',
  '/var/lib/docker',
  '/var/lib/containerd',
];

/** Public, read-only files often shared for time zone, name resolution or CA trust: harmless when mounted read-only. */
const HARMLESS_READ_ONLY = [
  '/etc/localtime',
  '/etc/timezone',
  '/usr/share/zoneinfo',
  '/etc/ssl/certs',
  '/etc/ca-certificates',
  '/etc/pki/ca-trust/extracted',
  '/etc/machine-id',
  '/etc/os-release',
  '/usr/lib/os-release',
  '/etc/hostname',
  '/etc/hosts',
  '/etc/resolv.conf',
];

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
  remediation:
    'Re-create the container without the mount; mount only the specific, non-sensitive files it needs, read-only (-v /etc/localtime:/etc/localtime:ro).',
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
        const evidence = [
          ...mounts.map((m) => inspected(c, m.rw ? 'bind mount (read-write)' : 'bind mount (read-only)', `${m.source}:${m.destination}`)),
          ...userns.evidence,
          ...desktopNote(facts),
        ];
        // A remapped root writes host files only where "others" may: the exposure drops to what any local user can do.
        const level: Level = userns.kind !== 'host' ? (writable ? 'low' : 'note') : writable ? 'high' : 'low';
        return { evidence, level, writable, paths: mounts.map((m) => m.source) };
      },
      {
        running: (c, hit) =>
          hit.writable
            ? `Container ${c.name} can write to sensitive host paths: ${hit.paths.join(', ')}.`
            : `Container ${c.name} can read sensitive host paths (read-only): ${hit.paths.join(', ')}.`,
        stopped: (c, hit) =>
          `Container ${c.name} mounts sensitive host paths ${hit.paths.join(', ')}${hit.writable ? ' read-write' : ' read-only'} ${now(c)}.`,
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
    const endpoint =
      facts.endpoint.ok && facts.endpoint.value.transport === 'unix' ? facts.endpoint.value.host.slice('unix://'.length) : null;
    return perContainer(
      facts,
      (c) => {
        const mounts = c.mounts.filter((m) => m.type === 'bind' && exposesDockerSocket(m.source, endpoint));
        if (mounts.length === 0) return null;
        return {
          evidence: mounts.map((m) => ({
            label: `bind mount${m.rw ? '' : ' (read-only, still full API access)'}`,
            value: `${m.source}:${m.destination}`,
            source: inspectSource(c),
          })),
        };
      },
      {
        running: (c) => `Container ${c.name} has the Docker socket mounted: it can take over the host.`,
        stopped: (c) =>
          `Container ${c.name} mounts the Docker socket and can take over the host when started (it is ${c.state.status} now).`,
        none: (n) => `None of the ${n} containers mounts the Docker socket.`,
      },
    );
  },
};

/** Host device paths that give raw access to disks, memory or the kernel. */
const SENSITIVE_DEVICE =
  /^\/dev\/(sd[a-z]|hd[a-z]|vd[a-z]|xvd[a-z]|nvme\d|mmcblk\d|dm-\d|md\d|loop\d|sr\d|mapper\/|disk\/|mem$|kmem$|port$|kmsg$|cpu\/|snapshot$)/;

export const containerHostDevices: Check = {
  id: 'container.host-devices',
  title: 'No container is given raw host devices',
  category: 'isolation',
  severity: 'medium',
  rationale:
    'A device passed with --device is usable (read, write, mknod by default) from inside the container: a disk or loop device gives its filesystem raw, bypassing every permission; /dev/mem, /dev/kmsg or /dev/cpu/* reach the kernel. Other devices (GPUs, /dev/fuse, /dev/net/tun) are listed for review.',
  remediation:
    'Re-create the container without the --device, or with the narrowest permissions (--device /dev/x:/dev/x:r). Prefer a volume or a host-side service to handing over a disk.',
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
        const evidence = [
          inspected(c, 'HostConfig.Devices (host:container)', c.hostConfig.devices),
          ...(sensitive.length > 0 ? [inspected(c, 'raw disk, memory or kernel devices', sensitive)] : []),
          ...userns.evidence,
        ];
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

import type { Check } from '../../shared/check';
import type { Facts } from '../../shared/facts';
import type { Evidence } from '../../shared/finding';
import { desktopReason, isRootless, usesUserns } from '../check-kit/applicability';
import { daemonView, settingBoolean, settingEvidence, settingStrings } from '../check-kit/daemon-view';
import { compareMinor } from '../preflight/engine-version';
import { cis, docs } from './references';
import { INFO, fail, info, need, pass, warn } from '../check-kit/result';

/**
 * Daemon hardening beyond the first five daemon checks: the CIS Docker Benchmark section 2 settings, the storage
 * driver and the security options the running daemon reports. Each reads the running daemon (/info) where it tells,
 * else the configuration (daemon.json and flags) with its position.
 */

const LINUX: Check['platforms'] = ['linux'];

/** The configuration must be known when the daemon cannot be asked; otherwise the check errors with the reason. */
function requireConfig(facts: Facts): void {
  if (!facts.daemonConfig.ok) need(facts.daemonConfig, 'daemon.json');
}

const daemonStorageDriver: Check = {
  id: 'daemon.storage-driver',
  title: 'The storage driver is overlay2 (or another supported copy-on-write driver)',
  category: 'daemon-config',
  severity: 'medium',
  rationale:
    'aufs and devicemapper were removed from Docker Engine (24.0 and 25.0): a host still on them cannot be upgraded without losing its images. vfs has no copy-on-write, so every layer is a full copy and the disk fills quickly. overlay2 without d_type support corrupts files in containers.',
  remediation:
    'Use overlay2 (the default on any kernel from 4.0 with an ext4 or xfs (ftype=1) data root): set "storage-driver": "overlay2", then re-pull or re-build images (switching drivers hides the old ones).',
  references: [cis('2.6'), docs('Docker storage drivers', 'https://docs.docker.com/engine/storage/drivers/select-storage-driver/')],
  cis: '2.6',
  platforms: LINUX,
  fixId: null,
  applies: desktopReason,
  evaluate(facts) {
    const configured = daemonView(facts).setting('storage-driver');
    let driver: string;
    const evidence: Evidence[] = [];
    if (facts.info.ok) {
      driver = facts.info.value.driver;
      evidence.push({ label: 'storage driver (running daemon)', value: driver, source: INFO });
      const dtype = facts.info.value.driverStatus.find(([k]) => k === 'Supports d_type');
      if (dtype) evidence.push({ label: 'Supports d_type', value: dtype[1], source: INFO });
      if (driver === 'overlay2' && dtype?.[1] === 'false') {
        return fail('overlay2 runs on a filesystem without d_type support: files in containers can go missing or be corrupted.', {
          evidence,
        });
      }
    } else {
      requireConfig(facts);
      driver = typeof configured?.value === 'string' ? configured.value : 'overlay2';
      evidence.push(
        settingEvidence('storage-driver', configured, { value: 'overlay2', detail: 'dockerd picks overlay2 on current kernels' }),
      );
    }
    if (driver === 'aufs' || driver === 'devicemapper') {
      return fail(
        `The ${driver} storage driver is deprecated and removed from current Docker Engine releases: this host cannot be upgraded as it is.`,
        { evidence },
      );
    }
    if (driver === 'vfs')
      return warn('The vfs storage driver copies every layer in full (no copy-on-write): images take many times their size on disk.', {
        evidence,
      });
    return pass(`The ${driver} storage driver is supported.`, { evidence });
  },
};

const daemonTcpWithoutTls: Check = {
  id: 'daemon.tcp-without-tls',
  title: 'The daemon does not listen on TCP without TLS client verification',
  category: 'access',
  severity: 'critical',
  rationale:
    'The Docker API is root on the host. A tcp:// listener without --tlsverify lets anyone who can reach the port start a privileged container that mounts the host disk: exposed Docker ports are scanned for and taken over within minutes. TLS without verification encrypts, but still lets anyone in.',
  remediation:
    'Remove the tcp:// entry from "hosts" (use ssh:// to reach the daemon remotely: DOCKER_HOST=ssh://user@host), or set "tlsverify": true with "tlscacert", "tlscert" and "tlskey" so only clients with a certificate signed by your CA get in.',
  references: [cis('2.7'), docs('Protect the Docker daemon socket', 'https://docs.docker.com/engine/security/protect-access/')],
  cis: '2.7',
  platforms: LINUX,
  fixId: null,
  evaluate(facts) {
    requireConfig(facts);
    const view = daemonView(facts);
    const hosts = view.setting('hosts');
    const tcp = settingStrings(hosts).filter((h) => /^tcp:\/\//.test(h) || /^[^:/]*:\d+$/.test(h));
    const evidence: Evidence[] = [
      settingEvidence('hosts', hosts, { value: ['unix:///var/run/docker.sock'], detail: 'only the local socket' }),
    ];
    if (tcp.length === 0) return pass('The daemon listens on no TCP address.', { evidence });
    const verify = settingBoolean(view.setting('tlsverify'));
    const tls = settingBoolean(view.setting('tls'));
    evidence.push(settingEvidence('tlsverify', view.setting('tlsverify'), { value: false, detail: 'off unless set' }));
    if (verify === true) return pass(`The daemon listens on ${tcp.join(', ')} with TLS client verification.`, { evidence });
    const loopbackOnly = tcp.every((h) => /^(tcp:\/\/)?(127\.|localhost|\[::1\])/.test(h));
    const what = tls
      ? 'with TLS but without client verification: anyone who connects is trusted'
      : 'without TLS: anyone who connects gets root on this host';
    return fail(`The daemon listens on ${tcp.join(', ')} ${what}${loopbackOnly ? ' (loopback only: every local user and process)' : ''}.`, {
      evidence,
    });
  },
};

const daemonUserlandProxy: Check = {
  id: 'daemon.userland-proxy',
  title: 'The userland proxy is disabled',
  category: 'network',
  severity: 'low',
  rationale:
    'With the userland proxy, every published port runs a docker-proxy process that forwards traffic from the host: more processes, more memory, and the container sees the proxy as the client instead of the real source address. With it off, iptables NAT (hairpin) does the forwarding in the kernel.',
  remediation:
    'Set "userland-proxy": false in daemon.json and restart the daemon. On old kernels without hairpin NAT, connections to a published port from the host itself may then need the container IP.',
  references: [cis('2.16')],
  cis: '2.16',
  platforms: LINUX,
  fixId: 'daemon.userland-proxy',
  applies: (facts) =>
    isRootless(facts) ? 'a rootless daemon publishes ports through RootlessKit, not docker-proxy' : desktopReason(facts),
  evaluate(facts) {
    requireConfig(facts);
    const setting = daemonView(facts).setting('userland-proxy');
    const evidence = [settingEvidence('userland-proxy', setting, { value: true, detail: 'the userland proxy is on unless disabled' })];
    if (settingBoolean(setting) === false)
      return pass('The userland proxy is disabled: published ports are forwarded by the kernel.', { evidence });
    return fail('The userland proxy is enabled: every published port runs a docker-proxy process.', {
      evidence,
      fix: { id: 'daemon.userland-proxy', params: { value: false } },
    });
  },
};

const daemonNoNewPrivileges: Check = {
  id: 'daemon.no-new-privileges',
  title: 'Containers cannot gain new privileges by default',
  category: 'isolation',
  severity: 'medium',
  rationale:
    'Without no-new-privileges, a process in a container can gain privileges through setuid and setgid binaries (su, ping, a planted setuid shell). With it as the daemon default, every container runs with the kernel flag set unless a container explicitly opts out.',
  remediation:
    'Set "no-new-privileges": true in daemon.json and restart the daemon. Containers that need setuid binaries (rare) can opt out with --security-opt no-new-privileges=false.',
  references: [cis('2.14')],
  cis: '2.14',
  platforms: LINUX,
  fixId: 'daemon.no-new-privileges',
  evaluate(facts) {
    requireConfig(facts);
    const setting = daemonView(facts).setting('no-new-privileges');
    const evidence = [settingEvidence('no-new-privileges', setting, { value: false, detail: 'off unless enabled' })];
    if (settingBoolean(setting) === true) return pass('Containers run with no-new-privileges by default.', { evidence });
    return fail('Containers may gain new privileges through setuid binaries (no-new-privileges is not the default).', {
      evidence,
      fix: { id: 'daemon.no-new-privileges', params: { value: true } },
    });
  },
};

const daemonDefaultUlimits: Check = {
  id: 'daemon.default-ulimits',
  title: 'Default ulimits for containers are set deliberately',
  category: 'daemon-config',
  severity: 'low',
  rationale:
    "Without default-ulimits, containers inherit dockerd's own limits, which docker.service raises to infinity for open files and processes: one runaway container can exhaust the host's file descriptors or process table.",
  remediation:
    'Set "default-ulimits", e.g. {"nofile": {"Name": "nofile", "Soft": 65536, "Hard": 65536}, "nproc": {"Name": "nproc", "Soft": 4096, "Hard": 8192}}, and restart the daemon.',
  references: [cis('2.8')],
  cis: '2.8',
  platforms: LINUX,
  fixId: null,
  evaluate(facts) {
    requireConfig(facts);
    const setting = daemonView(facts).setting('default-ulimits');
    const evidence = [settingEvidence('default-ulimits', setting, { value: null, detail: "containers inherit dockerd's limits" })];
    if (setting && (typeof setting.value !== 'object' || setting.value === null || Object.keys(setting.value).length > 0)) {
      return pass('Default ulimits are set for containers.', { evidence });
    }
    return info(
      "No default ulimits: containers inherit dockerd's limits (docker.service sets LimitNOFILE and LimitNPROC to infinity on many distributions).",
      { evidence },
    );
  },
};

/**
 * How /info names the engine's own seccomp profile: "default" up to Engine 20.10, "builtin" in the newer engines
 * (26.1 and 28.5 are tested; the rename came with 23.0). A path there is a profile the administrator chose.
 */
const ENGINE_SECCOMP_PROFILE_NAMES = new Set(['default', 'builtin']);

const daemonSeccomp: Check = {
  id: 'daemon.seccomp',
  title: 'Seccomp confines containers by default',
  category: 'isolation',
  severity: 'high',
  rationale:
    'Docker\'s default seccomp profile blocks about 44 system calls a container never needs (kexec, mount of new filesystems, keyctl, ptrace on older kernels). A daemon with "seccomp-profile": "unconfined", or on a kernel without seccomp, runs every container without that filter.',
  remediation:
    'Remove "seccomp-profile": "unconfined" (or point it at a profile that is the default plus what you need) and restart the daemon; use a kernel with CONFIG_SECCOMP.',
  references: [cis('2.17'), docs('Seccomp security profiles for Docker', 'https://docs.docker.com/engine/security/seccomp/')],
  cis: '2.17',
  platforms: LINUX,
  fixId: null,
  evaluate(facts) {
    const configured = daemonView(facts).setting('seccomp-profile');
    if (!facts.info.ok) {
      requireConfig(facts);
      const evidence = [settingEvidence('seccomp-profile', configured, { value: 'default', detail: "Docker's default profile" })];
      if (configured?.value === 'unconfined')
        return fail('The daemon is configured to run containers without seccomp ("seccomp-profile": "unconfined").', { evidence });
      return pass(
        configured ? `Containers use the seccomp profile ${String(configured.value)}.` : "Containers use Docker's default seccomp profile.",
        { evidence },
      );
    }
    const option = facts.info.value.securityOptions.find((o) => o.startsWith('name=seccomp'));
    const evidence: Evidence[] = [{ label: 'security options (running daemon)', value: facts.info.value.securityOptions, source: INFO }];
    if (configured) evidence.push(settingEvidence('seccomp-profile', configured, { value: null, detail: '' }));
    if (!option)
      return fail(
        'The daemon reports no seccomp support: containers run without a system-call filter (kernel without CONFIG_SECCOMP, or dockerd built without it).',
        { evidence },
      );
    const profile = /profile=([^,]+)/.exec(option)?.[1] ?? 'default';
    if (profile === 'unconfined') return fail('Containers run without seccomp by default (profile=unconfined).', { evidence });
    if (ENGINE_SECCOMP_PROFILE_NAMES.has(profile))
      return pass(`Containers are confined by Docker's default seccomp profile (the daemon reports profile=${profile}).`, { evidence });
    return pass(`Containers are confined by the seccomp profile ${profile}.`, { evidence });
  },
};

const daemonMandatoryAccessControl: Check = {
  id: 'daemon.mac-profile',
  title: 'AppArmor or SELinux confines containers',
  category: 'isolation',
  severity: 'medium',
  rationale:
    'AppArmor (Debian, Ubuntu, SUSE) or SELinux (Fedora, RHEL) adds a mandatory access-control profile to each container: even root in a container that escapes its namespaces cannot write to most of the host. A daemon that reports neither runs containers with only namespaces, capabilities and seccomp between them and the host.',
  remediation:
    'Install and enable AppArmor (apparmor package, kernel parameter apparmor=1) or SELinux with container-selinux and "selinux-enabled": true in daemon.json, then restart the daemon.',
  references: [cis('5.1'), cis('5.2')],
  cis: null,
  platforms: LINUX,
  fixId: null,
  applies: (facts) =>
    isRootless(facts) ? 'a rootless daemon cannot load AppArmor profiles (it has user-namespace isolation instead)' : desktopReason(facts),
  evaluate(facts) {
    const infoFact = need(facts.info, 'the running daemon');
    const mac = infoFact.securityOptions.filter((o) => /name=(apparmor|selinux)/.test(o));
    const evidence: Evidence[] = [{ label: 'security options (running daemon)', value: infoFact.securityOptions, source: INFO }];
    if (mac.length > 0) return pass(`Containers are confined by ${mac.map((o) => /name=(\w+)/.exec(o)![1]).join(' and ')}.`, { evidence });
    return warn('Neither AppArmor nor SELinux confines containers on this daemon.', { evidence });
  },
};

const daemonExperimental: Check = {
  id: 'daemon.experimental',
  title: 'Experimental features are off',
  category: 'daemon-config',
  severity: 'low',
  rationale:
    'Experimental features change between releases without notice and are not covered by security fixes the way stable ones are: a production daemon should not depend on them.',
  remediation: 'Remove "experimental": true from daemon.json (and --experimental from the unit) and restart the daemon.',
  references: [cis('2.18')],
  cis: '2.18',
  platforms: ['linux', 'darwin', 'win32'],
  fixId: 'daemon.experimental',
  evaluate(facts) {
    const setting = daemonView(facts).setting('experimental');
    const evidence: Evidence[] = [];
    let on: boolean;
    if (facts.info.ok) {
      on = facts.info.value.experimentalBuild;
      evidence.push({ label: 'experimental (running daemon)', value: on, source: INFO });
    } else {
      requireConfig(facts);
      on = settingBoolean(setting) === true;
      evidence.push(settingEvidence('experimental', setting, { value: false, detail: 'off unless enabled' }));
    }
    if (!on) return pass('Experimental features are off.', { evidence });
    return fail('Experimental features are enabled on this daemon.', {
      evidence,
      fix: { id: 'daemon.experimental', params: { value: false } },
    });
  },
};

const daemonLogLevel: Check = {
  id: 'daemon.log-level',
  title: 'The daemon logs at level info',
  category: 'logging',
  severity: 'low',
  rationale:
    'At debug, dockerd logs every API request, including environment values and build arguments that may hold secrets, and its log grows fast. Below info (warn, error), the events an incident investigation needs are not recorded.',
  remediation: 'Remove "debug": true and set "log-level": "info" (or leave both unset), then restart the daemon.',
  references: [cis('2.3')],
  cis: '2.3',
  platforms: LINUX,
  fixId: 'daemon.log-level',
  evaluate(facts) {
    requireConfig(facts);
    const view = daemonView(facts);
    const level = view.setting('log-level');
    const debug = view.setting('debug');
    const evidence = [
      settingEvidence('log-level', level, { value: 'info', detail: 'info unless set' }),
      settingEvidence('debug', debug, { value: false, detail: 'off unless set' }),
    ];
    const value = typeof level?.value === 'string' ? level.value.toLowerCase() : 'info';
    if (settingBoolean(debug) === true || value === 'debug' || value === 'trace') {
      return fail('The daemon logs at debug level: API requests, including values that may be secrets, end up in its log.', {
        evidence,
        fix: { id: 'daemon.log-level', params: { 'log-level': 'info', debug: false } },
      });
    }
    if (value !== 'info')
      return warn(`The daemon logs only at level ${value}: events an investigation needs are not recorded.`, {
        evidence,
        fix: { id: 'daemon.log-level', params: { 'log-level': 'info' } },
      });
    return pass('The daemon logs at level info.', { evidence });
  },
};

const daemonIptables: Check = {
  id: 'daemon.iptables',
  title: 'Docker manages iptables',
  category: 'network',
  severity: 'medium',
  rationale:
    'With "iptables": false, Docker adds no NAT or isolation rules: published ports do not work as documented, containers on different networks are no longer isolated from each other, and people "fix" it with broad hand-written rules.',
  remediation:
    'Remove "iptables": false (and --iptables=false) and restart the daemon; put your own rules in the DOCKER-USER chain, which Docker leaves alone.',
  references: [cis('2.4'), docs('Packet filtering and firewalls', 'https://docs.docker.com/engine/network/packet-filtering-firewalls/')],
  cis: '2.4',
  platforms: LINUX,
  fixId: 'daemon.iptables',
  applies: desktopReason,
  evaluate(facts) {
    requireConfig(facts);
    const setting = daemonView(facts).setting('iptables');
    const evidence = [settingEvidence('iptables', setting, { value: true, detail: 'Docker manages iptables unless told not to' })];
    if (settingBoolean(setting) === false)
      return fail('Docker does not manage iptables: network isolation and port publishing rely on hand-written rules.', {
        evidence,
        fix: { id: 'daemon.iptables', params: { value: true } },
      });
    return pass('Docker manages iptables.', { evidence });
  },
};

const daemonAuthorizationPlugins: Check = {
  id: 'daemon.authorization-plugins',
  title: 'An authorization plugin controls access to the API',
  category: 'access',
  severity: 'info',
  rationale:
    'By default anyone who can reach the Docker API can do anything with it. An authorization plugin (e.g. OPA) decides per request, so a CI job can build without being able to run privileged containers. Most single-user workstations do not need one; shared build hosts do.',
  remediation: 'On shared hosts, install an authorization plugin and list it in "authorization-plugins".',
  references: [cis('2.12'), docs('Access authorization plugin', 'https://docs.docker.com/engine/extend/plugins_authorization/')],
  cis: '2.12',
  platforms: LINUX,
  fixId: null,
  evaluate(facts) {
    requireConfig(facts);
    const setting = daemonView(facts).setting('authorization-plugins');
    const plugins = settingStrings(setting);
    const evidence = [settingEvidence('authorization-plugins', setting, { value: [], detail: 'none: every API client may do everything' })];
    if (plugins.length > 0) return pass(`API requests go through ${plugins.join(', ')}.`, { evidence });
    return info('No authorization plugin: every client that reaches the API may do everything.', { evidence });
  },
};

const REMOTE_DRIVERS = new Set(['syslog', 'journald', 'gelf', 'fluentd', 'awslogs', 'splunk', 'etwlogs', 'gcplogs', 'logentries']);

const daemonRemoteLogging: Check = {
  id: 'daemon.remote-logging',
  title: 'Container logs are shipped off the container',
  category: 'logging',
  severity: 'info',
  rationale:
    'json-file and local logs live next to the container and are deleted with it: after a crash loop is cleaned up or a compromised container is removed, its logs are gone. A central driver (journald, syslog, fluentd...) keeps them.',
  remediation:
    'Set "log-driver" to journald, syslog or your collector (fluentd, gelf, ...) in daemon.json; from Engine 20.10, `docker logs` still works through dual logging.',
  references: [cis('2.13')],
  cis: '2.13',
  platforms: LINUX,
  fixId: null,
  evaluate(facts) {
    const configured = daemonView(facts).setting('log-driver');
    let driver: string;
    let evidence: Evidence;
    if (facts.info.ok) {
      driver = facts.info.value.loggingDriver;
      evidence = { label: 'log driver (running daemon)', value: driver, source: INFO };
    } else {
      requireConfig(facts);
      driver = typeof configured?.value === 'string' ? configured.value : 'json-file';
      evidence = settingEvidence('log-driver', configured, { value: 'json-file', detail: "dockerd's default" });
    }
    if (REMOTE_DRIVERS.has(driver)) return pass(`Container logs go to ${driver}.`, { evidence: [evidence] });
    return info(`Container logs stay on this host (${driver}) and are deleted with each container.`, { evidence: [evidence] });
  },
};

const daemonCgroupParent: Check = {
  id: 'daemon.cgroup-parent',
  title: 'Containers use the default cgroup parent',
  category: 'daemon-config',
  severity: 'info',
  rationale:
    "A custom cgroup-parent moves every container under another cgroup: its limits then apply to all containers together, and a wrong slice can starve them or lift the host's own limits. It should be a deliberate choice.",
  remediation: 'Confirm the "cgroup-parent" value is intended (with the systemd cgroup driver it must be a .slice), or remove it.',
  references: [cis('2.10')],
  cis: '2.10',
  platforms: LINUX,
  fixId: null,
  evaluate(facts) {
    requireConfig(facts);
    const setting = daemonView(facts).setting('cgroup-parent');
    const evidence = [settingEvidence('cgroup-parent', setting, { value: null, detail: 'the default: /docker or system.slice' })];
    if (!setting || setting.value === '') return pass('Containers use the default cgroup parent.', { evidence });
    return info(`Containers are placed under the cgroup ${String(setting.value)}: confirm its limits are intended.`, { evidence });
  },
};

const daemonRootless: Check = {
  id: 'daemon.rootless',
  title: 'The daemon runs without root where it can',
  category: 'isolation',
  severity: 'info',
  rationale:
    'A rootful daemon is root: an escape from any container, or anyone with the API, gets root on the host. Rootless Docker runs the daemon and containers as an ordinary user, so an escape lands in that user. Some features (overlay networks, AppArmor, ports below 1024 without setup) are limited.',
  remediation: 'Where the workloads allow it, install rootless Docker (dockerd-rootless-setuptool.sh install) for the user that runs them.',
  references: [cis('2.1'), docs('Rootless mode', 'https://docs.docker.com/engine/security/rootless/')],
  cis: '2.1',
  platforms: LINUX,
  fixId: null,
  applies: desktopReason,
  evaluate(facts) {
    const infoFact = need(facts.info, 'the running daemon');
    const evidence: Evidence[] = [{ label: 'security options (running daemon)', value: infoFact.securityOptions, source: INFO }];
    if (isRootless(facts)) return pass('The daemon runs rootless.', { evidence });
    if (usesUserns(facts)) return pass('The daemon runs as root, but containers are user-namespace remapped.', { evidence });
    return info('The daemon and its containers run as root (neither rootless nor userns-remap).', { evidence });
  },
};

const daemonSwarm: Check = {
  id: 'daemon.swarm',
  title: 'Swarm mode is off unless it is used',
  category: 'daemon-config',
  severity: 'low',
  rationale:
    'Swarm mode opens the cluster management port (2377) and the gossip ports, and keeps cluster secrets on the host: on a host that is not part of a cluster, it is attack surface with no purpose.',
  remediation: 'If this host is not meant to be a swarm node, run `docker swarm leave` (add --force on a manager).',
  references: [cis('7.1')],
  cis: '7.1',
  platforms: ['linux', 'darwin', 'win32'],
  fixId: null,
  evaluate(facts) {
    const infoFact = need(facts.info, 'the running daemon');
    const evidence: Evidence[] = [{ label: 'Swarm.LocalNodeState', value: infoFact.swarmState ?? 'inactive', source: INFO }];
    if (infoFact.swarmState === 'active' || infoFact.swarmState === 'pending') {
      return warn('Swarm mode is active on this host: confirm it is meant to be a cluster node.', { evidence });
    }
    return pass('Swarm mode is off.', { evidence });
  },
};

const UNSAFE_FS = new Map([
  ['tmpfs', 'a tmpfs: every image, container and volume is lost at reboot'],
  ['nfs', 'NFS: overlay2 does not support it and locking is unreliable'],
  ['nfs4', 'NFS: overlay2 does not support it and locking is unreliable'],
  ['cifs', 'a CIFS/SMB share: not supported as a data root'],
  ['smb3', 'a CIFS/SMB share: not supported as a data root'],
]);

const daemonDataRootFilesystem: Check = {
  id: 'daemon.data-root-filesystem',
  title: "Docker's data root is on a local persistent filesystem",
  category: 'disk',
  severity: 'high',
  rationale:
    "Docker's data root must be on a local disk filesystem that the storage driver supports: on tmpfs everything disappears at reboot, on network filesystems overlay2 does not work and image layers corrupt.",
  remediation:
    'Move the data root to a local ext4 or xfs (ftype=1) filesystem: stop Docker, copy /var/lib/docker, set "data-root" in daemon.json, start Docker.',
  references: [docs('Daemon data directory', 'https://docs.docker.com/engine/daemon/#daemon-data-directory')],
  cis: null,
  platforms: LINUX,
  fixId: null,
  applies: desktopReason,
  evaluate(facts) {
    const fs = need(facts.dataRootFs, 'the data root filesystem');
    const evidence: Evidence[] = [
      { label: 'data root', value: fs.path, source: facts.dataRootFs.sources[0] ?? INFO },
      {
        label: 'filesystem',
        value: `${fs.fsType ?? 'unknown'} mounted on ${fs.mountPoint ?? 'unknown'}`,
        source: { kind: 'file', path: '/proc/self/mounts' },
      },
    ];
    const type = fs.fsType ?? '';
    const problem =
      UNSAFE_FS.get(type) ?? (type.startsWith('fuse.') && type !== 'fuse.fuse-overlayfs' ? `a FUSE filesystem (${type})` : null);
    if (problem) return fail(`The data root ${fs.path} is on ${problem}.`, { evidence });
    if (!fs.fsType) return info(`The filesystem type of ${fs.path} could not be determined.`, { evidence });
    return pass(`The data root ${fs.path} is on a local ${fs.fsType} filesystem.`, { evidence });
  },
};

/** Drivers that keep a local copy `docker logs` can read without dual logging. */
export const READABLE_DRIVERS = new Set(['json-file', 'local', 'journald']);

const daemonDockerLogsReadable: Check = {
  id: 'logging.docker-logs-readable',
  title: '`docker logs` shows container output',
  category: 'logging',
  severity: 'medium',
  rationale:
    'With the "none" log driver nothing a container prints is kept. With a remote driver (syslog, fluentd, gelf, awslogs, splunk...) `docker logs` reads the local dual-logging cache; engines before 20.10 have no such cache, and "cache-disabled": "true" turns it off, so `docker logs` then shows nothing when you need it most.',
  remediation:
    'Use json-file (with max-size), local or journald, or keep the dual-logging cache on (do not set "cache-disabled": "true" in log-opts), and upgrade engines older than 20.10.',
  references: [docs('Use docker logs with remote logging drivers', 'https://docs.docker.com/engine/logging/dual-logging/')],
  cis: null,
  platforms: ['linux', 'darwin', 'win32'],
  fixId: null,
  evaluate(facts) {
    const view = daemonView(facts);
    const configured = view.setting('log-driver');
    let driver: string;
    let driverEvidence: Evidence;
    if (facts.info.ok) {
      driver = facts.info.value.loggingDriver;
      driverEvidence = { label: 'log driver (running daemon)', value: driver, source: INFO };
    } else {
      requireConfig(facts);
      driver = typeof configured?.value === 'string' ? configured.value : 'json-file';
      driverEvidence = settingEvidence('log-driver', configured, { value: 'json-file', detail: "dockerd's default" });
    }
    const evidence: Evidence[] = [driverEvidence];
    if (driver === 'none')
      return fail('The log driver is "none": nothing containers print is kept, and `docker logs` shows nothing.', { evidence });
    if (READABLE_DRIVERS.has(driver)) return pass(`\`docker logs\` reads the ${driver} driver's own records.`, { evidence });
    const opts = view.setting('log-opts');
    const cacheDisabled =
      opts?.origin === 'file' &&
      typeof opts.value === 'object' &&
      opts.value !== null &&
      (opts.value as Record<string, unknown>)['cache-disabled'] === 'true';
    if (opts) evidence.push(settingEvidence('log-opts', opts, { value: null, detail: '' }));
    if (cacheDisabled)
      return fail(`The ${driver} driver runs with the dual-logging cache disabled: \`docker logs\` shows nothing.`, { evidence });
    if (compareMinor(view.engineVersion, '20.10') < 0)
      return fail(`Engine ${view.engineVersion} has no dual logging: with the ${driver} driver, \`docker logs\` shows nothing.`, {
        evidence,
      });
    return pass(`\`docker logs\` reads the dual-logging cache kept beside the ${driver} driver.`, { evidence });
  },
};

export const DAEMON_HARDENING_CHECKS: readonly Check[] = [
  daemonStorageDriver,
  daemonTcpWithoutTls,
  daemonUserlandProxy,
  daemonNoNewPrivileges,
  daemonDefaultUlimits,
  daemonSeccomp,
  daemonMandatoryAccessControl,
  daemonExperimental,
  daemonLogLevel,
  daemonIptables,
  daemonAuthorizationPlugins,
  daemonRemoteLogging,
  daemonCgroupParent,
  daemonRootless,
  daemonSwarm,
  daemonDataRootFilesystem,
  daemonDockerLogsReadable,
];

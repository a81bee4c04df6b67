import type { Check } from '../../shared/check';
import type { Facts } from '../../shared/facts';
import type { FileStatFact } from '../../shared/facts/host-files';
import type { CheckResult, Severity } from '../../shared/finding';
import { FILE_ROLES, type FileRole } from '../../shared/facts/file-roles';
import { isRootless } from '../check-kit/applicability';
import { cis, docs } from './references';
import { errored, fail, need, pass, skipped, warn } from '../check-kit/result';
import {
  desktopOnly,
  desktopOrRootless,
  octal,
  describeBits,
  capitalised,
  ownerText,
  statEvidence,
  filesWithRole,
  dockerGroupName,
  looked,
} from './file-evidence';

// ---------------------------------------------------------------------------------------------------------------
// CIS 3.x: ownership and permissions of Docker's files

interface FileRule {
  /** Id segment: files.<key>.owner and files.<key>.mode */
  key: string;
  /** How the file is named in titles and messages. */
  what: string;
  roles: readonly FileRole[];
  cisOwner: string;
  cisMode: string;
  /** The permission bits CIS allows ("644 or more restrictive" = no bit outside 0644). */
  mask: number;
  /** Also accept the Docker socket's group (root:docker). */
  dockerGroup?: boolean;
  ownerSeverity: Severity;
  modeSeverity: Severity;
  /** What whoever can write (or read) it can do: the concrete risk. */
  risk: string;
  /** Why no result: nothing of this kind exists here. */
  missing(candidates: FileStatFact[]): string;
  /** Sockets are re-created by dockerd/systemd: a chmod is not a fix. */
  sockets?: boolean;
  ownerApplies?(facts: Facts): string | null;
  modeApplies?(facts: Facts): string | null;
  /** Only regular files are judged (certs.d holds directories too). */
  filesOnly?: boolean;
  /** `what` names several files (titles say "are", "have"). */
  plural?: boolean;
}

const FILE_RULES: readonly FileRule[] = [
  {
    key: 'docker-service',
    what: 'docker.service',
    roles: [FILE_ROLES.serviceUnit, FILE_ROLES.serviceDropIn],
    cisOwner: '3.1',
    cisMode: '3.2',
    mask: 0o644,
    ownerSeverity: 'high',
    modeSeverity: 'high',
    risk: 'change the command line dockerd runs with, as root, at its next start',
    missing: () => "docker.service is not installed in systemd's unit directories (dockerd is not managed by systemd here)",
  },
  {
    key: 'docker-socket-unit',
    what: 'docker.socket',
    roles: [FILE_ROLES.socketUnit, FILE_ROLES.socketDropIn],
    cisOwner: '3.3',
    cisMode: '3.4',
    mask: 0o644,
    ownerSeverity: 'high',
    modeSeverity: 'high',
    risk: 'change who may use the Docker socket (SocketMode, SocketGroup), and so who controls Docker',
    missing: () => "docker.socket is not installed in systemd's unit directories (dockerd is not socket-activated here)",
  },
  {
    key: 'etc-docker',
    what: '/etc/docker',
    roles: [FILE_ROLES.etcDocker],
    cisOwner: '3.5',
    cisMode: '3.6',
    mask: 0o755,
    ownerSeverity: 'high',
    modeSeverity: 'high',
    risk: "replace daemon.json, the registry certificates and the TLS keys it holds, i.e. rewrite the daemon's configuration",
    missing: () => 'there is no /etc/docker directory on this host',
  },
  {
    key: 'registry-certs',
    what: 'registry certificates and keys in /etc/docker/certs.d',
    plural: true,
    roles: [FILE_ROLES.registryCert],
    cisOwner: '3.7',
    cisMode: '3.8',
    mask: 0o444,
    ownerSeverity: 'medium',
    modeSeverity: 'medium',
    risk: 'plant a CA that lets a man in the middle impersonate the registry, or read the client key used to log in to it',
    missing: () => 'there are no registry certificates in /etc/docker/certs.d',
    filesOnly: true,
  },
  {
    key: 'tls-ca',
    what: "dockerd's TLS CA certificate",
    roles: [FILE_ROLES.tlsCa],
    cisOwner: '3.9',
    cisMode: '3.10',
    mask: 0o444,
    ownerSeverity: 'medium',
    modeSeverity: 'medium',
    risk: 'swap the CA, so that client certificates they issue themselves are accepted by the daemon: full control of Docker over TCP',
    missing: (c) =>
      c.length === 0
        ? 'dockerd is not configured for TLS client verification (no --tlscacert / "tlscacert", no --tlsverify)'
        : `the TLS CA certificate dockerd is configured with does not exist (${looked(c)})`,
  },
  {
    key: 'tls-cert',
    what: "dockerd's TLS server certificate",
    roles: [FILE_ROLES.tlsCert],
    cisOwner: '3.11',
    cisMode: '3.12',
    mask: 0o444,
    ownerSeverity: 'medium',
    modeSeverity: 'medium',
    risk: "replace the daemon's certificate, breaking or hijacking the identity clients verify",
    missing: (c) =>
      c.length === 0
        ? 'dockerd is not configured for TLS (no --tlscert / "tlscert", no --tls or --tlsverify)'
        : `the TLS certificate dockerd is configured with does not exist (${looked(c)})`,
  },
  {
    key: 'tls-key',
    what: "dockerd's TLS server key",
    roles: [FILE_ROLES.tlsKey],
    cisOwner: '3.13',
    cisMode: '3.14',
    mask: 0o400,
    ownerSeverity: 'high',
    modeSeverity: 'high',
    risk: 'read the private key and impersonate the Docker daemon to every client that trusts it',
    missing: (c) =>
      c.length === 0
        ? 'dockerd is not configured for TLS (no --tlskey / "tlskey", no --tls or --tlsverify)'
        : `the TLS key dockerd is configured with does not exist (${looked(c)})`,
  },
  {
    key: 'docker-sock',
    what: 'the Docker socket',
    roles: [FILE_ROLES.dockerSocket],
    cisOwner: '3.15',
    cisMode: '3.16',
    mask: 0o660,
    dockerGroup: true,
    ownerSeverity: 'high',
    modeSeverity: 'high',
    risk: 'talk to the Docker API, start a privileged container with the host filesystem mounted, and so become root',
    missing: (c) => `there is no Docker socket at ${looked(c)} (the daemon is not running here, or listens elsewhere)`,
    sockets: true,
    ownerApplies: desktopOrRootless,
    modeApplies: desktopOrRootless,
  },
  {
    key: 'daemon-json',
    what: 'daemon.json',
    roles: [FILE_ROLES.daemonJson],
    cisOwner: '3.17',
    cisMode: '3.18',
    mask: 0o644,
    ownerSeverity: 'high',
    modeSeverity: 'high',
    risk: 'change how dockerd runs at its next start: add an insecure registry, a runtime of their own, or turn off isolation',
    missing: (c) => `there is no daemon.json at ${looked(c)} (dockerd runs with its defaults)`,
    ownerApplies: (facts) =>
      desktopOnly(facts) ?? (isRootless(facts) ? 'the daemon is rootless: its daemon.json belongs to the user who runs it' : null),
  },
  {
    key: 'default-docker',
    what: '/etc/default/docker',
    roles: [FILE_ROLES.defaultDocker],
    cisOwner: '3.19',
    cisMode: '3.20',
    mask: 0o644,
    ownerSeverity: 'high',
    modeSeverity: 'high',
    risk: "change DOCKER_OPTS, and with it dockerd's command line at its next start",
    missing: () => 'there is no /etc/default/docker on this host (Debian-family hosts have it only when the package installs one)',
  },
  {
    key: 'sysconfig-docker',
    what: '/etc/sysconfig/docker',
    roles: [FILE_ROLES.sysconfigDocker],
    cisOwner: '3.22',
    cisMode: '3.21',
    mask: 0o644,
    ownerSeverity: 'high',
    modeSeverity: 'high',
    risk: "change OPTIONS, and with it dockerd's command line at its next start",
    missing: () => 'there is no /etc/sysconfig/docker on this host (it exists on RHEL-family hosts)',
  },
  {
    key: 'containerd-sock',
    what: 'the containerd socket',
    roles: [FILE_ROLES.containerdSocket],
    cisOwner: '3.23',
    cisMode: '3.24',
    mask: 0o660,
    ownerSeverity: 'high',
    modeSeverity: 'high',
    risk: "talk to containerd directly, bypassing Docker's API and its authorization plugins, and run anything as root",
    missing: (c) => `there is no containerd socket at ${looked(c)} (containerd is not running here, or dockerd runs its own)`,
    sockets: true,
  },
];

/** The results of a rule for every existing file, or one skipped result saying nothing of the kind is here. */
function perFile(facts: Facts, rule: FileRule, judge: (f: FileStatFact) => CheckResult): CheckResult | CheckResult[] {
  const files = need(facts.files, 'file permissions');
  const candidates = filesWithRole(files, rule.roles);
  const present = candidates.filter((f) => f.exists && (!rule.filesOnly || f.kind === 'file' || f.error !== null));
  if (present.length === 0) return skipped(rule.missing(candidates));
  return present.map((f) => (f.error !== null ? errored(`cannot stat ${f.path}: ${f.error}`, f.path) : judge(f)));
}

function judgeOwner(facts: Facts, rule: FileRule, f: FileStatFact): CheckResult {
  const evidence = statEvidence(f);
  const groupName = rule.dockerGroup ? dockerGroupName(facts).name : null;
  const expected = groupName ? `root:${groupName} (or root:root)` : 'root:root';
  const fix = rule.sockets ? null : { id: 'files.chown', params: { path: f.path, owner: 'root', group: 'root' } };
  if (f.uid !== 0) {
    return fail(`${f.path} is owned by ${f.owner ?? `uid ${f.uid}`}, not root: that user can ${rule.risk}.`, {
      target: f.path,
      evidence,
      fix,
    });
  }
  const groupOk = f.gid === 0 || (groupName !== null && f.group === groupName);
  if (groupOk)
    return pass(`${f.path} is owned by ${ownerText(f)}, as CIS ${rule.cisOwner} asks (${expected}).`, { target: f.path, evidence });
  const group = f.group ?? `gid ${f.gid}`;
  if ((f.mode ?? 0) & 0o020) {
    return fail(`${f.path} belongs to group ${group}, which can write it: its members can ${rule.risk}.`, {
      target: f.path,
      evidence,
      fix,
    });
  }
  return warn(`${f.path} belongs to group ${group} (the group cannot write it, but CIS ${rule.cisOwner} asks for ${expected}).`, {
    target: f.path,
    evidence,
    fix,
  });
}

function judgeMode(rule: FileRule, f: FileStatFact): CheckResult {
  const evidence = statEvidence(f);
  // Execute bits mean nothing on a socket (connect(2) needs write): do not fail 0770 where 0660 is asked.
  const mode = rule.sockets ? f.mode! & ~0o111 : f.mode!;
  const excess = mode & 0o7777 & ~rule.mask;
  const wanted = octal(rule.mask);
  if (excess === 0) return pass(`${f.path} has mode ${octal(f.mode!)} (${wanted} or stricter).`, { target: f.path, evidence });
  const fix = rule.sockets ? null : { id: 'files.chmod', params: { path: f.path, mode: octal(f.mode! & rule.mask) } };
  const bits = describeBits(excess);
  // Bits beyond the owner's (or setuid/setgid/sticky) open the file to other users: that is the real finding.
  if (excess & 0o077) {
    return fail(`${f.path} has mode ${octal(f.mode!)}: ${bits} more than ${wanted} allows, so other users can ${rule.risk}.`, {
      target: f.path,
      evidence,
      fix,
    });
  }
  return warn(
    `${f.path} has mode ${octal(f.mode!)}: ${bits} more than ${wanted} allows (no other user gains access from it, but CIS ${rule.cisMode} asks for ${wanted} or stricter).`,
    {
      target: f.path,
      evidence,
      fix,
    },
  );
}

const STAT_DOC = docs('CIS Docker Benchmark section 3: Docker daemon configuration files', 'https://www.cisecurity.org/benchmark/docker');

function ownerCheck(rule: FileRule): Check {
  return {
    id: `files.${rule.key}.owner`,
    title: `${capitalised(rule.what)} ${rule.plural ? 'are' : 'is'} owned by root${rule.dockerGroup ? ':docker' : ':root'}`,
    category: 'files',
    severity: rule.ownerSeverity,
    rationale: `Whoever owns ${rule.what} can change ${rule.plural ? 'their' : 'its'} permissions and contents: a non-root owner (or a group other than root${rule.dockerGroup ? ' or docker' : ''} with write access) can ${rule.risk}.`,
    remediation: rule.sockets
      ? `Make the service that creates it set the owner: for the Docker socket, SocketUser=root and SocketGroup=docker in docker.socket (or dockerd's "group" setting); for containerd, its [grpc] uid/gid in /etc/containerd/config.toml. Then restart the service; a chown alone is undone at the next start.`
      : `chown root:root on each file listed (sudo chown root:root PATH).`,
    references: [cis(rule.cisOwner), STAT_DOC],
    cis: rule.cisOwner,
    platforms: ['linux'],
    fixId: rule.sockets ? null : 'files.chown',
    applies: rule.ownerApplies ?? desktopOnly,
    evaluate: (facts) => perFile(facts, rule, (f) => judgeOwner(facts, rule, f)),
  };
}

function modeCheck(rule: FileRule): Check {
  const wanted = octal(rule.mask);
  return {
    id: `files.${rule.key}.mode`,
    title: `${capitalised(rule.what)} ${rule.plural ? 'have' : 'has'} mode ${wanted} or stricter`,
    category: 'files',
    severity: rule.modeSeverity,
    rationale: `If users other than root can ${rule.mask & 0o044 ? 'write' : 'read or write'} ${rule.what}, they can ${rule.risk}. Each permission bit is compared with ${wanted} (docker-bench compares modes as decimal numbers and so passes 606 or 622 as "644 or stricter"); bits that give no other user access (the owner's own bits, setuid, setgid, sticky) give a warning, not a failure.`,
    remediation: rule.sockets
      ? `Make the service that creates it set the mode: SocketMode=0660 in docker.socket for the Docker socket; containerd creates its socket 0660. Find and remove whatever chmod's it wider (a provisioning script, a "fix" from a forum), then restart the service.`
      : `chmod ${wanted} each file listed (sudo chmod ${wanted} PATH); remove group and world write bits first.`,
    references: [cis(rule.cisMode), STAT_DOC],
    cis: rule.cisMode,
    platforms: ['linux'],
    fixId: rule.sockets ? null : 'files.chmod',
    applies: rule.modeApplies ?? desktopOnly,
    evaluate: (facts) => perFile(facts, rule, (f) => judgeMode(rule, f)),
  };
}

export const FILE_CHECKS: readonly Check[] = FILE_RULES.flatMap((rule) => [ownerCheck(rule), modeCheck(rule)]);

import type { Check } from '../../shared/check';
import type { Facts } from '../../shared/facts';
import type { AccountsFact, FileStatFact, SubIdsFact } from '../../shared/facts/host-files';
import type { CheckResult, Evidence } from '../../shared/finding';
import { FILE_ROLES, type FileRole } from '../../shared/facts/file-roles';
import { isRootless } from '../check-kit/applicability';
import { daemonView } from '../check-kit/daemon-view';
import { cis, docs } from './references';
import { INFO, errored, fail, info, need, pass, skipped, warn } from '../check-kit/result';
import {
  desktopOnly,
  desktopOrRootless,
  fileSource,
  octal,
  ownerText,
  statEvidence,
  filesWithRole,
  dockerGroupName,
  looked,
} from './file-evidence';
import { FILE_CHECKS } from './files';

// ---------------------------------------------------------------------------------------------------------------
// the Docker socket and the docker group

const DOCKER_GROUP_DOCS = docs(
  'Docker Engine security: Docker daemon attack surface',
  'https://docs.docker.com/engine/security/#docker-daemon-attack-surface',
);

function groupEvidence(group: AccountsFact['groups'][number]): Evidence {
  return {
    label: `group ${group.name} in /etc/group`,
    value: `${group.name}:x:${group.gid}:${group.members.join(',')}`,
    source: fileSource('/etc/group', group.line),
  };
}

/** Members of a group: listed in /etc/group, or having it as primary group in /etc/passwd (which /etc/group omits). */
function groupMembers(accounts: AccountsFact, group: AccountsFact['groups'][number]): { name: string; primary: boolean }[] {
  const out = new Map<string, boolean>();
  for (const m of group.members) out.set(m, false);
  for (const u of accounts.users) if (u.gid === group.gid && !out.has(u.name)) out.set(u.name, true);
  out.delete('root');
  return [...out].map(([name, primary]) => ({ name, primary }));
}

export const accessDockerGroup: Check = {
  id: 'access.docker-group',
  title: 'Only trusted users are in the docker group',
  category: 'access',
  severity: 'high',
  rationale:
    'Membership of the docker group gives access to the Docker socket, and that is root on the host without a password: `docker run -v /:/host --privileged ...` needs nothing more. Every member must be someone you would give sudo to.',
  remediation:
    'Remove users who do not need Docker: `sudo gpasswd -d USER docker` (they keep access until they log out). Give others rootless Docker instead. Tell Dockhand who is trusted with the trustedDockerUsers option to turn this list into pass/fail.',
  references: [cis('1.1.2'), DOCKER_GROUP_DOCS],
  cis: '1.1.2',
  platforms: ['linux'],
  fixId: null,
  applies: (facts) =>
    desktopOnly(facts) ??
    (isRootless(facts) ? 'the daemon is rootless: its socket is reachable only by the user who runs it, not through a group' : null),
  evaluate(facts, context) {
    const accounts = need(facts.accounts, '/etc/passwd and /etc/group');
    const { name, source } = dockerGroupName(facts);
    const group = accounts.groups.find((g) => g.name === name);
    const groupSource: Evidence = { label: 'group that grants the Docker socket', value: name, source };
    if (!group) return pass(`There is no ${name} group: only root can use the Docker socket.`, { evidence: [groupSource] });
    const members = groupMembers(accounts, group);
    if (members.length === 0)
      return pass(`The ${name} group has no members: only root can use the Docker socket.`, {
        evidence: [groupSource, groupEvidence(group)],
      });
    const trustedOption = context.options.trustedDockerUsers;
    const trusted = Array.isArray(trustedOption) ? new Set(trustedOption.map(String)) : null;
    return members.map((m) => {
      const evidence: Evidence[] = [groupSource, groupEvidence(group)];
      if (m.primary)
        evidence.push({ label: 'primary group in /etc/passwd', value: `${m.name}: gid ${group.gid}`, source: fileSource('/etc/passwd') });
      const how = m.primary ? `has ${name} as primary group` : `is in the ${name} group`;
      if (!trusted)
        return info(`${m.name} ${how}, which is root-equivalent: make sure ${m.name} is trusted like an administrator.`, {
          target: m.name,
          evidence,
        });
      if (trusted.has(m.name)) return pass(`${m.name} ${how} and is in the trusted users list.`, { target: m.name, evidence });
      return fail(`${m.name} ${how} (root-equivalent) but is not in the trusted users list.`, { target: m.name, evidence });
    });
  },
};

export const accessDockerGroupSession: Check = {
  id: 'access.docker-group-session',
  title: 'Your session has the docker group it was given',
  category: 'access',
  severity: 'low',
  rationale:
    'Group membership is read at login. After `usermod -aG docker $USER`, the sessions already open still lack the group, and `docker` fails with "permission denied while trying to connect to the Docker daemon socket" although /etc/group is right. People then chmod 666 the socket, which gives everyone root.',
  remediation: 'Log out and back in (or reboot), or start a shell with the group now: `newgrp docker`. Do not chmod the socket.',
  references: [docs('Linux post-installation steps for Docker Engine', 'https://docs.docker.com/engine/install/linux-postinstall/')],
  cis: null,
  platforms: ['linux'],
  fixId: null,
  applies: (facts) =>
    desktopOnly(facts) ?? (isRootless(facts) ? 'the daemon is rootless: its socket belongs to its user, no group is involved' : null),
  evaluate(facts) {
    const host = need(facts.host, 'the current user');
    const accounts = need(facts.accounts, '/etc/passwd and /etc/group');
    if (facts.mode === 'offline-root') return skipped('an offline root filesystem has no login session');
    const user = host.user;
    if (user.uid === 0)
      return skipped('Dockhand runs as root, which needs no group to use the socket; run it as your own user to check your session');
    const { name, source } = dockerGroupName(facts);
    const group = accounts.groups.find((g) => g.name === name);
    const sessionEvidence: Evidence = {
      label: `groups of this process (${user.username})`,
      value: user.processGroups,
      // What the kernel enforces for this session, as `id -G` shows it (not /etc/group).
      source: { kind: 'command', command: 'id -G' },
    };
    if (!group)
      return pass(`There is no ${name} group: no group membership is pending.`, {
        evidence: [{ label: 'group that grants the Docker socket', value: name, source }],
      });
    const primary = accounts.users.find((u) => u.name === user.username)?.gid === group.gid;
    const listed = group.members.includes(user.username) || primary;
    const active = user.processGroups.includes(group.gid) || user.gid === group.gid;
    const evidence = [groupEvidence(group), sessionEvidence];
    if (listed && !active) {
      return fail(
        `${user.username} is in the ${name} group in /etc/group, but this session started before: log out and back in, or run \`newgrp ${name}\`.`,
        { target: user.username, evidence },
      );
    }
    if (listed) return pass(`${user.username} is in the ${name} group and this session has it.`, { target: user.username, evidence });
    if (active)
      return info(`This session still has the ${name} group, which /etc/group no longer gives ${user.username}: access ends at logout.`, {
        target: user.username,
        evidence,
      });
    return pass(`${user.username} is not in the ${name} group: nothing is pending (use sudo, or rootless Docker, to run docker).`, {
      target: user.username,
      evidence,
    });
  },
};

export const accessDockerSocketDenied: Check = {
  id: 'access.docker-socket-denied',
  title: 'You can reach the Docker socket',
  category: 'access',
  severity: 'low',
  rationale:
    'The Docker socket is owned by root and the docker group, mode 660. A user who is in neither gets "permission denied while trying to connect to the Docker daemon socket" and ends up prefixing every command with sudo, or worse, making the socket world-writable. Joining the docker group fixes it but is root-equivalent: whoever is in it can start a privileged container and own the host. Rootless Docker avoids that trade.',
  remediation:
    'Either run Docker rootless for this user (dockerd-rootless-setuptool.sh install), or add the user to the docker group (`usermod -aG docker USER`, then log out and back in) knowing it grants root. Never chmod the socket.',
  references: [
    docs('Linux post-installation steps for Docker Engine', 'https://docs.docker.com/engine/install/linux-postinstall/'),
    docs('Rootless mode', 'https://docs.docker.com/engine/security/rootless/'),
  ],
  cis: null,
  platforms: ['linux'],
  fixId: 'docker-group.add-user',
  applies: (facts) =>
    desktopOnly(facts) ?? (isRootless(facts) ? 'the daemon is rootless: its socket belongs to its user, no group is involved' : null),
  evaluate(facts) {
    const host = need(facts.host, 'the current user');
    if (facts.mode === 'offline-root') return skipped('an offline root filesystem has no socket to reach');
    if (host.user.uid === 0)
      return skipped('Dockhand runs as root, which reaches the socket without a group; run it as your own user to check');
    const engine = facts.engine;
    const endpointEvidence: Evidence = {
      label: 'endpoint',
      value: facts.endpoint.ok ? facts.endpoint.value.host : null,
      source: facts.engine.sources[0] ?? { kind: 'api', call: 'GET /version' },
    };
    if (engine.ok) return pass(`${host.user.username} reaches the Docker daemon.`, { evidence: [endpointEvidence] });
    if (engine.error.code !== 'permission-denied')
      return skipped(`the daemon cannot be reached for another reason (${engine.error.code}): see the other findings`);
    const accounts = need(facts.accounts, '/etc/group');
    const { name, source } = dockerGroupName(facts);
    const group = accounts.groups.find((g) => g.name === name);
    const evidence: Evidence[] = [
      { ...endpointEvidence, label: 'connecting to the daemon', value: engine.error.message },
      group ? groupEvidence(group) : { label: 'group that grants the Docker socket', value: `${name} (no such group)`, source },
    ];
    if (group?.members.includes(host.user.username)) {
      return info(
        `${host.user.username} is in the ${name} group but this session is not: see access.docker-group-session (log out and back in, or newgrp ${name}).`,
        { target: host.user.username, evidence },
      );
    }
    if (!group)
      return fail(
        `${host.user.username} cannot reach the Docker socket, and there is no ${name} group to join: use sudo or rootless Docker.`,
        { target: host.user.username, evidence },
      );
    return fail(`${host.user.username} cannot reach the Docker socket (permission denied): it is not in the ${name} group.`, {
      target: host.user.username,
      evidence,
      fix: { id: 'docker-group.add-user', params: { user: host.user.username, group: name } },
    });
  },
};

export const accessSocketWorld: Check = {
  id: 'access.socket-world',
  title: 'The Docker socket is not open to every user',
  category: 'access',
  severity: 'critical',
  rationale:
    'Connecting to a unix socket needs write permission on it. A Docker socket writable by others (mode 666, the usual "fix" for a permission error) lets every local user, and every service account, start a privileged container and become root.',
  remediation:
    'sudo chmod 660 on the socket now; then find what widened it (a chmod in a script or unit, SocketMode= in a docker.socket drop-in) and remove it. Give the users who need Docker the docker group, or rootless Docker.',
  references: [cis('3.16'), DOCKER_GROUP_DOCS],
  cis: null,
  platforms: ['linux'],
  fixId: null,
  applies: desktopOrRootless,
  evaluate(facts) {
    const files = need(facts.files, 'the Docker socket');
    const candidates = filesWithRole(files, [FILE_ROLES.dockerSocket]);
    const present = candidates.filter((f) => f.exists);
    if (present.length === 0)
      return skipped(`there is no Docker socket at ${looked(candidates)} (the daemon is not running here, or listens elsewhere)`);
    return present.map((f) => {
      if (f.error !== null || f.mode === null) return errored(`cannot stat ${f.path}: ${f.error ?? 'no mode'}`, f.path);
      const evidence = statEvidence(f);
      if (f.mode & 0o002)
        return fail(
          `${f.path} is writable by every user (mode ${octal(f.mode)}): anyone on this host can control Docker, and so become root.`,
          { target: f.path, evidence },
        );
      if (f.mode & 0o004)
        return warn(
          `${f.path} is readable by others (mode ${octal(f.mode)}); connecting needs write, so this grants nothing yet, but it is not the 0660 Docker sets.`,
          { target: f.path, evidence },
        );
      return pass(`${f.path} is not open to other users (mode ${octal(f.mode)}, ${ownerText(f)}).`, { target: f.path, evidence });
    });
  },
};

// ---------------------------------------------------------------------------------------------------------------
// user namespace remapping (CIS 2.9)

type Range = SubIdsFact['subuid'][number];

const MIN_RANGE = 65536;

function overlaps(a: Range, b: { start: number; count: number }): boolean {
  return a.start < b.start + b.count && b.start < a.start + a.count;
}

function rangeText(r: Range): string {
  return `${r.user}:${r.start}:${r.count}`;
}

/** Problems with one user's ranges in one file: missing, too short, overlapping each other, other users' ranges, or real ids. */
function rangeProblems(
  kind: 'subuid' | 'subgid',
  mine: Range[],
  all: Range[],
  isMine: (r: Range) => boolean,
  realIds: { id: number; name: string }[],
): string[] {
  const file = `/etc/${kind}`;
  if (mine.length === 0) return [`no ${kind} range in ${file}: dockerd will refuse to start ("no ${kind} ranges found")`];
  const problems: string[] = [];
  const total = mine.reduce((n, r) => n + r.count, 0);
  if (total < MIN_RANGE)
    problems.push(
      `the ${kind} ranges hold ${total} ids, fewer than ${MIN_RANGE}: images with users above ${total - 1} (nobody is 65534) cannot be used`,
    );
  mine.forEach((a, i) => {
    for (const b of mine.slice(i + 1)) if (overlaps(a, b)) problems.push(`${file}:${a.line} and line ${b.line} overlap`);
    for (const b of all)
      if (!isMine(b) && overlaps(a, b))
        problems.push(
          `${file}:${a.line} (${rangeText(a)}) overlaps ${b.user}'s range at line ${b.line} (${rangeText(b)}): containers share ids with that user's namespaces`,
        );
    const real = realIds.filter((r) => r.id >= a.start && r.id < a.start + a.count);
    if (real.length > 0) {
      const names = real
        .slice(0, 3)
        .map((r) => `${r.name} (${r.id})`)
        .join(', ');
      problems.push(
        `${file}:${a.line} (${rangeText(a)}) covers real ${kind === 'subuid' ? 'uids' : 'gids'} of this host: ${names}${real.length > 3 ? ', ...' : ''}: container ids map onto them`,
      );
    }
  });
  return problems;
}

function userRef(value: string): { user: string; isDefault: boolean } {
  const first = value.split(':')[0]!;
  return first === 'default' ? { user: 'dockremap', isDefault: true } : { user: first, isDefault: false };
}

export const isolationUsernsRemap: Check = {
  id: 'isolation.userns-remap',
  title: 'User namespace remapping is enabled and its id ranges are sound',
  category: 'isolation',
  severity: 'medium',
  rationale:
    'Without userns-remap, root in a container is uid 0 on the host: a container escape, or a bind mount of a host path, acts as root. With it, container ids map onto an unprivileged range from /etc/subuid and /etc/subgid. Those ranges must exist for both files (or dockerd will not start), hold at least 65536 ids, and not overlap other ranges or real users, or containers share ids with someone else. Remapping has costs: it cannot be combined with --privileged, --userns=host is needed for host-network tools, and existing images and volumes are hidden behind a new data-root subdirectory.',
  remediation:
    'Set "userns-remap": "default" in daemon.json (dockerd creates the dockremap user and its ranges) or name an existing user with ranges such as `dockremap:100000:65536` in both /etc/subuid and /etc/subgid; restart the daemon and pull images again.',
  references: [cis('2.9'), docs('Isolate containers with a user namespace', 'https://docs.docker.com/engine/security/userns-remap/')],
  cis: '2.9',
  platforms: ['linux'],
  fixId: 'daemon.userns-remap',
  applies(facts) {
    if (isRootless(facts)) return 'the daemon is rootless: it already runs in a user namespace, and userns-remap does not apply to it';
    return desktopOnly(facts);
  },
  evaluate(facts) {
    if (!facts.info.ok && !facts.daemonConfig.ok && !facts.daemonFlags.ok) need(facts.info, 'the daemon (GET /info) and its configuration');
    const configured = daemonView(facts).setting('userns-remap');
    const value = typeof configured?.value === 'string' ? configured.value.trim() : '';
    const running = facts.info.ok ? facts.info.value.securityOptions.some((o) => o.split(',').includes('name=userns')) : null;
    const evidence: Evidence[] = [];
    if (configured)
      evidence.push({
        label: `userns-remap (${configured.origin === 'flag' ? 'dockerd flag' : 'daemon.json'})`,
        value: configured.value as string,
        source: configured.source,
      });
    if (running !== null)
      evidence.push({
        label: 'security options (running daemon)',
        value: facts.info.ok ? facts.info.value.securityOptions : [],
        source: INFO,
      });
    if (value === '') {
      if (running) return pass('User namespace remapping is active (the running daemon reports name=userns).', { evidence });
      return warn('User namespace remapping is not enabled: root in a container is root on the host.', {
        evidence:
          evidence.length > 0
            ? evidence
            : [
                {
                  label: 'userns-remap',
                  value: null,
                  source: { kind: 'default', detail: 'not set: dockerd runs containers without user namespaces' },
                },
              ],
        fix: { id: 'daemon.userns-remap', params: { value: 'default' } },
      });
    }
    const { user, isDefault } = userRef(value);
    if (user === 'root' || user === '0')
      return warn(`userns-remap is "${value}": dockerd cannot remap root onto itself and turns user namespaces off.`, { evidence });
    return judgeRanges(facts, { value, user, isDefault, running, evidence });
  },
};

function judgeRanges(
  facts: Facts,
  c: { value: string; user: string; isDefault: boolean; running: boolean | null; evidence: Evidence[] },
): CheckResult {
  const accounts = need(facts.accounts, '/etc/passwd');
  const subIds = need(facts.subIds, '/etc/subuid and /etc/subgid');
  const account = /^\d+$/.test(c.user)
    ? accounts.users.find((u) => u.uid === Number(c.user))
    : accounts.users.find((u) => u.name === c.user);
  const evidence = [...c.evidence];
  if (!account) {
    if (c.isDefault) {
      return warn(
        'userns-remap is "default" but there is no dockremap user yet: dockerd creates it and its ranges at start (this needs useradd and usermod --add-subuids from shadow-utils).',
        { evidence },
      );
    }
    return fail(`userns-remap names "${c.user}", which is not in /etc/passwd: dockerd will refuse to start.`, { evidence });
  }
  // dockerd looks ranges up by uid first, then by name (moby pkg/idtools).
  const isMine = (r: Range) => r.user === account.name || r.user === String(account.uid);
  const mineUid = subIds.subuid.filter(isMine);
  const mineGid = subIds.subgid.filter(isMine);
  for (const r of mineUid) evidence.push({ label: 'subuid range', value: rangeText(r), source: fileSource('/etc/subuid', r.line) });
  for (const r of mineGid) evidence.push({ label: 'subgid range', value: rangeText(r), source: fileSource('/etc/subgid', r.line) });
  for (const m of subIds.malformed) evidence.push({ label: 'malformed line (ignored)', value: m.text, source: fileSource(m.path, m.line) });
  const realUids = accounts.users.filter((u) => u.uid !== account.uid).map((u) => ({ id: u.uid, name: u.name }));
  const realGids = accounts.groups.filter((g) => g.gid !== account.gid).map((g) => ({ id: g.gid, name: g.name }));
  const problems = [
    ...rangeProblems('subuid', mineUid, subIds.subuid, isMine, realUids),
    ...rangeProblems('subgid', mineGid, subIds.subgid, isMine, realGids),
  ];
  if (problems.length > 0) {
    if (c.isDefault && mineUid.length === 0 && mineGid.length === 0 && !c.running) {
      return warn(
        `dockremap exists but has no subuid/subgid ranges yet: dockerd adds them at start (with usermod --add-subuids); check /etc/subuid after it starts.`,
        { evidence },
      );
    }
    return fail(`userns-remap uses ${account.name}, whose id ranges are not sound: ${problems.join('; ')}.`, { evidence });
  }
  if (c.running === false) {
    return warn(
      `userns-remap is set to "${c.value}" and ${account.name}'s ranges are sound, but the running daemon does not use user namespaces: restart it to apply.`,
      { evidence },
    );
  }
  return pass(
    `Containers run in user namespaces mapped onto ${account.name}'s ranges (${mineUid.map(rangeText).join(', ')} / ${mineGid.map(rangeText).join(', ')}).`,
    { evidence },
  );
}

// ---------------------------------------------------------------------------------------------------------------
// the docker client

function hostOfRegistry(key: string): string {
  return key.replace(/^[a-z]+:\/\//i, '').replace(/\/.*$/, '');
}

export const clientPlaintextCredentials: Check = {
  id: 'client.plaintext-credentials',
  title: 'Registry credentials are not stored in plain text',
  category: 'client',
  severity: 'high',
  rationale:
    'Without a credential store, `docker login` writes base64(user:password) into ~/.docker/config.json: anyone who can read the file, a backup of it, or a container that mounts the home directory has the registry password (often a token with push rights).',
  remediation:
    'Install a credential helper (docker-credential-pass, -secretservice, -osxkeychain, -wincred, or your cloud\'s), set "credsStore" in config.json, then `docker logout REGISTRY` and `docker login REGISTRY` again so the secret moves into the store and leaves the file.',
  references: [docs('docker login: credential stores', 'https://docs.docker.com/reference/cli/docker/login/#credential-stores')],
  cis: null,
  platforms: ['linux', 'darwin', 'win32'],
  fixId: null,
  evaluate(facts) {
    const config = need(facts.clientConfig, 'the docker client configuration');
    const file = fileSource(config.path);
    if (!config.exists)
      return pass(`There is no ${config.path}: no registry credentials are stored.`, {
        evidence: [{ label: 'client config', value: null, source: file }],
      });
    const inline = config.auths.filter((a) => a.hasInlineAuth);
    const storeEvidence: Evidence = { label: 'credsStore', value: config.credsStore, source: file };
    if (inline.length === 0) {
      return pass(
        `No registry credential is stored in plain text in ${config.path}${config.credsStore ? ` (credentials go to the "${config.credsStore}" store)` : ''}.`,
        { evidence: [storeEvidence] },
      );
    }
    return inline.map((a) => {
      const helper = config.credHelpers[a.registry] ?? config.credHelpers[hostOfRegistry(a.registry)] ?? null;
      const evidence: Evidence[] = [
        { label: 'auths entry with an inline credential', value: a.registry, source: fileSource(config.path, a.line ?? undefined) },
        storeEvidence,
      ];
      if (helper) evidence.push({ label: `credHelpers["${a.registry}"]`, value: helper, source: file });
      const store = helper ?? config.credsStore;
      if (store) {
        return warn(
          `${a.registry}: the CLI uses the "${store}" helper, but an old plaintext credential for it is still in ${config.path}; log out and in again to remove it.`,
          { target: a.registry, evidence },
        );
      }
      return fail(`The credential for ${a.registry} is stored in plain text (base64) in ${config.path}.`, { target: a.registry, evidence });
    });
  },
};

function envVar(vars: { name: string; value: string }[], name: string): string | null {
  const found = vars.find((v) => v.name === name);
  return found ? found.value : null;
}

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[?::1\]?)(:\d+)?$/i;

export const clientDockerHostInsecure: Check = {
  id: 'client.docker-host-insecure',
  title: 'DOCKER_HOST does not use plain TCP',
  category: 'client',
  severity: 'high',
  rationale:
    'With DOCKER_HOST=tcp://... and no TLS verification, the docker CLI talks to the daemon in clear text and accepts whoever answers: anyone on the network path can read the traffic (registry credentials included) or pose as the daemon. A daemon that accepts plain TCP also accepts every client that can reach the port, which is root on that host.',
  remediation:
    'Use ssh://user@host (no daemon port to open), or set DOCKER_TLS_VERIFY=1 with DOCKER_CERT_PATH holding ca.pem, cert.pem and key.pem, and make the daemon require --tlsverify on port 2376.',
  references: [docs('Protect the Docker daemon socket', 'https://docs.docker.com/engine/security/protect-access/')],
  cis: null,
  platforms: ['linux', 'darwin', 'win32'],
  fixId: null,
  evaluate(facts) {
    const env = need(facts.processEnv, "Dockhand's environment");
    const host = envVar(env.vars, 'DOCKER_HOST');
    if (!host)
      return pass('DOCKER_HOST is not set.', {
        evidence: [{ label: 'DOCKER_HOST', value: null, source: { kind: 'env', name: 'DOCKER_HOST' } }],
      });
    const evidence: Evidence[] = [{ label: 'DOCKER_HOST', value: host, source: { kind: 'env', name: 'DOCKER_HOST' } }];
    const m = /^(tcp|http):\/\/([^/]*)/i.exec(host.trim());
    if (!m) return pass(`DOCKER_HOST (${host}) does not use TCP.`, { evidence });
    const verify = envVar(env.vars, 'DOCKER_TLS_VERIFY');
    const tls = envVar(env.vars, 'DOCKER_TLS');
    // The CLI enables TLS for any non-empty value, "0" included.
    if (verify) {
      evidence.push({ label: 'DOCKER_TLS_VERIFY', value: verify, source: { kind: 'env', name: 'DOCKER_TLS_VERIFY' } });
      return pass(`DOCKER_HOST uses TCP with TLS verification (DOCKER_TLS_VERIFY is set).`, { evidence });
    }
    if (tls) {
      evidence.push({ label: 'DOCKER_TLS', value: tls, source: { kind: 'env', name: 'DOCKER_TLS' } });
      return warn(
        `DOCKER_HOST uses TLS without verifying the daemon's certificate (DOCKER_TLS without DOCKER_TLS_VERIFY): the traffic is encrypted, but anyone can pose as the daemon.`,
        { evidence },
      );
    }
    evidence.push({ label: 'DOCKER_TLS_VERIFY', value: null, source: { kind: 'env', name: 'DOCKER_TLS_VERIFY' } });
    const address = m[2]!.replace(/^.*@/, '');
    if (LOOPBACK.test(address)) {
      return warn(
        `DOCKER_HOST points at plain TCP on loopback (${address}): the traffic stays on this host, but every local user and process can reach that daemon port without credentials.`,
        { evidence },
      );
    }
    return fail(`DOCKER_HOST points at ${address} over plain TCP: no encryption, and no check that the daemon is the one you mean.`, {
      evidence,
    });
  },
};

/** Go's strconv.ParseBool false values; the CLI treats any other non-empty value (even an unparsable one) as true. */
const GO_FALSE = new Set(['0', 'f', 'F', 'false', 'FALSE', 'False']);

function contentTrustEnabled(value: string | null): boolean {
  return value !== null && value !== '' && !GO_FALSE.has(value);
}

export const clientContentTrust: Check = {
  id: 'client.content-trust',
  title: 'Content trust for Docker is enabled',
  category: 'client',
  severity: 'low',
  rationale:
    "With DOCKER_CONTENT_TRUST=1 the docker CLI pulls, runs and builds only from images whose tags are signed (Docker Content Trust, Notary v1) and signs what it pushes. Without it, a tag can silently point at whatever the registry, or someone who controls it, serves. Only Dockhand's own environment is visible here: set it where docker actually runs (shell profile, CI job).",
  remediation:
    'export DOCKER_CONTENT_TRUST=1 in the profiles of users and CI jobs that pull and run images, after checking that the registries you use publish trust data (unsigned images then fail to pull). Where they do not, verify images another way (cosign, Notation, digests pinned with @sha256:).',
  references: [cis('4.5'), docs('Content trust in Docker', 'https://docs.docker.com/engine/security/trust/')],
  cis: '4.5',
  platforms: ['linux', 'darwin', 'win32'],
  fixId: null,
  evaluate(facts) {
    const env = need(facts.processEnv, "Dockhand's environment");
    const value = envVar(env.vars, 'DOCKER_CONTENT_TRUST');
    const evidence: Evidence[] = [{ label: 'DOCKER_CONTENT_TRUST', value, source: { kind: 'env', name: 'DOCKER_CONTENT_TRUST' } }];
    if (contentTrustEnabled(value)) return pass(`Content trust for Docker is enabled (DOCKER_CONTENT_TRUST=${value}).`, { evidence });
    return warn(
      `Content trust for Docker is not enabled in this environment (DOCKER_CONTENT_TRUST is ${value === null ? 'not set' : `"${value}"`}).`,
      { evidence },
    );
  },
};

// ---------------------------------------------------------------------------------------------------------------
// auditd (CIS 1.1.3 - 1.1.18)

/** What CIS 1.1.x asks to audit, by the role the files fact gives each path. */
const AUDIT_TARGETS: readonly { role: FileRole; cis: string }[] = [
  { role: FILE_ROLES.dockerdBinary, cis: '1.1.3' },
  { role: FILE_ROLES.containerdRunDir, cis: '1.1.4' },
  { role: FILE_ROLES.dataRoot, cis: '1.1.5' },
  { role: FILE_ROLES.etcDocker, cis: '1.1.6' },
  { role: FILE_ROLES.serviceUnit, cis: '1.1.7' },
  { role: FILE_ROLES.containerdSocket, cis: '1.1.8' },
  { role: FILE_ROLES.socketUnit, cis: '1.1.9' },
  { role: FILE_ROLES.defaultDocker, cis: '1.1.10' },
  { role: FILE_ROLES.daemonJson, cis: '1.1.11' },
  { role: FILE_ROLES.containerdConfig, cis: '1.1.12' },
  { role: FILE_ROLES.sysconfigDocker, cis: '1.1.13' },
  { role: FILE_ROLES.containerdBinary, cis: '1.1.14' },
  { role: FILE_ROLES.containerdShim, cis: '1.1.15' },
  { role: FILE_ROLES.containerdShimV1, cis: '1.1.16' },
  { role: FILE_ROLES.containerdShimV2, cis: '1.1.17' },
  { role: FILE_ROLES.runcBinary, cis: '1.1.18' },
];

/** auditd watches a directory recursively; a path matches exactly or under a watched directory (never by substring). */
function watchCovers(watch: string, target: string): boolean {
  const w = watch.replace(/\/+$/, '') || '/';
  return target === w || target.startsWith(w === '/' ? '/' : `${w}/`);
}

export const hostAuditd: Check = {
  id: 'host.auditd-docker',
  title: "auditd watches Docker's files and binaries",
  category: 'host',
  severity: 'low',
  rationale:
    'An audit trail of who changed or ran Docker\'s binaries, configuration and data is what lets you answer "who started that privileged container?" or "who edited daemon.json?" after an incident: the Docker daemon runs as root and does not log who asked. CIS 1.1.3-1.1.18 ask for an auditd watch on each. This applies to servers that keep an audit trail: a host without auditd rules is judged only when it is an offline root (a golden image) or when the server option is set.',
  remediation:
    'Add a watch for each path listed, e.g. in /etc/audit/rules.d/docker.rules: `-w /usr/bin/dockerd -k docker` (one line per path), then `sudo augenrules --load`.',
  references: [...AUDIT_TARGETS.map((t) => cis(t.cis)), docs('auditctl(8)', 'https://man7.org/linux/man-pages/man8/auditctl.8.html')],
  cis: '1.1.3-1.1.18',
  platforms: ['linux'],
  fixId: 'auditd.watch',
  applies: desktopOnly,
  evaluate(facts, context) {
    const rules = need(facts.auditRules, 'auditd rules');
    const files = need(facts.files, "Docker's files");
    if (rules.files.length === 0 && facts.mode !== 'offline-root' && context.options.server !== true) {
      return skipped(
        'auditd is not set up on this host (no /etc/audit/audit.rules or /etc/audit/rules.d/*.rules): CIS 1.1.3-1.1.18 concern servers that keep an audit trail; set the server option to judge this host anyway',
      );
    }
    const ruleFiles: Evidence = {
      label: 'audit rule files read',
      value: rules.files,
      source: { kind: 'file', path: rules.files[0] ?? '/etc/audit/audit.rules' },
    };
    return AUDIT_TARGETS.flatMap((t) => filesWithRole(files, [t.role]).map((f) => auditResult(rules.watches, t.cis, f, ruleFiles)));
  },
};

function auditResult(
  watches: { path: string; file: string; line: number }[],
  cisId: string,
  f: FileStatFact,
  ruleFiles: Evidence,
): CheckResult {
  if (!f.exists) return skipped(`${f.path} does not exist here (CIS ${cisId})`, f.path);
  const watch = watches.find((w) => watchCovers(w.path, f.path));
  if (watch) {
    return pass(`${f.path} is audited (CIS ${cisId}).`, {
      target: f.path,
      evidence: [{ label: 'audit watch', value: `-w ${watch.path}`, source: fileSource(watch.file, watch.line) }],
    });
  }
  return fail(`${f.path} (${f.role}) is not watched by auditd (CIS ${cisId}).`, {
    target: f.path,
    evidence: [{ label: f.role, value: f.path, source: fileSource(f.path) }, ruleFiles],
    fix: { id: 'auditd.watch', params: { path: f.path, key: 'docker' } },
  });
}

// ---------------------------------------------------------------------------------------------------------------

export const ACCESS_CHECKS: readonly Check[] = [
  accessDockerGroup,
  accessDockerGroupSession,
  accessDockerSocketDenied,
  accessSocketWorld,
  isolationUsernsRemap,
  clientPlaintextCredentials,
  clientDockerHostInsecure,
  clientContentTrust,
  hostAuditd,
  ...FILE_CHECKS,
];

// Each fix id turns a failing finding's parameters (overridable with --set) into allowlisted operations, how to verify
// them, and what the user must know. Builders are pure functions of the facts: the planner does the I/O.
import type { Facts } from '../../shared/facts';
import type { FixOperation, Verification } from '../../shared/fix';
import type { JsonValue } from '../../shared/json';
import { describeSource } from '../../shared/describe-source';
import { checkFixParam, fixParams } from '../../shared/fix-params';
import { daemonView } from '../check-kit/daemon-view';
import { type BuildInput, type FixDraft, FixUnavailableError } from './draft';
import { buildDaemonProxy } from './proxy-fix';
import { remapNames } from './subid-policy';

type Builder = (input: BuildInput) => FixDraft;

/** The daemon.json the running daemon reads: the file every daemon fix edits. */
function daemonJsonPath(facts: Facts): string {
  if (!facts.daemonConfig.ok)
    throw new FixUnavailableError(`the daemon's configuration file is not known: ${facts.daemonConfig.error.message}`);
  return facts.daemonConfig.value.path;
}

/** Refuses to edit daemon.json for an option a dockerd flag already sets: dockerd would refuse to start. */
function refuseIfFlag(facts: Facts, key: string): void {
  const view = daemonView(facts);
  if (view.flags?.has(key)) {
    throw new FixUnavailableError(
      `${key} is set by a dockerd flag (${view.flagsSource ? describeSource(view.flagsSource) : "dockerd's arguments"}): setting it in daemon.json as well would stop dockerd from starting; change the flag instead`,
    );
  }
}

const verifyFinding = (input: BuildInput): Verification => ({ kind: 'finding', checkId: input.checkId, target: input.target });

function str(params: Record<string, JsonValue>, key: string, fallback?: string): string {
  const v = params[key] ?? fallback;
  if (typeof v !== 'string' || v === '')
    throw new FixUnavailableError(`parameter ${key} must be a non-empty string (use --set ${key}=...)`);
  return v;
}

function bool(params: Record<string, JsonValue>, key: string, fallback: boolean): boolean {
  const v = params[key] ?? fallback;
  if (typeof v !== 'boolean') throw new FixUnavailableError(`parameter ${key} must be true or false`);
  return v;
}

/** A fix that sets one daemon.json key to a boolean and restarts. */
function booleanKey(key: string, wanted: boolean, title: string): Builder {
  return (input) => {
    refuseIfFlag(input.facts, key);
    const value = bool(input.params, 'value', wanted);
    return {
      title: `${title} (${key}: ${value})`,
      operations: [{ op: 'daemon-json.set', file: daemonJsonPath(input.facts), path: [key], value }, { op: 'daemon.restart' }],
      verification: verifyFinding(input),
      notes: [],
    };
  };
}

/** A fix that edits nothing: restarting the daemon is what applies it, and the finding verifies it. */
function restartOnly(title: (input: BuildInput) => string, note: string): Builder {
  return (input) => ({ title: title(input), operations: [{ op: 'daemon.restart' }], verification: verifyFinding(input), notes: [note] });
}

const BUILDERS: Record<string, Builder> = {
  'daemon.live-restore': booleanKey('live-restore', true, 'Keep containers running while dockerd restarts'),
  'daemon.icc': booleanKey('icc', false, 'Stop containers on the default bridge from talking to each other'),
  'daemon.userland-proxy': booleanKey('userland-proxy', false, 'Publish ports with iptables instead of docker-proxy processes'),
  'daemon.no-new-privileges': booleanKey('no-new-privileges', true, 'Stop containers gaining privileges through setuid binaries'),
  'daemon.experimental': booleanKey('experimental', false, 'Turn off experimental features'),
  'daemon.iptables': booleanKey('iptables', true, 'Let Docker manage iptables'),

  'daemon.log-rotation': (input) => {
    const file = daemonJsonPath(input.facts);
    refuseIfFlag(input.facts, 'log-opts');
    const driver = daemonView(input.facts).setting('log-driver')?.value ?? 'json-file';
    if (driver !== 'json-file' && driver !== 'local')
      throw new FixUnavailableError(`the log driver is ${String(driver)}: max-size/max-file apply to json-file and local only`);
    // Checked against shared/fix-params.ts already; dockerd takes log-opts values as strings only: "3", not 3.
    const maxSize = String(input.params['max-size']);
    const maxFile = String(input.params['max-file']);
    const recreate = typeof input.params.recreate === 'string' ? input.params.recreate : null;
    return {
      title: `Rotate container logs (max-size ${maxSize}, max-file ${maxFile})`,
      operations: [
        { op: 'daemon-json.set', file, path: ['log-opts', 'max-size'], value: maxSize },
        { op: 'daemon-json.set', file, path: ['log-opts', 'max-file'], value: maxFile },
        { op: 'daemon.restart' },
      ],
      verification: verifyFinding(input),
      notes: [
        `Existing containers keep the log options they were created with: recreate them to rotate their logs${recreate ? ` (${recreate} first)` : ''}.`,
      ],
    };
  },

  'daemon.insecure-registries': (input) => {
    const registry = str(input.params, 'remove');
    const view = daemonView(input.facts);
    if (view.flags?.get('insecure-registries')?.includes(registry)) {
      throw new FixUnavailableError(
        `${registry} comes from a dockerd flag (${view.flagsSource ? describeSource(view.flagsSource) : "dockerd's arguments"}): remove --insecure-registry ${registry} from it`,
      );
    }
    const inFile = view.file?.get('insecure-registries')?.value;
    const current = Array.isArray(inFile) ? (inFile as JsonValue[]) : [];
    if (!current.includes(registry))
      throw new FixUnavailableError(
        `${registry} is not in daemon.json's insecure-registries (it may come from the daemon's defaults or another file)`,
      );
    const rest = current.filter((r) => r !== registry);
    const file = daemonJsonPath(input.facts);
    return {
      title: `Stop trusting ${registry} without TLS`,
      operations: [
        rest.length > 0
          ? { op: 'daemon-json.set', file, path: ['insecure-registries'], value: rest }
          : { op: 'daemon-json.unset', file, path: ['insecure-registries'] },
        { op: 'daemon.restart' },
      ],
      verification: verifyFinding(input),
      notes: [`Pulls from ${registry} need TLS from now on: give it a certificate (docs.docker.com/engine/security/certificates).`],
    };
  },

  'daemon.dns': (input) => {
    refuseIfFlag(input.facts, 'dns');
    const list = (input.params.servers as JsonValue[]).map(String);
    return {
      title: `Give containers the network's real DNS servers (${list.join(', ')})`,
      operations: [{ op: 'daemon-json.set', file: daemonJsonPath(input.facts), path: ['dns'], value: list }, { op: 'daemon.restart' }],
      verification: verifyFinding(input),
      notes: ['Containers created before the change keep their resolv.conf until they are recreated.'],
    };
  },

  'daemon.mtu': (input) => {
    refuseIfFlag(input.facts, 'mtu');
    const mtu = Number(input.params.mtu);
    return {
      title: `Match the bridge MTU to the uplink (${mtu})`,
      operations: [{ op: 'daemon-json.set', file: daemonJsonPath(input.facts), path: ['mtu'], value: mtu }, { op: 'daemon.restart' }],
      verification: verifyFinding(input),
      notes: ['The default bridge takes the new MTU at once; user-defined networks keep theirs until recreated.'],
    };
  },

  // Nothing to edit: dockerd recreates its iptables chains and jumps only when it starts.
  'daemon.restart': restartOnly(
    () => 'Restart the daemon so it recreates its firewall rules',
    'A reload (SIGHUP) does not recreate the rules; only a restart does.',
  ),

  'daemon.log-level': (input) => {
    refuseIfFlag(input.facts, 'log-level');
    const level = str(input.params, 'log-level');
    const ops: FixOperation[] = [{ op: 'daemon-json.set', file: daemonJsonPath(input.facts), path: ['log-level'], value: level }];
    if (input.params.debug === false) ops.push({ op: 'daemon-json.set', file: daemonJsonPath(input.facts), path: ['debug'], value: false });
    return {
      title: `Log at level ${level}`,
      operations: [...ops, { op: 'daemon.restart' }],
      verification: verifyFinding(input),
      notes: [],
    };
  },
};

/** Ids per user namespace: what dockerd and shadow-utils allocate by default. */
const SUBID_COUNT = 65536;

/** The first free start at or above 100000 after every existing range, aligned to 65536 like useradd does. */
export function nextFreeSubIdStart(ranges: readonly { start: number; count: number }[]): number {
  const end = Math.max(100_000, ...ranges.map((r) => r.start + r.count));
  return Math.ceil(end / SUBID_COUNT) * SUBID_COUNT;
}

BUILDERS['daemon.userns-remap'] = (input) => {
  refuseIfFlag(input.facts, 'userns-remap');
  const value = str(input.params, 'value');
  const names = remapNames(value);
  if (!names) throw new FixUnavailableError(`userns-remap ${JSON.stringify(value)} names no user`);
  const { user } = names;
  if (!input.facts.subIds.ok)
    throw new FixUnavailableError(`/etc/subuid and /etc/subgid cannot be read: ${input.facts.subIds.error.message}`);
  const { subuid, subgid } = input.facts.subIds.value;
  const ops: FixOperation[] = [{ op: 'daemon-json.set', file: daemonJsonPath(input.facts), path: ['userns-remap'], value }];
  // dockerd reads the user's range from /etc/subuid and the group's from /etc/subgid.
  for (const [file, ranges, owner] of [
    ['/etc/subuid', subuid, names.user],
    ['/etc/subgid', subgid, names.group],
  ] as const) {
    if (ranges.some((r) => r.user === owner)) continue;
    ops.push({ op: 'subid.add', file, user: owner, start: nextFreeSubIdStart(ranges), count: SUBID_COUNT });
  }
  return {
    title: `Run containers in user namespaces mapped onto ${user}`,
    operations: [...ops, { op: 'daemon.restart' }],
    verification: verifyFinding(input),
    notes: [
      'dockerd keeps remapped images and containers in a new directory under its data root: existing images, containers and volumes are hidden until userns-remap is turned off again (pull or build images again).',
      ...(value === 'default' ? ['dockerd creates the dockremap user at start (it needs useradd from shadow-utils).'] : []),
      'Containers that need host namespaces or --privileged must run with --userns=host.',
    ],
  };
};

BUILDERS['desktop.settings'] = (input) => {
  const file = str(input.params, 'file');
  const settings = Object.entries(input.params).filter(([k]) => k !== 'file' && k !== 'key' && k !== 'value');
  if (typeof input.params.key === 'string') settings.push([input.params.key, input.params.value ?? null]);
  if (settings.length === 0) throw new FixUnavailableError('no setting to change: give --set key=... --set value=...');
  return {
    title: `Change Docker Desktop settings (${settings.map(([k, v]) => `${k}: ${JSON.stringify(v)}`).join(', ')})`,
    operations: settings.map(([key, value]) => ({ op: 'desktop-settings.set' as const, file, key, value })),
    verification: { kind: 'none', why: 'Docker Desktop reads its settings file when it starts: restart Docker Desktop, then audit again' },
    notes: [
      'Docker Desktop applies these settings when it restarts (Troubleshoot → Restart, or quit and start it): Dockhand cannot restart it silently.',
      'Edit with Docker Desktop quit if you can: a running Desktop may write its own settings back over the change.',
    ],
  };
};

BUILDERS['docker-group.add-user'] = (input) => {
  const user = str(input.params, 'user');
  if (str(input.params, 'group', 'docker') !== 'docker') throw new FixUnavailableError('only the docker group can be joined by a fix');
  return {
    title: `Add ${user} to the docker group`,
    operations: [{ op: 'group.add-user', group: 'docker', user }],
    verification: { kind: 'group-member', group: 'docker', user },
    notes: [
      `Membership of the docker group is root-equivalent: ${user} can start a privileged container and own this host. Rootless Docker is the safer alternative.`,
      `${user} gets the group at the next login: log out and back in, or run \`newgrp docker\` in a shell.`,
    ],
  };
};

BUILDERS['daemon.proxy'] = (input) => buildDaemonProxy(input);

/** daemon.json already says what is wanted: the fix is the restart that makes the running daemon read it. */
BUILDERS['daemon.apply-config'] = restartOnly(
  (input) => `Restart dockerd so that it runs with ${daemonJsonPath(input.facts)} as it is now`,
  'The restart applies every pending key (those a reload would apply too). The plan is refused if dockerd would not start with the file as it is.',
);

BUILDERS['cleanup.schedule'] = (input) => {
  if (!input.dockhand) throw new FixUnavailableError('the path of this dockhand is not known: run the fix from an installed dockhand');
  const until = str(input.params, 'until');
  const kind = str(input.params, 'kind', input.facts.serviceUnit.ok ? 'systemd' : 'cron');
  const protectLabel = str(input.params, 'protect-label');
  // The timer runs without the user's DOCKER_HOST or context: name any endpoint other than the default socket.
  const host = input.facts.endpoint.ok ? input.facts.endpoint.value.host : null;
  const endpoint = host && !['unix:///var/run/docker.sock', 'unix:///run/docker.sock'].includes(host) ? host : null;
  const write = (file: 'service' | 'timer' | 'cron'): FixOperation => ({
    op: 'cleanup-schedule.write',
    file,
    dockhand: input.dockhand!,
    until,
    protectLabel,
    endpoint,
  });
  return {
    title: `Prune unused Docker data every day with Dockhand (older than ${until}; ${kind === 'systemd' ? 'a systemd timer' : 'a cron entry'})`,
    operations: kind === 'systemd' ? [write('service'), write('timer'), { op: 'cleanup-schedule.enable' }] : [write('cron')],
    verification: { kind: 'finding', checkId: input.checkId, target: input.target },
    notes: [
      `Each run is \`dockhand prune apply --until ${until} --yes\`: an exact prune that keeps running and in-use objects, anything labelled ${protectLabel}=true, and every volume.`,
      kind === 'systemd'
        ? 'What each run removed and freed goes to the journal: journalctl -u dockhand-prune'
        : 'What each run removed and freed is appended to /var/log/dockhand-prune.log.',
      'It runs this dockhand: keep it installed at the same path (or apply the fix again after moving it).',
    ],
  };
};

export function fixIds(): string[] {
  return Object.keys(BUILDERS).sort();
}

/** The parameters a fix id declares, checked and with their defaults (shared/fix-params.ts); others pass through. */
function checkedParams(fixId: string, params: Record<string, JsonValue>): Record<string, JsonValue> {
  const out = { ...params };
  for (const param of fixParams(fixId)) {
    const checked = checkFixParam(param, params[param.key]);
    if (!checked.ok) throw new FixUnavailableError(checked.message);
    if (checked.value === undefined) delete out[param.key];
    else out[param.key] = checked.value;
  }
  return out;
}

export function buildFix(fixId: string, input: BuildInput): FixDraft {
  const builder = BUILDERS[fixId];
  if (!builder) throw new FixUnavailableError(`no automatic fix for ${fixId} yet: follow the finding's remediation by hand`);
  return builder({ ...input, params: checkedParams(fixId, input.params) });
}

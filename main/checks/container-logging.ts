import type { Check } from '../../shared/check';
import type { ContainerFact, Facts } from '../../shared/facts';
import type { Evidence } from '../../shared/finding';
import { formatBytes } from '../../shared/format';
import { ALL_PLATFORMS, inspected, now, perContainer } from './container-helpers';
import { maxSizeOf } from './daemon';
import { READABLE_DRIVERS } from './daemon-hardening';
import { daemonView, settingEvidence } from '../check-kit/daemon-view';
import { docs } from './references';
import { INFO, need } from '../check-kit/result';

/**
 * Per-container log settings that override the daemon's: dockerd copies its default log driver and options into a
 * container when it is created, so a container keeps what it was created with (or was given) whatever the daemon's
 * configuration says today.
 */

const LOGGING_DOCS = docs('Configure logging drivers', 'https://docs.docker.com/engine/logging/configure/');

interface DaemonLogDefault {
  driver: string;
  /**
   * Whether what the daemon gives new containers is bounded: any driver but json-file, or json-file with max-size;
   * null when its log-opts cannot be read (daemon.json unreadable, or on another machine), and why.
   */
  bounded: boolean | null;
  unknownBecause: string | null;
  evidence: Evidence[];
}

/**
 * The log driver and rotation new containers get: the running daemon's driver (else the configured one), and log-opts
 * from the configuration (/info does not report them). With neither the daemon nor its configuration there is
 * nothing to judge containers against: the check errors or is skipped with that fact's reason.
 */
function daemonLogDefault(facts: Facts): DaemonLogDefault {
  need(facts.containers, 'the container list');
  if (!facts.info.ok && !facts.daemonConfig.ok) need(facts.info, "the daemon's default log driver");
  const view = daemonView(facts);
  const configured = view.setting('log-driver');
  const running = facts.info.ok ? facts.info.value.loggingDriver : '';
  const driver = running || (typeof configured?.value === 'string' ? configured.value : 'json-file');
  const logOpts = view.setting('log-opts');
  const maxSize = maxSizeOf(logOpts);
  const evidence: Evidence[] = [
    running
      ? { label: 'daemon default log driver', value: running, source: INFO }
      : settingEvidence('daemon default log driver', configured, { value: 'json-file', detail: "dockerd's default log driver" }),
  ];
  if (driver !== 'json-file' || maxSize !== null) {
    if (driver === 'json-file') evidence.push(settingEvidence('daemon log-opts', logOpts, { value: null, detail: '' }));
    return { driver, bounded: true, unknownBecause: null, evidence };
  }
  if (view.file === null && !logOpts) {
    const why = facts.daemonConfig.ok ? `${facts.daemonConfig.value.path} could not be parsed` : facts.daemonConfig.error.message;
    return { driver, bounded: null, unknownBecause: `the daemon's log-opts cannot be read (${why})`, evidence };
  }
  evidence.push(settingEvidence('daemon log-opts', logOpts, { value: null, detail: 'no log-opts: json-file keeps logs without limit' }));
  return { driver, bounded: false, unknownBecause: null, evidence };
}

const logConfigEvidence = (c: ContainerFact): Evidence =>
  inspected(c, 'HostConfig.LogConfig', { type: c.hostConfig.logConfig.type, ...c.hostConfig.logConfig.config });

/** Why `docker logs` shows nothing of this container: log driver none, or a remote driver with its local cache turned off. */
function unreadableLog(c: ContainerFact): string | null {
  const { type, config } = c.hostConfig.logConfig;
  if (type === 'none') return 'log driver none';
  if (type && !READABLE_DRIVERS.has(type) && config['cache-disabled'] === 'true')
    return `the ${type} driver with its dual-logging cache disabled`;
  return null;
}

export const containerLogsDiscarded: Check = {
  id: 'container.logs-discarded',
  title: 'No container discards its logs against the daemon default',
  category: 'logging',
  severity: 'low',
  rationale:
    'A container run with --log-driver none keeps nothing it prints, and one sending its logs to a remote driver with --log-opt cache-disabled=true keeps no local copy: when it fails, `docker logs` has nothing to show and the cause is lost (or sits in a system someone has to go and search). The daemon gives other containers a readable log; this one was opted out when it was created.',
  remediation:
    "Log settings cannot be changed on an existing container: re-create it without --log-driver and --log-opt cache-disabled (it then takes the daemon's default), or with `--log-driver local`, which rotates by itself. In Compose, remove `logging: driver: none` and run `docker compose up -d`.",
  references: [LOGGING_DOCS, docs('Use docker logs with remote logging drivers', 'https://docs.docker.com/engine/logging/dual-logging/')],
  cis: null,
  platforms: ALL_PLATFORMS,
  fixId: null,
  applies(facts) {
    return daemonLogDefault(facts).driver === 'none'
      ? "the daemon's own default log driver is none, so every container discards its logs: logging.docker-logs-readable reports it"
      : null;
  },
  evaluate(facts) {
    const daemon = daemonLogDefault(facts);
    return perContainer(
      facts,
      (c) => {
        const why = unreadableLog(c);
        return why ? { why, level: 'low' as const, evidence: [logConfigEvidence(c), ...daemon.evidence] } : null;
      },
      {
        running: (c, hit) =>
          `Container ${c.name} keeps nothing \`docker logs\` can show (${hit.why}; the daemon's default is ${daemon.driver}): its failures will leave no log.`,
        stopped: (c, hit) =>
          `Container ${c.name} keeps nothing \`docker logs\` can show (${hit.why}; the daemon's default is ${daemon.driver}) ${now(c)}.`,
        none: (n) => `All ${n} containers keep a log \`docker logs\` can show.`,
      },
    );
  },
};

export const containerLogRotation: Check = {
  id: 'container.log-rotation',
  title: 'Container logs rotate like the daemon default',
  category: 'logging',
  severity: 'medium',
  rationale:
    "dockerd gives a new container its default log options, so a container created before max-size was set in daemon.json, or one given --log-driver json-file on a daemon whose default is another driver, keeps a json-file log that grows without limit even though the daemon rotates: the daemon-level check passes while this container's log fills the disk. `docker system prune` never shrinks it.",
  remediation:
    "Log options cannot be changed on an existing container: re-create it so it takes the daemon's rotation (`docker compose up -d --force-recreate SERVICE`, or `docker rm` and `docker run` again), or give it `--log-opt max-size=10m --log-opt max-file=3`. To free the space meanwhile, `truncate -s 0` its log file.",
  references: [LOGGING_DOCS, docs('JSON File logging driver', 'https://docs.docker.com/engine/logging/drivers/json-file/')],
  cis: null,
  platforms: ALL_PLATFORMS,
  fixId: null,
  applies(facts) {
    const daemon = daemonLogDefault(facts);
    if (daemon.bounded === null)
      return `${daemon.unknownBecause}, so whether a container departs from the daemon's rotation cannot be told`;
    return daemon.bounded
      ? null
      : "the daemon's own default (json-file without max-size) does not rotate either: daemon.log-rotation reports it, and containers are judged here once the daemon rotates";
  },
  evaluate(facts) {
    const daemon = daemonLogDefault(facts);
    const sizes = new Map((facts.containerLogs.ok ? facts.containerLogs.value : []).map((l) => [l.container, l]));
    return perContainer(
      facts,
      (c) => {
        const { type, config } = c.hostConfig.logConfig;
        if (type !== 'json-file' || config['max-size']) return null;
        const size = sizes.get(c.name);
        const sizeEvidence: Evidence[] = size
          ? [{ label: 'log size now (with rotated files)', value: formatBytes(size.bytes), source: { kind: 'file', path: size.path } }]
          : [];
        return { evidence: [logConfigEvidence(c), ...sizeEvidence, ...daemon.evidence] };
      },
      {
        running: (c) =>
          `Container ${c.name} writes a json-file log without max-size, which grows without limit, although the daemon's default (${daemon.driver}) is bounded: it was created before, or with its own --log-driver.`,
        stopped: (c) =>
          `Container ${c.name} has a json-file log without max-size, unlike the daemon's default (${daemon.driver}) ${now(c)}.`,
        none: (n) => `All ${n} containers' logs are bounded like the daemon's default, or go elsewhere than json-file.`,
      },
    );
  },
};

import type { Check } from '../../shared/check';
import type { Fact } from '../../shared/fact';
import type { Facts } from '../../shared/facts';
import type { Evidence } from '../../shared/finding';
import type { Source } from '../../shared/source';
import { HOST_CHECKED } from '../preflight/rule-context';
import { daemonView, type SettingValue, settingBoolean, settingEvidence } from '../check-kit/daemon-view';
import { cis, DAEMON_JSON_DOCS, docs } from './references';
import { INFO, fail, need, pass, warn } from '../check-kit/result';

const LINUX_AND_DESKTOP = ['linux', 'darwin', 'win32'] as const;

/**
 * When the daemon cannot be asked, these checks judge the configuration that will apply when it starts (as for an
 * offline root); the evidence says so. Without even a daemon.json fact there is nothing to judge: the check errors.
 */
function configuredOnly(facts: Facts, fact: Fact<unknown>, what: string): Evidence {
  if (!facts.daemonConfig.ok && !fact.ok) need(fact, what);
  const why = fact.ok ? 'not needed' : fact.error.message;
  return {
    label: `${what} (running daemon)`,
    value: `unavailable: ${why}; judged from the configuration`,
    source: fact.sources[0] ?? INFO,
  };
}

export const daemonConfigValid: Check = {
  id: 'daemon.config.valid',
  title: 'dockerd will start with its daemon.json',
  category: 'daemon-config',
  severity: 'high',
  rationale:
    'dockerd reads daemon.json only when it starts. A syntax error, an unknown or misspelt key, a value of the wrong type, or an option set both as a flag and in the file makes the next restart (an upgrade, a reboot) fail, and every container on the host stays down until someone reads the daemon log.',
  remediation:
    'Correct each problem at the line shown, then confirm with `dockhand daemon-config check FILE` before restarting the daemon.',
  references: [DAEMON_JSON_DOCS],
  cis: null,
  platforms: [...LINUX_AND_DESKTOP],
  fixId: null,
  evaluate(facts) {
    const config = need(facts.daemonConfig, 'daemon.json');
    const view = daemonView(facts);
    const file: Source = { kind: 'file', path: config.path };
    const about: Evidence[] = [
      { label: 'daemon.json', value: config.path, source: file },
      { label: 'found by', value: config.reason, source: file },
    ];
    if (view.engineVersionAssumedBecause) {
      about.push({
        label: 'engine version (assumed)',
        value: view.engineVersion,
        source: { kind: 'default', detail: view.engineVersionAssumedBecause },
      });
    }
    // The verdict itself names an assumed version and why, so it is never read as the running engine's.
    const dockerd = view.engineVersionAssumedBecause
      ? `dockerd ${view.engineVersion} (assumed: ${view.engineVersionAssumedBecause})`
      : `dockerd ${view.engineVersion}`;
    if (!config.exists && !config.explicit)
      return pass(`No daemon.json at ${config.path}: dockerd starts with its defaults.`, { evidence: about });
    const result = view.preflight!;
    const evidence = [
      ...about,
      ...result.problems.map((p) => ({
        label: `${p.severity} (${p.kind})${p.key ? `: ${p.key}` : ''}`,
        value: p.message,
        source: (p.line
          ? { kind: 'file', path: config.path, line: p.line, column: p.column ?? undefined }
          : (view.flagsSource ?? file)) as Source,
      })),
    ];
    if (result.problems.some((p) => p.message.includes(HOST_CHECKED))) {
      // Say why a value dockerd checks on the host got no verdict, so the warning is not read as a fault of the file.
      const why = view.hostFactsMissing
        ? `not collected: ${view.hostFactsMissing}`
        : 'collected, but this process could not look at every path dockerd will (audit as root to judge them)';
      evidence.push({
        label: 'host facts',
        value: why,
        source: facts.daemonHostFacts?.sources[0] ?? { kind: 'default', detail: 'no host facts in this snapshot' },
      });
    }
    const errors = result.problems.filter((p) => p.severity === 'error');
    if (errors.length > 0) {
      const first = errors[0]!;
      return fail(
        `${dockerd} will refuse to start with ${config.path}: ${errors.length} problem${errors.length > 1 ? 's' : ''}, first${first.line ? ` at line ${first.line}` : ''}: ${first.message}`,
        { evidence },
      );
    }
    if (result.problems.length > 0) {
      return warn(
        `${dockerd} will start with ${config.path}, but ${result.problems.length} setting${result.problems.length > 1 ? 's do' : ' does'} not do what the file suggests.`,
        { evidence },
      );
    }
    return pass(`${dockerd} will start with ${config.path}.`, { evidence: about });
  },
};

/** json-file keeps every byte a container writes unless max-size is set; local rotates by default. */
const daemonLogRotation: Check = {
  id: 'daemon.log-rotation',
  title: 'Container logs are rotated',
  category: 'logging',
  severity: 'medium',
  rationale:
    "With the default json-file log driver and no max-size, every line a container prints is kept in /var/lib/docker/containers/*/*-json.log forever. A chatty container fills the disk, and `docker system prune` does not reclaim it. The `local` driver rotates by default; journald and remote drivers do not write unbounded files under Docker's data root.",
  remediation:
    'Set "log-opts": {"max-size": "10m", "max-file": "3"} in daemon.json (or use "log-driver": "local") and restart the daemon. Existing containers keep their old log settings until they are re-created.',
  references: [
    docs('Configure logging drivers', 'https://docs.docker.com/engine/logging/configure/'),
    docs('JSON File logging driver', 'https://docs.docker.com/engine/logging/drivers/json-file/'),
  ],
  cis: null,
  platforms: [...LINUX_AND_DESKTOP],
  fixId: 'daemon.log-rotation',
  evaluate(facts) {
    const view = daemonView(facts);
    const configured = view.setting('log-driver');
    const running = facts.info.ok ? facts.info.value.loggingDriver : null;
    const driver = running || (typeof configured?.value === 'string' ? configured.value : 'json-file');
    const evidence: Evidence[] = running
      ? [{ label: 'log driver (running daemon)', value: running, source: INFO }]
      : [
          configuredOnly(facts, facts.info, 'log driver'),
          settingEvidence('log driver', configured, { value: 'json-file', detail: "dockerd's default log driver" }),
        ];
    if (driver === 'local') return pass('The local log driver rotates logs by default (5 files of 20 MB per container).', { evidence });
    if (driver !== 'json-file') return pass(`Logs go to the ${driver} driver, not to unbounded json-file logs.`, { evidence });
    const logOpts = view.setting('log-opts');
    const maxSize = maxSizeOf(logOpts);
    evidence.push(settingEvidence('log-opts', logOpts, { value: null, detail: 'no log-opts: json-file keeps logs without limit' }));
    if (maxSize) return pass(`json-file logs are capped at ${maxSize} per file.`, { evidence });
    return fail('Container logs grow without limit: the json-file driver is used without max-size.', {
      evidence,
      fix: { id: 'daemon.log-rotation', params: { 'max-size': '10m', 'max-file': '3' } },
    });
  },
};

/** max-size from a log-opts object (daemon.json) or from --log-opt key=value flags. */
export function maxSizeOf(setting: SettingValue | null): string | null {
  if (!setting) return null;
  if (setting.origin === 'file') {
    const opts = setting.value;
    const size = typeof opts === 'object' && opts !== null ? (opts as Record<string, unknown>)['max-size'] : undefined;
    return typeof size === 'string' && size !== '' ? size : null;
  }
  const values = Array.isArray(setting.value) ? setting.value : [setting.value];
  const found = values.map(String).find((v) => v.startsWith('max-size='));
  return found ? found.slice('max-size='.length) : null;
}

const daemonLiveRestore: Check = {
  id: 'daemon.live-restore',
  title: 'Live restore is enabled',
  category: 'daemon-config',
  severity: 'low',
  rationale:
    'Without live-restore, stopping or upgrading dockerd stops every container. With it, containers keep running while the daemon restarts, so a daemon upgrade or a configuration fix does not take the workloads down.',
  remediation:
    'Set "live-restore": true in daemon.json and reload or restart the daemon (`systemctl reload docker` applies it without a restart).',
  references: [cis('2.15'), docs('Live restore', 'https://docs.docker.com/engine/daemon/live-restore/')],
  cis: '2.15',
  platforms: ['linux'],
  fixId: 'daemon.live-restore',
  applies(facts) {
    if (facts.info.ok && facts.info.value.swarmState === 'active') return 'live-restore is incompatible with swarm mode, which is active';
    return null;
  },
  evaluate(facts) {
    const configured = daemonView(facts).setting('live-restore');
    const evidence: Evidence[] = [
      settingEvidence('live-restore', configured, { value: false, detail: 'live-restore is off unless enabled' }),
    ];
    let enabled: boolean;
    if (facts.info.ok) {
      enabled = facts.info.value.liveRestoreEnabled;
      evidence.unshift({ label: 'live restore (running daemon)', value: enabled, source: INFO });
    } else {
      evidence.unshift(configuredOnly(facts, facts.info, 'live restore'));
      enabled = settingBoolean(configured) ?? false;
    }
    if (enabled) return pass('Live restore is enabled: containers survive a daemon restart.', { evidence });
    const pending =
      facts.info.ok && settingBoolean(configured) === true ? ' (daemon.json enables it, but the running daemon has not reloaded it)' : '';
    return fail(`Live restore is disabled: restarting or upgrading dockerd stops every container${pending}.`, {
      evidence,
      fix: { id: 'daemon.live-restore', params: { value: true } },
    });
  },
};

/** Docker always treats 127.0.0.0/8 as insecure; it is not something a user configured. */
const BUILTIN_INSECURE = new Set(['127.0.0.0/8', '::1/128']);

const daemonInsecureRegistries: Check = {
  id: 'daemon.insecure-registries',
  title: 'No insecure registries are configured',
  category: 'registry',
  severity: 'high',
  rationale:
    'An insecure registry is reached over plain HTTP or with TLS verification off: anyone on the network path can read credentials and swap the images you pull for their own.',
  remediation:
    'Remove the registry from "insecure-registries" and give it a TLS certificate (or trust its CA in /etc/docker/certs.d/<registry>/ca.crt), then restart the daemon.',
  references: [cis('2.5'), docs('Test an insecure registry', 'https://docs.docker.com/registry/insecure/')],
  cis: '2.5',
  platforms: [...LINUX_AND_DESKTOP],
  fixId: 'daemon.insecure-registries',
  evaluate(facts) {
    const configured = daemonView(facts).setting('insecure-registries');
    const configuredList = (Array.isArray(configured?.value) ? configured.value : configured?.value ? [configured.value] : []).map(String);
    let registries: { name: string; source: Source }[];
    const context: Evidence[] = [];
    if (facts.info.ok) {
      registries = facts.info.value.insecureRegistries.filter((r) => !BUILTIN_INSECURE.has(r)).map((name) => ({ name, source: INFO }));
    } else {
      context.push(configuredOnly(facts, facts.info, 'insecure registries'));
      registries = configuredList.map((name) => ({ name, source: configured!.source }));
    }
    if (registries.length === 0) {
      return pass('No insecure registries: every registry is reached over verified TLS (127.0.0.0/8 is always allowed by Docker).', {
        evidence: [...context, settingEvidence('insecure-registries', configured, { value: [], detail: 'none configured' })],
      });
    }
    return registries.map((r) =>
      fail(`Registry ${r.name} is insecure: images and credentials travel without verified TLS.`, {
        target: r.name,
        evidence: [
          ...context,
          { label: 'insecure registry', value: r.name, source: r.source },
          ...(configured ? [settingEvidence('insecure-registries', configured, { value: [], detail: '' })] : []),
        ],
        fix: { id: 'daemon.insecure-registries', params: { remove: r.name } },
      }),
    );
  },
};

const daemonIcc: Check = {
  id: 'daemon.icc',
  title: 'Containers on the default bridge cannot talk to each other',
  category: 'network',
  severity: 'medium',
  rationale:
    'By default every container on docker0 can reach every port of every other container on it. One compromised container can then probe and attack the others. With icc off, containers on the default bridge only talk through published ports or links; user-defined networks are unaffected.',
  remediation:
    'Set "icc": false in daemon.json and restart the daemon; put containers that must talk to each other on a user-defined network.',
  references: [cis('2.2')],
  cis: '2.2',
  platforms: ['linux'],
  fixId: 'daemon.icc',
  evaluate(facts) {
    const configured = daemonView(facts).setting('icc');
    const evidence: Evidence[] = [settingEvidence('icc', configured, { value: true, detail: 'icc is on unless disabled' })];
    let enabled: boolean;
    if (facts.bridgeNetwork.ok) {
      const option = facts.bridgeNetwork.value.options['com.docker.network.bridge.enable_icc'];
      enabled = option !== 'false';
      evidence.unshift({
        label: 'com.docker.network.bridge.enable_icc (default bridge network)',
        value: option ?? 'true',
        source: { kind: 'api', call: 'GET /networks/bridge' },
      });
    } else if (facts.bridgeNetwork.error.code === 'failed' && /404/.test(facts.bridgeNetwork.error.message)) {
      return pass('The daemon has no default bridge network, so there is no inter-container traffic on docker0.', { evidence });
    } else {
      evidence.unshift(configuredOnly(facts, facts.bridgeNetwork, 'default bridge network'));
      enabled = settingBoolean(configured) ?? true;
    }
    if (!enabled) return pass('Inter-container communication on the default bridge is disabled.', { evidence });
    return fail('Every container on the default bridge can reach every other one (icc is enabled).', {
      evidence,
      fix: { id: 'daemon.icc', params: { value: false } },
    });
  },
};

export const DAEMON_CHECKS: readonly Check[] = [
  daemonConfigValid,
  daemonLogRotation,
  daemonLiveRestore,
  daemonInsecureRegistries,
  daemonIcc,
];

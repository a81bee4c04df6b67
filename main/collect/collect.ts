import type { Endpoint } from '../../shared/endpoint';
import type { Fact } from '../../shared/fact';
import { FACTS_SCHEMA_VERSION } from '../../shared/constants';
import type { CollectorRun, Facts } from '../../shared/facts';
import { discoverEndpoint } from '../discover/endpoint';
import type { Host } from '../host/host';
import { HostError } from '../host/host';
import { ReadOnceHost } from '../host/read-once-host';
import { TimeoutError } from '../util/timeout';
import { VERSION } from '../version';
import { type CollectContext, type FactKey, failure } from './context';
import { type LastSeenConfig, locateDaemonConfig, readDaemonConfig, resolveDaemonFlags } from './daemon-config';
import { collectDaemonHostFacts } from './daemon-host-facts';
import { collectDaemonProcess } from './daemon-process';
import { type EngineApi, EngineApiError, createEngineApi } from './engine-api';
import { collectBridgeNetwork, collectContainers, collectDiskUsage, collectEngineInfo, collectEngineVersion } from './engine';
import { collectBinfmt } from './binfmt';
import { collectDesktop, collectWsl } from './desktop';
import { collectContainerLogs } from './container-logs';
import { collectDataRootFs } from './disk';
import { collectScheduledCleanup } from './scheduled-cleanup';
import { collectHost } from './host-facts';
import { collectAccounts } from './accounts';
import { collectAuditRules } from './audit-rules';
import { collectClientConfig } from './client-config';
import { collectFiles } from './file-stats';
import { collectProcessEnv } from './process-env';
import { collectSubIds } from './sub-ids';
import { collectDns, collectHostNetwork, collectIptables } from './host-network';
import { collectExitLogs } from './exit-logs';
import { collectImages } from './images';
import { onDaemonHost } from './on-daemon-host';
import { collectServiceDropIns, collectServiceUnitState } from './systemd-drop-ins';
import { collectServiceUnit } from './systemd-unit';
import { withWorkLimit, workLimitMs } from './work-limit';

export interface CollectOptions {
  host: Host;
  endpoint?: { host?: string; context?: string };
  /** daemon.json to audit instead of the one the daemon uses. */
  configFile?: string;
  /** dockerd flags to assume instead of the running process's. */
  flags?: string[];
  /**
   * The time limit for one request, and each collector's base limit: a collector gets this plus time for every
   * container and image the daemon reports (work-limit.ts), so a big host is audited in full.
   */
  timeoutMs?: number;
  mode?: Facts['mode'];
  root?: string | null;
  /**
   * The daemon.json the daemon at an endpoint was last seen running with (the app remembers it): judged instead of the
   * platform's default when the daemon is not running now and no unit names a --config-file.
   */
  lastSeenConfig?: LastSeenConfig;
  /** Told as each collector finishes (the UI shows progress per collector). */
  onCollector?: (run: CollectorRun) => void;
}

function onLinux<T>(ctx: CollectContext, collect: () => Promise<Fact<T>>): Promise<Fact<T>> {
  return ctx.host.platform === 'linux'
    ? collect()
    : Promise.resolve(failure(new HostError('unsupported', 'systemd units exist only on Linux')));
}

type Collectors = { [K in FactKey]: (ctx: CollectContext) => Promise<Facts[K]> };

const COLLECTORS: Collectors = {
  endpoint: (ctx) =>
    ctx.host.kind === 'rootfs'
      ? Promise.resolve(failure(new HostError('unsupported', 'auditing an offline root filesystem: there is no daemon to talk to')))
      : discoverEndpoint(ctx.host, ctx.request),
  host: (ctx) => collectHost(ctx.host),
  engine: collectEngineVersion,
  info: collectEngineInfo,
  containers: collectContainers,
  diskUsage: collectDiskUsage,
  bridgeNetwork: collectBridgeNetwork,
  // The daemon's host: on another machine's daemon (daemonElsewhere) each is not applicable, with the one reason.
  daemonProcess: onDaemonHost(async (ctx) => collectDaemonProcess(ctx.host, await ctx.endpoint())),
  serviceUnit: onDaemonHost((ctx) => onLinux(ctx, () => collectServiceUnit(ctx.host))),
  serviceDropIns: onDaemonHost((ctx) => onLinux(ctx, () => collectServiceDropIns(ctx.host))),
  serviceUnitState: onDaemonHost((ctx) => onLinux(ctx, () => collectServiceUnitState(ctx.host))),
  daemonFlags: onDaemonHost(
    async (ctx) => resolveDaemonFlags(ctx.request.flags, await ctx.get('daemonProcess'), await ctx.get('serviceUnit')),
    (ctx) => ctx.request.flags !== undefined,
  ),
  daemonHostFacts: onDaemonHost(collectDaemonHostFacts),
  images: collectImages,
  files: onDaemonHost(collectFiles),
  accounts: onDaemonHost(collectAccounts),
  subIds: onDaemonHost(collectSubIds),
  // This machine's client side (the docker CLI's config and environment): whichever daemon it talks to.
  clientConfig: collectClientConfig,
  processEnv: collectProcessEnv,
  auditRules: onDaemonHost(collectAuditRules),
  hostNetwork: onDaemonHost(collectHostNetwork),
  dns: onDaemonHost(collectDns),
  iptables: onDaemonHost(collectIptables),
  dataRootFs: onDaemonHost(collectDataRootFs),
  containerLogs: onDaemonHost(collectContainerLogs),
  exitLogs: collectExitLogs,
  binfmt: onDaemonHost(collectBinfmt),
  scheduledCleanup: onDaemonHost(collectScheduledCleanup),
  desktop: collectDesktop,
  wsl: collectWsl,
  daemonConfig: onDaemonHost(
    async (ctx) => {
      const [process, unit, endpoint] = await Promise.all([ctx.get('daemonProcess'), ctx.get('serviceUnit'), ctx.endpoint()]);
      return readDaemonConfig(
        ctx.host,
        locateDaemonConfig(ctx.host, {
          configFile: ctx.request.configFile,
          endpoint,
          process,
          unit,
          lastSeen: endpoint ? (ctx.request.lastSeenConfig?.(endpoint.host) ?? null) : null,
        }),
      );
    },
    (ctx) => ctx.request.configFile !== undefined,
  ),
};

/** Every collector an audit runs, for progress ("12 of 29"). */
export const COLLECTOR_NAMES = Object.keys(COLLECTORS) as readonly FactKey[];

export const DEFAULT_TIMEOUT_MS = 10_000;
/** A daemon that does not answer /_ping in this time is reported as hung; every API fact then fails at once. */
const PING_TIMEOUT_MS = 5_000;

/**
 * Runs every collector in parallel, each under a time limit that follows the daemon's size; a failure is a fact with an
 * error, never a throw.
 */
export async function collectFacts(options: CollectOptions): Promise<Facts> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  /** Containers and images the daemon reported in /info: how much work the per-object collectors have. */
  let objects = 0;
  const limitMs = (): number => workLimitMs(timeoutMs, objects);
  const started = new Map<FactKey, Promise<Fact<unknown>>>();
  const runs: CollectorRun[] = [];
  let apiPromise: Promise<EngineApi> | undefined;

  const ctx: CollectContext = {
    host: new ReadOnceHost(options.host),
    request: { ...options.endpoint, configFile: options.configFile, flags: options.flags, lastSeenConfig: options.lastSeenConfig },
    timeoutMs,
    async workTimeoutMs(): Promise<number> {
      await ctx.get('info');
      return limitMs();
    },
    get<K extends FactKey>(key: K): Promise<Facts[K]> {
      let promise = started.get(key);
      if (!promise) {
        promise = runCollector(key);
        started.set(key, promise);
      }
      return promise as Promise<Facts[K]>;
    },
    async endpoint(): Promise<Endpoint | null> {
      const fact = await ctx.get('endpoint');
      return fact.ok ? fact.value : null;
    },
    api(): Promise<EngineApi> {
      apiPromise ??= (async () => {
        const fact = await ctx.get('endpoint');
        if (!fact.ok) throw new EngineApiError(fact.error.code, `no Docker endpoint: ${fact.error.message}`);
        const api = await createEngineApi(options.host, fact.value, timeoutMs);
        // Over ssh the first call is a login and `docker system dial-stdio` on the far side: the call's own limit (as prune's connect).
        await api.ping(fact.value.transport === 'ssh' ? timeoutMs : Math.min(PING_TIMEOUT_MS, timeoutMs));
        return api;
      })();
      return apiPromise;
    },
  };

  async function runCollector(key: FactKey): Promise<Fact<unknown>> {
    const t0 = performance.now();
    let fact: Fact<unknown>;
    try {
      fact = await withWorkLimit(`collector ${key}`, limitMs, () => COLLECTORS[key](ctx) as Promise<Fact<unknown>>);
      const info = key === 'info' ? (fact as Facts['info']) : null;
      if (info?.ok) objects = info.value.containers + info.value.images;
    } catch (error) {
      fact = failure(error instanceof TimeoutError ? new EngineApiError('timeout', error.message) : error);
    }
    const status: CollectorRun['status'] = fact.ok
      ? 'ok'
      : fact.error.code === 'timeout'
        ? 'timeout'
        : fact.error.code === 'unsupported'
          ? 'skipped'
          : 'error';
    const run = { name: key, ms: Math.round((performance.now() - t0) * 10) / 10, status };
    runs.push(run);
    options.onCollector?.(run);
    return fact;
  }

  const keys = Object.keys(COLLECTORS) as FactKey[];
  const values = await Promise.all(keys.map((k) => ctx.get(k)));
  apiPromise?.then(
    (api) => api.close(),
    () => undefined,
  );
  const facts = Object.fromEntries(keys.map((k, i) => [k, values[i]])) as { [K in FactKey]: Facts[K] };
  return {
    schemaVersion: FACTS_SCHEMA_VERSION,
    toolVersion: VERSION,
    collectedAt: new Date().toISOString(),
    mode: options.mode ?? (options.host.kind === 'rootfs' ? 'offline-root' : 'live'),
    root: options.root ?? null,
    ...facts,
    collectors: runs.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
  };
}

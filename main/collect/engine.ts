import type { Fact } from '../../shared/fact';
import type { ContainerFact, DiskUsage, EngineInfo, EngineVersion, NetworkFact } from '../../shared/facts';
import type { Source } from '../../shared/source';
import { mapLimit } from '../util/timeout';
import { type CollectContext, failure } from './context';
import type { EngineApi } from './engine-api';
import { EngineApiError } from './engine-api';
import { classifyEnv } from './env-secrets';
import { arr, bool, num, numOrNull, obj, type Raw, str, stringMap, strings, strOrNull } from './raw';

/** Inspects in flight at once: enough to hide round trips, few enough not to load a busy daemon. */
export const INSPECT_CONCURRENCY = 64;

/** Runs `work` against the Engine API once /_ping succeeded; a daemon that cannot be used becomes the fact's error. */
export async function fromApi<T>(ctx: CollectContext, call: string, work: (api: EngineApi) => Promise<T>): Promise<Fact<T>> {
  const sources: Source[] = [{ kind: 'api', call }];
  let api: EngineApi;
  try {
    api = await ctx.api();
  } catch (error) {
    return failure(error, sources);
  }
  try {
    return { ok: true, value: await work(api), sources };
  } catch (error) {
    return failure(error, sources);
  }
}

export function collectEngineVersion(ctx: CollectContext): Promise<Fact<EngineVersion>> {
  return fromApi(ctx, 'GET /version', async (api) => {
    const v = obj(await api.get('/version'));
    const version = str(v.Version);
    if (!version) throw new EngineApiError('malformed', `GET /version on ${api.endpoint.host} did not return an engine version`);
    return {
      version,
      apiVersion: str(v.ApiVersion),
      minApiVersion: strOrNull(v.MinAPIVersion),
      os: str(v.Os),
      arch: str(v.Arch),
      kernelVersion: strOrNull(v.KernelVersion),
      platformName: strOrNull(obj(v.Platform).Name),
    };
  });
}

export function collectEngineInfo(ctx: CollectContext): Promise<Fact<EngineInfo>> {
  return fromApi(ctx, 'GET /info', async (api) => parseInfo(obj(await api.get('/info'))));
}

export function parseInfo(i: Raw): EngineInfo {
  const registry = obj(i.RegistryConfig);
  const insecure = new Set<string>(strings(registry.InsecureRegistryCIDRs));
  for (const [name, config] of Object.entries(obj(registry.IndexConfigs))) {
    if (obj(config).Secure === false) insecure.add(name);
  }
  return {
    id: str(i.ID),
    name: str(i.Name),
    serverVersion: str(i.ServerVersion),
    operatingSystem: str(i.OperatingSystem),
    osType: str(i.OSType),
    kernelVersion: str(i.KernelVersion),
    architecture: str(i.Architecture),
    ncpu: num(i.NCPU),
    memTotal: num(i.MemTotal),
    driver: str(i.Driver),
    driverStatus: arr(i.DriverStatus)
      .map((pair) => strings(pair))
      .filter((pair) => pair.length === 2)
      .map((pair) => [pair[0]!, pair[1]!] as [string, string]),
    loggingDriver: str(i.LoggingDriver),
    cgroupDriver: strOrNull(i.CgroupDriver),
    cgroupVersion: strOrNull(i.CgroupVersion),
    dockerRootDir: str(i.DockerRootDir),
    securityOptions: strings(i.SecurityOptions),
    liveRestoreEnabled: bool(i.LiveRestoreEnabled),
    debug: bool(i.Debug),
    experimentalBuild: bool(i.ExperimentalBuild),
    insecureRegistries: [...insecure].sort(),
    registryMirrors: strings(registry.Mirrors),
    httpProxy: str(i.HttpProxy),
    httpsProxy: str(i.HttpsProxy),
    noProxy: str(i.NoProxy),
    labels: strings(i.Labels),
    warnings: strings(i.Warnings),
    containers: num(i.Containers),
    containersRunning: num(i.ContainersRunning),
    images: num(i.Images),
    defaultRuntime: strOrNull(i.DefaultRuntime),
    runtimes: Object.keys(obj(i.Runtimes)).sort(),
    swarmState: strOrNull(obj(i.Swarm).LocalNodeState),
  };
}

export function collectBridgeNetwork(ctx: CollectContext): Promise<Fact<NetworkFact>> {
  return fromApi(ctx, 'GET /networks/bridge', async (api) => {
    const n = obj(await api.get('/networks/bridge'));
    return {
      id: str(n.Id),
      name: str(n.Name),
      driver: str(n.Driver),
      options: stringMap(n.Options),
      subnets: arr(obj(n.IPAM).Config)
        .map((c) => str(obj(c).Subnet))
        .filter(Boolean),
    };
  });
}

/** One list call and one inspect per container, with bounded concurrency: facts once per audit, never per check. */
export function collectContainers(ctx: CollectContext): Promise<Fact<ContainerFact[]>> {
  return fromApi(ctx, 'GET /containers/json?all=1 + GET /containers/{id}/json', async (api) => {
    const list = arr(await api.get('/containers/json', { all: '1' }));
    const ids = list.map((c) => str(obj(c).Id)).filter(Boolean);
    const inspected = await mapLimit(ids, INSPECT_CONCURRENCY, async (id) => {
      try {
        return parseContainer(obj(await api.get(`/containers/${id}/json`)));
      } catch (error) {
        // Removed between list and inspect: it no longer exists, so it has nothing to report.
        if (error instanceof EngineApiError && error.statusCode === 404) return null;
        throw error;
      }
    });
    return inspected.filter((c): c is ContainerFact => c !== null);
  });
}

export function parseContainer(c: Raw): ContainerFact {
  const config = obj(c.Config);
  const state = obj(c.State);
  const hc = obj(c.HostConfig);
  const health = obj(state.Health);
  const log = arr(health.Log);
  const last = obj(log[log.length - 1]);
  const restart = obj(hc.RestartPolicy);
  const logConfig = obj(hc.LogConfig);
  const portBindings = Object.entries(obj(hc.PortBindings)).flatMap(([containerPort, bindings]) =>
    arr(bindings).map((b) => ({ containerPort, hostIp: str(obj(b).HostIp), hostPort: str(obj(b).HostPort) })),
  );
  return {
    id: str(c.Id),
    name: str(c.Name).replace(/^\//, ''),
    image: str(config.Image),
    imageId: str(c.Image),
    created: str(c.Created),
    labels: stringMap(config.Labels),
    user: str(config.User),
    hasHealthcheck: strings(obj(config.Healthcheck).Test).length > 0 && strings(obj(config.Healthcheck).Test)[0] !== 'NONE',
    tty: bool(config.Tty),
    restartCount: num(c.RestartCount),
    logPath: str(c.LogPath),
    networks: Object.keys(obj(obj(c.NetworkSettings).Networks)).sort(),
    state: {
      status: str(state.Status),
      running: bool(state.Running),
      restarting: bool(state.Restarting),
      oomKilled: bool(state.OOMKilled),
      exitCode: num(state.ExitCode),
      startedAt: str(state.StartedAt),
      finishedAt: str(state.FinishedAt),
      error: str(state.Error),
      health: state.Health
        ? {
            status: str(health.Status),
            failingStreak: num(health.FailingStreak),
            lastOutput: strOrNull(last.Output),
            lastExitCode: numOrNull(last.ExitCode),
          }
        : null,
    },
    hostConfig: {
      privileged: bool(hc.Privileged),
      networkMode: str(hc.NetworkMode),
      pidMode: str(hc.PidMode),
      ipcMode: str(hc.IpcMode),
      utsMode: str(hc.UTSMode),
      usernsMode: str(hc.UsernsMode),
      capAdd: strings(hc.CapAdd),
      capDrop: strings(hc.CapDrop),
      memory: num(hc.Memory),
      pidsLimit: numOrNull(hc.PidsLimit),
      nanoCpus: num(hc.NanoCpus),
      cpuShares: num(hc.CpuShares),
      cpuQuota: num(hc.CpuQuota),
      cpusetCpus: str(hc.CpusetCpus),
      readonlyRootfs: bool(hc.ReadonlyRootfs),
      restartPolicy: { name: str(restart.Name, 'no') || 'no', maximumRetryCount: num(restart.MaximumRetryCount) },
      securityOpt: strings(hc.SecurityOpt),
      devices: arr(hc.Devices).map((d) => `${str(obj(d).PathOnHost)}:${str(obj(d).PathInContainer)}`),
      portBindings,
      logConfig: { type: str(logConfig.Type), config: stringMap(logConfig.Config) },
      dns: strings(hc.Dns),
    },
    mounts: arr(c.Mounts).map((m) => {
      const mount = obj(m);
      return {
        type: str(mount.Type),
        source: str(mount.Source),
        destination: str(mount.Destination),
        rw: bool(mount.RW),
        name: strOrNull(mount.Name),
        propagation: str(mount.Propagation),
      };
    }),
    envSecrets: classifyEnv(strings(config.Env)),
  };
}

export function collectDiskUsage(ctx: CollectContext): Promise<Fact<DiskUsage>> {
  return fromApi(ctx, 'GET /system/df', async (api) => {
    // /system/df walks every layer and container filesystem: on a big host it is the slowest call, so it gets more time.
    const df = obj(await api.get('/system/df', {}, Math.max(ctx.timeoutMs * 3, (await ctx.workTimeoutMs?.()) ?? 0)));
    return {
      layersSize: num(df.LayersSize),
      images: arr(df.Images).map((raw) => {
        const i = obj(raw);
        return {
          id: str(i.Id),
          repoTags: strings(i.RepoTags).filter((t) => t !== '<none>:<none>'),
          size: num(i.Size),
          sharedSize: Math.max(0, num(i.SharedSize)),
          containers: Math.max(0, num(i.Containers)),
          created: num(i.Created),
          labels: stringMap(i.Labels),
        };
      }),
      containers: arr(df.Containers).map((raw) => {
        const c = obj(raw);
        return {
          id: str(c.Id),
          names: strings(c.Names).map((n) => n.replace(/^\//, '')),
          image: str(c.Image),
          sizeRw: num(c.SizeRw),
          state: str(c.State),
          created: num(c.Created),
        };
      }),
      volumes: arr(df.Volumes).map((raw) => {
        const v = obj(raw);
        const usage = obj(v.UsageData);
        return {
          name: str(v.Name),
          size: Math.max(0, num(usage.Size)),
          refCount: Math.max(0, num(usage.RefCount)),
          labels: stringMap(v.Labels),
        };
      }),
      buildCache: arr(df.BuildCache).map((raw) => {
        const b = obj(raw);
        return {
          id: str(b.ID),
          type: str(b.Type),
          size: num(b.Size),
          inUse: bool(b.InUse),
          shared: bool(b.Shared),
          createdAt: str(b.CreatedAt),
          lastUsedAt: strOrNull(b.LastUsedAt),
        };
      }),
    };
  });
}

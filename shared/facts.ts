import { z } from 'zod';
import { FACTS_SCHEMA_VERSION } from './constants';

export { FACTS_SCHEMA_VERSION };
import { EndpointSchema } from './endpoint';
import { factSchema } from './fact';
import { CollectorRunSchema, DaemonConfigFoundBySchema } from './audit-run';

export { CollectorRunSchema, DaemonConfigFoundBySchema, type CollectorRun } from './audit-run';
import { ContainerLogFactSchema, DataRootFsFactSchema, ScheduledCleanupFactSchema } from './facts/disk';
import { DesktopFactSchema, WslFactSchema } from './facts/desktop';
import {
  AccountsFactSchema,
  AuditRulesFactSchema,
  ClientConfigFactSchema,
  FileStatFactSchema,
  ProcessEnvFactSchema,
  SubIdsFactSchema,
} from './facts/host-files';
import { ImageFactSchema } from './facts/images';
import { EnvSecretsSchema } from './facts/secrets';
import { BinfmtFactSchema, ExitLogFactSchema } from './facts/container-outcomes';
import { DaemonHostFactSchema } from './facts/daemon-host';
import { DnsFactSchema, HostNetworkFactSchema, IptablesFactSchema } from './facts/network';
import { ServiceDropInsFactSchema, ServiceUnitStateFactSchema } from './facts/systemd';

/**
 * The facts snapshot: everything an audit collected, serializable, so it can be saved and evaluated again
 * (support bundles, reproducible reports, test fixtures). Checks see nothing else.
 */

export const HostFactSchema = z.object({
  platform: z.enum(['linux', 'darwin', 'win32', 'other']),
  arch: z.string(),
  hostname: z.string(),
  osName: z.string().describe('distribution or product name, e.g. "Debian GNU/Linux 12 (bookworm)"'),
  kernel: z.string(),
  user: z.object({
    username: z.string(),
    uid: z.number().int().nullable(),
    gid: z.number().int().nullable(),
    /** Group ids of the running process (what the kernel enforces now, not /etc/group). */
    processGroups: z.array(z.number().int()),
  }),
});
export type HostFact = z.infer<typeof HostFactSchema>;

export const EngineVersionSchema = z.object({
  version: z.string(),
  apiVersion: z.string(),
  minApiVersion: z.string().nullable(),
  os: z.string(),
  arch: z.string(),
  kernelVersion: z.string().nullable(),
  platformName: z.string().nullable().describe('e.g. "Docker Desktop 4.30.0 (149282)" or "Docker Engine - Community"'),
});
export type EngineVersion = z.infer<typeof EngineVersionSchema>;

export const EngineInfoSchema = z.object({
  id: z.string(),
  name: z.string(),
  serverVersion: z.string(),
  operatingSystem: z.string(),
  osType: z.string(),
  kernelVersion: z.string(),
  architecture: z.string(),
  ncpu: z.number(),
  memTotal: z.number(),
  driver: z.string(),
  driverStatus: z.array(z.tuple([z.string(), z.string()])),
  loggingDriver: z.string(),
  cgroupDriver: z.string().nullable(),
  cgroupVersion: z.string().nullable(),
  dockerRootDir: z.string(),
  securityOptions: z.array(z.string()),
  liveRestoreEnabled: z.boolean(),
  /** Optional: snapshots from before it was recorded have none. */
  debug: z.boolean().optional(),
  experimentalBuild: z.boolean(),
  /** Registries the daemon treats as insecure: `RegistryConfig.IndexConfigs` with Secure=false plus `InsecureRegistryCIDRs`. */
  insecureRegistries: z.array(z.string()),
  registryMirrors: z.array(z.string()),
  httpProxy: z.string(),
  httpsProxy: z.string(),
  noProxy: z.string(),
  labels: z.array(z.string()),
  warnings: z.array(z.string()),
  containers: z.number().int(),
  containersRunning: z.number().int(),
  images: z.number().int(),
  defaultRuntime: z.string().nullable(),
  runtimes: z.array(z.string()),
  swarmState: z.string().nullable(),
});
export type EngineInfo = z.infer<typeof EngineInfoSchema>;

export const DaemonProcessSchema = z.object({
  pid: z.number().int(),
  argv: z.array(z.string()),
  /** How this dockerd was matched to the endpoint (its -H flag, the default socket, the only dockerd running). */
  matchedBy: z.string(),
});
export type DaemonProcess = z.infer<typeof DaemonProcessSchema>;

export const UnitEnvironmentSchema = z.object({
  name: z.string(),
  value: z.string(),
  path: z.string(),
  line: z.number().int().positive(),
});

export const ServiceUnitSchema = z.object({
  name: z.string(),
  fragmentPath: z.string(),
  dropIns: z.array(z.string()),
  /** The effective ExecStart argv after drop-ins (systemd's reset-by-empty-assignment applied), or null when none. */
  execStart: z.object({ argv: z.array(z.string()), path: z.string(), line: z.number().int().positive() }).nullable(),
  environment: z.array(UnitEnvironmentSchema),
  environmentFiles: z.array(z.string()),
});
export type ServiceUnit = z.infer<typeof ServiceUnitSchema>;

export const DaemonFlagsSchema = z.object({
  /** dockerd's arguments without the program name. */
  args: z.array(z.string()),
  from: z.enum(['process', 'service-unit', 'user']),
});
export type DaemonFlags = z.infer<typeof DaemonFlagsSchema>;

export const DaemonConfigFileSchema = z.object({
  path: z.string(),
  foundBy: DaemonConfigFoundBySchema,
  reason: z.string(),
  /** dockerd fails when a --config-file given explicitly is missing, but not when the default one is. */
  explicit: z.boolean(),
  exists: z.boolean(),
  /** Decoded text (UTF-16 files transcoded); engines differ in which encodings they read. */
  text: z.string().nullable(),
  encoding: z.enum(['utf8', 'utf16', 'invalid-utf8']),
  bytes: z.number().int(),
});
export type DaemonConfigFile = z.infer<typeof DaemonConfigFileSchema>;

export const HealthSchema = z.object({
  status: z.string(),
  failingStreak: z.number().int(),
  lastOutput: z.string().nullable(),
  lastExitCode: z.number().int().nullable(),
});

export const MountFactSchema = z.object({
  type: z.string(),
  source: z.string(),
  destination: z.string(),
  rw: z.boolean(),
  name: z.string().nullable(),
  /** Bind propagation (rprivate, rshared, ...); "" for volumes. */
  propagation: z.string(),
});

export const PortBindingSchema = z.object({
  containerPort: z.string(),
  hostIp: z.string(),
  hostPort: z.string(),
});

export const ContainerFactSchema = z.object({
  id: z.string(),
  name: z.string(),
  image: z.string(),
  imageId: z.string(),
  created: z.string(),
  labels: z.record(z.string(), z.string()),
  user: z.string(),
  hasHealthcheck: z.boolean(),
  /** Config.Tty: its log is one raw stream rather than stdout and stderr frames. Absent from older snapshots. */
  tty: z.boolean().default(false),
  restartCount: z.number().int(),
  /** The json-file/local log on the host (empty for other drivers). */
  logPath: z.string(),
  /** Networks the container is attached to (NetworkSettings.Networks), including ones added with `docker network connect`. */
  networks: z.array(z.string()),
  state: z.object({
    status: z.string(),
    running: z.boolean(),
    restarting: z.boolean(),
    oomKilled: z.boolean(),
    exitCode: z.number().int(),
    startedAt: z.string(),
    finishedAt: z.string(),
    /** State.Error: why the last start failed, if it did. */
    error: z.string(),
    health: HealthSchema.nullable(),
  }),
  hostConfig: z.object({
    privileged: z.boolean(),
    networkMode: z.string(),
    pidMode: z.string(),
    ipcMode: z.string(),
    utsMode: z.string(),
    usernsMode: z.string(),
    capAdd: z.array(z.string()),
    capDrop: z.array(z.string()),
    memory: z.number(),
    pidsLimit: z.number().nullable(),
    nanoCpus: z.number(),
    cpuShares: z.number(),
    cpuQuota: z.number(),
    cpusetCpus: z.string(),
    readonlyRootfs: z.boolean(),
    restartPolicy: z.object({ name: z.string(), maximumRetryCount: z.number().int() }),
    securityOpt: z.array(z.string()),
    devices: z.array(z.string()),
    portBindings: z.array(PortBindingSchema),
    logConfig: z.object({ type: z.string(), config: z.record(z.string(), z.string()) }),
    /** --dns (HostConfig.Dns); absent in snapshots from before it was collected. */
    dns: z.array(z.string()).optional(),
  }),
  mounts: z.array(MountFactSchema),
  /** Config.Env entries that look like credentials, masked (shared/facts/secrets.ts); absent in older snapshots. */
  envSecrets: EnvSecretsSchema.optional(),
});
export type ContainerFact = z.infer<typeof ContainerFactSchema>;

export const DiskUsageSchema = z.object({
  layersSize: z.number(),
  images: z.array(
    z.object({
      id: z.string(),
      repoTags: z.array(z.string()),
      size: z.number(),
      sharedSize: z.number(),
      containers: z.number().int(),
      created: z.number(),
      labels: z.record(z.string(), z.string()),
    }),
  ),
  containers: z.array(
    z.object({
      id: z.string(),
      names: z.array(z.string()),
      image: z.string(),
      sizeRw: z.number(),
      state: z.string(),
      created: z.number(),
    }),
  ),
  volumes: z.array(
    z.object({
      name: z.string(),
      size: z.number(),
      refCount: z.number().int(),
      labels: z.record(z.string(), z.string()),
    }),
  ),
  buildCache: z.array(
    z.object({
      id: z.string(),
      type: z.string(),
      size: z.number(),
      inUse: z.boolean(),
      shared: z.boolean(),
      createdAt: z.string(),
      lastUsedAt: z.string().nullable(),
    }),
  ),
});
export type DiskUsage = z.infer<typeof DiskUsageSchema>;

export const NetworkFactSchema = z.object({
  id: z.string(),
  name: z.string(),
  driver: z.string(),
  options: z.record(z.string(), z.string()),
  subnets: z.array(z.string()),
});
export type NetworkFact = z.infer<typeof NetworkFactSchema>;

export const FactsSchema = z.object({
  schemaVersion: z.literal(FACTS_SCHEMA_VERSION),
  toolVersion: z.string(),
  collectedAt: z.string(),
  mode: z.enum(['live', 'offline-root']),
  /** For offline audits, the root filesystem audited; paths in facts are relative to it. */
  root: z.string().nullable(),
  endpoint: factSchema(EndpointSchema),
  host: factSchema(HostFactSchema),
  engine: factSchema(EngineVersionSchema),
  info: factSchema(EngineInfoSchema),
  daemonProcess: factSchema(DaemonProcessSchema),
  serviceUnit: factSchema(ServiceUnitSchema),
  /** Optional (as every fact added later): snapshots from before it was collected have none. */
  serviceDropIns: factSchema(ServiceDropInsFactSchema).optional(),
  serviceUnitState: factSchema(ServiceUnitStateFactSchema).optional(),
  daemonFlags: factSchema(DaemonFlagsSchema),
  daemonConfig: factSchema(DaemonConfigFileSchema),
  /** Optional: snapshots from before it was collected have none, and then host-dependent values stay warnings. */
  daemonHostFacts: factSchema(DaemonHostFactSchema).optional(),
  containers: factSchema(z.array(ContainerFactSchema)),
  diskUsage: factSchema(DiskUsageSchema),
  bridgeNetwork: factSchema(NetworkFactSchema),
  images: factSchema(z.array(ImageFactSchema)),
  files: factSchema(z.array(FileStatFactSchema)),
  accounts: factSchema(AccountsFactSchema),
  subIds: factSchema(SubIdsFactSchema),
  clientConfig: factSchema(ClientConfigFactSchema),
  processEnv: factSchema(ProcessEnvFactSchema),
  auditRules: factSchema(AuditRulesFactSchema),
  hostNetwork: factSchema(HostNetworkFactSchema),
  dns: factSchema(DnsFactSchema),
  iptables: factSchema(IptablesFactSchema),
  dataRootFs: factSchema(DataRootFsFactSchema),
  containerLogs: factSchema(z.array(ContainerLogFactSchema)),
  /** Optional, as daemonHostFacts: the end of the log of each container that failed and stays down. */
  exitLogs: factSchema(z.array(ExitLogFactSchema)).optional(),
  binfmt: factSchema(BinfmtFactSchema).optional(),
  scheduledCleanup: factSchema(ScheduledCleanupFactSchema),
  desktop: factSchema(DesktopFactSchema),
  wsl: factSchema(WslFactSchema),
  collectors: z.array(CollectorRunSchema),
});
export type Facts = z.infer<typeof FactsSchema>;

/*
 * daemon-options.ts — the set of top-level daemon.json keys accepted by dockerd,
 * per Docker Engine version, for the Dockhand pre-flight checker.
 *
 * Hand-written data, derived by reading (not copying) the moby/moby sources at
 * these tags:
 *   v20.10.0, v20.10.24, v20.10.27          (20.10)
 *   v23.0.0, v23.0.6, v23.0.18              (23.0)
 *   v24.0.0, v24.0.9                        (24.0)
 *   v25.0.0, v25.0.5, v25.0.17              (25.0)
 *   v26.0.0, v26.0.2, v26.1.0, v26.1.4, v26.1.5
 *   v27.0.1, v27.0.3, v27.1.0, v27.1.2, v27.2.0, v27.2.1, v27.3.0, v27.3.1,
 *   v27.4.0, v27.4.1, v27.5.0, v27.5.1
 *   v28.0.0, v28.0.4, v28.1.0, v28.1.1, v28.2.0, v28.2.2, v28.3.0, v28.3.3,
 *   v28.4.0, v28.5.0, v28.5.2
 * Files read at each tag:
 *   daemon/config/config.go        (CommonConfig, LogConfig, DNSConfig, NetworkConfig,
 *                                   TLSOptions/CommonTLSOptions, Proxies, flatOptions,
 *                                   skipValidateOptions, skipDuplicates, migratedNamedConfig,
 *                                   getConflictFreeConfiguration, configValuesSet,
 *                                   findConfigurationConflicts, MergeDaemonConfigurations, Validate)
 *   daemon/config/config_unix.go + config_common_unix.go (20.10), config_linux.go (23.0+),
 *   daemon/config/config_windows.go, daemon/config/builder.go, daemon/config/opts.go
 *   registry/config.go             (ServiceOptions, ValidateMirror, ValidateIndexName)
 *   cmd/dockerd/config.go          (installCommonConfigFlags, installRegistryServiceFlags in 20.10)
 *   cmd/dockerd/config_unix.go, config_common_unix.go (20.10), config_windows.go (installConfigFlags)
 *   cmd/dockerd/options.go         (daemonOptions.installFlags: debug, log-level, log-format, tls*, host, validate)
 *   cmd/dockerd/docker.go, daemon.go, daemon_linux.go, daemon_windows.go, service_windows.go
 *   daemon/daemon_unix.go (verifyDaemonSettings), daemon/runtime_unix.go, opts/*.go, internal/opts/*.go
 *
 * How a key is accepted (see docs/preflight-rules.md for details):
 *   A top-level key passes dockerd's "unknown directive" check iff it is the long name of a
 *   registered command-line flag, or the Name() of a flag value implementing NamedOption
 *   (e.g. "labels" for --label), or is listed in skipValidateOptions. Objects under keys not
 *   listed in flatOptions are flattened one level before this check (that is how "proxies"
 *   works). Passing that check does not mean the key does anything: it only has an effect if
 *   a `json:"..."` tag in the Config struct matches it (encoding/json matches tags
 *   case-insensitively, but the unknown-key check is case-sensitive).
 *
 * DAEMON_OPTIONS lists the keys that are both accepted and (for at least one supported
 * version) applied. Keys that are accepted but have no effect are in
 * ACCEPTED_BUT_IGNORED_KEYS; struct keys that dockerd nevertheless rejects are in
 * REJECTED_KEYS.
 *
 * Version strings are "major.minor". `since` = first version that accepts the key ("20.10"
 * means "20.10 or earlier", i.e. present in every version we support). `until` = first
 * version that makes dockerd refuse to start when the key is present (with a non-zero /
 * non-empty value where a start-up rule says so).
 *
 * Nothing here is Go code or a translation of it. The start-up rules (cross-key, value and host
 * checks) are executable predicates with engine ranges in start-rules.ts, proved against the real
 * engines by the recorded oracle (oracle-recording.json).
 */

export type OptionType =
  'string' | 'boolean' | 'integer' | 'number' | 'string[]' | 'map<string,string>' | 'object' | 'ulimit-map' | 'array<object>' | 'any';

export type Platform = 'linux' | 'windows';

/**
 * Where in dockerd's start-up a rule fires, in order:
 *  - 'parse'       reading/decoding the file into a generic map (syntax, encoding, top-level type)
 *  - 'unknown-key' findConfigurationConflicts step 1/2 ("don't match any configuration option")
 *  - 'conflict'    findConfigurationConflicts step 3/4 (flag and file both set the option)
 *  - 'decode'      json.Unmarshal into the typed Config struct (type mismatches, IP/CIDR text parsing)
 *  - 'validate'    config.Validate() and the other checks in loadDaemonCliConfig / checkDeprecatedOptions;
 *                  these are also reported by `dockerd --validate` (23.0+)
 *  - 'startup'     later, while the daemon initialises (NewDaemon, registry service, network
 *                  controller, BuildKit...). NOT caught by `dockerd --validate`; often host-dependent.
 */
export type RuleStage = 'parse' | 'unknown-key' | 'conflict' | 'decode' | 'validate' | 'startup';

export interface DaemonOption {
  key: string; // top-level daemon.json key, e.g. "log-driver"
  type: OptionType;
  since: string; // first engine version (major.minor) that accepts it; "20.10" = present in all supported
  until?: string; // first version that REJECTS it (removed), if any
  platforms: Platform[];
  flag?: string; // the dockerd command-line flag that sets the same option (without leading --), if any
  /**
   * true if the flag is repeatable (list/map/set-valued flag). Conflict detection does NOT treat
   * these differently: using the flag at all together with the key in the file is a conflict,
   * whatever the values (the only merged option is "runtimes" / --add-runtime).
   */
  flagIsList?: boolean;
  enum?: string[]; // allowed values where dockerd validates them at startup ("" keeps the default)
  min?: number;
  max?: number; // numeric range dockerd validates at startup on every engine (version-dependent ranges are start rules)
  deprecated?: string; // a short note if deprecated
  description: string; // one line, from the docs/flag help
  source: string; // file(s) and tag the entry was taken from

  // ---- extensions (optional; not part of the originally requested shape) ----
  /** one-letter flag alias, e.g. "H" for --host (needed to map a command line to keys) */
  shorthand?: string;
  /** first version in which `flag` exists, when later than `since` */
  flagSince?: string;
  /** per-platform first version, when a platform gained the key later than `since` */
  platformSince?: Partial<Record<Platform, string>>;
  /** from this version on the key is still accepted but has no effect */
  ignoredSince?: string;
  // The start-up rules (cross-key, value, host) are executable predicates in start-rules.ts.
  /** for lists of objects: the typed fields of each object (encoding/json matches them case-insensitively) */
  fields?: Readonly<Record<string, 'string' | 'integer'>>;
}

const LX: Platform[] = ['linux'];
const ALL: Platform[] = ['linux', 'windows'];

export const DAEMON_OPTIONS: readonly DaemonOption[] = [
  {
    key: 'allow-direct-routing',
    type: 'boolean',
    since: '28.2',
    platforms: LX,
    flag: 'allow-direct-routing',
    description: 'Allow remote access to published ports on container IP addresses',
    source: 'moby v28.2.0/v28.5.2 daemon/config/config_linux.go BridgeConfig; cmd/dockerd/config_unix.go',
  },
  {
    key: 'allow-nondistributable-artifacts',
    type: 'string[]',
    since: '20.10',
    platforms: ALL,
    flag: 'allow-nondistributable-artifacts',
    flagIsList: true,
    deprecated:
      '28.0: deprecated (pushing non-distributable artifacts is always allowed); 28.1+: accepted and ignored (skipValidateOptions)',
    ignoredSince: '28.1',
    description: 'Allow push of nondistributable artifacts to registry',
    source:
      'moby v20.10.27..v28.0.4 registry/config.go ServiceOptions; v28.1.0+ daemon/config/config.go skipValidateOptions; cmd/dockerd/config.go',
  },
  {
    key: 'api-cors-header',
    type: 'string',
    since: '20.10',
    platforms: ALL,
    flag: 'api-cors-header',
    deprecated: '27.0: deprecated; 28.0+: any non-empty value makes dockerd refuse to start (the key itself is still known)',
    description: 'Set CORS headers in the Engine API',
    source: 'moby v28.5.2 daemon/config/config.go CommonConfig + Validate; cmd/dockerd/config.go (27.0 MarkDeprecated)',
  },
  {
    key: 'authorization-plugins',
    type: 'string[]',
    since: '20.10',
    platforms: ALL,
    flag: 'authorization-plugin',
    flagIsList: true,
    description: 'Authorization plugins to load',
    source: 'moby v28.5.2 daemon/config/config.go CommonConfig; cmd/dockerd/config.go',
  },
  {
    key: 'bip',
    type: 'string',
    since: '20.10',
    platforms: LX,
    flag: 'bip',
    description: 'IPv4 address (CIDR) for the default bridge',
    source:
      'moby v28.5.2 daemon/config/config_linux.go DefaultBridgeConfig (v20.10.27 config_common_unix.go commonUnixBridgeConfig); cmd/dockerd/config_unix.go',
  },
  {
    key: 'bip6',
    type: 'string',
    since: '28.0',
    platforms: LX,
    flag: 'bip6',
    description: 'IPv6 address (CIDR) for the default bridge',
    source:
      'moby v28.5.2 daemon/config/config_linux.go DefaultBridgeConfig; cmd/dockerd/config_unix.go; daemon/daemon_unix.go verifyDaemonSettings',
  },
  {
    key: 'bridge',
    type: 'string',
    since: '20.10',
    platforms: ALL,
    flag: 'bridge',
    shorthand: 'b',
    description: 'Attach containers to a network bridge (Windows: a virtual switch); "none" disables the default bridge',
    source: 'moby v28.5.2 daemon/config/config.go commonBridgeConfig; cmd/dockerd/config_unix.go, config_windows.go',
  },
  {
    key: 'builder',
    type: 'object',
    since: '20.10',
    platforms: ALL,
    description: 'BuildKit builder settings: {"gc": {...}, "entitlements": {...}, "history": {...}}',
    source: 'moby v20.10.27..v28.5.2 daemon/config/builder.go BuilderConfig; config.go flatOptions + skipValidateOptions',
  },
  {
    key: 'cdi-spec-dirs',
    type: 'string[]',
    since: '25.0',
    platforms: ALL,
    flag: 'cdi-spec-dir',
    flagIsList: true,
    description: 'CDI specification directories to use (28.2+: CDI on by default; [""] disables it)',
    source:
      'moby v25.0.0..v28.5.2 daemon/config/config.go CommonConfig; cmd/dockerd/config.go; v28.5.2 cmd/dockerd/daemon.go loadDaemonCliConfig',
  },
  {
    key: 'cgroup-parent',
    type: 'string',
    since: '20.10',
    platforms: LX,
    flag: 'cgroup-parent',
    description: 'Set parent cgroup for all containers',
    source: 'moby v28.5.2 daemon/config/config_linux.go Config; cmd/dockerd/config_unix.go; daemon/daemon_unix.go verifyDaemonSettings',
  },
  {
    key: 'cluster-advertise',
    type: 'string',
    since: '20.10',
    until: '24.0',
    platforms: ALL,
    flag: 'cluster-advertise',
    deprecated: 'Swarm-classic / external k/v store: warning in 20.10, refused (non-empty) in 23.0, unknown key in 24.0+',
    description: 'Address or interface name to advertise (legacy overlay networking with external k/v store)',
    source: 'moby v20.10.27, v23.0.18 daemon/config/config.go CommonConfig; v23.0.18 cmd/dockerd/daemon.go checkDeprecatedOptions',
  },
  {
    key: 'cluster-store',
    type: 'string',
    since: '20.10',
    until: '24.0',
    platforms: ALL,
    flag: 'cluster-store',
    deprecated: 'Swarm-classic / external k/v store: warning in 20.10, refused (non-empty) in 23.0, unknown key in 24.0+',
    description: 'URL of the distributed storage backend (legacy)',
    source: 'moby v20.10.27, v23.0.18 daemon/config/config.go CommonConfig; v23.0.18 cmd/dockerd/daemon.go checkDeprecatedOptions',
  },
  {
    key: 'cluster-store-opts',
    type: 'map<string,string>',
    since: '20.10',
    until: '24.0',
    platforms: ALL,
    flag: 'cluster-store-opt',
    flagIsList: true,
    deprecated: 'Swarm-classic / external k/v store: warning in 20.10, refused (non-empty) in 23.0, unknown key in 24.0+',
    description: 'Set cluster store options (legacy)',
    source:
      'moby v20.10.27, v23.0.18 daemon/config/config.go CommonConfig + flatOptions; v23.0.18 cmd/dockerd/daemon.go checkDeprecatedOptions',
  },
  {
    key: 'containerd',
    type: 'string',
    since: '20.10',
    platforms: ALL,
    flag: 'containerd',
    description: 'containerd grpc address (socket path, or named pipe on Windows)',
    source: 'moby v28.5.2 daemon/config/config.go CommonConfig; cmd/dockerd/config.go',
  },
  {
    key: 'containerd-namespace',
    type: 'string',
    since: '20.10',
    platforms: ALL,
    flag: 'containerd-namespace',
    description: 'Containerd namespace to use (default "moby")',
    source: 'moby v28.5.2 daemon/config/config.go CommonConfig; cmd/dockerd/config.go; daemon/daemon_unix.go verifyDaemonSettings',
  },
  {
    key: 'cpu-rt-period',
    type: 'integer',
    since: '20.10',
    platforms: LX,
    flag: 'cpu-rt-period',
    description: 'Limit the CPU real-time period in microseconds for the parent cgroup for all containers (not supported with cgroups v2)',
    source:
      'moby v28.5.2 daemon/config/config_linux.go Config; cmd/dockerd/config_unix.go; cmd/dockerd/daemon_linux.go validateCPURealtimeOptions',
  },
  {
    key: 'cpu-rt-runtime',
    type: 'integer',
    since: '20.10',
    platforms: LX,
    flag: 'cpu-rt-runtime',
    description: 'Limit the CPU real-time runtime in microseconds for the parent cgroup for all containers (not supported with cgroups v2)',
    source:
      'moby v28.5.2 daemon/config/config_linux.go Config; cmd/dockerd/config_unix.go; cmd/dockerd/daemon_linux.go validateCPURealtimeOptions',
  },
  {
    key: 'cri-containerd',
    type: 'boolean',
    since: '20.10',
    platforms: ALL,
    flag: 'cri-containerd',
    description: 'start containerd with cri',
    source: 'moby v28.5.2 daemon/config/config.go CommonConfig; cmd/dockerd/config.go',
  },
  {
    key: 'data-root',
    type: 'string',
    since: '20.10',
    platforms: ALL,
    flag: 'data-root',
    description: 'Root directory of persistent Docker state',
    source: 'moby v28.5.2 daemon/config/config.go CommonConfig; cmd/dockerd/config.go',
  },
  {
    key: 'debug',
    type: 'boolean',
    since: '20.10',
    platforms: ALL,
    flag: 'debug',
    shorthand: 'D',
    description: 'Enable debug mode',
    source: 'moby v28.5.2 daemon/config/config.go CommonConfig; cmd/dockerd/options.go',
  },
  {
    key: 'default-address-pools',
    type: 'array<object>',
    fields: { base: 'string', size: 'integer' },
    since: '20.10',
    platforms: LX,
    flag: 'default-address-pool',
    flagIsList: true,
    description: 'Default address pools for node specific local networks: [{"base": "<CIDR>", "size": <prefix length>}]',
    source:
      'moby v28.5.2 daemon/config/config.go NetworkConfig (opts.PoolsOpt); opts/address_pools.go; libnetwork/ipamutils NetworkToSplit; cmd/dockerd/config_unix.go',
  },
  {
    key: 'default-cgroupns-mode',
    type: 'string',
    since: '20.10',
    platforms: LX,
    flag: 'default-cgroupns-mode',
    enum: ['host', 'private'],
    description: 'Default mode for containers cgroup namespace ("host" | "private")',
    source: 'moby v28.5.2 daemon/config/config_linux.go Config + verifyDefaultCgroupNsMode; cmd/dockerd/config_unix.go',
  },
  {
    key: 'default-gateway',
    type: 'string',
    since: '20.10',
    platforms: LX,
    flag: 'default-gateway',
    description: 'Default gateway IPv4 address for the default bridge network',
    source: 'moby v28.5.2 daemon/config/config_linux.go DefaultBridgeConfig (net.IP); cmd/dockerd/config_unix.go',
  },
  {
    key: 'default-gateway-v6',
    type: 'string',
    since: '20.10',
    platforms: LX,
    flag: 'default-gateway-v6',
    description: 'Default gateway IPv6 address for the default bridge network',
    source: 'moby v28.5.2 daemon/config/config_linux.go DefaultBridgeConfig (net.IP); cmd/dockerd/config_unix.go',
  },
  {
    key: 'default-ipc-mode',
    type: 'string',
    since: '20.10',
    platforms: LX,
    flag: 'default-ipc-mode',
    enum: ['shareable', 'private'],
    description: 'Default mode for containers ipc ("shareable" | "private")',
    source: 'moby v28.5.2 daemon/config/config_linux.go Config + verifyDefaultIpcMode; cmd/dockerd/config_unix.go',
  },
  {
    key: 'default-network-opts',
    type: 'object',
    since: '24.0',
    platforms: ALL,
    flag: 'default-network-opt',
    flagIsList: true,
    description: 'Default network options per driver: {"<driver>": {"<opt>": "<string>"}}',
    source:
      'moby v24.0.9..v28.5.2 daemon/config/config.go NetworkConfig (map[string]map[string]string) + flatOptions; cmd/dockerd/config.go',
  },
  {
    key: 'default-runtime',
    type: 'string',
    since: '20.10',
    platforms: ALL,
    platformSince: { linux: '20.10', windows: '23.0' },
    flag: 'default-runtime',
    description: 'Default OCI runtime for containers',
    source:
      'moby v20.10.27 daemon/config/config_common_unix.go CommonUnixConfig; v23.0.18+ daemon/config/config.go CommonConfig; cmd/dockerd/config_common_unix.go (20.10), config.go (23.0+)',
  },
  {
    key: 'default-shm-size',
    type: 'string',
    since: '20.10',
    platforms: LX,
    flag: 'default-shm-size',
    description: 'Default shm size for containers (a size string such as "64M")',
    source:
      'moby v28.5.2 daemon/config/config_linux.go Config (opts.MemBytes); opts/opts.go MemBytes.UnmarshalJSON; cmd/dockerd/config_unix.go',
  },
  {
    key: 'default-ulimits',
    type: 'ulimit-map',
    since: '20.10',
    platforms: LX,
    flag: 'default-ulimit',
    flagIsList: true,
    description: 'Default ulimits for containers: {"nofile": {"Name": "nofile", "Hard": 64000, "Soft": 64000}}',
    source:
      'moby v28.5.2 daemon/config/config_linux.go Config (map[string]*container.Ulimit, = go-units Ulimit); opts/ulimit.go; cmd/dockerd/config_unix.go',
  },
  {
    key: 'deprecated-key-path',
    type: 'string',
    since: '20.10',
    platforms: ALL,
    deprecated: 'trust key path; used by 20.10/23.0, accepted and ignored from 24.0 (skipValidateOptions)',
    ignoredSince: '24.0',
    description: 'Path to the daemon trust key (libtrust key.json)',
    source: 'moby v20.10.27, v23.0.18 daemon/config/config.go CommonConfig TrustKeyPath; v24.0+ skipValidateOptions only',
  },
  {
    key: 'dns',
    type: 'string[]',
    since: '20.10',
    platforms: ALL,
    flag: 'dns',
    flagIsList: true,
    description: 'DNS server to use',
    source: 'moby v28.5.2 daemon/config/config.go DNSConfig ([]net.IP since 25.0, []string before); cmd/dockerd/config.go',
  },
  {
    key: 'dns-opts',
    type: 'string[]',
    since: '20.10',
    platforms: ALL,
    flag: 'dns-opt',
    flagIsList: true,
    description: 'DNS options to use',
    source: 'moby v28.5.2 daemon/config/config.go DNSConfig; cmd/dockerd/config.go',
  },
  {
    key: 'dns-search',
    type: 'string[]',
    since: '20.10',
    platforms: ALL,
    flag: 'dns-search',
    flagIsList: true,
    description: 'DNS search domains to use',
    source: 'moby v28.5.2 daemon/config/config.go DNSConfig + Validate; opts/opts.go ValidateDNSSearch; cmd/dockerd/config.go',
  },
  {
    key: 'exec-opts',
    type: 'string[]',
    since: '20.10',
    platforms: ALL,
    flag: 'exec-opt',
    flagIsList: true,
    description: 'Runtime execution options, "key=value" (Linux: native.cgroupdriver; Windows: isolation)',
    source:
      'moby v28.5.2 daemon/config/config.go parseExecOptions + config_linux.go/config_windows.go validatePlatformExecOpt; daemon/daemon_unix.go verifyCgroupDriver; daemon/daemon_windows.go setDefaultIsolation',
  },
  {
    key: 'exec-root',
    type: 'string',
    since: '20.10',
    platforms: ALL,
    flag: 'exec-root',
    description: 'Root directory for execution state files',
    source: 'moby v28.5.2 daemon/config/config.go CommonConfig; cmd/dockerd/config.go',
  },
  {
    key: 'experimental',
    type: 'boolean',
    since: '20.10',
    platforms: ALL,
    flag: 'experimental',
    description: 'Enable experimental features',
    source: 'moby v28.5.2 daemon/config/config.go CommonConfig; cmd/dockerd/config.go',
  },
  {
    key: 'features',
    type: 'object',
    since: '20.10',
    platforms: ALL,
    flag: 'feature',
    flagIsList: true,
    flagSince: '27.3',
    description: 'Feature toggles, {"<name>": true|false} (e.g. buildkit, containerd-snapshotter, cdi, windows-dns-proxy)',
    source:
      'moby v28.5.2 daemon/config/config.go CommonConfig (map[string]bool) + flatOptions + skipValidateOptions; v27.3.0+ cmd/dockerd/config.go --feature (internal/opts NamedSetOpts)',
  },
  {
    key: 'fixed-cidr',
    type: 'string',
    since: '20.10',
    platforms: ALL,
    flag: 'fixed-cidr',
    description: 'IPv4 subnet for the default bridge network',
    source: 'moby v28.5.2 daemon/config/config.go commonBridgeConfig; cmd/dockerd/config_unix.go, config_windows.go',
  },
  {
    key: 'fixed-cidr-v6',
    type: 'string',
    since: '20.10',
    platforms: LX,
    flag: 'fixed-cidr-v6',
    description: 'IPv6 subnet for the default bridge network',
    source:
      'moby v28.5.2 daemon/config/config_linux.go DefaultBridgeConfig + validatePlatformConfig; libnetwork/drivers/bridge ValidateFixedCIDRV6',
  },
  {
    key: 'graph',
    type: 'string',
    since: '20.10',
    until: '24.0',
    platforms: ALL,
    flag: 'graph',
    shorthand: 'g',
    deprecated: 'use "data-root"; 20.10 copies it to data-root with a warning, 23.0 refuses a non-empty value, 24.0+ unknown key',
    description: 'Root of the Docker runtime (deprecated alias of data-root)',
    source: 'moby v20.10.27 daemon/config/config.go RootDeprecated + getConflictFreeConfiguration; v23.0.18 config.go Validate',
  },
  {
    key: 'group',
    type: 'string',
    since: '20.10',
    platforms: ALL,
    flag: 'group',
    shorthand: 'G',
    description: 'Group for the unix socket (Windows: users or groups that can access the named pipe)',
    source: 'moby v28.5.2 daemon/config/config.go CommonConfig; cmd/dockerd/config_unix.go, config_windows.go',
  },
  {
    key: 'host-gateway-ip',
    type: 'string',
    since: '20.10',
    platforms: ALL,
    flag: 'host-gateway-ip',
    deprecated: '28.0: single-address key migrated to "host-gateway-ips" (still accepted)',
    description: "IP address that the special 'host-gateway' string in --add-host resolves to",
    source: 'moby v28.5.2 daemon/config/config.go DNSConfig (net.IP) + migratedNamedConfig; cmd/dockerd/config.go',
  },
  {
    key: 'host-gateway-ips',
    type: 'string[]',
    since: '28.0',
    platforms: ALL,
    flag: 'host-gateway-ip',
    flagIsList: true,
    description: "IP addresses (at most one IPv4 and one IPv6) that the special 'host-gateway' string in --add-host resolves to",
    source: 'moby v28.5.2 daemon/config/config.go DNSConfig ([]netip.Addr) + Validate; internal/opts/host_gateway_opts.go',
  },
  {
    key: 'hosts',
    type: 'string[]',
    since: '20.10',
    platforms: ALL,
    flag: 'host',
    shorthand: 'H',
    flagIsList: true,
    description: 'Daemon socket(s) to connect to (unix://, tcp://, fd://, npipe://)',
    source: 'moby v28.5.2 daemon/config/config.go CommonConfig + Validate; cmd/dockerd/options.go; opts/hosts.go',
  },
  {
    key: 'icc',
    type: 'boolean',
    since: '20.10',
    platforms: LX,
    flag: 'icc',
    description: 'Enable inter-container communication for the default bridge network',
    source: 'moby v28.5.2 daemon/config/config_linux.go DefaultBridgeConfig; daemon/daemon_unix.go verifyDaemonSettings',
  },
  {
    key: 'init',
    type: 'boolean',
    since: '20.10',
    platforms: LX,
    flag: 'init',
    description: 'Run an init in the container to forward signals and reap processes',
    source: 'moby v28.5.2 daemon/config/config_linux.go Config; cmd/dockerd/config_unix.go',
  },
  {
    key: 'init-path',
    type: 'string',
    since: '20.10',
    platforms: LX,
    flag: 'init-path',
    description: 'Path to the docker-init binary',
    source: 'moby v28.5.2 daemon/config/config_linux.go Config; cmd/dockerd/config_unix.go',
  },
  {
    key: 'insecure-registries',
    type: 'string[]',
    since: '20.10',
    platforms: ALL,
    flag: 'insecure-registry',
    flagIsList: true,
    description: 'Enable insecure registry communication (host[:port] or CIDR)',
    source: 'moby v28.5.2 registry/config.go ServiceOptions + loadInsecureRegistries; cmd/dockerd/config.go',
  },
  {
    key: 'ip',
    type: 'string',
    since: '20.10',
    platforms: LX,
    flag: 'ip',
    description: 'Host IP for port publishing from the default bridge network (default 0.0.0.0)',
    source: 'moby v28.5.2 daemon/config/config_linux.go DefaultBridgeConfig (net.IP); cmd/dockerd/config_unix.go',
  },
  {
    key: 'ip-forward',
    type: 'boolean',
    since: '20.10',
    platforms: LX,
    flag: 'ip-forward',
    description: 'Enable IP forwarding in system configuration',
    source: 'moby v28.5.2 daemon/config/config_linux.go BridgeConfig; cmd/dockerd/config_unix.go',
  },
  {
    key: 'ip-forward-no-drop',
    type: 'boolean',
    since: '28.0',
    platforms: LX,
    flag: 'ip-forward-no-drop',
    description: 'Do not set the filter-FORWARD policy to DROP when enabling IP forwarding',
    source: 'moby v28.5.2 daemon/config/config_linux.go BridgeConfig; cmd/dockerd/config_unix.go',
  },
  {
    key: 'ip-masq',
    type: 'boolean',
    since: '20.10',
    platforms: LX,
    flag: 'ip-masq',
    description: 'Enable IP masquerading for the default bridge network',
    source: 'moby v28.5.2 daemon/config/config_linux.go BridgeConfig; daemon/daemon_unix.go verifyDaemonSettings',
  },
  {
    key: 'ip6tables',
    type: 'boolean',
    since: '20.10',
    platforms: LX,
    flag: 'ip6tables',
    description: 'Enable addition of ip6tables rules (default false before 27.0, true since 27.0)',
    source: 'moby v28.5.2 daemon/config/config_linux.go BridgeConfig; v20.10.27..v26.1.5 daemon/daemon_unix.go verifyDaemonSettings',
  },
  {
    key: 'iptables',
    type: 'boolean',
    since: '20.10',
    platforms: LX,
    flag: 'iptables',
    description: 'Enable addition of iptables rules',
    source: 'moby v28.5.2 daemon/config/config_linux.go BridgeConfig; cmd/dockerd/config_unix.go',
  },
  {
    key: 'ipv6',
    type: 'boolean',
    since: '20.10',
    platforms: LX,
    flag: 'ipv6',
    description: 'Enable IPv6 networking for the default bridge network',
    source: 'moby v28.5.2 daemon/config/config_linux.go DefaultBridgeConfig; cmd/dockerd/config_unix.go',
  },
  {
    key: 'labels',
    type: 'string[]',
    since: '20.10',
    platforms: ALL,
    flag: 'label',
    flagIsList: true,
    description: 'Set key=value labels to the daemon',
    source: 'moby v28.5.2 daemon/config/config.go CommonConfig + Validate + GetConflictFreeLabels; opts/opts.go ValidateLabel',
  },
  {
    key: 'live-restore',
    type: 'boolean',
    since: '20.10',
    platforms: LX,
    flag: 'live-restore',
    description: 'Enable live restore of docker when containers are still running (Linux only: the key is rejected on Windows)',
    source: 'moby v28.5.2 daemon/config/config.go CommonConfig; flag only in cmd/dockerd/config_unix.go',
  },
  {
    key: 'log-driver',
    type: 'string',
    since: '20.10',
    platforms: ALL,
    flag: 'log-driver',
    description: 'Default driver for container logs (default "json-file")',
    source: 'moby v28.5.2 daemon/config/config.go LogConfig; daemon/logger/factory.go ValidateLogOpts',
  },
  {
    key: 'log-format',
    type: 'string',
    since: '25.0',
    platforms: ALL,
    flag: 'log-format',
    enum: ['text', 'json'],
    description: 'Set the logging format ("text"|"json")',
    source: 'moby v25.0.0..v28.5.2 daemon/config/config.go CommonConfig + Validate; cmd/dockerd/options.go',
  },
  {
    key: 'log-level',
    type: 'string',
    since: '20.10',
    platforms: ALL,
    flag: 'log-level',
    shorthand: 'l',
    enum: ['panic', 'fatal', 'error', 'warn', 'info', 'debug', 'trace'],
    description: 'Set the logging level ("debug"|"info"|"warn"|"error"|"fatal")',
    source:
      'moby v25.0.0..v28.5.2 daemon/config/config.go Validate; v23.0/v24.0 Validate (logrus.ParseLevel); v20.10.27 cmd/dockerd/daemon.go configureDaemonLogs',
  },
  {
    key: 'log-opts',
    type: 'map<string,string>',
    since: '20.10',
    platforms: ALL,
    flag: 'log-opt',
    flagIsList: true,
    description: 'Default log driver options for containers (all values must be JSON strings)',
    source:
      'moby v28.5.2 daemon/config/config.go LogConfig + flatOptions; daemon/logger/factory.go ValidateLogOpts; daemon/logger/jsonfilelog ValidateLogOpt',
  },
  {
    key: 'max-concurrent-downloads',
    type: 'integer',
    since: '20.10',
    platforms: ALL,
    flag: 'max-concurrent-downloads',
    min: 0,
    description: 'Set the max concurrent downloads (0 in the file means "use the default", 3)',
    source: 'moby v28.5.2 daemon/config/config.go CommonConfig + Validate; cmd/dockerd/config.go',
  },
  {
    key: 'max-concurrent-uploads',
    type: 'integer',
    since: '20.10',
    platforms: ALL,
    flag: 'max-concurrent-uploads',
    min: 0,
    description: 'Set the max concurrent uploads (0 in the file means "use the default", 5)',
    source: 'moby v28.5.2 daemon/config/config.go CommonConfig + Validate; cmd/dockerd/config.go',
  },
  {
    key: 'max-download-attempts',
    type: 'integer',
    since: '20.10',
    platforms: ALL,
    flag: 'max-download-attempts',
    min: 0,
    description: 'Set the max download attempts for each pull',
    source: 'moby v28.5.2 daemon/config/config.go CommonConfig + Validate; v20.10.27 ValidateMaxDownloadAttempts',
  },
  {
    key: 'metrics-addr',
    type: 'string',
    since: '20.10',
    platforms: ALL,
    flag: 'metrics-addr',
    description: 'Set default address and port to serve the metrics api on',
    source: 'moby v28.5.2 daemon/config/config.go CommonConfig; cmd/dockerd/config.go, metrics.go',
  },
  {
    key: 'mtu',
    type: 'integer',
    since: '20.10',
    platforms: ALL,
    flag: 'mtu',
    description: 'Set the MTU for the default "bridge" network (ignored on Windows; 25.0+ logs a warning there)',
    source:
      'moby v28.5.2 daemon/config/config_linux.go / config_windows.go DefaultBridgeConfig (CommonConfig.Mtu before 25.0) + Validate; cmd/dockerd/config.go',
  },
  {
    key: 'network-control-plane-mtu',
    type: 'integer',
    since: '20.10',
    platforms: ALL,
    flag: 'network-control-plane-mtu',
    description: 'Network Control plane MTU',
    source: 'moby v28.5.2 daemon/config/config.go NetworkConfig; cmd/dockerd/config.go',
  },
  {
    key: 'network-diagnostic-port',
    type: 'integer',
    since: '20.10',
    platforms: ALL,
    flag: 'network-diagnostic-port',
    description: 'TCP port number of the network diagnostic server (hidden flag)',
    source: 'moby v28.5.2 daemon/config/config.go CommonConfig + Validate; cmd/dockerd/config.go',
  },
  {
    key: 'no-new-privileges',
    type: 'boolean',
    since: '20.10',
    platforms: LX,
    flag: 'no-new-privileges',
    description: 'Set no-new-privileges by default for new containers',
    source: 'moby v28.5.2 daemon/config/config_linux.go Config; cmd/dockerd/config_unix.go',
  },
  {
    key: 'node-generic-resources',
    type: 'string[]',
    since: '20.10',
    platforms: ALL,
    flag: 'node-generic-resource',
    flagIsList: true,
    description: 'Advertise user-defined resource ("NAME=VALUE")',
    source:
      'moby v28.5.2 daemon/config/config.go CommonConfig + Validate; daemon/config/opts.go ParseGenericResources (swarmkit genericresource.Parse)',
  },
  {
    key: 'oom-score-adjust',
    type: 'integer',
    since: '20.10',
    until: '26.0',
    platforms: LX,
    flag: 'oom-score-adjust',
    deprecated: '24.0: deprecated; 25.0: non-zero value refused; 26.0+: unknown key',
    description: 'Set the oom_score_adj for the daemon',
    source: 'moby v20.10.27..v25.0.17 daemon/config/config_linux.go Config; v25.0.17 ValidatePlatformConfig; v26.0.0 removal',
  },
  {
    key: 'pidfile',
    type: 'string',
    since: '20.10',
    platforms: ALL,
    flag: 'pidfile',
    shorthand: 'p',
    description: 'Path to use for daemon PID file',
    source: 'moby v28.5.2 daemon/config/config.go CommonConfig; cmd/dockerd/config.go',
  },
  {
    key: 'proxies',
    type: 'object',
    since: '23.0',
    platforms: ALL,
    description: 'Proxy settings for the daemon: {"http-proxy": string, "https-proxy": string, "no-proxy": string}',
    source:
      'moby v23.0.0..v28.5.2 daemon/config/config.go CommonConfig `json:"proxies"` (Proxies struct); children handled by configValuesSet flattening; flags in cmd/dockerd/config.go',
  },
  {
    key: 'raw-logs',
    type: 'boolean',
    since: '20.10',
    platforms: ALL,
    flag: 'raw-logs',
    description: 'Full timestamps without ANSI coloring',
    source: 'moby v28.5.2 daemon/config/config.go CommonConfig; cmd/dockerd/config.go',
  },
  {
    key: 'registry-mirrors',
    type: 'string[]',
    since: '20.10',
    platforms: ALL,
    flag: 'registry-mirror',
    flagIsList: true,
    description: 'Preferred Docker registry mirror (http:// or https:// URL)',
    source: 'moby v28.5.2 registry/config.go ServiceOptions + ValidateMirror; daemon/config/config.go Validate (28.3+)',
  },
  {
    key: 'rootless',
    type: 'boolean',
    since: '20.10',
    platforms: LX,
    flag: 'rootless',
    description: 'Enable rootless mode; typically used with RootlessKit',
    source: 'moby v28.5.2 daemon/config/config_linux.go Config; cmd/dockerd/config_unix.go',
  },
  {
    key: 'runtimes',
    type: 'object',
    since: '20.10',
    platforms: LX,
    flag: 'add-runtime',
    flagIsList: true,
    description:
      'Additional OCI runtimes: {"<name>": {"path": string, "runtimeArgs": string[]}} or (24.0+) {"<name>": {"runtimeType": string, "options": object}}',
    source:
      'moby v28.5.2 daemon/config/config_linux.go Config (map[string]system.Runtime) + flatOptions + skipDuplicates; daemon/runtime_unix.go setupRuntimes',
  },
  {
    key: 'seccomp-profile',
    type: 'string',
    since: '20.10',
    platforms: LX,
    flag: 'seccomp-profile',
    description: 'Path to seccomp profile. Set to "unconfined" to disable the default seccomp profile ("builtin" = default)',
    source: 'moby v28.5.2 daemon/config/config_linux.go Config; daemon/daemon_unix.go setupSeccompProfile',
  },
  {
    key: 'selinux-enabled',
    type: 'boolean',
    since: '20.10',
    platforms: LX,
    flag: 'selinux-enabled',
    description: 'Enable selinux support',
    source: 'moby v28.5.2 daemon/config/config_linux.go Config; cmd/dockerd/config_unix.go',
  },
  {
    key: 'shutdown-timeout',
    type: 'integer',
    since: '20.10',
    platforms: ALL,
    flag: 'shutdown-timeout',
    description: 'Set the default shutdown timeout (seconds)',
    source: 'moby v28.5.2 daemon/config/config.go CommonConfig; cmd/dockerd/config.go',
  },
  {
    key: 'storage-driver',
    type: 'string',
    since: '20.10',
    platforms: LX,
    flag: 'storage-driver',
    shorthand: 's',
    description: 'Storage driver to use (Linux only: the flag is not registered on Windows, so the key is rejected there)',
    source:
      'moby v28.5.2 daemon/config/config.go CommonConfig; cmd/dockerd/config_unix.go (v20.10.27 config.go, guarded by runtime.GOOS != "windows")',
  },
  {
    key: 'storage-opts',
    type: 'string[]',
    since: '20.10',
    platforms: ALL,
    flag: 'storage-opt',
    flagIsList: true,
    description: 'Storage driver options',
    source: 'moby v28.5.2 daemon/config/config.go CommonConfig; cmd/dockerd/config.go',
  },
  {
    key: 'swarm-default-advertise-addr',
    type: 'string',
    since: '20.10',
    platforms: ALL,
    flag: 'swarm-default-advertise-addr',
    description: 'Set default address or interface for swarm advertised address',
    source: 'moby v28.5.2 daemon/config/config.go CommonConfig; cmd/dockerd/config.go',
  },
  {
    key: 'tls',
    type: 'boolean',
    since: '20.10',
    platforms: ALL,
    flag: 'tls',
    description: 'Use TLS; implied by --tlsverify',
    source: 'moby v28.5.2 daemon/config/config.go CommonConfig (*bool); cmd/dockerd/options.go',
  },
  {
    key: 'tlscacert',
    type: 'string',
    since: '20.10',
    platforms: ALL,
    flag: 'tlscacert',
    description: 'Trust certs signed only by this CA',
    source: 'moby v28.5.2 daemon/config/config.go TLSOptions (CommonTLSOptions before 24.0); cmd/dockerd/options.go',
  },
  {
    key: 'tlscert',
    type: 'string',
    since: '20.10',
    platforms: ALL,
    flag: 'tlscert',
    description: 'Path to TLS certificate file',
    source: 'moby v28.5.2 daemon/config/config.go TLSOptions (CommonTLSOptions before 24.0); cmd/dockerd/options.go',
  },
  {
    key: 'tlskey',
    type: 'string',
    since: '20.10',
    platforms: ALL,
    flag: 'tlskey',
    description: 'Path to TLS key file',
    source: 'moby v28.5.2 daemon/config/config.go TLSOptions (CommonTLSOptions before 24.0); cmd/dockerd/options.go',
  },
  {
    key: 'tlsverify',
    type: 'boolean',
    since: '20.10',
    platforms: ALL,
    flag: 'tlsverify',
    description: 'Use TLS and verify the remote (its mere presence in the file, even false, turns "tls" on)',
    source:
      'moby v28.5.2 daemon/config/config.go CommonConfig (*bool); cmd/dockerd/options.go; cmd/dockerd/daemon.go loadDaemonCliConfig (IsValueSet)',
  },
  {
    key: 'userland-proxy',
    type: 'boolean',
    since: '20.10',
    platforms: LX,
    flag: 'userland-proxy',
    description: 'Use userland proxy for loopback traffic (default true)',
    source: 'moby v28.5.2 daemon/config/config_linux.go BridgeConfig; cmd/dockerd/config_unix.go',
  },
  {
    key: 'userland-proxy-path',
    type: 'string',
    since: '20.10',
    platforms: LX,
    flag: 'userland-proxy-path',
    description: 'Path to the userland proxy binary',
    source: 'moby v28.5.2 daemon/config/config_linux.go BridgeConfig + verifyUserlandProxyConfig; cmd/dockerd/config_unix.go',
  },
  {
    key: 'userns-remap',
    type: 'string',
    since: '20.10',
    platforms: LX,
    flag: 'userns-remap',
    description: 'User/Group setting for user namespaces ("default" or "user[:group]")',
    source:
      'moby v28.5.2 daemon/config/config_linux.go Config; cmd/dockerd/daemon_linux.go setPlatformOptions (loadCLIPlatformConfig in 26.x/27.x); daemon/daemon_unix.go setupRemappedRoot',
  },
];

/** How a non-option key is treated. */
export interface NonOptionKey {
  key: string;
  since: string;
  until?: string;
  platforms: Platform[];
  /** why it is accepted / rejected */
  reason: string;
  source: string;
  /** for rejected keys: the message dockerd prints (after the "unable to configure..." prefix where applicable) */
  error?: string;
}

/**
 * Keys that pass the unknown-key check (they are flag names, NamedOption names or in
 * skipValidateOptions) but that no field of the Config struct decodes: dockerd starts and the
 * value has NO effect. Any non-empty value is silently dropped. (Also: any object-valued key that
 * is not in flatOptions is flattened, so e.g. {"foo": {"debug": true}} is accepted and ignored.)
 */
export const ACCEPTED_BUT_IGNORED_KEYS: readonly NonOptionKey[] = [
  { key: 'add-runtime', since: '20.10', platforms: LX, reason: 'flag name of "runtimes"', source: 'cmd/dockerd/config_unix.go' },
  {
    key: 'allow-nondistributable-artifacts',
    since: '28.1',
    platforms: ALL,
    reason: 'skipValidateOptions + deprecated flag; struct field removed in 28.1',
    source: 'moby v28.1.0 daemon/config/config.go skipValidateOptions',
  },
  {
    key: 'authorization-plugin',
    since: '20.10',
    platforms: ALL,
    reason: 'flag name of "authorization-plugins"',
    source: 'cmd/dockerd/config.go',
  },
  { key: 'cdi-spec-dir', since: '25.0', platforms: ALL, reason: 'flag name of "cdi-spec-dirs"', source: 'cmd/dockerd/config.go' },
  {
    key: 'cluster-store-opt',
    since: '20.10',
    until: '24.0',
    platforms: ALL,
    reason: 'flag name of "cluster-store-opts"',
    source: 'v23.0.18 cmd/dockerd/config.go',
  },
  {
    key: 'config-file',
    since: '20.10',
    platforms: ALL,
    reason: 'flag only; also a conflict if --config-file is passed on the command line',
    source: 'cmd/dockerd/docker.go',
  },
  {
    key: 'containerd-plugins-namespace',
    since: '20.10',
    platforms: ALL,
    reason:
      'flag name; the struct tag is "containerd-plugin-namespace" (singular), which is rejected. The documented key is therefore silently ignored; use the flag instead',
    source: 'moby v28.5.2 cmd/dockerd/config.go vs daemon/config/config.go CommonConfig',
  },
  {
    key: 'default-address-pool',
    since: '20.10',
    platforms: LX,
    reason: 'flag name of "default-address-pools"',
    source: 'cmd/dockerd/config_unix.go',
  },
  {
    key: 'default-network-opt',
    since: '24.0',
    platforms: ALL,
    reason: 'flag name of "default-network-opts"',
    source: 'cmd/dockerd/config.go',
  },
  { key: 'default-ulimit', since: '20.10', platforms: LX, reason: 'flag name of "default-ulimits"', source: 'cmd/dockerd/config_unix.go' },
  {
    key: 'deprecated-key-path',
    since: '24.0',
    platforms: ALL,
    reason: 'skipValidateOptions; struct field removed in 24.0',
    source: 'moby v24.0.0 daemon/config/config.go',
  },
  { key: 'dns-opt', since: '20.10', platforms: ALL, reason: 'flag name of "dns-opts"', source: 'cmd/dockerd/config.go' },
  { key: 'exec-opt', since: '20.10', platforms: ALL, reason: 'flag name of "exec-opts"', source: 'cmd/dockerd/config.go' },
  { key: 'feature', since: '27.3', platforms: ALL, reason: 'flag name of "features"', source: 'v27.3.0 cmd/dockerd/config.go' },
  {
    key: 'help',
    since: '20.10',
    platforms: ALL,
    reason: 'flag added by cobra before RunE; help has already been evaluated when the file is read, so it has no effect',
    source: 'moby v28.5.2 vendor/github.com/spf13/cobra/command.go execute/InitDefaultHelpFlag',
  },
  { key: 'host', since: '20.10', platforms: ALL, reason: 'flag name of "hosts"', source: 'cmd/dockerd/options.go' },
  {
    key: 'http-proxy',
    since: '23.0',
    platforms: ALL,
    reason: 'flag name; only works as a child of "proxies"',
    source: 'cmd/dockerd/config.go; daemon/config/config.go Proxies',
  },
  {
    key: 'https-proxy',
    since: '23.0',
    platforms: ALL,
    reason: 'flag name; only works as a child of "proxies"',
    source: 'cmd/dockerd/config.go; daemon/config/config.go Proxies',
  },
  {
    key: 'insecure-registry',
    since: '20.10',
    platforms: ALL,
    reason: 'flag name of "insecure-registries"',
    source: 'cmd/dockerd/config.go',
  },
  { key: 'label', since: '20.10', platforms: ALL, reason: 'flag name of "labels"', source: 'cmd/dockerd/config.go' },
  { key: 'log-opt', since: '20.10', platforms: ALL, reason: 'flag name of "log-opts"', source: 'cmd/dockerd/config.go' },
  {
    key: 'no-proxy',
    since: '23.0',
    platforms: ALL,
    reason: 'flag name; only works as a child of "proxies"',
    source: 'cmd/dockerd/config.go; daemon/config/config.go Proxies',
  },
  {
    key: 'node-generic-resource',
    since: '20.10',
    platforms: ALL,
    reason: 'flag name of "node-generic-resources"',
    source: 'cmd/dockerd/config.go',
  },
  {
    key: 'register-service',
    since: '20.10',
    platforms: ['windows'],
    reason: 'Windows service flag (read before the file is loaded)',
    source: 'cmd/dockerd/service_windows.go',
  },
  { key: 'registry-mirror', since: '20.10', platforms: ALL, reason: 'flag name of "registry-mirrors"', source: 'cmd/dockerd/config.go' },
  { key: 'restart', since: '20.10', platforms: ALL, reason: 'deprecated no-op flag', source: 'cmd/dockerd/config.go' },
  {
    key: 'run-service',
    since: '20.10',
    platforms: ['windows'],
    reason: 'hidden Windows service flag',
    source: 'cmd/dockerd/service_windows.go',
  },
  { key: 'service-name', since: '20.10', platforms: ['windows'], reason: 'Windows service flag', source: 'cmd/dockerd/service_windows.go' },
  { key: 'storage-opt', since: '20.10', platforms: ALL, reason: 'flag name of "storage-opts"', source: 'cmd/dockerd/config.go' },
  {
    key: 'unregister-service',
    since: '20.10',
    platforms: ['windows'],
    reason: 'Windows service flag',
    source: 'cmd/dockerd/service_windows.go',
  },
  {
    key: 'validate',
    since: '23.0',
    platforms: ALL,
    reason:
      'flag name. CAUTION: `"validate": true` in the file flips the --validate flag (bool flags are Set() from the file), so dockerd prints "configuration OK" and EXITS 0 instead of starting',
    source:
      'moby v23.0.18..v28.5.2 daemon/config/config.go getConflictFreeConfiguration (boolValue Set); cmd/dockerd/options.go; cmd/dockerd/daemon.go / docker.go',
  },
  {
    key: 'version',
    since: '20.10',
    platforms: ALL,
    reason: 'flag only (-v); evaluated by cobra before the file is read',
    source: 'cmd/dockerd/docker.go',
  },
];

/**
 * Keys that exist as `json` tags in the Config struct (or that people commonly try) but that
 * dockerd REFUSES with "the following directives don't match any configuration option".
 */
export const REJECTED_KEYS: readonly NonOptionKey[] = [
  // --- keys rejected by the unknown-key check ---
  {
    key: 'containerd-plugin-namespace',
    since: '20.10',
    platforms: ALL,
    reason: 'struct tag with no matching flag (the flag is --containerd-plugins-namespace); always rejected',
    source: 'moby v28.5.2 daemon/config/config.go CommonConfig; docker/docs#19398 (25.0.3 error report)',
  },
  {
    key: 'default-init',
    since: '20.10',
    platforms: LX,
    reason: 'struct tag (DefaultInitBinary) with no flag',
    source: 'moby v28.5.2 daemon/config/config_linux.go Config',
  },
  {
    key: 'resolv-conf',
    since: '20.10',
    platforms: LX,
    reason: 'struct tag (ResolvConf) with no flag',
    source: 'moby v28.5.2 daemon/config/config_linux.go Config',
  },
  {
    key: 'swarm-raft-heartbeat-tick',
    since: '20.10',
    platforms: ALL,
    reason: 'struct tag with no flag',
    source: 'moby v28.5.2 daemon/config/config.go CommonConfig',
  },
  {
    key: 'swarm-raft-election-tick',
    since: '20.10',
    platforms: ALL,
    reason: 'struct tag with no flag',
    source: 'moby v28.5.2 daemon/config/config.go CommonConfig',
  },
  {
    key: 'min-api-version',
    since: '20.10',
    platforms: ALL,
    reason: 'not a config key (MinAPIVersion is json:"-"; 25.0+ set via the DOCKER_MIN_API_VERSION environment variable)',
    source: 'moby v25.0.0+ daemon/config/config.go CommonConfig',
  },
  {
    key: 'disable-legacy-registry',
    since: '20.10',
    platforms: ALL,
    reason: 'removed before 20.10 (no flag, no field)',
    source: 'moby v20.10.27 (absent)',
  },
  {
    key: 'graph',
    since: '24.0',
    platforms: ALL,
    reason: 'flag and field removed in 24.0 (refused by Validate in 23.0)',
    source: 'moby v24.0.0 daemon/config/config.go',
  },
  {
    key: 'cluster-store',
    since: '24.0',
    platforms: ALL,
    reason: 'removed in 24.0 (refused at start-up in 23.0)',
    source: 'moby v24.0.0 daemon/config/config.go',
  },
  {
    key: 'cluster-advertise',
    since: '24.0',
    platforms: ALL,
    reason: 'removed in 24.0 (refused at start-up in 23.0)',
    source: 'moby v24.0.0 daemon/config/config.go',
  },
  {
    key: 'cluster-store-opts',
    since: '24.0',
    platforms: ALL,
    reason: 'removed in 24.0 (refused at start-up in 23.0)',
    source: 'moby v24.0.0 daemon/config/config.go',
  },
  {
    key: 'oom-score-adjust',
    since: '26.0',
    platforms: LX,
    reason: 'removed in 26.0 (non-zero refused in 25.0)',
    source: 'moby v26.0.0 daemon/config/config_linux.go',
  },
  {
    key: 'runtimes',
    since: '20.10',
    platforms: ['windows'],
    reason: 'no --add-runtime flag on Windows',
    source: 'cmd/dockerd/config_windows.go',
  },
  {
    key: 'default-address-pools',
    since: '20.10',
    platforms: ['windows'],
    reason: 'no --default-address-pool flag on Windows',
    source: 'cmd/dockerd/config_windows.go',
  },
  {
    key: 'live-restore',
    since: '20.10',
    platforms: ['windows'],
    reason: 'field exists in CommonConfig but the flag is Linux-only',
    source: 'cmd/dockerd/config_unix.go',
  },
  {
    key: 'storage-driver',
    since: '20.10',
    platforms: ['windows'],
    reason: 'field exists in CommonConfig but the flag is not registered on Windows',
    source: 'cmd/dockerd/config_unix.go (v20.10.27 config.go runtime.GOOS guard)',
  },
  {
    key: 'default-runtime',
    since: '20.10',
    until: '23.0',
    platforms: ['windows'],
    reason: 'Linux-only flag/field in 20.10',
    source: 'moby v20.10.27 cmd/dockerd/config_common_unix.go',
  },
  {
    key: 'proxies',
    since: '20.10',
    until: '23.0',
    platforms: ALL,
    reason: 'before 23.0 its children (http-proxy...) are not known, so they are reported as unknown',
    source: 'moby v20.10.27 cmd/dockerd/config.go (no proxy flags)',
  },
];

/** Keys whose object values are NOT flattened before the unknown-key check (config.go flatOptions). */
export const FLAT_OPTIONS: Readonly<Record<string, readonly string[]>> = {
  '20.10': ['cluster-store-opts', 'log-opts', 'runtimes', 'default-ulimits', 'features', 'builder'],
  '23.0': ['cluster-store-opts', 'log-opts', 'runtimes', 'default-ulimits', 'features', 'builder'],
  '24.0+': ['cluster-store-opts', 'default-network-opts', 'log-opts', 'runtimes', 'default-ulimits', 'features', 'builder'],
};

/** Keys exempt from flag/file conflict detection (config.go skipDuplicates), all versions. */
export const SKIP_DUPLICATES: readonly string[] = ['runtimes'];

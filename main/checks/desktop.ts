import type { Check } from '../../shared/check';
import type { DiskUsage, Facts } from '../../shared/facts';
import type { DesktopFact, WslFact } from '../../shared/facts/desktop';
import type { Evidence } from '../../shared/finding';
import type { Source } from '../../shared/source';
import { parseWslSize, SYSTEMINFORMATION_SOURCE } from '../../shared/facts/vocabulary';
import { GiB, MiB, formatBytes } from '../../shared/format';
import { option } from './disk';
import { internalDomains } from './network-helpers';
import { judgeDesktopBypass } from './proxy';
import { docs } from './references';
import { info, need, pass, skipped, warn } from '../check-kit/result';

const WSL_CONFIG_DOCS = docs('Advanced settings configuration in WSL (.wslconfig)', 'https://learn.microsoft.com/windows/wsl/wsl-config');
const WSL_DISK_DOCS = docs('How to manage WSL disk space', 'https://learn.microsoft.com/windows/wsl/disk-space');
const DESKTOP_WSL_DOCS = docs('Docker Desktop WSL 2 backend on Windows', 'https://docs.docker.com/desktop/features/wsl/');
const DESKTOP_SETTINGS_DOCS = docs(
  'Change your Docker Desktop settings',
  'https://docs.docker.com/desktop/settings-and-maintenance/settings/',
);

const WSL_LIST: Source = { kind: 'command', command: 'wsl.exe -l -v' };
const WSL_STATUS: Source = { kind: 'command', command: 'wsl.exe --status' };
const DF: Source = { kind: 'api', call: 'GET /system/df' };

function settingsSource(d: DesktopFact): Source {
  return { kind: 'file', path: d.settingsPath };
}

function wslconfigSource(w: WslFact): Source {
  return w.wslconfig ? { kind: 'file', path: w.wslconfig.path } : { kind: 'default', detail: 'no .wslconfig in %USERPROFILE%' };
}

/** The host's size from the Desktop fact, when known: WSL limits are judged against the machine. */
function hostOf(facts: Facts): { cpus: number | null; memoryMiB: number | null; source: Source } {
  if (!facts.desktop.ok) return { cpus: null, memoryMiB: null, source: { kind: 'default', detail: 'host size unknown' } };
  const d = facts.desktop.value;
  const source =
    facts.desktop.sources.find(
      (s) => s.kind === 'command' || s.kind === 'env' || (s.kind === 'default' && s.detail === SYSTEMINFORMATION_SOURCE),
    ) ?? settingsSource(d);
  return { cpus: d.hostCpus, memoryMiB: d.hostMemoryMiB, source };
}

/** Everything Docker keeps in the VM's disk: layers, containers' writable layers, volumes, build cache not shared with images. */
function dockerBytes(du: DiskUsage): number {
  return (
    du.layersSize +
    du.containers.reduce((a, c) => a + Math.max(0, c.sizeRw), 0) +
    du.volumes.reduce((a, v) => a + v.size, 0) +
    du.buildCache.filter((b) => !b.shared).reduce((a, b) => a + b.size, 0)
  );
}

// ---------------------------------------------------------------------------------------------------------------------
// WSL 2
// ---------------------------------------------------------------------------------------------------------------------

export const wslDistroVersion: Check = {
  id: 'wsl.distro-version',
  title: 'WSL distributions run on WSL 2',
  category: 'wsl-desktop',
  severity: 'medium',
  rationale:
    'A distribution on WSL 1 has no real Linux kernel: Docker Desktop cannot integrate with it (no `docker` inside it), bind mounts from it are slow, and many tools misbehave. WSL 2 runs a real kernel in a lightweight VM.',
  remediation: 'Convert it: `wsl --set-version <distro> 2` (it is exported and re-imported; back up first with `wsl --export`).',
  references: [DESKTOP_WSL_DOCS, docs('Comparing WSL versions', 'https://learn.microsoft.com/windows/wsl/compare-versions')],
  cis: null,
  platforms: ['win32'],
  fixId: 'wsl.set-version',
  evaluate(facts) {
    const wsl = need(facts.wsl, 'WSL distributions');
    const old = wsl.distros.filter((d) => d.version < 2);
    if (old.length === 0) {
      return pass(wsl.distros.length ? `All ${wsl.distros.length} WSL distributions run on WSL 2.` : 'No WSL distribution is installed.', {
        evidence: wsl.distros.map((d) => ({ label: d.name, value: `version ${d.version}, ${d.state}`, source: WSL_LIST })),
      });
    }
    return old.map((d) =>
      warn(`WSL distribution ${d.name} runs on WSL ${d.version}: Docker Desktop cannot integrate with it.`, {
        target: d.name,
        evidence: [{ label: `${d.name}${d.isDefault ? ' (default)' : ''}`, value: `version ${d.version}, ${d.state}`, source: WSL_LIST }],
        fix: { id: 'wsl.set-version', params: { distro: d.name, version: 2 } },
      }),
    );
  },
};

export const wslDefaultVersion: Check = {
  id: 'wsl.default-version',
  title: 'New WSL distributions get WSL 2',
  category: 'wsl-desktop',
  severity: 'low',
  rationale:
    'With the default version at 1, every distribution installed from now on runs on WSL 1, where Docker Desktop cannot integrate with it.',
  remediation: 'Run `wsl --set-default-version 2`.',
  references: [DESKTOP_WSL_DOCS],
  cis: null,
  platforms: ['win32'],
  fixId: 'wsl.set-default-version',
  evaluate(facts) {
    const wsl = need(facts.wsl, 'WSL status');
    if (wsl.defaultVersion === null)
      return skipped('`wsl.exe --status` did not say the default version (an older WSL, or output not understood)');
    const evidence: Evidence[] = [{ label: 'default version', value: wsl.defaultVersion, source: WSL_STATUS }];
    if (wsl.defaultVersion >= 2) return pass('New WSL distributions are created on WSL 2.', { evidence });
    return warn(`The WSL default version is ${wsl.defaultVersion}: new distributions will not work with Docker Desktop.`, {
      evidence,
      fix: { id: 'wsl.set-default-version', params: { version: 2 } },
    });
  },
};

/** WSL prints states in the display language; these are the ones it uses for "Running" and "Stopped". */
const RUNNING = /^(running|wird ausgeführt|en cours d.exécution|en ejecución|in esecuzione|em execução|実行中|正在运行|выполняется)$/i;
const STOPPED = /^(stopped|beendet|arrêté|detenido|interrotto|parado|停止|已停止|остановлено)$/i;

export const wslDockerDesktopDistro: Check = {
  id: 'wsl.docker-desktop-distro',
  title: "Docker Desktop's WSL distribution is running",
  category: 'wsl-desktop',
  severity: 'medium',
  rationale:
    'With the WSL 2 engine, Docker Desktop\'s engine lives in the docker-desktop distribution. When it is stopped or missing, every docker command fails with "cannot connect", although the Desktop window may look fine.',
  remediation:
    'Start Docker Desktop (or restart it from its menu). If the distribution is missing or keeps stopping: `wsl --shutdown`, then start Docker Desktop again; as a last resort, Troubleshoot → Reset to factory defaults.',
  references: [DESKTOP_WSL_DOCS],
  cis: null,
  platforms: ['win32'],
  fixId: null,
  evaluate(facts) {
    const desktop = need(facts.desktop, 'Docker Desktop settings');
    const wsl = need(facts.wsl, 'WSL distributions');
    if (desktop.wslEngineEnabled === false) return skipped('Docker Desktop uses the Hyper-V backend, not WSL 2');
    const distro = wsl.distros.find((d) => d.name === 'docker-desktop');
    const engineUp = facts.engine.ok;
    const evidence: Evidence[] = [{ label: 'WSL 2 engine', value: desktop.wslEngineEnabled, source: settingsSource(desktop) }];
    if (!distro)
      return warn('The docker-desktop WSL distribution is not installed: Docker Desktop has not set up its WSL 2 engine.', {
        evidence: [...evidence, { label: 'distributions', value: wsl.distros.map((d) => d.name), source: WSL_LIST }],
      });
    evidence.push({ label: 'docker-desktop', value: `${distro.state}, WSL ${distro.version}`, source: WSL_LIST });
    if (RUNNING.test(distro.state)) return pass("Docker Desktop's engine distribution (docker-desktop) is running.", { evidence });
    evidence.push({
      label: 'engine',
      value: engineUp ? 'answers' : `does not answer: ${facts.engine.ok ? '' : facts.engine.error.message}`,
      source: { kind: 'api', call: 'GET /version' },
    });
    if (STOPPED.test(distro.state) && !engineUp)
      return warn("The docker-desktop distribution is stopped: Docker Desktop's engine is not running, so docker commands fail.", {
        evidence,
      });
    return info(`The docker-desktop distribution is ${distro.state}.`, { evidence });
  },
};

export const wslConfigLimits: Check = {
  id: 'wsl.config-limits',
  title: ".wslconfig's memory and processor limits fit the machine",
  category: 'wsl-desktop',
  severity: 'medium',
  rationale:
    "With the WSL 2 engine, Docker Desktop's own CPU and memory sliders do nothing: the WSL VM's limits come from %USERPROFILE%\\.wslconfig. A value WSL cannot use (more memory or processors than the machine has, or a size it cannot parse) is ignored with a warning nobody sees, so the limit you think you set is not the one in force.",
  remediation:
    "Edit %USERPROFILE%\\.wslconfig, [wsl2] section: memory=<at most the machine's RAM minus what Windows needs, e.g. half>, processors=<at most the CPU count>; then `wsl --shutdown` and start Docker Desktop again.",
  references: [WSL_CONFIG_DOCS],
  cis: null,
  platforms: ['win32'],
  fixId: 'wsl.config',
  evaluate(facts) {
    const wsl = need(facts.wsl, '.wslconfig');
    const config = wsl.wslconfig;
    const source = wslconfigSource(wsl);
    if (!config)
      return pass('No .wslconfig: WSL 2 uses its defaults (half the memory, all processors, swap a quarter of the memory).', {
        evidence: [{ label: '.wslconfig', value: null, source }],
      });
    const host = hostOf(facts);
    const evidence: Evidence[] = [
      { label: '[wsl2] memory', value: config.memory, source },
      { label: '[wsl2] processors', value: config.processors, source },
      { label: '[wsl2] swap', value: config.swap, source },
      {
        label: 'machine',
        value: `${host.cpus ?? '?'} CPUs, ${host.memoryMiB !== null ? formatBytes(host.memoryMiB * MiB) : '? memory'}`,
        source: host.source,
      },
    ];
    const problems: string[] = [];
    const params: Record<string, string | number> = {};
    const memory = config.memory === null ? null : parseWslSize(config.memory);
    if (config.memory !== null && memory === null)
      problems.push(`memory=${config.memory} is not a size WSL understands (e.g. 8GB), so it is ignored`);
    if (memory !== null && host.memoryMiB !== null && memory > host.memoryMiB * MiB) {
      problems.push(`memory=${config.memory} is more than the machine's ${formatBytes(host.memoryMiB * MiB)}`);
      params.memory = `${Math.max(1, Math.floor(host.memoryMiB / 2 / 1024))}GB`;
    }
    if (config.processors !== null && host.cpus !== null && config.processors > host.cpus) {
      problems.push(`processors=${config.processors} is more than the machine's ${host.cpus} CPUs`);
      params.processors = host.cpus;
    }
    if (problems.length === 0) {
      const unknown =
        host.memoryMiB === null || host.cpus === null ? " (the machine's size is unknown, so only the syntax was checked)" : '';
      return pass(`.wslconfig's limits fit the machine${unknown}.`, { evidence });
    }
    return warn(`.wslconfig does not do what it says: ${problems.join('; ')}.`, {
      evidence,
      fix: Object.keys(params).length ? { id: 'wsl.config', params: { section: 'wsl2', ...params } } : null,
    });
  },
};

export const wslSparseVhd: Check = {
  id: 'wsl.sparse-vhd',
  title: 'WSL virtual disks give freed space back',
  category: 'wsl-desktop',
  severity: 'low',
  rationale:
    'A WSL 2 virtual disk (VHDX) grows as data is written and, unless it is sparse, never shrinks: after `docker system prune` frees 30 GB inside the VM, the .vhdx file on C: stays as big as it ever was. sparseVhd makes new VHDX files sparse, so freed blocks return to Windows.',
  remediation:
    'Add to %USERPROFILE%\\.wslconfig:\n[experimental]\nsparseVhd=true\nIt applies to virtual disks created from then on; for an existing distribution run `wsl --manage <distro> --set-sparse true` after `wsl --shutdown`. To shrink a disk that has already grown, compact it (see desktop.disk-image-size).',
  references: [WSL_CONFIG_DOCS, WSL_DISK_DOCS],
  cis: null,
  platforms: ['win32'],
  fixId: 'wsl.config',
  evaluate(facts) {
    const wsl = need(facts.wsl, '.wslconfig');
    const source = wslconfigSource(wsl);
    const value = wsl.wslconfig?.sparseVhd ?? null;
    const evidence: Evidence[] = [{ label: 'sparseVhd', value, source }];
    if (value === true) return pass('sparseVhd is on: new WSL virtual disks give freed space back to Windows.', { evidence });
    return warn(
      `sparseVhd is ${value === false ? 'off' : 'not set (off by default)'}: WSL virtual disks grow and never shrink after a prune.`,
      { evidence, fix: { id: 'wsl.config', params: { section: 'experimental', sparseVhd: true } } },
    );
  },
};

// ---------------------------------------------------------------------------------------------------------------------
// Docker Desktop
// ---------------------------------------------------------------------------------------------------------------------

export const desktopWslEngine: Check = {
  id: 'desktop.wsl-engine',
  title: 'Docker Desktop uses the WSL 2 engine',
  category: 'wsl-desktop',
  severity: 'low',
  rationale:
    'The legacy Hyper-V backend gives the VM a fixed amount of memory taken from Windows whether used or not, starts more slowly, and shares files with Windows through a slower path. The WSL 2 engine is what Docker develops and tests first, and the only one on Windows Home.',
  remediation:
    'Docker Desktop → Settings → General → "Use the WSL 2 based engine", then Apply & restart. Images and volumes of the Hyper-V VM are not carried over: push or export what you need first.',
  references: [DESKTOP_WSL_DOCS],
  cis: null,
  platforms: ['win32'],
  fixId: 'desktop.settings',
  evaluate(facts) {
    const desktop = need(facts.desktop, 'Docker Desktop settings');
    if (desktop.wslEngineEnabled === null) return skipped(`${desktop.settingsPath} does not say which engine is used`);
    const evidence: Evidence[] = [{ label: 'wslEngineEnabled', value: desktop.wslEngineEnabled, source: settingsSource(desktop) }];
    if (desktop.wslEngineEnabled) return pass('Docker Desktop uses the WSL 2 engine.', { evidence });
    return warn('Docker Desktop runs on the legacy Hyper-V backend.', {
      evidence,
      fix: { id: 'desktop.settings', params: { file: desktop.settingsPath, key: 'wslEngineEnabled', value: true } },
    });
  },
};

export const desktopFileSharing: Check = {
  id: 'desktop.file-sharing',
  title: 'Docker Desktop shares files with VirtioFS',
  category: 'wsl-desktop',
  severity: 'low',
  rationale:
    'Bind mounts from the Mac go through the file-sharing implementation. VirtioFS is several times faster than gRPC FUSE for the metadata-heavy work of builds and package managers (npm install, composer), and osxfs is legacy and no longer maintained.',
  remediation:
    'Docker Desktop → Settings → General → "Choose file sharing implementation for your containers" → VirtioFS (needs macOS 12.5 or later), then Apply & restart.',
  references: [DESKTOP_SETTINGS_DOCS],
  cis: null,
  platforms: ['darwin'],
  fixId: 'desktop.settings',
  evaluate(facts) {
    const desktop = need(facts.desktop, 'Docker Desktop settings');
    const impl = desktop.fileSharingImplementation;
    if (impl === null) return skipped(`${desktop.settingsPath} does not record the file sharing implementation`);
    const evidence: Evidence[] = [{ label: 'file sharing', value: impl, source: settingsSource(desktop) }];
    if (impl === 'virtiofs') return pass('Docker Desktop shares files with VirtioFS.', { evidence });
    return warn(
      `Docker Desktop shares files with ${impl === 'osxfs' ? 'the legacy osxfs' : 'gRPC FUSE'}: bind mounts are several times slower than with VirtioFS.`,
      {
        evidence,
        fix: { id: 'desktop.settings', params: { file: desktop.settingsPath, key: 'useVirtualizationFrameworkVirtioFS', value: true } },
      },
    );
  },
};

export const desktopResources: Check = {
  id: 'desktop.resources',
  title: "Docker Desktop's CPU and memory limits fit the machine",
  category: 'wsl-desktop',
  severity: 'medium',
  rationale:
    "Docker Desktop's VM takes the memory it is given from the host. Giving it nearly all of the machine's memory makes the host swap (everything slows down), more CPUs than exist buys nothing, and too little memory makes builds and databases die with out-of-memory kills that look like random crashes.",
  remediation:
    "Docker Desktop → Settings → Resources → Advanced: CPUs at most the machine's count; memory at least 2 GB and at most about 75% of the machine's; then Apply & restart.",
  references: [DESKTOP_SETTINGS_DOCS],
  cis: null,
  platforms: ['darwin', 'win32', 'linux'],
  fixId: 'desktop.settings',
  evaluate(facts, context) {
    const desktop = need(facts.desktop, 'Docker Desktop settings');
    if (desktop.wslEngineEnabled === true)
      return skipped("with the WSL 2 engine the VM's limits come from .wslconfig (see wsl.config-limits), not from Desktop's settings");
    const share = option(context, 'desktopMemoryMaxPercent', 75, "warn above 75% of the machine's memory");
    const source = settingsSource(desktop);
    const host = hostOf(facts);
    const evidence: Evidence[] = [
      { label: 'CPUs', value: desktop.cpus, source },
      { label: 'memory (MiB)', value: desktop.memoryMiB, source },
      {
        label: 'machine',
        value: `${desktop.hostCpus ?? '?'} CPUs, ${desktop.hostMemoryMiB !== null ? formatBytes(desktop.hostMemoryMiB * MiB) : '? memory'}`,
        source: host.source,
      },
      { label: 'memory ceiling', value: `${share.value}% of the machine`, source: share.source },
    ];
    const problems: string[] = [];
    const params: Record<string, number> = {};
    if (desktop.cpus !== null && desktop.hostCpus !== null && desktop.cpus > desktop.hostCpus) {
      problems.push(`${desktop.cpus} CPUs on a machine with ${desktop.hostCpus}`);
      params.cpus = desktop.hostCpus;
    }
    if (desktop.memoryMiB !== null && desktop.hostMemoryMiB !== null && desktop.memoryMiB > (desktop.hostMemoryMiB * share.value) / 100) {
      problems.push(
        `${formatBytes(desktop.memoryMiB * MiB)} of memory leaves the machine ${formatBytes(Math.max(0, desktop.hostMemoryMiB - desktop.memoryMiB) * MiB)}`,
      );
      params.memoryMiB = Math.floor(desktop.hostMemoryMiB / 2 / 1024) * 1024;
    }
    if (desktop.memoryMiB !== null && desktop.memoryMiB < 2048) {
      problems.push(`${desktop.memoryMiB} MiB of memory is too little for builds and most databases`);
      params.memoryMiB = 2048;
    }
    if (desktop.cpus === null && desktop.memoryMiB === null) return skipped(`${desktop.settingsPath} records no CPU or memory limit`);
    if (problems.length === 0) return pass("Docker Desktop's CPU and memory limits fit the machine.", { evidence });
    return warn(`Docker Desktop's limits do not fit the machine: ${problems.join('; ')}.`, {
      evidence,
      fix: { id: 'desktop.settings', params: { file: desktop.settingsPath, ...params } },
    });
  },
};

export const desktopProxyExclusions: Check = {
  id: 'desktop.proxy-exclusions',
  title: "Docker Desktop's manual proxy bypasses this machine and the internal domains",
  category: 'wsl-desktop',
  severity: 'medium',
  rationale:
    "With a manual proxy, every request whose host the bypass list does not match goes to the corporate proxy: a registry on localhost:5000, a service on 127.0.0.1 or host.docker.internal, a registry or service under an internal domain. The proxy cannot reach them (or should not see them): pulls and health checks fail with proxy errors that point nowhere near the cause. The list is judged like the daemon's NO_PROXY (proxy.no-proxy), against the same internal domains (--internal-domain), with the matching most tools in containers use (a name covers its subdomains, CIDRs only for some).",
  remediation:
    'Docker Desktop → Settings → Resources → Proxies → "Bypass proxy settings for these hosts & domains": add localhost,127.0.0.1,host.docker.internal and your internal domains (corp.example covers its subdomains); Apply & restart.',
  references: [docs('Docker Desktop proxy settings', 'https://docs.docker.com/desktop/settings-and-maintenance/settings/#proxies')],
  cis: null,
  platforms: ['darwin', 'win32', 'linux'],
  fixId: 'desktop.settings',
  evaluate(facts, context) {
    const desktop = need(facts.desktop, 'Docker Desktop settings');
    const source = settingsSource(desktop);
    const { mode, http, https, exclude } = desktop.proxy;
    const evidence: Evidence[] = [
      { label: 'proxy mode', value: mode, source },
      { label: 'HTTP proxy', value: http, source },
      { label: 'HTTPS proxy', value: https, source },
      { label: 'bypass list', value: exclude, source },
    ];
    if (mode !== 'manual')
      return pass(
        `Docker Desktop ${mode === 'system' ? 'follows the system proxy settings' : mode ? `uses proxy mode "${mode}"` : 'has no manual proxy'}.`,
        { evidence },
      );
    if (!http && !https) return warn('Docker Desktop is set to a manual proxy but names no proxy server.', { evidence });
    const judged = judgeDesktopBypass(desktop, internalDomains(context))!;
    // The settings are shown above; from the judgement, what must bypass the proxy and the list to write.
    return { ...judged, target: null, evidence: [...evidence, ...judged.evidence.filter((e) => e.source.kind === 'default')] };
  },
};

/** How to give a grown disk image's free space back, per platform and image format. */
function compactionSteps(platform: string | null, imagePath: string): string {
  if (platform === 'win32') {
    return [
      '1. Quit Docker Desktop (whale menu → Quit).',
      '2. `wsl --shutdown`',
      `3. In an elevated PowerShell with the Hyper-V module: Optimize-VHD -Path "${imagePath}" -Mode Full`,
      `   or, on any edition, in \`diskpart\`: select vdisk file="${imagePath}" / attach vdisk readonly / compact vdisk / detach vdisk`,
      '4. Start Docker Desktop.',
    ].join('\n');
  }
  return [
    '1. Quit Docker Desktop.',
    `2. ${imagePath} is a qcow2 image, which never shrinks: switch to a current Docker Desktop (its Docker.raw gives space back by itself), or Troubleshoot → Clean / Purge data after exporting what you need.`,
  ].join('\n');
}

export const desktopDiskImageSize: Check = {
  id: 'desktop.disk-image-size',
  title: "Docker Desktop's disk image is not much larger than what Docker stores in it",
  category: 'wsl-desktop',
  severity: 'medium',
  rationale:
    'Docker Desktop keeps images, containers and volumes inside a virtual disk file (docker_data.vhdx, ext4.vhdx, DockerDesktop.vhdx or Docker.qcow2). That file grows as data is written and does not shrink when data is deleted: `docker system prune` frees space inside the VM, not on your disk. A file many gigabytes larger than what Docker uses is space you can get back only by compacting it.',
  remediation:
    'Prune first if you want (`docker system prune`), then compact the disk image. Windows: quit Docker Desktop, `wsl --shutdown`, then `Optimize-VHD -Path <the .vhdx> -Mode Full` in an elevated PowerShell (Hyper-V module), or diskpart: `select vdisk file="<the .vhdx>"`, `attach vdisk readonly`, `compact vdisk`, `detach vdisk`. To stop it growing back, enable sparse VHDs (wsl.sparse-vhd). macOS: Docker.raw gives space back by itself; an old Docker.qcow2 never does — upgrade Docker Desktop.',
  references: [WSL_DISK_DOCS, DESKTOP_SETTINGS_DOCS],
  cis: null,
  platforms: ['win32', 'darwin', 'linux'],
  fixId: 'desktop.compact-disk',
  evaluate(facts, context) {
    const desktop = need(facts.desktop, 'Docker Desktop settings');
    const image = desktop.diskImage;
    if (!image) return skipped("Docker Desktop's disk image was not found where Desktop keeps it");
    if (/\.raw$/i.test(image.path)) {
      return skipped(
        `${image.path} is a sparse file: its apparent size (${formatBytes(image.bytes)}) is the disk limit, not the space it takes, and Docker Desktop gives freed blocks back by itself`,
      );
    }
    const du = need(facts.diskUsage, "Docker's disk usage inside the VM");
    const used = dockerBytes(du);
    const slack = Math.max(0, image.bytes - used);
    const threshold = option(
      context,
      'desktopDiskSlackBytes',
      20 * GiB,
      'warn when the image is 20 GiB or more larger than what Docker stores, and more than twice it',
    );
    const platform = facts.host.ok ? facts.host.value.platform : null;
    const evidence: Evidence[] = [
      { label: 'disk image', value: `${image.path}: ${formatBytes(image.bytes)}`, source: { kind: 'file', path: image.path } },
      { label: 'what Docker stores in it (layers, containers, volumes, build cache)', value: formatBytes(used), source: DF },
      { label: 'threshold', value: formatBytes(threshold.value), source: threshold.source },
    ];
    if (slack >= threshold.value && slack >= used) {
      return warn(
        `${image.path} takes ${formatBytes(image.bytes)} but Docker stores only ${formatBytes(used)} in it: prune does not give the space back; compact the disk image to recover ${formatBytes(slack)}.\n${compactionSteps(platform, image.path)}`,
        {
          evidence,
          fix: { id: 'desktop.compact-disk', params: { path: image.path, platform: platform ?? 'unknown' } },
        },
      );
    }
    return pass(`${image.path} (${formatBytes(image.bytes)}) is in line with what Docker stores in it (${formatBytes(used)}).`, {
      evidence,
    });
  },
};

export const desktopDiskLimit: Check = {
  id: 'desktop.disk-limit',
  title: "Docker Desktop's virtual disk has room left",
  category: 'wsl-desktop',
  severity: 'medium',
  rationale:
    'Docker Desktop\'s VM disk has a fixed maximum size. When what Docker stores approaches it, pulls and builds fail with "no space left on device" even though the Mac or PC has plenty of free space.',
  remediation:
    'Prune what is not needed (`docker system df`, then `docker image prune -a`, `docker builder prune`), or raise the limit: Docker Desktop → Settings → Resources → Advanced → Virtual disk limit.',
  references: [DESKTOP_SETTINGS_DOCS],
  cis: null,
  platforms: ['win32', 'darwin', 'linux'],
  fixId: 'disk.prune',
  evaluate(facts, context) {
    const desktop = need(facts.desktop, 'Docker Desktop settings');
    if (desktop.diskSizeMiB === null) return skipped(`${desktop.settingsPath} records no disk size limit`);
    const du = need(facts.diskUsage, "Docker's disk usage inside the VM");
    const limit = desktop.diskSizeMiB * MiB;
    const used = dockerBytes(du);
    const share = option(context, 'desktopDiskWarnPercent', 85, 'warn when Docker uses 85% of the disk limit');
    const evidence: Evidence[] = [
      { label: 'disk limit', value: formatBytes(limit), source: settingsSource(desktop) },
      { label: 'what Docker stores', value: formatBytes(used), source: DF },
      { label: 'threshold', value: `${share.value}%`, source: share.source },
    ];
    const percent = (used / limit) * 100;
    if (percent >= share.value)
      return warn(
        `Docker stores ${formatBytes(used)} in a virtual disk limited to ${formatBytes(limit)} (${percent.toFixed(0)}%): it is nearly full.`,
        { evidence, fix: { id: 'disk.prune', params: {} } },
      );
    return pass(`Docker uses ${percent.toFixed(0)}% of Docker Desktop's ${formatBytes(limit)} virtual disk.`, { evidence });
  },
};

export const DESKTOP_CHECKS: readonly Check[] = [
  wslDistroVersion,
  wslDefaultVersion,
  wslDockerDesktopDistro,
  wslConfigLimits,
  wslSparseVhd,
  desktopWslEngine,
  desktopFileSharing,
  desktopResources,
  desktopProxyExclusions,
  desktopDiskImageSize,
  desktopDiskLimit,
];

import type { Check, CheckContext } from '../../shared/check';
import type { DiskUsage, Facts } from '../../shared/facts';
import type { DataRootFsFact, ScheduledCleanupFact } from '../../shared/facts/disk';
import type { CheckResult, Evidence } from '../../shared/finding';
import type { Source } from '../../shared/source';
import { GiB, MiB, formatBytes, groupDigits } from '../../shared/format';
import { cis, docs } from './references';
import { fail, info, need, pass, skipped, warn } from '../check-kit/result';

interface Threshold {
  value: number;
  source: Source;
}

/** A user-tunable threshold (context.options), with where its value came from for the evidence. */
export function option(context: CheckContext, key: string, fallback: number, why: string): Threshold {
  const given = context.options[key];
  if (typeof given === 'number' && Number.isFinite(given) && given >= 0)
    return { value: given, source: { kind: 'user', detail: `option ${key}` } };
  return { value: fallback, source: { kind: 'default', detail: `${key} not set: ${why}` } };
}

const DF: Source = { kind: 'api', call: 'GET /system/df' };
const PRUNE_DOCS = docs('Prune unused Docker objects', 'https://docs.docker.com/engine/manage-resources/pruning/');
const DF_DOCS = docs('docker system df', 'https://docs.docker.com/reference/cli/docker/system/df/');

function fsSource(facts: Facts): Source {
  return facts.dataRootFs.sources[0] ?? { kind: 'default', detail: 'statfs of the data root' };
}

function fsEvidence(facts: Facts, fs: DataRootFsFact): Evidence[] {
  const source = fsSource(facts);
  return [
    { label: 'data root', value: fs.path, source },
    {
      label: 'filesystem',
      value: fs.mountPoint ? `${fs.mountPoint} (${fs.fsType ?? 'unknown type'})` : 'mount point unknown',
      source: facts.dataRootFs.sources.find((s) => s.kind === 'file') ?? source,
    },
  ];
}

// ---------------------------------------------------------------------------------------------------------------------
// Free space and inodes
// ---------------------------------------------------------------------------------------------------------------------

interface Level {
  percent: Threshold;
  bytes: Threshold | null;
}

/**
 * The free-space floor of a level: the smaller of the percentage and the absolute size. A percentage alone cries wolf
 * on big disks (15% of 2 TB is 300 GB, far more than Docker needs to keep working) and an absolute size alone on small
 * ones (10 GiB is half of a 20 GB VM disk); the smaller of the two is low on every disk.
 */
function floorOf(level: Level, total: number): number {
  const byPercent = (level.percent.value / 100) * total;
  return level.bytes ? Math.min(byPercent, level.bytes.value) : byPercent;
}

function levels(context: CheckContext): { warnAt: Level; criticalAt: Level } {
  return {
    warnAt: {
      percent: option(context, 'diskWarnPercent', 15, 'warn below 15% free'),
      bytes: option(context, 'diskWarnBytes', 10 * GiB, 'or below 10 GiB free, whichever is smaller'),
    },
    criticalAt: {
      percent: option(context, 'diskCriticalPercent', 5, 'critical below 5% free'),
      bytes: option(context, 'diskCriticalBytes', 2 * GiB, 'or below 2 GiB free, whichever is smaller'),
    },
  };
}

function levelEvidence(name: string, level: Level, total: number, unit: (n: number) => string): Evidence {
  const floor = floorOf(level, total);
  const detail = level.bytes ? `${level.percent.value}% or ${unit(level.bytes.value)}, whichever is smaller` : `${level.percent.value}%`;
  return {
    label: `${name} threshold`,
    value: `${unit(Math.round(floor))} (${detail})`,
    source: level.bytes?.source.kind === 'user' ? level.bytes.source : level.percent.source,
  };
}

export interface SpaceLevel {
  state: 'critical' | 'low' | 'ok';
  free: number;
  percent: number;
  warnAt: Level;
  criticalAt: Level;
}

/** Where the data root's free space stands against the warning and critical floors: one judgement for every disk check. */
function spaceLevel(fs: DataRootFsFact, context: CheckContext): SpaceLevel {
  const { warnAt, criticalAt } = levels(context);
  const free = fs.availableBytes;
  const percent = fs.totalBytes > 0 ? (free / fs.totalBytes) * 100 : 0;
  const state = free < floorOf(criticalAt, fs.totalBytes) ? 'critical' : free < floorOf(warnAt, fs.totalBytes) ? 'low' : 'ok';
  return { state, free, percent, warnAt, criticalAt };
}

function spaceEvidence(facts: Facts, fs: DataRootFsFact, space: SpaceLevel): Evidence[] {
  return [
    {
      label: 'available to dockerd',
      value: `${formatBytes(space.free)} of ${formatBytes(fs.totalBytes)} (${space.percent.toFixed(1)}%)`,
      source: fsSource(facts),
    },
    levelEvidence('warning', space.warnAt, fs.totalBytes, formatBytes),
    levelEvidence('critical', space.criticalAt, fs.totalBytes, formatBytes),
  ];
}

export const diskDataRootSpace: Check = {
  id: 'disk.data-root-space',
  title: "The filesystem holding Docker's data root has free space",
  category: 'disk',
  severity: 'high',
  rationale:
    "When the filesystem under Docker's data root fills up, pulls and builds fail, containers that write to their layer or their logs crash with ENOSPC, and dockerd itself can corrupt its metadata (a half-written layer, a container that cannot be removed). It usually happens at night, from logs or a build cache nobody watches.",
  remediation:
    'Free space: remove what is not needed (`docker system df` shows where it goes; `docker image prune -a`, `docker builder prune`, `docker container prune`), cap container logs (daemon.json "log-opts": {"max-size": "10m", "max-file": "3"}), or move the data root to a bigger filesystem ("data-root" in daemon.json).',
  references: [PRUNE_DOCS, DF_DOCS],
  cis: null,
  platforms: ['linux'],
  fixId: 'disk.prune',
  evaluate(facts, context) {
    const fs = need(facts.dataRootFs, "the data root's filesystem");
    if (fs.totalBytes <= 0) return skipped(`statfs of ${fs.path} reports no size (a pseudo filesystem)`);
    const space = spaceLevel(fs, context);
    const evidence: Evidence[] = [...fsEvidence(facts, fs), ...spaceEvidence(facts, fs, space)];
    const fix = { id: 'disk.prune', params: { dataRoot: fs.path } };
    const free = `${formatBytes(space.free)} (${space.percent.toFixed(1)}%)`;
    if (space.state === 'critical')
      return fail(`Only ${free} is free on the filesystem holding ${fs.path}: pulls, builds and container writes are about to fail.`, {
        evidence,
        fix,
      });
    if (space.state === 'low') return warn(`${free} is free on the filesystem holding ${fs.path}: it is running low.`, { evidence, fix });
    return pass(`${free} is free on the filesystem holding ${fs.path}.`, { evidence });
  },
};

export const diskDataRootInodes: Check = {
  id: 'disk.data-root-inodes',
  title: "The filesystem holding Docker's data root has free inodes",
  category: 'disk',
  severity: 'high',
  rationale:
    'Image layers are made of many small files: an ext4 filesystem can run out of inodes while `df -h` still shows free gigabytes. Then every write fails with "No space left on device" and the cause is not obvious.',
  remediation:
    'Remove unused images and build cache (`docker image prune -a`, `docker builder prune`). For a lasting fix, put the data root on a filesystem with more inodes (mkfs.ext4 -i 8192, or XFS, which allocates inodes dynamically).',
  references: [PRUNE_DOCS],
  cis: null,
  platforms: ['linux'],
  fixId: 'disk.prune',
  evaluate(facts, context) {
    const fs = need(facts.dataRootFs, "the data root's filesystem");
    const evidence: Evidence[] = [...fsEvidence(facts, fs)];
    if (fs.totalInodes <= 0) {
      return pass(
        `The filesystem holding ${fs.path} has no fixed inode table (${fs.fsType ?? 'e.g. btrfs'}): it cannot run out of inodes before space.`,
        { evidence },
      );
    }
    const { warnAt, criticalAt } = levels(context);
    const percentOnly = (l: Level): Level => ({ percent: l.percent, bytes: null });
    const count = (n: number) => `${groupDigits(n)} inodes`;
    const percent = (fs.freeInodes / fs.totalInodes) * 100;
    evidence.push(
      {
        label: 'free inodes',
        value: `${count(fs.freeInodes)} of ${groupDigits(fs.totalInodes)} (${percent.toFixed(1)}%)`,
        source: fsSource(facts),
      },
      levelEvidence('warning', percentOnly(warnAt), fs.totalInodes, count),
      levelEvidence('critical', percentOnly(criticalAt), fs.totalInodes, count),
    );
    const fix = { id: 'disk.prune', params: { dataRoot: fs.path } };
    if (fs.freeInodes < floorOf(percentOnly(criticalAt), fs.totalInodes)) {
      return fail(
        `Only ${percent.toFixed(1)}% of the inodes are free on the filesystem holding ${fs.path}: file creation is about to fail.`,
        { evidence, fix },
      );
    }
    if (fs.freeInodes < floorOf(percentOnly(warnAt), fs.totalInodes)) {
      return warn(`${percent.toFixed(1)}% of the inodes are free on the filesystem holding ${fs.path}: running low.`, { evidence, fix });
    }
    return pass(`${percent.toFixed(1)}% of the inodes are free on the filesystem holding ${fs.path}.`, { evidence });
  },
};

// ---------------------------------------------------------------------------------------------------------------------
// Reclaimable space
// ---------------------------------------------------------------------------------------------------------------------

export interface Reclaimable {
  type: 'images' | 'containers' | 'volumes' | 'build-cache';
  count: number;
  /** Bytes certainly freed by removing them. */
  lower: number;
  /** Bytes at most freed; equal to lower when the figure is exact. */
  upper: number;
  command: string;
  notes: string[];
}

/**
 * What `docker image prune -a` frees: the layers that only unused images (no container at all) reference.
 *
 * /system/df gives, per image, Size (all its layers) and SharedSize (its layers also used by another image), and
 * LayersSize (every layer once). Which image shares which layer is not given, so the exact figure is bounded:
 * - at least the layers unique to one unused image, Σ(Size − SharedSize), and at least LayersSize minus everything the
 *   kept images could hold (Σ Size of kept images);
 * - at most LayersSize minus what the kept images certainly hold: their unique layers, plus at least the largest
 *   SharedSize among them — and never more than the unused images' own Size.
 * `docker system df` prints LayersSize − Σ(Size − SharedSize) of used images, which counts the layers kept images
 * share as reclaimable: it overstates. The bounds meet when nothing is shared across the used/unused line.
 */
export function reclaimableImages(du: DiskUsage): Reclaimable {
  const unused = du.images.filter((i) => i.containers === 0);
  const kept = du.images.filter((i) => i.containers > 0);
  const unique = (i: DiskUsage['images'][number]) => Math.max(0, i.size - i.sharedSize);
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  if (unused.length === 0) return { type: 'images', count: 0, lower: 0, upper: 0, command: 'docker image prune -a', notes: [] };
  const keptCertain = sum(kept.map(unique)) + Math.max(0, ...kept.map((i) => i.sharedSize));
  const upper = Math.max(0, Math.min(sum(unused.map((i) => i.size)), du.layersSize - keptCertain));
  const lower = Math.min(upper, Math.max(0, sum(unused.map(unique)), du.layersSize - sum(kept.map((i) => i.size))));
  const dangling = unused.filter((i) => i.repoTags.length === 0).length;
  const notes = [
    `${unused.length} image(s) used by no container, ${dangling} of them dangling (untagged): \`docker image prune\` removes only those, \`-a\` all unused ones`,
  ];
  if (lower !== upper)
    notes.push(
      'layers shared between kept and unused images make the exact figure unknowable from /system/df: the true figure lies in this range',
    );
  return { type: 'images', count: unused.length, lower, upper, command: 'docker image prune -a', notes };
}

const ACTIVE_STATES = new Set(['running', 'paused', 'restarting']);

/** Stopped containers' writable layers: exact (SizeRw is theirs alone). Their log files go with them too. */
function reclaimableContainers(du: DiskUsage): Reclaimable {
  const stopped = du.containers.filter((c) => !ACTIVE_STATES.has(c.state));
  const bytes = stopped.reduce((a, c) => a + Math.max(0, c.sizeRw), 0);
  return {
    type: 'containers',
    count: stopped.length,
    lower: bytes,
    upper: bytes,
    command: 'docker container prune',
    notes: stopped.length ? ['their log files are removed with them, on top of this figure'] : [],
  };
}

/** Volumes no container references (RefCount 0): exact, but they hold data, so Dockhand never prunes them unasked. */
function reclaimableVolumes(du: DiskUsage): Reclaimable {
  const orphans = du.volumes.filter((v) => v.refCount === 0);
  const bytes = orphans.reduce((a, v) => a + v.size, 0);
  const anonymous = orphans.filter((v) => v.labels['com.docker.volume.anonymous'] !== undefined || /^[0-9a-f]{64}$/.test(v.name)).length;
  const notes = orphans.length
    ? [
        `volumes hold data: look before removing. \`docker volume prune\` removes only the ${anonymous} anonymous one(s) since Engine 23; \`-a\` also named ones`,
      ]
    : [];
  return { type: 'volumes', count: orphans.length, lower: bytes, upper: bytes, command: 'docker volume prune', notes };
}

/**
 * Build cache records not in use. A record marked Shared holds data also referenced elsewhere (an image's layer):
 * pruning it frees nothing while that holder lives, so it counts only towards the upper figure.
 */
function reclaimableBuildCache(du: DiskUsage): Reclaimable {
  const idle = du.buildCache.filter((b) => !b.inUse);
  const lower = idle.filter((b) => !b.shared).reduce((a, b) => a + b.size, 0);
  const upper = idle.reduce((a, b) => a + b.size, 0);
  const shared = idle.filter((b) => b.shared).length;
  return {
    type: 'build-cache',
    count: idle.length,
    lower,
    upper,
    command: 'docker builder prune',
    notes: shared ? [`${shared} idle record(s) share their data with images: freed only once those go`] : [],
  };
}

function allReclaimable(du: DiskUsage): Reclaimable[] {
  return [reclaimableImages(du), reclaimableContainers(du), reclaimableVolumes(du), reclaimableBuildCache(du)];
}

function range(r: Reclaimable): string {
  return r.lower === r.upper ? formatBytes(r.lower) : `between ${formatBytes(r.lower)} and ${formatBytes(r.upper)}`;
}

const NOUN: Record<Reclaimable['type'], string> = {
  images: 'unused image',
  containers: 'stopped container',
  volumes: 'unreferenced volume',
  'build-cache': 'idle build cache record',
};

/** On a data root with room, one type's reclaimable space matters when it is this share of what is still free. */
const SHARE_OF_FREE = 0.25;

/** How much reclaimable space matters, from the data root's free space (disk.data-root-space's floors) and the options. */
function reclaimableVerdict(
  r: Reclaimable,
  space: SpaceLevel | null,
  threshold: Threshold,
  lowDisk: Threshold,
): { status: 'fail' | 'warn' | 'info'; why: string } {
  if (space && space.state !== 'ok' && r.lower >= lowDisk.value) {
    const floor = space.state === 'critical' ? 'critical' : 'warning';
    // Volumes hold data: worth looking at, never a reason to fail on their own.
    return {
      status: space.state === 'critical' && r.type !== 'volumes' ? 'fail' : 'warn',
      why: `the data root's filesystem is below its ${floor} floor (${formatBytes(space.free)} free): this is space a prune gives back`,
    };
  }
  if (threshold.source.kind === 'user' || !space) {
    return r.lower >= threshold.value
      ? {
          status: 'warn',
          why: `at or above the ${formatBytes(threshold.value)} warning threshold${threshold.source.kind === 'user' ? ' you set' : ''}`,
        }
      : { status: 'info', why: '' };
  }
  if (r.lower >= threshold.value && r.lower >= SHARE_OF_FREE * space.free) {
    return { status: 'warn', why: `more than ${formatBytes(threshold.value)} and a quarter of the ${formatBytes(space.free)} still free` };
  }
  return {
    status: 'info',
    why: space.state === 'ok' && r.lower >= threshold.value ? `the data root's filesystem has room (${formatBytes(space.free)} free)` : '',
  };
}

export const diskReclaimable: Check = {
  id: 'disk.reclaimable',
  title: 'Little space is held by unused images, stopped containers, orphan volumes and build cache',
  category: 'disk',
  severity: 'low',
  rationale:
    "Images nobody runs, stopped containers, volumes no container references and idle build cache keep their space until someone prunes them. On a busy build host they are most of the disk. The figures here are what pruning would actually free (layers still shared with images in use are not counted), not the optimistic RECLAIMABLE column of `docker system df`. How much that matters depends on the disk, judged with disk.data-root-space's floors: on a data root below its critical floor, a type that would free 64 MiB or more (reclaimableLowDiskBytes) fails, below the warning floor it warns; on a disk with room it warns only when one type holds 10 GiB or more (reclaimableWarnBytes) and that is a quarter of the space still free, so 10 GiB on an empty 2 TB disk is information while a few hundred MiB on a 97%-full one is not. Volumes hold data: they never fail. A reclaimableWarnBytes given by the user is applied as it is.",
  remediation:
    "Review, then prune by type: `docker image prune -a`, `docker container prune`, `docker builder prune`; volumes hold data, so list them first (`docker volume ls -f dangling=true`) and remove only what you recognise. Dockhand's prune plan shows the exact objects and bytes before removing anything.",
  references: [PRUNE_DOCS, DF_DOCS],
  cis: null,
  platforms: ['linux', 'darwin', 'win32'],
  fixId: 'disk.prune',
  evaluate(facts, context) {
    const du = need(facts.diskUsage, 'Docker disk usage');
    const threshold = option(
      context,
      'reclaimableWarnBytes',
      10 * GiB,
      'on a disk with room, warn when one type holds 10 GiB and a quarter of the free space',
    );
    const lowDisk = option(
      context,
      'reclaimableLowDiskBytes',
      64 * MiB,
      "on a data root below disk.data-root-space's floors, 64 MiB of one type is worth pruning",
    );
    const fs = facts.dataRootFs.ok && facts.dataRootFs.value.totalBytes > 0 ? facts.dataRootFs.value : null;
    const space = fs ? spaceLevel(fs, context) : null;
    const disk: Evidence =
      fs && space
        ? {
            label: "data root's filesystem",
            value: `${formatBytes(space.free)} free of ${formatBytes(fs.totalBytes)} (${space.percent.toFixed(1)}%): ${space.state === 'ok' ? 'above the warning floor' : `below the ${space.state === 'critical' ? 'critical' : 'warning'} floor`}`,
            source: fsSource(facts),
          }
        : {
            label: "data root's filesystem",
            value: `not measured: ${facts.dataRootFs.ok ? 'no size reported' : facts.dataRootFs.error.message}`,
            source: fsSource(facts),
          };
    return allReclaimable(du).map((r): CheckResult => {
      const evidence: Evidence[] = [
        { label: `${r.type}: reclaimable`, value: r.lower === r.upper ? r.lower : { lower: r.lower, upper: r.upper }, source: DF },
        { label: `${r.type}: count`, value: r.count, source: DF },
        ...r.notes.map((n) => ({ label: 'note', value: n, source: DF })),
      ];
      if (r.count === 0) return pass(`No ${NOUN[r.type]} holds space.`, { target: r.type, evidence: evidence.slice(0, 2) });
      if (r.upper === 0)
        return pass(`${r.count} ${NOUN[r.type]}${r.count > 1 ? 's' : ''} hold no space of their own: removing them would free nothing.`, {
          target: r.type,
          evidence,
        });
      evidence.push(disk, { label: 'warning threshold', value: formatBytes(threshold.value), source: threshold.source });
      if (space && space.state !== 'ok')
        evidence.push({ label: 'low-disk threshold', value: formatBytes(lowDisk.value), source: lowDisk.source });
      const verdict = reclaimableVerdict(r, space, threshold, lowDisk);
      const message = `${r.count} ${NOUN[r.type]}${r.count > 1 ? 's' : ''}: ${range(r)} can be freed (${r.command})${verdict.why ? `; ${verdict.why}` : ''}.`;
      const fix = { id: 'disk.prune', params: { type: r.type } };
      const make = verdict.status === 'fail' ? fail : verdict.status === 'warn' ? warn : info;
      return make(message, { target: r.type, evidence, fix });
    });
  },
};

// ---------------------------------------------------------------------------------------------------------------------
// Container logs
// ---------------------------------------------------------------------------------------------------------------------

export const diskContainerLogs: Check = {
  id: 'disk.container-logs',
  title: 'No container log file has grown large',
  category: 'disk',
  severity: 'medium',
  rationale:
    "A container's json-file log keeps everything it prints unless max-size is set, and `docker system prune` never touches it: one chatty container can fill the data root's filesystem by itself. Rotation set in daemon.json applies only to containers created after the change.",
  remediation:
    'Set "log-opts": {"max-size": "10m", "max-file": "3"} in daemon.json (or per container with --log-opt), restart the daemon, then re-create the containers named here: existing containers keep their old log settings. To free the space now: `truncate -s 0` the log file (the container keeps writing to it).',
  references: [docs('JSON File logging driver', 'https://docs.docker.com/engine/logging/drivers/json-file/')],
  cis: null,
  platforms: ['linux'],
  fixId: 'daemon.log-rotation',
  evaluate(facts, context) {
    const logs = need(facts.containerLogs, 'container log sizes');
    const threshold = option(context, 'containerLogWarnBytes', GiB, 'warn when a container log reaches 1 GiB');
    const source = (p: string): Source => ({ kind: 'file', path: p });
    const total = logs.reduce((a, l) => a + l.bytes, 0);
    const largest = [...logs].sort((a, b) => b.bytes - a.bytes);
    const big = largest.filter((l) => l.bytes >= threshold.value);
    const byName = new Map((facts.containers.ok ? facts.containers.value : []).map((c) => [c.name, c]));
    const totalEvidence: Evidence = {
      label: 'all container logs (with rotated files)',
      value: `${formatBytes(total)} in ${logs.length} container(s)`,
      source: facts.containerLogs.sources[0] ?? DF,
    };
    if (big.length === 0) {
      return pass(
        logs.length
          ? `No container log reaches ${formatBytes(threshold.value)}; all ${logs.length} together take ${formatBytes(total)}.`
          : 'No container writes a json-file log here.',
        {
          evidence: [
            totalEvidence,
            ...largest.slice(0, 3).map((l) => ({ label: `log of ${l.container}`, value: formatBytes(l.bytes), source: source(l.path) })),
            { label: 'threshold', value: formatBytes(threshold.value), source: threshold.source },
          ],
        },
      );
    }
    return big.map((l) => {
      const config = byName.get(l.container)?.hostConfig.logConfig;
      const evidence: Evidence[] = [
        { label: 'log size (with rotated files)', value: `${formatBytes(l.bytes)} (${l.bytes} bytes)`, source: source(l.path) },
        { label: 'threshold', value: formatBytes(threshold.value), source: threshold.source },
        totalEvidence,
      ];
      if (config)
        evidence.push({
          label: 'log config of the container',
          value: { type: config.type, ...config.config },
          source: { kind: 'api', call: `GET /containers/${l.container}/json` },
        });
      const maxSize = config?.config['max-size'];
      return warn(
        `The log of container ${l.container} takes ${formatBytes(l.bytes)}${maxSize ? ` (max-size is ${maxSize}, times max-file)` : ': it is not rotated'}.`,
        {
          target: l.container,
          evidence,
          fix: { id: 'daemon.log-rotation', params: { 'max-size': '10m', 'max-file': '3', recreate: l.container } },
        },
      );
    });
  },
};

// ---------------------------------------------------------------------------------------------------------------------
// Scheduled cleanup
// ---------------------------------------------------------------------------------------------------------------------

type CleanupEntry = ScheduledCleanupFact['entries'][number];

function entrySource(e: CleanupEntry): Source {
  return { kind: 'file', path: e.path, line: e.line ?? undefined };
}

/** Whether the user said to judge this host as a server (`--server`): the same option host.auditd-docker reads. */
function judgedAsServer(context: CheckContext): boolean {
  return context.options.server === true;
}

export const diskScheduledCleanup: Check = {
  id: 'disk.scheduled-cleanup',
  title: 'Unused Docker data is pruned on a schedule',
  category: 'disk',
  severity: 'low',
  rationale:
    "Docker never removes unused images, stopped containers or build cache by itself. On a server that pulls new versions or builds regularly, that data grows until the disk is full — usually found out when a deploy fails. A workstation can be pruned by hand; a server needs a schedule. Whether this is a server cannot be read off the machine reliably: with the server option (`dockhand audit --server`) a missing schedule warns; without it, it warns only once unused data has piled up (cleanupWarnBytes, 10 GiB), and is information otherwise. A schedule that only prunes volumes cleans none of this (and is disk.destructive-cleanup's finding).",
  remediation:
    '`dockhand fix apply disk.scheduled-cleanup` installs a daily systemd timer (or a cron entry) running `dockhand prune apply --until 168h --yes`: an exact prune that keeps running and in-use objects, protected ones and every volume, and logs what it freed. By hand: a timer running `docker system prune -f --filter "until=168h"`; do not add --volumes unless the host holds no data you want to keep.',
  references: [PRUNE_DOCS],
  cis: null,
  platforms: ['linux'],
  fixId: 'cleanup.schedule',
  evaluate(facts, context) {
    const cleanup = need(facts.scheduledCleanup, 'cron entries and systemd timers');
    const fix = { id: 'cleanup.schedule', params: { until: '168h' } };
    // Older snapshots have no scope: every entry they list was a prune of images, containers or cache.
    const cleaning = cleanup.entries.filter((e) => e.scope?.cleans !== false);
    if (cleaning.length > 0) {
      return pass(`Docker data is pruned on a schedule (${cleaning.length} entr${cleaning.length > 1 ? 'ies' : 'y'}).`, {
        evidence: cleaning.map((e) => ({ label: e.kind, value: e.command, source: entrySource(e) })),
      });
    }
    const evidence: Evidence[] = [
      {
        label: 'looked in',
        value: cleanup.looked,
        source: facts.scheduledCleanup.sources[0] ?? { kind: 'default', detail: 'cron and systemd timer files' },
      },
      ...cleanup.entries.map((e) => ({ label: `${e.kind} (prunes only volumes)`, value: e.command, source: entrySource(e) })),
    ];
    if (judgedAsServer(context)) {
      evidence.push({ label: 'judged as', value: 'a server', source: { kind: 'user', detail: 'option server (--server)' } });
      return warn(
        'Nothing prunes Docker data on a schedule on this server: unused images, stopped containers and build cache grow until the disk is full.',
        { evidence, fix },
      );
    }
    const threshold = option(context, 'cleanupWarnBytes', 10 * GiB, 'warn when nothing prunes and 10 GiB is already reclaimable');
    if (facts.diskUsage.ok) {
      const piled = allReclaimable(facts.diskUsage.value).filter((r) => r.type !== 'volumes');
      const bytes = piled.reduce((a, r) => a + r.lower, 0);
      evidence.push(
        { label: 'reclaimable now (images, stopped containers, build cache)', value: formatBytes(bytes), source: DF },
        { label: 'threshold', value: formatBytes(threshold.value), source: threshold.source },
      );
      if (bytes >= threshold.value) {
        return warn(`Nothing prunes Docker data on a schedule, and ${formatBytes(bytes)} of unused data has already piled up.`, {
          evidence,
          fix,
        });
      }
    }
    return info(
      'Nothing prunes Docker data on a schedule: fine on a workstation you prune by hand; on a server (audit with --server to judge it as one), add a timer.',
      { evidence, fix },
    );
  },
};

const SAFE_SCHEDULE = '`docker system prune -af --filter "until=168h"` (no --volumes), or `dockhand fix apply disk.scheduled-cleanup`';

export const diskDestructiveCleanup: Check = {
  id: 'disk.destructive-cleanup',
  title: 'No scheduled cleanup removes volumes or the whole build cache',
  category: 'disk',
  severity: 'high',
  rationale:
    "A prune that runs unattended removes whatever qualifies at that moment. With volumes (`docker volume prune`, `docker system prune --volumes`) that includes the volume of a database whose container happens to be stopped or re-created during the run: data, gone without a prompt. `-a`/`--all` on the build cache (`docker builder prune -a`, `docker system prune -a`) with no `--filter until=…` or `--keep-storage` throws away every layer a build server reuses, so each night's run makes the next builds start cold; that warns when this host holds build cache (it builds), and is information when it holds none. Volume prunes fail whatever the host.",
  remediation: `Take volumes out of the schedule (remove --volumes, or the \`docker volume prune\` entry); prune them by hand after looking (\`docker volume ls -f dangling=true\`). Bound build-cache pruning by age or size: \`docker builder prune -af --filter until=168h\` or \`docker builder prune -af --keep-storage 20GB\`. A safe schedule: ${SAFE_SCHEDULE}.`,
  references: [PRUNE_DOCS, docs('docker builder prune', 'https://docs.docker.com/reference/cli/docker/builder/prune/')],
  cis: null,
  platforms: ['linux'],
  fixId: null,
  evaluate(facts) {
    const cleanup = need(facts.scheduledCleanup, 'cron entries and systemd timers');
    const risky = cleanup.entries.filter((e) => e.scope?.volumes || e.scope?.wholeBuildCache);
    if (risky.length === 0) {
      return pass(
        cleanup.entries.length
          ? `No scheduled prune removes volumes or the whole build cache (${cleanup.entries.length} looked at).`
          : 'Nothing is pruned on a schedule.',
        {
          evidence: cleanup.entries.map((e) => ({ label: e.kind, value: e.command, source: entrySource(e) })),
        },
      );
    }
    const cache = facts.diskUsage.ok ? facts.diskUsage.value.buildCache : null;
    const cacheBytes = cache?.reduce((a, b) => a + b.size, 0) ?? 0;
    return risky.map((e): CheckResult => {
      const target = `${e.path}:${e.line ?? 0}`;
      const evidence: Evidence[] = [{ label: `${e.kind} entry`, value: e.command, source: entrySource(e) }];
      if (e.scope?.volumes) {
        return fail(
          `A scheduled prune removes volumes (${e.path}${e.line ? `:${e.line}` : ''}): any volume no container uses at that moment — a stopped database's included — is deleted without a prompt. Use ${SAFE_SCHEDULE}.`,
          { target, evidence },
        );
      }
      evidence.push(
        cache
          ? { label: 'build cache on this host', value: `${cache.length} record(s), ${formatBytes(cacheBytes)}`, source: DF }
          : { label: 'build cache on this host', value: `unknown: ${facts.diskUsage.ok ? '' : facts.diskUsage.error.message}`, source: DF },
      );
      const message = `A scheduled prune throws away the whole build cache (${e.path}${e.line ? `:${e.line}` : ''}), with no \`--filter until=…\` or \`--keep-storage\` to keep recent layers`;
      if (cache && cache.length > 0)
        return warn(
          `${message}: this host builds (${formatBytes(cacheBytes)} of build cache), and every build after the run starts cold. Bound it: \`docker builder prune -af --filter until=168h\`.`,
          { target, evidence },
        );
      return info(`${message}; this host holds no build cache now, so nothing is lost yet.`, { target, evidence });
    });
  },
};

// ---------------------------------------------------------------------------------------------------------------------
// Separate partition (CIS 1.1.1)
// ---------------------------------------------------------------------------------------------------------------------

export const diskDataRootPartition: Check = {
  id: 'disk.data-root-partition',
  title: "Docker's data root is on its own filesystem",
  category: 'disk',
  severity: 'low',
  rationale:
    "With the data root on the root filesystem, a container filling its logs or a runaway build fills / itself: sshd, journald and package updates then fail too, and recovering the host gets hard. On its own filesystem, Docker can only fill its own space. docker-bench-security's `mountpoint -q` on the data root misses a data root that sits on a separate /var or /var/lib; here the filesystem actually holding it is judged.",
  remediation:
    'Create a filesystem for Docker (a new disk or LVM volume), stop Docker, copy /var/lib/docker onto it (rsync -aHAX), mount it at /var/lib/docker through /etc/fstab (or set "data-root" in daemon.json to its mount point), then start Docker.',
  references: [cis('1.1.1')],
  cis: '1.1.1',
  platforms: ['linux'],
  fixId: null,
  evaluate(facts) {
    const fs = need(facts.dataRootFs, "the data root's filesystem");
    if (!fs.mountPoint) {
      const why = facts.dataRootFs.sources.find((s) => s.kind === 'default' && /mount point unknown/.test(s.detail));
      return skipped(`the filesystem holding ${fs.path} is not known${why && why.kind === 'default' ? `: ${why.detail}` : ''}`);
    }
    const evidence = fsEvidence(facts, fs);
    if (fs.mountPoint === '/') return warn(`${fs.path} is on the root filesystem: filling it fills / for the whole host.`, { evidence });
    return pass(`${fs.path} is on its own filesystem, mounted at ${fs.mountPoint}.`, { evidence });
  },
};

export const DISK_CHECKS: readonly Check[] = [
  diskDataRootSpace,
  diskDataRootInodes,
  diskReclaimable,
  diskContainerLogs,
  diskScheduledCleanup,
  diskDestructiveCleanup,
  diskDataRootPartition,
];

// The mount table (/proc/self/mountinfo, else /proc/mounts) as the disk collectors and the host stats read it.

export interface MountEntry {
  mountPoint: string;
  fsType: string;
  line: number;
  /** major:minor of the filesystem (mountinfo only). */
  device?: string;
  /** The directory of that filesystem mounted here: "/" for a whole filesystem, a subpath for a bind mount or subvolume. */
  root?: string;
}

/** /proc/self/mountinfo and fstab escape blanks in paths as octal (\040). */
function unescapeMount(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(parseInt(oct, 8)));
}

/** fstab(5) lines (spec, file, vfstype, ...); comments and swap skipped. */
export function parseMountTable(text: string): MountEntry[] {
  const out: MountEntry[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const fields = line.split(/\s+/);
    if (fields.length < 3 || !fields[1]!.startsWith('/')) return;
    out.push({ mountPoint: unescapeMount(fields[1]!), fsType: fields[2]!, line: index + 1 });
  });
  return out;
}

/** proc(5) mountinfo: "ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [OPTIONAL...] - FSTYPE SOURCE SUPEROPTIONS". */
export function parseMountInfo(text: string): MountEntry[] {
  const out: MountEntry[] = [];
  text.split('\n').forEach((raw, index) => {
    const fields = raw.trim().split(' ');
    const dash = fields.indexOf('-');
    if (fields.length < 7 || dash < 6) return;
    out.push({
      device: fields[2]!,
      root: unescapeMount(fields[3]!),
      mountPoint: unescapeMount(fields[4]!),
      fsType: fields[dash + 1] ?? '',
      line: index + 1,
    });
  });
  return out;
}

function trimSlash(p: string): string {
  return p.replace(/\/+$/, '') || '/';
}

/** The mount holding `p`: the longest mount point that is a prefix of it; the last one wins when stacked. */
export function longestMount(entries: readonly MountEntry[], p: string): MountEntry | null {
  let best: MountEntry | null = null;
  for (const e of entries) {
    const mp = trimSlash(e.mountPoint);
    const covers = mp === '/' || p === mp || p.startsWith(`${mp}/`);
    if (covers && (!best || mp.length >= best.mountPoint.length)) best = { ...e, mountPoint: mp };
  }
  return best;
}

/**
 * The filesystem behind a mount: a bind mount or btrfs subvolume is part of a filesystem mounted elsewhere, and
 * filling one fills the other. dockerd itself bind-mounts its data root onto itself when / is not a shared mount,
 * so the longest prefix alone would call every such data root a separate partition. Same device as "/" means "/";
 * otherwise the device's whole-filesystem mount (root "/"), if it has one.
 */
export function filesystemOf(entries: readonly MountEntry[], mount: MountEntry): MountEntry {
  if (!mount.device) return mount;
  const sameDevice = entries.filter((e) => e.device === mount.device);
  const rootFs = sameDevice.find((e) => trimSlash(e.mountPoint) === '/');
  if (rootFs) return { ...rootFs, mountPoint: '/' };
  if (mount.root === '/') return mount;
  const whole = sameDevice.find((e) => e.root === '/');
  return whole ? { ...whole, mountPoint: trimSlash(whole.mountPoint) } : mount;
}

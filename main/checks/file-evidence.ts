import type { Facts } from '../../shared/facts';
import type { FileStatFact } from '../../shared/facts/host-files';
import type { Evidence } from '../../shared/finding';
import type { Source } from '../../shared/source';
import { FILE_ROLES, type FileRole } from '../../shared/facts/file-roles';
import { isDesktop, isRootless } from '../check-kit/applicability';
import { daemonView } from '../check-kit/daemon-view';

// ---------------------------------------------------------------------------------------------------------------
// evidence and applicability shared by the file checks (files.ts) and the access checks (access.ts)

const DESKTOP_REASON = "Docker Desktop runs the engine in its own VM: this host's files are not the engine's";
const ROOTLESS_SOCKET_REASON =
  'the daemon is rootless: its socket belongs to the user who runs it, in $XDG_RUNTIME_DIR, which only that user can enter';

export function desktopOnly(facts: Facts): string | null {
  return isDesktop(facts) ? DESKTOP_REASON : null;
}

export function desktopOrRootless(facts: Facts): string | null {
  return desktopOnly(facts) ?? (isRootless(facts) ? ROOTLESS_SOCKET_REASON : null);
}

export const fileSource = (p: string, line?: number): Source => (line ? { kind: 'file', path: p, line } : { kind: 'file', path: p });

export function octal(mode: number): string {
  return mode.toString(8).padStart(4, '0');
}

const BIT_NAMES: readonly [number, string][] = [
  [0o4000, 'setuid'],
  [0o2000, 'setgid'],
  [0o1000, 'sticky'],
  [0o400, 'owner read'],
  [0o200, 'owner write'],
  [0o100, 'owner execute'],
  [0o040, 'group read'],
  [0o020, 'group write'],
  [0o010, 'group execute'],
  [0o004, 'others read'],
  [0o002, 'others write'],
  [0o001, 'others execute'],
];

/** "group write, others write are" / "owner write is": the bits a mode has beyond what is allowed, as a sentence subject. */
export function describeBits(bits: number): string {
  const names = BIT_NAMES.filter(([bit]) => bits & bit).map(([, name]) => name);
  return `${names.join(', ')} ${names.length > 1 ? 'are' : 'is'}`;
}

/** Titles start with a capital, except where they start with a file or program name (docker.service, dockerd). */
export function capitalised(what: string): string {
  return /^(the|registry) /.test(what) ? `${what[0]!.toUpperCase()}${what.slice(1)}` : what;
}

export function ownerText(f: FileStatFact): string {
  return `${f.owner ?? f.uid}:${f.group ?? f.gid} (uid ${f.uid}, gid ${f.gid})`;
}

export function statEvidence(f: FileStatFact): Evidence[] {
  return [
    { label: `${f.role}`, value: f.path, source: fileSource(f.path) },
    { label: 'owner:group', value: ownerText(f), source: fileSource(f.path) },
    { label: 'mode', value: f.mode === null ? null : octal(f.mode), source: fileSource(f.path) },
  ];
}

export function filesWithRole(files: readonly FileStatFact[], roles: readonly FileRole[]): FileStatFact[] {
  return files.filter((f) => (roles as readonly string[]).includes(f.role));
}

/** The group that grants use of the Docker socket: the socket's own group, else dockerd's --group, else "docker". */
export function dockerGroupName(facts: Facts): { name: string; source: Source } {
  const socket = facts.files.ok
    ? facts.files.value.find((f) => f.role === FILE_ROLES.dockerSocket && f.exists && f.gid !== null && f.gid !== 0)
    : undefined;
  if (socket?.group) return { name: socket.group, source: fileSource(socket.path) };
  const configured = daemonView(facts).setting('group');
  if (typeof configured?.value === 'string' && configured.value !== '') return { name: configured.value, source: configured.source };
  return { name: 'docker', source: { kind: 'default', detail: "dockerd's default --group" } };
}

/** The paths looked at, for "not found" messages. */
export const looked = (candidates: FileStatFact[]) => candidates.map((c) => c.path).join(', ');

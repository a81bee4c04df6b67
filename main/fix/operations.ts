// What each allowlisted operation does to the file it targets, as a pure function of the file's current text. The
// planner uses it to show the diff; the apply (and the elevated helper) use it again to prove that the bytes they are
// about to write are exactly that operation applied to the file as it is now.
import path from 'node:path';
import type { FixOperation } from '../../shared/fix';
import { CRON_FILE, cronFile, defaultScheduleOptions, SERVICE_NAME, systemdService, systemdTimer, TIMER_NAME } from './prune-schedule';
import { setJsonKey, unsetJsonKey } from './json-edit';
import { type SubIdPolicy, subIdProblem } from './subid-policy';

export type FileOperation = Exclude<FixOperation, { op: 'daemon.reload' } | { op: 'daemon.restart' } | { op: 'cleanup-schedule.enable' }>;

export function isFileOperation(op: FixOperation): op is FileOperation {
  return op.op !== 'daemon.reload' && op.op !== 'daemon.restart' && op.op !== 'cleanup-schedule.enable';
}

const SCHEDULE_FILES = {
  service: `/etc/systemd/system/${SERVICE_NAME}`,
  timer: `/etc/systemd/system/${TIMER_NAME}`,
  cron: CRON_FILE,
} as const;

function scheduleText(op: Extract<FixOperation, { op: 'cleanup-schedule.write' }>): string {
  const options = defaultScheduleOptions({
    dockhand: op.dockhand,
    until: op.until,
    protectLabel: op.protectLabel,
    endpointArgs: op.endpoint ? ['--host', op.endpoint] : [],
  });
  return op.file === 'service' ? systemdService(options) : op.file === 'timer' ? systemdTimer(options) : cronFile(options);
}

export interface OperationEnv {
  /** The home directory of the user a user-scope drop-in belongs to (rootless Docker). */
  home: string;
}

/** The file an operation changes. */
export function targetOf(op: FileOperation, env: OperationEnv): string {
  switch (op.op) {
    case 'daemon-json.set':
    case 'daemon-json.unset':
    case 'desktop-settings.set':
      return op.file;
    case 'systemd-dropin.write':
    case 'systemd-dropin.remove':
      return path.posix.join(dropInDir(op.scope, env), op.name);
    case 'subid.add':
      return op.file;
    case 'group.add-user':
      return '/etc/group';
    case 'cleanup-schedule.write':
      return SCHEDULE_FILES[op.file];
  }
}

function dropInDir(scope: 'system' | 'user', env: OperationEnv): string {
  return scope === 'system' ? '/etc/systemd/system/docker.service.d' : path.posix.join(env.home, '.config/systemd/user/docker.service.d');
}

class OperationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OperationError';
  }
}

/** What some operations are judged against besides the file itself: the host's id policy for subid.add. */
export interface OperationContext {
  subIds?: SubIdPolicy;
}

/** The file's text after the operation; null means the file is removed. `before` is null when it does not exist. */
export function applyOperation(op: FileOperation, before: string | null, context: OperationContext = {}): string | null {
  switch (op.op) {
    case 'daemon-json.set':
      return setJsonKey(before, op.path, op.value);
    case 'daemon-json.unset':
      return unsetJsonKey(before, op.path);
    case 'desktop-settings.set':
      if (before === null)
        throw new OperationError(`${op.file} does not exist: start Docker Desktop once so it writes its settings, then plan again`);
      return setJsonKey(before, [op.key], op.value);
    case 'systemd-dropin.write':
      return op.content.endsWith('\n') ? op.content : `${op.content}\n`;
    case 'systemd-dropin.remove':
      return null;
    case 'subid.add': {
      if (!context.subIds)
        throw new OperationError("a subordinate id range is judged against the host's users and login.defs, which were not read");
      const problem = subIdProblem(op, before ?? '', context.subIds);
      if (problem) throw new OperationError(problem);
      return addSubIdRange(before ?? '', op.user, op.start, op.count);
    }
    case 'group.add-user':
      return addGroupMember(before, op.group, op.user);
    case 'cleanup-schedule.write':
      try {
        return scheduleText(op);
      } catch (error) {
        throw new OperationError((error as Error).message);
      }
  }
}

/** Appends `user:start:count` unless the user already has exactly that range; keeps every other line as it was. */
export function addSubIdRange(text: string, user: string, start: number, count: number): string {
  const entry = `${user}:${start}:${count}`;
  const lines = text.split('\n');
  if (lines.some((l) => l.trim() === entry)) return text;
  const body = text === '' || text.endsWith('\n') ? text : `${text}\n`;
  return `${body}${entry}\n`;
}

/** Adds `user` to the member list of `group` in /etc/group, keeping the line's other fields and every other line. */
function addGroupMember(text: string | null, group: string, user: string): string {
  if (text === null) throw new OperationError('/etc/group does not exist');
  const lines = text.split('\n');
  const index = lines.findIndex((l) => l.split(':')[0] === group);
  if (index < 0)
    throw new OperationError(`the group ${group} does not exist: install Docker's package (it creates it) or run groupadd ${group}`);
  const fields = lines[index]!.split(':');
  if (fields.length !== 4) throw new OperationError(`the ${group} line in /etc/group is malformed: ${JSON.stringify(lines[index])}`);
  const members = fields[3]!.split(',').filter(Boolean);
  if (members.includes(user)) return text;
  fields[3] = [...members, user].join(',');
  lines[index] = fields.join(':');
  return lines.join('\n');
}

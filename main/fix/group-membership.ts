// Group membership on a live host goes through shadow-utils: gpasswd (or usermod -aG where gpasswd is missing) keeps
// /etc/gshadow in step and takes the shadow lock, which an edit of /etc/group by hand does neither of. Offline roots
// (a mounted image) keep the file edit: their tools are not ours to run.
import type { FixOperation, FixPlan } from '../../shared/fix';
import { parseGroup } from '../util/account-files';

type GroupOp = Extract<FixOperation, { op: 'group.add-user' }>;
export type RunCommand = (argv: string[], timeoutMs: number) => Promise<void>;

export const GROUP_FILE = '/etc/group';

/** Whether `user` is listed as a member of `group` in a group file's text. */
export function isGroupMember(text: string, group: string, user: string): boolean {
  return parseGroup(text).some((g) => g.name === group && g.members.includes(user));
}

/** The group.add-user operation a plan applies with the tools on this host (live root only), or null. */
export function liveGroupOperation(plan: FixPlan, root: string): GroupOp | null {
  if (root !== '/') return null;
  return (plan.operations.find((op) => op.op === 'group.add-user') as GroupOp | undefined) ?? null;
}

/** Tries each command in turn until one succeeds; the error says what each did. */
async function firstThatWorks(commands: string[][], run: RunCommand, timeoutMs: number): Promise<string[]> {
  const errors: string[] = [];
  for (const argv of commands) {
    try {
      await run(argv, timeoutMs);
      return argv;
    } catch (error) {
      errors.push(`${argv.join(' ')}: ${(error as Error).message}`);
    }
  }
  throw new Error(errors.join('; '));
}

export function joinGroup(op: GroupOp, run: RunCommand, timeoutMs: number): Promise<string[]> {
  return firstThatWorks(
    [
      ['gpasswd', '-a', op.user, op.group],
      ['usermod', '-aG', op.group, op.user],
    ],
    run,
    timeoutMs,
  );
}

export function leaveGroup(op: GroupOp, run: RunCommand, timeoutMs: number): Promise<string[]> {
  return firstThatWorks([['gpasswd', '-d', op.user, op.group]], run, timeoutMs);
}

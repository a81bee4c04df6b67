// A plan's signature: HMAC-SHA256 with a key only this user can read. The digest alone catches damage, but anyone can
// recompute it after editing a plan (moving a protected object from `keep` to `remove`, or changing the protection
// label); the signature cannot be recomputed without the key, which never leaves the user's state directory.
import { constants, promises as fs } from 'node:fs';
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import path from 'node:path';
import type { PrunePlan } from '../../shared/prune';
import { stateDir } from '../util/state-dir';
import { PruneInputError } from './filters';
import { canonicalJson } from './plan-digest';

export const PLAN_KEY_FILE = 'prune-plan.key';
const KEY_TEXT = /^([0-9a-f]{64})\n$/;
const SIGNATURE = /^hmac-sha256:([0-9a-f]{16}):([0-9a-f]{64})$/;

/** The key file cannot be used: its owner or mode lets someone else read or replace it, or it is not one. */
export class PlanKeyError extends PruneInputError {
  constructor(message: string) {
    super(message);
    this.name = 'PlanKeyError';
  }
}

export interface PlanKey {
  readonly key: Buffer;
  /** Names the key in signatures (a hash prefix: says which key signed, reveals nothing of it). */
  readonly id: string;
}

const keyId = (key: Buffer) => createHash('sha256').update('dockhand prune plan key\0').update(key).digest('hex').slice(0, 16);

/**
 * This user's plan key in their state directory (where fixes are journaled), created on first use: 32 random bytes,
 * hex, in a file of mode 0600 in a directory of mode 0700. Created whole or not at all (written to a private temporary
 * name, then linked into place, which fails if another process got there first: then that one's key is used). Read
 * without following a symlink, and used only when the kernel says it is a regular file owned by this user that nobody
 * else can read or write.
 */
export async function planKey(dir: string = stateDir()): Promise<PlanKey> {
  const file = path.join(dir, PLAN_KEY_FILE);
  try {
    return await readKey(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  const temporary = path.join(dir, `.${PLAN_KEY_FILE}.${process.pid}.${randomBytes(6).toString('hex')}`);
  const handle = await fs.open(temporary, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
  try {
    await handle.writeFile(`${randomBytes(32).toString('hex')}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await fs.link(temporary, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    await fs.unlink(temporary);
  }
  return readKey(file);
}

async function readKey(file: string): Promise<PlanKey> {
  const handle = await fs.open(file, constants.O_RDONLY | constants.O_NOFOLLOW).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ELOOP')
      throw new PlanKeyError(`the plan key ${file} is a symbolic link: refusing it (remove it; a new key is made on the next plan)`);
    throw error;
  });
  try {
    const stat = await handle.stat();
    const uid = process.getuid?.();
    if (!stat.isFile()) throw new PlanKeyError(`the plan key ${file} is not a regular file: refusing it`);
    if (uid !== undefined && stat.uid !== uid)
      throw new PlanKeyError(`the plan key ${file} belongs to uid ${stat.uid}, not to you (uid ${uid}): refusing it`);
    if ((stat.mode & 0o077) !== 0)
      throw new PlanKeyError(
        `the plan key ${file} has mode ${(stat.mode & 0o777).toString(8)}: others may read or change it, so plans signed with it prove nothing (chmod 600 it, or remove it and plan again)`,
      );
    if (stat.size > 1024) throw new PlanKeyError(`the plan key ${file} is not a Dockhand plan key`);
    const match = KEY_TEXT.exec(await handle.readFile('utf8'));
    if (!match) throw new PlanKeyError(`the plan key ${file} is not a Dockhand plan key (remove it; a new one is made on the next plan)`);
    const key = Buffer.from(match[1]!, 'hex');
    return { key, id: keyId(key) };
  } finally {
    await handle.close();
  }
}

function mac(key: PlanKey, plan: Omit<PrunePlan, 'signature'>): string {
  return createHmac('sha256', key.key).update(canonicalJson(plan)).digest('hex');
}

/** The plan with its signature, over everything else it holds (the digest included). */
export function signPlan(plan: PrunePlan, key: PlanKey): PrunePlan {
  const { signature: _previous, ...body } = plan;
  return { ...body, signature: `hmac-sha256:${key.id}:${mac(key, body)}` };
}

/** Throws PruneInputError (saying why) unless this user's key signed exactly this plan. */
export function verifyPlanSignature(plan: PrunePlan, key: PlanKey, file: string): void {
  const { signature, ...body } = plan;
  const again = 'make a new plan with `dockhand prune plan` (as the user who will apply it)';
  if (signature === undefined)
    throw new PruneInputError(`${file} is not signed: only a plan this user's Dockhand made and signed is applied; ${again}`);
  const match = SIGNATURE.exec(signature);
  if (!match) throw new PruneInputError(`${file} has a malformed signature: ${again}`);
  if (match[1] !== key.id)
    throw new PruneInputError(
      `${file} was signed with another key (made by another user, or on another machine), so nothing proves it is unchanged: ${again}`,
    );
  const expected = Buffer.from(mac(key, body), 'hex');
  if (!timingSafeEqual(expected, Buffer.from(match[2]!, 'hex'))) {
    throw new PruneInputError(
      `${file} was changed after it was planned (its signature does not match its content: what it removes, keeps or protects was edited): nothing was removed; ${again}`,
    );
  }
}

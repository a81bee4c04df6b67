// Who asked for root. The helper runs through sudo or pkexec, which set SUDO_UID / PKEXEC_UID from the caller's real
// uid after resetting the environment; the caller cannot choose them. The uid is mapped to a name through the passwd
// file, never taken from the plan.
import { promises as fs } from 'node:fs';

export interface Caller {
  uid: number;
  name: string;
}

/** The user named by uid in a passwd file's text; null when there is none. */
function userByUid(passwd: string, uid: number): string | null {
  for (const line of passwd.split('\n')) {
    const fields = line.split(':');
    if (fields.length >= 7 && fields[2] === String(uid) && fields[0]) return fields[0];
  }
  return null;
}

/** The user who ran the elevated helper (pkexec's PKEXEC_UID, else sudo's SUDO_UID); null when neither says. */
export async function invokingUser(env: NodeJS.ProcessEnv = process.env, passwdFile = '/etc/passwd'): Promise<Caller | null> {
  const raw = env.PKEXEC_UID ?? env.SUDO_UID;
  if (raw === undefined || !/^\d{1,10}$/.test(raw)) return null;
  const uid = Number(raw);
  const name = userByUid(await fs.readFile(passwdFile, 'utf8').catch(() => ''), uid);
  return name === null ? null : { uid, name };
}

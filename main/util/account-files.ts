// /etc/passwd and /etc/group as the C library reads them: one parser each, for the collectors and the fix.
import type { AccountsFact } from '../../shared/facts/host-files';

export function parsePasswd(text: string): AccountsFact['users'] {
  const users: AccountsFact['users'] = [];
  for (const raw of text.split(/\r?\n/)) {
    // NIS compat entries (+/-) and comments are not accounts.
    if (raw.trim() === '' || /^[#+-]/.test(raw)) continue;
    const f = raw.split(':');
    if (f.length < 7 || !/^\d+$/.test(f[2]!) || !/^\d+$/.test(f[3]!)) continue;
    users.push({ name: f[0]!, uid: Number(f[2]), gid: Number(f[3]), home: f[5]!, shell: f.slice(6).join(':') });
  }
  return users;
}

export function parseGroup(text: string): AccountsFact['groups'] {
  const groups: AccountsFact['groups'] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    if (raw.trim() === '' || /^[#+-]/.test(raw)) return;
    const f = raw.split(':');
    if (f.length < 4 || !/^\d+$/.test(f[2]!)) return;
    const members = f[3]!
      .split(',')
      .map((m) => m.trim())
      .filter(Boolean);
    groups.push({ name: f[0]!, gid: Number(f[2]), members, line: index + 1 });
  });
  return groups;
}
